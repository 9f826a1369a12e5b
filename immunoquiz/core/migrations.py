"""The database schema: forward migrations, recorded as sqlite-utils records them.

A migration of plain SQL runs with the standard library alone; sqlite-utils
(about 65 ms to import) is imported only for a migration that needs its table
helpers. An up-to-date database is checked with one query, and a new one is
created without sqlite-utils, which keeps start-up fast.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

MIGRATION_SET = "immunoquiz"

# The table and index sqlite-utils' ``Migrations`` creates, so that either can apply the next migration.
_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
"""


@dataclass(frozen=True, slots=True)
class Migration:
    """One forward step of the schema.

    Attributes:
        name: Its name in ``_sqlite_migrations`` (never changed once released).
        step: A script of plain SQL; or a function of a sqlite-utils
            ``Database``, for a step that needs its helpers (such as
            ``Table.transform`` to rebuild a table).
        functions: SQL functions a script calls, by name: values only Python
            can work out, such as columns read from a note's stored JSON.
    """

    name: str
    step: str | Callable[[sqlite_utils.Database], None]
    functions: tuple[tuple[str, Callable[..., str | int | float | None]], ...] = ()


M001_INITIAL = """
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


# Quiz attempts and their questions (see ``core.quiz_store``).
M002_QUIZ = """
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


# Incomplete attempts, near misses, and the learner's id for exports (see ``core.quiz_store``).
# Attempts saved before this migration keep their scores: which of them were quit early cannot be
# told now, and none is guessed. The id is made once (a random UUID, version 4, from SQLite's
# randomness), so that every export of this database names the same learner.
M003_ATTEMPTS = """
ALTER TABLE quiz_attempts ADD COLUMN stopped_early INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quiz_questions ADD COLUMN almost INTEGER NOT NULL DEFAULT 0;
INSERT OR IGNORE INTO settings (key, value)
    SELECT 'learner_id', lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
        || substr('89ab', 1 + abs(random() % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12))
    FROM (SELECT hex(randomblob(16)) AS h);
"""


# The bodies of the two triggers that keep ``day_totals`` (m004; m009 puts them behind a test of the mark).
_COUNT_ANSWER = """\
    INSERT INTO day_totals VALUES (
        new.day, new.deck_id, new.mode, new.phase_before, 1, coalesce(new.duration_ms, 0),
        new.rating = 1, new.rating = 2, new.rating = 3, new.rating = 4,
        new.rating = 1 AND NOT new.mature, new.rating = 2 AND NOT new.mature,
        new.rating = 3 AND NOT new.mature, new.rating = 4 AND NOT new.mature
    ) ON CONFLICT DO UPDATE SET
        answers = answers + 1, duration_ms = duration_ms + excluded.duration_ms,
        again = again + excluded.again, hard = hard + excluded.hard,
        good = good + excluded.good, easy = easy + excluded.easy,
        young_again = young_again + excluded.young_again, young_hard = young_hard + excluded.young_hard,
        young_good = young_good + excluded.young_good, young_easy = young_easy + excluded.young_easy;
"""
_UNCOUNT_ANSWER = """\
    UPDATE day_totals SET
        answers = answers - 1, duration_ms = duration_ms - coalesce(old.duration_ms, 0),
        again = again - (old.rating = 1), hard = hard - (old.rating = 2),
        good = good - (old.rating = 3), easy = easy - (old.rating = 4),
        young_again = young_again - (old.rating = 1 AND NOT old.mature),
        young_hard = young_hard - (old.rating = 2 AND NOT old.mature),
        young_good = young_good - (old.rating = 3 AND NOT old.mature),
        young_easy = young_easy - (old.rating = 4 AND NOT old.mature)
    WHERE day = old.day AND deck_id = old.deck_id AND mode = old.mode AND phase_before = old.phase_before;
    DELETE FROM day_totals WHERE day = old.day AND deck_id = old.deck_id AND mode = old.mode
        AND phase_before = old.phase_before AND answers = 0;
"""


