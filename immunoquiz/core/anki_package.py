"""Read Anki packages (``.apkg``, ``.colpkg``): the one module that runs SQL on a file not ours.

A package is a zip holding the collection, an SQLite database: modern ones
(Anki 2.1.50 on) hold ``collection.anki21b``, compressed with zstd, beside a
``collection.anki2`` stub that only says to update Anki; legacy ones hold
``collection.anki21`` or ``collection.anki2``. Packages are untrusted: the
zip's members are read only up to a size limit (a zip or zstd bomb stops
there), the database is opened from memory, never written, and every value
read is checked for its type.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from immunoquiz.core.interchange import (
    ForeignCollection,
    ForeignFileError,
    ForeignNote,
    ForeignReview,
    NoteType,
    note_kind,
)
from immunoquiz.core.text import visible

MAX_PACKAGE_BYTES = 2_000_000_000
"""A package file larger than this is refused unread."""
MAX_COLLECTION_BYTES = 512_000_000
"""The collection database may be at most this big, once decompressed."""
_CHUNK = 1 << 20
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_SEPARATOR = "\x1f"  # between a note's fields, and between a modern deck name's parts
_CLOZE_KIND = 1


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _bounded(stream: _Readable, limit: int, what: str) -> bytes:
    """Read a stream to its end, refusing it once it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ForeignFileError(f"{what} is over {limit // 1_000_000} MB once unpacked: it is refused")
        chunks.append(chunk)
    return b"".join(chunks)


