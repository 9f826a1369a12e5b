"""What a card teaches, and telling a correction of it from a wording edit.

An author may reword a card at will (its prompt, quote, explanation, tags,
hints, distractors, accepted spellings, tolerance): learners are told nothing
and keep their schedule. A change of what one of its siblings teaches, the
answer it expects, is a *correction*: each learner who has studied that
sibling is told once and relearns it (see ``Store.sync``). A fingerprint of a
card's teaching part is kept with its note, so that a sync decodes the stored
version of only the cards whose fingerprint moved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from immunoquiz.core.model import Basic, Body, Card, Choice, Cloze, Numeric, Typed, alternatives
from immunoquiz.core.present import expected_answer


def _number(value: Decimal | None) -> str:
    """A number as taught: ``59.8`` and ``59.80`` are the same fact."""
    return "" if value is None else f"{value.normalize():f}"


def taught(body: Body, sibling: int) -> tuple[str, ...]:
    """What one sibling of a card teaches: the answer it expects, without the wording around it.

    Args:
        body: The card's body.
        sibling: Which side (reverse) or deletion (cloze).

    Returns:
        The answer's parts: a basic side's text (the front for the reverse),
        a typed answer, the shown alternative of each cloze part, a choice's
        right options in any order, a number with its range, bound and unit,
        or ordering items in their order.
    """
    if isinstance(body, Basic):
        return (body.front if sibling == 1 else body.back,)
    if isinstance(body, Cloze):
        return tuple(alternatives(part)[0] for part in body.answers(sibling))
    if isinstance(body, Typed):
        return (body.answer,)
    if isinstance(body, Numeric):
        return (_number(body.value), _number(body.high), body.bound or "", body.unit)
    if isinstance(body, Choice):
        return tuple(sorted(body.answers))
    return body.items


def fingerprint(card: Card) -> str:
    """A short digest of what every sibling of a card teaches (``taught``), stored with its note.

    Only a shortcut: a sync compares the siblings themselves whenever it
    differs, so a change to this function costs time, never a false correction.
    """
    # Unit and record separators cannot occur in deck text (the reader refuses control characters).
    text = "\x1e".join("\x1f".join((str(sibling), *taught(card.body, sibling))) for sibling in card.siblings)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class Change:
    """A sibling whose teaching an edit changed.

    Attributes:
        sibling: The sibling.
        old_answer: Its expected answer before, as the app rendered it.
        new_answer: Its expected answer now.
    """

    sibling: int
    old_answer: str
    new_answer: str


def changes(old: Card, new: Card) -> tuple[Change, ...]:
    """The siblings kept by an edit whose teaching it changed (siblings added or removed are not corrections).

    Args:
        old: The card as last synced.
        new: The card as now read.

    Returns:
        One change per corrected sibling, in sibling order; none for a wording edit.
    """
    before = set(old.siblings)
    return tuple(
        Change(sibling, expected_answer(old, sibling), expected_answer(new, sibling))
        for sibling in new.siblings
        if sibling in before and taught(old.body, sibling) != taught(new.body, sibling)
    )
