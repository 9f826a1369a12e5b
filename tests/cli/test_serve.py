"""`immunoquiz serve`: the app through textual-serve, reached as a browser's page reaches it, and its refusals."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import basic_card, deck_yaml

# Shell words in the paths: the app command textual-serve runs in a shell must quote them.
HOSTILE = "it's a $(touch pwned); `touch pwned` db"
CSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_bundled_title() -> str:
    first = sorted(bundled_decks_dir().glob("*.yaml"))[0]
    return str(yaml.load(first.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["title"])


def own_decks(tmp_path: Path) -> Path:
    folder = tmp_path / f"decks {HOSTILE}"
    folder.mkdir()
    (folder / "served.yaml").write_text(deck_yaml("served", [basic_card("served-1")]), encoding="utf-8")
    return folder


def test_without_the_web_extra_it_names_the_install_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delitem(sys.modules, "immunoquiz.web", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "pip install 'immunoquiz[web]'" in line
    assert not (tmp_path / "x.db").exists()  # refused before the database was opened


class Served:
    """What the server would have been started with, instead of serving."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        pytest.importorskip("textual_serve", reason="the web extra is not installed: pip install -e '.[web]'")
        from immunoquiz.web import AppServer

        self.command = ""
        served = self

        def record(server: AppServer, debug: bool = False) -> None:
            served.command = server.command
            server._announce()

        monkeypatch.setattr(AppServer, "serve", record)


def test_the_app_command_is_the_interpreter_with_every_path_quoted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served = Served(monkeypatch)
    db = tmp_path / f"{HOSTILE}.db"
    decks = own_decks(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--port", str(free_port()), "--db", str(db), "--decks", str(decks)])
    assert result.exit_code == 0, result.output
    assert shlex.split(served.command) == [
        sys.executable,
        "-m",
        "immunoquiz",
        "--db",
        str(db.resolve()),
        "--decks",
        str(decks.resolve()),
    ]
    assert "warning" not in result.stderr and "http://127.0.0.1:" in result.stderr


def test_listening_beyond_this_machine_warns_that_there_is_no_login(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    Served(monkeypatch)
    result = CliRunner().invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", str(free_port()), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if "warning" in line)
    assert "no login" in warning and "anyone who can reach port" in warning and str(tmp_path / "x.db") in warning


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed: pip install -e '.[web]'")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert f"--port {port}" in line and "in use" in line
    assert not (tmp_path / "x.db").exists()


def test_an_address_not_of_this_machine_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed: pip install -e '.[web]'")
    result = CliRunner().invoke(cli, ["serve", "--host", "192.0.2.1", "--db", str(tmp_path / "x.db")])  # TEST-NET-1
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "--host 192.0.2.1" in line and "cannot listen" in line
    assert not (tmp_path / "x.db").exists()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`immunoquiz serve` in its own process, once its page answers; killed after."""
    pytest.importorskip("textual_serve", reason="the web extra is not installed: pip install -e '.[web]'")
    port = free_port()
    db = tmp_path / f"{HOSTILE}.db"
    command = [sys.executable, "-m", "immunoquiz", "serve", "--port", str(port), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--decks", str(own_decks(tmp_path))],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert b"data-session-websocket-url" in page.read()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.communicate(timeout=5)) from None
                time.sleep(0.05)
        yield port, db
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def screen_text(port: int, wanted: list[str], origin: str | None = None) -> str:
    """Open the websocket as the page's script does, and read the screen until every wanted text is on it."""
    import aiohttp

    headers = {"Origin": origin or f"http://127.0.0.1:{port}"}
    received = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=40", headers=headers) as websocket,
    ):
        await websocket.send_str(json.dumps(["resize", {"width": 100, "height": 40}]))
        async with asyncio.timeout(12):
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                    text = CSI.sub("", received.decode("utf-8", "replace"))
                    if all(w in text for w in wanted):
                        return text
    raise AssertionError(f"the websocket closed before {wanted} was drawn: {received[-2000:]!r}")


async def test_the_served_page_websocket_shows_the_home_screen(server: tuple[int, Path], tmp_path: Path) -> None:
    port, db = server
    text = await screen_text(port, [first_bundled_title(), "Deck served"])
    assert "New" in text and "Due" in text  # the home screen's deck table
    assert db.exists() and not (tmp_path / "pwned").exists()  # the paths reached the app whole, never run


async def test_a_page_of_another_site_cannot_open_the_app(server: tuple[int, Path]) -> None:
    import aiohttp

    port, _db = server
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await screen_text(port, ["never"], origin="http://evil.example")
    assert refused.value.status == 403
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as foreign:
        urllib.request.urlopen(request, timeout=5)
    assert foreign.value.code == 403  # a rebound host name reaches nothing on a local-only server


def test_the_command_line_imports_textual_serve_only_to_serve() -> None:
    probe = "import sys, immunoquiz.cli; print(any(m in sys.modules for m in ('textual_serve', 'aiohttp')))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "False\n"
