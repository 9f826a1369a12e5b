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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, partial
from itertools import islice
from typing import Literal

from immunoquiz.core.answering import Response, decide
from immunoquiz.core.clock import Clock, from_ms, to_ms
from immunoquiz.core.deck_note import DeckNote, note_to_show
from immunoquiz.core.foresight import Foresight, Guess
from immunoquiz.core.grading import Verdict, grade
from immunoquiz.core.model import Card
from immunoquiz.core.options import DeckOptions, options_of
from immunoquiz.core.present import Prompt, present
from immunoquiz.core.query import CardFilter, card_ids, next_due_ms
from immunoquiz.core.queue import gather
from immunoquiz.core.schedule import RATINGS, NextStates, Phase, Rating, next_states
from immunoquiz.core.selection import Selection
from immunoquiz.core.store import CardRow, Store, usable_time
from immunoquiz.core.studyday import DayRule

READ_AHEAD = 32

SELF_GRADED = Verdict(None, 0.0, Rating.GOOD)
"""The verdict on a card the learner revealed without answering: no check, Good proposed."""


@dataclass(frozen=True, slots=True)
class Showing:
    """A card on screen: what was asked and when.

    ``corrected`` is when its answer was last corrected, if the learner has
    not been told yet (see ``feedback.correction_notice``). ``note`` is its
    deck's note, to show before it: the first card of its deck this session.
    """

    row: CardRow
    card: Card
    prompt: Prompt
    shown_at: datetime
    options: DeckOptions
    corrected: datetime | None = None
    note: DeckNote | None = None


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

    @property
    def self_graded(self) -> int:
        """Answers the learner graded alone (revealed, or a basic card): not counted in ``accuracy``."""
        return self.studied - self.checked


@dataclass
class _Done:
    review_id: int
    card_id: int
    answer: Answer
    rating: Rating


