"""Past quiz attempts read back: the history, one attempt's questions and answers, its mistakes to cram."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from immunoquiz.core.clock import from_ms
from immunoquiz.core.exam import format_score
from immunoquiz.core.quiz import QUIZ_FORMS, QuestionId, QuizForm
from immunoquiz.core.selection import Selection
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import format_moment


class ResultsError(Exception):
    """A results request or file that cannot be used; the message is one line for people."""


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """One line of the history.

    Attributes:
        id: The attempt's id.
        started: When it started.
        finished: Whether it ended normally (else it was cut short).
        decks: The decks asked for (empty: all).
        tags: The tags asked for (empty: all).
        score: Credits earned (None if unfinished).
        total: Questions in the paper.
        duration_ms: Time spent, pauses excluded (None if unfinished).
        timed_out: Whether the time limit ended it.
        seed: The paper's seed.
    """

    id: int
    started: datetime
    finished: bool
    decks: tuple[str, ...]
    tags: tuple[str, ...]
    score: float | None
    total: int
    duration_ms: int | None
    timed_out: bool
    seed: int

    @property
    def scope(self) -> str:
        """What the paper covered, such as ``side-effects · tags drugs``."""
        scope = ", ".join(self.decks) or "all decks"
        return scope + (" · tags " + ", ".join(self.tags) if self.tags else "")

    def result(self, time_up: str = " time up") -> str:
        """The score (``7.5/10 (75%)``, with ``time_up`` appended when time ran out) or why there is none."""
        if self.finished and self.score is not None:
            return format_score(self.score, self.total) + (time_up if self.timed_out else "")
        return f"unfinished ({self.total} questions)"


_ATTEMPT_COLUMNS = "id, started_ms, finished_ms, decks, tags, score, questions, duration_ms, timed_out, seed"


def _summary(row: Sequence[Any]) -> AttemptSummary:
    rowid, started, finished, decks, tags, score, total, duration, timed_out, seed = row
    return AttemptSummary(
        rowid,
        from_ms(started),
        finished is not None,
        tuple(json.loads(decks)),
        tuple(json.loads(tags)),
        score,
        total,
        duration,
        bool(timed_out),
        seed,
    )


def history(store: Store) -> list[AttemptSummary]:
    """Every attempt, oldest first."""
    rows = store.conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM quiz_attempts ORDER BY started_ms, id")
    return [_summary(row) for row in rows]


def attempt(store: Store, attempt_id: int) -> AttemptSummary:
    """One attempt.

    Raises:
        ResultsError: No such attempt.
    """
    row = store.conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = ?", (attempt_id,)).fetchone()
    if row is None:
        raise ResultsError(f"no quiz attempt {attempt_id} in this database (see `immunoquiz quiz --history`)")
    return _summary(row)


def format_duration(ms: int | None) -> str:
    """``3 min 12 s``, ``45 s``; ``-`` when unknown."""
    if ms is None:
        return "-"
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def format_history(rows: Sequence[AttemptSummary], tz: tzinfo | None = None) -> str:
    """The history as a plain table: id, date (in the learner's zone ``tz``), decks/tags, score, duration."""
    if not rows:
        return "No quiz taken yet: start one with `immunoquiz quiz`."
    lines = []
    for row in rows:
        lines.append(
            f"{row.id:>4}  {format_moment(row.started, tz)}  {row.scope}  {row.result()}"
            f"  {format_duration(row.duration_ms)}"
        )
    return "\n".join(["  id  date              decks / tags  score  duration", *lines])


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """A question of a saved attempt, with the learner's answer.

    Attributes:
        position: Its index in the paper.
        id: What identifies it across papers.
        card_type: The type of the card it was made from.
        tags: The card's tags.
        question: The question as shown.
        options: Choice options or ordering items, in the order shown.
        right: The right options (choice), accepted answers (typed), the
            expected value (numeric) or the items in order (ordering).
        expected: The right answer as shown after answering.
        quote: The card's source quote.
        answered: Whether the learner answered.
        answer: The learner's answer line.
        chosen: The options picked (choice).
        correct: Fully right.
        score: Credit from 0 to 1.
        duration_ms: Time spent on it.
    """

    position: int
    id: QuestionId
    card_type: str
    tags: tuple[str, ...]
    question: str
    options: tuple[str, ...]
    right: tuple[str, ...]
    expected: str
    quote: str
    answered: bool
    answer: str | None
    chosen: tuple[str, ...]
    correct: bool
    score: float
    duration_ms: int | None


def quiz_form(name: str) -> QuizForm:
    """The quiz form named ``name``.

    Raises:
        ValueError: No such form.
    """
    for form in QUIZ_FORMS:
        if form == name:
            return form
    raise ValueError(name)


def questions_of(store: Store, attempt_id: int) -> list[QuestionRecord]:
    """The questions of an attempt, in paper order (unanswered ones count as wrong)."""
    rows = store.conn.execute(
        """SELECT position, deck_id, card_id, sibling, form, card_type, tags, question, options, answers, expected,
           quote, answered, answer, chosen, correct, score, duration_ms FROM quiz_questions WHERE attempt = ?
           ORDER BY position""",
        (attempt_id,),
    )
    return [
        QuestionRecord(
            position,
            QuestionId(deck, card, sibling, quiz_form(form)),
            card_type,
            tuple(json.loads(tags)),
            question,
            tuple(json.loads(options)),
            tuple(json.loads(right)),
            expected,
            quote,
            bool(answered),
            answer,
            tuple(json.loads(chosen)),
            bool(correct),
            score or 0.0,
            duration,
        )
        for (
            position,
            deck,
            card,
            sibling,
            form,
            card_type,
            tags,
            question,
            options,
            right,
            expected,
            quote,
            answered,
            answer,
            chosen,
            correct,
            score,
            duration,
        ) in rows
    ]


def mistakes_selection(store: Store, attempt_id: int) -> Selection:
    """A cram session of the cards an attempt got wrong (or partly wrong, or left unanswered).

    Args:
        store: The learner's database.
        attempt_id: The attempt.

    Returns:
        ``Selection(cram=True, siblings=...)``: exactly the sides and cloze
        deletions asked, which leaves the schedule alone.

    Raises:
        ResultsError: No such attempt, or it has no mistakes.
    """
    attempt(store, attempt_id)
    asked = questions_of(store, attempt_id)
    sides = tuple(dict.fromkeys((q.id.deck_id, q.id.card_id, q.id.sibling) for q in asked if not q.correct))
    if not sides:
        raise ResultsError(f"quiz attempt {attempt_id} has no mistakes to cram")
    return Selection(cram=True, siblings=sides)
