"""The study app refuses to start where it cannot run, and names the line mode instead."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli

APP_COMMANDS = [[], ["study"], ["review"], ["quiz"]]


@pytest.mark.parametrize("command", APP_COMMANDS)
def test_without_a_terminal_on_stdin_the_app_says_use_plain(command: list[str], tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, [*command, "--db", str(db)], env={"TERM": "xterm-256color"})  # stdin: no tty
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert "standard input is not a terminal" in line and "--plain" in line
    assert result.stdout == "" and not db.exists()  # refused before anything was opened


@pytest.mark.parametrize("command", APP_COMMANDS)
def test_term_dumb_says_use_plain(command: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [*command, "--db", str(tmp_path / "x.db")], env={"TERM": "dumb"})
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert "TERM=dumb" in line and "--plain" in line


@pytest.mark.parametrize("command", [[], ["quiz"]])
def test_output_to_a_pipe_with_a_terminal_on_stdin_exits_at_once(command: list[str], tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        env = {**os.environ, "TERM": "xterm-256color"}
        done = subprocess.run(
            [sys.executable, "-m", "immunoquiz", *command, "--db", str(tmp_path / "x.db")],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env=env,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode != 0 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "standard output is not a terminal" in line and "--plain" in line
    assert "\x1b" not in done.stderr


def test_plain_and_history_still_run_without_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quiz", "--history", "--db", str(tmp_path / "x.db")], env={"TERM": "dumb"})
    assert result.exit_code == 0, result.output
