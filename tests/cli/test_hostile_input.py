"""Hostile decks and sources: refused in one line naming the place, never read without bound, never quoted.

Each deck in ``tests/decks/hostile`` trips one rule; its first line says the
message expected. Cases that git cannot hold (links, FIFOs) are made here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from tests.support.decks import ARTICLE, DECKS, basic_card, deck_yaml

HOSTILE = sorted((DECKS / "hostile").glob("*.yaml"))
# Anything a terminal would act on: C0 and C1 controls but the final newline, and bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SECRET = "secret-content-never-shown"


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_each_hostile_deck_is_one_line_at_its_place_with_nothing_raw(path: Path) -> None:
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    code, output = check(str(path))
    assert code == 1
    assert f"{path}:{expected}" in output, output
    assert RAW_CONTROL.search(output) is None
    assert "root:x:0:0" not in output
    assert all(
        re.match(rf"{re.escape(str(path))}:\d+:\d+: (error|warning): ", line) for line in output.splitlines()[:-1]
    )


def outside_file(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f"{SECRET}: id: x\n", encoding="utf-8")
    return secret


def test_a_deck_file_linked_to_a_file_elsewhere_is_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "linked.yaml").symlink_to(outside_file(tmp_path))
    code, output = check(str(folder))
    assert code == 1
    assert "linked.yaml:1:1: error: the deck file lies outside the deck folders (links followed)" in output
    assert SECRET not in output


def test_a_source_linked_out_of_the_folder_is_refused_unless_that_folder_is_a_deck_folder(tmp_path: Path) -> None:
    secret = outside_file(tmp_path)
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "source.txt").symlink_to(secret)
    deck = folder / "deck.yaml"
    deck.write_text(
        "id: linked\ntitle: T\ndescription: d\nsource: source.txt\ncards:\n"
        f"  - id: a\n    type: basic\n    tags: [x]\n    quote: {SECRET}\n    front: f\n    back: b\n",
        encoding="utf-8",
    )
    code, output = check(str(deck))
    assert code == 1
    assert "deck.yaml:4:9: error: the source document `source.txt` lies outside the deck folders" in output
    assert SECRET not in output
    # The learner's own choice: that folder is one of theirs.
    code, output = check(str(deck), "--decks", str(secret.parent))
    assert code == 0, output


def test_a_fifo_source_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    deck = tmp_path / "deck.yaml"
    deck.write_text(deck_yaml("piped", [basic_card("a")]).replace(f"source: {ARTICLE}", "source: pipe.txt"))
    # In a child, so that a read that blocks fails the test instead of hanging it.
    done = subprocess.run(
        [sys.executable, "-m", "immunoquiz", "check", str(deck)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "error: the source document `pipe.txt` is not a regular file" in done.stdout


def test_a_deck_that_is_one_long_text_is_not_quoted(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"{SECRET} " * 20 + "\n", encoding="utf-8")
    code, output = check(str(deck))
    assert code == 1
    assert "a deck must be a mapping with `id`, `title` and `cards`, not a text of 539 characters" in output
    assert SECRET not in output


def test_a_deck_not_loaded_is_named_on_one_line_by_every_command(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "deck.yaml").write_text(
        deck_yaml("bad", [basic_card("a\x1b[2J")]).replace("id: 'a", 'id: "a'), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "x.db"), "--decks", str(folder)])
    assert result.exit_code == 0
    assert "immunoquiz: Deck not loaded: " in result.stderr
    assert RAW_CONTROL.search(result.stderr) is None


def test_a_source_heading_with_a_terminal_escape_is_shown_escaped_by_stats(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "source.txt").write_text("Side\x1b[2J effects\n\nFatigue is common.\n", encoding="utf-8")
    (folder / "deck.yaml").write_text(
        "id: escaped\ntitle: T\ndescription: d\nsource: source.txt\ncards:\n"
        "  - id: a\n    type: basic\n    tags: [x]\n    quote: Fatigue is common.\n    front: f\n    back: b\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "x.db"), "--decks", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Side\\x1b[2J effects" in result.stdout
    assert RAW_CONTROL.search(result.stdout) is None


def test_a_card_with_thirty_thousand_unknown_keys_is_named_twenty_times_and_counted(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    keys = "".join(f"    k{n}: v\n" for n in range(30_000))
    deck.write_text(deck_yaml("keys", [basic_card("a")]) + keys, encoding="utf-8")
    code, output = check(str(deck))
    assert code == 1
    lines = output.splitlines()
    assert len(lines) == 22
    assert "error: unknown key `k0` in card `a`" in lines[0]
    assert lines[20].endswith("error: 29980 more unknown keys in card `a`, from here")


def test_six_thousand_choice_cards_drawing_one_tag_are_read_with_bounded_pools(tmp_path: Path) -> None:
    from immunoquiz.core.model import Choice
    from immunoquiz.core.reader import MAX_POOL, read_deck

    letters = "abcdefghijklmnopqrstuvwxyz"
    cards = [
        f"  - id: c{n}\n    type: choice\n    tags: [t]\n    quote: Checkpoint inhibitors are currently the most"
        " widely used form of cancer immunotherapy\n"
        f"    question: Which {n}?\n    answer: Answer {letters[n % 26]}{letters[n // 26 % 26]}{letters[n // 676]}\n"
        "    distractors_from: t"
        for n in range(6_000)
    ]
    deck = tmp_path / "deck.yaml"
    deck.write_text(deck_yaml("many", cards), encoding="utf-8")
    read = read_deck(deck)
    assert read.errors == [], read.errors[:3]
    assert read.deck is not None and len(read.deck.cards) == 6_000
    pools = [card.body.distractors for card in read.deck.cards if isinstance(card.body, Choice)]
    assert all(len(pool) == MAX_POOL for pool in pools)
    first = read.deck.cards[0].body
    assert isinstance(first, Choice) and first.answers[0] not in first.distractors
