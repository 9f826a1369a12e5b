"""``immunoquiz check``: check many deck files and collect the outcome."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.distractors import MIN_DISTRACTORS, DistractorPool, answer_kind
from immunoquiz.core.model import Basic, Choice, Deck, Numeric, Typed
from immunoquiz.core.reader import DeckFile, read_deck
from immunoquiz.core.source import SourceCache
from immunoquiz.core.text import counted


@dataclass(frozen=True, slots=True)
class CardDistractors:
    """The distractors a quiz would draw for one card, or why it has no choice form.

    Attributes:
        path: The deck file, as the user named it.
        line: The card's line.
        deck_id: Its deck.
        card_id: The card.
        kind: Its answer's kind, if any.
        distractors: The candidates a quiz draws its wrong options from, best first.
        reason: Why the card has no choice form; None when it has one.
    """

    path: str
    line: int
    deck_id: str
    card_id: str
    kind: str | None
    distractors: tuple[str, ...]
    reason: str | None

    def format(self) -> str:
        """``path:line: card [kind]: a | b | c``, or the reason there is no choice form."""
        head = f"{self.path}:{self.line}: {self.card_id}" + (f" [{self.kind}]" if self.kind else "")
        if self.reason is not None:
            return f"{head}: no choice form: {self.reason}"
        return f"{head}: " + " | ".join(self.distractors)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "deck": self.deck_id,
            "card": self.card_id,
            "kind": self.kind,
            "distractors": list(self.distractors),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class CheckResult:
    """Every diagnostic of a check run, and the decks that passed.

    Attributes:
        files: How many deck files were read.
        cards: How many card entries they hold, in decks read or not.
        decks: The decks read without error.
        diagnostics: Everything found, in file order.
        strict: Whether warnings count as errors.
    """

    files: int
    cards: int
    decks: tuple[Deck, ...]
    diagnostics: tuple[Diagnostic, ...]
    strict: bool = False
    paths: tuple[str, ...] = ()
    """How the user named each deck of ``decks``, in the same order."""

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
        head = f"{counted(self.files, 'deck file')}, {counted(self.cards, 'card')}"
        if not self.diagnostics:
            return f"{head}: no problems"
        return f"{head}: {counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping for ``--format json``."""
        return {
            "files": self.files,
            "cards": self.cards,
            "errors": self.errors,
            "warnings": self.warnings,
            "ok": not self.failed,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }

    def distractors(self) -> tuple[CardDistractors, ...]:
        """For every basic, choice, typed and numeric card, what ``--show-distractors`` prints.

        The pool is every deck read, as a quiz over them draws from every deck of its run.
        """
        pool = DistractorPool(card for deck in self.decks for card in deck.cards)
        found = []
        for path, deck in zip(self.paths, self.decks, strict=True):
            for card in deck.cards:
                if not isinstance(card.body, (Basic, Choice, Typed, Numeric)):
                    continue
                kind = answer_kind(card)
                drawn = tuple(text for _, text in pool.candidates(card))
                reason = None
                if not card.quiz.choice:
                    reason = "the card says `choice: false`"
                elif len(drawn) < MIN_DISTRACTORS:
                    if isinstance(card.body, Choice) or card.quiz.distractors:
                        reason = f"only {len(drawn)} of its distractors are sound (not right by its own quote)"
                    elif kind is None:
                        reason = "its answer has no kind: give it a `kind` (or a tag one in `kinds`), or `distractors`"
                    else:
                        reason = (
                            f"its kind `{kind}` gives only {len(drawn)} sound distractors, {MIN_DISTRACTORS} needed"
                        )
                found.append(CardDistractors(path, card.line, deck.id, card.id, kind, drawn, reason))
        return tuple(found)


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
    read: list[DeckFile] = []
    diagnostics: list[Diagnostic] = []
    first_file: dict[str, str] = {}
    files = cards = 0
    for path in paths:
        if not path.exists():
            diagnostics.append(Diagnostic(str(path), 1, 1, "error", "missing-file", "no such file or folder"))
            continue
        for file in iter_deck_files([path]):
            files += 1
            outcome = read_deck(file, str(file), sources)
            cards += outcome.cards
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
            read.append(outcome)
    diagnostics.extend(_unshared_kinds(decks, read))
    return CheckResult(files, cards, tuple(decks), tuple(diagnostics), strict, tuple(str(r.path) for r in read))


def _unshared_kinds(decks: list[Deck], read: list[DeckFile]) -> list[Diagnostic]:
    """A kind that no other card shares gives no distractor and offers none: most likely a typo."""
    counts = Counter(
        kind for deck in decks for card in deck.cards if (kind := answer_kind(card)) is not None and card.answer_texts()
    )
    shared = sorted(kind for kind, n in counts.items() if n > 1)
    found = []
    for outcome in read:
        for kind, (line, column) in outcome.kind_marks.items():
            if counts[kind] > 1:
                continue
            close = difflib.get_close_matches(kind, shared, n=1, cutoff=0.6)
            fix = f"did you mean `{close[0]}`?" if close else f"use a kind other cards have ({', '.join(shared)})"
            message = f"kind `{kind}` is shared by no other card, so no answer can be its distractor: {fix}"
            found.append(
                Diagnostic(str(outcome.path), line, column, "error", "unshared-kind", message + " Or remove it.")
            )
    return found
