"""Personal FSRS parameters fitted to a learner's answers: training items, the fit, and `options --optimize`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz.core.answering import Response, decide
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.optimize import MIN_ITEMS, fit_parameters, optimize, training_set
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, review
from immunoquiz.core.store import LoggedAnswer, Store
from tests.support.decks import basic_card
from tests.support.log import load_log, many_cards

NO_FUZZ = DeckOptions(fuzz=False)


def test_each_answer_a_day_or_more_after_the_last_is_one_training_item() -> None:
    history = [
        LoggedAnswer(1, "d", 0, 10, 3),
        LoggedAnswer(1, "d", 0, 10, 3),
        LoggedAnswer(1, "d", 0, 12, 1),
        LoggedAnswer(1, "d", 0, 12, 3),
        LoggedAnswer(1, "d", 0, 15, 3),
        LoggedAnswer(2, "d", 0, 11, 3),
        LoggedAnswer(2, "d", 0, 13, 4),
        LoggedAnswer(3, "d", 0, 11, 3),
        LoggedAnswer(3, "d", 0, 11, 4),
    ]  # one study day only: nothing to learn from
    training = training_set(history)
    assert training.cards == 2
    assert [repr(item) for item in training.items] == [
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 3, delta_t: 0 },"
        " FSRSReview { rating: 1, delta_t: 2 }] }",
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 4, delta_t: 2 }] }",
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 3, delta_t: 0 },"
        " FSRSReview { rating: 1, delta_t: 2 }, FSRSReview { rating: 3, delta_t: 0 },"
        " FSRSReview { rating: 3, delta_t: 3 }] }",
    ]  # oldest first: days 12, 13, 15


@pytest.fixture
def josh(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> Store:
    """A deck whose cards carry a real learner's 12,580 answers."""
    store.sync([many_cards(write_deck)], clock())
    assert load_log(store, store.cards_where("deck_id = 'd'")) == 12_580
    return store


def test_a_real_learners_answers_fit_parameters_that_predict_them_better(josh: Store) -> None:
    fit = optimize(josh, ["d"])
    assert fit.enough and fit.better and fit.cards > 1000 and fit.items > 5000
    assert fit.parameters is not None and len(fit.parameters) == 21
    assert fit.fitted_rmse is not None and fit.current_rmse is not None and fit.fitted_rmse < fit.current_rmse
    assert optimize(josh, ["d"]).parameters == fit.parameters  # the same answers give the same parameters


def test_cram_answers_do_not_train_the_fit(josh: Store, clock: ManualClock) -> None:
    before = list(josh.schedule_answers(["d"]))
    row = josh.cards_where("deck_id = 'd'")[0]
    josh.record_answer(decide(row, Response(Rating.AGAIN, clock(), clock().toordinal(), "cram"), NO_FUZZ))
    assert list(josh.schedule_answers(["d"])) == before
    josh.record_answer(decide(row, Response(Rating.AGAIN, clock(), clock().toordinal()), NO_FUZZ))
    assert len(list(josh.schedule_answers(["d"]))) == len(before) + 1


def test_too_few_answers_fit_nothing(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([write_deck("d", [basic_card(f"c{n:02d}", f"Q{n}", "Answer") for n in range(5)])], clock())
    load_log(store, store.cards_where("deck_id = 'd'"))
    fit = optimize(store, ["d"])
    assert 0 < fit.items < MIN_ITEMS and not fit.enough and not fit.better and fit.parameters is None
    assert fit_parameters(training_set([]), None).items == 0


def test_fitted_parameters_schedule_the_cards() -> None:
    fitted = (
        0.1707,
        0.8259,
        2.4698,
        6.2794,
        6.5423,
        0.5303,
        3.1722,
        0.0254,
        1.6684,
        0.2644,
        0.6234,
        1.5751,
        0.0415,
        0.3804,
        1.7817,
        0.6012,
        1.8729,
        0.8469,
        0.1045,
        0.1448,
        0.2384,
    )
    personal = DeckOptions(fuzz=False, parameters=fitted)
    assert DeckOptions.from_dict(json.loads(json.dumps(personal.to_dict()))) == personal
    assert DeckOptions.from_dict(NO_FUZZ.to_dict()).parameters is None
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    state = CardState(Phase.REVIEW, None, 10.0, 5.0, 0, int((now - timedelta(days=10)).timestamp() * 1000), 0, 5)
    default_due = review(state, Rating.GOOD, now, NO_FUZZ, 1).due_ms
    personal_due = review(state, Rating.GOOD, now, personal, 1).due_ms
    assert default_due != personal_due
