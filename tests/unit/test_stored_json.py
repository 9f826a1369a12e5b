"""A note's JSON columns hold what ``JSON.encode`` writes, byte for byte, however fast they are written."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from pathlib import Path

from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.model import (
    JSON,
    Basic,
    Card,
    Choice,
    Cloze,
    Numeric,
    Ordering,
    Typed,
    body_from_json,
    body_to_json,
    encode_texts,
)
from immunoquiz.core.reader import read_deck
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import DECKS
from tests.support.generated import generated_deck

# Quotes, backslashes, controls, separators JSON escapes or keeps, accents, astral characters, and nothing.
HOSTILE = ('"', "\\", "\n\t\r\x00\x1f\x7f", "\u2028\u2029", "é Ω \U0001f600", "", " ", "]", "{}", ":,")


def all_cards(tmp_path: Path) -> list[Card]:
    """Every card of the bundled decks, the test decks and the generated deck of every card type and hint."""
    paths = [*iter_deck_files([bundled_decks_dir(), DECKS / "good", DECKS / "tui"]), generated_deck(tmp_path)]
    cards: list[Card] = []
    for path in paths:
        deck = read_deck(path).deck
        assert deck is not None, path
        cards += deck.cards
    return cards


def plain_json(body: object) -> str:
    """A body as ``JSON.encode`` writes its fields, numbers as exact decimal strings."""
    return JSON.encode(
        {f.name: str(v) if isinstance(v := getattr(body, f.name), Decimal) else v for f in fields(body)}  # type: ignore[arg-type]
    )


def test_texts_and_bodies_are_written_as_json_encode_writes_them(tmp_path: Path) -> None:
    cards = all_cards(tmp_path)
    assert {card.type for card in cards} == {"basic", "cloze", "choice", "typed", "numeric", "ordering"}
    for card in cards:
        assert encode_texts(card.tags) == JSON.encode(card.tags)
        assert body_to_json(card.body) == plain_json(card.body)
    for text in HOSTILE:
        assert encode_texts((text, text)) == JSON.encode([text, text])
    assert encode_texts(()) == "[]"
    bodies = (
        Basic(*HOSTILE[:2], reverse=True),
        Cloze("{{c1::" + HOSTILE[4] + "}}", near_miss=False),
        Choice(HOSTILE[0], HOSTILE[1:3], HOSTILE[3:6], None),
        Choice("q", ("a",), ("b", "c"), "drugs"),
        Typed(HOSTILE[2], HOSTILE[3], HOSTILE[4:], near_miss=False),
        Numeric("q", Decimal("-1.50E+3"), Decimal("0.5"), "%", Decimal(2), "above"),
        Numeric("q", Decimal(59), high=None, bound=None),
        Ordering(HOSTILE[5], HOSTILE[6:]),
    )
    for body in bodies:
        written = body_to_json(body)
        assert written == plain_json(body)
        assert body_from_json(Card("d", "c", (), (), body).type, written) == body
