"""The home screen: the decks with today's counts; keys to study, cram, browse and get help."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey

from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import QueueCounts, day_counts
from immunoquiz.core.selection import Selection
from immunoquiz.core.stats import collection_stats
from immunoquiz.core.text import counted, visible
from immunoquiz.tui.screens.base import AppScreen, saving
from immunoquiz.tui.widgets.footer import KeysFooter
from immunoquiz.tui.widgets.tables import room_left

COUNT_COLUMNS = ("New", "Learn", "Due", "Retention 30d")


class HomeScreen(AppScreen):
    """The decks of this run with new / learning / due counts and 30-day retention."""

    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study_deck", "Study deck", key_display="Enter"),
        Binding("a", "study_all", "Study all due"),
        Binding("c", "cram", "Cram"),
        Binding("x", "quiz", "Quiz"),
        Binding("b", "browse", "Browse"),
        Binding("s", "stats", "Stats"),
        # Not in the footer, for room at 80 columns: the hint line and help name it.
        Binding("o", "options", "Deck options", show=False),
        # Only while a --decks path of this run is not remembered; the notice above the table names it.
        Binding("r", "remember_decks", "Remember the --decks of this run", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="load-notices")
        yield Static(id="today")
        table: DataTable[Content] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(
            Content("Enter studies the highlighted deck · o its options · a every deck · ? keys"),
            id="home-hint",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_notices()
        self.query_one("#decks", DataTable).focus()

    def show_notices(self, *said: str) -> None:
        """Say what the learner should know of this run's decks, where the learner looks.

        Decks that did not load and remembered ones that are missing are said
        here, not only on the terminal the app draws over; then the offer to
        remember a ``--decks`` path of this run, and ``said`` (what ``r`` did).
        """
        workspace = self.study_app.workspace
        offers = [
            f"--decks {visible(str(path))} is for this run only: r remembers it for every start"
            for path in workspace.for_this_run
        ]
        lines = [*workspace.notices(), *offers, *said]
        panel = self.query_one("#load-notices", Static)
        panel.update(Content("\n".join(lines)))  # paths and deck text as text, never markup
        panel.display = bool(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remember_decks":
            return bool(self.study_app.workspace.for_this_run)
        return True

    @saving
    def action_remember_decks(self) -> None:
        """Remember the ``--decks`` paths of this run, so that every later start opens them."""
        app = self.study_app
        remembered = app.workspace.remember_for_this_run(app.clock())
        self.show_notices(*(f"Remembered {visible(str(path))}: it opens with every start" for path in remembered))
        self.refresh_bindings()

    def on_resize(self) -> None:
        # Once the table has its new size: the deck titles get the room there is.
        self.call_after_refresh(self.fit_columns)

    def fit_columns(self) -> None:
        """Give the deck column the longest title's width, or all the room there is."""
        table = self.query_one("#decks", DataTable)
        # Content cells are not measured for auto width: size the deck column to the longest title.
        longest = max((len(d.title) for d in self.study_app.store.decks()), default=4)
        # A count column is as wide as its label or a four-digit count.
        width = max(4, min(longest, room_left(table, [max(4, len(label)) for label in COUNT_COLUMNS])))
        deck = table.columns.get(ColumnKey("deck"))
        if deck is not None and deck.width == width:
            return
        table.clear(columns=True)
        table.add_column("Deck", key="deck", width=width)
        for label in COUNT_COLUMNS:
            table.add_column(label, key=label)
        self.refresh_counts()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the counts are filled in here only.
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Count today's cards per deck as the study queue does (the core's ``queue.day_counts``)."""
        app = self.study_app
        store = app.store
        decks = store.decks()
        deck_ids = tuple(d.id for d in decks)
        now = app.clock()
        figures = collection_stats(store, deck_ids, now, app.day_rule, options=app.options)
        today = day_counts(store, CardFilter(deck_ids), now, app.day_rule, app.options)
        table = self.query_one("#decks", DataTable)
        if not table.columns:  # before the first layout: fit_columns fills the table
            return
        selected = table.cursor_row
        table.clear()
        # A title longer than its column ends in an ellipsis, not in what reads as a shorter word.
        title_width = table.columns[ColumnKey("deck")].width
        for deck in decks:
            deck_id = deck.id
            counts = today[deck_id]
            retention = figures.decks[deck_id].retention_30d
            table.add_row(
                Content(deck.title).truncate(title_width, ellipsis=True),
                Content.styled(str(counts.new), "$text-primary" if counts.new else "$text-muted"),
                Content.styled(str(counts.learning), "$text-error" if counts.learning else "$text-muted"),
                Content.styled(str(counts.review), "$text-success" if counts.review else "$text-muted"),
                Content("–" if retention is None else f"{retention:.0%}"),
                key=deck_id,
            )
        if decks:
            table.move_cursor(row=min(selected, len(decks) - 1))
        total = sum(today.values(), QueueCounts())
        self.query_one("#today", Static).update(
            Content.from_markup(
                "[b]Today[/b]  $new new · $learn learning · $due due · $reviews done",
                new=str(total.new),
                learn=str(total.learning),
                due=str(total.review),
                reviews=counted(figures.total.reviews.today, "review"),
            )
        )

    def selected_deck(self) -> str | None:
        """The id of the highlighted deck."""
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study_deck()

    def action_study_deck(self) -> None:
        """Study the highlighted deck."""
        deck = self.selected_deck()
        if deck is not None:
            self.study(Selection(decks=(deck,)))

    def action_study_all(self) -> None:
        """Study what is due in every deck."""
        self.study(Selection())

    def study(self, selection: Selection) -> None:
        """Open the study screen on a selection."""
        from immunoquiz.tui.screens.study import StudyScreen

        self.app.push_screen(StudyScreen(selection))

    def action_cram(self) -> None:
        """Pick what to cram: this deck, every deck, a tag, leeches or cards due soon."""
        from immunoquiz.tui.screens.cram import CramScreen

        def chosen(selection: Selection | None) -> None:
            if selection is not None:
                self.study(selection)

        self.app.push_screen(CramScreen(self.selected_deck()), chosen)

    def action_quiz(self) -> None:
        """Set up a quiz on the highlighted deck (or every deck), then sit it."""
        from immunoquiz.core.quiz import QuizRequest
        from immunoquiz.tui.screens.quiz import QuizScreen
        from immunoquiz.tui.screens.quiz_setup import QuizSetupScreen

        def chosen(request: QuizRequest | None) -> None:
            if request is not None:
                self.app.push_screen(QuizScreen(request))

        self.app.push_screen(QuizSetupScreen(self.selected_deck()), chosen)

    def action_browse(self) -> None:
        """Search the cards."""
        from immunoquiz.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        """Progress figures for the highlighted deck (a: every deck)."""
        from immunoquiz.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.selected_deck()))

    def action_options(self) -> None:
        """The highlighted deck's study options."""
        from immunoquiz.tui.screens.options import OptionsScreen

        deck = self.selected_deck()
        if deck is not None:
            self.app.push_screen(OptionsScreen(deck), lambda saved: self.notify("Options saved.") if saved else None)
