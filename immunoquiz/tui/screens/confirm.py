"""A yes-or-no question before something that cannot be taken back."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from immunoquiz.tui.screens.base import AppModal


class ConfirmScreen(AppModal[bool]):
    """Ask, and dismiss with True for y or Enter, False for n or Esc.

    Args:
        title: What would happen, as a question.
        detail: What it means for the learner.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", key_display="y"),
        Binding("n,escape", "answer(False)", "No", key_display="n"),
    ]

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="box", id="confirm"):
            yield Static(Content.styled(self.title_text, "bold"), classes="box-title")
            yield Static(Content(self.detail), id="confirm-detail")
            yield Static(Content("y or Enter: yes · n or Esc: no"), classes="box-hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the learner's answer."""
        self.dismiss(yes)
