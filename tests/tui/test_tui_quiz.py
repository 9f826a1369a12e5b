"""The quiz screens driven with Textual's Pilot: setup, questions, the exam clock, results, cram and history."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.color import Color as RichColor
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from immunoquiz.core.present import LETTERS
from immunoquiz.core.quiz import QUIZ_FORMS, Paper, Question, QuestionId, QuizRequest, draw_paper
from immunoquiz.core.quiz_store import QuestionRecord, history, questions_of
from immunoquiz.core.sitting import make_paper
from immunoquiz.paths import bundled_decks_dir
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.quiz import QuizScreen
from immunoquiz.tui.screens.quiz_results import QuizHistoryScreen, QuizResultsScreen, mistake_lines
from immunoquiz.tui.screens.quiz_setup import QuizSetupScreen, TagList, TickBox
from immunoquiz.tui.screens.study import StudyScreen
from tests.support.decks import ALL_TYPES, BULLETS, MARKUP, bullet_deck
from tests.support.tui import answer_question, manual, put_in_order, quiz_app

CHECKPOINT = bundled_decks_dir() / "02-checkpoint-inhibitors.yaml"


def quiz_screen(app: ImmunoquizApp) -> QuizScreen:
    screen = app.screen
    assert isinstance(screen, QuizScreen), screen
    return screen


def results_screen(app: ImmunoquizApp) -> QuizResultsScreen:
    screen = app.screen
    assert isinstance(screen, QuizResultsScreen), screen
    return screen


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def table_rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_a_full_paper_right_and_wrong_through_to_the_results() -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=7, seed=3))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert screen.sitting is not None
        total = len(screen.sitting.paper.questions)
        assert total == 7  # the largest paper: yervoy's question shows ctla4-drug's answer
        asked: list[tuple[Question, bool]] = []
        for n in range(total):
            assert text_of(screen, "#quiz-number") == f"Question {n + 1} of 7"
            assert text_of(screen, "#quiz-clock") == "no time limit"
            manual(app).advance(seconds=10)
            right = n % 2 == 0
            question = await answer_question(pilot, right)
            asked.append((question, right))
            verdict = text_of(screen, "#quiz-verdict")
            assert verdict.startswith("✓ Right" if right else "✗ Wrong — you answered: "), verdict
            reveal = text_of(screen, "#quiz-reveal")
            assert f"Source: “{question.card.quote}”" in reveal
            if question.form != "ordering":
                assert f"Answer: {question.prompt.expected}" in reveal
            else:
                assert "Right order:" in reveal
            assert text_of(screen, "#quiz-next") == (
                "Enter or Space: " + ("the results" if n == 6 else "next question")
            )
            await pilot.press("space" if n % 3 else "enter")
            await pilot.pause()
        results = results_screen(app)
        assert text_of(results, "#results-score") == "Score: 4/7 (57%)"
        assert results_title(app) == "Attempt 1 saved · seed 3"
        assert text_of(results, "#results-time") == "Time: 1 min 10 s"
        # The per-tag table adds up the credits of the questions carrying each tag.
        expected: dict[str, list[int]] = {}
        for question, right in asked:
            for tag in question.card.tags:
                entry = expected.setdefault(tag, [0, 0])
                entry[0] += right
                entry[1] += 1
        rows = table_rows(results.query_one("#results-tags", DataTable))
        assert rows == [[tag, f"{s}/{t}", f"{100 * s / t:.0f}%"] for tag, (s, t) in sorted(expected.items())]
        # Every wrong question is listed with the learner's answer, the right answer and the quote.
        mistakes = text_of(results, "#results-mistakes")
        for position, (question, right) in enumerate(asked):
            listed = f"{position + 1}. {question.prompt.text}" in mistakes
            assert listed != right
            if not right:
                assert f"Right answer: {question.prompt.expected}" in mistakes
                assert f"Source: “{question.card.quote}”" in mistakes
        assert "Your answer: wrong answer" in mistakes or "Your answer: 999" in mistakes
        # Saved as it went: the attempt and each answer.
        (attempt,) = history(app.store)
        assert (attempt.complete, attempt.score, attempt.total, attempt.seed) == (True, 4.0, 7, 3)
        saved = questions_of(app.store, attempt.id)
        assert [q.correct for q in saved] == [right for _, right in asked]
        assert all(q.answered for q in saved) and [q.duration_ms for q in saved] == [10000] * 7
        # The schedule is left alone by default.
        assert app.store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        # h: past attempts.
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, QuizHistoryScreen)
        (row,) = table_rows(app.screen.query_one("#history-table", DataTable))
        assert row[0] == f"{attempt.id} ◂" and row[2] == "all-types" and row[3] == "4/7 (57%)"
        await pilot.press("escape")
        await pilot.pause()
        # c: cram exactly the cards that were wrong.
        await pilot.press("c")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        wrong = {(q.card.deck_id, q.card.id) for q, right in asked if not right}
        assert study.selection.cram and {(deck, card) for deck, card, _ in study.selection.siblings} == wrong
        assert study.showing is not None and (study.showing.card.deck_id, study.showing.card.id) in wrong
        await pilot.press("escape", "escape")  # leave the answer box (if any), then the cram session
        await pilot.pause()
        if isinstance(app.screen, StudyScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running  # opened like `immunoquiz quiz`: leaving quits


async def test_partial_credit_for_ordering_and_multi_answer_choice() -> None:
    app = quiz_app(
        ALL_TYPES,
        CHECKPOINT,
        request=QuizRequest(tags=("pd-1", "car-t"), forms=("choice", "ordering"), count=30, seed=5),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert screen.sitting is not None
        seen = set()
        while isinstance(app.screen, QuizScreen):
            question = screen.question
            assert question is not None
            prompt = question.prompt
            if question.form == "ordering" and prompt.answers[0].startswith("Extract"):
                # The right order but the last two swapped: 5 of the 6 pairs are right.
                wanted = [*prompt.answers[:-2], prompt.answers[-1], prompt.answers[-2]]
                await put_in_order(pilot, list(prompt.options), wanted)
                await pilot.press("enter")
                await pilot.pause()
                assert text_of(screen, "#quiz-verdict").startswith("◐ Partly right (0.83 of 1) — you answered: ")
                seen.add("ordering")
            elif prompt.multi and len(prompt.answers) == 2:
                # One right option of two, and no wrong one: half the credit.
                await pilot.press(LETTERS[prompt.options.index(prompt.answers[0])], "enter")
                await pilot.pause()
                assert text_of(screen, "#quiz-verdict") == (
                    f"◐ Partly right (0.5 of 1) — you answered: {prompt.answers[0]}"
                )
                assert "✓ right" in str(screen.query_one("#quiz-answer #choice").render())
                seen.add("multi")
            else:
                await answer_question(pilot, right=True)
            await pilot.press("enter")
            await pilot.pause()
        assert seen == {"ordering", "multi"}
        results = results_screen(app)
        mistakes = text_of(results, "#results-mistakes")
        assert "(◐ partly right, 0.83 of 1)" in mistakes and "(◐ partly right, 0.5 of 1)" in mistakes
        card = results.scorecard
        assert text_of(results, "#results-score") == card.line() and card.score == pytest.approx(card.total - 1 + 1 / 3)
        assert len(card.mistakes) == 2


async def test_time_limit_pause_and_expiry_on_the_manual_clock() -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=5, seed=3, time_limit_s=60))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        clock = manual(app)
        assert text_of(screen, "#quiz-clock") == "⏱ 1:00 left"
        clock.advance(seconds=20)
        screen.tick()
        assert text_of(screen, "#quiz-clock") == "⏱ 0:40 left"
        await answer_question(pilot, right=True)
        await pilot.press("enter")
        await pilot.pause()
        # Pause: the question is hidden and the clock stops however long the pause lasts.
        assert screen.question is not None and screen.question.form in ("typed", "numeric")
        await pilot.press("p", "enter")  # in a text box, a "p" answer pauses (as in line mode)
        await pilot.pause()
        assert screen.phase == "paused"
        assert not screen.query_one("#quiz-card").display and screen.query_one("#quiz-paused").display
        assert "Paused" in text_of(screen, "#quiz-paused")
        assert text_of(screen, "#quiz-clock") == "⏱ 0:40 left · paused"
        clock.advance(minutes=30)
        screen.tick()
        assert isinstance(app.screen, QuizScreen) and text_of(screen, "#quiz-clock") == "⏱ 0:40 left · paused"
        await pilot.press("p")
        await pilot.pause()
        # mypy keeps the narrowing to "paused" across the key press
        assert screen.phase == "question" and screen.query_one("#quiz-card").display  # type: ignore[comparison-overlap]
        assert text_of(screen, "#quiz-clock") == "⏱ 0:40 left"
        box = screen.query_one("#quiz-answer #typed", Input)
        assert screen.focused is box and box.value == ""
        await pilot.press("escape", "p", "p")  # out of the box, p alone pauses and resumes
        await pilot.pause()
        assert screen.phase == "question"
        # The time runs out on the second question: the paper ends, the rest unanswered.
        clock.advance(seconds=41)
        screen.tick()
        await pilot.pause()
        results = results_screen(app)
        assert text_of(results, "#results-score") == "Score: 1/5 (20%)"
        assert text_of(results, "#results-time") == (
            "Time: 1 min 0 s · 4 unanswered\n⌛ Time ran out: the questions not reached count as unanswered."
        )
        assert "(✗ not answered)" in text_of(results, "#results-mistakes")
        assert "Your answer: (unanswered)" in text_of(results, "#results-mistakes")
        (attempt,) = history(app.store)
        assert attempt.timed_out and attempt.score == 1.0
        assert [q.answered for q in questions_of(app.store, attempt.id)] == [True, False, False, False, False]


async def test_an_answer_after_the_limit_is_not_counted() -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=3, seed=3, time_limit_s=30))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.timer is not None
        # No tick comes (under load the real one-second timer could end the paper first): the learner answers late.
        screen.timer.pause()
        manual(app).advance(seconds=31)
        await answer_question(pilot, right=True)
        results = results_screen(app)
        assert text_of(results, "#results-score") == "Score: 0/3 (0%)"
        assert "The last answer came after the time limit and was not counted." in text_of(results, "#results-time")


async def test_q_ends_the_paper_early_and_space_in_an_empty_box_leaves_a_question_unanswered() -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), forms=("typed",), count=3, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        await pilot.press("space")
        await pilot.pause()
        assert text_of(screen, "#quiz-verdict") == "✗ Not answered"
        await pilot.press("enter", "escape", "q")
        await pilot.pause()
        results = results_screen(app)
        assert text_of(results, "#results-score") == "Score: 0/3 (0%)"
        assert text_of(results, "#results-time").startswith("Time: 0 s · 3 unanswered")
        assert "Ended early: saved as incomplete (0 of 3 answered)" in text_of(results, "#results-time")
        await pilot.press("h")
        await pilot.pause()
        (row,) = table_rows(app.screen.query_one("#history-table", DataTable))
        assert row[3] == "incomplete 0/3"
    (attempt,) = history(app.store)
    assert attempt.stopped_early and attempt.score is None


def drawn_focused(widget: Widget) -> bool:
    """Whether the widget as drawn (its cached lines, what the screen shows) looks focused."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    if isinstance(widget, Input):
        border = {segment.style.color for segment in lines[0] if segment.style is not None}
        return border == {RichColor.parse(widget.app.get_css_variables()["border"])}
    return any(segment.text.startswith("▸") for line in lines for segment in line)  # the list's cursor


