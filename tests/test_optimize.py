"""Personal FSRS parameters fitted to a learner's answers: training items, the fit, and `options --optimize`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import basic_card
from immunoquiz.cli import cli
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.optimize import MIN_ITEMS, Answer, answers, fit_parameters, optimize, training_set
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, review
from immunoquiz.core.store import CardRow, Store, open_store
from immunoquiz.paths import bundled_decks_dir
from test_replay import rows

NO_FUZZ = DeckOptions(fuzz=False)


def test_each_answer_a_day_or_more_after_the_last_is_one_training_item() -> None:
    history = [Answer(1, 10, 3), Answer(1, 10, 3), Answer(1, 12, 1), Answer(1, 12, 3), Answer(1, 15, 3),
               Answer(2, 11, 3), Answer(2, 13, 4),
               Answer(3, 11, 3), Answer(3, 11, 4)]  # one study day only: nothing to learn from
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


def load_log(store: Store, cards: list[CardRow], limit: int | None = None) -> int:
    """Write the real learner's answers onto ``cards`` (one log card each), as the session would."""
    log = rows()
    log_cards = list(dict.fromkeys(card for card, _, _ in log))[: len(cards)]
    onto = {log_card: row for log_card, row in zip(log_cards, cards)}
    states: dict[int, CardState] = {}
    written = 0
    for log_card, rating, when in log:
        row = onto.get(log_card)
        if row is None:
            continue
        before = states.get(row.id, CardState())
        after = review(before, rating, when, NO_FUZZ, row.id)
        current = CardRow(row.id, row.deck_id, row.card_id, row.sibling, before, False, False, 0)
        store.record_review(current, after, rating=int(rating), now=when, day=when.toordinal(), duration_ms=None,
                            answer=None, correct=None, mode="review")
        states[row.id] = after
        written += 1
        if written == limit:
            break
    return written


LOG_CARDS = 1_205


def many_cards(write_deck: Callable[..., Path]) -> Path:
    """A deck with a card for each card of the real log."""
    return write_deck("d", [basic_card(f"c{n:04d}", f"Q{n}", "Answer") for n in range(LOG_CARDS)])


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
    before = list(answers(josh, ["d"]))
    row = josh.cards_where("deck_id = 'd'")[0]
    josh.record_review(row, row.state, rating=1, now=clock(), day=clock().toordinal(), duration_ms=None,
                       answer=None, correct=None, mode="cram")
    assert list(answers(josh, ["d"])) == before
    josh.record_review(row, row.state, rating=1, now=clock(), day=clock().toordinal(), duration_ms=None,
                       answer=None, correct=None, mode="review")
    assert len(list(answers(josh, ["d"]))) == len(before) + 1


def test_too_few_answers_fit_nothing(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([write_deck("d", [basic_card(f"c{n:02d}", f"Q{n}", "Answer") for n in range(5)])], clock())
    load_log(store, store.cards_where("deck_id = 'd'"))
    fit = optimize(store, ["d"])
    assert 0 < fit.items < MIN_ITEMS and not fit.enough and not fit.better and fit.parameters is None
    assert fit_parameters(training_set([]), None).items == 0


def test_fitted_parameters_schedule_the_cards() -> None:
    fitted = (0.1707, 0.8259, 2.4698, 6.2794, 6.5423, 0.5303, 3.1722, 0.0254, 1.6684, 0.2644, 0.6234, 1.5751,
              0.0415, 0.3804, 1.7817, 0.6012, 1.8729, 0.8469, 0.1045, 0.1448, 0.2384)
    personal = DeckOptions(fuzz=False, parameters=fitted)
    assert DeckOptions.from_dict(json.loads(json.dumps(personal.to_dict()))) == personal
    assert DeckOptions.from_dict(NO_FUZZ.to_dict()).parameters is None
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    state = CardState(Phase.REVIEW, None, 10.0, 5.0, 0, int((now - timedelta(days=10)).timestamp() * 1000), 0, 5)
    default_due = review(state, Rating.GOOD, now, NO_FUZZ, 1).due_ms
    personal_due = review(state, Rating.GOOD, now, personal, 1).due_ms
    assert default_due != personal_due


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_options_optimize_fits_saves_and_resets(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    db = tmp_path / "learner.db"
    run = ("--db", str(db), "--decks", str(many_cards(write_deck)))
    code, _, err = invoke("options", "--optimize", *run)
    assert code == 0 and err.startswith("Only 0 answers were given a day or more after")
    store = open_store(db)
    store.sync([bundled_decks_dir(), tmp_path / "decks"], datetime(2026, 3, 2, tzinfo=timezone.utc))
    load_log(store, store.cards_where("deck_id = 'd'"))
    store.close()
    code, out, err = invoke("options", "--optimize", "--deck", "d", *run)
    assert code == 0 and err.startswith("Fitted FSRS parameters to ") and err.rstrip().endswith(" Now used by d.")
    assert out.count("personal FSRS parameters") == 1
    shown = json.loads(invoke("options", "--json", *run)[1])["decks"]
    assert len(shown["d"]["parameters"]) == 21 and shown["side-effects"]["parameters"] is None
    code, _, err = invoke("options", "--optimize", "--deck", "d", *run)  # fitted again to the same answers
    assert code == 0 and "they are kept" in err
    code, out, _ = invoke("options", "--reset-parameters", "--deck", "d", *run)
    assert code == 0 and "d: " in out and "personal FSRS parameters" not in out
    code, _, err = invoke("options", "--optimize", "--reset-parameters", *run)
    assert code != 0 and err.strip() == "immunoquiz: error: --optimize and --reset-parameters: choose one"
