"""Today's queue: the study session, the home screen, stats and browse ``is:due`` count the same cards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from immunoquiz.core.browse import parse_query, search
from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import QueueCounts, day_counts, gather
from immunoquiz.core.schedule import CardState, Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.stats import collection_stats
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from tests.support.collection import build_collection, write_collection_decks
from tests.support.decks import basic_card

UTC_DAYS = DayRule(tz=UTC)
KINDS = {Phase.NEW: "new", Phase.LEARNING: "learning", Phase.RELEARNING: "learning", Phase.REVIEW: "review"}


def drain_by_kind(session: Session, clock: ManualClock) -> dict[str, Counter[str]]:
    """Answer every card of the session (Easy, so none comes back), waiting for learning cards due later today."""
    seen: dict[str, Counter[str]] = {}
    while True:
        showing = session.next()
        if showing is None:
            waiting = session.waiting_until()
            if waiting is None:
                return seen
            clock.now = waiting
            continue
        seen.setdefault(showing.row.deck_id, Counter())[KINDS[showing.row.state.phase]] += 1
        session.rate(showing, session.check(showing, ""), Rating.EASY)


def test_the_queue_and_every_count_agree(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    build_collection(store, write_collection_decks(tmp_path / "decks"), clock(), UTC_DAYS)
    options = {deck: store.deck_options(deck) for deck in store.active_decks}
    expected = {"a": QueueCounts(new=3, learning=1, review=3), "b": QueueCounts(new=1, learning=1, review=1)}

    assert day_counts(store, CardFilter(("a", "b")), clock(), UTC_DAYS, options) == expected  # the home screen's
    today = gather(store, CardFilter(("a", "b")), clock(), UTC_DAYS, options)
    assert dict(today.by_deck) == expected
    assert today.counts == QueueCounts(4, 2, 4)
    assert len(today.new) == 4 and len(today.reviews) == 4 and len(today.learning) == 2
    figures = collection_stats(store, ["a", "b"], clock(), UTC_DAYS, options=options)
    assert {deck: figures.decks[deck].due_today for deck in "ab"} == {"a": 4, "b": 2}
    assert figures.total.due_today == today.counts.due
    due = search(store, parse_query("is:due"), clock(), UTC_DAYS, options=options)
    assert {(f.row.deck_id, f.row.card_id, f.row.sibling) for f in due.found} == {
        ("a", "r2", 0),
        ("a", "r1", 0),
        ("a", "b1", 0),
        ("a", "z", 1),
        ("b", "c4", 0),
        ("b", "c2", 0),
    }

    session = Session(store, Selection(), clock=clock, day_rule=UTC_DAYS, options=options)
    counts = session.counts()
    assert (counts.new, counts.learning, counts.review) == (4, 2, 4)
    drained = drain_by_kind(session, clock)
    assert {deck: QueueCounts(kinds["new"], kinds["learning"], kinds["review"]) for deck, kinds in drained.items()} == (
        expected
    )


def test_counting_agrees_with_the_queue_at_every_limit(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    # The counts read new cards out of deck order: siblings and gathered sides must still count as the queue takes them.
    build_collection(store, write_collection_decks(tmp_path / "decks"), clock(), UTC_DAYS)
    both = CardFilter(("a", "b"))
    new_in_a = {}
    for new_per_day in range(12):
        for reviews_per_day in (0, 1, 3, 100):
            options = DeckOptions(new_per_day=new_per_day, reviews_per_day=reviews_per_day)
            queued = gather(store, both, clock(), UTC_DAYS, options)
            assert day_counts(store, both, clock(), UTC_DAYS, options) == dict(queued.by_deck)
            assert queued.counts.new == len(queued.new)
            new_in_a[new_per_day, reviews_per_day] = queued.by_deck["a"].new
    # Unlimited, the cloze z is new only while its review side is not taken today.
    assert new_in_a[11, 0] == new_in_a[11, 100] + 1


def test_one_side_of_a_card_a_day(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    # Three reverse cards are three cards to learn today, not six.
    folder = write_deck("d", [basic_card(f"r{i}", f"Q {'I' * (i + 1)}", "Back", reverse="true") for i in range(3)])
    assert not store.sync([folder], clock()).diagnostics
    assert day_counts(store, CardFilter(("d",)), clock(), UTC_DAYS) == {"d": QueueCounts(new=3)}
    assert len(gather(store, CardFilter(("d",)), clock(), UTC_DAYS).new) == 3


def test_every_learning_side_due_today_counts(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    # Learning cards are all shown, siblings too; a card with a side in learning is not also learned anew.
    folder = write_deck("d", [basic_card(f"r{i}", f"Q {'I' * (i + 1)}", "Back", reverse="true") for i in range(2)])
    assert not store.sync([folder], clock()).diagnostics
    learning = CardState(Phase.LEARNING, 0, 1.0, 5.0, to_ms(clock()), to_ms(clock()) - 60_000, reps=0)
    assert store.replace_states({store.find_card("d", "r0", side).id: learning for side in (0, 1)}) == 2
    expected = {"d": QueueCounts(new=1, learning=2)}
    assert day_counts(store, CardFilter(("d",)), clock(), UTC_DAYS) == expected
    assert gather(store, CardFilter(("d",)), clock(), UTC_DAYS).by_deck == expected


def test_counts_respect_daily_limits(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [basic_card(f"c{i}", f"Q {'I' * (i + 1)}", "Back") for i in range(8)])
    store.sync([folder], clock())
    options = DeckOptions(new_per_day=5)

    def counts() -> QueueCounts:
        queued = gather(store, CardFilter(("d",)), clock(), UTC_DAYS, options).by_deck["d"]
        assert day_counts(store, CardFilter(("d",)), clock(), UTC_DAYS, options) == {"d": queued}
        return queued

    assert counts() == QueueCounts(5, 0, 0)
    session = Session(store, Selection(limit=3), clock=clock, day_rule=UTC_DAYS, options=options)
    while (showing := session.next()) is not None:
        session.rate(showing, session.check(showing, ""), Rating.GOOD)
    # Three new cards introduced: two more allowed today; the three wait in learning.
    assert counts() == QueueCounts(2, 3, 0)
    store.set_suspended(store.find_card("d", "c7").id, True)
    clock.advance(days=1)
    assert counts() == QueueCounts(4, 3, 0)


def test_a_filter_without_decks_has_an_empty_queue(store: Store, clock: ManualClock) -> None:
    assert gather(store, CardFilter(), clock()).counts == QueueCounts()
    assert day_counts(store, CardFilter(), clock()) == {}
