"""The learner's database: decks synced from YAML, card states and the review log.

SQLite through the standard library's ``sqlite3`` (sqlite-utils only for a
migration that needs it), in WAL mode with ``synchronous=FULL``: once an
answer's transaction commits it survives a crash or a power cut. Every write
that belongs together (a review's log row and the card's new state, say) is
one transaction, so it is recorded fully or not at all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from immunoquiz.core.answering import decide
from immunoquiz.core.backups import make_backup
from immunoquiz.core.clock import Clock, from_ms, implausible_clock, to_ms
from immunoquiz.core.correction import changes, fingerprint
from immunoquiz.core.deck_note import DeckNote
from immunoquiz.core.deckfiles import iter_deck_files, refusal
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.migrations import MIGRATIONS, applied_migrations, apply_migrations
from immunoquiz.core.model import JSON, Card, Deck, encode_texts, note_from_json, note_to_json, split_quotes
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.peek import remembered
from immunoquiz.core.schedule import MATURE_MS, CardState, Phase, relearn
from immunoquiz.core.studyday import DEFAULT_ROLLOVER_HOUR, ROLLOVER_SETTING, read_rollover_hour
from immunoquiz.core.text import visible

if TYPE_CHECKING:
    from immunoquiz.core.answering import Outcome
    from immunoquiz.core.source import SourceCache

BUSY_TIMEOUT_S = 5.0
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """A database that cannot be used, with a one-line message naming it."""


def usable_time(clock: Clock) -> datetime:
    """The clock's time, to schedule and record at; a broken clock is refused before anything is written.

    Raises:
        StoreError: The clock gives a time that cannot be right (see ``clock.implausible_clock``).
    """
    now = clock()
    problem = implausible_clock(now)
    if problem is not None:
        raise StoreError(problem)
    return now


_DAMAGE_FIX = (
    "nothing more is written to it: run `immunoquiz db check`, then restore a backup"
    " (see `immunoquiz db backup --list`)"
)


class DamagedDatabase(StoreError):
    """A file changed or damaged outside immunoquiz: once met, nothing more is written to it in this run."""


class DamagedValue(DamagedDatabase):
    """A stored value that cannot be read back: the file was changed or damaged outside immunoquiz.

    Args:
        table: The table holding it.
        row: Which row (its id or key).
        error: What reading it raised.
    """

    def __init__(self, table: str, row: object, error: Exception) -> None:
        super().__init__(f"damaged database: {table} row {row} cannot be read ({type(error).__name__}); {_DAMAGE_FIX}")
        self.table, self.row = table, row


class DamagedFile(DamagedDatabase):
    """Damage SQLite itself finds: its quick check fails, or a page it reads is malformed.

    Args:
        problems: What SQLite reports, one entry per problem (its first is quoted).
    """

    def __init__(self, problems: Sequence[str]) -> None:
        # SQLite's reports can span lines and start with the schema's name: the message stays one line.
        first = visible(" ".join(problems[0].removeprefix("*** in database main ***").split()))
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f'damaged database: SQLite finds "{first}"{more}; {_DAMAGE_FIX}')
        self.problems = tuple(problems)


def is_corruption(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because the file is malformed (``SQLITE_CORRUPT``), not busy, full or read-only."""
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_CORRUPT or "malformed" in str(exc)


# What decoding a damaged value raises: a bad enum, JSON, number or shape.
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, ArithmeticError)


def _rollover_hour(text: str) -> int:
    """The stored rollover hour.

    Raises:
        DamagedValue: It is not an hour.
    """
    try:
        return read_rollover_hour(text)
    except ValueError as exc:
        raise DamagedValue("settings", ROLLOVER_SETTING, exc) from None


def _undo_json(suspended: bool, leech: bool, buried: Sequence[CardRow]) -> str:
    return JSON.encode({"suspended": suspended, "leech": leech, "buried": [[s.id, s.buried_until] for s in buried]})


# Most answers bury nothing: their undo records are one of these four, encoded once.
_PLAIN_UNDO = {
    (suspended, leech): _undo_json(suspended, leech, ()) for suspended in (False, True) for leech in (False, True)
}


def _undo_record(suspended: bool, leech: bool, buried: Sequence[CardRow]) -> str:
    """A log row's undo record: the card's flags before the answer, and the siblings it buried as they were."""
    return _undo_json(suspended, leech, buried) if buried else _PLAIN_UNDO[suspended, leech]


def note_card(deck_id: str, card_id: str, values: Sequence[Any]) -> Card:
    """A deck card from its stored ``type, tags, quote, explain, body, line``.

    Raises:
        DamagedValue: A value cannot be read.
    """
    card_type, tags, quote, explain, body, line = values
    try:
        parsed, quiz = note_from_json(card_type, body)
        return Card(deck_id, card_id, tuple(json.loads(tags)), split_quotes(quote), parsed, explain, line, quiz)
    except _UNREADABLE as exc:
        raise DamagedValue("notes", f"{deck_id}/{card_id}", exc) from None


def describe_error(exc: sqlite3.Error | StoreError) -> str:
    """One line for people about a database failure, with the fix (a ``StoreError`` already is one)."""
    text = str(exc)
    if isinstance(exc, StoreError):
        return text
    if "locked" in text or "busy" in text:
        return f"{text}: another program holds it; close it and try again"
    if is_corruption(exc):
        return str(DamagedFile([text]))
    if "not a database" in text:
        return f"{text}: the file is damaged or is not an immunoquiz database; move it aside and try again"
    if "readonly" in text or "unable to open" in text:
        return f"{text}: check that the file and its folder are writable"
    if "disk is full" in text or "disk I/O error" in text:
        # A full disk or a file-size limit reaches SQLite as either, depending on where the write failed.
        return f"{text}: the disk may be full; free some space and try again"
    return text


@dataclass(frozen=True, slots=True)
class CardRow:
    """A card (one sibling) as stored, with its scheduling state."""

    id: int
    deck_id: str
    card_id: str
    sibling: int
    state: CardState
    suspended: bool
    leech: bool
    buried_until: int


