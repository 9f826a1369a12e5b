"""The end of a session: cards studied, accuracy, time and when the next card is due."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from immunoquiz.core.session import Session
from immunoquiz.tui.screens.base import AppScreen
from immunoquiz.tui.screens.study import StudyScreen
from immunoquiz.tui.widgets.footer import KeysFooter


class SummaryScreen(AppScreen):
    """The session's figures, from ``Session.summary``.

    Args:
        session: The finished session.
        standalone: Opened by ``immunoquiz study``: leaving quits the app.
    """

    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "leave", "Done"),
        Binding("u", "undo", "Undo"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: Session, *, standalone: bool = False) -> None:
        super().__init__()
        self.session = session
        self.standalone = standalone

    def compose(self) -> ComposeResult:
        app = self.study_app
        summary = self.session.summary()
        waiting = self.session.waiting_until()
        minutes, seconds = divmod(round(summary.seconds), 60)
        rows = [
            ("Cards studied", str(summary.studied)),
            (
                "Checked answers right",
                "none checked"
                if summary.accuracy is None
                else f"{summary.correct} of {summary.checked} ({summary.accuracy:.0%})",
            ),
            ("Self-graded", str(summary.self_graded)),
            ("Rated Again", str(summary.again)),
            ("Time answering", f"{minutes}:{seconds:02d}"),
        ]
        if waiting is not None:
            rows.append(("Learning cards again", app.format_time(waiting)))
        rows.append(
            ("Next card due", "nothing scheduled" if summary.next_due is None else app.format_time(summary.next_due))
        )
        with Vertical(id="summary"):
            yield Static(
                Content.from_markup("[b]Session complete[/b] — $what", what=app.describe(self.session.selection)),
                id="summary-title",
            )
            yield Static(
                Content("\n").join(
                    Content.assemble((f"{label:<24}", "$text-muted"), (value, "bold")) for label, value in rows
                ),
                id="figures",
            )
            yield Static(Content("Enter: done · u: undo the last answer · q: quit"), id="summary-hint")
        yield KeysFooter()

    def action_undo(self) -> None:
        """Back to studying, with the session's last answer undone: its card is shown again."""
        self.app.switch_screen(StudyScreen(self.session.selection, standalone=self.standalone, undoing=self.session))
