"""Migrations: plain SQL without sqlite-utils, recorded as sqlite-utils records them, which runs the rest."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations

from immunoquiz.core.migrations import MIGRATION_SET, MIGRATIONS, Migration, applied_migrations, apply_migrations
from immunoquiz.core.store import open_store
from immunoquiz.paths import bundled_decks_dir


def connect() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


def tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_and_an_up_to_date_database_open_without_sqlite_utils(tmp_path: Path) -> None:
    probe = (
        "import sys; from pathlib import Path; from immunoquiz.core.store import open_store\n"
        "open_store(Path(sys.argv[1])).close(); print('sqlite_utils' in sys.modules)"
    )
    db = str(tmp_path / "x.db")
    for _ in ("new", "up to date"):
        run = subprocess.run([sys.executable, "-c", probe, db], capture_output=True, text=True, check=True)
        assert run.stdout.split() == ["False"]
    with sqlite3.connect(db) as conn:
        assert applied_migrations(conn) == [m.name for m in MIGRATIONS]
        assert conn.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)


def test_sqlite_utils_sees_the_plain_migrations_as_applied() -> None:
    conn = connect()
    apply_migrations(conn)
    theirs = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        theirs(name=migration.name)(lambda db: None)
    db = sqlite_utils.Database(conn)
    assert theirs.pending(db) == []
    assert [m.name for m in theirs.applied(db)] == [m.name for m in MIGRATIONS]
    assert db.table("_sqlite_migrations").pks == ["id"]  # so sqlite-utils leaves the table as it is


def test_a_migration_that_needs_sqlite_utils_runs_through_it_after_the_plain_ones() -> None:
    def m999_rebuild(db: sqlite_utils.Database) -> None:
        db.table("settings").transform(rename={"value": "text"})

    conn = connect()
    apply_migrations(conn, (*MIGRATIONS, Migration("m999_rebuild", m999_rebuild)))
    assert [name for (_, name, *_) in conn.execute("PRAGMA table_info(settings)")] == ["key", "text"]
    assert applied_migrations(conn) == [*(m.name for m in MIGRATIONS), "m999_rebuild"]
    apply_migrations(conn, (*MIGRATIONS, Migration("m999_rebuild", m999_rebuild)))  # nothing pending: no error
    assert conn.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS) + 1,)


def test_a_database_made_by_sqlite_utils_gets_the_next_plain_migration() -> None:
    conn = connect()
    older = Migrations(MIGRATION_SET)
    first = MIGRATIONS[0]
    assert isinstance(first.step, str)
    older(name=first.name)(lambda db: db.executescript(str(first.step)))
    older.apply(sqlite_utils.Database(conn))
    apply_migrations(conn)
    assert applied_migrations(conn) == [m.name for m in MIGRATIONS]
    assert {"cards", "quiz_attempts"} <= tables(conn)


def test_a_failing_migration_leaves_nothing_behind() -> None:
    conn = connect()
    broken = Migration("m999_broken", "CREATE TABLE half (a); INSERT INTO missing VALUES (1);")
    with pytest.raises(sqlite3.OperationalError, match="missing"):
        apply_migrations(conn, (*MIGRATIONS, broken))  # pending in a row: one transaction, undone as a whole
    assert not conn.in_transaction
    assert applied_migrations(conn) is None and tables(conn) == set()
    apply_migrations(conn)
    with pytest.raises(sqlite3.OperationalError, match="missing"):
        apply_migrations(conn, (*MIGRATIONS, broken))
    assert "half" not in tables(conn)
    assert applied_migrations(conn) == [m.name for m in MIGRATIONS]


def test_m008_fills_the_quiz_columns_of_the_notes_stored_before() -> None:
    # A database synced before m008 gets, from its stored bodies, the columns a sync writes now.
    synced = open_store(memory=True)
    synced.sync([bundled_decks_dir()], datetime(2026, 1, 5, tzinfo=UTC))
    before = MIGRATIONS[: [m.name for m in MIGRATIONS].index("m008_quiz_columns")]
    old = connect()
    apply_migrations(old, before)
    columns = "deck_id, card_id, type, tags, quote, explain, body, line, position, teaching"
    old.executemany(
        f"INSERT INTO notes ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        synced.conn.execute(f"SELECT {columns} FROM notes"),
    )
    # A body damaged outside immunoquiz offers nothing, and the migration still runs.
    old.execute(f"INSERT INTO notes ({columns}) VALUES ('d', 'x', 'numeric', '[]', '', NULL, '{{', 1, 0, '')")
    apply_migrations(old)
    query = (
        "SELECT deck_id, card_id, pool_kind, pool_answers, answer_keys FROM notes WHERE deck_id != 'd' ORDER BY 1, 2"
    )
    filled = old.execute(query).fetchall()
    assert filled == synced.conn.execute(query).fetchall()
    assert sum(kind is not None for _, _, kind, _, _ in filled) >= 40
    assert sum(keys != "[]" for *_, keys in filled) > 100
    damaged = old.execute("SELECT pool_kind, pool_answers, answer_keys FROM notes WHERE deck_id = 'd'").fetchall()
    assert damaged == [(None, "[]", "[]")]