class LoggedAnswer(NamedTuple):
    """One answer of the review log that moved its card's schedule (a tuple: logs are long).

    Attributes:
        card: The card's row id.
        deck_id: Its deck.
        time_ms: When it was given.
        day: The study day it was given on.
        rating: 1 Again to 4 Easy.
    """

    card: int
    deck_id: str
    time_ms: int
    day: int
    rating: int


class HistoryRow(NamedTuple):
    """One answer brought from another program, with the states the replay gave (``deck_import``).

    Attributes:
        card: The card's row id.
        deck_id: Its deck.
        time_ms: When it was given.
        day: The study day it was given on.
        rating: 1 Again to 4 Easy.
        duration_ms: How long it took.
        before: The card's state before it.
        after: The card's state after it.
    """

    card: int
    deck_id: str
    time_ms: int
    day: int
    rating: int
    duration_ms: int
    before: CardState
    after: CardState


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """A deck of this run, as the store knows it.

    Attributes:
        id: The deck's id.
        title: Its title.
        description: Its description.
        path: The deck file it was read from.
        cards: How many cards the file holds.
        note: Its note (``Deck.note``), if it has one.
    """

    id: str
    title: str
    description: str
    path: str
    cards: int
    note: str | None = None


@dataclass
class SyncReport:
    """What a deck sync did.

    Attributes:
        decks: Ids of the decks known in this run, in order.
        parsed: Ids of decks that changed and were read again.
        skipped: Ids of decks whose content hash was unchanged.
        kept: Ids of decks whose file now has errors or cannot be read: they
            are studied in their last good version until it is fixed.
        diagnostics: Problems of decks that could not be synced.
    """

    decks: list[str] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def notices(self) -> list[str]:
        """What a learner should know of this sync, one line each, as every front end shows it.

        A deck file that could not be loaded is named with its first error and the
        command that lists them all; a deck kept in its last good version says so.
        """
        first: dict[str, Diagnostic] = {}
        count: dict[str, int] = {}
        for diagnostic in self.diagnostics:
            first.setdefault(diagnostic.path, diagnostic)
            count[diagnostic.path] = count.get(diagnostic.path, 0) + 1
        lines = [
            f"Deck not loaded: {d.format()}"
            + (f" (and {count[path] - 1} more)" if count[path] > 1 else "")
            + f"; `immunoquiz check {path}` lists every problem"
            for path, d in first.items()
        ]
        lines += [
            f"Deck `{deck_id}` is studied as it was last read without errors, until its file is fixed"
            for deck_id in self.kept
        ]
        return [visible(line) for line in lines]

    def keep(self, previous: tuple[str, ...] | None) -> None:
        """Keep the deck a broken file held last time, if any, in its last good version."""
        if previous is not None and previous[0] not in self.decks:
            self.decks.append(previous[0])
            self.kept.append(previous[0])


_CARD_COLUMNS = (
    "id, deck_id, card_id, sibling, phase, step, stability, difficulty, due_ms, last_review_ms, lapses, reps,"
    " review_total, review_passed, suspended, leech, buried_until"
)
_CARD_COLUMN_COUNT = len(_CARD_COLUMNS.split(","))
# Deck files modified less than this long before a sync are "racy" (see Store.sync).
_RACY_NS = 2_000_000_000
_UNKNOWN_MTIME = -1
CARD_AND_NOTE_COLUMNS = (
    ", ".join(f"c.{name.strip()}" for name in _CARD_COLUMNS.split(","))
    + ", n.type, n.tags, n.quote, n.explain, n.body, n.line"
)
"""Columns to select from ``cards c JOIN notes n`` for ``card_and_note``."""
LOG_RATING_SUMS = (
    "sum(rating = 1), sum(rating = 2), sum(rating = 3), sum(rating = 4), sum(rating = 1 AND NOT mature),"
    " sum(rating = 2 AND NOT mature), sum(rating = 3 AND NOT mature), sum(rating = 4 AND NOT mature)"
)
"""The rating columns of ``day_totals`` (again ... young_easy), summed over ``reviews`` rows."""


def card_and_note(values: Sequence[Any]) -> tuple[CardRow, Card]:
    """A card and its deck card from a row of ``CARD_AND_NOTE_COLUMNS``."""
    card = _card_row(values[:_CARD_COLUMN_COUNT])
    return card, note_card(card.deck_id, card.card_id, values[_CARD_COLUMN_COUNT:])


def _card_row(row: Sequence[Any]) -> CardRow:
    # The columns of _CARD_COLUMNS: the state's fields sit between the phase and the flags.
    rowid, deck_id, card_id, sibling, phase, *state_fields, suspended, leech, buried = row
    try:
        state = CardState(Phase(phase), *state_fields)
    except _UNREADABLE as exc:
        raise DamagedValue("cards", rowid, exc) from None
    return CardRow(rowid, deck_id, card_id, sibling, state, bool(suspended), bool(leech), buried)


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's quick check of a whole file: its problems, one entry each (empty when sound)."""
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check") if row[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
        return [str(exc)]  # too wrecked even to be checked


class QuickCheck:
    """SQLite's quick check of a database file, run on a thread of its own before a run's first write.

    It reads the whole file (tens of milliseconds for 10,000 cards, more for
    100,000: see ``benchmarks/bench_quick_check.py``), so it runs on its own
    read-only connection while the learner reads (``Store.start_check``)
    rather than in the way of the first answer.

    Args:
        path: The database file.
    """

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._problems: list[str] | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._problems = _quick_check(self._conn)
        except sqlite3.Error:
            pass  # stopped, or it could not read: the store checks on its own connection instead
        finally:
            with self._lock:
                self._conn.close()

    def result(self) -> list[str] | None:
        """Wait for the check: the problems it found, or None if it could not run."""
        self._thread.join()
        return self._problems

    def stop(self) -> None:
        """End the check now (the run is over: nothing will be written)."""
        with self._lock:
            if self._thread.is_alive():
                self._conn.interrupt()
        self._thread.join()


