"""An unsourced deck's card in the app: "no source" where the quote would be."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from immunoquiz.core.selection import Selection
from tests.support.tui import make_app
from tests.tui.test_tui_reading import visible_text
from tests.unit.test_unsourced import write


async def test_the_study_screen_says_no_source(tmp_path: Path) -> None:
    app = make_app(write(tmp_path), start=Selection(decks=("imported",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        shown = visible_text(app, app.screen.query_one("#card", VerticalScroll))
        assert "Paris, since 508" in shown
        assert "Source: no source" in shown and "“" not in shown
