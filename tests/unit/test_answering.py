"""The one answer rule (leeches, suspension, buried siblings) and the one guarded write that records it."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from immunoquiz.core.answering import Outcome, Response, decide
from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.schedule import CardState, Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import CardRow, Store, open_store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import basic_card

DAY = 20_000
DAY_MS = 86_400_000
CLOZE = "\n".join(
    [
        "  - id: a",
        "    type: cloze",
        "    tags: [mechanism]",
        "    quote: Cancer cells express a protein called PD-L1 that links to PD-1 on T-cells",
        "    text: Cancer cells express {{c1::PD-L1}}, which links to {{c2::PD-1}} on T-cells.",
    ]
)


def in_review(clock: ManualClock, lapses: int = 0) -> CardState:
    """A review card due now, last answered ten days ago."""
    due = to_ms(clock())
    return CardState(Phase.REVIEW, None, 10.0, 5.0, due, due - 10 * DAY_MS, lapses, 0)


def row(rowid: int, state: CardState, *, sibling: int = 0, buried_until: int = 0, leech: bool = False) -> CardRow:
    return CardRow(rowid, "d", "a", sibling, state, False, leech, buried_until)


def lapse(clock: ManualClock, card: CardRow, options: DeckOptions) -> Outcome:
    return decide(card, Response(Rating.AGAIN, clock(), DAY), options)


def test_a_lapse_makes_a_leech_at_the_threshold_and_every_half_of_it_again(clock: ManualClock) -> None:
    options = DeckOptions(leech_threshold=8)
    leeches = [n + 1 for n in range(20) if lapse(clock, row(1, in_review(clock, n)), options).leech]
    assert leeches == [8, 12, 16, 20]
    outcome = lapse(clock, row(1, in_review(clock, 7)), options)
    assert outcome.state.lapses == 8 and outcome.suspended
    # A leech stays one (and a right answer makes none), whatever the count.
    assert lapse(clock, row(1, in_review(clock, 8), leech=True), options).leech
    assert not decide(row(1, in_review(clock, 7)), Response(Rating.GOOD, clock(), DAY), options).leech


def test_a_leech_is_only_tagged_when_the_options_do_not_suspend_it(clock: ManualClock) -> None:
    outcome = lapse(clock, row(1, in_review(clock, 0)), DeckOptions(leech_threshold=1, suspend_leeches=False))
    assert outcome.leech and not outcome.suspended


def test_only_new_and_review_siblings_not_yet_buried_are_buried_until_the_next_day(clock: ManualClock) -> None:
    learning = CardState(Phase.LEARNING, 0, 1.0, 5.0, to_ms(clock()), to_ms(clock()), 0, 1)
    siblings = [
        row(2, CardState(), sibling=1),
        row(3, in_review(clock), sibling=2, buried_until=DAY),  # buried until today: back already
        row(4, learning, sibling=3),
        row(5, CardState(Phase.RELEARNING, 0, 1.0, 5.0, 0, 0, 1, 4), sibling=4),
        row(6, CardState(), sibling=5, buried_until=DAY + 1),
    ]
    outcome = decide(row(1, CardState()), Response(Rating.GOOD, clock(), DAY), DeckOptions(), siblings)
    assert [s.id for s in outcome.bury] == [2, 3] and outcome.bury_until == DAY + 1


def test_cram_changes_nothing(clock: ManualClock) -> None:
    card = row(1, in_review(clock, 0))
    outcome = decide(
        card, Response(Rating.AGAIN, clock(), DAY, "cram"), DeckOptions(leech_threshold=1), [row(2, CardState())]
    )
    assert outcome.state == card.state and not outcome.leech and not outcome.suspended and outcome.bury == ()
    assert not outcome.changes_card


def synced(store: Store, clock: ManualClock, folder: Path) -> None:
    assert not store.sync([folder], clock()).diagnostics


def put_in_review(store: Store, clock: ManualClock, rowid: int) -> None:
    assert store.replace_states({rowid: in_review(clock)}) == 1


def card_rows(store: Store) -> list[CardRow]:
    return store.cards_where("1")


def logged(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT card, day, rating, phase_before, state_before, state_after, undo FROM reviews ORDER BY id"
    ).fetchall()


@pytest.mark.parametrize("suspend", [True, False])
def test_a_quiz_lapse_with_affect_schedule_makes_a_leech_exactly_as_a_study_lapse(
    clock: ManualClock, write_deck: Callable[..., Path], suspend: bool
) -> None:
    options = DeckOptions(leech_threshold=1, suspend_leeches=suspend)
    folder = write_deck("d", [CLOZE])
    studied, quizzed = open_store(memory=True), open_store(memory=True)
    synced(studied, clock, folder)
    synced(quizzed, clock, folder)
    request = QuizRequest(count=1, forms=("typed",), seed=1, affect_schedule=True)
    paper = make_paper(quizzed, request)
    asked = quizzed.find_card("d", "a", paper.questions[0].id.sibling)
    for store in (studied, quizzed):
        put_in_review(store, clock, asked.id)
    sitting = QuizSitting(quizzed, paper, request, clock=clock, options=options)
    session = Session(studied, Selection(decks=("d",)), clock=clock, options=options)
    showing = session.next()
    assert showing is not None and showing.row.id == asked.id
    clock.advance(seconds=10)
    assert sitting.answer("no idea") is not None  # wrong: the grader proposes Again
    session.rate(showing, session.check(showing, "no idea"), Rating.AGAIN)

    assert card_rows(quizzed) == card_rows(studied)
    lapsed, other = sorted(card_rows(quizzed), key=lambda card: card.id != asked.id)
    assert lapsed.state.lapses == 1 and lapsed.leech and lapsed.suspended == suspend
    assert other.state.phase == Phase.NEW and other.buried_until == DayRule().day_of(clock()) + 1
    assert logged(quizzed) == logged(studied)


def test_undo_after_a_leech_suspension_restores_the_card_and_its_siblings(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    synced(store, clock, write_deck("d", [basic_card("a", "Front", "Back", reverse="true")]))
    first = store.find_card("d", "a", 0)
    put_in_review(store, clock, first.id)
    before = card_rows(store)
    session = Session(store, clock=clock, options=DeckOptions(leech_threshold=1))
    showing = session.next()
    assert showing is not None and showing.row.id == first.id
    session.rate(showing, session.check(showing, ""), Rating.AGAIN)
    lapsed = store.card(first.id)
    assert lapsed.leech and lapsed.suspended and store.find_card("d", "a", 1).buried_until > 0
    assert session.next() is None  # suspended: not relearned today
    assert session.undo()
    assert card_rows(store) == before and logged(store) == []
    shown = session.next()
    assert shown is not None and shown.row.id == first.id


def test_a_card_answered_by_another_process_meanwhile_is_decided_from_its_newer_state(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a", "Front", "Back", reverse="true")])
    here, there = open_store(tmp_path / "shared.db"), open_store(tmp_path / "shared.db")
    synced(here, clock, folder)
    synced(there, clock, folder)
    options = DeckOptions(leech_threshold=1)
    put_in_review(here, clock, here.find_card("d", "a", 0).id)
    read_here = here.find_card("d", "a", 0)
    siblings = here.siblings_of(read_here)
    # The other process lapses the card (a leech, suspended) and buries its sibling first.
    _, elsewhere = there.record_answer(
        decide(
            there.find_card("d", "a", 0), Response(Rating.AGAIN, clock(), DAY), options, there.siblings_of(read_here)
        )
    )
    clock.advance(minutes=2)
    review_id, outcome = here.record_answer(decide(read_here, Response(Rating.GOOD, clock(), DAY), options, siblings))
    assert outcome.card.state == elsewhere.state and outcome.card.leech and outcome.card.suspended
    assert outcome.state.reps == 2 and outcome.state.lapses == 1
    assert outcome.bury == ()  # its sibling was buried by the other answer already
    stored = there.card(read_here.id)
    assert (stored.state, stored.leech, stored.suspended) == (outcome.state, True, True)
    before, undo = here.conn.execute("SELECT state_before, undo FROM reviews WHERE id = ?", (review_id,)).fetchone()
    assert CardState.from_json(before) == elsewhere.state
    assert json.loads(undo) == {"suspended": True, "leech": True, "buried": []}
    # Undoing the second answer gives back the first one's result, not the state read before it.
    here.undo_review(review_id)
    restored = there.card(read_here.id)
    assert (restored.state, restored.leech, restored.suspended) == (elsewhere.state, True, True)
    assert there.find_card("d", "a", 1).buried_until == DAY + 1


def test_four_stores_answering_one_card_at_once_lose_no_answer_and_raise_nothing(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a")])
    stores = [open_store(tmp_path / "shared.db") for _ in range(4)]
    for store in stores:
        synced(store, clock, folder)
    # Each answers five times from the state it read first: all but the very first answer start stale.
    read = [store.find_card("d", "a", 0) for store in stores]

    def answer_five_times(store: Store, card: CardRow) -> None:
        for _ in range(5):
            store.record_answer(decide(card, Response(Rating.GOOD, clock(), DAY), DeckOptions()))

    with ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(answer_five_times, store, card) for store, card in zip(stores, read, strict=True)]:
            done.result()
    befores = [CardState.from_json(b).reps for (b,) in stores[0].conn.execute("SELECT state_before FROM reviews")]
    assert sorted(befores) == list(range(20))  # each answer started from the one before it
    assert stores[0].find_card("d", "a", 0).state.reps == 20
