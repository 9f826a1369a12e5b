"""Per-deck study options, with Anki's defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from typing import Any


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
        parameters: The FSRS model's 21 weights fitted to the learner's own
            reviews (``immunoquiz options --optimize``); None for FSRS's defaults.
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
    parameters: tuple[float, ...] | None = None

    def is_leech_lapse(self, lapses: int) -> bool:
        """Whether reaching ``lapses`` lapses marks (or re-marks) a leech."""
        if lapses < self.leech_threshold:
            return False
        every = max(1, self.leech_threshold // 2)
        return (lapses - self.leech_threshold) % every == 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (durations in seconds)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, timedelta):
                data[key] = value.total_seconds()
            elif key == "parameters":
                data[key] = None if value is None else list(value)
            elif isinstance(value, tuple):
                data[key] = [step.total_seconds() for step in value]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeckOptions:
        """Options from ``to_dict``; unknown keys are ignored, missing ones take the defaults."""
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            default, value = getattr(defaults, f.name), data[f.name]
            if f.name == "parameters":
                value = None if value is None else tuple(float(weight) for weight in value)
            elif isinstance(default, timedelta):
                value = timedelta(seconds=value)
            elif isinstance(default, tuple):
                value = tuple(timedelta(seconds=step) for step in value)
            values[f.name] = value
        return cls(**values)
