"""Day totals kept for the days before the one studied (migration m009): whatever changes the log, they stay exact."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.migrations import MIGRATIONS, apply_migrations
from immunoquiz.core.review_query import Scope
from immunoquiz.core.rollup import day_totals, day_totals_from_log
from immunoquiz.core.schedule import CardState, Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import HistoryRow, Store, open_store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import basic_card

DECKS = ("d", "e")


@pytest.fixture
def decks(write_deck: Callable[..., Path]) -> Path:
    write_deck(
        "d",
        [
            basic_card(f"d{n}", "Front " + "abcdef"[n] + "?", "Back " + "abcdef"[n], tags=["t"], reverse=n % 2 == 0)
            for n in range(6)
        ],
    )
    return write_deck("e", [basic_card(f"e{n}", "Front " + "abcd"[n] + "?", "Back " + "abcd"[n]) for n in range(4)])


def synced(store: Store, clock: ManualClock, folder: Path) -> Store:
    assert not store.sync([folder], clock()).diagnostics
    return store


def study_day(store: Store, clock: ManualClock, seed: int, limit: int | None = None) -> int:
    """A review session and a cram session of ``e``, timed, some answers undone; how many answers stay."""
    rng = random.Random(seed)
    kept = 0
    for selection in (Selection(), Selection(decks=("e",), cram=True)):
        session = Session(store, selection, clock=clock, rng=random.Random(seed))
        while (limit is None or kept < limit) and (showing := session.next()) is not None:
            clock.advance(seconds=rng.randint(2, 30))
            session.rate(showing, session.check(showing, ""), Rating(rng.choice([1, 2, 3, 3, 4])))
            kept += 1
            if rng.random() < 0.15:
                session.undo()
                kept -= 1
            clock.advance(minutes=3)
    return kept


def today(clock: ManualClock) -> int:
    return DayRule().day_of(clock())


def mark(store: Store) -> int:
    (day,) = store.conn.execute("SELECT day FROM rolled_day").fetchone()
    return int(day)


def kept_days(store: Store) -> set[int]:
    return {day for (day,) in store.conn.execute("SELECT DISTINCT day FROM day_totals")}


def assert_exact(store: Store, clock: ManualClock) -> None:
    """The totals read are the log's, for every scope the stats ask for."""
    day = today(clock)
    for scope in (Scope(DECKS), Scope(("e",)), Scope(DECKS, since_day=day - 3)):
        for timed_since in (None, day - 2):
            assert day_totals(store, scope, timed_since) == day_totals_from_log(store, scope, timed_since)


def test_the_answers_of_the_day_studied_write_no_totals_and_the_next_day_rolls_them_up(
    store: Store, clock: ManualClock, decks: Path
) -> None:
    synced(store, clock, decks)
    studied = []
    for n in range(4):
        assert study_day(store, clock, seed=n) > 5
        studied.append(today(clock))
        assert mark(store) == studied[-1]
        # Only the days before hold totals; the day studied is summed from the log, and read all the same.
        assert kept_days(store) == set(studied[:-1])
        assert {row.day for row in day_totals(store, Scope(DECKS))} == set(studied)
        assert_exact(store, clock)
        clock.advance(days=1)
    # A day without answers moves nothing: its first answer rolls up the last day studied.
    assert mark(store) == studied[-1]
    assert study_day(store, clock, seed=9, limit=1) == 1
    assert mark(store) == today(clock) and kept_days(store) == set(studied)
    assert_exact(store, clock)


def test_undoing_an_answer_of_a_rolled_day_or_of_the_day_studied_keeps_the_totals_exact(
    store: Store, clock: ManualClock, decks: Path
) -> None:
    synced(store, clock, decks)
    study_day(store, clock, seed=1)
    yesterday = today(clock)
    clock.advance(days=1)
    session = Session(store, Selection(decks=("e",), cram=True), clock=clock, rng=random.Random(1))
    showing = session.next()
    assert showing is not None
    session.rate(showing, session.check(showing, ""), Rating.GOOD)
    assert yesterday in kept_days(store)
    # Undone after the day turned (the answer's own session long gone): its day's totals lose it.
    before = day_totals(store, Scope(DECKS))
    (rolled_id,) = store.conn.execute("SELECT max(id) FROM reviews WHERE day = ?", (yesterday,)).fetchone()
    store.undo_review(rolled_id)
    assert sum(row.answers for row in day_totals(store, Scope(DECKS))) == sum(row.answers for row in before) - 1
    assert_exact(store, clock)
    assert session.undo() == "answer"
    assert {row.day for row in day_totals(store, Scope(DECKS))} == {yesterday}
    assert_exact(store, clock)


