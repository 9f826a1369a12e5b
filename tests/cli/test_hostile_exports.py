"""Hostile files given to `results analyse`: one line each naming the file, in bounded time; a BOM is fine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from immunoquiz.core.quiz_history import ResultsError
from immunoquiz.core.quiz_import import read_export
from tests.support.decks import EXPORTS


def a_valid_export() -> dict:  # type: ignore[type-arg]
    return json.loads((EXPORTS / "ana.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def refused(path: Path) -> str:
    with pytest.raises(ResultsError) as raised:
        read_export(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"format": "immunoquiz-results", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "nested too deeply" in refused(path)


def test_a_huge_number_is_refused(tmp_path: Path) -> None:
    export = a_valid_export()
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(export).replace('"total": ', '"total": ' + "9" * 5000 + ', "was": ', 1))
    assert "a value cannot be read" in refused(path)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_score_that_is_not_a_number_is_refused(tmp_path: Path, constant: str) -> None:
    export = a_valid_export()
    export["attempts"][0]["score"] = 0.123456789  # a marker to put the constant in place of
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(export).replace("0.123456789", constant))
    assert f"`{constant}` is not a number an export holds" in refused(path)


def test_a_nan_attempt_score_in_a_csv_is_refused(tmp_path: Path) -> None:
    lines = (EXPORTS / "fay.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("attempt_score")
    rows = [line.split(",") for line in lines[1:]]
    assert all(len(row) > column for row in rows)
    for row in rows:
        row[column] = "nan"
    path = tmp_path / "nan.csv"
    path.write_text("\n".join([lines[0], *(",".join(row) for row in rows)]) + "\n", encoding="utf-8")
    assert "is not a number" in refused(path)


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    # In a child: a read that blocked would fail the test instead of hanging it.
    done = subprocess.run(
        [sys.executable, "-m", "immunoquiz", "results", "analyse", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"{fifo}: not a regular file" in done.stderr


def test_an_export_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    for source in (EXPORTS / "ana.json", EXPORTS / "fay.csv"):
        path = tmp_path / source.name
        path.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
        assert read_export(path).answers == read_export(source).answers


def test_csv_cells_a_spreadsheet_would_run_are_guarded_and_read_back_exactly(tmp_path: Path) -> None:
    from immunoquiz.core.quiz_export import guard_cell

    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'quoted"):
        assert guard_cell(text) == "'" + text
    assert guard_cell("Keytruda") == "Keytruda" and guard_cell(-1) == -1
