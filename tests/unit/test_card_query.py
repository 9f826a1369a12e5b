"""Reads of cards and notes: a deck's cards listed for quizzes match tags literally, in deck order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from immunoquiz.core.card_query import listed_notes
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.store import Store
from tests.support.decks import basic_card


def test_a_decks_cards_match_hostile_tags_literally(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    cards = [
        basic_card("pct", "Q I", tags=["%"]),
        basic_card("under", "Q II", tags=["_"]),
        basic_card("click", "Q III", tags=["[@click=app.quit]"]),
        basic_card("both", "Q IV", tags=["x", "%"], reverse="true"),
    ]
    assert not store.sync([write_deck("d", cards)], clock()).diagnostics

    def ids(*tags: str) -> list[str]:
        return [note.card_id for note in listed_notes(store, "d", tags)]

    assert ids() == ["pct", "under", "click", "both"]  # a reverse card is one deck card
    assert ids("%") == ["pct", "both"]
    assert ids("_") == ["under"]
    assert ids("[@click=app.quit]") == ["click"]
    assert ids("[@click", "x%", "%%") == []
    # Each with the tags asked for that it has.
    assert [(note.card_id, note.tags) for note in listed_notes(store, "d", ("x", "_"))] == [
        ("under", ("_",)),
        ("both", ("x",)),
    ]
    # A card removed from the deck file is retired: its deck card is gone too.
    assert not store.sync([write_deck("d", cards[1:])], clock()).diagnostics
    assert ids("%") == ["both"]
