"""Building the study app on an in-memory database with a fixed clock and seed, for Pilot tests."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from textual.pilot import Pilot

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.model import Numeric
from immunoquiz.core.present import LETTERS
from immunoquiz.core.session import Selection
from immunoquiz.core.store import open_store
from immunoquiz.core.studyday import DayRule
from immunoquiz.core.workspace import Workspace
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.study import StudyScreen

DECKS = Path(__file__).parent / "decks"
ALL_TYPES = DECKS / "good" / "all-types.yaml"
MARKUP = DECKS / "tui" / "markup.yaml"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
UTC_DAYS = DayRule(tz=timezone.utc)


def make_app(*decks: Path, start: Selection | None = None, seed: int = 7) -> ImmunoquizApp:
    """The app over a fresh in-memory database with ``decks`` synced, a manual clock and a seeded rng."""
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
    prompt, card = screen.showing.prompt, screen.showing.card
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
        if right:
            # Selection sort with the keyboard: bring each right item up to its place.
            current = list(prompt.options)
            for place, item in enumerate(prompt.answers):
                here = current.index(item)
                await pilot.press(*(["up"] * len(current)), *(["down"] * here))
                await pilot.press(*(["shift+up"] * (here - place)))
                current.insert(place, current.pop(here))
        await pilot.press("enter")
    await pilot.pause()
