"""The answer rule: what one answer does to a card and its siblings.

Study, a quiz set to move the schedule and the reschedule replay all go
through ``decide``: the card's next state, whether it becomes a leech (and is
suspended, by the deck's options) and which siblings are buried until the next
study day. Cram answers are logged but change nothing. ``Store.record_answer``
persists an ``Outcome``; when another process answered the card meanwhile, it
decides again from the newer state, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, NextStates, Phase, Rating, review

if TYPE_CHECKING:
    from immunoquiz.core.store import CardRow

Mode = Literal["review", "quiz", "cram"]
"""How an answer was given: in study, in a quiz, or cramming."""


@dataclass(frozen=True, slots=True)
class Response:
    """One answer as it is logged.

    Attributes:
        rating: The rating given (or proposed by the grader, in a quiz).
        at: When it was given.
        day: The study day it was given on.
        mode: ``review``, ``quiz`` or ``cram``.
        duration_ms: How long the learner took.
        answer: What the learner answered, if anything.
        correct: Whether the answer was right, for checked cards.
    """

    rating: Rating
    at: datetime
    day: int
    mode: Mode = "review"
    duration_ms: int | None = None
    answer: str | None = None
    correct: bool | None = None

    @property
    def moves_schedule(self) -> bool:
        """Whether this answer moves the card's schedule (cram answers do not)."""
        return self.mode != "cram"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an answer does, decided from the card as it was read.

    Attributes:
        card: The card before the answer (the state the rule started from).
        response: The answer.
        options: The deck's options it was decided under.
        state: The card's new scheduling state.
        leech: The card's leech flag after the answer.
        suspended: The card's suspended flag after the answer.
        bury: Siblings to bury, as they were before.
        bury_until: The first study day on which they come back.
    """

    card: CardRow
    response: Response
    options: DeckOptions
    state: CardState
    leech: bool
    suspended: bool
    bury: tuple[CardRow, ...] = ()
    bury_until: int = 0

    @property
    def changes_card(self) -> bool:
        """Whether the card's row is written (cram answers leave it as it is)."""
        card = self.card
        return self.state != card.state or self.leech != card.leech or self.suspended != card.suspended


def next_state(
    state: CardState, response: Response, options: DeckOptions, card_id: int, planned: NextStates | None = None
) -> CardState:
    """A card's scheduling state after an answer: the part of ``decide`` the reschedule replay needs.

    Args:
        state: The state before the answer.
        response: The answer.
        options: The options of the card's deck.
        card_id: The card's row id (it seeds the interval's fuzz).
        planned: The next states worked out when the card was shown, reused
            if they start from this state under these options.

    Returns:
        The new state; the same one for cram.
    """
    if not response.moves_schedule:
        return state
    if planned is not None and planned.key == card_id and planned.starts_from(state, options):
        return planned.answered(response.rating, response.at)
    return review(state, response.rating, response.at, options, card_id)


def decide(
    card: CardRow,
    response: Response,
    options: DeckOptions,
    siblings: Sequence[CardRow] = (),
    planned: NextStates | None = None,
) -> Outcome:
    """What an answer does to a card, under its deck's options.

    A lapse that reaches the leech threshold (or each half of it again, see
    ``DeckOptions.is_leech_lapse``) marks the card a leech, and suspends it
    when ``options.suspend_leeches``. Siblings that are new or in review and
    not already buried are buried until the next study day, as Anki does.

    Args:
        card: The card as read before the answer.
        response: The answer.
        options: The options of the card's deck.
        siblings: The card's other active siblings (``Store.siblings_of``).
        planned: The card's next states from when it was shown (``schedule.next_states``), if worked out.

    Returns:
        The outcome; for cram, one that changes nothing.
    """
    if not response.moves_schedule:
        return Outcome(card, response, options, card.state, card.leech, card.suspended)
    state = next_state(card.state, response, options, card.id, planned)
    becomes_leech = state.lapses > card.state.lapses and options.is_leech_lapse(state.lapses)
    bury = (
        tuple(s for s in siblings if s.state.phase in (Phase.NEW, Phase.REVIEW) and s.buried_until <= response.day)
        if siblings
        else ()
    )
    return Outcome(
        card,
        response,
        options,
        state,
        leech=card.leech or becomes_leech,
        suspended=card.suspended or (becomes_leech and options.suspend_leeches),
        bury=bury,
        bury_until=response.day + 1,
    )
