"""Time fitting FSRS parameters to a large review log, and the memory it takes.

Usage: python benchmarks/bench_optimize.py [--cards 10000] [--history 100000] [--seed 1]

Builds a database of N generated cards with R review-log rows over the past
year (20 answers per card on the first R/20 cards, as bench_review's
history), then runs what `immunoquiz options --optimize` runs: read the
answers, build the training items, fit, and judge the fit against the
default parameters; then replays every card's answers as ``--reschedule``
does. Prints one JSON object: the rows, the training items, the seconds taken
and the growth of peak RSS (MB) during the fit, and the replay's time.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import store_with_history
from deckgen import compile_package

from immunoquiz.core.optimize import optimize
from immunoquiz.core.replay import replayed_states


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    compile_package()
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decks"
        folder.mkdir()
        store = store_with_history(folder, Path(tmp) / "bench.db", args.cards, args.history, now, args.seed)
        before = peak_rss_mb()
        start = time.perf_counter()
        fit = optimize(store, store.active_decks)
        seconds = time.perf_counter() - start
        grown = peak_rss_mb() - before
        start = time.perf_counter()
        _, answers = replayed_states(store, store.active_decks)
        replay_s = time.perf_counter() - start
        store.close()
    print(
        json.dumps(
            {
                "cards": args.cards,
                "history": args.history,
                "items": fit.items,
                "fit_s": round(seconds, 3),
                "rss_growth_mb": round(grown, 1),
                "better": fit.better,
                "replay_s": round(replay_s, 3),
                "replay_per_answer_us": round(replay_s / max(1, answers) * 1e6, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
