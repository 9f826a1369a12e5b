"""What scripts read stays byte for byte: ``stats --json`` (and its text), ``results export`` as JSON and CSV;
and the desired retention ``stats`` shows.

The expected outputs in tests/cli/golden/ were written by the code before the reports became typed; a change
to them is a change of format (a new format version and a note in the docs), never a side effect.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz import __version__
from immunoquiz.cli import cli
from immunoquiz.core import clock as clock_module
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.present import LETTERS
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.quiz_store import learner_id
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import open_store
from immunoquiz.core.workspace import Workspace
from immunoquiz.tui.app import ImmunoquizApp
from tests.support.decks import ALL_TYPES, basic_card
from tests.support.stats_history import DECK, build_history
from tests.support.tui import START, UTC_DAYS

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[ManualClock]:
    """The command line at ``START`` in UTC (its days follow the machine's zone)."""
    clock = ManualClock(START)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock_module, "system_clock", clock)
    yield clock
    monkeypatch.undo()
    time.tzset()


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def check(text: str, name: str) -> None:
    assert text == (GOLDEN / name).read_text(encoding="utf-8"), f"the output differs from tests/cli/golden/{name}"


def test_stats_json_and_text_stay_as_they_are(tmp_path: Path, fixed_time: ManualClock) -> None:
    db = tmp_path / "learner.db"
    store = open_store(db)
    sync = store.sync([ALL_TYPES], fixed_time())
    build_history(ImmunoquizApp(Workspace(store, sync), clock=fixed_time, day_rule=UTC_DAYS))
    store.close()
    common = ("--db", str(db), "--decks", str(ALL_TYPES.parent), "--deck", DECK)
    check(run("stats", "--json", *common), "stats.json")
    check(run("stats", *common), "stats.txt")
    check(run("stats", "--json", *common, "--tag", "drugs", "--since", "30d"), "stats-drugs-30d.json")


def test_results_export_stays_as_it_is(tmp_path: Path, fixed_time: ManualClock) -> None:
    db = tmp_path / "learner.db"
    store = open_store(db)
    store.sync([ALL_TYPES], fixed_time())
    luck = random.Random(3)
    requests: list[QuizRequest] = [
        QuizRequest(count=4, forms=("typed",), seed=1),
        QuizRequest(count=3, forms=("choice",), seed=2, time_limit_s=600),
        QuizRequest(decks=(DECK,), tags=("drugs",), count=5, seed=3),
    ]
    for request in requests:
        sitting = QuizSitting(store, make_paper(store, request), request, clock=fixed_time)
        while (question := sitting.current()) is not None:
            fixed_time.advance(seconds=7)
            if question.form == "choice":
                right = question.prompt.options.index(question.right_options[0])
                wrong = (right + 1) % len(question.prompt.options)
                sitting.answer(LETTERS[right if luck.random() < 0.6 else wrong])
            elif question.form == "typed" and luck.random() < 0.7:
                sitting.answer(question.prompt.answers[0])
            elif luck.random() < 0.8:
                sitting.answer("no idea")
            else:
                sitting.skip()
        sitting.finish()
    QuizSitting(store, make_paper(store, QuizRequest(count=1)), QuizRequest(count=1), clock=fixed_time)  # unfinished
    two = QuizRequest(count=2, seed=4)
    quit_early = QuizSitting(store, make_paper(store, two), two, clock=fixed_time)  # incomplete: not exported
    quit_early.answer("no idea")
    quit_early.finish(stopped=True)
    learner = learner_id(store)  # random, made once per database
    store.close()
    fixed_time.advance(days=1)
    for output_format in ("json", "csv"):
        out = run("results", "export", "--format", output_format, "--db", str(db), "--profile", "ana")
        check(out.replace(__version__, "{version}").replace(learner, "{learner_id}"), f"export.{output_format}")


def test_stats_shows_the_desired_retention_the_decks_agree_on(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    write_deck("a", [basic_card("x")])
    folder = write_deck("b", [basic_card("y")])
    common = ("--db", str(tmp_path / "x.db"), "--decks", str(folder), "--deck", "a", "--deck", "b")
    run("options", "--desired-retention", "0.8", *common)
    assert json.loads(run("stats", "--json", *common))["desired_retention"] == 0.8
    assert "True retention (desired 80%)" in run("stats", *common)
    run("options", "--deck", "b", "--desired-retention", "0.85", *common[:4])
    assert json.loads(run("stats", "--json", *common))["desired_retention"] == 0.9
