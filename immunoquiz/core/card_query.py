"""Reads of cards and their notes: the queue's rows, counts by state, the browser's search, a deck's cards.

A quiz lists its cards and reads its distractor pool from light rows
(``listed_notes``, ``StoredAnswers``): only the cards drawn are decoded.

Which cards is always a ``CardFilter`` (``query``), so its rules are
rendered in one place. Values are bound as SQL parameters, never formatted
into the SQL, so tags and words such as ``%``, ``_`` or ``[@click=app.quit]``
match literally.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from immunoquiz.core.distractors import Answers, Offered
from immunoquiz.core.model import Card, split_quotes
from immunoquiz.core.query import CardFilter
from immunoquiz.core.store import CARD_AND_NOTE_COLUMNS, CardRow, DamagedValue, Store, card_and_note


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
    others, params = _without_decks(cards)
    return f"deck_id = ? AND {others}", [deck_id, *params]


@lru_cache(maxsize=32)
def _without_decks(cards: CardFilter) -> tuple[str, tuple[object, ...]]:
    """The filter's condition but its decks, rendered once for the queue's deck-by-deck reads."""
    where, params = replace(cards, decks=()).where()
    return where, tuple(params)


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards by state; the suspended ones are counted only as suspended."""

    total: int = 0
    new: int = 0
    learning: int = 0
    review: int = 0
    suspended: int = 0


def state_counts(store: Store, cards: CardFilter) -> dict[str, CardCounts]:
    """The cards of a filter by state, per deck.

    Args:
        store: The learner's database.
        cards: Which cards.

    Returns:
        The counts by deck id (decks without cards left out).
    """
    where, params = cards.where()
    rows = store.conn.execute(
        f"""SELECT deck_id, count(*),
                   sum(phase = 0 AND NOT suspended), sum(phase IN (1, 3) AND NOT suspended),
                   sum(phase = 2 AND NOT suspended), sum(suspended)
            FROM cards WHERE {where} GROUP BY deck_id""",
        params,
    )
    return {deck_id: CardCounts(*counts) for deck_id, *counts in rows}


def due_before(store: Store, cards: CardFilter, bounds: Sequence[int]) -> list[int]:
    """How many scheduled (not new) cards of a filter, not suspended, are due before each of some times.

    Args:
        store: The learner's database.
        cards: Which cards.
        bounds: The times, in ms (at least one).

    Returns:
        One count per time, each counting every card due before it.
    """
    where, params = replace(cards, unsuspended=True).where("c")
    # The due times sorted once and each bound bisected: cheaper than one comparison per card and bound.
    rows = store.conn.execute(
        f"SELECT c.due_ms FROM cards c WHERE {where} AND c.phase != 0 AND c.due_ms < ?", [*params, max(bounds)]
    )
    due = sorted(due_ms for (due_ms,) in rows)
    return [bisect_left(due, bound) for bound in bounds]


@dataclass(frozen=True, slots=True)
class Matches:
    """The cards a search found.

    Attributes:
        cards: The first of them, in deck order, each with its deck card.
        total: How many matched in all.
    """

    cards: tuple[tuple[CardRow, Card], ...]
    total: int


def search_cards(store: Store, cards: CardFilter, limit: int) -> Matches:
    """The cards of a filter (its ``search`` the browser's query), in deck order, with their deck cards.

    Args:
        store: The learner's database.
        cards: Which cards.
        limit: At most this many cards are returned (``total`` counts them all).

    Returns:
        The cards found.
    """
    where, params = cards.where("c")
    base = f"FROM cards c JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id WHERE {where}"
    total = store.conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT {CARD_AND_NOTE_COLUMNS} {base} ORDER BY c.deck_id, c.position LIMIT ?", [*params, limit]
    )
    return Matches(tuple(map(card_and_note, rows)), int(total))


class ListedNote(NamedTuple):
    """A deck card as a quiz's draw lists it, without its body.

    Attributes:
        deck_id: Its deck.
        card_id: Its id (``Store.note`` reads it whole).
        tags: Which of the tags the listing asked for it has: all the draw
            balances across (none when it asked for none).
    """

    deck_id: str
    card_id: str
    tags: tuple[str, ...]


def listed_notes(store: Store, deck_id: str, tags: Sequence[str] = ()) -> list[ListedNote]:
    """The deck cards of one deck that have an active card, in deck order, without their bodies.

    Args:
        store: The learner's database.
        deck_id: The deck.
        tags: Only deck cards with any of these tags; empty for all.

    Returns:
        The deck cards, as last synced.
    """
    active, params = CardFilter((deck_id,), tuple(tags)).where("c")
    rows = store.conn.execute(
        f"SELECT card_id{', tags' if tags else ''} FROM notes n WHERE deck_id = ?"
        " AND EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = n.deck_id AND c.card_id = n.card_id"
        f" AND {active}) ORDER BY position",
        (deck_id, *params),
    )
    if not tags:
        # The tags are read only when the draw balances across them: 100,000 cards list faster without.
        return [ListedNote(deck_id, card_id, ()) for (card_id,) in rows]
    asked = frozenset(tags)
    listed = []
    for card_id, own in rows:
        try:
            listed.append(ListedNote(deck_id, card_id, tuple(tag for tag in json.loads(own) if tag in asked)))
        except ValueError as exc:
            raise DamagedValue("notes", f"{deck_id}/{card_id}", exc) from None
    return listed


class StoredAnswers(Answers):
    """The answers a quiz's distractor pool offers, read from the notes' pool columns as a search reaches them.

    The pool is ``listed_notes`` of each deck in turn, with what each offers
    stored at sync (``distractors.offered_answers``): no body is decoded.

    Args:
        store: A synced store.
        decks: The pool's decks, in pool order.
    """

    def __init__(self, store: Store, decks: Sequence[str]) -> None:
        self.store = store
        self.decks = tuple(decks)

    def of_kind(self, kind: str, tag: str | None = None) -> Iterator[Offered]:
        tagged = "" if tag is None else " AND EXISTS (SELECT 1 FROM json_each(n.tags) t WHERE t.value = ?)"
        for deck_id in self.decks:
            active, params = CardFilter((deck_id,)).where("c")
            rows = self.store.conn.execute(
                f"SELECT card_id, quote, pool_answers FROM notes n WHERE deck_id = ? AND pool_kind = ?{tagged}"
                " AND EXISTS (SELECT 1 FROM cards c WHERE c.deck_id = n.deck_id AND c.card_id = n.card_id"
                f" AND {active}) ORDER BY position",
                (deck_id, kind, *(() if tag is None else (tag,)), *params),
            )
            for card_id, quote, answers in rows:
                try:
                    texts = json.loads(answers)
                except ValueError as exc:
                    raise DamagedValue("notes", f"{deck_id}/{card_id}", exc) from None
                passages = split_quotes(quote)
                for text in texts:
                    yield deck_id, card_id, passages, text
