"""The app and the collection: the theme kept across starts, a --decks folder offered to remember, missing decks."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Static

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.workspace import open_workspace
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.home import HomeScreen
from tests.support.decks import ALL_TYPES, basic_card, deck_yaml
from tests.support.tui import START, UTC_DAYS


def app_on(db: Path, *for_this_run: Path) -> ImmunoquizApp:
    clock = ManualClock(START)
    workspace = open_workspace(db, [ALL_TYPES], clock, for_this_run=for_this_run)
    return ImmunoquizApp(workspace, clock=clock, day_rule=UTC_DAYS)


def notices(app: ImmunoquizApp) -> str:
    panel = app.screen.query_one("#load-notices", Static)
    return str(panel.render()) if panel.display else ""


async def test_the_theme_picked_is_restored_at_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    app = app_on(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        # As a learner picks it: the command palette, its theme command, then the theme.
        await pilot.press("ctrl+p", *"theme", "enter")
        await pilot.pause()
        await pilot.press(*"high-contrast", "enter")
        await pilot.pause()
        assert app.theme == "high-contrast"
    app.store.close()
    again = app_on(db)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "high-contrast"
    again.store.close()


async def test_starting_does_not_save_a_theme(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    app = app_on(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.workspace.theme() is None
    app.store.close()


async def test_a_folder_given_for_this_run_is_remembered_with_r(tmp_path: Path) -> None:
    folder = tmp_path / "[PD-L1] [@click=app.quit]"  # a path is text, never markup
    folder.mkdir()
    (folder / "mine.yaml").write_text(deck_yaml("mine", [basic_card("a")]), encoding="utf-8")
    db = tmp_path / "x.db"
    app = app_on(db, folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert f"--decks {folder} is for this run only: r remembers it for every start" in notices(app)
        await pilot.press("r")
        await pilot.pause()
        assert app.store.remembered_decks() == [folder.resolve()]
        assert f"Remembered {folder}: it opens with every start" in notices(app)
        assert "for this run only" not in notices(app)
        assert not app.screen.check_action("remember_decks", ())
        assert app.is_running
    app.store.close()
    again = app_on(db)  # without --decks: the folder's deck is there
    assert "mine" in again.workspace.deck_ids()
    async with again.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert notices(again) == ""
        await pilot.press("r")  # nothing to remember: the key does nothing
        assert again.store.remembered_decks() == [folder.resolve()]
    again.store.close()


async def test_a_missing_remembered_folder_is_said_on_the_home_screen(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "mine.yaml").write_text(deck_yaml("mine", [basic_card("a")]), encoding="utf-8")
    db = tmp_path / "x.db"
    first = app_on(db)
    first.workspace.remember(folder, START)
    first.store.close()
    shutil.rmtree(folder)
    app = app_on(db)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        text = notices(app)
        assert f"Remembered decks not found: {folder}; their cards and history are kept" in text
        assert text.count("\n") == 0  # one line
    app.store.close()
