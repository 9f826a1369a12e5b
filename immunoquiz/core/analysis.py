"""Item analysis of a class's pooled quiz exports.

Definitions (also in docs/quiz.md):

* A *learner* is known by the id in their exports: the same learner's files
  (a JSON and a CSV export, say) count once. An export without an id
  (format version 1) is a learner of its own.
* A *question* is ``(deck, card, sibling, form)``: learners who sat
  different papers pool on the questions they had in common.
* Only *complete* attempts are pooled (those quit before their end are left
  out unless asked for): a learner who quit once and then sat the paper
  through is judged on the paper sat through.
* A learner's *response* to a question is their first one: from their
  earliest complete attempt holding it (by start time, then attempt number).
  Later attempts, after seeing the answer, are left out. An unanswered
  question is a response with credit 0.
* A learner's *score* is the credit of their responses out of their number.
* A learner's *total* is the mean credit of their responses (0 to 1), so
  that papers of different lengths compare.
* *Difficulty* of a question is the mean credit of its responses, 0 to 1:
  the share of learners who got it right when credit is all-or-nothing
  (higher means easier).
* *Discrimination*: learners are ranked by total (ties broken by name), the
  top third are the first ``L // 3`` of ``L`` learners and the bottom third
  the last ``L // 3``. Discrimination is the mean credit of the top-third
  learners who had the question minus that of the bottom-third learners who
  had it, from -1 to 1; it is None when either group has no response
  (fewer than three learners, say).
* *Distractors*: for choice questions, each wrong option with how many
  responses had it on screen and how many picked it.
* *Wrong answers*: for typed and numeric questions, each wrong answer typed
  (answers equal but for case, accents and surrounding punctuation count as
  one), with how many responses gave it and how many of those were near
  misses: the alternatives an author may add to ``accept``.

Flags: ``distractor nobody picks`` (a wrong option shown but never chosen),
``strong learners miss it`` (the top third's mean credit is below one half),
``negative discrimination`` (the bottom third did better than the top third).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunoquiz.core.exam import format_score
from immunoquiz.core.quiz import QuestionId
from immunoquiz.core.quiz_import import ExportedAnswer, LearnerExport
from immunoquiz.core.text import counted, normalise_answer, visible

STRONG_MISS_BELOW = 0.5


@dataclass(frozen=True, slots=True)
class DistractorStat:
    """One wrong option of a choice question."""

    text: str
    shown: int
    chosen: int


@dataclass(frozen=True, slots=True)
class WrongAnswer:
    """One wrong answer typed to a question.

    Attributes:
        text: The answer as first given.
        count: Responses that gave it.
        almost: How many of those were near misses.
    """

    text: str
    count: int
    almost: int


@dataclass(frozen=True, slots=True)
class LearnerScore:
    """One learner's pooled responses.

    Attributes:
        name: The learner's name, or their file's name when the export has none.
        learner_id: The id in their exports (None for a version 1 export).
        files: The export files read for them.
        score: The credit of their responses.
        responses: How many responses.
    """

    name: str
    learner_id: str | None
    files: tuple[Path, ...]
    score: float
    responses: int

    @property
    def total(self) -> float:
        """The mean credit of their responses, 0 to 1 (0 without any)."""
        return self.score / self.responses if self.responses else 0.0


@dataclass(frozen=True, slots=True)
class QuestionStat:
    """The figures of one question.

    Attributes:
        id: The question.
        text: Its text (as last seen).
        responses: Learners who answered or were asked it.
        correct: Responses fully right.
        difficulty: Mean credit, 0 to 1.
        top: Mean credit of the top third who had it (None if none did).
        bottom: Mean credit of the bottom third who had it (None if none did).
        discrimination: ``top - bottom``, or None.
        distractors: For choice questions, the wrong options, most chosen first.
        wrong_answers: For typed and numeric questions, the wrong answers typed, most given first.
        flags: Warnings for the author.
    """

    id: QuestionId
    text: str
    responses: int
    correct: int
    difficulty: float
    top: float | None
    bottom: float | None
    discrimination: float | None
    distractors: tuple[DistractorStat, ...]
    wrong_answers: tuple[WrongAnswer, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """A class's pooled results.

    Attributes:
        learners: Every learner with a response, from strongest to weakest (by total, then name).
        third: How many learners make the top (and bottom) third.
        questions: One entry per question, in ``QuestionId`` order.
        seen_twice: Learners read from more than one file (counted once).
        nothing_pooled: Learners whose files hold no attempt to pool (none complete).
    """

    learners: tuple[LearnerScore, ...]
    third: int
    questions: tuple[QuestionStat, ...]
    seen_twice: tuple[LearnerScore, ...] = ()
    nothing_pooled: tuple[LearnerScore, ...] = ()


def _first_responses(answers: Sequence[ExportedAnswer], include_incomplete: bool) -> dict[QuestionId, ExportedAnswer]:
    first: dict[QuestionId, ExportedAnswer] = {}
    for answer in sorted(answers, key=lambda a: (a.started, a.attempt, a.position)):
        if answer.complete or include_incomplete:
            first.setdefault(answer.id, answer)
    return first


def _by_learner(exports: Sequence[LearnerExport]) -> list[list[LearnerExport]]:
    """The exports grouped by learner id (each file without one is its own learner), in the order given."""
    groups: dict[object, list[LearnerExport]] = {}
    for export in exports:
        groups.setdefault(export.learner_id or export.path, []).append(export)
    return list(groups.values())


def _wrong_answers(responses: Sequence[ExportedAnswer]) -> tuple[WrongAnswer, ...]:
    counts: dict[str, WrongAnswer] = {}
    for answer in responses:
        text = (answer.answer or "").strip()
        if answer.correct or not text:
            continue
        key = normalise_answer(text)
        seen = counts.get(key, WrongAnswer(text, 0, 0))
        counts[key] = WrongAnswer(seen.text, seen.count + 1, seen.almost + answer.almost)
    return tuple(sorted(counts.values(), key=lambda w: (-w.count, w.text)))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def analyse(exports: Sequence[LearnerExport], *, include_incomplete: bool = False) -> Analysis:
    """Pool exports and compute the figures defined in the module docstring.

    Args:
        exports: The files read, one or more per learner.
        include_incomplete: Also pool the attempts quit before their end.

    Returns:
        The analysis.
    """
    pooled: list[tuple[LearnerScore, dict[QuestionId, ExportedAnswer]]] = []
    seen_twice: list[LearnerScore] = []
    nothing: list[LearnerScore] = []
    for group in _by_learner(exports):
        # The same attempt read from two files (JSON and CSV) is one attempt: first responses keep one copy.
        responses = _first_responses([a for export in group for a in export.answers], include_incomplete)
        scores = [a.score for a in responses.values()]
        learner = LearnerScore(
            group[0].name, group[0].learner_id, tuple(e.path for e in group), sum(scores), len(scores)
        )
        if len(group) > 1:
            seen_twice.append(learner)
        if responses:
            pooled.append((learner, responses))
        else:
            nothing.append(learner)
    ranked = sorted(pooled, key=lambda t: (-t[0].total, t[0].name))
    third = len(ranked) // 3
    top = {id(t[1]) for t in ranked[:third]}
    bottom = {id(t[1]) for t in ranked[len(ranked) - third :]} if third else set()
    by_question: dict[QuestionId, list[tuple[int, ExportedAnswer]]] = {}
    for _, responses in ranked:
        for qid, answer in responses.items():
            by_question.setdefault(qid, []).append((id(responses), answer))
    stats: list[QuestionStat] = []
    for qid in sorted(by_question):
        rows = by_question[qid]
        scores = [a.score for _, a in rows]
        top_mean = _mean([a.score for who, a in rows if who in top])
        bottom_mean = _mean([a.score for who, a in rows if who in bottom])
        discrimination = None if top_mean is None or bottom_mean is None else top_mean - bottom_mean
        distractors: dict[str, list[int]] = {}
        if qid.form == "choice":
            for _, answer in rows:
                for option in answer.options:
                    if option in answer.right:
                        continue
                    counts = distractors.setdefault(option, [0, 0])
                    counts[0] += 1
                    counts[1] += option in answer.chosen
        options = tuple(
            sorted((DistractorStat(t, c[0], c[1]) for t, c in distractors.items()), key=lambda d: (-d.chosen, d.text))
        )
        flags: list[str] = []
        never = [d.text for d in options if d.chosen == 0]
        if never:
            flags.append("distractor nobody picks: " + "; ".join(never))
        if top_mean is not None and top_mean < STRONG_MISS_BELOW:
            flags.append("strong learners miss it")
        if discrimination is not None and discrimination < 0:
            flags.append("negative discrimination")
        stats.append(
            QuestionStat(
                qid,
                rows[-1][1].question,
                len(rows),
                sum(a.correct for _, a in rows),
                sum(scores) / len(scores),
                top_mean,
                bottom_mean,
                discrimination,
                options,
                _wrong_answers([a for _, a in rows]) if qid.form in ("typed", "numeric") else (),
                tuple(flags),
            )
        )
    return Analysis(tuple(t[0] for t in ranked), third, tuple(stats), tuple(seen_twice), tuple(nothing))


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def warnings(analysis: Analysis) -> list[str]:
    """One line for each learner read from several files, and for each whose files had nothing to pool."""
    lines = []
    for learner in analysis.seen_twice:
        files = ", ".join(map(str, learner.files))
        known_by = f"{learner.name}, id {learner.learner_id}" if learner.learner_id else learner.name
        lines.append(f"{files}: the same learner ({known_by}), counted once")
    for learner in analysis.nothing_pooled:
        files = ", ".join(map(str, learner.files))
        lines.append(
            f"{files}: {learner.name} has no complete attempt, so none is pooled (--include-incomplete pools them)"
        )
    return lines


def format_analysis(analysis: Analysis) -> str:
    """The analysis as plain text: the learners' scores, then one block per question."""
    lines = [f"{counted(len(analysis.learners), 'learner')}; top and bottom thirds: {analysis.third} each.", ""]
    if analysis.learners:
        lines.append("Learners (score over their first responses):")
        width = max(len(learner.name) for learner in analysis.learners)
        scores = [format_score(learner.score, learner.responses) for learner in analysis.learners]
        score_width = max(map(len, scores))
        for learner, score in zip(analysis.learners, scores, strict=True):
            files = ", ".join(path.name for path in learner.files)
            lines.append(f"  {learner.name:<{width}}  {score:>{score_width}}  {files}")
        lines.append("")
    for q in analysis.questions:
        lines.append(f"{q.id.key}  {q.text}")
        lines.append(
            f"  responses {q.responses}, correct {q.correct}, difficulty {q.difficulty:.2f}, "
            f"discrimination {_figure(q.discrimination)} (top {_figure(q.top)}, bottom {_figure(q.bottom)})"
        )
        for d in q.distractors:
            lines.append(f"  distractor: {d.text}: chosen {d.chosen} of {d.shown}")
        for w in q.wrong_answers:
            lines.append(f"  wrong answer: {w.text}: given {w.count}" + (f", {w.almost} almost" if w.almost else ""))
        lines.extend(f"  ! {flag}" for flag in q.flags)
    # Names, questions and typed answers come from exports: nothing in them may act on the terminal.
    return "\n".join(map(visible, lines))


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as a JSON-ready dict."""
    return {
        "learners": [
            {
                "name": learner.name,
                "learner_id": learner.learner_id,
                "files": [str(path) for path in learner.files],
                "score": round(learner.score, 6),
                "responses": learner.responses,
                "total": round(learner.total, 6),
            }
            for learner in analysis.learners
        ],
        "third": analysis.third,
        "questions": [
            {
                "deck": q.id.deck_id,
                "card": q.id.card_id,
                "sibling": q.id.sibling,
                "form": q.id.form,
                "question": q.text,
                "responses": q.responses,
                "correct": q.correct,
                "difficulty": round(q.difficulty, 6),
                "top": None if q.top is None else round(q.top, 6),
                "bottom": None if q.bottom is None else round(q.bottom, 6),
                "discrimination": None if q.discrimination is None else round(q.discrimination, 6),
                "distractors": [{"text": d.text, "shown": d.shown, "chosen": d.chosen} for d in q.distractors],
                "wrong_answers": [{"text": w.text, "count": w.count, "almost": w.almost} for w in q.wrong_answers],
                "flags": list(q.flags),
            }
            for q in analysis.questions
        ],
        "warnings": warnings(analysis),
    }
