"""Source documents that decks quote."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path

from immunoquiz.core.text import figures_in, fold_typography, normalise_quote, numbers_in

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a source document, from one heading to the next.

    Attributes:
        title: The heading line.
        first_line: 0-based index of the heading.
        end_line: 0-based index of the next heading (exclusive).
    """

    title: str
    first_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Passage:
    """The passage of a source closest to a quote that is not in it.

    Attributes:
        line: Its 1-based line in the source.
        text: The passage, typography folded.
        differences: What differs, word by word, first difference first
            (``"all" where the source has "many"``).
    """

    line: int
    text: str
    differences: tuple[str, ...]


# Words and single marks: a quote is compared with its source token by token.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
# Differences named in a message: enough to fix the quote in one go, short enough for one line.
MAX_DIFFERENCES = 3


def _span(text: str, tokens: list[re.Match[str]]) -> str:
    """The text from the first token to the last, as written."""
    return text[tokens[0].start() : tokens[-1].end()] if tokens else ""


# A lone mark in quotes ('"""') is hard to read: it is named instead.
_MARKS = {'"': "a double quote", "'": "an apostrophe", "-": "a hyphen", ",": "a comma", ".": "a full stop"}


def _show(text: str) -> str:
    return _MARKS.get(text, f'"{text}"')


def _differences(quote: str, quoted: list[re.Match[str]], line: str, source: list[re.Match[str]]) -> tuple[str, ...]:
    found = []
    matcher = SequenceMatcher(None, [t.group() for t in quoted], [t.group() for t in source], autojunk=False)
    for op, q1, q2, s1, s2 in matcher.get_opcodes():
        ours, theirs = _span(quote, quoted[q1:q2]), _span(line, source[s1:s2])
        if op == "replace":
            found.append(f"{_show(ours)} where the source has {_show(theirs)}")
        elif op == "delete":
            found.append(f"{_show(ours)}, which the source does not have")
        elif op == "insert":
            found.append(f"no {_show(theirs)}, which the source has")
    return tuple(found[:MAX_DIFFERENCES])


MAX_SOURCE_BYTES = 50_000_000
"""A source larger than this is refused (an article is some kilobytes; a book some megabytes)."""

_LIST_ITEM = re.compile(r"^(?:[•*\-]|\d+[.)])\s")
MAX_HEADING = 80


