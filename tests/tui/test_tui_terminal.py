"""The app in the learner's terminal: NO_COLOR keeps to the terminal's own colours."""

from __future__ import annotations

import pytest
from rich.console import Console

from immunoquiz.tui.app import ImmunoquizApp
from tests.support.tui import make_app


async def drawn(app: ImmunoquizApp) -> str:
    """The escape codes of one full frame, as a 24-bit terminal would be sent them."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        update = app.screen._compositor.render_full_update()
        return update.render_segments(Console(color_system="truecolor", force_terminal=True))


async def test_no_color_uses_the_terminals_ansi_colours_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    frame = await drawn(app)
    assert app.ansi_color is True
    assert "Deck" in frame and "38;2;" not in frame and "48;2;" not in frame


async def test_without_no_color_the_theme_colours_are_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    frame = await drawn(make_app())
    assert "48;2;" in frame  # the frame above really carries colours when they are wanted
