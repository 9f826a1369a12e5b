"""Remembered decks: kept in the learner's database, synced on every open, and a missing one never retires cards."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.schedule import Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store
from immunoquiz.core.workspace import Workspace, open_workspace
from tests.support.decks import ALL_TYPES, basic_card, deck_yaml


def deck_folder(root: Path, deck_id: str, *card_ids: str) -> Path:
    folder = root / deck_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{deck_id}.yaml").write_text(deck_yaml(deck_id, [basic_card(c) for c in card_ids]), encoding="utf-8")
    return folder


def study_one(store: Store, clock: ManualClock, deck_id: str) -> None:
    session = Session(store, Selection(decks=(deck_id,)), clock=clock)
    showing = session.next()
    assert showing is not None
    session.rate(showing, session.check(showing, ""), Rating.GOOD)


def open_again(db: Path, clock: ManualClock, *for_this_run: Path) -> Workspace:
    return open_workspace(db, [ALL_TYPES], clock, for_this_run=for_this_run)


def test_a_remembered_folder_is_synced_on_every_open(tmp_path: Path, clock: ManualClock) -> None:
    folder = deck_folder(tmp_path, "mine", "a", "b")
    db = tmp_path / "x.db"
    workspace = open_again(db, clock)
    assert "mine" not in workspace.deck_ids()
    assert workspace.remember(tmp_path / "mine" / ".." / "mine", clock())
    assert not workspace.remember(folder, clock())  # remembered already
    workspace.store.close()
    workspace = open_again(db, clock)
    assert "mine" in workspace.deck_ids()
    assert workspace.store.remembered_decks() == [folder.resolve()]  # stored resolved
    [place] = workspace.places()
    assert (place.path, place.exists, place.decks) == (folder.resolve(), True, ("mine",))
    assert workspace.notices() == []


def test_a_missing_remembered_folder_is_said_and_its_cards_are_kept(tmp_path: Path, clock: ManualClock) -> None:
    folder = deck_folder(tmp_path, "mine", "a", "b")
    db = tmp_path / "x.db"
    workspace = open_again(db, clock)
    workspace.remember(folder, clock())
    workspace.store.close()
    workspace = open_again(db, clock)
    study_one(workspace.store, clock, "mine")
    studied = {c.card_id: c.state for c in workspace.store.cards_where("deck_id = 'mine'")}
    workspace.store.close()

    moved = shutil.move(folder, tmp_path / "elsewhere")
    workspace = open_again(db, clock)
    assert "mine" not in workspace.deck_ids()
    assert workspace.missing == [folder.resolve()]
    [notice] = workspace.notices()
    assert notice.startswith(f"Remembered decks not found: {folder.resolve()}; their cards and history are kept")
    assert "`immunoquiz decks remove " in notice
    retired = workspace.store.conn.execute("SELECT sum(retired) FROM cards WHERE deck_id = 'mine'").fetchone()
    assert retired == (0,)
    [place] = workspace.places()
    assert (place.exists, place.decks) == (False, ())
    workspace.store.close()

    shutil.move(moved, folder)
    workspace = open_again(db, clock)
    assert {c.card_id: c.state for c in workspace.store.cards_where("deck_id = 'mine'")} == studied
    assert any(state.phase != Phase.NEW for state in studied.values())


def test_a_deck_left_out_of_a_sync_keeps_its_cards(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    mine = deck_folder(tmp_path, "mine", "a", "b")
    store.sync([ALL_TYPES, mine], clock())
    study_one(store, clock, "mine")
    before = store.conn.execute("SELECT id, phase, due_ms, retired FROM cards WHERE deck_id = 'mine'").fetchall()
    report = store.sync([ALL_TYPES], clock())  # as a run without its --decks folder
    assert "mine" not in report.decks and "mine" not in store.active_decks
    assert (
        store.conn.execute("SELECT id, phase, due_ms, retired FROM cards WHERE deck_id = 'mine'").fetchall() == before
    )
    store.sync([ALL_TYPES, mine], clock())
    assert (
        store.conn.execute("SELECT id, phase, due_ms, retired FROM cards WHERE deck_id = 'mine'").fetchall() == before
    )


def test_a_folder_given_twice_is_read_once(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    mine = deck_folder(tmp_path, "mine", "a")
    assert list(iter_deck_files([mine, mine / "mine.yaml", mine])) == [mine / "mine.yaml"]
    report = store.sync([mine, mine / "mine.yaml"], clock())
    assert report.decks == ["mine"] and report.diagnostics == []


def test_a_path_for_this_run_is_offered_unless_remembered(tmp_path: Path, clock: ManualClock) -> None:
    mine = deck_folder(tmp_path, "mine", "a")
    other = deck_folder(tmp_path, "other", "b")
    db = tmp_path / "x.db"
    workspace = open_again(db, clock, mine, other / "other.yaml")
    assert workspace.for_this_run == [mine.resolve(), (other / "other.yaml").resolve()]
    assert workspace.remember_for_this_run(clock()) == workspace.store.remembered_decks()
    assert workspace.for_this_run == []
    workspace.store.close()
    workspace = open_again(db, clock, mine, other / "other.yaml", mine / "mine.yaml")
    assert workspace.for_this_run == []  # each is remembered, or lies in a remembered folder
    assert workspace.notices() == []


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda root: root / "nowhere", "no such file or folder"),
        (lambda root: root, "the folder holds no deck file (*.yaml, *.yml): add a deck to it first"),
        (lambda root: Path(shutil.copy(ALL_TYPES, root / "deck.txt")), "not a deck file (*.yaml, *.yml)"),
    ],
)
def test_only_a_deck_file_or_folder_is_remembered(
    tmp_path: Path, clock: ManualClock, store: Store, make: Callable[[Path], Path], problem: str
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    workspace = Workspace(store, store.sync([], clock()))
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        workspace.remember(make(root), clock())
    assert store.remembered_decks() == []


def test_a_remembered_place_is_named_by_path_or_by_its_decks_id(tmp_path: Path, clock: ManualClock) -> None:
    one = deck_folder(tmp_path, "one", "a")
    shared = deck_folder(tmp_path, "shared", "b")
    (shared / "second.yaml").write_text(deck_yaml("second", [basic_card("c")]), encoding="utf-8")
    db = tmp_path / "x.db"
    workspace = open_again(db, clock)
    workspace.remember(one, clock())
    workspace.remember(shared, clock())
    workspace.store.close()
    workspace = open_again(db, clock)
    assert workspace.remembered_place("one") == one.resolve()
    assert workspace.remembered_place(str(shared)) == shared.resolve()
    with pytest.raises(
        ValueError, match=r"deck `second` is in the remembered folder .* with shared: remove the folder"
    ):
        workspace.remembered_place("second")
    with pytest.raises(ValueError, match="deck `all-types` is not remembered"):
        workspace.remembered_place("all-types")
    with pytest.raises(ValueError, match="not a remembered deck file, folder or deck id"):
        workspace.remembered_place("nothing")
    assert workspace.store.forget_decks(one.resolve())
    assert workspace.store.remembered_decks() == [shared.resolve()]
