"""The command line under a wrong system clock: one line and nothing written, or a warning and study as usual."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core import clock as clock_module
from tests.support.decks import TYPED


def set_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock_module, "system_clock", lambda: moment)


def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [["review", "--plain"], ["quiz", "--plain", "-n", "1"], ["options"], ["stats"]])
def test_a_clock_in_1970_is_one_line_and_the_database_is_untouched(
    tmp_path: Path, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    common = ("--db", str(tmp_path / "x.db"), "--decks", str(write_deck("mine", [TYPED])))
    set_clock(monkeypatch, datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert invoke("review", "--plain", "--deck", "mine", *common, stdin="Keytruda\n3\n")[0] == 0
    before = (tmp_path / "x.db").read_bytes()
    set_clock(monkeypatch, datetime(1970, 1, 1, tzinfo=UTC))
    code, out, err = invoke(*command, *common, stdin="Keytruda\n3\n")
    assert code != 0 and out == ""
    assert err == (
        "immunoquiz: error: the system clock says 1970-01-01 00:00 UTC, which cannot be right: "
        "set the date and time, then try again\n"
    )
    assert (tmp_path / "x.db").read_bytes() == before


def test_a_clock_set_back_is_warned_about_once_and_the_answer_kept(
    tmp_path: Path, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    common = ("--db", str(tmp_path / "x.db"), "--decks", str(write_deck("mine", [TYPED])))
    answered = datetime(2026, 3, 2, 9, tzinfo=UTC)
    set_clock(monkeypatch, answered)
    assert invoke("review", "--plain", "--deck", "mine", *common, stdin="Keytruda\n3\n")[0] == 0
    set_clock(monkeypatch, answered - timedelta(days=3))
    code, out, err = invoke("review", "--plain", "--deck", "mine", *common, "--cram", stdin="Keytruda\n3\n")
    assert code == 0, err
    assert err.count("is behind your last answer (2026-03-02 09:00 UTC)") == 1
    assert "Keytruda" in out
