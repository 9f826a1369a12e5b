"""Sitting a paper: marking answers, the exam clock and the score.

``Exam`` holds one sitting in memory: which question is current, the marks
so far, and the time, with an optional whole-exam limit and pauses. It reads
the time only from the clock it is given, so tests can run a one-hour exam
in microseconds. Saving marks is the caller's business (see ``sitting``).

Scoring: each question earns a credit from 0 to 1 (``grading.judge``:
partial for ordering and multi-answer choice), and is *correct* only when
fully right; a near miss earns 0 and its mark says it was almost right. An
unanswered question (the time ran out, or the learner stopped) earns 0. The
score of a paper is the sum of the credits out of the number of questions;
the per-tag breakdown sums the credits of the questions carrying each tag.
A paper the learner stops before its end is *incomplete*: its scorecard is
shown, but it is no result to compare (see ``quiz_store``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from immunoquiz.core.clock import Clock
from immunoquiz.core.grading import choice_selection, judge

if TYPE_CHECKING:
    # Types only: the study screen's feedback imports this module, and needs no quiz building.
    from immunoquiz.core.quiz import Paper, Question


@dataclass(frozen=True, slots=True)
class Mark:
    """The outcome of one question.

    Attributes:
        position: The question's index in the paper (0-based).
        given: The learner's answer line; None when unanswered.
        chosen: For choice questions, the options picked (texts, in the order shown).
        correct: Fully right.
        score: Credit from 0 to 1.
        elapsed_ms: Time spent on the question, pauses excluded.
        almost: A near miss (``grading.judge``): wrong, and scored 0, but nearly right.
    """

    position: int
    given: str | None
    chosen: tuple[str, ...]
    correct: bool
    score: float
    elapsed_ms: int
    almost: bool = False

    @property
    def answered(self) -> bool:
        """Whether the learner gave an answer."""
        return self.given is not None


def mark_answer(
    question: Question, position: int, given: str, elapsed_ms: int = 0, known: frozenset[str] = frozenset()
) -> Mark:
    """Mark one answer.

    Args:
        question: The question.
        position: Its index in the paper.
        given: The answer line: a letter (or several, for multi-answer) or an
            option's text, the typed answer, the number, or the item numbers
            in order.
        elapsed_ms: Time spent on it.
        known: Every answer of the decks, normalised (``grading.known_answers``):
            a typed text among them is never a near miss.

    Returns:
        The mark.
    """
    judgement = judge(question.card, question.prompt, given, known)
    chosen: tuple[str, ...] = ()
    if question.form == "choice":
        picked = choice_selection(question.prompt, given)
        if picked is not None:
            chosen = tuple(question.prompt.options[n] for n in sorted(picked))
    return Mark(position, given, chosen, bool(judgement.correct), judgement.score, elapsed_ms, judgement.almost)


def unanswered(position: int, elapsed_ms: int = 0) -> Mark:
    """The mark of a question left unanswered."""
    return Mark(position, None, (), False, 0.0, elapsed_ms)


@dataclass(frozen=True, slots=True)
class TagScore:
    """The credit earned on the questions of one tag."""

    tag: str
    score: float
    total: int

    @property
    def percent(self) -> float:
        """The share earned, 0-100."""
        return 100 * self.score / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The result of a paper.

    Attributes:
        score: Credits earned (may be fractional).
        total: Questions in the paper.
        by_tag: The breakdown by tag, in the order of the paper's groups
            (when they are tags), then alphabetically.
        duration_ms: Time spent, pauses excluded.
        timed_out: Whether the time limit ended the paper.
        mistakes: Positions of the questions not fully right, in paper order
            (of an incomplete paper, only among the questions reached).
        answered: How many questions were answered.
        incomplete: The learner stopped before the end (not the clock).
    """

    score: float
    total: int
    by_tag: tuple[TagScore, ...]
    duration_ms: int
    timed_out: bool
    mistakes: tuple[int, ...]
    answered: int
    incomplete: bool = False

    @property
    def percent(self) -> float:
        """The share earned, 0-100."""
        return 100 * self.score / self.total if self.total else 0.0

    def line(self) -> str:
        """``Score: 7.5/10 (75%)``."""
        return f"Score: {format_score(self.score, self.total)}"


