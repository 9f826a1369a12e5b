"""Per-deck study options, with Anki's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class DeckOptions:
    """How a deck is scheduled.

    Attributes:
        desired_retention: Target probability of recall at review time.
        learning_steps: Intervals of the learning steps of a new card.
        relearning_steps: Intervals after a lapse.
        maximum_interval_days: No interval exceeds this.
        fuzz: Spread intervals a little so that cards learnt together part.
        new_per_day: New cards introduced per study day.
        reviews_per_day: Review cards shown per study day.
        leech_threshold: Lapses at which a card becomes a leech (then every
            half of it again, as in Anki).
        suspend_leeches: Suspend a card when it becomes a leech.
        easy_within_s: A right answer given this fast proposes Easy.
        learn_ahead: Learning cards due this soon are shown when nothing else is.
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8
    suspend_leeches: bool = True
    easy_within_s: float = 5.0
    learn_ahead: timedelta = timedelta(minutes=20)

    def is_leech_lapse(self, lapses: int) -> bool:
        """Whether reaching ``lapses`` lapses marks (or re-marks) a leech."""
        if lapses < self.leech_threshold:
            return False
        every = max(1, self.leech_threshold // 2)
        return (lapses - self.leech_threshold) % every == 0
