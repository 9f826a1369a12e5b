"""Choosing what to cram: a deck, every deck, a tag, leeches or cards due soon."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from immunoquiz.core.query import all_tags
from immunoquiz.core.selection import Selection
from immunoquiz.tui.screens.base import AppModal


class CramScreen(AppModal[Selection | None]):
    """A list of cram filters; Enter starts cramming the one highlighted.

    Args:
        deck: The deck highlighted on the home screen, offered first.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck
        self.choices: list[Selection] = []

    def compose(self) -> ComposeResult:
        app = self.study_app
        options: list[tuple[Content, Selection]] = []
        titles = {d.id: d.title for d in app.store.decks()}
        if self.deck is not None:
            options.append(
                (
                    Content.assemble("Every card of ", (titles.get(self.deck, self.deck), "bold")),
                    Selection(decks=(self.deck,), cram=True),
                )
            )
        options.append((Content("Every card of every deck"), Selection(cram=True)))
        options.append((Content("Leeches (cards often forgotten)"), Selection(cram=True, cram_filter="leech")))
        options.append((Content("Cards due in the next 3 days"), Selection(cram=True, cram_filter="due-soon")))
        for tag in all_tags(app.store):
            options.append((Content.assemble("Tag ", (tag, "bold")), Selection(tags=(tag,), cram=True)))
        self.choices = [selection for _, selection in options]
        with Vertical(classes="box"):
            yield Static(Content.from_markup("[b]Cram[/b]: study without changing the schedule"), classes="box-title")
            yield OptionList(*(Option(label) for label, _ in options), id="cram-options")
            yield Static(Content("Enter starts, Esc cancels."), classes="box-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        """Close without cramming."""
        self.dismiss(None)
