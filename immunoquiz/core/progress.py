"""Progress statistics: the figures of the stats screen and of ``immunoquiz stats``.

Everything over the review log is an SQL aggregate (one pass per figure), so
that a log of a million answers stays quick; Python only loops over the
results (days, tags, cards), never over the log itself.

Conventions, as in Anki: *true retention* is the share of passed answers
(Hard, Good or Easy) among scheduled reviews of cards in the review phase;
a review is *young* when the interval before it was under 21 days and
*mature* otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from immunoquiz.core.clock import to_ms
from immunoquiz.core.reader import SourceCache
from immunoquiz.core.source import SourceDocument
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule

MATURE_MS = 21 * 86_400_000
RETENTION_WINDOWS = (7, 30, 365)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which cards and answers the figures cover.

    Attributes:
        decks: Deck ids (never empty).
        tags: Only cards with one of these tags; empty for all.
        since_ms: Only answers from this time on (epoch ms); None for all.
    """

    decks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    since_ms: int | None = None

    def cards_sql(self, alias: str = "c") -> tuple[str, list[object]]:
        """An SQL condition on a ``cards`` row and its parameters."""
        marks = ",".join("?" * len(self.decks))
        sql = f"{alias}.retired = 0 AND {alias}.deck_id IN ({marks})"
        params: list[object] = list(self.decks)
        if self.tags:
            tag_marks = ",".join("?" * len(self.tags))
            sql += (
                f" AND EXISTS (SELECT 1 FROM notes n, json_each(n.tags) t WHERE n.deck_id = {alias}.deck_id"
                f" AND n.card_id = {alias}.card_id AND t.value IN ({tag_marks}))"
            )
            params += list(self.tags)
        return sql, params

    def reviews_sql(self) -> tuple[str, list[object]]:
        """An SQL condition on a ``reviews`` row (aliased ``r``) and its parameters."""
        marks = ",".join("?" * len(self.decks))
        sql = f"r.deck_id IN ({marks})"
        params: list[object] = list(self.decks)
        if self.tags:
            cards, card_params = self.cards_sql("c")
            sql += f" AND r.card IN (SELECT c.id FROM cards c WHERE {cards})"
            params += card_params
        if self.since_ms is not None:
            sql += " AND r.time_ms >= ?"
            params.append(self.since_ms)
        return sql, params


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def review_calendar(store: Store, scope: Scope, today: int, days: int = 365) -> dict[str, Any]:
    """Reviews per study day over the past ``days`` days, and study streaks.

    The current streak counts consecutive days with at least one answer up to
    today (or up to yesterday, when today has none yet); the longest streak
    is over the whole log.

    Args:
        store: The learner's database.
        scope: What to count.
        today: Today's study day number.
        days: How far back the calendar goes.

    Returns:
        ``days`` (day number to answers), ``days_studied``, ``current_streak``,
        ``longest_streak``.
    """
    where, params = scope.reviews_sql()
    studied = [
        (day, count)
        for day, count in store.conn.execute(
            f"SELECT day, count(*) FROM reviews r WHERE {where} GROUP BY day ORDER BY day", params
        )
    ]
    longest = run = 0
    previous = None
    for day, _ in studied:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    days_with_answers = {day for day, _ in studied}
    current = 0
    cursor = today if today in days_with_answers else today - 1
    while cursor in days_with_answers:
        current += 1
        cursor -= 1
    calendar = {day: count for day, count in studied if day > today - days}
    return {
        "days": calendar,
        "days_studied": len(calendar),
        "current_streak": current,
        "longest_streak": longest,
    }


def due_forecast(store: Store, scope: Scope, now: datetime, day_rule: DayRule, days: int = 30) -> list[int]:
    """Cards due on each of the next ``days`` study days (today first, overdue included).

    One pass over the cards: a cumulative count per day boundary, so the
    boundaries follow the learner's time zone exactly (DST included).

    Args:
        store: The learner's database.
        scope: What to count.
        now: The current time.
        day_rule: Where study days begin.
        days: How many days ahead.

    Returns:
        One count per day.
    """
    today = day_rule.day_of(now)
    bounds = [to_ms(day_rule.end_of(today + n)) for n in range(days)]
    where, params = scope.cards_sql()
    sums = ", ".join("sum(c.due_ms < ?)" for _ in bounds)
    row = store.conn.execute(
        f"SELECT {sums} FROM cards c WHERE {where} AND c.phase != 0 AND c.suspended = 0", [*bounds, *params]
    ).fetchone()
    cumulative = [value or 0 for value in row]
    return [cumulative[0]] + [cumulative[n] - cumulative[n - 1] for n in range(1, days)]


