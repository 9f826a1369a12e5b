"""Time every figure of the stats screen on a large review log, against one plain pass over it.

Usage: python benchmarks/bench_stats.py [--cards 10000] [--history 1000000] [--runs 5] [--seed 1]

Builds a database of N generated cards with R review-log rows over the past
year, and records one answer now (the day's answers are then summed from the
log, the days before kept: as after any study), then times (medians of
interleaved runs):

- the plain pass: ``SELECT count(*), sum(rating) FROM reviews``, one read of
  every answer;
- the whole stats report (card counts, due today, calendar, forecast, true
  retention, buttons, study time, weak spots, source map), as ``immunoquiz
  stats`` and the stats screen compute it: the day totals the database keeps,
  plus the per-card figures;
- the day totals alone, read as kept (``rollup.day_totals``) and summed from
  the log (``rollup.day_totals_from_log``, what the report did before they
  were kept, and still does for a tag).

Target: the report within 1.5x of the plain pass.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import store_with_history
from deckgen import compile_package

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.review_query import Scope
from immunoquiz.core.rollup import day_totals, day_totals_from_log
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Session
from immunoquiz.core.stats_report import stats_report
from immunoquiz.core.studyday import DayRule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    compile_package()
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decks"
        folder.mkdir()
        store = store_with_history(folder, Path(tmp) / "bench.db", args.cards, args.history, now, args.seed)
        decks = tuple(store.active_decks)
        session = Session(store, clock=ManualClock(now), day_rule=DayRule(UTC), rng=random.Random(args.seed))
        showing = session.next()
        assert showing is not None, "nothing to study"
        session.rate(showing, session.check(showing, ""), Rating.GOOD)
        plain, report, kept, from_log = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            store.conn.execute("SELECT count(*), sum(rating) FROM reviews").fetchone()
            plain.append(time.perf_counter() - start)
            start = time.perf_counter()
            # What `immunoquiz stats` and the stats screen call: one pass over the log, shared.
            stats_report(store, Scope(decks), now, DayRule(UTC), DeckOptions())
            report.append(time.perf_counter() - start)
            start = time.perf_counter()
            kept_totals = day_totals(store, Scope(decks))
            kept.append(time.perf_counter() - start)
            start = time.perf_counter()
            logged_totals = day_totals_from_log(store, Scope(decks))
            from_log.append(time.perf_counter() - start)
            assert kept_totals == logged_totals
        store.close()
    plain_s, report_s = statistics.median(plain), statistics.median(report)
    kept_s, from_log_s = statistics.median(kept), statistics.median(from_log)
    print(
        json.dumps(
            {
                "cards": args.cards,
                "history": args.history,
                "plain_pass_s": round(plain_s, 4),
                "stats_report_s": round(report_s, 4),
                "ratio": round(report_s / plain_s, 2),
                "day_totals_kept_s": round(kept_s, 4),
                "day_totals_from_log_s": round(from_log_s, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
