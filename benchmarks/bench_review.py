"""Review-engine benchmark, comparable with ../shared/bench/anki_peer.py.

Usage:
  python benchmarks/bench_review.py --cards N --reviews M [--history R] --seed S [--json]

Builds a fresh database from generated decks of 1,000 basic cards each (N in
all, quoting the bundled article so that they pass `check`); with --history,
adds R review-log rows spread over the past year; then runs M steps with
daily limits lifted and ratings drawn Again/Hard/Good/Easy 10/10/70/10 from
the seed. A step counts what Anki's step counts (its ``get_queued_cards``
works out the four buttons' next states): take the next card from the queue,
work out its four buttons' intervals, check the answer, rate it (leech and
sibling rules included) and commit with ``synchronous=FULL``. The next
cards' four next states are worked out on a background thread while that
commit waits on the disk (``core.foresight``, two cards every other step):
the work is all inside the timed steps, overlapped with the wait rather than
left out. As in the
peer's loop, which runs on the wall clock, the session's time does not move
between steps, so the 1- and 10-minute learning steps do not come due during
it (the queue shows each card once, as Anki's does).

Prints one JSON object: cards, reviews, import_s (first sync, YAML included),
parse_s (the part spent in the YAML loader), open_s (open the existing
database, no-op sync and today's due counts; median of 5), step_median_us,
step_p95_us, peak_rss_mb, db_bytes, and ``package``: the immunoquiz folder
imported (run it against an installed copy, not the working tree).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

import immunoquiz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deckgen import ARTICLE, compile_package, write_deck

from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import QueueCounts, day_counts
from immunoquiz.core.schedule import MATURE_MS, CardState, Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.studyday import DayRule

DECK_SIZE = 1000
LIFTED = DeckOptions(new_per_day=10**9, reviews_per_day=10**9)


class _TimedCompose:
    """Counts the time spent in PyYAML while the reader composes decks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._compose = yaml.compose

    def __call__(self, *args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return self._compose(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - start


def write_decks(folder: Path, cards: int) -> None:
    """``cards`` generated basic cards, in decks of ``DECK_SIZE`` quoting the article."""
    for n in range((cards + DECK_SIZE - 1) // DECK_SIZE):
        write_deck(
            folder / f"deck-{n:03d}.yaml", f"deck-{n:03d}", min(DECK_SIZE, cards - n * DECK_SIZE), ARTICLE, mixed=False
        )


def store_with_history(folder: Path, db_path: Path, cards: int, history: int, now: datetime, seed: int) -> Store:
    """A database of ``cards`` generated cards (their decks written to ``folder``) with ``history`` log rows."""
    write_decks(folder, cards)
    store = open_store(db_path)
    store.sync([folder], now)
    add_history(store, history, now, random.Random(seed))
    return store


def add_history(store: Store, rows: int, now: datetime, rng: random.Random) -> None:
    """R review-log rows over the past year, on the first cards, with review states to match."""
    cards = store.conn.execute("SELECT id, deck_id FROM cards ORDER BY id LIMIT ?", (max(1, rows // 20),)).fetchall()
    day_rule = DayRule(UTC)
    start = now - timedelta(days=365)
    state = CardState(Phase.REVIEW, None, 10.0, 5.0, 0, 0, 0, 10).to_json()

    def log() -> Iterator[tuple[object, ...]]:  # generated lazily: the benchmark's own memory stays flat
        for n in range(rows):
            when = start + timedelta(seconds=rng.uniform(0, 365 * 86400))
            interval = int(rng.uniform(1, 60) * 86_400_000)
            card, deck_id = cards[n % len(cards)]
            yield (
                card,
                deck_id,
                to_ms(when),
                day_rule.day_of(when),
                rng.choice((1, 3, 3, 3)),
                8000,
                None,
                None,
                "review",
                2,
                interval,
                int(interval >= MATURE_MS),
                state,
                state,
                '{"suspended":false,"leech":false,"buried":[]}',
            )

    with store.write() as conn:
        conn.executemany(
            "INSERT INTO reviews (card, deck_id, time_ms, day, rating, duration_ms, answer, correct, mode,"
            " phase_before, interval_before_ms, mature, state_before, state_after, undo)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            log(),
        )
        # Cards with history are reviews, some due today, the rest later.
        conn.executemany(
            "UPDATE cards SET phase = 2, stability = ?, difficulty = 5, due_ms = ?, last_review_ms = ?, reps = 10"
            " WHERE id = ?",
            [
                (
                    rng.uniform(1, 200),
                    to_ms(now + timedelta(days=rng.uniform(-5, 60))),
                    to_ms(now - timedelta(days=rng.uniform(1, 30))),
                    card,
                )
                for card, _ in cards
            ],
        )
        # The per-card counters a real history would have built up, answer by answer.
        conn.execute(
            "UPDATE cards SET (review_total, review_passed) = (SELECT count(*), sum(rating > 1) FROM reviews"
            " WHERE reviews.card = cards.id) WHERE id IN (SELECT DISTINCT card FROM reviews)"
        )


def run(args: argparse.Namespace) -> dict[str, object]:
    compile_package()
    rng = random.Random(args.seed)
    random.seed(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decks"
        folder.mkdir()
        write_decks(folder, args.cards)
        db_path = Path(tmp) / "bench.db"
        clock = ManualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))

        timed = _TimedCompose()
        yaml.compose = timed  # type: ignore[assignment]  # time the composing alone
        # The first sync only: creating the empty database is not part of it
        # (nor, for the peer, is creating the collection or importing Anki).
        store = open_store(db_path)
        start = time.perf_counter()
        report = store.sync([folder], clock())
        import_s = time.perf_counter() - start
        yaml.compose = timed._compose
        assert not report.diagnostics, report.diagnostics[:3]
        if args.history:
            add_history(store, args.history, clock(), rng)
        store.close()

        opens = []
        for _ in range(5):
            start = time.perf_counter()
            store = open_store(db_path)
            store.sync([folder], clock())
            counts = day_counts(store, CardFilter(tuple(store.active_decks)), clock())
            assert sum(counts.values(), QueueCounts()).new, "nothing to study"
            opens.append(time.perf_counter() - start)
            store.close()

        store = open_store(db_path)
        store.sync([folder], clock())
        session = Session(store, Selection(), clock=clock, options=LIFTED, rng=random.Random(args.seed))
        ratings = rng.choices(list(Rating), weights=[10, 10, 70, 10], k=args.reviews)
        steps = []
        for rating in ratings:
            start = time.perf_counter_ns()
            showing = session.next()
            if showing is None:  # only learning cards left: let time pass, untimed
                clock.advance(minutes=10)
                session.build_queue()
                start = time.perf_counter_ns()
                showing = session.next()
            assert showing is not None, "the queue ran dry"
            session.intervals(showing)
            session.rate(showing, session.check(showing, ""), rating)
            steps.append(time.perf_counter_ns() - start)
        reviews = store.conn.execute("SELECT count(*) FROM reviews WHERE mode = 'review'").fetchone()[0] - args.history
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    steps_us = sorted(s / 1000 for s in steps)
    return {
        "cards": args.cards,
        "reviews": reviews,
        "history": args.history,
        "import_s": round(import_s, 4),
        "parse_s": round(timed.seconds, 4),
        "import_per_card_us": round(import_s / args.cards * 1e6, 1),
        "import_per_card_excl_parse_us": round((import_s - timed.seconds) / args.cards * 1e6, 1),
        "open_s": round(statistics.median(opens), 4),
        "step_median_us": round(statistics.median(steps_us), 1) if steps_us else None,
        "step_p95_us": round(steps_us[int(0.95 * (len(steps_us) - 1))], 1) if steps_us else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "db_bytes": db_bytes,
        "package": str(Path(immunoquiz.__file__).parent),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, required=True)
    parser.add_argument("--reviews", type=int, required=True)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object (the default output too)")
    args = parser.parse_args()
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
