"""The stats report that ``immunoquiz stats`` prints and the stats screen draws, computed in one place.

It joins the collection's figures (``stats.collection_stats``) and the
progress report (``progress.progress_report``) over one pass of the review
log, and picks the desired retention shown beside the true retention by one
rule, so that no front end decides either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from immunoquiz.core.options import DeckOptions, options_of
from immunoquiz.core.progress import STUDY_TIME_DAYS, ProgressReport, format_progress, progress_report, progress_to_json
from immunoquiz.core.review_query import Scope
from immunoquiz.core.rollup import day_totals
from immunoquiz.core.stats import CollectionStats, collection_stats, format_stats, stats_to_json
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule


@dataclass(frozen=True, slots=True)
class StatsReport:
    """Every figure of the stats.

    Attributes:
        figures: Cards by state, due today, answers and 30-day retention, per deck and in total.
        progress: Calendar, forecast, retention windows, buttons, study time, weak spots and source map.
    """

    figures: CollectionStats
    progress: ProgressReport


def desired_retention(options: Iterable[DeckOptions]) -> float:
    """The decks' desired retention when they all agree on one, else the default (0.9)."""
    values = {deck_options.desired_retention for deck_options in options}
    return values.pop() if len(values) == 1 else DeckOptions().desired_retention


def stats_report(
    store: Store,
    scope: Scope,
    now: datetime,
    day_rule: DayRule,
    options: DeckOptions | Mapping[str, DeckOptions],
) -> StatsReport:
    """The stats of a scope.

    The card counts cover the scope's whole decks; the progress figures only
    its tags and days.

    Args:
        store: The learner's database.
        scope: Decks, tags and first day.
        now: The current time.
        day_rule: Where study days begin.
        options: One ``DeckOptions`` for all decks, or one per deck id (their desired retention is shown).

    Returns:
        The report.
    """
    totals = day_totals(store, scope, timed_since=day_rule.day_of(now) - STUDY_TIME_DAYS + 1)
    whole_decks = not scope.tags and scope.since_day is None
    figures = collection_stats(store, scope.decks, now, day_rule, totals if whole_decks else None, options=options)
    desired = desired_retention(options_of(options, deck) for deck in scope.decks)
    return StatsReport(figures, progress_report(store, scope, now, day_rule, desired, totals))


def report_to_json(report: StatsReport) -> dict[str, object]:
    """The report as ``stats --json`` prints it: the figures' keys, then the progress report's."""
    return {**stats_to_json(report.figures), **progress_to_json(report.progress)}


def format_report(report: StatsReport) -> str:
    """The report as plain-text tables."""
    return format_stats(report.figures) + "\n" + format_progress(report.progress)
