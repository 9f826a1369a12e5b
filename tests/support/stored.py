"""The deck cards a store holds, read back one by one as the app reads them."""

from __future__ import annotations

from immunoquiz.core.model import Card
from immunoquiz.core.store import Store


def stored_notes(store: Store) -> list[Card]:
    """Every deck card of the run's decks as last synced (retired ones too), in the order they were stored."""
    marks = ",".join("?" * len(store.active_decks))
    keys = store.conn.execute(
        f"SELECT deck_id, card_id FROM notes WHERE deck_id IN ({marks}) ORDER BY rowid", list(store.active_decks)
    ).fetchall()
    return [store.note(deck_id, card_id) for deck_id, card_id in keys]
