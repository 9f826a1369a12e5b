"""The console script and `python -m immunoquiz`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_output_in_an_encoding_without_its_characters_shows_them_as_question_marks(tmp_path: Path) -> None:
    # A Latin-1 terminal, or a Windows code page in a pipe: the bundled cards' en dashes are not in it.
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    command = [
        sys.executable,
        "-m",
        "immunoquiz",
        "browse",
        "--db",
        str(tmp_path / "l.db"),
        "card:nsclc-5yr-survival-lower",
    ]
    out = subprocess.run(command, capture_output=True, env=env)
    assert out.returncode == 0 and out.stderr == b"", out.stderr
    assert b"20?30%" in out.stdout  # "20–30%", the five-year survival of one card


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
def test_output_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "immunoquiz", "stats", "--db", str(tmp_path / "l.db")]
    with open("/dev/full", "w") as full:
        out = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    assert out.returncode == 1
    assert out.stderr == (
        "immunoquiz: error: standard output: No space left on device:"
        " make room on the disk, or send the output elsewhere\n"
    )
