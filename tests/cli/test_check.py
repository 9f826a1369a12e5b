"""`immunoquiz check`: every error class at its path:line:col, and exit codes."""

from __future__ import annotations

import gc
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.check import check_paths
from immunoquiz.core.model import Basic, Choice, Cloze, Numeric, Ordering, Typed
from immunoquiz.core.reader import read_deck
from tests.support.decks import TESTS

HERE = TESTS
BAD = sorted((HERE / "decks" / "bad").glob("*.yaml"))
GOOD = HERE / "decks" / "good" / "all-types.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_each_error_class_is_reported_at_its_place(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    monkeypatch.chdir(path.parent)
    code, out = run(path.name)
    assert code == 1
    assert f"{path.name}:{expected}" in out, out
    assert "Traceback" not in out


def test_every_bad_deck_has_an_expectation() -> None:
    assert len(BAD) >= 18
    for path in BAD:
        assert re.match(r"# expect: \d+:\d+: error: ", path.read_text(encoding="utf-8"))


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    deck = tmp_path / "evil.yaml"
    deck.write_text(f'id: !!python/object/apply:os.system ["touch {target}"]\n', encoding="utf-8")
    code, out = run(str(deck))
    assert code == 1 and "not allowed" in out
    assert not target.exists()


def test_good_deck_reads_every_card_type() -> None:
    outcome = read_deck(GOOD)
    assert outcome.diagnostics == []
    deck = outcome.deck
    assert deck is not None and deck.id == "all-types" and deck.version == "2"
    cards = {card.id: card for card in deck.cards}
    assert cards["irae"].siblings == (0, 1)
    assert isinstance(cards["pd-l1"].body, Cloze)
    assert cards["pd-l1"].siblings == (1, 2)
    assert cards["pd-l1"].body.prompt(2) == "Cancer cells express PD-L1, which links to [a receptor] on T-cells."
    assert cards["pd-l1"].body.prompt(1) == "Cancer cells express [...], which links to PD-1 on T-cells."
    assert isinstance(cards["keynote-689"].body, Numeric) and str(cards["keynote-689"].body.value) == "59.8"
    assert isinstance(cards["car-t-steps"].body, Ordering) and len(cards["car-t-steps"].body.items) == 4
    assert isinstance(cards["keytruda"].body, Typed)
    assert isinstance(cards["irae"].body, Basic)
    assert cards["ctla4-drug"].line == 20


def test_a_read_that_skips_the_places_reads_the_same_deck_and_diagnostics() -> None:
    # The sync's read (no check across decks needs where each card is written).
    for path in (GOOD, *BAD):
        full, bare = read_deck(path), read_deck(path, places=False)
        assert (bare.deck, bare.diagnostics, bare.kind_marks, bare.cards) == (
            full.deck,
            full.diagnostics,
            full.kind_marks,
            full.cards,
        )
        assert bare.places == {}
    assert read_deck(GOOD).places["ctla4-drug"].card == (20, 5)


def test_distractors_from_draws_other_cards_answers_with_the_tag() -> None:
    deck = read_deck(GOOD).deck
    assert deck is not None
    herceptin = next(card for card in deck.cards if card.id == "herceptin")
    assert isinstance(herceptin.body, Choice)
    assert sorted(herceptin.body.distractors) == ["Keytruda", "Opdivo", "Yervoy"]


def test_distractors_from_never_draws_the_answer(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "question: Under which brand name is nivolumab sold?\n    answer: Opdivo",
        "question: Under which brand name is trastuzumab sold?\n    answer: herceptin",
    )
    text = text.replace("../../../decks", str(HERE.parent / "decks"))
    deck_path = tmp_path / "d.yaml"
    deck_path.write_text(text, encoding="utf-8")
    outcome = read_deck(deck_path)
    herceptin = next(card for card in outcome.deck.cards if card.id == "herceptin")  # type: ignore[union-attr]
    assert sorted(herceptin.body.distractors) == ["Keytruda", "Yervoy"]  # type: ignore[union-attr]


