"""Read cards exported as text: Anki's "Notes in Plain Text" and Quizlet's export.

Anki's text has header lines (``#separator:tab``, ``#html:true``,
``#notetype column:1``, ``#deck:Name``, ``#tags column:3``, ``#guid column:2``)
and then one note a row, fields split by the separator and quoted as in CSV.
Quizlet's has no header: one card a line, the term, a tab (or a comma), the
definition. Both are untrusted: the file's size is bounded, and a row that
does not have the columns its header says is refused with its line.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from immunoquiz.core.interchange import ForeignCollection, ForeignFileError, ForeignNote, NoteKind, NoteType, note_kind
from immunoquiz.core.text import counted, visible

MAX_TEXT_BYTES = 50_000_000
"""A text export larger than this is refused unread."""
MAX_FIELD_CHARS = 100_000
"""A field longer than this is refused (csv's own limit is near it)."""
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_QUIZLET = NoteType("Quizlet", "basic", ("Term", "Definition"))


def _key(text: str, taken: set[str]) -> str:
    """A stable card id from a note's identity (its GUID or first field), unique in the file."""
    key = "t-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    n, unique = 1, key
    while unique in taken:
        n += 1
        unique = f"{key}-{n}"
    taken.add(unique)
    return unique


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise ForeignFileError(f"the file is over {MAX_TEXT_BYTES // 1_000_000} MB: it is refused")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ForeignFileError(f"it is not UTF-8 text (byte {exc.start}): save it as UTF-8 and import again") from exc
    except OSError as exc:
        raise ForeignFileError(f"cannot read it ({exc.strerror or exc})") from exc


def _kind_by_name(name: str, fields: tuple[str, ...]) -> NoteKind:
    """A text export names its note types but does not describe them: go by the name."""
    folded = name.casefold()
    return note_kind("cloze" in folded, fields, 2 if "reverse" in folded else 1)


def _column(value: str, line: int) -> int:
    """A 1-based ``column:N`` header value as a 0-based index."""
    number = value.removeprefix("column:").strip()
    if not number.isdigit() or int(number) < 1:
        raise ForeignFileError(f"line {line}: `{visible(value)}` is not a column number: write it as column:2")
    return int(number) - 1


def read_anki_text(text: str) -> ForeignCollection:
    """Read Anki's text export (its header lines and rows).

    Args:
        text: The file's text.

    Returns:
        The notes, one per row.

    Raises:
        ForeignFileError: A header that cannot be read, or a ragged row (a row
            with other columns than the first of its note type).
    """
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if not line.startswith("#")), len(lines))
    headers: dict[str, str] = {}
    for line in lines[:start]:
        name, _, value = line[1:].partition(":")
        headers[name.strip().casefold()] = value.strip()
    separator = headers.get("separator", "tab")
    delimiter = _SEPARATORS.get(separator.casefold(), separator)
    if len(delimiter) != 1:
        raise ForeignFileError(f"#separator:{visible(separator)} is not one character nor a separator's name")
    html = headers.get("html", "false").casefold() == "true"
    meta = {
        name: _column(headers[f"{name} column"], 1 + list(headers).index(f"{name} column"))
        for name in ("notetype", "deck", "tags", "guid")
        if f"{name} column" in headers
    }
    shared_tags = tuple(headers.get("tags", "").split())
    columns = headers["columns"].split(delimiter) if "columns" in headers else []
    default_type = headers.get("notetype", "Basic")
    widths: dict[str, tuple[int, int]] = {}
    notes = []
    taken: set[str] = set()
    decks: dict[str, None] = {}
    if "deck" in headers:
        decks[headers["deck"]] = None
    try:
        # Read as one stream, so that a quoted field may hold a line break.
        rows = csv.reader(io.StringIO("\n".join(lines[start:]), newline=""), delimiter=delimiter, strict=True)
        ended = 0
        for row in rows:
            # The line the row starts on (a quoted line break makes a row span lines).
            number, ended = start + ended + 1, rows.line_num
            if not row or row == [""]:
                continue
            if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                raise ForeignFileError(f"line {number}: a field is over {MAX_FIELD_CHARS} characters: it is refused")
            if any(index >= len(row) for index in meta.values()):
                raise ForeignFileError(
                    f"line {number} has {len(row)} columns, fewer than its header names: every row needs its"
                    " note type, deck, tags and GUID columns"
                )
            name = row[meta["notetype"]] if "notetype" in meta else default_type
            fields = tuple(cell for index, cell in enumerate(row) if index not in meta.values())
            first = widths.setdefault(name, (len(row), number))
            if first[0] != len(row):
                raise ForeignFileError(
                    f"line {number} has {len(row)} columns where line {first[1]} (note type `{visible(name)}`)"
                    f" has {first[0]}: fix the row (a field with the separator in it needs quotes)"
                )
            if "deck" in meta:
                decks[row[meta["deck"]]] = None
            tags = shared_tags + tuple(row[meta["tags"]].split()) if "tags" in meta else shared_tags
            names = tuple(
                columns[i] if i < len(columns) else f"Field {i + 1}" for i in range(len(row)) if i not in meta.values()
            )
            note_type = NoteType(name, _kind_by_name(name, names), names)
            identity = row[meta["guid"]] if "guid" in meta else fields[0]
            notes.append(ForeignNote(_key(identity, taken), f"line {number}", note_type, fields, tags, html))
    except csv.Error as exc:
        raise ForeignFileError(
            f"line {rows.line_num + start}: {visible(str(exc))}: fix the quotes of that row"
        ) from exc
    return ForeignCollection(tuple(notes), deck_names=tuple(decks))


def read_quizlet(text: str) -> ForeignCollection:
    """Read Quizlet's export: a term, a tab or comma, a definition, one card a line.

    The separator is a tab if the first card's line has one, else a comma;
    only the first comma splits, since definitions often hold more.

    Raises:
        ForeignFileError: A line without the separator, or (tab-separated)
            with more than one.
    """
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    separator = "\t" if "\t" in first else ","
    named = "a tab" if separator == "\t" else "a comma"
    notes = []
    taken: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if len(line) > MAX_FIELD_CHARS:
            raise ForeignFileError(f"line {number} is over {MAX_FIELD_CHARS} characters: it is refused")
        term, found, definition = line.partition(separator)
        if not found or (separator == "\t" and "\t" in definition):
            columns = line.count(separator) + 1
            raise ForeignFileError(
                f"line {number} has {counted(columns, 'column')} where every line needs two, a term,"
                f" {named} and a definition: fix that line"
            )
        notes.append(ForeignNote(_key(term, taken), f"line {number}", _QUIZLET, (term, definition), html=False))
    return ForeignCollection(tuple(notes))


def read_text_export(path: Path) -> ForeignCollection:
    """Read a text export, Anki's (it starts with ``#`` headers) or Quizlet's.

    Raises:
        ForeignFileError: See ``read_anki_text`` and ``read_quizlet``.
    """
    text = _read(path)
    return read_anki_text(text) if text.startswith("#") else read_quizlet(text)
