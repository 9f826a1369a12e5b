"""The app shows a deck's note once a run, above the deck's first card or question, as plain text that never acts."""

from __future__ import annotations

from textual.widgets import Static

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.quiz import QuizScreen
from tests.support.decks import ALL_TYPES, NOTED
from tests.support.tui import make_app, study_screen

LINE = "Note ([b]Noted[/b] deck): Educational [@click=app.quit] only [/foo] [b]bold?"


def panel(app: ImmunoquizApp, selector: str = "#deck-note") -> Static:
    return app.screen.query_one(selector, Static)


async def test_study_shows_the_note_above_the_first_card_only_and_literally() -> None:
    app = make_app(NOTED, ALL_TYPES, start=Selection(decks=("noted-deck",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = panel(app)
        assert note.display and str(note.render()) == LINE
        # Where the text after `[@click=app.quit]` would be if it were read as markup: a live action would quit.
        await pilot.click("#deck-note", offset=(36, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        screen = study_screen(app)
        first = screen.showing
        assert first is not None
        await pilot.press("escape", "space", "4")  # leave the answer box, show the answer, Easy
        await pilot.pause()
        assert screen.showing is not None and screen.showing.row.card_id != first.row.card_id
        assert not note.display


async def test_a_deck_without_a_note_shows_no_panel() -> None:
    app = make_app(NOTED, ALL_TYPES, start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not panel(app).display


async def test_one_run_of_the_app_shows_it_once_across_study_sessions() -> None:
    app = make_app(NOTED, ALL_TYPES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # study the highlighted deck: the first, noted-deck
        await pilot.pause()
        assert study_screen(app).selection.decks == ("noted-deck",)
        assert panel(app).display
        await pilot.press("escape", "escape")  # leave the answer box, then the study screen
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert study_screen(app).showing is not None
        assert not panel(app).display  # the same run: told already


async def test_the_quiz_shows_it_above_the_first_question_of_the_deck() -> None:
    app = make_app(NOTED, ALL_TYPES, start=QuizRequest(decks=("noted-deck",), count=2, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        note = panel(app, "#quiz-note")
        assert note.display and str(note.render()) == LINE
        await pilot.press(*"PD-L1", "enter")
        await pilot.pause()
        assert note.display  # still there beside its verdict
        await pilot.press("enter")  # the next question, of the same deck
        await pilot.pause()
        assert str(panel(app, "#quiz-number").render()) == "Question 2 of 2"
        assert not note.display
