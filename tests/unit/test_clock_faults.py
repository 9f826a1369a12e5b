"""A broken or set-back system clock: refused before any write, or warned about; never a traceback."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock, clock_behind, implausible_clock
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Session
from immunoquiz.core.store import StoreError
from immunoquiz.core.workspace import open_workspace
from tests.support.decks import CHOICE, TYPED

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [datetime(1970, 1, 1, tzinfo=UTC), datetime(1999, 12, 31, 23, 59, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)],
)
def test_a_clock_that_cannot_be_right_is_named_with_the_fix(moment: datetime) -> None:
    message = implausible_clock(moment)
    assert message is not None and f"{moment:%Y-%m-%d}" in message and "set the date and time" in message


def test_the_years_a_learner_can_study_in_are_usable() -> None:
    assert implausible_clock(datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert implausible_clock(datetime(8999, 12, 31, tzinfo=UTC)) is None


def test_a_broken_clock_leaves_the_database_byte_for_byte_as_it_was(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("mine", [TYPED])
    db = tmp_path / "learner.db"
    open_workspace(db, [folder], ManualClock(NOW)).store.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="1970-01-01 00:00 UTC, which cannot be right"):
        open_workspace(db, [folder], ManualClock(datetime(1970, 1, 1, tzinfo=UTC)))
    assert db.read_bytes() == before
    # A new database is not even made.
    with pytest.raises(StoreError):
        open_workspace(tmp_path / "new.db", [folder], ManualClock(datetime(9999, 1, 1, tzinfo=UTC)))
    assert not (tmp_path / "new.db").exists()


def answer_one(session: Session) -> None:
    showing = session.next()
    assert showing is not None
    session.rate(showing, session.check(showing, "Keytruda"), Rating.GOOD)


def test_a_clock_set_back_is_warned_about_and_study_goes_on(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("mine", [TYPED, CHOICE])
    db = tmp_path / "learner.db"
    clock = ManualClock(NOW)
    workspace = open_workspace(db, [folder], clock)
    assert clock_behind(NOW, None) is None and workspace.notices() == []
    answer_one(Session(workspace.store, clock=clock, rng=random.Random(1)))
    workspace.store.close()

    # Within the slack of a clock corrected by NTP: nothing to say.
    clock.now = NOW - timedelta(minutes=30)
    workspace = open_workspace(db, [folder], clock)
    assert workspace.notices() == []
    workspace.store.close()

    clock.now = NOW - timedelta(days=2)
    workspace = open_workspace(db, [folder], clock)
    (warning,) = workspace.notices()
    assert "2026-02-28 09:00 UTC) is behind your last answer (2026-03-02 09:00 UTC)" in warning
    # A warning, not a refusal: the last answer may be the one made under the wrong clock.
    answer_one(Session(workspace.store, clock=clock, rng=random.Random(1)))
    assert workspace.store.last_answer_time() == clock.now


def test_a_clock_broken_mid_session_records_nothing_and_the_same_rating_can_be_given_again(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("mine", [TYPED])
    clock = ManualClock(NOW)
    workspace = open_workspace(tmp_path / "learner.db", [folder], clock)
    session = Session(workspace.store, clock=clock, rng=random.Random(1))
    showing = session.next()
    assert showing is not None
    answer = session.check(showing, "Keytruda")
    clock.now = datetime(9999, 12, 31, tzinfo=UTC)
    with pytest.raises(StoreError, match="cannot be right"):
        session.rate(showing, answer, Rating.GOOD)
    assert workspace.store.last_answer_time() is None and session.answered == 0
    clock.now = NOW + timedelta(seconds=20)
    session.rate(showing, answer, Rating.GOOD)
    assert workspace.store.last_answer_time() == clock.now and session.answered == 1