def true_retention(store: Store, scope: Scope, now: datetime, windows: Sequence[int] = RETENTION_WINDOWS) -> dict[str, Any]:
    """True retention over each window (days), for young, mature and all review cards.

    Args:
        store: The learner's database.
        scope: What to count.
        now: The current time.
        windows: Window lengths in days.

    Returns:
        ``{"7d": {"young": {...}, "mature": {...}, "all": {...}}, ...}`` where each
        entry has ``passed``, ``total`` and ``rate`` (None without reviews).
    """
    where, params = scope.reviews_sql()
    columns = []
    args: list[object] = []
    for window in windows:
        since = to_ms(now - timedelta(days=window))
        for young in (True, False):
            test = "interval_before_ms < ?" if young else "interval_before_ms >= ?"
            columns.append(f"sum(time_ms >= ? AND {test} AND rating > 1), sum(time_ms >= ? AND {test})")
            args += [since, MATURE_MS, since, MATURE_MS]
    row = store.conn.execute(
        f"SELECT {', '.join(columns)} FROM reviews r WHERE {where} AND mode = 'review' AND phase_before = 2",
        [*args, *params],
    ).fetchone()
    values = [v or 0 for v in row]
    result: dict[str, Any] = {}
    for n, window in enumerate(windows):
        young_passed, young_total, mature_passed, mature_total = values[4 * n: 4 * n + 4]
        result[f"{window}d"] = {
            "young": {"passed": young_passed, "total": young_total, "rate": _rate(young_passed, young_total)},
            "mature": {"passed": mature_passed, "total": mature_total, "rate": _rate(mature_passed, mature_total)},
            "all": {
                "passed": young_passed + mature_passed,
                "total": young_total + mature_total,
                "rate": _rate(young_passed + mature_passed, young_total + mature_total),
            },
        }
    return result


def answer_buttons(store: Store, scope: Scope) -> dict[str, list[int]]:
    """How often each rating (Again, Hard, Good, Easy) was chosen, by card kind.

    Returns:
        ``learning`` (new and (re)learning cards), ``young`` and ``mature``
        review cards: four counts each.
    """
    where, params = scope.reviews_sql()
    buttons = {"learning": [0, 0, 0, 0], "young": [0, 0, 0, 0], "mature": [0, 0, 0, 0]}
    for kind, rating, count in store.conn.execute(
        f"""SELECT CASE WHEN phase_before != 2 THEN 'learning'
                        WHEN interval_before_ms < ? THEN 'young' ELSE 'mature' END, rating, count(*)
            FROM reviews r WHERE {where} AND mode = 'review' GROUP BY 1, 2""",
        [MATURE_MS, *params],
    ):
        buttons[kind][rating - 1] = count
    return buttons


def study_time(store: Store, scope: Scope, today: int, days: int = 30) -> list[dict[str, Any]]:
    """Answers and minutes of study on each of the last ``days`` study days (oldest first)."""
    where, params = scope.reviews_sql()
    rows = {
        day: (count, seconds)
        for day, count, seconds in store.conn.execute(
            f"SELECT day, count(*), coalesce(sum(duration_ms), 0) / 1000.0 FROM reviews r"
            f" WHERE {where} AND day > ? GROUP BY day",
            [*params, today - days],
        )
    }
    return [
        {"day": day, "reviews": rows.get(day, (0, 0.0))[0], "minutes": round(rows.get(day, (0, 0.0))[1] / 60, 2)}
        for day in range(today - days + 1, today + 1)
    ]


@dataclass(frozen=True, slots=True)
class CardResult:
    """One card's record in the review log."""

    deck_id: str
    card_id: str
    sibling: int
    reviews: int
    passed: int
    lapses: int
    leech: bool
    suspended: bool
    tags: tuple[str, ...]
    quote: str

    @property
    def retention(self) -> float | None:
        """Share of passed scheduled reviews of this card in the review phase."""
        return _rate(self.passed, self.reviews)


def card_results(store: Store, scope: Scope) -> list[CardResult]:
    """Per-card totals: one aggregate pass over the log, joined to the cards and their tags."""
    where, params = scope.reviews_sql()
    cards_where, card_params = scope.cards_sql()
    rows = store.conn.execute(
        f"""WITH per_card AS (
                SELECT r.card AS card, count(*) AS reviews, sum(r.rating > 1) AS passed
                FROM reviews r WHERE {where} AND r.mode = 'review' AND r.phase_before = 2 GROUP BY r.card)
            SELECT c.deck_id, c.card_id, c.sibling, coalesce(p.reviews, 0), coalesce(p.passed, 0), c.lapses,
                   c.leech, c.suspended, n.tags, n.quote
            FROM cards c JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id
            LEFT JOIN per_card p ON p.card = c.id
            WHERE {cards_where} AND (p.reviews IS NOT NULL OR c.lapses > 0 OR c.leech = 1)""",
        [*params, *card_params],
    )
    return [
        CardResult(deck, card, sibling, reviews, passed, lapses, bool(leech), bool(suspended),
                   tuple(json.loads(tags)), quote)
        for deck, card, sibling, reviews, passed, lapses, leech, suspended, tags, quote in rows
    ]


