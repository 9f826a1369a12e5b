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

With ``--schema ours``, the same least work is done on immunoquiz's own
database instead of a two-table one: the generated decks of ``bench_review``
synced by the installed immunoquiz, then per step the card's row read, one
``review_card``, and immunoquiz's own ``UPDATE`` of the card and ``INSERT``
of the log row (its states as JSON, its undo record) in one ``BEGIN
IMMEDIATE`` transaction, committed the same way. Its indexes and triggers
(the queue, the card's history, the day's statistics) are all written; no
other immunoquiz code runs. The gap between the two floors is what the
schema costs; the gap between this one and ``bench_review`` is what
immunoquiz's own Python costs.

Prints one JSON object: schema, cards, reviews, step_median_us, step_p95_us.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import fsrs


def run_ours(args: argparse.Namespace) -> list[int]:
    """The step times (ns) of the least work on immunoquiz's own schema."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_review import write_decks

    from immunoquiz.core.store import open_store
    from immunoquiz.core.studyday import DayRule

    rng = random.Random(args.seed)
    random.seed(args.seed)
    scheduler = fsrs.Scheduler()
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    now_ms = int(now.timestamp() * 1000)
    undo = json.dumps({"suspended": False, "leech": False, "buried": []}, separators=(",", ":"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decks"
        folder.mkdir()
        write_decks(folder, args.cards)
        store = open_store(Path(tmp) / "bench.db")
        store.sync([folder], now)
        store.close()
        conn = sqlite3.connect(Path(tmp) / "bench.db", isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            conn.execute(f"PRAGMA {pragma}")
        # Today's answers leave the day totals alone once the first answer of the day has moved the mark.
        day = DayRule(UTC).day_of(now)
        conn.execute("UPDATE rolled_day SET day = ?", (day,))
        order = conn.execute("SELECT id, deck_id FROM cards ORDER BY deck_id, position LIMIT ?", (args.reviews,))
        ratings = rng.choices(list(fsrs.Rating), weights=[10, 10, 70, 10], k=args.reviews)
        steps = []
        for (rowid, deck_id), rating in zip(order.fetchall(), ratings, strict=True):
            start = time.perf_counter_ns()
            before = conn.execute(
                "SELECT phase, step, stability, difficulty, due_ms, last_review_ms, lapses, reps, review_total,"
                " review_passed FROM cards WHERE id = ?",
                (rowid,),
            ).fetchone()
            card, _ = scheduler.review_card(fsrs.Card(card_id=rowid), rating, now)
            after = [int(card.state), card.step, card.stability, card.difficulty, int(card.due.timestamp() * 1000)]
            after += [now_ms, 0, 1, 0, 0]
            states = (json.dumps(list(before)), json.dumps(after))
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, last_review_ms = ?,"
                " lapses = ?, reps = ?, review_total = ?, review_passed = ?, suspended = ?, leech = ?"
                " WHERE id = ? AND reps = ?",
                (*after, 0, 0, rowid, before[7]),
            )
            conn.execute(
                "INSERT INTO reviews (card, deck_id, time_ms, day, rating, duration_ms, answer, correct, mode,"
                " phase_before, interval_before_ms, mature, state_before, state_after, undo)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (rowid, deck_id, now_ms, day, int(rating), 0, None, None, "review", 0, None, 0, *states, undo),
            )
            conn.execute("COMMIT")
            steps.append(time.perf_counter_ns() - start)
        conn.close()
    return steps


def run(args: argparse.Namespace) -> list[int]:
    """The step times (ns) of the least work on a two-table database."""
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
    return steps


def summary(args: argparse.Namespace, steps: list[int]) -> dict[str, object]:
    steps_us = sorted(s / 1000 for s in steps)
    return {
        "schema": args.schema,
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
    parser.add_argument("--schema", choices=("bare", "ours"), default="bare")
    args = parser.parse_args()
    if args.reviews > args.cards:
        parser.error("--reviews must not exceed --cards: each step answers a new card")
    print(json.dumps(summary(args, run_ours(args) if args.schema == "ours" else run(args))))


if __name__ == "__main__":
    main()
