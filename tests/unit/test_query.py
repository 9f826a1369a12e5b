"""The card filter: each field narrows, fields combine with AND, values within one with OR, text matches literally."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.query import CardFilter, all_tags, card_ids, next_due_ms
from immunoquiz.core.schedule import CardState, Phase
from immunoquiz.core.store import Store
from tests.support.decks import ALL_TYPES, basic_card


def sides(store: Store, cards: CardFilter) -> list[str]:
    by_id = {row.id: row for row in store.cards_where("1")}
    return [f"{by_id[i].deck_id}/{by_id[i].card_id}/{by_id[i].sibling}" for i in card_ids(store, cards)]


def two_decks(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    write_deck("d", [basic_card("a", tags=["x"], reverse="true"), basic_card("b", "Q I", tags=["y"])])
    folder = write_deck(
        "e", [basic_card("a", tags=["%"]), basic_card("b", "Q I", tags=["_"]), basic_card("c", "Q II", tags=["x%"])]
    )
    assert not store.sync([folder], clock()).diagnostics


def test_each_field_narrows(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    two_decks(store, clock, write_deck)
    assert sides(store, CardFilter()) == ["d/a/0", "d/a/1", "d/b/0", "e/a/0", "e/b/0", "e/c/0"]
    assert sides(store, CardFilter(decks=("e",))) == ["e/a/0", "e/b/0", "e/c/0"]
    assert sides(store, CardFilter(tags=("x", "y"))) == ["d/a/0", "d/a/1", "d/b/0"]
    assert sides(store, CardFilter(card_ids=(("d", "a"), ("e", "b")))) == ["d/a/0", "d/a/1", "e/b/0"]
    assert sides(store, CardFilter(siblings=(("d", "a", 1),))) == ["d/a/1"]
    # Fields combine with AND: tag x, and card d/a or e/c.
    assert sides(store, CardFilter(tags=("x",), card_ids=(("d", "a"), ("e", "c")))) == ["d/a/0", "d/a/1"]
    assert sides(store, CardFilter(decks=("e",), tags=("x",))) == []


def test_untrusted_text_matches_literally(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    two_decks(store, clock, write_deck)
    assert sides(store, CardFilter(tags=("%",))) == ["e/a/0"]
    assert sides(store, CardFilter(tags=("_",))) == ["e/b/0"]
    assert sides(store, CardFilter(card_ids=(("d", "%"),))) == []
    assert sides(store, CardFilter(tags=("[@click=app.quit]",))) == []


def test_states(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    two_decks(store, clock, write_deck)
    rows = {f"{r.deck_id}/{r.card_id}/{r.sibling}": r.id for r in store.cards_where("1")}
    due = 1_000_000
    store.replace_states(
        {
            rows["d/a/1"]: CardState(Phase.REVIEW, None, 3.0, 5.0, due, 0),
            rows["e/a/0"]: CardState(Phase.RELEARNING, 0, 3.0, 5.0, due + 1, 0, lapses=1),
        }
    )
    store.set_suspended(rows["d/b/0"], True)
    assert sides(store, CardFilter(states=("new",))) == ["d/a/0", "e/b/0", "e/c/0"]  # not the suspended one
    assert sides(store, CardFilter(states=("learning", "review"))) == ["d/a/1", "e/a/0"]
    assert sides(store, CardFilter(states=("suspended", "review"))) == ["d/a/1", "d/b/0"]
    assert sides(store, CardFilter(states=("due",), queued=(rows["e/c/0"],))) == ["e/c/0"]
    assert sides(store, CardFilter(unsuspended=True, decks=("d",))) == ["d/a/0", "d/a/1"]
    assert sides(store, CardFilter(due_before_ms=due + 1)) == ["d/a/1"]
    store.bury(rows["d/a/0"], 10)  # buried on day 9, back on day 10
    assert sides(store, CardFilter(decks=("d",), unburied_on=9)) == ["d/a/1", "d/b/0"]
    assert sides(store, CardFilter(decks=("d",), unburied_on=10)) == ["d/a/0", "d/a/1", "d/b/0"]
    assert next_due_ms(store, CardFilter(decks=("e",))) == due + 1
    assert next_due_ms(store, CardFilter(decks=("e",), states=("new",))) is None


def test_all_tags(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([ALL_TYPES], clock())
    assert all_tags(store) == ["brands", "car-t", "drugs", "markup", "mechanism", "side-effects", "trials"]
    two_decks(store, clock, write_deck)  # the decks of this run are now d and e only
    assert all_tags(store) == ["%", "_", "x", "x%", "y"]
    assert all_tags(store, ["d"]) == ["x", "y"]
    assert all_tags(store, []) == []
