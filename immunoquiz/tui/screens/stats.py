"""The stats screen: the core's progress report for one deck or every deck, drawn with Textual's own widgets.

Every figure comes from ``core.stats_report.stats_report`` (one
``rollup.day_totals`` pass), computed in a worker thread (a long log takes a noticeable fraction of a second). While
it runs the screen shows "Computing…" and its keys are off, so the database is
never used from two threads at once.

Every plot reads without colour: the calendar grades its cells with block
glyphs of increasing density and prints a legend with the numbers, the
sparklines have their values beside them, and ``t`` swaps each plot for a
table of the plotted data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Sparkline, Static, TabbedContent, TabPane

from immunoquiz.core.selection import Selection
from immunoquiz.core.text import counted
from immunoquiz.tui.screens.base import AppScreen
from immunoquiz.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from immunoquiz.core.progress import Calendar, ProgressReport, SourceSection, StudyDay, WeakSpots
    from immunoquiz.core.stats import DeckFigures
    from immunoquiz.core.stats_report import StatsReport

SHADES = "░▒▓█"
EMPTY_DAY = "·"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EIGHTHS = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 16
NAME_WIDTH = 30
SECTIONS = ("calendar", "due", "retention", "time", "weak", "source")
SECTION_NAMES = ("Calendar", "Due", "Retention", "Time", "Weak spots", "Source")
SECTION = Binding.Group("Section", compact=True)
RATINGS = ("Again", "Hard", "Good", "Easy")


def shade_bounds(most: int) -> list[int]:
    """The highest count of each shade (``░▒▓█``): quarters of the busiest day, rounded up."""
    return [-(-most * k // 4) for k in range(1, 5)]


def shade_of(count: int, bounds: Sequence[int]) -> str:
    """The glyph for a day's answers: a dot for none, then denser blocks for more."""
    if count <= 0:
        return EMPTY_DAY
    return next((SHADES[k] for k, bound in enumerate(bounds) if count <= bound), SHADES[-1])


def heatmap_lines(days: Mapping[date, int], today: date, span: int = 365) -> list[Content]:
    """The past year as a grid of weeks (columns) by weekdays (rows), months labelled above.

    Args:
        days: Answers by study day (the report's ``calendar.days``).
        today: Today's study day.
        span: Days shown, today included.

    Returns:
        A month line and one line per weekday.
    """
    first = today - timedelta(days=span - 1)
    start = first - timedelta(days=first.weekday())
    weeks = (today - start).days // 7 + 1
    bounds = shade_bounds(max(days.values(), default=0))
    months = [" "] * weeks
    months[:3] = list(f"{first:%b}")
    for week in range(1, weeks):
        monday = start + timedelta(days=7 * week)
        sunday = monday + timedelta(days=6)
        if monday.month != sunday.month or monday.day == 1:
            label = f"{sunday:%b}" if monday.month != sunday.month else f"{monday:%b}"
            if week + len(label) <= weeks and all(c == " " for c in months[max(0, week - 1) : week + len(label)]):
                months[week : week + len(label)] = list(label)
    lines = [Content("    " + "".join(months))]
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            cells.append(" " if day < first or day > today else shade_of(days.get(day, 0), bounds))
        lines.append(Content.assemble((f"{WEEKDAYS[weekday]} ", "$text-muted"), ("".join(cells), "$text-success")))
    return lines


def heatmap_legend(days: Mapping[date, int]) -> Content:
    """What each glyph of the calendar stands for, in answers per day."""
    bounds = shade_bounds(max(days.values(), default=0))
    parts: list[Content | str] = [Content.styled(EMPTY_DAY, "$text-success"), " 0"]
    low = 1
    for shade, high in zip(SHADES, bounds, strict=False):
        if high < low:
            continue
        parts += ["  ", Content.styled(shade, "$text-success"), f" {low}" if high == low else f" {low}–{high}"]
        low = high + 1
    return Content.assemble("answers a day: ", *parts)


