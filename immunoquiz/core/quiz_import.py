"""Reading and checking a learner's export (JSON or CSV) for the class analysis.

Both format versions are read. A version 1 export has no learner id (the
analysis then knows the learner by the file), no near misses, and only
attempts that reached their end, since it never held incomplete ones.
"""

from __future__ import annotations

import csv
import io
import json
import math
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunoquiz.core.quiz import QUIZ_FORMS, QuestionId
from immunoquiz.core.quiz_export import CSV_COLUMNS, CSV_TEXT_GUARD, FORMAT_NAME, FORMAT_VERSION
from immunoquiz.core.quiz_history import ResultsError
from immunoquiz.core.quiz_store import quiz_form

READ_VERSIONS = (1, FORMAT_VERSION)
"""The format versions this immunoquiz reads."""

_CSV_COLUMNS_V1 = tuple(c for c in CSV_COLUMNS if c not in ("learner_id", "complete", "almost"))


@dataclass(frozen=True, slots=True)
class ExportedAnswer:
    """One answered (or unanswered) question in an export, as the analysis needs it.

    Attributes:
        attempt: The attempt's number in the learner's database.
        started: When the attempt started (ISO 8601).
        complete: Whether the attempt reached its end.
        position: The question's index in the paper.
        id: The question.
        question: Its text.
        options: Choice options or ordering items, as shown.
        right: The right options or accepted answers.
        chosen: The options picked.
        answer: The learner's answer line, if any.
        answered: Whether the learner answered.
        correct: Fully right.
        almost: A near miss.
        score: Credit from 0 to 1.
    """

    attempt: int
    started: str
    complete: bool
    position: int
    id: QuestionId
    question: str
    options: tuple[str, ...]
    right: tuple[str, ...]
    chosen: tuple[str, ...]
    answer: str | None
    answered: bool
    correct: bool
    almost: bool
    score: float


@dataclass(frozen=True, slots=True)
class LearnerExport:
    """One export file: a learner's answers.

    Attributes:
        path: The file.
        learner: The learner's name in the file, if any.
        learner_id: The learner's id (None in a version 1 export).
        answers: Every question of every attempt, in file order.
    """

    path: Path
    learner: str | None
    learner_id: str | None
    answers: tuple[ExportedAnswer, ...]

    @property
    def name(self) -> str:
        """The learner's name, or the file's name when the export has none."""
        return self.learner or self.path.name


class _Bad(Exception):
    pass


MAX_EXPORT_BYTES = 100_000_000
"""An export larger than this is refused (a class's year of quizzes is some megabytes)."""


def _no_constant(name: str) -> float:
    # json reads NaN and Infinity by default; no score or duration is either.
    raise _Bad(f"`{name}` is not a number an export holds: export it again")


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


def _optional_text(obj: Any, key: str, where: str) -> str | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{where}: `{key}` must be a text")
    return value


def _unknown_version(version: object) -> _Bad:
    known = " and ".join(map(str, READ_VERSIONS))
    return _Bad(
        f"results format version {version}, but this immunoquiz reads versions {known}: "
        "export again with the same immunoquiz version as the analysis"
    )


