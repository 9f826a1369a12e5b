"""Quiz questions made from cards, and papers of them.

A *question* is one card asked in one *form*: ``choice`` (pick from options),
``typed`` (type the answer), ``numeric`` (type a number, within the card's
tolerance) or ``ordering`` (put items in order). It is identified by
``(deck id, card id, sibling, form)``, which does not depend on the paper, so
the answers of learners who sat different papers can be pooled.

Every card type yields at least one form:

========  =====================================================
card      forms
========  =====================================================
basic     choice (front asked, the back among other answers)
cloze     typed (answer the deletion), one question per deletion
choice    choice
typed     typed, choice
numeric   numeric, choice
ordering  ordering
========  =====================================================

Generated choice questions draw their distractors from other cards' answers
of the same kind (see ``core.distractors``), so drug names stand against drug
names and years against years; a basic, typed or numeric card whose kind
gives fewer than ``MIN_DISTRACTORS`` sound ones has no choice form.

A *paper* is the list of questions of one sitting (see ``draw_paper``): one
question per card and per fact. Every random draw comes from one generator
seeded with the paper's seed, so the same seed, cards and options give the
same paper.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeAlias, TypeVar

from immunoquiz.core.distractors import MIN_DISTRACTORS, Answers, DistractorPool
from immunoquiz.core.facts import CardFact, card_fact
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Numeric, Ordering, Typed
from immunoquiz.core.present import CHOICE_OPTIONS, Prompt, present

QuizForm: TypeAlias = Literal["choice", "typed", "numeric", "ordering"]
QUIZ_FORMS: tuple[QuizForm, ...] = ("choice", "typed", "numeric", "ordering")
DEFAULT_COUNT = 20


def time_limit_s(minutes: float | None) -> int | None:
    """A whole-paper time limit in seconds (at least one) from minutes; None for no limit.

    Raises:
        ValueError: For zero or fewer minutes.
    """
    if minutes is None:
        return None
    if minutes <= 0:
        raise ValueError("a time limit is a positive number of minutes")
    return max(1, round(minutes * 60))


@dataclass(frozen=True, slots=True, order=True)
class QuestionId:
    """What identifies a question across papers and learners.

    Attributes:
        deck_id: The card's deck.
        card_id: The card.
        sibling: The side or cloze deletion asked (0 for most cards).
        form: How it is asked.
    """

    deck_id: str
    card_id: str
    sibling: int
    form: QuizForm

    @property
    def key(self) -> str:
        """A one-string form, ``deck/card/sibling/form``, for tables and JSON."""
        return f"{self.deck_id}/{self.card_id}/{self.sibling}/{self.form}"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a paper.

    Attributes:
        id: What identifies it across papers.
        card: The card it is made from.
        prompt: How it is shown: ``prompt.kind`` is the form; for choice,
            ``prompt.options`` are the options in the order shown and
            ``prompt.answers`` the right ones.
    """

    id: QuestionId
    card: Card
    prompt: Prompt

    @property
    def form(self) -> QuizForm:
        """How the question is asked."""
        return self.id.form

    @property
    def right_options(self) -> tuple[str, ...]:
        """For a choice question, the right options in the order shown (else empty)."""
        if self.form != "choice":
            return ()
        return tuple(option for option in self.prompt.options if option in self.prompt.answers)


@dataclass(frozen=True, slots=True)
class QuizRequest:
    """What the learner asked for: the command line's options, or the TUI's form.

    Attributes:
        decks: Deck ids; empty means every deck of this run.
        tags: Only cards with any of these tags; empty means all. The paper
            is balanced across them (across the decks when empty).
        count: How many questions.
        forms: The question forms allowed.
        seed: Seeds the paper; None lets the caller draw one (and record it).
        time_limit_s: A whole-exam limit in seconds; None for no timer.
        affect_schedule: Also log each answer as a review that moves the card's schedule.
    """

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    forms: tuple[QuizForm, ...] = QUIZ_FORMS
    seed: int | None = None
    time_limit_s: int | None = None
    affect_schedule: bool = False


