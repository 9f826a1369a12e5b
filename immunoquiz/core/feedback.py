"""What the learner is told about an answer: the verdict, the right answer, and the hint before it.

One place for the wording, so the study app, the quiz screen and both line
modes say the same thing; each front end only lays it out (the app in bold
with symbols, line mode as plain sentences). ``answer_feedback`` reads a
study ``Verdict``, ``mark_feedback`` a quiz ``Mark``; the hints say what to
type (line mode) or press (the app) for a prompt's kind. ``format_feedback``
and ``format_prompt`` give the text both line modes print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Literal

from immunoquiz.core.exam import format_number
from immunoquiz.core.grading import Segment, Verdict, judge, numbers_name_options, ordering_answer
from immunoquiz.core.model import NO_SOURCE, Card
from immunoquiz.core.present import Prompt

if TYPE_CHECKING:
    from immunoquiz.core.exam import Mark

Tone = Literal["right", "partly", "almost", "wrong", "unanswered"]

_WORDS: dict[Tone, tuple[str, str]] = {
    "right": ("✓", "Right"),
    "partly": ("◐", "Partly right"),
    "almost": ("≈", "Almost"),
    "wrong": ("✗", "Wrong"),
    "unanswered": ("✗", "Not answered"),
}

QUIZ_ALMOST = "a near miss is marked wrong in a quiz"
"""Why an almost right quiz answer earns nothing."""

_DIFF_MARKS = {"same": "{}", "typed": "[-{}]", "answer": "[+{}]"}

LATE_ANSWER = "this answer came after the limit and is not counted"
"""Why an answer given after a quiz's time limit earns nothing (after ``Time is up: ``)."""


@dataclass(frozen=True, slots=True)
class Feedback:
    """The answer side of a card or question, as every front end shows it.

    Attributes:
        tone: How the answer went; None for a self-graded card (no verdict).
        score: The credit earned, 0 to 1.
        given: The answer to repeat beside a wrong or partly right verdict
            (the options picked, for a choice question); None otherwise.
        expected: The right answer as a line.
        right_order: For an ordering prompt, the items in the right order; else empty.
        numbering: For an ordering prompt, the right order in the numbers shown
            (``2 1 3 4``); else None.
        quotes: The passages of the source the card quotes (none in an unsourced deck).
        explain: The card's explanation, shown after a studied card; None
            after a quiz question (a paper tests, it does not teach).
        reason: Why the answer is wrong or partly right, when the expected
            answer alone would not say (``the unit is hours, not minutes``).
        diff: For an almost right answer, what was typed against the answer
            (see ``grading.char_diff``); empty otherwise.
    """

    tone: Tone | None
    score: float
    given: str | None
    expected: str
    right_order: tuple[str, ...]
    numbering: str | None
    quotes: tuple[str, ...]
    explain: str | None
    reason: str | None = None
    diff: tuple[Segment, ...] = ()

    @property
    def words(self) -> str:
        """``Right``, ``Partly right``, ``Wrong`` or ``Not answered`` (empty without a verdict)."""
        return "" if self.tone is None else _WORDS[self.tone][1]

    @property
    def headline(self) -> str:
        """The verdict with its symbol, never colour alone: ``✓ Right``, ``◐ Partly right``, ``✗ Wrong``."""
        return "" if self.tone is None else f"{_WORDS[self.tone][0]} {_WORDS[self.tone][1]}"

    @property
    def credit(self) -> str | None:
        """``0.5 of 1`` for a partly right answer; None otherwise."""
        return f"{format_number(self.score)} of 1" if self.tone == "partly" else None

    @property
    def marked_diff(self) -> str:
        """The diff in plain text: ``Keytr[+u]da``, ``[+x]`` missing from what was typed, ``[-x]`` typed in excess."""
        return "".join(_DIFF_MARKS[segment.kind].format(segment.text) for segment in self.diff)

    @property
    def sentence(self) -> str:
        """The verdict as line mode prints it: ``Right.``, ``Partly right (0.5 of 1).``; empty without one."""
        if self.tone is None:
            return ""
        return self.words + (f" ({self.credit})" if self.credit else "") + "."


def _feedback(
    tone: Tone | None,
    score: float,
    given: str | None,
    prompt: Prompt,
    card: Card,
    explain: bool,
    reason: str | None = None,
    diff: tuple[Segment, ...] = (),
) -> Feedback:
    ordering = prompt.kind == "ordering"
    return Feedback(
        tone=tone,
        score=score,
        given=given if tone in ("wrong", "partly", "almost") else None,
        expected=prompt.expected,
        right_order=prompt.answers if ordering else (),
        numbering=ordering_answer(prompt) if ordering else None,
        quotes=card.quotes,
        explain=card.explain if explain else None,
        reason=reason,
        diff=diff,
    )


