"""Decks that did not load are said on the home screen, where the learner looks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from immunoquiz.tui.screens.home import HomeScreen
from tests.support.decks import basic_card
from tests.support.tui import make_app


async def test_the_home_screen_names_a_broken_deck_and_a_deck_kept_in_its_last_good_version(
    write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_deck("kept", [basic_card("a")])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("id: bad\ncards: [\n", encoding="utf-8")
    app = make_app(good, broken)
    (good / "kept.yaml").write_text("id: kept\n[/foo] [@click=app.quit]: [\n", encoding="utf-8")
    app.workspace.sync = app.store.sync([good, broken], app.clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        panel = app.screen.query_one("#load-notices", Static)
        text = str(panel.render())
        assert panel.display
        assert "Deck not loaded: " in text and "bad.yaml" in text and "`immunoquiz check " in text
        assert "Deck `kept` is studied as it was last read without errors, until its file is fixed" in text
        assert app.is_running  # the deck's text is shown as text: [@click=app.quit] did nothing


async def test_no_notice_when_every_deck_loaded() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#load-notices", Static).display
