"""`immunoquiz new`: a starting deck that checks as written, and whose example cards check once uncommented."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.check import check_paths
from tests.support.decks import ARTICLE


def new(tmp_path: Path, *extra: str, source: Path = ARTICLE) -> tuple[int, str, Path]:
    out = tmp_path / "My First Deck.yaml"
    result = CliRunner().invoke(cli, ["new", "--source", str(source), "-o", str(out), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output, out


def uncommented(text: str) -> str:
    """The deck with its example cards in use: `cards: []` dropped and the example lines uncommented."""
    head, _, examples = text.partition("# cards:\n")
    head = head.replace("cards: []\n", "")
    return head + "cards:\n" + "".join(line.removeprefix("#")[2:] + "\n" for line in examples.splitlines())


def test_the_new_deck_checks_with_only_its_empty_cards_warned(tmp_path: Path) -> None:
    code, output, out = new(tmp_path)
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    schema = text.splitlines()[0].partition("$schema=")[2]
    assert (out.parent / schema).resolve().name == "deck.schema.json"
    assert (out.parent / schema).exists()
    result = check_paths([out])
    assert [d.code for d in result.diagnostics] == ["no-cards"]
    assert result.decks[0].id == "my-first-deck"


def test_every_example_card_checks_once_uncommented(tmp_path: Path) -> None:
    _, _, out = new(tmp_path)
    out.write_text(uncommented(out.read_text(encoding="utf-8")), encoding="utf-8")
    result = check_paths([out], strict=True)
    assert result.diagnostics == ()
    types = {card.type for card in result.decks[0].cards}
    assert types == {"basic", "cloze", "choice", "typed", "ordering", "numeric"}


def test_a_source_without_figures_gets_no_numeric_example(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Notes\n\nFatigue is common. Rash can occur.\n", encoding="utf-8")
    _, _, out = new(tmp_path, source=source)
    out.write_text(uncommented(out.read_text(encoding="utf-8")), encoding="utf-8")
    result = check_paths([out], strict=True)
    assert result.diagnostics == ()
    assert "numeric" not in {card.type for card in result.decks[0].cards}
    assert result.decks[0].cards[0].quote == "Fatigue is common."


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Aspirin: a short history", "Aspirin: a short history"),
        ("Aspirin was first made in 1897. It may cause bleeding.", "My first deck"),
        ("A heading that runs on and on " * 4, "My first deck"),
    ],
)
def test_the_title_is_the_source_heading_or_else_the_deck_name(tmp_path: Path, first_line: str, title: str) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(f"{first_line}\n\nFatigue is common. Rash can occur.\n", encoding="utf-8")
    _, _, out = new(tmp_path, source=source)
    assert check_paths([out]).decks[0].title == title


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "My First Deck.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, output, _ = new(tmp_path)
    assert code == 1
    assert "the file exists; choose another name, or add --force to overwrite it" in output
    assert out.read_text(encoding="utf-8") == "mine\n"
    code, _, _ = new(tmp_path, "--force")
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize("content", [None, b"\xff\xfe not text"])
def test_an_unreadable_source_is_one_line(tmp_path: Path, content: bytes | None) -> None:
    source = tmp_path / "source.txt"
    if content is not None:
        source.write_bytes(content)
    code, output, out = new(tmp_path, source=source)
    assert code == 1
    assert output.startswith(f"immunoquiz: error: --source {source}: cannot read it (")
    assert not out.exists()


def test_the_new_deck_offers_a_note_as_a_commented_key_that_reads_once_uncommented(tmp_path: Path) -> None:
    _, _, out = new(tmp_path)
    text = out.read_text(encoding="utf-8")
    commented = next(line for line in text.splitlines() if line.startswith("# note: "))
    out.write_text(text.replace(commented, commented.removeprefix("# ")), encoding="utf-8")
    result = check_paths([out])
    assert [d.code for d in result.diagnostics] == ["no-cards"]
    assert result.decks[0].note is not None and "not a protocol" in result.decks[0].note
