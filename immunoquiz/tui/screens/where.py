"""Where a card lives: its deck file and line, for an instructor who wants to fix it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from immunoquiz.core.model import Card


class WhereScreen(ModalScreen[None]):
    """A box with the card's deck file, line and id; any of Esc, Enter or e closes it.

    Args:
        card: The card.
        path: Its deck file.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,e,q", "close", "Close")]

    def __init__(self, card: Card, path: str) -> None:
        super().__init__()
        self.card = card
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(Content.from_markup("[b]Where this card lives[/b]"), classes="box-title")
            yield Static(
                Content.from_markup(
                    "$path:$line\n\n[dim]deck[/dim] $deck  [dim]card[/dim] $card",
                    path=self.path,
                    line=str(self.card.line),
                    deck=self.card.deck_id,
                    card=self.card.id,
                ),
                id="where",
            )
            yield Static(Content("Esc closes."), classes="box-hint")

    def action_close(self) -> None:
        """Close the box."""
        self.dismiss()
