"""Immutable deck and card objects.

A deck file holds cards; a card yields one or more *siblings*, the things a
learner is actually shown: a basic card with ``reverse: true`` has siblings 0
(front to back) and 1 (back to front), a cloze card has one sibling per
deletion number. Review history is keyed by (deck id, card id, sibling), so
editing a card's text never loses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Literal, TypeAlias

NO_SOURCE = "no source"
"""Shown where a quote would be, for a card of an unsourced deck."""


def join_quotes(quotes: tuple[str, ...]) -> str:
    """A card's passages as one text, one a line: how it is stored, searched and exported.

    The reader folds every line break inside a passage (see ``reader``), so
    ``split_quotes`` gives the passages back.
    """
    return "\n".join(quotes)


def split_quotes(text: str) -> tuple[str, ...]:
    """The passages of a quote joined by ``join_quotes`` (none for an empty text)."""
    return tuple(text.split("\n")) if text else ()


CardType: TypeAlias = Literal["basic", "cloze", "choice", "typed", "numeric", "ordering"]
CARD_TYPES: tuple[CardType, ...] = ("basic", "cloze", "choice", "typed", "numeric", "ordering")


@dataclass(frozen=True, slots=True)
class Basic:
    """A self-graded card: front, back and optionally its reverse."""

    front: str
    back: str
    reverse: bool = False


@dataclass(frozen=True, slots=True)
class ClozeDeletion:
    """One ``{{cN::answer::hint}}`` deletion inside a cloze text."""

    number: int
    answer: str
    hint: str | None
    start: int
    end: int


_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def parse_cloze(text: str) -> tuple[ClozeDeletion, ...]:
    """Find the deletions of a cloze text, in order of appearance.

    Args:
        text: The cloze text with ``{{c1::...}}`` deletions.

    Returns:
        The deletions found (possibly none).
    """
    return tuple(
        ClozeDeletion(int(m.group(1)), m.group(2), m.group(3), m.start(), m.end()) for m in _CLOZE.finditer(text)
    )


def alternatives(answer: str) -> tuple[str, ...]:
    """The accepted texts of one deletion: ``paused|held|withheld`` is three, the first shown."""
    return tuple(part.strip() for part in answer.split("|"))


@dataclass(frozen=True, slots=True)
class Cloze:
    """A cloze card; each deletion number is its own sibling.

    ``near_miss`` False: a misspelt answer is plain wrong, never "almost".
    """

    text: str
    near_miss: bool = True

    @property
    def deletions(self) -> tuple[ClozeDeletion, ...]:
        """The deletions of the text."""
        return parse_cloze(self.text)

    def prompt(self, number: int) -> str:
        """The text with deletion ``number`` hidden and the others shown.

        Args:
            number: The deletion number being asked.

        Returns:
            The prompt, with ``[...]`` or ``[hint]`` in place of the deletion.
        """
        return _CLOZE.sub(
            lambda m: (
                (f"[{m.group(3)}]" if m.group(3) else "[...]")
                if int(m.group(1)) == number
                else alternatives(m.group(2))[0]
            ),
            self.text,
        )

    def answers(self, number: int) -> tuple[str, ...]:
        """The hidden texts of deletion ``number``, in order.

        Args:
            number: The deletion number.

        Returns:
            One answer per occurrence of ``{{cN::...}}``, alternatives
            still joined by ``|`` (see ``alternatives``).
        """
        return tuple(d.answer for d in self.deletions if d.number == number)


@dataclass(frozen=True, slots=True)
class Choice:
    """Multiple choice; several answers make it a multi-answer question.

    ``distractors`` holds the explicit wrong options, or, with
    ``distractors_from``, those drawn from other cards' answers with that tag
    (resolved when the deck is read).
    """

    question: str
    answers: tuple[str, ...]
    distractors: tuple[str, ...]
    distractors_from: str | None = None


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed answer with accepted alternatives (brand names, say).

    ``near_miss`` False: a misspelt answer is plain wrong, never "almost".
    """

    question: str
    answer: str
    accept: tuple[str, ...] = ()
    near_miss: bool = True


Bound: TypeAlias = Literal["above", "below"]


