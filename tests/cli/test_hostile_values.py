"""Values no one should type, typed anyway: one line with the valid range, nothing stored, no traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from tests.support.decks import TYPED


def invoke(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-n", "9" * 30], "-n must be at most 10,000"),
        (["--seed", "9" * 30], "--seed must be a whole number from 0 to 9,223,372,036,854,775,807"),
        (["--seed", "-1"], "--seed must be a whole number from 0 to "),
        (["--time", "inf"], "--time must be a number of minutes from 0 to 10,080"),
        (["--time", "1e308"], "--time must be a number of minutes from 0 to 10,080"),
        (["--time", "nan"], "--time must be a number of minutes from 0 to 10,080"),
    ],
)
def test_quiz_numbers_out_of_range_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = invoke("quiz", "--plain", "--db", str(tmp_path / "x.db"), *args, stdin="")
    assert code != 0
    assert err.count("\n") == 1 and message in err, err


def test_a_step_longer_than_the_clock_can_hold_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, _, err = invoke("options", "--db", db, "--learning-steps", "99999999999d")
    assert code != 0
    assert "each step is at most 36,500 days" in err and err.count("\n") == 1
    code, out, _ = invoke("options", "--db", db)
    assert code == 0 and "99999999999" not in out


def test_a_latin1_byte_in_line_mode_is_replaced_and_the_answer_kept(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("mine", [TYPED])
    common = ("--db", str(tmp_path / "x.db"), "--decks", str(folder))
    code, _, err = invoke("review", "--plain", *common, "--deck", "mine", stdin=b"Keytrud\xe9\n1\n")
    assert code == 0, err
    stats = json.loads(invoke("stats", "--json", *common)[1])
    assert stats["reviews"]["total"] == 1
    _, history, _ = invoke("browse", "deck:mine", "--history", *common)
    assert "Keytrud\ufffd" in history


def test_a_retention_that_is_not_a_number_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, _, err = invoke("options", "--db", db, "--desired-retention", "nan")
    assert code == 1
    assert err == "immunoquiz: error: Desired retention: a number between 0 and 1 (such as 0.9), not nan\n"
    code, out, _ = invoke("options", "--db", db, "--json")
    assert code == 0
    assert {deck["desired_retention"] for deck in json.loads(out)["decks"].values()} == {0.9}
