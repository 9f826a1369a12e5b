"""The database schema: forward migrations, applied with sqlite-utils.

sqlite-utils is imported only when a migration is pending (a new database,
or one from an older immunoquiz): an up-to-date database is checked with one
query, which keeps start-up fast.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from immunoquiz.core.correction import fingerprint
from immunoquiz.core.model import Card, note_from_json

if TYPE_CHECKING:
    import sqlite_utils

MIGRATION_SET = "immunoquiz"


def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE decks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            path TEXT NOT NULL,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            file_size INTEGER NOT NULL,
            file_mtime_ns INTEGER NOT NULL,
            card_count INTEGER NOT NULL,
            synced_ms INTEGER NOT NULL
        );
        CREATE TABLE notes (
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            type TEXT NOT NULL,
            tags TEXT NOT NULL,
            quote TEXT NOT NULL,
            explain TEXT,
            body TEXT NOT NULL,
            line INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (deck_id, card_id)
        );
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            sibling INTEGER NOT NULL,
            position INTEGER NOT NULL,
            phase INTEGER NOT NULL DEFAULT 0,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due_ms INTEGER,
            last_review_ms INTEGER,
            lapses INTEGER NOT NULL DEFAULT 0,
            reps INTEGER NOT NULL DEFAULT 0,
            review_total INTEGER NOT NULL DEFAULT 0,
            review_passed INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            leech INTEGER NOT NULL DEFAULT 0,
            buried_until INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            UNIQUE (deck_id, card_id, sibling)
        );
        CREATE INDEX cards_queue ON cards (deck_id, phase, due_ms);
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card INTEGER NOT NULL REFERENCES cards (id),
            deck_id TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            day INTEGER NOT NULL,
            rating INTEGER NOT NULL,
            duration_ms INTEGER,
            answer TEXT,
            correct INTEGER,
            mode TEXT NOT NULL,
            phase_before INTEGER NOT NULL,
            interval_before_ms INTEGER,
            mature INTEGER NOT NULL DEFAULT 0,
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            undo TEXT NOT NULL
        );
        CREATE INDEX reviews_card ON reviews (card, time_ms);
        -- Covers the statistics query (core/rollup.py): a million-row log is
        -- summed in index order, without reading the table or sorting.
        CREATE INDEX reviews_day ON reviews (day, deck_id, mode, phase_before, mature, rating, duration_ms);
        CREATE TABLE deck_options (
            deck_id TEXT PRIMARY KEY,
            options TEXT NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


def m002_quiz(db: sqlite_utils.Database) -> None:
    """Quiz attempts and their questions (see ``core.quiz_store``)."""
    db.executescript(
        """
        CREATE TABLE quiz_attempts (
            id INTEGER PRIMARY KEY,
            started_ms INTEGER NOT NULL,
            finished_ms INTEGER,
            duration_ms INTEGER,
            seed INTEGER NOT NULL,
            decks TEXT NOT NULL,
            tags TEXT NOT NULL,
            forms TEXT NOT NULL,
            requested INTEGER NOT NULL,
            questions INTEGER NOT NULL,
            time_limit_s INTEGER,
            affect_schedule INTEGER NOT NULL,
            score REAL,
            timed_out INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE quiz_questions (
            attempt INTEGER NOT NULL REFERENCES quiz_attempts (id),
            position INTEGER NOT NULL,
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            sibling INTEGER NOT NULL,
            form TEXT NOT NULL,
            card_type TEXT NOT NULL,
            tags TEXT NOT NULL,
            question TEXT NOT NULL,
            options TEXT NOT NULL,
            answers TEXT NOT NULL,
            expected TEXT NOT NULL,
            quote TEXT NOT NULL,
            answered INTEGER NOT NULL DEFAULT 0,
            answer TEXT,
            chosen TEXT NOT NULL DEFAULT '[]',
            correct INTEGER,
            score REAL,
            duration_ms INTEGER,
            PRIMARY KEY (attempt, position)
        );
        """
    )


def m003_attempts(db: sqlite_utils.Database) -> None:
    """Incomplete attempts, near misses, and the learner's id for exports (see ``core.quiz_store``).

    Attempts saved before this migration keep their scores: which of them
    were quit early cannot be told now, and none is guessed.
    """
    import uuid

    db.executescript(
        """
        ALTER TABLE quiz_attempts ADD COLUMN stopped_early INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE quiz_questions ADD COLUMN almost INTEGER NOT NULL DEFAULT 0;
        """
    )
    # Made once, so that every export of this database names the same learner.
    db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('learner_id', ?)", (str(uuid.uuid4()),))


def m004_corrections(db: sqlite_utils.Database) -> None:
    """What each note teaches (``correction.fingerprint``), and the corrections learners are told of.

    The notes already stored get their fingerprint here, from their stored
    body, so that the next sync sees only real changes of teaching.
    """
    db.executescript(
        """
        ALTER TABLE notes ADD COLUMN teaching TEXT NOT NULL DEFAULT '';
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            card INTEGER NOT NULL REFERENCES cards (id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            sibling INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            old_answer TEXT NOT NULL,
            new_answer TEXT NOT NULL,
            shown_ms INTEGER
        );
        CREATE INDEX corrections_card ON corrections (card, time_ms);
        """
    )
    notes = db.execute("SELECT deck_id, card_id, type, body FROM notes").fetchall()
    db.conn.executemany(
        "UPDATE notes SET teaching = ? WHERE deck_id = ? AND card_id = ?",
        [
            (fingerprint(Card(deck_id, card_id, (), "", note_from_json(kind, body)[0])), deck_id, card_id)
            for deck_id, card_id, kind, body in notes
        ],
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    m001_initial,
    m002_quiz,
    m003_attempts,
    m004_corrections,
)
"""In order; a new migration is appended, never inserted or edited once released."""
SCHEMA_VERSION = len(MIGRATIONS)


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """The names of the migrations applied to a database, or None if it has no migration table."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone()
    if exists is None:
        return None
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", (MIGRATION_SET,)
        )
    ]


def apply_migrations(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations, each in its own transaction (sqlite-utils ``Migrations``)."""
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        migrations()(migration)
    migrations.apply(sqlite_utils.Database(conn))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # for tools that look there