def answer_feedback(card: Card, prompt: Prompt, verdict: Verdict, given: str | None) -> Feedback:
    """The feedback on a studied card's answer.

    Args:
        card: The card.
        prompt: How it was shown.
        verdict: The grader's verdict.
        given: The learner's answer line; None when the card was revealed
            without one (it is then self-graded).

    Returns:
        The feedback; its tone is None for a self-graded card.
    """
    tone: Tone | None
    if verdict.correct is None:
        tone = None
    elif verdict.correct:
        tone = "right"
    elif verdict.almost:
        tone = "almost"
    else:
        tone = "partly" if verdict.score > 0 else "wrong"
    return _feedback(tone, verdict.score, given, prompt, card, True, verdict.reason, verdict.diff)


def mark_feedback(card: Card, prompt: Prompt, mark: Mark, known: frozenset[str] = frozenset()) -> Feedback:
    """The feedback on a quiz question's mark.

    Args:
        card: The question's card.
        prompt: How the question was shown.
        mark: Its mark.
        known: Every answer of the decks, normalised (``QuizSitting.known_answers``):
            a typed text among them is never called almost right.

    Returns:
        The feedback, repeating the options picked for a choice question
        (and without the card's explanation). A near miss is "almost", and
        its reason says it is marked wrong.
    """
    tone: Tone
    judgement = judge(card, prompt, mark.given, known) if mark.given is not None and not mark.correct else None
    reason = judgement.reason if judgement else None
    if mark.correct:
        tone = "right"
    elif not mark.answered:
        tone = "unanswered"
    elif judgement is not None and judgement.almost:
        tone, reason = "almost", QUIZ_ALMOST
    else:
        tone = "partly" if mark.score > 0 else "wrong"
    given = "; ".join(mark.chosen) if mark.chosen else (mark.given or "")
    diff = judgement.diff if judgement else ()
    return _feedback(tone, mark.score, given, prompt, card, False, reason, diff)


def correction_notice(corrected: datetime, expected: str, tz: tzinfo | None) -> str:
    """The notice on a card whose answer was corrected since the learner last studied it.

    Args:
        corrected: When the correction was synced (``Showing.corrected``).
        expected: The card's answer now, as shown (``Prompt.expected``).
        tz: The learner's time zone (None for the system's).

    Returns:
        ``Corrected on 2026-01-05: the answer is now Keytruda``.
    """
    return f"Corrected on {corrected.astimezone(tz):%Y-%m-%d}: the answer is now {expected}"


def format_feedback(feedback: Feedback) -> str:
    """The answer side as line mode prints it: the verdict, the right answer, the source, the explanation."""
    lines = [feedback.sentence] if feedback.sentence else []
    if feedback.reason:
        lines.append(f"Because {feedback.reason}.")
    if feedback.diff:
        lines.append(f"Your answer against it: {feedback.marked_diff} ([+x] missing, [-x] extra)")
    lines.append(f"Answer: {feedback.expected}")
    if feedback.numbering is not None:
        lines.append(f"In your numbering: {feedback.numbering}")
    # An unsourced deck's card has no quote to show.
    lines += [f'Source: "{quote}"' for quote in feedback.quotes] or [f"Source: {NO_SOURCE}"]
    if feedback.explain:
        lines.append(f"Explain: {feedback.explain}")
    return "".join(f"{line}\n" for line in lines)


def format_prompt(prompt: Prompt) -> str:
    """A prompt as line mode prints it: the question, its options, what to type, and ``> ``."""
    options = "".join(f"  {line}\n" for line in prompt.labelled_options())
    return f"Q: {prompt.text}\n{options}{line_hint(prompt)}\n> "


def line_hint(prompt: Prompt) -> str:
    """What to type for a prompt in line mode, such as ``Type a number.``."""
    if prompt.kind == "choice":
        several = " or several, like: a c" if prompt.multi else ""
        places = f" (or 1 to {len(prompt.options)})" if numbers_name_options(prompt) else ""
        return f"Type a letter{several}{places}, or the option's text."
    return {
        "self": "Press Enter to show the answer.",
        "typed": "Type your answer.",
        "numeric": "Type a number.",
        "ordering": "Type the item numbers in the right order, like: 2 1 3 4.",
    }[prompt.kind]


def key_hint(prompt: Prompt, *, quiz: bool) -> str:
    """What to press for a prompt in the app.

    Args:
        prompt: The prompt shown.
        quiz: On the quiz screen (Enter answers, Space gives up, ``p`` pauses);
            else on the study screen (Enter checks, Space shows the answer).

    Returns:
        One line of keys.
    """
    in_box = (
        " Space in an empty box: I don't know. p then Enter pauses."
        if quiz
        else " Space in an empty box shows the answer."
    )
    elsewhere = "" if quiz else " Space shows the answer."
    checks = "answers" if quiz else "checks it"
    if prompt.kind == "self":
        return "Space or Enter shows the answer."
    if prompt.kind == "typed":
        return f"Type the answer, Enter {checks}.{in_box}"
    if prompt.kind == "numeric":
        return f"Type a number, Enter {checks}.{in_box}"
    if prompt.kind == "choice" and prompt.multi:
        return f"Several are right: press letters to tick them, then Enter.{elsewhere}"
    if prompt.kind == "choice":
        return f"Press a letter (or 1-4) to answer.{elsewhere}"
    return f"↑↓ pick an item, shift+↑↓ or k/j move it, Enter {'answers' if quiz else 'checks'}.{elsewhere}"