def test_json_format_and_exit_codes() -> None:
    code, out = run("--format", "json", str(BAD[0]))
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["errors"] >= 1
    first = data["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "severity", "code", "message"}
    code, out = run("--format", "json", str(GOOD))
    assert code == 0 and json.loads(out)["cards"] == 10


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    deck = tmp_path / "few.yaml"
    deck.write_text(
        GOOD.read_text(encoding="utf-8")
        .replace("[Pembrolizumab, Nivolumab, Trastuzumab]", "[Pembrolizumab, Nivolumab]")
        .replace("../../../decks", str(HERE.parent / "decks")),
        encoding="utf-8",
    )
    code, out = run(str(deck))
    assert code == 0 and ": warning: only 2 distractors" in out
    code, out = run("--strict", str(deck))
    assert code == 1 and ": error: only 2 distractors" in out


def test_not_utf8_and_missing_files_are_one_line_errors(tmp_path: Path) -> None:
    deck = tmp_path / "latin1.yaml"
    deck.write_bytes(b"id: x\ntitle: caf\xe9\n")
    code, out = run(str(deck))
    assert code == 1 and out.strip() == f"{deck}:2:11: error: the file is not UTF-8: save it as UTF-8"
    code, out = run(str(tmp_path / "nope.yaml"))
    assert code == 1 and "no such file or folder" in out


def test_a_folder_without_deck_files_is_an_error_naming_it_and_what_a_deck_file_is(tmp_path: Path) -> None:
    empty = tmp_path / "emptydir"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "deck.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (empty / "tags.yaml").write_text("tags: {car-t: CAR-T cell therapy}\n", encoding="utf-8")
    (empty / "notes.txt").write_text("not a deck\n", encoding="utf-8")
    code, out = run(str(empty), "--db", str(tmp_path / "learner.db"))
    assert code == 1
    assert out == (
        f"{empty}:1:1: error: no deck files found in this folder: a deck file is a *.yaml or *.yml file directly in it"
        " (not tags.yaml; subfolders are not searched)\n"
    )


def test_duplicate_deck_ids_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(
            GOOD.read_text(encoding="utf-8").replace("../../../decks", str(HERE.parent / "decks")),
            encoding="utf-8",
        )
    result = check_paths([tmp_path])
    assert result.failed
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["duplicate-deck-id"]


def test_folder_of_decks_is_checked_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "a.yml").write_text("- not a mapping\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    code, out = run("--decks", str(tmp_path))
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'a.yml'}:1:1: error: a deck must be a mapping")
    assert lines[1].startswith(f"{tmp_path / 'b.yaml'}:")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("front: What does irAE stand for?", "front: What does irAE\u202e stand for?", "`front`"),
        ("front: What does irAE stand for?", 'front: "What does \\u202e irAE stand for?"', "`front`"),
        ("tags: [side-effects]", 'tags: [side-effects, "x\\x1b"]', "item of `tags`"),
        ("tags: [side-effects]", "tags: [side-effects, x\u2066y]", "item of `tags`"),
    ],
)
def test_control_characters_are_found_raw_or_escaped(tmp_path: Path, old: str, new: str, where: str) -> None:
    # The reader skips the per-text search when the whole file is clean: a raw
    # bidirectional override (YAML itself refuses raw C0 controls) or a
    # backslash escape anywhere must turn it back on.
    text = GOOD.read_text(encoding="utf-8").replace("../../../decks", str(HERE.parent / "decks"))
    assert old in text
    deck_path = tmp_path / "d.yaml"
    deck_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    outcome = read_deck(deck_path)
    assert outcome.deck is None
    assert [(d.line, d.code) for d in outcome.errors] == [(12 if "front" in old else 10, "control-character")]
    assert outcome.errors[0].message.startswith(f"{where} contains the control character")


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_deck_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    # The collector is paused while a deck is read; a bad deck must not leave it off, nor turn it on.
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        for path in (GOOD, BAD[0], HERE / "decks" / "bad" / "yaml-syntax.yaml"):
            read_deck(path)
            assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


