"""Showing times in the learner's zone, as the app, line mode and the command line all do."""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from immunoquiz.core.quiz_history import format_history
from immunoquiz.core.quiz_store import AttemptSummary
from immunoquiz.core.studyday import DayRule, format_moment

TOKYO = ZoneInfo("Asia/Tokyo")
NOON_UTC = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo


def test_a_moment_shows_in_the_learners_zone_with_its_date_unless_it_is_today() -> None:
    assert format_moment(NOON_UTC, TOKYO) == "2026-03-02 21:00"
    assert format_moment(NOON_UTC, UTC) == "2026-03-02 12:00"
    assert format_moment(NOON_UTC, TOKYO, now=datetime(2026, 3, 2, 1, 0, tzinfo=UTC)) == "21:00"
    # 16:00 UTC on the same UTC date is already the next day in Tokyo.
    assert format_moment(NOON_UTC, TOKYO, now=datetime(2026, 3, 2, 16, 0, tzinfo=UTC)) == "2026-03-02 21:00"


def test_the_quiz_history_dates_attempts_in_the_learners_zone() -> None:
    row = AttemptSummary(1, NOON_UTC, NOON_UTC, (), (), 2.0, 3, 30_000, False, 5)
    assert "   1  2026-03-02 21:00  " in format_history([row], TOKYO)


# Zones whose clocks change at awkward moments: at 2 am (New York), 1 am (London), at
# midnight (Santiago, Havana, Beirut), by half an hour (Lord Howe), at a 45-minute
# offset (Chatham); and two that never change.
ZONES = [
    "America/New_York",
    "Europe/London",
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
]
YEAR = range(date(2025, 1, 1).toordinal(), date(2026, 1, 2).toordinal())
SECOND = timedelta(seconds=1)


def days_to_test(tz: ZoneInfo) -> list[int]:
    """The days of the year around each clock change, and one day a month besides."""
    offsets = {day: datetime.combine(date.fromordinal(day), time(12), tz).utcoffset() for day in YEAR}
    changes = [day for day in YEAR[1:] if offsets[day] != offsets[day - 1]]
    return sorted({d for day in changes for d in (day - 2, day - 1, day)} | set(YEAR[::30]))


def wall(moment: datetime, tz: ZoneInfo | None) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the machine's own zone (``TZ``), as a learner who never chose one has it."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        clock.tzset()

    yield use
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.parametrize("chosen", [True, False], ids=["chosen-zone", "system-zone"])
@pytest.mark.parametrize("zone", ZONES)
def test_study_days_tile_time_at_every_rollover_hour_through_a_year_of_clock_changes(
    zone: str, chosen: bool, system_zone: Callable[[str], None]
) -> None:
    system_zone(zone)
    tz = ZoneInfo(zone) if chosen else None
    for hour in range(24):
        rule = DayRule(tz, hour)
        for day in days_to_test(ZoneInfo(zone)):
            start, following = rule.start_of(day), rule.start_of(day + 1)
            rollover = datetime.combine(date.fromordinal(day), time(hour))
            # The first instant the local clock reads the day's rollover or later...
            assert wall(start, tz) >= rollover > wall(start - SECOND, tz), (zone, hour, date.fromordinal(day))
            # ...and the days follow each other without gap or overlap.
            assert start < following
            assert rule.day_of(start) == day
            assert rule.day_of(following - timedelta(microseconds=1)) == day


def test_the_days_reported_wrong_around_clock_changes(system_zone: Callable[[str], None]) -> None:
    system_zone("America/New_York")
    new_york = DayRule(None, 2)
    march_9 = date(2025, 3, 9).toordinal()  # 2 am does not exist: the clock jumps to 3 am
    assert new_york.start_of(march_9) == datetime(2025, 3, 9, 7, tzinfo=UTC)  # 3 am EDT, the gap's end
    assert new_york.day_of(new_york.start_of(march_9)) == march_9
    assert new_york.day_of(datetime(2025, 3, 9, 6, 59, tzinfo=UTC)) == march_9 - 1
    system_zone("Europe/London")
    london = DayRule(None, 1)
    march_30 = date(2025, 3, 30).toordinal()  # 1 am does not exist: the clock jumps to 2 am BST
    assert london.start_of(march_30) == datetime(2025, 3, 30, 1, tzinfo=UTC)
    assert london.day_of(london.start_of(march_30)) == march_30
    havana = DayRule(ZoneInfo("America/Havana"), 0)
    november_2 = date(2025, 11, 2).toordinal()  # midnight repeats: the day starts at the first one
    assert havana.start_of(november_2) == datetime(2025, 11, 2, 4, tzinfo=UTC)
    assert havana.start_of(november_2 + 1) - havana.start_of(november_2) == timedelta(hours=25)


def test_the_quiz_history_columns_align_whatever_the_scope_and_score() -> None:
    rows = [
        AttemptSummary(1, NOON_UTC, NOON_UTC, (), (), 2.0, 3, 30_000, False, 5),
        AttemptSummary(12, NOON_UTC, NOON_UTC, ("side-effects",), ("lung",), 7.5, 10, 192_000, False, 6),
    ]
    lines = format_history(rows, TOKYO).splitlines()
    starts = [
        [line.index(cell) for cell in cells]
        for line, cells in zip(
            lines,
            [
                ("date", "decks", "score", "duration"),
                ("2026", "all decks", "2/3", "30 s"),
                ("2026", "side", "7.5", "3 min"),
            ],
            strict=True,
        )
    ]
    assert starts[0] == starts[1] == starts[2]
