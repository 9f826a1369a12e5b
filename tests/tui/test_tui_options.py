"""The study options screen (o on home), driven with Pilot: typed options checked by the core, saved or not."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from immunoquiz.core.options import DeckOptions
from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.options import OptionsScreen
from tests.support.decks import ALL_TYPES, MARKUP, basic_card, deck_yaml
from tests.support.log import LOG_CARDS, load_log
from tests.support.tui import make_app


async def open_options(pilot: Pilot[None]) -> OptionsScreen:
    await pilot.press("o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OptionsScreen), screen
    return screen


async def type_into(pilot: Pilot[None], screen: OptionsScreen, name: str, text: str) -> None:
    box = screen.query_one(f"#option-{name}", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)


def message(screen: OptionsScreen) -> str:
    return str(screen.query_one("#option-message", Static).render())


async def test_options_typed_and_saved_govern_the_deck() -> None:
    app = make_app(ALL_TYPES, MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        assert screen.deck == "all-types"
        assert screen.query_one("#option-learning_steps", Input).value == "1m 10m"
        await type_into(pilot, screen, "new_per_day", "3")
        await type_into(pilot, screen, "learning_steps", "2m 1h")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        saved = app.store.deck_options("all-types")
        assert saved.new_per_day == 3 and saved.learning_steps == (timedelta(minutes=2), timedelta(hours=1))
        assert app.store.deck_options("markup-deck").new_per_day == 20  # only the deck shown
        # The app's sessions use them at once.
        assert app.new_session(Selection(decks=("all-types",))).counts().new == 3


async def test_a_value_that_does_not_read_is_named_and_nothing_is_saved() -> None:
    app = make_app(ALL_TYPES, MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await type_into(pilot, screen, "desired_retention", "0.5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert message(screen) == "✗ Desired retention: from 0.7 to 0.99, not 0.5"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store.deck_options("all-types").desired_retention == 0.9


async def test_apply_to_every_deck() -> None:
    app = make_app(ALL_TYPES, MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await type_into(pilot, screen, "reviews_per_day", "50")
        screen.query_one("#option-suspend", Checkbox).value = False
        screen.query_one("#option-all", Checkbox).value = True
        screen.query_one("#option-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        for deck in ("all-types", "markup-deck"):
            options = app.store.deck_options(deck)
            assert options.reviews_per_day == 50 and not options.suspend_leeches


async def test_optimize_fits_the_learners_answers_and_save_keeps_them(tmp_path: Path) -> None:
    deck = tmp_path / "many.yaml"
    deck.write_text(
        deck_yaml("many", [basic_card(f"c{n:04d}", f"Q{n}", "Answer") for n in range(LOG_CARDS)]), encoding="utf-8"
    )
    app = make_app(deck)
    load_log(app.store, app.store.cards_where("deck_id = 'many'"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        assert "FSRS's defaults" in str(screen.query_one("#option-parameters", Static).render())
        await pilot.click("#option-optimize")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert message(screen).startswith("Fitted FSRS parameters to ") and message(screen).endswith(
            "Save to use them."
        )
        assert "fitted to your answers" in str(screen.query_one("#option-parameters", Static).render())
        assert app.store.deck_options("many").parameters is None  # not before Save
        await pilot.click("#option-save")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        parameters = app.store.deck_options("many").parameters
        assert parameters is not None and len(parameters) == 21
        screen = await open_options(pilot)
        await pilot.click("#option-default")
        await pilot.click("#option-save")
        await pilot.pause()
        assert app.store.deck_options("many").parameters is None


async def test_too_few_answers_to_optimize_says_so() -> None:
    app: ImmunoquizApp = make_app(ALL_TYPES)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await pilot.click("#option-optimize")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert message(screen).startswith("Only 0 answers were given a day or more after")
        assert "FSRS's defaults" in str(screen.query_one("#option-parameters", Static).render())


async def test_saving_with_reschedule_works_out_the_schedules_again(tmp_path: Path) -> None:
    deck = tmp_path / "many.yaml"
    deck.write_text(
        deck_yaml("many", [basic_card(f"c{n:03d}", f"Q{n}", "Answer") for n in range(200)]), encoding="utf-8"
    )
    app = make_app(deck)
    app.store.set_deck_options("many", DeckOptions(fuzz=False))
    load_log(app.store, app.store.cards_where("deck_id = 'many'"))
    before = {row.id: row.state.due_ms for row in app.store.cards_where("deck_id = 'many'")}
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await type_into(pilot, screen, "desired_retention", "0.8")
        screen.query_one("#option-reschedule", Checkbox).value = True
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    after = {row.id: row.state.due_ms for row in app.store.cards_where("deck_id = 'many'")}
    assert app.store.deck_options("many").desired_retention == 0.8
    assert sum(after[card] > before[card] for card in before if before[card] is not None) > 100  # type: ignore[operator]


async def test_a_fit_the_database_refuses_is_said_and_the_screen_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(ALL_TYPES)

    def locked(*args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("immunoquiz.tui.screens.options.optimize", locked)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await pilot.click("#option-optimize")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is screen and not screen.busy
        assert message(screen).startswith(
            "The parameters were not fitted: database is locked: another program holds it"
        )
        await pilot.press("escape")  # and the learner can leave
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_hour_a_study_day_starts_is_set_for_every_deck() -> None:
    app = make_app(ALL_TYPES, MARKUP)
    zone = app.day_rule.tz
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_options(pilot)
        await type_into(pilot, screen, "rollover", "25")
        await pilot.press("enter")
        await pilot.pause()
        assert message(screen) == "✗ Day starts at: an hour from 0 to 23, not 25"
        await type_into(pilot, screen, "rollover", "7")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert app.store.setting("rollover_hour", "4") == "7"
    assert app.day_rule.rollover_hour == 7 and app.day_rule.tz is zone  # the learner's zone is kept
