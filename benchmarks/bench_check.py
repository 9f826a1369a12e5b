"""Time `immunoquiz check` on a generated deck against bare PyYAML C parsing.

Usage: python benchmarks/bench_check.py [--cards 10000] [--runs 5] [--json]

Both are measured in this process, interleaved, and the medians compared; the
check includes reading the file, composing it with the C loader, validating
every card and looking every quote up in the source document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
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
        parse_times, check_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            yaml.load(deck.read_bytes(), Loader=yaml.CSafeLoader)
            parse_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = check_paths([deck])
            check_times.append(time.perf_counter() - start)
            assert not result.failed, result.diagnostics[:3]
            assert sum(len(d.cards) for d in result.decks) == args.cards
    parse_s, check_s = statistics.median(parse_times), statistics.median(check_times)
    figures = {
        "cards": args.cards,
        "parse_s": round(parse_s, 4),
        "check_s": round(check_s, 4),
        "ratio": round(check_s / parse_s, 2),
        "check_us_per_card": round(check_s / args.cards * 1e6, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{args.cards} cards: yaml C parse {parse_s:.3f}s, immunoquiz check {check_s:.3f}s,"
            f" ratio {check_s / parse_s:.2f}x"
        )


if __name__ == "__main__":
    main()
