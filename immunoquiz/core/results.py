"""Quiz results: attempts saved as they go, history, mistakes to cram, export and import.

An *attempt* is one sitting of a paper. It is saved when it starts (with
every question as shown: its options in the order shown and the right ones),
each answer is saved as it is given, and the score when it ends; an attempt
cut short by a crash stays *unfinished* and is left out of exports.

The export (``export_document``; ``write_json`` / ``write_csv``) holds a
learner's finished attempts, with ``format`` and ``version`` fields so that
``read_export`` refuses files from another version; see docs/quiz.md for
every field. An instructor pools exports with ``core.analysis``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from immunoquiz.core.clock import from_ms, to_ms
from immunoquiz.core.exam import Mark, Scorecard, format_score
from immunoquiz.core.quiz import QUIZ_FORMS, Paper, QuestionId, QuizForm, QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import format_moment

FORMAT_NAME = "immunoquiz-results"
FORMAT_VERSION = 1


class ResultsError(Exception):
    """A results request or file that cannot be used; the message is one line for people."""


# -- saving ----------------------------------------------------------------


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


def save_mark(store: Store, attempt_id: int, mark: Mark) -> None:
    """Save one question's outcome (committed before this returns)."""
    with store.write() as conn:
        conn.execute(
            """UPDATE quiz_questions SET answered = ?, answer = ?, chosen = ?, correct = ?, score = ?, duration_ms = ?
               WHERE attempt = ? AND position = ?""",
            (
                int(mark.answered),
                mark.given,
                json.dumps(list(mark.chosen)),
                int(mark.correct),
                mark.score,
                mark.elapsed_ms,
                attempt_id,
                mark.position,
            ),
        )


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
        conn.executemany(
            """UPDATE quiz_questions SET answered = ?, answer = ?, chosen = ?, correct = ?, score = ?, duration_ms = ?
               WHERE attempt = ? AND position = ?""",
            [
                (
                    int(m.answered),
                    m.given,
                    json.dumps(list(m.chosen)),
                    int(m.correct),
                    m.score,
                    m.elapsed_ms,
                    attempt_id,
                    m.position,
                )
                for m in marks
            ],
        )
        conn.execute(
            "UPDATE quiz_attempts SET finished_ms = ?, duration_ms = ?, score = ?, timed_out = ? WHERE id = ?",
            (to_ms(now), scorecard.duration_ms, scorecard.score, int(scorecard.timed_out), attempt_id),
        )


# -- reading back ------------------------------------------------------------


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


def _form(name: str) -> QuizForm:
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
            QuestionId(deck, card, sibling, _form(form)),
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


# -- export --------------------------------------------------------------------


def export_document(store: Store, learner: str | None, now: datetime) -> dict[str, Any]:
    """A learner's finished attempts as one JSON-ready document (format version ``FORMAT_VERSION``).

    Args:
        store: The learner's database.
        learner: The learner's (profile) name, if any.
        now: The time of the export.

    Returns:
        The document: see docs/quiz.md.
    """
    from immunoquiz import __version__

    attempts = []
    for row in history(store):
        if not row.finished or row.score is None:
            continue
        detail = store.conn.execute(
            "SELECT forms, time_limit_s, finished_ms FROM quiz_attempts WHERE id = ?", (row.id,)
        ).fetchone()
        attempts.append(
            {
                "attempt": row.id,
                "started": row.started.isoformat(),
                "finished": from_ms(detail[2]).isoformat(),
                "duration_ms": row.duration_ms,
                "seed": row.seed,
                "decks": list(row.decks),
                "tags": list(row.tags),
                "forms": json.loads(detail[0]),
                "time_limit_s": detail[1],
                "timed_out": row.timed_out,
                "score": row.score,
                "total": row.total,
                "questions": [
                    {
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
                        "score": q.score,
                        "duration_ms": q.duration_ms,
                    }
                    for q in questions_of(store, row.id)
                ],
            }
        )
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "learner": learner,
        "exported": now.isoformat(),
        "attempts": attempts,
    }


