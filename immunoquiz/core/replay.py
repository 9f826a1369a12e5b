"""Rebuild cards' schedules by replaying their answers under the options set now.

Anki's "reschedule cards on change": after the FSRS parameters or the desired
retention change, each card's memory state and due date are worked out again
from its own answers, as if the new options had been used all along. The
answers are replayed through the answer rule's ``answering.next_state`` (cram
answers left out, as they never moved the schedule), so the result is exactly
what studying with those options would have given. A correction of a card's
answer (``correction``) is replayed at its time as the sync applied it, a
lapse due at once (``schedule.relearn``); it is no answer, so it is not
counted among the answers replayed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING

from immunoquiz.core.answering import Response, next_state
from immunoquiz.core.clock import from_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, relearn

if TYPE_CHECKING:
    from immunoquiz.core.store import Store


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """What a reschedule did.

    Attributes:
        cards: Cards whose state was written again.
        answers: Answers replayed.
        skipped: Cards answered elsewhere meanwhile (their new answer is kept).
    """

    cards: int
    answers: int
    skipped: int

    def describe(self) -> str:
        """What was done, in a sentence."""
        meanwhile = f" ({self.skipped} answered elsewhere meanwhile were left as they are)" if self.skipped else ""
        return f"Rescheduled {self.cards} cards from their {self.answers} answers{meanwhile}."


def replayed_states(store: Store, decks: Sequence[str]) -> tuple[dict[int, CardState], int]:
    """Each answered card's state after replaying its answers under its deck's options now.

    Args:
        store: The learner's database.
        decks: The decks whose cards to replay.

    Returns:
        The states by card row id, and how many answers were replayed.
    """
    options = {deck: store.deck_options(deck) for deck in decks}
    corrected = store.correction_times(decks)
    states: dict[int, CardState] = {}
    answers = 0
    for card, history in groupby(store.schedule_answers(decks), key=attrgetter("card")):
        # Only the state is replayed: leech, suspended and buried marks stay as they are.
        state = CardState()
        corrections = deque(corrected.get(card, ()))
        for answer in history:
            deck_options = options[answer.deck_id]
            while corrections and corrections[0] <= answer.time_ms:
                state = _corrected(state, corrections.popleft(), deck_options, card)
            response = Response(Rating(answer.rating), from_ms(answer.time_ms), answer.day)
            state = next_state(state, response, deck_options, card)
            answers += 1
        for time_ms in corrections:
            state = _corrected(state, time_ms, deck_options, card)
        states[card] = state
    return states, answers


def _corrected(state: CardState, time_ms: int, options: DeckOptions, card: int) -> CardState:
    """A correction replayed as the sync applied it: a lapse at its time, for a card studied by then."""
    return state if state.phase == Phase.NEW else relearn(state, from_ms(time_ms), options, card)


def reschedule(store: Store, decks: Sequence[str]) -> Rescheduled:
    """Write every answered card of these decks its replayed state, in one transaction.

    A card answered in another window since its answers were read keeps that
    window's state (its repetition count no longer matches the replay).
    """
    states, answers = replayed_states(store, decks)
    written = store.replace_states(states)
    return Rescheduled(written, answers, len(states) - written)
