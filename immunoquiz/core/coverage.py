"""Which passages of a source the decks quote: what is still untaught, and what is taught more than once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from immunoquiz.core.model import Deck
from immunoquiz.core.source import SourceCache, SourceDocument
from immunoquiz.core.text import normalise_quote

# A sentence ends at . ! or ? before a space and a capital, a digit or an opening mark
# (so "e.g. the" and "3.5" stay whole), but not after a list item's number ("1. Extracting").
_SENTENCE_END = re.compile(r"(?<!^\d[.)])(?<!\s\d[.)])(?<!^\d\d[.)])(?<!\s\d\d[.)])(?<=[.!?])\s+(?=[A-Z0-9\"'(\[•])")


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a source and the cards quoting it.

    Attributes:
        line: Its 1-based line in the source.
        text: The sentence, typography folded.
        cards: ``deck/card`` of each card whose quote takes in any of it.
    """

    line: int
    text: str
    cards: tuple[str, ...]

    @property
    def decks(self) -> tuple[str, ...]:
        """The decks quoting it: more than one means a fact taught twice, on two schedules."""
        return tuple(dict.fromkeys(card.partition("/")[0] for card in self.cards))


@dataclass(frozen=True, slots=True)
class SectionCoverage:
    """A section of a source, sentence by sentence.

    Attributes:
        title: Its heading.
        line: The heading's 1-based line.
        passages: Its sentences in order (the heading excluded).
    """

    title: str
    line: int
    passages: tuple[Passage, ...]

    @property
    def quoted(self) -> int:
        """How many of its sentences some card quotes."""
        return sum(bool(p.cards) for p in self.passages)


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    """How the decks checked together cover one source document.

    Attributes:
        path: The source document.
        decks: The ids of the decks quoting it.
        sections: Its sections in order.
    """

    path: Path
    decks: tuple[str, ...]
    sections: tuple[SectionCoverage, ...]

    @property
    def passages(self) -> int:
        """How many sentences it has (headings excluded)."""
        return sum(len(s.passages) for s in self.sections)

    @property
    def quoted(self) -> int:
        """How many of them some card quotes."""
        return sum(s.quoted for s in self.sections)


def _sentences(line: str) -> list[tuple[int, int]]:
    """The character spans of a line's sentences."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(line):
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(line)))
    return spans


def _cover(document: SourceDocument, decks: Sequence[Deck]) -> SourceCoverage:
    # Where each passage of each card's quote lies: its line and character span (the first place it occurs).
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for deck in decks:
        for card in deck.cards:
            for needle in map(normalise_quote, card.quotes):
                for number, line in enumerate(document.lines):
                    at = line.find(needle) if needle else -1
                    if at >= 0:
                        spans.setdefault(number, []).append((at, at + len(needle), f"{deck.id}/{card.id}"))
                        break
    sections = []
    for section in document.sections:
        passages = []
        for number in range(section.first_line + 1, section.end_line):
            line = document.lines[number]
            for start, end in _sentences(line) if line else ():
                cards = tuple(
                    dict.fromkeys(
                        card for q_start, q_end, card in spans.get(number, ()) if q_start < end and start < q_end
                    )
                )
                passages.append(Passage(number + 1, line[start:end], cards))
        sections.append(SectionCoverage(section.title, section.first_line + 1, tuple(passages)))
    return SourceCoverage(document.path, tuple(d.id for d in decks), tuple(sections))


def coverage(decks: Iterable[Deck], sources: SourceCache) -> tuple[SourceCoverage, ...]:
    """How the decks cover their sources, one report per source document.

    Args:
        decks: The decks, read and checked (their quotes are in their sources).
        sources: The source documents, read once.

    Returns:
        One report per source that could be read, in the order the decks name them.
    """
    by_source: dict[Path, list[Deck]] = {}
    for deck in decks:
        if deck.source is not None:
            by_source.setdefault(deck.source.resolve(), []).append(deck)
    found = []
    for path, quoting in by_source.items():
        document = sources.get(path)
        if isinstance(document, SourceDocument):
            found.append(_cover(document, quoting))
    return tuple(found)


# Sentences shown in full in the text report; the JSON report has them all.
SHOWN_CHARS = 100


def _shorten(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1].rstrip() + "…"


def format_coverage(reports: Sequence[SourceCoverage]) -> str:
    """The reports as text: per section, its untaught sentences and those that more than one deck quotes.

    Several cards of one deck often quote one sentence, a fact each; the
    same sentence quoted from two decks is usually a fact taught twice.
    """
    if not reports:
        return "No source to cover: no deck was read."
    lines = []
    for report in reports:
        percent = round(100 * report.quoted / report.passages) if report.passages else 100
        lines.append(
            f"{report.path.name} ({', '.join(report.decks)}): {report.quoted} of {report.passages} sentences"
            f" quoted ({percent}%)"
        )
        for section in report.sections:
            if not section.passages:
                continue
            lines.append(f"  line {section.line}: {section.title}: {section.quoted} of {len(section.passages)} quoted")
            for passage in section.passages:
                if not passage.cards:
                    lines.append(f"    untaught  line {passage.line}: {_shorten(passage.text)}")
                elif len(passage.decks) > 1:
                    lines.append(
                        f"    {len(passage.decks)} decks   line {passage.line}: {_shorten(passage.text)}"
                        f" ({', '.join(passage.cards)})"
                    )
    return "\n".join(lines)


def coverage_to_json(reports: Sequence[SourceCoverage]) -> list[dict[str, object]]:
    """The reports in their JSON form: every sentence with the cards quoting it."""
    return [
        {
            "source": str(report.path),
            "decks": list(report.decks),
            "sentences": report.passages,
            "quoted": report.quoted,
            "sections": [
                {
                    "title": section.title,
                    "line": section.line,
                    "sentences": [
                        {"line": p.line, "text": p.text, "cards": list(p.cards), "decks": list(p.decks)}
                        for p in section.passages
                    ],
                }
                for section in report.sections
            ],
        }
        for report in reports
    ]
