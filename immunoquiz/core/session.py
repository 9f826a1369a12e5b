"""A study session: the queue of today's cards and the answers given to them.

The queue follows Anki's order: learning cards that are due come first, then
due reviews (the least likely to be remembered first) with new cards spread
evenly among them, within each deck's daily limits; learning cards due within
the learn-ahead window close the session. Siblings of an answered card are
buried until the next study day. In cram mode the same cards can be studied
from any filter, and answers are logged as ``cram`` without touching the
schedule.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Literal, TypeVar

from immunoquiz.core.answering import Response, decide
from immunoquiz.core.clock import Clock, from_ms, to_ms
from immunoquiz.core.grading import Verdict, grade
from immunoquiz.core.model import Card
from immunoquiz.core.options import DeckOptions, options_of
from immunoquiz.core.present import Prompt, present
from immunoquiz.core.schedule import Phase, Rating, format_interval, next_intervals
from immunoquiz.core.store import CardRow, Store
from immunoquiz.core.studyday import DayRule

T = TypeVar("T")
READ_AHEAD = 32
CramFilter = Literal["all", "leech", "due-soon", "wrong"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which cards a session draws from.

    Attributes:
        decks: Deck ids; empty means every deck of this run.
        tags: Keep cards with any of these tags; empty means all.
        cram: Study without touching the schedule.
        cram_filter: For cram: all matching cards, leeches only, or cards due
            within ``due_within_days``.
        due_within_days: The "due soon" horizon for cram.
        card_ids: Restrict to these (deck id, card id) pairs (cram a quiz's mistakes, say).
        siblings: Restrict to these (deck id, card id, sibling) triples: one
            side of a card, such as the weak reverse side of a basic card.
        limit: Stop after this many answers.
    """

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cram: bool = False
    cram_filter: CramFilter = "all"
    due_within_days: int = 3
    card_ids: tuple[tuple[str, str], ...] = ()
    siblings: tuple[tuple[str, str, int], ...] = ()
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Showing:
    """A card on screen: what was asked and when."""

    row: CardRow
    card: Card
    prompt: Prompt
    shown_at: datetime
    options: DeckOptions


@dataclass(frozen=True, slots=True)
class Answer:
    """What the learner answered, checked."""

    given: str | None
    verdict: Verdict
    elapsed_ms: int


@dataclass
class Summary:
    """The end of a session, for the summary screen and the line mode.

    Attributes:
        studied: Answers given.
        checked: Answers that were checked (not self-graded).
        correct: Checked answers that were right.
        again: Answers rated Again.
        seconds: Time spent answering.
        next_due: When the next card of these decks is due, if any.
    """

    studied: int = 0
    checked: int = 0
    correct: int = 0
    again: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None

    @property
    def accuracy(self) -> float | None:
        """Share of checked answers that were right."""
        return self.correct / self.checked if self.checked else None


@dataclass
class _Done:
    review_id: int
    card_id: int
    answer: Answer
    rating: Rating


@dataclass
class Counts:
    """Cards left in the session, as Anki shows them (new, learning, review)."""

    new: int = 0
    learning: int = 0
    review: int = 0


@dataclass
class _Queue:
    learning: list[tuple[int, int]] = field(default_factory=list)
    main: deque[int] = field(default_factory=deque)
    front: deque[int] = field(default_factory=deque)
    removed: set[int] = field(default_factory=set)
    # What each waiting card counts as, so that counts() is O(1) per card shown.
    waiting: dict[int, str] = field(default_factory=dict)
    tally: dict[str, int] = field(default_factory=lambda: {"new": 0, "learning": 0, "review": 0})

    def add(self, rowid: int, kind: str) -> None:
        if rowid not in self.waiting:
            self.waiting[rowid] = kind
            self.tally[kind] += 1

    def take(self, rowid: int) -> int:
        kind = self.waiting.pop(rowid, None)
        if kind is not None:
            self.tally[kind] -= 1
        return rowid

    def remove(self, rowid: int) -> None:
        self.removed.add(rowid)
        self.take(rowid)