def _grouped(value: Decimal) -> str:
    """``618,000`` for 618000: thousands grouped from five digits on (a year stays ``2025``)."""
    return f"{value:,}" if abs(value) >= 10000 else str(value)


@dataclass(frozen=True, slots=True)
class Numeric:
    """A number within a tolerance, with an optional unit such as ``%``.

    Attributes:
        question: The question.
        value: The number; a range's low end; a bound's number.
        tolerance: How far off an answer may be (each end of a range).
        unit: The unit, a spelling in ``text.UNITS`` or a scale word (``million``).
        high: A range's high end (``value: [20, 30]``); None for one number.
        bound: ``above`` (the fact is "over 618,000") or ``below``; None for an exact figure.
    """

    question: str
    value: Decimal
    tolerance: Decimal = Decimal(0)
    unit: str = ""
    high: Decimal | None = None
    bound: Bound | None = None

    @property
    def display(self) -> str:
        """The expected answer as shown to the learner: ``59.8%``, ``20–30%``, ``> 618,000``, ``24 h``."""
        joiner = "" if self.unit in ("", "%") else " "
        if self.high is not None:
            figure = f"{_grouped(self.value)}\u2013{_grouped(self.high)}"
        elif self.bound is not None:
            figure = (">" if self.bound == "above" else "<") + f" {_grouped(self.value)}"
        else:
            figure = str(self.value)
        return f"{figure}{joiner}{self.unit}"


@dataclass(frozen=True, slots=True)
class Ordering:
    """Items to put in order; ``items`` is the correct order."""

    question: str
    items: tuple[str, ...]


Body: TypeAlias = Basic | Cloze | Choice | Typed | Numeric | Ordering


@dataclass(frozen=True, slots=True)
class QuizHints:
    """What a deck says about quizzing a card, beyond its body.

    Attributes:
        kind: What its answer is (``drug``, ``cancer``, ``year``...): a choice
            question draws distractors only from answers of the same kind.
            None: inferred from a numeric answer, else no kind.
        fact: Cards with the same ``fact`` teach one fact, never asked on one paper together.
        choice: False: never asked as a choice, and its answers are no other card's distractors.
        distractors: The author's wrong options for a basic, typed or numeric
            card (a choice card keeps them in its body).
    """

    kind: str | None = None
    fact: str | None = None
    choice: bool = True
    distractors: tuple[str, ...] = ()


_TYPE_OF: dict[type, CardType] = {
    Basic: "basic",
    Cloze: "cloze",
    Choice: "choice",
    Typed: "typed",
    Numeric: "numeric",
    Ordering: "ordering",
}


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a deck, with where it was written.

    ``quotes`` holds the passages of the source that support it: usually one,
    one per bullet when the support is a bullet list, none in an unsourced deck.
    """

    deck_id: str
    id: str
    tags: tuple[str, ...]
    quotes: tuple[str, ...]
    body: Body
    explain: str | None = None
    line: int = 0
    quiz: QuizHints = QuizHints()

    @property
    def type(self) -> CardType:
        """The card type, as written in the deck."""
        return _TYPE_OF[type(self.body)]

    @property
    def quote(self) -> str:
        """Its passages as one text, one a line (see ``join_quotes``); empty in an unsourced deck."""
        return join_quotes(self.quotes)

    @property
    def siblings(self) -> tuple[int, ...]:
        """The sibling numbers this card yields (see the module docstring)."""
        body = self.body
        if isinstance(body, Basic):
            return (0, 1) if body.reverse else (0,)
        if isinstance(body, Cloze):
            return tuple(sorted({d.number for d in body.deletions}))
        return (0,)

    def answer_texts(self) -> tuple[str, ...]:
        """The texts that answer this card (see ``answer_texts``)."""
        return answer_texts(self.body)


def answer_texts(body: Body) -> tuple[str, ...]:
    """The texts that answer a card, used as other cards' distractors.

    Args:
        body: A card body.

    Returns:
        The answers; none for cloze and ordering cards.
    """
    if isinstance(body, Basic):
        return (body.back,)
    if isinstance(body, Choice):
        return body.answers
    if isinstance(body, Typed):
        return (body.answer,)
    if isinstance(body, Numeric):
        return (body.display,)
    return ()


@dataclass(frozen=True, slots=True)
class Deck:
    """A deck as read from one YAML file (``source`` None: unsourced, ``source: none``).

    ``note`` is a caution its author wants every learner to read (such as
    "education, not a protocol"), shown once per session before the deck's
    first card (see ``deck_note``); None without one.
    """

    id: str
    title: str
    description: str
    source: Path | None
    cards: tuple[Card, ...]
    path: Path
    version: str | None = None
    content_hash: str = ""
    tags: frozenset[str] = field(default=frozenset())
    note: str | None = None


JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""A reusable compact encoder (``json.dumps`` with options builds one per call)."""


