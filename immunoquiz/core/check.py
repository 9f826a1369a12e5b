"""``immunoquiz check``: check many deck files and collect the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.model import Deck
from immunoquiz.core.reader import read_deck
from immunoquiz.core.source import SourceCache
from immunoquiz.core.text import counted


@dataclass(frozen=True)
class CheckResult:
    """Every diagnostic of a check run, and the decks that passed.

    Attributes:
        files: How many deck files were read.
        decks: The decks read without error.
        diagnostics: Everything found, in file order.
        strict: Whether warnings count as errors.
    """

    files: int
    decks: tuple[Deck, ...]
    diagnostics: tuple[Diagnostic, ...]
    strict: bool = False

    @property
    def errors(self) -> int:
        """How many errors were found."""
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        """How many warnings were found."""
        return sum(d.severity == "warning" for d in self.diagnostics)

    @property
    def failed(self) -> bool:
        """Whether the check fails (errors, or warnings when strict)."""
        return self.errors > 0 or (self.strict and self.warnings > 0)

    def summary(self) -> str:
        """One line for people, such as ``6 decks, 160 cards: no problems``."""
        cards = sum(len(d.cards) for d in self.decks)
        head = f"{counted(self.files, 'deck file')}, {counted(cards, 'card')}"
        if not self.diagnostics:
            return f"{head}: no problems"
        return f"{head}: {counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping for ``--format json``."""
        return {
            "files": self.files,
            "cards": sum(len(d.cards) for d in self.decks),
            "errors": self.errors,
            "warnings": self.warnings,
            "ok": not self.failed,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


def check_paths(paths: Iterable[Path], strict: bool = False) -> CheckResult:
    """Check deck files and folders of deck files.

    Args:
        paths: Files and folders, as the user named them.
        strict: Make warnings errors.

    Returns:
        The outcome, with diagnostics in the order the files were read.
    """
    paths = list(paths)
    sources = SourceCache(p if p.is_dir() else p.parent for p in paths)
    decks: list[Deck] = []
    diagnostics: list[Diagnostic] = []
    first_file: dict[str, str] = {}
    files = 0
    for path in paths:
        if not path.exists():
            diagnostics.append(Diagnostic(str(path), 1, 1, "error", "missing-file", "no such file or folder"))
            continue
        for file in iter_deck_files([path]):
            files += 1
            outcome = read_deck(file, str(file), sources)
            found = outcome.diagnostics
            if strict:
                found = [replace(d, severity="error") for d in found]
            diagnostics.extend(found)
            deck = outcome.deck
            if deck is None:
                continue
            if deck.id in first_file:
                diagnostics.append(
                    Diagnostic(
                        str(file),
                        1,
                        1,
                        "error",
                        "duplicate-deck-id",
                        f"deck id `{deck.id}` is also used by {first_file[deck.id]}: deck ids must be unique",
                    )
                )
                continue
            first_file[deck.id] = str(file)
            decks.append(deck)
    return CheckResult(files, tuple(decks), tuple(diagnostics), strict)
