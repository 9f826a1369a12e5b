"""`immunoquiz import`, `export` and `log export`: Anki and Quizlet files in, Anki files and the review log out."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import sqlite3
import stat
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import genanki
import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.optimize import optimize
from immunoquiz.core.reader import read_deck
from immunoquiz.core.replay import replayed_states
from immunoquiz.core.store import open_store
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import ROOT, TESTS
from tests.support.log import load_log, many_cards
from tests.unit.test_interop_read import legacy_package, zipped

MODERN = TESTS / "data" / "anki" / "modern.apkg"
FIRST = "anki-1796280473504"  # the fixture's first note, the one with reviews


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_modern_fixture_imports_as_a_deck_that_checks(tmp_path: Path) -> None:
    out = tmp_path / "checkpoints.yaml"
    code, stdout, _ = invoke("import", str(MODERN), "-o", str(out))
    assert code == 0
    assert "5 notes imported as cards of deck `checkpoints`." in stdout
    assert "Media left out: 2 files referred to (tcell.png, tcell.mp3)." in stdout
    outcome = read_deck(out)
    assert outcome.deck is not None and [d.code for d in outcome.diagnostics] == ["unsourced"]
    cards = {card.id: card for card in outcome.deck.cards}
    assert cards[FIRST].body.front == "What does PD-1 stand for?"  # type: ignore[union-attr]
    assert cards[FIRST].body.back == "Programmed cell death protein 1"  # type: ignore[union-attr]
    assert cards["anki-1796280473505"].siblings == (0, 1)
    assert cards["anki-1796280473506"].type == "cloze" and cards["anki-1796280473506"].explain == "Yervoy"
    assert cards["anki-1796280473510"].explain == "Example: colitis is one"
    assert outcome.deck.title == "Checkpoints"
    schema = json.loads((ROOT / "immunoquiz" / "schema" / "deck.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(out.read_text(encoding="utf-8")), schema)
    assert invoke("check", str(out))[0] == 0


def test_a_colpkg_reads_as_a_package(tmp_path: Path) -> None:
    colpkg = tmp_path / "collection.colpkg"
    shutil.copy(MODERN, colpkg)
    code, stdout, _ = invoke("import", str(colpkg), "-o", str(tmp_path / "all.yaml"))
    assert code == 0 and "5 notes imported as cards of deck `all`." in stdout


def test_import_never_overwrites_without_force_and_never_touches_the_database(tmp_path: Path) -> None:
    out = tmp_path / "deck.yaml"
    out.write_text("mine", encoding="utf-8")
    db = tmp_path / "learner.db"
    code, _, err = invoke("import", str(MODERN), "-o", str(out), "--db", str(db))
    assert code == 1 and "the file exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "mine"
    assert invoke("import", str(MODERN), "-o", str(out), "--force", "--db", str(db))[0] == 0
    assert not db.exists()


def test_a_legacy_genanki_package_imports_and_other_note_types_say_so(tmp_path: Path) -> None:
    other = genanki.Model(
        1607392320,
        "Vocab",
        fields=[{"name": "Term"}, {"name": "Meaning"}, {"name": "Note"}],
        templates=[{"name": "Card 1", "qfmt": "{{Term}}", "afmt": "{{Meaning}}"}],
    )
    sound = tmp_path / "a.mp3"
    sound.write_bytes(b"not really a sound")
    package = legacy_package(tmp_path / "legacy.apkg", other, [str(sound)])
    out = tmp_path / "legacy.yaml"
    code, stdout, _ = invoke("import", str(package), "-o", str(out))
    assert code == 0, stdout
    assert "4 notes imported" in stdout
    assert "The package held 1 media file: none was brought along." in stdout
    assert "1 note of note type `Vocab` read as basic from the first two fields" in stdout
    deck = read_deck(out).deck
    assert deck is not None
    assert [card.type for card in deck.cards] == ["basic", "basic", "cloze", "basic"]
    assert deck.cards[0].body.front == "Front <1>"  # type: ignore[union-attr]
    assert deck.cards[3].explain == "Note: only"


def test_a_note_type_that_cannot_be_mapped_is_refused_by_name(tmp_path: Path) -> None:
    single = genanki.Model(
        1607392321,
        "One\x1b[31mField",
        fields=[{"name": "Text"}],
        templates=[{"name": "Card 1", "qfmt": "{{Text}}", "afmt": "{{Text}}"}],
    )
    package = legacy_package(tmp_path / "single.apkg", single)
    out = tmp_path / "single.yaml"
    code, stdout, err = invoke("import", str(package), "-o", str(out))
    assert code == 1 and not out.exists() and stdout == ""
    assert err.count("\n") == 1 and "One\\x1b[31mField" in err and "\x1b" not in err
    assert "note type" in err and "Change Note Type" in err and str(package) in err


def test_notes_that_cannot_be_cards_are_skipped_with_why(tmp_path: Path) -> None:
    deck = genanki.Deck(2059400111, "Skips")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ['<img src="only.png">', "Back"]))
    deck.add_note(genanki.Note(genanki.CLOZE_MODEL, ["{{c1::}} empty", ""]))
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["Is it?", "No"]))
    path = tmp_path / "skips.apkg"
    genanki.Package(deck).write_to_file(str(path))
    out = tmp_path / "skips.yaml"
    code, stdout, _ = invoke("import", str(path), "-o", str(out))
    assert code == 0
    assert "1 note imported" in stdout and "2 notes skipped:" in stdout
    assert "its front is empty once HTML and media are taken out" in stdout
    assert "deletion c1 is empty" in stdout
    assert "Media left out: 1 file referred to (only.png)." in stdout
    written = read_deck(out).deck
    assert written is not None and written.cards[0].body.back == "No"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("garbage.apkg", b"not a zip", "not a readable zip file"),
        ("ragged.txt", "#separator:tab\na\tb\nc\td\te\n", "line 3 has 3 columns where line 2"),
        ("quizlet.txt", "term\tdefinition\nno separator here\n", "line 2 has 1 column"),
        ("latin1.txt", "caf\xe9\tcoffee\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(
    tmp_path: Path, name: str, data: str | bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    out = tmp_path / "out.yaml"
    code, _, err = invoke("import", str(path), "-o", str(out))
    assert code == 1 and not out.exists()
    assert err.startswith(f"immunoquiz: error: {path}: ") and expected in err and err.count("\n") == 1


def test_both_text_formats_import(tmp_path: Path) -> None:
    anki = tmp_path / "anki.txt"
    anki.write_text(
        "#separator:tab\n#html:true\n#notetype column:1\n#tags column:4\nBasic\tWhat is <i>ATP</i>?\tEnergy\tbio\n"
        "Cloze\t{{c1::Mitochondria}} make ATP\t\tbio\n",
        encoding="utf-8",
    )
    quizlet = tmp_path / "quizlet.txt"
    quizlet.write_text("Keytruda\tpembrolizumab\nOpdivo\tnivolumab\n", encoding="utf-8")
    for path, types in ((anki, ["basic", "cloze"]), (quizlet, ["basic", "basic"])):
        out = tmp_path / f"{path.stem}.yaml"
        assert invoke("import", str(path), "-o", str(out))[0] == 0
        deck = read_deck(out).deck
        assert deck is not None and [card.type for card in deck.cards] == types
    assert invoke("import", str(quizlet), "--with-history", "-o", str(tmp_path / "q.yaml"))[2].startswith(
        "immunoquiz: error: --with-history:"
    )


def test_with_history_replays_the_log_into_fsrs_states_once(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    out = folder / "checkpoints.yaml"
    db = tmp_path / "learner.db"
    code, stdout, _ = invoke("import", str(MODERN), "-o", str(out), "--with-history", "--db", str(db))
    assert code == 0
    assert "History: 5 answers of 1 card brought in and replayed into their FSRS state." in stdout
    store = open_store(db)
    store.sync([bundled_decks_dir(), folder], datetime(2026, 12, 3, tzinfo=UTC))
    card = store.find_card("checkpoints", FIRST)
    assert card.state.reps == 5 and card.state.lapses == 1 and card.state.stability is not None
    # Exactly what replaying the log under the deck's options gives (the reschedule's own replay).
    states, answers = replayed_states(store, ["checkpoints"])
    assert answers == 5 and states == {card.id: card.state}
    rows = store.conn.execute("SELECT rating, duration_ms, mode FROM reviews ORDER BY time_ms").fetchall()
    assert rows == [(3, 8000, "review")] * 3 + [(1, 8000, "review"), (3, 8000, "review")]
    store.close()
    code, stdout, _ = invoke(
        "import", str(MODERN), "-o", str(out), "--force", "--with-history", "--db", str(db), "--decks", str(folder)
    )
    assert code == 0 and "1 card already answered here kept their own" in stdout
    store = open_store(db)
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (5,)
    store.close()


def package_notes(path: Path) -> list[tuple[str, str, list[str]]]:
    """(GUID, note type name, fields) of each note of a package genanki wrote."""
    with zipfile.ZipFile(path) as package:
        data = package.read("collection.anki2")
    copy = path.with_suffix(".db")
    copy.write_bytes(data)
    conn = sqlite3.connect(copy)
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    notes = [
        (guid, models[str(mid)]["name"], flds.split("\x1f"))
        for guid, mid, flds in conn.execute("SELECT guid, mid, flds FROM notes ORDER BY id")
    ]
    conn.close()
    return notes


def test_export_apkg_has_stable_guids_and_the_quote_and_explain_as_fields(tmp_path: Path) -> None:
    deck = read_deck(bundled_decks_dir() / "02-checkpoint-inhibitors.yaml").deck
    assert deck is not None
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert invoke("export", deck.id, "-o", str(first))[0] == 0
    code, _, err = invoke("export", deck.id, "-o", str(first))
    assert code == 1 and "--force" in err
    assert invoke("export", deck.id, "-o", str(second))[0] == 0
    notes = package_notes(first)
    assert [guid for guid, _, _ in notes] == [genanki.guid_for(deck.id, card.id) for card in deck.cards]
    assert [guid for guid, _, _ in package_notes(second)] == [guid for guid, _, _ in notes]
    for card, (_, kind, fields) in zip(deck.cards, notes, strict=True):
        assert card.quote.replace("'", "&#x27;").replace('"', "&quot;") in fields[-2]
        if card.type == "cloze":
            # A deletion keeps its number (its sibling's history): a cloze may start at c2 or c3.
            assert kind == "immunoquiz Cloze" and f"{{{{c{card.siblings[0]}::" in fields[0]
    assert {kind for _, kind, _ in notes} >= {"immunoquiz Basic", "immunoquiz Cloze"}


def test_export_apkg_carries_the_deck_note_on_the_deck_overview(tmp_path: Path) -> None:
    deck = read_deck(bundled_decks_dir() / "05-side-effects.yaml").deck
    assert deck is not None and deck.note
    out = tmp_path / "side-effects.apkg"
    assert invoke("export", deck.id, "-o", str(out))[0] == 0
    with zipfile.ZipFile(out) as package:
        copy = tmp_path / "collection.db"
        copy.write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(copy)
    decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    conn.close()
    (description,) = [d["desc"] for d in decks.values() if d["name"] == deck.title]
    # HTML in Anki: the deck's texts escaped, the note after the description.
    assert description == f"{html.escape(deck.description)}<p><b>Note:</b> {html.escape(deck.note)}</p>"


def test_export_csv_reads_back_through_import(tmp_path: Path) -> None:
    csv_file = tmp_path / "side-effects.csv"
    assert invoke("export", "side-effects", "--format", "csv", "-o", str(csv_file))[0] == 0
    original = read_deck(bundled_decks_dir() / "05-side-effects.yaml").deck
    assert original is not None
    out = tmp_path / "back.yaml"
    code, stdout, _ = invoke("import", str(csv_file), "-o", str(out))
    assert code == 0 and f"{len(original.cards)} notes imported" in stdout
    deck = read_deck(out).deck
    assert deck is not None
    assert [card.quote for card in deck.cards] == [card.quote for card in original.cards]


def test_export_refuses_an_unknown_deck_in_one_line(tmp_path: Path) -> None:
    code, _, err = invoke("export", "no-such-deck", "-o", str(tmp_path / "x.apkg"))
    assert code == 1 and err.startswith("immunoquiz: error: export: no deck `no-such-deck`")
    assert not (tmp_path / "x.apkg").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_export_over_a_pipe_or_device_is_refused_and_leaves_it_one(tmp_path: Path) -> None:
    # Moved into place, the export would replace the pipe (or, for root, /dev/null itself) with a file.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for output_format in ("apkg", "csv"):
        code, _, err = invoke("export", "side-effects", "--format", output_format, "-o", str(pipe), "--force")
        assert code == 1
        assert (
            err == f"immunoquiz: error: -o {pipe}: not a regular file (a folder, device or pipe): give a file's path\n"
        )
    assert stat.S_ISFIFO(pipe.stat().st_mode) and list(tmp_path.iterdir()) == [pipe]


def test_anki_imports_the_export_and_a_re_export_updates_its_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        pytest.skip("the `anki` package (AGPL, not a dependency) is not installed: pip install anki to run this")
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / "side-effects.yaml"
    shutil.copy(bundled_decks_dir() / "05-side-effects.yaml", deck_file)
    shutil.copytree(bundled_decks_dir() / "sources", folder / "sources")
    text = deck_file.read_text(encoding="utf-8")
    deck = read_deck(deck_file).deck
    assert deck is not None
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert invoke("export", str(deck_file), "-o", str(first))[0] == 0
    card = next(c for c in deck.cards if c.type == "basic")
    back = card.body.back  # type: ignore[union-attr]
    deck_file.write_text(text.replace(f"back: {back}", f"back: {back} (edited)", 1), encoding="utf-8")
    # A re-export comes later: Anki's default keeps a note unless the package's copy is newer.
    with monkeypatch.context() as later:
        now = time.time()
        later.setattr(time, "time", lambda: now + 60)
        assert invoke("export", str(deck_file), "-o", str(second))[0] == 0
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        for package in (first, second):
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
            )
            assert col.note_count() == len(deck.cards)
        guid = genanki.guid_for(deck.id, card.id)
        edited = [note["Back"] for note in map(col.get_note, col.find_notes("")) if note.guid == guid]
        assert edited == [f"{back} (edited)"]
    finally:
        col.close()


def test_the_exported_log_fits_to_the_same_parameters_as_optimize(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview

    db = tmp_path / "learner.db"
    folder = many_cards(write_deck)
    store = open_store(db)
    store.sync([bundled_decks_dir(), folder], datetime(2026, 3, 2, tzinfo=UTC))
    load_log(store, store.cards_where("deck_id = 'd'"))
    fit = optimize(store, ["d"])
    store.close()
    assert fit.parameters is not None
    code, out, _ = invoke("log", "export", "--format", "csv", "--deck", "d", "--db", str(db), "--decks", str(folder))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:5] == ["card_id", "review_time", "review_rating", "review_state", "review_duration"]
    # Read back as the FSRS tools do: per card, oldest first, a training item at each answer a day or more on.
    by_card: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_card.setdefault(row["card_id"], []).append(row)
    dated = []
    for history in by_card.values():
        history.sort(key=lambda row: int(row["review_time"]))
        reviews: list[FSRSReview] = []
        last = None
        for row in history:
            day = int(row["review_day"])
            gap = 0 if last is None else day - last
            reviews.append(FSRSReview(int(row["review_rating"]), gap))
            if gap > 0 and (item := FSRSItem(list(reviews))).long_term_review_cnt() > 0:
                dated.append((day, item))
            last = day
    dated.sort(key=lambda pair: pair[0])
    fitted = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters([item for _, item in dated])
    assert tuple(float(w) for w in fitted) == fit.parameters
    code, out, _ = invoke("log", "export", "--format", "json", "--deck", "d", "--db", str(db), "--decks", str(folder))
    document = json.loads(out)
    assert document["format"] == "immunoquiz-review-log" and document["next_day_starts_at"] == 4
    assert len(document["reviews"]) == len(rows) and document["reviews"][0]["card_id"] == int(rows[0]["card_id"])


def test_hostile_zip_members_never_show_a_traceback(tmp_path: Path) -> None:
    path = zipped(tmp_path / "evil.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd\x00\x00"})
    code, _, err = invoke("import", str(path), "-o", str(tmp_path / "evil.yaml"))
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
