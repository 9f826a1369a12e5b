"""Progress statistics: the figures of the stats screen and of ``immunoquiz stats``.

Everything over the review log is an SQL aggregate (``rollup``,
``review_query``: one pass per figure), so that a log of a million answers
stays quick; Python only loops over the results (days, tags, cards), never
over the log itself.

Conventions, as in Anki: *true retention* is the share of passed answers
(Hard, Good or Easy) among scheduled reviews of cards in the review phase;
a review is *young* when the interval before it was under 21 days and
*mature* otherwise.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from immunoquiz.core.card_query import due_before
from immunoquiz.core.clock import to_ms
from immunoquiz.core.model import split_quotes
from immunoquiz.core.review_query import CardResult, Scope, card_results, quote_results
from immunoquiz.core.rollup import DayTotals, day_totals, retention_of
from immunoquiz.core.source import SourceCache, SourceDocument
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from immunoquiz.core.text import counted, fitted, visible

RETENTION_WINDOWS = (7, 30, 365)
STUDY_TIME_DAYS = 30


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


@dataclass(frozen=True, slots=True)
class Calendar:
    """Answers per study day over the past year, and study streaks.

    Attributes:
        days: Answers by study day (its local date), oldest first; only days with answers.
        days_studied: How many days had answers.
        current_streak: Consecutive days with answers up to today (or yesterday, when today has none yet).
        longest_streak: The longest run of consecutive days with answers, over every day given.
    """

    days: Mapping[date, int]
    days_studied: int
    current_streak: int
    longest_streak: int


def review_calendar(rows: Sequence[DayTotals], today: int, days: int = 365) -> Calendar:
    """Answers per study day over the past ``days`` days, and study streaks.

    Args:
        rows: Day totals (``rollup.day_totals``).
        today: Today's study day number.
        days: How far back the calendar goes.

    Returns:
        The calendar.
    """
    per_day: dict[int, int] = {}
    for row in rows:
        per_day[row.day] = per_day.get(row.day, 0) + row.answers
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
    calendar = {date.fromordinal(day): count for day, count in sorted(per_day.items()) if day > today - days}
    return Calendar(calendar, len(calendar), current, longest)


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
    cumulative = due_before(store, scope.cards, bounds)
    return [cumulative[0]] + [cumulative[n] - cumulative[n - 1] for n in range(1, days)]


@dataclass(frozen=True, slots=True)
class Passes:
    """Passed answers among scheduled reviews."""

    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        """The share passed; None without reviews."""
        return _rate(self.passed, self.total)


@dataclass(frozen=True, slots=True)
class RetentionWindow:
    """True retention over the last ``days`` study days (today included), for young and mature review cards."""

    days: int
    young: Passes
    mature: Passes

    @property
    def overall(self) -> Passes:
        """Young and mature together."""
        return Passes(self.young.passed + self.mature.passed, self.young.total + self.mature.total)


def true_retention(
    rows: Sequence[DayTotals], today: int, windows: Sequence[int] = RETENTION_WINDOWS
) -> tuple[RetentionWindow, ...]:
    """True retention over the last 7, 30 and 365 study days, for young, mature and all review cards.

    Args:
        rows: Day totals.
        today: Today's study day.
        windows: Window lengths in days (today included).

    Returns:
        One entry per window, in the order given.
    """
    result = []
    for window in windows:
        young_passed, young_total, mature_passed, mature_total = retention_of(rows, today - window + 1)
        result.append(RetentionWindow(window, Passes(young_passed, young_total), Passes(mature_passed, mature_total)))
    return tuple(result)


RatingCounts = tuple[int, int, int, int]
"""How often Again, Hard, Good and Easy were chosen."""


@dataclass(frozen=True, slots=True)
class AnswerButtons:
    """The ratings chosen in scheduled study, by card kind.

    Attributes:
        learning: New and (re)learning cards.
        young: Review cards with an interval under 21 days.
        mature: The other review cards.
    """

    learning: RatingCounts
    young: RatingCounts
    mature: RatingCounts

    def by_kind(self) -> tuple[tuple[str, RatingCounts], ...]:
        """``(kind, counts)`` for learning, young and mature, in that order."""
        return (("learning", self.learning), ("young", self.young), ("mature", self.mature))


def answer_buttons(rows: Sequence[DayTotals]) -> AnswerButtons:
    """How often each rating (Again, Hard, Good, Easy) was chosen in scheduled study, by card kind."""
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
    learning, young, mature = ((c[0], c[1], c[2], c[3]) for c in buttons.values())
    return AnswerButtons(learning, young, mature)


@dataclass(frozen=True, slots=True)
class StudyDay:
    """Answers and minutes of study on one study day."""

    day: date
    reviews: int
    minutes: float


def study_time(rows: Sequence[DayTotals], today: int, days: int = STUDY_TIME_DAYS) -> tuple[StudyDay, ...]:
    """Answers and minutes of study on each of the last ``days`` study days (oldest first)."""
    per_day: dict[int, tuple[int, float]] = {}
    for row in rows:
        if row.day > today - days:
            count, seconds = per_day.get(row.day, (0, 0.0))
            per_day[row.day] = (count + row.answers, seconds + row.seconds)
    return tuple(
        StudyDay(date.fromordinal(day), per_day.get(day, (0, 0.0))[0], round(per_day.get(day, (0, 0.0))[1] / 60, 2))
        for day in range(today - days + 1, today + 1)
    )


@dataclass(frozen=True, slots=True)
class TagResult:
    """The scheduled reviews of the answered cards with a tag.

    Attributes:
        tag: The tag.
        reviews: Scheduled reviews of its cards in the review phase.
        passed: How many of them passed.
        lapses: Its cards' lapses.
        cards: Its answered cards.
    """

    tag: str
    reviews: int
    passed: int
    lapses: int
    cards: int

    @property
    def retention(self) -> float | None:
        """Share of passed reviews."""
        return _rate(self.passed, self.reviews)


@dataclass(frozen=True, slots=True)
class WeakSpots:
    """The tags and cards with the lowest retention and the most lapses, and the leeches, weakest first.

    A tag is crammed with ``Selection(tags=(tag,), cram=True)``; cards and
    leeches carry their deck id, card id and sibling for ``Selection(siblings=...)``.
    """

    tags: tuple[TagResult, ...]
    cards: tuple[CardResult, ...]
    leeches: tuple[CardResult, ...]


def weak_spots(results: Sequence[CardResult], limit: int = 10, min_reviews: int = 2) -> WeakSpots:
    """The tags and cards with the lowest retention and the most lapses, and the leeches.

    Args:
        results: Per-card totals (``card_results``).
        limit: How many of each to list.
        min_reviews: Reviews needed before a card's or tag's retention counts.

    Returns:
        The weak spots.
    """
    sums: dict[str, list[int]] = {}
    for result in results:
        for tag in result.tags:
            totals = sums.get(tag) or sums.setdefault(tag, [0, 0, 0, 0])
            totals[0] += result.reviews
            totals[1] += result.passed
            totals[2] += result.lapses
            totals[3] += 1
    tags = [TagResult(tag, *totals) for tag, totals in sums.items() if totals[0] >= min_reviews]
    tags.sort(key=lambda t: (t.retention or 0.0, -t.lapses, t.tag))  # the rounded rate, as shown
    weak_cards = heapq.nsmallest(  # sorted()[:limit] without sorting every card answered
        limit,
        (r for r in results if r.reviews >= min_reviews or r.lapses),
        key=lambda r: (r.passed / r.reviews if r.reviews else 1.0, -r.lapses, r.deck_id, r.card_id),
    )
    return WeakSpots(tuple(tags[:limit]), tuple(weak_cards), tuple(r for r in results if r.leech))


@dataclass(frozen=True, slots=True)
class SourceSection:
    """A section of a source document and the cards quoting it.

    Attributes:
        source: The document's file name.
        section: The section's index in the document.
        title: Its heading.
        cards: Cards quoting it.
        reviews: Scheduled reviews of those cards in the review phase.
        passed: How many of them passed.
    """

    source: str
    section: int
    title: str
    cards: int
    reviews: int
    passed: int

    @property
    def retention(self) -> float | None:
        """Share of passed reviews on the cards quoting it."""
        return _rate(self.passed, self.reviews)


def source_map(store: Store, scope: Scope) -> tuple[SourceSection, ...]:
    """For each section of each source document: cards quoting it and the retention on them.

    Args:
        store: The learner's database.
        scope: Which decks (their sources), cards and first day.

    Returns:
        One entry per section in document order.
    """
    sources = store.deck_sources(scope.decks)
    cache = SourceCache()
    documents: dict[str, SourceDocument] = {}
    totals: dict[tuple[str, int], list[int]] = {}  # cards, reviews, passed
    titles: dict[tuple[str, int], str] = {}
    for path in dict.fromkeys(sources.values()):
        read = cache.get(Path(path))
        if not isinstance(read, SourceDocument):
            continue
        documents[path] = read
        for index, part in enumerate(read.sections):
            totals[(path, index)] = [0, 0, 0]
            titles[(path, index)] = part.title
    for deck, quote, cards, quote_reviews, quote_passed in quote_results(store, scope):
        source = sources.get(deck)
        document = documents.get(source) if source is not None else None
        # A quote of several passages (a bullet list) counts in the section of its first found.
        found = map(document.section_of, split_quotes(quote)) if document is not None else ()
        section = next((index for index in found if index is not None), None)
        if source is None or section is None:
            continue
        entry = totals[(source, section)]
        entry[0] += cards
        entry[1] += quote_reviews
        entry[2] += quote_passed
    return tuple(
        SourceSection(Path(path).name, index, titles[(path, index)], *entry) for (path, index), entry in totals.items()
    )


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """Every figure of the stats screen but the card counts (``stats.collection_stats``).

    Attributes:
        calendar: Answers per day over the past year, and streaks.
        forecast: Cards due on each of the next 30 study days (today first, overdue included).
        retention: True retention over 7, 30 and 365 days.
        desired_retention: Shown beside the true retention.
        buttons: The ratings chosen in scheduled study.
        study_time: Answers and minutes on each of the last 30 days, oldest first.
        weak_spots: The weakest tags and cards, and the leeches.
        source_map: Each section of the decks' sources with the cards quoting it.
        today: The study day the report was made on (the forecast's first day).
    """

    calendar: Calendar
    forecast: tuple[int, ...]
    retention: tuple[RetentionWindow, ...]
    desired_retention: float
    buttons: AnswerButtons
    study_time: tuple[StudyDay, ...]
    weak_spots: WeakSpots
    source_map: tuple[SourceSection, ...]
    today: date


def progress_report(
    store: Store,
    scope: Scope,
    now: datetime,
    day_rule: DayRule = DayRule(),
    desired_retention: float = 0.9,
    totals: Sequence[DayTotals] | None = None,
) -> ProgressReport:
    """Every progress figure of a scope.

    Args:
        store: The learner's database.
        scope: Decks, tags and start time.
        now: The current time.
        day_rule: Where study days begin.
        desired_retention: Shown beside the true retention.
        totals: The scope's day totals, when the caller already has them.

    Returns:
        The report (``progress_to_json`` gives its JSON form).
    """
    today = day_rule.day_of(now)
    rows = day_totals(store, scope, timed_since=today - STUDY_TIME_DAYS + 1) if totals is None else totals
    return ProgressReport(
        review_calendar(rows, today),
        tuple(due_forecast(store, scope, now, day_rule)),
        true_retention(rows, today),
        desired_retention,
        answer_buttons(rows),
        study_time(rows, today),
        weak_spots(card_results(store, scope)),
        source_map(store, scope),
        date.fromordinal(today),
    )


def _passes_json(passes: Passes) -> dict[str, object]:
    return {"passed": passes.passed, "total": passes.total, "rate": passes.rate}


def _card_json(result: CardResult) -> dict[str, object]:
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


def progress_to_json(report: ProgressReport) -> dict[str, object]:
    """The report as ``stats --json`` prints it (days as ISO dates, windows as ``7d``, ``30d``, ``365d``)."""
    calendar, spots = report.calendar, report.weak_spots
    return {
        "calendar": {
            "days": {day.isoformat(): count for day, count in calendar.days.items()},
            "days_studied": calendar.days_studied,
            "current_streak": calendar.current_streak,
            "longest_streak": calendar.longest_streak,
        },
        "forecast": list(report.forecast),
        "retention": {
            f"{w.days}d": {
                "young": _passes_json(w.young),
                "mature": _passes_json(w.mature),
                "all": _passes_json(w.overall),
            }
            for w in report.retention
        },
        "desired_retention": report.desired_retention,
        "buttons": {kind: list(counts) for kind, counts in report.buttons.by_kind()},
        "study_time": [
            {"day": row.day.isoformat(), "reviews": row.reviews, "minutes": row.minutes} for row in report.study_time
        ],
        "weak_spots": {
            "tags": [
                {"tag": t.tag, "retention": t.retention, "reviews": t.reviews, "lapses": t.lapses, "cards": t.cards}
                for t in spots.tags
            ],
            "cards": [_card_json(r) for r in spots.cards],
            "leeches": [_card_json(r) for r in spots.leeches],
        },
        "source_map": [
            {
                "source": s.source,
                "section": s.section,
                "title": s.title,
                "cards": s.cards,
                "reviews": s.reviews,
                "retention": s.retention,
            }
            for s in report.source_map
        ],
    }


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def format_progress(report: ProgressReport) -> str:
    """The progress report as plain-text tables (the line-mode stats screen)."""
    calendar = report.calendar
    lines = [
        "",
        f"Study days in the past year: {calendar.days_studied}; current streak"
        f" {counted(calendar.current_streak, 'day')}, longest {counted(calendar.longest_streak, 'day')}.",
        "",
        f"True retention (desired {report.desired_retention:.0%}):",
        f"  {'window':<8} {'young':>16} {'mature':>16} {'all':>16}",
    ]
    for window in report.retention:
        cells = [f"{_percent(p.rate)} of {p.total}" for p in (window.young, window.mature, window.overall)]
        lines.append(f"  {f'{window.days}d':<8} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
    lines += ["", "Due in the next 30 days (overdue cards count as due today), a week a line:"]
    for week in range(0, len(report.forecast), 7):
        first = report.today + timedelta(days=week)
        label = f"{first:%a %d %b}" + (" (today)" if week == 0 else "")
        lines.append(f"  {label:<18} " + " ".join(f"{n:>4}" for n in report.forecast[week : week + 7]))
    lines += ["", "Answer buttons:", f"  {'':<10} {'Again':>6} {'Hard':>6} {'Good':>6} {'Easy':>6}"]
    for kind, counts in report.buttons.by_kind():
        lines.append(f"  {kind:<10} " + " ".join(f"{n:>6}" for n in counts))
    lines += ["", "Last 7 days:"] + [
        f"  {row.day.isoformat()}  {row.reviews:>4} answers  {row.minutes:>6.1f} min" for row in report.study_time[-7:]
    ]
    spots = report.weak_spots
    lines += ["", "Weakest tags:"]
    lines += [
        f"  {t.tag:<28} {_percent(t.retention):>5} of {t.reviews} reviews, {t.lapses} lapses" for t in spots.tags
    ] or ["  (not enough reviews yet)"]
    lines += ["Weakest cards:"]
    lines += [
        f"  {c.deck_id}/{c.card_id:<32} {_percent(c.retention):>5} of {c.reviews}, {c.lapses} lapses"
        for c in spots.cards
    ] or ["  (not enough reviews yet)"]
    lines += ["Leeches:"] + ([f"  {c.deck_id}/{c.card_id} ({c.lapses} lapses)" for c in spots.leeches] or ["  none"])
    lines += ["", "The source, section by section:", f"  {'section':<56} {'cards':>5} {'retention':>9}"]
    for section in report.source_map:
        lines.append(f"  {fitted(visible(section.title), 56):<56} {section.cards:>5} {_percent(section.retention):>9}")
    return "\n".join(lines)