def format_number(value: float) -> str:
    """A credit as people write it: ``7``, ``7.5``, ``6.67``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_time_left(left: timedelta) -> str:
    """The time left on an exam clock: ``12:05 left``."""
    seconds = int(left.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d} left"


def format_score(score: float, total: int) -> str:
    """``7.5/10 (75%)``; the percentage is rounded to a whole number."""
    percent = 100 * score / total if total else 0.0
    return f"{format_number(score)}/{total} ({percent:.0f}%)"


def score_paper(
    paper: Paper,
    marks: Sequence[Mark],
    *,
    duration_ms: int = 0,
    timed_out: bool = False,
    tags: Sequence[str] = (),
    incomplete: bool = False,
) -> Scorecard:
    """Add up the marks of a paper.

    Args:
        paper: The paper.
        marks: One mark per question (missing positions count as unanswered;
            of an incomplete paper, they were not reached and are no mistakes).
        duration_ms: Time spent.
        timed_out: Whether the time limit ended it.
        tags: Only break down by these tags (the chosen ones); empty means
            every tag of the paper's questions.
        incomplete: Whether the learner stopped before the end.

    Returns:
        The scorecard.
    """
    by_position = {mark.position: mark for mark in marks}
    full = [by_position.get(n, unanswered(n)) for n in range(len(paper.questions))]
    sums: dict[str, list[float]] = {}
    wanted = set(tags)
    for question, mark in zip(paper.questions, full, strict=False):
        for tag in question.card.tags:
            if wanted and tag not in wanted:
                continue
            entry = sums.setdefault(tag, [0.0, 0])
            entry[0] += mark.score
            entry[1] += 1
    ordered = [t for t in tags if t in sums] + sorted(t for t in sums if t not in wanted)
    return Scorecard(
        score=round(sum(mark.score for mark in full), 6),
        total=len(full),
        by_tag=tuple(TagScore(t, round(sums[t][0], 6), int(sums[t][1])) for t in ordered),
        duration_ms=duration_ms,
        timed_out=timed_out,
        mistakes=tuple(
            mark.position for mark in full if not mark.correct and (mark.position in by_position or not incomplete)
        ),
        answered=sum(mark.answered for mark in full),
        incomplete=incomplete,
    )


class Exam:
    """One sitting of a paper, question by question, on an injected clock.

    Args:
        paper: The paper.
        clock: The time source.
        time_limit: The whole-exam limit; None for no timer.
        tags: The chosen tags, for the per-tag breakdown.

    The clock starts when the exam is made. ``pause`` stops it (the time
    limit and the question's time) until ``resume``. Once the limit has
    passed, the exam is over: an answer given after it is not counted and
    every question left counts as unanswered.
    """

    def __init__(
        self, paper: Paper, *, clock: Clock, time_limit: timedelta | None = None, tags: Sequence[str] = ()
    ) -> None:
        self.paper = paper
        self.clock = clock
        self.time_limit = time_limit
        self.tags = tuple(tags)
        self.started_at = clock()
        self.marks: list[Mark] = []
        self._paused_total = timedelta(0)
        self._paused_at: datetime | None = None
        self._shown_active = timedelta(0)
        self._finished: Scorecard | None = None
        self._timed_out = False

    # -- time ------------------------------------------------------------

    def active_time(self) -> timedelta:
        """Time spent so far, pauses excluded."""
        now = self._paused_at or self.clock()
        return now - self.started_at - self._paused_total

    def remaining(self) -> timedelta | None:
        """Time left, or None without a limit (never negative)."""
        if self.time_limit is None:
            return None
        return max(timedelta(0), self.time_limit - self.active_time())

    @property
    def expired(self) -> bool:
        """Whether the time limit has passed."""
        return self._timed_out or (self.time_limit is not None and self.active_time() >= self.time_limit)

    @property
    def paused(self) -> bool:
        """Whether the clock is stopped."""
        return self._paused_at is not None

    def pause(self) -> None:
        """Stop the clock (no effect if already paused)."""
        if self._paused_at is None:
            self._paused_at = self.clock()

    def resume(self) -> None:
        """Start the clock again."""
        if self._paused_at is not None:
            self._paused_total += self.clock() - self._paused_at
            self._paused_at = None

    # -- questions ---------------------------------------------------------

    @property
    def position(self) -> int:
        """The index of the current question (= questions done so far)."""
        return len(self.marks)

    @property
    def finished(self) -> bool:
        """Whether the paper is over (all answered, time up, or ``finish`` called)."""
        return self._finished is not None or self.position >= len(self.paper.questions)

    def current(self) -> Question | None:
        """The question to answer now, or None when the paper is over (time up included)."""
        if self._finished is not None or self.expired:
            return None
        if self.position >= len(self.paper.questions):
            return None
        return self.paper.questions[self.position]

    def answer(self, given: str, known: frozenset[str] = frozenset()) -> Mark | None:
        """Answer the current question and move on.

        Resumes the clock if it was paused.

        Args:
            given: The learner's answer line.
            known: Every answer of the decks, normalised (see ``mark_answer``).

        Returns:
            The mark, or None when there is no current question (over, or
            the time ran out before this answer: it is then not counted).
        """
        self.resume()
        if self.expired:
            self._timed_out = True
            return None
        question = self.current()
        if question is None:
            return None
        mark = mark_answer(question, self.position, given, self._take_elapsed(), known)
        self.marks.append(mark)
        return mark

    def skip(self) -> Mark | None:
        """Leave the current question unanswered and move on."""
        question = self.current()
        if question is None:
            return None
        mark = unanswered(self.position, self._take_elapsed())
        self.marks.append(mark)
        return mark

    def retract(self) -> None:
        """Take back the last mark (saving it failed): its question is the current one again."""
        self.marks.pop()

    def _take_elapsed(self) -> int:
        active = self.active_time()
        elapsed = active - self._shown_active
        self._shown_active = active
        return max(0, int(elapsed.total_seconds() * 1000))

    def leftover(self) -> list[Mark]:
        """Marks for the questions not reached (unanswered), for saving at the end."""
        return [unanswered(n) for n in range(self.position, len(self.paper.questions))]

    def finish(self, *, stopped: bool = False) -> Scorecard:
        """End the paper: questions not reached count as unanswered (and get a mark, unless it is incomplete).

        Args:
            stopped: The learner ended it (quit); with questions left, and
                the time not up, the paper is incomplete.

        Returns:
            The scorecard (the same one on later calls).
        """
        if self._finished is None:
            self.resume()
            unreached = self.leftover()
            timed_out = self._timed_out or (self.expired and bool(unreached))
            incomplete = stopped and bool(unreached) and not timed_out
            duration = self.active_time()
            if self.time_limit is not None:
                duration = min(duration, self.time_limit)
            if not incomplete:
                self.marks.extend(unreached)
            self._finished = score_paper(
                self.paper,
                self.marks,
                duration_ms=int(duration.total_seconds() * 1000),
                timed_out=timed_out,
                tags=self.tags,
                incomplete=incomplete,
            )
        return self._finished
