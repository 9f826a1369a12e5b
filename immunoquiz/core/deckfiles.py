"""Finding deck files: a cheap module, so that start-up need not import the YAML reader."""

from __future__ import annotations

import shlex
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

DECK_SUFFIXES = (".yaml", ".yml")
"""The endings of deck files."""

VOCABULARY_FILE = "tags.yaml"
"""The tag vocabulary of the decks in its folder (``core.vocabulary``): never a deck."""

NO_DECK_FILES = (
    "no deck files found in this folder: a deck file is a *.yaml or *.yml file directly in it"
    " (not tags.yaml; subfolders are not searched)"
)
"""Why a folder named for its decks gave none."""


def iter_deck_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Deck files named directly or found (``*.yaml``, ``*.yml``) in folders, each once.

    A file reached twice (a remembered folder and ``--decks`` naming it or a
    file in it) is yielded the first time only, so it is not taken for
    another deck with the same id.

    A folder's ``tags.yaml`` is its tag vocabulary, not a deck: it is
    skipped, found or named.

    Args:
        paths: Files and folders.

    Yields:
        Deck files, each folder's in name order.
    """
    seen: set[Path] = set()
    for path in paths:
        files = sorted(deck_files_in(path)) if path.is_dir() else [path] if path.name != VOCABULARY_FILE else []
        for file in files:
            real = file.resolve()
            if real not in seen:
                seen.add(real)
                yield file


def deck_files_in(folder: Path) -> Iterator[Path]:
    """The deck files (``*.yaml``, ``*.yml``) directly in a folder, in no particular order."""
    return (p for p in folder.iterdir() if p.suffix in DECK_SUFFIXES and p.name != VOCABULARY_FILE and p.is_file())


def deck_place_problem(path: Path) -> str | None:
    """Why a path cannot be remembered as a deck file or folder, or None if it can.

    It must be a deck file (``*.yaml``, ``*.yml``) or a folder holding at
    least one; whether the decks check is said when they are loaded.

    Args:
        path: The path, as given.

    Returns:
        The reason, for a message, or None.
    """
    try:
        if path.is_dir():
            if next(deck_files_in(path), None) is None:
                return "the folder holds no deck file (*.yaml, *.yml): add a deck to it first"
            return None
        if not path.exists():
            return "no such file or folder"
        if not path.is_file() or path.suffix not in DECK_SUFFIXES:
            return "not a deck file (*.yaml, *.yml) or a folder of deck files"
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    return None


def missing_notice(path: Path) -> str:
    """The one line that says a remembered deck file or folder has gone, and that its cards are kept."""
    return (
        f"Remembered decks not found: {path}; their cards and history are kept for when it is back"
        f" (`immunoquiz decks remove {shlex.quote(str(path))}` forgets it)"
    )


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether ``path``, its links followed, lies in one of ``folders`` (theirs followed too)."""
    real = path.resolve()
    return any(real.is_relative_to(folder.resolve()) for folder in folders)


def refusal(path: Path, folders: Iterable[Path], what: str) -> str | None:
    """Why a deck or source file is not to be read, or None if it may be.

    A file is read only if it is a regular file (a FIFO or a device would
    be read without end) and lies, links followed, in one of ``folders``:
    a deck must not quote a file from elsewhere on the machine. The reason
    never quotes the file.

    Args:
        path: The file.
        folders: The folders it may lie in.
        what: What the file is, for the message (``the source document``).

    Returns:
        The reason, for a message, or None.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read {what}: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        return f"{what} is {kind}"
    if not inside(path, folders):
        return f"{what} lies outside the deck folders (links followed): copy it in, or add its folder with --decks"
    return None
