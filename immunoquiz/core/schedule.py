"""Scheduling state of one card and the pure function that reviews it.

The memory model is py-fsrs (FSRS-6); this module adds what it leaves out: a
"new" phase (py-fsrs starts every card in Learning), lapse and repetition
counts, and reproducible fuzz.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import fsrs
import fsrs.scheduler as _fsrs_scheduler

from immunoquiz.core.clock import from_ms, to_ms
from immunoquiz.core.options import DeckOptions

_FUZZ = random.Random()

MATURE_MS = 21 * 86_400_000
"""A card is *mature* when its interval is 21 days or more (as in Anki)."""


class Phase(IntEnum):
    """Where a card is in its life (py-fsrs's State, plus New)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Rating(IntEnum):
    """Anki's four answer buttons."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The button's name, such as ``Good``."""
        return self.name.capitalize()


@dataclass(frozen=True, slots=True)
class CardState:
    """The scheduling state of one card (one sibling).

    Times are epoch milliseconds (UTC), as stored. ``review_total`` and
    ``review_passed`` count answers given in the review phase and those
    passed: the card's true retention, without reading the log.
    """

    phase: Phase = Phase.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due_ms: int | None = None
    last_review_ms: int | None = None
    lapses: int = 0
    reps: int = 0
    review_total: int = 0
    review_passed: int = 0

    @property
    def interval_ms(self) -> int | None:
        """The interval last scheduled (due minus last review), None before the first review.

        Kept in the review log so that statistics can split young from mature
        cards without decoding every row's state.
        """
        if self.due_ms is None or self.last_review_ms is None:
            return None
        return self.due_ms - self.last_review_ms

    def to_json(self) -> str:
        """A compact JSON form, kept in the review log for exact undo."""
        values = (
            int(self.phase),
            self.step,
            self.stability,
            self.difficulty,
            self.due_ms,
            self.last_review_ms,
            self.lapses,
            self.reps,
            self.review_total,
            self.review_passed,
        )
        # Written on every answer: repr() of ints and floats is valid JSON and
        # round-trips exactly, and is several times cheaper than json.dumps.
        return "[" + ",".join("null" if v is None else repr(v) for v in values) + "]"

    @classmethod
    def from_json(cls, text: str) -> CardState:
        """The state written by ``to_json``."""
        phase, *rest = json.loads(text)
        return cls(Phase(phase), *rest)


@lru_cache(maxsize=32)
def scheduler_for(options: DeckOptions) -> fsrs.Scheduler:
    """The py-fsrs scheduler for a deck's options (cached: options are frozen)."""
    return fsrs.Scheduler(
        parameters=options.parameters if options.parameters is not None else _fsrs_scheduler.DEFAULT_PARAMETERS,
        desired_retention=options.desired_retention,
        learning_steps=options.learning_steps,
        relearning_steps=options.relearning_steps,
        maximum_interval=options.maximum_interval_days,
        enable_fuzzing=options.fuzz,
    )


def _to_fsrs(state: CardState, key: int) -> fsrs.Card:
    if state.phase == Phase.NEW:
        return fsrs.Card(card_id=key, state=fsrs.State.Learning, step=0)
    return fsrs.Card(
        card_id=key,
        state=fsrs.State(int(state.phase)),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=from_ms(state.due_ms) if state.due_ms is not None else None,
        last_review=from_ms(state.last_review_ms) if state.last_review_ms is not None else None,
    )


def review(state: CardState, rating: Rating, now: datetime, options: DeckOptions, key: int) -> CardState:
    """The state after answering a card.

    Fuzz is drawn from a generator seeded by the card and its repetition
    count, so replaying the same answers gives the same intervals.

    Args:
        state: The state before the answer.
        rating: The learner's rating.
        now: When the answer was given (aware).
        options: The deck's options.
        key: A stable number for the card (its row id).

    Returns:
        The new state; ``state`` is unchanged.
    """
    scheduler = scheduler_for(options)

    # py-fsrs draws fuzz from the module-level name `random`: point it at a
    # draw seeded for this card and repetition, then put it back. Seeding
    # happens only if py-fsrs draws (most answers are not fuzzed), and the
    # global generator is untouched. test_fuzz_is_reproducible_per_card fails
    # if py-fsrs ever stops drawing through that name.
    def seeded_draw() -> float:
        _FUZZ.seed(key * 1_000_003 + state.reps)
        return _FUZZ.random()

    setattr(_fsrs_scheduler, "random", seeded_draw)  # noqa: B010 (py-fsrs does not export the name)
    try:
        card, _ = scheduler.review_card(_to_fsrs(state, key), fsrs.Rating(int(rating)), now)
    finally:
        setattr(_fsrs_scheduler, "random", random.random)  # noqa: B010
    reviewed = state.phase == Phase.REVIEW
    lapsed = reviewed and rating == Rating.AGAIN
    return CardState(
        phase=Phase(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_ms=to_ms(card.due),
        last_review_ms=to_ms(now),
        lapses=state.lapses + lapsed,
        reps=state.reps + 1,
        review_total=state.review_total + reviewed,
        review_passed=state.review_passed + (reviewed and rating != Rating.AGAIN),
    )


def next_intervals(state: CardState, now: datetime, options: DeckOptions, key: int) -> dict[Rating, timedelta]:
    """How long until the card is due again after each rating (for buttons).

    Args:
        state: The card's state.
        now: The time of the answer.
        options: The deck's options.
        key: The card's stable number.

    Returns:
        The interval each rating would give.
    """
    return {rating: from_ms(review(state, rating, now, options, key).due_ms or to_ms(now)) - now for rating in Rating}


def format_interval(delta: timedelta) -> str:
    """A short interval label as on Anki's buttons: ``<1m``, ``10m``, ``3h``, ``2d``, ``1.5mo``, ``2y``."""
    seconds = round(delta.total_seconds())
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".rstrip("0").rstrip(".") + "mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"
