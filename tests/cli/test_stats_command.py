"""`immunoquiz stats --json` counts what is due today as the study queue does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core import clock as clock_module
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import open_store
from immunoquiz.core.studyday import DayRule
from tests.support.collection import build_collection, write_collection_decks

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_due_today_is_the_study_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_collection_decks(tmp_path / "decks")
    db = tmp_path / "x.db"
    store = open_store(db)
    day_rule = DayRule(None, 4)  # the workspace's: the machine's zone, the default rollover hour
    build_collection(store, folder, NOW, day_rule)
    options = {deck: store.deck_options(deck) for deck in store.active_decks}
    queues = {
        deck: Session(store, Selection(decks=(deck,)), clock=lambda: NOW, day_rule=day_rule, options=options).counts()
        for deck in ("a", "b")
    }
    store.close()
    monkeypatch.setattr(clock_module, "system_clock", lambda: NOW)

    result = CliRunner().invoke(cli, ["stats", "--json", "--db", str(db), "--decks", str(folder)])

    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    due = {deck: figures["decks"][deck]["due_today"] for deck in ("a", "b")}
    assert due == {deck: counts.learning + counts.review for deck, counts in queues.items()} == {"a": 4, "b": 2}
    assert figures["due_today"] == 6
