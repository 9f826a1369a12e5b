"""The console script: answers ``--version`` before importing click or the command line.

``import click`` alone costs several times a bare interpreter's start, so the
one question that needs nothing else is answered here.
"""

from __future__ import annotations

import sys

from immunoquiz import __version__


def main() -> None:
    """Console-script entry point: ``--version`` here, everything else through ``immunoquiz.cli``."""
    if sys.argv[1:] == ["--version"]:
        print(f"immunoquiz, version {__version__}")  # click's version_option wording, as in cli
        return
    from immunoquiz.cli import main as cli_main

    cli_main()
