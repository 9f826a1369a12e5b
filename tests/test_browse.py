"""The browser's search language, search, history and tags (core, no Textual)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.browse import all_tags, history, parse_query, search
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Selection, Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.studyday import DayRule

DECKS = Path(__file__).parent / "decks" / "good"
UTC = DayRule(tz=timezone.utc)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def store(clock: ManualClock) -> Store:
    store = open_store(memory=True)
    store.sync([DECKS / "all-types.yaml"], clock())
    return store


def test_parse_query_splits_filters_from_words() -> None:
    query = parse_query("deck:all-types  tag:drugs is:DUE is:nope card:irae brand name")
    assert query.decks == ("all-types",) and query.cards == ("irae",)
    assert query.tags == ("drugs",)
    assert query.states == ("due",)
    assert query.errors == ("is:nope",)
    assert query.words == ("brand", "name")


def test_empty_query_finds_every_card_in_deck_order(store: Store, clock: ManualClock) -> None:
    result = search(store, parse_query(""), clock(), UTC)
    ids = [(f.row.card_id, f.row.sibling) for f in result.found]
    assert result.total == len(ids) == 12  # irae x2, pd-l1 x2, 8 single cards
    assert ids[:3] == [("irae", 0), ("irae", 1), ("pd-l1", 1)]
    assert all(f.state == "new" and f.due is None for f in result.found)


def test_words_match_text_case_insensitively_and_literally(store: Store, clock: ManualClock) -> None:
    assert {f.row.card_id for f in search(store, parse_query("BRAND name"), clock(), UTC).found} == {
        "keytruda", "opdivo", "yervoy", "herceptin"
    }
    # LIKE wildcards in the query are literal characters.
    assert [f.row.card_id for f in search(store, parse_query("%"), clock(), UTC).found] == ["keynote-689"]
    assert search(store, parse_query("_"), clock(), UTC).total == 0
    found = search(store, parse_query("[@click=app.quit]"), clock(), UTC).found
    assert [f.row.card_id for f in found] == ["markup"]
    assert found[0].question == "Target: [PD-L1] inhibitors [/foo] [@click=app.quit]"


def test_tag_and_limit(store: Store, clock: ManualClock) -> None:
    result = search(store, parse_query("tag:brands"), clock(), UTC, limit=2)
    assert result.total == 3
    assert [f.row.card_id for f in result.found] == ["keytruda", "opdivo"]
    assert search(store, parse_query("deck:other"), clock(), UTC).total == 0


def test_states_due_suspended_and_history(store: Store, clock: ManualClock) -> None:
    session = Session(store, Selection(), clock=clock, day_rule=UTC)
    showing = session.next()
    assert showing is not None
    answer = session.check(showing, None)
    session.rate(showing, answer, Rating.AGAIN)
    rated = showing.row.id
    other = session.next()
    assert other is not None
    session.suspend(other)

    due = search(store, parse_query("is:due"), clock(), UTC).found
    assert [f.row.id for f in due] == [rated]
    assert due[0].state == "learning" and due[0].due == clock() + timedelta(minutes=1)
    suspended = search(store, parse_query("is:suspended"), clock(), UTC).found
    assert [(f.row.id, f.state) for f in suspended] == [(other.row.id, "new, suspended")]
    assert other.row.id not in {f.row.id for f in search(store, parse_query("is:new"), clock(), UTC).found}
    either = search(store, parse_query("is:due is:suspended"), clock(), UTC)
    assert either.total == 2

    log = history(store, rated)
    assert [(e.mode, e.rating, e.time) for e in log] == [("review", 1, clock())]
    assert history(store, other.row.id) == []


def test_all_tags(store: Store) -> None:
    assert all_tags(store) == ["brands", "car-t", "drugs", "markup", "mechanism", "side-effects", "trials"]


def browse(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["browse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_browse_in_line_mode_lists_cards_with_their_history(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(DECKS / "all-types.yaml"))
    assert browse(*db, "--json")[0] == 0  # creates and syncs the database
    store = open_store(tmp_path / "x.db")
    store.sync([DECKS / "all-types.yaml"], datetime.now(timezone.utc))
    session = Session(store, Selection(decks=("all-types",)), clock=lambda: datetime.now(timezone.utc))
    showing = session.next()
    assert showing is not None and showing.card.id == "irae"
    session.rate(showing, session.check(showing, ""), Rating.GOOD)
    store.close()
    code, out, _ = browse(*db, "deck:all-types", "card:irae", "--history")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 cards found."  # the card and its reverse
    assert lines[1].startswith("all-types/irae · basic · learning · due ") and lines[1].endswith(" · 1 reviews, 0 lapses")
    assert lines[2:4] == ["  Q: What does irAE stand for?", "  A: Immune-related adverse event"]
    assert lines[4].endswith(" review Good · self-graded")
    assert lines[5] == "all-types/irae #1 · basic · new · 0 reviews, 0 lapses"
    data = json.loads(browse(*db, "deck:all-types", "irae", "--json", "--history")[1])
    assert data["total"] == 2 and [c["sibling"] for c in data["cards"]] == [0, 1]
    assert data["cards"][0]["history"][0]["rating"] == 3 and data["cards"][1]["history"] == []
    assert json.loads(browse(*db, "card:ira", "--json")[1])["total"] == 0  # card: is the whole id


def test_browse_suspends_and_unsuspends_what_it_finds(tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "x.db"), "--decks", str(DECKS / "all-types.yaml"))
    code, _, err = browse(*db, "deck:all-types", "tag:drugs", "--suspend")
    assert code == 0 and err == "Suspended 5 cards.\n"  # the five cards tagged drugs
    suspended = json.loads(browse(*db, "is:suspended", "--json")[1])
    assert suspended["total"] == 5 and all("suspended" in card["state"] for card in suspended["cards"])
    code, _, err = browse(*db, "is:suspended", "--unsuspend")
    assert code == 0 and err == "Unsuspended 5 cards.\n"
    assert json.loads(browse(*db, "is:suspended", "--json")[1])["total"] == 0


@pytest.mark.parametrize(("args", "message"), [
    (("is:soon",), "immunoquiz: error: not understood: is:soon (is: takes new, due, leech or suspended)"),
    (("--suspend",), "immunoquiz: error: --suspend needs a query: it would change every card"),
    (("deck:side-efects",), "immunoquiz: error: deck:side-efects: no such deck (decks: how-immunotherapy-works, "
                            "checkpoint-inhibitors, other-therapies, evidence-and-trials, side-effects, candidates-and-future)"),
])
def test_browse_refuses_what_it_cannot_do_in_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = browse("--db", str(tmp_path / "x.db"), *args)
    assert code == 1 and err.strip() == message
