"""Today's queue: which cards are studied today, and the counts every screen shows.

One pass gives both the study queue (``gather``: ``Session.build_queue``,
browse ``is:due``) and every "new / learning / due today" figure
(``day_counts``: the home screen, ``stats``; line mode counts its session),
so they cannot disagree. The rules follow Anki's queue: suspended, buried
and retired cards are out; learning cards due by the end of the study day
all count; reviews due today and new cards are taken within each deck's
daily limits (less what was done today), the reviews least likely to be
remembered first and new cards in deck order; and only one side of a card
is taken a day, as Anki's burying does when it gathers the queue (the
others would be buried once this one is seen).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from immunoquiz.core.card_query import NewRow, ReviewRow, learning_due, new_cards, reviews_due
from immunoquiz.core.clock import to_ms
from immunoquiz.core.options import DeckOptions, options_of
from immunoquiz.core.query import CardFilter
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule

Row = TypeVar("Row", NewRow, ReviewRow)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Cards left to study today, as Anki's deck list shows them."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def due(self) -> int:
        """Learning and review cards due today (new cards are not due)."""
        return self.learning + self.review

    def __add__(self, other: QueueCounts) -> QueueCounts:
        return QueueCounts(self.new + other.new, self.learning + other.learning, self.review + other.review)


@dataclass(frozen=True, slots=True)
class DayQueue:
    """The cards of a filter to study today.

    Attributes:
        learning: (due time in ms, row id) of the learning cards due by the end of the day.
        reviews: Row ids of the reviews, the least likely to be remembered first.
        new: Row ids of the new cards, in deck order.
        by_deck: The counts of each deck of the filter.
    """

    learning: tuple[tuple[int, int], ...] = ()
    reviews: tuple[int, ...] = ()
    new: tuple[int, ...] = ()
    by_deck: Mapping[str, QueueCounts] = field(default_factory=dict)

    @property
    def counts(self) -> QueueCounts:
        """The counts over every deck."""
        return sum(self.by_deck.values(), QueueCounts())

    @property
    def due_ids(self) -> tuple[int, ...]:
        """Row ids of the learning and review cards (browse's ``is:due``)."""
        return (*(rowid for _, rowid in self.learning), *self.reviews)


def gather(
    store: Store,
    cards: CardFilter,
    now: datetime,
    day_rule: DayRule = DayRule(),
    options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
) -> DayQueue:
    """Today's queue of the cards of a filter.

    Args:
        store: The learner's database.
        cards: Which cards; its decks (an empty filter has none) set the daily limits, deck by deck.
        now: The current time.
        day_rule: Where study days begin.
        options: One ``DeckOptions`` for all decks, or a mapping by deck id.

    Returns:
        The queue, with its counts by deck.
    """
    return _gather(store, cards, now, day_rule, options, new_in_order=True)


def day_counts(
    store: Store,
    cards: CardFilter,
    now: datetime,
    day_rule: DayRule = DayRule(),
    options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
) -> dict[str, QueueCounts]:
    """The counts of today's queue by deck (``gather(...).by_deck``), for screens that only count.

    The same pass as ``gather``, except that new cards are read in index
    order instead of deck order: how many are taken (one side per card not
    already gathered, up to the limit) does not depend on their order, and
    the read then stops at the limit without sorting every new card of the deck.

    Args:
        store: The learner's database.
        cards: Which cards, as for ``gather``.
        now: The current time.
        day_rule: Where study days begin.
        options: One ``DeckOptions`` for all decks, or a mapping by deck id.

    Returns:
        The counts by deck id.
    """
    return dict(_gather(store, cards, now, day_rule, options, new_in_order=False).by_deck)


def _gather(
    store: Store,
    cards: CardFilter,
    now: datetime,
    day_rule: DayRule,
    options: DeckOptions | Mapping[str, DeckOptions],
    *,
    new_in_order: bool,
) -> DayQueue:
    if not cards.decks:
        return DayQueue()
    day = day_rule.day_of(now)
    end_ms = to_ms(day_rule.end_of(day))
    now_ms = to_ms(now)
    studied = replace(cards, unsuspended=True, unburied_on=day)
    learning_rows = learning_due(store, studied, end_ms)
    learning = sorted((row.due_ms, row.id) for row in learning_rows)
    learning_per_deck: dict[str, int] = {}
    # The cards (not sides) gathered so far, by deck: one side of a card a day.
    gathered: dict[str, set[str]] = {}
    for row in learning_rows:
        learning_per_deck[row.deck_id] = learning_per_deck.get(row.deck_id, 0) + 1
        gathered.setdefault(row.deck_id, set()).add(row.card_id)
    reviews: list[tuple[float, int]] = []
    new: list[int] = []
    by_deck: dict[str, QueueCounts] = {}
    done = store.done_today(cards.decks, day)
    for deck_id in cards.decks:
        deck_options = options_of(options, deck_id)
        new_done, reviews_done = done.get(deck_id, (0, 0))
        deck_gathered = gathered.setdefault(deck_id, set())
        deck_reviews: list[ReviewRow] = []
        if (review_limit := max(0, deck_options.reviews_per_day - reviews_done)) > 0:
            review_rows = reviews_due(store, studied, deck_id, now_ms, end_ms)
            deck_reviews = _take_one_per_card(review_rows, deck_gathered, review_limit)
        deck_new: list[NewRow] = []
        if (new_limit := max(0, deck_options.new_per_day - new_done)) > 0:
            new_rows = new_cards(store, studied, deck_id, in_order=new_in_order)
            deck_new = _take_one_per_card(new_rows, deck_gathered, new_limit)
        reviews += ((-(overdue or 0.0), rowid) for rowid, _, overdue in deck_reviews)
        new += (rowid for rowid, _ in deck_new)
        by_deck[deck_id] = QueueCounts(len(deck_new), learning_per_deck.get(deck_id, 0), len(deck_reviews))
    reviews.sort()
    return DayQueue(tuple(learning), tuple(rowid for _, rowid in reviews), tuple(new), by_deck)


def _take_one_per_card(rows: Iterable[Row], gathered: set[str], limit: int) -> list[Row]:
    """Take rows (row id, card id, ...) in order, at most one per card (adding it to ``gathered``), up to ``limit``."""
    taken: list[Row] = []
    for row in rows:
        if len(taken) >= limit:
            break
        if row[1] not in gathered:
            gathered.add(row[1])
            taken.append(row)
    return taken
