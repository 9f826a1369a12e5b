"""Time `immunoquiz check` on a generated deck against bare PyYAML C parsing.

Usage: python benchmarks/bench_check.py [--cards 10000] [--runs 5] [--json]

All three are measured in this process, interleaved, and the medians compared:

- the check: reading the file, composing it with the C loader (no objects
  constructed), validating every card and looking every quote up in the source
  document, with the cycle collector paused as the reader pauses it;
- the load yardstick: ``yaml.load`` with ``CSafeLoader`` (compose and construct
  Python objects) of the same bytes, read beforehand;
- the compose yardstick: ``yaml.compose`` with ``CSafeLoader`` (the node tree
  the check walks) of the same bytes.

Both yardsticks run with the collector off, as the check does: with it on,
they are about 2.5x slower and the ratios would flatter the check.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deckgen import ARTICLE, compile_package, write_deck

from immunoquiz.core.check import check_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        deck = write_deck(Path(tmp) / "big.yaml", "big", args.cards, ARTICLE)
        data = deck.read_bytes()
        load_times, compose_times, check_times = [], [], []
        for _ in range(args.runs):
            load_times.append(yardstick(lambda: yaml.load(data, Loader=yaml.CSafeLoader)))
            compose_times.append(yardstick(lambda: yaml.compose(data, Loader=yaml.CSafeLoader)))
            start = time.perf_counter()
            result = check_paths([deck])
            check_times.append(time.perf_counter() - start)
            assert not result.failed, result.diagnostics[:3]
            assert sum(len(d.cards) for d in result.decks) == args.cards
    load_s, compose_s = statistics.median(load_times), statistics.median(compose_times)
    check_s = statistics.median(check_times)
    figures = {
        "cards": args.cards,
        "load_s": round(load_s, 4),
        "compose_s": round(compose_s, 4),
        "check_s": round(check_s, 4),
        "ratio_to_load": round(check_s / load_s, 2),
        "ratio_to_compose": round(check_s / compose_s, 2),
        "check_us_per_card": round(check_s / args.cards * 1e6, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{args.cards} cards, collector off on every side: immunoquiz check {check_s:.3f}s,"
            f" yaml C load {load_s:.3f}s ({check_s / load_s:.2f}x), yaml C compose {compose_s:.3f}s"
            f" ({check_s / compose_s:.2f}x)"
        )


def yardstick(parse: Callable[[], object]) -> float:
    """Seconds ``parse`` takes with the cycle collector off, as ``check`` runs (reader pauses it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        parse()
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


if __name__ == "__main__":
    main()
