"""One collection where every rule of today's queue matters, for the tests that the counts agree.

Deck ``a`` (3 new and 4 reviews a day, one review already done today) has
reverse basic and cloze siblings in different phases, more due reviews than
its limit, a learning card due later today and one due tomorrow, a suspended
and a buried card. Deck ``b`` (the default limits, not reached) has a new
reverse pair, a due review, a review not yet due and a relearning card.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from immunoquiz.core.clock import to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import QUOTE, basic_card, deck_yaml

CLOZE = "\n".join(
    [
        "  - id: z",
        "    type: cloze",
        "    tags: [t]",
        f"    quote: {QUOTE}",
        "    text: '{{c1::Checkpoint inhibitors}} are the most {{c2::widely}} used {{c3::form}}'",
    ]
)
LIMITED = DeckOptions(new_per_day=3, reviews_per_day=4)


def write_collection_decks(folder: Path) -> Path:
    """Write decks ``a`` and ``b`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    reverse = [basic_card(f"r{i}", f"Reverse {'I' * i}", f"Back {'I' * i}", reverse="true") for i in range(1, 4)]
    plain = [basic_card(f"b{i}", f"Plain {'I' * i}", "Back") for i in range(1, 10)]
    (folder / "a.yaml").write_text(deck_yaml("a", [*reverse, CLOZE, *plain]), encoding="utf-8")
    pair = basic_card("c1", "Pair", "Back", reverse="true")
    others = [basic_card(f"c{i}", f"Other {'I' * i}", "Back") for i in range(2, 5)]
    (folder / "b.yaml").write_text(deck_yaml("b", [pair, *others]), encoding="utf-8")
    return folder


def build_collection(store: Store, folder: Path, now: datetime, day_rule: DayRule) -> None:
    """Sync the decks of ``folder`` and give their cards the states described above, as of ``now``."""
    assert not store.sync([folder], now).diagnostics
    store.set_deck_options("a", LIMITED)
    end = day_rule.end_of(day_rule.day_of(now))

    def review(due: datetime) -> CardState:
        return CardState(Phase.REVIEW, None, 5.0, 5.0, to_ms(due), to_ms(due - timedelta(days=5)), reps=0)

    def learning(due: datetime, phase: Phase = Phase.LEARNING) -> CardState:
        return CardState(phase, 0, 1.0, 5.0, to_ms(due), to_ms(now - timedelta(hours=1)), reps=0)

    overdue = now - timedelta(days=1)
    states = {
        ("a", "r1", 0): review(overdue - timedelta(days=2)),
        ("a", "r1", 1): review(overdue),
        ("a", "r2", 0): learning(now + timedelta(minutes=30)),
        ("a", "r2", 1): review(overdue),
        ("a", "z", 1): review(overdue - timedelta(hours=12)),
        ("a", "b1", 0): review(overdue - timedelta(days=1)),
        ("a", "b2", 0): review(overdue),
        ("a", "b3", 0): review(now - timedelta(hours=2)),
        ("a", "b4", 0): learning(end + timedelta(hours=1)),
        ("a", "b5", 0): review(overdue),
        ("a", "b9", 0): review(overdue - timedelta(days=3)),
        ("b", "c2", 0): review(overdue),
        ("b", "c3", 0): review(now + timedelta(days=5)),
        ("b", "c4", 0): learning(now - timedelta(minutes=1), Phase.RELEARNING),
    }
    rows = {key: store.find_card(*key).id for key in states}
    assert store.replace_states({rows[key]: state for key, state in states.items()}) == len(states)
    store.set_suspended(rows[("a", "b5", 0)], True)
    store.bury(store.find_card("a", "b6").id, day_rule.day_of(now) + 1)
    # One review of deck a answered today: its limit leaves three more (and its sibling is buried).
    session = Session(store, Selection(decks=("a",)), clock=lambda: now, day_rule=day_rule, options=LIMITED)
    showing = session.next()
    assert showing is not None and showing.row.state.phase == Phase.REVIEW
    session.rate(showing, session.check(showing, ""), Rating.GOOD)
