"""The quiz screen: one question of a paper at a time, the exam clock, and the verdict after each answer.

All the quiz logic is the core's: ``make_paper`` draws the paper,
``QuizSitting`` marks each answer, saves it before the next question and
keeps the exam clock (limit and pauses). This screen only shows them and
passes keys on, as the line mode (``plain_quiz``) does with lines.
"""

from __future__ import annotations

import contextlib
import sqlite3
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.core.exam import Mark, format_time_left
from immunoquiz.core.feedback import key_hint, mark_feedback
from immunoquiz.core.quiz import Paper, Question, QuizRequest
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import StoreError
from immunoquiz.tui.screens.base import AppScreen, collector_paused, saving
from immunoquiz.tui.widgets.answers import AnswerPanel, answer_side, scroll_card, set_shown, show_verdict
from immunoquiz.tui.widgets.deck_note import DeckNotePanel
from immunoquiz.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from datetime import timedelta


Phase = Literal["question", "answered", "paused", "empty", "over"]


def format_left(left: timedelta | None) -> str:
    """``12:05 left``, or ``no time limit``."""
    return "no time limit" if left is None else format_time_left(left)


class QuizScreen(AppScreen):
    """Sit the paper a request asks for; ends on the results screen.

    Args:
        request: Decks, tags, count, forms, seed, time limit and schedule choice.
        paper: The request's paper if already drawn; else the screen draws it.
        standalone: Opened by ``immunoquiz quiz``: leaving the results quits the app.
    """

    CSS_PATH = "quiz.tcss"
    AUTO_FOCUS = ""  # focus follows the question form (see show_question)
    # As on the study screen: Textual repaints the whole screen when the focus moves (twice a question);
    # the widgets that gain or lose focus restyle and repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "next", "Next question", key_display="Enter"),
        Binding("p", "pause", "Pause / resume"),
        Binding("q,escape", "end", "End quiz"),
        Binding("escape", "leave", "Back", show=False),  # when no paper could be made
        Binding("down", "scroll_card(1, False)", "Scroll down", show=False),
        Binding("up", "scroll_card(-1, False)", "Scroll up", show=False),
        Binding("pagedown", "scroll_card(1, True)", "Page down", show=False),
        Binding("pageup", "scroll_card(-1, True)", "Page up", show=False),
    ]

    def __init__(self, request: QuizRequest, *, paper: Paper | None = None, standalone: bool = False) -> None:
        super().__init__()
        self.request = request
        self.paper = paper
        self.standalone = standalone
        self.sitting: QuizSitting | None = None
        self.question: Question | None = None
        self.mark: Mark | None = None
        self.phase: Phase = "question"
        self.paused_from: Phase = "question"
        self.late = False
        self.timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-status"):
            yield Static(id="quiz-title", markup=False)
            yield Static(id="quiz-number", markup=False)
            yield Static(id="quiz-clock", markup=False)
        with VerticalScroll(id="quiz-card", can_focus=False):
            yield DeckNotePanel(id="quiz-note")
            yield Static(id="quiz-meta")
            yield Static(id="quiz-question")
            # As in line mode, a "p" line pauses.
            yield AnswerPanel(partial(key_hint, quiz=True), commands=("p",), id="quiz-answer")
            yield Static(id="quiz-verdict")
            yield Static(id="quiz-reveal")
            yield Static(id="quiz-next")
        yield Static(id="quiz-paused")
        yield KeysFooter()

    def describe(self) -> str:
        """``Quiz · Every card type · tags drugs, trials``."""
        titles = {d.id: d.title for d in self.study_app.store.decks()}
        parts = ["Quiz", ", ".join(titles.get(d, d) for d in self.request.decks) if self.request.decks else "all decks"]
        if self.request.tags:
            parts.append("tags " + ", ".join(self.request.tags))
        return " · ".join(parts)

    def on_mount(self) -> None:
        app = self.study_app
        self.query_one("#quiz-paused").display = False
        self.query_one("#quiz-title", Static).update(Content(self.describe()))
        paper = self.paper
        if paper is None:
            paper = make_paper(app.store, self.request, seed=app.rng.randrange(1_000_000))
        if not paper.questions:
            self.empty(paper.shortfall() or "no question can be made")
            return
        if paper.short:
            self.notify(f"Note: {paper.shortfall()}.", markup=False, timeout=8)
        self.sitting = QuizSitting(
            app.store,
            paper,
            self.request,
            clock=app.clock,
            day_rule=app.day_rule,
            options=app.options,
            noted=app.noted,
        )
        if self.request.time_limit_s is not None:
            self.timer = self.set_interval(1.0, self.tick)
        self.show_question()

    def on_unmount(self) -> None:
        # Leaving mid-paper (quitting the app): saved as incomplete, as in line mode.
        # A database that refuses it now cannot be told about any more: the answers saved so far stay.
        if self.sitting is not None:
            with contextlib.suppress(sqlite3.Error, StoreError):
                self.sitting.finish(stopped=True)

    # -- showing -------------------------------------------------------

    def empty(self, message: str) -> None:
        """No paper could be made: say why."""
        self.phase = "empty"
        for widget_id in ("#quiz-note", "#quiz-verdict", "#quiz-reveal"):
            self.query_one(widget_id).display = False
        self.query_one("#quiz-answer", AnswerPanel).clear()
        self.query_one("#quiz-meta", Static).update(Content.from_markup("[b]No quiz[/b]"))
        self.query_one("#quiz-question", Static).update(Content(message[:1].upper() + message[1:] + "."))
        self.query_one("#quiz-next", Static).update(Content("Esc goes back: choose other decks, tags or forms."))
        self.query_one("#quiz-clock", Static).update(Content(""))
        self.refresh_bindings()

    def show_question(self) -> None:
        """Put the current question on screen, or end the paper."""
        assert self.sitting is not None
        question = self.sitting.current()
        if question is None:
            self.finish()
            return
        self.question, self.mark, self.phase, self.late = question, None, "question", False
        prompt = question.prompt
        total = len(self.sitting.paper.questions)
        self.query_one("#quiz-number", Static).update(Content(f"Question {self.sitting.position + 1} of {total}"))
        self.query_one("#quiz-meta", Static).update(
            Content.assemble(
                question.id.deck_id,
                " · ",
                (question.form, "italic"),
                # No tags: `organs, lung` above "...inflammation of which organ?" gives the answer away.
                (" · several answers" if prompt.multi else ""),
            )
        )
        self.query_one("#quiz-question", Static).update(Content(prompt.text))
        self.query_one("#quiz-note", DeckNotePanel).show_note(self.sitting.note())
        for widget_id in ("#quiz-verdict", "#quiz-reveal", "#quiz-next"):
            set_shown(self.query_one(widget_id), False)
        self.query_one("#quiz-answer", AnswerPanel).ask(prompt)
        self.query_one("#quiz-card", VerticalScroll).scroll_home(animate=False)
        self.update_clock()
        self.refresh_bindings()

    def update_clock(self) -> None:
        """The time left (or that there is no limit)."""
        if self.sitting is None:
            return
        left = self.sitting.remaining()
        text = format_left(left)
        if self.sitting.paused:
            text += " · paused"
        elif self.sitting.expired:
            text = "time is up"
        self.query_one("#quiz-clock", Static).update(Content(("⏱ " if left is not None else "") + text))

    def tick(self) -> None:
        """Every second with a time limit: the clock, and the end of the paper when the time is up."""
        self.update_clock()
        # Under help or a question the paper ends when they close (on_screen_resume).
        if self.is_active:
            self.end_if_expired()

    def on_screen_resume(self) -> None:
        self.end_if_expired()

    def end_if_expired(self) -> None:
        """Show the results once the time is up while a question waits."""
        if self.sitting is not None and self.sitting.expired and self.phase == "question":
            self.finish()

    @collector_paused
    @saving
    def give(self, given: str | None) -> None:
        """Mark an answer (None: not answered) with the core and show the verdict."""
        assert self.sitting is not None and self.question is not None
        question = self.question
        if given is None:
            mark = self.sitting.skip() if not self.sitting.expired else None
        else:
            mark = self.sitting.answer(given)
        if mark is None:
            # The time ran out before this answer: it is not counted, and the paper is over.
            self.late = True
            self.finish()
            return
        self.mark, self.phase = mark, "answered"
        self.query_one("#quiz-answer", AnswerPanel).show_answered(given)
        feedback = mark_feedback(question.card, question.prompt, mark, self.sitting.known_answers)
        show_verdict(self.query_one("#quiz-verdict", Static), feedback)
        parts = answer_side(feedback)
        reveal = self.query_one("#quiz-reveal", Static)
        reveal.update(Content("\n").join(parts))
        set_shown(reveal, True)
        last = self.sitting.position >= len(self.sitting.paper.questions)
        following = self.query_one("#quiz-next", Static)
        following.update(Content("Enter or Space: " + ("the results" if last else "next question")))
        set_shown(following, True)
        self.set_focus(None)
        self.update_clock()
        self.refresh_bindings()

    @saving
    def finish(self, stopped: bool = False) -> None:
        """End the paper (questions left count as unanswered) and show the results.

        Args:
            stopped: The learner ended it: with questions left, it is saved as incomplete.
        """
        from immunoquiz.tui.screens.quiz_results import QuizResultsScreen

        assert self.sitting is not None
        if self.phase == "over":  # the time ran out while "end the exam?" was asked
            return
        if self.timer is not None:
            self.timer.stop()
        sitting = self.sitting
        scorecard = sitting.finish(stopped=stopped)
        self.phase = "over"
        self.app.switch_screen(
            QuizResultsScreen(sitting, scorecard, late=self.late, standalone=self.standalone, title=self.describe())
        )

    # -- keys and messages ---------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that work now."""
        if action == "next":
            return self.phase == "answered"
        if action in ("pause", "end"):
            return self.phase in ("question", "answered", "paused")
        if action == "leave":
            return self.phase == "empty"
        return True

    @collector_paused
    def action_next(self) -> None:
        """The next question, or the results after the last one (or when the time is up)."""
        if self.phase == "answered":
            self.show_question()

    def action_pause(self) -> None:
        """Stop the clock and hide the question; again to go on."""
        assert self.sitting is not None
        card = self.query_one("#quiz-card", VerticalScroll)
        paused = self.query_one("#quiz-paused", Static)
        if self.phase == "paused":
            self.sitting.resume()
            self.phase = self.paused_from
            card.display, paused.display = True, False
            if self.phase == "question":
                self.query_one("#quiz-answer", AnswerPanel).focus_answer()
        else:
            self.sitting.pause()
            self.paused_from, self.phase = self.phase, "paused"
            card.display, paused.display = False, True
            paused.update(
                Content.from_markup(
                    "[b]⏸ Paused[/b]\n\nThe clock is stopped and the question hidden.\nPress p to go on."
                )
            )
            self.set_focus(None)
        self.update_clock()
        self.refresh_bindings()

    def action_end(self) -> None:
        """End the paper now (a timed exam asks first): with questions left, the attempt is incomplete."""
        if self.sitting is None:
            return
        if self.request.time_limit_s is None:
            self.finish(stopped=True)
            return
        from immunoquiz.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.finish(stopped=True)

        left = self.sitting.position
        total = len(self.sitting.paper.questions)
        self.app.push_screen(
            ConfirmScreen(
                "End the exam now?",
                f"{total - left} of {total} questions are left; the attempt is saved as incomplete."
                " The clock keeps running.",
            ),
            answered,
        )

    def action_scroll_card(self, direction: int, page: bool) -> None:
        """Scroll a long question or explanation."""
        scroll_card(self.query_one("#quiz-card", VerticalScroll), direction, page)

    def on_answer_panel_given(self, message: AnswerPanel.Given) -> None:
        message.stop()
        if self.phase == "question":
            self.give(message.given)

    def on_answer_panel_command(self, message: AnswerPanel.Command) -> None:
        message.stop()
        if self.phase == "question" and message.command == "p":
            self.action_pause()
