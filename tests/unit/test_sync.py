"""Deck sync: unchanged decks skipped, history kept through edits and removals."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from immunoquiz.core import reader as reader_module
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.schedule import Phase, Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store
from tests.support.decks import basic_card


def study_one(store: Store, clock: ManualClock, card_id: str) -> None:
    session = Session(store, Selection(), clock=clock)
    while (showing := session.next()) is not None:
        if showing.row.card_id == card_id:
            session.rate(showing, session.check(showing, ""), Rating.GOOD)
            return
    raise AssertionError(f"{card_id} was not in the queue")


def history(store: Store, card_id: str) -> int:
    return int(
        store.conn.execute(
            "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card WHERE c.card_id = ?", (card_id,)
        ).fetchone()[0]
    )


def test_unchanged_decks_are_not_parsed(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_deck("d", [basic_card("a"), basic_card("b")])
    first = store.sync([folder], clock())
    assert first.parsed == ["d"] and first.decks == ["d"]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged deck was parsed")

    monkeypatch.setattr(reader_module, "read_deck", refuse)
    second = store.sync([folder], clock())
    assert second.skipped == ["d"] and second.parsed == [] and store.active_decks == ["d"]


def test_an_old_unchanged_file_is_not_even_read(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_deck("d", [basic_card("a")])
    deck = folder / "d.yaml"
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(deck, ns=(an_hour_ago, an_hour_ago))
    store.sync([folder], clock())
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "d.yaml":
            raise AssertionError("an unchanged deck file was read")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert store.sync([folder], clock()).skipped == ["d"]


def test_an_edit_that_keeps_size_and_modification_time_is_seen(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    # On a filesystem with coarse timestamps, an edit in the same second (or
    # two) as the sync before it leaves the modification time as it was.
    folder = write_deck("d", [basic_card("a", "Front one")])
    deck = folder / "d.yaml"
    store.sync([folder], clock())
    stat = deck.stat()
    deck.write_text(deck.read_text(encoding="utf-8").replace("Front one", "Front two"), encoding="utf-8")
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck.stat().st_size == stat.st_size
    report = store.sync([folder], clock())
    assert report.parsed == ["d"]
    assert store.note("d", "a").body.front == "Front two"  # type: ignore[union-attr]


def test_the_learner_is_told_of_each_deck_parsed(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a")])
    write_deck("e", [basic_card("b")], name="e.yaml")
    told: list[tuple[str, int]] = []
    store.sync([folder], clock(), lambda path, size: told.append((path.name, size)))
    assert told == [("d.yaml", (folder / "d.yaml").stat().st_size), ("e.yaml", (folder / "e.yaml").stat().st_size)]
    told.clear()
    (folder / "e.yaml").write_text((folder / "e.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.sync([folder], clock(), lambda path, size: told.append((path.name, size)))
    assert [name for name, _ in told] == ["e.yaml"]  # the unchanged deck is not parsed, so not announced


def test_editing_a_card_keeps_its_history(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [basic_card("a", "Old front"), basic_card("b")])
    store.sync([folder], clock())
    study_one(store, clock, "a")
    write_deck("d", [basic_card("a", "New front", "New back"), basic_card("b")])
    report = store.sync([folder], clock())
    assert report.parsed == ["d"]
    assert history(store, "a") == 1
    row = store.find_card("d", "a")
    assert row.state.phase == Phase.LEARNING and row.state.reps == 1
    assert store.note("d", "a").body.front == "New front"  # type: ignore[union-attr]


def test_removed_cards_retire_and_come_back_with_their_history(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a"), basic_card("b")])
    store.sync([folder], clock())
    study_one(store, clock, "b")
    write_deck("d", [basic_card("a")])
    store.sync([folder], clock())
    assert [r.card_id for r in store.cards_where("1")] == ["a"]
    assert history(store, "b") == 1
    assert "b" not in {s.row.card_id for s in _drain(Session(store, Selection(), clock=clock))}
    write_deck("d", [basic_card("a"), basic_card("b")])
    store.sync([folder], clock())
    back = store.find_card("d", "b")
    assert back.state.reps == 1 and history(store, "b") == 1


def test_siblings_follow_the_card(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [basic_card("a", reverse="true")])
    store.sync([folder], clock())
    assert sorted(r.sibling for r in store.cards_where("1")) == [0, 1]
    write_deck("d", [basic_card("a")])
    store.sync([folder], clock())
    assert [r.sibling for r in store.cards_where("1")] == [0]


def test_a_broken_edit_keeps_the_last_good_version(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a", "Good front")])
    store.sync([folder], clock())
    (folder / "d.yaml").write_text("id: d\ncards: [\n", encoding="utf-8")
    report = store.sync([folder], clock())
    assert report.diagnostics and report.diagnostics[0].code == "yaml-syntax"
    # Still studied, in its last good version, and said so until the file is fixed.
    assert report.decks == ["d"] and report.kept == ["d"]
    assert store.active_decks == ["d"]
    assert store.note("d", "a").body.front == "Good front"  # type: ignore[union-attr]
    showing = Session(store, Selection(), clock=clock).next()
    assert showing is not None and showing.row.card_id == "a"
    (folder / "d.yaml").chmod(0)
    try:
        unreadable = store.sync([folder], clock())
    finally:
        (folder / "d.yaml").chmod(0o644)
    assert unreadable.kept == (["d"] if unreadable.diagnostics else [])  # root reads any file
    write_deck("d", [basic_card("a", "Fixed front")])
    fixed = store.sync([folder], clock())
    assert fixed.kept == [] and fixed.diagnostics == []
    assert store.note("d", "a").body.front == "Fixed front"  # type: ignore[union-attr]


def test_sync_never_writes_deck_files(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [basic_card("a")])
    deck = folder / "d.yaml"
    before = (deck.read_bytes(), deck.stat().st_mtime_ns)
    store.sync([folder], clock())
    store.sync([folder], clock())
    assert (deck.read_bytes(), deck.stat().st_mtime_ns) == before


def test_duplicate_deck_ids_across_folders_keep_the_first(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("d", [basic_card("a")], name="one.yaml")
    write_deck("d", [basic_card("b")], name="two.yaml")
    report = store.sync([folder], clock())
    assert report.decks == ["d"]
    assert [d.code for d in report.diagnostics] == ["duplicate-deck-id"]
    assert [r.card_id for r in store.cards_where("1")] == ["a"]


def _drain(session: Session) -> list:  # type: ignore[type-arg]
    shown = []
    while (showing := session.next()) is not None:
        shown.append(showing)
        session.rate(showing, session.check(showing, ""), Rating.EASY)
    return shown


def test_a_sync_writes_without_a_disk_sync_per_deck_and_answers_stay_full(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from immunoquiz.core.store import open_store

    store = open_store(tmp_path / "x.db")
    levels = []
    save_deck = Store._save_deck

    def saving(self: Store, *args: object) -> None:
        levels.append(self.conn.execute("PRAGMA synchronous").fetchone()[0])
        save_deck(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_save_deck", saving)
    assert not store.sync([write_deck("d", [basic_card("a")])], clock()).diagnostics
    assert levels == [1]  # NORMAL while the deck is saved
    assert store.conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL again for the answers
    study_one(store, clock, "a")
    store.close()


def test_a_quote_wrapped_over_lines_is_one_passage_when_stored(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    # The passages are stored one a line: a line break inside one (a `|` block) must not make two.
    wrapped = basic_card("a").replace(
        "quote: Checkpoint inhibitors are currently", "quote: |\n      Checkpoint inhibitors are\n      currently"
    )
    assert not store.sync([write_deck("d", [wrapped])], clock()).diagnostics
    assert store.note("d", "a").quotes == (
        "Checkpoint inhibitors are currently the most widely used form of cancer immunotherapy",
    )
