"""Reads of the review log: which answers (``Scope``), their sums per day, card and quote, and one card's answers.

Values are bound as SQL parameters, never formatted into the SQL. The sums
per day of whole decks are kept by the database itself (table
``day_totals``) for the days before the one being studied, and only that
day's answers are summed from the log, so reading them costs about the same
for a log of a thousand answers or a million. Summed from the log, they
follow the covering index ``reviews_day (day, deck_id, mode, phase_before,
mature, rating, duration_ms)`` column for column: SQLite groups in index
order, without sorting and without touching the table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from immunoquiz.core.clock import from_ms
from immunoquiz.core.query import CardFilter
from immunoquiz.core.store import LOG_RATING_SUMS, Store


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


def _answers_where(scope: Scope) -> tuple[str, list[object]]:
    """The SQL condition on a ``reviews r`` row in a scope, and its parameters."""
    sql = f"r.deck_id IN ({','.join('?' * len(scope.decks))})"
    params: list[object] = list(scope.decks)
    if scope.since_day is not None:
        sql = "r.day >= ? AND " + sql
        params.insert(0, scope.since_day)
    if scope.tags:
        cards, card_params = scope.cards.where("c")
        sql += f" AND r.card IN (SELECT c.id FROM cards c WHERE {cards})"
        params += card_params
    return sql, params


class DayGroup(NamedTuple):
    """The answers of one study day, deck, mode, phase before, maturity and rating.

    Attributes:
        day: The study day.
        deck_id: The deck.
        mode: ``review``, ``cram`` or ``quiz``.
        phase_before: The card's phase before the answer (0 new ... 3 relearning).
        mature: 1 when the interval before was 21 days or more, else 0.
        rating: 1 Again to 4 Easy.
        answers: Answers.
        duration_ms: Time spent answering (0 when not asked for, None when none was timed).
    """

    day: int
    deck_id: str
    mode: str
    phase_before: int
    mature: int
    rating: int
    answers: int
    duration_ms: int | None


def day_groups(store: Store, scope: Scope, timed_since: int | None = None) -> list[DayGroup]:
    """The answers of a scope counted per group of the ``reviews_day`` index.

    Args:
        store: The learner's database.
        scope: Decks, tags and first day.
        timed_since: The first day whose study time is needed (None: every
            day); older days are summed without it, which is cheaper.

    Returns:
        The groups, in no particular order.
    """
    where, params = _answers_where(scope)
    if not scope.tags and set(scope.decks) >= _database_decks(store):
        # Every deck in the database: no per-row deck test is needed.
        where, params = ("r.day >= ?", [scope.since_day]) if scope.since_day is not None else ("1", [])
    groups = "GROUP BY day, deck_id, mode, phase_before, mature, rating"
    columns = "day, deck_id, mode, phase_before, mature, rating, count(*)"
    conn = store.conn
    if timed_since is None:
        rows = conn.execute(f"SELECT {columns}, sum(duration_ms) FROM reviews r WHERE {where} {groups}", params)
        return list(map(DayGroup._make, rows))
    untimed = conn.execute(
        f"SELECT {columns}, 0 FROM reviews r WHERE day < ? AND {where} {groups}", [timed_since, *params]
    )
    timed = conn.execute(
        f"SELECT {columns}, sum(duration_ms) FROM reviews r WHERE day >= ? AND {where} {groups}", [timed_since, *params]
    )
    return [*map(DayGroup._make, untimed.fetchall()), *map(DayGroup._make, timed)]


class DaySums(NamedTuple):
    """The answers of one study day, deck, mode and phase before, as the database keeps them.

    Attributes:
        day: The study day.
        deck_id: The deck.
        mode: ``review``, ``cram`` or ``quiz``.
        phase_before: The card's phase before the answer (0 new ... 3 relearning).
        answers: Answers.
        duration_ms: Time spent answering (0 before ``timed_since``).
        again: Answers rated Again; ``hard``, ``good`` and ``easy`` likewise.
        young_again: The same, for answers whose interval before was under 21
            days; ``young_hard``, ``young_good`` and ``young_easy`` likewise.
    """

    day: int
    deck_id: str
    mode: str
    phase_before: int
    answers: int
    duration_ms: int
    again: int
    hard: int
    good: int
    easy: int
    young_again: int
    young_hard: int
    young_good: int
    young_easy: int


def day_sums(store: Store, decks: Sequence[str], since_day: int | None, timed_since: int | None) -> list[DaySums]:
    """The answers of whole decks summed per day, deck, mode and phase: the ``day_totals`` table, then the log.

    The table holds the days before its mark ``rolled_day`` (about a study
    day's answers are after it, summed here from the log's covering index);
    one query reads both, so an answer recorded meanwhile is in one or the other.

    Args:
        store: The learner's database.
        decks: The deck ids.
        since_day: Only from this study day on; None for all.
        timed_since: The first day whose study time is wanted (None: every day).

    Returns:
        The sums, by day, deck, mode and phase.
    """
    where = f"deck_id IN ({','.join('?' * len(decks))})"
    params: list[object] = list(decks)
    if since_day is not None:
        where += " AND day >= ?"
        params.append(since_day)
    timed: list[object] = [] if timed_since is None else [timed_since]
    kept_duration, log_duration = "duration_ms", "coalesce(sum(duration_ms), 0)"
    if timed_since is not None:
        kept_duration = f"iif(day >= ?, {kept_duration}, 0)"
        log_duration = f"iif(day >= ?, {log_duration}, 0)"
    mark = "(SELECT day FROM rolled_day)"
    rows = store.conn.execute(
        f"SELECT day, deck_id, mode, phase_before, answers, {kept_duration}, again, hard, good, easy,"
        f" young_again, young_hard, young_good, young_easy FROM day_totals WHERE day < {mark} AND {where}"
        f" UNION ALL SELECT day, deck_id, mode, phase_before, count(*), {log_duration}, {LOG_RATING_SUMS}"
        f" FROM reviews WHERE day >= {mark} AND {where} GROUP BY day, deck_id, mode, phase_before"
        " ORDER BY day, deck_id, mode, phase_before",
        [*timed, *params, *timed, *params],
    )
    return list(map(DaySums._make, rows))


def _database_decks(store: Store) -> set[str]:
    return {deck for (deck,) in store.conn.execute("SELECT DISTINCT deck_id FROM cards")}


class CardResult(NamedTuple):
    """One card's record in the review log (a tuple: the stats build one per card answered).

    Attributes:
        deck_id: Its deck.
        card_id: Its card id.
        sibling: Its side.
        reviews: Its scheduled reviews in the review phase.
        passed: How many of them passed.
        lapses: Its lapses.
        leech: Whether it is a leech.
        suspended: Whether it is suspended.
        tags: Its deck card's tags.
    """

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
        return round(self.passed / self.reviews, 4) if self.reviews else None


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

    Args:
        store: The learner's database.
        scope: Decks, tags and first day.

    Returns:
        The cards, in no particular order.
    """
    cards_where, card_params = scope.cards.where("c")
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


