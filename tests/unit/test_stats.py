"""`immunoquiz stats`: counts and true retention on a log whose answers are known."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from immunoquiz.core.card_query import CardCounts
from immunoquiz.core.clock import ManualClock, from_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.stats import ReviewCounts, collection_stats, format_stats
from immunoquiz.core.store import Store
from tests.support.decks import basic_card


def test_counts_due_and_retention(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [basic_card(f"c{i}", f"Q {'I' * (i + 1)}", "Back") for i in range(6)])
    write_deck("e", [basic_card("x")])
    store.sync([folder], clock())
    options = DeckOptions(new_per_day=4)
    # Day 1: four new cards graduate with Easy; two stay new.
    session = Session(store, Selection(decks=("d",)), clock=clock, options=options)
    while (showing := session.next()) is not None:
        session.rate(showing, session.check(showing, ""), Rating.EASY)
    rows = [r for r in store.cards_where("deck_id = 'd'") if r.state.reps]
    assert len(rows) == 4
    # Later: the four reviews come due; three are passed (Hard, Good, Easy), one fails.
    clock.now = max(from_ms(r.state.due_ms or 0) for r in rows) + timedelta(hours=1)
    session = Session(store, Selection(decks=("d",)), clock=clock, options=DeckOptions(new_per_day=0))
    ratings = iter([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY])
    for _ in range(4):
        showing = session.next()
        assert showing is not None
        session.rate(showing, session.check(showing, ""), next(ratings))
    # A cram answer is counted as an answer but not as a scheduled review.
    cram = Session(store, Selection(decks=("d",), cram=True, limit=1), clock=clock)
    showing = cram.next()
    assert showing is not None
    cram.rate(showing, cram.check(showing, ""), Rating.AGAIN)
    store.set_suspended(store.find_card("d", "c5").id, True)

    figures = collection_stats(store, ["d", "e"], clock())
    deck = figures.decks["d"]
    assert deck.cards == CardCounts(total=6, new=1, learning=1, review=3, suspended=1)
    assert deck.due_today == 1  # the lapsed card, relearning in 10 minutes
    assert deck.reviews == ReviewCounts(total=9, today=5, review=8, cram=1, quiz=0)
    assert deck.retention_30d == 0.75 and (deck.passed_30d, deck.judged_30d) == (3, 4)
    assert figures.decks["e"].cards.new == 1 and figures.decks["e"].retention_30d is None
    assert figures.total.cards.total == 7 and figures.total.retention_30d == 0.75
    assert list(figures.decks) == ["d", "e"]
    clock.advance(days=31)
    assert collection_stats(store, ["d"], clock()).total.retention_30d is None
    table = format_stats(figures)
    assert "all decks" in table and "75%" in table
