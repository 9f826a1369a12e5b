"""Run our review benchmark and Anki's engine side by side, interleaved, and print medians.

Usage:
  python benchmarks/compare_anki.py --anki-python /path/to/venv/bin/python \\
      [--peer ../shared/bench/anki_peer.py] [--cards 10000] [--reviews 2000] [--runs 3] [--history 0]

The peer runs in its own virtual environment (``pip install anki fsrs``).
Each run is a fresh process; the runs alternate (ours, Anki's, ours, ...) so
that drift on a shared machine hits both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anki-python", required=True)
    parser.add_argument("--peer", default=str(HERE.parent.parent / "shared" / "bench" / "anki_peer.py"))
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=2_000)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ours_cmd = [
        sys.executable,
        str(HERE / "bench_review.py"),
        "--cards",
        str(args.cards),
        "--reviews",
        str(args.reviews),
        "--history",
        str(args.history),
        "--seed",
        str(args.seed),
        "--json",
    ]
    anki_cmd = [
        args.anki_python,
        args.peer,
        "--cards",
        str(args.cards),
        "--open",
        "--reviews",
        str(args.reviews),
        "--fsrs",
        "--seed",
        str(args.seed),
    ]
    ours, anki = [], []
    for _ in range(args.runs):
        ours.append(json.loads(subprocess.run(ours_cmd, capture_output=True, text=True, check=True).stdout))
        anki.append(json.loads(subprocess.run(anki_cmd, capture_output=True, text=True, check=True).stdout))

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    rows = [
        ("step median (us)", med(ours, "step_median_us"), med(anki, "step_median_us")),
        ("step p95 (us)", med(ours, "step_p95_us"), med(anki, "step_p95_us")),
        (
            "import per card, parse excluded (us)",
            med(ours, "import_per_card_excl_parse_us"),
            med(anki, "add_per_card_us"),
        ),
        ("import per card, parse included (us)", med(ours, "import_per_card_us"), med(anki, "add_per_card_us")),
        ("open + due counts (ms)", med(ours, "open_s") * 1000, med(anki, "open_plus_counts_s_median") * 1000),
        ("peak RSS (MB)", med(ours, "peak_rss_mb"), med(anki, "peak_rss_mib")),
    ]
    print(f"cards={args.cards} reviews={args.reviews} history={args.history} runs={args.runs} (medians)")
    print(f"{'figure':<40} {'immunoquiz':>12} {'anki':>12} {'ratio':>7}")
    for name, mine, theirs in rows:
        print(f"{name:<40} {mine:>12.1f} {theirs:>12.1f} {mine / theirs:>7.2f}")
    print(json.dumps({"ours": ours, "anki": anki}))


if __name__ == "__main__":
    main()
