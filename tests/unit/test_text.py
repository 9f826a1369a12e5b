"""Normalisation rules for quotes, answers and numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from immunoquiz.core.text import (
    forbidden_character,
    normalise_answer,
    normalise_quote,
    numbers_in,
    parse_number,
)


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
