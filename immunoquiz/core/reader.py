"""Read and check deck files.

A deck is untrusted input. It is composed with PyYAML's C safe loader (no
object construction at all) and the node tree is walked here, so that every
problem is reported at its ``line:col`` and YAML 1.1 surprises (``No`` read as
a boolean, ``012`` read as octal) are caught rather than silently accepted.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple, TypeAlias

import yaml

from immunoquiz.core.deckfiles import refusal
from immunoquiz.core.diagnostics import Diagnostic, Severity
from immunoquiz.core.model import (
    CARD_TYPES,
    Basic,
    Body,
    Bound,
    Card,
    Choice,
    Cloze,
    Deck,
    Numeric,
    Ordering,
    QuizHints,
    Typed,
    alternatives,
    answer_texts,
    parse_cloze,
)
from immunoquiz.core.source import SourceCache, SourceDocument, missing_numbers, quoted_numbers
from immunoquiz.core.text import (
    SCALES,
    UNITS,
    counted,
    fold_answer,
    forbidden_character,
    has_forbidden_character,
    normalise_answer,
    parse_number,
    unit_name,
)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_SPACE = re.compile(r"\s")
UNSOURCED = "none"
"""The ``source`` of a deck written from no document (an import): its cards need no quote."""
MIN_DISTRACTORS = 2
GOOD_DISTRACTORS = 3

DECK_KEYS = ("id", "title", "description", "note", "source", "version", "near_miss", "kinds", "cards")
REQUIRED_DECK_KEYS = ("id", "title", "description", "source", "cards")
COMMON_CARD_KEYS = ("id", "type", "tags", "quote", "explain", "kind", "fact")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "basic": ("front", "back", "reverse", "distractors", "choice"),
    "cloze": ("text", "near_miss"),
    "choice": ("question", "answer", "distractors", "distractors_from"),
    "typed": ("question", "answer", "accept", "near_miss", "distractors", "choice"),
    "numeric": ("question", "value", "tolerance", "unit", "bound", "distractors", "choice"),
    "ordering": ("question", "items"),
}
REQUIRED_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "basic": ("front", "back"),
    "cloze": ("text",),
    "choice": ("question", "answer"),
    "typed": ("question", "answer"),
    "numeric": ("question", "value"),
    "ordering": ("question", "items"),
}


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        _BOOL: f"the boolean `{node.value}`",
        _INT: f"the number `{node.value}`",
        _FLOAT: f"the number `{node.value}`",
        _NULL: "nothing (null)",
    }.get(node.tag, _quoted(node.value))


# A wrong value is quoted so the author can find it, but only so far: a whole
# file read as one text (a link to /etc/passwd, say) is never printed.
MAX_QUOTED = 40


def _quoted(text: str) -> str:
    if len(text) > MAX_QUOTED or "\n" in text:
        return f"a text of {len(text)} characters"
    return f"`{text}`"


@dataclass
class _Report:
    """Diagnostics of one file, collected while walking it."""

    path: str
    items: list[Diagnostic] = field(default_factory=list)
    # True when no scalar can hold a forbidden character: the file has none,
    # and no backslash to write one as an escape.
    clean: bool = False
    # Card entries in the file, read or not (the summary counts a broken deck's cards too).
    cards: int = 0

    def add(self, node: yaml.Node | None, severity: Severity, code: str, message: str) -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.items.append(Diagnostic(self.path, line, column, severity, code, message))

    def error(self, node: yaml.Node | None, code: str, message: str) -> None:
        self.add(node, "error", code, message)

    def warning(self, node: yaml.Node | None, code: str, message: str) -> None:
        self.add(node, "warning", code, message)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)


# Unknown keys named one by one in a mapping; the rest are counted in one line.
MAX_UNKNOWN_KEYS = 20


def _suggest(key: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass(frozen=True)
class _Keys:
    """The keys one kind of mapping allows and requires.

    Attributes:
        allowed: The keys allowed, in the order messages list them.
        required: The keys that must be present.
        owners: Keys allowed elsewhere (other card types), with their owner.
    """

    allowed: tuple[str, ...]
    required: tuple[str, ...]
    owners: dict[str, str] = field(default_factory=dict)
    # As sets, for one comparison per mapping in the usual case.
    allowed_set: frozenset[str] = field(init=False)
    required_set: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_set", frozenset(self.allowed))
        object.__setattr__(self, "required_set", frozenset(self.required))


class _Fields:
    """The keys of one YAML mapping, checked against the keys allowed there."""

    def __init__(self, report: _Report, node: yaml.MappingNode, where: str) -> None:
        self.report = report
        self.node = node
        self.where = where
        self.values: dict[str, yaml.Node] = {}
        self.key_nodes: dict[str, yaml.Node] = {}
        values = self.values
        for key_node, value_node in node.value:
            if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                report.error(key_node, "bad-key", f"{where} keys must be plain names, not {_kind(key_node)}")
                continue
            key = key_node.value
            if key in values:
                first = self.key_nodes[key].start_mark.line + 1
                report.error(
                    key_node,
                    "duplicate-key",
                    f"duplicate key `{key}` in {where} (first on line {first}): remove one",
                )
                continue
            values[key] = value_node
            self.key_nodes[key] = key_node

    def check(self, keys: _Keys) -> bool:
        """Report unknown and missing keys; True when every required key is there."""
        values = self.values.keys()
        if not values <= keys.allowed_set:
            self._unknown_keys(keys)
        return values >= keys.required_set or self.require(keys.required)

    def _unknown_keys(self, keys: _Keys) -> None:
        allowed, owners = keys.allowed, keys.owners
        unknown = [key for key in self.values if key not in keys.allowed_set]
        for key in unknown[MAX_UNKNOWN_KEYS : MAX_UNKNOWN_KEYS + 1]:
            more = len(unknown) - MAX_UNKNOWN_KEYS
            self.report.error(
                self.key_nodes[key], "unknown-key", f"{counted(more, 'more unknown key')} in {self.where}, from here"
            )
        for key in unknown[:MAX_UNKNOWN_KEYS]:
            key_node = self.key_nodes[key]
            hint = _suggest(key, allowed)
            if not hint and key in owners:
                hint = f" (`{key}` belongs to {owners[key]} cards)"
            elif not hint:
                near = _suggest(key, owners)
                if near:
                    near_key = near.split("`")[1]
                    hint = f"{near[:-1]} It belongs to {owners[near_key]} cards.)"
                else:
                    hint = f" (valid keys: {', '.join(allowed)})"
            self.report.error(key_node, "unknown-key", f"unknown key `{key}` in {self.where}{hint}")

    def require(self, keys: Iterable[str]) -> bool:
        ok = True
        for key in keys:
            if key not in self.values:
                self.report.error(self.node, "missing-key", f"{self.where} is missing `{key}`: add `{key}: ...`")
                ok = False
        return ok

    def text(self, key: str, required: bool = True) -> str | None:
        node = self.values.get(key)
        if node is None:
            return None
        return _text(self.report, node, key, required)

    def text_list(self, key: str, allow_single: bool = False) -> tuple[str, ...] | None:
        node = self.values.get(key)
        if node is None:
            return None
        if allow_single and isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            value = _text(self.report, node, key)
            return None if value is None else (value,)
        if not isinstance(node, yaml.SequenceNode):
            expected = "text or a list of texts" if allow_single else "a list of texts"
            self.report.error(node, "wrong-type", f"`{key}` must be {expected}, not {_kind(node)}")
            return None
        items = node.value
        # The usual case: every item is a clean string (see _text's first test).
        values = tuple(item.value for item in items)
        if (
            all(item.tag == _STR for item in items)
            and all(v and not v.isspace() for v in values)
            and (self.report.clean or not any(map(has_forbidden_character, values)))
        ):
            return values
        checked = [_text(self.report, item, key, item=True) for item in items]
        if any(v is None for v in checked):
            return None
        return tuple(v for v in checked if v is not None)

    def boolean(self, key: str) -> bool | None:
        node = self.values.get(key)
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            self.report.error(node, "wrong-type", f"`{key}` must be true or false, not {_kind(node)}")
            return None
        return node.value.lower() in ("true", "yes", "on", "y")

    def number(self, key: str) -> Decimal | None:
        node = self.values.get(key)
        return None if node is None else _number(self.report, node, key)


def _number(report: _Report, node: yaml.Node, key: str) -> Decimal | None:
    """A number scalar, or None after reporting why it is not one (``key`` names it in messages)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT, _FLOAT):
        report.error(node, "not-a-number", f"`{key}` must be a number such as 59.8, not {_kind(node)}")
        return None
    if "_" in node.value:
        # YAML 1.1 drops underscores in numbers: `5_9.8` would be taught as 59.8.
        report.error(node, "not-a-number", f"`{key}` is `{node.value}`: write the number without `_` (as in 59.8)")
        return None
    raw = node.value
    if re.fullmatch(r"[-+]?0\d+", raw):
        report.error(
            node, "not-a-number", f"`{key}` is `{raw}`, which YAML reads as octal: write it without the leading 0"
        )
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        report.error(node, "not-a-number", f"`{key}` must be a plain decimal number, not `{node.value}`")
        return None
    if not value.is_finite():
        report.error(node, "not-a-number", f"`{key}` must be a finite number, not `{node.value}`")
        return None
    return value


