"""The form of one card: short deletions, few answers, and a quote that supports its answer.

These are warnings of ``immunoquiz check`` (errors with ``--strict``), for
what a machine can see of a weak card:

- a cloze deletion of more than ``MAX_DELETION_WORDS`` words, which nobody
  types exactly (each ``|`` alternative counts on its own);
- more than ``MAX_ANSWERS`` deletions (distinct ``cN`` numbers) in a cloze,
  or right answers in a choice: one fact per card. Ordering items are not
  counted: they are shown, and their answer is one order;
- a quote that shares no content word or number with its answer: a section
  heading or a lead-in (``It involves:``) rather than the passage that says
  it. Words are compared as ``distractors.words`` folds them (case, a plural
  ``s``, a few stopwords ignored), numbers by value (``text.numbers_in``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from immunoquiz.core.distractors import words
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, Typed, alternatives
from immunoquiz.core.source import quoted_numbers
from immunoquiz.core.text import counted, numbers_in

MAX_DELETION_WORDS = 4
"""The most words a cloze deletion may hide: the keyword, not the sentence."""
MAX_ANSWERS = 3
"""The most deletions of a cloze, or right answers of a choice."""


@dataclass(frozen=True, slots=True)
class FormProblem:
    """A weakness of one card's form.

    Attributes:
        code: A stable short name (``long-deletion``, ``too-many-answers``, ``quote-unrelated``).
        field: The card's key it is reported at (``text``, ``answer``, ``quote``).
        message: One line for people: what is weak and how to fix it.
    """

    code: str
    field: str
    message: str


def form_problems(card: Card) -> list[FormProblem]:
    """The weaknesses of a card's form (see the module docstring).

    Args:
        card: A card as read from its deck.

    Returns:
        The problems, in the order of the list above.
    """
    found: list[FormProblem] = []
    body = card.body
    if isinstance(body, Cloze):
        for deletion in body.deletions:
            long = next((a for a in alternatives(deletion.answer) if len(a.split()) > MAX_DELETION_WORDS), None)
            if long is not None:
                found.append(
                    FormProblem(
                        "long-deletion",
                        "text",
                        f"deletion c{deletion.number} hides {counted(len(long.split()), 'word')}"
                        f" ({_shortened(long)}): hide the keyword, {MAX_DELETION_WORDS} words at most",
                    )
                )
        numbers = card.siblings
        if len(numbers) > MAX_ANSWERS:
            found.append(
                FormProblem(
                    "too-many-answers",
                    "text",
                    f"the cloze has {len(numbers)} deletions (c{numbers[0]} to c{numbers[-1]}):"
                    f" {MAX_ANSWERS} at most; split it into cards of one fact each",
                )
            )
    elif isinstance(body, Choice) and len(body.answers) > MAX_ANSWERS:
        found.append(
            FormProblem(
                "too-many-answers",
                "answer",
                f"the choice has {len(body.answers)} right answers: {MAX_ANSWERS} at most;"
                " make single cards (one per item) or keep three",
            )
        )
    if card.quotes and not _supports(card.quotes, answers_of(card)):
        found.append(
            FormProblem(
                "quote-unrelated",
                "quote",
                "the quote shares no word or number with the card's answer (a heading or a lead-in?):"
                " quote the passage that says the answer",
            )
        )
    return found


def answers_of(card: Card) -> tuple[str, ...]:
    """What a card's quote must support: every text that answers it.

    A cloze's deletions (every alternative), a choice's right answers, a
    basic card's back (and front if reversed), a typed card's answer and
    accepted alternatives, a numeric card's value (both ends of a range),
    an ordering card's items.
    """
    body = card.body
    if isinstance(body, Cloze):
        return tuple(alt for d in body.deletions for alt in alternatives(d.answer))
    if isinstance(body, Choice):
        return body.answers
    if isinstance(body, Basic):
        return (body.back, body.front) if body.reverse else (body.back,)
    if isinstance(body, Typed):
        return (body.answer, *body.accept)
    if isinstance(body, Numeric):
        return tuple(str(end) for end in (body.value, body.high) if end is not None)
    assert isinstance(body, Ordering)
    return body.items


def _supports(quotes: tuple[str, ...], answers: tuple[str, ...]) -> bool:
    """Whether the quote's passages, together, share a content word or a number with any of the answers."""
    quoted_words = frozenset().union(*map(_quote_words, quotes))
    quoted: frozenset[Decimal] | None = None
    for answer in answers:
        if not _content_words(answer).isdisjoint(quoted_words):
            return True
        numbers = numbers_in(answer)
        if numbers:
            quoted = quoted if quoted is not None else quoted_numbers(quotes)
            if not numbers.isdisjoint(quoted):
                return True
    return False


@functools.lru_cache(maxsize=1024)
def _quote_words(quote: str) -> frozenset[str]:
    """A quote's content words, once for the cards that share it."""
    return _content_words(quote)


def _content_words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning, numbers left to ``numbers_in``."""
    return frozenset(word for word in words(text) if not word.isdigit())


MAX_SHOWN = 40


def _shortened(text: str) -> str:
    """A deletion quoted in a message, cut so that a long one stays one readable line."""
    return f"`{text}`" if len(text) <= MAX_SHOWN else f"`{text[: MAX_SHOWN - 3]}...`"
