"""Run our review benchmark, Anki's engine and the durable floor side by side, interleaved; print medians.

Usage:
  python benchmarks/compare_anki.py --anki-python /path/to/venv/bin/python \\
      [--peer ../shared/bench/anki_peer.py] [--cards 10000] [--reviews 2000] [--runs 3] [--history 0] \\
      [--baseline-python /path/to/old-venv/bin/python]

The peer runs in its own virtual environment (``pip install anki fsrs``).
Each run is a fresh process started in an empty temporary folder, so ours
imports the installed immunoquiz (install it without ``-e`` to measure a
release; the folder used is printed); the runs alternate (ours, Anki's, the
floors, then back the other way) so that drift on a shared machine hits all
alike. With ``--baseline-python``, our benchmark also runs with that
interpreter's install (an earlier version, say), in the same rotation, so
that a change is judged before and after in one run. Besides the medians of
all runs, it prints our step over each other side's rotation by rotation:
a slow period of the machine lasts longer than one rotation, so those ratios
spread less than the medians do.

What each side counts per review step: ours (``bench_review.py``) the next
card, its four buttons' intervals, the answer and the FULL-synced commit;
Anki's ``get_queued_cards`` (which computes the four next states) and
``answer_card``; the floor (``bench_floor.py``) one py-fsrs ``review_card``
and one FULL-synced commit, the least a durable FSRS tool does; the schema
floor (``bench_floor.py --schema ours``) the same least work on our own
database, with its indexes and triggers. The step is printed as a ratio to
Anki and to both floors: the floors' gap is what our schema costs, the rest
is our Python.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _median_ratio(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> str:
    """The median and range of our step median over theirs, one ratio per rotation."""
    ratios = [mine["step_median_us"] / other["step_median_us"] for mine, other in zip(ours, theirs, strict=True)]
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anki-python", required=True)
    parser.add_argument("--peer", default=str(HERE.parent.parent / "shared" / "bench" / "anki_peer.py"))
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=2_000)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-python", help="Also run our benchmark on this interpreter's immunoquiz.")
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
    floor_cmd = [
        sys.executable,
        str(HERE / "bench_floor.py"),
        "--cards",
        str(args.cards),
        "--reviews",
        str(min(args.reviews, args.cards)),
        "--seed",
        str(args.seed),
    ]
    schema_floor_cmd = [*floor_cmd, "--schema", "ours"]
    baseline_cmd = [args.baseline_python, *ours_cmd[1:]] if args.baseline_python else None
    ours: list[dict[str, Any]] = []
    anki: list[dict[str, Any]] = []
    floor: list[dict[str, Any]] = []
    schema_floor: list[dict[str, Any]] = []
    baseline: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as neutral:

        def measure(cmd: list[str]) -> dict[str, Any]:
            result = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=neutral)
            return dict(json.loads(result.stdout))

        rotation = [(ours, ours_cmd), (anki, anki_cmd), (floor, floor_cmd), (schema_floor, schema_floor_cmd)]
        if baseline_cmd:
            rotation.append((baseline, baseline_cmd))
        for number in range(args.runs):
            # Every other rotation runs backwards, so that no side always follows the same one.
            for runs, cmd in rotation if number % 2 == 0 else reversed(rotation):
                runs.append(measure(cmd))

    def med(runs: list[dict[str, Any]], key: str) -> float:
        return statistics.median(float(run[key]) for run in runs)

    # (figure, our key, its scale, Anki's key, its scale)
    figures = [
        ("step median (us)", "step_median_us", 1, "step_median_us", 1),
        ("step p95 (us)", "step_p95_us", 1, "step_p95_us", 1),
        ("import per card, parse excluded (us)", "import_per_card_excl_parse_us", 1, "add_per_card_us", 1),
        ("import per card, parse included (us)", "import_per_card_us", 1, "add_per_card_us", 1),
        ("open + due counts (ms)", "open_s", 1000, "open_plus_counts_s_median", 1000),
        ("peak RSS (MB)", "peak_rss_mb", 1, "peak_rss_mib", 1),
    ]
    print(f"cards={args.cards} reviews={args.reviews} history={args.history} runs={args.runs} (medians)")
    print(f"immunoquiz imported from {ours[0]['package']}")
    if baseline:
        print(f"baseline imported from {baseline[0]['package']}")
    extra = f" {'baseline':>12} {'ratio':>7}" if baseline else ""
    print(f"{'figure':<40} {'immunoquiz':>12} {'anki':>12} {'ratio':>7}{extra}")
    for name, key, scale, anki_key, anki_scale in figures:
        mine, theirs = med(ours, key) * scale, med(anki, anki_key) * anki_scale
        line = f"{name:<40} {mine:>12.1f} {theirs:>12.1f} {mine / theirs:>7.2f}"
        if baseline:
            before = med(baseline, key) * scale
            line += f" {before:>12.1f} {before / theirs:>7.2f}"
        print(line)
    print(f"{'figure':<40} {'immunoquiz':>12} {'floor':>12} {'ratio':>7} {'our schema':>12} {'ratio':>7}")
    for name, key in (("step median (us)", "step_median_us"), ("step p95 (us)", "step_p95_us")):
        mine, bare, schema = med(ours, key), med(floor, key), med(schema_floor, key)
        print(f"{name:<40} {mine:>12.1f} {bare:>12.1f} {mine / bare:>7.2f} {schema:>12.1f} {mine / schema:>7.2f}")
    runs = {"ours": ours, "anki": anki, "floor": floor, "schema_floor": schema_floor, "baseline": baseline}
    # This machine's speed drifts between runs: the spread says how far the medians above can be trusted.
    spread = [
        f"{name} {min(r['step_median_us'] for r in each):.0f}-{max(r['step_median_us'] for r in each):.0f}"
        for name, each in runs.items()
        if each
    ]
    print(f"step medians of the single runs (us): {', '.join(spread)}")
    # A slow period lasts longer than a rotation, so the ratio within each rotation cancels most of it.
    paired = [
        f"{name} {_median_ratio(ours, each)}"
        for name, each in (("anki", anki), ("floor", floor), ("our schema", schema_floor), ("baseline", baseline))
        if each
    ]
    print(f"our step median over theirs, rotation by rotation (median, range): {', '.join(paired)}")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