# The longest text a card may hold: a page and a half. Longer is no card (and
# a megabyte of text would take seconds to lay out on every screen showing it).
MAX_TEXT = 10_000


def _text(report: _Report, node: yaml.Node, key: str, required: bool = True, item: bool = False) -> str | None:
    """A text scalar, or None after reporting why it is not one.

    ``key`` names the value in messages, as an "item of" it when ``item``.
    """
    # The usual case first, cheaply: a non-empty string without controls, of a card's length.
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        value: str = node.value
        if (
            value
            and len(value) <= MAX_TEXT
            and not value.isspace()
            and (report.clean or not has_forbidden_character(value))
        ):
            return value
    what = f"item of `{key}`" if item else f"`{key}`"
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        fix = ": put it in quotes" if isinstance(node, yaml.ScalarNode) and node.tag != _NULL else ""
        if node.tag == _BOOL:
            fix = f' (YAML reads {node.value} as a boolean): write "{node.value}" in quotes'
        report.error(node, "wrong-type", f"{what} must be text, not {_kind(node)}{fix}")
        return None
    value = node.value
    if not value.strip():
        if required:
            report.error(node, "empty-text", f"{what} is empty: write the text or remove {'it' if item else 'the key'}")
        return None
    bad = forbidden_character(value)
    if bad is not None:
        report.error(
            node,
            "control-character",
            f"{what} contains the control character {bad[1]} at offset {bad[0]}: remove it",
        )
        return None
    if len(value) > MAX_TEXT:
        report.error(
            node,
            "text-too-long",
            f"{what} is {len(value):,} characters long, more than a card can show ({MAX_TEXT:,}): shorten or split it",
        )
        return None
    return value