class Store:
    """The open database of one learner.

    Args:
        conn: An open connection in autocommit mode (see ``open_store``).
        path: Its file, for messages (None when in memory).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.active_decks: list[str] = []
        # Set once damage is met: nothing more is written to a file known to be damaged.
        self.damaged: DamagedDatabase | None = None
        # SQLite's quick check passed on this connection (it runs once, before the first write).
        self._checked = False
        self._check: QuickCheck | None = None
        # The day-totals mark (``_roll_day_totals``) as this store last read or set it; another process may move
        # it, so it only spares reading it, and a stale value costs a missed roll-up, never a wrong total.
        self._rolled_day: int | None = None

    def start_check(self) -> None:
        """Start SQLite's quick check of the file on a thread, so that the first write seldom waits for it.

        Started when a write is coming, not at open: the check reads the whole
        file, and queries run beside it take several times as long (the home
        screen's counts 0.5 ms alone, 3 ms beside it, at 10,000 cards). The app
        starts it once its first screen is painted, line mode once its first
        card is printed, a quiz before its paper is made, a sync before it
        parses a changed deck. A write with no check started runs it first
        (``check_before_writing``).
        """
        if self.path is not None and self._check is None and not self._checked:
            # Without a read-only connection, the first write checks on the store's own.
            with contextlib.suppress(sqlite3.Error):
                self._check = QuickCheck(self.path)

    def close(self) -> None:
        """Close the database (checkpointing the WAL), ending its quick check if still running."""
        if self._check is not None:
            self._check.stop()
        self.conn.close()

    @contextmanager
    def write(self, *, before_commit: Callable[[], None] | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed or rolled back as a whole.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so that two
        processes answering at once wait for each other (up to the busy
        timeout) instead of failing on a read-to-write upgrade. The first
        write of a run waits for SQLite's quick check (``check_before_writing``).

        Args:
            before_commit: Called after the writes, just before the commit:
                work it starts on another thread runs while the commit
                waits on the disk (SQLite releases the GIL then). It must not raise.

        Raises:
            DamagedDatabase: The file is damaged: nothing is written.
        """
        self.check_before_writing()
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (a corrupt page, a full disk)
                    conn.execute("ROLLBACK")
                raise
            if before_commit is not None:
                before_commit()
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            # A malformed page met mid-write (the rollback undid the transaction): the file is damaged.
            self.damaged = DamagedFile([str(exc)])
            raise self.damaged from None

    def sound(self) -> bool:
        """Whether the file may be written: no damage met in this run, and SQLite's quick check passes."""
        try:
            self.check_before_writing()
        except DamagedDatabase:
            return False
        return True

    def file_problems(self) -> list[str]:
        """SQLite's quick check of the whole file: every page and record well formed, every table and index whole.

        It leaves out what ``integrity_check`` adds (index entries matching
        their rows), which makes it about as fast as reading the file.

        Returns:
            One entry per problem; empty when sound.
        """
        return _quick_check(self.conn)

    def check_before_writing(self) -> None:
        """Refuse to write into a damaged file: the first time in a run, SQLite's quick check decides.

        The check started by ``start_check`` is waited for; without one, it runs now.

        Raises:
            DamagedDatabase: Damage was met in this run, or the check finds some now.
        """
        if self.damaged is None and not self._checked:
            problems = self._check.result() if self._check is not None else None
            if problems is None:
                problems = self.file_problems()
            if problems:
                self.damaged = DamagedFile(problems)
            self._checked = True
        if self.damaged is not None:
            raise self.damaged

    # -- decks ---------------------------------------------------------

    def sync(
        self, paths: Iterable[Path], now: datetime, on_parse: Callable[[Path, int], None] | None = None
    ) -> SyncReport:
        """Bring the database in line with the deck files.

        A deck file with the size and modification time of last time is not
        read; one whose bytes hash as last time is not parsed. A changed
        deck is read and checked; if it has errors it is left as it was. Cards
        are matched by (deck id, card id, sibling): edited cards keep their
        history, removed ones are retired (hidden, history kept) and come back
        if re-added. An edit of what a studied card teaches (``correction``)
        is recorded as a correction and the card relearns, in the same
        transaction as the rest of its deck. Deck files are only ever read.

        Args:
            paths: Deck files and folders of deck files.
            now: The time of the sync.
            on_parse: Called with a deck file and its size in bytes before
                it is parsed (it is new or changed), to tell the learner why
                a start takes longer.

        Returns:
            What was done.
        """
        # The rows of a sync are rebuilt from the files if a power cut loses them, and WAL stays whole
        # without a disk sync per commit: the next answer's FULL commit makes them durable with it.
        (level,) = self.conn.execute("PRAGMA synchronous").fetchone()
        self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            return self._sync(paths, now, on_parse)
        finally:
            self.conn.execute(f"PRAGMA synchronous = {int(level)}")

    def _sync(self, paths: Iterable[Path], now: datetime, on_parse: Callable[[Path, int], None] | None) -> SyncReport:
        report = SyncReport()
        known = {
            path: (deck_id, digest, size, mtime)
            for deck_id, path, digest, size, mtime in self.conn.execute(
                "SELECT id, path, content_hash, file_size, file_mtime_ns FROM decks"
            )
        }
        sources: SourceCache | None = None
        paths = list(paths)
        folders = [p if p.is_dir() else p.parent for p in paths]
        for file in iter_deck_files(paths):
            try:
                stat = file.stat()
                previous = known.get(str(file.resolve()))
                # A file modified in the last moments could change again without
                # its modification time moving (timestamps can be as coarse as
                # 2 s): its time is not recorded, so the next sync hashes it.
                mtime = stat.st_mtime_ns if time.time_ns() - stat.st_mtime_ns > _RACY_NS else _UNKNOWN_MTIME
                # Same size and modification time: unchanged, without reading a byte.
                if (
                    previous is not None
                    and mtime != _UNKNOWN_MTIME
                    and (previous[2], previous[3]) == (stat.st_size, mtime)
                ) and previous[0] not in report.decks:
                    report.decks.append(previous[0])
                    report.skipped.append(previous[0])
                    continue
                refused = refusal(file, (file.parent, *folders), "the deck file")
                if refused is not None:
                    report.diagnostics.append(Diagnostic(str(file), 1, 1, "error", "unreadable", refused))
                    report.keep(previous)
                    continue
                data = file.read_bytes()
            except OSError as exc:
                report.diagnostics.append(
                    Diagnostic(
                        str(file), 1, 1, "error", "unreadable", f"cannot read the deck file: {exc.strerror or exc}"
                    )
                )
                report.keep(known.get(str(file.resolve())))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if previous is not None and previous[1] == digest and previous[0] not in report.decks:
                if (previous[2], previous[3]) != (stat.st_size, mtime):
                    with self.write() as conn:
                        conn.execute(
                            "UPDATE decks SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
                            (stat.st_size, mtime, previous[0]),
                        )
                report.decks.append(previous[0])
                report.skipped.append(previous[0])
                continue
            from immunoquiz.core.reader import read_deck  # only for a changed deck: YAML is slow to import
            from immunoquiz.core.source import SourceCache

            sources = sources or SourceCache(folders)
            # A changed deck will be written: the check runs while it is parsed.
            self.start_check()
            if on_parse is not None:
                on_parse(file, len(data))
            outcome = read_deck(file, str(file), sources, data, places=False)
            report.diagnostics.extend(d for d in outcome.diagnostics if d.severity == "error")
            deck = outcome.deck
            if deck is None:
                report.keep(previous)
                continue
            if deck.id in report.decks:
                report.diagnostics.append(
                    Diagnostic(
                        str(file),
                        1,
                        1,
                        "error",
                        "duplicate-deck-id",
                        f"deck id `{deck.id}` is already used by another deck file: this one is skipped",
                    )
                )
                continue
            self._save_deck(deck, now, stat.st_size, mtime)
            report.decks.append(deck.id)
            report.parsed.append(deck.id)
        self.active_decks = list(report.decks)
        return report

    def _save_deck(self, deck: Deck, now: datetime, size: int, mtime_ns: int) -> None:
        # Only for a changed deck: an unchanged start imports neither.
        from immunoquiz.core.distractors import pool_columns
        from immunoquiz.core.grading import answer_keys

        cards = {card.id: card for card in deck.cards}

        def notes(teaching: Mapping[str, str]) -> list[tuple[object, ...]]:
            return [
                (
                    deck.id,
                    card.id,
                    card.type,
                    encode_texts(card.tags),
                    card.quote,
                    card.explain,
                    note_to_json(card),
                    card.line,
                    position,
                    teaching.get(card.id, ""),
                    *pool_columns(card),
                    encode_texts(answer_keys(card)),
                )
                for position, card in enumerate(deck.cards)
            ]

        siblings = [
            (deck.id, card.id, sibling, position * 1000 + sibling)
            for position, card in enumerate(deck.cards)
            for sibling in card.siblings
        ]
        current = {(card_id, sibling) for _, card_id, sibling, _ in siblings}
        with self.write() as conn:
            conn.execute(
                """INSERT INTO decks (id, title, description, note, path, source, content_hash, file_size,
                   file_mtime_ns, card_count, synced_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
                   note = excluded.note, path = excluded.path, source = excluded.source,
                   content_hash = excluded.content_hash,
                   file_size = excluded.file_size, file_mtime_ns = excluded.file_mtime_ns,
                   card_count = excluded.card_count, synced_ms = excluded.synced_ms""",
                (
                    deck.id,
                    deck.title,
                    deck.description,
                    deck.note,
                    str(deck.path.resolve()),
                    "" if deck.source is None else str(deck.source.resolve()),
                    deck.content_hash,
                    size,
                    mtime_ns,
                    len(deck.cards),
                    to_ms(now),
                ),
            )
            insert_notes = (
                "INSERT INTO notes (deck_id, card_id, type, tags, quote, explain, body, line, position, teaching,"
                " pool_kind, pool_answers, answer_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            insert_cards = "INSERT INTO cards (deck_id, card_id, sibling, position) VALUES (?, ?, ?, ?)"
            if conn.execute("SELECT 1 FROM notes WHERE deck_id = ? LIMIT 1", (deck.id,)).fetchone() is None:
                # A deck seen for the first time: plain inserts, nothing to match or retire. Its fingerprints
                # wait for its first edit (an empty one only means comparing the stored bodies then).
                conn.executemany(insert_notes, notes({}))
                conn.executemany(insert_cards, siblings)
                return
            teaching = {card.id: fingerprint(card) for card in deck.cards}
            # Read before the notes are overwritten: the stored version of each card whose teaching moved.
            edited = [
                (Card(deck.id, card_id, (), (), note_from_json(kind, body)[0]), cards[card_id])
                for card_id, kind, body, taught in conn.execute(
                    "SELECT card_id, type, body, teaching FROM notes WHERE deck_id = ?", (deck.id,)
                )
                if card_id in cards and taught != teaching[card_id]
            ]
            conn.executemany(
                insert_notes
                + """ ON CONFLICT (deck_id, card_id) DO UPDATE SET type = excluded.type,
                   tags = excluded.tags, quote = excluded.quote, explain = excluded.explain, body = excluded.body,
                   line = excluded.line, position = excluded.position, teaching = excluded.teaching,
                   pool_kind = excluded.pool_kind, pool_answers = excluded.pool_answers,
                   answer_keys = excluded.answer_keys""",
                notes(teaching),
            )
            conn.executemany(
                insert_cards + " ON CONFLICT (deck_id, card_id, sibling) DO UPDATE SET position = excluded.position,"
                " retired = 0",
                siblings,
            )
            stale = [
                (rowid,)
                for rowid, card_id, sibling in conn.execute(
                    "SELECT id, card_id, sibling FROM cards WHERE deck_id = ? AND retired = 0", (deck.id,)
                )
                if (card_id, sibling) not in current
            ]
            conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", stale)
            if edited:
                self._correct(conn, deck.id, edited, now)

    def _correct(
        self, conn: sqlite3.Connection, deck_id: str, edited: Sequence[tuple[Card, Card]], now: datetime
    ) -> None:
        """Record the corrections of edited cards and relearn their studied siblings (inside the sync's transaction).

        A sibling never studied (still new) changes silently. Each correction
        is its own row, never a review: the log holds only the learner's answers.
        """
        options = self.deck_options(deck_id)
        at_ms = to_ms(now)
        for old, new in edited:
            for change in changes(old, new):
                card = self.find_card(deck_id, new.id, change.sibling)
                if card.state.phase == Phase.NEW:
                    continue
                state = relearn(card.state, now, options, card.id)
                self._set_state(conn, card.id, state, card.suspended, card.leech)
                conn.execute(
                    """INSERT INTO corrections (card, deck_id, card_id, sibling, time_ms, old_answer, new_answer)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (card.id, deck_id, new.id, change.sibling, at_ms, change.old_answer, change.new_answer),
                )

    def decks(self) -> list[DeckInfo]:
        """The decks known in this run, in order, with title and path."""
        rows = {
            row[0]: row for row in self.conn.execute("SELECT id, title, description, path, card_count, note FROM decks")
        }
        return [DeckInfo(*rows[deck_id]) for deck_id in self.active_decks if deck_id in rows]

    def deck_notes(self, deck_ids: Sequence[str]) -> dict[str, DeckNote]:
        """The notes of some decks, by deck id (decks without a note left out)."""
        marks = ",".join("?" * len(deck_ids))
        return {
            deck_id: DeckNote(deck_id, title, note)
            for deck_id, title, note in self.conn.execute(
                f"SELECT id, title, note FROM decks WHERE id IN ({marks}) AND note IS NOT NULL", list(deck_ids)
            )
        }

    # -- cards ---------------------------------------------------------

    def card(self, rowid: int) -> CardRow:
        """One card by row id."""
        row = self.conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards WHERE id = ?", (rowid,)).fetchone()
        if row is None:
            raise KeyError(rowid)
        return _card_row(row)

    def cards_with_notes(self, rowids: Sequence[int]) -> dict[int, tuple[CardRow, Card]]:
        """Several cards and their deck cards in one query (the queue reads ahead with it)."""
        marks = ",".join("?" * len(rowids))
        rows = self.conn.execute(
            f"SELECT {CARD_AND_NOTE_COLUMNS} FROM cards c"
            f" JOIN notes n ON n.deck_id = c.deck_id AND n.card_id = c.card_id WHERE c.id IN ({marks})",
            list(rowids),
        )
        found = (card_and_note(row) for row in rows)
        return {card.id: (card, note) for card, note in found}

    def note(self, deck_id: str, card_id: str) -> Card:
        """The deck card behind a stored card, as last synced."""
        row = self.conn.execute(
            "SELECT type, tags, quote, explain, body, line FROM notes WHERE deck_id = ? AND card_id = ?",
            (deck_id, card_id),
        ).fetchone()
        if row is None:
            raise KeyError((deck_id, card_id))
        return note_card(deck_id, card_id, row)

    def known_answers(self, deck_ids: Sequence[str]) -> frozenset[str]:
        """``grading.known_answers`` of every deck card of some decks (retired ones too), from the keys kept at sync."""
        marks = ",".join("?" * len(deck_ids))
        rows = self.conn.execute(
            f"SELECT DISTINCT k.value FROM notes n, json_each(n.answer_keys) k WHERE n.deck_id IN ({marks})",
            list(deck_ids),
        )
        return frozenset(key for (key,) in rows)

    def find_card(self, deck_id: str, card_id: str, sibling: int = 0) -> CardRow:
        """One card by its deck id, card id and sibling."""
        row = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE deck_id = ? AND card_id = ? AND sibling = ?",
            (deck_id, card_id, sibling),
        ).fetchone()
        if row is None:
            raise KeyError((deck_id, card_id, sibling))
        return _card_row(row)

    def siblings_of(self, card: CardRow) -> list[CardRow]:
        """The other active siblings of a card."""
        rows = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE deck_id = ? AND card_id = ? AND sibling != ? AND retired = 0",
            (card.deck_id, card.card_id, card.sibling),
        )
        return [_card_row(r) for r in rows]

    def deck_path(self, deck_id: str) -> str:
        """Where a deck was read from."""
        row = self.conn.execute("SELECT path FROM decks WHERE id = ?", (deck_id,)).fetchone()
        return str(row[0]) if row else ""

    def deck_sources(self, deck_ids: Sequence[str]) -> dict[str, str]:
        """The source document of each of some decks, by deck id (unknown and unsourced decks left out)."""
        marks = ",".join("?" * len(deck_ids))
        return dict(
            self.conn.execute(f"SELECT id, source FROM decks WHERE id IN ({marks}) AND source != ''", list(deck_ids))
        )

    def cards_where(self, where: str, params: Sequence[object] = ()) -> list[CardRow]:
        """Active cards of the decks in this run matching an SQL condition on ``cards``."""
        decks = self.active_decks
        marks = ",".join("?" * len(decks))
        rows = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE retired = 0 AND deck_id IN ({marks}) AND ({where})"
            " ORDER BY deck_id, position",
            [*decks, *params],
        )
        return [_card_row(r) for r in rows]

    # -- answers -------------------------------------------------------

    def record_answer(
        self,
        outcome: Outcome,
        also: Callable[[sqlite3.Connection], None] | None = None,
        *,
        told_at: datetime | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> tuple[int, Outcome]:
        """Record one answer: the log row, the card's new state and flags, its buried siblings, all or nothing.

        The card's row is written only if its repetition count is still the
        one ``outcome`` was decided from (no extra query on the common path).
        If another process answered it meanwhile, it is read again inside
        this transaction (the write lock is held, so it cannot change again)
        and the answer decided anew from its newer state.

        Args:
            outcome: The answer and what it does (``answering.decide``).
            also: Another write that belongs with the answer (a quiz's mark),
                made in the same transaction.
            told_at: When the card was shown with the notice of its
                corrections (``untold_corrections``): they are marked told with the answer.
            meanwhile: Work to start just before the commit (``write``'s ``before_commit``).

        Returns:
            The review's id (for undo) and the outcome recorded.
        """
        with self.write(before_commit=meanwhile) as conn:
            if also is not None:
                also(conn)
            if outcome.changes_card and not self._write_outcome(conn, outcome, guarded=True):
                # Answered in another window meanwhile: decide from its newer state.
                card = self.card(outcome.card.id)
                # The siblings are read again only if the first decision buried some.
                siblings = self.siblings_of(card) if outcome.bury else ()
                outcome = decide(card, outcome.response, outcome.options, siblings)
                self._write_outcome(conn, outcome, guarded=False)
            card, response = outcome.card, outcome.response
            if response.day != self._rolled_day:  # the first answer of a day in this store: the mark may move
                _roll_day_totals(conn, response.day)
            interval = card.state.interval_ms
            cursor = conn.execute(
                """INSERT INTO reviews (card, deck_id, time_ms, day, rating, duration_ms, answer, correct, mode,
                   phase_before, interval_before_ms, mature, state_before, state_after, undo)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    card.id,
                    card.deck_id,
                    to_ms(response.at),
                    response.day,
                    int(response.rating),
                    response.duration_ms,
                    response.answer,
                    None if response.correct is None else int(response.correct),
                    response.mode,
                    int(card.state.phase),
                    interval,
                    int(interval is not None and interval >= MATURE_MS),
                    card.state.to_json(),
                    outcome.state.to_json(),
                    _undo_record(card.suspended, card.leech, outcome.bury),
                ),
            )
            if outcome.bury:
                conn.executemany(
                    "UPDATE cards SET buried_until = ? WHERE id = ?", [(outcome.bury_until, s.id) for s in outcome.bury]
                )
            if told_at is not None:
                conn.execute(
                    "UPDATE corrections SET shown_ms = ? WHERE card = ? AND shown_ms IS NULL", (to_ms(told_at), card.id)
                )
            review_id = cursor.lastrowid
        self._rolled_day = response.day  # committed
        assert review_id is not None
        return review_id, outcome

    def _write_outcome(self, conn: sqlite3.Connection, outcome: Outcome, *, guarded: bool) -> bool:
        """Write an outcome's card state and flags; guarded, only if the card is still as it was read."""
        card = outcome.card
        return self._set_state(
            conn,
            card.id,
            outcome.state,
            outcome.suspended,
            outcome.leech,
            expect_reps=card.state.reps if guarded else None,
        )

    def schedule_answers(self, decks: Sequence[str]) -> Iterator[LoggedAnswer]:
        """The answers that moved the schedule of these decks' cards, card by card in time order.

        Cram answers are left out (they do not touch the schedule); quiz
        answers are in the log only when the quiz was set to move it. They are
        read as they are used: a long log is not held in memory twice.
        """
        marks = ",".join("?" * len(decks))
        rows = self.conn.execute(
            f"SELECT card, deck_id, time_ms, day, rating FROM reviews WHERE deck_id IN ({marks}) AND mode != 'cram'"
            " ORDER BY card, time_ms, id",
            list(decks),
        )
        return map(LoggedAnswer._make, rows)

    def last_answer_time(self) -> datetime | None:
        """When the newest answer was recorded (by insertion, so one index step), or None before any."""
        row = self.conn.execute("SELECT time_ms FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else from_ms(row[0])

    def untold_corrections(self, decks: Sequence[str]) -> dict[int, datetime]:
        """The cards of these decks with corrections not yet told to the learner, and when the last was made."""
        marks = ",".join("?" * len(decks))
        rows = self.conn.execute(
            f"SELECT card, max(time_ms) FROM corrections WHERE shown_ms IS NULL AND deck_id IN ({marks}) GROUP BY card",
            list(decks),
        )
        return {card: from_ms(time_ms) for card, time_ms in rows}

    def correction_times(self, decks: Sequence[str]) -> dict[int, list[int]]:
        """When each corrected card of these decks was corrected (epoch ms, in order), by card row id."""
        marks = ",".join("?" * len(decks))
        times: dict[int, list[int]] = {}
        for card, time_ms in self.conn.execute(
            f"SELECT card, time_ms FROM corrections WHERE deck_id IN ({marks}) ORDER BY card, time_ms, id", list(decks)
        ):
            times.setdefault(card, []).append(time_ms)
        return times

    @staticmethod
    def _set_state(
        conn: sqlite3.Connection,
        rowid: int,
        state: CardState,
        suspended: bool,
        leech: bool,
        expect_reps: int | None = None,
    ) -> bool:
        """Write a card's state; with ``expect_reps``, only if its repetition count is still that."""
        guard = "" if expect_reps is None else " AND reps = ?"
        cursor = conn.execute(
            f"""UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, last_review_ms = ?,
               lapses = ?, reps = ?, review_total = ?, review_passed = ?, suspended = ?, leech = ?
               WHERE id = ?{guard}""",
            (
                int(state.phase),
                state.step,
                state.stability,
                state.difficulty,
                state.due_ms,
                state.last_review_ms,
                state.lapses,
                state.reps,
                state.review_total,
                state.review_passed,
                int(suspended),
                int(leech),
                rowid,
                *(() if expect_reps is None else (expect_reps,)),
            ),
        )
        return cursor.rowcount == 1

    def replace_states(self, states: Mapping[int, CardState]) -> int:
        """Write cards' scheduling states in one transaction (suspended, leech and buried marks stay).

        Each is written only if the card's repetition count is still the
        state's own, so that an answer given meanwhile elsewhere is never lost.

        Returns:
            How many cards were written.
        """
        with self.write() as conn:
            written = 0
            for rowid, state in states.items():
                cursor = conn.execute(
                    """UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?,
                       last_review_ms = ?, lapses = ?, review_total = ?, review_passed = ? WHERE id = ? AND reps = ?""",
                    (
                        int(state.phase),
                        state.step,
                        state.stability,
                        state.difficulty,
                        state.due_ms,
                        state.last_review_ms,
                        state.lapses,
                        state.review_total,
                        state.review_passed,
                        rowid,
                        state.reps,
                    ),
                )
                written += cursor.rowcount
        return written

    def add_history(self, rows: Sequence[HistoryRow], states: Mapping[int, CardState]) -> set[int]:
        """Write answers given elsewhere to the log, and their cards' states, in one transaction.

        A card that already has answers here is left alone (its rows are not
        written), so that a history is never brought in twice. The rows are
        logged as study logs them, in mode ``review``, with an empty undo.

        Args:
            rows: The answers, each with the card's state before and after it.
            states: The state each card ends in.

        Returns:
            The row ids of the cards written.
        """
        undo = _undo_record(False, False, ())
        with self.write() as conn:
            cards = sorted(states)
            marks = ",".join("?" * len(cards))
            answered = {
                card for (card,) in conn.execute(f"SELECT DISTINCT card FROM reviews WHERE card IN ({marks})", cards)
            }
            written = set(cards) - answered
            conn.executemany(
                """INSERT INTO reviews (card, deck_id, time_ms, day, rating, duration_ms, mode, phase_before,
                   interval_before_ms, mature, state_before, state_after, undo)
                   VALUES (?, ?, ?, ?, ?, ?, 'review', ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        row.card,
                        row.deck_id,
                        row.time_ms,
                        row.day,
                        row.rating,
                        row.duration_ms,
                        int(row.before.phase),
                        row.before.interval_ms,
                        int(row.before.interval_ms is not None and row.before.interval_ms >= MATURE_MS),
                        row.before.to_json(),
                        row.after.to_json(),
                        undo,
                    )
                    for row in rows
                    if row.card in written
                ],
            )
            for card in written:
                self._set_state(conn, card, states[card], suspended=False, leech=False)
        return written

    def undo_review(self, review_id: int) -> int:
        """Undo one answer: restore the card and its siblings, delete the log row.

        Args:
            review_id: The id ``record_answer`` returned.

        Returns:
            The row id of the card, to show it again.
        """
        with self.write() as conn:
            row = conn.execute("SELECT card, state_before, undo FROM reviews WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise KeyError(review_id)
            card_id, before, undo_json = row
            undo = json.loads(undo_json)
            self._set_state(conn, card_id, CardState.from_json(before), undo["suspended"], undo["leech"])
            conn.executemany("UPDATE cards SET buried_until = ? WHERE id = ?", [(b, i) for i, b in undo["buried"]])
            conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        return int(card_id)

    def set_suspended(self, rowid: int, suspended: bool) -> None:
        """Suspend or unsuspend a card by hand."""
        self.set_suspended_many([rowid], suspended)

    def set_suspended_many(self, rowids: Sequence[int], suspended: bool) -> None:
        """Suspend or unsuspend cards by hand, all in one transaction."""
        with self.write() as conn:
            conn.executemany("UPDATE cards SET suspended = ? WHERE id = ?", [(int(suspended), r) for r in rowids])

    def bury(self, rowid: int, until_day: int) -> None:
        """Bury a card by hand until study day ``until_day``."""
        with self.write() as conn:
            conn.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (until_day, rowid))

    def deck_options(self, deck_id: str) -> DeckOptions:
        """A deck's study options (the defaults until the learner changes them)."""
        row = self.conn.execute("SELECT options FROM deck_options WHERE deck_id = ?", (deck_id,)).fetchone()
        if row is None:
            return DeckOptions()
        try:
            return DeckOptions.from_dict(json.loads(row[0]))
        except _UNREADABLE as exc:
            raise DamagedValue("deck_options", deck_id, exc) from None

    def set_deck_options(self, deck_id: str, options: DeckOptions) -> None:
        """Store a deck's study options."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO deck_options (deck_id, options) VALUES (?, ?)"
                " ON CONFLICT (deck_id) DO UPDATE SET options = excluded.options",
                (deck_id, JSON.encode(options.to_dict())),
            )

    def setting(self, key: str, default: str) -> str:
        """A collection-wide setting, such as the study day's rollover hour."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def rollover_hour(self) -> int:
        """The local hour the learner's study days start.

        Raises:
            DamagedValue: The stored value is not an hour.
        """
        return _rollover_hour(self.setting(ROLLOVER_SETTING, str(DEFAULT_ROLLOVER_HOUR)))

    def set_setting(self, key: str, value: str) -> None:
        """Store a collection-wide setting."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def remembered_decks(self) -> list[Path]:
        """The deck files and folders the learner asked to keep, in the order they were added."""
        return remembered(self.conn)

    def remember_decks(self, path: Path, now: datetime) -> bool:
        """Keep a deck file or folder (a resolved, absolute path) for every later run.

        Returns:
            Whether it was added (False: it was remembered already).
        """
        with self.write() as conn:
            cursor = conn.execute(
                "INSERT INTO remembered_decks (path, added_ms) VALUES (?, ?) ON CONFLICT (path) DO NOTHING",
                (str(path), to_ms(now)),
            )
        return cursor.rowcount == 1

    def forget_decks(self, path: Path) -> bool:
        """Stop keeping a deck file or folder; its decks' cards and history stay in the database.

        Returns:
            Whether it was remembered.
        """
        with self.write() as conn:
            cursor = conn.execute("DELETE FROM remembered_decks WHERE path = ?", (str(path),))
        return cursor.rowcount == 1

    # -- health --------------------------------------------------------

    def problems(self) -> list[str]:
        """What is wrong with the file: SQLite's own integrity and foreign-key checks, then every stored value
        read back as the app reads it (card states, deck cards, options).

        Returns:
            One line per problem, naming the table and the row; empty when sound.
        """
        try:
            found = [f"integrity: {row[0]}" for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            # The full check stops at some wrecked pages that the quick one still reports page by page.
            return [f"integrity: {problem}" for problem in self.file_problems()] or [f"integrity: {exc}"]
        found += [
            f"{table} row {rowid}: refers to a missing {parent} row"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]
        readers: list[Callable[[], object]] = [
            functools.partial(_card_row, row) for row in self.conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards")
        ]
        readers += [
            functools.partial(note_card, deck_id, card_id, values)
            for deck_id, card_id, *values in self.conn.execute(
                "SELECT deck_id, card_id, type, tags, quote, explain, body, line FROM notes"
            )
        ]
        readers += [
            functools.partial(self.deck_options, deck_id)
            for (deck_id,) in self.conn.execute("SELECT deck_id FROM deck_options")
        ]
        readers += [
            functools.partial(_rollover_hour, value)
            for (value,) in self.conn.execute("SELECT value FROM settings WHERE key = ?", (ROLLOVER_SETTING,))
        ]
        for read in readers:
            try:
                read()
            except DamagedValue as exc:
                found.append(f"{exc.table} row {exc.row}: cannot be read")
        return found

    def backup(self, destination: Path) -> None:
        """Copy the database, as it is committed now, into a new file (SQLite's online backup).

        Args:
            destination: The copy's file; it must not exist yet.

        Raises:
            FileExistsError: The file exists.
        """
        with destination.open("xb"):
            pass  # claims the name: a backup never overwrites a file
        target = sqlite3.connect(destination)
        try:
            self.conn.backup(target)
        finally:
            target.close()

    def done_today(self, decks: Sequence[str], day: int) -> dict[str, tuple[int, int]]:
        """New cards introduced and review cards answered on a study day, per deck (decks with none left out)."""
        marks = ",".join("?" * len(decks))
        rows = self.conn.execute(
            "SELECT deck_id, sum(phase_before = 0), sum(phase_before = 2) FROM reviews"
            f" WHERE day = ? AND deck_id IN ({marks}) AND mode = 'review' GROUP BY deck_id",
            (day, *decks),
        )
        return {deck_id: (int(new), int(reviews)) for deck_id, new, reviews in rows}


def _roll_day_totals(conn: sqlite3.Connection, day: int) -> None:
    """Move the day-totals mark to a study day, inside a write transaction (the first answer of a new day does).

    ``day_totals`` holds exactly the log's answers of the days before the mark
    ``rolled_day`` (migration m009); the days from it on are summed from the
    log when read. The mark read here, under the write lock, decides what
    moves, so two processes moving it (or one moving it back, after a clock
    change) keep the totals exact: the days from the lower of the two marks
    are dropped from the totals, and those between the old mark and the new
    one summed into them from the log.

    Args:
        conn: The connection, in a write transaction.
        day: The new mark.
    """
    (mark,) = conn.execute("SELECT day FROM rolled_day").fetchone()
    if mark != day:
        conn.execute("DELETE FROM day_totals WHERE day >= ?", (min(mark, day),))
        conn.execute(
            "INSERT INTO day_totals SELECT day, deck_id, mode, phase_before, count(*), coalesce(sum(duration_ms), 0),"
            f" {LOG_RATING_SUMS} FROM reviews WHERE day >= ? AND day < ? GROUP BY day, deck_id, mode, phase_before",
            (mark, day),
        )
        conn.execute("UPDATE rolled_day SET day = ?", (day,))


def _identify(conn: sqlite3.Connection, label: str) -> list[str]:
    """Check, reading only, that a database is ours and not newer; the migrations it lacks.

    Raises:
        StoreError: Another program's database, or a newer immunoquiz's.
    """
    applied = applied_migrations(conn) or []
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not applied and tables - {"_sqlite_migrations"}:
        raise StoreError(f"{label} is not an immunoquiz database (it holds other tables): choose another --db")
    ours = [migration.name for migration in MIGRATIONS]
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if set(applied) - set(ours) or version > len(ours):
        raise StoreError(
            f"{label} was written by a newer immunoquiz (schema {max(len(applied), version)}, this one knows"
            f" {len(ours)}): upgrade immunoquiz to open it"
        )
    return [name for name in ours if name not in applied]


def open_store(path: Path | None = None, *, memory: bool = False, busy_timeout_s: float | None = None) -> Store:
    """Open (creating if needed) a learner's database and bring its schema up to date.

    A file that exists but is not an SQLite database, or holds another
    program's tables, or was written by a newer immunoquiz, is refused with a
    ``StoreError`` and left untouched.

    Args:
        path: The database file, in a folder that exists (none is created).
        memory: Use a fresh in-memory database instead (tests).
        busy_timeout_s: How long to wait for another process's write lock
            (default ``BUSY_TIMEOUT_S``).

    Returns:
        The open store.

    Raises:
        StoreError: The database cannot be used; the message names it and the fix.
    """
    if memory or path is None:
        # Autocommit, as for files: every transaction is opened explicitly.
        memory_conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        apply_migrations(memory_conn)
        return Store(memory_conn)
    label = str(path)
    try:
        if not path.parent.is_dir():
            raise StoreError(f"{label}: there is no folder {path.parent}: create it first, or choose another --db")
        if path.exists():
            if not path.is_file():
                raise StoreError(f"{label} is not a file: choose another --db")
            with path.open("rb") as handle:
                head = handle.read(16)
            if head and head != SQLITE_MAGIC:
                raise StoreError(f"{label} is not an SQLite database: move it aside or choose another --db")
    except OSError as exc:
        raise StoreError(f"{label}: {exc.strerror or exc}: check the path and its permissions") from None
    try:
        timeout = busy_timeout_s if busy_timeout_s is not None else BUSY_TIMEOUT_S
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # Nothing is written (not even the journal mode) until the file is known to be ours.
        pending = _identify(conn, label)
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        store = Store(conn, path)
        if pending:
            if len(pending) < len(MIGRATIONS):  # an upgrade, not a new database: check it and keep a copy first
                store.check_before_writing()
                _backup_before_upgrade(store, label)
            apply_migrations(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{label}: {describe_error(exc)}") from None
    return store


def _backup_before_upgrade(store: Store, label: str) -> None:
    try:
        make_backup(store, datetime.now().astimezone())
    except OSError as exc:
        raise StoreError(
            f"{label}: no backup could be made before upgrading its schema ({exc.strerror or exc}),"
            " so it is left as it is: free some space or check the folder's permissions"
        ) from None
