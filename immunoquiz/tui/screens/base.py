"""What the app's screens share: the app, typed, and leaving a screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from immunoquiz.tui.app import ImmunoquizApp

ResultType = TypeVar("ResultType")


def app_of(node: DOMNode) -> ImmunoquizApp:
    """The app a widget or screen belongs to, typed (its store, clock, options and session factory)."""
    from immunoquiz.tui.app import ImmunoquizApp

    app = node.app
    assert isinstance(app, ImmunoquizApp)
    return app


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
        return app_of(self)


class AppModal(ModalScreen[ResultType]):
    """A dialog of the immunoquiz app, over the screen it was opened from."""

    @property
    def study_app(self) -> ImmunoquizApp:
        """The app, typed (its store, clock, options and session factory)."""
        return app_of(self)
