"""The quiz tables: attempts saved as they go, and read back as typed records.

An attempt's questions are saved as shown when it starts, each answer as
given, the score at the end. An attempt is *complete* when it reached its
end: every question marked, or the time up. One the learner quit before its
end (``stopped_early``), or one cut short by a crash (never ended), is
*incomplete*: its answers so far are kept and shown in the history, it has
no score, and exports leave it out unless asked. This is the only module
that runs SQL on the quiz tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from immunoquiz.core.clock import from_ms, to_ms
from immunoquiz.core.exam import Mark, Scorecard, format_score
from immunoquiz.core.model import split_quotes
from immunoquiz.core.quiz import QUIZ_FORMS, Paper, QuestionId, QuizForm, QuizRequest
from immunoquiz.core.store import Store


def start_attempt(store: Store, paper: Paper, request: QuizRequest, now: datetime) -> int:
    """Save a new attempt with its questions as shown, before the first answer.

    Args:
        store: The learner's database.
        paper: The paper.
        request: What was asked for (decks, tags, forms, time limit...).
        now: When the attempt starts.

    Returns:
        The attempt's id.
    """
    with store.write() as conn:
        cursor = conn.execute(
            """INSERT INTO quiz_attempts (started_ms, seed, decks, tags, forms, requested, questions, time_limit_s,
               affect_schedule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                to_ms(now),
                paper.seed,
                json.dumps(list(request.decks)),
                json.dumps(list(request.tags)),
                json.dumps(list(request.forms)),
                paper.requested,
                len(paper.questions),
                request.time_limit_s,
                int(request.affect_schedule),
            ),
        )
        attempt_id = cursor.lastrowid
        assert attempt_id is not None
        conn.executemany(
            """INSERT INTO quiz_questions (attempt, position, deck_id, card_id, sibling, form, card_type, tags,
               question, options, answers, expected, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (
                    attempt_id,
                    position,
                    q.id.deck_id,
                    q.id.card_id,
                    q.id.sibling,
                    q.form,
                    q.card.type,
                    json.dumps(list(q.card.tags)),
                    q.prompt.text,
                    json.dumps(list(q.prompt.options)),
                    json.dumps(list(q.prompt.answers or (q.prompt.expected,))),
                    q.prompt.expected,
                    q.card.quote,
                )
                for position, q in enumerate(paper.questions)
            ],
        )
    return attempt_id


_SAVE_MARK = """UPDATE quiz_questions SET answered = ?, answer = ?, chosen = ?, correct = ?, score = ?, duration_ms = ?,
    almost = ? WHERE attempt = ? AND position = ?"""


def _mark_values(attempt_id: int, mark: Mark) -> tuple[object, ...]:
    """The parameters of ``_SAVE_MARK`` for one mark."""
    chosen = json.dumps(list(mark.chosen))
    return (
        int(mark.answered),
        mark.given,
        chosen,
        int(mark.correct),
        mark.score,
        mark.elapsed_ms,
        int(mark.almost),
        attempt_id,
        mark.position,
    )


def mark_writer(attempt_id: int, mark: Mark) -> Callable[[sqlite3.Connection], None]:
    """The write of one question's outcome, for a transaction that holds more (its review)."""

    def write(conn: sqlite3.Connection) -> None:
        conn.execute(_SAVE_MARK, _mark_values(attempt_id, mark))

    return write


def save_mark(store: Store, attempt_id: int, mark: Mark) -> None:
    """Save one question's outcome (committed before this returns)."""
    with store.write() as conn:
        mark_writer(attempt_id, mark)(conn)


def finish_attempt(store: Store, attempt_id: int, scorecard: Scorecard, marks: Sequence[Mark], now: datetime) -> None:
    """Save the end of an attempt: the marks not saved yet and the score (none when incomplete).

    Args:
        store: The learner's database.
        attempt_id: The attempt.
        scorecard: Its result.
        marks: The marks to save (saving one again is harmless): every mark
            of a complete paper; only those given of an incomplete one.
        now: When it ended.
    """
    score = None if scorecard.incomplete else scorecard.score
    with store.write() as conn:
        conn.executemany(_SAVE_MARK, [_mark_values(attempt_id, mark) for mark in marks])
        conn.execute(
            """UPDATE quiz_attempts SET finished_ms = ?, duration_ms = ?, score = ?, timed_out = ?, stopped_early = ?
               WHERE id = ?""",
            (
                to_ms(now),
                scorecard.duration_ms,
                score,
                int(scorecard.timed_out),
                int(scorecard.incomplete),
                attempt_id,
            ),
        )


def learner_id(store: Store) -> str:
    """The learner's id: a random UUID made once for this database, so that exports name the learner."""
    return store.setting("learner_id", "")


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """One line of the history.

    Attributes:
        id: The attempt's id.
        started: When it started.
        ended: When it ended (None: it was cut short by a crash).
        decks: The decks asked for (empty: all).
        tags: The tags asked for (empty: all).
        score: Credits earned (None unless complete).
        total: Questions in the paper.
        duration_ms: Time spent, pauses excluded (None if unfinished).
        timed_out: Whether the time limit ended it.
        seed: The paper's seed.
        forms: The question forms asked for.
        time_limit_s: The whole-exam limit, if any.
        stopped_early: The learner quit before the end.
        answered: How many questions were answered.
    """

    id: int
    started: datetime
    ended: datetime | None
    decks: tuple[str, ...]
    tags: tuple[str, ...]
    score: float | None
    total: int
    duration_ms: int | None
    timed_out: bool
    seed: int
    forms: tuple[str, ...] = ()
    time_limit_s: int | None = None
    stopped_early: bool = False
    answered: int = 0

    @property
    def complete(self) -> bool:
        """Whether it reached its end (every question marked, or the time up): a result to export."""
        return self.ended is not None and not self.stopped_early

    @property
    def scope(self) -> str:
        """What the paper covered, such as ``side-effects · tags drugs``."""
        scope = ", ".join(self.decks) or "all decks"
        return scope + (" · tags " + ", ".join(self.tags) if self.tags else "")

    def result(self, time_up: str = " time up") -> str:
        """The score (``7.5/10 (75%)``, with ``time_up`` appended when time ran out) or why there is none."""
        if self.complete and self.score is not None:
            return format_score(self.score, self.total) + (time_up if self.timed_out else "")
        return f"incomplete ({self.answered} of {self.total} answered)"


_ATTEMPT_COLUMNS = """id, started_ms, finished_ms, decks, tags, score, questions, duration_ms, timed_out, seed, forms,
    time_limit_s, stopped_early, (SELECT count(*) FROM quiz_questions WHERE attempt = quiz_attempts.id AND answered)"""


def _summary(row: Sequence[Any]) -> AttemptSummary:
    (
        rowid,
        started,
        finished,
        decks,
        tags,
        score,
        total,
        duration,
        timed_out,
        seed,
        forms,
        time_limit_s,
        stopped_early,
        answered,
    ) = row
    return AttemptSummary(
        rowid,
        from_ms(started),
        None if finished is None else from_ms(finished),
        tuple(json.loads(decks)),
        tuple(json.loads(tags)),
        score,
        total,
        duration,
        bool(timed_out),
        seed,
        tuple(json.loads(forms)),
        time_limit_s,
        bool(stopped_early),
        answered,
    )


def history(store: Store) -> list[AttemptSummary]:
    """Every attempt, oldest first."""
    rows = store.conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM quiz_attempts ORDER BY started_ms, id")
    return [_summary(row) for row in rows]


def find_attempt(store: Store, attempt_id: int) -> AttemptSummary | None:
    """One attempt, or None if there is no such attempt (an id too large for SQLite names none)."""
    if not -(2**63) <= attempt_id < 2**63:
        return None
    row = store.conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = ?", (attempt_id,)).fetchone()
    return None if row is None else _summary(row)


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
        quotes: The passages of the source the card quotes (none in an unsourced deck).
        answered: Whether the learner answered.
        answer: The learner's answer line.
        chosen: The options picked (choice).
        correct: Fully right.
        score: Credit from 0 to 1.
        duration_ms: Time spent on it.
        almost: A near miss: wrong, but nearly right.
        reached: It was marked (answered or left unanswered); an incomplete
            attempt's questions after the last one marked were never shown.
    """

    position: int
    id: QuestionId
    card_type: str
    tags: tuple[str, ...]
    question: str
    options: tuple[str, ...]
    right: tuple[str, ...]
    expected: str
    quotes: tuple[str, ...]
    answered: bool
    answer: str | None
    chosen: tuple[str, ...]
    correct: bool
    score: float
    duration_ms: int | None
    almost: bool
    reached: bool


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
           quote, answered, answer, chosen, correct, score, duration_ms, almost FROM quiz_questions WHERE attempt = ?
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
            split_quotes(quote),
            bool(answered),
            answer,
            tuple(json.loads(chosen)),
            bool(correct),
            score or 0.0,
            duration,
            bool(almost),
            correct is not None,
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
            almost,
        ) in rows
    ]
