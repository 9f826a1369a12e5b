"""Finding cards for the browser: a small search language, and a card found as plain data or lines.

Queries follow Anki's browser: free words match the card's text, quote,
explanation or id; ``deck:ID``, ``card:ID`` (exactly that card id),
``tag:NAME`` and ``is:new|due|leech|suspended|buried`` narrow the result;
a "quoted phrase" is one term.
Everything here is pure functions over a ``Store`` (no Textual), so the app
and tests share it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Literal, get_args

from immunoquiz.core.card_query import search_cards
from immunoquiz.core.clock import from_ms
from immunoquiz.core.model import Card
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.present import present
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import gather
from immunoquiz.core.review_query import HistoryEntry
from immunoquiz.core.schedule import Phase, Rating
from immunoquiz.core.store import CardRow, Store
from immunoquiz.core.studyday import DayRule

CardStateFilter = Literal["new", "due", "leech", "suspended", "buried"]
STATES: tuple[CardStateFilter, ...] = get_args(CardStateFilter)
RESULT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed browser query.

    Attributes:
        words: Free words; every one must appear (case-insensitive).
        decks: Deck ids; any of them.
        cards: Card ids, matched exactly; any of them.
        tags: Tags; any of them.
        states: States; any of them.
        errors: Parts that could not be understood, for a message.
    """

    words: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    states: tuple[CardStateFilter, ...] = ()
    errors: tuple[str, ...] = ()
    cards: tuple[str, ...] = ()


# A term: an optional `-`, an optional `key:`, then a "quoted phrase" or a word.
_TERM = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')


def parse_query(text: str) -> Query:
    """Parse ``deck:ID card:ID tag:NAME is:STATE words "a phrase"``, as Anki's browser reads them.

    Every term must hold; a "quoted phrase" is one term. Negation (``-tag:x``)
    and ``OR`` are not supported yet: they are reported in ``errors`` rather
    than matching nothing in silence.

    Args:
        text: The query as typed.

    Returns:
        The query; the parts it could not understand are in ``errors``.
    """
    words: list[str] = []
    decks: list[str] = []
    cards: list[str] = []
    tags: list[str] = []
    states: list[CardStateFilter] = []
    errors: list[str] = []
    for match in _TERM.finditer(text):
        negated, key, phrase, word = match.groups()
        value = phrase if phrase is not None else word or ""
        part = match.group()
        key = (key or "").lower()
        if negated or (value.upper() == "OR" and not key and phrase is None) or value.startswith("("):
            errors.append(part)
        elif key == "deck" and value:
            decks.append(value)
        elif key == "card" and value:
            cards.append(value)
        elif key == "tag" and value:
            tags.append(value)
        elif key == "is":
            if value.lower() in STATES:
                states.append(value.lower())  # type: ignore[arg-type]  # one of STATES
            else:
                errors.append(part)
        elif key:
            words.append(f"{key}:{value}")
        elif value:
            words.append(value)
    return Query(tuple(words), tuple(decks), tuple(tags), tuple(states), tuple(errors), tuple(cards))


NOT_UNDERSTOOD_HINT = (
    "is: takes new, due, leech, suspended or buried; -term and OR are not supported yet, so search for one term"
)


def query_problems(query: Query, deck_ids: Sequence[str]) -> list[str]:
    """What the browser and ``browse`` say about a query instead of finding nothing in silence.

    Args:
        query: The parsed query.
        deck_ids: The decks of this run.

    Returns:
        One line per problem: parts not understood, and decks that do not exist.
    """
    problems = []
    if query.errors:
        problems.append(f"not understood: {' '.join(query.errors)} ({NOT_UNDERSTOOD_HINT})")
    problems += [f"deck:{d}: no such deck (decks: {', '.join(deck_ids)})" for d in query.decks if d not in deck_ids]
    return problems


@dataclass(frozen=True, slots=True)
class Found:
    """One card of a search result.

    Attributes:
        row: The stored card and its schedule.
        card: The deck card behind it.
        question: What the learner is asked (choice options in deck order).
        state: ``new``, ``learning``, ``review``, ``relearning``, plus
            ``suspended`` / ``leech`` marks, such as ``review, leech``.
        due: When it is next due (None for new cards).
    """

    row: CardRow
    card: Card
    question: str
    state: str
    due: datetime | None


