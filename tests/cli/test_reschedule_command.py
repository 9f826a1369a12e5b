"""`immunoquiz options --reschedule`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.store import open_store
from tests.support.log import load_answered_deck, states_of_deck


def test_options_reschedule_on_the_command_line(
    tmp_path: Path, write_deck: Callable[..., Path], clock: ManualClock
) -> None:
    db = tmp_path / "x.db"
    store = open_store(db)
    load_answered_deck(store, clock, write_deck, cards=50)
    before = states_of_deck(store)
    store.close()
    result = CliRunner().invoke(
        cli,
        [
            "options",
            "--deck",
            "d",
            "--desired-retention",
            "0.8",
            "--reschedule",
            "--db",
            str(db),
            "--decks",
            str(tmp_path / "decks"),
        ],
    )
    assert result.exit_code == 0, result.output
    answers = sum(state.reps for state in before.values())
    assert result.stderr == f"Rescheduled 40 cards from their {answers} answers.\n"
    store = open_store(db)
    store.sync([tmp_path / "decks"], clock())
    assert states_of_deck(store) != before
