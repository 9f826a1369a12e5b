"""Time start-up as a user meets it: the installed console script, launched cold.

Usage: python benchmarks/bench_startup.py [--runs 15]

The repository is built into a wheel and installed (byte-compiled, not
editable) into a throwaway environment; every child starts from an empty
folder, so none imports the working tree (the package location is printed).
Each figure is the median wall time of ``--runs`` interleaved launches, from
spawning the process until it exits:

(a) ``immunoquiz --version`` against ``python -c pass`` with the same
    interpreter: the interpreter's own start (and ``site``) on both sides; the
    console script's imports and the answer on ours. Target: within 2x.
(b) ``immunoquiz --help`` against the same ``python -c pass`` (for the
    record: it needs click).
(c) ``immunoquiz stats`` on a new database against ``immunoquiz stats`` on one
    already synced. Both: option parsing, opening the database, the deck sync
    of the bundled decks, the whole stats report and printing it. The new
    database adds creating the schema, reading and checking the bundled decks
    (YAML) and writing their cards. Target: within 1.5x.
(d) The study app (``immunoquiz`` with no command) on a new database against
    one already synced, run headless and exited once its home screen has been
    painted (``APP``): the same as (c) up to the deck sync, then Textual and
    the home screen's counts instead of the stats report. The database is a
    learner's first launch.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import installed_python, package_location

# The real command line, its app run headless and exited when its first screen has been painted.
APP = """
import sys
from textual.app import App

run = App.run


async def painted(pilot):
    await pilot.pause()
    pilot.app.exit()


App.run = lambda self, **kw: run(self, headless=True, auto_pilot=painted, **kw)
import immunoquiz.cli

immunoquiz.cli.terminal_problem = lambda: None  # headless: no terminal needed on either end
from immunoquiz.launch import main
sys.argv = ["immunoquiz", *sys.argv[1:]]
main()
"""


def launch(command: list[str], cwd: Path) -> float:
    """Wall seconds from spawning ``command`` in ``cwd`` until it exits (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        python = installed_python(Path(tmp) / "venv")
        script = str(python.parent / "immunoquiz")
        neutral = Path(tmp) / "neutral"
        neutral.mkdir()
        synced = str(Path(tmp) / "synced.db")
        launch([script, "--db", synced, "stats"], neutral)
        app = [str(python), "-c", APP, "--db"]
        times: dict[str, list[float]] = {
            name: [] for name in ("pass", "version", "help", "new", "synced", "app", "app_new")
        }
        for run in range(args.runs):
            times["pass"].append(launch([str(python), "-c", "pass"], neutral))
            times["version"].append(launch([script, "--version"], neutral))
            times["help"].append(launch([script, "--help"], neutral))
            times["new"].append(launch([script, "--db", str(Path(tmp) / f"new-{run}.db"), "stats"], neutral))
            times["synced"].append(launch([script, "--db", synced, "stats"], neutral))
            times["app_new"].append(launch([*app, str(Path(tmp) / f"app-{run}.db")], neutral))
            times["app"].append(launch([*app, synced], neutral))
        where = package_location(python, neutral)
    ms = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"immunoquiz imported from {where}; medians of {args.runs} interleaved launches")
    print(f"(a) immunoquiz --version       {ms['version']:6.1f} ms")
    print(f"    python -c pass             {ms['pass']:6.1f} ms")
    print(f"    ratio                      {ms['version'] / ms['pass']:6.2f}x (target <= 2x)")
    print(f"(b) immunoquiz --help          {ms['help']:6.1f} ms ({ms['help'] / ms['pass']:.2f}x python -c pass)")
    print(f"(c) stats, new database        {ms['new']:6.1f} ms")
    print(f"    stats, synced database     {ms['synced']:6.1f} ms")
    print(f"    ratio                      {ms['new'] / ms['synced']:6.2f}x (target <= 1.5x)")
    print(f"(d) app to home, new database  {ms['app_new']:6.1f} ms")
    print(f"    app to home, synced        {ms['app']:6.1f} ms")
    print(f"    ratio                      {ms['app_new'] / ms['app']:6.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