def test_history_brought_in_for_days_before_and_after_the_mark_is_counted(
    store: Store, clock: ManualClock, decks: Path
) -> None:
    synced(store, clock, decks)
    study_day(store, clock, seed=2, limit=3)
    day = today(clock)
    (card,) = store.conn.execute(
        "SELECT id FROM cards WHERE id NOT IN (SELECT card FROM reviews) ORDER BY id LIMIT 1"
    ).fetchone()
    deck, now_ms = store.card(card).deck_id, to_ms(clock())
    after = CardState(Phase.REVIEW, None, 5.0, 5.0, now_ms, now_ms, 0, 2)
    rows = [
        HistoryRow(card, deck, now_ms - days * 86_400_000, day - days, 3, 4000, CardState(), after)
        for days in (30, 29, 0)
    ]
    assert store.add_history(rows, {card: after}) == {card}
    assert kept_days(store) == {day - 30, day - 29}
    assert {row.day for row in day_totals(store, Scope(DECKS))} == {day - 30, day - 29, day}
    assert_exact(store, clock)


def test_deleting_history_keeps_the_totals_exact(store: Store, clock: ManualClock, decks: Path) -> None:
    synced(store, clock, decks)
    for n in range(3):
        study_day(store, clock, seed=n)
        clock.advance(days=1)
    study_day(store, clock, seed=5)
    day = today(clock)
    store.conn.execute("DELETE FROM reviews WHERE deck_id = 'e' AND day >= ?", (day - 1,))
    assert_exact(store, clock)
    store.conn.execute("DELETE FROM reviews WHERE day < ?", (day - 1,))
    assert_exact(store, clock)
    assert {row.day for row in day_totals(store, Scope(DECKS))} == {day - 1, day}
    store.conn.execute("DELETE FROM reviews")
    assert day_totals(store, Scope(DECKS)) == [] and kept_days(store) == set()


def test_two_stores_on_one_file_roll_up_each_others_days(tmp_path: Path, clock: ManualClock, decks: Path) -> None:
    here = synced(open_store(tmp_path / "shared.db"), clock, decks)
    there = synced(open_store(tmp_path / "shared.db"), clock, decks)
    first = today(clock)
    study_day(here, clock, seed=1, limit=4)
    clock.advance(days=1)
    study_day(there, clock, seed=2, limit=4)  # rolls up the day the other store studied
    assert mark(here) == first + 1 and kept_days(here) == {first}
    study_day(here, clock, seed=3, limit=4)  # finds the mark moved already
    for store in (here, there):
        assert_exact(store, clock)
    clock.advance(days=1)
    study_day(here, clock, seed=4, limit=4)
    # A store whose clock is a day behind still takes its day for the mark's: its answers are counted at once.
    behind = ManualClock(datetime(2026, 1, 6, 12, tzinfo=UTC))
    assert today(behind) == first + 1
    assert study_day(there, behind, seed=5, limit=4) == 4
    assert mark(there) == first + 2
    for store in (here, there):
        assert_exact(store, clock)
        assert kept_days(store) == {first, first + 1}


def test_a_clock_set_back_moves_the_mark_back(store: Store, clock: ManualClock, decks: Path) -> None:
    synced(store, clock, decks)
    first = today(clock)
    # Study the first two days, jump five days on, back to the second, and on again: the mark follows each jump.
    for days in (1, 5, -5, 5):
        study_day(store, clock, seed=days, limit=6)
        clock.advance(days=days)
        study_day(store, clock, seed=days + 10, limit=6)
        assert mark(store) == today(clock)
        assert kept_days(store) == {day for day in (first, first + 1) if day < today(clock)}
        assert_exact(store, clock)


def test_the_migration_keeps_the_totals_of_an_existing_log(tmp_path: Path, clock: ManualClock, decks: Path) -> None:
    studied = synced(open_store(tmp_path / "new.db"), clock, decks)
    for n in range(3):
        study_day(studied, clock, seed=n)
        clock.advance(days=1)
    study_day(studied, clock, seed=3)
    studied.close()
    # The same decks, cards and log in a database from before m009, whose triggers counted every answer.
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    apply_migrations(conn, MIGRATIONS[: [m.name for m in MIGRATIONS].index("m009_rolled_day")])
    conn.execute("ATTACH ? AS new", (str(tmp_path / "new.db"),))
    for table in ("decks", "notes", "cards", "reviews"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
    kept_before = conn.execute("SELECT * FROM day_totals ORDER BY 1, 2, 3, 4").fetchall()
    conn.close()
    store = open_store(old)
    assert store.conn.execute("SELECT * FROM day_totals ORDER BY 1, 2, 3, 4").fetchall() == kept_before
    assert {row.day for row in day_totals(store, Scope(DECKS))} == {today(clock) - n for n in range(4)}
    assert_exact(store, clock)
    # Its next answer moves the mark to its day: that day's answers are summed from the log from then on.
    synced(store, clock, decks)
    study_day(store, clock, seed=4, limit=3)
    assert mark(store) == today(clock) and kept_days(store) == {today(clock) - n for n in range(1, 4)}
    assert_exact(store, clock)
