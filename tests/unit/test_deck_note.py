"""A deck's note: read and checked, stored with its deck, and given once per session with the deck's first card."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from immunoquiz.core.check import check_paths
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.deck_note import DeckNote, note_to_show
from immunoquiz.core.migrations import MIGRATIONS, apply_migrations
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.reader import MAX_NOTE, read_deck
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import Store
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import CHOICE, NUMERIC, ROOT, TYPED, basic_card, deck_yaml

SCHEMA = ROOT / "immunoquiz" / "schema" / "deck.schema.json"
CAUTION = "Educational: management follows the treating team and local protocol."


def write(folder: Path, deck_id: str, cards: list[str], note: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{deck_id}.yaml"
    path.write_text(deck_yaml(deck_id, cards, note), encoding="utf-8")
    return path


# -- reading and checking ------------------------------------------------------


def test_the_reader_keeps_the_note_and_a_deck_without_one_has_none(tmp_path: Path) -> None:
    noted = read_deck(write(tmp_path, "a", [basic_card("x")], json.dumps(CAUTION)))
    plain = read_deck(write(tmp_path, "b", [basic_card("x")]))
    assert noted.deck is not None and noted.deck.note == CAUTION
    assert plain.deck is not None and plain.deck.note is None


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ('""', "`note` is empty"),
        ("yes", "`note` must be text, not the boolean `yes`"),
        ("{a: b}", "`note` must be text, not a mapping"),
        ('"a\\u0007b"', "`note` contains the control character"),
        ("x" * (MAX_NOTE + 1), f"`note` is {MAX_NOTE + 1} characters long"),
    ],
)
def test_a_bad_note_is_an_error_at_its_place(tmp_path: Path, note: str, message: str) -> None:
    path = write(tmp_path, "a", [basic_card("x")], note)
    result = check_paths([path])
    assert result.failed and result.decks == ()
    # The note is on line 4 (after id, title, description), its value from column 7.
    lines = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert len(lines) == 1 and lines[0].startswith(f"{path}:4:7: error: {message}"), lines


def test_a_note_of_the_longest_length_is_accepted(tmp_path: Path) -> None:
    result = check_paths([write(tmp_path, "a", [basic_card("x")], "x" * MAX_NOTE)])
    assert not result.failed, [d.format() for d in result.diagnostics]
    assert result.decks[0].note == "x" * MAX_NOTE


def test_the_schema_accepts_a_note_and_rejects_what_the_reader_rejects() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    card = {"id": "a", "type": "basic", "tags": [], "quote": "q", "front": "f", "back": "b"}
    deck = {"id": "d", "title": "t", "description": "d", "source": "s.txt", "cards": [card]}
    jsonschema.validate({**deck, "note": CAUTION}, schema)
    for bad in ("", "   ", True, ["a"], "x" * (MAX_NOTE + 1)):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**deck, "note": bad}, schema)


def test_the_side_effects_deck_carries_its_caution() -> None:
    result = check_paths([bundled_decks_dir()], strict=True)
    assert not result.failed, [d.format() for d in result.diagnostics]
    notes = {deck.id: deck.note for deck in result.decks if deck.note is not None}
    assert notes == {"side-effects": CAUTION}


# -- storing -------------------------------------------------------------------


def test_the_store_keeps_a_note_and_follows_its_changes_and_removal(
    tmp_path: Path, store: Store, clock: ManualClock
) -> None:
    folder = tmp_path / "decks"
    write(folder, "a", [basic_card("x")], json.dumps(CAUTION))
    write(folder, "b", [basic_card("x")])
    store.sync([folder], clock())
    assert {d.id: d.note for d in store.decks()} == {"a": CAUTION, "b": None}
    assert store.deck_notes(["a", "b"]) == {"a": DeckNote("a", "Deck a", CAUTION)}

    clock.advance(minutes=1)
    write(folder, "a", [basic_card("x")], "Changed.")
    write(folder, "b", [basic_card("x")], "Now b has one.")
    report = store.sync([folder], clock())
    assert sorted(report.parsed) == ["a", "b"]
    assert {d.id: d.note for d in store.decks()} == {"a": "Changed.", "b": "Now b has one."}

    clock.advance(minutes=1)
    write(folder, "a", [basic_card("x")])
    store.sync([folder], clock())
    assert {d.id: d.note for d in store.decks()} == {"a": None, "b": "Now b has one."}
    assert store.deck_notes(["a", "b"]) == {"b": DeckNote("b", "Deck b", "Now b has one.")}


def test_m007_adds_the_note_column_and_keeps_the_decks_stored() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    names = [m.name for m in MIGRATIONS]
    before = names.index("m007_deck_note")
    apply_migrations(conn, MIGRATIONS[:before])
    conn.execute(
        "INSERT INTO decks (id, title, description, path, source, content_hash, file_size, file_mtime_ns,"
        " card_count, synced_ms) VALUES ('d', 'T', 'D', '/d.yaml', '', 'h', 1, 1, 0, 0)"
    )
    apply_migrations(conn)
    assert conn.execute("SELECT id, title, note FROM decks").fetchall() == [("d", "T", None)]


# -- once per session ----------------------------------------------------------


def test_note_to_show_gives_a_note_once_the_deck_is_not_yet_noted() -> None:
    notes = {"a": DeckNote("a", "A", "Careful.")}
    assert note_to_show(notes, set(), "a") == notes["a"]
    assert note_to_show(notes, {"a"}, "a") is None
    assert note_to_show(notes, set(), "b") is None  # a deck without a note


@pytest.fixture
def two_decks(tmp_path: Path, store: Store, clock: ManualClock) -> Store:
    """Deck a (three cards) with a note, deck b (two cards) without."""
    folder = tmp_path / "decks"
    write(folder, "a", [basic_card("a1"), basic_card("a2"), basic_card("a3")], json.dumps(CAUTION))
    write(folder, "b", [basic_card("b1"), basic_card("b2")])
    store.sync([folder], clock())
    return store


def shown_notes(session: Session) -> list[tuple[str, str | None]]:
    """Each card of a session, answered Good in turn: (card id, the note text shown with it)."""
    seen = []
    while (showing := session.next()) is not None:
        seen.append((showing.row.card_id, None if showing.note is None else showing.note.text))
        session.rate(showing, session.check(showing, None), Rating.EASY)
    return seen


@pytest.mark.parametrize("cram", [False, True], ids=["review", "cram"])
def test_a_session_gives_the_note_with_the_decks_first_card_only(
    two_decks: Store, clock: ManualClock, cram: bool
) -> None:
    seen = shown_notes(Session(two_decks, Selection(cram=True) if cram else Selection(), clock=clock))
    assert len(seen) == 5
    first_a = next(i for i, (card, _) in enumerate(seen) if card.startswith("a"))
    assert [note for _, note in seen] == [CAUTION if i == first_a else None for i in range(5)]


def test_sessions_of_one_run_share_what_they_noted_and_a_new_run_notes_again(
    two_decks: Store, clock: ManualClock
) -> None:
    noted: set[str] = set()
    first = Session(two_decks, Selection(decks=("a",), cram=True), clock=clock, noted=noted)
    assert [note for _, note in shown_notes(first)] == [CAUTION, None, None]
    assert noted == {"a"}
    again = Session(two_decks, Selection(decks=("a",), cram=True), clock=clock, noted=noted)
    assert [note for _, note in shown_notes(again)] == [None, None, None]
    new_run = Session(two_decks, Selection(decks=("a",), cram=True), clock=clock)
    assert [note for _, note in shown_notes(new_run)] == [CAUTION, None, None]


def test_a_quiz_gives_the_note_with_its_first_question_of_the_deck(
    tmp_path: Path, store: Store, clock: ManualClock
) -> None:
    folder = tmp_path / "decks"
    write(folder, "a", [TYPED, CHOICE], json.dumps(CAUTION))
    write(folder, "b", [NUMERIC])
    store.sync([folder], clock())
    paper = make_paper(store, QuizRequest(count=3, forms=("typed", "choice", "numeric"), seed=3))
    decks = [question.id.deck_id for question in paper.questions]
    assert sorted(decks) == ["a", "a", "b"]
    noted: set[str] = set()
    sitting = QuizSitting(store, paper, QuizRequest(count=3), clock=clock, noted=noted)
    notes = []
    while (question := sitting.current()) is not None:
        note = sitting.note()
        assert sitting.note() == note  # asked again for the same question (a redraw): the same answer
        notes.append(None if note is None else note.text)
        sitting.answer(question.prompt.answers[0] if question.prompt.answers else "x")
    first_a = decks.index("a")
    assert notes == [CAUTION if i == first_a else None for i in range(3)]
    assert noted == {"a"}
    # A study session of the same run does not show it again.
    showing = Session(store, Selection(decks=("a",)), clock=clock, noted=noted).next()
    assert showing is not None and showing.note is None


def test_a_card_answered_from_the_noted_deck_keeps_the_run_noted_across_undo(
    two_decks: Store, clock: ManualClock
) -> None:
    session = Session(two_decks, Selection(decks=("a",)), clock=clock)
    showing = session.next()
    assert showing is not None and showing.note is not None
    session.rate(showing, session.check(showing, None), Rating.GOOD)
    session.undo()
    again = session.next()
    assert again is not None and again.row.card_id == showing.row.card_id and again.note is None
