"""Reading a learner's database without opening it as a store: the remembered decks, and names to complete.

Shell completion runs on every Tab and must be quick and silent, and
``check`` must not load the scheduler: this module needs only ``sqlite3``.
It never writes, never creates a database, and never migrates one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path


def remembered(conn: sqlite3.Connection) -> list[Path]:
    """The remembered deck files and folders, in the order they were added.

    Args:
        conn: A connection to a learner's database (a store's, or one from ``open_read_only``).
    """
    return [Path(path) for (path,) in conn.execute("SELECT path FROM remembered_decks ORDER BY rowid")]


def _has_remembered(conn: sqlite3.Connection) -> bool:
    """Whether the schema has the remembered decks yet (a database of an earlier immunoquiz may not)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'remembered_decks'")
    return found.fetchone() is not None


def open_read_only(db: Path) -> sqlite3.Connection | None:
    """A read-only connection to a learner's database, or None if there is no file.

    Raises:
        sqlite3.Error: The file cannot be opened as a database.
    """
    if not db.is_file():
        return None
    return sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)


def remembered_in(db: Path) -> list[Path]:
    """The remembered deck files and folders of a database; none if it does not exist yet.

    Raises:
        sqlite3.Error: The file is not a readable immunoquiz database.
    """
    conn = open_read_only(db)
    if conn is None:
        return []
    try:
        return remembered(conn) if _has_remembered(conn) else []
    finally:
        conn.close()


def deck_and_tag_names(db: Path, places: Sequence[Path]) -> tuple[list[str], list[str]]:
    """The ids and tags of the decks last synced from some deck files and folders, each sorted.

    Decks read from elsewhere (a folder forgotten since) are left out.

    Args:
        db: The learner's database.
        places: Resolved deck files and folders: the bundled folder, the
            remembered ones, any given on the command line.

    Raises:
        sqlite3.Error: The file is not a readable immunoquiz database.
    """
    conn = open_read_only(db)
    if conn is None:
        return [], []
    try:
        kept = remembered(conn) if _has_remembered(conn) else []
        wanted = {str(place) for place in (*places, *kept)}
        decks = [
            deck_id
            for deck_id, path in conn.execute("SELECT id, path FROM decks")
            if path in wanted or str(Path(path).parent) in wanted
        ]
        marks = ",".join("?" * len(decks))
        tags: set[str] = set()
        for (stored,) in conn.execute(f"SELECT DISTINCT tags FROM notes WHERE deck_id IN ({marks})", decks):
            tags.update(tag for tag in json.loads(stored) if isinstance(tag, str))
    finally:
        conn.close()
    return sorted(decks), sorted(tags)
