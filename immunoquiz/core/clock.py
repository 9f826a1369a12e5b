"""Time, injected everywhere so that tests can run weeks of study in milliseconds.

All stored times are UTC; the learner's time zone only decides where a study
day begins (see ``studyday``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""A function returning the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    """The real current time, in UTC."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, for tests and benchmarks.

    Args:
        start: The initial time (aware; converted to UTC).
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` and return the new time."""
        self.now += timedelta(**delta)
        return self.now


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime (the stored form of times)."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    """The aware UTC datetime of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, UTC)
