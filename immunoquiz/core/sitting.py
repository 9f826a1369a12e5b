"""A quiz sitting saved as it goes: what both front ends drive.

``QuizSitting`` joins an ``Exam`` (marking and the clock) to the learner's
database: the attempt is saved when the sitting starts, each mark as it is
given, the score at the end. A sitting the learner quits before its end
(``finish(stopped=True)``) is saved as incomplete, and one cut short by a
crash stays unfinished: neither is a result (see ``quiz_store``). With ``affect_schedule`` each answer is also
logged as a review (mode ``quiz``) with the rating the grader proposes, and
moves the card's schedule by the same rule as study (``answering.decide``:
leeches, their suspension, buried siblings); without it (the default) the
schedule is left alone.

Typical use (the line mode does exactly this)::

    paper = make_paper(store, request)          # or build_paper(...)
    sitting = QuizSitting(store, paper, request, clock=clock)
    while (question := sitting.current()) is not None:
        ...show question.prompt...
        mark = sitting.answer(line)             # None: time was up, not counted
    scorecard = sitting.finish()                # finish(stopped=True) when the learner quits
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property

from immunoquiz.core.answering import Response, decide
from immunoquiz.core.card_query import StoredAnswers, listed_notes
from immunoquiz.core.clock import Clock
from immunoquiz.core.deck_note import DeckNote, note_to_show
from immunoquiz.core.exam import Exam, Mark, Scorecard
from immunoquiz.core.grading import grade
from immunoquiz.core.options import DeckOptions, options_of
from immunoquiz.core.quiz import Paper, Question, QuestionMaker, QuizRequest, draw_paper
from immunoquiz.core.quiz_store import finish_attempt, mark_writer, save_mark, start_attempt
from immunoquiz.core.store import Store, usable_time
from immunoquiz.core.studyday import DayRule


def make_paper(store: Store, request: QuizRequest, seed: int | None = None) -> Paper:
    """Build the paper a request asks for, from the decks of this run.

    Distractors are drawn from every card of the decks of this run; the
    questions from the requested decks and tags.

    Args:
        store: A synced store.
        request: Decks, tags, count, forms and seed.
        seed: Used when the request has none; drawn at random when both are None.

    Returns:
        The paper (check ``paper.shortfall()``).
    """
    # The sitting will write: the quick check reads the file while the paper is made.
    store.start_check()
    chosen = request.seed if request.seed is not None else seed
    if chosen is None:
        chosen = random.SystemRandom().randrange(1_000_000)
    decks = list(store.active_decks)
    # The cards are listed without their bodies, and the pool's answers read as a search reaches them:
    # only the cards drawn are read whole.
    maker = QuestionMaker(StoredAnswers(store, decks))
    listed = [note for deck_id in request.decks or decks for note in listed_notes(store, deck_id, request.tags)]
    return draw_paper(
        listed,
        lambda note: store.note(note.deck_id, note.card_id),
        maker,
        count=request.count,
        forms=request.forms,
        tags=request.tags,
        seed=chosen,
    )


class QuizSitting:
    """One learner sitting one paper, saved as it goes.

    Args:
        store: The learner's database.
        paper: The paper.
        request: What was asked for (time limit, schedule, tags for the breakdown).
        clock: The time source.
        day_rule: Where study days begin (for reviews logged with ``affect_schedule``).
        options: Deck options for those reviews: one for all decks, or by deck id.
        noted: The decks whose note this run has shown already (``deck_note``),
            shared with its other sessions and updated as notes are shown;
            None for a sitting of its own.
    """

    def __init__(
        self,
        store: Store,
        paper: Paper,
        request: QuizRequest,
        *,
        clock: Clock,
        day_rule: DayRule = DayRule(),
        options: DeckOptions | Mapping[str, DeckOptions] = DeckOptions(),
        noted: set[str] | None = None,
    ) -> None:
        self.store = store
        self.paper = paper
        self.request = request
        self.clock = clock
        self.day_rule = day_rule
        self._options = options
        limit = timedelta(seconds=request.time_limit_s) if request.time_limit_s is not None else None
        self.exam = Exam(paper, clock=clock, time_limit=limit, tags=request.tags)
        self.attempt_id = start_attempt(store, paper, request, clock())
        self._scorecard: Scorecard | None = None
        self.noted = set() if noted is None else noted
        self._notes = store.deck_notes(sorted({question.id.deck_id for question in paper.questions}))
        # The note shown with each question reached, so that asking again (a redraw) gives the same answer.
        self._note_at: dict[int, DeckNote | None] = {}

    @cached_property
    def known_answers(self) -> frozenset[str]:
        """Every answer of this run's decks: a typed text among them is never a near miss (``grading.judge``)."""
        return self.store.known_answers(list(self.store.active_decks))

    def options_for(self, deck_id: str) -> DeckOptions:
        """The options of one deck."""
        return options_of(self._options, deck_id)

    # The exam's clock, for the screen.

    def current(self) -> Question | None:
        """The question to answer now; None when the paper is over or the time is up."""
        return self.exam.current()

    @property
    def position(self) -> int:
        """The index of the current question."""
        return self.exam.position

    def remaining(self) -> timedelta | None:
        """Time left; None without a limit."""
        return self.exam.remaining()

    @property
    def expired(self) -> bool:
        """Whether the time limit has passed."""
        return self.exam.expired

    @property
    def paused(self) -> bool:
        """Whether the clock is stopped."""
        return self.exam.paused

    def pause(self) -> None:
        """Stop the clock."""
        self.exam.pause()

    def resume(self) -> None:
        """Start the clock again."""
        self.exam.resume()

    def note(self) -> DeckNote | None:
        """The deck note to show with the current question: its deck's, when it is the first one of its deck.

        The first question of each deck shows the note, unless this run has shown it already (in study too).
        """
        position = self.exam.position
        if position not in self._note_at:
            question = self.exam.current()
            if question is None:
                return None
            note = note_to_show(self._notes, self.noted, question.id.deck_id)
            if note is not None:
                self.noted.add(note.deck_id)
            self._note_at[position] = note
        return self._note_at[position]

    # Answers.

    def answer(self, given: str) -> Mark | None:
        """Answer the current question; saved (and logged as a review if asked) before this returns.

        Args:
            given: The learner's answer line.

        Returns:
            The mark; None when the time was up (the answer is not counted) or the paper is over.
        """
        question = self.exam.current()
        mark = self.exam.answer(given, self.known_answers)
        if mark is None or question is None:
            return None
        if self.request.affect_schedule:
            self._save_with_review(question, mark)
        else:
            self._save(mark)
        return mark

    def skip(self) -> Mark | None:
        """Leave the current question unanswered."""
        mark = self.exam.skip()
        if mark is not None:
            self._save(mark)
        return mark

    def _save(self, mark: Mark) -> None:
        """Save a mark; if the database refuses, its question is the current one again (and the error raised)."""
        try:
            save_mark(self.store, self.attempt_id, mark)
        except BaseException:
            self.exam.retract()
            raise

    def _save_with_review(self, question: Question, mark: Mark) -> None:
        """Save a mark and log it as a review, in one transaction: never one without the other."""
        try:
            self._log_review(question, mark)
        except BaseException:
            self.exam.retract()
            raise

    def _log_review(self, question: Question, mark: Mark) -> None:
        """Log a mark as a review with the grader's rating, by the same rule as study (leeches, burying)."""
        store = self.store
        row = store.find_card(question.id.deck_id, question.id.card_id, question.id.sibling)
        options = self.options_for(row.deck_id)
        verdict = grade(question.card, question.prompt, mark.given or "", self.known_answers)
        now = usable_time(self.clock)
        response = Response(
            verdict.proposed, now, self.day_rule.day_of(now), "quiz", mark.elapsed_ms, mark.given, mark.correct
        )
        siblings = store.siblings_of(row) if len(question.card.siblings) > 1 else ()
        store.record_answer(decide(row, response, options, siblings), also=mark_writer(self.attempt_id, mark))

    def finish(self, *, stopped: bool = False) -> Scorecard:
        """End the sitting: questions left count as unanswered; the score is saved.

        Args:
            stopped: The learner quit. With questions left and the time not
                up, the attempt is saved as incomplete: the answers given, no
                score, and nothing for the questions not reached.

        Returns:
            The scorecard (the same one on later calls).
        """
        if self._scorecard is None:
            scorecard = self.exam.finish(stopped=stopped)
            finish_attempt(self.store, self.attempt_id, scorecard, self.exam.marks, self.clock())
            self._scorecard = scorecard
        return self._scorecard
