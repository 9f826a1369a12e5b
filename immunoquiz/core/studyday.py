"""Study days: a day runs from the rollover hour (4 am by default, as in Anki)
to the same hour the next day, in the learner's time zone.

Days are numbered by the proleptic Gregorian ordinal of their local date, so
they can be stored as integers and compared across time zones and DST changes.

A day starts at the first instant the local clock shows its date at the
rollover hour or later: when a daylight-saving change skips that hour, at
the end of the gap; when it repeats it, at its first occurrence. So days
tile time, without gap or overlap, in every zone and at every hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4
"""The local hour a study day starts unless the learner sets another: 4 am, as in Anki."""

ROLLOVER_SETTING = "rollover_hour"
"""The collection setting that holds the rollover hour."""


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
        # The local date less the rollover hour is right but for an hour or so
        # around a clock change; the day's own bounds settle it.
        day = (_wall(moment, self.tz) - timedelta(hours=self.rollover_hour)).date().toordinal()
        if moment < self.start_of(day):
            return day - 1
        if moment >= self.start_of(day + 1):
            return day + 1
        return day

    def start_of(self, day: int) -> datetime:
        """When study day ``day`` begins, in UTC.

        Args:
            day: A day number.

        Returns:
            The aware UTC datetime of its rollover.
        """
        return _start(self.tz, self.rollover_hour, day)

    def end_of(self, day: int) -> datetime:
        """When study day ``day`` ends (the next day's start), in UTC."""
        return self.start_of(day + 1)


def _wall(moment: datetime, tz: tzinfo | None) -> datetime:
    """The local clock's reading (naive) at an instant; ``tz`` None is the system's zone."""
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).replace(tzinfo=None)


def _instant(wall: datetime, tz: tzinfo | None, fold: int) -> datetime:
    """The instant (UTC) a wall-clock reading names, taking ``fold`` as PEP 495 does in a gap or a repeat."""
    local = wall.replace(tzinfo=tz, fold=fold) if tz is not None else wall.replace(fold=fold)
    return local.astimezone(UTC)


# Wider than any clock change (Lord Howe's is half an hour, most are one hour).
_GAP_SEARCH = timedelta(hours=3)


def _start(tz: tzinfo | None, hour: int, day: int) -> datetime:
    """The first instant whose local reading is ``day`` at ``hour`` or later."""
    wall = datetime.combine(date.fromordinal(day), time(hour))
    # The instants this reading names (two in a repeated hour); zoneinfo and the
    # system's zone disagree on which fold is which, so each is checked.
    named = [t for t in {_instant(wall, tz, 0), _instant(wall, tz, 1)} if _wall(t, tz) == wall]
    if named:
        return min(named)
    # A skipped reading: the day starts when the gap ends, the first second whose reading
    # reaches ``wall`` (clock changes fall on whole seconds; no fold is this close to a gap).
    guess = _instant(wall, tz, 0)
    low, high = math.floor((guess - _GAP_SEARCH).timestamp()), math.ceil((guess + _GAP_SEARCH).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), tz) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


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
