"""A generated deck of every card type and quiz hint, quoting the bundled article, for tests of whole papers.

Unlike the benchmarks' decks, its cards mix kinds (from tags, their own, a
numeric answer's), facts, ``choice: false``, own distractors, reversed basic
cards and tags shared across types, so that a paper drawn from it meets every
rule of the draw and of the distractor search. The same arguments write the
same file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.decks import ARTICLE

_NUMBER = re.compile(r"(?<![\w.,-])(\d+(?:\.\d+)?)(%?)(?![\w,]|\.\d)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
TAGS = ("alpha", "beta", "gamma", "delta", "epsilon")
KINDS = {"alpha": "thing", "beta": "thing", "gamma": "term"}


def _sentences() -> list[str]:
    found = []
    for line in ARTICLE.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("\u2022").strip()
        found += [s for s in re.split(r"(?<=[a-z)]\.) ", line) if len(s) > 30]
    return found


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def generated_deck(folder: Path, deck_id: str = "gen", cards: int = 360) -> Path:
    """Write the deck into ``folder`` (its source beside it, as a deck folder holds) and return its path."""
    sentences = _sentences()
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    lines = [
        f"id: {deck_id}",
        f"title: Generated {deck_id}",
        "description: Every card type and quiz hint, for tests.",
        f"source: sources/{ARTICLE.name}",
        "kinds: {" + ", ".join(f"{tag}: {kind}" for tag, kind in KINDS.items()) + "}",
        "cards:",
    ]
    for n in range(cards):
        quote = sentences[(n * 7) % len(sentences)]
        words = _WORDS.findall(quote) or ["Immunotherapy"]
        word = words[n % len(words)]
        tags = [TAGS[n % 5], TAGS[(n // 5) % 5]] if n % 3 else [TAGS[(n * 2) % 5]]
        head = [f"  - id: card-{n:04d}", f"    tags: [{', '.join(dict.fromkeys(tags))}]", f"    quote: {_q(quote)}"]
        extra: list[str] = []
        if n % 11 == 0:
            extra.append(f"    fact: fact-{n % 4}")
        if n % 13 == 5:
            extra.append("    kind: other")
        shape = n % 8
        number = _NUMBER.search(quote)
        if number is not None and n % 4 == 3:
            body = [
                "    type: numeric",
                f"    question: {_q(f'Which figure, in sentence {n}?')}",
                f"    value: {number.group(1)}",
                *(["    unit: '%'"] if number.group(2) else []),
            ]
        elif shape in (0, 7):
            front = f"The word after {words[0]}, card {n}?"
            if n % 16 == 0:  # a reversed card's front is an answer too: no figure the quote lacks
                front = f"{words[-1]} in {words[0]}"
            body = ["    type: basic", f"    front: {_q(front)}", f"    back: {_q(word)}"]
            if n % 16 == 0:
                body.append("    reverse: true")
        elif shape == 1:
            rest = quote.replace(word, "{{c1::" + word + "}}", 1)
            body = (
                ["    type: cloze", f"    text: {_q(rest)}"]
                if rest != quote
                else ["    type: cloze", f"    text: {_q('{{c1::' + word + '}} ' + quote)}"]
            )
        elif shape == 2:
            body = [
                "    type: choice",
                f"    question: {_q(f'Card {n}: which word?')}",
                f"    answer: {_q(word)}",
                "    distractors: [Alpha, Beta, Gamma, Delta]",
            ]
        elif shape == 3:
            body = ["    type: typed", f"    question: {_q(f'Card {n}: type the word')}", f"    answer: {_q(word)}"]
            if n % 5 == 0:
                body.append(f"    accept: [{_q(word.lower())}]")
            if n % 9 == 4:
                extra.append("    choice: false")
        elif shape == 4:
            items = list(dict.fromkeys(w.lower() for w in words))[:4]
            items = items if len(items) >= 2 else ["first", "second"]
            body = ["    type: ordering", f"    question: {_q(f'Card {n}: order them')}"]
            body.append("    items: [" + ", ".join(_q(w) for w in items) + "]")
        elif shape == 5:
            body = [
                "    type: typed",
                f"    question: {_q(f'Card {n}: which term?')}",
                f"    answer: {_q(word.upper())}",
            ]
            if n % 4 == 1:
                extra.append("    distractors: [Zeta, Eta, Theta]")
        else:
            body = ["    type: basic", f"    front: {_q(f'Card {n}: what comes first?')}", f"    back: {_q(words[0])}"]
        lines += head + body + extra
    path = folder / f"{deck_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
