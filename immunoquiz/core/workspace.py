"""Opening a learner's database with the decks of this run synced into it.

The decks of a run are the bundled ones, the deck files and folders the
learner remembered (``immunoquiz decks add``, kept in the database, so per
profile) and any given for this run alone (``--decks``). A remembered path
that has gone is left out of the sync and said: a deck not synced keeps its
cards and history untouched, so nothing is retired because a folder moved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from immunoquiz.core.clock import Clock, clock_behind
from immunoquiz.core.deckfiles import deck_place_problem, missing_notice
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.store import Store, SyncReport, open_store, usable_time
from immunoquiz.core.studyday import ROLLOVER_SETTING, DayRule, read_rollover_hour
from immunoquiz.core.text import visible

THEME_SETTING = "theme"
"""The settings key of the app's theme, as the learner last picked it."""


@dataclass(frozen=True, slots=True)
class Place:
    """A remembered deck file or folder, as this run found it.

    Attributes:
        path: The resolved, absolute path.
        exists: Whether it is there.
        decks: The ids of the decks loaded from it in this run.
    """

    path: Path
    exists: bool
    decks: tuple[str, ...]


@dataclass
class Workspace:
    """A store and what its deck sync found.

    Attributes:
        store: The learner's database.
        sync: What the deck sync did.
        paths: The deck files and folders synced, in order.
        missing: Remembered deck files and folders that are not there (not synced).
        for_this_run: Paths given for this run alone that no remembered one
            covers (resolved): the app offers to remember them.
    """

    store: Store
    sync: SyncReport
    paths: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    for_this_run: list[Path] = field(default_factory=list)
    clock_warning: str | None = None

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

    def theme(self) -> str | None:
        """The app theme the learner last picked, if any."""
        return self.store.setting(THEME_SETTING, "") or None

    def set_theme(self, name: str) -> None:
        """Keep the app theme the learner picked, for the next start."""
        self.store.set_setting(THEME_SETTING, name)

    def notices(self) -> list[str]:
        """What a learner should know of this run (its decks, a clock set back), one line each, for every front end."""
        lines = [visible(missing_notice(path)) for path in self.missing] + self.sync.notices()
        return lines + ([self.clock_warning] if self.clock_warning else [])

    def places(self) -> list[Place]:
        """The remembered deck files and folders, in the order added, with the decks loaded from each."""
        loaded = [(deck.id, Path(deck.path)) for deck in self.store.decks()]
        return [
            Place(path, path.exists(), tuple(i for i, file in loaded if path in (file, file.parent)))
            for path in self.store.remembered_decks()
        ]

    def remember(self, path: Path, now: datetime) -> bool:
        """Remember a deck file or folder for every later run of this learner.

        Args:
            path: The file or folder, as given (it is stored resolved and absolute).
            now: When.

        Returns:
            Whether it was added (False: it was remembered already).

        Raises:
            ValueError: It is not a deck file or a folder holding deck files; nothing is stored.
        """
        added = remember(self.store, path, now)
        resolved = path.expanduser().resolve()
        self.for_this_run = [p for p in self.for_this_run if not _covers(resolved, p)]
        return added

    def remember_for_this_run(self, now: datetime) -> list[Path]:
        """Remember every path given for this run alone; the ones remembered, in order."""
        chosen = list(self.for_this_run)
        for path in chosen:
            self.remember(path, now)
        return chosen

    def remembered_place(self, target: str) -> Path:
        """The remembered path that ``decks remove`` names: by its path, or by the id of the deck it holds.

        Args:
            target: A path (as given) or a deck id.

        Returns:
            The remembered path.

        Raises:
            ValueError: With the reason and the fix: nothing remembered by that
                name, or a deck in a folder that holds others too.
        """
        remembered = self.store.remembered_decks()
        as_path = Path(target).expanduser().resolve()
        if as_path in remembered:
            return as_path
        places = self.places()
        holding = [place for place in places if target in place.decks]
        if holding:
            place = holding[0]
            others = [deck for deck in place.decks if deck != target]
            if others:
                raise ValueError(
                    f"deck `{target}` is in the remembered folder {place.path} with {', '.join(others)}:"
                    " remove the folder by its path"
                )
            return place.path
        if target in self.store.active_decks:
            raise ValueError(f"deck `{target}` is not remembered (it is bundled or given with --decks)")
        listed = ", ".join(str(path) for path in remembered) or "none"
        raise ValueError(f"not a remembered deck file, folder or deck id (remembered: {listed})")


def remember(store: Store, path: Path, now: datetime) -> bool:
    """Remember a deck file or folder for every later run of a learner (see ``Workspace.remember``).

    Raises:
        ValueError: It is not a deck file or a folder holding deck files; nothing is stored.
    """
    problem = deck_place_problem(path)
    if problem is not None:
        raise ValueError(problem)
    return store.remember_decks(path.expanduser().resolve(), now)


def _covers(place: Path, path: Path) -> bool:
    """Whether a deck place (a file, or a folder of deck files) brings in ``path`` (both resolved)."""
    return place in (path, path.parent)


def open_workspace(
    db_path: Path | None,
    deck_paths: Sequence[Path],
    clock: Clock,
    on_parse: Callable[[Path, int], None] | None = None,
    *,
    for_this_run: Sequence[Path] = (),
) -> Workspace:
    """Open (or create) a database and sync every deck of this run into it.

    Args:
        db_path: The database file; None for a throwaway in-memory one.
        deck_paths: Deck folders and files always used (the bundled folder).
        clock: The time source.
        on_parse: Told of each deck file parsed (see ``Store.sync``).
        for_this_run: Deck folders and files given for this run alone (``--decks``),
            synced after the remembered ones.

    Returns:
        The workspace.

    Raises:
        StoreError: The database cannot be used, or the clock is broken (then
            the file is not even opened).
    """
    now = usable_time(clock)
    store = open_store(db_path) if db_path is not None else open_store(memory=True)
    remembered = store.remembered_decks()
    present = [path for path in remembered if path.exists()]
    given = [path.expanduser().resolve() for path in for_this_run]
    kept = [path.resolve() for path in (*deck_paths, *present)]
    offered = [
        path
        for path in dict.fromkeys(given)
        if not any(_covers(place, path) for place in kept) and deck_place_problem(path) is None
    ]
    paths = [*deck_paths, *present, *given]
    return Workspace(
        store,
        store.sync(paths, now, on_parse),
        paths,
        [path for path in remembered if not path.exists()],
        offered,
        clock_behind(now, store.last_answer_time()),
    )
