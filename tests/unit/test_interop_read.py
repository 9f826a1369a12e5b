"""Reading other programs' files: HTML fields, Anki packages (modern and legacy) and text exports."""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from pathlib import Path

import genanki
import pytest
import zstandard

from immunoquiz.core import anki_package
from immunoquiz.core.anki_package import read_package
from immunoquiz.core.html_text import html_to_text
from immunoquiz.core.interchange import ForeignFileError
from immunoquiz.core.text_import import read_anki_text, read_quizlet
from tests.support.decks import TESTS

MODERN = TESTS / "data" / "anki" / "modern.apkg"


def test_html_becomes_text_with_its_media_named() -> None:
    converted = html_to_text(
        "What does <b>PD-1</b>&nbsp;stand&amp;for?<br><div>Next</div><script>alert(1)</script>"
        '<img src="cell.png"> [sound:a.mp3] \x1b[31m\u200b'
    )
    assert converted.text == "What does PD-1 stand&for? Next [31m"
    assert converted.media == ("cell.png", "a.mp3")


def test_hostile_html_is_read_in_linear_time() -> None:
    # `<b<b<b...` with no `>` took html.parser minutes (it retried each `<`) before it was made text.
    for hostile in ("<b" * 100_000, "<" * 200_000, "[sound:" * 50_000, "<a x='" * 50_000 + ">", "<!--" * 50_000):
        started = time.perf_counter()
        html_to_text(hostile)
        assert time.perf_counter() - started < 2, hostile[:10]


def test_the_modern_fixture_reads_every_note_type_and_the_log() -> None:
    collection = read_package(MODERN)
    kinds = [(note.note_type.name, note.note_type.kind) for note in collection.notes]
    assert kinds == [
        ("Basic", "basic"),
        ("Basic (and reversed card)", "reversed"),
        ("Cloze", "cloze"),
        ("Basic", "basic"),
        ("Vocabulary", "basic"),  # Front and Back first: Basic with a field added
    ]
    assert collection.notes[0].fields == ("What does <b>PD-1</b> stand for?", "Programmed cell death protein&nbsp;1")
    assert collection.deck_names == ("Immunology::Checkpoints",)
    assert [(r.note_key, r.template, r.rating) for r in collection.reviews] == [
        (collection.notes[0].key, 0, rating) for rating in (3, 3, 3, 1, 3)
    ]


def legacy_package(path: Path, extra: genanki.Model | None = None, media: list[str] | None = None) -> Path:
    """A legacy package (collection.anki2) written by genanki: one note of each built-in type, and ``media``."""
    deck = genanki.Deck(2059400110, "Legacy")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["Front &lt;1&gt;", "Back"], tags=["a"]))
    deck.add_note(genanki.Note(genanki.BASIC_AND_REVERSED_CARD_MODEL, ["Keytruda", "pembrolizumab"]))
    deck.add_note(genanki.Note(genanki.CLOZE_MODEL, ["{{c1::Ipilimumab}} blocks {{c2::CTLA-4}}", ""]))
    if extra is not None:
        deck.add_note(genanki.Note(extra, ["only"] * len(extra.fields)))
    genanki.Package(deck, media_files=media or []).write_to_file(str(path))
    return path


def test_a_legacy_package_made_by_genanki_reads(tmp_path: Path) -> None:
    picture = tmp_path / "cell.png"
    picture.write_bytes(b"not really a png")
    path = legacy_package(tmp_path / "legacy.apkg", media=[str(picture)])
    with zipfile.ZipFile(path) as package:
        assert "collection.anki21b" not in package.namelist()
    collection = read_package(path)
    assert [note.note_type.kind for note in collection.notes] == ["basic", "reversed", "cloze"]
    assert collection.notes[0].fields == ("Front &lt;1&gt;", "Back") and collection.notes[0].tags == ("a",)
    assert collection.deck_names == ("Legacy",) and collection.reviews == ()
    assert collection.media_files == 1


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


