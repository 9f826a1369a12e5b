"""Reads of cards: the queue's rows.

Which cards is always a ``CardFilter`` (``query``), so its rules are
rendered in one place. Values are bound as SQL parameters, never formatted
into the SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from immunoquiz.core.query import CardFilter
from immunoquiz.core.store import Store


class LearningRow(NamedTuple):
    """A learning or relearning card: its row id, deck, card id and due time in ms."""

    id: int
    deck_id: str
    card_id: str
    due_ms: int


# The queue reads these two by the thousand on every count: plain tuples, straight from the cursor.
ReviewRow = tuple[int, str, float | None]
"""A review card: its row id, card id and time since its last review over its stability (None without one)."""

NewRow = tuple[int, str]
"""A new card: its row id and card id."""


def learning_due(store: Store, cards: CardFilter, before_ms: int) -> list[LearningRow]:
    """The learning and relearning cards of a filter due before a time.

    Args:
        store: The learner's database.
        cards: Which cards.
        before_ms: The time, in ms.

    Returns:
        The cards, in no particular order.
    """
    where, params = cards.where()
    rows = store.conn.execute(
        f"SELECT id, deck_id, card_id, due_ms FROM cards WHERE phase IN (1, 3) AND due_ms < ? AND {where}",
        [before_ms, *params],
    )
    return list(map(LearningRow._make, rows))


def reviews_due(store: Store, cards: CardFilter, deck_id: str, now_ms: int, before_ms: int) -> Iterator[ReviewRow]:
    """The review cards of a filter in one deck due before a time, the least likely to be remembered first.

    The rows are read as they are used, so a caller that stops at a daily
    limit does not read the rest.

    Args:
        store: The learner's database.
        cards: Which cards (its decks are not tested: ``deck_id`` is).
        deck_id: The deck.
        now_ms: The current time, in ms.
        before_ms: The time they are due before, in ms.

    Returns:
        The cards.
    """
    where, params = _in_deck(cards, deck_id)
    rows = store.conn.execute(
        "SELECT id, card_id, (? - last_review_ms) / stability FROM cards WHERE phase = 2 AND due_ms < ?"
        f" AND {where} ORDER BY 3 DESC",
        [now_ms, before_ms, *params],
    )
    return rows


def new_cards(store: Store, cards: CardFilter, deck_id: str, *, in_order: bool = True) -> Iterator[NewRow]:
    """The new cards of a filter in one deck, read as they are used.

    Args:
        store: The learner's database.
        cards: Which cards (its decks are not tested: ``deck_id`` is).
        deck_id: The deck.
        in_order: In deck order; False reads them in index order, which
            needs no sort of the deck's new cards (enough for counting them).

    Returns:
        The cards.
    """
    where, params = _in_deck(cards, deck_id)
    order = " ORDER BY position" if in_order else ""
    rows = store.conn.execute(f"SELECT id, card_id FROM cards WHERE phase = 0 AND {where}{order}", params)
    return rows


def _in_deck(cards: CardFilter, deck_id: str) -> tuple[str, list[object]]:
    # One deck id tested per row, not each of the filter's decks: the queue reads deck by deck (their own limits).
    others, params = replace(cards, decks=()).where()
    return f"deck_id = ? AND {others}", [deck_id, *params]