def _mark_aliases(report: _Report, root: yaml.Node) -> bool:
    """Refuse anchors and aliases: a shared node could expand without bound."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            report.error(
                node, "alias", "anchors and aliases (&name, *name) are not allowed in decks: write the value out"
            )
            return False
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            allowed: tuple[str, ...] = (_MAP,)
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            allowed = (_SEQ,)
            stack.extend(node.value)
        else:
            allowed = (_STR, _INT, _FLOAT, _BOOL, _NULL)
        if node.tag not in allowed:
            report.error(node, "bad-tag", f"the YAML tag `{node.tag}` is not allowed in decks: remove it")
            return False
    return True


class _PendingCard(NamedTuple):
    """A card read from the file, with its nodes for the deck-level checks."""

    card: Card
    id_node: yaml.Node
    fields: _Fields


Quotes: TypeAlias = tuple[str, ...] | None
"""A card's passages, against which its answers' numbers are checked; None: nothing to check them against."""

Mark: TypeAlias = tuple[int, int]
"""A 1-based (line, column) in a deck file."""


@dataclass(frozen=True, slots=True)
class CardPlaces:
    """Where a card and its parts are written.

    Attributes:
        card: The card's mapping.
        fields: Each key's value (``quote``, ``text``, ``answer``...).
        tags: Each tag of ``tags``, in order.
    """

    card: Mark
    fields: dict[str, Mark]
    tags: tuple[Mark, ...]

    def of(self, key: str) -> Mark:
        """Where the value of ``key`` is written, else where the card is."""
        return self.fields.get(key, self.card)


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _places(item: _PendingCard) -> CardPlaces:
    values = item.fields.values
    tags = values.get("tags")
    return CardPlaces(
        _mark(item.fields.node),
        {key: _mark(node) for key, node in values.items()},
        tuple(_mark(tag) for tag in tags.value) if isinstance(tags, yaml.SequenceNode) else (),
    )


@dataclass
class DeckFile:
    """The outcome of reading one deck file.

    Attributes:
        path: The file.
        deck: The deck, or None when an error kept it from being read.
        diagnostics: Everything found, errors and warnings, in file order.
    """

    path: Path
    deck: Deck | None
    diagnostics: list[Diagnostic]
    kind_marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each kind the file names, with the line and column where it is first written."""
    cards: int = 0
    """The card entries in the file, whether or not the deck could be read."""
    places: dict[str, CardPlaces] = field(default_factory=dict)
    """Where each card read is written, by card id, for checks made once every deck is read (empty when
    ``read_deck`` was told to skip them)."""

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors only."""
        return [d for d in self.diagnostics if d.severity == "error"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while a deck is composed and walked.

    Neither the node tree nor the cards hold cycles, so refcounting frees
    them; but the collector, run every few hundred allocations, would walk
    the growing tree again and again (a quarter of the time spent on a
    1,000-card deck).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_deck(
    path: Path,
    display: str | None = None,
    sources: SourceCache | None = None,
    data: bytes | None = None,
    *,
    places: bool = True,
) -> DeckFile:
    """Read and check one deck file.

    Args:
        path: The deck file.
        display: How to name the file in messages (defaults to ``path``).
        sources: A cache of source documents shared across decks.
        data: The file's bytes, when the caller has already read them.
        places: Whether to note where each card is written (``DeckFile.places``), for the checks made once
            every deck is read; a sync makes none of them and skips the notes (a third of its reading).

    Returns:
        The deck (None if any error was found) and every diagnostic.
    """
    with _collector_paused():
        return _read_deck_file(path, _Report(display or str(path)), sources, data, {} if places else None)


def _read_deck_file(
    path: Path, report: _Report, sources: SourceCache | None, data: bytes | None, places: dict[str, CardPlaces] | None
) -> DeckFile:
    sources = sources or SourceCache()
    if data is None:
        refused = refusal(path, (path.parent, *sources.folders), "the deck file")
        if refused is not None:
            report.error(None, "unreadable", refused)
            return DeckFile(path, None, report.items)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.error(None, "unreadable", f"cannot read the deck file: {exc.strerror or exc}")
            return DeckFile(path, None, report.items)
    content_hash = hashlib.sha256(data).hexdigest()
    text, root, problems = compose_yaml(data, report.path)
    if problems:
        report.items.extend(problems)
        return DeckFile(path, None, report.items)
    if root is None:
        report.error(None, "empty-deck", "the deck file is empty: start with `id:`, `title:` and `cards:`")
        return DeckFile(path, None, report.items)
    # Anchors, aliases and tags all need one of these characters: skip the
    # extra walk over every node for the usual deck that has none.
    if any(mark in text for mark in "&*!") and not _mark_aliases(report, root):
        return DeckFile(path, None, report.items)
    report.clean = "\\" not in text and not has_forbidden_character(text)
    marks: dict[str, tuple[int, int]] = {}
    deck = _read_deck_node(report, path, root, content_hash, sources, marks, places)
    report.items.sort(key=lambda d: (d.line, d.column))
    return DeckFile(path, None if report.has_errors else deck, report.items, marks, report.cards, places or {})


def compose_yaml(data: bytes, display: str) -> tuple[str, yaml.Node | None, list[Diagnostic]]:
    """Decode a YAML file and compose its node tree with the C safe loader (nothing is constructed).

    Args:
        data: The file's bytes.
        display: How to name the file in messages.

    Returns:
        The text (empty if not UTF-8), the root node (None for an empty file
        or on error) and the errors, each at its ``line:col``.
    """
    problems: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Diagnostic(display, line, column, "error", "encoding", "the file is not UTF-8: save it as UTF-8")
        )
        return "", None, problems
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable YAML"
        context = exc.context_mark
        if exc.context and context is not None and context is not mark:
            problem += f" ({exc.context} started at line {context.line + 1}, column {context.column + 1})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Diagnostic(display, line, column, "error", "yaml-syntax", f"YAML syntax: {problem}"))
        return text, None, problems
    except yaml.reader.ReaderError as exc:
        # A raw control character: PyYAML gives its offset only, so the place is worked out here.
        at = exc.position
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problems.append(
            Diagnostic(
                display,
                line,
                column,
                "error",
                "control-character",
                f"a raw control character (U+{ord(char):04X}) is not allowed in a deck: remove it",
            )
        )
        return text, None, problems
    except yaml.YAMLError as exc:
        problems.append(Diagnostic(display, 1, 1, "error", "yaml-syntax", f"YAML syntax: {exc}".replace("\n", " ")))
        return text, None, problems
    return text, root, problems


def _read_deck_node(
    report: _Report,
    path: Path,
    root: yaml.Node,
    content_hash: str,
    sources: SourceCache,
    marks: dict[str, tuple[int, int]],
    places: dict[str, CardPlaces] | None,
) -> Deck | None:
    if not isinstance(root, yaml.MappingNode):
        report.error(root, "wrong-type", f"a deck must be a mapping with `id`, `title` and `cards`, not {_kind(root)}")
        return None
    top = _Fields(report, root, "the deck")
    top.check(_DECK_KEYS)
    deck_id = top.text("id")
    if deck_id is not None and not _SLUG.fullmatch(deck_id):
        report.error(
            top.values["id"], "bad-id", f"deck id `{deck_id}` must be a lower-case slug such as `side-effects`"
        )
    title = top.text("title")
    description = top.text("description")
    note = _note(report, top.values.get("note"))
    version: str | None = None
    if "version" in top.values:
        node = top.values["version"]
        if isinstance(node, yaml.ScalarNode) and node.tag in (_STR, _INT, _FLOAT) and node.value.strip():
            version = node.value
        else:
            report.error(node, "wrong-type", f"`version` must be a number or text, not {_kind(node)}")
    source_text = top.text("source")
    document: SourceDocument | None = None
    source_path: Path | None = path.parent
    sourced = source_text != UNSOURCED
    if not sourced:
        source_path = None
        report.warning(
            top.values["source"],
            "unsourced",
            "the deck is unsourced (`source: none`): its cards need no quote and nothing checks them against a"
            " document",
        )
    elif source_text is not None:
        source_path = path.parent / source_text
        refused = (
            refusal(source_path, (path.parent, *sources.folders), f"the source document `{source_text}`")
            if source_path.exists()
            else None
        )
        found = sources.get(source_path) if refused is None else None
        if refused is not None:
            report.error(top.values["source"], "source-refused", refused)
        elif isinstance(found, SourceDocument):
            document = found
        elif found is not None:
            reason = "it is not UTF-8" if isinstance(found, UnicodeDecodeError) else (found.strerror or str(found))
            report.error(
                top.values["source"],
                "missing-source",
                f"cannot read the source document `{source_text}` ({reason}): the path is relative to the deck file",
            )
    near_miss = top.boolean("near_miss")
    kinds = _read_kinds(report, top.values.get("kinds"), marks)
    cards_node = top.values.get("cards")
    pending: list[_PendingCard] = []
    if cards_node is not None:
        if not isinstance(cards_node, yaml.SequenceNode):
            report.error(cards_node, "wrong-type", f"`cards` must be a list of cards, not {_kind(cards_node)}")
        else:
            report.cards = len(cards_node.value)
            if not cards_node.value:
                report.warning(cards_node, "no-cards", "the deck has no cards")
            for card_node in cards_node.value:
                card = _read_card(
                    report, card_node, document, deck_id or "", near_miss is not False, kinds, marks, sourced
                )
                if card is not None:
                    pending.append(card)
    cards = _resolve_cards(report, pending)
    if places is not None:
        for item in pending:
            places.setdefault(item.card.id, _places(item))
    used = {tag for card in cards for tag in card.tags}
    for tag_node, _ in top.values["kinds"].value if kinds else ():
        if tag_node.value not in used:
            report.error(
                tag_node,
                "unknown-tag",
                f"`kinds` names the tag `{tag_node.value}`, which no card has{_suggest(tag_node.value, used)}:"
                " fix the tag or remove it",
            )
    if report.has_errors or deck_id is None or title is None or description is None:
        return None
    return Deck(
        id=deck_id,
        title=title,
        description=description,
        source=source_path,
        cards=cards,
        path=path,
        version=version,
        content_hash=content_hash,
        tags=frozenset(tag for card in cards for tag in card.tags),
        note=note,
    )


# A deck's note is read before the first card of a session: a caution of a sentence or two, not a card.
MAX_NOTE = 500


def _note(report: _Report, node: yaml.Node | None) -> str | None:
    """The deck's ``note``: a text as any other (not empty, no controls), of at most ``MAX_NOTE`` characters."""
    if node is None:
        return None
    value = _text(report, node, "note")
    if value is not None and len(value) > MAX_NOTE:
        report.error(
            node,
            "text-too-long",
            f"`note` is {len(value):,} characters long, more than a note before the first card should be"
            f" ({MAX_NOTE}): keep the caution, move the rest to the description",
        )
        return None
    return value


