"""A real learner's Anki review log replayed through immunoquiz's scheduler.

The log (tests/data, MIT, from py-fsrs) is replayed answer by answer through
``schedule.review`` and, independently, through py-fsrs itself; every state
must agree, survive the stored JSON form, and read back the same from the
database.
"""

from __future__ import annotations

import fsrs
import pytest

from immunoquiz.core.answering import Outcome, Response
from immunoquiz.core.clock import to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, review
from immunoquiz.core.store import Store
from tests.support.log import rows

NO_FUZZ = DeckOptions(fuzz=False)


def test_replay_agrees_with_py_fsrs_at_every_answer() -> None:
    log = rows()
    assert len(log) == 12_580
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    ours: dict[int, CardState] = {}
    theirs: dict[int, fsrs.Card] = {}
    lapses: dict[int, int] = {}
    for card_id, rating, when in log:
        before = ours.get(card_id, CardState())
        lapses[card_id] = lapses.get(card_id, 0) + (before.phase == Phase.REVIEW and rating == Rating.AGAIN)
        after = review(before, rating, when, NO_FUZZ, card_id)
        reference, _ = scheduler.review_card(
            theirs.get(card_id, fsrs.Card(card_id=card_id)), fsrs.Rating(int(rating)), when
        )
        assert int(after.phase) == int(reference.state)
        assert after.step == reference.step
        assert after.stability == pytest.approx(reference.stability, rel=1e-12)
        assert after.difficulty == pytest.approx(reference.difficulty, rel=1e-12)
        assert after.due_ms == to_ms(reference.due)
        assert CardState.from_json(after.to_json()) == after
        ours[card_id], theirs[card_id] = after, reference
    assert len(ours) == 1_205
    assert all(ours[card].lapses == lapses[card] for card in ours)
    assert sum(state.reps for state in ours.values()) == 12_580
    assert sum(state.review_total for state in ours.values()) > 5_000


def test_replay_through_the_store_reads_back_every_state(store: Store) -> None:
    log = rows()[:3_000]
    ids = sorted({card for card, _, _ in log})
    with store.write() as conn:
        conn.execute(
            "INSERT INTO decks (id, title, description, path, source, content_hash, file_size, file_mtime_ns,"
            " card_count, synced_ms) VALUES ('josh', 'Josh', 'A real log', '/x', '/y', '', 0, 0, ?, 0)",
            (len(ids),),
        )
        conn.executemany(
            "INSERT INTO cards (id, deck_id, card_id, sibling, position) VALUES (?, 'josh', ?, 0, ?)",
            [(card, str(card), n) for n, card in enumerate(ids)],
        )
    expected: dict[int, CardState] = {}
    for card_id, rating, when in log:
        row = store.card(card_id)
        assert row.state == expected.get(card_id, CardState())
        after = review(row.state, rating, when, NO_FUZZ, card_id)
        store.record_answer(Outcome(row, Response(rating, when, when.toordinal()), NO_FUZZ, after, False, False))
        expected[card_id] = after
    assert all(store.card(card).state == state for card, state in expected.items())
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3_000
    last = store.conn.execute("SELECT id, card FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
    before = CardState.from_json(
        store.conn.execute("SELECT state_before FROM reviews WHERE id = ?", (last[0],)).fetchone()[0]
    )
    store.undo_review(last[0])
    assert store.card(last[1]).state == before
