"""Generate large decks that pass `immunoquiz check`, for the benchmarks.

Quotes are sentences of the bundled article, so provenance checks do real work.
"""

from __future__ import annotations

import compileall
import json
import os
import re
import shutil
import time
from pathlib import Path

ARTICLE = Path(__file__).resolve().parent.parent / "decks" / "sources" / "immunotherapy.txt"


def article_sentences() -> list[str]:
    """Sentences of the article without digits (so any answer may be used)."""
    text = ARTICLE.read_text(encoding="utf-8")
    sentences = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=\.) ", line.strip()):
            if len(sentence) > 40 and not re.search(r"\d", sentence):
                sentences.append(sentence)
    return sentences


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _distinct(words: list[str]) -> list[str]:
    """Words that stay different once case and punctuation are ignored."""
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(re.sub(r"\W", "", word.lower()), word)
    return [w for key, w in seen.items() if key]


def write_deck(
    path: Path, deck_id: str, cards: int, source: Path, mixed: bool = True, answer_kind: str | None = None
) -> Path:
    """Write a deck of ``cards`` cards quoting the article.

    Args:
        path: Where to write the deck.
        deck_id: Its id.
        cards: How many cards.
        source: The source document (the bundled article).
        mixed: Cycle through every card type; otherwise basic cards only.
        answer_kind: The kind of every answer (``kinds: {generated: KIND}``), so that
            basic and typed cards get choice questions with distractors.

    Returns:
        ``path``.
    """
    sentences = article_sentences()
    # immunoquiz reads no source outside the deck folders: a copy lies beside the deck.
    beside = path.parent / "sources" / source.name
    if not beside.exists():
        beside.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, beside)
    lines = [
        f"id: {deck_id}",
        f"title: Generated deck {deck_id}",
        "description: A generated deck for benchmarks.",
        f"source: {_q('sources/' + source.name)}",
        *([f"kinds: {{generated: {answer_kind}}}"] if answer_kind else []),
        "cards:",
    ]
    for n in range(cards):
        quote = sentences[n % len(sentences)]
        words = quote.split()
        kind = n % 6 if mixed else 0
        lines += [f"  - id: card-{n:06d}", f"    tags: [t{n % 7}, generated]", f"    quote: {_q(quote)}"]
        if kind == 0:
            lines += [
                "    type: basic",
                f"    front: {_q('Question ' + str(n) + ' about ' + words[0])}",
                f"    back: {_q(' '.join(words[:4]))}",
            ]
        elif kind == 1:
            lines += [
                "    type: cloze",
                f"    text: {_q(' '.join(words[:3]) + ' {{c1::' + words[3] + '}} ' + ' '.join(words[4:]))}",
            ]
        elif kind == 2:
            lines += [
                "    type: choice",
                f"    question: {_q('Which words start sentence ' + str(n) + '?')}",
                f"    answer: {_q(words[0] + ' ' + words[1])}",
                "    distractors: [Alpha, Beta, Gamma]",
            ]
        elif kind == 3:
            lines += [
                "    type: typed",
                f"    question: {_q('Type word two of ' + str(n))}",
                f"    answer: {_q(words[1])}",
                f"    accept: [{_q(words[1].upper())}]",
            ]
        elif kind == 4:
            lines += [
                "    type: ordering",
                f"    question: {_q('Order the words of ' + str(n))}",
                "    items: [" + ", ".join(_q(w) for w in _distinct(words)[:4]) + "]",
            ]
        else:
            lines += [
                "    type: basic",
                "    reverse: true",
                f"    front: {_q(words[-1])}",
                f"    back: {_q(words[0])}",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Dated an hour back, as deck files at start-up usually are: the sync
    # hashes a file modified in the last moments on every start.
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(an_hour_ago, an_hour_ago))
    return path


def compile_package() -> None:
    """Byte-compile immunoquiz, as a wheel install does, so that timings are of
    the installed steady state (with PYTHONDONTWRITEBYTECODE=1 set, imports
    would otherwise recompile the package, not its libraries, every run)."""
    import immunoquiz

    compileall.compile_dir(Path(immunoquiz.__file__).parent, quiet=1)
