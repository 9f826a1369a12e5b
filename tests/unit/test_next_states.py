"""The four next states worked out once for the buttons, and reused exactly by the rating."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import fsrs
import pytest

from immunoquiz.core.clock import ManualClock, from_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Rating, next_states, review
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store
from tests.support.decks import basic_card
from tests.support.log import rows

FUZZED = DeckOptions(fuzz=True)


def real_states(limit: int = 400) -> list[tuple[CardState, int]]:
    """States a real learner's answers reached (fuzz on), with their card keys."""
    states: dict[int, CardState] = {}
    seen: list[tuple[CardState, int]] = []
    for card, rating, when in rows()[:limit]:
        state = review(states.get(card, CardState()), rating, when, FUZZED, card)
        states[card] = state
        seen.append((state, card))
    return seen


def test_a_rating_reuses_the_planned_state_exactly_as_a_fresh_review() -> None:
    rng = random.Random(7)
    for state, key in real_states():
        assert state.last_review_ms is not None
        shown = ManualClock(from_ms(state.last_review_ms + rng.randrange(0, 40 * 86_400_000)))
        planned = next_states(state, shown(), FUZZED, key)
        # Answered seconds later, or across a day boundary of the last review.
        for delay in (timedelta(0), timedelta(seconds=rng.randrange(1, 600)), timedelta(hours=rng.randrange(1, 30))):
            for rating in Rating:
                when = shown() + delay
                assert planned.answered(rating, when) == review(state, rating, when, FUZZED, key), (key, delay)


def test_button_intervals_are_those_of_a_review_at_show_time() -> None:
    for state, key in real_states(60):
        assert state.due_ms is not None
        clock = ManualClock(from_ms(state.due_ms))
        planned = next_states(state, clock(), FUZZED, key)
        for rating in Rating:
            due_ms = review(state, rating, clock(), FUZZED, key).due_ms
            assert due_ms is not None
            assert abs(planned.interval(rating).total_seconds() * 1000 - (due_ms - state.due_ms)) < 1


def test_the_session_runs_fsrs_four_times_per_card_shown_the_next_ones_during_the_commit(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.sync([write_deck("d", [basic_card(f"c{n}", f"Q{n}", "A") for n in range(3)])], clock())
    threads: list[str] = []
    original = fsrs.Scheduler.review_card

    def counted(self: fsrs.Scheduler, *args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsrs.Scheduler, "review_card", counted)
    session = Session(store, Selection(), clock=clock, options=FUZZED)
    answered = []
    # Easy graduates each card at once: after the third nothing is left to guess at.
    while (showing := session.next()) is not None:
        session.intervals(showing)
        clock.advance(seconds=9)
        answered.append((showing.row.id, showing.row.state, clock()))
        session.rate(showing, session.check(showing, ""), Rating.EASY)
    assert len(answered) == 3
    # Four per card shown: the rating reuses them. The first card's on the
    # spot; each later one's while the answer before it was being committed.
    assert threads[:4] == ["MainThread"] * 4
    assert len(threads) == 12 and threads[4:] == ["foresight"] * 8
    monkeypatch.undo()
    for rowid, before, when in answered:
        assert store.card(rowid).state == review(before, Rating.EASY, when, FUZZED, rowid)


def test_fuzz_draws_are_the_same_from_worker_threads() -> None:
    states = real_states(200)

    def reviewed(item: tuple[CardState, int]) -> CardState:
        state, key = item
        return review(state, Rating.GOOD, from_ms(state.due_ms or 0), FUZZED, key)

    alone = [reviewed(item) for item in states]

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave inside each review
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(reviewed, states * 5)) == alone * 5
    finally:
        sys.setswitchinterval(switch)
