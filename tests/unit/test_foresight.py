"""The next card's states worked out during the commit: used only when exactly those due on the spot."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock, from_ms
from immunoquiz.core.foresight import Foresight, Guess
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, next_states
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import open_store
from tests.support.decks import basic_card, deck_yaml

FUZZED = DeckOptions(fuzz=True)
# Reviewed 3 days ago at 10:00; shown again now.
LAST_MS = 1_767_607_200_000
REVIEWED = CardState(Phase.REVIEW, None, 12.5, 5.1, LAST_MS + 3 * 86_400_000, LAST_MS, 0, 4, 2, 2)


def test_a_guess_is_used_for_its_card_in_its_state_and_options_only() -> None:
    at = from_ms(LAST_MS + 3 * 86_400_000)
    others = [
        (REVIEWED, FUZZED, 8),
        (replace(REVIEWED, reps=5), FUZZED, 7),
        (REVIEWED, DeckOptions(fuzz=True, desired_retention=0.85), 7),
    ]
    for state, options, key in others:
        foresight = Foresight()
        foresight.start([Guess(REVIEWED, FUZZED, 7)], at)
        assert foresight.take(state, at, options, key) is None
    foresight = Foresight()
    foresight.start([Guess(REVIEWED, FUZZED, 7)], at)
    assert foresight.take(REVIEWED, at, FUZZED, 7) == next_states(REVIEWED, at, FUZZED, 7)
    assert foresight.take(REVIEWED, at, FUZZED, 7) is None  # spent


def test_a_guess_is_used_later_only_within_the_same_whole_days_since_the_last_review() -> None:
    at = from_ms(LAST_MS + 3 * 86_400_000 - 60_000)  # a minute before the fourth day since
    foresight = Foresight()
    foresight.start([Guess(REVIEWED, FUZZED, 7)], at)
    later = at + timedelta(seconds=30)
    planned = foresight.take(REVIEWED, later, FUZZED, 7)
    assert planned is not None
    fresh = next_states(REVIEWED, later, FUZZED, 7)
    assert planned.intervals == fresh.intervals
    assert [planned.answered(r, later) for r in Rating] == [fresh.answered(r, later) for r in Rating]
    foresight.start([Guess(REVIEWED, FUZZED, 7)], at)
    assert foresight.take(REVIEWED, at + timedelta(minutes=2), FUZZED, 7) is None


def seeded_sitting(tmp: Path, foresight: bool, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Labels shown and states stored over days of a seeded session, some answers across midnight."""
    if not foresight:
        monkeypatch.setattr(Foresight, "start", lambda *args: None)
    folder = tmp / ("on" if foresight else "off")
    folder.mkdir()
    names = [f"{a}{b}" for a in "abcd" for b in "ghijk"]
    cards = [basic_card(f"c-{name}", f"Question {name}?", f"Answer {name}") for name in names]
    (folder / "d.yaml").write_text(deck_yaml("d", cards), encoding="utf-8")
    store = open_store(memory=True)
    clock = ManualClock(from_ms(LAST_MS - 3600_000 * 2))  # 08:00
    assert not store.sync([folder], clock()).diagnostics
    pick = random.Random(5)
    seen: list[object] = []
    for _ in range(12):
        session = Session(store, Selection(), clock=clock, options=DeckOptions(new_per_day=8, fuzz=True))
        while (showing := session.next()) is not None:
            clock.advance(seconds=pick.randrange(1, 1800))
            seen.append(session.intervals(showing))
            clock.advance(seconds=pick.randrange(1, 60))
            session.rate(showing, session.check(showing, ""), pick.choices(list(Rating), weights=[15, 10, 65, 10])[0])
        clock.advance(hours=pick.randrange(14, 30))
    seen.extend(card.state for card in store.cards_where("deck_id = ?", ["d"]))
    monkeypatch.undo()
    return seen


def test_a_session_shows_and_records_the_same_with_and_without_foresight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_it = seeded_sitting(tmp_path, True, monkeypatch)
    assert len(with_it) > 100
    assert with_it == seeded_sitting(tmp_path, False, monkeypatch)


def test_a_guess_never_taken_gives_way_to_the_next() -> None:
    at = from_ms(LAST_MS + 3 * 86_400_000)
    foresight = Foresight()
    foresight.start([Guess(REVIEWED, FUZZED, 7)], at)
    other = replace(REVIEWED, stability=40.0)
    foresight.start([Guess(other, FUZZED, 9)], at)
    assert foresight.take(other, at, FUZZED, 9) == next_states(other, at, FUZZED, 9)


def test_a_guess_that_fails_is_worked_out_on_the_spot_and_fails_there() -> None:
    at = from_ms(LAST_MS + 3 * 86_400_000)
    broken = replace(REVIEWED, stability=None)  # a review card without a memory state: py-fsrs refuses it
    with pytest.raises(AssertionError):
        next_states(broken, at, FUZZED, 7)
    foresight = Foresight()
    foresight.start([Guess(broken, FUZZED, 7)], at)
    assert foresight.take(broken, at, FUZZED, 7) is None


def test_one_start_guesses_at_two_cards_each_used_once_in_any_order() -> None:
    at = from_ms(LAST_MS + 3 * 86_400_000)
    other = replace(REVIEWED, stability=40.0)
    foresight = Foresight()
    foresight.start([Guess(REVIEWED, FUZZED, 7), Guess(other, FUZZED, 9)], at)
    assert foresight.has(7) and foresight.has(9) and not foresight.has(8)
    assert foresight.take(other, at, FUZZED, 9) == next_states(other, at, FUZZED, 9)
    assert not foresight.has(9)
    assert foresight.take(REVIEWED, at, FUZZED, 7) == next_states(REVIEWED, at, FUZZED, 7)
    assert foresight.take(REVIEWED, at, FUZZED, 7) is None  # spent


def test_a_session_wakes_the_worker_every_other_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[list[int]] = []
    start = Foresight.start

    def counted(self: Foresight, guesses: list[Guess], at: datetime) -> None:
        starts.append([guess.key for guess in guesses])
        start(self, guesses, at)

    monkeypatch.setattr(Foresight, "start", counted)
    cards = [basic_card(f"c-{a}{b}", f"Question {a}{b}?", f"Answer {a}{b}") for a in "abcd" for b in "ghijk"]
    (tmp_path / "d.yaml").write_text(deck_yaml("d", cards), encoding="utf-8")
    store = open_store(memory=True)
    clock = ManualClock(from_ms(LAST_MS))
    assert not store.sync([tmp_path], clock()).diagnostics
    session = Session(store, Selection(), clock=clock, options=DeckOptions(new_per_day=20))
    shown = []
    while (showing := session.next()) is not None:
        shown.append(showing.row.id)
        session.intervals(showing)
        session.rate(showing, session.check(showing, ""), Rating.EASY)  # straight to review: each card once
    assert len(shown) == 20
    # The first card is worked out on the spot; every later one was guessed, two to a start, in queue order.
    assert starts == [shown[n : n + 2] for n in range(1, 20, 2)]
