"""Finding deck files: a cheap module, so that start-up need not import the YAML reader."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

VOCABULARY_FILE = "tags.yaml"
"""The tag vocabulary of the decks in its folder (``core.vocabulary``): never a deck."""


def iter_deck_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Deck files named directly or found (``*.yaml``, ``*.yml``) in folders.

    A folder's ``tags.yaml`` is its tag vocabulary, not a deck: it is
    skipped, found or named.

    Args:
        paths: Files and folders.

    Yields:
        Deck files, each folder's in name order.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.name != VOCABULARY_FILE and p.is_file()
            )
        elif path.name != VOCABULARY_FILE:
            yield path


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
