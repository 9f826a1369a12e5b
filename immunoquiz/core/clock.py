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


# A clock outside these years is broken (a dead battery, a typo): a due date a
# hundred years on would overflow, and the answers' times would be nonsense.
PLAUSIBLE_FROM = datetime(2000, 1, 1, tzinfo=UTC)
PLAUSIBLE_UNTIL = datetime(9000, 1, 1, tzinfo=UTC)
# A clock behind the last answer by more than this was set back, not corrected by NTP.
BEHIND_SLACK = timedelta(hours=1)


def implausible_clock(now: datetime) -> str | None:
    """Why no answer can be recorded at ``now``, if the clock is broken.

    Args:
        now: The time the clock gives.

    Returns:
        A one-line message with the fix, or None for a usable clock.
    """
    if PLAUSIBLE_FROM <= now < PLAUSIBLE_UNTIL:
        return None
    return (
        f"the system clock says {now:%Y-%m-%d %H:%M} UTC, which cannot be right: set the date and time, then try again"
    )


def clock_behind(now: datetime, last_answer: datetime | None) -> str | None:
    """A warning when the clock is well behind the learner's last recorded answer.

    Not an error: the last answer may be the one recorded under a wrong clock,
    and refusing would lock the learner out once the clock is right again.

    Args:
        now: The time the clock gives.
        last_answer: When the newest answer in the database was recorded.

    Returns:
        A one-line warning, or None.
    """
    if last_answer is None or now >= last_answer - BEHIND_SLACK:
        return None
    return (
        f"the system clock ({now:%Y-%m-%d %H:%M} UTC) is behind your last answer "
        f"({last_answer:%Y-%m-%d %H:%M} UTC): if the clock is wrong, set it right, "
        "since answers are recorded and scheduled at the time it gives"
    )
