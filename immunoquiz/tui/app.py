"""The study app: home, study, browse, help and summary screens over the core engine."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.actions import parse
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from immunoquiz.core.clock import Clock, system_clock
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, StoreError, describe_error
from immunoquiz.core.studyday import DayRule, format_moment
from immunoquiz.core.workspace import Workspace

if TYPE_CHECKING:  # the quiz core is imported only when a quiz starts
    from immunoquiz.core.quiz import Paper, QuizRequest

# Textual derives muted text as "auto 60%", which Content styles (the home table's
# zero counts) resolve to black, and which is about 4.3:1 even in CSS. Both themes
# name readable colours instead, each at least 4.5:1 (WCAG AA) on every background
# it is drawn on (tests/tui/test_tui_contrast.py measures the screens).
DEFAULT = replace(
    BUILTIN_THEMES["textual-dark"],
    primary="#0064B0",  # white on Textual's #0178D4 (cursors, buttons) is 3.8:1
    variables={"text-muted": "#a8a8a8", "text-disabled": "#969696", "text-primary": "#7cb8ea"},
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#00ffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffff00",
    error="#ff6060",
    dark=True,
    variables={"text-muted": "#c8c8c8", "text-disabled": "#a0a0a0"},
)


class ImmunoquizApp(App[None]):
    """The study app over one learner's workspace.

    Args:
        workspace: The open database with this run's decks synced.
        start: Open straight on the study screen for this selection, or on the
            quiz for this request (leaving it quits); None opens the home screen.
        paper: The quiz's paper when the caller has drawn it already (to check
            that the request gives questions): the app sits it rather than draw another.
        clock: The time source (a ``ManualClock`` in tests).
        day_rule: Where study days begin (default: the learner's setting in the database).
        options: Deck options, one for all or by deck id (default: each deck's stored options).
        rng: Shuffles choice options and ordering items; seed it for repeatable runs.
    """

    CSS_PATH = "app.tcss"
    TITLE = "immunoquiz"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("question_mark", "help", "Help", key_display="?")]

    def __init__(
        self,
        workspace: Workspace,
        start: Selection | QuizRequest | None = None,
        paper: Paper | None = None,
        *,
        clock: Clock = system_clock,
        day_rule: DayRule | None = None,
        options: DeckOptions | Mapping[str, DeckOptions] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        # NO_COLOR: Textual alone still paints 24-bit greys; the terminal's own colours respect the learner's setup.
        super().__init__(ansi_color="NO_COLOR" in os.environ or None)
        # The default keeps Textual's name; the stylesheet read its variables already.
        self.register_theme(DEFAULT)
        self.register_theme(HIGH_CONTRAST)
        self.stylesheet.set_variables(self.get_css_variables())
        self.workspace = workspace
        self.start = start
        self.paper = paper
        self.clock = clock
        self.day_rule = workspace.day_rule() if day_rule is None else day_rule
        self.options = workspace.options() if options is None else options
        self.rng = rng or random.Random()
        # False until the learner's saved theme is restored: setting it is not a choice to save.
        self.keeps_theme = False
        # The decks whose note this run has shown: one run is one session, for study, cram and quiz alike.
        self.noted: set[str] = set()

    @property
    def store(self) -> Store:
        """The learner's database."""
        return self.workspace.store

    def on_mount(self) -> None:
        saved = self.workspace.theme()
        if saved in self.available_themes:
            self.theme = saved
        self.keeps_theme = True
        if self.start is None:
            from immunoquiz.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        elif isinstance(self.start, Selection):
            from immunoquiz.tui.screens.study import StudyScreen

            self.push_screen(StudyScreen(self.start, standalone=True))
        else:
            from immunoquiz.tui.screens.quiz import QuizScreen

            self.push_screen(QuizScreen(self.start, paper=self.paper, standalone=True))
        # SQLite's quick check reads the whole file before the first write; started once the first screen is
        # painted, it runs while the learner reads it, not beside the painting (which it would slow).
        self.call_after_refresh(self.store.start_check)

    def watch_theme(self, name: str) -> None:
        """Keep a theme the learner picks (the command palette's theme switcher) for the next start."""
        if not self.keeps_theme or name == self.workspace.theme():
            return
        try:
            self.workspace.set_theme(name)
        except (sqlite3.Error, StoreError) as exc:
            reason = describe_error(exc)
            self.notify(f"Theme not kept for the next start: {reason}.", severity="warning", markup=False)

    def new_session(self, selection: Selection) -> Session:
        """A core session over a selection, with this app's clock, day rule, options and rng."""
        return Session(
            self.store,
            selection,
            clock=self.clock,
            day_rule=self.day_rule,
            options=self.options,
            rng=self.rng,
            noted=self.noted,
        )

    def describe(self, selection: Selection) -> str:
        """A short name for a selection, such as ``Cram · Checkpoint inhibitors · tag drugs``."""
        titles = {d.id: d.title for d in self.store.decks()}
        parts = ["Cram" if selection.cram else "Study"]
        parts.append(", ".join(titles.get(d, d) for d in selection.decks) if selection.decks else "all decks")
        if selection.tags:
            parts.append("tag " + ", ".join(selection.tags))
        if selection.cram and selection.cram_filter == "leech":
            parts.append("leeches")
        elif selection.cram and selection.cram_filter == "due-soon":
            parts.append(f"due within {selection.due_within_days} days")
        return " · ".join(parts)

    def format_time(self, moment: datetime) -> str:
        """A time in the learner's zone: ``14:05`` today, else ``2026-03-04 14:05``."""
        return format_moment(moment, self.day_rule.tz, self.clock())

    def action_help(self) -> None:
        """Show every key binding."""
        from immunoquiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands (themes among them) plus every key that works on the current screen.

        Keys a focused text box would swallow are offered too: from the palette they work.
        """
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        nodes = screen.focused.ancestors_with_self if screen.focused is not None else [screen, self]
        for node in nodes:
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    _, name, parameters = parse(binding.action)
                    if not binding.description or binding.action in seen or not node.check_action(name, parameters):
                        continue
                    seen.add(binding.action)
                    yield SystemCommand(
                        binding.description,
                        f"Key: {self.get_key_display(binding)}",
                        partial(self.run_action, binding.action, node),
                    )


def run_app(workspace: Workspace, start: Selection | QuizRequest | None, paper: Paper | None = None) -> None:
    """Run the app until the learner quits, then close the database.

    Args:
        workspace: The open workspace.
        start: A selection to open straight on the study screen, a quiz request to open
            straight on the quiz, or None for home.
        paper: The quiz request's paper, already drawn.
    """
    try:
        ImmunoquizApp(workspace, start, paper).run()
    finally:
        workspace.store.close()
