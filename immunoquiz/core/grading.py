"""Checking a learner's answer and proposing a rating, as Anki's buttons would take it.

A right answer proposes Good (Easy only when the learner picks it), a wrong
one Again, and a *near miss* Hard: a typed or cloze answer that is one
letter off an answer of 4-7 letters, or two off one of 8 or more. A near
miss is still wrong (a quiz scores it 0) but is shown as "almost", with a
character diff of what was typed against the answer. It is never one for
an answer holding a digit (``PD-1`` is not ``PD-2``), never when the typed
text is itself another answer of the decks (one letter turns one drug name
into another), and never on a card or deck with ``near_miss: false``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Typed, alternatives
from immunoquiz.core.present import LETTERS, Prompt
from immunoquiz.core.schedule import Rating
from immunoquiz.core.text import (
    SCALES,
    fold_answer,
    normalise_answer,
    read_quantity,
    unit_name,
    unit_word,
)

MAX_NEAR_MISS = 60
"""Answers longer than this are never near misses (which bounds the cost of comparing them)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of a character diff of a typed answer against the right one.

    Attributes:
        kind: ``same`` (in both), ``typed`` (typed, not in the answer) or
            ``answer`` (in the answer, not typed).
        text: The characters; plain text, never markup.
    """

    kind: Literal["same", "typed", "answer"]
    text: str


@dataclass(frozen=True, slots=True)
class Judgement:
    """What an answer is worth, and why.

    Attributes:
        correct: Right or wrong; None for a self-graded card.
        score: Credit from 0 to 1 (partial for ordering, multi-answer, a range, cloze parts).
        reason: Why it is wrong or partly right, when the expected answer alone
            would not say (``the unit is hours, not minutes``); else None.
        almost: A near miss (see the module docstring): wrong, but nearly.
        diff: For a near miss, the typed answer against the right one.
    """

    correct: bool | None
    score: float
    reason: str | None = None
    almost: bool = False
    diff: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one answer.

    Attributes:
        correct: Right or wrong; None for a self-graded card.
        score: Credit from 0 to 1 (partial for ordering and multi-answer).
        proposed: The rating proposed to the learner, who may override it.
        reason: Why it is wrong or partly right (see ``Judgement``).
        almost: A near miss: wrong, shown as "almost", Hard proposed.
        diff: For a near miss, the typed answer against the right one.
    """

    correct: bool | None
    score: float
    proposed: Rating
    reason: str | None = None
    almost: bool = False
    diff: tuple[Segment, ...] = ()


_OPTION_NUMBER = re.compile(r"[0-9]{1,2}")


def numbers_name_options(prompt: Prompt) -> bool:
    """Whether a typed 1, 2... names a choice option by its place.

    Not when an option itself reads as a number: 2 could then mean it or the
    second option, so only letters name places.
    """
    return not any(_OPTION_NUMBER.fullmatch(normalise_answer(option)) for option in prompt.options)


