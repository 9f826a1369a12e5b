"""A corrected card: an edit of what it teaches tells the learner once and relearns it; a wording edit does nothing."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.correction import changes, fingerprint, taught
from immunoquiz.core.feedback import correction_notice
from immunoquiz.core.model import Card, Choice, Cloze, Numeric, Typed
from immunoquiz.core.optimize import training_set
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.replay import replayed_states, reschedule
from immunoquiz.core.schedule import CardState, Phase, Rating, relearn
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session, Showing
from immunoquiz.core.store import Store, open_store
from tests.support.decks import NUMERIC, TYPED, basic_card

CLOZE = "\n".join(
    [
        "  - id: pd-l1",
        "    type: cloze",
        "    tags: [mechanism]",
        "    quote: Cancer cells express a protein called PD-L1 that links to PD-1 on T-cells",
        "    text: Cancer cells express {{c1::PD-L1}}, which binds {{c2::PD-1}} on T-cells.",
    ]
)


def synced(store: Store, clock: ManualClock, folder: Path) -> None:
    assert not store.sync([folder], clock()).diagnostics


def study(store: Store, clock: ManualClock, rating: Rating = Rating.GOOD) -> list[Showing]:
    """Answer every card due now with ``rating``; the cards shown, in order."""
    session = Session(store, Selection(), clock=clock)
    shown = []
    while (showing := session.next()) is not None:
        session.rate(showing, session.check(showing, ""), rating)
        shown.append(showing)
    return shown


def graduate(store: Store, clock: ManualClock) -> None:
    """Take every card to the review phase: Good, then Good after its 10-minute step."""
    study(store, clock)
    clock.advance(minutes=11)
    study(store, clock)
    clock.advance(days=3)


def reviews(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0])


def corrections(store: Store) -> list[tuple[str, int, str, str]]:
    return store.conn.execute(
        "SELECT card_id, sibling, old_answer, new_answer FROM corrections ORDER BY card_id, sibling"
    ).fetchall()


def test_an_answer_edit_tells_once_and_relearns_with_history_kept(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [TYPED])
    synced(store, clock, folder)
    graduate(store, clock)
    before = store.find_card("d", "keytruda")
    assert before.state.phase == Phase.REVIEW
    logged = reviews(store)
    write_deck("d", [TYPED.replace("answer: Keytruda", "answer: Opdivo")])
    synced(store, clock, folder)
    synced_at = clock()
    after = store.find_card("d", "keytruda")
    assert after.state.phase == Phase.RELEARNING and after.state.due_ms == to_ms(clock())
    assert after.state == relearn(before.state, clock(), DeckOptions(), before.id)
    assert after.state.stability is not None and after.state.stability < (before.state.stability or 0)
    # Kept: the answers given, their counts; nothing was added to the log.
    assert (after.state.reps, after.state.lapses) == (before.state.reps, before.state.lapses)
    assert reviews(store) == logged
    assert corrections(store) == [("keytruda", 0, "Keytruda", "Opdivo")]

    clock.advance(hours=2)
    session = Session(store, Selection(), clock=clock)
    showing = session.next()
    assert showing is not None and showing.row.card_id == "keytruda"
    assert showing.corrected == synced_at
    assert (
        correction_notice(showing.corrected, showing.prompt.expected, UTC)
        == "Corrected on 2026-01-08: the answer is now Opdivo"
    )
    session.rate(showing, session.check(showing, "Opdivo"), Rating.GOOD)
    shown_ms = store.conn.execute("SELECT shown_ms FROM corrections").fetchone()[0]
    assert shown_ms == to_ms(showing.shown_at)
    # Told once: undone or studied again, the card comes back without the notice.
    assert session.undo()
    again = session.next()
    assert again is not None and again.row.card_id == "keytruda" and again.corrected is None
    assert store.card(again.row.id).state == after.state  # undo goes back to the corrected state
    clock.advance(minutes=30)
    assert all(s.corrected is None for s in study(store, clock))


def test_a_wording_edit_changes_nothing(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [TYPED, NUMERIC, basic_card("b", "Front", "Back")])
    synced(store, clock, folder)
    graduate(store, clock)
    states = {row.card_id: row.state for row in store.cards_where("1")}
    reworded = [
        TYPED.replace("Under which brand name", "As which brand").replace(
            "(Keytruda) and nivolumab (Opdivo) block this interaction", "(Keytruda)"
        )
        + "\n    explain: An anti-PD-1 antibody.\n    accept: [Keytruda (pembrolizumab)]",
        NUMERIC.replace("tags: [trials]", "tags: [trials, keynote]") + "\n    tolerance: 0.5",
        basic_card("b", "A new front", "Back"),
    ]
    write_deck("d", reworded)
    synced(store, clock, folder)
    assert store.note("d", "b").body.front == "A new front"  # type: ignore[union-attr]
    assert {row.card_id: row.state for row in store.cards_where("1")} == states
    assert corrections(store) == []
    assert all(s.corrected is None for s in study(store, clock))


def test_a_quote_made_a_list_of_passages_is_stored_and_is_no_correction(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [TYPED])
    synced(store, clock, folder)
    graduate(store, clock)
    state = store.find_card("d", "keytruda").state
    passages = ("Cancer cells express a protein called PD-L1", "Drugs like pembrolizumab (Keytruda)")
    listed = "    quote:\n" + "".join(f"      - {passage}\n" for passage in passages)
    write_deck("d", [re.sub(r"    quote: .*\n", listed, TYPED)])
    synced(store, clock, folder)
    assert store.note("d", "keytruda").quotes == passages
    assert store.find_card("d", "keytruda").state == state
    assert corrections(store) == []


def test_a_new_card_changes_silently(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [TYPED])
    synced(store, clock, folder)
    write_deck("d", [TYPED.replace("answer: Keytruda", "answer: Opdivo")])
    synced(store, clock, folder)
    assert store.find_card("d", "keytruda").state == CardState()
    assert corrections(store) == []
    assert study(store, clock)[0].corrected is None


def test_a_cloze_deletion_change_corrects_that_deletion_only(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [CLOZE])
    synced(store, clock, folder)
    # Answering one deletion buries the other until the next day.
    while any(store.find_card("d", "pd-l1", n).state.phase == Phase.NEW for n in (1, 2)):
        graduate(store, clock)
    first = store.find_card("d", "pd-l1", 1).state
    write_deck("d", [CLOZE.replace("{{c2::PD-1}} on T-cells", "PD-1 on {{c2::T-cells}}")])
    synced(store, clock, folder)
    assert corrections(store) == [("pd-l1", 2, "PD-1", "T-cells")]
    assert store.find_card("d", "pd-l1", 1).state == first  # c1's answer did not change, only its text
    assert store.find_card("d", "pd-l1", 2).state.phase == Phase.RELEARNING


def test_a_numeric_value_or_unit_change_is_a_correction(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [NUMERIC])
    synced(store, clock, folder)
    graduate(store, clock)
    write_deck("d", [NUMERIC.replace("value: 59.8", "value: 45.9")])
    synced(store, clock, folder)
    assert corrections(store) == [("efs", 0, "59.8%", "45.9%")]
    assert store.find_card("d", "efs").state.phase == Phase.RELEARNING


def test_what_counts_as_teaching() -> None:
    typed = Typed("Q?", "Keytruda")
    assert taught(replace(typed, question="Other?", accept=("K",), near_miss=False), 0) == taught(typed, 0)
    assert taught(replace(typed, answer="Opdivo"), 0) != taught(typed, 0)
    number = Numeric("Q?", Decimal("59.8"), unit="%")
    assert taught(replace(number, value=Decimal("59.80"), tolerance=Decimal(1)), 0) == taught(number, 0)
    for edit in ({"unit": "h"}, {"high": Decimal(70)}, {"bound": "above"}):
        assert taught(replace(number, **edit), 0) != taught(number, 0)
    choice = Choice("Q?", ("a", "b"), ("c", "d"))
    assert taught(Choice("Other?", ("b", "a"), ("e", "f")), 0) == taught(choice, 0)
    assert taught(Choice("Q?", ("a",), ("b", "c")), 0) != taught(choice, 0)
    cloze = Cloze("x {{c1::paused}} y")
    assert taught(Cloze("other {{c1::paused|held}} words"), 1) == taught(cloze, 1)


def test_added_or_removed_siblings_are_no_corrections() -> None:
    old = Card("d", "c", (), (), Cloze("{{c1::a}} {{c2::b}}"))
    new = Card("d", "c", (), (), Cloze("{{c1::a}} {{c3::z}}"))
    assert changes(old, new) == ()
    assert fingerprint(old) != fingerprint(new)


def test_the_migration_on_an_old_database_makes_no_false_corrections(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [TYPED, CLOZE, NUMERIC])
    path = tmp_path / "old.db"
    store = open_store(path)
    synced(store, clock, folder)
    graduate(store, clock)
    states = {row.id: row.state for row in store.cards_where("1")}
    store.close()
    # The database as the release before this one left it: no fingerprints, no corrections table.
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE notes DROP COLUMN teaching")
        conn.execute("DROP TABLE corrections")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_corrections'")
    conn.close()
    store = open_store(path)
    # Old notes have no fingerprint yet: a changed deck's are compared by their stored bodies.
    assert set(dict(store.conn.execute("SELECT card_id, teaching FROM notes")).values()) == {""}
    write_deck("d", [TYPED.replace("Under which", "As which"), CLOZE, NUMERIC + "\n    explain: Reworded."])
    synced(store, clock, folder)
    assert corrections(store) == []
    assert {row.id: row.state for row in store.cards_where("1")} == states
    notes = {card_id: store.note("d", card_id) for (card_id,) in store.conn.execute("SELECT card_id FROM notes")}
    stored = dict(store.conn.execute("SELECT card_id, teaching FROM notes"))
    assert stored == {card_id: fingerprint(card) for card_id, card in notes.items()}
    write_deck("d", [TYPED.replace("answer: Keytruda", "answer: Opdivo"), CLOZE, NUMERIC])
    synced(store, clock, folder)
    assert corrections(store) == [("keytruda", 0, "Keytruda", "Opdivo")]
    store.close()


def test_replay_applies_a_correction_as_a_lapse_at_its_time(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [TYPED, basic_card("b")])
    synced(store, clock, folder)
    graduate(store, clock)
    answers = list(store.schedule_answers(["d"]))
    write_deck("d", [TYPED.replace("answer: Keytruda", "answer: Opdivo"), basic_card("b")])
    synced(store, clock, folder)
    # The optimizer and the statistics read only the learner's answers: the correction is none.
    assert list(store.schedule_answers(["d"])) == answers
    assert training_set(answers).items == training_set(store.schedule_answers(["d"])).items
    clock.advance(minutes=1)
    study(store, clock, Rating.GOOD)
    clock.advance(minutes=11)
    study(store, clock, Rating.GOOD)
    stored = {row.id: row.state for row in store.cards_where("1")}
    replayed, count = replayed_states(store, ["d"])
    assert replayed == stored and count == reviews(store)
    corrected = store.find_card("d", "keytruda")
    assert reschedule(store, ["d"]).skipped == 0
    assert store.card(corrected.id).state == corrected.state
