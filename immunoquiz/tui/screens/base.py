"""What the app's full screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from immunoquiz.tui.app import ImmunoquizApp


class AppScreen(Screen[None]):
    """A full screen of the immunoquiz app.

    Attributes:
        standalone: Opened straight from the command line (``immunoquiz study``
            or ``quiz``): leaving it quits the app instead of going back.
    """

    standalone = False

    def action_leave(self) -> None:
        """Back to the screen below, or quit when opened from the command line."""
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss()

    @property
    def study_app(self) -> ImmunoquizApp:
        """The app, typed (its store, clock, options and session factory)."""
        from immunoquiz.tui.app import ImmunoquizApp

        assert isinstance(self.app, ImmunoquizApp)
        return self.app
