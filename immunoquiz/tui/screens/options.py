"""A deck's study options: limits, retention, steps, leeches, and FSRS parameters fitted to the learner.

The core reads and checks what is typed (``options.read_options``), fits the
parameters (``optimize.optimize``) and reschedules the cards from their answers
(``replay.reschedule``); both run in a worker thread, as a long review log takes
a moment. Nothing is saved until Save (or Enter); Esc leaves it all as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from immunoquiz.core.optimize import Fit, optimize
from immunoquiz.core.options import FIELDS, DeckOptions, read_options
from immunoquiz.core.replay import Rescheduled, reschedule
from immunoquiz.core.store import StoreError, describe_error
from immunoquiz.core.studyday import read_rollover_hour
from immunoquiz.tui.screens.base import AppModal, saving
from immunoquiz.tui.screens.quiz_setup import TickBox


class OptionsScreen(AppModal[bool]):
    """Set a deck's options (or every deck's); dismissed with True when saved.

    Args:
        deck: The deck whose options are shown.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = ["modal.tcss", "options.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, deck: str) -> None:
        super().__init__()
        self.deck = deck
        self.parameters: tuple[float, ...] | None = None
        self.busy = False  # fitting or rescheduling in a worker: the database is not to be touched meanwhile

    def compose(self) -> ComposeResult:
        app = self.study_app
        titles = {d.id: d.title for d in app.store.decks()}
        options = app.store.deck_options(self.deck)
        self.parameters = options.parameters
        with Vertical(classes="box", id="options"):
            yield Static(
                Content.from_markup("[b]Study options[/b] · $title", title=titles.get(self.deck, self.deck)),
                classes="box-title",
            )
            for name, field in FIELDS.items():
                with Horizontal(classes="option-row"):
                    yield Label(Content(field.label), classes="option-label")
                    yield Input(field.show(options), id=f"option-{name}", compact=True)
            with Horizontal(classes="option-row"):
                yield Label(Content("Day starts at (hour)"), classes="option-label")
                yield Input(
                    str(app.day_rule.rollover_hour),
                    id="option-rollover",
                    compact=True,
                    tooltip="The local hour a new study day starts, for every deck (4: 4 am, as Anki)",
                )
            with Horizontal(classes="option-row"):
                yield TickBox(
                    Content("Suspend leeches"), value=options.suspend_leeches, id="option-suspend", compact=True
                )
                yield TickBox(Content("Apply to every deck"), value=False, id="option-all", compact=True)
                yield TickBox(
                    Content("Reschedule cards"),
                    value=False,
                    id="option-reschedule",
                    compact=True,
                    tooltip="On save, work out each card's schedule again from its answers",
                )
            with Horizontal(classes="option-row"):
                yield Static(id="option-parameters")
                yield Button(Content("Optimize"), id="option-optimize", compact=True)
                yield Button(Content("Default"), id="option-default", compact=True)
            yield Static(id="option-message")
            with Horizontal(classes="option-row"):
                yield Button(Content("Save"), id="option-save", variant="primary", compact=True)
                yield Static(Content("  Tab moves · Enter saves · Esc cancels"), classes="box-hint")

    def on_mount(self) -> None:
        self.show_parameters()
        self.say(None)
        self.query_one(f"#option-{next(iter(FIELDS))}", Input).focus()

    # -- showing -------------------------------------------------------

    def show_parameters(self) -> None:
        """Say which FSRS parameters the deck will use."""
        kind = "fitted to your answers" if self.parameters is not None else "FSRS's defaults"
        self.query_one("#option-parameters", Static).update(
            Content.from_markup("[b]FSRS parameters[/b]: $kind", kind=kind)
        )

    def say(self, message: Content | None, error: bool = False) -> None:
        """Show a message under the form (None hides it)."""
        box = self.query_one("#option-message", Static)
        box.display = message is not None
        box.set_class(error, "-error")
        if message is not None:
            box.update(message)

    def decks(self) -> list[str]:
        """The decks the form applies to."""
        app = self.study_app
        return app.workspace.deck_ids() if self.query_one("#option-all", Checkbox).value else [self.deck]

    def read(self, base: DeckOptions) -> DeckOptions | str:
        """``base`` with what the form says, or what to fix."""
        texts = {name: self.query_one(f"#option-{name}", Input).value for name in FIELDS}
        try:
            options = read_options(base, texts)
        except ValueError as exc:
            return str(exc)
        return replace(
            options, suspend_leeches=self.query_one("#option-suspend", Checkbox).value, parameters=self.parameters
        )

    # -- actions -------------------------------------------------------

    @saving
    def save(self) -> None:
        """Store the options of every deck the form applies to, or say what to fix."""
        app = self.study_app
        if self.busy:
            return
        store = app.store
        chosen = {deck: self.read(store.deck_options(deck)) for deck in self.decks()}
        problem = next((read for read in chosen.values() if isinstance(read, str)), None)
        try:
            rollover = read_rollover_hour(self.query_one("#option-rollover", Input).value)
        except ValueError as exc:
            problem = problem or str(exc)
        if problem is not None:
            self.say(Content.from_markup("[b]✗[/b] $problem", problem=problem), error=True)
            return
        for deck, options in chosen.items():
            assert isinstance(options, DeckOptions)
            store.set_deck_options(deck, options)
        if rollover != app.day_rule.rollover_hour:
            app.workspace.set_rollover_hour(rollover)
            app.day_rule = replace(app.day_rule, rollover_hour=rollover)
        app.options = app.workspace.options()
        if self.query_one("#option-reschedule", Checkbox).value:
            self.busy = True
            self.say(Content("Rescheduling the cards from their answers…"))
            self.reschedule_cards(list(chosen))
            return
        self.dismiss(True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "option-save":
            self.save()
        elif event.button.id == "option-default":
            self.parameters = None
            self.show_parameters()
            self.say(Content("Back to FSRS's default parameters once saved."))
        elif event.button.id == "option-optimize" and not self.busy:
            self.busy = True
            self.say(Content("Fitting the parameters to your answers…"))
            self.fit(self.decks())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def fit(self, decks: list[str]) -> None:
        """Fit parameters to the answers of ``decks`` (a worker thread: nothing else touches the database meanwhile)."""
        app = self.study_app
        result = optimize(app.store, decks)
        app.call_from_thread(self.fitted, result)

    def fitted(self, fit: Fit) -> None:
        """Show how the fit went; better parameters are taken (saved with the form)."""
        self.busy = False
        if fit.better:
            self.parameters = fit.parameters
            self.show_parameters()
        self.say(Content(fit.describe() + (" Save to use them." if fit.better else "")))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def reschedule_cards(self, decks: list[str]) -> None:
        """Reschedule the cards of ``decks`` from their answers (a worker thread), then close."""
        app = self.study_app
        done = reschedule(app.store, decks)
        app.call_from_thread(self.rescheduled, done)

    def rescheduled(self, done: Rescheduled) -> None:
        """Say what was rescheduled and close (the options are saved)."""
        self.busy = False
        self.app.notify(done.describe(), markup=False)
        self.dismiss(True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A fit or a reschedule that the database refused: say so (its transaction changed nothing)."""
        error = event.worker.error
        if event.state != WorkerState.ERROR or error is None:
            return
        if not isinstance(error, (sqlite3.Error, StoreError)):
            raise error
        self.busy = False
        reason = describe_error(error) if isinstance(error, sqlite3.Error) else str(error)
        done = (
            "The options are saved, but the cards were not rescheduled"
            if event.worker.name == "reschedule_cards"
            else "The parameters were not fitted"
        )
        self.say(Content(f"{done}: {reason}."), error=True)

    def action_cancel(self) -> None:
        """Close without saving."""
        if not self.busy:
            self.dismiss(False)
