"""The browser's search language, search, history and tags (core, no Textual)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from immunoquiz.core.browse import parse_query, search
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.query import AllOf, Term
from immunoquiz.core.review_query import card_history
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import TESTS

DECKS = TESTS / "decks" / "good"
UTC_DAYS = DayRule(tz=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def store(clock: ManualClock) -> Store:
    store = open_store(memory=True)
    store.sync([DECKS / "all-types.yaml"], clock())
    return store


def test_parse_query_reads_each_kind_of_term() -> None:
    query = parse_query("deck:all-types  tag:drugs is:DUE is:nope card:irae brand name")
    assert query.search == AllOf(
        (
            Term("deck", "all-types"),
            Term("tag", "drugs"),
            Term("state", "due"),
            Term("card", "irae"),
            Term("text", "brand"),
            Term("text", "name"),
        )
    )
    assert query.errors == ("is:nope",) and query.syntax is None


def test_empty_query_finds_every_card_in_deck_order(store: Store, clock: ManualClock) -> None:
    result = search(store, parse_query(""), clock(), UTC_DAYS)
    ids = [(f.row.card_id, f.row.sibling) for f in result.found]
    assert result.total == len(ids) == 12  # irae x2, pd-l1 x2, 8 single cards
    assert ids[:3] == [("irae", 0), ("irae", 1), ("pd-l1", 1)]
    assert all(f.state == "new" and f.due is None for f in result.found)


def test_words_match_text_case_insensitively_and_literally(store: Store, clock: ManualClock) -> None:
    assert {f.row.card_id for f in search(store, parse_query("BRAND name"), clock(), UTC_DAYS).found} == {
        "keytruda",
        "opdivo",
        "yervoy",
        "herceptin",
    }
    # LIKE wildcards in the query are literal characters.
    assert [f.row.card_id for f in search(store, parse_query("%"), clock(), UTC_DAYS).found] == ["keynote-689"]
    assert search(store, parse_query("_"), clock(), UTC_DAYS).total == 0
    found = search(store, parse_query("[@click=app.quit]"), clock(), UTC_DAYS).found
    assert [f.row.card_id for f in found] == ["markup"]
    assert found[0].question == "Target: [PD-L1] inhibitors [/foo] [@click=app.quit]"


def test_tag_and_limit(store: Store, clock: ManualClock) -> None:
    result = search(store, parse_query("tag:brands"), clock(), UTC_DAYS, limit=2)
    assert result.total == 3
    assert [f.row.card_id for f in result.found] == ["keytruda", "opdivo"]
    assert search(store, parse_query("deck:other"), clock(), UTC_DAYS).total == 0


def test_states_due_suspended_and_history(store: Store, clock: ManualClock) -> None:
    session = Session(store, Selection(), clock=clock, day_rule=UTC_DAYS)
    showing = session.next()
    assert showing is not None
    answer = session.check(showing, None)
    session.rate(showing, answer, Rating.AGAIN)
    rated = showing.row.id
    other = session.next()
    assert other is not None
    session.suspend(other)

    due = search(store, parse_query("is:due"), clock(), UTC_DAYS).found
    assert [f.row.id for f in due] == [rated]
    assert due[0].state == "learning" and due[0].due == clock() + timedelta(minutes=1)
    suspended = search(store, parse_query("is:suspended"), clock(), UTC_DAYS).found
    assert [(f.row.id, f.state) for f in suspended] == [(other.row.id, "new, suspended")]
    assert other.row.id not in {f.row.id for f in search(store, parse_query("is:new"), clock(), UTC_DAYS).found}
    either = search(store, parse_query("is:due OR is:suspended"), clock(), UTC_DAYS)
    assert either.total == 2
    assert search(store, parse_query("is:due is:suspended"), clock(), UTC_DAYS).total == 0  # both at once: none

    log = card_history(store, rated)
    assert [(e.mode, e.rating, e.time) for e in log] == [("review", 1, clock())]
    assert card_history(store, other.row.id) == []


def test_a_quoted_phrase_is_one_term() -> None:
    query = parse_query('"brand name" tag:"brands" is:buried deck:all-types')
    assert query.search == AllOf(
        (Term("text", "brand name"), Term("tag", "brands"), Term("state", "buried"), Term("deck", "all-types"))
    )
    assert query.errors == () and query.syntax is None


def test_is_buried_finds_the_cards_buried_today_only(store: Store, clock: ManualClock) -> None:
    first = search(store, parse_query("card:keytruda"), clock(), UTC_DAYS).found[0].row
    today = UTC_DAYS.day_of(clock())
    store.bury(first.id, today + 1)
    assert [f.row.card_id for f in search(store, parse_query("is:buried"), clock(), UTC_DAYS).found] == ["keytruda"]
    assert search(store, parse_query('"brand name" is:buried'), clock(), UTC_DAYS).total == 1
    clock.advance(days=1)
    assert search(store, parse_query("is:buried"), clock(), UTC_DAYS).total == 0
