"""`immunoquiz browse`: the app's card search in line mode."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import open_store
from tests.support.decks import ALL_TYPES


def browse(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["browse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_browse_in_line_mode_lists_cards_with_their_history(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(ALL_TYPES))
    assert browse(*db, "--json")[0] == 0  # creates and syncs the database
    store = open_store(tmp_path / "x.db")
    store.sync([ALL_TYPES], datetime.now(UTC))
    session = Session(store, Selection(decks=("all-types",)), clock=lambda: datetime.now(UTC))
    showing = session.next()
    assert showing is not None and showing.card.id == "irae"
    session.rate(showing, session.check(showing, ""), Rating.GOOD)
    store.close()
    code, out, _ = browse(*db, "deck:all-types", "card:irae", "--history")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 cards found."  # the card and its reverse
    assert lines[1].startswith("all-types/irae · basic · learning · due ") and lines[1].endswith(
        " · 1 reviews, 0 lapses"
    )
    assert lines[2:4] == ["  Q: What does irAE stand for?", "  A: Immune-related adverse event"]
    assert lines[4].endswith(" review Good · self-graded")
    assert lines[5] == "all-types/irae #1 · basic · new · 0 reviews, 0 lapses"
    data = json.loads(browse(*db, "deck:all-types", "irae", "--json", "--history")[1])
    assert data["total"] == 2 and [c["sibling"] for c in data["cards"]] == [0, 1]
    assert data["cards"][0]["history"][0]["rating"] == 3 and data["cards"][1]["history"] == []
    assert json.loads(browse(*db, "card:ira", "--json")[1])["total"] == 0  # card: is the whole id


def test_browse_suspends_and_unsuspends_what_it_finds(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(ALL_TYPES))
    code, _, err = browse(*db, "deck:all-types", "tag:drugs", "--suspend")
    assert code == 0 and err == "Suspended 5 cards.\n"  # the five cards tagged drugs
    suspended = json.loads(browse(*db, "is:suspended", "--json")[1])
    assert suspended["total"] == 5 and all("suspended" in card["state"] for card in suspended["cards"])
    code, _, err = browse(*db, "is:suspended", "--unsuspend")
    assert code == 0 and err == "Unsuspended 5 cards.\n"
    assert json.loads(browse(*db, "is:suspended", "--json")[1])["total"] == 0


def test_suspend_and_unsuspend_together_are_refused_and_change_nothing(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(ALL_TYPES))
    assert browse(*db, "deck:all-types", "tag:drugs", "--suspend")[0] == 0
    for both in (("--suspend", "--unsuspend"), ("--unsuspend", "--suspend")):
        code, _, err = browse(*db, "deck:all-types", *both)
        assert code == 1 and err == "immunoquiz: error: --suspend and --unsuspend: choose one\n"
    assert json.loads(browse(*db, "is:suspended", "--json")[1])["total"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("is:soon",), "immunoquiz: error: not understood: is:soon (is: takes new, due, leech, suspended or buried)"),
        (
            ("--", "(tag:drugs", "OR", "-tag:brands"),
            "immunoquiz: error: not understood: `(` at column 1 is never closed: put `)` after the terms it groups",
        ),
        (("fatigue", "OR"), "immunoquiz: error: not understood: `OR` at column 9 has no term after it"),
        (("--suspend",), "immunoquiz: error: --suspend needs a query: it would change every card"),
        (
            ("deck:side-efects",),
            "immunoquiz: error: deck:side-efects: no such deck (decks: how-immunotherapy-works, "
            "checkpoint-inhibitors, other-therapies, evidence-and-trials, side-effects, candidates-and-future)",
        ),
    ],
)
def test_browse_refuses_what_it_cannot_do_in_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = browse("--db", str(tmp_path / "x.db"), *args)
    assert code == 1 and err.strip().startswith(message) and err.count("\n") == 1


def test_browse_excludes_and_combines_terms_as_ankis_search_does(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(ALL_TYPES))

    def cards(*query: str) -> set[str]:
        code, out, err = browse(*db, "--json", *query)
        assert code == 0, err
        return {card["card"] for card in json.loads(out)["cards"]}

    assert cards("deck:all-types", "(tag:brands", "OR", "tag:trials)") == {
        "keytruda",
        "opdivo",
        "yervoy",
        "keynote-689",
    }
    # AND binds tighter: the bundled decks' trial cards come in too.
    either = cards("deck:all-types", "tag:brands", "OR", "tag:trials")
    assert either > {"keytruda", "opdivo", "yervoy", "keynote-689"} and "niagara-year" in either
    assert cards("--", "deck:all-types", "tag:drugs", "-tag:brands") == {"ctla4-drug", "herceptin"}
    assert cards("--", "deck:all-types", "tag:drugs", "-(tag:brands", "or", "card:herceptin)") == {"ctla4-drug"}
