"""Per-deck study options, with Anki's defaults."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
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
    learn_ahead: timedelta = timedelta(minutes=20)
    parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        # Options come from the learner and from the database: a NaN retention or
        # an infinite step would fail every later review, far from its cause.
        problem = _problem(self)
        if problem is not None:
            raise ValueError(problem)

    def is_leech_lapse(self, lapses: int) -> bool:
        """Whether reaching ``lapses`` lapses marks (or re-marks) a leech."""
        if lapses < self.leech_threshold:
            return False
        every = max(1, self.leech_threshold // 2)
        return (lapses - self.leech_threshold) % every == 0

    def summary(self) -> str:
        """The options in one line, as ``immunoquiz options`` prints them."""
        return (
            f"{self.new_per_day} new/day, {self.reviews_per_day} reviews/day, "
            f"retention {self.desired_retention:g}, steps {format_steps(self.learning_steps) or 'none'}, "
            f"relearning {format_steps(self.relearning_steps) or 'none'}, max {self.maximum_interval_days}d, "
            f"leech at {self.leech_threshold} lapses ({'suspend' if self.suspend_leeches else 'tag only'}), "
            f"{'personal' if self.parameters is not None else 'default'} FSRS parameters"
        )

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


def _problem(options: DeckOptions) -> str | None:
    """What makes a set of options unusable, in people's words, or None."""
    if not (math.isfinite(options.desired_retention) and 0 < options.desired_retention < 1):
        return f"Desired retention: a number between 0 and 1 (such as 0.9), not {options.desired_retention}"
    counts = (
        ("New cards a day", options.new_per_day, 0),
        ("Reviews a day", options.reviews_per_day, 0),
        ("Maximum interval (days)", options.maximum_interval_days, 1),
        ("Leech threshold (lapses)", options.leech_threshold, 1),
    )
    for label, value, least in counts:
        if not isinstance(value, int) or value < least:
            return f"{label}: a whole number of at least {least}, not {value}"
    for label, steps in (("Learning steps", options.learning_steps), ("Relearning steps", options.relearning_steps)):
        if any(not timedelta(0) < step <= MAX_STEP for step in steps):
            return f"{label}: each step is more than 0 s and at most {MAX_STEP.days:,} days"
    if options.parameters is not None and not all(math.isfinite(w) for w in options.parameters):
        return "FSRS parameters: every weight must be a finite number (reset them with --reset-parameters)"
    return None


def options_of(options: DeckOptions | Mapping[str, DeckOptions], deck_id: str) -> DeckOptions:
    """A deck's options from one set for every deck or a set per deck id (the defaults for a deck not in it)."""
    if isinstance(options, DeckOptions):
        return options
    return options.get(deck_id, DeckOptions())


_STEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_STEP = timedelta(days=36500)
"""The longest learning step: the longest interval FSRS gives (a longer one overflows the clock)."""


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """Learning steps written as ``1m 10m`` or ``30s, 1h, 1d``; none for an empty text.

    Raises:
        ValueError: With a message saying how to write them.
    """
    steps = []
    for part in text.replace(",", " ").split():
        number, unit = part[:-1], part[-1:]
        if unit not in _STEP_UNITS or not number.replace(".", "", 1).isdigit() or float(number) <= 0:
            raise ValueError(f"steps `{text}`: write durations like `1m 10m` (s, m, h or d)")
        seconds = float(number) * _STEP_UNITS[unit]
        if seconds > MAX_STEP.total_seconds():
            raise ValueError(f"steps `{text}`: each step is at most {MAX_STEP.days:,} days")
        steps.append(timedelta(seconds=seconds))
    return tuple(steps)


def format_steps(steps: tuple[timedelta, ...]) -> str:
    """Steps as ``parse_steps`` reads them, in the largest unit that divides each (``1m 10m``, ``1h 1d``)."""
    parts = []
    for step in steps:
        seconds = step.total_seconds()
        unit = next(u for u in ("d", "h", "m", "s") if seconds % _STEP_UNITS[u] == 0 or u == "s")
        parts.append(f"{seconds / _STEP_UNITS[unit]:g}{unit}")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Field:
    """An option a learner sets, with what it accepts.

    Attributes:
        name: The ``DeckOptions`` attribute.
        label: Its name for people.
        low: The least value (numbers).
        high: The greatest value (numbers).
    """

    name: str
    label: str
    low: float = 0
    high: float = 0

    def read(self, text: str) -> Any:
        """The value written as ``text``.

        Raises:
            ValueError: With a message naming the option and what it takes.
        """
        default = getattr(DeckOptions(), self.name)
        if isinstance(default, tuple):
            return parse_steps(text)
        number_type = float if isinstance(default, float) else int
        try:
            value = number_type(text.strip())
        except ValueError:
            kind = "a number" if number_type is float else "a whole number"
            raise ValueError(f"{self.label}: type {kind} from {self.low:g} to {self.high:g}") from None
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.label}: from {self.low:g} to {self.high:g}, not {value:g}")
        return value

    def show(self, options: DeckOptions) -> str:
        """The option's value in ``options``, as ``read`` takes it."""
        value = getattr(options, self.name)
        return format_steps(value) if isinstance(value, tuple) else f"{value:g}"


FIELDS = {
    field.name: field
    for field in (
        Field("new_per_day", "New cards a day", 0, 9999),
        Field("reviews_per_day", "Reviews a day", 0, 99999),
        Field("desired_retention", "Desired retention", 0.7, 0.99),
        Field("learning_steps", "Learning steps"),
        Field("relearning_steps", "Relearning steps"),
        Field("maximum_interval_days", "Maximum interval (days)", 1, 36500),
        Field("leech_threshold", "Leech threshold (lapses)", 1, 99),
    )
}
"""The options a learner sets by typing, in the order they are shown."""


def read_options(options: DeckOptions, texts: dict[str, str]) -> DeckOptions:
    """``options`` with the fields written in ``texts`` (by ``Field.name``) read in.

    Raises:
        ValueError: For the first text that does not read, naming its option.
    """
    return replace(options, **{name: FIELDS[name].read(text) for name, text in texts.items()})
