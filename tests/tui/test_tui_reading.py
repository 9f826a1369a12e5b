"""Reading at 80x24: long answers and explanations scroll from the keyboard, whatever has the focus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Button, Input

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from tests.support.decks import TYPED, basic_card
from tests.support.tui import make_app

SENTENCES = " ".join(f"Sentence {n} of the explanation goes on for a while." for n in range(1, 41))
LAST = "Sentence 40 of"


def long_deck(write_deck: Callable[..., Path]) -> Path:
    explained = basic_card("long", "Why does it work?", "Because", explain=repr(SENTENCES))
    long_question = TYPED.replace("Under which brand", SENTENCES + " Under which brand")
    return write_deck("long", [explained, long_question]) / "long.yaml"


def visible_text(app: object, card: VerticalScroll) -> str:
    """The text of the card's rows now on screen."""
    screen = app.screen  # type: ignore[attr-defined]
    region = card.content_region
    lines = screen._compositor.render_strips()[region.y : region.bottom]
    return " ".join("".join(segment.text for segment in strip)[region.x : region.right] for strip in lines)


async def test_the_explanation_scrolls_with_down_and_page_down_while_a_rating_has_focus(
    write_deck: Callable[..., Path],
) -> None:
    app = make_app(long_deck(write_deck), start=Selection(decks=("long",), tags=("t",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        card = app.screen.query_one("#card", VerticalScroll)
        assert isinstance(app.focused, Button)  # the proposed rating
        assert card.max_scroll_y > 0 and card.scroll_y == 0
        assert LAST not in visible_text(app, card)
        await pilot.press("down")
        await pilot.pause()
        assert card.scroll_y == 1
        for _ in range(10):
            await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y == card.max_scroll_y and LAST in visible_text(app, card)
        assert isinstance(app.focused, Button)  # scrolling took no rating
        await pilot.press("pageup", "up")
        await pilot.pause()
        assert card.scroll_y < card.max_scroll_y


async def test_a_long_quiz_question_scrolls_while_the_answer_box_has_focus(write_deck: Callable[..., Path]) -> None:
    app = make_app(long_deck(write_deck), start=QuizRequest(decks=("long",), forms=("typed",), count=1, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#quiz-card", VerticalScroll)
        assert isinstance(app.focused, Input) and card.max_scroll_y > 0  # scrolled down to the box
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert card.scroll_y == 0 and "Sentence 1 of" in visible_text(app, card)
        await pilot.press("pagedown")
        await pilot.pause()
        paged = card.scroll_y
        assert paged > 1 and isinstance(app.focused, Input)
        await pilot.press("up")
        await pilot.pause()
        assert card.scroll_y == paged - 1 and app.focused.value == ""  # nothing typed into the box
