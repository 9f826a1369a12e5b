"""Per-deck study options and the rollover hour, stored and used by sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.options import FIELDS, DeckOptions, format_steps, parse_steps, read_options
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DEFAULT_ROLLOVER_HOUR, DayRule
from immunoquiz.core.workspace import Workspace
from tests.support.decks import ALL_TYPES


def test_options_round_trip_through_json() -> None:
    options = DeckOptions(
        new_per_day=3, desired_retention=0.85, learning_steps=(timedelta(seconds=30), timedelta(hours=1))
    )
    assert DeckOptions.from_dict(options.to_dict()) == options
    assert DeckOptions.from_dict({"new_per_day": 4, "from_a_newer_version": 1}) == DeckOptions(new_per_day=4)


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("1m 10m", (timedelta(minutes=1), timedelta(minutes=10))),
        ("30s, 1h,1d", (timedelta(seconds=30), timedelta(hours=1), timedelta(days=1))),
        ("1.5h", (timedelta(minutes=90),)),
        ("", ()),
    ],
)
def test_steps_read_and_show_as_written(text: str, steps: tuple[timedelta, ...]) -> None:
    assert parse_steps(text) == steps
    assert parse_steps(format_steps(steps)) == steps


def test_steps_show_in_their_largest_unit() -> None:
    assert (
        format_steps((timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=2), timedelta(days=1)))
        == "1m 10m 2h 1d"
    )
    assert format_steps((timedelta(seconds=90),)) == "90s"


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"new_per_day": "ten"}, "New cards a day: type a whole number from 0 to 9999"),
        ({"new_per_day": "10000"}, "New cards a day: from 0 to 9999, not 10000"),
        ({"desired_retention": "0.5"}, "Desired retention: from 0.7 to 0.99, not 0.5"),
        ({"desired_retention": "high"}, "Desired retention: type a number from 0.7 to 0.99"),
        ({"learning_steps": "soon"}, "steps `soon`: write durations like `1m 10m` (s, m, h or d)"),
    ],
)
def test_option_texts_that_do_not_read_name_the_option_and_the_fix(texts: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        read_options(DeckOptions(), texts)
    assert str(raised.value) == message


def test_every_field_reads_back_what_it_shows() -> None:
    options = DeckOptions(
        new_per_day=7, desired_retention=0.85, relearning_steps=(timedelta(minutes=5), timedelta(hours=1))
    )
    assert read_options(DeckOptions(), {name: field.show(options) for name, field in FIELDS.items()}) == options


def test_the_one_line_summary_shows_steps_as_typed() -> None:
    options = DeckOptions(
        learning_steps=(timedelta(minutes=1), timedelta(hours=1)),
        relearning_steps=(),
        suspend_leeches=False,
        parameters=(0.2,) * 21,
    )
    assert options.summary() == (
        "20 new/day, 200 reviews/day, retention 0.9, steps 1m 1h, relearning none, "
        "max 36500d, leech at 8 lapses (tag only), personal FSRS parameters"
    )


def test_the_rollover_hour_is_set_for_every_deck_only_when_it_reads(store: Store, clock: ManualClock) -> None:
    workspace = Workspace(store, store.sync([ALL_TYPES], clock()))
    assert workspace.day_rule().rollover_hour == DEFAULT_ROLLOVER_HOUR == DayRule().rollover_hour == 4
    assert workspace.set_rollover_hour(" 7 ") == 7 and workspace.day_rule().rollover_hour == 7
    assert workspace.set_rollover_hour(0) == 0 and workspace.day_rule().rollover_hour == 0
    with pytest.raises(ValueError, match="an hour from 0 to 23, not 24"):
        workspace.set_rollover_hour(24)
    assert workspace.day_rule().rollover_hour == 0


def test_options_stored_with_the_dropped_easy_rule_still_load() -> None:
    stored = {**DeckOptions(new_per_day=7).to_dict(), "easy_within_s": 5.0}
    assert DeckOptions.from_dict(stored) == DeckOptions(new_per_day=7)