CSV_COLUMNS = (
    "format",
    "version",
    "learner",
    "attempt",
    "started",
    "duration_ms",
    "attempt_score",
    "attempt_total",
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
    "score",
    "duration_ms_question",
)
"""One row per question; list cells (tags, options, right, chosen) hold JSON arrays."""


def write_json(document: dict[str, Any], out: IO[str]) -> None:
    """Write an export document as JSON."""
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(document: dict[str, Any], out: IO[str]) -> None:
    """Write an export document as CSV, one row per question (see ``CSV_COLUMNS``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in document["attempts"]:
        for q in a["questions"]:
            writer.writerow(
                [
                    document["format"],
                    document["version"],
                    document["learner"] or "",
                    a["attempt"],
                    a["started"],
                    a["duration_ms"],
                    a["score"],
                    a["total"],
                    q["position"],
                    q["deck"],
                    q["card"],
                    q["sibling"],
                    q["form"],
                    q["card_type"],
                    json.dumps(q["tags"], ensure_ascii=False),
                    q["question"],
                    json.dumps(q["options"], ensure_ascii=False),
                    json.dumps(q["right"], ensure_ascii=False),
                    json.dumps(q["chosen"], ensure_ascii=False),
                    "" if q["answer"] is None else q["answer"],
                    int(q["answered"]),
                    int(q["correct"]),
                    q["score"],
                    "" if q["duration_ms"] is None else q["duration_ms"],
                ]
            )


# -- import ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportedAnswer:
    """One answered (or unanswered) question in an export, as the analysis needs it."""

    attempt: int
    started: str
    position: int
    id: QuestionId
    question: str
    options: tuple[str, ...]
    right: tuple[str, ...]
    chosen: tuple[str, ...]
    answered: bool
    correct: bool
    score: float


@dataclass(frozen=True, slots=True)
class LearnerExport:
    """One export file: a learner's answers.

    Attributes:
        path: The file.
        learner: The learner's name in the file, if any.
        answers: Every question of every attempt, in file order.
    """

    path: Path
    learner: str | None
    answers: tuple[ExportedAnswer, ...]

    @property
    def name(self) -> str:
        """The learner's name, or the file's name when the export has none."""
        return self.learner or self.path.name


class _Bad(Exception):
    pass


def _get(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise _Bad(f"{where} has no `{key}` field")
    value = obj[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise _Bad(f"{where}: `{key}` must be a number")
    if not isinstance(value, kind):
        raise _Bad(f"{where}: `{key}` has the wrong type")
    return value


def _strings(obj: Any, key: str, where: str) -> tuple[str, ...]:
    value = _get(obj, key, list, where)
    if not all(isinstance(v, str) for v in value):
        raise _Bad(f"{where}: `{key}` must be a list of texts")
    return tuple(value)


def _check_document(document: Any) -> tuple[str | None, tuple[ExportedAnswer, ...]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise _Bad("not an immunoquiz results export (no `format: immunoquiz-results`)")
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise _Bad(
            f"results format version {version}, but this immunoquiz reads version {FORMAT_VERSION}: "
            "export again with the same immunoquiz version as the analysis"
        )
    learner = document.get("learner")
    if learner is not None and not isinstance(learner, str):
        raise _Bad("`learner` must be a text")
    answers: list[ExportedAnswer] = []
    for n, a in enumerate(_get(document, "attempts", list, "the export"), 1):
        where = f"attempt #{n}"
        number = _get(a, "attempt", int, where)
        where = f"attempt {number}"
        started = _get(a, "started", str, where)
        score = _get(a, "score", (int, float), where)
        total = _get(a, "total", int, where)
        questions = _get(a, "questions", list, where)
        if len(questions) != total:
            raise _Bad(f"{where} lists {len(questions)} of its {total} questions: the file is truncated or was edited")
        credit = 0.0
        for q in questions:
            position = _get(q, "position", int, where)
            spot = f"{where}, question {position}"
            form = _get(q, "form", str, spot)
            if form not in QUIZ_FORMS:
                raise _Bad(f"{spot}: unknown form `{form}`")
            q_score = float(_get(q, "score", (int, float), spot))
            if not 0.0 <= q_score <= 1.0 or math.isnan(q_score):
                raise _Bad(f"{spot}: score {q_score} is not between 0 and 1")
            options = _strings(q, "options", spot)
            chosen = _strings(q, "chosen", spot)
            if any(c not in options for c in chosen):
                raise _Bad(f"{spot}: a chosen option is not among the options shown")
            credit += q_score
            answers.append(
                ExportedAnswer(
                    number,
                    started,
                    position,
                    QuestionId(
                        _get(q, "deck", str, spot),
                        _get(q, "card", str, spot),
                        _get(q, "sibling", int, spot),
                        _form(form),
                    ),
                    _get(q, "question", str, spot),
                    options,
                    _strings(q, "right", spot),
                    chosen,
                    _get(q, "answered", bool, spot),
                    _get(q, "correct", bool, spot),
                    q_score,
                )
            )
        if abs(credit - float(score)) > 1e-6:
            raise _Bad(f"{where}: its score {score} is not the sum of its questions' scores ({credit:g})")
    return learner, tuple(answers)


def _csv_document(text: str) -> dict[str, Any]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _Bad("the file is empty") from None
    if tuple(header[:2]) != ("format", "version"):
        raise _Bad("not an immunoquiz results export (neither JSON nor a CSV with `format,version,...` columns)")
    rows = list(reader)
    versions = {row[1] for row in rows if len(row) > 1}
    if versions and versions != {str(FORMAT_VERSION)}:
        other = sorted(versions - {str(FORMAT_VERSION)})[0]
        raise _Bad(
            f"results format version {other}, but this immunoquiz reads version {FORMAT_VERSION}: "
            "export again with the same immunoquiz version as the analysis"
        )
    if tuple(header) != CSV_COLUMNS:
        raise _Bad(f"the CSV columns are not those of results format version {FORMAT_VERSION}")
    attempts: dict[str, dict[str, Any]] = {}
    learner: str | None = None
    for line, row in enumerate(rows, 2):
        if len(row) != len(CSV_COLUMNS):
            raise _Bad(f"line {line} has {len(row)} fields, not {len(CSV_COLUMNS)}: the file is truncated or damaged")
        cell = dict(zip(CSV_COLUMNS, row, strict=False))
        if cell["format"] != FORMAT_NAME:
            raise _Bad(f"line {line}: `format` is not {FORMAT_NAME}")
        learner = cell["learner"] or None
        try:
            a = attempts.setdefault(
                cell["attempt"],
                {
                    "attempt": int(cell["attempt"]),
                    "started": cell["started"],
                    "score": float(cell["attempt_score"]),
                    "total": int(cell["attempt_total"]),
                    "questions": [],
                },
            )
            a["questions"].append(
                {
                    "position": int(cell["position"]),
                    "deck": cell["deck"],
                    "card": cell["card"],
                    "sibling": int(cell["sibling"]),
                    "form": cell["form"],
                    "question": cell["question"],
                    "options": json.loads(cell["options"]),
                    "right": json.loads(cell["right"]),
                    "chosen": json.loads(cell["chosen"]),
                    "answered": cell["answered"] == "1",
                    "correct": cell["correct"] == "1",
                    "score": float(cell["score"]),
                }
            )
        except ValueError as exc:
            raise _Bad(f"line {line}: a value cannot be read ({exc}): the file is damaged") from None
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "learner": learner, "attempts": list(attempts.values())}


def read_export(path: Path) -> LearnerExport:
    """Read and check an export file (JSON or CSV, told apart by content).

    Args:
        path: The file.

    Returns:
        The learner's answers.

    Raises:
        ResultsError: The file cannot be read, is not an export, is from
            another format version, or is truncated or inconsistent; the
            message names the file and the reason.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not a text file, so not an immunoquiz results export") from None
    try:
        if text.lstrip().startswith("{"):
            try:
                document = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _Bad(
                    f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}): "
                    "the file is truncated or damaged; export it again"
                ) from None
        else:
            document = _csv_document(text)
        learner, answers = _check_document(document)
    except _Bad as exc:
        raise ResultsError(f"{path}: {exc}") from None
    except csv.Error as exc:
        raise ResultsError(f"{path}: damaged CSV ({exc}): export it again") from None
    return LearnerExport(path, learner, answers)
