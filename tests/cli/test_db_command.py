"""Damaged values and pages found before they spread, `db check`, and backups: on request, daily, the last few kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.backups import BACKUPS_KEPT, backups, daily_backup, make_backup
from immunoquiz.core.store import DamagedFile, Store, open_store


def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "learner.db"
    assert invoke("stats", "--db", str(path))[0] == 0
    return path


def damage(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    conn.close()
    return int(count)


# Each damage, what it is found by (a command that reads that value), and where it is.
DAMAGES = {
    "a phase of 9": ("UPDATE cards SET phase = 9", "cards row "),
    "a card body that is not JSON": ("UPDATE notes SET body = '{\"front\": '", "notes row "),
    "options that are not JSON": (
        "INSERT INTO deck_options (deck_id, options) VALUES ('side-effects', 'not json')",
        "deck_options row side-effects",
    ),
    "a retention of NaN": (
        "INSERT INTO deck_options (deck_id, options) VALUES ('side-effects', '{\"desired_retention\": NaN}')",
        "deck_options row side-effects",
    ),
    "a rollover hour that is not a number": (
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('rollover_hour', 'four')",
        "settings row rollover_hour",
    ),
}


@pytest.mark.parametrize("case", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_value_is_one_line_naming_its_row_and_nothing_is_recorded(db: Path, case: str) -> None:
    sql, where = DAMAGES[case]
    damage(db, sql)
    # Study would not see a card of phase 9 (no queue takes it); the browser shows every card.
    probe = (
        ["browse", "deck:side-effects"]
        if where.startswith("cards")
        else ["review", "--plain", "--deck", "side-effects"]
    )
    code, _, err = invoke(*probe, "--db", str(db), stdin="\n3\n" * 3)
    assert code == 1
    assert err.count("\n") == 1 and f"damaged database: {where}" in err, err
    assert "run `immunoquiz db check`, then restore a backup" in err
    assert rows(db, "reviews") == 0
    code, out, _ = invoke("db", "check", "--db", str(db))
    assert code == 1 and where in out


def test_a_store_that_met_damage_writes_nothing_more(db: Path) -> None:
    damage(db, "UPDATE cards SET phase = 9 WHERE id = 1")
    store = open_store(db)
    with pytest.raises(Exception, match="damaged database: cards row 1") as raised:
        store.card(1)
    store.damaged = raised.value  # type: ignore[assignment]  # what the front ends do when they meet it
    with pytest.raises(Exception, match="damaged database"):
        store.set_setting("rollover_hour", "5")
    assert store.setting("rollover_hour", "4") == "4"


def test_db_check_passes_a_sound_database(db: Path) -> None:
    code, out, err = invoke("db", "check", "--db", str(db))
    assert (code, out) == (0, "")
    assert err == f"{db}: no problems\n"


def test_a_backup_on_request_then_one_a_day_and_the_last_few_kept(db: Path) -> None:
    # Opening it made today's backup; asking makes another.
    assert len(backups(db)) == 1
    code, out, _ = invoke("db", "backup", "--db", str(db))
    assert code == 0 and Path(out.strip()).exists()
    copy = sqlite3.connect(out.strip())
    assert copy.execute("SELECT count(*) FROM cards").fetchone() == (rows(db, "cards"),)
    copy.close()
    store = open_store(db)
    assert daily_backup(store, datetime.now(UTC).astimezone()) is None  # one a day
    for day in range(1, 12):
        made = daily_backup(store, datetime(2030, 1, day, 9, tzinfo=UTC))
        assert made is not None and made.name == f"learner-203001{day:02d}-090000.db"
    kept = backups(db)
    assert len(kept) == BACKUPS_KEPT and kept[-1].name == "learner-20300111-090000.db"
    assert make_backup(store, datetime(2030, 1, 11, 9, tzinfo=UTC)) == kept[-1]  # the same second: one backup
    store.close()
    code, out, _ = invoke("db", "backup", "--list", "--db", str(db))
    assert out.splitlines() == [str(p) for p in kept]


def hash_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command", [["stats"], ["review", "--plain"], ["options", "--new-per-day", "30"], ["db", "check"]]
)
def test_another_programs_database_is_refused_and_left_byte_for_byte(tmp_path: Path, command: list[str]) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.commit()
    conn.close()
    before = hash_of(other)
    code, _, err = invoke(*command, "--db", str(other))
    assert code == 1 and err.count("\n") == 1
    assert "is not an immunoquiz database (it holds other tables)" in err
    assert hash_of(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, -shm or backups


def test_a_newer_immunoquizs_database_is_refused_and_left_as_it_is(db: Path) -> None:
    damage(db, "PRAGMA user_version = 99")
    before = hash_of(db)
    code, _, err = invoke("options", "--new-per-day", "30", "--db", str(db))
    assert code == 1 and "was written by a newer immunoquiz (schema 99" in err and "upgrade immunoquiz" in err
    assert hash_of(db) == before


def test_an_upgrade_keeps_a_copy_of_the_database_as_it_was(tmp_path: Path) -> None:
    from immunoquiz.core.migrations import MIGRATIONS, apply_migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, MIGRATIONS[:-1])  # the release before the latest migration
    conn.close()
    store = open_store(path)
    store.close()
    (copy,) = backups(path)
    conn = sqlite3.connect(copy)
    names = [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert names == [m.name for m in MIGRATIONS[:-1]]
    store = open_store(path)  # up to date now: no second copy
    store.close()
    assert len(backups(path)) == 1


def wreck_page_of(path: Path, name: str) -> bytes:
    """Overwrite the root page of a table or index, as a disk fault would; the file's bytes after."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    (page,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * size : page * size] = b"\xff" * size
    path.write_bytes(bytes(data))
    return bytes(data)


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "immunoquiz", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


