"""Finding cards for the browser: a small search language, and a card found as plain data or lines.

Queries follow Anki's browser search: free words match the card's text,
quote, explanation or id; ``deck:ID``, ``card:ID`` (exactly that card id),
``tag:NAME`` and ``is:new|due|leech|suspended|buried`` match what they say;
a "quoted phrase" is one term. Terms side by side must all match (an
implicit AND, or ``and``); ``a or b`` matches either (``or`` in any case, as
in Anki); AND binds tighter than OR, so ``a b or c`` is ``(a and b) or c``;
``-term`` and ``-(group)`` exclude what they match; parentheses group.
Everything here is pure functions over a ``Store`` (no Textual), so the app
and tests share it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Literal, NamedTuple, get_args

from immunoquiz.core.card_query import search_cards
from immunoquiz.core.clock import from_ms
from immunoquiz.core.model import Card
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.present import present
from immunoquiz.core.query import AllOf, AnyOf, CardFilter, Not, Search, Term
from immunoquiz.core.queue import gather
from immunoquiz.core.review_query import HistoryEntry
from immunoquiz.core.schedule import Phase, Rating
from immunoquiz.core.store import CardRow, Store
from immunoquiz.core.studyday import DayRule

CardStateFilter = Literal["new", "due", "leech", "suspended", "buried"]
STATES: tuple[CardStateFilter, ...] = get_args(CardStateFilter)
RESULT_LIMIT = 500
MAX_TERMS = 100
"""The most terms a query may hold (each is a condition in one SQL statement)."""
MAX_DEPTH = 20
"""How deeply groups and negations may nest."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed browser query.

    Attributes:
        search: What the cards must match; None for every card.
        errors: Terms that could not be understood (such as ``is:soon``),
            left out of ``search``, for a message.
        syntax: Why the query cannot be read, with its column and the fix
            (unbalanced parentheses, a dangling ``OR`` or ``-``); nothing is
            found then.
    """

    search: Search | None = None
    errors: tuple[str, ...] = ()
    syntax: str | None = None

    def terms(self) -> Iterator[Term]:
        """Every term of the search, negated or not."""
        pending: list[Search] = [] if self.search is None else [self.search]
        while pending:
            search = pending.pop()
            if isinstance(search, Term):
                yield search
            elif isinstance(search, Not):
                pending.append(search.search)
            else:
                pending.extend(reversed(search.searches))


class _Token(NamedTuple):
    """A piece of a query: ``(``, ``)``, ``-``, ``or``, ``and`` or a term (``key:value``, key optional)."""

    kind: Literal["(", ")", "-", "or", "and", "term"]
    column: int
    text: str
    key: str = ""
    value: str = ""


def _tokens(text: str) -> Iterator[_Token]:
    """The pieces of a query, left to right, in one pass (no backtracking on any input)."""
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        start = i
        if char in "()-":
            i += 1
            yield _Token(char, start + 1, char)  # type: ignore[arg-type]  # one of the three
            continue
        key = ""
        j = i
        while j < end and text[j].isascii() and text[j].isalpha():
            j += 1
        if j > i and j < end and text[j] == ":":
            key, i = text[i:j].lower(), j + 1
        if i < end and text[i] == '"':
            # A "quoted phrase" runs to the next quote, or to the end when it has none.
            close = text.find('"', i + 1)
            close = end if close < 0 else close
            value, i = text[i + 1 : close], min(close + 1, end)
            yield _Token("term", start + 1, text[start:i], key, value)
            continue
        # A word runs to a space or a `)`, which closes a group (as in Anki).
        while i < end and not text[i].isspace() and text[i] != ")":
            i += 1
        word = text[start:i]
        if not key and word.lower() in ("or", "and"):
            yield _Token(word.lower(), start + 1, word)  # type: ignore[arg-type]  # or / and
        else:
            yield _Token("term", start + 1, word, key, word[len(key) + 1 :] if key else word)


class _Unreadable(Exception):
    """A query that cannot be read: the message says where and how to fix it."""


class _Parser:
    """Anki's grammar: ``any := all (OR all)*``, ``all := unary ([AND] unary)*``, ``unary := -unary | (any) | term``.

    A term not understood becomes None, which its AND or OR leaves out.
    """

    def __init__(self, text: str) -> None:
        self.tokens = list(_tokens(text))
        self.position = 0
        self.terms = 0
        self.errors: list[str] = []

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Search | None:
        search = self.any_of(0)
        stray = self.peek()
        if stray is not None:  # only a `)` ends a group early
            raise _Unreadable(
                f"`)` at column {stray.column} closes no group: remove it, or put `(` before the terms it closes"
            )
        return search

    def needs_term_after(self, token: _Token) -> None:
        following = self.peek()
        if following is None or following.kind in (")", "or", "and"):
            raise _Unreadable(
                f"`{token.text}` at column {token.column} has no term after it: put one there, or remove it"
                + (f' (write "{token.text}" to search for the word)' if token.kind != "-" else "")
            )

    def any_of(self, depth: int) -> Search | None:
        parts = [self.all_of(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            self.needs_term_after(token)
            parts.append(self.all_of(depth))
        return _combine(AnyOf, parts)

    def all_of(self, depth: int) -> Search | None:
        parts: list[Search | None] = []
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                if not parts:
                    break
                self.take()
                self.needs_term_after(token)
                continue
            parts.append(self.unary(depth))
        if not parts and token is not None and token.kind in ("or", "and"):
            raise _Unreadable(
                f"`{token.text}` at column {token.column} has no term before it: put one there, or remove it"
                f' (write "{token.text}" to search for the word)'
            )
        return _combine(AllOf, parts)

    def unary(self, depth: int) -> Search | None:
        token = self.take()
        if token.kind in ("-", "(") and depth >= MAX_DEPTH:
            raise _Unreadable(
                f"`{token.text}` at column {token.column} nests more than {MAX_DEPTH} deep: simplify the query"
            )
        if token.kind == "-":
            following = self.peek()
            # The term it excludes follows it at once, as in `-tag:x`: a dash before a space excludes nothing.
            if following is None or following.kind in (")", "or", "and") or following.column != token.column + 1:
                raise _Unreadable(
                    f"`-` at column {token.column} excludes nothing: put the term right after it (`-tag:x`),"
                    ' or write "-" to search for a dash'
                )
            inner = self.unary(depth + 1)
            return None if inner is None else Not(inner)
        if token.kind == "(":
            following = self.peek()
            if following is not None and following.kind == ")":
                raise _Unreadable(f"`()` at column {token.column} is empty: put terms inside, or remove it")
            inner = self.any_of(depth + 1)
            if self.peek() is None:
                raise _Unreadable(
                    f"`(` at column {token.column} is never closed: put `)` after the terms it groups, or remove it"
                )
            self.take()  # its `)`
            return inner
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise _Unreadable(f"more than {MAX_TERMS} terms (from column {token.column}): search with fewer")
        return self.term(token)

    def term(self, token: _Token) -> Search | None:
        key, value = token.key, token.value
        if key in ("deck", "card", "tag") and value:
            return Term(key, value)  # type: ignore[arg-type]  # one of the three
        if key == "is":
            if value.lower() in STATES:
                return Term("state", value.lower())
            self.errors.append(token.text)
            return None
        if key:
            return Term("text", f"{key}:{value}")
        return Term("text", value) if value else None


def _combine(kind: type[AllOf] | type[AnyOf], parts: Sequence[Search | None]) -> Search | None:
    kept = tuple(part for part in parts if part is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(kept)


def parse_query(text: str) -> Query:
    """Parse a browser query as Anki reads it (see the module's docstring).

    Args:
        text: The query as typed.

    Returns:
        The query; terms it could not understand are in ``errors``, and a
        query that cannot be read at all has the reason in ``syntax``.
    """
    parser = _Parser(text)
    try:
        search = parser.parse()
    except _Unreadable as unreadable:
        return Query(errors=tuple(parser.errors), syntax=str(unreadable))
    return Query(search, tuple(parser.errors))


NOT_UNDERSTOOD_HINT = "is: takes new, due, leech, suspended or buried"


def query_problems(query: Query, deck_ids: Sequence[str]) -> list[str]:
    """What the browser and ``browse`` say about a query instead of finding nothing in silence.

    Args:
        query: The parsed query.
        deck_ids: The decks of this run.

    Returns:
        One line per problem: why the query cannot be read, parts not
        understood, and decks that do not exist.
    """
    problems = []
    if query.syntax is not None:
        problems.append(f"not understood: {query.syntax}")
    if query.errors:
        problems.append(f"not understood: {' '.join(query.errors)} ({NOT_UNDERSTOOD_HINT})")
    named = dict.fromkeys(term.value for term in query.terms() if term.kind == "deck")
    problems += [f"deck:{d}: no such deck (decks: {', '.join(deck_ids)})" for d in named if d not in deck_ids]
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
    decks = tuple(store.active_decks)
    if query.syntax is not None or not decks:
        return SearchResult()
    queued: tuple[int, ...] = ()
    if Term("state", "due") in query.terms():
        queued = gather(store, CardFilter(decks), now, day_rule, options).due_ids
    cards = CardFilter(decks, queued=queued, buried_on=day_rule.day_of(now), search=query.search)
    matches = search_cards(store, cards, limit)
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
        "quotes": list(card.quotes),
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
