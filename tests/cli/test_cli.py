"""The console script and `python -m immunoquiz`."""

from __future__ import annotations

import subprocess
import sys

from immunoquiz import __version__


def test_version_via_python_m() -> None:
    out = subprocess.run([sys.executable, "-m", "immunoquiz", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"immunoquiz, version {__version__}"


def test_check_on_bundled_decks_passes_via_the_console_script() -> None:
    out = subprocess.run([sys.executable, "-m", "immunoquiz", "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no problems" in out.stderr


def test_usage_errors_are_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "immunoquiz", "stats", "--bogus"], capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "immunoquiz: error: No such option '--bogus'. (see `immunoquiz stats --help`)\n"


def test_a_usage_error_names_the_help_of_the_command_it_was_made_in() -> None:
    # `log export` is not `export` (a deck to Anki), and an option's missing value is the command's, not the group's.
    for args, help_of in (
        (["log", "export", "--format", "xml"], "immunoquiz log export"),
        (["decks", "add", "--bogus"], "immunoquiz decks add"),
        (["review", "--deck"], "immunoquiz review"),
        (["decks", "bogus"], "immunoquiz decks"),
        (["--db"], "immunoquiz"),
    ):
        out = subprocess.run([sys.executable, "-m", "immunoquiz", *args], capture_output=True, text=True)
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.endswith(f" (see `{help_of} --help`)\n"), out.stderr
