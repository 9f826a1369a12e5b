"""`immunoquiz decks`: deck folders remembered per profile, a missing one said, and shell completion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from immunoquiz.cli import cli
from tests.cli.test_cli_db import invoke, stats
from tests.support.decks import basic_card, deck_yaml


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of the test's own, with no IMMUNOQUIZ_DB."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("IMMUNOQUIZ_DB", raising=False)
    return tmp_path / "data" / "immunoquiz"


def deck_folder(root: Path, deck_id: str, tags: list[str] | None = None) -> Path:
    folder = root / deck_id
    folder.mkdir(parents=True, exist_ok=True)
    card = basic_card(f"{deck_id}-1", tags=tags or ["t"])
    (folder / f"{deck_id}.yaml").write_text(deck_yaml(deck_id, [card]), encoding="utf-8")
    return folder


def test_decks_are_remembered_for_each_profile_apart(tmp_path: Path) -> None:
    ana, ben = deck_folder(tmp_path, "ana-deck"), deck_folder(tmp_path, "ben-deck")
    code, out, err = invoke("--profile", "ana", "--create", "decks", "add", str(ana))
    assert (code, out) == (0, f"Remembered {ana.resolve()}: 1 deck loaded (ana-deck).\n"), err
    assert invoke("decks", "add", str(ben), "--profile", "ben", "--create")[0] == 0
    assert "ana-deck" in stats("--profile", "ana")["decks"] and "ben-deck" not in stats("--profile", "ana")["decks"]
    assert "ben-deck" in stats("--profile", "ben")["decks"] and "ana-deck" not in stats("--profile", "ben")["decks"]
    assert invoke("decks", "list", "--profile", "ana")[1] == f"{ana.resolve()}: 1 deck (ana-deck)\n"
    assert invoke("--profile", "ben", "decks", "list")[1] == f"{ben.resolve()}: 1 deck (ben-deck)\n"
    code, out, err = invoke("decks", "list")  # the default database remembers neither
    assert (code, out) == (0, "") and "No remembered decks" in err


def test_adding_what_is_not_a_deck_is_one_line_and_adding_twice_is_said(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for path, problem in [
        (tmp_path / "nowhere", "no such file or folder"),
        (tmp_path / "empty", "the folder holds no deck file"),
    ]:
        code, out, err = invoke("decks", "add", str(path))
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert err.startswith(f"immunoquiz: error: decks add {path}: {problem}")
    folder = deck_folder(tmp_path, "mine")
    assert invoke("decks", "add", str(folder))[0] == 0
    code, out, err = invoke("decks", "add", str(folder / ".." / "mine"))
    assert (code, out) == (0, "")
    assert err == f"immunoquiz: note: {folder.resolve()} is remembered already\n"


def test_a_missing_folder_is_said_once_per_command_and_its_cards_kept(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "mine")
    invoke("decks", "add", str(folder))
    code, _, err = invoke("review", "--plain", "--deck", "mine", stdin="\n3\n")
    assert code == 0, err
    moved = shutil.move(folder, tmp_path / "away")
    code, out, err = invoke("stats", "--json")
    assert code == 0 and "mine" not in json.loads(out)["decks"]
    assert err.count("Remembered decks not found") == 1 and err.count("\n") == 1
    assert f"Remembered decks not found: {folder.resolve()}; their cards and history are kept" in err
    assert invoke("decks", "list")[1] == f"{folder.resolve()}: missing (its cards are kept)\n"
    code, _, err = invoke("check")
    assert "Remembered decks not found" in err
    shutil.move(moved, folder)
    figures = stats()["decks"]["mine"]
    assert figures["reviews"]["total"] == 1 and figures["cards"]["new"] == 0


def test_remove_forgets_by_path_or_deck_id_and_keeps_the_history(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "mine")
    invoke("decks", "add", str(folder))
    invoke("review", "--plain", "--deck", "mine", stdin="\n3\n")
    code, out, err = invoke("decks", "remove", "mine")
    assert code == 0 and out.startswith(f"Forgot {folder.resolve()}: its cards and history are kept"), err
    assert "mine" not in stats()["decks"]
    code, _, err = invoke("decks", "remove", str(folder))
    assert code == 1 and "not a remembered deck file, folder or deck id (remembered: none)" in err
    invoke("decks", "add", str(folder))
    assert stats()["decks"]["mine"]["reviews"]["total"] == 1


def test_every_command_uses_the_remembered_decks(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "mine")
    bundled = json.loads(invoke("check", "--format", "json")[1])["files"]
    invoke("decks", "add", str(folder))
    code, out, err = invoke("check", "--format", "json")
    assert code == 0 and json.loads(out)["files"] == bundled + 1, err
    code, out, err = invoke("export", "mine", "--format", "csv", "-o", str(tmp_path / "mine.csv"))
    assert code == 0 and (tmp_path / "mine.csv").exists(), err
    assert invoke("browse", "deck:mine", "--json")[0] == 0


def completions(args: list[str], incomplete: str) -> list[str]:
    return [
        item.value
        for item in ShellComplete(cli, {}, "immunoquiz", "_IMMUNOQUIZ_COMPLETE").get_completions(args, incomplete)
    ]


def test_completion_lists_deck_ids_and_tags_of_the_bundled_and_remembered_decks(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "mine", tags=["my-tag", "other-tag"])
    invoke("decks", "add", str(folder))
    ids = completions(["study", "--deck"], "")
    assert "mine" in ids and "checkpoint-inhibitors" in ids
    assert completions(["review", "--plain", "--deck"], "mi") == ["mine"]
    assert completions(["stats", "--tag"], "my") == ["my-tag"]
    assert "other-tag" in completions(["quiz", "--tag"], "")
    assert completions(["export"], "mi")[:1] == ["mine"]
    assert completions(["decks", "remove"], "")[:1] == [str(folder.resolve())]
    # Another profile remembers nothing: its own decks only.
    invoke("--profile", "ben", "--create", "stats")
    assert "mine" not in completions(["--profile", "ben", "study", "--deck"], "")
    assert "checkpoint-inhibitors" in completions(["study", "--profile", "ben", "--deck"], "")


def test_completion_on_a_broken_database_is_silent(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all\n" * 100)
    assert completions(["--db", str(broken), "study", "--deck"], "") == []
    assert completions(["study", "--profile", "NOT A SLUG", "--tag"], "") == []
    env = {
        **os.environ,
        "_IMMUNOQUIZ_COMPLETE": "bash_complete",
        "COMP_WORDS": f"immunoquiz --db {broken} stats --tag ",
        "COMP_CWORD": "5",
    }
    run = subprocess.run(
        [sys.executable, "-c", "from immunoquiz.launch import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "", "")


def test_completion_runs_in_a_real_shell_call_without_the_scheduler_or_yaml(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "mine")
    invoke("decks", "add", str(folder))
    probe = (
        "import sys\nfrom immunoquiz.launch import main\ntry:\n    main()\nfinally:\n"
        "    print(sorted(m for m in ('fsrs', 'yaml', 'textual', 'immunoquiz.core.store') if m in sys.modules),"
        " file=sys.stderr)"
    )
    env = {
        **os.environ,
        "_IMMUNOQUIZ_COMPLETE": "bash_complete",
        "COMP_WORDS": "immunoquiz study --deck mi",
        "COMP_CWORD": "3",
    }
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.stdout == "plain,mine\n"
    assert run.stderr == "[]\n"