# The review log summed per study day, deck, mode and phase before (``rollup.DayTotals``), kept by
# triggers in each answer's own transaction: the stats read these few thousand rows, not the log.
M004_DAY_TOTALS = f"""
CREATE TABLE day_totals (
    day INTEGER NOT NULL,
    deck_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    phase_before INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    again INTEGER NOT NULL,
    hard INTEGER NOT NULL,
    good INTEGER NOT NULL,
    easy INTEGER NOT NULL,
    young_again INTEGER NOT NULL,
    young_hard INTEGER NOT NULL,
    young_good INTEGER NOT NULL,
    young_easy INTEGER NOT NULL,
    PRIMARY KEY (day, deck_id, mode, phase_before)
) WITHOUT ROWID;
INSERT INTO day_totals
    SELECT day, deck_id, mode, phase_before, count(*), coalesce(sum(duration_ms), 0),
        sum(rating = 1), sum(rating = 2), sum(rating = 3), sum(rating = 4),
        sum(rating = 1 AND NOT mature), sum(rating = 2 AND NOT mature),
        sum(rating = 3 AND NOT mature), sum(rating = 4 AND NOT mature)
    FROM reviews GROUP BY day, deck_id, mode, phase_before;
CREATE TRIGGER reviews_count AFTER INSERT ON reviews BEGIN
{_COUNT_ANSWER}END;
-- An undone answer: taken off its day's totals, and a group left with no answer removed.
CREATE TRIGGER reviews_uncount AFTER DELETE ON reviews BEGIN
{_UNCOUNT_ANSWER}END;
"""


# What each note teaches (``correction.fingerprint``), and the corrections learners are told of. Notes
# stored before have no fingerprint: the next sync of a changed deck compares their stored bodies
# sibling by sibling instead, so a missing fingerprint never makes a false correction.
M005_CORRECTIONS = """
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


# The deck files and folders a learner asked to keep (``immunoquiz decks add``): resolved, absolute paths,
# synced with the bundled decks on every start. Settings picked in the app live in ``settings``.
M006_REMEMBERED_DECKS = """
CREATE TABLE remembered_decks (
    path TEXT PRIMARY KEY,
    added_ms INTEGER NOT NULL
);
"""


# A deck's note (``Deck.note``), NULL for a deck without one. No deck is re-read for it: the reader refused
# a `note` key before, so a deck file that has one hashes unlike the version last synced, and is read again.
M007_DECK_NOTE = """
ALTER TABLE decks ADD COLUMN note TEXT;
"""

# What each note offers a quiz's distractor pool (``distractors.offered_answers``): its answers' kind (NULL:
# nothing) and its answers; and the keys of its answers that a near miss may never be
# (``grading.answer_keys``). A quiz then reads light rows, never the body of a card it does not ask, and
# the first typed answer of a run does not decode every card. The notes stored before are filled from
# their stored bodies, whatever their deck files hold now.
M008_QUIZ_COLUMNS = """
ALTER TABLE notes ADD COLUMN pool_kind TEXT;
ALTER TABLE notes ADD COLUMN pool_answers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE notes ADD COLUMN answer_keys TEXT NOT NULL DEFAULT '[]';
UPDATE notes SET pool_kind = m008_pool_kind(type, body), pool_answers = m008_pool_answers(type, body),
    answer_keys = m008_answer_keys(type, body);
