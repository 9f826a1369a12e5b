"""The one stats report: the desired retention picked by one rule, the card counts over whole decks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.progress import progress_report
from immunoquiz.core.review_query import Scope
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Session
from immunoquiz.core.stats import collection_stats
from immunoquiz.core.stats_report import desired_retention, stats_report
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import basic_card


def test_desired_retention_is_the_decks_when_they_agree_else_the_default() -> None:
    assert desired_retention([DeckOptions(desired_retention=0.85)] * 2) == 0.85
    assert desired_retention([DeckOptions(desired_retention=0.85), DeckOptions(desired_retention=0.95)]) == 0.9
    assert desired_retention([DeckOptions(desired_retention=0.8)]) == 0.8
    assert desired_retention([]) == 0.9


def test_the_report_shows_the_rules_retention(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    write_deck("d", [basic_card("a")])
    store.sync([write_deck("e", [basic_card("b")])], clock())
    both = Scope(("d", "e"))

    def shown(options: DeckOptions | dict[str, DeckOptions], scope: Scope = both) -> float:
        return stats_report(store, scope, clock(), DayRule(), options).progress.desired_retention

    low, high = DeckOptions(desired_retention=0.8), DeckOptions(desired_retention=0.95)
    assert shown({"d": low, "e": low}) == 0.8  # several decks that agree: theirs, not 0.9
    assert shown({"d": low, "e": high}) == 0.9
    assert shown({"d": low}) == 0.9  # e has the default options
    assert shown({"d": low, "e": high}, Scope(("e",))) == 0.95
    assert shown(high) == 0.95


def test_card_counts_cover_whole_decks_and_the_rest_the_scope(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card(f"c{n}", f"Q {'I' * (n + 1)}", "Back", tags=[f"t{n % 2}"]) for n in range(4)])
    store.sync([folder], clock())
    session = Session(store, clock=clock)
    while (showing := session.next()) is not None:
        session.rate(showing, session.check(showing, ""), Rating.EASY)
    clock.advance(days=1)
    rule = DayRule()
    for scope in (Scope(("d",)), Scope(("d",), tags=("t0",)), Scope(("d",), since_day=rule.day_of(clock()))):
        report = stats_report(store, scope, clock(), rule, DeckOptions())
        assert report.figures == collection_stats(store, ["d"], clock(), rule)
        assert report.progress == progress_report(store, scope, clock(), rule)
    tagged = stats_report(store, Scope(("d",), tags=("t0",)), clock(), rule, DeckOptions())
    assert tagged.figures.total.cards.total == 4 and tagged.figures.total.reviews.total == 4
    assert sum(day.reviews for day in tagged.progress.study_time) == 2
