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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from immunoquiz.core.clock import to_ms
from immunoquiz.core.rollup import DayTotals, Scope, day_totals, retention_of
from immunoquiz.core.source import SourceCache, SourceDocument
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule

RETENTION_WINDOWS = (7, 30, 365)
STUDY_TIME_DAYS = 30


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def review_calendar(rows: Sequence[DayTotals], today: int, days: int = 365) -> dict[str, Any]:
    """Answers per study day over the past ``days`` days, and study streaks.

    The current streak counts consecutive days with at least one answer up to
    today (or up to yesterday, when today has none yet); the longest streak
    is over all the days given.

    Args:
        rows: Day totals (``rollup.day_totals``).
        today: Today's study day number.
        days: How far back the calendar goes.

    Returns:
        ``days`` (day number to answers), ``days_studied``, ``current_streak``,
        ``longest_streak``.
    """
    per_day: dict[int, int] = {}
    for row in rows:
        per_day[row.day] = per_day.get(row.day, 0) + row.count
    longest = run = 0
    previous = None
    for day in sorted(per_day):
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in per_day else today - 1
    while cursor in per_day:
        current += 1
        cursor -= 1
    calendar = {day: count for day, count in sorted(per_day.items()) if day > today - days}
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


def true_retention(rows: Sequence[DayTotals], today: int, windows: Sequence[int] = RETENTION_WINDOWS) -> dict[str, Any]:
    """True retention over the last 7, 30 and 365 study days, for young, mature and all review cards.

    Args:
        rows: Day totals.
        today: Today's study day.
        windows: Window lengths in days (today included).

    Returns:
        ``{"7d": {"young": {...}, "mature": {...}, "all": {...}}, ...}`` where each
        entry has ``passed``, ``total`` and ``rate`` (None without reviews).
    """
    result: dict[str, Any] = {}
    for window in windows:
        young_passed, young_total, mature_passed, mature_total = retention_of(rows, today - window + 1)
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


def answer_buttons(rows: Sequence[DayTotals]) -> dict[str, list[int]]:
    """How often each rating (Again, Hard, Good, Easy) was chosen in scheduled study, by card kind.

    Returns:
        ``learning`` (new and (re)learning cards), ``young`` and ``mature``
        review cards: four counts each.
    """
    buttons = {"learning": [0, 0, 0, 0], "young": [0, 0, 0, 0], "mature": [0, 0, 0, 0]}
    for row in rows:
        if row.mode != "review":
            continue
        parts = (
            (("learning", row.ratings),)
            if row.phase_before != 2
            else (("young", row.young_ratings), ("mature", row.mature_ratings))
        )
        for kind, counts in parts:
            for n, count in enumerate(counts):
                buttons[kind][n] += count
    return buttons