CREATE INDEX notes_pool ON notes (deck_id, pool_kind, position) WHERE pool_kind IS NOT NULL;
-- A deck's notes listed in order, each tested for an active card, from these two indexes alone.
CREATE INDEX notes_order ON notes (deck_id, position, card_id);
CREATE INDEX cards_active ON cards (deck_id, card_id, retired);
"""

# The day totals kept only for the days before a mark, ``rolled_day``: the answers from that day on (about
# one study day's) are summed from the log when read (``review_query.day_sums``), so an answer of the day
# being studied writes no totals, only the mark's test. The first answer of another day moves the mark to
# its day in its own transaction (``Store.record_answer``). An answer inserted or deleted before the mark (an
# imported history, an undo after the day turned) is still counted at once. Until the first answer, every
# day is before the mark (the largest integer): the totals stay as m004 kept them.
M009_ROLLED_DAY = f"""
CREATE TABLE rolled_day (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day INTEGER NOT NULL
);
INSERT INTO rolled_day VALUES (1, 9223372036854775807);
DROP TRIGGER reviews_count;
DROP TRIGGER reviews_uncount;
CREATE TRIGGER reviews_count AFTER INSERT ON reviews WHEN new.day < (SELECT day FROM rolled_day) BEGIN
{_COUNT_ANSWER}END;
CREATE TRIGGER reviews_uncount AFTER DELETE ON reviews WHEN old.day < (SELECT day FROM rolled_day) BEGIN
{_UNCOUNT_ANSWER}END;
"""

# What decoding a damaged note raises: it keeps the defaults (it offers nothing), and reading it says so.
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, ArithmeticError)


@lru_cache(maxsize=1)  # each row's three columns, one decoding
def _note_columns(card_type: str, body: str) -> tuple[str | None, str, str]:
    from immunoquiz.core.distractors import pool_columns
    from immunoquiz.core.grading import answer_keys
    from immunoquiz.core.model import Card, encode_texts, note_from_json

    try:
        parsed, quiz = note_from_json(card_type, body)
    except _UNREADABLE:
        return None, "[]", "[]"
    card = Card("", "", (), (), parsed, quiz=quiz)
    return (*pool_columns(card), encode_texts(answer_keys(card)))


def _pool_kind(card_type: str, body: str) -> str | None:
    return _note_columns(card_type, body)[0]


def _pool_answers(card_type: str, body: str) -> str:
    return _note_columns(card_type, body)[1]


def _answer_keys(card_type: str, body: str) -> str:
    return _note_columns(card_type, body)[2]


MIGRATIONS = (
    Migration("m001_initial", M001_INITIAL),
    Migration("m002_quiz", M002_QUIZ),
    Migration("m003_attempts", M003_ATTEMPTS),
    Migration("m004_day_totals", M004_DAY_TOTALS),
    Migration("m005_corrections", M005_CORRECTIONS),
    Migration("m006_remembered_decks", M006_REMEMBERED_DECKS),
    Migration("m007_deck_note", M007_DECK_NOTE),
    Migration(
        "m008_quiz_columns",
        M008_QUIZ_COLUMNS,
        (("m008_pool_kind", _pool_kind), ("m008_pool_answers", _pool_answers), ("m008_answer_keys", _answer_keys)),
    ),
    Migration("m009_rolled_day", M009_ROLLED_DAY),
)
"""In order; a new migration is appended, never inserted or edited once released."""


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


def apply_migrations(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Apply the pending migrations in order, each in the same transaction as its record.

    Pending plain-SQL migrations in a row share one transaction (one commit
    to sync to disk instead of one each: a new database is made faster).

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``).
        migrations: The schema's migrations (tests pass others).
    """
    applied = set(applied_migrations(conn) or ())
    scripts: list[Migration] = []
    for migration in migrations:
        if migration.name in applied:
            continue
        if isinstance(migration.step, str):
            scripts.append(migration)
            continue
        _apply_scripts(conn, scripts)
        scripts = []
        _apply_with_sqlite_utils(conn, migration.name, migration.step)
    _apply_scripts(conn, scripts)
    conn.execute(f"PRAGMA user_version = {len(migrations)}")  # for tools that look there


def _apply_scripts(conn: sqlite3.Connection, scripts: Sequence[Migration]) -> None:
    """Run plain-SQL migrations and record them, all in one transaction."""
    if not scripts:
        return
    applied_at = str(datetime.now(UTC))  # sqlite-utils' format
    steps = "\n".join(
        f"{migration.step}\nINSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        f" VALUES ({_literal(MIGRATION_SET)}, {_literal(migration.name)}, {_literal(applied_at)});"
        for migration in scripts
    )
    functions = [function for migration in scripts for function in migration.functions]
    for name, function in functions:
        conn.create_function(name, -1, function, deterministic=True)
    # executescript commits any open transaction first, so the transaction is part of the script.
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{_MIGRATIONS_TABLE}\n{steps}\nCOMMIT;")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        for name, _ in functions:
            conn.create_function(name, -1, None)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _apply_with_sqlite_utils(
    conn: sqlite3.Connection, name: str, step: Callable[[sqlite_utils.Database], None]
) -> None:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    migrations(name=name)(step)
    migrations.apply(sqlite_utils.Database(conn))
