"""Which cards: one filter over the ``cards`` table, rendered to SQL in one place.

A ``CardFilter`` names decks, tags, card ids, sides and states; every field
given narrows the cards (the fields combine with AND), and within a field
any value matches (OR): ``CardFilter(tags=("a", "b"), card_ids=(("d", "x"),))``
is card ``d/x`` if it has tag ``a`` or ``b``. Its ``search`` narrows them
further by a browser search: terms combined with ``AllOf``, ``AnyOf`` and
``Not`` (``browse`` parses them). Retired cards never match.
Values are passed as SQL parameters, so card text and tags such as ``%``,
``_`` or ``[@click=app.quit]`` match literally.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from immunoquiz.core.store import Store

CardState = Literal["new", "learning", "review", "due", "suspended", "leech", "buried"]
CARD_STATES: tuple[CardState, ...] = get_args(CardState)

_STATE_SQL: dict[CardState, str] = {
    "new": "({a}.phase = 0 AND {a}.suspended = 0)",
    "learning": "{a}.phase IN (1, 3)",
    "review": "{a}.phase = 2",
    "due": "{a}.id IN (SELECT value FROM json_each(?))",
    "suspended": "{a}.suspended = 1",
    "leech": "{a}.leech = 1",
    "buried": "{a}.buried_until > ?",
}


TermKind = Literal["text", "deck", "card", "tag", "state"]


@dataclass(frozen=True, slots=True)
class Term:
    """One search term.

    Attributes:
        kind: ``text`` (in the card's text, quote, explanation or id, case-insensitively),
            ``deck`` (its deck id), ``card`` (its card id, exactly), ``tag`` or
            ``state`` (a ``CardState``).
        value: What it matches.
    """

    kind: TermKind
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    """The cards a search does not match."""

    search: Search


@dataclass(frozen=True, slots=True)
class AllOf:
    """The cards every one of some searches matches."""

    searches: tuple[Search, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """The cards one or more of some searches match."""

    searches: tuple[Search, ...]


Search = Term | Not | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class CardFilter:
    """A set of active cards.

    Attributes:
        decks: Any of these deck ids; empty for every deck in the database.
        tags: Cards with any of these tags; empty for all.
        card_ids: Any of these (deck id, card id) pairs; empty for all.
        siblings: Any of these (deck id, card id, sibling) sides; empty for all.
        states: Any of these states; empty for all. ``new`` is a new card not
            suspended; ``learning`` covers relearning; ``due`` is a card in
            today's queue as learning or review (``queued`` holds their row ids,
            from ``queue.gather``).
        queued: The row ids the state ``due`` stands for.
        buried_on: The study day the state ``buried`` means buried on (until a later day).
        unsuspended: Leave suspended cards out.
        unburied_on: Leave out cards buried on this study day.
        due_before_ms: Only cards already scheduled (not new) and due before this time.
        search: Only cards a browser search matches (its ``due`` and ``buried``
            states read ``queued`` and ``buried_on``).
    """

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    card_ids: tuple[tuple[str, str], ...] = ()
    siblings: tuple[tuple[str, str, int], ...] = ()
    states: tuple[CardState, ...] = ()
    queued: tuple[int, ...] = ()
    buried_on: int = 0
    unsuspended: bool = False
    unburied_on: int | None = None
    due_before_ms: int | None = None
    search: Search | None = None

    def where(self, alias: str = "cards") -> tuple[str, list[object]]:
        """The SQL condition on a ``cards`` row (named ``alias``) and its parameters."""
        a = alias
        parts = [f"{a}.retired = 0"]
        params: list[object] = []
        if self.decks:
            parts.append(f"{a}.deck_id IN ({_marks(self.decks)})")
            params += self.decks
        if self.unsuspended:
            parts.append(f"{a}.suspended = 0")
        if self.unburied_on is not None:
            parts.append(f"{a}.buried_until <= ?")
            params.append(self.unburied_on)
        if self.due_before_ms is not None:
            parts.append(f"{a}.phase != 0 AND {a}.due_ms < ?")
            params.append(self.due_before_ms)
        if self.tags:
            parts.append(
                f"EXISTS (SELECT 1 FROM notes n, json_each(n.tags) t WHERE n.deck_id = {a}.deck_id"
                f" AND n.card_id = {a}.card_id AND t.value IN ({_marks(self.tags)}))"
            )
            params += self.tags
        if self.card_ids:
            parts.append("(" + " OR ".join(f"({a}.deck_id = ? AND {a}.card_id = ?)" for _ in self.card_ids) + ")")
            params += [part for pair in self.card_ids for part in pair]
        if self.siblings:
            sides = " OR ".join(f"({a}.deck_id = ? AND {a}.card_id = ? AND {a}.sibling = ?)" for _ in self.siblings)
            parts.append(f"({sides})")
            params += [part for side in self.siblings for part in side]
        if self.states:
            states = tuple(dict.fromkeys(self.states))
            parts.append("(" + " OR ".join(_STATE_SQL[state].format(a=a) for state in states) + ")")
            for state in states:  # in the order of their placeholders
                if state == "due":
                    params.append(json.dumps(list(self.queued)))
                elif state == "buried":
                    params.append(self.buried_on)
        if self.search is not None:
            parts.append(self._search_sql(self.search, a, params))
        return " AND ".join(parts), params

    def _search_sql(self, search: Search, a: str, params: list[object]) -> str:
        """A search as an SQL condition on ``a``, its parameters appended to ``params`` in order."""
        if isinstance(search, Not):
            return f"NOT ({self._search_sql(search.search, a, params)})"
        if isinstance(search, AllOf | AnyOf):
            joiner = " AND " if isinstance(search, AllOf) else " OR "
            return "(" + joiner.join(self._search_sql(part, a, params) for part in search.searches) + ")"
        value = search.value
        if search.kind == "text":
            params.append(_like_pattern(value))
            # One parameter per word, bound once and compared with every text of the card (never NULL: EXISTS).
            return (
                f"EXISTS (SELECT 1 FROM notes sn, (SELECT ? AS pattern) w WHERE sn.deck_id = {a}.deck_id"
                f" AND sn.card_id = {a}.card_id AND (EXISTS (SELECT 1 FROM json_tree(sn.body) j"
                " WHERE j.type = 'text' AND j.value LIKE w.pattern ESCAPE '\\')"
                " OR sn.quote LIKE w.pattern ESCAPE '\\' OR coalesce(sn.explain, '') LIKE w.pattern ESCAPE '\\'"
                " OR sn.card_id LIKE w.pattern ESCAPE '\\'))"
            )
        if search.kind == "tag":
            params.append(value)
            return (
                f"EXISTS (SELECT 1 FROM notes n, json_each(n.tags) t WHERE n.deck_id = {a}.deck_id"
                f" AND n.card_id = {a}.card_id AND t.value = ?)"
            )
        if search.kind in ("deck", "card"):
            params.append(value)
            return f"{a}.{search.kind}_id = ?"
        state: CardState = value  # type: ignore[assignment]  # browse only makes states of CARD_STATES
        if state == "due":
            params.append(json.dumps(list(self.queued)))
        elif state == "buried":
            params.append(self.buried_on)
        return _STATE_SQL[state].format(a=a)


def _like_pattern(word: str) -> str:
    """A LIKE pattern for a word anywhere in a text, its ``%``, ``_`` and ``\\`` literal (``ESCAPE '\\'``)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def all_tags(store: Store, decks: Sequence[str] | None = None) -> list[str]:
    """Every tag of an active card of some decks, sorted.

    Args:
        store: The learner's database.
        decks: Deck ids; None for every deck of this run.

    Returns:
        The tags.
    """
    chosen = tuple(store.active_decks if decks is None else decks)
    if not chosen:
        return []
    where, params = CardFilter(chosen).where("c")
    rows = store.conn.execute(
        "SELECT DISTINCT t.value FROM notes n, json_each(n.tags) t WHERE EXISTS (SELECT 1 FROM cards c"
        f" WHERE c.deck_id = n.deck_id AND c.card_id = n.card_id AND {where}) ORDER BY 1",
        params,
    )
    return [tag for (tag,) in rows]


def card_ids(store: Store, cards: CardFilter) -> list[int]:
    """The row ids of the cards of a filter, by deck and position in the deck."""
    where, params = cards.where()
    return [
        rowid
        for (rowid,) in store.conn.execute(f"SELECT id FROM cards WHERE {where} ORDER BY deck_id, position", params)
    ]


def next_due_ms(store: Store, cards: CardFilter) -> int | None:
    """When the first card of a filter is due, in ms; None when none has a due time (new cards have none)."""
    where, params = cards.where()
    row = store.conn.execute(f"SELECT min(due_ms) FROM cards WHERE {where}", params).fetchone()
    return None if row is None or row[0] is None else int(row[0])
