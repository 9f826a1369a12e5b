"""SQLite's quick check starts when a write is coming, not at open: reading alone runs beside no check."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from immunoquiz.core import store as store_module
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.query import CardFilter
from immunoquiz.core.queue import day_counts
from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.sitting import make_paper
from immunoquiz.core.store import Store, open_store
from immunoquiz.plain import run_plain
from tests.support.decks import basic_card, deck_yaml


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files a quick check was started on, in order."""
    files: list[Path] = []
    real = store_module.QuickCheck

    def recorded(path: Path) -> object:
        files.append(path)
        return real(path)

    monkeypatch.setattr(store_module, "QuickCheck", recorded)
    return files


@pytest.fixture
def synced(tmp_path: Path, clock: ManualClock) -> tuple[Path, Path]:
    """A database file synced with a small deck folder (closed), and the folder."""
    folder = tmp_path / "decks"
    folder.mkdir()
    cards = [basic_card(f"c{name}", f"Question {name}?", f"Answer {name}") for name in "abcdef"]
    (folder / "d.yaml").write_text(deck_yaml("d", cards), encoding="utf-8")
    db = tmp_path / "learner.db"
    store = open_store(db)
    assert not store.sync([folder], clock()).diagnostics
    store.close()
    return db, folder


def opened(db: Path, folder: Path, clock: ManualClock) -> Store:
    store = open_store(db)
    store.sync([folder], clock())
    return store


def test_opening_and_counting_start_no_check(
    synced: tuple[Path, Path], started: list[Path], clock: ManualClock
) -> None:
    store = opened(*synced, clock)
    assert day_counts(store, CardFilter(tuple(store.active_decks)), clock())["d"].new == 6
    store.close()
    assert started == []


def test_line_mode_starts_it_once_its_first_card_is_printed(
    synced: tuple[Path, Path], started: list[Path], clock: ManualClock
) -> None:
    db, folder = synced
    store = opened(db, folder, clock)
    session = Session(store, Selection(), clock=clock, rng=random.Random(1))
    printed: list[tuple[str, int]] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            printed.append((text, len(started)))
            return super().write(text)

    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    assert run_plain(session, io.StringIO("\n3\n\n3\nq\n"), Out()) == 2
    assert started == [db]
    # Nothing was printed before the first card, and the check had started before its answer was read.
    first_card = next(n for n, (text, _) in enumerate(printed) if "Question" in text)
    assert all(count == 0 for _, count in printed[:first_card]) and printed[first_card + 1][1] == 1
    # The answers waited for the check on its thread: none ran on the store's own connection.
    assert not any("quick_check" in sql for sql in traced)
    store.close()


async def test_the_app_starts_it_once_its_first_screen_is_painted(
    synced: tuple[Path, Path], started: list[Path], clock: ManualClock
) -> None:
    from immunoquiz.core.workspace import Workspace
    from immunoquiz.tui.app import ImmunoquizApp

    db, folder = synced
    store = open_store(db)
    app = ImmunoquizApp(Workspace(store, store.sync([folder], clock())), clock=clock, rng=random.Random(1))
    assert started == []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert started == [db]
    store.close()


def test_a_quiz_starts_it_before_its_paper_is_made(
    synced: tuple[Path, Path], started: list[Path], clock: ManualClock
) -> None:
    store = opened(*synced, clock)
    assert started == []
    make_paper(store, QuizRequest(count=3, seed=4))
    assert started == [synced[0]]
    store.close()


def test_a_sync_starts_it_before_reading_a_changed_deck(
    synced: tuple[Path, Path], started: list[Path], clock: ManualClock
) -> None:
    db, folder = synced
    (folder / "d.yaml").write_text(deck_yaml("d", [basic_card("ca", "Question a?", "Answer a")]), encoding="utf-8")
    store = open_store(db)
    assert started == []
    assert store.sync([folder], clock()).parsed == ["d"]
    assert started == [db]
    store.close()