_DECK_KEYS = _Keys(DECK_KEYS, REQUIRED_DECK_KEYS)
_OWNER = {key: kind for kind, keys in TYPE_KEYS.items() for key in keys}
# Per card type: the keys it allows and requires, and the other types' keys with their owner.
_CARD_KEYS = {
    kind: _Keys(
        COMMON_CARD_KEYS + keys,
        ("id", "tags", "quote") + REQUIRED_TYPE_KEYS[kind],
        {k: v for k, v in _OWNER.items() if k not in keys},
    )
    for kind, keys in TYPE_KEYS.items()
}
# The cards of an unsourced deck have nothing to quote.
_UNSOURCED_CARD_KEYS = {
    kind: _Keys(keys.allowed, tuple(k for k in keys.required if k != "quote"), keys.owners)
    for kind, keys in _CARD_KEYS.items()
}


def _read_kinds(report: _Report, node: yaml.Node | None, marks: dict[str, tuple[int, int]]) -> dict[str, str]:
    """The deck's ``kinds``: the kind of answer each tag gives its cards."""
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        report.error(
            node, "wrong-type", f"`kinds` must map tags to kinds, like `kinds: {{drugs: drug}}`, not {_kind(node)}"
        )
        return {}
    kinds: dict[str, str] = {}
    for tag_node, kind_node in node.value:
        tag = _text(report, tag_node, "kinds")
        kind = _kind_text(report, kind_node, f"the kind of tag `{tag}`", marks)
        if tag is not None and kind is not None:
            kinds[tag] = kind
    return kinds


