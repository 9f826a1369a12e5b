"""Rescheduling from the answers: replaying each card's answers under the options set now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.replay import Rescheduled, replayed_states, reschedule
from immunoquiz.core.schedule import Phase
from immunoquiz.core.store import Store
from tests.support.log import NO_FUZZ, load_answered_deck, states_of_deck


def test_replaying_under_the_same_options_gives_back_every_state(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load_answered_deck(store, clock, write_deck)
    before = states_of_deck(store)
    replayed, answers = replayed_states(store, ["d"])
    assert answers == store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert len(replayed) == 190 and all(replayed[card] == before[card] for card in replayed)


def test_new_options_reschedule_answered_cards_only(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load_answered_deck(store, clock, write_deck)
    before = states_of_deck(store)
    store.set_deck_options("d", replace(NO_FUZZ, desired_retention=0.8))
    done = reschedule(store, ["d"])
    after = states_of_deck(store)
    assert (done.cards, done.skipped) == (190, 0)
    changed = [card for card in after if after[card] != before[card]]
    reviewed = [card for card in after if before[card].phase == Phase.REVIEW]
    # Lower retention: longer intervals for cards in review; the answers' counts stay.
    assert set(reviewed) <= set(changed) and len(reviewed) > 100
    assert all(after[card].due_ms >= before[card].due_ms for card in reviewed)  # type: ignore[operator]
    assert sum(after[card].due_ms > before[card].due_ms for card in reviewed) > 100  # type: ignore[operator]
    assert all(after[card].reps == before[card].reps and after[card].lapses == before[card].lapses for card in after)
    assert sum(state.phase == Phase.NEW for state in after.values()) == 10


def test_a_card_answered_elsewhere_meanwhile_keeps_that_answer(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load_answered_deck(store, clock, write_deck, cards=20)
    replayed, _ = replayed_states(store, ["d"])
    card = next(iter(replayed))
    # Another window answers this card after the replay read its answers.
    store.conn.execute("UPDATE cards SET reps = reps + 1, due_ms = 1 WHERE id = ?", (card,))
    assert store.replace_states(replayed) == len(replayed) - 1
    assert store.card(card).state.due_ms == 1


def test_what_a_reschedule_did_in_a_sentence() -> None:
    assert Rescheduled(3, 40, 0).describe() == "Rescheduled 3 cards from their 40 answers."
    assert Rescheduled(3, 40, 1).describe() == (
        "Rescheduled 3 cards from their 40 answers (1 answered elsewhere meanwhile were left as they are)."
    )
