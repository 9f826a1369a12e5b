"""Anki's four answer buttons, each with the interval it would give."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from immunoquiz.core.schedule import Rating


class Rated(Message):
    """The learner chose a rating.

    Args:
        rating: The rating chosen.
    """

    def __init__(self, rating: Rating) -> None:
        super().__init__()
        self.rating = rating


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy; the proposed rating is focused, so Enter or Space accepts it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous rating", show=False),
        Binding("right", "step(1)", "Next rating", show=False),
    ]

    def compose(self) -> ComposeResult:
        for rating in Rating:
            yield Button(rating.label, id=f"rate-{int(rating)}", classes=f"rating -{rating.label.lower()}")

    def offer(self, intervals: dict[Rating, str], proposed: Rating) -> None:
        """Label the buttons with their intervals and focus the proposed one.

        Args:
            intervals: The interval of each rating (empty when cramming).
            proposed: The rating the grader proposes.
        """
        for rating in Rating:
            button = self.query_one(f"#rate-{int(rating)}", Button)
            interval = intervals.get(rating)
            button.label = Content.assemble(
                (f"{int(rating)} ", "dim"),
                rating.label,
                (f" {interval}" if interval else "", "bold"),
                ("  ◂" if rating == proposed else "", "bold"),
            )
            button.set_class(rating == proposed, "-proposed")
        self.query_one(f"#rate-{int(proposed)}", Button).focus()

    def action_step(self, step: int) -> None:
        """Move the focus to the rating left (-1) or right (1) of the focused one."""
        buttons = list(self.query(Button))
        focused = self.screen.focused
        here = buttons.index(focused) if isinstance(focused, Button) and focused in buttons else 0
        buttons[max(0, min(len(buttons) - 1, here + step))].focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(Rated(Rating(int(event.button.id.removeprefix("rate-")))))
