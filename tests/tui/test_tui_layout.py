"""Layout at other sizes: titles and columns use the room there is; at 60x20 nothing overlaps; a choice's spacing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from tests.support.decks import ALL_TYPES, MARKUP, TYPED, basic_card
from tests.support.tui import answer_question, make_app

LONG_TITLE = "Checkpoint inhibitors, CAR-T cells and cancer vaccines in practice"  # 66 characters


def long_titled_deck(write_deck: Callable[..., Path]) -> Path:
    folder = write_deck("long", [basic_card("a")])
    deck = folder / "long.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("title: Deck long", f"title: {LONG_TITLE}"))
    return deck


def row_text(app: ImmunoquizApp, widget: Widget, row: int = 0) -> str:
    """The characters drawn on one row of a widget."""
    region = widget.region
    strip = app.screen._compositor.render_strips()[region.y + row]
    return "".join(segment.text for segment in strip)[region.x : region.right]


@pytest.mark.parametrize(("width", "shown"), [(120, LONG_TITLE), (80, LONG_TITLE[:39] + "…")])
async def test_deck_titles_use_the_room_there_is(write_deck: Callable[..., Path], width: int, shown: str) -> None:
    app = make_app(long_titled_deck(write_deck), ALL_TYPES)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        text = " ".join(row_text(app, table, row) for row in range(table.row_count + 1))
        assert shown in text and "Retention 30d" in text


async def test_deck_titles_follow_a_resize(write_deck: Callable[..., Path]) -> None:
    app = make_app(long_titled_deck(write_deck))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert LONG_TITLE not in row_text(app, table, 1)
        await pilot.resize_terminal(130, 24)
        await pilot.pause()
        await pilot.pause()
        assert LONG_TITLE in row_text(app, table, 1)


@pytest.mark.parametrize("width", [80, 140])
async def test_the_browsers_columns_fill_the_terminal(width: int) -> None:
    app = make_app(ALL_TYPES, MARKUP)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        total = sum(column.get_render_width(table) for column in table.columns.values())
        assert width - 4 <= total <= table.content_region.width
        assert table.max_scroll_x == 0  # no sideways scrolling when the terminal is wide enough


def overlapping(app: ImmunoquizApp) -> list[tuple[str, str]]:
    """Pairs of visible leaf widgets on the screen whose regions overlap."""
    leaves = [
        w
        for w in app.screen.query("*")
        if w.display and w.region.area and not w.children and w.is_on_screen and not isinstance(w, FooterKey)
    ]
    return [
        (str(a), str(b))
        for n, a in enumerate(leaves)
        for b in leaves[n + 1 :]
        if a.region.overlaps(b.region) and a not in b.ancestors and b not in a.ancestors
    ]


def footer_keys(app: ImmunoquizApp) -> dict[str, FooterKey]:
    return {key.key: key for key in app.screen.query(FooterKey) if key.region.area}


SMALL = (60, 20)


@pytest.mark.parametrize(
    ("name", "start", "keys"),
    [
        ("home", None, ()),
        ("browse", None, ("b",)),
        ("stats", None, ("s",)),
        ("study", Selection(), ()),
        ("study answer", Selection(), ("space",)),
        ("quiz", QuizRequest(decks=("all-types",), count=12, seed=2), ()),
    ],
)
async def test_at_60x20_nothing_overlaps_and_quit_and_help_stay_reachable(
    name: str, start: Selection | QuizRequest | None, keys: tuple[str, ...]
) -> None:
    app = make_app(ALL_TYPES, MARKUP, start=start)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert overlapping(app) == []
        if isinstance(app.focused, Input):
            await pilot.press("escape")  # leave the answer box, where ? is a letter
            await pilot.pause()
        # ? comes first on the footer, whole and clear of the palette key; help names every other key.
        help_key = footer_keys(app)["question_mark"].region
        palette = app.screen.query_one("FooterKey.-command-palette").region
        assert help_key.x >= 0 and help_key.right <= palette.x
        await pilot.press("question_mark")
        await pilot.pause()
        help_keys = str(app.screen.query_one("#help-keys Static", Static).render())
        assert " q " in help_keys or "q /" in help_keys or "/ q" in help_keys


async def test_the_quiz_header_keeps_a_space_before_two_digit_progress(write_deck: Callable[..., Path]) -> None:
    # Twelve facts (one fact is asked once a paper): the same card with twelve answers.
    cards = [
        TYPED.replace("id: keytruda", f"id: keytruda-{n}").replace(
            "answer: Keytruda", f"answer: Keytruda {chr(65 + n)}"
        )
        for n in range(12)
    ]
    deck = write_deck("twelve", cards) / "twelve.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("title: Deck twelve", f"title: {LONG_TITLE}"))
    app = make_app(deck, start=QuizRequest(decks=("twelve",), count=12, seed=2))
    async with app.run_test(size=(60, 20)) as pilot:
        for _ in range(9):
            await answer_question(pilot, right=True)
            await pilot.press("enter")
        await pilot.pause()
        header = row_text(app, app.screen.query_one("#quiz-status"))
        assert "Question 10 of 12" in header
        before = header[: header.index("Question 10")]
        assert before.endswith("… "), header  # the title cut with an ellipsis, then a space


async def test_a_choice_keeps_one_blank_line_below_its_options_before_and_after_the_answer() -> None:
    app = make_app(start=QuizRequest(decks=("all-types",), forms=("choice",), count=2, seed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen

        def gap_below_options(below: str) -> int:
            return screen.query_one(below).region.y - screen.query_one("#quiz-answer #choice").region.bottom

        assert gap_below_options("#quiz-answer #hint") == 1
        await answer_question(pilot, right=False)
        await pilot.pause()
        assert gap_below_options("#quiz-verdict") == 1  # the verdict's own margin, not two blank lines
        await pilot.press("enter")  # the second choice question
        await pilot.pause()
        assert gap_below_options("#quiz-answer #hint") == 1