NEW_KEYS = """\
id: new-keys
title: New keys
description: Ranges, bounds, units, alternatives and near misses.
source: {source}
near_miss: false
cards:
  - id: nsclc-range
    type: numeric
    tags: [trials]
    quote: "with 5-year survival rates in some subgroups exceeding 20–30% compared to less than 5% historically"
    question: Five-year survival in some NSCLC subgroups?
    value: [20, 30]
    unit: percent
  - id: deaths
    type: numeric
    tags: [figures]
    quote: "with an estimated 2 million new cases and over 618,000 predicted deaths in the United States in 2025 alone"
    question: Predicted US cancer deaths in 2025?
    value: 618000
    bound: above
  - id: deaths-typed
    type: typed
    tags: [figures]
    quote: "with an estimated 2 million new cases and over 618,000 predicted deaths in the United States in 2025 alone"
    question: New US cancer cases in 2025?
    answer: 2 million
    accept: ["2,000,000", "2M"]
  - id: paused
    type: cloze
    tags: [side-effects]
    near_miss: true
    quote: Treatment is typically paused and corticosteroids are administered for grade 2 or higher toxicities
    text: Treatment is typically {{{{c1::paused|held|withheld}}}} for grade 2 or higher toxicities.
"""


def test_ranges_bounds_units_alternatives_and_near_miss_switches_are_read(tmp_path: Path) -> None:
    deck_file = tmp_path / "new.yaml"
    source = (HERE.parent / "decks" / "sources" / "immunotherapy.txt").resolve()
    deck_file.write_text(NEW_KEYS.format(source=source), encoding="utf-8")
    outcome = read_deck(deck_file)
    assert outcome.diagnostics == []
    assert outcome.deck is not None
    cards = {card.id: card.body for card in outcome.deck.cards}
    assert cards["nsclc-range"] == Numeric(
        "Five-year survival in some NSCLC subgroups?", Decimal(20), Decimal(0), "percent", Decimal(30)
    )
    assert cards["deaths"] == Numeric("Predicted US cancer deaths in 2025?", Decimal(618000), bound="above")
    typed = cards["deaths-typed"]
    assert isinstance(typed, Typed) and not typed.near_miss  # the deck's switch
    paused = cards["paused"]
    assert isinstance(paused, Cloze) and paused.near_miss  # the card's own switch wins


def test_a_scaled_figure_not_in_the_quote_is_still_caught(tmp_path: Path) -> None:
    deck_file = tmp_path / "new.yaml"
    source = (HERE.parent / "decks" / "sources" / "immunotherapy.txt").resolve()
    deck_file.write_text(NEW_KEYS.format(source=source).replace('"2M"', '"3M"'), encoding="utf-8")
    errors = read_deck(deck_file).errors
    assert [e.code for e in errors] == ["number-not-in-quote"]
    assert "3000000" in errors[0].message


def test_the_summary_counts_the_cards_of_a_deck_with_errors() -> None:
    broken = HERE / "decks" / "bad" / "quote-not-in-source.yaml"
    result = CliRunner().invoke(cli, ["check", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "1 deck file, 1 card: 1 error, 0 warnings"
    data = json.loads(CliRunner().invoke(cli, ["check", "--format", "json", str(GOOD), str(broken)]).stdout)
    assert data["cards"] == len(read_deck(GOOD).deck.cards) + 1  # type: ignore[union-attr]


def test_a_text_of_a_page_and_a_half_is_the_longest_a_card_holds(tmp_path: Path) -> None:
    deck = (TESTS / "decks" / "bad" / "text-too-long.yaml").read_text(encoding="utf-8")
    source = (TESTS.parent / "decks" / "sources" / "immunotherapy.txt").resolve()
    fitting = tmp_path / "fits.yaml"
    at_most = deck.replace("word x\n", "wordx\n")  # 10,000 characters
    fitting.write_text(at_most.replace("../../../decks/sources/immunotherapy.txt", str(source)))
    code, out = run(str(fitting))
    assert code == 0 and "characters long" not in out, out
