"""Reading a quiz request from what the learner typed: the command line's options or the app's form.

Both front ends hand over their raw fields (text as typed, or numbers as the
command line parsed them) and get back a ``QuizRequest`` or the problems to
fix, one line each, naming the field in the front end's own words
(``-n must be 1 or more``, ``Questions must be 1 or more``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from immunoquiz.core.quiz import DEFAULT_COUNT, QUIZ_FORMS, QuizForm, QuizRequest, parse_forms, time_limit_s

QuizField = Literal["count", "minutes", "seed", "forms"]
_N = TypeVar("_N", int, float)

MAX_COUNT = 10_000
"""The most questions a paper may ask for (the bundled decks hold a few hundred)."""
MAX_MINUTES = 7 * 24 * 60
"""The longest time limit: a week."""
MAX_SEED = 2**63 - 1
"""The largest seed SQLite stores as an integer."""


@dataclass(frozen=True, slots=True)
class QuizFields:
    """A quiz request as the learner gave it.

    Attributes:
        decks: Deck ids; empty means every deck.
        tags: Only cards with any of these tags; empty means all.
        count: The number of questions; None or blank for the default.
        minutes: The time limit in minutes; None or blank for none.
        seed: The paper's seed; None or blank to draw one.
        forms: The forms, as a ``--types`` line (``choice,typed``) or as
            ticked; None for every form.
        affect_schedule: Whether the answers move the schedule.
    """

    decks: Sequence[str] = ()
    tags: Sequence[str] = ()
    count: str | int | None = None
    minutes: str | float | None = None
    seed: str | int | None = None
    forms: str | Sequence[QuizForm] | None = None
    affect_schedule: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field, and how to fix it.

    Attributes:
        field: The field.
        text: What follows the field's name, such as ``must be 1 or more``.
    """

    field: QuizField
    text: str

    def line(self, label: str) -> str:
        """The problem as one line, the field named as the front end names it (``-n``, ``Questions``)."""
        return f"{label} {self.text}"


def _read(value: str | float | None, kind: Callable[[str], _N]) -> _N | ValueError | None:
    """A number as given: None when blank, the error when it does not read."""
    if value is None or not str(value).strip():
        return None
    try:
        return kind(str(value).strip())
    except ValueError as exc:
        return exc


def read_quiz_request(fields: QuizFields) -> QuizRequest | list[Problem]:
    """The request the fields ask for, or every problem in them.

    Args:
        fields: The fields as given.

    Returns:
        The request, or the problems in the order of the fields.
    """
    problems: list[Problem] = []
    count = _read(fields.count, int)
    if isinstance(count, ValueError):
        problems.append(Problem("count", "must be a whole number, such as 20"))
    elif count is not None and count < 1:
        problems.append(Problem("count", "must be 1 or more"))
    elif count is not None and count > MAX_COUNT:
        problems.append(Problem("count", f"must be at most {MAX_COUNT:,}"))
    minutes = _read(fields.minutes, float)
    limit: int | None = None
    if isinstance(minutes, ValueError):
        problems.append(Problem("minutes", "must be a number of minutes, such as 15 (leave it out for no limit)"))
    elif minutes is not None and not 0 < minutes <= MAX_MINUTES:  # NaN and infinity fail this too
        problems.append(
            Problem("minutes", f"must be a number of minutes from 0 to {MAX_MINUTES:,} (leave it out for no limit)")
        )
    else:
        limit = time_limit_s(minutes)
    seed = _read(fields.seed, int)
    if isinstance(seed, ValueError) or (seed is not None and not 0 <= seed <= MAX_SEED):
        problems.append(
            Problem("seed", f"must be a whole number from 0 to {MAX_SEED:,} (leave it out for a random paper)")
        )
    forms: tuple[QuizForm, ...] = QUIZ_FORMS
    if isinstance(fields.forms, str):
        try:
            forms = parse_forms(fields.forms)
        except ValueError as exc:
            problems.append(Problem("forms", f"{fields.forms}: {exc}"))
    elif fields.forms is not None:
        forms = tuple(form for form in QUIZ_FORMS if form in fields.forms)
        if not forms:
            problems.append(Problem("forms", f"must include at least one of {', '.join(QUIZ_FORMS)}"))
    if problems:
        return problems
    assert not isinstance(count, ValueError) and not isinstance(seed, ValueError)  # each made a problem
    return QuizRequest(
        decks=tuple(fields.decks),
        tags=tuple(fields.tags),
        count=DEFAULT_COUNT if count is None else count,
        forms=forms,
        seed=seed,
        time_limit_s=limit,
        affect_schedule=fields.affect_schedule,
    )
