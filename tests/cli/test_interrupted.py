"""Ctrl-C in line mode: the answers given are kept, the summary printed, and the exit status is 130."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz import cli
from tests.support.decks import NUMERIC, TYPED, basic_card

INTERRUPTED = "immunoquiz: error: interrupted\n"


class InterruptedInput(io.StringIO):
    """These lines, then Ctrl-C while the next one is awaited."""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


def run_main(monkeypatch: pytest.MonkeyPatch, args: list[str], lines: str) -> int:
    """Run the console script's ``main`` with these arguments and answer lines; its exit status."""
    monkeypatch.setattr(sys, "argv", ["immunoquiz", *args])
    monkeypatch.setattr(cli, "line_input", lambda: InterruptedInput(lines))
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return int(exited.value.code or 0)


def test_ctrl_c_in_review_keeps_the_answers_and_prints_the_summary(
    tmp_path: Path, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_deck("d", [basic_card(f"c{i}", f"Question {'I' * (i + 1)}", "Answer") for i in range(3)])
    db = tmp_path / "learner.db"
    # Two cards answered and rated; the third revealed, and Ctrl-C comes at its rating.
    code = run_main(
        monkeypatch, ["review", "--plain", "--deck", "d", "--db", str(db), "--decks", str(folder)], "\n3\n\n3\nx\n"
    )
    out, err = capsys.readouterr()
    assert code == 130 and err.endswith(INTERRUPTED) and "Traceback" not in err
    assert "Session over: 2 cards studied" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2


def test_ctrl_c_in_a_quiz_saves_the_attempt_and_prints_the_score(
    tmp_path: Path, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_deck("d", [TYPED, NUMERIC])
    db = tmp_path / "learner.db"
    common = ["--db", str(db), "--decks", str(folder)]
    # One question answered (wrong, so it is listed), then Ctrl-C while the second is awaited.
    code = run_main(
        monkeypatch, ["quiz", "--plain", "--deck", "d", "-n", "2", "--seed", "1", *common], "nothing like it\n"
    )
    out, err = capsys.readouterr()
    assert code == 130 and err.endswith(INTERRUPTED) and "Traceback" not in err
    assert "Attempt 1 saved as incomplete (1 of 2 answered)" in out
    assert "Your answer: nothing like it" in out and "1 unanswered" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM quiz_attempts").fetchone()[0] == 1
