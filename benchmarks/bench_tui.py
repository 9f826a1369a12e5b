"""Time the study app on a generated 10,000-card deck.

Usage: python benchmarks/bench_tui.py [--cards 10000] [--runs 7] [--ratings 200]

(a) Launch to first card: wall time from starting a process that runs
``immunoquiz study --deck big`` (the real command line: option parsing, opening
the database, the deck sync, which skips the unchanged decks, building the
session queue, the app) until the first card has been painted, and the process
has exited. The app runs headless: the driver process patches ``App.run`` to
``headless=True`` and makes the study screen exit right after the first card's
refresh. A minimal Textual app showing one ``Static`` is launched the same way
(exit after its first refresh) in the same run, interleaved; the medians are
compared. The database is synced once beforehand (the first launch with a new
deck is reported separately: it parses the 10,000 cards).

Both children run the package as installed: the repository is built into a
wheel and installed, byte-compiled, into a throwaway environment, and every
child starts from an empty folder, so none imports the working tree (the
package location is printed).

(b) Rating to next card: in one process, the app over the same database with
the real clock, driven by Pilot, studying the big deck in review mode (not
cram) with FSRS on: daily limits lifted, and a review history that makes some
of its cards due reviews beside the new ones. For each card, Space reveals it
(and shows the four buttons' intervals); then the time from sending the key
``3`` (before ``Pilot.press``) until the refresh after the next card was put
on screen (``call_after_refresh`` from ``show_card``) is taken. That includes
the FSRS answer and the committed review (``synchronous=FULL``), the next
queue pick, its four next states, and the repaint, plus Pilot's own key
delivery: an upper bound. Median and p95 are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import LIFTED, add_history
from deckgen import ARTICLE, write_deck
from installed import installed_python, package_location

DRIVER = """
import sys
from textual.app import App
from immunoquiz.tui.screens.study import StudyScreen

run = App.run
App.run = lambda self, **kw: run(self, headless=True, **kw)
show_card = StudyScreen.show_card

def first_card(self, showing):
    show_card(self, showing)
    self.app.call_after_refresh(self.app.exit)

StudyScreen.show_card = first_card
import immunoquiz.cli

immunoquiz.cli.terminal_problem = lambda: None  # headless: no terminal needed on either end
from immunoquiz.cli import main
sys.argv = ["immunoquiz", *sys.argv[1:]]
main()
"""

MINIMAL = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("What is currently the most widely used form of cancer immunotherapy?")

    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""


def launch(python: Path, cwd: Path, code: str, *args: str) -> float:
    """Wall seconds from spawning ``python -c code args`` in ``cwd`` until it exits."""
    start = time.perf_counter()
    subprocess.run([python, "-c", code, *args], check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def answers_since(db: Path, started_ms: int) -> str:
    """What the timed answers were, by the phase each card was in: ``120 new, 80 review``."""
    import sqlite3

    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT phase_before, count(*) FROM reviews WHERE mode = 'review' AND time_ms >= ? GROUP BY phase_before",
            (started_ms,),
        ).fetchall()
    return ", ".join(f"{count} {names[phase]}" for phase, count in rows)


def prepare_reviews(db: Path, decks: Path, history: int) -> None:
    """Lift the big deck's daily limits and give it a review history, some of its cards due now."""
    from datetime import datetime

    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.workspace import open_workspace
    from immunoquiz.paths import bundled_decks_dir

    workspace = open_workspace(db, [bundled_decks_dir(), decks], system_clock)
    store = workspace.store
    store.set_deck_options("big", LIFTED)
    add_history(store, history, datetime.now().astimezone(), random.Random(1))
    store.close()


async def rating_latencies(db: Path, decks: Path, ratings: int) -> list[float]:
    """Seconds from the rating key to the next card painted, per card."""
    from textual.widgets import Input

    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.selection import Selection
    from immunoquiz.core.workspace import open_workspace
    from immunoquiz.paths import bundled_decks_dir
    from immunoquiz.tui.app import ImmunoquizApp
    from immunoquiz.tui.screens.study import StudyScreen

    painted: list[float] = []
    show_card = StudyScreen.show_card

    def timed(self: StudyScreen, showing: object) -> None:
        show_card(self, showing)  # type: ignore[arg-type]
        self.app.call_after_refresh(lambda: painted.append(time.perf_counter()))

    StudyScreen.show_card = timed  # type: ignore[method-assign]
    workspace = open_workspace(db, [bundled_decks_dir(), decks], system_clock)
    app = ImmunoquizApp(workspace, Selection(decks=("big",)))
    latencies = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(ratings):
            if isinstance(app.focused, Input):
                await pilot.press("escape")  # leave the answer box: Space then reveals
            await pilot.press("space")
            await pilot.pause()
            before = len(painted)
            start = time.perf_counter()
            await pilot.press("3")
            while len(painted) == before:
                assert app.is_running and isinstance(app.screen, StudyScreen)
                await pilot.pause()
            latencies.append(painted[before] - start)
    workspace.store.close()
    StudyScreen.show_card = show_card  # type: ignore[method-assign]
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--ratings", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        python = installed_python(Path(tmp) / "venv")
        neutral = Path(tmp) / "neutral"
        neutral.mkdir()
        decks = Path(tmp) / "decks"
        decks.mkdir()
        write_deck(decks / "big.yaml", "big", args.cards, ARTICLE)
        db = Path(tmp) / "bench.db"
        study = ("study", "--deck", "big", "--decks", str(decks), "--db", str(db))
        first = launch(python, neutral, DRIVER, *study)
        ours, minimal = [], []
        for _ in range(args.runs):
            ours.append(launch(python, neutral, DRIVER, *study))
            minimal.append(launch(python, neutral, MINIMAL))
        ours_median, minimal_median = statistics.median(ours), statistics.median(minimal)
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        print(f"immunoquiz imported from {package_location(python, neutral)}")
        print(f"(a) launch to first card, {args.cards} cards, median of {args.runs} interleaved runs:")
        print(f"    immunoquiz study --deck big  {ours_median * 1000:7.0f} ms")
        print(f"    minimal Textual app (Static) {minimal_median * 1000:7.0f} ms")
        print(f"    ratio                        {ours_median / minimal_median:7.2f}x (target <= 1.5x)")
        print(f"    first launch with the new deck (parse and sync {args.cards} cards): {first * 1000:.0f} ms")
        # History on about half of the cards: some hundreds of due reviews beside the new cards.
        prepare_reviews(db, decks, args.cards * 10)
        started_ms = time.time_ns() // 1_000_000
        latencies = asyncio.run(rating_latencies(db, decks, args.ratings))
        answered = answers_since(db, started_ms)
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(f"(b) rating key to next card painted, {len(latencies)} cards in review mode with FSRS")
        print(f"    ({answered}; real clock, FULL sync):")
        print(f"    median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (target < 30 ms)")


if __name__ == "__main__":
    main()
