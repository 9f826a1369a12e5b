"""Coverage of a source by decks: untaught sentences, and sentences quoted from two decks."""

from __future__ import annotations

from pathlib import Path

from immunoquiz.core.check import check_paths
from immunoquiz.core.coverage import coverage, coverage_to_json, format_coverage
from immunoquiz.core.source import SourceCache

SOURCE = """A Short Article

Intro

Fatigue is common. Rash can occur. 1. Item one stays whole.

Lungs

Pneumonitis is inflammation of the lungs. It is rare but serious.
"""


def write_deck(folder: Path, deck_id: str, quotes: list[str]) -> Path:
    cards = "".join(
        f"  - id: c{n}\n    type: basic\n    tags: [t]\n    quote: {quote}\n"
        # The back shares a word with its quote, as `check` wants of an answer.
        f"    front: front {chr(97 + n)}\n    back: {quote.split()[0]} {chr(97 + n)}\n"
        for n, quote in enumerate(quotes)
    )
    path = folder / f"{deck_id}.yaml"
    path.write_text(
        f"id: {deck_id}\ntitle: {deck_id}\ndescription: d\nsource: source.txt\ncards:\n{cards}", encoding="utf-8"
    )
    return path


def report(tmp_path: Path) -> str:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    write_deck(tmp_path, "alpha", ["Fatigue is common", "Pneumonitis is inflammation of the lungs"])
    write_deck(tmp_path, "beta", ["inflammation of the lungs. It is rare"])
    result = check_paths([tmp_path])
    assert result.diagnostics == ()
    return format_coverage(coverage(result.decks, SourceCache()))


def test_each_section_counts_its_quoted_sentences_and_lists_the_untaught(tmp_path: Path) -> None:
    text = report(tmp_path).splitlines()
    assert text[0] == "source.txt (alpha, beta): 3 of 5 sentences quoted (60%)"
    assert "  line 3: Intro: 1 of 3 quoted" in text
    assert "    untaught  line 5: Rash can occur." in text
    assert "    untaught  line 5: 1. Item one stays whole." in text
    assert "  line 7: Lungs: 2 of 2 quoted" in text


def test_a_sentence_quoted_from_two_decks_is_shown_as_taught_twice(tmp_path: Path) -> None:
    text = report(tmp_path).splitlines()
    assert "    2 decks   line 9: Pneumonitis is inflammation of the lungs. (alpha/c1, beta/c0)" in text
    # A quote running into the next sentence takes it in too, but one deck alone is not a repeat.
    assert not any("It is rare but serious." in line for line in text)


def test_each_passage_of_a_quote_list_counts_its_sentences(tmp_path: Path) -> None:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    # One card quoting two passages, on two lines: a sentence of each counts as quoted, by that card.
    card = '  - id: c0\n    type: basic\n    tags: [t]\n    quote: ["Rash can occur", "It is rare but serious"]\n'
    (tmp_path / "alpha.yaml").write_text(
        f"id: alpha\ntitle: alpha\ndescription: d\nsource: source.txt\ncards:\n{card}    front: f\n    back: Rash\n",
        encoding="utf-8",
    )
    result = check_paths([tmp_path])
    assert result.diagnostics == ()
    (found,) = coverage_to_json(coverage(result.decks, SourceCache()))
    sections = found["sections"]
    assert isinstance(sections, list)
    cards = {s["text"]: s["cards"] for section in sections for s in section["sentences"]}
    assert cards["Rash can occur."] == cards["It is rare but serious."] == ["alpha/c0"]
    assert cards["Fatigue is common."] == []
    assert found["quoted"] == 2


def test_the_json_form_lists_every_sentence_with_its_cards(tmp_path: Path) -> None:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    write_deck(tmp_path, "alpha", ["Fatigue is common"])
    (found,) = coverage_to_json(coverage(check_paths([tmp_path]).decks, SourceCache()))
    assert found["sentences"] == 5
    assert found["quoted"] == 1
    sections = found["sections"]
    assert isinstance(sections, list)
    intro = sections[1]["sentences"]
    assert intro[0] == {"line": 5, "text": "Fatigue is common.", "cards": ["alpha/c0"], "decks": ["alpha"]}
    assert intro[1]["cards"] == []
