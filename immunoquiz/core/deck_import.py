"""``immunoquiz import``: notes of another program made a deck, and their history brought along.

The notes (``anki_package``, ``text_import``) become the cards of an
unsourced deck (``source: none``), written as YAML. Nothing is lost in
silence: a note that cannot make a valid card is skipped with the reason
``immunoquiz check`` gives, a note type other than basic, reversed or cloze
is read from its first two fields (its other fields go into ``explain``), and
the media referred to are listed. The deck text is read back with the deck
reader before it is offered, so what is written always checks.

With the history, the answers of the imported cards are replayed through the
answer rule under the deck's options, as if they had been given here, and
written to the learner's database in one transaction.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from immunoquiz.core.answering import Response, next_state
from immunoquiz.core.clock import from_ms
from immunoquiz.core.html_text import Converted, html_to_text, plain_to_text, tidy
from immunoquiz.core.interchange import ForeignCollection, ForeignFileError, ForeignNote
from immunoquiz.core.model import parse_cloze
from immunoquiz.core.reader import UNSOURCED, read_deck
from immunoquiz.core.schedule import CardState, Rating
from immunoquiz.core.store import HistoryRow
from immunoquiz.core.text import counted, visible

if TYPE_CHECKING:
    from immunoquiz.core.store import Store
    from immunoquiz.core.studyday import DayRule

MAX_NAMED_MEDIA = 5
"""Media files named in the summary; the rest are counted."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A note left out, and why."""

    where: str
    why: str


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    """One answer of an imported card, from the other program's log."""

    card_id: str
    sibling: int
    time_ms: int
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class ImportedDeck:
    """A deck made from another program's notes.

    Attributes:
        deck_id: Its id.
        text: The deck file's YAML.
        cards: How many cards (notes) it holds.
        skipped: The notes left out, with why.
        as_basic: Note types read as basic from their first two fields, with their note counts.
        media: The media files the notes referred to (not brought along).
        media_files: How many media files the package held (none is brought along).
        answers: The imported cards' answers, oldest first (packages only).
        answers_left_out: Answers of notes or cards left out.
    """

    deck_id: str
    text: str
    cards: int
    skipped: tuple[Skipped, ...] = ()
    as_basic: dict[str, int] = field(default_factory=dict)
    media: tuple[str, ...] = ()
    media_files: int = 0
    answers: tuple[ImportedAnswer, ...] = ()
    answers_left_out: int = 0

    def summary(self) -> list[str]:
        """What was imported and what was not, one line each."""
        lines = [f"{counted(self.cards, 'note')} imported as cards of deck `{self.deck_id}`."]
        if self.skipped:
            lines.append(f"{counted(len(self.skipped), 'note')} skipped:")
            lines += [f"  {visible(s.where)}: {visible(s.why)}" for s in self.skipped]
        for name, count in self.as_basic.items():
            lines.append(
                f"{counted(count, 'note')} of note type `{visible(name)}` read as basic from the first two"
                " fields (the others are in `explain`)."
            )
        if self.media:
            named = ", ".join(visible(m) for m in self.media[:MAX_NAMED_MEDIA])
            more = f" and {len(self.media) - MAX_NAMED_MEDIA} more" if len(self.media) > MAX_NAMED_MEDIA else ""
            lines.append(f"Media left out: {counted(len(self.media), 'file')} referred to ({named}{more}).")
        else:
            lines.append("Media left out: none referred to.")
        if self.media_files:
            lines.append(f"The package held {counted(self.media_files, 'media file')}: none was brought along.")
        return lines


def _convert(note: ForeignNote, text: str) -> Converted:
    return html_to_text(text) if note.html else plain_to_text(text)


def _tag(tag: str) -> str:
    return "-".join(tidy(tag).split())


# Fields kept in `explain` as they are; any other extra field is kept under its name.
_EXPLAINING = frozenset({"explain", "back extra", "extra"})


