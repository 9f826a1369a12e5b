"""The day totals the database keeps give the same figures as summing the review log."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz.core import stats_report as stats_report_module
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.migrations import apply_migrations
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.review_query import Scope
from immunoquiz.core.rollup import day_totals, day_totals_from_log
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.stats_report import report_to_json, stats_report
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import basic_card

DECKS = ("d", "e")


def study(store: Store, clock: ManualClock, days: int, seed: int) -> None:
    """Some days of review and cram sessions, timed, with some answers undone."""
    rng = random.Random(seed)
    for _ in range(days):
        for selection in (Selection(), Selection(decks=("e",), cram=True)):
            session = Session(store, selection, clock=clock, rng=random.Random(seed))
            while (showing := session.next()) is not None:
                clock.advance(seconds=rng.randint(2, 30))
                session.rate(showing, session.check(showing, ""), Rating(rng.choice([1, 2, 3, 3, 4])))
                if rng.random() < 0.15:
                    session.undo()
                clock.advance(minutes=3)
        clock.advance(days=1)


@pytest.fixture
def studied(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> Store:
    write_deck(
        "d",
        [
            basic_card(f"d{n}", "Front " + "abcdef"[n] + "?", "Back " + "abcdef"[n], tags=["t"], reverse=n % 2 == 0)
            for n in range(6)
        ],
    )
    folder = write_deck(
        "e", [basic_card(f"e{n}", "Front " + "abcdef"[n] + "?", "Back " + "abcdef"[n]) for n in range(4)]
    )
    assert not store.sync([folder], clock()).diagnostics
    study(store, clock, 30, seed=3)
    return store


@pytest.mark.parametrize("since_day", [None, 5])
@pytest.mark.parametrize("timed_since", [None, 10])
def test_kept_totals_are_the_logs(
    studied: Store, clock: ManualClock, since_day: int | None, timed_since: int | None
) -> None:
    today = DayRule().day_of(clock())
    scope = Scope(DECKS, since_day=None if since_day is None else today - since_day)
    timed = None if timed_since is None else today - timed_since
    kept = day_totals(studied, scope, timed)
    assert kept == day_totals_from_log(studied, scope, timed)
    assert {row.mode for row in kept} == {"review", "cram"} and all(row.answers > 0 for row in kept)
    assert day_totals(studied, Scope(("e",))) == day_totals_from_log(studied, Scope(("e",)))


def test_the_stats_report_is_the_same_with_and_without_the_kept_totals(
    studied: Store, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def report() -> dict[str, object]:
        return report_to_json(stats_report(studied, Scope(DECKS), clock(), DayRule(), DeckOptions()))

    kept = report()
    monkeypatch.setattr(stats_report_module, "day_totals", day_totals_from_log)
    assert report() == kept


def test_an_undone_answer_leaves_no_empty_day(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    assert not store.sync([write_deck("d", [basic_card("a")])], clock()).diagnostics
    session = Session(store, clock=clock)
    showing = session.next()
    assert showing is not None
    session.rate(showing, session.check(showing, ""), Rating.GOOD)
    assert [row.answers for row in day_totals(store, Scope(("d",)))] == [1]
    assert session.undo()
    assert day_totals(store, Scope(("d",))) == []


def test_the_migration_sums_an_existing_log(clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    apply_migrations(conn)
    store = Store(conn)
    write_deck("d", [basic_card(f"d{n}", "Front " + "abcdef"[n] + "?", "Back " + "abcdef"[n]) for n in range(3)])
    assert not store.sync([write_deck("e", [basic_card("e0")])], clock()).diagnostics
    study(store, clock, 5, seed=1)
    # The log as a database from before the totals were kept holds it; then the migration runs.
    conn.executescript(
        "DROP TRIGGER reviews_count; DROP TRIGGER reviews_uncount; DROP TABLE day_totals;"
        " DELETE FROM _sqlite_migrations WHERE name = 'm004_day_totals';"
    )
    apply_migrations(conn)
    assert day_totals(store, Scope(DECKS)) == day_totals_from_log(store, Scope(DECKS))
    assert sum(row.answers for row in day_totals(store, Scope(DECKS))) > 20