class Session:
    """One sitting of study, over a store.

    Args:
        store: The learner's database, synced.
        selection: Which cards to study.
        clock: The time source.
        day_rule: Where study days begin.
        options: One ``DeckOptions`` for all decks, or a mapping by deck id.
        rng: Shuffles choice options (and cram order); seed it for repeatable runs.
    """

    def __init__(
        self,
        store: Store,
        selection: Selection = Selection(),
        *,
        clock: Clock,
        day_rule: DayRule = DayRule(),
        options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.selection = selection
        self.clock = clock
        self.day_rule = day_rule
        self._options = options
        self.rng = rng or random.Random()
        self.decks = list(selection.decks) or list(store.active_decks)
        self._done: list[_Done] = []
        self._queue = _Queue()
        self._ahead: dict[int, tuple[CardRow, Card]] = {}
        self._day_cache: tuple[int, int, int] | None = None
        self.build_queue()

    @property
    def mode(self) -> str:
        """``cram`` or ``review``."""
        return "cram" if self.selection.cram else "review"

    def status(self, showing: Showing) -> str:
        """What a card shown is to the learner.

        Returns:
            ``new``, ``learning``, ``review`` or ``relearning``; ``cram`` when cramming.
        """
        return "cram" if self.selection.cram else showing.row.state.phase.name.lower()

    def options_for(self, deck_id: str) -> DeckOptions:
        """The options of one deck."""
        return options_of(self._options, deck_id)

    # -- the queue -------------------------------------------------------

    def _filters(self) -> tuple[str, list[object]]:
        marks = ",".join("?" * len(self.decks))
        where = f"deck_id IN ({marks})"
        params: list[object] = list(self.decks)
        if self.selection.tags:
            tag_marks = ",".join("?" * len(self.selection.tags))
            where += (
                " AND EXISTS (SELECT 1 FROM notes n, json_each(n.tags) t WHERE n.deck_id = cards.deck_id"
                f" AND n.card_id = cards.card_id AND t.value IN ({tag_marks}))"
            )
            params += list(self.selection.tags)
        if self.selection.card_ids:
            pairs = " OR ".join("(deck_id = ? AND card_id = ?)" for _ in self.selection.card_ids)
            where += f" AND ({pairs})"
            params += [part for pair in self.selection.card_ids for part in pair]
        if self.selection.siblings:
            triples = " OR ".join("(deck_id = ? AND card_id = ? AND sibling = ?)" for _ in self.selection.siblings)
            where += f" AND ({triples})"
            params += [part for triple in self.selection.siblings for part in triple]
        return where, params

    def build_queue(self) -> None:
        """(Re)build the queue from the database, as of now."""
        self._ahead.clear()
        now = self.clock()
        day = self.day_rule.day_of(now)
        queue = _Queue()
        where, params = self._filters()
        if self.selection.cram:
            for rowid in self._cram_ids(where, params, now):
                queue.main.append(rowid)
                queue.add(rowid, "review")
            self._queue = queue
            return
        end_ms = to_ms(self.day_rule.end_of(day))
        base = f"retired = 0 AND suspended = 0 AND buried_until <= ? AND {where}"
        store = self.store
        learning_rows = store.cards_where(f"phase IN (1, 3) AND due_ms < ? AND {base}", [end_ms, day, *params])
        for row in learning_rows:
            heapq.heappush(queue.learning, (row.state.due_ms or 0, row.id))
            queue.add(row.id, "learning")
        reviews: list[tuple[float, int]] = []
        new: list[int] = []
        now_ms = to_ms(now)
        # One sibling per card a day, as Anki's burying does when it gathers
        # the queue: the others would only be buried once this one is seen.
        gathered: set[tuple[str, str]] = {(row.deck_id, row.card_id) for row in learning_rows}
        for deck_id in self.decks:
            options = self.options_for(deck_id)
            new_done, reviews_done = store.done_today(deck_id, day)
            review_rows = store.conn.execute(
                f"SELECT id, card_id, (? - last_review_ms) / stability FROM cards WHERE phase = 2 AND due_ms < ?"
                f" AND {base} AND deck_id = ? ORDER BY 3 DESC",
                [now_ms, end_ms, day, *params, deck_id],
            )
            reviews += _take_one_per_card(
                (((-(overdue or 0.0), rowid), (deck_id, card_id)) for rowid, card_id, overdue in review_rows),
                gathered,
                max(0, options.reviews_per_day - reviews_done),
            )
            new_rows = store.conn.execute(
                f"SELECT id, card_id FROM cards WHERE phase = 0 AND {base} AND deck_id = ? ORDER BY position",
                [day, *params, deck_id],
            )
            new += _take_one_per_card(
                ((rowid, (deck_id, card_id)) for rowid, card_id in new_rows),
                gathered,
                max(0, options.new_per_day - new_done),
            )
        reviews.sort()
        queue.main.extend(_interleave([rowid for _, rowid in reviews], new))
        for _, rowid in reviews:
            queue.add(rowid, "review")
        for rowid in new:
            queue.add(rowid, "new")
        self._queue = queue

    def _cram_ids(self, where: str, params: list[object], now: datetime) -> list[int]:
        condition = f"suspended = 0 AND {where}"
        if self.selection.cram_filter == "leech":
            condition += " AND leech = 1"
        elif self.selection.cram_filter == "due-soon":
            horizon = self.day_rule.end_of(self.day_rule.day_of(now) + self.selection.due_within_days)
            condition += " AND phase != 0 AND due_ms < ?"
            params = [*params, to_ms(horizon)]
        ids = [row.id for row in self.store.cards_where(condition, params)]
        self.rng.shuffle(ids)
        return ids

    def counts(self) -> Counts:
        """How many cards are left, by kind."""
        tally = self._queue.tally
        return Counts(new=tally["new"], learning=tally["learning"], review=tally["review"])

    @property
    def answered(self) -> int:
        """Answers given in this session (undone ones excluded)."""
        return len(self._done)

    def _pop_next(self, now: datetime) -> int | None:
        queue = self._queue
        while queue.front:
            rowid = queue.front.popleft()
            if rowid not in queue.removed:
                return queue.take(rowid)
        now_ms = to_ms(now)
        while queue.learning and queue.learning[0][1] in queue.removed:
            heapq.heappop(queue.learning)
        if queue.learning and queue.learning[0][0] <= now_ms:
            return queue.take(heapq.heappop(queue.learning)[1])
        while queue.main:
            rowid = queue.main.popleft()
            if rowid not in queue.removed:
                return queue.take(rowid)
        if not queue.learning:
            return None
        due, rowid = queue.learning[0]
        ahead = self.options_for(self.store.card(rowid).deck_id).learn_ahead
        if due <= now_ms + int(ahead.total_seconds() * 1000):
            return queue.take(heapq.heappop(queue.learning)[1])
        return None

    def next(self) -> Showing | None:
        """The next card to show, or None when the session is over (for now).

        Returns:
            The card with its prompt, or None.
        """
        if self.selection.limit is not None and len(self._done) >= self.selection.limit:
            return None
        now = self.clock()
        rowid = self._pop_next(now)
        if rowid is None:
            return None
        row, card = self._read(rowid)
        return Showing(row, card, present(card, row.sibling, self.rng), now, self.options_for(row.deck_id))

    def _read(self, rowid: int) -> tuple[CardRow, Card]:
        """A card to show and its deck card, read ahead in batches with the cards queued after it.

        One query for the next ``READ_AHEAD`` cards costs about what one card's
        query does. A state read ahead can only go stale through another
        process; ``Store.record_answer`` then decides the answer from the newer state.
        """
        found = self._ahead.pop(rowid, None)
        if found is not None:
            return found
        queue = self._queue
        upcoming = [rowid] + [
            queued
            for queued in islice(queue.main, READ_AHEAD)
            if queued not in queue.removed and queued not in self._ahead
        ]
        self._ahead.update(self.store.cards_with_notes(upcoming))
        found = self._ahead.pop(rowid, None)
        if found is None:
            raise KeyError(rowid)
        return found

    def waiting_until(self) -> datetime | None:
        """When the next learning card of today becomes due, if the queue is only waiting for it."""
        learning = [due for due, rowid in self._queue.learning if rowid not in self._queue.removed]
        return from_ms(min(learning)) if learning else None

    # -- answering -------------------------------------------------------

    def check(self, showing: Showing, given: str | None) -> Answer:
        """Check an answer (nothing is recorded yet).

        Args:
            showing: The card shown.
            given: The learner's answer; None or anything for self-graded cards.

        Returns:
            The answer with its verdict and proposed rating.
        """
        elapsed = self.clock() - showing.shown_at
        verdict = grade(
            showing.card, showing.prompt, given or "", elapsed.total_seconds(), showing.options.easy_within_s
        )
        kept = None if showing.prompt.kind == "self" else given
        return Answer(kept, verdict, max(0, int(elapsed.total_seconds() * 1000)))

    def intervals(self, showing: Showing) -> dict[Rating, str]:
        """The label of each rating button, such as ``{Rating.GOOD: "2d"}`` (empty in cram)."""
        if self.selection.cram:
            return {}
        deltas = next_intervals(showing.row.state, self.clock(), showing.options, showing.row.id)
        return {rating: format_interval(delta) for rating, delta in deltas.items()}

    def rate(self, showing: Showing, answer: Answer, rating: Rating) -> None:
        """Record the learner's rating; committed before this returns.

        Args:
            showing: The card shown.
            answer: Its checked answer.
            rating: The rating chosen (the proposed one, or the learner's own).
        """
        now = self.clock()
        day, end_ms = self._study_day(now)
        row = showing.row
        cram = self.selection.cram
        response = Response(
            rating, now, day, "cram" if cram else "review", answer.elapsed_ms, answer.given, answer.verdict.correct
        )
        # Only a card with several siblings can bury any: the others spare the query.
        siblings = self.store.siblings_of(row) if not cram and len(showing.card.siblings) > 1 else ()
        review_id, outcome = self.store.record_answer(decide(row, response, showing.options, siblings))
        queue = self._queue
        if cram:
            if rating == Rating.AGAIN:
                queue.main.append(row.id)
                queue.add(row.id, "review")
        else:
            for sibling in outcome.bury:
                queue.remove(sibling.id)
            state = outcome.state
            learning = state.phase in (Phase.LEARNING, Phase.RELEARNING) and not outcome.suspended
            if learning and state.due_ms is not None and state.due_ms < end_ms:
                heapq.heappush(queue.learning, (state.due_ms, row.id))
                queue.add(row.id, "learning")
        self._done.append(_Done(review_id, row.id, answer, rating))

    def _study_day(self, now: datetime) -> tuple[int, int]:
        """The study day of ``now`` and when it ends (ms), cached for the answer path."""
        now_ms = to_ms(now)
        cached = self._day_cache
        if cached is None or not cached[1] <= now_ms < cached[2]:
            day = self.day_rule.day_of(now)
            cached = (day, to_ms(self.day_rule.start_of(day)), to_ms(self.day_rule.end_of(day)))
            self._day_cache = cached
        return cached[0], cached[2]

    def undo(self) -> bool:
        """Undo the last answer of this session; its card is shown next.

        Returns:
            False when there was nothing to undo.
        """
        if not self._done:
            return False
        done = self._done.pop()
        self.store.undo_review(done.review_id)
        self._ahead.clear()
        front = [done.card_id, *self._queue.front]
        if not self.selection.cram:
            # Limits, burying and learning steps all depend on the log: rebuild.
            self.build_queue()
        queue = self._queue
        queue.main = deque(i for i in queue.main if i not in front)
        queue.learning = [entry for entry in queue.learning if entry[1] not in front]
        heapq.heapify(queue.learning)
        queue.front = deque(dict.fromkeys(front))
        queue.add(done.card_id, "review" if self.selection.cram else _kind(self.store.card(done.card_id).state.phase))
        return True

    def put_back(self, showing: Showing) -> None:
        """Return a card shown but not answered to the head of the queue."""
        self._queue.front.appendleft(showing.row.id)
        self._queue.add(showing.row.id, "review" if self.selection.cram else _kind(showing.row.state.phase))

    def suspend(self, showing: Showing) -> None:
        """Suspend the card shown; it leaves the queue until unsuspended."""
        self.store.set_suspended(showing.row.id, True)
        self._queue.remove(showing.row.id)

    def bury(self, showing: Showing) -> None:
        """Bury the card shown until the next study day."""
        self.store.bury(showing.row.id, self.day_rule.day_of(self.clock()) + 1)
        self._queue.remove(showing.row.id)

    def summary(self) -> Summary:
        """Figures for the end of the session."""
        summary = Summary()
        for done in self._done:
            summary.studied += 1
            summary.seconds += done.answer.elapsed_ms / 1000
            summary.again += done.rating == Rating.AGAIN
            if done.answer.verdict.correct is not None:
                summary.checked += 1
                summary.correct += done.answer.verdict.correct
        marks = ",".join("?" * len(self.decks))
        row = self.store.conn.execute(
            "SELECT min(due_ms) FROM cards WHERE retired = 0 AND suspended = 0 AND phase != 0"
            f" AND deck_id IN ({marks})",
            self.decks,
        ).fetchone()
        summary.next_due = from_ms(row[0]) if row and row[0] is not None else None
        return summary


def _kind(phase: Phase) -> str:
    """How a waiting card is counted: new, learning or review."""
    if phase == Phase.NEW:
        return "new"
    return "learning" if phase in (Phase.LEARNING, Phase.RELEARNING) else "review"


def _take_one_per_card(
    rows: Iterable[tuple[T, tuple[str, str]]], gathered: set[tuple[str, str]], limit: int
) -> list[T]:
    """Take rows in order, at most one per card (adding it to ``gathered``), up to ``limit``."""
    taken: list[T] = []
    for item, key in rows:
        if len(taken) >= limit:
            break
        if key not in gathered:
            gathered.add(key)
            taken.append(item)
    return taken


def _interleave(reviews: Sequence[int], new: Sequence[int]) -> list[int]:
    """Spread new cards evenly among reviews, as Anki's "mix with reviews"."""
    if not reviews or not new:
        return [*reviews, *new]
    merged: list[int] = []
    step = (len(reviews) + len(new)) / len(new)
    slots = {int(step * n + step / 2) for n in range(len(new))}
    new_iter, review_iter = iter(new), iter(reviews)
    for position in range(len(reviews) + len(new)):
        source = new_iter if position in slots else review_iter
        item = next(source, None)
        if item is None:
            source = review_iter if source is new_iter else new_iter
            item = next(source)
        merged.append(item)
    return merged
