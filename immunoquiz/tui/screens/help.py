"""Every key binding of the app, read from the screens' and widgets' own binding lists."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _form(*keys: tuple[str, str, str]) -> list[BindingType]:
    """Keys a form's widgets handle themselves (key, shown as, what it does), to list them."""
    return [Binding(key, "", description, key_display=shown) for key, shown, description in keys]


FORM_KEYS = _form(("tab", "Tab", "Next field"), ("shift+tab", "Shift+Tab", "Previous field"))


def _sections() -> list[tuple[str, type[object], list[BindingType]]]:
    """Each screen's title, class (to put the current one first) and keys."""
    from immunoquiz.tui.app import ImmunoquizApp
    from immunoquiz.tui.screens.browse import BrowseScreen
    from immunoquiz.tui.screens.confirm import ConfirmScreen
    from immunoquiz.tui.screens.cram import CramScreen
    from immunoquiz.tui.screens.home import HomeScreen
    from immunoquiz.tui.screens.options import OptionsScreen
    from immunoquiz.tui.screens.quiz import QuizScreen
    from immunoquiz.tui.screens.quiz_results import QuizHistoryScreen, QuizResultsScreen
    from immunoquiz.tui.screens.quiz_setup import QuizSetupScreen
    from immunoquiz.tui.screens.stats import StatsScreen
    from immunoquiz.tui.screens.study import StudyScreen
    from immunoquiz.tui.screens.summary import SummaryScreen
    from immunoquiz.tui.screens.where import WhereScreen
    from immunoquiz.tui.widgets.answers import AnswerInput, ChoiceList, OrderingList
    from immunoquiz.tui.widgets.ratings import RatingBar

    return [
        ("Home", HomeScreen, HomeScreen.BINDINGS),
        ("Study", StudyScreen, StudyScreen.BINDINGS),
        ("Study: typed answers", StudyScreen, AnswerInput.BINDINGS),
        (
            "Study: choice cards",
            StudyScreen,
            [*ChoiceList.BINDINGS, Binding("a", "", "a-d or 1-4: pick an option", key_display="a-d")],
        ),
        ("Study: ordering cards", StudyScreen, OrderingList.BINDINGS),
        ("Study: rating buttons", StudyScreen, RatingBar.BINDINGS),
        ("Where a card lives (e)", WhereScreen, WhereScreen.BINDINGS),
        (
            "Cram picker (c)",
            CramScreen,
            [*_form(("up", "↑↓", "Choose"), ("enter", "Enter", "Cram it")), *CramScreen.BINDINGS],
        ),
        (
            "Deck options (o)",
            OptionsScreen,
            [*FORM_KEYS, *_form(("enter", "Enter", "Save (or press a button)")), *OptionsScreen.BINDINGS],
        ),
        ("Browse", BrowseScreen, BrowseScreen.BINDINGS),
        ("Session summary", SummaryScreen, SummaryScreen.BINDINGS),
        ("Stats", StatsScreen, StatsScreen.BINDINGS),
        (
            "Quiz setup (x)",
            QuizSetupScreen,
            [
                *FORM_KEYS,
                *_form(("space", "Space", "Tick a box, pick a choice or tag")),
                *QuizSetupScreen.BINDINGS,
            ],
        ),
        ("Quiz", QuizScreen, QuizScreen.BINDINGS),
        ("Quiz: end the exam?", ConfirmScreen, ConfirmScreen.BINDINGS),
        ("Quiz results", QuizResultsScreen, QuizResultsScreen.BINDINGS),
        ("Past quiz attempts (h)", QuizHistoryScreen, QuizHistoryScreen.BINDINGS),
        (
            "Everywhere",
            ImmunoquizApp,
            [
                *ImmunoquizApp.BINDINGS,
                Binding("ctrl+p", "", "Command palette (themes, every key)"),
                Binding("ctrl+q", "", "Quit"),
            ],
        ),
    ]


class HelpScreen(ModalScreen[None]):
    """The key bindings, the current screen's first.

    Args:
        current: The screen help was asked from.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "Close", key_display="Esc")]

    def __init__(self, current: Screen[object]) -> None:
        super().__init__()
        self.current = type(current)

    def _lines(self) -> list[Content]:
        sections = _sections()
        sections.sort(key=lambda section: section[1] is not self.current)
        entries: list[tuple[str, list[tuple[str, str]]]] = []
        for title, _, bindings in sections:
            keys: dict[str, list[str]] = {}
            for binding in Binding.make_bindings(bindings):
                keys.setdefault(binding.description, []).append(self.app.get_key_display(binding))
            entries.append((title, [(" / ".join(dict.fromkeys(shown)), text) for text, shown in keys.items()]))
        # One column for every description, clear of the longest keys.
        width = max(len(shown) for _, rows in entries for shown, _ in rows) + 2
        lines: list[Content] = []
        for title, rows in entries:
            lines.append(Content.styled(title, "bold $accent"))
            lines += [Content.assemble((f"  {shown:<{width}}", "bold"), text) for shown, text in rows]
            lines.append(Content(""))
        return lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="box", id="help"):
            yield Static(Content.from_markup("[b]Keys[/b]"), classes="box-title")
            with VerticalScroll(id="help-keys"):
                yield Static(Content("\n").join(self._lines()))
            yield Static(Content("Esc closes · ↑↓ scroll"), classes="box-hint")

    def action_close(self) -> None:
        """Close help."""
        self.dismiss()