@dataclass(frozen=True, slots=True)
class Paper:
    """The questions of one sitting, in order.

    Attributes:
        questions: The questions.
        requested: How many were asked for.
        available: How many cards the filters and forms allow (one question per
            card), counted in full only when the paper is short: cards are
            drawn until the paper is full.
        seed: The seed it was built from.
        groups: What it is balanced across: the chosen tags, or the decks.
    """

    questions: tuple[Question, ...]
    requested: int
    available: int
    seed: int
    groups: tuple[str, ...]

    @property
    def short(self) -> bool:
        """Whether fewer questions than requested could be made."""
        return len(self.questions) < self.requested

    def shortfall(self) -> str | None:
        """A message for people when the paper is short, else None."""
        if not self.short:
            return None
        if not self.questions:
            return f"no question can be made from these decks, tags and forms (asked for {self.requested})"
        made = len(self.questions)
        if self.available > made:
            # Not a shortage of cards: the one-fact rule passed some over.
            return (
                f"asked for {self.requested} questions but these decks, tags and forms give only {made}: "
                f"{self.available - made} of the {self.available} cards that can be asked teach a fact already "
                "on the paper, or show the answer of a question on it"
            )
        return (
            f"asked for {self.requested} questions but these decks, tags and forms give only "
            f"{self.available}: the paper has {made}"
        )


# -- questions ---------------------------------------------------------


def _pick(candidates: Sequence[tuple[int, str]], count: int, rng: random.Random) -> list[str]:
    """Take ``count`` candidates, best rank first, at random within a rank."""
    picked: list[str] = []
    for rank in sorted({r for r, _ in candidates}, reverse=True):
        tier = [text for r, text in candidates if r == rank]
        rng.shuffle(tier)
        picked.extend(tier[: count - len(picked)])
        if len(picked) >= count:
            break
    return picked


class QuestionMaker:
    """Makes the questions of cards, with distractors from a pool of cards.

    Args:
        pool: The cards whose answers may serve as distractors (usually every
            card of the decks of this run), or where to read them (``Answers``).
    """

    def __init__(self, pool: Iterable[Card] | Answers) -> None:
        self.pool = DistractorPool(pool)
        self._candidates: dict[tuple[str, str], tuple[tuple[int, str], ...]] = {}

    def candidates(self, card: Card) -> tuple[tuple[int, str], ...]:
        """The card's distractor candidates, best first (see ``DistractorPool.candidates``)."""
        key = (card.deck_id, card.id)
        if key not in self._candidates:
            self._candidates[key] = self.pool.candidates(card)
        return self._candidates[key]

    def forms(self, card: Card, allowed: Sequence[QuizForm] = QUIZ_FORMS) -> list[tuple[int, QuizForm]]:
        """The ``(sibling, form)`` questions a card yields, restricted to ``allowed`` forms.

        Distractors are looked for only when a choice form is allowed.

        Args:
            card: The card.
            allowed: The forms wanted.

        Returns:
            The possible questions, in a fixed order (no randomness).
        """
        body = card.body
        found: list[tuple[int, QuizForm]] = []
        if isinstance(body, Cloze):
            found = [(sibling, "typed") for sibling in card.siblings]
        elif isinstance(body, Ordering):
            found = [(0, "ordering")]
        else:
            if isinstance(body, Typed):
                found.append((0, "typed"))
            elif isinstance(body, Numeric):
                found.append((0, "numeric"))
            if "choice" in allowed and len(self.candidates(card)) >= MIN_DISTRACTORS:
                found.append((0, "choice"))
        return [(sibling, form) for sibling, form in found if form in allowed]

    def question(self, card: Card, sibling: int, form: QuizForm, rng: random.Random) -> Question:
        """Make one question.

        Args:
            card: The card.
            sibling: The side or deletion (from ``forms``).
            form: The form (from ``forms``).
            rng: Draws distractors and shuffles options.

        Returns:
            The question.
        """
        qid = QuestionId(card.deck_id, card.id, sibling, form)
        body = card.body
        if form != "choice":
            return Question(qid, card, present(card, sibling, rng))
        if isinstance(body, Choice):
            answers = body.answers
            question = body.question
            wrong = _pick(self.candidates(card), max(CHOICE_OPTIONS - len(answers), 2), rng)
        else:
            if isinstance(body, Basic):
                question, answers = body.front, (body.back,)
            elif isinstance(body, Typed):
                question, answers = body.question, (body.answer,)
            else:
                assert isinstance(body, Numeric)
                question, answers = body.question, (body.display,)
            wrong = _pick(self.candidates(card), CHOICE_OPTIONS - 1, rng)
        options = [*answers, *wrong]
        rng.shuffle(options)
        prompt = Prompt("choice", question, ", ".join(answers), tuple(options), answers, len(answers) > 1)
        return Question(qid, card, prompt)


# -- papers ------------------------------------------------------------


class Listed(Protocol):
    """What a paper's draw reads of every card it may ask: a ``Card``, or a light row of one (``ListedNote``)."""

    @property
    def deck_id(self) -> str:
        """The card's deck."""
        ...

    @property
    def tags(self) -> tuple[str, ...]:
        """The card's tags (the draw reads only those chosen to balance across)."""
        ...


L = TypeVar("L", bound=Listed)


