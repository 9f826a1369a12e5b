"""The end of a quiz: the score, the per-tag breakdown, the time and each mistake; past attempts."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from immunoquiz.core.exam import Scorecard, format_number
from immunoquiz.core.feedback import QUIZ_ALMOST
from immunoquiz.core.model import NO_SOURCE
from immunoquiz.core.quiz_history import ResultsError, format_duration, mistakes_selection
from immunoquiz.core.quiz_store import QuestionRecord, history, questions_of
from immunoquiz.core.sitting import QuizSitting
from immunoquiz.tui.screens.base import AppModal, AppScreen
from immunoquiz.tui.widgets.footer import KeysFooter


def your_answer(record: QuestionRecord) -> str:
    """The learner's answer as the line mode shows it: the line typed, and the options it picked."""
    if not record.answered or record.answer is None:
        return "(unanswered)"
    given = record.answer
    if record.chosen:
        given += f" ({'; '.join(record.chosen)})"
    return given


def mistake_lines(record: QuestionRecord) -> list[Content]:
    """One mistake: the question, the learner's answer, the right answer and the source quote."""
    if not record.answered:
        verdict = "✗ not answered"
    elif record.almost:
        verdict = f"≈ almost: {QUIZ_ALMOST}"
    elif record.score > 0:
        verdict = f"◐ partly right, {format_number(record.score)} of 1"
    else:
        verdict = "✗ wrong"
    # One passage a line (several for a bullet list), under the first.
    sources: list[str | tuple[str, str]] = [(f"“{quote}”", "italic") for quote in record.quotes]
    return [
        Content.assemble((f"{record.position + 1}. ", "bold"), (record.question, "bold"), f"  ({verdict})"),
        Content.assemble(("   Your answer: ", "$text-muted"), your_answer(record)),
        Content.assemble(("   Right answer: ", "$text-muted"), record.expected),
        Content.assemble(("   Source: ", "$text-muted"), sources[0] if sources else NO_SOURCE),
        *(Content.assemble(" " * len("   Source: "), source) for source in sources[1:]),
    ]


