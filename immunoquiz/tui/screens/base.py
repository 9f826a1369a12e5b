"""What the app's screens share: the app, typed, and leaving a screen."""

from __future__ import annotations

import functools
import gc
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, ParamSpec, TypeVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from immunoquiz.core.store import DamagedDatabase, StoreError, describe_error

if TYPE_CHECKING:
    from immunoquiz.tui.app import ImmunoquizApp

ResultType = TypeVar("ResultType")
ScreenType = TypeVar("ScreenType", bound=Screen[Any])
Params = ParamSpec("Params")


def saving(method: Callable[Concatenate[ScreenType, Params], None]) -> Callable[Concatenate[ScreenType, Params], None]:
    """Show a database failure in a screen action that writes, rather than crash the app.

    The store writes each change in one transaction, rolled back on failure,
    so nothing was changed: the learner is told why (another program holding
    the database, say) and can try the same key again.
    """

    @functools.wraps(method)
    def guarded(screen: ScreenType, /, *args: Params.args, **kwargs: Params.kwargs) -> None:
        try:
            method(screen, *args, **kwargs)
        except (sqlite3.Error, StoreError) as exc:
            if isinstance(exc, DamagedDatabase):
                app_of(screen).store.damaged = exc
            reason = describe_error(exc)
            screen.notify(f"Not saved, nothing was changed: {reason}.", severity="error", markup=False, timeout=10)

    return guarded


def collector_paused(
    method: Callable[Concatenate[ScreenType, Params], None],
) -> Callable[Concatenate[ScreenType, Params], None]:
    """Pause Python's cyclic garbage collector from a key's action until the screen it changed is painted.

    A full collection walks every object the app holds and can take tens of
    milliseconds, as long as the rest of a rating's work: run in the middle
    of a key's work, it delays the next card. Paused, the collections come
    just after the paint, while the learner reads (as Textual's own
    ``PAUSE_GC_ON_SCROLL`` does for scrolling). Nothing is left paused that
    was running: the collector is restarted after the next refresh, and one
    already paused (by anything else) is left as it is.
    """

    @functools.wraps(method)
    def paused(screen: ScreenType, /, *args: Params.args, **kwargs: Params.kwargs) -> None:
        if not gc.isenabled():
            method(screen, *args, **kwargs)
            return
        gc.disable()
        try:
            method(screen, *args, **kwargs)
        finally:
            screen.app.call_after_refresh(gc.enable)

    return paused


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
    # First in every screen's footer, so that a narrow terminal still shows it (help names every other key).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("question_mark", "help", "Help", key_display="?")]

    def action_help(self) -> None:
        """Show every key binding."""
        app_of(self).action_help()

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
