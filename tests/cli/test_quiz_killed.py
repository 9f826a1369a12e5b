"""A quiz killed mid-paper (SIGKILL, as a power cut): every answer given is kept whole, the attempt stays incomplete."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.decks import QUOTE

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")


def choice(word: str) -> str:
    return "\n".join(
        [
            f"  - id: c-{word}",
            "    type: choice",
            "    tags: [t]",
            f"    quote: {QUOTE}",
            f"    question: Which one is {word}?",
            f"    answer: Answer {word}",
            f"    distractors: [Wrong {word} one, Wrong {word} two, Wrong {word} three]",
        ]
    )


@pytest.mark.parametrize("affect", ["--no-affect-schedule", "--affect-schedule"])
def test_sigkill_after_three_answers_keeps_exactly_three(
    tmp_path: Path, write_deck: Callable[..., Path], affect: str
) -> None:
    folder, db = write_deck("d", [choice(w) for w in WORDS]), tmp_path / "learner.db"
    common = ["--db", str(db), "--decks", str(folder)]
    command = [sys.executable, "-m", "immunoquiz", "quiz", "--plain", *common, "--deck", "d", "-n", "5", affect]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    for k in range(1, 5):
        while not (line := proc.stdout.readline()).startswith(f"Question {k}/5"):
            assert line, "the quiz ended early"
        if k < 4:
            proc.stdin.write("a\n")
            proc.stdin.flush()
    proc.stdin.write("b")  # typed but not sent when the power goes
    proc.stdin.flush()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert reviews == (3 if affect == "--affect-schedule" else 0)
    run = [sys.executable, "-m", "immunoquiz", *common]
    shown = subprocess.run([*run, "quiz", "--history"], text=True, capture_output=True, check=True).stdout
    assert "incomplete (3 of 5 answered)" in shown
    checked = subprocess.run([*run, "db", "check"], text=True, capture_output=True)
    assert checked.returncode == 0 and checked.stderr.endswith("no problems\n"), checked.stderr
