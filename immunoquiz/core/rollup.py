"""The review log summed per study day, deck, mode and phase.

Every statistic over the log (calendar, retention, answer buttons, study
time, per-deck totals) is derived from these day totals. For whole decks the
database keeps them for the days before the one being studied
(``review_query.day_sums``), so the stats cost grows with the days studied,
not the answers; for some tags only, the log is summed in one scan of its
covering index (``review_query.day_groups``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from immunoquiz.core.review_query import Scope, day_groups, day_sums
from immunoquiz.core.store import Store


class DayTotals(NamedTuple):
    """Answers of one study day, deck, mode and phase (a tuple: a year of study makes thousands).

    Attributes:
        day: The study day.
        deck_id: The deck.
        mode: ``review``, ``cram`` or ``quiz``.
        phase_before: The card's phase before the answer (0 new ... 3 relearning).
        answers: Answers.
        seconds: Time spent answering.
        ratings: Answers per rating (Again, Hard, Good, Easy).
        young_ratings: The same, for answers whose interval before was under 21 days.
    """

    day: int
    deck_id: str
    mode: str
    phase_before: int
    answers: int
    seconds: float
    ratings: tuple[int, int, int, int]
    young_ratings: tuple[int, int, int, int]

    @property
    def mature_ratings(self) -> tuple[int, int, int, int]:
        """Answers per rating whose interval before was 21 days or more."""
        a, b, c, d = self.ratings
        e, f, g, h = self.young_ratings
        return (a - e, b - f, c - g, d - h)


def day_totals(store: Store, scope: Scope, timed_since: int | None = None) -> list[DayTotals]:
    """The review log of a scope, summed per day, deck, mode and phase.

    Without tags they are the sums the database keeps (a few thousand rows,
    whatever the log's length, and the day being studied summed from the
    log); with tags, the log is summed (``day_totals_from_log``). Both give
    the same totals in the same order.

    Args:
        store: The learner's database.
        scope: Decks, tags and first day.
        timed_since: The first day whose study time is needed (None: every
            day), as for ``review_query.day_groups``.

    Returns:
        The totals, by day, deck, mode and phase (``seconds`` is 0 before ``timed_since``).
    """
    if scope.tags:
        return day_totals_from_log(store, scope, timed_since)
    return [
        DayTotals(
            row.day,
            row.deck_id,
            row.mode,
            row.phase_before,
            row.answers,
            row.duration_ms / 1000,
            (row.again, row.hard, row.good, row.easy),
            (row.young_again, row.young_hard, row.young_good, row.young_easy),
        )
        for row in day_sums(store, scope.decks, scope.since_day, timed_since)
    ]


def day_totals_from_log(store: Store, scope: Scope, timed_since: int | None = None) -> list[DayTotals]:
    """The day totals of a scope summed from the review log itself (as ``day_totals``, which has them kept).

    The log is read grouped as its covering index ``reviews_day`` is
    (``review_query.day_groups``: the rating and the young/mature flag
    included); the few thousand groups are folded here.
    """
    folded: dict[tuple[int, str, str, int], tuple[int, int, list[int], list[int]]] = {}
    for day, deck, mode, phase, mature, rating, count, duration_ms in day_groups(store, scope, timed_since):
        key = (day, deck, mode, phase)
        total, spent_ms, ratings, young = folded.get(key) or (0, 0, [0, 0, 0, 0], [0, 0, 0, 0])
        ratings[rating - 1] += count
        if not mature:
            young[rating - 1] += count
        folded[key] = (total + count, spent_ms + (duration_ms or 0), ratings, young)
    return [
        DayTotals(day, deck, mode, phase, total, spent_ms / 1000, (r[0], r[1], r[2], r[3]), (y[0], y[1], y[2], y[3]))
        for (day, deck, mode, phase), (total, spent_ms, r, y) in sorted(folded.items())
    ]


def retention_of(rows: Sequence[DayTotals], since_day: int | None = None) -> tuple[int, int, int, int]:
    """Passed and total scheduled reviews of review-phase cards: young passed, young total, mature passed, mature total.

    Args:
        rows: Day totals.
        since_day: Only days from this one on.

    Returns:
        The four counts.
    """
    young_passed = young_total = mature_passed = mature_total = 0
    for row in rows:
        if row.mode != "review" or row.phase_before != 2 or (since_day is not None and row.day < since_day):
            continue
        young, mature = row.young_ratings, row.mature_ratings
        young_passed += sum(young[1:])
        young_total += sum(young)
        mature_passed += sum(mature[1:])
        mature_total += sum(mature)
    return young_passed, young_total, mature_passed, mature_total
