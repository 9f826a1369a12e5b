"""Item analysis of a class's pooled quiz exports.

Definitions (also in docs/quiz.md):

* A *learner* is one export file.
* A *question* is ``(deck, card, sibling, form)``: learners who sat
  different papers pool on the questions they had in common.
* A learner's *response* to a question is their first one: from their
  earliest attempt holding it (by start time, then attempt number). Later
  attempts, after seeing the answer, are left out. An unanswered question
  is a response with credit 0.
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

Flags: ``distractor nobody picks`` (a wrong option shown but never chosen),
``strong learners miss it`` (the top third's mean credit is below one half),
``negative discrimination`` (the bottom third did better than the top third).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from immunoquiz.core.quiz import QuestionId
from immunoquiz.core.quiz_import import ExportedAnswer, LearnerExport

STRONG_MISS_BELOW = 0.5


@dataclass(frozen=True, slots=True)
class DistractorStat:
    """One wrong option of a choice question."""

    text: str
    shown: int
    chosen: int


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
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """A class's pooled results.

    Attributes:
        learners: ``(name, total)`` from strongest to weakest.
        third: How many learners make the top (and bottom) third.
        questions: One entry per question, in ``QuestionId`` order.
    """

    learners: tuple[tuple[str, float], ...]
    third: int
    questions: tuple[QuestionStat, ...]


def _first_responses(export: LearnerExport) -> dict[QuestionId, ExportedAnswer]:
    first: dict[QuestionId, ExportedAnswer] = {}
    for answer in sorted(export.answers, key=lambda a: (a.started, a.attempt, a.position)):
        first.setdefault(answer.id, answer)
    return first


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def analyse(exports: Sequence[LearnerExport]) -> Analysis:
    """Pool exports and compute the figures defined in the module docstring.

    Args:
        exports: One per learner.

    Returns:
        The analysis.
    """
    learners = [(export.name, _first_responses(export)) for export in exports]
    totals = [(name, _mean([a.score for a in responses.values()]) or 0.0, responses) for name, responses in learners]
    ranked = sorted(totals, key=lambda t: (-t[1], t[0]))
    third = len(ranked) // 3
    top = {id(t[2]) for t in ranked[:third]}
    bottom = {id(t[2]) for t in ranked[len(ranked) - third :]} if third else set()
    by_question: dict[QuestionId, list[tuple[int, ExportedAnswer]]] = {}
    for _, _, responses in ranked:
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
                tuple(flags),
            )
        )
    return Analysis(tuple((name, total) for name, total, _ in ranked), third, tuple(stats))


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_analysis(analysis: Analysis) -> str:
    """The analysis as plain text, one block per question."""
    lines = [f"{len(analysis.learners)} learners; top and bottom thirds: {analysis.third} each.", ""]
    for q in analysis.questions:
        lines.append(f"{q.id.key}  {q.text}")
        lines.append(
            f"  responses {q.responses}, correct {q.correct}, difficulty {q.difficulty:.2f}, "
            f"discrimination {_figure(q.discrimination)} (top {_figure(q.top)}, bottom {_figure(q.bottom)})"
        )
        for d in q.distractors:
            lines.append(f"  distractor: {d.text}: chosen {d.chosen} of {d.shown}")
        lines.extend(f"  ! {flag}" for flag in q.flags)
    return "\n".join(lines)


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as a JSON-ready dict."""
    return {
        "learners": [{"name": name, "total": round(total, 6)} for name, total in analysis.learners],
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
                "flags": list(q.flags),
            }
            for q in analysis.questions
        ],
    }
