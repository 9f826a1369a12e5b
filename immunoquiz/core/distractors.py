"""Wrong options for choice questions: of the answer's kind, never right by the card's own words.

A card's answer has a *kind* (``drug``, ``cancer``, ``year``...): the deck's
``kind`` on the card, else the one its tags give (``kinds`` in the deck), else
one inferred from a numeric answer (``numeric_kind``). A generated choice
question draws its distractors only from answers of the same kind, and never
offers as wrong:

- an answer of the card, or a text that contains one or is contained in one
  (``Advanced melanoma`` for ``Melanoma``), or a number within its tolerance;
- a text that the card's own quote or explain names (``named_in``): every
  word of the option is among their words, so a chemotherapy card quoting
  "hair follicles, gut lining and bone marrow" never offers "Hair follicle
  cells" as wrong;
- an answer of a card quoting the same passage (a passage of one holding
  one of the other): a card that quotes only "targeting rapidly dividing cells" is not
  offered "Bone marrow cells" from the card that quotes the whole sentence.

The author's own distractors are held against the quote
  only, since an explain usually says why they are wrong ("hair loss is a
  chemotherapy side effect"). Numbers are compared by value only: the quote's
  other figures are other facts (45.9% with standard care against 59.8% with
  the drug).

The pool's answers are read by kind and by (kind, tag) (``Answers``: from
cards in memory, or from the database as a quiz reads them), and the search
stops after ``CANDIDATES`` distinct candidates: its cost follows the paper,
not the pool.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from immunoquiz.core.model import Basic, Card, Choice, Numeric, Typed, encode_texts
from immunoquiz.core.text import fold_answer, normalise_answer, normalise_quote, parse_number, unit_name

MIN_DISTRACTORS = 2
"""A choice question needs at least this many distractors."""
CANDIDATES = 8
"""The most candidates kept for a generated choice question: a quiz draws its options from them."""
SHARED_TAG = 1
"""The rank of a candidate from a card that shares a tag with the card asked (else 0)."""

_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "its",
        "like",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "with",
    ]
)


def numeric_kind(body: Numeric) -> str:
    """The kind of a numeric answer: ``year``, ``percent``, ``count`` or its unit's name.

    A whole number from 1900 to 2100 without a unit, range or bound is a
    year; a ``%`` unit is a percent; any other plain number (or one with a
    scale word, ``2 million``) is a count; any other unit is its own kind
    (``hours``), so kinds never mix.
    """
    name = unit_name(body.unit) if body.unit else None
    if name == "%":
        return "percent"
    if name is not None:
        return name
    exact = not body.unit and body.high is None and body.bound is None
    if exact and body.value == body.value.to_integral_value() and 1900 <= body.value <= 2100:
        return "year"
    return "count"


def answer_kind(card: Card) -> str | None:
    """The kind of a card's answer (see the module docstring); None when it has none or ``choice: false``."""
    if not card.quiz.choice:
        return None
    if card.quiz.kind is not None:
        return card.quiz.kind
    if isinstance(card.body, Numeric):
        return numeric_kind(card.body)
    return None


def word_list(text: str) -> list[str]:
    """The words of a text in order: folded, a plural ``s`` dropped (``tumors`` is ``tumor``)."""
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in _WORD.findall(fold_answer(text))
    ]


def words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning: ``word_list`` without stopwords."""
    return frozenset(word for word in word_list(text) if word not in _STOPWORDS)


def named_in(option: str, named: frozenset[str]) -> bool:
    """Whether every word of an option is among ``named`` (an option without words counts as named)."""
    own = words(option)
    return not own or own <= named


def is_right(card: Card, text: str) -> bool:
    """Whether an option text would also answer the card."""
    body = card.body
    if isinstance(body, Numeric):
        value = parse_number(text)
        return value is not None and abs(value - body.value) <= body.tolerance
    key = normalise_answer(text)
    if isinstance(body, Typed):
        right = (body.answer, *body.accept)
    elif isinstance(body, Basic):
        right = (body.back,)
    elif isinstance(body, Choice):
        right = body.answers
    else:
        right = ()
    if not key:
        return True
    # "nivolumab (Opdivo)" also answers "Nivolumab": one containing the other counts as right.
    return any(key in other or other in key for other in (normalise_answer(r) for r in right) if other)


def fold_quotes(quotes: Iterable[str]) -> tuple[str, ...]:
    """Passages as the provenance check folds them (``normalise_quote``)."""
    return tuple(normalise_quote(quote) for quote in quotes)


def normalised_quotes(card: Card) -> tuple[str, ...]:
    """A card's passages as the provenance check folds them."""
    return fold_quotes(card.quotes)


def _dedup_key(card: Card, text: str) -> object:
    if isinstance(card.body, Numeric):
        value = parse_number(text)
        return value if value is not None else normalise_answer(text)
    return normalise_answer(text)


