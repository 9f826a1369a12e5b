"""Start-up imports only what a command needs: ``--version``, ``--help`` and ``stats`` stay light."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli

HEAVY = ("click", "textual", "yaml", "sqlite_utils", "fsrs", "immunoquiz.core")

# Runs the console script's entry point, then names the heavy modules it imported (last line of stderr).
PROBE = """
import sys
from immunoquiz.launch import main
sys.argv = ["immunoquiz", *sys.argv[1:]]
try:
    main()
finally:
    heavy = {heavy!r}
    print(*sorted({{h for h in heavy for m in sys.modules if m == h or m.startswith(h + ".")}}), file=sys.stderr)
"""


def launch(*args: str, cwd: Path) -> tuple[str, set[str]]:
    """Standard output of the console script with ``args``, and the heavy modules it imported."""
    code = PROBE.format(heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=cwd)
    return out.stdout, set(out.stderr.splitlines()[-1].split())


def test_the_console_script_is_the_launcher() -> None:
    (script,) = (e for e in entry_points(group="console_scripts") if e.name == "immunoquiz")
    assert script.value == "immunoquiz.launch:main"


def test_version_imports_nothing_heavy_and_says_what_click_says(tmp_path: Path) -> None:
    out, imported = launch("--version", cwd=tmp_path)
    assert imported == set()
    assert out == CliRunner().invoke(cli, ["--version"]).stdout


def test_help_imports_click_alone(tmp_path: Path) -> None:
    out, imported = launch("--help", cwd=tmp_path)
    assert imported == {"click"}
    assert "Usage: immunoquiz" in out
    out, imported = launch("options", "--help", cwd=tmp_path)
    assert "[0<=x<=9999]" in out and "[0.7<=x<=0.99]" in out  # the core's bounds, read when shown


def test_stats_on_a_synced_database_reads_no_yaml(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    first, imported = launch("stats", "--db", db, cwd=tmp_path)
    assert "yaml" in imported  # the bundled decks were parsed into the new database
    again, imported = launch("stats", "--db", db, cwd=tmp_path)
    assert again == first
    assert "yaml" not in imported and "textual" not in imported
