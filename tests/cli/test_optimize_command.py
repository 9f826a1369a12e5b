"""`immunoquiz options --optimize` and `--reset-parameters`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.store import open_store
from immunoquiz.paths import bundled_decks_dir
from tests.support.log import load_log, many_cards


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_options_optimize_fits_saves_and_resets(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    db = tmp_path / "learner.db"
    run = ("--db", str(db), "--decks", str(many_cards(write_deck)))
    code, _, err = invoke("options", "--optimize", *run)
    assert code == 0 and err.startswith("Only 0 answers were given a day or more after")
    store = open_store(db)
    store.sync([bundled_decks_dir(), tmp_path / "decks"], datetime(2026, 3, 2, tzinfo=UTC))
    load_log(store, store.cards_where("deck_id = 'd'"))
    store.close()
    code, out, err = invoke("options", "--optimize", "--deck", "d", *run)
    assert code == 0 and err.startswith("Fitted FSRS parameters to ") and err.rstrip().endswith(" Now used by d.")
    assert out.count("personal FSRS parameters") == 1
    shown = json.loads(invoke("options", "--json", *run)[1])["decks"]
    assert len(shown["d"]["parameters"]) == 21 and shown["side-effects"]["parameters"] is None
    code, _, err = invoke("options", "--optimize", "--deck", "d", *run)  # fitted again to the same answers
    assert code == 0 and "they are kept" in err
    code, out, _ = invoke("options", "--reset-parameters", "--deck", "d", *run)
    assert code == 0 and "d: " in out and "personal FSRS parameters" not in out
    code, _, err = invoke("options", "--optimize", "--reset-parameters", *run)
    assert code != 0 and err.strip() == "immunoquiz: error: --optimize and --reset-parameters: choose one"
