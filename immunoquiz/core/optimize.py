"""Personal FSRS parameters, fitted to the learner's own review log (Anki's "Optimize").

The learner's answers become training items as FSRS expects them: for each
card, its ratings with the number of study days since the previous one, one
item for each answer given a day or more after the one before. The fit is done
by fsrs-rs (Rust) and judged on the same items: new parameters are proposed
only when they predict the learner's answers better than the current ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

    from immunoquiz.core.store import LoggedAnswer, Store

MIN_ITEMS = 100
"""Answers given a day or more after the previous one, needed before a fit means much."""


@dataclass(frozen=True)
class TrainingSet:
    """Answers as FSRS training items.

    Attributes:
        items: One per answer given a study day or more after the card's
            previous answer: that card's ratings so far with their day gaps,
            oldest first.
        cards: How many cards they come from.
    """

    items: list[FSRSItem]
    cards: int


@dataclass(frozen=True, slots=True)
class Fit:
    """The outcome of fitting parameters to a learner's answers.

    Attributes:
        items: Training items used (answers given a day or more after the previous one).
        cards: Cards they came from.
        parameters: The fitted weights (None when there were too few items).
        current_log_loss: How well the current parameters predict those answers (lower is better).
        fitted_log_loss: The same for the fitted parameters.
        current_rmse: Calibration error of the current parameters (0 to 1, lower is better).
        fitted_rmse: The same for the fitted parameters.
    """

    items: int
    cards: int
    parameters: tuple[float, ...] | None = None
    current_log_loss: float | None = None
    fitted_log_loss: float | None = None
    current_rmse: float | None = None
    fitted_rmse: float | None = None

    @property
    def enough(self) -> bool:
        """Whether there were enough answers to fit."""
        return self.parameters is not None

    def describe(self) -> str:
        """How the fit went, in a sentence or two."""
        if not self.enough:
            return (
                f"Only {self.items} answers were given a day or more after the card's previous one "
                f"({MIN_ITEMS} needed to fit parameters): keep studying."
            )
        figures = (
            f"log loss {self.current_log_loss:.4f} -> {self.fitted_log_loss:.4f}, "
            f"calibration error {self.current_rmse:.1%} -> {self.fitted_rmse:.1%}"
        )
        if not self.better:
            return (
                f"Fitted to {self.items} answers of {self.cards} cards, the parameters in use predict them "
                f"as well ({figures}): they are kept."
            )
        return f"Fitted FSRS parameters to {self.items} answers of {self.cards} cards ({figures})."

    @property
    def better(self) -> bool:
        """Whether the fitted parameters predict the answers better than the current ones."""
        return (
            self.fitted_log_loss is not None
            and self.current_log_loss is not None
            and self.fitted_log_loss < self.current_log_loss
        )


def training_set(answers: Iterable[LoggedAnswer]) -> TrainingSet:
    """FSRS training items from answers sorted by card and time.

    Args:
        answers: The answers (``Store.schedule_answers``).

    Returns:
        The items, oldest first, and how many cards they come from.
    """
    from fsrs_rs_python import FSRSItem, FSRSReview

    dated: list[tuple[int, FSRSItem]] = []
    cards = 0
    for _, history in groupby(answers, key=lambda answer: answer.card):
        reviews = []
        found = len(dated)
        last_day: int | None = None
        for answer in history:
            gap = 0 if last_day is None else answer.day - last_day
            reviews.append(FSRSReview(answer.rating, gap))
            if gap > 0:
                item = FSRSItem(list(reviews))
                if item.long_term_review_cnt() > 0:
                    dated.append((answer.day, item))
            last_day = answer.day
        cards += len(dated) > found
    dated.sort(key=lambda pair: pair[0])
    return TrainingSet([item for _, item in dated], cards)


def fit_parameters(training: TrainingSet, current: Sequence[float] | None = None) -> Fit:
    """Fit FSRS's weights to a training set and compare them with the current ones.

    Args:
        training: The training set (``training_set``).
        current: The weights in use; None for FSRS's defaults.

    Returns:
        The fit, with both sets' log loss and calibration error on the
        training items; no parameters when there are fewer than ``MIN_ITEMS``.
    """
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    items = training.items
    if len(items) < MIN_ITEMS:
        return Fit(len(items), training.cards)
    in_use = list(current) if current is not None else list(DEFAULT_PARAMETERS)
    fitted = [float(weight) for weight in FSRS(in_use).compute_parameters(items)]
    before, after = FSRS(in_use).evaluate(items), FSRS(fitted).evaluate(items)
    return Fit(
        len(items),
        training.cards,
        tuple(fitted),
        float(before.log_loss),
        float(after.log_loss),
        float(before.rmse_bins),
        float(after.rmse_bins),
    )


def optimize(store: Store, decks: Sequence[str]) -> Fit:
    """Fit parameters to the answers of these decks, judged against the ones they use now.

    Args:
        store: The learner's database.
        decks: The decks whose answers train the fit (and that would take the result).

    Returns:
        The fit. The decks' current parameters are the baseline when they all
        share them, FSRS's defaults otherwise. Nothing is saved.
    """
    in_use = {store.deck_options(deck).parameters for deck in decks}
    current = in_use.pop() if len(in_use) == 1 else None
    return fit_parameters(training_set(store.schedule_answers(decks)), current)
