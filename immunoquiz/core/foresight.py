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

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, NextStates, next_states

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor


@cache
def _executor() -> ThreadPoolExecutor:
    """One thread for the process: guesses are small and one at a time, and a sitting leaves no thread behind.

    Made at the first guess: ``concurrent.futures`` costs line mode about
    10 ms to import (the app has it already, through asyncio).
    """
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="foresight")


class _Guess(NamedTuple):
    key: int
    state: CardState
    options: DeckOptions
    planned: Future[NextStates]


class Foresight:
    """At most one guess at the next card's next states, being worked out or ready."""

    def __init__(self) -> None:
        self._guess: _Guess | None = None

    def start(self, state: CardState, at: datetime, options: DeckOptions, key: int) -> None:
        """Start working out a card's next states at ``at`` on the background thread.

        Never raises: at interpreter shutdown, when the thread can take no
        more work, there is simply no guess (the answer being committed must
        not fail for it).

        Args:
            state: The card's state.
            at: The time to work them out for.
            options: The card's deck options.
            key: The card's stable number.
        """
        try:
            planned = _executor().submit(next_states, state, at, options, key)
        except RuntimeError:
            self._guess = None
            return
        self._guess = _Guess(key, state, options, planned)

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
        if guess is None or guess.key != key or guess.state != state or guess.options != options:
            return None
        planned = guess.planned.result()
        return planned if planned.exact_at(now) else None
