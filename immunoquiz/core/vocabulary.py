"""A deck folder's tag vocabulary: ``tags.yaml``, one meaning per tag.

The file maps each tag to a one-line meaning under a top-level ``tags:``::

    tags:
      car-t: CAR-T cell therapy
      side-effects: side effects of immunotherapy (never chemotherapy's own)

It is the vocabulary of every deck in its folder: ``immunoquiz check``
warns of a tag outside it. A folder without one has no vocabulary check.
The file is untrusted like a deck: composed with the C safe loader and
checked node by node, each problem at its ``line:col``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from immunoquiz.core.deckfiles import VOCABULARY_FILE, refusal
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.reader import compose_yaml
from immunoquiz.core.text import has_forbidden_character

_STR = "tag:yaml.org,2002:str"
# As the reader's slugs (deck ids, card ids, kinds).
_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The tags a folder's decks may use.

    Attributes:
        path: The ``tags.yaml`` file, as the user would name it.
        meanings: Each tag with its meaning, in the file's order.
    """

    path: str
    meanings: dict[str, str]

    def outside(self, tag: str) -> str | None:
        """Why ``tag`` is not in the vocabulary, for a message; None if it is."""
        if tag in self.meanings:
            return None
        close = difflib.get_close_matches(tag, list(self.meanings), n=1, cutoff=0.6)
        fix = f"did you mean `{close[0]}`?" if close else f"use a tag of {self.path} or add it there with its meaning"
        return f"tag `{tag}` is outside the vocabulary ({self.path}): {fix}"


def vocabulary_path(folder: Path) -> Path:
    """Where the vocabulary of the decks in ``folder`` lies (the file may not exist)."""
    return folder / VOCABULARY_FILE


def read_vocabulary(path: Path, display: str | None = None) -> tuple[Vocabulary | None, list[Diagnostic]]:
    """Read and check a ``tags.yaml``.

    Args:
        path: The file.
        display: How to name it in messages (defaults to ``path``).

    Returns:
        The vocabulary (None if any error was found) and the errors.
    """
    name = display or str(path)
    refused = refusal(path, (path.parent,), "the tag vocabulary")
    if refused is not None:
        return None, [Diagnostic(name, 1, 1, "error", "unreadable", refused)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(name, 1, 1, "error", "unreadable", f"cannot read it: {exc.strerror or exc}")]
    _, root, problems = compose_yaml(data, name)
    if problems:
        return None, problems

    def error(node: yaml.Node | None, code: str, message: str) -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        problems.append(Diagnostic(name, line, column, "error", code, message))

    shape = "a top-level `tags:` mapping each tag to its meaning, like `tags: {car-t: CAR-T cell therapy}`"
    if not isinstance(root, yaml.MappingNode):
        error(root, "bad-vocabulary", f"a tag vocabulary must be {shape}")
        return None, problems
    tags_node = None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.tag == _STR and key.value == "tags" and tags_node is None:
            tags_node = value
        else:
            error(key, "bad-vocabulary", "a tag vocabulary holds only `tags:`, once: remove this key")
    if tags_node is None:
        error(root, "bad-vocabulary", f"the vocabulary has no `tags:`: it must be {shape}")
        return None, problems
    if not isinstance(tags_node, yaml.MappingNode):
        error(tags_node, "bad-vocabulary", f"`tags` must be a mapping of each tag to its meaning, as in {shape}")
        return None, problems
    meanings: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value in tags_node.value:
        tag = key.value if isinstance(key, yaml.ScalarNode) and key.tag == _STR else None
        if tag is None or not _SLUG.fullmatch(tag):
            shown = f"`{tag}`" if tag is not None and len(tag) <= 40 else "this key"
            error(key, "bad-tag", f"{shown} is not a tag: write a lower-case slug such as `side-effects`")
            continue
        if tag in meanings:
            error(key, "duplicate-key", f"tag `{tag}` is listed twice (first on line {lines[tag]}): keep one")
            continue
        meaning = value.value if isinstance(value, yaml.ScalarNode) and value.tag == _STR else None
        if meaning is None or not meaning.strip():
            error(value, "empty-text", f"tag `{tag}` has no meaning: write what it means, as one line of text")
            continue
        if "\n" in meaning.strip() or has_forbidden_character(meaning):
            error(value, "bad-vocabulary", f"the meaning of tag `{tag}` must be one line of plain text")
            continue
        meanings[tag] = meaning.strip()
        lines[tag] = key.start_mark.line + 1
    if problems:
        return None, problems
    return Vocabulary(name, meanings), problems
