"""Reading a quiz request from the fields the command line and the app's form give."""

from __future__ import annotations

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.quiz_request import Problem, QuizFields, read_quiz_request


def test_typed_fields_read_as_a_request_with_forms_in_the_canonical_order() -> None:
    fields = QuizFields(("d",), ("drugs",), " 5 ", "10", "42", ["typed", "choice"], affect_schedule=True)
    assert read_quiz_request(fields) == QuizRequest(
        decks=("d",),
        tags=("drugs",),
        count=5,
        forms=("choice", "typed"),
        seed=42,
        time_limit_s=600,
        affect_schedule=True,
    )


def test_blank_fields_take_the_defaults_and_a_types_line_keeps_its_order() -> None:
    assert read_quiz_request(QuizFields(count="", minutes=" ", seed="")) == QuizRequest()
    assert read_quiz_request(QuizFields(count=3, minutes=0.25, forms="typed, choice")) == QuizRequest(
        count=3, forms=("typed", "choice"), time_limit_s=15
    )


def test_every_problem_is_named_with_its_fix() -> None:
    problems = read_quiz_request(QuizFields(count="0", minutes="-1", seed="x", forms=[]))
    assert problems == [
        Problem("count", "must be 1 or more"),
        Problem("minutes", "must be a number of minutes from 0 to 10,080 (leave it out for no limit)"),
        Problem("seed", "must be a whole number from 0 to 9,223,372,036,854,775,807 (leave it out for a random paper)"),
        Problem("forms", "must include at least one of choice, typed, numeric, ordering"),
    ]
    assert problems[0].line("-n") == "-n must be 1 or more"


def test_numbers_past_what_sqlite_and_the_clock_hold_are_problems_not_overflows() -> None:
    huge = "9" * 30
    problems = read_quiz_request(QuizFields(count=huge, minutes="inf", seed=huge))
    assert isinstance(problems, list)
    assert [p.field for p in problems] == ["count", "minutes", "seed"]
    for minutes in ("nan", "1e308", 10_081):
        assert isinstance(read_quiz_request(QuizFields(minutes=minutes)), list)
    assert read_quiz_request(QuizFields(count=10_000, minutes=10_080, seed=2**63 - 1)) == QuizRequest(
        count=10_000, time_limit_s=604_800, seed=2**63 - 1
    )


def test_unreadable_numbers_and_forms_say_what_to_type() -> None:
    problems = read_quiz_request(QuizFields(count="many", minutes="soon", forms="essay"))
    assert isinstance(problems, list)
    assert [problem.line(label) for problem, label in zip(problems, ("-n", "--time", "--types"), strict=True)] == [
        "-n must be a whole number, such as 20",
        "--time must be a number of minutes, such as 15 (leave it out for no limit)",
        "--types essay: `essay` is not a question form (forms: choice, typed, numeric, ordering)",
    ]
