"""Item analysis on hand-made version 1 exports (tests/exports/) whose figures are worked out by hand below, and on
exports made by sitting papers: incomplete attempts, learners known by id, wrong typed answers, the score table."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz.core.analysis import analyse, analysis_to_json, format_analysis, warnings
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.quiz_export import export_document, write_csv, write_json
from immunoquiz.core.quiz_import import read_export
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import Store, open_store
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


BRANDS = ["Keytruda", "Opdivo", "Yervoy", "Herceptin", "Tecentriq", "Imfinzi", "Kymriah", "Yescarta"]
PAPER = QuizRequest(count=8, forms=("typed",), seed=1)


def brand_card(n: int, brand: str) -> str:
    return "\n".join(
        [
            f"  - id: c{n}",
            "    type: typed",
            "    tags: [brands]",
            "    quote: Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction",
            f"    question: Brand name number {n}?",
            f"    answer: {brand}",
        ]
    )


def learner(deck: Path, clock: ManualClock) -> Store:
    store = open_store(memory=True)
    store.sync([deck], clock())
    return store


def sit(store: Store, clock: ManualClock, typed: dict[str, str], quit_after: int | None = None) -> None:
    """Sit the 8-question paper, typing ``typed[card]`` (else the right answer); quit after ``quit_after``."""
    sitting = QuizSitting(store, make_paper(store, PAPER), PAPER, clock=clock)
    given = 0
    while (question := sitting.current()) is not None and given != quit_after:
        clock.advance(seconds=5)
        sitting.answer(typed.get(question.id.card_id, question.prompt.answers[0]))
        given += 1
    sitting.finish(stopped=quit_after is not None)


def export(store: Store, name: str, clock: ManualClock, path: Path) -> Path:
    """Write the learner's export, incomplete attempts included, as JSON or CSV by the path's suffix."""
    document = export_document(store, name, clock(), include_incomplete=True)
    out = io.StringIO()
    (write_csv if path.suffix == ".csv" else write_json)(document, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def class_exports(tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]) -> dict[str, Path]:
    """ana quit at question 1 (every answer wrong), then scored 8/8; ben, cai and dee sat it once; eve only quit."""
    deck = write_deck("d", [brand_card(n, brand) for n, brand in enumerate(BRANDS, 1)])
    everyone = {name: learner(deck, clock) for name in ("ana", "ben", "cai", "dee", "eve")}
    sit(everyone["ana"], clock, {f"c{n}": "no idea" for n in range(1, 9)}, quit_after=1)
    sit(everyone["ana"], clock, {})
    sit(everyone["ben"], clock, {"c1": "Keytrudda", "c2": "Opdivo!"})  # a near miss; "Opdivo!" is right
    sit(everyone["cai"], clock, {"c1": "keytrudda ", "c3": "Opdivo"})  # the same near miss; another drug
    sit(everyone["dee"], clock, {"c1": "Pembro", "c3": "opdivo", "c4": "no idea"})
    sit(everyone["eve"], clock, {}, quit_after=2)
    files = {name: export(store, name, clock, tmp_path / f"{name}.json") for name, store in everyone.items()}
    files["ana.csv"] = export(everyone["ana"], "ana", clock, tmp_path / "ana.csv")
    return files


def test_a_learner_who_quit_once_then_scored_8_of_8_counts_as_right(class_exports: dict[str, Path]) -> None:
    ana = read_export(class_exports["ana"])
    assert {a.complete for a in ana.answers} == {False, True}  # the quit attempt is in the file
    analysis = analyse([read_export(class_exports[name]) for name in ("ana", "ben", "cai", "dee", "eve")])
    assert warnings(analysis) == [
        f"{class_exports['eve']}: eve has no complete attempt, so none is pooled (--include-incomplete pools them)"
    ]
    assert [(s.name, s.score, s.responses) for s in analysis.learners] == [
        ("ana", 8.0, 8),
        ("ben", 7.0, 8),
        ("cai", 6.0, 8),
        ("dee", 5.0, 8),
    ]
    assert all(q.responses == 4 for q in analysis.questions)
    # Asked for, the quit attempt's first answer (wrong) is ana's response to its question.
    asked = analyse([read_export(class_exports[name]) for name in ("ana", "ben", "eve")], include_incomplete=True)
    assert [(s.name, s.score, s.responses) for s in asked.learners] == [
        ("eve", 2.0, 2),
        ("ana", 7.0, 8),
        ("ben", 7.0, 8),
    ]
    assert not warnings(asked)


def test_one_learners_json_and_csv_count_once_with_a_warning(class_exports: dict[str, Path]) -> None:
    files = [class_exports["ana"], class_exports["ana.csv"], class_exports["ben"]]
    analysis = analyse([read_export(path) for path in files])
    assert [s.name for s in analysis.learners] == ["ana", "ben"]
    assert analysis.learners[0].files == (files[0], files[1]) and analysis.learners[0].responses == 8
    (line,) = warnings(analysis)
    assert line.startswith(f"{files[0]}, {files[1]}: the same learner (ana, id ") and line.endswith("counted once")
    # A version 1 export has no id: each file is a learner, as before.
    old = analyse([read_export(EXPORTS / "ana.json"), read_export(EXPORTS / "ana.json")])
    assert len(old.learners) == 1 and warnings(old) == [
        f"{EXPORTS / 'ana.json'}, {EXPORTS / 'ana.json'}: the same learner (ana), counted once"
    ]
    assert len(analyse([read_export(p) for p in FILES]).learners) == 6


def test_wrong_typed_answers_are_listed_with_counts_and_near_misses(class_exports: dict[str, Path]) -> None:
    analysis = analyse([read_export(class_exports[name]) for name in ("ana", "ben", "cai", "dee")])
    wrong = {q.id.card_id: [(w.text, w.count, w.almost) for w in q.wrong_answers] for q in analysis.questions}
    assert wrong["c1"] == [("Keytrudda", 2, 2), ("Pembro", 1, 0)]
    assert wrong["c3"] == [("Opdivo", 2, 0)]  # "opdivo" is the same answer
    assert wrong["c4"] == [("no idea", 1, 0)]
    assert wrong["c2"] == []  # "Opdivo!" was right
    text = format_analysis(analysis)
    assert "  wrong answer: Keytrudda: given 2, 2 almost\n  wrong answer: Pembro: given 1\n" in text
    data = analysis_to_json(analysis)
    c1 = next(q for q in data["questions"] if q["card"] == "c1")
    assert c1["wrong_answers"] == [
        {"text": "Keytrudda", "count": 2, "almost": 2},
        {"text": "Pembro", "count": 1, "almost": 0},
    ]


def test_the_score_table(class_exports: dict[str, Path]) -> None:
    files = [class_exports["ana"], class_exports["ana.csv"], class_exports["ben"], class_exports["dee"]]
    analysis = analyse([read_export(path) for path in files])
    text = format_analysis(analysis)
    assert text.startswith(
        "3 learners; top and bottom thirds: 1 each.\n\n"
        "Learners (score over their first responses):\n"
        "  ana  8/8 (100%)  ana.json, ana.csv\n"
        "  ben   7/8 (88%)  ben.json\n"
        "  dee   5/8 (62%)  dee.json\n\n"
    )
    learners = analysis_to_json(analysis)["learners"]
    assert [(s["name"], s["score"], s["responses"], s["total"]) for s in learners] == [
        ("ana", 8.0, 8, 1.0),
        ("ben", 7.0, 8, 0.875),
        ("dee", 5.0, 8, 0.625),
    ]
    assert learners[0]["files"] == [str(files[0]), str(files[1])] and len(learners[0]["learner_id"]) == 36
