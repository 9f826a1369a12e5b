"""What the app's full screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from immunoquiz.tui.app import ImmunoquizApp


class AppScreen(Screen[None]):
    """A full screen of the immunoquiz app."""

    @property
    def study_app(self) -> ImmunoquizApp:
        """The app, typed (its store, clock, options and session factory)."""
        from immunoquiz.tui.app import ImmunoquizApp

        assert isinstance(self.app, ImmunoquizApp)
        return self.app
