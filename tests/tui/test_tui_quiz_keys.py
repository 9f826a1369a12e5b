"""Leaving a quiz: Esc as help says, and a timed exam asks before q or Esc ends it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.quiz_store import history
from immunoquiz.tui.screens.confirm import ConfirmScreen
from immunoquiz.tui.screens.quiz import QuizScreen
from immunoquiz.tui.screens.quiz_results import QuizResultsScreen
from tests.support.tui import answer_question, manual, quiz_app

CHOICE_ONLY = {"decks": ("all-types",), "forms": ("choice",), "count": 3, "seed": 2}


async def test_escape_ends_an_untimed_quiz_as_help_says() -> None:
    app = quiz_app(request=QuizRequest(**CHOICE_ONLY))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_question(pilot, right=True)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
    (attempt,) = history(app.store)
    assert attempt.ended is not None and attempt.stopped_early and attempt.answered == 1


async def test_escape_in_the_answer_box_only_leaves_the_box() -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), forms=("typed",), count=2, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.focused is None


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_a_timed_exam_asks_before_ending(key: str) -> None:
    app = quiz_app(request=QuizRequest(**CHOICE_ONLY, time_limit_s=600))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and quiz.sitting is not None
        total = len(quiz.sitting.paper.questions)
        assert total > 1
        await answer_question(pilot, right=True)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{total - 1} of {total} questions are left" in str(app.screen.query_one("#confirm-detail").render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and not app.screen.sitting.exam.finished  # type: ignore[union-attr]
        assert history(app.store)[0].ended is None
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
    (attempt,) = history(app.store)
    assert attempt.stopped_early and not attempt.complete and attempt.answered == 1


async def test_the_time_running_out_while_asked_ends_the_exam_once() -> None:
    app = quiz_app(request=QuizRequest(**CHOICE_ONLY, time_limit_s=60))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await pilot.press("q")
        await pilot.pause()
        manual(app).advance(seconds=61)
        screen.tick()  # under the question: nothing switches away from it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        assert len(app.screen_stack) == 2  # the results replaced the quiz, once
    (attempt,) = history(app.store)
    assert attempt.timed_out and attempt.complete  # ended by the clock, not by the learner