def _kind_text(report: _Report, node: yaml.Node, what: str, marks: dict[str, tuple[int, int]]) -> str | None:
    """A kind (a slug, like a tag), remembered with where it is first written."""
    kind = _text(report, node, what)
    if kind is None:
        return None
    if not _SLUG.fullmatch(kind):
        report.error(node, "bad-kind", f"{what} `{kind}` must be a lower-case slug such as `drug` or `side-effect`")
        return None
    marks.setdefault(kind, (node.start_mark.line + 1, node.start_mark.column + 1))
    return kind


_HINT_KEYS = frozenset(("kind", "fact", "choice", "distractors"))
_PLAIN_HINTS = QuizHints()


def _read_hints(
    report: _Report,
    fields: _Fields,
    body: Body | None,
    tags: tuple[str, ...] | None,
    kinds: dict[str, str],
    marks: dict[str, tuple[int, int]],
) -> QuizHints | None:
    """A card's quiz hints: its kind (its own, else its first tag's in `kinds`), fact, choice and distractors."""
    values = fields.values
    if not kinds and values.keys().isdisjoint(_HINT_KEYS):
        return _PLAIN_HINTS  # the usual card: nothing to read
    kind = None
    if "kind" in values:
        kind = _kind_text(report, values["kind"], "`kind`", marks)
        if kind is None:
            return None
    elif tags:
        kind = next((kinds[tag] for tag in tags if tag in kinds), None)
    fact = fields.text("fact")
    choice = fields.boolean("choice")
    distractors = fields.text_list("distractors") if not isinstance(body, Choice) else None
    if distractors is not None and body is not None:
        if choice is False:
            report.error(
                fields.key_nodes["choice"],
                "conflicting-keys",
                "a card with `choice: false` has no `distractors`: remove one",
            )
            return None
        if not _check_distractors(report, values["distractors"], answer_texts(body), distractors, False):
            return None
        if isinstance(body, Numeric):
            for item_node, distractor in zip(values["distractors"].value, distractors, strict=False):
                if parse_number(distractor) is None:
                    report.error(
                        item_node,
                        "not-a-number",
                        f"distractor `{distractor}` of a numeric card must be a number such as 45.9%",
                    )
                    return None
    return QuizHints(kind, fact, choice is not False, distractors or ())