@dataclass
class SearchResult:
    """The cards found (at most ``RESULT_LIMIT``) and how many matched in all."""

    found: list[Found] = field(default_factory=list)
    total: int = 0


def state_label(row: CardRow) -> str:
    """A card's phase with its suspended and leech marks, such as ``review, suspended``."""
    parts = [Phase(row.state.phase).name.lower()]
    if row.suspended:
        parts.append("suspended")
    if row.leech:
        parts.append("leech")
    return ", ".join(parts)


def search(
    store: Store,
    query: Query,
    now: datetime,
    day_rule: DayRule = DayRule(),
    limit: int = RESULT_LIMIT,
    *,
    options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
) -> SearchResult:
    """Find the active cards of this run's decks matching a query, in deck order.

    ``is:due`` means in today's study queue as a learning or review card
    (``queue.gather``: within the daily limits, one side of a card a day, not
    suspended or buried), so it agrees with the counts the other screens show.

    Args:
        store: The learner's database.
        query: The parsed query.
        now: The current time.
        day_rule: Where study days begin.
        limit: At most this many cards are returned (``total`` counts them all).
        options: The decks' options, whose daily limits bound ``is:due``.

    Returns:
        The cards found.
    """
    decks = tuple(d for d in store.active_decks if not query.decks or d in query.decks)
    if not decks:
        return SearchResult()
    queued: tuple[int, ...] = ()
    if "due" in query.states:
        queued = gather(store, CardFilter(decks), now, day_rule, options).due_ids
    cards = CardFilter(
        decks,
        query.tags,
        card_ids=tuple((deck, card) for card in query.cards for deck in decks),
        states=query.states,
        queued=queued,
        buried_on=day_rule.day_of(now),
    )
    matches = search_cards(store, cards, query.words, limit)
    # Choice options are not shown in the list, so a fixed seed is enough here.
    rng = random.Random(0)
    found = []
    for row, card in matches.cards:
        due = from_ms(row.state.due_ms) if row.state.due_ms is not None and row.state.phase != Phase.NEW else None
        found.append(Found(row, card, present(card, row.sibling, rng).text, state_label(row), due))
    return SearchResult(found, matches.total)


def describe_found(found: Found, tz: tzinfo | None, log: Sequence[HistoryEntry] | None = None) -> dict[str, Any]:
    """A card found, as plain data (``immunoquiz browse --json``).

    Args:
        found: The card.
        tz: The zone of the times shown (None: the machine's).
        log: Its answers, when wanted.
    """
    row, card = found.row, found.card
    data: dict[str, Any] = {
        "deck": row.deck_id,
        "card": row.card_id,
        "sibling": row.sibling,
        "type": card.type,
        "tags": list(card.tags),
        "state": found.state,
        "due": None if found.due is None else found.due.astimezone(tz).isoformat(timespec="minutes"),
        "reviews": row.state.reps,
        "lapses": row.state.lapses,
        "question": found.question,
        "answer": present(card, row.sibling, random.Random(0)).expected,
        "quote": card.quote,
    }
    if log is not None:
        data["history"] = [
            {
                "time": entry.time.astimezone(tz).isoformat(timespec="seconds"),
                "mode": entry.mode,
                "rating": entry.rating,
                "answer": entry.answer,
                "correct": entry.correct,
            }
            for entry in log
        ]
    return data


def format_found(found: Found, tz: tzinfo | None, log: Sequence[HistoryEntry] | None = None) -> str:
    """A card found, in a few plain lines (``immunoquiz browse``): what a screen reader reads out."""
    data = describe_found(found, tz, log)
    sibling = f" #{data['sibling']}" if data["sibling"] else ""
    due = "" if data["due"] is None else f" · due {data['due'].replace('T', ' ')[:16]}"
    lines = [
        f"{data['deck']}/{data['card']}{sibling} · {data['type']} · {data['state']}{due}"
        f" · {data['reviews']} reviews, {data['lapses']} lapses",
        f"  Q: {data['question']}",
        f"  A: {data['answer']}",
    ]
    for entry in data.get("history", []):
        verdict = {True: "right", False: "wrong", None: "self-graded"}[entry["correct"]]
        given = f" · answered {entry['answer']}" if entry["answer"] else ""
        lines.append(
            f"  {entry['time'].replace('T', ' ')[:16]} {entry['mode']} "
            f"{Rating(entry['rating']).label} · {verdict}{given}"
        )
    return "\n".join(lines)
