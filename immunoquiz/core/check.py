"""``immunoquiz check``: check many deck files and collect the outcome."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from immunoquiz.core.card_form import form_problems
from immunoquiz.core.deckfiles import NO_DECK_FILES, iter_deck_files
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.distractors import MIN_DISTRACTORS, DistractorPool, answer_kind
from immunoquiz.core.facts import card_fact, overlaps
from immunoquiz.core.model import Basic, Card, Choice, Cloze, Deck, Numeric, Typed
from immunoquiz.core.reader import DeckFile, read_deck
from immunoquiz.core.source import SourceCache
from immunoquiz.core.text import counted
from immunoquiz.core.vocabulary import Vocabulary, read_vocabulary, vocabulary_path


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
    context: tuple[Deck, ...] = ()
    """The decks read for context only (see ``check_paths``): quiz distractors are drawn from them too."""

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
        pool = DistractorPool(card for deck in (*self.context, *self.decks) for card in deck.cards)
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


def check_paths(
    paths: Iterable[Path], strict: bool = False, context: Iterable[Path] = (), named: Collection[Path] = ()
) -> CheckResult:
    """Check deck files and folders of deck files.

    Args:
        paths: Files and folders, as the user named them.
        strict: Make warnings errors.
        context: Folders the app loads before ``paths`` (the bundled decks, for
            ``check --decks DIR``): read first, as the app reads them, so that
            a deck id of ``paths`` they already use, or a card of ``paths``
            repeating or showing one of theirs, is reported; their own
            problems are not (a file also in ``paths`` is checked).
        named: Those of ``paths`` named to be checked for their decks (``check
            PATH``): one that is a folder holding no deck file is an error, so
            that nothing checked never passes for no problems. (A ``--decks``
            folder may hold sources alone, to let decks quote them.)

    Returns:
        The outcome, with diagnostics in the order the files were read.
    """
    paths, context = list(paths), list(context)
    checked_files = {file.resolve() for file in iter_deck_files(p for p in paths if p.exists())}
    context_files = [
        file for file in iter_deck_files(p for p in context if p.exists()) if file.resolve() not in checked_files
    ]
    sources = SourceCache(p if p.is_dir() else p.parent for p in (*context, *paths))
    run = _Run(strict)
    for file in context_files:
        run.read(file, sources, checked=False)
    read: set[Path] = set()
    for path in paths:
        if not path.exists():
            run.add(Diagnostic(str(path), 1, 1, "error", "missing-file", "no such file or folder"))
            continue
        files = list(iter_deck_files([path]))
        if not files and path in named and path.is_dir():
            run.add(Diagnostic(str(path), 1, 1, "error", "no-deck-files", NO_DECK_FILES))
        for file in files:
            # A file reached twice (a remembered folder given again with --decks, a file in a folder named) is one deck.
            if file.resolve() not in read:
                read.add(file.resolve())
                run.read(file, sources, checked=True)
    run.add_all(_unshared_kinds(run.decks, run.read_files, run.checked))
    run.add_all(_vocabulary_problems(paths, run))
    run.add_all(_form_problems(run))
    run.add_all(_overlap_problems(run))
    checked = [n for n, is_checked in enumerate(run.checked) if is_checked]
    return CheckResult(
        run.files,
        run.cards,
        tuple(run.decks[n] for n in checked),
        run.diagnostics(),
        strict,
        tuple(str(run.read_files[n].path) for n in checked),
        tuple(deck for n, deck in enumerate(run.decks) if not run.checked[n]),
    )


class _Run:
    """The decks of one check run, read in order, and what was found in the files checked."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.decks: list[Deck] = []
        self.read_files: list[DeckFile] = []
        self.checked: list[bool] = []
        self.files = self.cards = 0
        self._found: dict[str, list[Diagnostic]] = {}
        self._first_file: dict[str, tuple[str, bool]] = {}

    def add(self, diagnostic: Diagnostic) -> None:
        self._found.setdefault(diagnostic.path, []).append(diagnostic)

    def add_all(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic, file by file in reading order, each file's by line and column."""
        return tuple(d for found in self._found.values() for d in sorted(found, key=lambda d: (d.line, d.column)))

    def read(self, file: Path, sources: SourceCache, checked: bool) -> None:
        outcome = read_deck(file, str(file), sources)
        if checked:
            self.files += 1
            self.cards += outcome.cards
            found = outcome.diagnostics
            if self.strict:
                found = [replace(d, severity="error") for d in found]
            self._found.setdefault(str(file), [])
            self.add_all(found)
        deck = outcome.deck
        if deck is None:
            return
        if deck.id in self._first_file:
            first, first_checked = self._first_file[deck.id]
            message = (
                f"deck id `{deck.id}` is also used by {first}: deck ids must be unique"
                if first_checked
                else f"deck id `{deck.id}` is also used by {first}, which the app loads first:"
                " it would skip this deck; give it another id"
            )
            if checked:
                self.add(Diagnostic(str(file), 1, 1, "error", "duplicate-deck-id", message))
            return
        self._first_file[deck.id] = (str(file), checked)
        self.decks.append(deck)
        self.read_files.append(outcome)
        self.checked.append(checked)

    def warning(self, path: str, mark: tuple[int, int], code: str, message: str) -> Diagnostic:
        """A diagnostic of the checks made once every deck is read: a warning, an error when strict."""
        return Diagnostic(path, mark[0], mark[1], "error" if self.strict else "warning", code, message)


def _vocabulary_problems(paths: list[Path], run: _Run) -> Iterator[Diagnostic]:
    """A malformed vocabulary of a folder checked, and each tag outside its folder's vocabulary."""
    vocabularies: dict[Path, Vocabulary | None] = {}
    folders = [p if p.is_dir() else p.parent for p in paths if p.exists()]
    folders += [outcome.path.parent for n, outcome in enumerate(run.read_files) if run.checked[n]]
    for folder in folders:
        if folder in vocabularies:
            continue
        path = vocabulary_path(folder)
        vocabularies[folder] = None
        if path.exists():
            vocabulary, problems = read_vocabulary(path)
            vocabularies[folder] = vocabulary
            yield from (replace(d, severity="error") for d in problems)
    for n, outcome in enumerate(run.read_files):
        vocabulary = vocabularies.get(outcome.path.parent)
        if not run.checked[n] or vocabulary is None:
            continue
        for card in run.decks[n].cards:
            places = outcome.places[card.id]
            for tag, mark in zip(card.tags, places.tags, strict=False):
                why = vocabulary.outside(tag)
                if why is not None:
                    yield run.warning(str(outcome.path), mark, "tag-outside-vocabulary", f"card `{card.id}`: {why}")


def _form_problems(run: _Run) -> Iterator[Diagnostic]:
    """Weak card forms (``core.card_form``) in the decks checked."""
    for n, outcome in enumerate(run.read_files):
        if not run.checked[n]:
            continue
        for card in run.decks[n].cards:
            for problem in form_problems(card):
                mark = outcome.places[card.id].of(problem.field)
                yield run.warning(str(outcome.path), mark, problem.code, f"card `{card.id}`: {problem.message}")


def _overlap_problems(run: _Run) -> Iterator[Diagnostic]:
    """Cards that teach another's fact or show another's answer (``core.facts``), across every deck read.

    An overlap with a deck not checked (the bundled decks of ``check --decks``)
    is reported at the card checked, whichever card is at fault.
    """
    where: dict[int, tuple[DeckFile, bool]] = {}
    cards = []
    for n, deck in enumerate(run.decks):
        for card in deck.cards:
            where[id(card)] = run.read_files[n], run.checked[n]
            cards.append(card)

    def named(card: Card) -> str:
        outcome = where[id(card)][0]
        return f"`{card.deck_id}/{card.id}` ({outcome.path}:{outcome.places[card.id].card[0]})"

    for overlap in overlaps(cards):
        card = overlap.card
        outcome, checked = where[id(card)]
        if checked:
            other = overlap.others[0]
            more = len(overlap.others) - 1
            also = f" (and {counted(more, 'other card')})" if more else ""
            if overlap.kind == "same-fact":
                message = (
                    f"card `{card.id}` teaches the same fact as {named(other)}{also}: the same quote and the answer"
                    f" `{overlap.answer}`; keep one card (the other retires), or quote the passage of another fact"
                )
                yield run.warning(str(outcome.path), outcome.places[card.id].card, "same-fact", message)
            else:
                message = (
                    f"card `{card.id}` shows `{overlap.answer}`, the answer of {named(other)}{also}, which quotes"
                    " the same passage: reword its text or keep one card"
                )
                mark = outcome.places[card.id].of(_shown_field(card))
                yield run.warning(str(outcome.path), mark, "shows-answer", message)
            continue
        # A card not checked is at fault: the cards checked that it overlaps with are told.
        shown = card_fact(card)
        for other in overlap.others if overlap.kind == "shows-answer" else ():
            other_outcome, other_checked = where[id(other)]
            if other_checked:
                answer = shown.shows_answer_of(card_fact(other))
                message = (
                    f"the answer `{answer}` of card `{other.id}` is shown by {named(card)}, which quotes the"
                    " same passage: ask another fact, or drop the card"
                )
                yield run.warning(str(other_outcome.path), other_outcome.places[other.id].card, "shows-answer", message)


def _shown_field(card: Card) -> str:
    """The key of the text a card shows: a cloze's ``text``, a basic card's ``front``, else ``question``."""
    if isinstance(card.body, Cloze):
        return "text"
    return "front" if isinstance(card.body, Basic) else "question"


def _unshared_kinds(decks: list[Deck], read: list[DeckFile], checked: list[bool]) -> list[Diagnostic]:
    """A kind that no other card shares gives no distractor and offers none: most likely a typo."""
    counts = Counter(
        kind for deck in decks for card in deck.cards if (kind := answer_kind(card)) is not None and card.answer_texts()
    )
    shared = sorted(kind for kind, n in counts.items() if n > 1)
    found = []
    for outcome, is_checked in zip(read, checked, strict=True):
        for kind, (line, column) in outcome.kind_marks.items() if is_checked else ():
            if counts[kind] > 1:
                continue
            close = difflib.get_close_matches(kind, shared, n=1, cutoff=0.6)
            fix = f"did you mean `{close[0]}`?" if close else f"use a kind other cards have ({', '.join(shared)})"
            message = f"kind `{kind}` is shared by no other card, so no answer can be its distractor: {fix}"
            found.append(
                Diagnostic(str(outcome.path), line, column, "error", "unshared-kind", message + " Or remove it.")
            )
    return found
