"""Snapshots of every screen at 80x24, with a fixed clock and seed (pytest-textual-snapshot).

Update with ``pytest --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from immunoquiz.core.selection import Selection
from tests.support.decks import ALL_TYPES, MARKUP
from tests.support.tui import answer, make_app

SIZE = (80, 24)
Run = Callable[[Pilot[None]], Awaitable[None]]


def _keys(*keys: str) -> Run:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return run


def test_home(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(ALL_TYPES, MARKUP), terminal_size=SIZE)


def test_study_basic_question_with_markup_text(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(MARKUP, start=Selection()), terminal_size=SIZE)


def test_study_basic_answer_side(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(MARKUP, start=Selection()), terminal_size=SIZE, run_before=_keys("space"))


def test_study_typed_wrong(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("space", "3")
        await pilot.press(*"PD-1", "enter")
        await pilot.pause()

    assert snap_compare(make_app(start=Selection()), terminal_size=SIZE, run_before=run)


def test_study_choice_answered(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("space", "3")
        await pilot.pause()
        await answer(pilot, right=False)

    assert snap_compare(make_app(MARKUP, start=Selection()), terminal_size=SIZE, run_before=run)


def test_study_ordering_question(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        for _ in range(8):  # eight cards before car-t-steps, each Space then Easy
            await pilot.press("space", "4")
        await pilot.press("down", "shift+up")
        await pilot.pause()

    assert snap_compare(make_app(start=Selection(decks=("all-types",))), terminal_size=SIZE, run_before=run)


def test_summary(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await answer(pilot, right=True)
        await pilot.press("4")
        await pilot.pause()

    app = make_app(start=Selection(decks=("all-types",), tags=("trials",)))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_nothing_due(snap_compare: Callable[..., bool]) -> None:
    app = make_app(start=Selection(decks=("all-types",), tags=("trials",)))
    app.store.conn.execute("UPDATE cards SET buried_until = 10000000")
    assert snap_compare(app, terminal_size=SIZE)


def test_where(snap_compare: Callable[..., bool]) -> None:
    app = make_app(start=Selection())
    # The stored path is absolute, so it depends on the checkout: show a fixed one.
    app.store.deck_path = lambda deck_id: f"/home/instructor/decks/{deck_id}.yaml"  # type: ignore[method-assign]
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("e"))


def test_browse(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(
        make_app(ALL_TYPES, MARKUP),
        terminal_size=SIZE,
        run_before=_keys("enter", "space", "3", "escape", "escape", "b", *"tag:drugs", "enter"),
    )


def test_cram_picker(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_keys("c"))


def test_help(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_keys("question_mark"))


def test_high_contrast_theme(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        pilot.app.theme = "high-contrast"
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(make_app(MARKUP, start=Selection()), terminal_size=SIZE, run_before=run)


def test_options_with_a_value_to_fix(snap_compare: Callable[..., bool]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("o", "tab", "tab", "ctrl+u", *"0.5", "enter")
        await pilot.pause()

    assert snap_compare(make_app(ALL_TYPES, MARKUP), terminal_size=SIZE, run_before=run)
