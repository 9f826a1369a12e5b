"""Line mode prints a deck's note once, before the first prompt of that deck: in review, cram and quiz."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import Store
from immunoquiz.plain import run_plain
from immunoquiz.plain_quiz import run_quiz_plain
from tests.support.decks import CHOICE, NUMERIC, TYPED, basic_card, deck_yaml

HOSTILE = "Education only [@click=app.quit] [/foo] [b]"
LINE = f"Note (Deck a): {HOSTILE}"
CAUTION = "Note (Side effects): Educational: management follows the treating team and local protocol."


def two_decks(tmp_path: Path, store: Store, clock: ManualClock) -> None:
    """Deck a (three cards) with a note, deck b (two cards) without."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        deck_yaml("a", [basic_card("a1"), basic_card("a2"), basic_card("a3")], json.dumps(HOSTILE)), encoding="utf-8"
    )
    (folder / "b.yaml").write_text(deck_yaml("b", [basic_card("b1"), basic_card("b2")]), encoding="utf-8")
    store.sync([folder], clock())


def blocks(text: str) -> list[str]:
    """The output cut before each card's header: what comes before a card ends the block ahead of it."""
    return text.split("\nCard ")


def test_review_prints_the_note_once_before_the_decks_first_card(
    tmp_path: Path, store: Store, clock: ManualClock
) -> None:
    two_decks(tmp_path, store, clock)
    out = io.StringIO()
    # Each of the five cards revealed and rated Easy: none comes back.
    run_plain(Session(store, clock=clock), io.StringIO("\n4\n" * 5), out)
    text = out.getvalue()
    assert text.count("Note (") == 1
    parts = blocks(text)
    headers = [part.split("\n", 1)[0] for part in parts[1:]]
    first_a = next(i for i, header in enumerate(headers) if " · a · " in header)
    # The note ends the block before the first card of deck a: printed just before its header.
    assert parts[first_a].endswith(f"\n{LINE}\n"), parts[first_a]
    assert len(headers) == 5


def test_a_cram_session_prints_it_too_and_a_deck_without_a_note_prints_none(
    tmp_path: Path, store: Store, clock: ManualClock
) -> None:
    two_decks(tmp_path, store, clock)
    out = io.StringIO()
    run_plain(Session(store, Selection(decks=("a",), cram=True), clock=clock), io.StringIO("\n4\n" * 3), out)
    assert out.getvalue().startswith(f"\n{LINE}\n\nCard 1 · a · ")
    assert out.getvalue().count("Note (") == 1
    out = io.StringIO()
    run_plain(Session(store, Selection(decks=("b",)), clock=clock), io.StringIO("\n4\n" * 2), out)
    assert "Note (" not in out.getvalue()


def test_each_review_command_is_a_session_of_its_own(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    for _ in range(2):
        result = CliRunner().invoke(
            cli, ["review", "--plain", "--deck", "side-effects", "--db", str(db), "--cram"], input="\n4\n" * 3
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.count("Note (") == 1
        assert result.stdout.startswith(f"\n{CAUTION}\n\nCard 1 · side-effects · ")


def test_the_quiz_prints_the_note_before_the_first_question_of_the_deck(
    tmp_path: Path, store: Store, clock: ManualClock
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(deck_yaml("a", [TYPED, CHOICE], json.dumps(HOSTILE)), encoding="utf-8")
    (folder / "b.yaml").write_text(deck_yaml("b", [NUMERIC]), encoding="utf-8")
    store.sync([folder], clock())
    paper = make_paper(store, QuizRequest(count=3, forms=("typed", "choice", "numeric"), seed=3))
    sitting = QuizSitting(store, paper, QuizRequest(count=3), clock=clock)
    out = io.StringIO()
    run_quiz_plain(sitting, io.StringIO("x\na\n1\n"), out)
    text = out.getvalue()
    assert text.count("Note (") == 1
    parts = text.split("\nQuestion ")
    first_a = next(i for i, part in enumerate(parts[1:]) if part.split("\n", 1)[0].split(" · ")[1] == "a")
    assert parts[first_a].endswith(f"\n{LINE}\n"), parts[first_a]


def test_the_quiz_command_prints_the_bundled_caution(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["quiz", "--plain", "--deck", "side-effects", "-n", "3", "--seed", "1", "--db", str(tmp_path / "x.db")],
        input="x\n" * 3,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Note (") == 1
    assert f"\n{CAUTION}\n\nQuestion 1/3 · side-effects · " in result.stdout
