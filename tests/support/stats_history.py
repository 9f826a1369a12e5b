"""A review log with hand-worked figures for the stats screen tests (all-types deck, today 2 March 2026)."""

from __future__ import annotations

from datetime import timedelta

from immunoquiz.core.answering import Outcome, Response
from immunoquiz.core.clock import to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating
from immunoquiz.core.store import CardRow
from immunoquiz.tui.app import ImmunoquizApp
from tests.support.tui import START

DAY_MS = 86_400_000
DECK = "all-types"

# (days before today, card, rating, interval before in days; None: a new card)
LOG = [
    (400, "irae", 3, 5),
    (200, "pd-l1", 3, None),
    (56, "pd-l1", 3, 5),
    *((day, "ctla4-drug", 3, 3) for day in (20, 19, 18, 17, 16)),
    (2, "keytruda", 3, 30),
    (2, "pd-l1", 1, 5),
    (1, "irae", 3, 5),
    (1, "pd-l1", 1, 5),
    (0, "keytruda", 1, 30),
    (0, "irae", 4, 5),
    (0, "ctla4-drug", 3, 3),
]
"""Study days: today and the two before (current streak 3), 16-20 days ago (longest 5), 56 and 200 days ago
(10 days in the past year; 400 days ago is older). True retention of review cards: young 3/5 over 7 days,
8/10 over 30, 9/11 over 365; mature 1/2 throughout. Buttons: learning 0/0/1/0, young 2/0/9/1, mature 1/0/1/0.
One minute per answer: 3 minutes today."""


def card(app: ImmunoquizApp, card_id: str) -> CardRow:
    """The first sibling of a card of the all-types deck (cloze siblings start at 1)."""
    return min(app.store.cards_where("deck_id = ? AND card_id = ?", [DECK, card_id]), key=lambda row: row.sibling)


def build_history(app: ImmunoquizApp) -> None:
    """Write ``LOG`` to the app's database, then set the cards' states for a known forecast and weak spots.

    Forecast (today first): 2, 1, then 0 to day 10 which has 1. Weak cards: pd-l1 (1 of 3, 2 lapses, a
    leech), keytruda (1 of 2, 1 lapse), ctla4-drug (6 of 6), irae (3 of 3). Weak tags: mechanism 1/3,
    brands 1/2, drugs 7/8, side-effects 3/3.
    """
    store = app.store
    for days_ago, card_id, rating, interval in LOG:
        when = START - timedelta(days=days_ago)
        row = card(app, card_id)
        if interval is None:
            before = CardState()
        else:
            due = to_ms(when)
            before = CardState(Phase.REVIEW, None, 5.0, 5.0, due, due - interval * DAY_MS, 0, 3)
        store.record_answer(
            Outcome(
                CardRow(row.id, row.deck_id, row.card_id, row.sibling, before, False, False, 0),
                Response(Rating(rating), when, app.day_rule.day_of(when), "review", 60_000),
                DeckOptions(),
                before,
                False,
                False,
            )
        )
    now = to_ms(START)
    store.conn.execute("UPDATE cards SET phase = 0, due_ms = NULL, lapses = 0, leech = 0")
    store.conn.execute(
        """UPDATE cards SET
           review_total = (SELECT count(*) FROM reviews r WHERE r.card = cards.id AND r.phase_before = 2),
           review_passed = (SELECT count(*) FROM reviews r WHERE r.card = cards.id AND r.phase_before = 2
                            AND r.rating > 1)"""
    )
    for card_id, due_in_days, lapses, leech in (
        ("irae", -1, 0, 0),
        ("pd-l1", 0.1, 2, 1),
        ("keytruda", 1, 1, 0),
        ("ctla4-drug", 10, 0, 0),
    ):
        store.conn.execute(
            "UPDATE cards SET phase = 2, due_ms = ?, lapses = ?, leech = ? WHERE id = ?",
            (now + int(due_in_days * DAY_MS), lapses, leech, card(app, card_id).id),
        )
