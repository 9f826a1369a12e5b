"""The browser's search language as Anki's: OR, implicit AND, -term, groups, their precedence and errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.core.browse import MAX_DEPTH, MAX_TERMS, parse_query, query_problems, search
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.query import AllOf, AnyOf, Not, Term
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store, open_store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import ALL_TYPES, MARKUP, basic_card

UTC_DAYS = DayRule(tz=UTC)
DRUGS = {"ctla4-drug", "keytruda", "opdivo", "yervoy", "herceptin"}
BRANDS = {"keytruda", "opdivo", "yervoy"}
BRAND_NAME = {"keytruda", "opdivo", "yervoy", "herceptin"}  # the words "brand name" in their text


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def store(clock: ManualClock) -> Store:
    store = open_store(memory=True)
    store.sync([ALL_TYPES, MARKUP], clock())
    return store


def found(store: Store, clock: ManualClock, text: str) -> set[str]:
    query = parse_query(text)
    assert query.syntax is None and query.errors == (), (query.syntax, query.errors)
    return {f.row.card_id for f in search(store, query, clock(), UTC_DAYS).found}


def rows(store: Store, clock: ManualClock, text: str) -> set[int]:
    return {f.row.id for f in search(store, parse_query(text), clock(), UTC_DAYS).found}


def test_or_matches_either_and_a_lower_case_or_is_the_same_as_in_ankis_manual(store: Store, clock: ManualClock) -> None:
    assert found(store, clock, "tag:brands OR tag:trials") == BRANDS | {"keynote-689"}
    assert found(store, clock, "tag:brands or tag:trials") == BRANDS | {"keynote-689"}
    assert found(store, clock, "card:keytruda OR card:opdivo OR card:irae") == {"keytruda", "opdivo", "irae"}
    # Quoted, it is a word again: no card holds it.
    assert parse_query('tag:brands "or" tag:trials').search == AllOf(
        (Term("tag", "brands"), Term("text", "or"), Term("tag", "trials"))
    )


def test_terms_side_by_side_and_explicit_and_must_all_match(store: Store, clock: ManualClock) -> None:
    assert found(store, clock, "tag:drugs brand name") == BRAND_NAME
    assert found(store, clock, "tag:drugs and tag:brands") == BRANDS
    assert found(store, clock, "tag:drugs AND tag:trials") == set()


def test_and_binds_tighter_than_or(store: Store, clock: ManualClock) -> None:
    # `a b OR c` is `(a AND b) OR c`, as Anki's manual says of `dog cat or mouse`.
    assert parse_query("a b OR c").search == AnyOf((AllOf((Term("text", "a"), Term("text", "b"))), Term("text", "c")))
    assert found(store, clock, "tag:trials tag:drugs OR tag:brands") == BRANDS
    assert found(store, clock, "tag:trials (tag:drugs OR tag:brands)") == set()
    assert found(store, clock, "tag:brands OR tag:trials tag:drugs") == BRANDS


def test_parentheses_group_and_a_group_can_be_excluded(store: Store, clock: ManualClock) -> None:
    everything = found(store, clock, "")
    assert found(store, clock, "(tag:brands OR tag:trials) -card:keytruda") == {"opdivo", "yervoy", "keynote-689"}
    assert found(store, clock, "-(tag:drugs OR tag:trials)") == everything - DRUGS - {"keynote-689"}
    assert found(store, clock, "-tag:drugs -tag:trials") == everything - DRUGS - {"keynote-689"}
    assert found(store, clock, "((tag:brands))") == BRANDS


def test_each_field_can_be_negated(store: Store, clock: ManualClock) -> None:
    everything = found(store, clock, "")
    markup_deck = found(store, clock, "deck:markup-deck")
    assert markup_deck and markup_deck < everything
    assert found(store, clock, "-tag:drugs") == everything - DRUGS
    assert found(store, clock, "-deck:all-types") == markup_deck
    assert found(store, clock, "-card:keytruda") == everything - {"keytruda"}
    assert found(store, clock, '-"brand name"') == everything - BRAND_NAME
    assert found(store, clock, "-brand") == everything - BRAND_NAME
    assert found(store, clock, "--tag:brands") == BRANDS  # excluded twice: included
    session = Session(store, Selection(decks=("all-types",)), clock=clock, day_rule=UTC_DAYS)
    showing = session.next()
    assert showing is not None
    session.rate(showing, session.check(showing, None), Rating.AGAIN)
    other = session.next()
    assert other is not None
    session.suspend(other)
    every_row = rows(store, clock, "")
    assert rows(store, clock, "is:due") == {showing.row.id}
    assert rows(store, clock, "-is:due") == every_row - {showing.row.id}
    assert rows(store, clock, "is:suspended") == {other.row.id}
    assert rows(store, clock, "-is:suspended") == every_row - {other.row.id}
    assert rows(store, clock, "-is:due -is:suspended") == every_row - {showing.row.id, other.row.id}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(tag:brands OR keytruda", "`(` at column 1 is never closed: put `)` after the terms it groups"),
        ("tag:brands OR keytruda)", "`)` at column 23 closes no group: remove it, or put `(` before"),
        ("a (b", "`(` at column 3 is never closed"),
        ("()", "`()` at column 1 is empty: put terms inside, or remove it"),
        ("OR keytruda", '`OR` at column 1 has no term before it: put one there, or remove it (write "OR"'),
        ("keytruda OR", "`OR` at column 10 has no term after it"),
        ("keytruda or or opdivo", "`or` at column 10 has no term after it"),
        ("(keytruda OR)", "`OR` at column 11 has no term after it"),
        ("and keytruda", "`and` at column 1 has no term before it"),
        ("keytruda -", "`-` at column 10 excludes nothing: put the term right after it (`-tag:x`)"),
        ("- keytruda", "`-` at column 1 excludes nothing"),
        ("keytruda -)", "`-` at column 10 excludes nothing"),
        ("-OR keytruda", "`-` at column 1 excludes nothing"),
        ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), f"at column {MAX_DEPTH + 1} nests more than"),
        ("-" * (MAX_DEPTH + 1) + "x", f"at column {MAX_DEPTH + 1} nests more than"),
        (" ".join(["x"] * (MAX_TERMS + 1)), f"more than {MAX_TERMS} terms (from column {2 * MAX_TERMS + 1})"),
    ],
)
def test_a_query_that_cannot_be_read_says_where_and_how_to_fix_it_and_finds_nothing(
    store: Store, clock: ManualClock, text: str, message: str
) -> None:
    query = parse_query(text)
    assert query.syntax is not None and message in query.syntax, query.syntax
    (problem,) = query_problems(query, ["all-types"])
    assert problem.startswith("not understood: `") or problem.startswith("not understood: more than")
    assert "\n" not in problem
    assert search(store, query, clock(), UTC_DAYS).total == 0


def test_terms_not_understood_are_named_and_left_out_of_either_side(store: Store, clock: ManualClock) -> None:
    query = parse_query("is:soon OR tag:brands -is:later")
    assert query.errors == ("is:soon", "is:later") and query.syntax is None
    assert {f.row.card_id for f in search(store, query, clock(), UTC_DAYS).found} == BRANDS
    assert query_problems(query, ["all-types"]) == [
        "not understood: is:soon is:later (is: takes new, due, leech, suspended or buried)"
    ]
    # A deck named anywhere, excluded or not, must exist.
    assert query_problems(parse_query("keytruda OR -deck:nope"), ["all-types"]) == [
        "deck:nope: no such deck (decks: all-types)"
    ]


def test_a_hostile_query_matches_its_text_literally(
    clock: ManualClock, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    folder = write_deck("sql", [basic_card("inj", front='Is ") OR 1=1 -- literal?'), basic_card("plain")])
    store = open_store(tmp_path / "learner.db")
    store.sync([folder], clock())
    hostile = '") OR 1=1 --'
    query = parse_query(hostile)
    assert query.search == Term("text", ") OR 1=1 --") and query.syntax is None  # one phrase, to the end
    assert {f.row.card_id for f in search(store, query, clock(), UTC_DAYS).found} == {"inj"}
    assert search(store, parse_query("-" + hostile), clock(), UTC_DAYS).found[0].row.card_id == "plain"
    assert parse_query("x') OR 1=1 --").syntax is not None  # unquoted, its `)` closes no group
    for text in ("%", "_", "' OR ''='", "1; DROP TABLE cards"):
        assert search(store, parse_query(text), clock(), UTC_DAYS).total == 0
    assert search(store, parse_query(""), clock(), UTC_DAYS).total == 2
    store.close()


def test_long_hostile_queries_are_read_in_one_pass() -> None:
    # Each would backtrack or recurse without bound in a naive reader: they end at once, refused or read.
    assert parse_query("(" * 100_000).syntax is not None
    assert parse_query("-" * 100_000 + "x").syntax is not None
    assert parse_query('"' + "a" * 100_000).search == Term("text", "a" * 100_000)
    assert parse_query("a:" * 50_000).search == Term("text", "a:" * 50_000)
    assert parse_query(") " * 50_000).syntax is not None


def test_negation_wraps_the_term_and_a_group_is_one_search() -> None:
    assert parse_query('-"a dog"').search == Not(Term("text", "a dog"))
    assert parse_query("-tag:x -deck:y -is:due -card:z").search == AllOf(
        (Not(Term("tag", "x")), Not(Term("deck", "y")), Not(Term("state", "due")), Not(Term("card", "z")))
    )
    assert parse_query("-(a OR b)").search == Not(AnyOf((Term("text", "a"), Term("text", "b"))))
    assert parse_query("anti-PD-1 x-ray").search == AllOf((Term("text", "anti-PD-1"), Term("text", "x-ray")))
