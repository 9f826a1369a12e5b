"""Figures about a learner's collection, computed with SQL aggregates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import day_counts
from immunoquiz.core.rollup import DayTotals, Scope, day_totals, retention_of
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule

_EMPTY_CARDS = {"total": 0, "new": 0, "learning": 0, "review": 0, "suspended": 0}


def _blank() -> dict[str, Any]:
    return {
        "cards": dict(_EMPTY_CARDS),
        "due_today": 0,
        "reviews": {"total": 0, "today": 0, "review": 0, "cram": 0, "quiz": 0},
        "retention_30d": None,
    }


def collection_stats(
    store: Store,
    decks: Sequence[str],
    now: datetime,
    day_rule: DayRule = DayRule(),
    totals: Sequence[DayTotals] | None = None,
    *,
    options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
) -> dict[str, Any]:
    """Card counts, due today, review counts and 30-day retention, overall and per deck.

    ``retention_30d`` is the share of passed answers (Hard, Good or Easy) among
    scheduled reviews of cards in the review phase over the last 30 study
    days (today included), as Anki's "true retention"; None when there were none.

    Args:
        store: The learner's database.
        decks: The deck ids to count.
        now: The current time.
        day_rule: Where study days begin.
        totals: The decks' day totals (``rollup.day_totals``), when the caller has them.
        options: The decks' options: ``due_today`` is the learning and review
            cards of today's queue (``queue.day_counts``), within the daily limits.

    Returns:
        A JSON-ready mapping with a ``decks`` entry per deck.
    """
    day = day_rule.day_of(now)
    marks = ",".join("?" * len(decks))
    per_deck: dict[str, dict[str, Any]] = {deck: _blank() for deck in decks}
    conn = store.conn
    for deck_id, total, new, learning, review, suspended in conn.execute(
        f"""SELECT deck_id, count(*),
                   sum(phase = 0 AND NOT suspended), sum(phase IN (1, 3) AND NOT suspended),
                   sum(phase = 2 AND NOT suspended), sum(suspended)
            FROM cards WHERE retired = 0 AND deck_id IN ({marks}) GROUP BY deck_id""",
        list(decks),
    ):
        per_deck[deck_id]["cards"] = {
            "total": total,
            "new": new,
            "learning": learning,
            "review": review,
            "suspended": suspended,
        }
    for deck_id, counts in day_counts(store, CardFilter(tuple(decks)), now, day_rule, options).items():
        per_deck[deck_id]["due_today"] = counts.due
    rows = day_totals(store, Scope(tuple(decks))) if totals is None else totals
    by_deck: dict[str, list[DayTotals]] = {}
    for row in rows:
        by_deck.setdefault(row.deck_id, []).append(row)
    for deck_id, deck_rows in by_deck.items():
        figures = per_deck[deck_id]
        modes = {"review": 0, "cram": 0, "quiz": 0}
        for row in deck_rows:
            modes[row.mode] = modes.get(row.mode, 0) + row.count
        figures["reviews"] = {
            "total": sum(row.count for row in deck_rows),
            "today": sum(row.count for row in deck_rows if row.day == day),
            **modes,
        }
        young_passed, young_total, mature_passed, mature_total = retention_of(deck_rows, day - 29)
        passed, judged = young_passed + mature_passed, young_total + mature_total
        figures["retention_30d"] = round(passed / judged, 4) if judged else None
        figures["_passed"], figures["_judged"] = passed, judged
    overall = _blank()
    passed_all = judged_all = 0
    for figures in per_deck.values():
        for key in overall["cards"]:
            overall["cards"][key] += figures["cards"][key]
        overall["due_today"] += figures["due_today"]
        for key in overall["reviews"]:
            overall["reviews"][key] += figures["reviews"][key]
        passed_all += figures.pop("_passed", 0)
        judged_all += figures.pop("_judged", 0)
    overall["retention_30d"] = round(passed_all / judged_all, 4) if judged_all else None
    overall["decks"] = per_deck
    return overall


def format_stats(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    header = (
        f"{'deck':<28} {'total':>6} {'new':>5} {'learn':>5} {'review':>6} {'susp':>5} {'due':>5}"
        f" {'reviews':>7} {'today':>5} {'ret30':>6}"
    )
    lines = [header, "-" * len(header)]

    def row(name: str, f: dict[str, Any]) -> str:
        c, r = f["cards"], f["reviews"]
        retention = "-" if f["retention_30d"] is None else f"{f['retention_30d']:.0%}"
        return (
            f"{name[:28]:<28} {c['total']:>6} {c['new']:>5} {c['learning']:>5} {c['review']:>6} "
            f"{c['suspended']:>5} {f['due_today']:>5} {r['total']:>7} {r['today']:>5} {retention:>6}"
        )

    for name, f in figures["decks"].items():
        lines.append(row(name, f))
    lines.append("-" * len(header))
    lines.append(row("all decks", figures))
    return "\n".join(lines)
