"""Shared fixtures: an in-memory store, a manual clock and small deck folders."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.store import Store, open_store
from tests.support.decks import deck_yaml


@pytest.fixture(autouse=True)
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in the test process leave it unfrozen: it is no single run, and holds other tests' garbage."""
    monkeypatch.setattr(gc, "freeze", lambda: None)


@pytest.fixture
def clock() -> ManualClock:
    """Monday 5 January 2026, 09:00 UTC."""
    return ManualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


@pytest.fixture
def store() -> Store:
    """A fresh in-memory database."""
    return open_store(memory=True)


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck file into a folder of its own and return the folder."""

    def write(deck_id: str, cards: list[str], name: str | None = None) -> Path:
        folder = tmp_path / "decks"
        folder.mkdir(exist_ok=True)
        (folder / (name or f"{deck_id}.yaml")).write_text(deck_yaml(deck_id, cards), encoding="utf-8")
        return folder

    return write


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)
