"""Saving a quiz attempt as it goes: its questions as shown when it starts, each answer as given, the score at the end.

An attempt cut short by a crash stays *unfinished*: its answers so far are
kept, and exports leave it out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from immunoquiz.core.clock import to_ms
from immunoquiz.core.exam import Mark, Scorecard
from immunoquiz.core.quiz import Paper, QuizRequest
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


_SAVE_MARK = """UPDATE quiz_questions SET answered = ?, answer = ?, chosen = ?, correct = ?, score = ?, duration_ms = ?
    WHERE attempt = ? AND position = ?"""


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
        attempt_id,
        mark.position,
    )


def save_mark(store: Store, attempt_id: int, mark: Mark) -> None:
    """Save one question's outcome (committed before this returns)."""
    with store.write() as conn:
        conn.execute(_SAVE_MARK, _mark_values(attempt_id, mark))


def finish_attempt(store: Store, attempt_id: int, scorecard: Scorecard, marks: Sequence[Mark], now: datetime) -> None:
    """Save the end of an attempt: the marks not saved yet and the score.

    Args:
        store: The learner's database.
        attempt_id: The attempt.
        scorecard: Its result.
        marks: Every mark of the paper (saving one again is harmless).
        now: When it ended.
    """
    with store.write() as conn:
        conn.executemany(_SAVE_MARK, [_mark_values(attempt_id, mark) for mark in marks])
        conn.execute(
            "UPDATE quiz_attempts SET finished_ms = ?, duration_ms = ?, score = ?, timed_out = ? WHERE id = ?",
            (to_ms(now), scorecard.duration_ms, scorecard.score, int(scorecard.timed_out), attempt_id),
        )
