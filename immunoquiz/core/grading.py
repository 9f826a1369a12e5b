"""Checking a learner's answer and proposing a rating, as Anki's buttons would take it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from immunoquiz.core.model import Card, Numeric
from immunoquiz.core.present import LETTERS, Prompt
from immunoquiz.core.schedule import Rating
from immunoquiz.core.text import normalise_answer, parse_number


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one answer.

    Attributes:
        correct: Right or wrong; None for a self-graded card.
        score: Credit from 0 to 1 (partial for ordering and multi-answer).
        proposed: The rating proposed to the learner, who may override it.
    """

    correct: bool | None
    score: float
    proposed: Rating


def choice_selection(prompt: Prompt, given: str) -> set[int] | None:
    """The options a choice answer picks: by letters (``a c``) or by an option's text.

    Args:
        prompt: The choice prompt, options in their shown order.
        given: The learner's answer line.

    Returns:
        The indexes of the picked options, or None when the answer names none.
    """
    text = given.strip()
    by_text = {normalise_answer(option): n for n, option in enumerate(prompt.options)}
    if normalise_answer(text) in by_text:
        return {by_text[normalise_answer(text)]}
    letters = re.split(r"[\s,;]+", text.lower())
    picked = {LETTERS.find(letter) for letter in letters if letter}
    if not picked or any(len(letter) != 1 for letter in letters if letter):
        return None
    if any(n < 0 or n >= len(prompt.options) for n in picked):
        return None
    return picked


def _ordering_sequence(prompt: Prompt, given: str) -> list[int] | None:
    numbers = re.findall(r"\d+", given)
    if len(numbers) != len(prompt.options) or re.search(r"[^\d\s,;.-]", given):
        return None
    sequence = [int(n) - 1 for n in numbers]
    if sorted(sequence) != list(range(len(prompt.options))):
        return None
    return sequence


def score_answer(card: Card, prompt: Prompt, given: str) -> tuple[bool | None, float]:
    """Whether an answer is right, and the credit it earns.

    Args:
        card: The card asked.
        prompt: How it was shown (options in their shown order).
        given: The learner's answer line.

    Returns:
        ``(correct, score)``; ``(None, 0.0)`` for self-graded cards.
    """
    if prompt.kind == "self":
        return None, 0.0
    if prompt.kind == "typed":
        key = normalise_answer(given)
        ok = bool(key) and key in {normalise_answer(a) for a in prompt.answers}
        return ok, float(ok)
    if prompt.kind == "numeric":
        body = card.body
        assert isinstance(body, Numeric)
        value = parse_number(given)
        ok = value is not None and abs(value - body.value) <= body.tolerance
        return ok, float(ok)
    if prompt.kind == "choice":
        picked = choice_selection(prompt, given)
        if picked is None:
            return False, 0.0
        right = {n for n, option in enumerate(prompt.options) if option in prompt.answers}
        if not prompt.multi:
            ok = picked == right
            return ok, float(ok)
        credit = (len(picked & right) - len(picked - right)) / len(right)
        return picked == right, max(0.0, credit)
    sequence = _ordering_sequence(prompt, given)
    if sequence is None:
        return False, 0.0
    placed = [prompt.answers.index(prompt.options[n]) for n in sequence]
    pairs = [(i, j) for i in range(len(placed)) for j in range(i + 1, len(placed))]
    in_order = sum(placed[i] < placed[j] for i, j in pairs)
    return in_order == len(pairs), in_order / len(pairs)


def grade(card: Card, prompt: Prompt, given: str, elapsed_s: float, easy_within_s: float) -> Verdict:
    """Check an answer and propose a rating: wrong is Again; right is Good, or Easy when quick.

    Args:
        card: The card asked.
        prompt: How it was shown.
        given: The learner's answer.
        elapsed_s: Seconds from prompt to answer.
        easy_within_s: A right answer at least this quick proposes Easy.

    Returns:
        The verdict. Self-graded cards propose Good.
    """
    correct, score = score_answer(card, prompt, given)
    if correct is None:
        return Verdict(None, 0.0, Rating.GOOD)
    if not correct:
        return Verdict(False, score, Rating.AGAIN)
    return Verdict(True, score, Rating.EASY if elapsed_s <= easy_within_s else Rating.GOOD)


def ordering_answer(prompt: Prompt) -> str:
    """The right answer line for an ordering prompt, such as ``2 1 3 4``."""
    return " ".join(str(prompt.options.index(item) + 1) for item in prompt.answers)


def unreadable(prompt: Prompt, given: str) -> str | None:
    """Why a choice or ordering answer cannot be read, so that it is asked again instead of marked.

    Args:
        prompt: The prompt shown.
        given: The learner's answer line.

    Returns:
        The reason, as a sentence with what to type; None when the answer can
        be read, and for prompts that take any text (typed, numeric, self-graded).
    """
    count = len(prompt.options)
    if prompt.kind == "choice":
        letters = f"a letter from a to {LETTERS[count - 1]}"
        if not given.strip():
            return f"Nothing was typed: type {letters}" + (", or several" if prompt.multi else "") + "."
        picked = choice_selection(prompt, given)
        if picked is None:
            return f"That names no option: type {letters}, or the option's text."
        if len(picked) > 1 and not prompt.multi:
            return f"Only one option is right: type one letter from a to {LETTERS[count - 1]}."
        return None
    if prompt.kind == "ordering" and _ordering_sequence(prompt, given) is None:
        example = " ".join(str(n) for n in range(count, 0, -1))
        return f"Type each of the {count} item numbers once, in the right order, like: {example}."
    return None
