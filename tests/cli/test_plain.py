"""Line mode, driven through standard input: the protocol, undo, crashes, two processes."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.studyday import DayRule
from immunoquiz.plain import COMMANDS, run_plain
from tests.support.decks import BULLETS, CHOICE, NUMERIC, ORDERING, TYPED, basic_card, bullet_deck


def run(session: Session, lines: list[str]) -> str:
    out = io.StringIO()
    run_plain(session, io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return out.getvalue()


def test_protocol_for_each_kind_of_card(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [TYPED, CHOICE, NUMERIC, ORDERING, basic_card("self", "What is [PD-L1]?", "A protein")])
    store.sync([folder], clock())
    session = Session(store, clock=clock, rng=random.Random(4))
    # Answer lines then rating lines: typed right, choice by text, numeric with a %, ordering wrong, basic reveal.
    text = run(session, ["keytruda", "", "Ipilimumab", "4", "59.8 %", "", "4 3 2 1", "", "", "2"])
    blocks = text.split("\nCard ")[1:]
    assert len(blocks) == 6 and blocks[5].startswith("6 · d · ordering")  # Again: back within the learn-ahead
    assert blocks[0].startswith("1 · d · typed · new · left: 4 new, 0 learning, 0 review\n")
    assert blocks[5].startswith("6 · d · ordering · learning · ")
    assert (
        "Q: Under which brand name is pembrolizumab sold?\nType your answer.\n> Right.\nAnswer: Keytruda\n" in blocks[0]
    )
    assert 'Source: "Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction"' in blocks[0]
    assert "Rate: 1 Again 1m, 2 Hard 6m, 3 Good 10m, 4 Easy" in blocks[0]
    assert "  a) " in blocks[1] and "Right.\nAnswer: Ipilimumab" in blocks[1]
    assert "Right.\nAnswer: 59.8%" in blocks[2]
    assert (
        "Partly right (0.5 of 1).\nAnswer: 1. Extract T-cells; 2. Engineer a receptor" in blocks[3]
        and "In your numbering: " in blocks[3]
    )
    assert "Q: What is [PD-L1]?\nPress Enter to show the answer.\n> Answer: A protein" in blocks[4]
    assert "Right." not in blocks[4] and "Wrong." not in blocks[4]
    assert "Session over: 5 cards studied, 3/4 checked answers right (75%)" in text
    rows = store.conn.execute(
        "SELECT c.card_id, r.rating, r.correct, r.answer FROM reviews r JOIN cards c ON c.id = r.card ORDER BY r.id"
    ).fetchall()
    assert rows == [
        ("keytruda", 3, 1, "keytruda"),  # Enter takes the proposed Good
        ("ctla4", 4, 1, "Ipilimumab"),  # Easy, as picked
        ("efs", 3, 1, "59.8 %"),
        ("car-t", 1, 0, "4 3 2 1"),
        ("self", 2, None, None),
    ]


def test_suspend_bury_and_help_on_answer_and_rating_lines(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [basic_card("a"), basic_card("b"), basic_card("c"), basic_card("e")])], clock())
    session = Session(store, clock=clock)
    # a: ? then suspended unanswered; b: buried from the rating line; c: x is refused, then rated 3; e: quit.
    text = run(session, ["?", "!", "", "-", "", "x", "3", "q"])
    # Cards are numbered by answers given: a (twice: ? shows it again), b and c are all "Card 1".
    assert COMMANDS in text and text.count("Card 1 · ") == 4 and "Card 2 · " in text
    assert "Suspended: this card is not shown again until you unsuspend it" in text
    assert "Buried until tomorrow." in text
    assert "Please type 1, 2, 3 or 4 (or Enter); ? lists the other commands." in text
    rows = {row.card_id: row for row in store.cards_where("deck_id = 'd'")}
    assert rows["a"].suspended and rows["b"].buried_until > 0 and not rows["c"].suspended
    logged = store.conn.execute("SELECT c.card_id, r.rating FROM reviews r JOIN cards c ON c.id = r.card").fetchall()
    assert logged == [("c", 3)]  # set aside, a card is not answered


def test_undo_and_quit_on_answer_lines(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([write_deck("d", [basic_card("a"), basic_card("b"), basic_card("c")])], clock())
    session = Session(store, clock=clock)
    text = run(session, ["", "4", "u", "", "1", "", "3", "q"])
    assert "Undone: the previous card comes back." in text
    assert text.count("Card 1 · ") == 2  # the first card again after undo
    ratings = store.conn.execute("SELECT rating FROM reviews ORDER BY id").fetchall()
    assert ratings == [(1,), (3,)]
    assert text.rstrip().endswith("0.0 min.") or "Learning cards are due again" in text
    assert "Session over: 2 cards studied" in text


def test_end_of_input_at_the_rating_prompt_records_nothing(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [basic_card("a"), basic_card("b")])], clock())
    text = run(Session(store, Selection(limit=5), clock=clock), ["", "3", ""])  # the second card: shown, then Ctrl-D
    assert "Session over: 1 card studied" in text and text.count("Rate: ") == 2
    assert store.conn.execute("SELECT rating FROM reviews").fetchall() == [(3,)]


def test_q_at_the_rating_prompt_records_nothing(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [basic_card("a")])], clock())
    text = run(Session(store, clock=clock), ["", "q", "3"])
    assert "Session over: 0 cards studied" in text
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


class _LinesThen(io.StringIO):
    """Input lines that run ``then`` just before the line numbered ``at`` is read."""

    def __init__(self, lines: list[str], at: int, then: Callable[[], object]) -> None:
        super().__init__("".join(line + "\n" for line in lines))
        self.read_count, self.at, self.then = 0, at, then

    def readline(self, size: int = -1, /) -> str:  # type: ignore[override]  # StringIO's, as typeshed gives it
        self.read_count += 1
        if self.read_count == self.at:
            self.then()
        return super().readline(size)


def test_a_lock_held_past_the_timeout_asks_for_the_rating_again(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    db = tmp_path / "shared.db"
    store = open_store(db, busy_timeout_s=0.05)
    store.sync([write_deck("d", [basic_card("a")])], clock())
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    out = io.StringIO()
    source = _LinesThen(["", "3", "3"], at=3, then=lambda: other.execute("COMMIT"))
    answered = run_plain(Session(store, clock=clock), source, out)
    text = out.getvalue()
    assert "Not saved, nothing was changed: database is locked" in text
    assert text.count("try again") == 1 and "Type the rating again, or q to stop." in text
    assert answered == 1 and "Session over: 1 card studied" in text
    assert store.conn.execute("SELECT rating FROM reviews").fetchall() == [(3,)]


def _cli(db: Path, folder: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "immunoquiz",
        "review",
        "--plain",
        "--db",
        str(db),
        "--decks",
        str(folder),
        "--deck",
        "d",
        *extra,
    ]


def _deck(write_deck: Callable[..., Path], n: int) -> Path:
    return write_deck("d", [basic_card(f"c{i:02d}", f"Question {'I' * (i + 1)}", "Answer") for i in range(n)])


def test_sigkill_after_k_answers_keeps_exactly_k(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder, db = _deck(write_deck, 10), tmp_path / "learner.db"
    proc = subprocess.Popen(_cli(db, folder), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    answered = 4
    for k in range(1, answered + 1):
        proc.stdin.write("\n3\n")
        proc.stdin.flush()
        while not (line := proc.stdout.readline()).startswith(f"Card {k + 1} "):
            assert line, "the process ended early"
    proc.stdin.write("half an answ")  # typed but not sent when the power goes
    proc.stdin.flush()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == answered
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_processes_answering_at_once_lose_nothing(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder, db = _deck(write_deck, 15), tmp_path / "shared.db"
    subprocess.run(_cli(db, folder, "--limit", "1"), input="\n4\n", text=True, capture_output=True, check=True)
    procs = [
        subprocess.Popen(
            _cli(db, folder, "--cram"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate("\n3\n" * 15, timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT mode, count(*) FROM reviews GROUP BY mode ORDER BY mode").fetchall() == [
            ("cram", 30),
            ("review", 1),
        ]
    assert all("Session over: 15 cards studied" in out for out, _ in outs)


def test_four_processes_studying_one_deck_crash_none_and_record_every_answer(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    folder, db = _deck(write_deck, 12), tmp_path / "shared.db"
    subprocess.run(_cli(db, folder, "--limit", "1"), input="\n3\n", text=True, capture_output=True, check=True)
    procs = [
        subprocess.Popen(
            _cli(db, folder), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    # Each answers the same cards, read before the others' answers: every answer lands on the newer state.
    outs = [p.communicate("\n3\n" * 12, timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outs]
    assert not any("Traceback" in err for _, err in outs)
    studied = [int(re.search(r"Session over: (\d+) cards? studied", out).group(1)) for out, _ in outs]  # type: ignore[union-attr]
    # Under load one process may start after the others answered every card (none is due again yet).
    assert sum(studied) >= 11, studied
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1 + sum(studied)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_times_are_shown_in_the_learners_zone(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [basic_card("one")])], clock())
    tokyo = DayRule(ZoneInfo("Asia/Tokyo"))
    text = run(Session(store, clock=clock, day_rule=tokyo, rng=random.Random(1)), ["", "4"])
    # Easy sends the card days ahead, at this time of day: 09:00 UTC is 18:00 in Tokyo, whatever the machine's zone.
    assert re.search(r"Next card due: \d{4}-\d\d-\d\d 18:00\.", text), text


def test_nothing_typed_reveals_a_typed_card_to_self_grade(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [TYPED, NUMERIC])], clock())
    session = Session(store, clock=clock, rng=random.Random(1))
    text = run(session, ["", "2", "   ", ""])  # both revealed; the first rated Hard, the second takes the proposal
    assert "Wrong" not in text and "Not answered" not in text and text.count("Enter for 3 Good.") == 2
    assert "Session over: 2 cards studied, 2 self-graded" in text and "checked answers right" not in text
    logged = store.conn.execute("SELECT rating, answer, correct FROM reviews ORDER BY id").fetchall()
    assert logged == [(2, None, None), (3, None, None)]


def test_a_quote_of_several_passages_is_one_source_line_each(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    store.sync([bullet_deck(tmp_path)], clock())
    text = run(Session(store, clock=clock, rng=random.Random(1)), ["wrong", "1"])
    sources = "".join(f'Source: "{bullet}"\n' for bullet in BULLETS)
    assert f"> Wrong.\nAnswer: T-cells\n{sources}" in text


def test_undo_help_and_quit_work_at_the_rating_prompt(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [basic_card("a"), basic_card("b")])], clock())
    session = Session(store, clock=clock)
    # a rated 4; b shown: ? at its rating prompt (b is asked again), u (a comes back), a rated 1, then q.
    text = run(session, ["", "4", "", "?", "", "u", "", "1", "q"])
    assert COMMANDS in text and "Undone: the previous card comes back." in text
    assert store.conn.execute("SELECT rating FROM reviews ORDER BY id").fetchall() == [(1,)]


def test_a_choice_answer_that_names_no_option_is_asked_again(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [CHOICE])], clock())
    session = Session(store, clock=clock, rng=random.Random(1))
    showing = session.next()
    assert showing is not None
    right = "abcd"[showing.prompt.options.index("Ipilimumab")]
    session.put_back(showing)
    text = run(session, ["", "z", "a c", right, ""])
    assert "Nothing was typed: type a letter from a to d (or 1 to 4).\n> " in text
    assert "That names no option: type a letter from a to d (or 1 to 4), or the option's text.\n> " in text
    assert "Only one option is right: type one letter from a to d (or 1 to 4).\n> " in text
    assert store.conn.execute("SELECT answer, correct FROM reviews").fetchall() == [(right, 1)]
