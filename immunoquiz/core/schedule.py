"""Scheduling state of one card and the pure function that reviews it.

The memory model is py-fsrs (FSRS-6); this module adds what it leaves out: a
"new" phase (py-fsrs starts every card in Learning), lapse and repetition
counts, reproducible fuzz, and the four next states of a card worked out
once (for its buttons) and reused when it is rated.
"""

from __future__ import annotations

import json
import random
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import fsrs
import fsrs.scheduler as _fsrs_scheduler

from immunoquiz.core.clock import from_ms, to_ms
from immunoquiz.core.options import DeckOptions


class _Draw:
    """The fuzz draw of one card's review, made once for however many ratings are worked out from it."""

    __slots__ = ("seed", "value")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.value: float | None = None

    def __call__(self) -> float:
        if self.value is None:
            self.value = random.Random(self.seed).random()
        return self.value


_FUZZ_DRAW: ContextVar[_Draw | None] = ContextVar("fuzz_draw", default=None)


def _fuzz_draw() -> float:
    """py-fsrs's fuzz draw: seeded for the card being reviewed, else the global generator as py-fsrs would."""
    draw = _FUZZ_DRAW.get()
    return random.random() if draw is None else draw()


# py-fsrs draws fuzz from its module-level name `random`. It is pointed once
# at a draw that reads the review in progress from a context variable, so
# each thread (a Textual worker) has its own and nothing is patched per call.
# test_fuzz_is_reproducible_per_card fails if py-fsrs ever stops drawing
# through that name.
setattr(_fsrs_scheduler, "random", _fuzz_draw)  # noqa: B010 (py-fsrs does not export the name)

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


RATINGS = tuple(Rating)
"""The four ratings in order, for the answer path (iterating the enum runs a generator each time)."""


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
        values = [
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
        ]
        # Written twice on every answer: repr() of ints and floats is valid JSON
        # and round-trips exactly; one repr of the list (None made null) is
        # several times cheaper than json.dumps or joining the items' reprs.
        return repr(values).replace(" ", "").replace("None", "null")

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
    token = _FUZZ_DRAW.set(_Draw(_fuzz_seed(state, key)))
    try:
        return _review(scheduler_for(options), state, _to_fsrs(state, key), rating, now, to_ms(now))[0]
    finally:
        _FUZZ_DRAW.reset(token)


def relearn(state: CardState, at: datetime, options: DeckOptions, key: int) -> CardState:
    """The state of a studied card whose answer was corrected at ``at``: a lapse, due at once.

    The memory state and phase are those FSRS's Again gives at ``at`` (a
    review card relearns, a learning card starts its steps again), and the
    card is due at ``at``. Nobody answered: the counts of answers and lapses
    (and so the leech rule) are left as they were.

    Args:
        state: The card's state before the correction (not new).
        at: When the correction was synced (aware).
        options: The deck's options.
        key: The card's stable number.

    Returns:
        The new state; ``state`` is unchanged.
    """
    again = review(state, Rating.AGAIN, at, options, key)
    return replace(
        again,
        due_ms=to_ms(at),
        lapses=state.lapses,
        reps=state.reps,
        review_total=state.review_total,
        review_passed=state.review_passed,
    )


_PHASES = {fsrs.State(int(phase)): phase for phase in Phase if phase != Phase.NEW}
_FSRS_RATINGS = {rating: fsrs.Rating(int(rating)) for rating in Rating}


def _fuzz_seed(state: CardState, key: int) -> int:
    """The seed of a card's fuzz at this review: the same for each of its four ratings."""
    return key * 1_000_003 + state.reps