def _card(note: ForeignNote, media: list[str]) -> tuple[dict[str, object] | None, str]:
    """A note as a card mapping, or None with why it cannot be one."""
    converted = [_convert(note, text) for text in note.fields]
    for item in converted:
        media.extend(item.media)
    texts = [item.text for item in converted]
    kind = note.note_type.kind
    tags = list(dict.fromkeys(t for t in map(_tag, note.tags) if t))
    card: dict[str, object] = {"id": note.key}
    if kind == "cloze":
        if not texts or not texts[0]:
            return None, "its cloze text is empty once HTML and media are taken out"
        card.update(type="cloze", tags=tags, text=texts[0])
        used = 1
    else:
        if len(texts) < 2:
            raise ForeignFileError(
                f"{note.where}: note type `{visible(note.note_type.name)}` has one field, so no front and back:"
                " change its notes to Basic in Anki (Change Note Type) and export again"
            )
        front, back = texts[0], texts[1]
        if not front or not back:
            side = "front" if not front else "back"
            return None, f"its {side} is empty once HTML and media are taken out"
        card.update(type="basic", tags=tags, front=front, back=back)
        if kind == "reversed":
            card["reverse"] = True
        used = 2
    # The other fields are kept: a Quote (as `export` writes it) as the quote, the rest in `explain`.
    explain = []
    for name, text in zip(note.note_type.fields[used:], texts[used:], strict=False):
        if text and name.casefold() == "quote":
            card["quote"] = text
        elif text:
            explain.append(text if name.casefold() in _EXPLAINING else f"{name}: {text}")
    if explain:
        card["explain"] = "\n".join(explain)
    return card, ""


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1_000_000)


def _deck_text(deck_id: str, title: str, origin: str, cards: Sequence[dict[str, object]]) -> tuple[str, list[int]]:
    """The deck's YAML, and the first line (1-based) of each card."""
    head = _dump({"id": deck_id, "title": title, "description": f"Imported from {origin}.", "source": UNSOURCED})
    parts = [f"# Imported by `immunoquiz import` from {origin}: edit it as any deck.\n", head, "cards:\n"]
    starts = []
    line = sum(part.count("\n") for part in parts) + 1
    for card in cards:
        text = _dump([card])
        starts.append(line)
        parts.append(text)
        line += text.count("\n")
    if not cards:
        parts[-1] = "cards: []\n"
    return "".join(parts), starts


def _siblings(card: dict[str, object]) -> dict[int, int]:
    """Which sibling each of the other program's cards of a note is (Anki's ``ord`` to ours)."""
    if card["type"] == "cloze":
        return {number - 1: number for number in {d.number for d in parse_cloze(str(card["text"]))}}
    return {0: 0, 1: 1} if card.get("reverse") else {0: 0}


def import_deck(collection: ForeignCollection, deck_id: str, origin: str, path: Path) -> ImportedDeck:
    """Make a deck of another program's notes.

    Args:
        collection: What was read from the file.
        deck_id: The new deck's id (a slug).
        origin: The file's name, for the deck's description.
        path: Where the deck will be written (messages name it).

    Returns:
        The deck's text (it checks, with the one ``unsourced`` warning) and what was left out.

    Raises:
        ForeignFileError: A note type that cannot be mapped (one field, not cloze).
    """
    media: list[str] = []
    as_basic: dict[str, int] = {}
    skipped: list[Skipped] = []
    made: list[tuple[ForeignNote, dict[str, object]]] = []
    for note in collection.notes:
        card, why = _card(note, media)
        if card is None:
            skipped.append(Skipped(note.where, why))
            continue
        made.append((note, card))
        if note.note_type.kind == "other":
            as_basic[note.note_type.name] = as_basic.get(note.note_type.name, 0) + 1
    names = collection.deck_names
    title = names[0].rpartition("::")[2] if len(names) == 1 and names[0] else Path(origin).stem
    title = tidy(title) or deck_id
    origin = tidy(origin) or "another program"
    while True:
        text, starts = _deck_text(deck_id, title, origin, [card for _, card in made])
        outcome = read_deck(path, str(path), data=text.encode("utf-8"))
        bad: dict[int, str] = {}
        for diagnostic in outcome.diagnostics:
            if diagnostic.severity != "error":
                continue
            index = bisect_right(starts, diagnostic.line) - 1
            if index < 0:
                raise ForeignFileError(f"the deck made from it does not check ({diagnostic.message})")
            bad.setdefault(index, diagnostic.message)
        if not bad:
            break
        skipped += [Skipped(made[i][0].where, why) for i, why in sorted(bad.items())]
        made = [pair for i, pair in enumerate(made) if i not in bad]
    answers, left_out = _answers(collection, made)
    return ImportedDeck(
        deck_id,
        text,
        len(made),
        tuple(skipped),
        as_basic,
        tuple(dict.fromkeys(media)),
        collection.media_files,
        answers,
        left_out,
    )


