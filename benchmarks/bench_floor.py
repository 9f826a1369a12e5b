"""The durable floor of a review step: bare sqlite3 + py-fsrs, nothing else.

Usage:
  python benchmarks/bench_floor.py --cards N --reviews M --seed S

What is counted per step: one py-fsrs ``review_card`` on the card's state,
then one transaction that updates the card's row and appends one log row,
committed in WAL mode with ``synchronous=FULL`` (the durability immunoquiz
and Anki both promise). No queue, no button intervals, no leech or sibling
rules: the least any durable FSRS review tool must do, measured on the same
machine in the same run as ``bench_review.py`` and Anki (``compare_anki.py``).
The cards start new and are taken in order; ratings are drawn
Again/Hard/Good/Easy 10/10/70/10 from the seed, as in ``bench_review``.

Prints one JSON object: cards, reviews, step_median_us, step_p95_us.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import fsrs


def run(args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(args.seed)
    random.seed(args.seed)
    scheduler = fsrs.Scheduler()
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
        conn.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, card INTEGER, time_ms INTEGER, rating INTEGER)")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO cards (id, state) VALUES (?, ?)",
            ((n, fsrs.Card(card_id=n).to_json()) for n in range(1, args.cards + 1)),
        )
        conn.execute("COMMIT")
        ratings = rng.choices(list(fsrs.Rating), weights=[10, 10, 70, 10], k=args.reviews)
        steps = []
        for n, rating in enumerate(ratings, start=1):
            start = time.perf_counter_ns()
            (state,) = conn.execute("SELECT state FROM cards WHERE id = ?", (n,)).fetchone()
            card, _ = scheduler.review_card(fsrs.Card.from_json(state), rating, now)
            conn.execute("BEGIN")
            conn.execute("UPDATE cards SET state = ? WHERE id = ?", (card.to_json(), n))
            conn.execute(
                "INSERT INTO reviews (card, time_ms, rating) VALUES (?, ?, ?)",
                (n, int(now.timestamp() * 1000), int(rating)),
            )
            conn.execute("COMMIT")
            steps.append(time.perf_counter_ns() - start)
        conn.close()
    steps_us = sorted(s / 1000 for s in steps)
    return {
        "cards": args.cards,
        "reviews": len(steps),
        "step_median_us": round(statistics.median(steps_us), 1),
        "step_p95_us": round(steps_us[int(0.95 * (len(steps_us) - 1))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, required=True)
    parser.add_argument("--reviews", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.reviews > args.cards:
        parser.error("--reviews must not exceed --cards: each step answers a new card")
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
