"""Snapshots of the stats screen at 80x24 on a fixed clock and seed, over the hand-made log of tests/stats_history.py.

Update with ``pytest --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from immunoquiz.tui.app import ImmunoquizApp
from tests.support.decks import ALL_TYPES, MARKUP
from tests.support.stats_history import build_history
from tests.support.tui import make_app

SIZE = (80, 24)
Run = Callable[[Pilot[None]], Awaitable[None]]


def _app() -> ImmunoquizApp:
    app = make_app(ALL_TYPES, MARKUP)
    build_history(app)
    return app


def _stats(*keys: str, theme: str | None = None) -> Run:
    async def run(pilot: Pilot[None]) -> None:
        if theme is not None:
            pilot.app.theme = theme
        for key in ("s", *keys):
            await pilot.press(key)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run


def test_stats_calendar(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats())


def test_stats_calendar_as_a_table(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("t"))


def test_stats_due_high_contrast(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("2", theme="high-contrast"))


def test_stats_retention_and_buttons(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("3"))


def test_stats_time(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("4"))


def test_stats_weak_spots_all_decks(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("a", "5", "down"))


def test_stats_source_map(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_stats("6"))
