"""A starting deck for a source: the top-level keys, the schema line, and one commented example card of each type."""

from __future__ import annotations

import json
import re

from immunoquiz.core.source import SourceDocument

_SENTENCE = re.compile(r"[^.!?]*[A-Za-z][^.!?]*[.!?]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_]+")
_SLUG = re.compile(r"[^a-z0-9_.-]+")


def deck_id_for(name: str) -> str:
    """A deck id (a lower-case slug) made from a file name such as ``My Deck.yaml``."""
    return _SLUG.sub("-", name.lower()).strip("-.") or "my-deck"


def _title(document: SourceDocument, deck_id: str) -> str:
    """The source's first line when it reads as a heading; else the deck's id in words.

    A source that opens straight on its text would otherwise title the deck
    with its whole first sentence.
    """
    first = document.lines[0].strip() if document.lines else ""
    if first and len(first) <= 80 and not first.endswith((".", "!", "?", ",", ";", ":")):
        return first
    return deck_id.replace("-", " ").capitalize()


def _passages(document: SourceDocument) -> list[str]:
    """The source's sentences, headings left out, in order."""
    headings = {section.first_line for section in document.sections}
    found: list[str] = []
    for number, line in enumerate(document.lines):
        if line and number not in headings:
            found.extend(match.group().strip() for match in _SENTENCE.finditer(line))
    return found


def _yaml_text(text: str) -> str:
    # JSON strings are YAML strings: quotes, colons and `#` inside stay text.
    return json.dumps(text, ensure_ascii=False)


def _examples(quote: str, figure: tuple[str, str] | None) -> list[str]:
    q = _yaml_text(quote)
    # Each example's answer holds a word of its quote, as `check` wants of an answer (not a heading's).
    word = max(_WORD.findall(quote), key=len, default="keyword")
    cards = [
        "- id: first-fact            # stable: never change it once learners use the deck",
        "  type: basic",
        "  tags: [basics]",
        f"  quote: {q}",
        "  front: What does the passage say about this?",
        f"  back: {_yaml_text(word + ': the fact, in a few words of the quote')}",
        "  # reverse: true           # also ask back -> front",
        "",
        "- id: keyword",
        "  type: cloze",
        "  tags: [basics]",
        f"  quote: {q}",
        f"  text: {_yaml_text(f'The sentence with its {{{{c1::{word}}}}} hidden (the keyword, not the sentence)')}",
        "",
        "- id: which-one",
        "  type: choice",
        "  tags: [basics]",
        f"  quote: {q}",
        "  question: Which one does the passage name?",
        f"  answer: {_yaml_text(word + ', the right one')}",
        "  distractors: [A plausible wrong one, Another wrong one, A third wrong one]",
        "",
        "- id: name-it",
        "  type: typed",
        "  tags: [basics]",
        f"  quote: {q}",
        "  question: What is it called?",
        f"  answer: {_yaml_text(word + ', its name')}",
        "  accept: [Another spelling]",
        "",
        "- id: in-order",
        "  type: ordering",
        "  tags: [basics]",
        f"  quote: {q}",
        "  question: Put the steps in order.",
        f"  items: [{_yaml_text(word + ', the first step')}, Second step, Third step]",
    ]
    if figure is not None:
        figure_quote, value = figure
        cards += [
            "",
            "- id: the-figure",
            "  type: numeric",
            "  tags: [figures]",
            f"  quote: {_yaml_text(figure_quote)}",
            "  question: What figure does the passage give?",
            f"  value: {value}              # every number of an answer must be in the quote",
            '  # unit: "%"',
        ]
    return cards


def starter_deck(document: SourceDocument, source: str, deck_id: str, schema: str) -> str:
    """The text of a new deck for a source document, valid as it stands.

    Its cards list is empty; each example card is commented out, quotes a
    real sentence of the source, and checks once uncommented.

    Args:
        document: The source document.
        source: Its path as the deck names it (relative to the deck file).
        deck_id: The deck's id.
        schema: Where the JSON Schema is, as editors should find it.

    Returns:
        The YAML text.
    """
    passages = _passages(document)
    quote = passages[0] if passages else "Copy a passage of the source here, verbatim"
    figure = next(((p, m.group()) for p in passages if (m := _NUMBER.search(p))), None)
    title = _title(document, deck_id)
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"id: {deck_id}                 # stable: learners' history is keyed by it",
        f"title: {_yaml_text(title)}",
        "description: What this deck teaches, in one or two sentences.",
        '# note: "A caution shown before the first card, such as: education, not a protocol."',
        f"source: {_yaml_text(source)}",
        "version: 1",
        "cards: []",
        "",
        "# Example cards, one of each type: to use one, remove the [] above and the",
        '# "# " before its lines, then write the card. Each quotes a sentence of the',
        "# source as it stands (a quote must be verbatim); see docs/deck-format.md.",
        "#",
        "# cards:",
        *(f"#   {line}".rstrip() for line in _examples(quote, figure)),
    ]
    return "\n".join(lines) + "\n"
