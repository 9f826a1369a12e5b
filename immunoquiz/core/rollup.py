"""The review log summed per study day, deck, mode and phase, in one index scan.

Every statistic over the log (calendar, retention, answer buttons, study
time, per-deck totals) is derived from these day totals, so a log of a
million answers is read once. The query follows the covering index
``reviews_day (day, deck_id, mode, phase_before, mature, rating,
duration_ms)``: SQLite groups in index order, without sorting and without
touching the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from immunoquiz.core.query import CardFilter
from immunoquiz.core.store import Store


@dataclass(frozen=True, slots=True)
class Scope:
    """Which cards and answers the figures cover.

    Attributes:
        decks: Deck ids (never empty).
        tags: Only cards with one of these tags; empty for all.
        since_day: Only answers from this study day on; None for all.
    """

    decks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    since_day: int | None = None

    @property
    def cards(self) -> CardFilter:
        """The cards covered, as a filter."""
        return CardFilter(self.decks, self.tags)

    def cards_sql(self, alias: str = "c") -> tuple[str, list[object]]:
        """An SQL condition on a ``cards`` row and its parameters."""
        return self.cards.where(alias)

    def reviews_sql(self, alias: str = "r") -> tuple[str, list[object]]:
        """An SQL condition on a ``reviews`` row and its parameters."""
        marks = ",".join("?" * len(self.decks))
        sql = f"{alias}.deck_id IN ({marks})"
        params: list[object] = list(self.decks)
        if self.since_day is not None:
            sql = f"{alias}.day >= ? AND " + sql
            params.insert(0, self.since_day)
        if self.tags:
            cards, card_params = self.cards_sql("c")
            sql += f" AND {alias}.card IN (SELECT c.id FROM cards c WHERE {cards})"
            params += card_params
        return sql, params


@dataclass(frozen=True, slots=True)
class DayTotals:
    """Answers of one study day, deck, mode and phase.

    Attributes:
        day: The study day.
        deck_id: The deck.
        mode: ``review``, ``cram`` or ``quiz``.
        phase_before: The card's phase before the answer (0 new ... 3 relearning).
        count: Answers.
        seconds: Time spent answering.
        ratings: Answers per rating (Again, Hard, Good, Easy).
        young_ratings: The same, for answers whose interval before was under 21 days.
    """

    day: int
    deck_id: str
    mode: str
    phase_before: int
    count: int
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

    The grouping follows the covering index ``reviews_day`` column for column
    (the rating and the young/mature flag included), so SQLite neither sorts
    nor reads the table; the few thousand groups are folded here.

    Args:
        store: The learner's database.
        scope: Decks, tags and first day.
        timed_since: The first day whose study time is needed (None: every
            day); older days are summed without it, which is cheaper.

    Returns:
        The totals, by day (``seconds`` is 0 before ``timed_since``).
    """
    where, params = scope.reviews_sql()
    if not scope.tags and set(scope.decks) >= _all_decks(store):
        # Every deck in the database: no per-row deck test is needed.
        where, params = ("day >= ?", [scope.since_day]) if scope.since_day is not None else ("1", [])
    groups = "GROUP BY day, deck_id, mode, phase_before, mature, rating"
    columns = "day, deck_id, mode, phase_before, mature, rating, count(*)"
    results: list[tuple[Any, ...]]
    if timed_since is None:
        results = store.conn.execute(
            f"SELECT {columns}, sum(duration_ms) FROM reviews r WHERE {where} {groups}", params
        ).fetchall()
    else:
        untimed = store.conn.execute(
            f"SELECT {columns}, 0 FROM reviews r WHERE day < ? AND {where} {groups}", [timed_since, *params]
        ).fetchall()
        results = (
            untimed
            + store.conn.execute(
                f"SELECT {columns}, sum(duration_ms) FROM reviews r WHERE day >= ? AND {where} {groups}",
                [timed_since, *params],
            ).fetchall()
        )
    folded: dict[tuple[int, str, str, int], tuple[int, float, list[int], list[int]]] = {}
    for day, deck, mode, phase, mature, rating, count, seconds in results:
        key = (day, deck, mode, phase)
        total, spent, ratings, young = folded.get(key) or (0, 0.0, [0, 0, 0, 0], [0, 0, 0, 0])
        ratings[rating - 1] += count
        if not mature:
            young[rating - 1] += count
        folded[key] = (total + count, spent + (seconds or 0) / 1000, ratings, young)
    return [
        DayTotals(day, deck, mode, phase, total, spent, (r[0], r[1], r[2], r[3]), (y[0], y[1], y[2], y[3]))
        for (day, deck, mode, phase), (total, spent, r, y) in folded.items()
    ]


def _all_decks(store: Store) -> set[str]:
    return {deck for (deck,) in store.conn.execute("SELECT DISTINCT deck_id FROM cards")}


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
