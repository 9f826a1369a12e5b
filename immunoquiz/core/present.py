"""How a card is put to the learner: the prompt, the options and the expected answer.

Both front ends (the Textual app and the line mode) and the quiz show cards
through ``present``, so a card looks and grades the same everywhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, Typed, alternatives

AnswerKind = Literal["self", "typed", "numeric", "choice", "ordering"]
CHOICE_OPTIONS = 4
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Prompt:
    """One showing of a card.

    Attributes:
        kind: How the learner answers: ``self`` (reveal and rate), ``typed``,
            ``numeric``, ``choice`` or ``ordering``.
        text: The question.
        expected: The right answer, as shown after answering.
        options: Choice options, or ordering items, in the order shown.
        answers: The accepted answers (typed), the parts a cloze number hides
            (each with its ``|`` alternatives), or the right options (choice).
        multi: Whether several choice options are right.
    """

    kind: AnswerKind
    text: str
    expected: str
    options: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    multi: bool = False

    def labelled_options(self) -> list[str]:
        """Options as ``a) text`` for choice cards and ``1. text`` for ordering."""
        if self.kind == "ordering":
            return [f"{n}. {item}" for n, item in enumerate(self.options, 1)]
        return [f"{LETTERS[n]}) {option}" for n, option in enumerate(self.options)]


def _shown(answer: str) -> str:
    """A deletion's answer as shown: ``paused (or held, withheld)`` for ``paused|held|withheld``."""
    first, *others = alternatives(answer)
    return f"{first} (or {', '.join(others)})" if others else first


def expected_answer(card: Card, sibling: int) -> str:
    """The right answer of one sibling, as shown after answering (and in a correction's notice).

    Args:
        card: The card.
        sibling: Which side (reverse) or deletion (cloze).

    Returns:
        The answer line: ``Keytruda``, ``59.8% (±1)``, ``1. a; 2. b``.
    """
    body = card.body
    if isinstance(body, Basic):
        return body.front if sibling == 1 else body.back
    if isinstance(body, Cloze):
        return "; ".join(map(_shown, body.answers(sibling)))
    if isinstance(body, Typed):
        return body.answer
    if isinstance(body, Numeric):
        return body.display + (f" (±{body.tolerance})" if body.tolerance else "")
    if isinstance(body, Choice):
        return ", ".join(body.answers)
    return "; ".join(f"{n}. {item}" for n, item in enumerate(body.items, 1))


def present(card: Card, sibling: int, rng: random.Random) -> Prompt:
    """Prepare one showing of a card.

    Args:
        card: The card.
        sibling: Which side (reverse) or deletion (cloze) to ask.
        rng: Shuffles choice options and ordering items.

    Returns:
        The prompt.
    """
    body = card.body
    expected = expected_answer(card, sibling)
    if isinstance(body, Basic):
        return Prompt("self", body.back if sibling == 1 else body.front, expected)
    if isinstance(body, Cloze):
        # One answer per part hidden under this number, alternatives joined by "|" (``alternatives``).
        return Prompt("typed", body.prompt(sibling), expected, answers=body.answers(sibling))
    if isinstance(body, Typed):
        return Prompt("typed", body.question, expected, answers=(body.answer, *body.accept))
    if isinstance(body, Numeric):
        return Prompt("numeric", body.question, expected)
    if isinstance(body, Choice):
        wrong_count = max(CHOICE_OPTIONS - len(body.answers), 2)
        wrong = rng.sample(body.distractors, min(wrong_count, len(body.distractors)))
        options = [*body.answers, *wrong]
        rng.shuffle(options)
        return Prompt("choice", body.question, expected, tuple(options), body.answers, len(body.answers) > 1)
    assert isinstance(body, Ordering)
    items = list(body.items)
    while items == list(body.items):
        rng.shuffle(items)
    return Prompt("ordering", body.question, expected, tuple(items), body.items)