def encode_texts(texts: Iterable[str]) -> str:
    """``JSON.encode`` of a list of texts, the same JSON: without the encoder it builds on every call, 5x faster."""
    return "[" + ",".join(map(encode_basestring, texts)) + "]"


_BODY_CLASSES: dict[str, type] = {name: cls for cls, name in _TYPE_OF.items()}
_FIELD_NAMES: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in _TYPE_OF}


# Each body type's fields, with their JSON keys and colons: a body is encoded field by field (the encoder
# ``JSON.encode`` builds on every call costs more than the fields).
_FIELD_KEYS = {
    cls: tuple((name, f"{encode_basestring(name)}:") for name in names) for cls, names in _FIELD_NAMES.items()
}


def _encode_field(value: object) -> str:
    """A body's field as ``JSON.encode`` writes it, a number as its exact decimal string."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return encode_basestring(str(value))
    if isinstance(value, tuple):  # of texts, in every body
        return encode_texts(value)
    return JSON.encode(value)


def body_to_json(body: Body) -> str:
    """Serialise a card body (stored so that unchanged decks are never re-parsed).

    Args:
        body: A card body.

    Returns:
        JSON text; numbers are kept as exact decimal strings.
    """
    return "{" + ",".join(key + _encode_field(getattr(body, name)) for name, key in _FIELD_KEYS[type(body)]) + "}"


def body_from_json(card_type: str, text: str) -> Body:
    """Rebuild a card body written by ``body_to_json`` (keys added since take their defaults).

    Args:
        card_type: The card type.
        text: The JSON text.

    Returns:
        The body.
    """
    return _body_from_data(card_type, json.loads(text))


def _body_from_data(card_type: str, data: dict[str, Any]) -> Body:
    if card_type == "numeric":
        data["value"] = Decimal(data["value"])
        data["tolerance"] = Decimal(data["tolerance"])
        if data.get("high") is not None:
            data["high"] = Decimal(data["high"])
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = tuple(value)
    body: Body = _BODY_CLASSES[card_type](**data)
    return body


_NO_HINTS = QuizHints()


def note_to_json(card: Card) -> str:
    """Serialise what a stored note keeps beyond its columns: the body, and quiz hints when any.

    Args:
        card: A card.

    Returns:
        JSON text read back by ``note_from_json``; a card without hints gives ``body_to_json``'s text.
    """
    if card.quiz == _NO_HINTS:
        return body_to_json(card.body)
    hints = card.quiz
    data = json.loads(body_to_json(card.body))
    data[_HINTS_KEY] = {
        "kind": hints.kind,
        "fact": hints.fact,
        "choice": hints.choice,
        "distractors": hints.distractors,
    }
    return JSON.encode(data)


# No body has a field of this name, so it cannot clash with one added later.
_HINTS_KEY = "~quiz"


def note_from_json(card_type: str, text: str) -> tuple[Body, QuizHints]:
    """Rebuild a body and its quiz hints written by ``note_to_json``.

    Args:
        card_type: The card type.
        text: The JSON text.

    Returns:
        The body, and the hints (the defaults when none were stored).
    """
    data = json.loads(text)
    hints = data.pop(_HINTS_KEY, None)
    if hints is None:
        return _body_from_data(card_type, data), _NO_HINTS
    quiz = QuizHints(hints["kind"], hints["fact"], hints["choice"], tuple(hints["distractors"]))
    return _body_from_data(card_type, data), quiz