def _review(
    scheduler: fsrs.Scheduler, state: CardState, before: fsrs.Card, rating: Rating, now: datetime, now_ms: int
) -> tuple[CardState, timedelta]:
    """The state after an answer, and the interval py-fsrs gave it (exact, before rounding to ms).

    ``before`` is ``state`` as py-fsrs's card; py-fsrs does not change it, so
    one serves the four ratings of ``next_states``. The caller sets the fuzz
    draw (``_FUZZ_DRAW``) for the card.
    """
    card, _ = scheduler.review_card(before, _FSRS_RATINGS[rating], now)
    reviewed = state.phase == Phase.REVIEW
    lapsed = reviewed and rating == Rating.AGAIN
    after = CardState(
        phase=_PHASES[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_ms=to_ms(card.due),
        last_review_ms=now_ms,
        lapses=state.lapses + lapsed,
        reps=state.reps + 1,
        review_total=state.review_total + reviewed,
        review_passed=state.review_passed + (reviewed and rating != Rating.AGAIN),
    )
    return after, card.due - now


@dataclass(frozen=True, slots=True)
class NextStates:
    """A card's state after each rating, worked out once when it is shown.

    The buttons show their intervals; the rating then takes its state from
    here instead of running FSRS again, as Anki's answer takes the states it
    computed for the buttons. py-fsrs reads the time of an answer only as the
    whole days since the last review and as the start of the next interval,
    so a state worked out at ``at`` is moved to a later answer exactly: the
    same days, the due time and last review shifted by the time between.
    When the whole days differ (the answer came after a day boundary of the
    last review), the answer's state is worked out again.

    Attributes:
        state: The state they start from.
        at: When they were worked out.
        options: The deck options they were worked out under.
        key: The card's stable number.
        after: The state after Again, Hard, Good and Easy, in that order.
        intervals: The time from ``at`` to each of those states' due time.
        labels: Those intervals as the buttons show them (``format_interval``).
    """

    state: CardState
    at: datetime
    options: DeckOptions
    key: int
    after: tuple[CardState, ...]
    intervals: tuple[timedelta, ...]
    labels: tuple[str, ...]

    def interval(self, rating: Rating) -> timedelta:
        """How long until the card is due again after ``rating`` (for its button)."""
        return self.intervals[rating - 1]

    def starts_from(self, state: CardState, options: DeckOptions) -> bool:
        """Whether these are the states of ``state`` under ``options``."""
        # Usually the very objects they were worked out from: identity spares comparing field by field.
        return (self.state is state or self.state == state) and (self.options is options or self.options == options)

    def exact_at(self, now: datetime) -> bool:
        """Whether these states hold, moved, for ``now``: the same whole days since the last review as at ``at``."""
        last = self.state.last_review_ms
        return last is None or (now - from_ms(last)).days == (self.at - from_ms(last)).days

    def answered(self, rating: Rating, now: datetime) -> CardState:
        """The state after ``rating`` given at ``now``: the one worked out, moved to ``now``.

        Args:
            rating: The rating given.
            now: When it was given (aware).

        Returns:
            The same state ``review(state, rating, now, options, key)`` gives.
        """
        if not self.exact_at(now):
            return review(self.state, rating, now, self.options, self.key)
        after = self.after[rating - 1]
        now_ms = to_ms(now)
        # Built field by field: dataclasses.replace costs several times as much, on every answer.
        return CardState(
            after.phase,
            after.step,
            after.stability,
            after.difficulty,
            to_ms(now + self.intervals[rating - 1]),
            now_ms,
            after.lapses,
            after.reps,
            after.review_total,
            after.review_passed,
        )


def next_states(state: CardState, now: datetime, options: DeckOptions, key: int) -> NextStates:
    """A card's state after each of the four ratings, from one scheduler.

    Args:
        state: The card's state.
        now: The time it is shown.
        options: The deck's options.
        key: The card's stable number.

    Returns:
        The four states, reusable for the answer (``NextStates.answered``).
    """
    scheduler = scheduler_for(options)
    before = _to_fsrs(state, key)
    now_ms = to_ms(now)
    token = _FUZZ_DRAW.set(_Draw(_fuzz_seed(state, key)))
    try:
        reviewed = [_review(scheduler, state, before, rating, now, now_ms) for rating in RATINGS]
    finally:
        _FUZZ_DRAW.reset(token)
    intervals = tuple(i for _, i in reviewed)
    return NextStates(
        state, now, options, key, tuple(s for s, _ in reviewed), intervals, tuple(map(format_interval, intervals))
    )


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