class QuizResultsScreen(AppScreen):
    """The scorecard of a finished sitting, with its mistakes from the database.

    Args:
        sitting: The finished sitting.
        scorecard: Its scorecard.
        late: The last answer came after the time limit and was not counted.
        standalone: Opened by ``immunoquiz quiz``: leaving quits the app.
        title: What the quiz was on, for the top line.
    """

    CSS_PATH = "quiz.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cram", "Cram the mistakes"),
        Binding("h", "history", "Past attempts"),
        # Not Enter: the Enter that opened the results must not close them at once when pressed twice.
        Binding("escape", "leave", "Done", key_display="Esc"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        sitting: QuizSitting,
        scorecard: Scorecard,
        *,
        late: bool = False,
        standalone: bool = False,
        title: str = "Quiz",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.sitting = sitting
        self.scorecard = scorecard
        self.late = late
        self.standalone = standalone

    @property
    def attempt_id(self) -> int:
        """The saved attempt."""
        return self.sitting.attempt_id

    def compose(self) -> ComposeResult:
        card = self.scorecard
        records = {r.position: r for r in questions_of(self.sitting.store, self.attempt_id)}
        with Horizontal(id="quiz-status"):
            yield Static(Content(f"Results · {self.title_text}"), id="quiz-title")
            yield Static(Content(f"Attempt {self.attempt_id} saved · seed {self.sitting.paper.seed}"), id="quiz-number")
        with VerticalScroll(id="results"):
            yield Static(Content.styled(card.line(), "bold"), id="results-score")
            unanswered = card.total - card.answered
            time = f"Time: {format_duration(card.duration_ms)}" + (f" · {unanswered} unanswered" if unanswered else "")
            notes = [Content(time)]
            if card.timed_out:
                notes.append(
                    Content.from_markup("[b]⌛ Time ran out[/b]: the questions not reached count as unanswered.")
                )
            if self.late:
                notes.append(Content("The last answer came after the time limit and was not counted."))
            if card.incomplete:
                notes.append(
                    Content(
                        f"Ended early: saved as incomplete ({card.answered} of {card.total} answered), "
                        "kept in the history but not exported."
                    )
                )
            yield Static(Content("\n").join(notes), id="results-time")
            if card.by_tag:
                yield Static(Content.styled("By tag", "bold"), classes="results-heading")
                yield DataTable(id="results-tags", cursor_type="none", zebra_stripes=True, show_cursor=False)
            if card.mistakes:
                yield Static(Content.styled(f"Mistakes ({len(card.mistakes)})", "bold"), classes="results-heading")
                lines: list[Content] = []
                for position in card.mistakes:
                    lines += mistake_lines(records[position])
                yield Static(Content("\n").join(lines), id="results-mistakes")
            else:
                none = "No mistakes among the questions reached." if card.incomplete else "✓ No mistakes."
                yield Static(Content.styled(none, "bold"), id="results-mistakes")
            hint = "c crams the mistakes · " if card.mistakes else ""
            yield Static(Content(f"{hint}h past attempts · Esc done · ↑↓ scroll"), id="results-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.scorecard.by_tag:
            table: DataTable[Content] = self.query_one("#results-tags", DataTable)
            # Content cells are not measured for auto width: size the columns to their text.
            rows = [
                (tag.tag, f"{format_number(tag.score)}/{tag.total}", f"{tag.percent:.0f}%")
                for tag in self.scorecard.by_tag
            ]
            for index, label in enumerate(("Tag", "Score", "Share")):
                width = max(len(label), *(len(row[index]) for row in rows))
                table.add_column(label, key=label, width=min(40, width))
            for row in rows:
                table.add_row(*(Content(cell) for cell in row), key=row[0])
        self.query_one("#results", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the cram key only when there is something to cram."""
        if action == "cram":
            return bool(self.scorecard.mistakes)
        return True

    def action_cram(self) -> None:
        """Cram the cards this attempt got wrong, partly wrong or left unanswered (the schedule is left alone)."""
        from immunoquiz.tui.screens.study import StudyScreen

        try:
            selection = mistakes_selection(self.sitting.store, self.attempt_id)
        except ResultsError as exc:
            self.notify(str(exc), markup=False)
            return
        self.app.push_screen(StudyScreen(selection))

    def action_history(self) -> None:
        """Show past attempts."""
        self.app.push_screen(QuizHistoryScreen(self.attempt_id))


class QuizHistoryScreen(AppModal[None]):
    """Past quiz attempts, newest first: date, decks and tags, score and time.

    Args:
        current: The attempt just finished, marked in the table.
    """

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,h,q", "close", "Close", key_display="Esc")]

    def __init__(self, current: int | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="box", id="quiz-history"):
            yield Static(Content.from_markup("[b]Past quiz attempts[/b]"), classes="box-title")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield Static(Content("Esc closes · ↑↓ scroll"), classes="box-hint")

    def on_mount(self) -> None:
        app = self.study_app
        table: DataTable[Content] = self.query_one("#history-table", DataTable)
        for label, width in (("Quiz", 6), ("Date", 16), ("Decks / tags", 15), ("Score", 16), ("Time", 9)):
            table.add_column(label, key=label, width=width)
        for row in reversed(history(app.store)):
            table.add_row(
                Content(f"{row.id}" + (" ◂" if row.id == self.current else "")),
                Content(app.format_time(row.started)),
                Content(row.scope),
                # The history's long form does not fit the column: `incomplete 3/20` (answered of asked).
                Content(row.result(" ⌛") if row.complete else f"incomplete {row.answered}/{row.total}"),
                Content(format_duration(row.duration_ms)),
                key=str(row.id),
            )
        table.focus()

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss()