def test_damaged_packages_are_refused_with_what_to_do(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.apkg"
    garbage.write_bytes(b"PK\x03\x04 not really")
    cases = {
        garbage: "not a readable zip file",
        zipped(tmp_path / "empty.apkg", {"media": b"{}"}): "no Anki collection inside",
        zipped(tmp_path / "text.apkg", {"collection.anki2": b"hello"}): "not an SQLite database",
        zipped(tmp_path / "bad.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"}): "is damaged",
    }
    for path, expected in cases.items():
        with pytest.raises(ForeignFileError, match=expected):
            read_package(path)


def test_a_collection_not_from_anki_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute("CREATE TABLE notes (id INTEGER)")
    conn.commit()
    conn.close()
    path = zipped(tmp_path / "other.apkg", {"collection.anki2": (tmp_path / "c.db").read_bytes()})
    with pytest.raises(ForeignFileError, match="damaged or not from Anki"):
        read_package(path)


def test_zip_and_zstd_bombs_stop_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_COLLECTION_BYTES", 1_000_000)
    zeros = bytes(50_000_000)
    for name, data in {
        "collection.anki2": zeros,
        "collection.anki21b": zstandard.ZstdCompressor().compress(zeros),
    }.items():
        path = zipped(tmp_path / "bomb.apkg", {name: data})
        assert path.stat().st_size < 200_000
        with pytest.raises(ForeignFileError, match="over 1 MB once unpacked"):
            read_package(path)


ANKI_TEXT = """\
#separator:tab
#html:true
#notetype column:1
#tags column:4
#deck:Biology
Basic\tWhat is <b>DNA</b>?\tDeoxyribonucleic acid\tbio genes
Cloze\t{{c1::Mitochondria}} make ATP\t\tbio
"Basic"\t"A field with a tab\there"\tBack\t
Basic\t"Two\nlines"\tBack\t
"""


def test_anki_text_is_read_with_its_headers() -> None:
    collection = read_anki_text(ANKI_TEXT)
    assert [(n.where, n.note_type.kind, n.fields, n.tags) for n in collection.notes] == [
        ("line 6", "basic", ("What is <b>DNA</b>?", "Deoxyribonucleic acid"), ("bio", "genes")),
        ("line 7", "cloze", ("{{c1::Mitochondria}} make ATP", ""), ("bio",)),
        ("line 8", "basic", ("A field with a tab\there", "Back"), ()),
        ("line 9", "basic", ("Two\nlines", "Back"), ()),
    ]
    assert all(note.html for note in collection.notes) and collection.deck_names == ("Biology",)
    assert len({note.key for note in collection.notes}) == 4


def test_a_ragged_anki_text_row_is_refused_with_its_line() -> None:
    with pytest.raises(ForeignFileError, match=r"^line 7 has 5 columns where line 6 \(note type `Basic`\) has 4"):
        read_anki_text(ANKI_TEXT.replace("Cloze\t{{c1::Mitochondria}} make ATP\t\tbio", "Basic\tx\ty\tz\tw"))


def test_quizlet_tab_and_comma_exports_are_read() -> None:
    tabbed = read_quizlet("Keytruda\tpembrolizumab\n\nOpdivo\tnivolumab\n")
    assert [(n.where, n.fields) for n in tabbed.notes] == [
        ("line 1", ("Keytruda", "pembrolizumab")),
        ("line 3", ("Opdivo", "nivolumab")),
    ]
    commas = read_quizlet("CAR-T,engineered T-cells, grown in millions\n")
    assert commas.notes[0].fields == ("CAR-T", "engineered T-cells, grown in millions")
    assert not commas.notes[0].html


def test_a_quizlet_line_without_its_separator_is_refused() -> None:
    with pytest.raises(ForeignFileError, match=r"^line 2 has 1 column where every line needs two"):
        read_quizlet("a\tb\nlonely\n")
    with pytest.raises(ForeignFileError, match=r"^line 1 has 3 columns"):
        read_quizlet("a\tb\tc\n")


def test_a_modern_collection_is_read_from_memory_never_written() -> None:
    before = MODERN.read_bytes()
    read_package(MODERN)
    assert MODERN.read_bytes() == before
    with zipfile.ZipFile(io.BytesIO(before)) as package:
        assert {"collection.anki21b", "collection.anki2"} <= set(package.namelist())