def study_time(rows: Sequence[DayTotals], today: int, days: int = STUDY_TIME_DAYS) -> list[dict[str, Any]]:
    """Answers and minutes of study on each of the last ``days`` study days (oldest first)."""
    per_day: dict[int, tuple[int, float]] = {}
    for row in rows:
        if row.day > today - days:
            count, seconds = per_day.get(row.day, (0, 0.0))
            per_day[row.day] = (count + row.count, seconds + row.seconds)
    return [
        {"day": day, "reviews": per_day.get(day, (0, 0.0))[0], "minutes": round(per_day.get(day, (0, 0.0))[1] / 60, 2)}
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

    @property
    def retention(self) -> float | None:
        """Share of passed scheduled reviews of this card in the review phase."""
        return _rate(self.passed, self.reviews)


def _review_counts(scope: Scope) -> tuple[str, str, str, list[object]]:
    """SQL for each card's scheduled reviews and passes in a scope (columns of ``cards c``).

    Without a start day they are the counters each card keeps
    (``CardState.review_total`` and ``review_passed``); with one they are
    summed from the log.

    Returns:
        The reviews expression, the passes expression, a join to add after
        ``cards c`` and its parameters.
    """
    if scope.since_day is None:
        return "c.review_total", "c.review_passed", "", []
    join = (
        " LEFT JOIN (SELECT r.card AS card, count(*) AS reviews, sum(r.rating > 1) AS passed FROM reviews r"
        " WHERE r.mode = 'review' AND r.phase_before = 2 AND r.day >= ? GROUP BY r.card) p ON p.card = c.id"
    )
    return "coalesce(p.reviews, 0)", "coalesce(p.passed, 0)", join, [scope.since_day]


def card_results(store: Store, scope: Scope) -> list[CardResult]:
    """Per-card totals of the cards answered (or lapsed) in a scope.

    Without a start day they come from the counters each card keeps
    (``CardState.review_total`` and ``review_passed``); with one, from the log.
    """
    cards_where, card_params = scope.cards_sql()
    reviews, passed, source, params = _review_counts(scope)
    answered = f"({reviews} > 0 OR c.lapses > 0 OR c.leech = 1)"
    rows = store.conn.execute(
        f"""SELECT c.deck_id, c.card_id, c.sibling, {reviews}, {passed}, c.lapses, c.leech, c.suspended, n.tags
            FROM cards c JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id{source}
            WHERE {cards_where} AND {answered}""",
        [*params, *card_params],
    )
    parsed: dict[str, tuple[str, ...]] = {}  # cards share tag lists: decode each list once
    return [
        CardResult(
            deck,
            card,
            sibling,
            reviews,
            passed,
            lapses,
            bool(leech),
            bool(suspended),
            parsed.get(tags) or parsed.setdefault(tags, tuple(json.loads(tags))),
        )
        for deck, card, sibling, reviews, passed, lapses, leech, suspended, tags in rows
    ]


def weak_spots(results: Sequence[CardResult], limit: int = 10, min_reviews: int = 2) -> dict[str, Any]:
    """The tags and cards with the lowest retention and the most lapses, and the leeches.

    Args:
        results: Per-card totals (``card_results``).
        limit: How many of each to list.
        min_reviews: Reviews needed before a card's or tag's retention counts.

    Returns:
        ``tags``, ``cards`` and ``leeches``, weakest first. A tag is crammed
        with ``Selection(tags=(tag,), cram=True)``; cards and leeches carry
        their deck id, card id and sibling for ``Selection(siblings=...)``.
    """
    sums: dict[str, list[int]] = {}
    for result in results:
        for tag in result.tags:
            totals = sums.get(tag) or sums.setdefault(tag, [0, 0, 0, 0])
            totals[0] += result.reviews
            totals[1] += result.passed
            totals[2] += result.lapses
            totals[3] += 1
    tag_rows: list[dict[str, Any]] = [
        {"tag": tag, "retention": _rate(passed, reviews), "reviews": reviews, "lapses": lapses, "cards": cards}
        for tag, (reviews, passed, lapses, cards) in sums.items()
        if reviews >= min_reviews
    ]
    tag_rows.sort(key=lambda row: (row["retention"], -row["lapses"], row["tag"]))

    def card_row(result: CardResult) -> dict[str, Any]:
        return {
            "deck": result.deck_id,
            "card": result.card_id,
            "sibling": result.sibling,
            "retention": result.retention,
            "reviews": result.reviews,
            "lapses": result.lapses,
            "leech": result.leech,
            "suspended": result.suspended,
        }

    weak_cards = [r for r in results if r.reviews >= min_reviews or r.lapses]
    weak_cards.sort(key=lambda r: (r.passed / r.reviews if r.reviews else 1.0, -r.lapses, r.deck_id, r.card_id))
    return {
        "tags": tag_rows[:limit],
        "cards": [card_row(r) for r in weak_cards[:limit]],
        "leeches": [card_row(r) for r in results if r.leech],
    }


def source_map(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """For each section of each source document: cards quoting it and the retention on them.

    Args:
        store: The learner's database.
        scope: Which decks (their sources), cards and first day.

    Returns:
        One entry per section in document order: ``source``, ``section``,
        ``title``, ``cards`` (cards quoting it), ``reviews``, ``retention``.
    """
    marks = ",".join("?" * len(scope.decks))
    sources = dict(store.conn.execute(f"SELECT id, source FROM decks WHERE id IN ({marks})", list(scope.decks)))
    cache = SourceCache()
    documents: dict[str, SourceDocument] = {}
    totals: dict[tuple[str, int], dict[str, Any]] = {}
    for path in dict.fromkeys(sources.values()):
        read = cache.get(Path(path))
        if not isinstance(read, SourceDocument):
            continue
        documents[path] = read
        for index, part in enumerate(read.sections):
            totals[(path, index)] = {
                "source": Path(path).name,
                "section": index,
                "title": part.title,
                "cards": 0,
                "reviews": 0,
                "passed": 0,
            }
    cards_where, params = scope.cards_sql()
    reviews, passed, source_sql, since = _review_counts(scope)
    # Summed per quote in SQL: many cards quote the same passage.
    per_quote = store.conn.execute(
        f"SELECT c.deck_id, n.quote, count(*), sum({reviews}), sum({passed}) FROM cards c"
        f" JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id{source_sql} WHERE {cards_where}"
        " GROUP BY c.deck_id, n.quote",
        [*since, *params],
    ).fetchall()
    for deck, quote, cards, reviews, passed in per_quote:
        source = sources.get(deck)
        document = documents.get(source) if source is not None else None
        section = document.section_of(quote) if document is not None else None
        if source is None or section is None:
            continue
        entry = totals[(source, section)]
        entry["cards"] += cards
        entry["reviews"] += reviews
        entry["passed"] += passed
    out = []
    for entry in totals.values():
        passed = entry.pop("passed")
        entry["retention"] = _rate(passed, entry["reviews"])
        out.append(entry)
    return out


def progress_report(
    store: Store,
    scope: Scope,
    now: datetime,
    day_rule: DayRule = DayRule(),
    desired_retention: float = 0.9,
    totals: Sequence[DayTotals] | None = None,
) -> dict[str, Any]:
    """Every figure of the stats screen, JSON-ready.

    Args:
        store: The learner's database.
        scope: Decks, tags and start time.
        now: The current time.
        day_rule: Where study days begin.
        desired_retention: Shown beside the true retention.
        totals: The scope's day totals, when the caller already has them.

    Returns:
        ``calendar``, ``forecast``, ``retention``, ``desired_retention``,
        ``buttons``, ``study_time``, ``weak_spots`` and ``source_map``.
    """
    today = day_rule.day_of(now)
    rows = day_totals(store, scope, timed_since=today - STUDY_TIME_DAYS + 1) if totals is None else totals
    results = card_results(store, scope)
    calendar = review_calendar(rows, today)
    return {
        "calendar": {**calendar, "days": {date.fromordinal(day).isoformat(): n for day, n in calendar["days"].items()}},
        "forecast": due_forecast(store, scope, now, day_rule),
        "retention": true_retention(rows, today),
        "desired_retention": desired_retention,
        "buttons": answer_buttons(rows),
        "study_time": [{**row, "day": date.fromordinal(row["day"]).isoformat()} for row in study_time(rows, today)],
        "weak_spots": weak_spots(results),
        "source_map": source_map(store, scope),
    }


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def format_progress(report: dict[str, Any]) -> str:
    """The progress report as plain-text tables (the line-mode stats screen)."""
    calendar = report["calendar"]
    lines = [
        "",
        f"Study days in the past year: {calendar['days_studied']}; current streak {calendar['current_streak']} "
        f"day(s), longest {calendar['longest_streak']}.",
        "",
        f"True retention (desired {report['desired_retention']:.0%}):",
        f"  {'window':<8} {'young':>16} {'mature':>16} {'all':>16}",
    ]
    for window, figures in report["retention"].items():
        cells = [f"{_percent(figures[k]['rate'])} of {figures[k]['total']}" for k in ("young", "mature", "all")]
        lines.append(f"  {window:<8} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
    forecast = report["forecast"]
    lines += [
        "",
        "Due in the next 30 days (today first):",
        "  " + " ".join(str(n) for n in forecast[:15]),
        "  " + " ".join(str(n) for n in forecast[15:]),
    ]
    lines += ["", "Answer buttons:", f"  {'':<10} {'Again':>6} {'Hard':>6} {'Good':>6} {'Easy':>6}"]
    for kind, counts in report["buttons"].items():
        lines.append(f"  {kind:<10} " + " ".join(f"{n:>6}" for n in counts))
    recent = [row for row in report["study_time"][-7:]]
    lines += ["", "Last 7 days:"] + [
        f"  {row['day']}  {row['reviews']:>4} answers  {row['minutes']:>6.1f} min" for row in recent
    ]
    spots = report["weak_spots"]
    lines += ["", "Weakest tags:"]
    lines += [
        f"  {t['tag']:<28} {_percent(t['retention']):>5} of {t['reviews']} reviews, {t['lapses']} lapses"
        for t in spots["tags"]
    ] or ["  (not enough reviews yet)"]
    lines += ["Weakest cards:"]
    lines += [
        f"  {c['deck']}/{c['card']:<32} {_percent(c['retention']):>5} of {c['reviews']}, {c['lapses']} lapses"
        for c in spots["cards"]
    ] or ["  (not enough reviews yet)"]
    lines += ["Leeches:"] + (
        [f"  {c['deck']}/{c['card']} ({c['lapses']} lapses)" for c in spots["leeches"]] or ["  none"]
    )
    lines += ["", "The source, section by section:", f"  {'section':<56} {'cards':>5} {'retention':>9}"]
    for section in report["source_map"]:
        lines.append(f"  {section['title'][:56]:<56} {section['cards']:>5} {_percent(section['retention']):>9}")
    return "\n".join(lines)
