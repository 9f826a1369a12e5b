"""The stats screen driven with Pilot, over a review log whose figures are worked out by hand.

The log is built in tests/stats_history.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static, TabbedContent

from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.help import HelpScreen
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.stats import StatsScreen, bar, heatmap_legend, heatmap_lines, shade_bounds, shade_of
from immunoquiz.tui.screens.study import StudyScreen
from tests.support.decks import ALL_TYPES, MARKUP
from tests.support.stats_history import DECK, build_history
from tests.support.tui import make_app, manual, study_screen


def history_app() -> ImmunoquizApp:
    app = make_app(ALL_TYPES, MARKUP)
    build_history(app)
    return app


async def open_stats(pilot: Pilot[None], *keys: str) -> StatsScreen:
    """From home, press ``s`` (then ``keys``) and wait for the figures."""
    for key in ("s", *keys):
        await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen), screen
    assert not screen.computing
    return screen


def text(screen: StatsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def rows(screen: StatsScreen, selector: str) -> list[list[str]]:
    table: DataTable[object] = screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_calendar_streaks_and_heatmap() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert screen.deck == DECK and not screen.all_decks
        streaks = text(screen, "#streaks")
        assert "Days studied in the past year 10 · answers 14" in streaks  # 400 days ago is outside the year
        assert "Current streak 3 days · longest streak 5 days" in streaks
        heatmap = text(screen, "#heatmap").splitlines()
        assert len(heatmap) == 8 and heatmap[0].startswith("    Mar Apr")
        # Today is a Monday with 3 answers (the busiest day: the darkest shade used); the weekend had 2 a day.
        assert (
            heatmap[1].rstrip().endswith("▓")
            and heatmap[6].rstrip().endswith("▒")
            and heatmap[7].rstrip().endswith("▒")
        )
        assert "answers a day: · 0  ░ 1  ▒ 2  ▓ 3" in text(screen, "#legend")
        assert screen.query_one("#heatmap").display and not screen.query_one("#calendar-table").display


async def test_table_toggle_shows_the_plotted_numbers() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "t")
        assert screen.has_class("-tables")
        assert not screen.query_one("#heatmap").display and screen.query_one("#calendar-table").display
        weeks = rows(screen, "#calendar-table")
        assert weeks[0] == ["2026-03-02", "3", "·", "·", "·", "·", "·", "·", "3"]
        assert weeks[1] == ["2026-02-23", "·", "·", "·", "·", "·", "2", "2", "4"]
        assert weeks[2] == ["2026-02-09", "·", "1", "1", "1", "1", "1", "·", "5"]
        assert [w[0] for w in weeks[3:]] == ["2026-01-05", "2025-08-11"]
        await pilot.press("2")
        await pilot.pause()
        forecast = rows(screen, "#forecast-table")
        assert len(forecast) == 30
        assert forecast[0] == ["today", "Mon 02 Mar", "2"] and forecast[1][2] == "1" and forecast[10][2] == "1"
        assert sum(int(r[2]) for r in forecast) == 4
        assert not screen.query_one("#forecast-plot").display
        await pilot.press("4")
        await pilot.pause()
        time = rows(screen, "#time-table")
        assert time[0] == ["Mon 02 Mar", "3", "3.0"] and time[1] == ["Sun 01 Mar", "2", "2.0"] and len(time) == 30
        await pilot.press("t")
        await pilot.pause()
        assert not screen.has_class("-tables") and screen.query_one("#time-plot").display
        assert not screen.query_one("#time-table").display


async def test_forecast_cards_retention_buttons_and_time() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "2")
        assert screen.query_one("#sections", TabbedContent).active == "due"
        cards = text(screen, "#cards")
        assert "Cards 12: 8 new · 0 learning · 4 review · 0 suspended" in cards and "Due today 2" in cards
        assert "Due in 30 days 4 · next 7 days 3 · busiest day 2" in text(screen, "#forecast-title")
        assert list(screen.query_one("#forecast-plot", Sparkline).data or []) == [2, 1] + [0] * 8 + [1] + [0] * 19
        numbers = text(screen, "#forecast-numbers").splitlines()
        assert numbers[0].split() == ["02", "Mar", "2", "1"] + ["0"] * 8
        assert numbers[1].split() == ["12", "Mar", "1"] + ["0"] * 9
        await pilot.press("3")
        await pilot.pause()
        assert "desired 90%" in text(screen, "#retention-title")
        assert rows(screen, "#retention-table") == [
            ["7d", "60% of 5", "50% of 2", "57% of 7", "90%"],
            ["30d", "80% of 10", "50% of 2", "75% of 12", "90%"],
            ["365d", "82% of 11", "50% of 2", "77% of 13", "90%"],
        ]
        assert rows(screen, "#buttons-table") == [
            ["learning", "0 (0%)", "0 (0%)", "1 (100%)", "0 (0%)", "1"],
            ["young", "2 (17%)", "0 (0%)", "9 (75%)", "1 (8%)", "12"],
            ["mature", "1 (50%)", "0 (0%)", "1 (50%)", "0 (0%)", "2"],
        ]
        await pilot.press("4")
        await pilot.pause()
        assert "12.0 min over 12 answers on 8 days; today 3.0 min" in text(screen, "#time-title")
        minutes = list(screen.query_one("#time-plot", Sparkline).data or [])
        assert len(minutes) == 30 and minutes[-3:] == [2.0, 2.0, 3.0] and sum(minutes) == 12
        assert text(screen, "#time-numbers").splitlines()[-1].split()[-3:] == ["2.0", "2.0", "3.0"]


async def test_weak_spots_and_source_map() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "5")
        assert rows(screen, "#weak-table") == [
            ["tag", "mechanism", "33%", "3", "2"],
            ["tag", "brands", "50%", "2", "1"],
            ["tag", "drugs", "88%", "8", "1"],
            ["tag", "side-effects", "100%", "3", "0"],
            ["card", "pd-l1 #1", "33%", "3", "2"],
            ["card", "keytruda", "50%", "2", "1"],
            ["card", "ctla4-drug", "100%", "6", "0"],
            ["card", "irae", "100%", "3", "0"],
            ["leech", "pd-l1 #1", "33%", "3", "2"],
        ]
        await pilot.press("6")
        await pilot.pause()
        sections = rows(screen, "#source-table")
        assert sum(int(r[1]) for r in sections) == 12
        checkpoint = next(r for r in sections if r[0].startswith("Immune Checkpoint"))
        # 8 cards, the most of any section: a full bar; retention 8 of 11 reviews passed.
        assert checkpoint[1:] == ["8", "█" * 16, "73%"]
        side = next(r for r in sections if r[0].startswith("Side Effects"))
        assert side[1:] == ["2", "████".ljust(16), "100%"]


async def cram_row(pilot: Pilot[None], screen: StatsScreen, row: int) -> StudyScreen:
    await pilot.press("5", *(["down"] * row), "c")
    await pilot.pause()
    study = study_screen(pilot.app)  # type: ignore[arg-type]
    assert study.session is not None
    return study


async def test_cram_a_weak_tag_card_or_leech_is_one_key_away() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        await pilot.press("c")  # not on the weak spots section: nothing happens
        await pilot.pause()
        assert app.screen is screen
        study = await cram_row(pilot, screen, 0)
        assert study.selection == Selection(decks=(DECK,), tags=("mechanism",), cram=True)
        assert (
            study.showing is not None
            and study.showing.card.id == "pd-l1"
            and study.session is not None
            and study.session.mode == "cram"
        )
        await pilot.press("escape", "escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and not screen.computing
        study = await cram_row(pilot, screen, 5)
        assert study.selection == Selection(decks=(DECK,), siblings=((DECK, "keytruda", 0),), cram=True)
        shown = []
        while study.showing is not None and isinstance(app.screen, StudyScreen):
            shown.append(study.showing.card.id)
            await pilot.press("space", "3")
            await pilot.pause()
        assert shown == ["keytruda"]  # exactly that card, once (cram)


async def test_leech_row_crams_that_card_and_enter_works_too() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "a")
        await pilot.press("5", *(["down"] * 8), "enter")
        await pilot.pause()
        study = study_screen(app)
        # The leech is one deletion of a two-deletion cloze: only that one is crammed.
        assert study.selection == Selection(decks=(DECK,), siblings=((DECK, "pd-l1", 1),), cram=True)
        assert screen.all_decks
        shown = []
        while study.showing is not None and isinstance(app.screen, StudyScreen):
            shown.append((study.showing.card.id, study.showing.row.sibling))
            await pilot.press("space", "3")
            await pilot.pause()
        assert shown == [("pd-l1", 1)]


async def test_deck_and_all_decks_toggle() -> None:
    app = history_app()
    app.store.conn.execute("UPDATE cards SET suspended = 1 WHERE deck_id = 'markup-deck'")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "2")
        assert "Every card type" in text(screen, "#stats-title")
        assert "Cards 12:" in text(screen, "#cards")
        assert screen.check_action("scope", (True,)) and not screen.check_action("scope", (False,))
        await pilot.press("a")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.all_decks and "all decks" in text(screen, "#stats-title")
        assert "Cards 14: 8 new · 0 learning · 4 review · 2 suspended" in text(screen, "#cards")
        assert not screen.check_action("scope", (True,)) and screen.check_action("scope", (False,))
        await pilot.press("5")
        await pilot.pause()
        assert rows(screen, "#weak-table")[4][1] == "all-types/pd-l1 #1"
        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.all_decks and "Cards 12:" in text(screen, "#cards")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keys_are_off_while_computing() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = StatsScreen(DECK)
        screen.compute = lambda decks: None  # type: ignore[method-assign,assignment,misc]  # never finishes
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.computing and screen.query_one("#computing").display
        assert screen.query_one("#sections").disabled
        for action, parameters in (("leave", ()), ("cram", ()), ("scope", (True,)), ("tables", ()), ("section", (2,))):
            assert not screen.check_action(action, parameters)
        await pilot.press("escape", "t", "a")
        await pilot.pause()
        assert app.screen is screen and not screen.has_class("-tables") and not screen.all_decks


async def test_stats_key_on_home_footer_and_help() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any(b.key == "s" and b.action == "stats" and b.show for b in HomeScreen.BINDINGS)  # type: ignore[union-attr]
        screen = await open_stats(pilot)
        # No answers yet: the screen still shows, with empty figures.
        assert "Days studied in the past year 0" in text(screen, "#streaks")
        assert "Not enough reviews yet." in text(screen, "#weak-title")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys Static", Static).render())
        assert keys.startswith("Stats") and "All decks" in keys and "Tables" in keys


def test_heatmap_glyphs_and_bars() -> None:
    assert shade_bounds(8) == [2, 4, 6, 8] and shade_bounds(3) == [1, 2, 3, 3]
    assert [shade_of(n, shade_bounds(8)) for n in (0, 1, 2, 3, 5, 8, 9)] == ["·", "░", "░", "▒", "▓", "█", "█"]
    assert str(heatmap_legend({date(2026, 3, 2): 8})) == "answers a day: · 0  ░ 1–2  ▒ 3–4  ▓ 5–6  █ 7–8"
    lines = [str(line) for line in heatmap_lines({date(2026, 3, 2): 8, date(2026, 3, 1): 1}, date(2026, 3, 2))]
    assert lines[1].endswith("█") and lines[7].endswith("░ ") and len(lines[1]) == len(lines[7]) == 4 + 53
    assert bar(0, 8) == " " * 16 and bar(8, 8) == "█" * 16 and bar(1, 8) == "██".ljust(16)
    assert bar(1, 100, 8).startswith("▏")


async def test_deck_titles_that_look_like_markup_are_shown_as_written() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")  # the markup deck
        screen = await open_stats(pilot)
        assert text(screen, "#stats-title") == "Stats · [b]Markup[/b] deck [PD-L1] [/foo]"
        assert "Cards 2:" in text(screen, "#cards") and "Days studied in the past year 0" in text(screen, "#streaks")


async def test_help_over_stats_does_not_recompute_but_a_cram_does() -> None:
    app = history_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "5")
        assert not screen.check_action("tables", ())  # nothing plotted on weak spots
        report = screen.report
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.report is report and not screen.computing
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("space", "1")  # cram answers are logged: the calendar counts them
        await pilot.pause()
        await pilot.press("escape", "escape")  # leave the answer box, then the session
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and screen.report is not report
        assert "answers 15" in text(screen, "#streaks")


async def test_no_decks() -> None:
    app = make_app(ALL_TYPES)
    app.store.sync([], app.clock())
    app.workspace.sync = app.store.sync([], app.clock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = StatsScreen(None)
        await app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text(screen, "#streaks") == "No decks in this run." and not screen.computing
        assert not screen.check_action("scope", (True,)) and not screen.check_action("scope", (False,))


async def test_every_date_follows_the_apps_clock_and_day_rule() -> None:
    app = make_app(ALL_TYPES)
    # 02:00 UTC on 15 July 2031, before the 4 am rollover: still the study day of 14 July.
    manual(app).now = datetime(2031, 7, 15, 2, 0, tzinfo=UTC)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot, "t", "2")
        assert rows(screen, "#forecast-table")[0][:2] == ["today", "Mon 14 Jul"]
        await pilot.press("4")
        await pilot.pause()
        days = rows(screen, "#time-table")
        assert (days[0][0], days[-1][0]) == ("Mon 14 Jul", "Sun 15 Jun")
        await pilot.press("t")
        await pilot.pause()
        assert text(screen, "#time-numbers").splitlines()[1].startswith("15 Jun")


async def test_study_time_of_one_answer_on_one_day_says_so_in_the_singular() -> None:
    app = make_app(ALL_TYPES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        showing = study_screen(app).showing
        assert showing is not None and showing.prompt.kind == "self"
        manual(app).advance(seconds=6)
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("escape", "escape")  # out of the next card's box, then home
        await pilot.pause()
        screen = await open_stats(pilot, "4")
        assert "0.1 min over 1 answer on 1 day; today 0.1 min" in text(screen, "#time-title")