def _check_document(document: Any) -> tuple[str | None, str | None, tuple[ExportedAnswer, ...]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise _Bad("not an immunoquiz results export (no `format: immunoquiz-results`)")
    version = document.get("version")
    if isinstance(version, bool) or version not in READ_VERSIONS:
        raise _unknown_version(version)
    v1 = version == 1
    learner = _optional_text(document, "learner", "the export")
    # A CSV export without rows cannot carry the id; it has nothing to pool either.
    learner_id = None if v1 else _optional_text(document, "learner_id", "the export")
    attempts = _get(document, "attempts", list, "the export")
    if not v1 and attempts and not learner_id:
        raise _Bad("`learner_id` is missing or empty: export it again")
    answers: list[ExportedAnswer] = []
    for n, a in enumerate(attempts, 1):
        where = f"attempt #{n}"
        number = _get(a, "attempt", int, where)
        where = f"attempt {number}"
        started = _get(a, "started", str, where)
        complete = v1 or _get(a, "complete", bool, where)
        # An incomplete attempt has no score: nothing to check its questions against.
        score = _get(a, "score", (int, float), where) if complete else None
        total = _get(a, "total", int, where)
        questions = _get(a, "questions", list, where)
        if len(questions) > total or (complete and len(questions) < total):
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
                    complete,
                    position,
                    QuestionId(
                        _get(q, "deck", str, spot),
                        _get(q, "card", str, spot),
                        _get(q, "sibling", int, spot),
                        quiz_form(form),
                    ),
                    _get(q, "question", str, spot),
                    options,
                    _strings(q, "right", spot),
                    chosen,
                    _optional_text(q, "answer", spot),
                    _get(q, "answered", bool, spot),
                    _get(q, "correct", bool, spot),
                    False if v1 else _get(q, "almost", bool, spot),
                    q_score,
                )
            )
        if score is not None and not math.isfinite(score):
            raise _Bad(f"{where}: its score {score} is not a number")
        if score is not None and abs(credit - float(score)) > 1e-6:
            raise _Bad(f"{where}: its score {score} is not the sum of its questions' scores ({credit:g})")
    return learner, learner_id, tuple(answers)


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
    known = {str(v) for v in READ_VERSIONS}
    if versions - known or len(versions) > 1:
        raise _unknown_version(sorted(versions - known or versions)[0])
    # Without rows, the header tells the version.
    version = int(versions.pop()) if versions else (1 if tuple(header) == _CSV_COLUMNS_V1 else FORMAT_VERSION)
    columns = _CSV_COLUMNS_V1 if version == 1 else CSV_COLUMNS
    if tuple(header) != columns:
        raise _Bad(f"the CSV columns are not those of results format version {version}")
    attempts: dict[str, dict[str, Any]] = {}
    learner: str | None = None
    learner_id: str | None = None
    for line, row in enumerate(rows, 2):
        if len(row) != len(columns):
            raise _Bad(f"line {line} has {len(row)} fields, not {len(columns)}: the file is truncated or damaged")
        # Version 1 had no incomplete attempts and no near misses.
        if version > 1:  # version 2 guards cells a spreadsheet would run: see quiz_export.guard_cell
            row = [value.removeprefix(CSV_TEXT_GUARD) for value in row]
        cell = {"learner_id": "", "complete": "1", "almost": "0", **dict(zip(columns, row, strict=False))}
        if cell["format"] != FORMAT_NAME:
            raise _Bad(f"line {line}: `format` is not {FORMAT_NAME}")
        learner = cell["learner"] or None
        learner_id = cell["learner_id"] or None
        complete = cell["complete"] == "1"
        try:
            a = attempts.setdefault(
                cell["attempt"],
                {
                    "attempt": int(cell["attempt"]),
                    "started": cell["started"],
                    "complete": complete,
                    "score": float(cell["attempt_score"]) if complete else None,
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
                    "answer": cell["answer"] or None,
                    "answered": cell["answered"] == "1",
                    "correct": cell["correct"] == "1",
                    "almost": cell["almost"] == "1",
                    "score": float(cell["score"]),
                }
            )
        except ValueError as exc:
            raise _Bad(f"line {line}: a value cannot be read ({exc}): the file is damaged") from None
    return {
        "format": FORMAT_NAME,
        "version": version,
        "learner": learner,
        "learner_id": learner_id,
        "attempts": list(attempts.values()),
    }


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
        if not stat.S_ISREG(path.stat().st_mode):
            raise ResultsError(f"{path}: not a regular file, so not an immunoquiz results export")
        with path.open("rb") as handle:
            data = handle.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ResultsError(f"{path}: larger than {MAX_EXPORT_BYTES // 1_000_000} MB, too large for an export")
    try:
        text = data.decode("utf-8-sig")  # Excel saves CSV with a byte-order mark
    except UnicodeDecodeError:
        raise ResultsError(f"{path}: not a text file, so not an immunoquiz results export") from None
    try:
        if text.lstrip().startswith("{"):
            try:
                document = json.loads(text, parse_constant=_no_constant)
            except json.JSONDecodeError as exc:
                raise _Bad(
                    f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}): "
                    "the file is truncated or damaged; export it again"
                ) from None
        else:
            document = _csv_document(text)
        learner, learner_id, answers = _check_document(document)
    except _Bad as exc:
        raise ResultsError(f"{path}: {exc}") from None
    except csv.Error as exc:
        raise ResultsError(f"{path}: damaged CSV ({exc}): export it again") from None
    except RecursionError:
        raise ResultsError(f"{path}: nested too deeply for an export: it was not written by immunoquiz") from None
    except ValueError as exc:  # a number of thousands of digits, say
        raise ResultsError(f"{path}: a value cannot be read ({exc}): export it again") from None
    return LearnerExport(path, learner, learner_id, answers)
