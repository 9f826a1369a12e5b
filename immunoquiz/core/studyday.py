"""Study days: a day runs from the rollover hour (4 am by default, as in Anki)
to the same hour the next day, in the learner's time zone.

Days are numbered by the proleptic Gregorian ordinal of their local date, so
they can be stored as integers and compared across time zones and DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4
"""The local hour a study day starts unless the learner sets another: 4 am, as in Anki."""


@dataclass(frozen=True, slots=True)
class DayRule:
    """Where study days begin.

    Attributes:
        tz: The learner's time zone; None means the system's local zone.
        rollover_hour: Local hour at which a new study day starts (0-23).
    """

    tz: tzinfo | None = None
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR

    def day_of(self, moment: datetime) -> int:
        """The study day that ``moment`` (aware) falls in.

        Args:
            moment: An aware datetime.

        Returns:
            The day number (a date ordinal).
        """
        local = moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()
        return (local - timedelta(hours=self.rollover_hour)).date().toordinal()

    def start_of(self, day: int) -> datetime:
        """When study day ``day`` begins, in UTC.

        Args:
            day: A day number.

        Returns:
            The aware UTC datetime of its rollover.
        """
        naive = datetime.combine(date.fromordinal(day), time(self.rollover_hour))
        local = naive.replace(tzinfo=self.tz) if self.tz is not None else naive.astimezone()
        return local.astimezone(UTC)

    def end_of(self, day: int) -> datetime:
        """When study day ``day`` ends (the next day's start), in UTC."""
        return self.start_of(day + 1)


def read_rollover_hour(text: str | int) -> int:
    """The hour a study day starts, as typed (``4`` for 4 am) or given.

    Raises:
        ValueError: With a message saying what it takes.
    """
    try:
        hour = int(str(text).strip())
    except ValueError:
        raise ValueError("Day starts at: type an hour from 0 to 23, such as 4 for 4 am") from None
    if not 0 <= hour <= 23:
        raise ValueError(f"Day starts at: an hour from 0 to 23, not {hour}")
    return hour


def format_moment(moment: datetime, tz: tzinfo | None, now: datetime | None = None) -> str:
    """A time as the learner reads it, in their zone (the day rule's ``tz``; None for the system's).

    Args:
        moment: An aware datetime.
        tz: The learner's time zone.
        now: When given, a moment on the same local date shows as the time alone.

    Returns:
        ``14:05`` on ``now``'s date, else ``2026-03-04 14:05``.
    """
    local = moment.astimezone(tz)
    if now is not None and local.date() == now.astimezone(tz).date():
        return f"{local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"
