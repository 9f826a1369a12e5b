"""The browser: search cards by text, deck, tag and state; see a card's history and schedule; suspend it."""

from __future__ import annotations

import random
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from immunoquiz.core.browse import Found, parse_query, query_problems, search, state_label
from immunoquiz.core.present import present
from immunoquiz.core.review_query import card_history
from immunoquiz.core.schedule import Rating
from immunoquiz.core.text import counted
from immunoquiz.tui.screens.base import AppScreen, saving
from immunoquiz.tui.widgets.footer import KeysFooter
from immunoquiz.tui.widgets.tables import room_left

SEARCH_DELAY_S = 0.15
COLUMNS = {"Deck": 12, "Card": 14, "State": 9, "Due": 11}
MIN_QUESTION = 20  # narrower, the table scrolls sideways


class BrowseScreen(AppScreen):
    """A search box, the cards found, and the highlighted card's details."""

    CSS_PATH = "browse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("exclamation_mark", "toggle_suspend", "Suspend/unsuspend", key_display="!"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Found] = []
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='words  "a phrase"  deck:ID  card:ID  tag:NAME  is:due  -term  a OR b  (a b)', id="query"
        )
        yield Static(id="count")
        table: DataTable[Content] = DataTable(id="results", cursor_type="row")
        yield table
        with VerticalScroll(id="details", can_focus=False):
            yield Static(id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    def on_resize(self) -> None:
        # Once the table has its new size: the question gets the room there is.
        self.call_after_refresh(self.fit_columns)

    def fit_columns(self) -> None:
        """Lay the columns out over the table's width: the question column takes what the others leave."""
        table = self.query_one("#results", DataTable)
        question = max(MIN_QUESTION, room_left(table, list(COLUMNS.values())))
        current = table.columns.get(ColumnKey("Question"))
        if current is not None and current.width == question:
            return
        table.clear(columns=True)
        for label, width in (*COLUMNS.items(), ("Question", question)):
            table.add_column(label, width=width, key=label)
        self.run_search()

    def on_input_changed(self, event: Input.Changed) -> None:
        # Wait for a pause in typing: a search over many cards need not run per key.
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SEARCH_DELAY_S, self.run_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._pending is not None:
            self._pending.stop()
        self.run_search()
        self.query_one("#results", DataTable).focus()

    def run_search(self) -> None:
        """Search with the query typed and list the cards found."""
        app = self.study_app
        if not self.query_one("#results", DataTable).columns:  # before the first layout: fit_columns searches
            return
        query = parse_query(self.query_one("#query", Input).value)
        result = search(app.store, query, app.clock(), app.day_rule, options=app.options)
        self.found = result.found
        table = self.query_one("#results", DataTable)
        table.clear()
        for found in result.found:
            due = "" if found.due is None else app.format_time(found.due)
            table.add_row(
                Content(found.row.deck_id),
                Content(found.row.card_id + (f" ({found.row.sibling})" if found.row.sibling else "")),
                Content(state_label(found.row)),
                Content(due),
                Content(found.question),
                key=str(found.row.id),
            )
        shown = counted(result.total, "card")
        if result.total != len(result.found):
            shown += f" (first {len(result.found)} shown)"
        shown += "".join(f" · {problem}" for problem in query_problems(query, app.workspace.deck_ids()))
        self.query_one("#count", Static).update(Content(shown))
        self.show_details()

    def current(self) -> Found | None:
        """The highlighted card."""
        table = self.query_one("#results", DataTable)
        if not self.found or not 0 <= table.cursor_row < len(self.found):
            return None
        return self.found[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_details()

    def show_details(self) -> None:
        """The highlighted card's text, schedule and answers."""
        detail = self.query_one("#detail", Static)
        found = self.current()
        if found is None:
            detail.update(Content("No card matches."))
            return
        app = self.study_app
        row, card = found.row, found.card
        state = row.state
        prompt = present(card, row.sibling, random.Random(0))
        lines = [
            Content.from_markup("[b]Q:[/b] $q", q=found.question),
            Content.from_markup("[b]A:[/b] $a", a=prompt.expected),
            Content.from_markup(
                "[dim]tags[/dim] $tags  [dim]type[/dim] $type", tags=", ".join(card.tags) or "–", type=card.type
            ),
            Content.from_markup(
                "[b]Schedule:[/b] $state · due $due · stability $s · difficulty $d · $reps · $lapses",
                state=found.state,
                due="–" if found.due is None else app.format_time(found.due),
                s="–" if state.stability is None else f"{state.stability:.1f}d",
                d="–" if state.difficulty is None else f"{state.difficulty:.1f}",
                reps=counted(state.reps, "review"),
                lapses=counted(state.lapses, "lapse"),
            ),
        ]
        log = card_history(app.store, row.id)
        lines.append(
            Content.from_markup("[b]History:[/b] $n", n="no answers yet" if not log else counted(len(log), "answer"))
        )
        for entry in reversed(log):
            mark = {True: "✓ right", False: "✗ wrong", None: "self-graded"}[entry.correct]
            lines.append(
                Content.assemble(
                    f"  {app.format_time(entry.time):<16} {entry.mode:<6} {Rating(entry.rating).label:<5} {mark:<11} ",
                    entry.answer or "",
                )
            )
        detail.update(Content("\n").join(lines))

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#query", Input).focus()

    @saving
    def action_toggle_suspend(self) -> None:
        """Suspend the highlighted card, or unsuspend it."""
        found = self.current()
        if found is None:
            return
        store = self.study_app.store
        store.set_suspended(found.row.id, not found.row.suspended)
        self.notify(f"Card {'unsuspended' if found.row.suspended else 'suspended'}.", markup=False)
        cursor = self.query_one("#results", DataTable).cursor_row
        self.run_search()
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
