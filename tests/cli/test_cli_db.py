"""Command-line options for the database, and bad databases refused in one line."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import ANNOUNCED_DECK_BYTES, announce_parse, cli
from immunoquiz.core import store as store_module
from tests.support.decks import basic_card


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def stats(*args: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    code, out, err = invoke("stats", "--json", *args, env=env)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_options_after_the_command_and_the_environment(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("mine", [basic_card("a")])
    db = tmp_path / "x.db"
    code, out, err = invoke(
        "review", "--plain", "--deck", "mine", "--db", str(db), "--decks", str(folder), stdin="\n3\n"
    )
    assert code == 0, err
    assert db.exists()
    assert stats("--db", str(db), "--decks", str(folder))["decks"]["mine"]["reviews"]["total"] == 1
    # The same options before the command name, and the database from IMMUNOQUIZ_DB.
    code, out, _ = invoke("--db", str(db), "--decks", str(folder), "stats", "--json")
    assert json.loads(out)["reviews"]["total"] == 1
    assert stats("--decks", str(folder), env={"IMMUNOQUIZ_DB": str(db)})["reviews"]["total"] == 1


def test_profiles_are_separate_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_deck: Callable[..., Path]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("IMMUNOQUIZ_DB", raising=False)
    folder = write_deck("mine", [basic_card("a")])
    invoke("review", "--plain", "--deck", "mine", "--profile", "ana", "--create", "--decks", str(folder), stdin="\n3\n")
    assert stats("--profile", "ana", "--decks", str(folder))["reviews"]["total"] == 1
    assert stats("--create", "--profile", "ben", "--decks", str(folder))["reviews"]["total"] == 0
    assert (tmp_path / "data" / "immunoquiz" / "profile-ana.db").exists()
    assert invoke("profiles")[1] == "ana\nben\n"


def test_a_profile_is_made_only_when_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert invoke("profiles")[1].startswith("No profile yet in ")
    err = one_line_error(["stats", "--profile", "ana"])
    assert err == "immunoquiz: error: --profile ana: no such profile (there is none yet); add --create to make it\n"
    assert invoke("--profile", "ana", "--create", "stats")[0] == 0
    err = one_line_error(["stats", "--profile", "ben"])
    assert "--profile ben: no such profile (profiles: ana); add --create to make it" in err
    assert not (tmp_path / "data" / "immunoquiz" / "profile-ben.db").exists()


@pytest.mark.parametrize("name", ["../../../tmp/x", "a/b", "Ana", "", "x" * 65, "ana\x1b[2J"])
def test_a_profile_name_is_a_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    err = one_line_error(["stats", "--profile", name, "--create"])
    assert "a profile name is 1 to 64 lower-case letters, digits, - or _" in err
    assert not (tmp_path / "data").exists()
    assert not (tmp_path / "tmp").exists()


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").write_text("a file where the user data folder would be\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("IMMUNOQUIZ_DB", raising=False)
    for args in (["stats"], ["--profile", "ana", "--create", "stats"]):
        assert one_line_error(args) == (
            f"immunoquiz: error: {tmp_path / 'data' / 'immunoquiz'}: cannot make the data folder (Not a directory):"
            " make sure its parent is a folder you can write to, or choose a database with --db\n"
        )
    assert (tmp_path / "data").read_text() == "a file where the user data folder would be\n"


def test_a_missing_folder_is_named_and_never_made(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "deep" / "x.db"
    err = one_line_error(["stats", "--db", str(db)])
    assert err == (
        f"immunoquiz: error: --db {db}: there is no folder {db.parent}: create it first, or choose another path\n"
    )
    code, _, err = invoke("stats", env={"IMMUNOQUIZ_DB": str(db)})
    assert code == 1 and f"IMMUNOQUIZ_DB={db}: there is no folder {db.parent}" in err
    assert not (tmp_path / "typo").exists()


def test_unknown_deck_and_tag_name_the_valid_ones(tmp_path: Path) -> None:
    code, _, err = invoke("review", "--plain", "--deck", "nope", "--db", str(tmp_path / "x.db"))
    assert code == 1 and "--deck nope: no such deck (decks: how-immunotherapy-works, checkpoint-inhibitors" in err
    code, _, err = invoke("review", "--plain", "--tag", "nope", "--db", str(tmp_path / "x.db"))
    assert code == 1 and err.startswith("immunoquiz: error: --tag nope: no card has this tag (tags: ")


def one_line_error(args: list[str]) -> str:
    code, out, err = invoke(*args)
    assert code != 0
    assert out == "" and err.count("\n") == 1 and err.startswith("immunoquiz: error: "), err
    return err


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"my precious notes, not a database\n" * 10)
    before = db.read_bytes()
    err = one_line_error(["stats", "--db", str(db)])
    assert str(db) in err and "not an SQLite database" in err
    assert db.read_bytes() == before and not (tmp_path / "notes.db-wal").exists()


def test_a_damaged_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "learner.db"
    assert invoke("stats", "--db", str(db))[0] == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cards'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    data[(page - 1) * size : page * size] = b"\xff" * size  # wreck the cards table
    db.write_bytes(bytes(data))
    err = one_line_error(["stats", "--db", str(db)])
    assert str(db) in err
    assert db.read_bytes() == bytes(data)


def test_another_programs_database_and_a_newer_schema_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    assert "not an immunoquiz database" in one_line_error(["stats", "--db", str(foreign)])
    newer = tmp_path / "newer.db"
    assert invoke("stats", "--db", str(newer))[0] == 0
    with sqlite3.connect(newer) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('immunoquiz', 'm999_future', '')"
        )
    err = one_line_error(["stats", "--db", str(newer)])
    assert "newer immunoquiz" in err
    with sqlite3.connect(newer) as conn:
        assert conn.execute("SELECT count(*) FROM _sqlite_migrations WHERE name = 'm999_future'").fetchone() == (1,)


def test_a_locked_database_gives_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "learner.db"
    assert invoke("stats", "--db", str(db))[0] == 0
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        err = one_line_error(["stats", "--db", str(db)])
        assert "locked" in err and str(db) in err
    finally:
        holder.execute("COMMIT")
        holder.close()


def test_a_folder_in_the_way_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert str(blocker) in one_line_error(["stats", "--db", str(blocker / "x.db")])
    (tmp_path / "dir.db").mkdir()
    assert "is not a file" in one_line_error(["stats", "--db", str(tmp_path / "dir.db")])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("size", "terminal", "told"),
    [
        (ANNOUNCED_DECK_BYTES, True, True),
        (ANNOUNCED_DECK_BYTES - 1, True, False),  # a small deck reads too fast to mention
        (ANNOUNCED_DECK_BYTES, False, False),  # scripts read stderr: no chatter there
    ],
)
def test_a_big_new_deck_is_announced_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, size: int, terminal: bool, told: bool
) -> None:
    stderr = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    announce_parse(Path("decks/big.yaml"), size)
    assert (
        stderr.getvalue() == "immunoquiz: reading decks/big.yaml (1.0 MB, new or changed since the last start)...\n"
    ) is told
    assert bool(stderr.getvalue()) is told


def test_a_deck_broken_while_in_use_keeps_its_cards_with_a_notice(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("mine", [basic_card("a"), basic_card("b")])
    common = ("--db", str(tmp_path / "x.db"), "--decks", str(folder))
    assert stats(*common)["decks"]["mine"]["cards"]["total"] == 2
    (folder / "mine.yaml").write_text("id: mine\ncards: [\n", encoding="utf-8")
    code, out, err = invoke("stats", "--json", *common)
    assert code == 0
    assert json.loads(out)["decks"]["mine"]["cards"]["total"] == 2
    assert "immunoquiz: Deck not loaded: " in err and "`immunoquiz check " in err
    assert "immunoquiz: Deck `mine` is studied as it was last read without errors, until its file is fixed" in err
