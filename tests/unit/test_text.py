"""Normalisation rules for quotes, answers and numbers."""

from __future__ import annotations

import itertools
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import fields
from decimal import Decimal

import pytest

from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.reader import read_deck
from immunoquiz.core.text import (
    Quantity,
    fold_typography,
    forbidden_character,
    normalise_answer,
    normalise_quote,
    numbers_in,
    parse_number,
    read_quantity,
    unit_name,
)
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import DECKS


def test_quotes_fold_typography_but_keep_case() -> None:
    assert normalise_quote("That’s  not\nscience fiction.") == "That's not science fiction"
    assert normalise_quote("range from around 20–30%") == "range from around 20-30%"
    assert normalise_quote("“don’t attack me.”") == '"don\'t attack me."'
    assert normalise_quote("Immunotherapy") != normalise_quote("immunotherapy")
    assert normalise_quote("and so on...") == "and so on..."


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  KEYTRUDA ", "Keytruda"),
        ("Keytruda.", "Keytruda"),
        ("«Keytruda»", "Keytruda"),
        ("Pembrolizúmab", "pembrolizumab"),
        ("tumor   mutational\tburden", "Tumor mutational burden"),
    ],
)
def test_answers_ignore_case_accents_edge_punctuation_and_spaces(given: str, expected: str) -> None:
    assert normalise_answer(given) == normalise_answer(expected)


def test_inner_punctuation_still_counts() -> None:
    assert normalise_answer("PD-1") != normalise_answer("PD1")
    assert normalise_answer("PD–1") == normalise_answer("PD-1")


def test_numbers_are_compared_by_value() -> None:
    assert numbers_in("over 618,000 predicted deaths") == {Decimal(618000)}
    assert Decimal("618000") in numbers_in("618,000")
    assert numbers_in("3-year event-free survival to 59.8%") == {Decimal(3), Decimal("59.8")}
    assert numbers_in("from around 20–30% in many cancers") == {Decimal(20), Decimal(30)}
    assert numbers_in("KEYNOTE-689 in 2025") == {Decimal(689), Decimal(2025)}
    assert Decimal("59.80") in numbers_in("59.8%")


@pytest.mark.parametrize("typed", ["59.8", "59.8%", "59.8 %", " 59.8  ", "59,8", "59.80"])
def test_learners_may_type_a_figure_many_ways(typed: str) -> None:
    assert parse_number(typed) == Decimal("59.8")


def test_number_parsing_refuses_ambiguity() -> None:
    assert parse_number("618,000") == Decimal(618000)
    assert parse_number("-3") == Decimal(-3)
    assert parse_number("about sixty") is None
    assert parse_number("59.8 or 45.9") is None
    assert parse_number("1,2,3") is None
    assert parse_number("") is None


def test_control_characters_and_escapes_are_found() -> None:
    assert forbidden_character("plain\ttext\nlines") is None
    assert forbidden_character("red \x1b[31m") == (4, "ESC (terminal escape sequence)")
    assert forbidden_character("bell\x07") == (4, "U+0007")
    assert forbidden_character("c1 \x9b") == (3, "U+009B")
    assert forbidden_character("bidi \u202e") == (5, "U+202E")
    # Marks that no learner can see or type, which would make an answer unanswerable.
    for mark in "\u200b\u200f\u2060\ufeff\u00ad\u061c":
        assert forbidden_character(f"Keytr{mark}uda") == (5, f"U+{ord(mark):04X}, an invisible mark,")


@pytest.mark.parametrize(
    ("typed", "quantity"),
    [
        ("618k", Quantity(Decimal(618000))),
        ("618 thousand", Quantity(Decimal(618000))),
        ("2 million", Quantity(Decimal(2000000))),
        ("2M", Quantity(Decimal(2000000))),
        ("618,000", Quantity(Decimal(618000))),
        ("over 618,000", Quantity(Decimal(618000), bound="above")),
        ("more than 618000", Quantity(Decimal(618000), bound="above")),
        (">618000", Quantity(Decimal(618000), bound="above")),
        ("618,000+", Quantity(Decimal(618000), bound="above")),
        ("<5", Quantity(Decimal(5), bound="below")),
        ("under 5", Quantity(Decimal(5), bound="below")),
        ("less than 5", Quantity(Decimal(5), bound="below")),
        ("grade 2", Quantity(Decimal(2))),
        ("about 60", Quantity(Decimal(60))),
        ("20-30", Quantity(Decimal(20), Decimal(30))),
        ("20–30%", Quantity(Decimal(20), Decimal(30), unit="%")),
        ("20 to 30", Quantity(Decimal(20), Decimal(30))),
        ("20-30 thousand", Quantity(Decimal(20000), Decimal(30000))),
        ("24 hrs", Quantity(Decimal(24), unit="hours")),
        ("24 minutes", Quantity(Decimal(24), unit="minutes")),
        ("4 mmol/L", Quantity(Decimal(4), unit="mmol/L")),
        ("4 mg/dl", Quantity(Decimal(4), unit="mg/dL")),
        ("5 µg", Quantity(Decimal(5), unit="mcg")),
        ("30 per cent", Quantity(Decimal(30), unit="%")),
        ("2 million people", Quantity(Decimal(2000000))),
        ("Grade 2.", Quantity(Decimal(2))),
    ],
)
def test_quantities_as_people_write_them(typed: str, quantity: Quantity) -> None:
    assert read_quantity(typed) == quantity


