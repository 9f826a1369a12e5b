"""A real learner's Anki review log (tests/data, MIT, from py-fsrs), read and written onto test cards."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from immunoquiz.core.answering import Outcome, Response
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Rating, review
from immunoquiz.core.store import CardRow, Store
from tests.support.decks import TESTS, basic_card

NO_FUZZ = DeckOptions(fuzz=False)
LOG = TESTS / "data" / "py-fsrs_review_logs_josh.csv"


def rows() -> list[tuple[int, Rating, datetime]]:
    with LOG.open(newline="") as handle:
        return [
            (int(row["card_id"]), Rating(int(row["review_rating"])), datetime.fromisoformat(row["review_time"]))
            for row in csv.DictReader(handle)
        ]


def load_log(store: Store, cards: list[CardRow], limit: int | None = None) -> int:
    """Write the real learner's answers onto ``cards`` (one log card each), as the session would."""
    log = rows()
    log_cards = list(dict.fromkeys(card for card, _, _ in log))[: len(cards)]
    onto = {log_card: row for log_card, row in zip(log_cards, cards, strict=False)}
    states: dict[int, CardState] = {}
    written = 0
    for log_card, rating, when in log:
        row = onto.get(log_card)
        if row is None:
            continue
        before = states.get(row.id, CardState())
        after = review(before, rating, when, NO_FUZZ, row.id)
        current = CardRow(row.id, row.deck_id, row.card_id, row.sibling, before, False, False, 0)
        store.record_answer(Outcome(current, Response(rating, when, when.toordinal()), NO_FUZZ, after, False, False))
        states[row.id] = after
        written += 1
        if written == limit:
            break
    return written


LOG_CARDS = 1_205


def many_cards(write_deck: Callable[..., Path]) -> Path:
    """A deck with a card for each card of the real log."""
    return write_deck("d", [basic_card(f"c{n:04d}", f"Q{n}", "Answer") for n in range(LOG_CARDS)])


def states_of_deck(store: Store) -> dict[int, CardState]:
    """Every card's state in deck ``d``."""
    return {row.id: row.state for row in store.cards_where("deck_id = 'd'")}


def load_answered_deck(store: Store, clock: ManualClock, write_deck: Callable[..., Path], cards: int = 200) -> None:
    """Deck ``d`` of ``cards`` cards, all but the last ten carrying the real log's answers."""
    store.sync([write_deck("d", [basic_card(f"c{n:03d}", f"Q{n}", "Answer") for n in range(cards)])], clock())
    store.set_deck_options("d", NO_FUZZ)  # the options the log was answered under (see load_log)
    load_log(store, store.cards_where("deck_id = 'd'")[: cards - 10])  # the last ten stay new
