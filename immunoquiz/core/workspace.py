"""Opening a learner's database with the decks of this run synced into it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from immunoquiz.core.clock import Clock, clock_behind
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.store import Store, SyncReport, open_store, usable_time
from immunoquiz.core.studyday import ROLLOVER_SETTING, DayRule, read_rollover_hour


@dataclass
class Workspace:
    """A store and what its deck sync found."""

    store: Store
    sync: SyncReport
    clock_warning: str | None = None

    def notices(self) -> list[str]:
        """What the learner should know on opening, one line each: the deck sync's notices and a clock set back."""
        return self.sync.notices() + ([self.clock_warning] if self.clock_warning else [])

    def deck_ids(self) -> list[str]:
        """The ids of the decks of this run, in order."""
        return list(self.store.active_decks)

    def options(self) -> dict[str, DeckOptions]:
        """Each deck's study options, as the learner set them."""
        return {deck_id: self.store.deck_options(deck_id) for deck_id in self.store.active_decks}

    def day_rule(self) -> DayRule:
        """Where the learner's study days begin (local time zone, rollover hour setting)."""
        return DayRule(None, self.store.rollover_hour())

    def set_rollover_hour(self, hour: int | str) -> int:
        """Set the local hour every deck's study day starts.

        Args:
            hour: The hour, 0 to 23, as a number or as typed.

        Returns:
            The hour set.

        Raises:
            ValueError: With a message saying what it takes; nothing is set.
        """
        value = read_rollover_hour(hour)
        self.store.set_setting(ROLLOVER_SETTING, str(value))
        return value


def open_workspace(
    db_path: Path | None,
    deck_paths: Sequence[Path],
    clock: Clock,
    on_parse: Callable[[Path, int], None] | None = None,
) -> Workspace:
    """Open (or create) a database and sync every known deck into it.

    Args:
        db_path: The database file; None for a throwaway in-memory one.
        deck_paths: The bundled deck folder and any ``--decks`` folders.
        clock: The time source.
        on_parse: Told of each deck file parsed (see ``Store.sync``).

    Returns:
        The workspace.

    Raises:
        StoreError: The database cannot be used, or the clock is broken (then
            the file is not even opened).
    """
    now = usable_time(clock)
    store = open_store(db_path) if db_path is not None else open_store(memory=True)
    warning = clock_behind(now, store.last_answer_time())
    return Workspace(store, store.sync(deck_paths, now, on_parse), warning)
