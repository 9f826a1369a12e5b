"""A learner's complete quiz attempts as one export document, written as JSON or CSV.

The document carries ``format`` and ``version`` fields so that
``quiz_import.read_export`` refuses files from a version it does not know,
and the learner's id (``quiz_store.learner_id``) so that the analysis
counts a learner once whatever the files; see docs/quiz.md for every field.
An instructor pools exports with ``core.analysis``.

Version 2 added the learner's id, whether each attempt is complete (only
complete ones are exported unless asked) and each question's near miss.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from immunoquiz.core.quiz_store import AttemptSummary, QuestionRecord, history, learner_id, questions_of
from immunoquiz.core.store import Store

FORMAT_NAME = "immunoquiz-results"
FORMAT_VERSION = 2


@dataclass(frozen=True, slots=True)
class ExportedAttempt:
    """An attempt as exported.

    Attributes:
        summary: Its line of the history (id, start, end, scope, forms, score, duration, seed, complete).
        questions: Its questions with the learner's answers, in paper order.
    """

    summary: AttemptSummary
    questions: tuple[QuestionRecord, ...]


@dataclass(frozen=True, slots=True)
class ExportDocument:
    """A learner's attempts (format ``FORMAT_NAME``, version ``FORMAT_VERSION``).

    Attributes:
        app_version: The immunoquiz version that exported it.
        learner: The learner's (profile) name, if any.
        learner_id: The learner's id, made once for their database.
        exported: When it was exported.
        attempts: The attempts, oldest first.
    """

    app_version: str
    learner: str | None
    learner_id: str
    exported: datetime
    attempts: tuple[ExportedAttempt, ...]


def export_document(
    store: Store, learner: str | None, now: datetime, *, include_incomplete: bool = False
) -> ExportDocument:
    """A learner's complete attempts as one document.

    Args:
        store: The learner's database.
        learner: The learner's (profile) name, if any.
        now: The time of the export.
        include_incomplete: Also export the attempts quit before their end or
            cut short (marked ``complete: false``; the analysis leaves them out
            unless asked).

    Returns:
        The document (``export_to_json`` gives its JSON form: see docs/quiz.md).
    """
    from immunoquiz import __version__

    # An incomplete attempt lists only the questions reached: the rest were never shown.
    attempts = tuple(
        ExportedAttempt(row, tuple(q for q in questions_of(store, row.id) if q.reached))
        for row in history(store)
        if row.complete or include_incomplete
    )
    return ExportDocument(__version__, learner, learner_id(store), now, attempts)


def _question_json(q: QuestionRecord) -> dict[str, object]:
    return {
        "position": q.position,
        "deck": q.id.deck_id,
        "card": q.id.card_id,
        "sibling": q.id.sibling,
        "form": q.id.form,
        "card_type": q.card_type,
        "tags": list(q.tags),
        "question": q.question,
        "options": list(q.options),
        "right": list(q.right),
        "chosen": list(q.chosen),
        "answer": q.answer,
        "answered": q.answered,
        "correct": q.correct,
        "almost": q.almost,
        "score": q.score,
        "duration_ms": q.duration_ms,
    }


def _attempt_json(a: ExportedAttempt) -> dict[str, object]:
    row = a.summary
    return {
        "attempt": row.id,
        "started": row.started.isoformat(),
        "finished": None if row.ended is None else row.ended.isoformat(),
        "complete": row.complete,
        "duration_ms": row.duration_ms,
        "seed": row.seed,
        "decks": list(row.decks),
        "tags": list(row.tags),
        "forms": list(row.forms),
        "time_limit_s": row.time_limit_s,
        "timed_out": row.timed_out,
        "score": row.score,
        "total": row.total,
        "questions": [_question_json(q) for q in a.questions],
    }


def export_to_json(document: ExportDocument) -> dict[str, object]:
    """The document in its JSON form (format version ``FORMAT_VERSION``, every field in docs/quiz.md)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": document.app_version,
        "learner": document.learner,
        "learner_id": document.learner_id,
        "exported": document.exported.isoformat(),
        "attempts": [_attempt_json(a) for a in document.attempts],
    }


CSV_COLUMNS = (
    "format",
    "version",
    "learner",
    "learner_id",
    "attempt",
    "started",
    "duration_ms",
    "attempt_score",
    "attempt_total",
    "complete",
    "position",
    "deck",
    "card",
    "sibling",
    "form",
    "card_type",
    "tags",
    "question",
    "options",
    "right",
    "chosen",
    "answer",
    "answered",
    "correct",
    "almost",
    "score",
    "duration_ms_question",
)
"""One row per question; list cells (tags, options, right, chosen) hold JSON arrays; flags are 0 or 1."""


def write_json(document: ExportDocument, out: IO[str]) -> None:
    """Write an export document as JSON."""
    json.dump(export_to_json(document), out, ensure_ascii=False, indent=2)
    out.write("\n")


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TEXT_GUARD = "'"
"""Put before a text cell a spreadsheet would run, and before one that starts with it (so reading takes it off)."""


def guard_cell(value: object) -> object:
    """A CSV cell made safe for spreadsheets: typed answers and deck text go straight into an instructor's."""
    if isinstance(value, str) and value.startswith((*_FORMULA_STARTS, CSV_TEXT_GUARD)):
        return CSV_TEXT_GUARD + value
    return value


def write_csv(document: ExportDocument, out: IO[str]) -> None:
    """Write an export document as CSV, one row per question (see ``CSV_COLUMNS``).

    A text cell that a spreadsheet would run as a formula is written after
    a ``'``, which ``quiz_import`` takes off again (see ``guard_cell``).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in document.attempts:
        row = a.summary
        for q in a.questions:
            cells = [
                FORMAT_NAME,
                FORMAT_VERSION,
                document.learner or "",
                document.learner_id,
                row.id,
                row.started.isoformat(),
                row.duration_ms,
                row.score,  # empty for an incomplete attempt
                row.total,
                int(row.complete),
                q.position,
                q.id.deck_id,
                q.id.card_id,
                q.id.sibling,
                q.id.form,
                q.card_type,
                json.dumps(list(q.tags), ensure_ascii=False),
                q.question,
                json.dumps(list(q.options), ensure_ascii=False),
                json.dumps(list(q.right), ensure_ascii=False),
                json.dumps(list(q.chosen), ensure_ascii=False),
                "" if q.answer is None else q.answer,
                int(q.answered),
                int(q.correct),
                int(q.almost),
                q.score,
                "" if q.duration_ms is None else q.duration_ms,
            ]
            writer.writerow([guard_cell(cell) for cell in cells])