def build_paper(
    cards: Sequence[Card],
    pool: Iterable[Card] | Answers,
    *,
    count: int = DEFAULT_COUNT,
    forms: Sequence[QuizForm] = QUIZ_FORMS,
    tags: Sequence[str] = (),
    seed: int,
) -> Paper:
    """Draw a paper from cards in memory (see ``draw_paper``).

    Args:
        cards: The cards to ask (already filtered by deck and tag).
        pool: The cards whose answers may serve as distractors, or where to read them.
        count: How many questions.
        forms: The forms allowed, whatever the card type.
        tags: The chosen tags, to balance across.
        seed: Seeds every random draw: the same seed gives the same paper.

    Returns:
        The paper.
    """
    return draw_paper(cards, _itself, QuestionMaker(pool), count=count, forms=forms, tags=tags, seed=seed)


def _itself(card: Card) -> Card:
    return card


def draw_paper(
    listed: Sequence[L],
    read: Callable[[L], Card],
    maker: QuestionMaker,
    *,
    count: int = DEFAULT_COUNT,
    forms: Sequence[QuizForm] = QUIZ_FORMS,
    tags: Sequence[str] = (),
    seed: int,
) -> Paper:
    """Draw a paper: at most one question per card and per fact, balanced across groups.

    The groups are the chosen ``tags`` or, without tags, the decks of
    ``listed``. Each group's cards are shuffled, then the paper takes one card
    from each group in turn (round-robin; the group order is shuffled too)
    until it has ``count`` questions or every card is used. A card in several
    chosen tags counts for whichever group reaches it first. A card drawn is
    passed over when it yields no question in the allowed forms, when it
    teaches the fact of a card already on the paper (the same ``fact``, or
    the same quote and answer), or when its question shows the answer of one
    already on the paper, or the other way round. Only then is each card
    asked in one of its forms, drawn at random, and the questions are
    shuffled. Every card is listed by its deck and tags alone: only the
    cards drawn are read whole, and forms and distractors are made for them,
    not for every card. Asking for more than the cards allow gives the
    largest paper possible (see ``Paper.shortfall``).

    Args:
        listed: The cards to ask (already filtered by deck and tag), as listed.
        read: The whole card of one listed.
        maker: Makes the questions, with distractors from its pool.
        count: How many questions.
        forms: The forms allowed, whatever the card type.
        tags: The chosen tags, to balance across.
        seed: Seeds every random draw: the same seed gives the same paper.

    Returns:
        The paper.
    """
    rng = random.Random(seed)
    groups = list(dict.fromkeys(tags)) or list(dict.fromkeys(item.deck_id for item in listed))
    members: dict[str, list[int]] = {group: [] for group in groups}
    for index, item in enumerate(listed):
        if tags:
            own = item.tags
            for group in groups:
                if group in own:
                    members[group].append(index)
        else:
            members[item.deck_id].append(index)  # without tags, each card's one group is its deck
    for group in groups:
        rng.shuffle(members[group])
    order = list(groups)
    rng.shuffle(order)
    chosen: list[tuple[Card, list[tuple[int, QuizForm]]]] = []
    facts: list[CardFact] = []
    seen: set[int] = set()
    askable = 0
    while len(chosen) < count:
        progressed = False
        for group in order:
            queue = members[group]
            while queue and len(chosen) < count:
                index = queue.pop()
                if index in seen:
                    continue
                seen.add(index)
                card = read(listed[index])
                options = maker.forms(card, forms)
                if not options:
                    continue
                askable += 1
                fact = card_fact(card)
                if any(fact.clashes(other) for other in facts):
                    continue
                chosen.append((card, options))
                facts.append(fact)
                progressed = True
                break
        if not progressed:
            break
    questions: list[Question] = []
    for card, options in chosen:
        sibling, form = options[rng.randrange(len(options))]
        questions.append(maker.question(card, sibling, form, rng))
    rng.shuffle(questions)
    return Paper(tuple(questions), count, askable, seed, tuple(groups))


def parse_forms(text: str) -> tuple[QuizForm, ...]:
    """Read a ``--types`` value such as ``choice,typed``.

    Args:
        text: Comma-separated form names.

    Returns:
        The forms, in the order given, without repeats.

    Raises:
        ValueError: A name is not a form; the message names the valid ones.
    """
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError(f"give at least one of {', '.join(QUIZ_FORMS)}")
    forms: list[QuizForm] = []
    for name in names:
        match = next((form for form in QUIZ_FORMS if form == name), None)
        if match is None:
            raise ValueError(f"`{name}` is not a question form (forms: {', '.join(QUIZ_FORMS)})")
        if match not in forms:
            forms.append(match)
    return tuple(forms)
