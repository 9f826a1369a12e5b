"""``immunoquiz export``: a deck as an Anki package (genanki) or as Anki's CSV text.

Each card is one Anki note whose GUID is ``genanki.guid_for(deck id, card
id)``: exporting again after an edit and importing into Anki updates those
notes instead of adding new ones. The quote and the explanation travel as
fields of their own (shown under the answer), a cloze card becomes an Anki
cloze (``{{c1::x::hint}}`` is the same syntax; of ``a|b`` alternatives, the
first), a reversed basic card a "Basic (and reversed card)" note, a typed
card one with a typed answer. Choice, numeric and ordering cards become basic
notes: the options (or items, in alphabetical order) on the front, the answer
on the back. Fields are HTML, so every text is escaped.
"""

from __future__ import annotations

import csv
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from immunoquiz.core.model import Basic, Card, Choice, Cloze, Deck, Numeric, Ordering, Typed, alternatives

if TYPE_CHECKING:
    from pathlib import Path

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: center; }\n.quote { font-style: italic; }\n"
_EXTRAS = (
    "{{#Quote}}<div class=quote>“{{Quote}}”</div>{{/Quote}}{{#Explain}}<div class=explain>{{Explain}}</div>{{/Explain}}"
)
_FIELDS = ("Front", "Back", "Quote", "Explain")


@dataclass(frozen=True, slots=True)
class _NoteType:
    """One of the note types the export uses (ids fixed, so that Anki knows them again)."""

    model_id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]
    cloze: bool = False


BASIC = _NoteType(1764012001, "immunoquiz Basic", _FIELDS, (("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),))
REVERSED = _NoteType(
    1764012002,
    "immunoquiz Basic (and reversed card)",
    _FIELDS,
    (("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"), ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")),
)
TYPED = _NoteType(
    1764012003,
    "immunoquiz Basic (type in the answer)",
    _FIELDS,
    (("{{Front}}<br>{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}"),),
)
# Anki's Cloze has Text and Back Extra; the same columns as the basic types keep one CSV layout.
CLOZE = _NoteType(
    1764012004,
    "immunoquiz Cloze",
    ("Text", "Back Extra", "Quote", "Explain"),
    (("{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}"),),
    cloze=True,
)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _listed(items: Sequence[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{_html(item)}</li>" for item in items) + f"</{tag}>"


def _cloze_text(body: Cloze) -> str:
    """The cloze text escaped for Anki, each deletion keeping its first alternative and its hint."""
    parts: list[str] = []
    position = 0
    for deletion in body.deletions:
        parts.append(_html(body.text[position : deletion.start]))
        hint = f"::{_html(deletion.hint)}" if deletion.hint else ""
        parts.append(f"{{{{c{deletion.number}::{_html(alternatives(deletion.answer)[0])}{hint}}}}}")
        position = deletion.end
    parts.append(_html(body.text[position:]))
    return "".join(parts)


def note_fields(card: Card) -> tuple[_NoteType, list[str]]:
    """The note type and fields (HTML) a card becomes."""
    body = card.body
    extras = [_html(card.quote), _html(card.explain or "")]
    if isinstance(body, Cloze):
        return CLOZE, [_cloze_text(body), "", *extras]
    if isinstance(body, Basic):
        return (REVERSED if body.reverse else BASIC), [_html(body.front), _html(body.back), *extras]
    if isinstance(body, Typed):
        return TYPED, [_html(body.question), _html(body.answer), *extras]
    if isinstance(body, Choice):
        options = sorted({*body.answers, *body.distractors}, key=str.casefold)
        front = _html(body.question) + _listed(options)
        return BASIC, [front, _html("; ".join(body.answers)), *extras]
    if isinstance(body, Numeric):
        return BASIC, [_html(body.question), _html(body.display), *extras]
    assert isinstance(body, Ordering)
    front = _html(body.question) + _listed(sorted(body.items, key=str.casefold))
    return BASIC, [front, _listed(body.items, "ol"), *extras]


def note_guid(deck: Deck, card: Card) -> str:
    """The note's stable GUID, from the deck and card ids."""
    import genanki

    return str(genanki.guid_for(deck.id, card.id))


def anki_deck_id(deck: Deck) -> int:
    """A stable Anki deck id for a deck (from its id)."""
    return int(hashlib.sha1(deck.id.encode("utf-8")).hexdigest()[:12], 16) + 1


def deck_description(deck: Deck) -> str:
    """The Anki deck's description, HTML shown on its overview before study: the deck's, then its note."""
    note = f"<p><b>Note:</b> {_html(deck.note)}</p>" if deck.note else ""
    return _html(deck.description) + note


def write_apkg(deck: Deck, path: Path) -> int:
    """Write a deck as an Anki package.

    Args:
        deck: The deck.
        path: The ``.apkg`` file.

    Returns:
        How many notes were written.
    """
    import genanki

    models: dict[int, Any] = {}
    package_deck = genanki.Deck(anki_deck_id(deck), deck.title, deck_description(deck))
    for card in deck.cards:
        kind, fields = note_fields(card)
        model = models.get(kind.model_id)
        if model is None:
            templates = [
                {"name": f"Card {n}", "qfmt": q, "afmt": a + _EXTRAS} for n, (q, a) in enumerate(kind.templates, 1)
            ]
            model = genanki.Model(
                kind.model_id,
                kind.name,
                fields=[{"name": name} for name in kind.fields],
                templates=templates,
                css=_CSS,
                model_type=genanki.Model.CLOZE if kind.cloze else genanki.Model.FRONT_BACK,
            )
            models[kind.model_id] = model
        package_deck.add_note(genanki.Note(model, fields, tags=list(card.tags), guid=note_guid(deck, card)))
    genanki.Package(package_deck).write_to_file(str(path))
    return len(deck.cards)


def write_csv(deck: Deck, out: TextIO) -> int:
    """Write a deck as Anki's text format: header lines, then one note a row (GUID, note type, tags, fields).

    Anki's File > Import reads it (matching notes by GUID, as with the
    package), and so does ``immunoquiz import``.

    Returns:
        How many notes were written.
    """
    out.write(
        f"#separator:comma\n#html:true\n#guid column:1\n#notetype column:2\n#tags column:3\n#deck:{_html(deck.title)}\n"
        "#columns:GUID,Note type,Tags,Front,Back,Quote,Explain\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    for card in deck.cards:
        kind, fields = note_fields(card)
        writer.writerow([note_guid(deck, card), kind.name, " ".join(card.tags), *fields])
    return len(deck.cards)
