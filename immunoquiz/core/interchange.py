"""Notes and reviews brought in from another program, before they become a deck.

Anki packages (``anki_package``) and text exports (``text_import``) are read
into these; ``deck_import`` turns them into cards. Every text is still as the
other program wrote it (HTML, for Anki).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

NoteKind: TypeAlias = Literal["basic", "reversed", "cloze", "other"]


@dataclass(frozen=True, slots=True)
class NoteType:
    """How a note's fields make cards.

    Attributes:
        name: The note type's name, as the other program shows it.
        kind: ``basic`` (one card, front and back), ``reversed`` (also back to
            front), ``cloze``, or ``other`` (read as basic from its first two fields).
        fields: The field names, in order.
    """

    name: str
    kind: NoteKind
    fields: tuple[str, ...]


def note_kind(cloze: bool, fields: tuple[str, ...], templates: int) -> NoteKind:
    """How a note type's notes become cards.

    Args:
        cloze: Whether it is a cloze type.
        fields: Its field names.
        templates: How many cards each note makes (1 or 2 for basic types).

    Returns:
        ``cloze``; ``basic`` or ``reversed`` for two fields, or more when the
        first two are named Front and Back (Basic with fields added, such as
        an export's Quote and Explain); ``other`` for the rest.
    """
    if cloze:
        return "cloze"
    front_back = len(fields) == 2 or (len(fields) > 2 and tuple(f.casefold() for f in fields[:2]) == ("front", "back"))
    if front_back and templates in (1, 2):
        return "basic" if templates == 1 else "reversed"
    return "other"


@dataclass(frozen=True, slots=True)
class ForeignNote:
    """One note of another program.

    Attributes:
        key: A stable slug for the card id (``anki-<note id>``, or from the text).
        where: How messages name it (``note 1796280473504``, ``line 12``).
        note_type: Its note type.
        fields: Its fields' texts, in the note type's order.
        tags: Its tags.
        html: Whether the fields are HTML.
    """

    key: str
    where: str
    note_type: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...] = ()
    html: bool = True


@dataclass(frozen=True, slots=True)
class ForeignReview:
    """One answer of another program's review log, of one card of a note.

    Attributes:
        note_key: The note's ``ForeignNote.key``.
        template: Which of the note's cards (Anki's ``ord``: 0 the first; a cloze's c1 is 0).
        time_ms: When it was given (epoch milliseconds).
        rating: 1 Again to 4 Easy.
        duration_ms: How long it took.
    """

    note_key: str
    template: int
    time_ms: int
    rating: int
    duration_ms: int


@dataclass(frozen=True, slots=True)
class ForeignCollection:
    """Everything read from one file.

    Attributes:
        notes: The notes, in the file's order.
        reviews: The review log (empty for text formats), oldest first.
        deck_names: The names of the decks the notes' cards are in.
        media_files: How many media files the package carried.
    """

    notes: tuple[ForeignNote, ...]
    reviews: tuple[ForeignReview, ...] = ()
    deck_names: tuple[str, ...] = ()
    media_files: int = 0


class ForeignFileError(Exception):
    """A file that cannot be imported; the message names the file's part and what to do."""
