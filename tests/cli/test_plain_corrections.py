"""Line mode tells of a corrected card once, before its prompt."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.schedule import Rating
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session
from immunoquiz.core.store import Store
from immunoquiz.plain import run_plain
from tests.support.decks import NUMERIC


def run(store: Store, clock: ManualClock, lines: list[str]) -> str:
    out = io.StringIO()
    run_plain(Session(store, clock=clock), io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return out.getvalue()


def test_the_notice_is_printed_once(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    folder = write_deck("d", [NUMERIC])
    store.sync([folder], clock())
    for wait in ({"minutes": 11}, {"days": 3}):
        session = Session(store, Selection(), clock=clock)
        while (showing := session.next()) is not None:
            session.rate(showing, session.check(showing, ""), Rating.GOOD)
        clock.advance(**wait)
    write_deck("d", [NUMERIC.replace("value: 59.8", "value: 45.9") + "\n    tolerance: 0.5"])
    store.sync([folder], clock())
    notice = "Corrected on 2026-01-08: the answer is now 45.9% (±0.5)\n"
    # Quitting at the prompt records nothing: the learner is told again next time.
    assert notice in run(store, clock, ["q"])
    # Rated Again, the card comes back in the same session, without the notice.
    text = run(store, clock, ["45.9", "1", "q"])
    assert f"· relearning · left: 0 new, 0 learning, 0 review\n{notice}Q: KEYNOTE-689" in text
    assert "Right.\nAnswer: 45.9% (±0.5)" in text
    assert "Card 2 · d · numeric · relearning" in text and text.count("Corrected on") == 1
    clock.advance(minutes=11)
    later = run(store, clock, ["q"])
    assert "Card 1 · d · numeric · relearning" in later and "Corrected on" not in later
