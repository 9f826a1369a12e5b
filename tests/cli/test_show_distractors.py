"""`immunoquiz check --show-distractors`: what a quiz would draw for each card, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from tests.support.decks import deck_yaml

QUOTE = "Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction"


def typed(
    card_id: str, question: str, answer: str, *extra: str, tags: str = "[brand-names]", quote: str = QUOTE
) -> str:
    lines = [f"  - id: {card_id}", "    type: typed", f"    tags: {tags}", f"    quote: {quote}"]
    return "\n".join([*lines, f"    question: {question}", f"    answer: {answer}", *(f"    {e}" for e in extra)])


CARDS = [
    typed("keytruda", "Brand name of pembrolizumab?", "Keytruda"),
    typed("opdivo", "Brand name of nivolumab?", "Opdivo", "kind: brand", tags="[other]", quote="nivolumab (Opdivo)"),
    typed("yervoy", "Brand name of ipilimumab?", "Yervoy", quote="Ipilimumab (Yervoy) blocks CTLA-4"),
    typed("herceptin", "Brand name of trastuzumab?", "Herceptin", quote="Trastuzumab (Herceptin)"),
    typed("pembro", "Generic name of Keytruda?", "Pembrolizumab", tags="[generic-names]"),
    typed(
        "target",
        "What do these drugs block?",
        "This interaction",
        "distractors: [Cell division, Blood flow, DNA repair]",
        tags="[codes]",
    ),
    typed("first", "Which brand did the article name first?", "Keytruda", "choice: false", tags="[codes]"),
]


def write(tmp_path: Path) -> Path:
    text = deck_yaml("d", CARDS).replace("cards:\n", "kinds:\n  brand-names: brand\ncards:\n")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def check(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder), "--show-distractors", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_the_distractors_a_quiz_would_draw_and_why_a_card_has_none(tmp_path: Path) -> None:
    folder = write(tmp_path)
    code, out = check(folder)
    assert code == 0, out
    lines = {line.split(": ")[1]: line.split(": ", 2)[2] for line in out.splitlines()}
    # Opdivo is named by the quote; cards sharing a tag come first.
    assert lines["keytruda [brand]"] == "Yervoy | Herceptin"
    assert lines["yervoy [brand]"] == "Keytruda | Herceptin | Opdivo"
    assert lines["target"] == "Cell division | Blood flow | DNA repair"
    assert lines["pembro"].startswith("no choice form: its answer has no kind")
    assert lines["first"] == "no choice form: the card says `choice: false`"
    first = next(line for line in out.splitlines() if ": keytruda " in line)
    assert first.startswith(f"{folder / 'd.yaml'}:8: ")


def test_the_same_in_json(tmp_path: Path) -> None:
    folder = write(tmp_path)
    code, out = check(folder, "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["ok"]
    by_card = {entry["card"]: entry for entry in report["distractors"]}
    assert by_card["keytruda"] == {
        "path": str(folder / "d.yaml"),
        "line": 8,
        "deck": "d",
        "card": "keytruda",
        "kind": "brand",
        "distractors": ["Yervoy", "Herceptin"],
        "reason": None,
    }
    assert by_card["pembro"]["distractors"] == [] and "no kind" in by_card["pembro"]["reason"]
    assert "distractors" not in json.loads(CliRunner().invoke(cli, ["check", str(folder), "--format", "json"]).stdout)
