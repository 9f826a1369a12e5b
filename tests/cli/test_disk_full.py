"""A disk that fills up mid-session: each answer lands whole or is told as not saved; the file stays sound.

The disk is "filled" with a file-size limit (RLIMIT_FSIZE, with SIGXFSZ
ignored so that a write past it fails as on a full disk), which needs no
privileges or special file system.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.decks import basic_card

resource = pytest.importorskip("resource", reason="file-size limits are POSIX only")


def run_limited(args: list[str], stdin: str, limit_bytes: int) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    command = [sys.executable, "-m", "immunoquiz", *args]
    return subprocess.run(command, input=stdin, text=True, capture_output=True, preexec_fn=limit, timeout=60)


def reviews(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])


@pytest.fixture
def learner(tmp_path: Path, write_deck: Callable[..., Path]) -> tuple[Path, Path]:
    folder = write_deck("d", [basic_card(f"c{i:02d}", f"Question {'I' * (i + 1)}", "Answer") for i in range(20)])
    db = tmp_path / "learner.db"
    command = [sys.executable, "-m", "immunoquiz", "review", "--plain", "--db", str(db), "--decks", str(folder)]
    made = subprocess.run([*command, "--limit", "1"], input="\n3\n", text=True, capture_output=True)
    assert made.returncode == 0, made.stderr
    return db, folder


def test_answers_past_a_full_disk_are_told_as_not_saved_and_the_rest_kept(learner: tuple[Path, Path]) -> None:
    db, folder = learner
    # Room in the write-ahead log for a few answers only.
    done = run_limited(
        ["review", "--plain", "--db", str(db), "--decks", str(folder), "--deck", "d", "--cram"], "\n3\n" * 12, 60_000
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    refusals = done.stdout.count("Not saved, nothing was changed:")
    assert refusals > 0 and "the disk may be full; free some space and try again" in done.stdout
    studied = int(re.search(r"Session over: (\d+) cards? studied", done.stdout).group(1))  # type: ignore[union-attr]
    assert 0 < studied < 12
    # Every answer said saved is in the file, and no other.
    assert reviews(db) == 1 + studied


def test_a_setting_on_a_full_disk_is_one_line_and_not_stored(learner: tuple[Path, Path]) -> None:
    db, folder = learner
    before = db.read_bytes()
    done = run_limited(["options", "--db", str(db), "--decks", str(folder), "--new-per-day", "30"], "", 4096)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "free some space" in done.stderr, done.stderr
    assert db.read_bytes() == before
    shown = subprocess.run(
        [sys.executable, "-m", "immunoquiz", "options", "--db", str(db), "--decks", str(folder)],
        text=True,
        capture_output=True,
    )
    assert "30 new/day" not in shown.stdout and "20 new/day" in shown.stdout
