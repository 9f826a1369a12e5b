"""Time SQLite's ``PRAGMA quick_check``, which the store runs once before a run's first write.

Usage: python benchmarks/bench_quick_check.py [--sizes 10000,100000] [--history 100000] [--runs 5] [--json]

For each size, a database of that many generated cards (decks of 1,000 basic
cards quoting the article, as ``bench_review`` builds them) with ``--history``
review-log rows is made outside the timings. Each run then opens it afresh
(warm in the page cache, as a second start of the app is) and times:

- *check*: the quick check alone, on the store's own connection;
- *open*: ``open_store`` and ``start_check``, which starts the check on its own thread
  (a session does once its first card is read, a quiz before its paper is made);
- *first write at once*: how long a write made straight after that waits
  for the check (the worst case: the app's first answer comes seconds later).

Prints the medians, in milliseconds, and the file's size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import store_with_history

from immunoquiz.core.store import Store, open_store

T = TypeVar("T")


def timed_ms(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def _opened_and_checking(db_path: Path) -> Store:
    store = open_store(db_path)
    store.start_check()
    return store


def one_run(db_path: Path) -> tuple[float, float, float]:
    """The check alone, the open, and a first write's wait straight after the open, in ms."""
    store = open_store(db_path)
    store.check_before_writing()  # no check was started: it runs here, so the one timed next runs alone
    check_ms, problems = timed_ms(store.file_problems)
    assert problems == []
    store.close()
    open_ms, store = timed_ms(lambda: _opened_and_checking(db_path))
    wait_ms, _ = timed_ms(store.check_before_writing)
    store.close()
    return check_ms, open_ms, wait_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "decks"
            folder.mkdir()
            db_path = Path(tmp) / "bench.db"
            store_with_history(folder, db_path, size, args.history, datetime.now(UTC), 1).close()
            runs = [one_run(db_path) for _ in range(args.runs)]
            check, opened, wait = (statistics.median(column) for column in zip(*runs, strict=True))
            size_mb = db_path.stat().st_size / 1e6
        results.append(
            {
                "cards": size,
                "history": args.history,
                "db_mb": round(size_mb, 1),
                "quick_check_ms": round(check, 1),
                "open_ms": round(opened, 1),
                "first_write_wait_ms": round(wait, 1),
            }
        )
        if not args.json:
            print(
                f"{size:>7} cards, {args.history} reviews ({size_mb:.1f} MB): quick_check {check:6.1f} ms,"
                f" open {opened:5.1f} ms, a first write at once waits {wait:6.1f} ms",
                flush=True,
            )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
