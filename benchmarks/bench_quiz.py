"""Time a quiz paper on large collections: it must cost what the paper needs, not the collection.

Usage: python benchmarks/bench_quiz.py [--sizes 1000,10000,100000] [--runs 5] [--json] [--launch]

For each size, a generated deck of that many cards of every type (quoting the
bundled article; every answer of one kind, so basic and typed cards have
choice forms whose distractors are searched for) is synced into a fresh
database, outside the timings. Then, in this process, on the open store:

- *first question*: ``make_paper`` for a one-question paper over every card
  (listing the cards to ask from SQLite, drawing the card, reading it whole,
  making its form and searching the distractor pool's stored answers) and
  its first prompt;
- *whole paper*: the same for a 40-question paper, every question's form and
  distractors made.

With ``--launch``, also, as a learner meets it: the wall time from starting
``immunoquiz quiz --plain -n 40`` to its first question printed, against
``immunoquiz review --plain`` to its first card printed, on the same database
and decks. Both launch the console script of a non-editable install
(``installed.py``) from an empty folder, open the database, sync the decks
(unchanged: nothing parsed) and build their paper or queue; each is run once
untimed first (the day's first open makes a backup), then alternately.

Prints the medians of ``--runs`` runs with the seed varied, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deckgen import ARTICLE, compile_package, write_deck
from installed import installed_python

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.sitting import make_paper
from immunoquiz.core.store import Store, open_store


def paper_ms(store: Store, count: int, seed: int) -> float:
    start = time.perf_counter()
    paper = make_paper(store, QuizRequest(count=count, seed=seed))
    assert len(paper.questions) == count and paper.questions[0].prompt.text
    return (time.perf_counter() - start) * 1000


def first_prompt_ms(command: list[str], cwd: Path) -> float:
    """Milliseconds from launching a line-mode command to its first prompt (``Q:``) on standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=cwd
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("Q:"):
                return (time.perf_counter() - start) * 1000
        raise RuntimeError(f"no prompt from {' '.join(command)}")
    finally:
        proc.kill()
        proc.wait()


def launches(script: Path, db: Path, folder: Path, runs: int, cwd: Path) -> tuple[float, float]:
    """The median first-prompt times of ``quiz --plain -n 40`` and ``review --plain``, interleaved."""
    common = ["--db", str(db), "--decks", str(folder)]
    quiz = [str(script), "quiz", "--plain", "-n", "40", *common]
    review = [str(script), "review", "--plain", *common]
    first_prompt_ms([*quiz, "--seed", "0"], cwd), first_prompt_ms(review, cwd)
    quiz_ms, review_ms = [], []
    for seed in range(runs):
        quiz_ms.append(first_prompt_ms([*quiz, "--seed", str(seed)], cwd))
        review_ms.append(first_prompt_ms(review, cwd))
    return statistics.median(quiz_ms), statistics.median(review_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--launch", action="store_true", help="also time both commands to their first prompt")
    args = parser.parse_args()
    compile_package()
    results: list[dict[str, object]] = []
    work = Path(tempfile.mkdtemp(prefix="bench-quiz-"))
    script = installed_python(work / "venv").parent / "immunoquiz" if args.launch else None
    (work / "cwd").mkdir()
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
            result: dict[str, object] = {"cards": size, "first_question_ms": round(first, 1)}
            result["paper_40_ms"] = round(whole, 1)
            line = f"{size:>7} cards: first question {first:8.1f} ms, 40-question paper {whole:8.1f} ms"
            if script is not None:
                quiz_ms, review_ms = launches(script, Path(tmp) / "bench.db", folder, args.runs, work / "cwd")
                result |= {"quiz_launch_ms": round(quiz_ms), "review_launch_ms": round(review_ms)}
                line += f"; launched: quiz {quiz_ms:6.0f} ms, review {review_ms:6.0f} ms ({quiz_ms / review_ms:.2f}x)"
        results.append(result)
        if not args.json:
            print(line, flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