@dataclass(frozen=True)
class _Mark:
    """A suspend or bury by hand, with what it replaced, so that undo can restore it."""

    action: Literal["suspend", "bury"]
    card_id: int
    kind: str  # how the card counted in the queue
    buried_until: int


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
        noted: The decks whose note this run has shown already (``deck_note``),
            shared with its other sessions and updated as notes are shown;
            None for a session of its own.
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
        noted: set[str] | None = None,
    ) -> None:
        self.store = store
        self.selection = selection
        self.clock = clock
        self.day_rule = day_rule
        self._options = options
        self.rng = rng or random.Random()
        self.decks = list(selection.decks) or list(store.active_decks)
        self._done: list[_Done] = []
        # What undo takes back, latest last: answers and marks by hand, as in Anki.
        self._history: list[_Done | _Mark] = []
        self._queue = _Queue()
        self._ahead: dict[int, tuple[CardRow, Card]] = {}
        self._day_cache: tuple[int, int, int] | None = None
        # The next states behind the buttons of the card shown, reused by its rating.
        self._planned: tuple[Showing, NextStates] | None = None
        # The next cards' next states, worked out during the commits of the answers before them.
        self._foresight = Foresight()
        # Cards whose corrections the learner has yet to be told of: told once, with the answer that follows.
        self._untold = store.untold_corrections(self.decks)
        self.noted = set() if noted is None else noted
        self._notes = store.deck_notes(self.decks)
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

    def build_queue(self) -> None:
        """(Re)build the queue from the database, as of now."""
        self._ahead.clear()
        now = self.clock()
        cards = self.selection.cards(self.decks)
        queue = _Queue()
        if self.selection.cram:
            for rowid in self._cram_ids(cards, now):
                queue.main.append(rowid)
                queue.add(rowid, "review")
            self._queue = queue
            return
        today = gather(self.store, cards, now, self.day_rule, self._options)
        queue.learning = list(today.learning)
        for _, rowid in today.learning:
            queue.add(rowid, "learning")
        queue.main.extend(_interleave(today.reviews, today.new))
        for rowid in today.reviews:
            queue.add(rowid, "review")
        for rowid in today.new:
            queue.add(rowid, "new")
        self._queue = queue

    def _cram_ids(self, cards: CardFilter, now: datetime) -> list[int]:
        cards = replace(cards, unsuspended=True)
        if self.selection.cram_filter == "leech":
            cards = replace(cards, states=("leech",))
        elif self.selection.cram_filter == "due-soon":
            horizon = self.day_rule.end_of(self.day_rule.day_of(now) + self.selection.due_within_days)
            cards = replace(cards, due_before_ms=to_ms(horizon))
        ids = card_ids(self.store, cards)
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

    def _pop_next(self, now: datetime, *, take: bool = True) -> int | None:
        """The next card's row id, taken off the queue; with ``take`` False, left on it (a guess at what comes next)."""
        queue = self._queue
        while queue.front:
            if queue.front[0] not in queue.removed:
                return queue.take(queue.front.popleft()) if take else queue.front[0]
            queue.front.popleft()
        now_ms = to_ms(now)
        while queue.learning and queue.learning[0][1] in queue.removed:
            heapq.heappop(queue.learning)
        if queue.learning and queue.learning[0][0] <= now_ms:
            return queue.take(heapq.heappop(queue.learning)[1]) if take else queue.learning[0][1]
        while queue.main:
            if queue.main[0] not in queue.removed:
                return queue.take(queue.main.popleft()) if take else queue.main[0]
            queue.main.popleft()
        if not queue.learning:
            return None
        due, rowid = queue.learning[0]
        if not take:  # a guess: the learn-ahead window would need a query, and a wrong guess costs only its work
            return rowid
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
        prompt = present(card, row.sibling, self.rng)
        note = note_to_show(self._notes, self.noted, row.deck_id)
        if note is not None:
            self.noted.add(row.deck_id)
        return Showing(row, card, prompt, now, self.options_for(row.deck_id), self._untold.get(rowid), note)

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

    @cached_property
    def known_answers(self) -> frozenset[str]:
        """Every answer of this run's decks: a typed text among them is never a near miss."""
        return self.store.known_answers(sorted({*self.store.active_decks, *self.decks}))

    def check(self, showing: Showing, given: str | None) -> Answer:
        """Check an answer (nothing is recorded yet).

        A card revealed without an answer (``given`` None, or nothing typed
        for a typed, numeric or cloze card) is self-graded, as in Anki: the
        answer is shown, Good is proposed and the learner's rating is all
        that is recorded. Only an answer that was given is checked.

        Args:
            showing: The card shown.
            given: The learner's answer; None when the learner asked to see
                the answer without answering.

        Returns:
            The answer with its verdict and proposed rating.
        """
        elapsed = self.clock() - showing.shown_at
        elapsed_ms = max(0, int(elapsed.total_seconds() * 1000))
        kind = showing.prompt.kind
        if kind == "self" or given is None or (kind in ("typed", "numeric") and not given.strip()):
            return Answer(None, SELF_GRADED, elapsed_ms)
        verdict = grade(showing.card, showing.prompt, given, self.known_answers)
        return Answer(given, verdict, elapsed_ms)

    def intervals(self, showing: Showing) -> dict[Rating, str]:
        """The label of each rating button, such as ``{Rating.GOOD: "2d"}`` (empty in cram)."""
        if self.selection.cram:
            return {}
        row, now = showing.row, self.clock()
        planned = self._foresight.take(row.state, now, showing.options, row.id)
        if planned is None:
            planned = next_states(row.state, now, showing.options, row.id)
        self._planned = (showing, planned)
        return dict(zip(RATINGS, planned.labels, strict=True))

    def rate(self, showing: Showing, answer: Answer, rating: Rating) -> None:
        """Record the learner's rating; committed before this returns.

        Args:
            showing: The card shown.
            answer: Its checked answer.
            rating: The rating chosen (the proposed one, or the learner's own).

        Raises:
            StoreError: Nothing was recorded: the database failed, or the clock is broken.
        """
        now = usable_time(self.clock)
        day, end_ms = self._study_day(now)
        row = showing.row
        cram = self.selection.cram
        response = Response(
            rating, now, day, "cram" if cram else "review", answer.elapsed_ms, answer.given, answer.verdict.correct
        )
        # Only a card with several siblings can bury any: the others spare the query.
        siblings = self.store.siblings_of(row) if not cram and len(showing.card.siblings) > 1 else ()
        planned = self._planned[1] if self._planned is not None and self._planned[0] is showing else None
        self._planned = None
        told_at = showing.shown_at if showing.corrected is not None else None
        review_id, outcome = self.store.record_answer(
            decide(row, response, showing.options, siblings, planned),
            told_at=told_at,
            meanwhile=None if cram else self._foresee(now),
        )
        self._untold.pop(row.id, None)
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
        done = _Done(review_id, row.id, answer, rating)
        self._done.append(done)
        self._history.append(done)

    def _foresee(self, now: datetime) -> Callable[[], None] | None:
        """What starts working out the likely next cards' states (run while the answer's commit waits on the disk).

        The likely next cards are the one the queue would give now and the
        new or review card after it, if they have been read ahead (no query
        is made for a guess). None when there is no such card, or when the
        next one's states are already being worked out (guessed by the start before).
        """
        queue = self._queue
        first = self._pop_next(now, take=False)
        if first is None or self._foresight.has(first):
            return None
        after = next((rowid for rowid in queue.main if rowid != first and rowid not in queue.removed), None)
        guesses = []
        for rowid in (first, after):
            found = self._ahead.get(rowid) if rowid is not None else None
            if found is not None:
                row = found[0]
                guesses.append(Guess(row.state, self.options_for(row.deck_id), row.id))
        return partial(self._foresight.start, guesses, now) if guesses else None

    def _study_day(self, now: datetime) -> tuple[int, int]:
        """The study day of ``now`` and when it ends (ms), cached for the answer path."""
        now_ms = to_ms(now)
        cached = self._day_cache
        if cached is None or not cached[1] <= now_ms < cached[2]:
            day = self.day_rule.day_of(now)
            cached = (day, to_ms(self.day_rule.start_of(day)), to_ms(self.day_rule.end_of(day)))
            self._day_cache = cached
        return cached[0], cached[2]

    @property
    def can_undo(self) -> bool:
        """Whether there is an answer, a suspend or a bury to undo."""
        return bool(self._history)

    def undo(self) -> Literal["answer", "suspend", "bury"] | None:
        """Undo the last answer, suspend or bury of this session; its card is shown next.

        Returns:
            What was undone, or None when there was nothing to undo.
        """
        if not self._history:
            return None
        last = self._history.pop()
        if isinstance(last, _Mark):
            if last.action == "suspend":
                self.store.set_suspended(last.card_id, False)
            else:
                self.store.bury(last.card_id, last.buried_until)
            # Only this card left the queue: it comes back as it counted, the others untouched.
            queue = self._queue
            queue.removed.discard(last.card_id)
            queue.front.appendleft(last.card_id)
            queue.add(last.card_id, last.kind)
            return last.action
        self._done.pop()
        self.store.undo_review(last.review_id)
        self._ahead.clear()
        front = [last.card_id, *self._queue.front]
        if not self.selection.cram:
            # Limits, burying and learning steps all depend on the log: rebuild.
            self.build_queue()
        queue = self._queue
        queue.main = deque(i for i in queue.main if i not in front)
        queue.learning = [entry for entry in queue.learning if entry[1] not in front]
        heapq.heapify(queue.learning)
        queue.front = deque(dict.fromkeys(front))
        queue.add(last.card_id, "review" if self.selection.cram else _kind(self.store.card(last.card_id).state.phase))
        return "answer"

    def put_back(self, showing: Showing) -> None:
        """Return a card shown but not answered to the head of the queue."""
        self._queue.front.appendleft(showing.row.id)
        self._queue.add(showing.row.id, self._kind_of(showing))

    def _kind_of(self, showing: Showing) -> str:
        return "review" if self.selection.cram else _kind(showing.row.state.phase)

    def suspend(self, showing: Showing) -> None:
        """Suspend the card shown; it leaves the queue until unsuspended (or the suspend is undone)."""
        row = showing.row
        self.store.set_suspended(row.id, True)
        self._queue.remove(row.id)
        self._history.append(_Mark("suspend", row.id, self._kind_of(showing), row.buried_until))

    def bury(self, showing: Showing) -> None:
        """Bury the card shown until the next study day (or until the bury is undone)."""
        row = showing.row
        self.store.bury(row.id, self.day_rule.day_of(self.clock()) + 1)
        self._queue.remove(row.id)
        self._history.append(_Mark("bury", row.id, self._kind_of(showing), row.buried_until))

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
        next_due = next_due_ms(
            self.store, CardFilter(tuple(self.decks), states=("learning", "review"), unsuspended=True)
        )
        summary.next_due = None if next_due is None else from_ms(next_due)
        return summary


def _kind(phase: Phase) -> str:
    """How a waiting card is counted: new, learning or review."""
    if phase == Phase.NEW:
        return "new"
    return "learning" if phase in (Phase.LEARNING, Phase.RELEARNING) else "review"


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
