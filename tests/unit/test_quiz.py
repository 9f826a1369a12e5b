"""Quiz questions and papers: forms per card type, distractors, balance, seeds; marking and the exam clock."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.distractors import CANDIDATES, SHARED_TAG, DistractorPool, answer_kind, numeric_kind
from immunoquiz.core.exam import Exam, format_score, mark_answer, score_paper
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, QuizHints, Typed
from immunoquiz.core.quiz import (
    QUIZ_FORMS,
    Paper,
    QuestionMaker,
    build_paper,
    parse_forms,
    time_limit_s,
)
from immunoquiz.core.text import normalise_answer, parse_number


def card(card_id: str, body: object, *tags: str, deck: str = "d", kind: str | None = None, **hints: object) -> Card:
    quiz = QuizHints(kind=kind, **hints)  # type: ignore[arg-type]
    return Card(deck, card_id, tags or ("t",), (f"quote of {card_id}",), body, quiz=quiz)  # type: ignore[arg-type]


DRUGS = [
    card(
        "brand", Typed("Brand name of pembrolizumab?", "Keytruda", ("MK-3475",)), "drugs", "brand-names", kind="brand"
    ),
    card("opdivo", Typed("Brand name of nivolumab?", "Opdivo"), "drugs", "brand-names", kind="brand"),
    card("yervoy", Typed("Brand name of ipilimumab?", "Yervoy"), "drugs", "brand-names", kind="brand"),
    card("herceptin", Typed("Brand name of trastuzumab?", "Herceptin"), "other", kind="brand"),  # no shared tag
    card("code", Basic("Development code of pembrolizumab?", "MK-3475"), "drugs", kind="brand"),  # right for `brand`
    card("dup", Basic("Which drug is sold as Keytruda?", "keytruda!"), "drugs", kind="brand"),  # the answer again
    card("long", Basic("Which brand?", "Keytruda (pembrolizumab)"), "drugs", kind="brand"),  # holds the answer
    card("generic", Typed("Generic name of Opdivo?", "Nivolumab"), "drugs", "brand-names", kind="drug"),  # other kind
    card("liver", Typed("Which organ does hepatitis inflame?", "Liver"), "drugs"),  # no kind
]
FIGURES = [
    card("efs", Numeric("3-year EFS with pembrolizumab?", Decimal("59.8"), Decimal(15), "%"), "trials", "figures"),
    card("control", Numeric("EFS with standard care?", Decimal("45.9"), unit="%"), "trials"),  # within 15 of 59.8
    card("mortality", Numeric("Mortality drop since 1991?", Decimal(31), unit="%"), "figures"),
    card("three", Numeric("Years of follow-up, as a share?", Decimal(3), unit="%"), "trials"),
    card("again", Numeric("EFS again?", Decimal("59.80"), unit="%"), "trials"),  # same value
    card("deaths", Numeric("Predicted deaths?", Decimal(618000)), "trials"),  # a count, not a percent
    card("year", Numeric("Published in which year?", Decimal(2025)), "trials"),  # a year
]
OTHERS = [
    card("cloze", Cloze("{{c1::PD-1}} is bound by {{c2::PD-L1}}."), "mechanism"),
    card(
        "multi",
        Choice("Which are checkpoint targets?", ("PD-1", "CTLA-4"), ("ctla-4", "HER2", "VEGF", "CD20")),
        "targets",
    ),
    card("order", Ordering("CAR-T steps in order", ("Extract", "Engineer", "Grow", "Infuse")), "car-t"),
    card(
        "front",
        Basic("What does ICI stand for?", "Immune checkpoint inhibitor"),
        "drugs",
        distractors=("Immune cell infusion", "Interleukin cytokine injection"),
    ),
]
POOL = DRUGS + FIGURES + OTHERS


def texts(found: tuple[tuple[int, str], ...]) -> list[str]:
    return [text for _, text in found]


def test_every_card_type_yields_a_form() -> None:
    maker = QuestionMaker(POOL)
    forms = {c.id: maker.forms(c) for c in POOL}
    assert forms["brand"] == [(0, "typed"), (0, "choice")]
    assert forms["efs"] == [(0, "numeric"), (0, "choice")]
    assert forms["cloze"] == [(1, "typed"), (2, "typed")]
    assert forms["multi"] == [(0, "choice")]
    assert forms["order"] == [(0, "ordering")]
    assert forms["front"] == [(0, "choice")]
    assert {c.type for c in POOL if forms[c.id]} == {"basic", "cloze", "choice", "typed", "numeric", "ordering"}
    # A typed card without a kind still has its typed form; the choice form needs two distractors of its kind.
    assert forms["liver"] == [(0, "typed")] and forms["generic"] == [(0, "typed")]
    # A basic card without a kind has no question at all.
    assert maker.forms(card("bare", Basic("Front?", "Back"), "drugs")) == []
    assert maker.forms(POOL[0], ("numeric", "ordering")) == []


def test_distractors_are_answers_of_the_same_kind_and_never_right() -> None:
    found = texts(QuestionMaker(POOL).candidates(DRUGS[0]))
    # Brand names only; those of cards sharing a tag first, then the rest of the kind.
    assert found == ["Opdivo", "Yervoy", "Herceptin"]
    for excluded in ("MK-3475", "keytruda!", "Keytruda (pembrolizumab)", "Nivolumab", "Liver"):
        assert excluded not in found
    assert found[0] in texts(QuestionMaker(POOL).candidates(DRUGS[0])) and SHARED_TAG == 1


def test_numeric_distractors_are_numbers_of_the_same_kind_outside_the_tolerance() -> None:
    # 45.9% is within ±15 of 59.8 (also right), 59.80% is the same value, 618000 is a count and 2025 a year.
    assert sorted(texts(QuestionMaker(POOL).candidates(FIGURES[0]))) == ["3%", "31%"]


def test_the_kind_of_a_number_is_inferred_and_never_mixed() -> None:
    def kind(value: str, unit: str = "", **extra: object) -> str:
        return numeric_kind(Numeric("?", Decimal(value), unit=unit, **extra))  # type: ignore[arg-type]

    assert [kind("2025"), kind("1900"), kind("2100")] == ["year", "year", "year"]
    assert [kind("1899"), kind("2101"), kind("2025.5"), kind("618000"), kind("2", "million")] == ["count"] * 5
    assert kind("2025", high=Decimal(2030)) == "count" and kind("2025", bound="above") == "count"
    assert [kind("31", "%"), kind("31", "percent"), kind("24", "hrs"), kind("4", "mmol/L")] == [
        "percent",
        "percent",
        "hours",
        "mmol/L",
    ]
    numeric = card("n", Numeric("?", Decimal(2025)))
    assert answer_kind(numeric) == "year"
    assert answer_kind(card("n", Numeric("?", Decimal(2025)), kind="survival")) == "survival"
    assert answer_kind(card("t", Typed("?", "2025"))) is None
    assert answer_kind(card("n", Numeric("?", Decimal(2025)), choice=False)) is None
    years = [card(f"y{n}", Numeric("?", Decimal(n))) for n in (1991, 2024, 2025, 2026)]
    counts = [card(f"c{n}", Numeric("?", Decimal(n))) for n in (120, 618000, 1500)]
    candidates = texts(QuestionMaker(years + counts).candidates(years[0]))
    assert sorted(candidates) == ["2024", "2025", "2026"]


def test_what_the_cards_own_quote_or_explain_names_is_never_offered_as_wrong() -> None:
    def cells(card_id: str, answer: str, quote: str, explain: str | None = None) -> Card:
        return Card("d", card_id, ("cells",), (quote,), Typed("Which cells?", answer), explain, quiz=QuizHints("cell"))

    chemo = cells(
        "chemo", "Rapidly dividing cells", "targets rapidly dividing cells: hair follicles, gut lining, bone marrow"
    )
    pool = [
        chemo,
        cells("a", "Hair follicle cells", "one"),
        cells("b", "Gut lining cells", "two"),
        cells("c", "Bone marrow cells", "three"),
        cells("d", "Heart muscle cells", "four"),
        cells("e", "Liver cells", "five"),
        cells("f", "Nerve cells", "six"),
    ]
    assert texts(QuestionMaker(pool).candidates(chemo)) == ["Heart muscle cells", "Liver cells", "Nerve cells"]
    explained = replace(chemo, explain="Nerve cells rarely divide, so chemotherapy spares them.")
    assert "Nerve cells" not in texts(QuestionMaker(pool).candidates(explained))
    # An answer of a card quoting the whole passage is right for the card quoting part of it.
    whole = cells("g", "Skin cells", "targets rapidly dividing cells: hair follicles, gut lining, bone marrow, skin")
    assert "Skin cells" not in texts(QuestionMaker([*pool, whole]).candidates(chemo))
    # So is the answer of a card whose list of passages holds one of its own.
    listed = replace(cells("h", "Skin cells", "seven"), quotes=("seven", "targets rapidly dividing cells"))
    assert "Skin cells" not in texts(QuestionMaker([*pool, listed]).candidates(chemo))
    assert "Skin cells" in texts(QuestionMaker([*pool[:4], replace(listed, quotes=("seven",))]).candidates(chemo))


def test_explicit_distractors_and_choice_false_on_any_card() -> None:
    own = card(
        "own", Typed("Brand of nivolumab?", "Opdivo"), "drugs", kind="brand", distractors=("Zelboraf", "Tecentriq")
    )
    assert texts(QuestionMaker([*POOL, own]).candidates(own)) == ["Zelboraf", "Tecentriq"]
    maker = QuestionMaker([*POOL, own])
    question = maker.question(own, 0, "choice", random.Random(1))
    assert sorted(question.prompt.options) == ["Opdivo", "Tecentriq", "Zelboraf"]
    # choice: false: no choice form, and its answer is no other card's distractor.
    off = replace(DRUGS[1], quiz=QuizHints("brand", choice=False))
    pool = [DRUGS[0], off, *DRUGS[2:]]
    assert QuestionMaker(pool).forms(off) == [(0, "typed")]
    assert "Opdivo" not in texts(QuestionMaker(pool).candidates(DRUGS[0]))


def test_a_paper_makes_forms_and_distractors_only_for_the_cards_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    cards = [card(f"c{n}", Typed(f"Q{n}?", f"answer {n}"), f"t{n % 5}", kind="thing") for n in range(2000)]
    searched: list[str] = []
    search = DistractorPool.candidates

    def counted(self: DistractorPool, asked: Card) -> tuple[tuple[int, str], ...]:
        searched.append(asked.id)
        return search(self, asked)

    monkeypatch.setattr(DistractorPool, "candidates", counted)
    paper = build_paper(cards, cards, count=40, seed=7)
    assert len(paper.questions) == 40 and len(searched) == 40
    assert all(len(QuestionMaker(cards).candidates(c)) == CANDIDATES for c in cards[:3])


def test_one_fact_once_per_paper() -> None:
    def typed(card_id: str, deck: str, question: str, answer: str, quote: str = "the quote", **hints: object) -> Card:
        quiz = QuizHints(**hints)  # type: ignore[arg-type]
        return Card(deck, card_id, ("t",), (quote,), Typed(question, answer), quiz=quiz)

    twins = [typed("twin", "a", "Which drug?", "Pembrolizumab"), typed("twin", "b", "Name the drug", "pembrolizumab")]
    marked = [
        typed("low", "a", "Low end?", "20%", "q1", fact="range"),
        typed("high", "b", "High end?", "30%", fact="range"),
    ]
    shown = [
        typed("year", "a", "Which year?", "2025", "q2"),
        typed("trial", "b", "Which trial, in 2025, ...?", "KN", "q3"),
    ]
    fillers = [typed(f"f{n}", "ab"[n % 2], f"Filler {n}?", f"filler {n}", f"q{n + 4}") for n in range(6)]
    cards = twins + marked + shown + fillers
    for seed in range(30):
        paper = build_paper(cards, cards, count=20, seed=seed)
        ids = {q.card.id for q in paper.questions}
        assert len(paper.questions) == 9 and paper.short
        assert ("low" in ids) != ("high" in ids) and ("year" in ids) != ("trial" in ids)
        assert [q.card.id for q in paper.questions].count("twin") == 1


def test_choice_questions_have_one_right_option_and_no_repeats() -> None:
    maker = QuestionMaker(POOL)
    rng = random.Random(1)
    for _ in range(50):
        for source in (DRUGS[0], FIGURES[0], OTHERS[3]):
            question = maker.question(source, 0, "choice", rng)
            options = question.prompt.options
            assert len({normalise_answer(o) for o in options}) == len(options)
            right = [o for o in options if mark_answer(question, 0, o).correct]
            assert right == list(question.right_options) and len(right) == 1
        multi = maker.question(OTHERS[1], 0, "choice", rng)
        # The author's "ctla-4" is the answer CTLA-4 again: never shown as a distractor.
        assert sorted(multi.prompt.options, key=str.lower).count("CTLA-4") == 1
        assert "ctla-4" not in multi.prompt.options and len(multi.prompt.options) == 4
    numeric = maker.question(FIGURES[0], 0, "choice", random.Random(2))
    assert sorted(Decimal(str(parse_number(o))) for o in numeric.prompt.options) == [3, 31, Decimal("59.8")]


def tagged_cards() -> list[Card]:
    cards = [card(f"a{i}", Typed(f"A{i}?", f"alpha {i}"), "a") for i in range(10)]
    cards += [card(f"b{i}", Typed(f"B{i}?", f"beta {i}"), "b") for i in range(3)]
    cards += [card(f"c{i}", Typed(f"C{i}?", f"gamma {i}"), "c") for i in range(5)]
    return cards


def tag_counts(paper: Paper) -> Counter[str]:
    return Counter(q.card.tags[0] for q in paper.questions)


def test_papers_are_balanced_across_the_chosen_tags() -> None:
    cards = tagged_cards()
    for seed in range(20):
        assert tag_counts(build_paper(cards, cards, count=9, tags=["a", "b", "c"], seed=seed)) == {
            "a": 3,
            "b": 3,
            "c": 3,
        }
        counts = tag_counts(build_paper(cards, cards, count=12, tags=["a", "b", "c"], seed=seed))
        assert counts["b"] == 3 and sorted([counts["a"], counts["c"]]) == [4, 5]
    # Without tags, the paper is balanced across decks.
    two_decks = [card(f"x{i}", Typed("?", f"x{i}"), deck="x") for i in range(8)] + [
        card(f"y{i}", Typed("?", f"y{i}"), deck="y") for i in range(8)
    ]
    paper = build_paper(two_decks, two_decks, count=6, seed=3)
    assert Counter(q.card.deck_id for q in paper.questions) == {"x": 3, "y": 3} and paper.groups == ("x", "y")


def test_the_seed_gives_the_same_paper() -> None:
    first = build_paper(POOL, POOL, count=10, seed=42)
    again = build_paper(POOL, POOL, count=10, seed=42)
    assert [(q.id, q.prompt) for q in first.questions] == [(q.id, q.prompt) for q in again.questions]
    others = [build_paper(POOL, POOL, count=10, seed=s) for s in range(43, 48)]
    assert any([(q.id, q.prompt) for q in o.questions] != [(q.id, q.prompt) for q in first.questions] for o in others)


def test_no_card_twice_and_the_largest_paper_when_asked_for_too_many() -> None:
    paper = build_paper(POOL, POOL, count=100, seed=5)
    cards = [(q.id.deck_id, q.id.card_id) for q in paper.questions]
    maker = QuestionMaker(POOL)
    askable = sum(bool(maker.forms(c)) for c in POOL)
    # Some askable cards are passed over: their question shows the answer of one already on the paper.
    assert len(cards) == len(set(cards)) and len(cards) < paper.available == askable
    assert paper.short and paper.shortfall() == (
        f"asked for 100 questions but these decks, tags and forms give only {len(cards)}: "
        f"{askable - len(cards)} of the {askable} cards that can be asked teach a fact already on the paper, "
        "or show the answer of a question on it"
    )
    assert build_paper(POOL, POOL, count=len(cards), seed=5).shortfall() is None
    assert "no question can be made" in (build_paper([], POOL, count=5, seed=1).shortfall() or "")


def test_types_restrict_the_forms_whatever_the_card_type() -> None:
    only_choice = build_paper(POOL, POOL, count=100, forms=("choice",), seed=9)
    assert {q.form for q in only_choice.questions} == {"choice"}
    assert {q.card.type for q in only_choice.questions} == {"basic", "typed", "numeric", "choice"}
    only_numeric = build_paper(POOL, POOL, count=100, forms=("numeric", "ordering"), seed=9)
    assert Counter(q.form for q in only_numeric.questions) == {"numeric": 6, "ordering": 1}
    assert parse_forms("choice, typed,choice") == ("choice", "typed")
    with pytest.raises(ValueError, match=r"`essay` is not a question form \(forms: choice, typed, numeric, ordering\)"):
        parse_forms("choice,essay")
    assert QUIZ_FORMS == ("choice", "typed", "numeric", "ordering")


# -- marking -------------------------------------------------------------


def scoring_paper() -> Paper:
    maker = QuestionMaker(POOL)
    rng = random.Random(3)
    questions = (
        maker.question(OTHERS[2], 0, "ordering", rng),  # tags: car-t
        maker.question(OTHERS[1], 0, "choice", rng),  # multi-answer; tags: targets
        maker.question(DRUGS[0], 0, "typed", rng),  # tags: drugs, brand-names
        maker.question(FIGURES[0], 0, "numeric", rng),  # tags: trials, figures
    )
    return Paper(questions, 4, 4, 3, ())


def test_partial_credit_total_and_per_tag_breakdown() -> None:
    paper = scoring_paper()
    ordering, multi, typed, numeric = paper.questions
    # Ordering: Extract, Engineer, Infuse, Grow: one pair of six out of order.
    numbers = {item: str(n) for n, item in enumerate(ordering.prompt.options, 1)}
    swap = mark_answer(ordering, 0, " ".join(numbers[i] for i in ("Extract", "Engineer", "Infuse", "Grow")))
    assert (swap.correct, round(swap.score, 4)) == (False, round(5 / 6, 4))
    # Multi-answer: one of the two right options, nothing wrong: half.
    letter = "abcd"[multi.prompt.options.index("PD-1")]
    half = mark_answer(multi, 1, letter)
    assert (half.correct, half.score, half.chosen) == (False, 0.5, ("PD-1",))
    brand = mark_answer(typed, 2, "mk-3475")  # an accepted alternative
    near = mark_answer(numeric, 3, "50 %")  # within the ±15 tolerance
    assert brand.correct and near.correct
    card_ = score_paper(paper, [swap, half, brand, near], duration_ms=61_000)
    assert round(card_.score, 4) == round(2 + 5 / 6 + 0.5, 4)
    assert card_.line() == "Score: 3.33/4 (83%)"
    assert card_.mistakes == (0, 1) and card_.answered == 4
    assert [(t.tag, round(t.score, 2), t.total) for t in card_.by_tag] == [
        ("brand-names", 1, 1),
        ("car-t", 0.83, 1),
        ("drugs", 1, 1),
        ("figures", 1, 1),
        ("targets", 0.5, 1),
        ("trials", 1, 1),
    ]
    chosen = score_paper(paper, [swap, half], tags=["drugs", "car-t"])
    assert [(t.tag, t.total) for t in chosen.by_tag] == [("drugs", 1), ("car-t", 1)]
    assert chosen.answered == 2 and chosen.mistakes == (0, 1, 2, 3)
    assert format_score(7.5, 10) == "7.5/10 (75%)" and format_score(0, 3) == "0/3 (0%)"


def test_time_limit_ends_the_exam_and_pauses_stop_the_clock(clock: ManualClock) -> None:
    paper = scoring_paper()
    exam = Exam(paper, clock=clock, time_limit=timedelta(minutes=2))
    clock.advance(seconds=30)
    first = exam.answer("1 2 3 4")
    assert first is not None and first.elapsed_ms == 30_000
    exam.pause()
    clock.advance(minutes=10)  # a coffee break does not count
    assert exam.paused and exam.remaining() == timedelta(seconds=90)
    exam.resume()
    clock.advance(seconds=20)
    second = exam.answer("a")
    assert second is not None and second.elapsed_ms == 20_000
    assert exam.remaining() == timedelta(seconds=70) and not exam.expired
    clock.advance(seconds=71)
    assert exam.expired and exam.current() is None
    assert exam.answer("keytruda") is None  # came after the limit: not counted
    result = exam.finish()
    assert result.timed_out and result.answered == 2 and result.total == 4
    assert result.duration_ms == 120_000 and result.mistakes[-2:] == (2, 3)
    assert [m.given for m in exam.marks[2:]] == [None, None]


def test_no_timer_and_finishing_early(clock: ManualClock) -> None:
    exam = Exam(scoring_paper(), clock=clock)
    clock.advance(hours=5)
    assert exam.remaining() is None and not exam.expired
    assert exam.skip() is not None
    result = exam.finish()
    assert not result.timed_out and result.answered == 0 and result.score == 0 and result.duration_ms == 5 * 3600_000
    assert exam.finish() is result and exam.current() is None


def test_time_limits_from_minutes() -> None:
    assert time_limit_s(None) is None
    assert time_limit_s(15) == 900 and time_limit_s(0.25) == 15
    assert time_limit_s(0.001) == 1  # never a zero-second paper
    with pytest.raises(ValueError):
        time_limit_s(0)