def _answers(
    collection: ForeignCollection, made: Sequence[tuple[ForeignNote, dict[str, object]]]
) -> tuple[tuple[ImportedAnswer, ...], int]:
    siblings = {note.key: (str(card["id"]), _siblings(card)) for note, card in made}
    answers = []
    for review in collection.reviews:
        found = siblings.get(review.note_key)
        sibling = found[1].get(review.template) if found is not None else None
        if found is not None and sibling is not None:
            answers.append(ImportedAnswer(found[0], sibling, review.time_ms, review.rating, review.duration_ms))
    return tuple(answers), len(collection.reviews) - len(answers)


@dataclass(frozen=True, slots=True)
class HistoryImport:
    """What bringing the history did.

    Attributes:
        cards: Cards given their history and replayed state.
        answers: Answers written to the review log.
        kept: Cards left alone, as they already had answers here.
    """

    cards: int
    answers: int
    kept: int

    def describe(self) -> str:
        """One line for the summary."""
        kept = f"; {counted(self.kept, 'card')} already answered here kept their own" if self.kept else ""
        return (
            f"History: {counted(self.answers, 'answer')} of {counted(self.cards, 'card')} brought in and"
            f" replayed into their FSRS state{kept}."
        )


def bring_history(store: Store, deck_id: str, answers: Sequence[ImportedAnswer], day_rule: DayRule) -> HistoryImport:
    """Write imported answers to the review log and each card's replayed state, in one transaction.

    Each card's answers are replayed from a new card through the answer rule
    (``answering.next_state``) under the deck's options, exactly as the
    reschedule does; the log rows are as study would have written them
    (mode ``review``, no typed answer). A card that already has answers in
    this database is left alone, so importing twice never doubles a history.

    Args:
        store: The learner's database, with the deck synced into it.
        deck_id: The imported deck.
        answers: Its answers (``ImportedDeck.answers``).
        day_rule: Where the learner's study days begin.

    Returns:
        How many cards and answers were written, and cards kept as they were.
    """
    options = store.deck_options(deck_id)
    rows: list[HistoryRow] = []
    states: dict[int, CardState] = {}
    ordered = sorted(answers, key=attrgetter("card_id", "sibling", "time_ms"))
    for (card_id, sibling), history in groupby(ordered, key=attrgetter("card_id", "sibling")):
        rowid = store.find_card(deck_id, card_id, sibling).id
        state = CardState()
        for answer in history:
            at = from_ms(answer.time_ms)
            response = Response(Rating(answer.rating), at, day_rule.day_of(at), duration_ms=answer.duration_ms)
            after = next_state(state, response, options, rowid)
            rows.append(
                HistoryRow(
                    rowid, deck_id, answer.time_ms, response.day, answer.rating, answer.duration_ms, state, after
                )
            )
            state = after
        states[rowid] = state
    written = store.add_history(rows, states)
    return HistoryImport(len(written), sum(row.card in written for row in rows), len(states) - len(written))
