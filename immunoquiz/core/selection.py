"""What a study session draws from: a card filter plus how to study it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from immunoquiz.core.query import CardFilter

CramFilter = Literal["all", "leech", "due-soon", "wrong"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which cards a session draws from.

    Attributes:
        decks: Deck ids; empty means every deck of this run.
        tags: Keep cards with any of these tags; empty means all.
        cram: Study without touching the schedule.
        cram_filter: For cram: all matching cards, leeches only, or cards due
            within ``due_within_days``.
        due_within_days: The "due soon" horizon for cram.
        card_ids: Restrict to these (deck id, card id) pairs (cram a quiz's mistakes, say).
        siblings: Restrict to these (deck id, card id, sibling) triples: one
            side of a card, such as the weak reverse side of a basic card.
        limit: Stop after this many answers.
    """

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cram: bool = False
    cram_filter: CramFilter = "all"
    due_within_days: int = 3
    card_ids: tuple[tuple[str, str], ...] = ()
    siblings: tuple[tuple[str, str, int], ...] = ()
    limit: int | None = None

    def cards(self, every_deck: Sequence[str]) -> CardFilter:
        """The cards selected, as a filter.

        Args:
            every_deck: The decks of this run, for a selection naming none.
        """
        return CardFilter(
            decks=self.decks or tuple(every_deck), tags=self.tags, card_ids=self.card_ids, siblings=self.siblings
        )