# Commands that write, and what they write: neither reads the quiz tables, so only SQLite's check sees their damage.
WRITERS = {
    "options": (["options", "--new-per-day", "30"], ""),
    "line-mode review": (["review", "--plain", "--deck", "side-effects"], "\n3\n" * 3),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_damage_in_pages_a_command_never_reads_stops_its_first_write(db: Path, writer: str) -> None:
    command, stdin = WRITERS[writer]
    wrecked = wreck_page_of(db, "sqlite_autoindex_quiz_questions_1")
    done = run_cli(*command, "--db", str(db), stdin=stdin)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f'immunoquiz: error: {db}: damaged database: SQLite finds "Page ')
    assert "run `immunoquiz db check`, then restore a backup" in done.stderr
    assert db.read_bytes() == wrecked
    # Reading still works where it can, and `db check` names the damage.
    assert run_cli("stats", "--db", str(db)).returncode == 0
    assert db.read_bytes() == wrecked
    code, out, _ = invoke("db", "check", "--db", str(db))
    assert code == 1 and "btreeInitPage() returns error code 11" in out


@pytest.mark.parametrize("writer", WRITERS)
def test_a_sound_database_is_written(db: Path, writer: str) -> None:
    command, stdin = WRITERS[writer]
    done = run_cli(*command, "--db", str(db), stdin=stdin)
    assert done.returncode == 0, done.stderr
    written = rows(db, "deck_options") if writer == "options" else rows(db, "reviews")
    assert written > 0


def test_a_malformed_page_met_mid_command_is_the_same_one_line(db: Path) -> None:
    # Line mode reads the corrections' index for every queue: SQLite raises, rather than the check finding it.
    wrecked = wreck_page_of(db, "corrections_card")
    done = run_cli("review", "--plain", "--db", str(db), stdin="\n3\n")
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert f'{db}: damaged database: SQLite finds "database disk image is malformed"' in done.stderr
    assert "run `immunoquiz db check`, then restore a backup" in done.stderr
    assert db.read_bytes() == wrecked


def test_the_quick_check_runs_once_and_refuses_every_write_after_damage(tmp_path: Path) -> None:
    path = tmp_path / "learner.db"
    open_store(path).close()
    # Without the check started at open, the first write runs it on the store's own connection, traced here.
    store = Store(sqlite3.connect(path, isolation_level=None), path)
    checks: list[str] = []
    store.conn.set_trace_callback(lambda sql: checks.append(sql) if "quick_check" in sql else None)
    store.set_setting("a", "1")
    store.set_setting("b", "2")
    assert checks == ["PRAGMA quick_check"]
    store.close()
    wrecked = wreck_page_of(path, "sqlite_autoindex_quiz_questions_1")
    store = open_store(path)
    assert store.setting("a", "") == "1"  # reading what is whole still works
    for _ in range(2):
        with pytest.raises(DamagedFile, match="damaged database: SQLite finds"):
            store.set_setting("a", "2")
    assert not store.sound()
    store.close()
    assert path.read_bytes() == wrecked


def test_a_damaged_database_is_not_backed_up_over_the_good_copies(db: Path) -> None:
    good = backups(db)
    wreck_page_of(db, "sqlite_autoindex_quiz_questions_1")
    store = open_store(db)
    assert daily_backup(store, datetime(2030, 1, 1, 9, tzinfo=UTC)) is None
    store.close()
    assert backups(db) == good
