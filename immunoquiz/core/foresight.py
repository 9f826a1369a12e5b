"""The next card's four next states, worked out while an answer's commit waits on the disk.

A review step ends with a commit that waits for the disk (``synchronous =
FULL``: 100-250 µs here), and SQLite releases the GIL while it waits. The
next card's FSRS work, four py-fsrs reviews of about 10 µs each, is started
on a background thread just before that commit, so that it runs in the wait
instead of after it.

What is worked out ahead is a guess at the card shown next. It is used only
for that card, in the same state and under the same options, and only when
the time it is used falls in the same whole days since the card's last
review as the time it was worked out for (``NextStates.exact_at``): py-fsrs
reads the time in no other way. So the states used are always those
``schedule.next_states`` would give on the spot; a wrong guess costs only
the work done in the wait.
"""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache
from queue import SimpleQueue
from typing import NamedTuple

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, NextStates, next_states


class _Job(NamedTuple):
    state: CardState
    at: datetime
    options: DeckOptions
    key: int
    # Where the worker puts the states (or None if working them out failed: the spot then raises it).
    done: SimpleQueue[NextStates | None]


def _work(jobs: SimpleQueue[_Job]) -> None:
    while True:
        job = jobs.get()
        try:
            planned: NextStates | None = next_states(job.state, job.at, job.options, job.key)
        except Exception:
            planned = None
        job.done.put(planned)


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
    """At most one guess at the next card's next states, being worked out or ready."""

    def __init__(self) -> None:
        self._done: SimpleQueue[NextStates | None] = SimpleQueue()
        self._guess: _Job | None = None

    def start(self, state: CardState, at: datetime, options: DeckOptions, key: int) -> None:
        """Start working out a card's next states at ``at`` on the background thread.

        Args:
            state: The card's state.
            at: The time to work them out for.
            options: The card's deck options.
            key: The card's stable number.
        """
        if self._guess is not None:  # never taken (the session went another way): its result is dropped
            self._done.get()
        self._guess = _Job(state, at, options, key, self._done)
        _jobs().put(self._guess)

    def take(self, state: CardState, now: datetime, options: DeckOptions, key: int) -> NextStates | None:
        """The states worked out ahead for this card, if they are exactly those due at ``now``.

        The guess is spent either way: a card shown again later is worked out anew.

        Args:
            state: The state of the card shown.
            now: When its buttons are shown.
            options: Its deck options.
            key: Its stable number.

        Returns:
            The states, or None when the guess was for another card or state,
            other options, or a different number of whole days.
        """
        guess, self._guess = self._guess, None
        if guess is None:
            return None
        planned = self._done.get()  # waits, rarely: the guess was started during the last commit
        if planned is None or guess.key != key or not planned.starts_from(state, options):
            return None
        return planned if planned.exact_at(now) else None
