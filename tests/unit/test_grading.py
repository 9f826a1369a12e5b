"""Checking answers of every card type, with partial credit where it applies."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from immunoquiz.core.grading import grade, ordering_answer, score_answer
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, Typed
from immunoquiz.core.present import present
from immunoquiz.core.schedule import Rating


def card(body: object) -> Card:
    return Card("d", "c", ("t",), "quote", body)  # type: ignore[arg-type]


def test_basic_cards_are_self_graded_and_reverse_swaps_sides() -> None:
    c = card(Basic("What does irAE stand for?", "Immune-related adverse event", reverse=True))
    front, back = present(c, 0, random.Random(1)), present(c, 1, random.Random(1))
    assert (front.text, front.expected) == ("What does irAE stand for?", "Immune-related adverse event")
    assert (back.text, back.expected) == ("Immune-related adverse event", "What does irAE stand for?")
    verdict = grade(c, front, "", 1.0, 5.0)
    assert verdict.correct is None and verdict.proposed == Rating.GOOD


def test_typed_accepts_alternatives_and_ignores_case_accents_punctuation() -> None:
    c = card(Typed("Brand of pembrolizumab?", "Keytruda", ("Keytruda (pembrolizumab)",)))
    prompt = present(c, 0, random.Random(1))
    for given in ("keytruda", " KEYTRUDA. ", "Kéytruda", "keytruda (pembrolizumab)"):
        assert score_answer(c, prompt, given) == (True, 1.0), given
    for given in ("Opdivo", "", "Keytrud"):
        assert score_answer(c, prompt, given) == (False, 0.0), given


@pytest.mark.parametrize("given", ["59.8", "59.8%", "59.8 %", "59,8"])
def test_numeric_accepts_the_figure_with_or_without_its_unit(given: str) -> None:
    c = card(Numeric("EFS?", Decimal("59.8"), Decimal(0), "%"))
    assert score_answer(c, present(c, 0, random.Random(1)), given) == (True, 1.0)


def test_numeric_tolerance() -> None:
    c = card(Numeric("EFS?", Decimal("59.8"), Decimal("0.5"), "%"))
    prompt = present(c, 0, random.Random(1))
    assert prompt.expected == "59.8% (±0.5)"
    assert score_answer(c, prompt, "60.3")[0] is True
    assert score_answer(c, prompt, "60.4")[0] is False
    assert score_answer(c, prompt, "sixty")[0] is False


def test_cloze_asks_one_deletion_and_shows_the_hint() -> None:
    c = card(Cloze("Cancer cells express {{c1::PD-L1}}, which links to {{c2::PD-1::a receptor}} on T-cells."))
    first, second = present(c, 1, random.Random(1)), present(c, 2, random.Random(1))
    assert first.text == "Cancer cells express [...], which links to PD-1 on T-cells."
    assert second.text == "Cancer cells express PD-L1, which links to [a receptor] on T-cells."
    assert score_answer(c, first, "pd-l1") == (True, 1.0)
    assert score_answer(c, second, "PD-L1") == (False, 0.0)


def test_choice_by_letter_or_text_with_shuffled_options() -> None:
    c = card(
        Choice("Which drug blocks CTLA-4?", ("Ipilimumab",), ("Pembrolizumab", "Nivolumab", "Trastuzumab", "Cetuximab"))
    )
    orders = {present(c, 0, random.Random(seed)).options for seed in range(12)}
    assert len(orders) > 1  # shuffled per showing
    prompt = present(c, 0, random.Random(3))
    assert len(prompt.options) == 4 and "Ipilimumab" in prompt.options
    letter = "abcd"[prompt.options.index("Ipilimumab")]
    assert score_answer(c, prompt, letter) == (True, 1.0)
    assert score_answer(c, prompt, letter.upper()) == (True, 1.0)
    assert score_answer(c, prompt, "ipilimumab") == (True, 1.0)
    wrong = "abcd"[(prompt.options.index("Ipilimumab") + 1) % 4]
    assert score_answer(c, prompt, wrong) == (False, 0.0)
    assert score_answer(c, prompt, "z") == (False, 0.0)
    assert prompt.labelled_options()[0].startswith("a) ")


def test_multi_answer_choice_gives_partial_credit() -> None:
    c = card(Choice("Which are PD-1 blockers?", ("Pembrolizumab", "Nivolumab"), ("Ipilimumab", "Trastuzumab")))
    prompt = present(c, 0, random.Random(5))
    assert prompt.multi and len(prompt.options) == 4
    letters = {o: "abcd"[n] for n, o in enumerate(prompt.options)}
    both = f"{letters['Pembrolizumab']} {letters['Nivolumab']}"
    assert score_answer(c, prompt, both) == (True, 1.0)
    assert score_answer(c, prompt, letters["Nivolumab"]) == (False, 0.5)
    assert score_answer(c, prompt, f"{both},{letters['Ipilimumab']}") == (False, 0.5)
    assert score_answer(c, prompt, letters["Ipilimumab"]) == (False, 0.0)


def test_ordering_by_item_numbers_with_partial_credit() -> None:
    steps = ("Extract T-cells", "Engineer a CAR", "Grow millions", "Infuse them back")
    c = card(Ordering("Order the CAR-T steps", steps))
    prompt = present(c, 0, random.Random(2))
    assert prompt.options != steps and sorted(prompt.options) == sorted(steps)
    right = ordering_answer(prompt)
    assert score_answer(c, prompt, right) == (True, 1.0)
    numbers = right.split()
    swapped = " ".join([numbers[1], numbers[0], *numbers[2:]])
    assert score_answer(c, prompt, swapped) == (False, pytest.approx(5 / 6))  # type: ignore[comparison-overlap]
    assert score_answer(c, prompt, " ".join(reversed(numbers))) == (False, 0.0)
    assert score_answer(c, prompt, "1 1 2 3") == (False, 0.0)
    assert score_answer(c, prompt, "1 2 3") == (False, 0.0)


def test_quick_right_answers_propose_easy_and_wrong_ones_again() -> None:
    c = card(Typed("Brand of nivolumab?", "Opdivo"))
    prompt = present(c, 0, random.Random(1))
    assert grade(c, prompt, "Opdivo", 3.0, 5.0).proposed == Rating.EASY
    assert grade(c, prompt, "Opdivo", 9.0, 5.0).proposed == Rating.GOOD
    assert grade(c, prompt, "Yervoy", 1.0, 5.0).proposed == Rating.AGAIN