async def test_the_answer_widget_is_drawn_focused_as_the_focus_moves_between_questions() -> None:
    # The screen is not repainted whole on a focus change: the widgets gaining and losing it repaint themselves.
    app = quiz_app(request=QuizRequest(decks=("all-types",), forms=("typed", "choice"), count=6, seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert screen.sitting is not None
        forms = []
        for _ in screen.sitting.paper.questions:
            assert screen.question is not None
            forms.append(screen.question.form)
            answering = screen.query_one("#typed" if screen.question.form == "typed" else "#choice")
            assert screen.focused is answering and drawn_focused(answering)
            if screen.question.form == "typed":
                await pilot.press("escape")  # the box gives the keys back to the screen
                await pilot.pause()
                assert screen.focused is None and not drawn_focused(answering)
                await pilot.press("tab")
                await pilot.pause()
                assert screen.focused is answering and drawn_focused(answering)
            else:
                await pilot.press("down", "tab")  # the options are all there is to focus
                await pilot.pause()
                assert screen.focused is answering and drawn_focused(answering)
            await answer_question(pilot, right=True)
            assert screen.focused is None
            if answering.display:  # the options stay, marked; the box goes
                assert not drawn_focused(answering)
            await pilot.press("enter")
            await pilot.pause()
        assert {"typed", "choice"} <= set(forms)


async def test_the_setup_form_makes_the_request_from_home() -> None:
    app = quiz_app(ALL_TYPES, MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        tags = setup.query_one("#setup-tags", TagList)
        # The highlighted deck is offered first, with its own tags.
        assert [tags.get_option_at_index(n).value for n in range(tags.option_count)] == [
            "brands",
            "car-t",
            "drugs",
            "markup",
            "mechanism",
            "side-effects",
            "trials",
        ]
        # No forms ticked: the form says what to fix and stays open.
        for form in ("choice", "typed", "numeric", "ordering"):
            setup.query_one(f"#form-{form}", TickBox).value = False
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is setup and text_of(setup, "#setup-error") == (
            "✗ Forms must include at least one of choice, typed, numeric, ordering."
        )
        setup.query_one("#form-typed", TickBox).value = True
        setup.query_one("#form-numeric", TickBox).value = True
        tags.focus()
        await pilot.press("down", "down", "space", "down", "down", "down", "down", "space")  # drugs, trials
        await pilot.pause()
        assert "✓ drugs" in str(tags.get_option_at_index(2).prompt)
        setup.query_one("#setup-count", Input).focus()
        await pilot.press("backspace", "backspace", "5", "tab", "1", "0", "tab", "4", "2", "tab", "space")
        await pilot.pause()
        assert setup.query_one("#setup-affect", TickBox).value
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        screen = quiz_screen(app)
        assert screen.request == QuizRequest(
            decks=("all-types",),
            tags=("drugs", "trials"),
            count=5,
            forms=("typed", "numeric"),
            seed=42,
            time_limit_s=600,
            affect_schedule=True,
        )
        assert screen.sitting is not None and {q.form for q in screen.sitting.paper.questions} <= {"typed", "numeric"}
        # Answers move the schedule, as asked.
        await answer_question(pilot, right=True)
        assert app.store.conn.execute("SELECT mode FROM reviews").fetchall() == [("quiz",)]
        await pilot.press("enter", "escape", "q", "y")  # a timed exam asks before it ends
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # Every deck: the tags of every deck; Esc cancels.
        await pilot.press("x")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        await pilot.click("#scope-all")
        await pilot.pause()
        tags = setup.query_one("#setup-tags", TagList)
        assert "[red]tag" in [tags.get_option_at_index(n).value for n in range(tags.option_count)]
        assert isinstance(setup.request(), QuizRequest) and setup.request() == QuizRequest()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_space_ticks_the_first_tag_once_the_tag_list_has_the_focus() -> None:
    app = quiz_app(ALL_TYPES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        tags = setup.query_one("#setup-tags", TagList)
        await pilot.press(*(["shift+tab"] * (1 + len(QUIZ_FORMS))))  # from the count box, back past the forms
        await pilot.press("space")
        await pilot.pause()
        assert setup.focused is tags and tags.selected == ["brands"]
        # Another scope fills the list again: its first tag is highlighted too.
        await pilot.click("#scope-all")
        await pilot.pause()
        tags.focus()
        await pilot.press("down", "space")
        await pilot.pause()
        assert set(tags.selected) == {"brands", "car-t"}


@pytest.mark.parametrize("field", ["#form-ordering", "#setup-tags", "#setup-scope", "#setup-affect"])
async def test_enter_starts_the_quiz_from_a_checkbox_or_the_tags_and_space_ticks(field: str) -> None:
    app = quiz_app(ALL_TYPES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        setup.query_one(field).focus()
        await pilot.pause()
        assert setup.focused is setup.query_one(field)
        await pilot.press("space")
        await pilot.pause()
        ticked = QuizRequest(forms=("choice", "typed", "numeric"), tags=("brands",), affect_schedule=True)
        expected = {
            "#form-ordering": QuizRequest(decks=("all-types",), forms=ticked.forms),
            "#setup-tags": QuizRequest(decks=("all-types",), tags=ticked.tags),
            "#setup-scope": QuizRequest(decks=("all-types",)),  # already chosen: Space keeps it
            "#setup-affect": QuizRequest(decks=("all-types",), affect_schedule=True),
        }[field]
        assert setup.request() == expected
        await pilot.press("enter")  # starts, ticking nothing more
        await pilot.pause()
        assert quiz_screen(app).request == expected


async def test_card_text_that_looks_like_markup_is_shown_literally() -> None:
    app = quiz_app(MARKUP, request=QuizRequest(forms=("choice",), seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert text_of(screen, "#quiz-question") == "Which [i]drug[/i] blocks CTLA-4?"
        options = str(screen.query_one("#quiz-answer #choice").render())
        assert "[@click=app.quit] Nivolumab" in options and "[/foo] Pembrolizumab" in options
        await answer_question(pilot, right=False)
        assert app.is_running
        await pilot.press("enter")
        await pilot.pause()
        results = results_screen(app)
        assert "Right answer: Ipilimumab [CTLA-4]" in text_of(results, "#results-mistakes")


async def test_no_question_possible_says_so() -> None:
    app = quiz_app(request=QuizRequest(tags=("car-t",), forms=("numeric",)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert text_of(screen, "#quiz-question").startswith("No question can be made from these decks")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running


async def test_help_from_the_quiz_and_quitting_mid_paper_saves_the_attempt() -> None:
    from immunoquiz.tui.screens.help import HelpScreen

    app = quiz_app(request=QuizRequest(decks=("all-types",), forms=("choice",), count=2, seed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_question(pilot, right=True)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys Static", Static).render())
        assert keys.startswith("Quiz\n")
        for entry in ("Next question", "Pause / resume", "End quiz", "Cram the mistakes", "Past attempts"):
            assert entry in keys, entry
        await pilot.press("escape")
        await pilot.pause()
        assert results_title(app) is None
        await app.action_quit()
        await pilot.pause()
    (attempt,) = history(app.store)
    assert attempt.stopped_early and not attempt.complete and attempt.score is None and attempt.total == 2
    assert attempt.result() == "incomplete (1 of 2 answered)"
    assert [q.answered for q in questions_of(app.store, attempt.id)] == [True, False]


def results_title(app: ImmunoquizApp) -> str | None:
    """The top line of the results screen, or None when elsewhere."""
    return text_of(app.screen, "#quiz-number") if isinstance(app.screen, QuizResultsScreen) else None


def test_quiz_command_opens_the_app_on_the_quiz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import immunoquiz.cli
    import immunoquiz.tui.app
    from immunoquiz.cli import cli

    opened: list[tuple[object, object]] = []
    monkeypatch.setattr(
        immunoquiz.tui.app, "run_app", lambda workspace, start, paper=None: opened.append((start, paper))
    )
    monkeypatch.setattr(immunoquiz.cli, "terminal_problem", lambda: None)  # CliRunner's stdin is no terminal
    draws = count_draws(monkeypatch)
    db = ["--db", str(tmp_path / "x.db")]
    result = CliRunner().invoke(cli, ["quiz", "--tag", "drugs", "-n", "5", "--time", "10", "--seed", "4", *db])
    assert result.exit_code == 0, result.output
    [(request, paper)] = opened
    assert request == QuizRequest(tags=("drugs",), count=5, seed=4, time_limit_s=600)
    # The paper drawn to check the request gives questions is the one the app sits: drawn once.
    assert isinstance(paper, Paper) and paper.seed == 4 and len(paper.questions) == 5 and draws == [4]
    result = CliRunner().invoke(cli, ["quiz", "--types", "numeric", "--tag", "car-t", *db])
    assert result.exit_code == 1 and len(opened) == 1
    assert result.stderr.startswith("immunoquiz: error: no question can be made from these decks")


def count_draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The seed of every paper drawn from now on."""
    import immunoquiz.core.sitting

    draws: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Paper:
        draws.append(kwargs["seed"])
        return draw_paper(*args, **kwargs)

    monkeypatch.setattr(immunoquiz.core.sitting, "draw_paper", counting)
    return draws


async def test_the_app_sits_a_paper_drawn_before_it_opened_without_drawing_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = QuizRequest(decks=("all-types",), count=3, seed=5)
    app = quiz_app(request=request)
    paper = make_paper(app.store, request)
    app.paper = paper
    draws = count_draws(monkeypatch)
    async with app.run_test(size=(80, 24)):
        sitting = quiz_screen(app).sitting
        assert sitting is not None and sitting.paper is paper
    assert draws == []


async def test_an_answer_the_database_refuses_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=3, seed=6))
    told: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: told.append(message))

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert screen.sitting is not None
        with monkeypatch.context() as refusing:
            refusing.setattr("immunoquiz.core.sitting.save_mark", locked)
            first = await answer_question(pilot, right=True)
            await pilot.pause()
            assert app.is_running and told[-1].startswith("Not saved, nothing was changed: database is locked")
            assert screen.sitting.position == 0 and screen.question is first and screen.phase == "question"
        assert first.form == "numeric"  # its box still holds the answer: Enter gives it again
        await pilot.press("enter")
        await pilot.pause()
        assert screen.sitting.position == 1 and text_of(screen, "#quiz-verdict").startswith("✓ Right")
        saved = questions_of(app.store, screen.sitting.attempt_id)
        assert saved[0].answered and not saved[1].answered


async def test_a_mistake_from_a_quote_of_several_passages_lists_each_on_its_own_line(tmp_path: Path) -> None:
    request = QuizRequest(decks=("bullets",), count=1, forms=("typed",), seed=1)
    app = quiz_app(bullet_deck(tmp_path), request=request)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_question(pilot, right=False)
        await pilot.press("enter")
        await pilot.pause()
        # Read back from the saved attempt, as the results always are.
        mistakes = text_of(results_screen(app), "#results-mistakes").splitlines()
        at = mistakes.index(f"   Source: “{BULLETS[0]}”")
        assert mistakes[at + 1 : at + 3] == [f"           “{BULLETS[1]}”", f"           “{BULLETS[2]}”"]


def test_a_near_miss_in_the_results_says_almost() -> None:
    record = QuestionRecord(
        3,
        QuestionId("d", "keytruda", 0, "typed"),
        "typed",
        (),
        "Under which brand name is pembrolizumab sold?",
        (),
        ("Keytruda",),
        "Keytruda",
        ("Drugs like pembrolizumab (Keytruda)",),
        answered=True,
        answer="Keytrudda",
        chosen=(),
        correct=False,
        score=0.0,
        duration_ms=5000,
        almost=True,
        reached=True,
    )
    first, given, *_ = (line.plain for line in mistake_lines(record))
    assert first.endswith("(≈ almost: a near miss is marked wrong in a quiz)") and given.endswith("Keytrudda")


async def test_the_collector_is_paused_from_an_answer_key_until_its_verdict_is_painted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = quiz_app(request=QuizRequest(decks=("all-types",), count=3, seed=3))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = quiz_screen(app)
        assert screen.sitting is not None
        during: list[bool] = []
        answer = type(screen.sitting).answer

        def recorded(sitting: object, given: str) -> object:
            during.append(gc.isenabled())
            return answer(sitting, given)  # type: ignore[arg-type]

        monkeypatch.setattr(type(screen.sitting), "answer", recorded)
        await answer_question(pilot, True)
        await pilot.pause()
        assert during and not any(during) and gc.isenabled()
