"""The study screen tells of a corrected card once, with the new answer as plain text."""

from __future__ import annotations

import random
from pathlib import Path

from textual.widgets import Static

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.workspace import Workspace
from immunoquiz.tui.app import ImmunoquizApp
from tests.support.decks import TYPED, deck_yaml
from tests.support.tui import START, UTC_DAYS, study_screen

CORRECTED = TYPED.replace("answer: Keytruda", "answer: '[b]Keytruda[/b] [/foo]'")


def studied_then_corrected(folder: Path, clock: ManualClock) -> Store:
    """A database where the typed card was studied to review, then its answer corrected."""
    deck = folder / "d.yaml"
    deck.write_text(deck_yaml("d", [TYPED]), encoding="utf-8")
    store = open_store(memory=True)
    store.sync([folder], clock())
    for wait in ({"minutes": 11}, {"days": 3}):
        session = Session(store, Selection(), clock=clock)
        while (showing := session.next()) is not None:
            session.rate(showing, session.check(showing, ""), Rating.GOOD)
        clock.advance(**wait)
    deck.write_text(deck_yaml("d", [CORRECTED]), encoding="utf-8")
    return store


def app_over(store: Store, folder: Path, clock: ManualClock) -> ImmunoquizApp:
    workspace = Workspace(store, store.sync([folder], clock()))
    return ImmunoquizApp(workspace, Selection(), clock=clock, day_rule=UTC_DAYS, rng=random.Random(7))


async def test_the_notice_is_shown_once_as_plain_text(tmp_path: Path) -> None:
    clock = ManualClock(START)
    store = studied_then_corrected(tmp_path, clock)
    app = app_over(store, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = study_screen(app)
        notice = screen.query_one("#notice", Static)
        assert notice.display
        assert str(notice.render()) == "Corrected on 2026-03-05: the answer is now [b]Keytruda[/b] [/foo]"
        await pilot.press(*"Keytruda", "enter")
        await pilot.pause()
        assert notice.display  # still there beside the answer side
        await pilot.press("1")
        await pilot.pause()
        # Again brings the card back within the learn-ahead window: told once, it comes without the notice.
        assert screen.showing is not None and screen.showing.row.card_id == "keytruda"
        assert not notice.display
        await pilot.press("u")
        await pilot.pause()
        assert screen.showing is not None and not notice.display