def weak_spots(results: Sequence[CardResult], limit: int = 10, min_reviews: int = 2) -> dict[str, Any]:
    """The tags and cards with the lowest retention and the most lapses, and the leeches.

    Args:
        results: Per-card totals (``card_results``).
        limit: How many of each to list.
        min_reviews: Reviews needed before a card's or tag's retention counts.

    Returns:
        ``tags``, ``cards`` and ``leeches``, weakest first; each entry carries
        what a cram session on exactly those cards needs (deck and card ids).
    """
    tags: dict[str, list[CardResult]] = {}
    for result in results:
        for tag in result.tags:
            tags.setdefault(tag, []).append(result)
    tag_rows: list[dict[str, Any]] = []
    for tag, members in tags.items():
        reviews = sum(m.reviews for m in members)
        if reviews < min_reviews:
            continue
        passed = sum(m.passed for m in members)
        tag_rows.append({
            "tag": tag,
            "retention": _rate(passed, reviews),
            "reviews": reviews,
            "lapses": sum(m.lapses for m in members),
            "cards": sorted({(m.deck_id, m.card_id) for m in members}),
        })
    tag_rows.sort(key=lambda row: (row["retention"], -row["lapses"], row["tag"]))

    def card_row(result: CardResult) -> dict[str, Any]:
        return {
            "deck": result.deck_id, "card": result.card_id, "sibling": result.sibling,
            "retention": result.retention, "reviews": result.reviews, "lapses": result.lapses,
            "leech": result.leech, "suspended": result.suspended,
        }

    weak_cards = [r for r in results if r.reviews >= min_reviews or r.lapses]
    weak_cards.sort(key=lambda r: (r.retention if r.retention is not None else 1.0, -r.lapses, r.deck_id, r.card_id))
    return {
        "tags": tag_rows[:limit],
        "cards": [card_row(r) for r in weak_cards[:limit]],
        "leeches": [card_row(r) for r in results if r.leech],
    }


def source_map(store: Store, scope: Scope, results: Sequence[CardResult]) -> list[dict[str, Any]]:
    """For each section of each source document: cards quoting it and the retention on them.

    Args:
        store: The learner's database.
        scope: Which decks (their sources) and cards.
        results: Per-card totals (``card_results``), for retention.

    Returns:
        One entry per section in document order: ``source``, ``section``,
        ``title``, ``cards`` (cards quoting it), ``reviews``, ``retention``.
    """
    marks = ",".join("?" * len(scope.decks))
    sources = {deck: Path(path) for deck, path in store.conn.execute(
        f"SELECT id, source FROM decks WHERE id IN ({marks})", list(scope.decks))}
    cache = SourceCache()
    documents: dict[Path, SourceDocument] = {}
    for path in dict.fromkeys(sources.values()):
        read = cache.get(path)
        if isinstance(read, SourceDocument):
            documents[path] = read
    totals: dict[tuple[Path, int], dict[str, Any]] = {}
    for path, doc in documents.items():
        for index, part in enumerate(doc.sections):
            totals[(path, index)] = {
                "source": path.name, "section": index, "title": part.title,
                "cards": 0, "reviews": 0, "passed": 0,
            }
    by_card = {(r.deck_id, r.card_id, r.sibling): r for r in results}
    cards_where, params = scope.cards_sql()
    for deck, card, sibling, quote in store.conn.execute(
        f"SELECT c.deck_id, c.card_id, c.sibling, n.quote FROM cards c JOIN notes n"
        f" ON n.deck_id = c.deck_id AND n.card_id = c.card_id WHERE {cards_where}",
        params,
    ):
        source = sources.get(deck)
        document = documents.get(source) if source is not None else None
        section = document.section_of(quote) if document is not None else None
        if source is None or section is None:
            continue
        entry = totals[(source, section)]
        entry["cards"] += 1
        found = by_card.get((deck, card, sibling))
        if found is not None:
            entry["reviews"] += found.reviews
            entry["passed"] += found.passed
    out = []
    for entry in totals.values():
        passed = entry.pop("passed")
        entry["retention"] = _rate(passed, entry["reviews"])
        out.append(entry)
    return out


def progress_report(
    store: Store, scope: Scope, now: datetime, day_rule: DayRule = DayRule(), desired_retention: float = 0.9
) -> dict[str, Any]:
    """Every figure of the stats screen, JSON-ready.

    Args:
        store: The learner's database.
        scope: Decks, tags and start time.
        now: The current time.
        day_rule: Where study days begin.
        desired_retention: Shown beside the true retention.

    Returns:
        ``calendar``, ``forecast``, ``retention``, ``desired_retention``,
        ``buttons``, ``study_time``, ``weak_spots`` and ``source_map``.
    """
    today = day_rule.day_of(now)
    results = card_results(store, scope)
    calendar = review_calendar(store, scope, today)
    return {
        "calendar": {**calendar, "days": {date.fromordinal(day).isoformat(): n for day, n in calendar["days"].items()}},
        "forecast": due_forecast(store, scope, now, day_rule),
        "retention": true_retention(store, scope, now),
        "desired_retention": desired_retention,
        "buttons": answer_buttons(store, scope),
        "study_time": [{**row, "day": date.fromordinal(row["day"]).isoformat()} for row in study_time(store, scope, today)],
        "weak_spots": weak_spots(results),
        "source_map": source_map(store, scope, results),
    }
