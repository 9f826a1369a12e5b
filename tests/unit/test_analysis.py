"""Item analysis on hand-made exports (tests/exports/) whose figures are worked out by hand below."""

from __future__ import annotations

from pathlib import Path

import pytest

from immunoquiz.core.analysis import analyse
from immunoquiz.core.quiz_import import read_export
from tests.support.decks import EXPORTS

FILES = [*sorted(EXPORTS.glob("*.json")), EXPORTS / "fay.csv"]

# Credits per learner (q1 choice, q2 typed, q3 ordering with partial credit, q4 numeric):
#   ana 1 1 1   0  -> total 3/4   = 0.75
#   ben 1 1 0.5 0  -> 2.5/4       = 0.625
#   cai 0 1 1   .  -> 2/3         = 0.667
#   dee 1 0 0.5 .  -> 1.5/3       = 0.5
#   eve 0 0 0   1  -> 1/4         = 0.25
#   fay 0 - 0.5 .  -> 0.5/3       = 0.167  (q2 unanswered; a later attempt, all right, is ignored: first responses only)
# Ranked: ana, cai, ben, dee, eve, fay; thirds of 6 = 2: top {ana, cai}, bottom {eve, fay}.
#   q1: difficulty 3/6 = 0.5; top (1 + 0)/2 = 0.5, bottom 0 -> discrimination 0.5
#   q2: difficulty 3/6 = 0.5; top 1, bottom 0 -> 1.0
#   q3: difficulty 3.5/6 = 0.583; top 1, bottom (0 + 0.5)/2 = 0.25 -> 0.75
#   q4: only ana, ben, eve had it: difficulty 1/3; top (ana) 0, bottom (eve) 1 -> -1: strong learners miss it
# q1's distractors over 6 showings: Nivolumab chosen by cai and eve, Trastuzumab by fay, Cetuximab by nobody.


def test_difficulty_discrimination_and_distractors_by_hand() -> None:
    analysis = analyse([read_export(path) for path in FILES])
    assert [(learner.name, round(learner.total, 3)) for learner in analysis.learners] == [
        ("ana", 0.75),
        ("cai", 0.667),
        ("ben", 0.625),
        ("dee", 0.5),
        ("eve", 0.25),
        ("fay", 0.167),
    ]
    assert analysis.third == 2
    figures = {
        q.id.card_id: (q.responses, q.correct, round(q.difficulty, 3), q.top, q.bottom, q.discrimination)
        for q in analysis.questions
    }
    assert figures == {
        "q1": (6, 3, 0.5, 0.5, 0.0, 0.5),
        "q2": (6, 3, 0.5, 1.0, 0.0, 1.0),
        "q3": (6, 2, 0.583, 1.0, 0.25, 0.75),
        "q4": (3, 1, 0.333, 0.0, 1.0, -1.0),
    }
    q1, q2, q3, q4 = analysis.questions
    assert [(d.text, d.shown, d.chosen) for d in q1.distractors] == [
        ("Nivolumab", 6, 2),
        ("Trastuzumab", 6, 1),
        ("Cetuximab", 6, 0),
    ]
    assert q1.flags == ("distractor nobody picks: Cetuximab",)
    assert q2.flags == q3.flags == () and q2.distractors == ()
    assert q4.flags == ("strong learners miss it", "negative discrimination")


def test_fewer_than_three_learners_have_no_discrimination() -> None:
    analysis = analyse([read_export(EXPORTS / "ana.json"), read_export(EXPORTS / "eve.json")])
    assert analysis.third == 0 and all(q.discrimination is None for q in analysis.questions)
    assert {q.id.card_id: q.difficulty for q in analysis.questions}["q4"] == 0.5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_hand_made_exports_are_valid(path: Path) -> None:
    assert read_export(path).answers