@dataclass(frozen=True)
class SourceDocument:
    """A source document and its folded text, for quote lookups."""

    path: Path
    text: str
    _found: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _sections_of: dict[str, int | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        """Read a UTF-8 source document of at most ``MAX_SOURCE_BYTES``.

        Args:
            path: The file.

        Returns:
            The document.

        Raises:
            OSError: The file cannot be read, or is too large.
            UnicodeDecodeError: The file is not UTF-8.
        """
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            raise OSError(f"it is larger than {MAX_SOURCE_BYTES // 1_000_000} MB, too large for a source document")
        return cls(path, data.decode("utf-8"))

    @cached_property
    def folded(self) -> str:
        """The text folded line by line (see ``fold_typography``).

        Lines stay apart, so a quote cannot run from one paragraph or list
        item into the next.
        """
        return "\n".join(fold_typography(line) for line in self.text.splitlines())

    @cached_property
    def lines(self) -> list[str]:
        """The folded lines, each a paragraph, list item or heading."""
        return self.folded.split("\n")

    @cached_property
    def sections(self) -> list[Section]:
        """The document split at its headings: short lines that are not list
        items and do not end like a sentence, after a blank line.

        Text before the first heading belongs to a section titled by the first line.
        """
        starts: list[tuple[int, str]] = []
        previous_blank = True
        for number, line in enumerate(self.lines):
            if (
                previous_blank
                and line
                and len(line) <= MAX_HEADING
                and not _LIST_ITEM.match(line)
                and line[-1] not in ".:;,"
            ):
                starts.append((number, line))
            previous_blank = not line
        if not starts or starts[0][0] != 0:
            starts.insert(0, (0, self.lines[0] if self.lines else ""))
        ends = [start for start, _ in starts[1:]] + [len(self.lines)]
        return [Section(title, start, end) for (start, title), end in zip(starts, ends, strict=False)]

    def section_of(self, quote: str) -> int | None:
        """The index in ``sections`` of the section a quote comes from, or None if not found."""
        if quote in self._sections_of:
            return self._sections_of[quote]
        needle = normalise_quote(quote)
        found = None
        if needle:
            line = next((n for n, text in enumerate(self.lines) if needle in text), None)
            if line is not None:
                found = next(i for i, s in enumerate(self.sections) if s.first_line <= line < s.end_line)
        self._sections_of[quote] = found
        return found

    def closest_passage(self, quote: str) -> Passage | None:
        """The passage of one line that shares the most words, in order, with a quote.

        Args:
            quote: A quote not found in the document.

        Returns:
            The passage with what differs, or None if no line shares a word with it.
        """
        needle = normalise_quote(quote)
        quoted = list(_TOKEN.finditer(needle))
        words = [t.group() for t in quoted]
        best: tuple[int, int, list[re.Match[str]], int, int] | None = None  # matched, line, its tokens, span
        for number, line in enumerate(self.lines):
            tokens = list(_TOKEN.finditer(line))
            blocks = [
                b
                for b in SequenceMatcher(None, words, [t.group() for t in tokens], autojunk=False).get_matching_blocks()
                if b.size
            ]
            matched = sum(b.size for b in blocks)
            if blocks and (best is None or matched > best[0]):
                # The passage runs from the first word matched to the last, widened by what the quote has beyond them.
                start = max(0, blocks[0].b - blocks[0].a)
                end = min(len(tokens), blocks[-1].b + blocks[-1].size + len(quoted) - blocks[-1].a - blocks[-1].size)
                best = (matched, number, tokens, start, end)
        if best is None:
            return None
        _, number, tokens, start, end = best
        line, passage = self.lines[number], tokens[start:end]
        return Passage(number + 1, _span(line, passage), _differences(needle, quoted, line, passage))

    def contains_quote(self, quote: str) -> bool:
        """Whether ``quote`` appears in the document, after normalisation.

        Args:
            quote: A card's quote.

        Returns:
            True when found, case-sensitively.
        """
        # Several cards often quote the same passage: look each up once.
        found = self._found.get(quote)
        if found is None:
            needle = normalise_quote(quote)
            found = self._found[quote] = bool(needle) and needle in self.folded
        return found


def quoted_numbers(quotes: Sequence[str]) -> frozenset[Decimal]:
    """Every number of a card's passages, with its scale word applied too (see ``numbers_in``).

    Each passage is read alone: the end of one and the start of the next are no figure.
    """
    return frozenset().union(*(numbers_in(quote, scaled=True) for quote in quotes))


def missing_numbers(answer: str, quotes: Sequence[str]) -> list[Decimal]:
    """Numbers written in an answer that its quote does not contain.

    A figure with a scale word is found either way: ``618k`` in an answer
    matches ``618,000`` in the quote, ``2 million`` matches ``2,000,000``
    or ``2 million``; each end of a range (``20-30%``) is its own figure.

    Args:
        answer: A text that answers a card.
        quotes: The passages of the card's quote.

    Returns:
        The numbers of ``answer`` absent from every passage, in ascending order.
    """
    if _DIGIT.search(answer) is None:
        return []
    quoted = quoted_numbers(quotes)
    return sorted(figure[-1] for figure in figures_in(answer) if not quoted.intersection(figure))


class SourceCache:
    """Source documents read once per run, however many decks quote them.

    Args:
        folders: The deck folders of the run: besides its own deck's
            folder and the bundled decks' folder, a source may lie in any
            of them.
    """

    def __init__(self, folders: Iterable[Path] = ()) -> None:
        from immunoquiz.paths import bundled_decks_dir

        self.folders = (bundled_decks_dir(), *folders)
        self._documents: dict[Path, SourceDocument | OSError | UnicodeDecodeError] = {}

    def get(self, path: Path) -> SourceDocument | OSError | UnicodeDecodeError:
        """The document at ``path``, or the error that reading it raised."""
        key = path.resolve()
        if key not in self._documents:
            try:
                self._documents[key] = SourceDocument.read(key)
            except (OSError, UnicodeDecodeError) as exc:
                self._documents[key] = exc
        return self._documents[key]
