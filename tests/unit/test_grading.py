"""Checking answers of every card type, with partial credit where it applies."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from immunoquiz.core.grading import (
    Judgement,
    Segment,
    Verdict,
    char_diff,
    choice_selection,
    edit_distance,
    grade,
    is_near_miss,
    judge,
    known_answers,
    numbers_name_options,
    ordering_answer,
    unreadable,
)
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, Typed, body_from_json, body_to_json
from immunoquiz.core.present import Prompt, present
from immunoquiz.core.schedule import Rating


def score_answer(card: Card, prompt: Prompt, given: str) -> tuple[bool | None, float]:
    """Whether an answer is right, and its credit."""
    judgement = judge(card, prompt, given)
    return judgement.correct, judgement.score


def card(body: object) -> Card:
    return Card("d", "c", ("t",), ("quote",), body)  # type: ignore[arg-type]


def test_basic_cards_are_self_graded_and_reverse_swaps_sides() -> None:
    c = card(Basic("What does irAE stand for?", "Immune-related adverse event", reverse=True))
    front, back = present(c, 0, random.Random(1)), present(c, 1, random.Random(1))
    assert (front.text, front.expected) == ("What does irAE stand for?", "Immune-related adverse event")
    assert (back.text, back.expected) == ("Immune-related adverse event", "What does irAE stand for?")
    verdict = grade(c, front, "")
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


def test_choice_by_number_counts_from_one_as_the_app_keys_do() -> None:
    c = card(Choice("Which drug blocks CTLA-4?", ("Ipilimumab",), ("Pembrolizumab", "Nivolumab", "Trastuzumab")))
    prompt = present(c, 0, random.Random(3))
    place = prompt.options.index("Ipilimumab")
    assert choice_selection(prompt, str(place + 1)) == {place}
    assert score_answer(c, prompt, f" {place + 1} ") == (True, 1.0)
    assert score_answer(c, prompt, str((place + 1) % 4 + 1)) == (False, 0.0)
    assert choice_selection(prompt, "0") is None and choice_selection(prompt, "5") is None
    assert choice_selection(prompt, "12") is None and choice_selection(prompt, "1a") is None
    assert unreadable(prompt, "9") == (
        "That names no option: type a letter from a to d (or 1 to 4), or the option's text."
    )


def test_numbers_name_no_place_where_an_option_reads_as_a_number() -> None:
    c = card(Choice("How many doses?", ("2",), ("1", "3", "4")))
    prompt = present(c, 0, random.Random(2))
    assert not numbers_name_options(prompt)
    assert score_answer(c, prompt, "2") == (True, 1.0)  # the option's text, whatever its place
    assert choice_selection(prompt, "2 3") is None  # two numbers: options or places? neither is guessed
    right = "abcd"[prompt.options.index("2")]
    assert score_answer(c, prompt, right) == (True, 1.0)
    assert unreadable(prompt, "") == "Nothing was typed: type a letter from a to d."


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
    assert score_answer(c, prompt, "1 2 " + "9" * 5000 + " 3") == (False, 0.0)  # no position, and no crash


def test_a_right_answer_proposes_good_however_quick_and_a_wrong_one_again() -> None:
    c = card(Typed("Brand of nivolumab?", "Opdivo"))
    prompt = present(c, 0, random.Random(1))
    assert grade(c, prompt, "Opdivo").proposed == Rating.GOOD
    assert grade(c, prompt, "Yervoy").proposed == Rating.AGAIN


def numeric(value: object, unit: str = "", **extra: object) -> tuple[Card, Prompt]:
    c = card(Numeric("How much?", value, unit=unit, **extra))  # type: ignore[arg-type]
    return c, present(c, 0, random.Random(1))


@pytest.mark.parametrize("given", ["24", "24 h", "24h", "24 hr", "24 hrs", "24 hours", "24 Hours."])
def test_a_declared_unit_accepts_its_spellings_or_none(given: str) -> None:
    c, prompt = numeric(Decimal(24), "hours")
    assert judge(c, prompt, given) == Judgement(True, 1.0), given


@pytest.mark.parametrize(
    ("unit", "given", "reason"),
    [
        ("hours", "24 minutes", "the unit is hours, not minutes"),
        ("h", "24 min", "the unit is hours, not minutes"),
        ("mmol/L", "4 mg/dl", "the unit is mmol/L, not mg/dL"),
        ("mg", "4 mcg", "the unit is mg, not mcg"),
        ("mcg", "4 mg", "the unit is mcg, not mg"),
        ("%", "20 days", "the unit is percent, not days"),
    ],
)
def test_another_unit_is_wrong_and_the_verdict_says_why(unit: str, given: str, reason: str) -> None:
    c, prompt = numeric(Decimal(24) if "24" in given else Decimal(given.split()[0]), unit)
    verdict = grade(c, prompt, given)
    assert (verdict.correct, verdict.reason, verdict.proposed) == (False, reason, Rating.AGAIN)


@pytest.mark.parametrize("given", ["5 µg", "5 μg", "5 mcg", "5 micrograms"])
def test_micrograms_are_spelt_many_ways(given: str) -> None:
    c, prompt = numeric(Decimal(5), "mcg")
    assert score_answer(c, prompt, given) == (True, 1.0)


@pytest.mark.parametrize(
    ("value", "given"),
    [
        (618000, "618k"),
        (618000, "618K"),
        (618000, "618 thousand"),
        (618000, "618,000"),
        (2000000, "2 million"),
        (2000000, "2M"),
        (2, "grade 2"),
        (2, "Grade 2."),
    ],
)
def test_numbers_as_people_write_them(value: int, given: str) -> None:
    c, prompt = numeric(Decimal(value))
    assert score_answer(c, prompt, given) == (True, 1.0), given


@pytest.mark.parametrize("given", ["2", "2 million", "2M", "2,000,000"])
def test_a_scale_word_for_unit_takes_the_figure_either_way(given: str) -> None:
    c, prompt = numeric(Decimal(2), "million")
    assert score_answer(c, prompt, given) == (True, 1.0), given
    assert score_answer(c, prompt, "2 thousand") == (False, 0.0)


@pytest.mark.parametrize("given", ["20-30", "20–30%", "20 to 30", "20 - 30 %", "20-30 percent"])
def test_a_range_accepts_both_ends_written_any_way(given: str) -> None:
    c, prompt = numeric(Decimal(20), "%", high=Decimal(30))
    assert prompt.expected == "20–30%"
    assert judge(c, prompt, given) == Judgement(True, 1.0), given


def test_one_right_end_of_a_range_earns_half_and_says_which() -> None:
    c, prompt = numeric(Decimal(20), "%", high=Decimal(30))
    low_right = grade(c, prompt, "20-35%")
    assert (low_right.correct, low_right.score, low_right.proposed) == (False, 0.5, Rating.AGAIN)
    assert low_right.reason == "the low end is right; the high end is 30, not 35"
    high_right = judge(c, prompt, "10 to 30")
    assert (high_right.score, high_right.reason) == (0.5, "the high end is right; the low end is 20, not 10")
    assert judge(c, prompt, "1-2") == Judgement(False, 0.0)
    assert judge(c, prompt, "25").reason == "the answer is a range: give both ends, like 20–30%"


@pytest.mark.parametrize("given", [">618000", "> 618,000", "over 618,000", "more than 618000", "618000", "618k+"])
def test_a_bound_accepts_its_comparisons_and_the_bare_number(given: str) -> None:
    c, prompt = numeric(Decimal(618000), bound="above")
    assert prompt.expected == "> 618,000"
    assert score_answer(c, prompt, given) == (True, 1.0), given


def test_a_bound_the_wrong_way_round_is_wrong_and_says_so() -> None:
    c, prompt = numeric(Decimal(618000), bound="above")
    verdict = judge(c, prompt, "under 618,000")
    assert (verdict.correct, verdict.reason) == (
        False,
        "the figure is a lower bound (> 618,000), not the other way round",
    )
    below, below_prompt = numeric(Decimal(5), bound="below")
    for given in ("<5", "under 5", "less than 5", "5"):
        assert score_answer(below, below_prompt, given) == (True, 1.0), given
    assert score_answer(below, below_prompt, ">5") == (False, 0.0)


def test_tolerance_applies_to_ranges_and_bounds() -> None:
    c, prompt = numeric(Decimal(20), high=Decimal(30), tolerance=Decimal(1))
    assert score_answer(c, prompt, "21-29") == (True, 1.0)
    assert score_answer(c, prompt, "22-29")[1] == 0.5
    bound, bound_prompt = numeric(Decimal(100), bound="above", tolerance=Decimal(5))
    assert score_answer(bound, bound_prompt, "over 104") == (True, 1.0)


def test_a_range_given_for_one_figure_is_wrong() -> None:
    c, prompt = numeric(Decimal("59.8"), "%")
    assert judge(c, prompt, "59-60").reason == "the answer is one figure, not a range"


def cloze(text: str, near_miss: bool = True) -> tuple[Card, Prompt]:
    c = card(Cloze(text, near_miss))
    return c, present(c, 1, random.Random(1))


@pytest.mark.parametrize("given", ["paused", "held", "Withheld", "WITHHELD."])
def test_cloze_alternatives_inside_a_deletion(given: str) -> None:
    c, prompt = cloze("Treatment is {{c1::paused|held|withheld}} for grade 2 colitis.")
    assert prompt.text == "Treatment is [...] for grade 2 colitis."
    assert prompt.expected == "paused (or held, withheld)"
    assert score_answer(c, prompt, given) == (True, 1.0), given
    assert score_answer(c, prompt, "stopped for good") == (False, 0.0)


def test_a_deletion_shown_with_alternatives_shows_the_first() -> None:
    c = card(Cloze("{{c1::PD-1}} is {{c2::paused|held}} here."))
    assert present(c, 1, random.Random(1)).text == "[...] is paused here."


@pytest.mark.parametrize("given", ["PD-1 and CTLA-4", "CTLA-4, PD-1", "pd-1; ctla-4", "PD-1 & CTLA-4"])
def test_a_number_hiding_several_parts_accepts_them_joined(given: str) -> None:
    c, prompt = cloze("Checkpoints include {{c1::PD-1}} and {{c1::CTLA-4}}.")
    assert prompt.expected == "PD-1; CTLA-4"
    assert score_answer(c, prompt, given) == (True, 1.0), given


def test_one_of_two_parts_earns_half() -> None:
    c, prompt = cloze("Checkpoints include {{c1::PD-1}} and {{c1::CTLA-4}}.")
    assert judge(c, prompt, "PD-1 and LAG-3") == Judgement(False, 0.5, "1 of the 2 parts right")
    assert judge(c, prompt, "PD-1").reason == "this gap hides 2 parts: type each, joined by and, a comma or ;"


@pytest.mark.parametrize("given", ["t cells", "T cells", "t-cells", "T-CELLS!"])
def test_a_hyphen_between_letters_is_a_space(given: str) -> None:
    c = card(Typed("What do checkpoint inhibitors release?", "T-cells"))
    assert score_answer(c, present(c, 0, random.Random(1)), given) == (True, 1.0)


def test_a_near_miss_is_almost_with_a_diff_and_proposes_hard() -> None:
    c = card(Typed("Brand of pembrolizumab?", "Keytruda"))
    verdict = grade(c, present(c, 0, random.Random(1)), "keytrda")
    assert (verdict.correct, verdict.score, verdict.almost, verdict.proposed) == (False, 0.0, True, Rating.HARD)
    assert verdict.diff == (Segment("same", "Keytr"), Segment("answer", "u"), Segment("same", "da"))


def test_the_near_miss_rule_counts_letters() -> None:
    assert char_diff("Opdivp", "Opdivo") == (Segment("same", "Opdiv"), Segment("typed", "p"), Segment("answer", "o"))
    assert is_near_miss("opdivp", "opdivo")  # 6 letters: one off
    assert not is_near_miss("opdvp", "opdivo")  # two off
    assert is_near_miss("ipilimumbb", "ipilimumab")  # 10 letters: two off
    assert not is_near_miss("ipilimxxxb", "ipilimumab")
    assert not is_near_miss("cat", "car")  # fewer than 4 letters: never
    assert not is_near_miss("pd-2", "pd-1")  # a digit: never
    assert not is_near_miss("ctla-5", "ctla-4")
    assert edit_distance("a" * 5000, "a" * 4999 + "b", 2) == 1


def test_a_near_miss_that_is_another_known_answer_is_plain_wrong() -> None:
    # One letter turns one drug name into another: never "almost".
    c = card(Typed("Which drug?", "Nivolumab"))
    prompt = present(c, 0, random.Random(1))
    known = known_answers([c, card(Typed("Other drug?", "Divolumab"))])
    assert grade(c, prompt, "divolumab", known) == Verdict(False, 0.0, Rating.AGAIN)
    assert grade(c, prompt, "divolumab").almost  # without the other card, it would be


def test_a_near_miss_can_be_turned_off() -> None:
    c = card(Typed("Brand?", "Keytruda", near_miss=False))
    assert grade(c, present(c, 0, random.Random(1)), "keytrda") == Verdict(False, 0.0, Rating.AGAIN)
    off, prompt = cloze("It is {{c1::withheld}}.", near_miss=False)
    assert not judge(off, prompt, "witheld").almost
    on, prompt = cloze("It is {{c1::withheld}}.")
    assert judge(on, prompt, "witheld").almost


def test_numbers_are_never_near_misses() -> None:
    c, prompt = numeric(Decimal(618000))
    assert judge(c, prompt, "618001") == Judgement(False, 0.0)


def test_long_punctuation_runs_are_read_in_linear_time() -> None:
    c = card(Typed("Q?", "a" + "!" * 100_000 + "b"))
    prompt = present(c, 0, random.Random(1))
    assert score_answer(c, prompt, "a" + "!" * 100_000 + "c") == (False, 0.0)
    assert score_answer(c, prompt, "!" * 100_000) == (False, 0.0)


@pytest.mark.parametrize(
    ("card_type", "stored", "body"),
    [
        # Rows as the code before ranges, bounds and near misses wrote them.
        (
            "numeric",
            '{"question":"EFS?","value":"59.8","tolerance":"0","unit":"%"}',
            Numeric("EFS?", Decimal("59.8"), Decimal(0), "%"),
        ),
        ("typed", '{"question":"Brand?","answer":"Keytruda","accept":["K"]}', Typed("Brand?", "Keytruda", ("K",))),
        ("cloze", '{"text":"{{c1::PD-1}}"}', Cloze("{{c1::PD-1}}")),
    ],
)
def test_bodies_stored_by_older_code_still_load(card_type: str, stored: str, body: object) -> None:
    assert body_from_json(card_type, stored) == body


def test_new_bodies_round_trip_through_json() -> None:
    for body in (
        Numeric("Share?", Decimal(20), Decimal(1), "%", high=Decimal(30)),
        Numeric("Deaths?", Decimal(618000), bound="above"),
        Typed("Brand?", "Keytruda", near_miss=False),
        Cloze("{{c1::paused|held}}", near_miss=False),
    ):
        assert body_from_json(card(body).type, body_to_json(body)) == body
