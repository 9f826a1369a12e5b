"""`immunoquiz coverage`: the bundled decks' coverage of their article, by deck id or file, as text or JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.check import check_paths
from tests.support.decks import DECKS


def test_the_bundled_decks_cover_the_article_section_by_section() -> None:
    result = CliRunner().invoke(cli, ["coverage"])
    assert result.exit_code == 0, result.output
    head, *rest = result.stdout.splitlines()
    assert head.startswith("immunotherapy.txt (how-immunotherapy-works, checkpoint-inhibitors")
    assert any(line.startswith("  line 25: Immune Checkpoint Inhibitors (ICIs): ") for line in rest)


def test_one_deck_by_id_counts_only_its_own_quotes() -> None:
    every = json.loads(CliRunner().invoke(cli, ["coverage", "--format", "json"]).stdout)
    one = json.loads(CliRunner().invoke(cli, ["coverage", "side-effects", "--format", "json"]).stdout)
    assert [r["decks"] for r in one] == [["side-effects"]]
    assert 0 < one[0]["quoted"] < every[0]["quoted"]
    assert one[0]["sentences"] == every[0]["sentences"]
    quoted = {card for s in one[0]["sections"] for sentence in s["sentences"] for card in sentence["cards"]}
    assert quoted and all(card.startswith("side-effects/") for card in quoted)


def test_a_deck_file_is_covered_on_its_own() -> None:
    result = CliRunner().invoke(cli, ["coverage", str(DECKS / "good" / "all-types.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("immunotherapy.txt (all-types): ")


def test_an_unknown_deck_is_one_line_naming_the_decks() -> None:
    result = CliRunner().invoke(cli, ["coverage", "no-such-deck"])
    assert result.exit_code == 1
    assert result.stderr.startswith("immunoquiz: error: coverage: no deck or deck file `no-such-deck` (decks: ")
    assert "Traceback" not in result.output


def test_a_remembered_folder_given_again_with_decks_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(DECKS / "bad" / "alias.yaml", folder)
    db = ["--db", str(tmp_path / "learner.db")]
    assert CliRunner().invoke(cli, ["decks", "add", str(folder), *db]).exit_code == 0
    result = CliRunner().invoke(cli, ["coverage", "--decks", str(folder), *db])
    assert result.exit_code == 1
    assert result.stderr.count("immunoquiz: deck not read: ") == 1, result.stderr


def test_a_deck_file_named_twice_is_checked_once() -> None:
    good = DECKS / "good"
    result = check_paths([good, good, good / "all-types.yaml"])
    assert result.files == 1 and "duplicate-deck-id" not in [d.code for d in result.diagnostics]