class QuoteResult(NamedTuple):
    """The cards of a scope quoting one passage, and their scheduled reviews in the review phase.

    Attributes:
        deck_id: Their deck.
        quote: The passage.
        cards: How many cards quote it.
        reviews: Their scheduled reviews.
        passed: How many of them passed.
    """

    deck_id: str
    quote: str
    cards: int
    reviews: int
    passed: int


def quote_results(store: Store, scope: Scope) -> list[QuoteResult]:
    """The cards of a scope and their scheduled reviews, summed per deck and quote (many cards quote one passage).

    Args:
        store: The learner's database.
        scope: Decks, tags and first day (as for ``card_results``).

    Returns:
        One entry per deck and quote, in no particular order.
    """
    cards_where, params = scope.cards.where("c")
    reviews, passed, source, since = _review_counts(scope)
    rows = store.conn.execute(
        f"SELECT c.deck_id, n.quote, count(*), sum({reviews}), sum({passed}) FROM cards c"
        f" JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id{source} WHERE {cards_where}"
        " GROUP BY c.deck_id, n.quote",
        [*since, *params],
    )
    return list(map(QuoteResult._make, rows))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One answer of a card's review log."""

    time: datetime
    mode: str
    rating: int
    answer: str | None
    correct: bool | None
    duration_ms: int | None


def card_history(store: Store, rowid: int) -> list[HistoryEntry]:
    """A card's answers, oldest first.

    Args:
        store: The learner's database.
        rowid: The card's row id.

    Returns:
        Its review log.
    """
    rows = store.conn.execute(
        "SELECT time_ms, mode, rating, answer, correct, duration_ms FROM reviews WHERE card = ? ORDER BY time_ms, id",
        (rowid,),
    )
    return [
        HistoryEntry(from_ms(t), mode, rating, answer, None if correct is None else bool(correct), duration)
        for t, mode, rating, answer, correct, duration in rows
    ]


class LogRow(NamedTuple):
    """One answer of the review log as the FSRS tools read it (``log_export``).

    Attributes:
        card: The card's row id.
        deck_id: Its deck.
        card_id: The card's id in its deck.
        sibling: Which of the card's siblings.
        time_ms: When it was given (epoch milliseconds).
        day: The learner's study day it was given on.
        rating: 1 Again to 4 Easy.
        phase_before: The card's phase before it (0 new, 1 learning, 2 review, 3 relearning).
        duration_ms: How long the learner took, if known.
    """

    card: int
    deck_id: str
    card_id: str
    sibling: int
    time_ms: int
    day: int
    rating: int
    phase_before: int
    duration_ms: int | None


def review_log(store: Store, decks: tuple[str, ...]) -> list[LogRow]:
    """The answers that moved these decks' schedules (those ``optimize`` learns from), card by card in time order.

    Args:
        store: The learner's database.
        decks: Deck ids.

    Returns:
        The rows; cram answers left out, as in ``Store.schedule_answers``.
    """
    marks = ",".join("?" * len(decks))
    rows = store.conn.execute(
        "SELECT r.card, r.deck_id, c.card_id, c.sibling, r.time_ms, r.day, r.rating, r.phase_before, r.duration_ms"
        f" FROM reviews r JOIN cards c ON c.id = r.card WHERE r.deck_id IN ({marks}) AND r.mode != 'cram'"
        " ORDER BY r.card, r.time_ms, r.id",
        list(decks),
    )
    return list(map(LogRow._make, rows))
