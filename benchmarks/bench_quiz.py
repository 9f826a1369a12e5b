"""Time a quiz paper on large collections: it must cost what the paper needs, not the collection.

Usage: python benchmarks/bench_quiz.py [--sizes 1000,10000,100000] [--runs 5] [--json]

For each size, a generated deck of that many cards of every type (quoting the
bundled article; every answer of one kind, so basic and typed cards have
choice forms whose distractors are searched for) is synced into a fresh
database, outside the timings. Then, in this process, on the open store:

- *first question*: ``make_paper`` for a one-question paper over every card
  (reading the cards to ask and the distractor pool from SQLite, drawing the
  card, making its form and distractors) and its first prompt;
- *whole paper*: the same for a 40-question paper, every question's form and
  distractors made.

Prints the medians of ``--runs`` runs with the seed varied, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deckgen import ARTICLE, compile_package, write_deck

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.sitting import make_paper
from immunoquiz.core.store import Store, open_store


def paper_ms(store: Store, count: int, seed: int) -> float:
    start = time.perf_counter()
    paper = make_paper(store, QuizRequest(count=count, seed=seed))
    assert len(paper.questions) == count and paper.questions[0].prompt.text
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    compile_package()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "decks"
            folder.mkdir()
            write_deck(folder / "big.yaml", "big", size, ARTICLE, answer_kind="word")
            store = open_store(Path(tmp) / "bench.db")
            store.sync([folder], datetime.now(UTC))
            first = statistics.median(paper_ms(store, 1, seed) for seed in range(args.runs))
            whole = statistics.median(paper_ms(store, 40, seed) for seed in range(args.runs))
            store.close()
        results.append({"cards": size, "first_question_ms": round(first, 1), "paper_40_ms": round(whole, 1)})
        if not args.json:
            print(f"{size:>7} cards: first question {first:8.1f} ms, 40-question paper {whole:8.1f} ms", flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