def bar(value: float, most: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value`` out of ``most``, in eighths of a cell, padded to ``width``."""
    if most <= 0 or value <= 0:
        return " " * width
    eighths = max(1, round(value / most * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def percent(rate: float | None) -> str:
    """A rate as ``85%``, or ``–`` when there is none."""
    return "–" if rate is None else f"{rate:.0%}"


def share(count: int, total: int) -> str:
    """``12 (40%)``: a count and its share of a total."""
    return f"{count} ({count / total:.0%})" if total else str(count)


def _numbers(values: Sequence[str], first: date) -> Content:
    """Values in rows of ten, each row led by its first date, for reading beside a sparkline."""
    rows = []
    for start in range(0, len(values), 10):
        day = first + timedelta(days=start)
        cells = " ".join(f"{value:>4}" for value in values[start : start + 10])
        rows.append(Content.assemble((f"{day:%d %b} ", "$text-muted"), cells))
    return Content("\n").join(rows)


class StatsScreen(AppScreen):
    """Progress figures for one deck or every deck, in six sections.

    Args:
        deck: The deck highlighted on the home screen (shown first); None for every deck.
    """

    CSS_PATH = "stats.tcss"
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "leave", "Back"),
        Binding("a", "scope(True)", "All decks"),
        Binding("d", "scope(False)", "This deck"),
        Binding("t", "tables", "Tables"),
        Binding("c", "cram", "Cram"),
        *(Binding(str(n), f"section({n})", SECTION_NAMES[n - 1], group=SECTION) for n in range(1, 7)),
    ]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck
        self.all_decks = deck is None
        self.computing = False
        self.report: StatsReport | None = None
        self.crams: list[Selection] = []
        self.titles: dict[str, str] = {}
        self.stale = False

    # -- layout --------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title")
        with TabbedContent(id="sections"):
            with TabPane("1 Calendar", id="calendar"), VerticalScroll():
                yield Static(id="streaks")
                yield Static(id="heatmap", classes="plot")
                yield Static(id="legend", classes="plot")
                yield self._table("calendar-table", "Week of", *WEEKDAYS, "Total")
            with TabPane("2 Due", id="due"), VerticalScroll():
                yield Static(id="cards")
                yield Static(id="forecast-title")
                yield Sparkline(id="forecast-plot", classes="plot")
                yield Static(id="forecast-numbers", classes="plot")
                yield self._table("forecast-table", "Day", "Date", "Due")
            with TabPane("3 Retention", id="retention"), VerticalScroll():
                yield Static(id="retention-title")
                yield self._table("retention-table", "Window", "Young", "Mature", "All", "Desired", classes="")
                yield Static(Content.styled("Answer buttons (scheduled study)", "bold"), classes="heading")
                yield self._table("buttons-table", "Cards", *RATINGS, "Total", classes="")
            with TabPane("4 Time", id="time"), VerticalScroll():
                yield Static(id="time-title")
                yield Sparkline(id="time-plot", classes="plot")
                yield Static(id="time-numbers", classes="plot")
                yield self._table("time-table", "Date", "Answers", "Minutes")
            with TabPane("5 Weak spots", id="weak"), VerticalScroll():
                yield Static(id="weak-title")
                yield self._table(
                    "weak-table",
                    ("Kind", 13),
                    ("Tag or card", NAME_WIDTH),
                    "Retention",
                    "Reviews",
                    "Lapses",
                    classes="",
                )
            with TabPane("6 Source", id="source"), VerticalScroll():
                yield Static(id="source-title")
                yield self._table(
                    "source-table", ("Section", NAME_WIDTH), "Cards", ("", BAR_WIDTH), "Retention", classes=""
                )
        yield Static(Content("Computing…"), id="computing")
        yield KeysFooter()

    @staticmethod
    def _table(table_id: str, *columns: str | tuple[str, int], classes: str = "data") -> DataTable[Content | str]:
        """A row-cursor table; a column given as (label, width) holds ``Content`` (not measured: sized here)."""
        table: DataTable[Content | str] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True, classes=classes)
        for column in columns:
            label, width = column if isinstance(column, tuple) else (column, None)
            table.add_column(label, key=label or "bar", width=width)
        return table

    def on_mount(self) -> None:
        self.titles = {d.id: d.title for d in self.study_app.store.decks()}
        self.refresh_report()

    def on_screen_resume(self) -> None:
        if self.stale:  # back from a cram session: its answers count
            self.stale = False
            self.refresh_report()

    # -- computing -----------------------------------------------------

    def decks(self) -> tuple[str, ...]:
        """The decks in scope."""
        if self.all_decks or self.deck is None:
            return tuple(self.study_app.workspace.deck_ids())
        return (self.deck,)

    def refresh_report(self) -> None:
        """Compute the figures again (in a worker); keys stay off until they are shown."""
        decks = self.decks()
        self.computing = True
        self.query_one("#computing").display = True
        self.query_one("#sections").disabled = True
        scope = "all decks" if self.all_decks or self.deck is None else self.titles.get(decks[0], decks[0])
        self.query_one("#stats-title", Static).update(Content.assemble(("Stats", "bold"), " · ", scope))
        self.refresh_bindings()
        self.compute(decks)

    @work(thread=True, exclusive=True)
    def compute(self, decks: tuple[str, ...]) -> None:
        """Every figure for ``decks``, with one pass over the log; shown on the UI thread."""
        from immunoquiz.core.review_query import Scope
        from immunoquiz.core.stats_report import stats_report

        app = self.study_app
        now, day_rule = app.clock(), app.day_rule
        report = stats_report(app.store, Scope(decks), now, day_rule, app.options) if decks else None
        app.call_from_thread(self.show_report, date.fromordinal(day_rule.day_of(now)), report)

    def show_report(self, today: date, report: StatsReport | None) -> None:
        """Fill every section and turn the keys back on.

        Args:
            today: Today's study day, by the app's clock and day rule.
            report: The figures; None when there are no decks.
        """
        self.report = report
        if report is None:
            self.query_one("#streaks", Static).update(Content("No decks in this run."))
        else:
            progress = report.progress
            self._show_calendar(today, progress.calendar)
            self._show_due(today, report.figures.total, progress.forecast)
            self._show_retention(progress)
            self._show_time(today, progress.study_time)
            self._show_weak(progress.weak_spots)
            self._show_source(progress.source_map)
        self.computing = False
        self.query_one("#computing").display = False
        self.query_one("#sections").disabled = False
        self.refresh_bindings()
        self._focus_section()

    # -- sections ------------------------------------------------------

    def _show_calendar(self, today: date, calendar: Calendar) -> None:
        days = calendar.days
        self.query_one("#streaks", Static).update(
            Content.from_markup(
                "Days studied in the past year [b]$studied[/b] · answers [b]$answers[/b]\n"
                "Current streak [b]$current[/b] · longest streak [b]$longest[/b]",
                studied=str(calendar.days_studied),
                answers=str(sum(days.values())),
                current=_days(calendar.current_streak),
                longest=_days(calendar.longest_streak),
            )
        )
        self.query_one("#heatmap", Static).update(Content("\n").join(heatmap_lines(days, today)))
        self.query_one("#legend", Static).update(heatmap_legend(days))
        table = self._clear("#calendar-table")
        weeks: dict[date, list[int]] = {}
        for day, count in days.items():
            monday = day - timedelta(days=day.weekday())
            weeks.setdefault(monday, [0] * 7)[day.weekday()] = count
        for monday in sorted(weeks, reverse=True):
            counts = weeks[monday]
            table.add_row(monday.isoformat(), *(str(n) if n else EMPTY_DAY for n in counts), str(sum(counts)))

    def _show_due(self, today: date, figures: DeckFigures, forecast: Sequence[int]) -> None:
        cards = figures.cards
        self.query_one("#cards", Static).update(
            Content.from_markup(
                "[b]Cards[/b] $total: $new new · $learning learning · $review review · $suspended suspended\n"
                "Due today [b]$due[/b]",
                total=str(cards.total),
                new=str(cards.new),
                learning=str(cards.learning),
                review=str(cards.review),
                suspended=str(cards.suspended),
                due=str(figures.due_today),
            )
        )
        self.query_one("#forecast-title", Static).update(
            Content.from_markup(
                "[b]Due in 30 days[/b] $total · next 7 days $week · busiest day $most (today first, overdue in it)",
                total=str(sum(forecast)),
                week=str(sum(forecast[:7])),
                most=str(max(forecast, default=0)),
            )
        )
        self.query_one("#forecast-plot", Sparkline).data = list(forecast)
        self.query_one("#forecast-numbers", Static).update(_numbers([str(n) for n in forecast], today))
        table = self._clear("#forecast-table")
        for n, count in enumerate(forecast):
            day = today + timedelta(days=n)
            table.add_row("today" if n == 0 else f"+{n}", f"{day:%a %d %b}", str(count))

    def _show_retention(self, report: ProgressReport) -> None:
        desired = report.desired_retention
        self.query_one("#retention-title", Static).update(
            Content.from_markup(
                "[b]True retention[/b]: passed scheduled reviews (Hard, Good, Easy); desired [b]$desired[/b]",
                desired=percent(desired),
            )
        )
        table = self._clear("#retention-table")
        for window in report.retention:
            cells = [f"{percent(p.rate)} of {p.total}" for p in (window.young, window.mature, window.overall)]
            table.add_row(f"{window.days}d", *cells, percent(desired))
        buttons = self._clear("#buttons-table")
        for kind, counts in report.buttons.by_kind():
            total = sum(counts)
            buttons.add_row(kind, *(share(n, total) for n in counts), str(total))

    def _show_time(self, today: date, rows: Sequence[StudyDay]) -> None:
        minutes = [row.minutes for row in rows]
        answers = sum(row.reviews for row in rows)
        studied = sum(1 for row in rows if row.reviews)
        self.query_one("#time-title", Static).update(
            Content.from_markup(
                "[b]Study time, last 30 days[/b]: $minutes min over $answers on $days; today $today min",
                minutes=f"{sum(minutes):.1f}",  # as today's, so the two always agree
                answers=counted(answers, "answer"),
                days=_days(studied),
                today=f"{minutes[-1]:.1f}" if minutes else "0",
            )
        )
        self.query_one("#time-plot", Sparkline).data = minutes
        first = rows[0].day if rows else today
        self.query_one("#time-numbers", Static).update(
            Content.assemble("minutes a day:\n", _numbers([f"{m:.1f}" if m else "0" for m in minutes], first))
        )
        table = self._clear("#time-table")
        for row in reversed(rows):
            table.add_row(f"{row.day:%a %d %b}", str(row.reviews), f"{row.minutes:.1f}")

    def _show_weak(self, spots: WeakSpots) -> None:
        decks = () if self.all_decks or self.deck is None else (self.deck,)
        self.crams = []
        table = self._clear("#weak-table")
        for tag in spots.tags:
            table.add_row(
                Content("tag"),
                Content(_clip(tag.tag, NAME_WIDTH)),
                percent(tag.retention),
                str(tag.reviews),
                str(tag.lapses),
            )
            self.crams.append(Selection(decks=decks, tags=(tag.tag,), cram=True))
        for kind, rows in (("card", spots.cards), ("leech", spots.leeches)):
            for card in rows:
                name = (f"{card.deck_id}/" if not decks else "") + card.card_id
                name += f" #{card.sibling}" if card.sibling else ""
                shown = kind + (" (susp.)" if card.suspended else "")
                table.add_row(
                    Content(shown),
                    Content(_clip(name, NAME_WIDTH)),
                    percent(card.retention),
                    str(card.reviews),
                    str(card.lapses),
                )
                self.crams.append(
                    Selection(decks=(card.deck_id,), siblings=((card.deck_id, card.card_id, card.sibling),), cram=True)
                )
        hint = "c crams the row" if self.crams else "Not enough reviews yet."
        self.query_one("#weak-title", Static).update(
            Content.from_markup(
                "[b]Weak spots[/b]: lowest retention, most lapses; leeches. $hint",
                hint=hint,
            )
        )

    def _show_source(self, sections: Sequence[SourceSection]) -> None:
        total = sum(section.cards for section in sections)
        most = max((section.cards for section in sections), default=0)
        sources = {section.source for section in sections}
        self.query_one("#source-title", Static).update(
            Content.from_markup(
                "[b]The source, section by section[/b]: $cards cards quote it",
                cards=str(total),
            )
            if sections
            else Content("No source document found for these decks.")
        )
        table = self._clear("#source-table")
        for section in sections:
            title = section.title if len(sources) == 1 else f"{section.source}: {section.title}"
            table.add_row(
                Content(_clip(title, NAME_WIDTH)),
                str(section.cards),
                bar(section.cards, most),
                percent(section.retention),
            )

    def _clear(self, selector: str) -> DataTable[Content | str]:
        table: DataTable[Content | str] = self.query_one(selector, DataTable)
        table.clear()
        return table

    # -- keys ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No keys while computing; the scope keys only where they change something; cram on weak spots."""
        if self.computing:
            return False
        if action == "scope":
            if self.deck is None:
                return False
            return bool(parameters[0]) != self.all_decks
        section = self.query_one("#sections", TabbedContent).active
        if action == "cram":
            return section == "weak" and bool(self.crams)
        if action == "tables":
            return section in ("calendar", "due", "time")
        return True

    def action_scope(self, every: bool) -> None:
        """Show every deck (True) or the highlighted deck (False)."""
        self.all_decks = every
        self.refresh_report()

    def action_tables(self) -> None:
        """Show the plotted data as tables, or as plots again."""
        self.toggle_class("-tables")

    def action_section(self, number: int) -> None:
        """Go to a section (1-6)."""
        self.query_one("#sections", TabbedContent).active = SECTIONS[number - 1]
        self._focus_section()

    def _focus_section(self) -> None:
        """Focus what the arrow keys should move in the section shown: its table, or its scroll."""
        pane = self.query_one("#sections", TabbedContent).active
        if pane in ("weak", "source", "retention"):
            self.query_one(f"#{pane}-table", DataTable).focus()
        elif pane:
            self.query_one(f"#{pane} VerticalScroll", VerticalScroll).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        if not self.computing:
            self._focus_section()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "weak-table":
            self.action_cram()

    def action_cram(self) -> None:
        """Cram the highlighted weak tag or card, without changing the schedule."""
        from immunoquiz.tui.screens.study import StudyScreen

        table = self.query_one("#weak-table", DataTable)
        if self.computing or not self.crams or not 0 <= table.cursor_row < len(self.crams):
            return
        self.stale = True
        self.app.push_screen(StudyScreen(self.crams[table.cursor_row]))


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