def _collection_bytes(path: Path) -> tuple[bytes, int]:
    """The collection database's bytes, and how many media files the package holds."""
    try:
        if path.stat().st_size > MAX_PACKAGE_BYTES:
            raise ForeignFileError(f"the package is over {MAX_PACKAGE_BYTES // 1_000_000} MB: it is refused")
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            media = sum(name.isdigit() for name in names)
            member = next((name for name in _COLLECTIONS if name in names), None)
            if member is None:
                raise ForeignFileError(
                    "no Anki collection inside (no collection.anki21b, .anki21 or .anki2):"
                    " export it again from Anki as a deck package (.apkg)"
                )
            with package.open(member) as stream:
                data = _bounded(stream, MAX_COLLECTION_BYTES, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ForeignFileError(f"not a readable zip file ({visible(str(exc))}): export it again from Anki") from exc
    except OSError as exc:
        raise ForeignFileError(f"cannot read it ({exc.strerror or exc})") from exc
    if member.endswith("b"):
        import zstandard

        try:
            data = _bounded(zstandard.ZstdDecompressor().stream_reader(data), MAX_COLLECTION_BYTES, member)
        except zstandard.ZstdError as exc:
            raise ForeignFileError(f"{member} is damaged ({visible(str(exc))}): export it again from Anki") from exc
    return data, media


def _open(data: bytes) -> sqlite3.Connection:
    """The collection opened in memory, read only."""
    if not data.startswith(b"SQLite format 3\x00") or len(data) < 100:
        raise ForeignFileError("its collection is not an SQLite database: export it again from Anki")
    # Bytes 18-19 say WAL (2); an in-memory database opens only in rollback mode (1).
    data = data[:18] + b"\x01\x01" + data[20:]
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise ForeignFileError(
            f"its collection cannot be opened ({visible(str(exc))}): export it again from Anki"
        ) from exc
    return conn


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
    raise ValueError("truncated")


def _protobuf_kind(config: bytes) -> int:
    """Field 1 of a modern note type's config (``NotetypeConfig.kind``: 0 normal, 1 cloze); 0 when absent."""
    position = 0
    try:
        while position < len(config):
            key, position = _varint(config, position)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, position = _varint(config, position)
                if number == 1:
                    return value
            elif wire == 2:
                length, position = _varint(config, position)
                position += length
            elif wire in (1, 5):
                position += 8 if wire == 1 else 4
            else:
                return 0
    except ValueError:
        return 0
    return 0


def _note_types(conn: sqlite3.Connection, modern: bool) -> dict[int, NoteType]:
    if modern:
        fields: dict[int, list[str]] = {}
        for ntid, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
            fields.setdefault(int(ntid), []).append(str(name))
        templates = dict(conn.execute("SELECT ntid, count(*) FROM templates GROUP BY ntid"))
        types = {}
        for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
            found = tuple(fields.get(int(ntid), ()))
            cloze = isinstance(config, bytes) and _protobuf_kind(config) == _CLOZE_KIND
            types[int(ntid)] = NoteType(str(name), note_kind(cloze, found, int(templates.get(ntid, 0))), found)
        return types
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    types = {}
    for model in json.loads(models_json).values():
        names = tuple(str(f["name"]) for f in sorted(model["flds"], key=lambda f: int(f["ord"])))
        kind = note_kind(int(model.get("type", 0)) == _CLOZE_KIND, names, len(model["tmpls"]))
        types[int(model["id"])] = NoteType(str(model["name"]), kind, names)
    return types


def _deck_names(conn: sqlite3.Connection, modern: bool, used: Iterable[int]) -> tuple[str, ...]:
    if modern:
        names = {int(i): str(n).replace(_SEPARATOR, "::") for i, n in conn.execute("SELECT id, name FROM decks")}
    else:
        (decks_json,) = conn.execute("SELECT decks FROM col").fetchone()
        names = {int(d["id"]): str(d["name"]) for d in json.loads(decks_json).values()}
    return tuple(dict.fromkeys(names[d] for d in used if d in names))


def read_package(path: Path) -> ForeignCollection:
    """Read the notes, their decks and their review log from an Anki package.

    Args:
        path: The ``.apkg`` or ``.colpkg`` file (untrusted).

    Returns:
        The notes in the order Anki added them, and their answers (ratings 1-4
        of learning, review, relearning and filtered-deck study; Anki's manual
        reschedulings, which have no rating, are left out), oldest first.

    Raises:
        ForeignFileError: The file is no package, is damaged or too big, or a
            note does not fit its note type; the message says which and what to do.
    """
    data, media = _collection_bytes(path)
    conn = _open(data)
    try:
        modern = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'notetypes'").fetchone() is not None
        types = _note_types(conn, modern)
        notes = []
        for nid, mid, tags, flds in conn.execute("SELECT id, mid, tags, flds FROM notes ORDER BY id"):
            note_type = types.get(int(mid))
            if note_type is None:
                raise ForeignFileError(f"note {nid} has a note type the package does not hold: export it again")
            fields = tuple(str(flds).split(_SEPARATOR))
            if len(fields) != len(note_type.fields):
                raise ForeignFileError(
                    f"note {nid} has {len(fields)} fields where its note type `{visible(note_type.name)}` has"
                    f" {len(note_type.fields)}: check the collection in Anki (Tools > Check Database) and export again"
                )
            notes.append(ForeignNote(f"anki-{nid}", f"note {nid}", note_type, fields, tuple(str(tags).split())))
        cards = {int(cid): (int(nid), int(ord_)) for cid, nid, ord_ in conn.execute("SELECT id, nid, ord FROM cards")}
        decks = [int(did) for (did,) in conn.execute("SELECT DISTINCT did FROM cards")]
        reviews = []
        for rid, cid, ease, duration in conn.execute(
            "SELECT id, cid, ease, time FROM revlog WHERE ease BETWEEN 1 AND 4 AND type BETWEEN 0 AND 3 ORDER BY id"
        ):
            card = cards.get(int(cid))
            if card is not None:
                reviews.append(ForeignReview(f"anki-{card[0]}", card[1], int(rid), int(ease), max(0, int(duration))))
        return ForeignCollection(tuple(notes), tuple(reviews), _deck_names(conn, modern, decks), media)
    except (sqlite3.Error, KeyError, TypeError, ValueError, AttributeError) as exc:
        # json.JSONDecodeError is a ValueError: a damaged `col` row lands here too.
        raise ForeignFileError(
            f"its collection is damaged or not from Anki ({visible(str(exc))}): export it again"
        ) from exc
    finally:
        conn.close()