@pytest.mark.parametrize("typed", ["sixty", "59.8 or 45.9", "1 2 3", "very much over 5", "5 #", "x" * 101, ""])
def test_what_is_not_one_quantity(typed: str) -> None:
    assert read_quantity(typed) is None


def test_unit_spellings_have_one_name() -> None:
    assert unit_name("hrs") == unit_name("Hours") == "hours"
    assert unit_name("µg") == unit_name("mcg") == "mcg"
    assert unit_name("mmol/l") == "mmol/L"
    assert unit_name("furlongs") is None


def test_a_hyphen_between_letters_is_a_space_but_not_beside_a_digit() -> None:
    assert normalise_answer("T-cells") == normalise_answer("t cells")
    assert normalise_answer("PD-1") != normalise_answer("PD 1")


def test_answer_normalising_is_linear_on_punctuation_runs() -> None:
    # '[\W_]+$' took minutes on this; the loop takes milliseconds.
    assert normalise_answer("a" + "!" * 100_000 + "b") == "a" + "!" * 100_000 + "b"
    assert normalise_answer("!" * 100_000) == ""


def normalised_in_full(answer: str) -> str:
    """``normalise_answer`` the long way, as before its ASCII fast path: each step a regex, each text decomposed."""
    folded = re.sub(r"\s+", " ", fold_typography(answer)).strip()
    folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    folded = folded.casefold()
    start, end = 0, len(folded)
    while start < end and not folded[start].isalnum():
        start += 1
    while end > start and not folded[end - 1].isalnum():
        end -= 1
    return re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", folded[start:end])


def deck_texts() -> Iterator[str]:
    """Every text of every card of the bundled and test decks: answers, prompts, quotes, notes and hints."""
    for path in iter_deck_files([bundled_decks_dir(), DECKS / "good", DECKS / "tui"]):
        deck = read_deck(path).deck
        assert deck is not None, path
        for card in deck.cards:
            yield from card.quotes
            yield from card.tags
            yield from (card.explain or "", card.quiz.fact or "", *card.quiz.distractors)
            for value in (getattr(card.body, field.name) for field in fields(card.body)):
                if isinstance(value, str):
                    yield value
                elif isinstance(value, tuple):
                    yield from (item for item in value if isinstance(item, str))


SPACES = "".join(char for char in map(chr, range(sys.maxunicode + 1)) if char.isspace())
# Letters, digits, edges and inner punctuation, whitespace, accents, ligatures, case folds that grow
# (ß, İ), typography and controls: each rule's corner.
HOSTILE = "aZ09-_.!'\"()[] \t\n\x0b\x0c\r\x1c\x1f\x00\x7féÉ\u0301ﬁßİΣς½²\u2013\u2019\u00a0\u2026\u3000\u200b"


def hostile_texts() -> Iterator[str]:
    """Short texts of every mix of ``HOSTILE``'s characters, every ASCII pair, and long seeded random ones."""
    for length in range(4):
        yield from map("".join, itertools.product(HOSTILE, repeat=length))
    yield from map("".join, itertools.product(map(chr, range(128)), repeat=2))
    rng = random.Random(14)
    alphabet = HOSTILE + SPACES + "".join(map(chr, range(128)))
    for _ in range(2000):
        yield "".join(rng.choices(alphabet, k=rng.randint(1, 40)))
        yield " ".join(rng.choices(["T-cells", "PD-1", "  ", "--", "_x_", "Ünïcode", "CAR\u2011T"], k=4))


def test_the_ascii_fast_path_keys_every_text_as_the_full_path_does() -> None:
    texts = [*deck_texts(), *hostile_texts()]
    assert len(texts) > 80_000
    for text in texts:
        assert normalise_answer(text) == normalised_in_full(text), repr(text)


def test_typography_folds_every_kind_of_whitespace_as_one_space() -> None:
    assert len(SPACES) > 20  # the Unicode spaces, not only ASCII's
    for space in SPACES:
        for text in (space, f"a{space}b", f"{space}{space}a {space}b\t{space}"):
            assert fold_typography(text) == re.sub(r"\s+", " ", text).strip(), repr(text)
