"""The files the commands write: whole or not at all, with the umask's permissions, never over a device."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core import deck_export
from tests.support.decks import ARTICLE, TESTS

MODERN = TESTS / "data" / "anki" / "modern.apkg"
OLD = "the good file that was there\n"

# Each command that writes a file named by -o, with its arguments (OUT stands for the file, DB for the database).
WRITERS = {
    "new": ["new", "--source", str(ARTICLE), "-o", "OUT", "--force"],
    "import": ["import", str(MODERN), "-o", "OUT", "--force"],
    "export apkg": ["export", "side-effects", "--format", "apkg", "-o", "OUT", "--force", "--db", "DB"],
    "export csv": ["export", "side-effects", "--format", "csv", "-o", "OUT", "--force", "--db", "DB"],
    "log export": ["log", "export", "-o", "OUT", "--db", "DB"],
    "results export": ["results", "export", "-o", "OUT", "--db", "DB"],
}


def run(command: str, folder: Path, out: Path) -> tuple[int, str]:
    args = [{"OUT": str(out), "DB": str(folder / "learner.db")}.get(arg, arg) for arg in WRITERS[command]]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def full_disk_halfway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every writer the commands use write half of its file, then fail as a full disk does."""
    no_room = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    write_text = Path.write_text

    def half_text(path: Path, text: str, *args: Any, **kwargs: Any) -> int:
        write_text(path, text[: len(text) // 2], *args, **kwargs)
        raise no_room

    def half_apkg(deck: Any, path: Path) -> int:
        path.write_bytes(b"PK\x03\x04 half a zip")
        raise no_room

    def half_csv(deck: Any, out: Any) -> int:
        out.write("#separator:comma\n")
        out.flush()
        raise no_room

    monkeypatch.setattr(Path, "write_text", half_text)
    monkeypatch.setattr(deck_export, "write_apkg", half_apkg)
    monkeypatch.setattr(deck_export, "write_csv", half_csv)


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_disk_halfway_leaves_the_old_file_whole_and_no_other(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / ("deck.yaml" if command in ("new", "import") else "written")
    out.write_text(OLD, encoding="utf-8")
    full_disk_halfway(monkeypatch)
    code, err = run(command, tmp_path, out)
    assert code == 1
    assert err == (
        f"immunoquiz: error: -o {out}: cannot write it (No space left on device):"
        " make room on the disk, or write it elsewhere\n"
    )
    assert out.read_bytes() == OLD.encode()
    assert list(folder.iterdir()) == [out]


@pytest.mark.parametrize("command", WRITERS)
def test_a_written_file_has_the_umasks_permissions_as_open_gives(command: str, tmp_path: Path, umask_022: None) -> None:
    made = tmp_path / "made.yaml"
    assert run(command, tmp_path, made)[0] == 0
    assert stat.S_IMODE(made.stat().st_mode) == 0o644
    # A file written over keeps its own, as when open writes over it.
    kept = tmp_path / "kept.yaml"
    kept.write_text(OLD, encoding="utf-8")
    kept.chmod(0o640)
    assert run(command, tmp_path, kept)[0] == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() != OLD.encode()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", WRITERS)
def test_a_pipe_is_refused_and_left_one(command: str, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    # Held open for reading, so that a command writing into the pipe fails this test instead of waiting for a reader.
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, err = run(command, tmp_path, pipe)
    finally:
        os.close(reader)
    assert code == 1
    assert err == f"immunoquiz: error: -o {pipe}: not a regular file (a folder, device or pipe): give a file's path\n"
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_missing_folder_names_the_folder_as_the_fix(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "log.csv"
    code, err = run("log export", tmp_path, out)
    assert code == 1
    assert err == (
        f"immunoquiz: error: -o {out}: cannot write it (No such file or directory):"
        " check the folder exists and is writable\n"
    )
