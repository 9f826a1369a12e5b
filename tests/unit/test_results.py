"""Quiz attempts saved as they go, history, mistakes to cram, schedule effects, export round trip and refusals."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.quiz_export import export_document, export_to_json, write_csv, write_json
from immunoquiz.core.quiz_history import ResultsError, format_history, mistakes_selection
from immunoquiz.core.quiz_import import read_export
from immunoquiz.core.quiz_store import history, learner_id, questions_of
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Session
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import Store

TYPED = [
    "\n".join(
        [
            f"  - id: {card_id}",
            "    type: typed",
            "    tags: [drugs]",
            "    quote: Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction",
            f"    question: {question}",
            f"    answer: {answer}",
            f"    distractors: {distractors}",
        ]
    )
    for card_id, question, answer, distractors in [
        ("keytruda", "Brand name of pembrolizumab?", "Keytruda", "[Yervoy, Herceptin]"),
        ("opdivo", "Brand name of nivolumab?", "Opdivo", "[Yervoy, Herceptin]"),
        ("block", "What do pembrolizumab and nivolumab block?", "This interaction", "[Cell division, Blood flow]"),
    ]
]

CLOZE = "\n".join(
    [
        "  - id: pd-l1",
        "    type: cloze",
        "    tags: [mechanism]",
        "    quote: Cancer cells express a protein called PD-L1 that links to PD-1 on T-cells",
        "    text: Cancer cells express {{c1::PD-L1}}, which links to {{c2::PD-1}} on T-cells.",
    ]
)


def right_answer(sitting: QuizSitting) -> str:
    question = sitting.current()
    assert question is not None
    if question.form == "choice":
        return "abcd"[question.prompt.options.index(question.right_options[0])]
    return question.prompt.answers[0]


def sit(store: Store, clock: ManualClock, request: QuizRequest, answers: list[bool]) -> QuizSitting:
    sitting = QuizSitting(store, make_paper(store, request), request, clock=clock)
    for ok in answers:
        clock.advance(seconds=10)
        sitting.answer(right_answer(sitting) if ok else "no idea")
    sitting.finish()
    return sitting


def test_attempts_are_saved_with_options_as_shown_and_listed(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    request = QuizRequest(decks=("d",), count=3, forms=("typed",), seed=1)
    first = sit(store, clock, request, [True, False, True])
    saved = questions_of(store, first.attempt_id)
    assert [(q.answered, q.correct, q.score, q.duration_ms) for q in saved] == [
        (True, True, 1.0, 10_000),
        (True, False, 0.0, 10_000),
        (True, True, 1.0, 10_000),
    ]
    assert saved[1].answer == "no idea" and saved[0].quotes[0].startswith("Drugs like pembrolizumab")
    choice = sit(store, clock, QuizRequest(decks=("d",), count=2, forms=("choice",), seed=2), [False])
    shown = questions_of(store, choice.attempt_id)
    assert all(len(q.options) == 3 and len(q.right) == 1 and q.right[0] in q.options for q in shown)
    assert shown[0].chosen == () and not shown[1].answered  # "no idea" picks no option; the second was left
    rows = history(store)
    assert [(r.id, r.score, r.total, r.complete) for r in rows] == [(1, 2.0, 3, True), (2, 0.0, 2, True)]
    text = format_history(rows)
    assert "2/3 (67%)" in text and "0/2 (0%)" in text and "30 s" in text
    # No schedule change by default: no review logged.
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_mistakes_go_to_a_cram_session(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    sitting = sit(store, clock, QuizRequest(count=3, forms=("typed",), seed=1), [True, False, False])
    wrong = {
        (q.id.deck_id, q.id.card_id, q.id.sibling) for q in questions_of(store, sitting.attempt_id) if not q.correct
    }
    selection = mistakes_selection(store, sitting.attempt_id)
    assert selection.cram and set(selection.siblings) == wrong and len(wrong) == 2
    session = Session(store, selection, clock=clock)
    shown = set()
    while (showing := session.next()) is not None:
        shown.add((showing.card.deck_id, showing.card.id, showing.row.sibling))
        session.rate(showing, session.check(showing, "x"), Rating.GOOD)
    assert shown == wrong
    # A cloze missed on the deletion asked crams that deletion, not its other one.
    store.sync([write_deck("c", [CLOZE])], clock())
    cloze = sit(store, clock, QuizRequest(decks=("c",), count=1, forms=("typed",), seed=1), [False])
    (asked,) = questions_of(store, cloze.attempt_id)
    assert mistakes_selection(store, cloze.attempt_id).siblings == (("c", "pd-l1", asked.id.sibling),)
    crammed = Session(store, mistakes_selection(store, cloze.attempt_id), clock=clock)
    assert [showing.row.sibling for showing in iter(crammed.next, None)] == [asked.id.sibling]
    perfect = sit(store, clock, QuizRequest(count=1, forms=("typed",), seed=1), [True])
    with pytest.raises(ResultsError, match="has no mistakes to cram"):
        mistakes_selection(store, perfect.attempt_id)
    with pytest.raises(ResultsError, match="no quiz attempt 99"):
        mistakes_selection(store, 99)


def test_affect_schedule_logs_quiz_reviews(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    sit(store, clock, QuizRequest(count=2, forms=("typed",), seed=4, affect_schedule=True), [True, False])
    rows = store.conn.execute("SELECT mode, rating, correct FROM reviews ORDER BY id").fetchall()
    assert rows == [("quiz", 3, 1), ("quiz", 1, 0)]  # right after 10 s: Good; wrong: Again
    assert store.conn.execute("SELECT count(*) FROM cards WHERE phase != 0").fetchone() == (2,)


def test_a_fault_between_a_quiz_mark_and_its_review_leaves_neither(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    request = QuizRequest(count=2, forms=("typed",), seed=4, affect_schedule=True)
    sitting = QuizSitting(store, make_paper(store, request), request, clock=clock)
    first = sitting.current()
    write_outcome = Store._write_outcome

    def killed(*args: object, **kwargs: object) -> bool:
        raise KeyboardInterrupt  # the process dies after the mark is written, before the card's state is

    monkeypatch.setattr(Store, "_write_outcome", killed)
    with pytest.raises(KeyboardInterrupt):
        sitting.answer(right_answer(sitting))
    assert store.conn.execute("SELECT count(*) FROM quiz_questions WHERE answered = 1").fetchone() == (0,)
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
    assert sitting.current() is first  # asked again
    monkeypatch.setattr(Store, "_write_outcome", write_outcome)
    sitting.answer(right_answer(sitting))
    assert store.conn.execute("SELECT count(*) FROM quiz_questions WHERE answered = 1").fetchone() == (1,)
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)


def test_export_round_trip_in_json_and_csv(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    sit(store, clock, QuizRequest(count=3, seed=5), [True, False, True])
    sit(store, clock, QuizRequest(count=2, forms=("choice",), seed=6), [True, True])
    unfinished = QuizSitting(store, make_paper(store, QuizRequest(count=1)), QuizRequest(count=1), clock=clock)
    document = export_document(store, "ana", clock())
    assert [a.summary.id for a in document.attempts] == [1, 2]  # the unfinished attempt is left out
    exported = export_to_json(document)
    assert exported["format"] == "immunoquiz-results" and exported["version"] == 2 and exported["learner"] == "ana"
    assert exported["learner_id"] == learner_id(store) and len(learner_id(store)) == 36
    assert unfinished.attempt_id == 3
    question = document.attempts[1].questions[0]
    assert question.chosen == question.right and len(question.options) == 3
    for name, writer in (("a.json", write_json), ("a.csv", write_csv)):
        out = io.StringIO()
        writer(document, out)
        (tmp_path / name).write_text(out.getvalue(), encoding="utf-8")
        back = read_export(tmp_path / name)
        assert back.learner == "ana" and back.learner_id == learner_id(store) and len(back.answers) == 5
        assert [(a.id.card_id, a.id.form, a.options, a.chosen, a.correct, a.score) for a in back.answers] == [
            (q.id.card_id, q.id.form, q.options, q.chosen, q.correct, q.score)
            for a_ in document.attempts
            for q in a_.questions
        ]


def refused(path: Path, content: str) -> str:
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResultsError) as info:
        read_export(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_other_versions_and_damaged_exports_are_refused(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    sit(store, clock, QuizRequest(count=3, forms=("typed",), seed=5), [True, False, True])
    good = export_document(store, None, clock())
    text = json.dumps(export_to_json(good))
    assert "version 3, but this immunoquiz reads versions 1 and 2" in refused(
        tmp_path / "v3.json", text.replace('"version": 2', '"version": 3')
    )
    assert "not valid JSON" in refused(tmp_path / "cut.json", text[: len(text) // 2])
    fewer = json.loads(text)
    del fewer["attempts"][0]["questions"][1:]
    assert "lists 1 of its 3 questions" in refused(tmp_path / "fewer.json", json.dumps(fewer))
    cheat = json.loads(text)
    cheat["attempts"][0]["score"] = 3
    assert "not the sum of its questions' scores" in refused(tmp_path / "cheat.json", json.dumps(cheat))
    assert "not an immunoquiz results export" in refused(tmp_path / "other.json", '{"hello": 1}')
    out = io.StringIO()
    write_csv(good, out)
    csv_text = out.getvalue()
    lines = csv_text.splitlines(keepends=True)
    assert "lists 2 of its 3 questions" in refused(tmp_path / "short.csv", "".join(lines[:-1]))
    assert "fields, not 27" in refused(tmp_path / "mid.csv", csv_text[: len(csv_text) - 30])
    v9 = "".join([lines[0], *(line.replace("immunoquiz-results,2,", "immunoquiz-results,9,") for line in lines[1:])])
    assert "version 9" in refused(tmp_path / "v9.csv", v9)
    assert "not an immunoquiz results export" in refused(tmp_path / "notes.csv", "name,grade\nana,A\n")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ResultsError, match="not a text file"):
        read_export(tmp_path / "bin.json")


def test_a_paper_quit_at_question_1_is_incomplete_kept_in_history_and_not_exported(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    request = QuizRequest(count=3, forms=("typed",), seed=1)
    quit_early = QuizSitting(store, make_paper(store, request), request, clock=clock)
    clock.advance(seconds=10)
    scorecard = quit_early.finish(stopped=True)
    assert scorecard.incomplete and scorecard.answered == 0 and scorecard.mistakes == ()
    sit(store, clock, request, [True, True, True])
    crashed = QuizSitting(store, make_paper(store, request), request, clock=clock)
    crashed.answer(right_answer(crashed))  # then the process dies: the attempt never ends
    first, complete, cut = history(store)
    assert (first.stopped_early, first.complete, first.score) == (True, False, None)
    assert not cut.complete and cut.ended is None and cut.answered == 1
    assert complete.complete and complete.score == 3.0
    text = format_history([first, complete, cut])
    assert "incomplete (0 of 3 answered)" in text and "incomplete (1 of 3 answered)" in text and "3/3 (100%)" in text
    # Nothing is recorded for the questions not reached.
    assert store.conn.execute(
        "SELECT count(*) FROM quiz_questions WHERE attempt = ? AND correct IS NULL", (first.id,)
    ).fetchone() == (3,)
    assert [a.summary.id for a in export_document(store, "ana", clock()).attempts] == [complete.id]
    # Only the questions reached can be mistakes, to list or to cram.
    wrong_then_quit = QuizSitting(store, make_paper(store, request), request, clock=clock)
    wrong_then_quit.answer("no idea")
    assert wrong_then_quit.finish(stopped=True).mistakes == (0,)
    assert len(mistakes_selection(store, wrong_then_quit.attempt_id).siblings) == 1
    with pytest.raises(ResultsError, match="has no mistakes to cram"):
        mistakes_selection(store, first.id)
    everything = export_document(store, "ana", clock(), include_incomplete=True)
    assert [(a.summary.id, a.summary.complete) for a in everything.attempts] == [
        (first.id, False),
        (complete.id, True),
        (cut.id, False),
        (wrong_then_quit.attempt_id, False),
    ]
    exported = export_to_json(everything)["attempts"]
    assert isinstance(exported, list) and first.ended is not None
    assert [(a["complete"], a["score"], a["finished"]) for a in exported] == [
        (False, None, first.ended.isoformat()),
        (True, 3.0, complete.ended.isoformat() if complete.ended else None),
        (False, None, None),
        (False, None, exported[3]["finished"]),
    ]
    # An incomplete attempt lists only the questions reached (none, for the one quit at question 1).
    assert [len(a["questions"]) for a in exported] == [0, 3, 1, 1]
    for name, writer in (("all.json", write_json), ("all.csv", write_csv)):
        out = io.StringIO()
        writer(everything, out)
        (tmp_path / name).write_text(out.getvalue(), encoding="utf-8")
        back = read_export(tmp_path / name)
        assert {(a.attempt, a.complete) for a in back.answers} == {
            (complete.id, True),
            (cut.id, False),
            (wrong_then_quit.attempt_id, False),
        }


def test_a_near_miss_scores_wrong_and_is_saved_and_exported(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    request = QuizRequest(count=3, forms=("typed",), seed=1)
    sitting = QuizSitting(store, make_paper(store, request), request, clock=clock)
    near = {"Keytruda": "Keytrudda", "Opdivo": "Opdvo", "This interaction": "This interation"}
    marks = []
    while (question := sitting.current()) is not None:
        mark = sitting.answer(near[question.prompt.answers[0]])
        assert mark is not None
        marks.append(mark)
    assert [(m.correct, m.score, m.almost) for m in marks] == [(False, 0.0, True)] * 3
    sitting.finish()
    assert [q.almost for q in questions_of(store, sitting.attempt_id)] == [True] * 3
    # "Opdivo" typed for Keytruda is another answer of the decks: wrong, never almost.
    other = QuizSitting(store, make_paper(store, request), request, clock=clock)
    question = other.current()
    assert question is not None
    wrong = other.answer("Opdivo" if question.prompt.answers[0] != "Opdivo" else "Keytruda")
    assert wrong is not None and not wrong.almost
    document = export_document(store, None, clock())
    questions = export_to_json(document)["attempts"]
    assert isinstance(questions, list) and [q["almost"] for q in questions[0]["questions"]] == [True] * 3
    out = io.StringIO()
    write_csv(document, out)
    (tmp_path / "near.csv").write_text(out.getvalue(), encoding="utf-8")
    assert [a.almost for a in read_export(tmp_path / "near.csv").answers] == [True] * 3


def test_the_migration_from_the_previous_schema_keeps_old_attempts(tmp_path: Path, clock: ManualClock) -> None:
    import sqlite3

    from immunoquiz.core.migrations import MIGRATIONS, apply_migrations
    from immunoquiz.core.store import open_store

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    apply_migrations(db, MIGRATIONS[:2])  # the schema before incomplete attempts and near misses
    db.execute(
        """INSERT INTO quiz_attempts (id, started_ms, finished_ms, duration_ms, seed, decks, tags, forms, requested,
           questions, affect_schedule, score) VALUES (1, 0, 60000, 60000, 5, '[]', '[]', '["typed"]', 1, 1, 0, 1.0)"""
    )
    db.execute(
        """INSERT INTO quiz_questions (attempt, position, deck_id, card_id, sibling, form, card_type, tags, question,
           options, answers, expected, quote, answered, answer, chosen, correct, score, duration_ms)
           VALUES (1, 0, 'd', 'keytruda', 0, 'typed', 'typed', '[]', 'Q?', '[]', '["Keytruda"]', 'Keytruda', 'q', 1,
           'Keytruda', '[]', 1, 1.0, 60000)"""
    )
    db.close()
    store = open_store(path)
    (attempt,) = history(store)
    assert attempt.complete and attempt.score == 1.0 and attempt.result() == "1/1 (100%)"
    (question,) = questions_of(store, 1)
    assert question.correct and not question.almost and question.answer == "Keytruda"
    made = learner_id(store)
    assert len(made) == 36 and [a.summary.id for a in export_document(store, None, clock()).attempts] == [1]
    store.close()
    again = open_store(path)
    assert learner_id(again) == made  # made once, kept
    again.close()


def test_answers_a_spreadsheet_would_run_are_guarded_in_csv_and_read_back_exactly(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    store.sync([write_deck("d", TYPED)], clock())
    request = QuizRequest(count=3, forms=("typed",), seed=5)
    sitting = QuizSitting(store, make_paper(store, request), request, clock=clock)
    typed = ['=HYPERLINK("http://evil","x")', "+1", "'quoted"]
    for answer in typed:
        sitting.answer(answer)
    sitting.finish()
    out = io.StringIO()
    write_csv(export_document(store, "@ana", clock()), out)
    text = out.getvalue()
    assert "'=HYPERLINK" in text and ",'+1," in text and ",''quoted," in text and ",'@ana," in text
    assert all(not line.split(",")[2].startswith("@") for line in text.splitlines()[1:])
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    back = read_export(tmp_path / "a.csv")
    assert back.learner == "@ana"
    assert [a.answer for a in back.answers] == typed