class _Filter:
    """Keeps the sound, distinct distractors of one card."""

    def __init__(self, card: Card, own: bool = False) -> None:
        self.card = card
        self.numeric = isinstance(card.body, Numeric)
        self.named = frozenset() if self.numeric else words(card.quote if own else f"{card.quote} {card.explain or ''}")
        self.seen = {_dedup_key(card, text) for text in card.answer_texts()}
        self.quotes = normalised_quotes(card)

    def keep(self, text: str, other_quotes: tuple[str, ...] = ()) -> bool:
        if self.numeric and parse_number(text) is None:
            return False
        # An unsourced card (no quote) shares a passage with none.
        if not self.numeric and any(a in b or b in a for a in self.quotes for b in other_quotes):
            return False
        key = _dedup_key(self.card, text)
        if key in self.seen or is_right(self.card, text) or (not self.numeric and named_in(text, self.named)):
            return False
        self.seen.add(key)
        return True


def own_distractors(card: Card) -> tuple[str, ...]:
    """The author's distractors of a card that a quiz may offer (the sound ones, in the deck's order)."""
    body = card.body
    written = body.distractors if isinstance(body, Choice) else card.quiz.distractors
    keep = _Filter(card, own=True).keep
    return tuple(text for text in written if keep(text))


def offered_answers(card: Card) -> tuple[str, tuple[str, ...]] | None:
    """What a card offers other cards as distractors: its answers' kind and its answers; None when nothing.

    The one rule for which answers join a pool: the in-memory pool reads it
    from each card, and the database stores it with each note at sync
    (``pool_kind``, ``pool_answers``), so that a quiz never decodes a card to
    know it.
    """
    kind = answer_kind(card)
    if kind is None:
        return None
    answers = card.answer_texts()
    return (kind, answers) if answers else None


def pool_columns(card: Card) -> tuple[str | None, str]:
    """``offered_answers`` as a stored note keeps it: ``pool_kind`` (None: nothing) and ``pool_answers`` (JSON)."""
    offered = offered_answers(card)
    return (None, "[]") if offered is None else (offered[0], encode_texts(offered[1]))


Offered = tuple[str, str, tuple[str, ...], str]
"""An answer a pool offers: its card's deck id, card id and passages (as written), and the answer's text."""


class Answers(ABC):
    """Where a pool's answers are read from: those of a kind, or of a kind and a tag, in pool order."""

    @abstractmethod
    def of_kind(self, kind: str, tag: str | None = None) -> Iterable[Offered]:
        """The answers of a kind (of cards with ``tag``, if given), each card's in order, in pool order.

        Read as they are used: a search that has enough stops reading.
        """


class CardAnswers(Answers):
    """The answers of cards in memory, indexed by kind and by (kind, tag).

    Args:
        pool: The cards, in pool order.
    """

    def __init__(self, pool: Iterable[Card]) -> None:
        self._by_kind: dict[str, list[Offered]] = {}
        self._by_tag: dict[tuple[str, str], list[Offered]] = {}
        for card in pool:
            offered = offered_answers(card)
            if offered is None:
                continue
            kind, answers = offered
            entries = [(card.deck_id, card.id, card.quotes, text) for text in answers]
            self._by_kind.setdefault(kind, []).extend(entries)
            for tag in card.tags:
                self._by_tag.setdefault((kind, tag), []).extend(entries)

    def of_kind(self, kind: str, tag: str | None = None) -> Iterable[Offered]:
        return self._by_kind.get(kind, ()) if tag is None else self._by_tag.get((kind, tag), ())


class DistractorPool:
    """The answers that may serve as distractors, and the search for a card's.

    Args:
        pool: The cards whose answers may serve (usually every card of the
            decks of this run), or where to read their answers (``Answers``).
    """

    def __init__(self, pool: Iterable[Card] | Answers) -> None:
        self._answers = pool if isinstance(pool, Answers) else CardAnswers(pool)
        # Normalised only for the cards a search reaches.
        self._quotes: dict[tuple[str, str], tuple[str, ...]] = {}

    def _entries(self, kind: str, tags: tuple[str, ...]) -> Iterator[tuple[int, Offered]]:
        for tag in tags:
            for offered in self._answers.of_kind(kind, tag):
                yield SHARED_TAG, offered
        for offered in self._answers.of_kind(kind):
            yield 0, offered

    def candidates(self, card: Card) -> tuple[tuple[int, str], ...]:
        """A card's sound distractors as ``(rank, text)``, best first (see the module docstring).

        The author's own distractors (a choice card's, or ``distractors`` on
        any card) come as they are, rank 0. Otherwise: answers of the card's
        kind, those of cards sharing a tag first, each tier in pool order, at
        most ``CANDIDATES``. None for a card without a kind or with ``choice: false``.

        Args:
            card: The card asked.

        Returns:
            The candidates; deterministic for the same pool.
        """
        if isinstance(card.body, Choice) or card.quiz.distractors:
            return tuple((0, text) for text in own_distractors(card))
        kind = answer_kind(card)
        if kind is None or not isinstance(card.body, (Basic, Typed, Numeric)):
            return ()
        keep = _Filter(card).keep
        found: list[tuple[int, str]] = []
        for rank, (deck_id, card_id, quotes, text) in self._entries(kind, card.tags):
            if (deck_id, card_id) == (card.deck_id, card.id):
                continue
            key = (deck_id, card_id)
            folded = self._quotes.get(key)
            if folded is None:
                folded = self._quotes[key] = fold_quotes(quotes)
            if not keep(text, folded):
                continue
            found.append((rank, text))
            if len(found) == CANDIDATES:
                break
        return tuple(found)