def choice_selection(prompt: Prompt, given: str) -> set[int] | None:
    """The options a choice answer picks: by letters (``a c``), numbers (``1 3``) or an option's text.

    An option's own text comes first; numbers count from 1, as the app's keys
    do, where ``numbers_name_options`` allows.

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
    names = [name for name in re.split(r"[\s,;]+", text.lower()) if name]
    numbered = numbers_name_options(prompt)
    if not names or any(not (len(name) == 1 or (numbered and _OPTION_NUMBER.fullmatch(name))) for name in names):
        return None
    if not numbered and any(name.isdigit() for name in names):
        return None
    picked = {int(name) - 1 if _OPTION_NUMBER.fullmatch(name) else LETTERS.find(name) for name in names}
    if any(n < 0 or n >= len(prompt.options) for n in picked):
        return None
    return picked


def _ordering_sequence(prompt: Prompt, given: str) -> list[int] | None:
    numbers = re.findall(r"\d+", given)
    # A position has a few digits; a longer run is no position (and int() refuses huge ones).
    if len(numbers) != len(prompt.options) or re.search(r"[^\d\s,;.-]", given) or any(len(n) > 6 for n in numbers):
        return None
    sequence = [int(n) - 1 for n in numbers]
    if sorted(sequence) != list(range(len(prompt.options))):
        return None
    return sequence


def judge(card: Card, prompt: Prompt, given: str, known: frozenset[str] = frozenset()) -> Judgement:
    """Judge an answer: right or wrong, its credit, why, and whether it was almost right.

    Args:
        card: The card asked.
        prompt: How it was shown (options in their shown order).
        given: The learner's answer line.
        known: Every answer of the decks, normalised (``known_answers``): a
            typed text among them is never a near miss.

    Returns:
        The judgement; ``correct`` None for self-graded cards.
    """
    if prompt.kind == "self":
        return Judgement(None, 0.0)
    if prompt.kind == "typed":
        body = card.body
        near = not isinstance(body, (Typed, Cloze)) or body.near_miss
        if isinstance(body, Cloze):
            return _judge_cloze(tuple(alternatives(part) for part in prompt.answers), given, near, known)
        return _judge_text(prompt.answers, given, near, known)
    if prompt.kind == "numeric":
        body = card.body
        assert isinstance(body, Numeric)
        return _judge_number(body, given)
    if prompt.kind == "choice":
        picked = choice_selection(prompt, given)
        if picked is None:
            return Judgement(False, 0.0)
        right = {n for n, option in enumerate(prompt.options) if option in prompt.answers}
        if not prompt.multi:
            ok = picked == right
            return Judgement(ok, float(ok))
        credit = (len(picked & right) - len(picked - right)) / len(right)
        return Judgement(picked == right, max(0.0, credit))
    sequence = _ordering_sequence(prompt, given)
    if sequence is None:
        return Judgement(False, 0.0)
    placed = [prompt.answers.index(prompt.options[n]) for n in sequence]
    pairs = [(i, j) for i in range(len(placed)) for j in range(i + 1, len(placed))]
    in_order = sum(placed[i] < placed[j] for i, j in pairs)
    return Judgement(in_order == len(pairs), in_order / len(pairs))


def grade(card: Card, prompt: Prompt, given: str, known: frozenset[str] = frozenset()) -> Verdict:
    """Check an answer and propose a rating: right is Good, a near miss Hard, wrong Again.

    Easy is never proposed: only the learner picks it.

    Args:
        card: The card asked.
        prompt: How it was shown.
        given: The learner's answer.
        known: Every answer of the decks, normalised (see ``judge``).

    Returns:
        The verdict. Self-graded cards propose Good.
    """
    judgement = judge(card, prompt, given, known)
    if judgement.correct is None or judgement.correct:
        proposed = Rating.GOOD
    else:
        proposed = Rating.HARD if judgement.almost else Rating.AGAIN
    return Verdict(judgement.correct, judgement.score, proposed, judgement.reason, judgement.almost, judgement.diff)


def known_answers(cards: Iterable[Card]) -> frozenset[str]:
    """Every answer and distractor of some cards, normalised: what a near miss may never be.

    Args:
        cards: The cards of the decks studied.

    Returns:
        The keys (``normalise_answer``) of backs, typed answers and their
        alternatives, choice answers and distractors, and cloze deletions'
        alternatives.
    """
    return frozenset(normalise_answer(text) for card in cards for text in _known_texts(card))


def answer_keys(card: Card) -> list[str]:
    """``known_answers`` of one card, sorted: kept with its stored note, so that a run decodes no card for them."""
    return sorted({normalise_answer(text) for text in _known_texts(card)})


def _known_texts(card: Card) -> tuple[str, ...]:
    body = card.body
    if isinstance(body, Basic):
        return (body.back,)
    if isinstance(body, Typed):
        return (body.answer, *body.accept)
    if isinstance(body, Choice):
        return (*body.answers, *body.distractors)
    if isinstance(body, Cloze):
        return tuple(text for deletion in body.deletions for text in alternatives(deletion.answer))
    return ()


# -- typed answers and cloze deletions ----------------------------------------


def _judge_text(answers: tuple[str, ...], given: str, near: bool, known: frozenset[str]) -> Judgement:
    key = normalise_answer(given)
    if key and key in {normalise_answer(a) for a in answers}:
        return Judgement(True, 1.0)
    if near and key and key not in known:
        for answer in answers:
            if is_near_miss(key, normalise_answer(answer)):
                return Judgement(False, 0.0, almost=True, diff=char_diff(given.strip(), answer))
    return Judgement(False, 0.0)


_SEPARATORS = (re.compile(r";"), re.compile(r","), re.compile(r"\band\b|&"))


def _judge_cloze(parts: tuple[tuple[str, ...], ...], given: str, near: bool, known: frozenset[str]) -> Judgement:
    if len(parts) == 1:
        return _judge_text(parts[0], given, near, known)
    # Several parts hidden under one number: joined by ";", "," or "and", in any order.
    pieces = next(
        (p for p in (separator.split(given) for separator in _SEPARATORS) if len(p) == len(parts)),
        None,
    )
    if pieces is None:
        return Judgement(False, 0.0, f"this gap hides {len(parts)} parts: type each, joined by and, a comma or ;")
    left = [{normalise_answer(a) for a in part} for part in parts]
    right = 0
    for piece in pieces:
        key = normalise_answer(piece)
        found = next((n for n, keys in enumerate(left) if key and key in keys), None)
        if found is not None:
            left[found] = set()
            right += 1
    if right == len(parts):
        return Judgement(True, 1.0)
    reason = f"{right} of the {len(parts)} parts right" if right else None
    return Judgement(False, right / len(parts), reason)


def near_miss_limit(answer: str) -> int:
    """How many letters an answer may be off and still be "almost": 1 for 4-7 letters, 2 for 8 or more, else 0.

    An answer with a digit is never a near miss.
    """
    if any(ch.isdigit() for ch in answer) or len(answer) > MAX_NEAR_MISS:
        return 0
    letters = sum(ch.isalpha() for ch in answer)
    return 0 if letters < 4 else 1 if letters < 8 else 2


def is_near_miss(typed: str, answer: str) -> bool:
    """Whether a normalised typed answer is a near miss of a normalised answer (not equal, within its limit).

    Args:
        typed: The typed answer, normalised.
        answer: A right answer, normalised.

    Returns:
        True when the edit distance is from 1 to ``near_miss_limit(answer)``
        and the typed text holds no digit.
    """
    limit = near_miss_limit(answer)
    if not limit or typed == answer or any(ch.isdigit() for ch in typed) or abs(len(typed) - len(answer)) > limit:
        return False
    return edit_distance(typed, answer, limit) <= limit


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two texts, or ``limit + 1`` once it is sure to exceed ``limit``.

    Only a band of ``limit`` cells either side of the diagonal is filled, so
    the cost is linear in the texts' length.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    previous = {j: j for j in range(min(len(b), limit) + 1)}
    for i in range(1, len(a) + 1):
        current: dict[int, int] = {}
        for j in range(max(0, i - limit), min(len(b), i + limit) + 1):
            if j == 0:
                current[j] = i
                continue
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(
                previous.get(j - 1, over) + cost,
                previous.get(j, over) + 1,
                current.get(j - 1, over) + 1,
            )
        if min(current.values()) > limit:
            return over
        previous = current
    return min(previous.get(len(b), over), over)


def char_diff(typed: str, answer: str) -> tuple[Segment, ...]:
    """A character diff of a typed answer against the right one, for front ends to colour.

    Case is ignored in matching; the segments keep each text's own letters.

    Args:
        typed: What the learner typed.
        answer: The right answer.

    Returns:
        The segments, in order: the answer's letters are read from the
        ``same`` and ``answer`` segments, the typed ones from ``same`` and ``typed``.
    """
    same_length = len(typed.lower()) == len(typed) and len(answer.lower()) == len(answer)
    a, b = (typed.lower(), answer.lower()) if same_length else (typed, answer)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", answer[j1:j2]))
            continue
        if i2 > i1:
            segments.append(Segment("typed", typed[i1:i2]))
        if j2 > j1:
            segments.append(Segment("answer", answer[j1:j2]))
    return tuple(segments)


# -- numbers ---------------------------------------------------------------------


def _judge_number(body: Numeric, given: str) -> Judgement:
    quantity = read_quantity(given)
    if quantity is None:
        return Judgement(False, 0.0)
    declared = unit_name(body.unit) if body.unit else None
    if quantity.unit is not None and declared is not None and quantity.unit != declared:
        return Judgement(False, 0.0, f"the unit is {unit_word(declared)}, not {unit_word(quantity.unit)}")
    scale = SCALES.get(fold_answer(body.unit).strip(), Decimal(1))

    def close(written: Decimal, target: Decimal) -> bool:
        # With a scale word for unit ("2" million), the figure may be written either way: 2 or 2,000,000.
        return abs(written - target) <= body.tolerance or abs(written - target * scale) <= body.tolerance * scale

    if body.high is not None:
        if quantity.high is None:
            return Judgement(False, 0.0, f"the answer is a range: give both ends, like {body.display}")
        low, high = close(quantity.low, body.value), close(quantity.high, body.high)
        if low and high:
            return Judgement(True, 1.0)
        if low or high:
            right_end, wrong_end = ("low", "high") if low else ("high", "low")
            expected, written = (body.high, quantity.high) if low else (body.value, quantity.low)
            return Judgement(
                False, 0.5, f"the {right_end} end is right; the {wrong_end} end is {expected}, not {written}"
            )
        return Judgement(False, 0.0)
    if quantity.high is not None:
        return Judgement(False, 0.0, "the answer is one figure, not a range")
    if body.bound is not None and quantity.bound is not None and quantity.bound != body.bound:
        kind = "a lower bound" if body.bound == "above" else "an upper bound"
        return Judgement(False, 0.0, f"the figure is {kind} ({body.display}), not the other way round")
    ok = close(quantity.low, body.value)
    return Judgement(ok, float(ok))


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
        places = f" (or 1 to {count})" if numbers_name_options(prompt) else ""
        letters = f"a letter from a to {LETTERS[count - 1]}{places}"
        if not given.strip():
            return f"Nothing was typed: type {letters}" + (", or several" if prompt.multi else "") + "."
        picked = choice_selection(prompt, given)
        if picked is None:
            return f"That names no option: type {letters}, or the option's text."
        if len(picked) > 1 and not prompt.multi:
            return f"Only one option is right: type one letter from a to {LETTERS[count - 1]}{places}."
        return None
    if prompt.kind == "ordering" and _ordering_sequence(prompt, given) is None:
        example = " ".join(str(n) for n in range(count, 0, -1))
        return f"Type each of the {count} item numbers once, in the right order, like: {example}."
    return None