def _read_card(
    report: _Report,
    node: yaml.Node,
    document: SourceDocument | None,
    deck_id: str,
    near_miss: bool,
    kinds: dict[str, str],
    marks: dict[str, tuple[int, int]],
    sourced: bool = True,
) -> _PendingCard | None:
    if not isinstance(node, yaml.MappingNode):
        report.error(node, "wrong-type", f"each card must be a mapping with `id`, `type`, ..., not {_kind(node)}")
        return None
    fields = _Fields(report, node, "a card")
    card_id = fields.text("id")
    if card_id is not None and not _SLUG.fullmatch(card_id):
        report.error(
            fields.values["id"], "bad-id", f"card id `{card_id}` must be a lower-case slug such as `pd1-keytruda`"
        )
        card_id = None
    where = f"card `{card_id}`" if card_id else "a card"
    fields.where = where
    card_type = fields.text("type")
    if card_type is not None and card_type not in CARD_TYPES:
        report.error(
            fields.values["type"],
            "unknown-type",
            f"unknown card type `{card_type}`{_suggest(card_type, CARD_TYPES) or ''} (types: {', '.join(CARD_TYPES)})",
        )
        card_type = None
    if card_type is None:
        fields.require(("id", "type"))
        return None
    present = fields.check((_CARD_KEYS if sourced else _UNSOURCED_CARD_KEYS)[card_type])
    tags = fields.text_list("tags")
    if tags is not None:
        for tag_node, tag in zip(fields.values["tags"].value, tags, strict=False):
            if _SPACE.search(tag):
                report.error(tag_node, "bad-tag", f"tag `{tag}` contains a space: use a hyphen, as in `side-effects`")
                tags = None
                break
    quotes = _read_quotes(fields)
    explain = fields.text("explain")
    if quotes is not None and document is not None:
        written = fields.values["quote"]
        # Each passage at its own item, named by its number when there are several.
        items = written.value if isinstance(written, yaml.SequenceNode) else [written]
        for number, (item, quote) in enumerate(zip(items, quotes, strict=True), 1):
            if not document.contains_quote(quote):
                what = f"item {number} of the quote of {where}" if len(items) > 1 else f"the quote of {where}"
                report.error(item, "quote-not-in-source", _quote_not_found(what, quote, document))
    # A quote kept in an unsourced deck backs nothing: its numbers are not the answer's check.
    body = _read_body(report, fields, card_type, quotes if sourced else None)
    if isinstance(body, (Typed, Cloze)):
        # A card's own `near_miss` wins over its deck's.
        own = fields.boolean("near_miss")
        body = replace(body, near_miss=near_miss if own is None else own)
    hints = _read_hints(report, fields, body, tags, kinds, marks)
    if not present or body is None or card_id is None or tags is None or (quotes is None and sourced) or hints is None:
        return None
    card = Card(deck_id, card_id, tags, quotes or (), body, explain, node.start_mark.line + 1, hints)
    return _PendingCard(card, fields.values["id"], fields)


def _read_quotes(fields: _Fields) -> tuple[str, ...] | None:
    """A card's ``quote``: one passage, or a list of them (for support that is a bullet list); None if unread."""
    node = fields.values.get("quote")
    if isinstance(node, yaml.MappingNode):
        fields.report.error(node, "wrong-type", "`quote` must be text or a list of texts, not a mapping")
        return None
    if not isinstance(node, yaml.SequenceNode):
        quote = fields.text("quote")
        passages: tuple[str, ...] | None = None if quote is None else (quote,)
    elif not node.value:
        fields.report.error(
            node, "empty-text", "`quote` is an empty list: write the passage that supports the card, or one per bullet"
        )
        return None
    else:
        passages = fields.text_list("quote")
    # A passage lies on one line of its source, so a line break in it is only the deck's wrapping (a `|` block):
    # folded, no passage holds one, and passages joined one a line (``join_quotes``) come apart again.
    return None if passages is None else tuple(p if "\n" not in p else " ".join(p.split()) for p in passages)


def _quote_not_found(what: str, quote: str, document: SourceDocument) -> str:
    """The message for a quote not in its source: the closest passage and what differs, to fix it in one go.

    ``what`` names the quote (``the quote of card `x```, or one of its items).
    """
    message = f"{what} is not in the source document `{document.path.name}`"
    passage = document.closest_passage(quote)
    if passage is None:
        return message + ": copy it verbatim (no line of the source shares a word with it)"
    return (
        f'{message}; closest is line {passage.line}: "{passage.text}"; the quote has '
        + "; ".join(passage.differences or ("other spacing or case",))
        + ": copy it verbatim"
    )


def _check_numbers(report: _Report, node: yaml.Node, answer: str, quotes: Quotes, what: str) -> None:
    if quotes is None:
        return
    missing = missing_numbers(answer, quotes)
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        report.error(
            node,
            "number-not-in-quote",
            f"{what} has the number {numbers}, which its quote does not:"
            " check the figure or quote the passage that has it",
        )


def _read_body(report: _Report, fields: _Fields, card_type: str, quotes: Quotes) -> Body | None:
    values = fields.values
    if card_type == "basic":
        front, back = fields.text("front"), fields.text("back")
        reverse = fields.boolean("reverse") or False
        if back is not None:
            _check_numbers(report, values["back"], back, quotes, "`back`")
        if reverse and front is not None:
            _check_numbers(report, values["front"], front, quotes, "`front` (the answer of the reverse card)")
        return None if front is None or back is None else Basic(front, back, reverse)
    if card_type == "cloze":
        text = fields.text("text")
        if text is None:
            return None
        return _read_cloze(report, values["text"], text, quotes)
    question = fields.text("question")
    if card_type == "choice":
        return _read_choice(report, fields, question, quotes)
    if card_type == "typed":
        answer = fields.text("answer")
        accept = fields.text_list("accept") or ()
        if answer is not None:
            _check_numbers(report, values["answer"], answer, quotes, "`answer`")
        for item_node, item in zip(values["accept"].value if accept else (), accept, strict=False):
            _check_numbers(report, item_node, item, quotes, "an `accept` alternative")
        if question is None or answer is None:
            return None
        return Typed(question, answer, accept)
    if card_type == "numeric":
        return _read_numeric(report, fields, question, quotes)
    # ordering
    items = fields.text_list("items")
    if items is None:
        return None
    if len(items) < 2:
        report.error(values["items"], "too-few-items", "`items` needs at least two items to put in order")
        return None
    duplicates = _duplicates(items)
    if duplicates:
        report.error(values["items"], "duplicate-item", f"`items` lists `{duplicates[0]}` twice: items must differ")
        return None
    for item_node, item in zip(values["items"].value, items, strict=False):
        _check_numbers(report, item_node, item, quotes, "an item")
    return None if question is None else Ordering(question, items)


