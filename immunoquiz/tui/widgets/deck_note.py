"""The panel above a deck's first card of the run that shows the deck's note (study and quiz alike)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from immunoquiz.core.deck_note import DeckNote


class DeckNotePanel(Static):
    """A deck's note, above the card it comes with; hidden for every other card.

    It is read, not dismissed: the card's own keys (Space, 1-4, Enter) keep
    their meaning, and the next card hides it.
    """

    DEFAULT_CSS = """
    DeckNotePanel {
        display: none;
        width: 1fr;
        margin-bottom: 1;
        padding: 0 1;
        border-left: thick $accent;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def show_note(self, note: DeckNote | None) -> None:
        """Show a note (deck text is untrusted: plain content, never markup), or hide the panel for None."""
        if note is not None:
            self.update(Content(note.line()).stylize("bold", 0, len("Note")))
        if self.display != (note is not None):
            self.display = note is not None
