"""Setting up a quiz: decks, tags, number of questions, forms, time limit, seed and schedule."""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, SelectionList, Static

from immunoquiz.core.query import all_tags
from immunoquiz.core.quiz import DEFAULT_COUNT, QUIZ_FORMS, QuizRequest
from immunoquiz.core.quiz_request import QuizFields, read_quiz_request
from immunoquiz.tui.screens.base import AppModal


class TickBox(Checkbox):
    """A checkbox whose state shows as ``[x]`` or ``[ ]``, not by colour alone."""

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", "bold")


class RadioChoice(RadioButton):
    """A radio button whose state shows as ``(•)`` or ``( )``, not by colour alone."""

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", "bold")


class TagList(SelectionList[str]):
    """Tags to tick; a ticked tag also shows ``✓`` before its name (not colour alone)."""

    def fill(self, tags: list[str], ticked: set[str]) -> None:
        """Show these tags, ticking those in ``ticked``, the first highlighted."""
        self.clear_options()
        self.add_options([(self._prompt(tag, tag in ticked), tag, tag in ticked) for tag in tags])
        # Clearing leaves no tag highlighted: Space would tick nothing, and nothing would show where the cursor is.
        self.highlighted = 0 if tags else None

    @staticmethod
    def _prompt(tag: str, ticked: bool) -> Content:
        return Content.assemble(("✓ " if ticked else "  ", "bold"), tag)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        chosen = set(self.selected)
        for index in range(self.option_count):
            tag = self.get_option_at_index(index).value
            self.replace_option_prompt_at_index(index, self._prompt(tag, tag in chosen))


FIELD_LABELS = {"count": "Questions", "minutes": "Time limit", "seed": "Seed", "forms": "Forms"}
"""The name of each field of a quiz request on the form, to name it in a problem."""


class QuizSetupScreen(AppModal[QuizRequest | None]):
    """The quiz form; Enter begins from any field (Space ticks), Esc cancels.

    Args:
        deck: The deck highlighted on the home screen, offered first; None offers every deck only.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = ["modal.tcss", "quiz.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the fields' own Enter: a checkbox, the deck choice and the tag list would tick with it, as Space does.
        Binding("enter", "start", "Start the quiz", key_display="Enter", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        app = self.study_app
        titles = {d.id: d.title for d in app.store.decks()}
        with Vertical(classes="box", id="quiz-setup"):
            yield Static(
                Content.from_markup("[b]New quiz[/b]: questions from the cards, marked and saved"), classes="box-title"
            )
            with Horizontal(classes="setup-row"):
                yield Label(Content("Decks"), classes="setup-label")
                with RadioSet(id="setup-scope", compact=True):
                    if self.deck is not None:
                        yield RadioChoice(
                            Content(titles.get(self.deck, self.deck)[:40]), value=True, id="scope-deck", compact=True
                        )
                    yield RadioChoice(Content("All decks"), value=self.deck is None, id="scope-all", compact=True)
            with Horizontal(classes="setup-row setup-tags"):
                yield Label(Content("Tags"), classes="setup-label")
                yield TagList(id="setup-tags", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label(Content("Forms"), classes="setup-label")
                for form in QUIZ_FORMS:
                    yield TickBox(Content(form), value=True, id=f"form-{form}", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label(Content("Questions"), classes="setup-label")
                yield Input(str(DEFAULT_COUNT), id="setup-count", type="integer", compact=True)
                yield Label(Content("Time limit (min)"), classes="setup-label2")
                yield Input(id="setup-time", type="number", placeholder="none", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label(Content("Seed"), classes="setup-label")
                yield Input(id="setup-seed", type="integer", placeholder="random", compact=True)
                yield TickBox(Content("Answers move the schedule"), value=False, id="setup-affect", compact=True)
            yield Static(id="setup-error")
            with Horizontal(classes="setup-row"):
                yield Button(Content("Start quiz"), id="setup-start", variant="primary", compact=True)
                yield Static(
                    Content(
                        "  Tab moves · Space ticks · Enter starts · Esc cancels\n"
                        "  No tag ticked: every tag. Empty time limit: no timer."
                    ),
                    classes="setup-hint",
                )

    def on_mount(self) -> None:
        self.query_one("#setup-error", Static).display = False
        self.fill_tags()
        self.query_one("#setup-count", Input).focus()

    def chosen_deck(self) -> str | None:
        """The deck chosen, or None for every deck."""
        if self.deck is None:
            return None
        return self.deck if self.query_one("#scope-deck", RadioButton).value else None

    def tags_of(self, deck: str | None) -> list[str]:
        """The tags of a deck's cards (or of every deck's), sorted."""
        return all_tags(self.study_app.store, None if deck is None else (deck,))

    def fill_tags(self) -> None:
        """List the tags of the decks chosen, keeping the ticks of those still there."""
        tags = self.query_one("#setup-tags", TagList)
        tags.fill(self.tags_of(self.chosen_deck()), set(tags.selected))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.fill_tags()

    def request(self) -> QuizRequest | str:
        """The request the form asks for, or what to fix."""
        deck = self.chosen_deck()
        request = read_quiz_request(
            QuizFields(
                decks=(deck,) if deck is not None else (),
                tags=list(self.query_one("#setup-tags", SelectionList).selected),
                count=self.query_one("#setup-count", Input).value,
                minutes=self.query_one("#setup-time", Input).value,
                seed=self.query_one("#setup-seed", Input).value,
                forms=[form for form in QUIZ_FORMS if self.query_one(f"#form-{form}", Checkbox).value],
                affect_schedule=self.query_one("#setup-affect", Checkbox).value,
            )
        )
        if isinstance(request, list):
            return f"{request[0].line(FIELD_LABELS[request[0].field])}."
        return request

    def action_start(self) -> None:
        """Close with the request, or say what to fix."""
        request = self.request()
        if isinstance(request, str):
            error = self.query_one("#setup-error", Static)
            error.update(Content.from_markup("[b]✗[/b] $message", message=request))
            error.display = True
            return
        self.dismiss(request)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def action_cancel(self) -> None:
        """Close without a quiz."""
        self.dismiss(None)
