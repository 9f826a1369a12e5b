"""Snapshots of the quiz screens at 80x24, with a fixed clock and seed (pytest-textual-snapshot).

Update with ``pytest --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from immunoquiz.core.quiz import QuizRequest
from tests.support.decks import ALL_TYPES, MARKUP
from tests.support.tui import answer_question, manual, quiz_app

SIZE = (80, 24)


def test_quiz_setup(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("x")
        await pilot.pause()

    assert snap_compare(quiz_app(ALL_TYPES, MARKUP), terminal_size=SIZE, run_before=run)


def test_quiz_question_timed(snap_compare: Callable[..., bool]) -> None:
    # No tags above the question: "trials" would give the kind of answer away.
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=6, seed=6, time_limit_s=600))
    assert snap_compare(app, terminal_size=SIZE)


def test_quiz_choice_answered_wrong(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await answer_question(pilot, right=False)

    app = quiz_app(ALL_TYPES, MARKUP, request=QuizRequest(forms=("choice",), count=3, seed=63))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_quiz_paused(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        manual(pilot.app).advance(seconds=75)  # type: ignore[arg-type]
        await pilot.press("escape", "p")
        await pilot.pause()

    app = quiz_app(request=QuizRequest(decks=("all-types",), count=6, seed=3, time_limit_s=600))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_quiz_results(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        for n in range(4):
            manual(pilot.app).advance(seconds=20)  # type: ignore[arg-type]
            await answer_question(pilot, right=n % 2 == 1)
            await pilot.press("enter")
            await pilot.pause()

    app = quiz_app(request=QuizRequest(decks=("all-types",), count=4, seed=3))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)
