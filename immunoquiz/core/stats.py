"""Figures about a learner's collection: card counts, due today, answers and retention, per deck and in total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from datetime import datetime

from immunoquiz.core.card_query import CardCounts, state_counts
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import day_counts
from immunoquiz.core.review_query import Scope
from immunoquiz.core.rollup import DayTotals, day_totals, retention_of
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from immunoquiz.core.text import fitted, visible

RETENTION_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReviewCounts:
    """Answers logged: all of them, today's, and by mode."""

    total: int = 0
    today: int = 0
    review: int = 0
    cram: int = 0
    quiz: int = 0


@dataclass(frozen=True, slots=True)
class DeckFigures:
    """The figures of one deck, or of several summed.

    Attributes:
        cards: Cards by state.
        due_today: Cards in (re)learning or review due before today ends, neither suspended nor buried.
        reviews: Answers logged.
        passed_30d: Passed scheduled reviews of review cards over the last 30 study days.
        judged_30d: All such reviews.
    """

    cards: CardCounts = CardCounts()
    due_today: int = 0
    reviews: ReviewCounts = ReviewCounts()
    passed_30d: int = 0
    judged_30d: int = 0

    @property
    def retention_30d(self) -> float | None:
        """True retention over the last 30 study days; None without reviews."""
        return round(self.passed_30d / self.judged_30d, 4) if self.judged_30d else None


@dataclass(frozen=True, slots=True)
class CollectionStats:
    """The figures of every deck asked for, and their total.

    Attributes:
        total: Every deck summed.
        decks: Each deck's figures by id, in the order asked.
    """

    total: DeckFigures
    decks: Mapping[str, DeckFigures]


def _summed(figures: Sequence[DeckFigures]) -> DeckFigures:
    """Several decks' figures added up."""
    return DeckFigures(
        CardCounts(*map(sum, zip(*(astuple(f.cards) for f in figures), strict=True))),
        sum(f.due_today for f in figures),
        ReviewCounts(*map(sum, zip(*(astuple(f.reviews) for f in figures), strict=True))),
        sum(f.passed_30d for f in figures),
        sum(f.judged_30d for f in figures),
    )


def collection_stats(
    store: Store,
    decks: Sequence[str],
    now: datetime,
    day_rule: DayRule = DayRule(),
    totals: Sequence[DayTotals] | None = None,
    *,
    options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
) -> CollectionStats:
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
        The figures per deck and in total (``stats_to_json`` gives their JSON form).
    """
    day = day_rule.day_of(now)
    chosen = CardFilter(tuple(decks))
    cards = state_counts(store, chosen)
    due = {deck_id: counts.due for deck_id, counts in day_counts(store, chosen, now, day_rule, options).items()}
    rows = day_totals(store, Scope(tuple(decks))) if totals is None else totals
    by_deck: dict[str, list[DayTotals]] = {}
    for row in rows:
        by_deck.setdefault(row.deck_id, []).append(row)
    per_deck = {}
    for deck_id in decks:
        deck_cards, due_today = cards.get(deck_id, CardCounts()), due.get(deck_id, 0)
        deck_rows = by_deck.get(deck_id, [])
        modes = {"review": 0, "cram": 0, "quiz": 0}
        for row in deck_rows:
            modes[row.mode] += row.answers
        young_passed, young_total, mature_passed, mature_total = retention_of(deck_rows, day - RETENTION_DAYS + 1)
        per_deck[deck_id] = DeckFigures(
            deck_cards,
            due_today,
            ReviewCounts(
                sum(row.answers for row in deck_rows),
                sum(row.answers for row in deck_rows if row.day == day),
                modes["review"],
                modes["cram"],
                modes["quiz"],
            ),
            young_passed + mature_passed,
            young_total + mature_total,
        )
    return CollectionStats(_summed(list(per_deck.values())), per_deck)


def _figures_json(figures: DeckFigures) -> dict[str, object]:
    c, r = figures.cards, figures.reviews
    return {
        "cards": {
            "total": c.total,
            "new": c.new,
            "learning": c.learning,
            "review": c.review,
            "suspended": c.suspended,
        },
        "due_today": figures.due_today,
        "reviews": {"total": r.total, "today": r.today, "review": r.review, "cram": r.cram, "quiz": r.quiz},
        "retention_30d": figures.retention_30d,
    }


def stats_to_json(stats: CollectionStats) -> dict[str, object]:
    """The figures as ``stats --json`` prints them: the total's, then ``decks`` with each deck's."""
    return {**_figures_json(stats.total), "decks": {deck: _figures_json(f) for deck, f in stats.decks.items()}}


def format_stats(stats: CollectionStats) -> str:
    """The figures as a plain-text table."""
    header = (
        f"{'deck':<28} {'total':>6} {'new':>5} {'learn':>5} {'review':>6} {'susp':>5} {'due':>5}"
        f" {'reviews':>7} {'today':>5} {'ret30':>6}"
    )
    lines = [header, "-" * len(header)]

    def row(name: str, f: DeckFigures) -> str:
        c, r = f.cards, f.reviews
        retention = "-" if f.retention_30d is None else f"{f.retention_30d:.0%}"
        return (
            f"{fitted(visible(name), 28):<28} {c.total:>6} {c.new:>5} {c.learning:>5} {c.review:>6} "
            f"{c.suspended:>5} {f.due_today:>5} {r.total:>7} {r.today:>5} {retention:>6}"
        )

    for name, f in stats.decks.items():
        lines.append(row(name, f))
    lines.append("-" * len(header))
    lines.append(row("all decks", stats.total))
    return "\n".join(lines)
