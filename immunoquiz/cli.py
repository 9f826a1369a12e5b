"""The ``immunoquiz`` command line.

Commands import what they need when they run, so that ``--help`` and
``check`` stay fast and never load Textual.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from immunoquiz import __version__


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="immunoquiz")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Flashcards and quizzes in the terminal, checked against their source."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--decks", "deck_dirs", multiple=True, type=click.Path(path_type=Path), help="Also check the decks in DIR.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(paths: tuple[Path, ...], deck_dirs: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check deck files (default: the bundled decks).

    Problems are printed as path:line:col: error: message. The exit status is
    1 if any error (or, with --strict, any warning) was found.
    """
    from immunoquiz.core.check import check_paths
    from immunoquiz.paths import bundled_decks_dir

    targets = list(paths) + list(deck_dirs)
    if not targets:
        targets = [bundled_decks_dir()]
    result = check_paths(targets, strict=strict)
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        for diagnostic in result.diagnostics:
            click.echo(diagnostic.format())
        click.echo(result.summary(), err=True)
    sys.exit(1 if result.failed else 0)


def main() -> None:
    """Console-script entry point."""
    cli()
