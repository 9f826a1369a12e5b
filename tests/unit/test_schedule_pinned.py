"""Schedules pinned to what an earlier release gave for the same answers and seeds.

Speed-ups of the review path must change no result. The golden file was
written by the code before them (``python -m tests.unit.test_schedule_pinned``
rewrites it, which is only right when a change of schedule is intended and
said in the changelog).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Rating, next_states, review
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import open_store
from tests.support.decks import TESTS, basic_card, deck_yaml
from tests.support.log import rows

GOLDEN = TESTS / "data" / "pinned" / "schedules.json"
FUZZED = DeckOptions(fuzz=True)


def replayed_log() -> list[str]:
    """Each state a real learner's first 3,000 answers reach, fuzz on (answers and button states alike)."""
    states: dict[int, CardState] = {}
    seen = []
    for card, rating, when in rows()[:3000]:
        before = states.get(card, CardState())
        planned = next_states(before, when, FUZZED, card)
        after = review(before, rating, when, FUZZED, card)
        assert planned.answered(rating, when) == after
        states[card] = after
        seen.append(after.to_json())
    return seen


def session_weeks(tmp: Path) -> list[str]:
    """The states of 60 cards after four weeks of seeded daily sessions in the study session."""
    folder = tmp / "decks"
    folder.mkdir()
    names = [f"{a}{b}" for a in "abcdef" for b in "ghijklmnop"]  # no digits: a number must be in the quote
    cards = [basic_card(f"c-{name}", f"Question {name}?", f"Answer {name}") for name in names]
    (folder / "d.yaml").write_text(deck_yaml("d", cards), encoding="utf-8")
    store = open_store(memory=True)
    clock = ManualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    assert not store.sync([folder], clock()).diagnostics
    pick = random.Random(11)
    options = DeckOptions(new_per_day=15, fuzz=True)
    for _ in range(28):
        session = Session(store, Selection(), clock=clock, options=options, rng=random.Random(3))
        while (showing := session.next()) is not None:
            session.intervals(showing)
            clock.advance(seconds=pick.randrange(3, 40))
            rating = pick.choices(list(Rating), weights=[15, 10, 65, 10])[0]
            session.rate(showing, session.check(showing, ""), rating)
        clock.advance(days=1)
        clock.now = clock.now.replace(hour=9, minute=0) + timedelta(minutes=pick.randrange(0, 600))
    states = [card.state.to_json() for card in store.cards_where("deck_id = ?", ["d"])]
    assert len(states) == 60 and store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] > 300
    return states


def results(tmp: Path) -> dict[str, str]:
    return {
        "replayed_log": hashlib.sha256("\n".join(replayed_log()).encode()).hexdigest(),
        "session_weeks": hashlib.sha256("\n".join(session_weeks(tmp)).encode()).hexdigest(),
    }


def test_schedules_are_those_pinned(tmp_path: Path) -> None:
    assert results(tmp_path) == json.loads(GOLDEN.read_text(encoding="utf-8"))


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        GOLDEN.write_text(json.dumps(results(Path(folder)), indent=2) + "\n", encoding="utf-8")
    sys.exit(0)