_BOUNDS: tuple[Bound, ...] = ("above", "below")


def _read_numeric(report: _Report, fields: _Fields, question: str | None, quotes: Quotes) -> Numeric | None:
    values = fields.values
    ends = _read_value(fields)
    tolerance = fields.number("tolerance")
    if tolerance is not None and tolerance < 0:
        report.error(values["tolerance"], "bad-tolerance", "`tolerance` must be zero or positive")
        tolerance = None
    unit = fields.text("unit", required=False) or ""
    if unit and unit_name(unit) is None and fold_answer(unit).strip() not in SCALES:
        report.error(
            values["unit"],
            "bad-unit",
            f"`unit` `{unit}` is not a unit the checker can read: write one of {', '.join(UNITS)}"
            " (or a scale word such as million), or remove it",
        )
        return None
    bound: Bound | None = None
    if "bound" in values:
        written = fields.text("bound")
        if written is None:
            return None
        if written not in _BOUNDS:
            report.error(
                values["bound"],
                "bad-bound",
                f'`bound` must be `above` (the fact is "over ...") or `below` ("under ..."),'
                f" not {_kind(values['bound'])}",
            )
            return None
        bound = "above" if written == "above" else "below"
        if ends is not None and ends[1] is not None:
            report.error(
                values["bound"], "conflicting-keys", "a range has no `bound`: give one number, or remove `bound`"
            )
            return None
    if ends is not None and quotes is not None:
        quoted = quoted_numbers(quotes)
        for end in ends:
            if end is not None and end not in quoted:
                report.error(
                    values["value"],
                    "number-not-in-quote",
                    f"`value` {end} does not occur in the quote: check the figure or quote the passage that has it",
                )
    if question is None or ends is None:
        return None
    return Numeric(question, ends[0], tolerance if tolerance is not None else Decimal(0), unit, ends[1], bound)


def _read_value(fields: _Fields) -> tuple[Decimal, Decimal | None] | None:
    """A numeric card's `value`: one number, or a range ``[low, high]``."""
    node = fields.values.get("value")
    if not isinstance(node, yaml.SequenceNode):
        value = fields.number("value")
        return None if value is None else (value, None)
    fix = "write a range as two numbers, low then high, like `value: [20, 30]`"
    if len(node.value) != 2:
        fields.report.error(node, "bad-range", f"`value` lists {len(node.value)} items: {fix}")
        return None
    low, high = (_number(fields.report, item, "value") for item in node.value)
    if low is None or high is None:
        return None
    if low >= high:
        fields.report.error(
            node,
            "bad-range",
            f"the range's low end {low} is above its high end {high}: write it as [{high}, {low}]"
            if low > high
            else f"the range's two ends are both {low}: give one number, `value: {low}`",
        )
        return None
    return low, high


