"""A deck's note: a caution its author wants every learner to read, once per session, before the deck's first card.

A session is one run of the app or of a ``review`` or ``quiz`` command. Its
front end keeps the set of decks whose note it has shown and hands it to each
study, cram or quiz session of the run (``Session``, ``QuizSitting``), which
asks ``note_to_show`` before each card: every front end shows a note at the
same moment, by this one rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeckNote:
    """A deck's note, with the deck it belongs to.

    Attributes:
        deck_id: The deck's id.
        title: The deck's title.
        text: The note, as the deck file has it (untrusted text: never markup).
    """

    deck_id: str
    title: str
    text: str

    def line(self) -> str:
        """``Note (Side effects): Educational: ...``, as every front end words it."""
        return f"Note ({self.title}): {self.text}"


def note_to_show(notes: Mapping[str, DeckNote], noted: Set[str], deck_id: str) -> DeckNote | None:
    """The note to show before a card of a deck: its deck's note, unless this session has shown it.

    Args:
        notes: The notes of the session's decks, by deck id (decks without a note left out).
        noted: The decks whose note this session has shown already.
        deck_id: The deck of the card about to be shown.

    Returns:
        The note to show with that card, or None. The caller adds its deck to
        ``noted`` once it is shown.
    """
    if deck_id in noted:
        return None
    return notes.get(deck_id)
