"""`immunoquiz options`: set on the command line, read back by line mode."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import OptionChanges, cli
from immunoquiz.core.options import DeckOptions
from tests.support.decks import basic_card


def test_options_set_on_the_command_line_govern_the_line_mode(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("mine", [basic_card(f"c{i}", f"Q {'I' * (i + 1)}", "Back") for i in range(6)])
    common = ["--db", str(tmp_path / "x.db"), "--decks", str(folder)]
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "options",
            "--deck",
            "mine",
            "--new-per-day",
            "2",
            "--learning-steps",
            "1m 5m",
            "--rollover-hour",
            "3",
            "--json",
            *common,
        ],
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["rollover_hour"] == 3
    assert shown["decks"]["mine"]["new_per_day"] == 2 and shown["decks"]["mine"]["learning_steps"] == [60.0, 300.0]
    result = runner.invoke(cli, ["review", "--plain", "--deck", "mine", *common], input="\n3\n\n3\n\n3\n")
    # Two new cards only, then the first again (its 1-minute step is within the learn-ahead window).
    assert result.stdout.count("\nCard ") == 4 and "Session over: 3 cards studied" in result.stdout
    assert "left: 1 new" in result.stdout and "3 Good 5m" in result.stdout
    other = runner.invoke(cli, ["options", "--deck", "side-effects", "--json", *common])
    assert json.loads(other.stdout)["decks"]["side-effects"]["new_per_day"] == 20


def test_bad_option_values_are_one_line_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["options", "--learning-steps", "soon", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and result.stderr.startswith("immunoquiz: error: steps `soon`")


def test_option_changes_touch_only_the_options_given() -> None:
    fitted = DeckOptions(new_per_day=5, leech_threshold=3, suspend_leeches=False, parameters=(0.5,) * 21)
    assert not OptionChanges().any and OptionChanges().apply(fitted) == fitted
    assert OptionChanges(leech_threshold=4).apply(fitted) == replace(fitted, leech_threshold=4)
    assert OptionChanges(suspend_leeches=True).apply(fitted) == replace(fitted, suspend_leeches=True)
    # Going back to FSRS's defaults is a change to None, not "leave it as it is".
    reset = OptionChanges(new_parameters=True)
    assert reset.any and reset.apply(fitted) == replace(fitted, parameters=None)