def _duplicates(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for text in texts:
        key = normalise_answer(text)
        if key in seen:
            repeated.append(text)
        seen.add(key)
    return repeated


# The opening of a deletion: what follows it up to the next `}}` is its answer.
_CLOZE_OPENING = re.compile(r"\{\{c(\d+)::")


def _read_cloze(report: _Report, node: yaml.Node, text: str, quotes: Quotes) -> Cloze | None:
    deletions = parse_cloze(text)
    remainder = text
    for deletion in reversed(deletions):
        remainder = remainder[: deletion.start] + remainder[deletion.end :]
    opening = _CLOZE_OPENING.search(remainder)
    if opening is not None and "}}" not in remainder[opening.end() :]:
        number = opening.group(1)
        report.error(
            node, "bad-cloze", f"deletion c{number} is not closed: end it with `}}}}`, as in {{{{c{number}::answer}}}}"
        )
        return None
    if not deletions:
        report.error(node, "cloze-without-deletion", "the cloze text has no deletion: mark one as {{c1::answer}}")
        return None
    if "{{" in remainder or "}}" in remainder:
        report.error(
            node, "bad-cloze", "a cloze deletion is malformed: write it as {{c1::answer}} or {{c1::answer::hint}}"
        )
        return None
    for deletion in deletions:
        if not deletion.answer.strip():
            report.error(
                node,
                "empty-text",
                f"deletion c{deletion.number} is empty: put the hidden text after `c{deletion.number}::`",
            )
            return None
        if any(not part for part in alternatives(deletion.answer)):
            report.error(
                node,
                "empty-text",
                f"deletion c{deletion.number} has an empty alternative: remove the extra `|`",
            )
            return None
        _check_numbers(report, node, deletion.answer, quotes, f"deletion c{deletion.number}")
        if deletion.hint:
            _check_numbers(report, node, deletion.hint, quotes, f"the hint of deletion c{deletion.number}")
    return Cloze(text)


def _read_choice(report: _Report, fields: _Fields, question: str | None, quotes: Quotes) -> Choice | None:
    values = fields.values
    answers = fields.text_list("answer", allow_single=True)
    distractors = fields.text_list("distractors")
    source_tag = fields.text("distractors_from")
    if "distractors" in values and "distractors_from" in values:
        report.error(
            values["distractors_from"],
            "conflicting-keys",
            "give either `distractors` or `distractors_from`, not both",
        )
        return None
    if "distractors" not in values and "distractors_from" not in values:
        report.error(
            fields.node, "missing-key", f"{fields.where} needs `distractors: [...]` or `distractors_from: <tag>`"
        )
        return None
    if answers is None:
        return None
    if not answers:
        report.error(values["answer"], "empty-text", "`answer` lists no answer")
        return None
    answer_node = values["answer"]
    answer_nodes = answer_node.value if isinstance(answer_node, yaml.SequenceNode) else [answer_node]
    for item_node, answer in zip(answer_nodes, answers, strict=False):
        _check_numbers(report, item_node, answer, quotes, "`answer`")
    if _duplicates(answers):
        report.error(answer_node, "duplicate-item", f"`answer` lists `{_duplicates(answers)[0]}` twice")
        return None
    if distractors is not None and not _check_distractors(report, values["distractors"], answers, distractors, True):
        return None
    if question is None or (distractors is None and source_tag is None):
        return None
    return Choice(question, answers, distractors or (), source_tag)


def _check_distractors(
    report: _Report, node: yaml.Node, answers: tuple[str, ...], distractors: tuple[str, ...], choice_card: bool
) -> bool:
    """Report distractors that are the answer, repeated or too few; True when none is an error."""
    keys = {normalise_answer(a) for a in answers}
    for item_node, distractor in zip(node.value, distractors, strict=False):
        if normalise_answer(distractor) in keys:
            report.error(
                item_node,
                "distractor-is-answer",
                f"distractor `{distractor}` is also the answer: replace it with a wrong option",
            )
            return False
    repeated = _duplicates(distractors)
    if repeated:
        report.error(node, "duplicate-item", f"`distractors` lists `{repeated[0]}` twice")
        return False
    if len(distractors) < MIN_DISTRACTORS:
        report.error(
            node,
            "too-few-distractors",
            f"a choice {'card' if choice_card else 'question'} needs at least {MIN_DISTRACTORS} distractors,"
            f" this one has {len(distractors)}",
        )
        return False
    if len(distractors) < GOOD_DISTRACTORS:
        report.warning(
            node,
            "few-distractors",
            f"only {len(distractors)} distractors: {GOOD_DISTRACTORS} or more make guessing harder",
        )
    return True


def _resolve_cards(report: _Report, pending: list[_PendingCard]) -> tuple[Card, ...]:
    """Deck-level checks: unique ids and distractors drawn from tags."""
    first_line: dict[str, int] = {}
    for card, id_node, _ in pending:
        if card.id in first_line:
            report.error(
                id_node,
                "duplicate-id",
                f"duplicate card id `{card.id}` (first on line {first_line[card.id]}): "
                "card ids must be unique within a deck; give this card a new id",
            )
        else:
            first_line[card.id] = id_node.start_mark.line + 1
    cards: list[Card] = []
    by_tag: dict[str, list[tuple[int, str, str]]] | None = None
    for item in pending:
        card = item.card
        body = card.body
        if isinstance(body, Choice) and body.distractors_from is not None:
            by_tag = by_tag if by_tag is not None else _answers_by_tag(pending)
            pool = _distractor_pool(by_tag, id(item), body)
            node = item.fields.values["distractors_from"]
            if not any(owner != id(item) for owner, _, _ in by_tag.get(body.distractors_from, ())):
                all_tags = {t for other in pending for t in other.card.tags}
                report.error(
                    node,
                    "unknown-tag",
                    f"no other card has the tag `{body.distractors_from}`{_suggest(body.distractors_from, all_tags)}",
                )
                continue
            if len(pool) < MIN_DISTRACTORS:
                report.error(
                    node,
                    "too-few-distractors",
                    f"the tag `{body.distractors_from}` gives only {len(pool)} distractors; "
                    f"a choice card needs at least {MIN_DISTRACTORS}",
                )
                continue
            if len(pool) < GOOD_DISTRACTORS:
                report.warning(
                    node,
                    "few-distractors",
                    f"the tag `{body.distractors_from}` gives only {len(pool)} distractors: "
                    f"{GOOD_DISTRACTORS} or more make guessing harder",
                )
            card = replace(card, body=Choice(body.question, body.answers, pool, body.distractors_from))
        cards.append(card)
    return tuple(cards)


# Distractors a `distractors_from` card keeps: a quiz draws three, so a larger pool
# only costs time and memory (every card of a big tag would hold every other's answer).
MAX_POOL = 50


def _answers_by_tag(pending: list[_PendingCard]) -> dict[str, list[tuple[int, str, str]]]:
    """Each tag's answers, once for the deck: (the card's identity, the normalised answer, the answer)."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    for item in pending:
        answers = [(id(item), normalise_answer(a), a) for a in answer_texts(item.card.body)]
        for tag in item.card.tags:
            found.setdefault(tag, []).extend(answers)
    return found


def _distractor_pool(by_tag: dict[str, list[tuple[int, str, str]]], owner: int, body: Choice) -> tuple[str, ...]:
    assert body.distractors_from is not None
    taken = {normalise_answer(a) for a in body.answers}
    pool: list[str] = []
    for card, key, answer in by_tag.get(body.distractors_from, ()):
        if card != owner and key and key not in taken:
            taken.add(key)
            pool.append(answer)
            if len(pool) == MAX_POOL:
                break
    return tuple(pool)
