"""Every key binding of the app, read from the screens' and widgets' own binding lists."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _sections() -> list[tuple[str, list[BindingType]]]:
    from immunoquiz.tui.app import ImmunoquizApp
    from immunoquiz.tui.screens.browse import BrowseScreen
    from immunoquiz.tui.screens.home import HomeScreen
    from immunoquiz.tui.screens.quiz import QuizScreen
    from immunoquiz.tui.screens.quiz_results import QuizResultsScreen
    from immunoquiz.tui.screens.stats import StatsScreen
    from immunoquiz.tui.screens.study import StudyScreen
    from immunoquiz.tui.screens.summary import SummaryScreen
    from immunoquiz.tui.widgets.answers import AnswerInput, ChoiceList, OrderingList
    from immunoquiz.tui.widgets.ratings import RatingBar

    return [
        ("Home", HomeScreen.BINDINGS),
        ("Study", StudyScreen.BINDINGS),
        ("Study: typed answers", AnswerInput.BINDINGS),
        (
            "Study: choice cards",
            [*ChoiceList.BINDINGS, Binding("a", "", "a-d or 1-4: pick an option", key_display="a-d")],
        ),
        ("Study: ordering cards", OrderingList.BINDINGS),
        ("Study: rating buttons", RatingBar.BINDINGS),
        ("Browse", BrowseScreen.BINDINGS),
        ("Session summary", SummaryScreen.BINDINGS),
        ("Stats", StatsScreen.BINDINGS),
        ("Quiz", QuizScreen.BINDINGS),
        ("Quiz results", QuizResultsScreen.BINDINGS),
        (
            "Everywhere",
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
        self.current = type(current).__name__.removesuffix("Screen")

    def _lines(self) -> list[Content]:
        sections = _sections()
        sections.sort(key=lambda section: not section[0].startswith(self.current))
        lines: list[Content] = []
        for title, bindings in sections:
            lines.append(Content.styled(title, "bold $accent"))
            keys: dict[str, list[str]] = {}
            for binding in Binding.make_bindings(bindings):
                keys.setdefault(binding.description, []).append(self.app.get_key_display(binding))
            for description, shown in keys.items():
                lines.append(Content.assemble((f"  {' / '.join(dict.fromkeys(shown)):<14}", "bold"), description))
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
