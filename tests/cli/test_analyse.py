"""`immunoquiz results analyse` on hand-made class exports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from tests.support.decks import EXPORTS

FILES = [*sorted(EXPORTS.glob("*.json")), EXPORTS / "fay.csv"]


def test_the_analyse_command(tmp_path: Path) -> None:
    args = ["results", "analyse", *map(str, FILES)]
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0
    assert text.stdout.startswith("6 learners; top and bottom thirds: 2 each.\n")
    assert (
        "d/q3/0/ordering  CAR-T steps in order\n  responses 6, correct 2, difficulty 0.58, discrimination 0.75"
        in text.stdout
    )
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert data["questions"][3]["flags"] == ["strong learners miss it", "negative discrimination"]
    broken = tmp_path / "cut.json"
    broken.write_text((EXPORTS / "ben.json").read_text()[:300])
    result = CliRunner().invoke(cli, ["results", "analyse", str(EXPORTS / "ana.json"), str(broken)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"immunoquiz: error: {broken}: not valid JSON (") and result.stderr.count("\n") == 1


def test_one_learners_json_and_csv_exports_count_once_with_a_one_line_warning(tmp_path: Path) -> None:
    runner = CliRunner()
    files = []
    for name in ("ana", "ben"):
        db = ["--db", str(tmp_path / f"{name}.db")]
        quiz = runner.invoke(
            cli, ["quiz", "--plain", "--types", "choice", "-n", "2", "--seed", "1", *db], input="a\nb\n"
        )
        assert quiz.exit_code == 0, quiz.stderr
        for output_format in ("json", "csv") if name == "ana" else ("json",):
            path = tmp_path / f"{name}.{output_format}"
            export = runner.invoke(cli, ["results", "export", "--format", output_format, "-o", str(path), *db])
            assert export.exit_code == 0, export.stderr
            files.append(path)
    result = runner.invoke(cli, ["results", "analyse", *map(str, files)])
    assert result.exit_code == 0 and result.stdout.startswith("2 learners;")
    (warning,) = result.stderr.splitlines()
    assert warning.startswith(f"immunoquiz: warning: {files[0]}, {files[1]}: the same learner (")
    assert warning.endswith("counted once")


def test_one_learner_is_one_and_a_hostile_name_is_shown_escaped(tmp_path: Path) -> None:
    export = json.loads((EXPORTS / "ana.json").read_text(encoding="utf-8"))
    export["learner"] = "Ana\x1b]52;c;aGk=\x07"
    hostile = tmp_path / "ana.json"
    hostile.write_text(json.dumps(export), encoding="utf-8")
    result = CliRunner().invoke(cli, ["results", "analyse", str(hostile)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 learner; ")
    assert "Ana\\x1b]52;c;aGk=\\x07" in result.stdout and "\x1b" not in result.stdout
