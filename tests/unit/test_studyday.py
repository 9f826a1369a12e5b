"""Showing times in the learner's zone, as the app, line mode and the command line all do."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from immunoquiz.core.quiz_history import format_history
from immunoquiz.core.quiz_store import AttemptSummary
from immunoquiz.core.studyday import format_moment

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
