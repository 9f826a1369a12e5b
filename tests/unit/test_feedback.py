"""The feedback on an answer: one wording of the verdict, the right answer and the hints for every front end."""

from __future__ import annotations

import random
from decimal import Decimal

from immunoquiz.core.exam import Mark, mark_answer, unanswered
from immunoquiz.core.feedback import QUIZ_ALMOST, answer_feedback, format_feedback, key_hint, line_hint, mark_feedback
from immunoquiz.core.grading import grade
from immunoquiz.core.model import Basic, Card, Choice, Numeric, Ordering, Typed
from immunoquiz.core.present import present
from immunoquiz.core.quiz import Question, QuestionId


def card(body: object, explain: str | None = "Because.") -> Card:
    return Card("d", "c", ("t",), ("the quote",), body, explain)  # type: ignore[arg-type]


TYPED = card(Typed("Brand of pembrolizumab?", "Keytruda"))
ORDERING = card(Ordering("Steps of CAR-T?", ("Extract", "Engineer", "Expand", "Infuse")))
MULTI = card(Choice("Which block PD-1?", ("Pembrolizumab", "Nivolumab"), ("Ipilimumab", "Trastuzumab")))


def test_a_studied_answer_is_right_or_wrong_and_repeats_only_a_wrong_one() -> None:
    prompt = present(TYPED, 0, random.Random(1))
    right = answer_feedback(TYPED, prompt, grade(TYPED, prompt, "keytruda"), "keytruda")
    wrong = answer_feedback(TYPED, prompt, grade(TYPED, prompt, "Opdivo"), "Opdivo")
    assert (right.headline, right.sentence, right.given) == ("✓ Right", "Right.", None)
    assert (wrong.headline, wrong.sentence, wrong.given) == ("✗ Wrong", "Wrong.", "Opdivo")
    assert (right.expected, right.quotes, right.explain, right.numbering) == (
        "Keytruda",
        ("the quote",),
        "Because.",
        None,
    )


def test_a_self_graded_card_has_no_verdict() -> None:
    c = card(Basic("Front", "Back"))
    prompt = present(c, 0, random.Random(1))
    feedback = answer_feedback(c, prompt, grade(c, prompt, ""), None)
    assert (feedback.tone, feedback.headline, feedback.sentence, feedback.expected) == (None, "", "", "Back")


def test_an_ordering_gives_the_right_order_and_its_numbers_as_shown() -> None:
    prompt = present(ORDERING, 0, random.Random(2))
    feedback = answer_feedback(ORDERING, prompt, grade(ORDERING, prompt, "1 2 3 4"), "1 2 3 4")
    assert feedback.right_order == ("Extract", "Engineer", "Expand", "Infuse")
    assert feedback.numbering == " ".join(str(prompt.options.index(item) + 1) for item in feedback.right_order)


def test_a_quiz_mark_is_partly_right_with_its_credit_and_repeats_the_options_picked() -> None:
    prompt = present(MULTI, 0, random.Random(4))
    question = Question(QuestionId("d", "c", 0, "choice"), MULTI, prompt)
    letters = "abcd"
    one_right = letters[prompt.options.index("Nivolumab")]
    feedback = mark_feedback(MULTI, prompt, mark_answer(question, 0, one_right))
    assert (feedback.tone, feedback.headline, feedback.credit) == ("partly", "◐ Partly right", "0.5 of 1")
    assert feedback.sentence == "Partly right (0.5 of 1)."
    assert feedback.given == "Nivolumab"
    assert feedback.explain is None  # a paper tests, it does not teach
    left = mark_feedback(MULTI, prompt, unanswered(0))
    assert (left.headline, left.given, left.credit) == ("✗ Not answered", None, None)


def test_hints_say_what_to_type_in_line_mode_and_what_to_press_in_the_app() -> None:
    multi = present(MULTI, 0, random.Random(4))
    typed = present(TYPED, 0, random.Random(1))
    assert line_hint(multi) == "Type a letter or several, like: a c (or 1 to 4), or the option's text."
    assert line_hint(typed) == "Type your answer."
    assert key_hint(typed, quiz=False) == "Type the answer, Enter checks it. Space in an empty box shows the answer."
    assert key_hint(typed, quiz=True).endswith("Space in an empty box: I don't know. p then Enter pauses.")
    assert key_hint(multi, quiz=False) == (
        "Several are right: press letters to tick them, then Enter. Space shows the answer."
    )
    assert key_hint(multi, quiz=True) == "Several are right: press letters to tick them, then Enter."


def test_a_near_miss_reads_almost_with_its_diff_in_study_and_in_a_quiz() -> None:
    prompt = present(TYPED, 0, random.Random(1))
    feedback = answer_feedback(TYPED, prompt, grade(TYPED, prompt, "keytrda"), "keytrda")
    assert (feedback.headline, feedback.given, feedback.marked_diff) == ("≈ Almost", "keytrda", "Keytr[+u]da")
    text = format_feedback(feedback)
    assert "Your answer against it: Keytr[+u]da ([+x] missing, [-x] extra)\n" in text
    quiz = mark_feedback(TYPED, prompt, Mark(0, "keytrda", (), False, 0.0, 0))
    assert (quiz.tone, quiz.score, quiz.reason) == ("almost", 0.0, QUIZ_ALMOST)
    # The same typo that is another answer of the decks is plainly wrong.
    other = mark_feedback(TYPED, prompt, Mark(0, "keytrda", (), False, 0.0, 0), frozenset({"keytrda"}))
    assert (other.tone, other.diff) == ("wrong", ())


def test_a_unit_mismatch_says_why_in_line_mode() -> None:
    card = Card("d", "n", ("t",), ("q",), Numeric("Half-life?", Decimal(24), unit="hours"))
    prompt = present(card, 0, random.Random(1))
    text = format_feedback(answer_feedback(card, prompt, grade(card, prompt, "24 minutes"), "24 minutes"))
    assert text.startswith("Wrong.\nBecause the unit is hours, not minutes.\nAnswer: 24 hours\n")
