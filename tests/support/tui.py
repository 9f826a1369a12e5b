"""Building the study app on an in-memory database with a fixed clock and seed, for Pilot tests."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.model import Card, Numeric
from immunoquiz.core.present import LETTERS, Prompt
from immunoquiz.core.quiz import Question, QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.core.store import open_store
from immunoquiz.core.studyday import DayRule
from immunoquiz.core.workspace import Workspace
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.quiz import QuizScreen
from immunoquiz.tui.screens.study import StudyScreen
from tests.support.decks import ALL_TYPES

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UTC_DAYS = DayRule(tz=UTC)


def make_app(*decks: Path, start: Selection | QuizRequest | None = None, seed: int = 7) -> ImmunoquizApp:
    """The app over a fresh in-memory database with ``decks`` synced, a manual clock and a seeded rng.

    It opens on the study screen for a selection, on the quiz for a request, else on the home screen.
    """
    clock = ManualClock(START)
    store = open_store(memory=True)
    sync = store.sync(list(decks or (ALL_TYPES,)), clock())
    return ImmunoquizApp(Workspace(store, sync), start, clock=clock, day_rule=UTC_DAYS, rng=random.Random(seed))


def study_screen(app: ImmunoquizApp) -> StudyScreen:
    """The study screen on top."""
    screen = app.screen
    assert isinstance(screen, StudyScreen), screen
    return screen


async def answer(pilot: Pilot[None], right: bool) -> None:
    """Answer the card shown, rightly or wrongly, with the keys a learner would press."""
    screen = study_screen(pilot.app)  # type: ignore[arg-type]
    assert screen.showing is not None
    await press_answer(pilot, screen.showing.prompt, screen.showing.card, right)


async def press_answer(
    pilot: Pilot[None], prompt: Prompt, card: Card, right: bool, *, wrong_order: list[str] | None = None
) -> None:
    """Answer a prompt with the keys a learner would press, on the study or the quiz screen.

    Args:
        pilot: The app's pilot.
        prompt: The prompt shown.
        card: Its card (for the value of a numeric card).
        right: Answer rightly, or wrongly.
        wrong_order: For a wrong answer to an ordering prompt, the order to put the items in
            (by default they are left as shown).
    """
    if prompt.kind == "self":
        await pilot.press("space")
    elif prompt.kind in ("typed", "numeric"):
        if right:
            text = str(card.body.value) if isinstance(card.body, Numeric) else prompt.answers[0]
        else:
            text = "999" if prompt.kind == "numeric" else "wrong answer"
        await pilot.press(*text, "enter")
    elif prompt.kind == "choice":
        right_letters = [LETTERS[prompt.options.index(a)] for a in prompt.answers]
        if right:
            await pilot.press(*right_letters)
        else:
            await pilot.press(next(c for c in LETTERS[: len(prompt.options)] if c not in right_letters))
        if prompt.multi:
            await pilot.press("enter")
    else:
        wanted = list(prompt.answers) if right else wrong_order
        if wanted is not None:
            await put_in_order(pilot, list(prompt.options), wanted)
        await pilot.press("enter")
    await pilot.pause()


async def put_in_order(pilot: Pilot[None], current: list[str], wanted: list[str]) -> None:
    """Selection sort with the keyboard: bring each wanted item up to its place."""
    for place, item in enumerate(wanted):
        here = current.index(item)
        await pilot.press(*(["up"] * len(current)), *(["down"] * here))
        await pilot.press(*(["shift+up"] * (here - place)))
        current.insert(place, current.pop(here))


def quiz_app(*decks: Path, request: QuizRequest | None = None, seed: int = 7) -> ImmunoquizApp:
    """The app over a fresh in-memory database, a manual clock and a seeded rng; on the quiz if asked."""
    return make_app(*decks, start=request, seed=seed)


def manual(app: ImmunoquizApp) -> ManualClock:
    assert isinstance(app.clock, ManualClock)
    return app.clock


async def answer_question(pilot: Pilot[None], right: bool) -> Question:
    """Answer the question shown with the keys a learner would press: fully right, or with no credit at all."""
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen), screen
    question = screen.question
    assert question is not None
    reverse = list(reversed(question.prompt.answers))  # a wrong order where no pair is right
    await press_answer(pilot, question.prompt, question.card, right, wrong_order=reverse)
    return question
