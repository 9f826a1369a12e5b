"""The study screen: a card's prompt, the learner's answer, the answer side and the rating.

All the learning logic is the core's: ``Session.next`` picks the card,
``Session.check`` grades the answer and proposes a rating, ``Session.rate``
schedules and commits it. This screen only shows them and passes keys on.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.core.feedback import answer_feedback, correction_notice, key_hint
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Answer, Session, Showing
from immunoquiz.tui.screens.base import AppScreen, collector_paused, saving
from immunoquiz.tui.screens.where import WhereScreen
from immunoquiz.tui.widgets.answers import AnswerPanel, answer_side, scroll_card, set_shown, show_verdict
from immunoquiz.tui.widgets.deck_note import DeckNotePanel
from immunoquiz.tui.widgets.footer import KeysFooter
from immunoquiz.tui.widgets.ratings import Rated, RatingBar

Phase = Literal["question", "answer", "empty"]
BAR_WIDTH = 12
RATE = Binding.Group("Rate", compact=True)
UNDONE = {
    "answer": "Undone: the last card comes back.",
    "suspend": "Suspend undone: the card comes back.",
    "bury": "Bury undone: the card comes back.",
}


class StudyScreen(AppScreen):
    """Study a selection of cards until the session's queue is empty.

    Args:
        selection: Which cards to study.
        standalone: Opened by ``immunoquiz study``: leaving it quits the app.
        undoing: A finished session, from its summary: its last answer (or
            suspend or bury) is undone and its card shown again.
    """

    CSS_PATH = "study.tcss"
    # Narrow: the rating buttons drop their margins. (Textual declares it without ClassVar.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # noqa: RUF012
    AUTO_FOCUS = ""  # focus follows the card kind (see show_card)
    # Textual repaints the whole screen when the focus moves (every card moves it twice), a second
    # full render in the frame of the next card; the widgets that gain or lose focus restyle and repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer", key_display="Space"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("1", "rate(1)", "Again", group=RATE),
        Binding("2", "rate(2)", "Hard", group=RATE),
        Binding("3", "rate(3)", "Good", group=RATE),
        Binding("4", "rate(4)", "Easy", group=RATE),
        Binding("u", "undo", "Undo"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("e", "where", "Where"),
        Binding("c", "cram", "Cram these cards"),
        Binding("escape,q", "leave", "Back"),
        # On the screen, so that they scroll while a rating button or the answer box has the focus.
        Binding("down", "scroll_card(1, False)", "Scroll down", show=False),
        Binding("up", "scroll_card(-1, False)", "Scroll up", show=False),
        Binding("pagedown", "scroll_card(1, True)", "Page down", show=False),
        Binding("pageup", "scroll_card(-1, True)", "Page up", show=False),
    ]

    def __init__(self, selection: Selection, *, standalone: bool = False, undoing: Session | None = None) -> None:
        super().__init__()
        self.selection = selection
        self.standalone = standalone
        self.session: Session | None = undoing
        self.showing: Showing | None = None
        self.answer: Answer | None = None
        self.phase: Phase = "question"
        self._keys: tuple[Phase, bool] = (self.phase, False)  # the keys shown when composed

    def compose(self) -> ComposeResult:
        with Horizontal(id="status"):
            yield Static(id="title", markup=False)
            yield Static(id="progress")
            yield Static(id="counts")
        with VerticalScroll(id="card", can_focus=False):
            yield DeckNotePanel(id="deck-note")
            yield Static(id="meta")
            yield Static(id="notice")
            yield Static(id="question")
            yield AnswerPanel(partial(key_hint, quiz=False), id="answer")
            yield Static(id="verdict")
            yield Static(id="reveal")
        yield RatingBar(id="ratings")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.session is None:
            self.start(self.selection)
        else:
            self.show_title()
            self.action_undo()

    def start(self, selection: Selection) -> None:
        """Begin a session over a selection."""
        self.selection = selection
        self.session = self.study_app.new_session(selection)
        self.show_title()
        self.show_next()

    def show_title(self) -> None:
        """What is studied, in the status line."""
        self.query_one("#title", Static).update(Content(self.study_app.describe(self.selection)))

    # -- showing -------------------------------------------------------

    def show_next(self) -> None:
        """Show the next card, or end the session."""
        assert self.session is not None
        showing = self.session.next()
        if showing is None:
            self.finish()
            return
        self.show_card(showing)

    def show_card(self, showing: Showing) -> None:
        """Put a card's prompt on screen and wait for the answer."""
        assert self.session is not None
        self.showing, self.answer, self.phase = showing, None, "question"
        prompt = showing.prompt
        number = self.session.answered + 1
        self.query_one("#meta", Static).update(
            Content.assemble(
                (f"Card {number}", "bold"),
                " · ",
                showing.row.deck_id,
                " · ",
                showing.card.type,
                (" (reversed)" if showing.card.type == "basic" and showing.row.sibling else ""),
                " · ",
                (self.session.status(showing), "italic"),
            )
        )
        self.query_one("#question", Static).update(Content(prompt.text))
        self.query_one("#deck-note", DeckNotePanel).show_note(showing.note)
        notice = self.query_one("#notice", Static)
        set_shown(notice, showing.corrected is not None)
        if showing.corrected is not None:
            # Deck text is untrusted: the answer goes in as plain content, never markup.
            notice.update(Content(correction_notice(showing.corrected, prompt.expected, self.study_app.day_rule.tz)))
        for widget_id in ("#verdict", "#reveal", "#ratings"):
            set_shown(self.query_one(widget_id), False)
        self.query_one("#answer", AnswerPanel).ask(prompt)
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.update_progress()
        self.refresh_keys()

    def update_progress(self) -> None:
        """The progress bar and the counts of cards left."""
        assert self.session is not None
        counts = self.session.counts()
        done = self.session.answered
        left = counts.new + counts.learning + counts.review + (self.phase != "empty" and self.showing is not None)
        filled = round(BAR_WIDTH * done / max(1, done + left))
        self.query_one("#progress", Static).update(
            Content.assemble(
                ("━" * filled, "$primary"), ("━" * (BAR_WIDTH - filled), "$foreground 20%"), f" {done}/{done + left}"
            )
        )
        self.query_one("#counts", Static).update(
            Content.assemble(
                (f"{counts.new} new", "$text-primary"),
                " · ",
                (f"{counts.learning} learn", "$text-error"),
                " · ",
                (f"{counts.review} due", "$text-success"),
            )
        )

    @collector_paused
    def reveal(self, given: str | None) -> None:
        """Check the answer with the core and show the answer side."""
        assert self.session is not None and self.showing is not None
        showing = self.showing
        answer = self.session.check(showing, given)
        self.answer, self.phase = answer, "answer"
        # The verdict repeats a typed answer and the right order; a choice card keeps its options, marked.
        self.query_one("#answer", AnswerPanel).show_answered(given)
        feedback = answer_feedback(showing.card, showing.prompt, answer.verdict, given or None)
        show_verdict(self.query_one("#verdict", Static), feedback)
        parts = answer_side(feedback)
        reveal = self.query_one("#reveal", Static)
        reveal.update(Content("\n").join(parts))
        reveal.display = True
        ratings = self.query_one("#ratings", RatingBar)
        ratings.display = True
        ratings.offer(self.session.intervals(showing), answer.verdict.proposed)
        self.refresh_keys()

    @collector_paused
    @saving
    def rate(self, rating: Rating) -> None:
        """Record a rating with the core and move on."""
        assert self.session is not None and self.showing is not None and self.answer is not None
        self.session.rate(self.showing, self.answer, rating)
        self.show_next()

    def finish(self) -> None:
        """The queue is empty: the summary, or (before any answer) an offer to cram."""
        assert self.session is not None
        self.showing = None
        if self.session.answered:
            from immunoquiz.tui.screens.summary import SummaryScreen

            self.app.switch_screen(SummaryScreen(self.session, standalone=self.standalone))
            return
        self.phase = "empty"
        self.update_progress()
        for widget_id in ("#deck-note", "#notice", "#verdict", "#reveal", "#ratings"):
            self.query_one(widget_id).display = False
        self.query_one("#meta", Static).update(Content.from_markup("[b]Nothing to study now[/b]"))
        next_due = self.session.summary().next_due
        when = "" if next_due is None else f" The next card is due {self.study_app.format_time(next_due)}."
        self.query_one("#question", Static).update(Content(f"No cards of this selection are due or new today.{when}"))
        self.query_one("#answer", AnswerPanel).clear(
            Content("Press c to cram these cards anyway (the schedule is not changed), or Esc to go back.")
        )
        self.set_focus(None)
        self.refresh_keys()

    # -- keys and messages ---------------------------------------------

    def refresh_keys(self) -> None:
        """Refresh the footer's keys when what ``check_action`` reads has changed (the footer recomposes)."""
        keys = (self.phase, self.session is not None and self.session.can_undo)
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that work in the current phase."""
        if action == "reveal":
            return self.phase == "question"
        if action == "rate":
            return self.phase == "answer"
        if action in ("suspend", "bury", "where"):
            return self.phase != "empty"
        if action == "cram":
            return self.phase == "empty"
        if action == "undo":
            return self.session is not None and self.session.can_undo
        return True

    def action_reveal(self) -> None:
        """Show the answer: with what was typed or picked so far, or as not answered."""
        assert self.showing is not None
        prompt = self.showing.prompt
        given: str | None = None
        if prompt.kind in ("typed", "numeric"):
            given = self.query_one("#answer", AnswerPanel).box_text() or None
        self.reveal(given)

    def action_rate(self, rating: int) -> None:
        """Rate the card shown (1 Again, 2 Hard, 3 Good, 4 Easy)."""
        self.rate(Rating(rating))

    @saving
    def action_undo(self) -> None:
        """Undo the last answer, suspend or bury; its card comes back."""
        assert self.session is not None
        if self.showing is not None:
            self.session.put_back(self.showing)
        try:
            undone = self.session.undo()
            if undone is not None:
                self.notify(UNDONE[undone], markup=False)
        finally:
            self.show_next()  # the card put back, whether or not the undo could be written

    @saving
    def action_suspend(self) -> None:
        """Suspend the card shown (unsuspend it in the browser)."""
        assert self.session is not None and self.showing is not None
        self.session.suspend(self.showing)
        self.notify("Card suspended (unsuspend it in the browser: b on the home screen).", markup=False)
        self.show_next()

    @saving
    def action_bury(self) -> None:
        """Bury the card shown until tomorrow."""
        assert self.session is not None and self.showing is not None
        self.session.bury(self.showing)
        self.notify("Card buried until tomorrow.", markup=False)
        self.show_next()

    def action_where(self) -> None:
        """Show the deck file and line of the card shown."""
        assert self.showing is not None
        store = self.study_app.store
        self.app.push_screen(WhereScreen(self.showing.card, store.deck_path(self.showing.row.deck_id)))

    def action_cram(self) -> None:
        """Study the same cards in cram mode."""
        selection = self.selection
        self.start(
            Selection(
                decks=selection.decks,
                tags=selection.tags,
                cram=True,
                card_ids=selection.card_ids,
                siblings=selection.siblings,
            )
        )

    def action_scroll_card(self, direction: int, page: bool) -> None:
        """Scroll a long answer or explanation."""
        scroll_card(self.query_one("#card", VerticalScroll), direction, page)

    def on_answer_panel_given(self, message: AnswerPanel.Given) -> None:
        message.stop()
        if self.phase == "question":
            self.reveal(message.given)

    def on_rated(self, message: Rated) -> None:
        message.stop()
        if self.phase == "answer":
            self.rate(message.rating)
