"""The closest passage of a source to a quote not in it, and what differs."""

from __future__ import annotations

from pathlib import Path

from immunoquiz.core.source import SourceDocument

SOURCE = """Side effects

Fatigue is the most common side effect.
Checkpoint inhibitors can sometimes cause inflammation of the lungs (pneumonitis).
"""


def document(tmp_path: Path) -> SourceDocument:
    path = tmp_path / "source.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return SourceDocument.read(path)


def test_a_dropped_hedge_is_named_with_its_line(tmp_path: Path) -> None:
    passage = document(tmp_path).closest_passage("Checkpoint inhibitors cause inflammation of the lungs")
    assert passage is not None
    assert passage.line == 4
    assert passage.text == "Checkpoint inhibitors can sometimes cause inflammation of the lungs"
    assert passage.differences == ('no "can sometimes", which the source has',)


def test_a_changed_word_and_a_case_change_are_named_as_written(tmp_path: Path) -> None:
    passage = document(tmp_path).closest_passage("fatigue is the most frequent side effect.")
    assert passage is not None
    assert passage.line == 3
    assert passage.differences == (
        '"fatigue" where the source has "Fatigue"',
        '"frequent" where the source has "common"',
    )


def test_stray_marks_are_named_not_quoted(tmp_path: Path) -> None:
    passage = document(tmp_path).closest_passage("\u201cFatigue\u201d is the most common side\u2013effect")
    assert passage is not None
    assert passage.line == 3
    assert passage.differences == (
        "a double quote, which the source does not have",
        "a double quote, which the source does not have",
        "a hyphen, which the source does not have",
    )


def test_a_quote_sharing_no_word_has_no_passage(tmp_path: Path) -> None:
    assert document(tmp_path).closest_passage("Nothing alike here") is None
