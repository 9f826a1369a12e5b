"""The next cards' four next states, worked out while an answer's commit waits on the disk.

A review step ends with a commit that waits for the disk (``synchronous =
FULL``: 100-250 µs here), and SQLite releases the GIL while it waits. The
next card's FSRS work, four py-fsrs reviews of about 10 µs each, is started
on a background thread just before that commit, so that it runs in the wait
instead of after it. Waking the thread costs the answer about 10 µs (of its
own time, and of the commit's), so each wake works out the two cards the
queue would give next: about 80 µs, within the wait, and a wake every other answer.

What is worked out ahead is a guess at the cards shown next. A guess is used only
for its card, in the same state and under the same options, and only when
the time it is used falls in the same whole days since the card's last
review as the time it was worked out for (``NextStates.exact_at``): py-fsrs
reads the time in no other way. So the states used are always those
``schedule.next_states`` would give on the spot; a wrong guess costs only
the work done in the wait.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from queue import SimpleQueue
from typing import NamedTuple

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, NextStates, next_states


class Guess(NamedTuple):
    """A card likely to be shown soon, as it is now."""

    state: CardState
    options: DeckOptions
    key: int


class _Job(NamedTuple):
    guesses: tuple[Guess, ...]
    at: datetime
    # Where the worker puts each guess's key and states, in order (None if they failed: the spot then raises it).
    done: SimpleQueue[tuple[int, NextStates | None]]


def _work(jobs: SimpleQueue[_Job]) -> None:
    while True:
        job = jobs.get()
        for state, options, key in job.guesses:
            try:
                planned: NextStates | None = next_states(state, job.at, options, key)
            except Exception:
                planned = None
            job.done.put((key, planned))


@cache
def _jobs() -> SimpleQueue[_Job]:
    """The queue of the one worker thread, started at the first guess.

    A bare thread and queues, not a ``ThreadPoolExecutor``: its ``submit``
    costs about 7 µs of the answer's own time, a queue's ``put`` under 1 µs.
    The thread is a daemon: it holds nothing that needs closing, and a guess
    left unfinished at exit is simply lost.
    """
    jobs: SimpleQueue[_Job] = SimpleQueue()
    threading.Thread(target=_work, args=(jobs,), name="foresight", daemon=True).start()
    return jobs


class Foresight:
    """The guesses of the last start, each being worked out or ready, until taken."""

    def __init__(self) -> None:
        self._done: SimpleQueue[tuple[int, NextStates | None]] = SimpleQueue()
        self._owed = 0  # results of the last start not yet read from ``_done``
        self._ready: dict[int, NextStates | None] = {}
        self._guessed: set[int] = set()  # keys guessed and not yet taken

    def has(self, key: int) -> bool:
        """Whether a guess at this card is being worked out or ready (so no new start is needed for it)."""
        return key in self._guessed

    def start(self, guesses: Sequence[Guess], at: datetime) -> None:
        """Start working out some cards' next states at ``at``, in order, on the background thread.

        Waking the thread costs the caller several microseconds (more than a
        card's share of the work), so one start may guess at more than the next card.
        The guesses of an earlier start that were never taken are dropped.

        Args:
            guesses: The cards, the likeliest first.
            at: The time to work them out for.
        """
        while self._owed:  # an earlier start's results, not needed: the session went another way
            self._done.get()
            self._owed -= 1
        self._ready.clear()
        self._guessed = {guess.key for guess in guesses}
        self._owed = len(guesses)
        _jobs().put(_Job(tuple(guesses), at, self._done))

    def take(self, state: CardState, now: datetime, options: DeckOptions, key: int) -> NextStates | None:
        """The states worked out ahead for this card, if they are exactly those due at ``now``.

        The card's guess is spent either way: a card shown again later is worked out anew.

        Args:
            state: The state of the card shown.
            now: When its buttons are shown.
            options: Its deck options.
            key: Its stable number.

        Returns:
            The states, or None when there was no guess at this card, or it
            was for another state, other options or a different number of whole days.
        """
        if key not in self._guessed:
            return None
        self._guessed.discard(key)
        while key not in self._ready:  # waits, rarely: the guesses were started during the last commit
            done, planned = self._done.get()
            self._owed -= 1
            self._ready[done] = planned
        planned = self._ready.pop(key)
        if planned is None or not planned.starts_from(state, options):
            return None
        return planned if planned.exact_at(now) else None
