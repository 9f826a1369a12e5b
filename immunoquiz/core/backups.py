"""Backups of a learner's database: made on request, once a day and before an upgrade, the last few kept.

They lie in a ``backups`` folder beside the database, named after it and
the moment they were made (``immunoquiz-20261203-061500.db``), so that the
newest sorts last. Restoring one is copying it over the database, with
immunoquiz closed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol


class Backupable(Protocol):
    """A database that can copy itself (``store.Store``), seen from here without importing it."""

    @property
    def path(self) -> Path | None:
        """Its file (None in memory)."""

    def backup(self, destination: Path) -> None:
        """Copy it, as committed now, into a new file."""

    def sound(self) -> bool:
        """Whether it is undamaged (SQLite's quick check passes)."""


BACKUPS_KEPT = 7
"""How many backups of one database are kept; the oldest go first."""


def backup_folder(db_path: Path) -> Path:
    """Where the backups of a database lie."""
    return db_path.parent / "backups"


def backups(db_path: Path) -> list[Path]:
    """The backups of a database, oldest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-????????-??????.db"))


def make_backup(store: Backupable, now: datetime, kept: int = BACKUPS_KEPT) -> Path:
    """Back the database up now, and let go of the oldest backups beyond ``kept``.

    Args:
        store: The open database (from a file).
        now: When, in the learner's zone: it names the backup.
        kept: How many backups to keep, this one included.

    Returns:
        The new backup's file.

    Raises:
        OSError: The backup folder cannot be made or written.
    """
    assert store.path is not None, "an in-memory database has nothing to back up"
    folder = backup_folder(store.path)
    folder.mkdir(exist_ok=True)
    target = folder / f"{store.path.stem}-{now:%Y%m%d-%H%M%S}.db"
    if not target.exists():  # two backups in one second are one
        store.backup(target)
    for old in backups(store.path)[:-kept]:
        old.unlink()
    return target


def daily_backup(store: Backupable, now: datetime) -> Path | None:
    """Back the database up if no backup was made on ``now``'s date; the new backup, or None.

    A damaged database is not backed up: its copy would push out of the
    rotation one of the good backups it is to be restored from.
    """
    if store.path is None:
        return None
    made = backups(store.path)
    if (made and made[-1].stem.rsplit("-", 2)[1] == f"{now:%Y%m%d}") or not store.sound():
        return None
    return make_backup(store, now)
