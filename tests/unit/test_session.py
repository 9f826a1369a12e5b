"""Scheduler and session rules, run on an injected clock."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from immunoquiz.core.clock import ManualClock, from_ms, to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.schedule import CardState, Phase, Rating, review
from immunoquiz.core.selection import Selection
from immunoquiz.core.session import Session, Showing
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import DayRule, read_rollover_hour
from tests.support.decks import CHOICE, NUMERIC, QUOTE, TYPED, basic_card

UTC = UTC
NEW_YORK = DayRule(ZoneInfo("America/New_York"), 4)


def cards(n: int, prefix: str = "c", **extra: object) -> list[str]:
    # Backs hold no digits: numbers in answers must occur in the quote.
    return [basic_card(f"{prefix}{i:02d}", f"Q{i}", "Answer " + "I" * (i + 1), **extra) for i in range(n)]


def load(store: Store, clock: ManualClock, folder: Path) -> None:
    assert not store.sync([folder], clock()).diagnostics


def answer(session: Session, showing: Showing, rating: Rating) -> None:
    session.rate(showing, session.check(showing, ""), rating)


def drain(session: Session, rating: Rating = Rating.GOOD, clock: ManualClock | None = None) -> list[str]:
    seen = []
    while (showing := session.next()) is not None:
        seen.append(f"{showing.row.card_id}/{showing.row.sibling}")
        answer(session, showing, rating)
        if clock is not None:
            clock.advance(seconds=10)
    return seen


def graduate(store: Store, clock: ManualClock, options: DeckOptions = DeckOptions(new_per_day=100)) -> None:
    """Take every new card to the review phase (Good, then Good after 10 minutes)."""
    for _ in range(3):
        session = Session(store, clock=clock, options=options)
        drain(session)
        clock.advance(minutes=11)


def test_learning_steps_1m_10m(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(2)))
    session = Session(store, clock=clock)
    first = session.next()
    assert first is not None
    answer(session, first, Rating.AGAIN)
    assert from_ms(store.card(first.row.id).state.due_ms or 0) - clock() == timedelta(minutes=1)
    second = session.next()
    assert second is not None and second.row.id != first.row.id
    answer(session, second, Rating.GOOD)
    row = store.card(second.row.id)
    assert row.state.phase == Phase.LEARNING and row.state.step == 1
    assert from_ms(row.state.due_ms or 0) - clock() == timedelta(minutes=10)
    assert session.next() is not None  # the 1-minute card, shown within the learn-ahead window
    clock.advance(minutes=10)
    graduated = Session(store, clock=clock)
    showing = graduated.next()
    while showing is not None and showing.row.id != second.row.id:
        answer(graduated, showing, Rating.GOOD)
        showing = graduated.next()
    assert showing is not None
    answer(graduated, showing, Rating.GOOD)
    row = store.card(second.row.id)
    assert row.state.phase == Phase.REVIEW
    assert from_ms(row.state.due_ms or 0) - clock() >= timedelta(days=1)


def test_relearning_after_a_lapse(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(1)))
    graduate(store, clock)
    row = store.cards_where("1")[0]
    assert row.state.phase == Phase.REVIEW
    clock.now = from_ms(row.state.due_ms or 0) + timedelta(hours=1)
    session = Session(store, clock=clock)
    showing = session.next()
    assert showing is not None and showing.row.id == row.id and session.status(showing) == "review"
    answer(session, showing, Rating.AGAIN)
    after = store.card(row.id)
    assert after.state.phase == Phase.RELEARNING and after.state.lapses == 1
    assert from_ms(after.state.due_ms or 0) - clock() == timedelta(minutes=10)
    clock.advance(minutes=10)
    again = Session(store, clock=clock).next()
    assert again is not None and again.row.id == row.id and session.status(again) == "relearning"
    crammed = Session(store, Selection(cram=True), clock=clock).next()
    assert crammed is not None and Session(store, Selection(cram=True), clock=clock).status(crammed) == "cram"


def test_study_day_rolls_over_at_4am_local_time() -> None:
    before = datetime(2026, 1, 5, 8, 59, tzinfo=UTC)  # 03:59 in New York
    after = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 04:00 in New York
    assert NEW_YORK.day_of(after) == NEW_YORK.day_of(before) + 1
    tokyo = DayRule(ZoneInfo("Asia/Tokyo"), 4)
    assert tokyo.day_of(datetime(2026, 1, 5, 18, 59, tzinfo=UTC)) + 1 == tokyo.day_of(
        datetime(2026, 1, 5, 19, 0, tzinfo=UTC)
    )
    assert NEW_YORK.start_of(NEW_YORK.day_of(after)) == after
    # Across the start of daylight saving time (8 March 2026) the day still begins at 04:00 local.
    dst_day = NEW_YORK.day_of(datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    assert NEW_YORK.start_of(dst_day) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)
    assert NEW_YORK.end_of(dst_day) - NEW_YORK.start_of(dst_day) == timedelta(hours=24)
    assert NEW_YORK.start_of(dst_day) - NEW_YORK.start_of(dst_day - 1) == timedelta(hours=23)


def test_new_card_limit_resets_at_the_local_rollover(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load(store, clock, write_deck("d", cards(12)))
    options = DeckOptions(new_per_day=5)
    clock.now = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)  # 04:30 in New York
    first = drain(Session(store, clock=clock, day_rule=NEW_YORK, options=options), Rating.EASY)
    assert len(first) == 5
    clock.now = datetime(2026, 1, 6, 8, 59, tzinfo=UTC)  # 03:59 next morning: still the same study day
    assert drain(Session(store, clock=clock, day_rule=NEW_YORK, options=options), Rating.EASY) == []
    clock.now = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
    second = Session(store, clock=clock, day_rule=NEW_YORK, options=options)
    assert second.counts().new == 5
    # In Tokyo the same instant is long past the rollover of a later day.
    assert DayRule(ZoneInfo("Asia/Tokyo")).day_of(clock()) == NEW_YORK.day_of(clock())


def test_review_limit_and_most_overdue_first(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(5)))
    graduate(store, clock)
    rows = store.cards_where("1")
    assert all(r.state.phase == Phase.REVIEW for r in rows)
    clock.now = max(from_ms(r.state.due_ms or 0) for r in rows) + timedelta(days=3)
    # Make one card much weaker (lower stability => lower retrievability).
    weak = rows[3]
    store.conn.execute("UPDATE cards SET stability = 0.5 WHERE id = ?", (weak.id,))
    session = Session(store, clock=clock, options=DeckOptions(reviews_per_day=3))
    assert session.counts().review == 3
    first = session.next()
    assert first is not None and first.row.id == weak.id


def test_queue_puts_due_learning_first_and_spreads_new_cards(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load(store, clock, write_deck("d", cards(4, "r") + cards(2, "n")))
    options = DeckOptions(new_per_day=4)
    graduate(store, clock, options)  # r00-r03 reviews
    rows = store.cards_where("1")
    clock.now = max(from_ms(r.state.due_ms or 0) for r in rows if r.state.phase == Phase.REVIEW) + timedelta(hours=1)
    session = Session(store, clock=clock, options=options)
    order = []
    while (showing := session.next()) is not None:
        order.append(showing.row.card_id)
        answer(
            session, showing, Rating.AGAIN if showing.row.card_id == "n00" and order.count("n00") == 1 else Rating.EASY
        )
        clock.advance(minutes=2)  # the 1-minute learning card is due again at once
    first_seen = list(dict.fromkeys(order))
    assert sorted(first_seen) == ["n00", "n01", "r00", "r01", "r02", "r03"]
    assert order.index("n00") < order.index("n01")
    assert order[0].startswith("r") and order[-1] != "n01"  # new cards spread among reviews
    assert order[order.index("n00") + 1] == "n00"  # due learning card jumps the queue


def test_siblings_are_buried_until_the_next_day(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    cloze = "\n".join(
        [
            "  - id: z",
            "    type: cloze",
            "    tags: [t]",
            f"    quote: {QUOTE}",
            "    text: '{{c1::Checkpoint inhibitors}} are the most {{c2::widely}} used form'",
        ]
    )
    load(store, clock, write_deck("d", [basic_card("a", reverse="true"), cloze]))
    today = drain(Session(store, clock=clock), Rating.EASY)
    assert today == ["a/0", "z/1"]
    row = store.find_card("d", "a", 1)
    assert row.buried_until == DayRule().day_of(clock()) + 1
    clock.advance(days=1)
    assert drain(Session(store, clock=clock), Rating.EASY) == ["a/1", "z/2"]


def test_manual_bury_and_suspend(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(3)))
    session = Session(store, clock=clock)
    first = session.next()
    assert first is not None
    session.bury(first)
    second = session.next()
    assert second is not None
    session.suspend(second)
    assert drain(session, Rating.EASY) == ["c02/0"]
    clock.advance(days=1)
    assert drain(Session(store, clock=clock), Rating.EASY) == ["c00/0"]
    store.set_suspended(second.row.id, False)
    assert drain(Session(store, clock=clock), Rating.EASY) == ["c01/0"]


def lapse_until_leech(store: Store, clock: ManualClock, options: DeckOptions) -> int:
    graduate(store, clock, options)
    row = store.cards_where("1")[0]
    for _ in range(options.leech_threshold):
        row = store.card(row.id)
        clock.now = max(clock(), from_ms(row.state.due_ms or 0)) + timedelta(minutes=1)
        session = Session(store, clock=clock, options=options)
        showing = session.next()
        assert showing is not None
        answer(session, showing, Rating.AGAIN)
        clock.advance(minutes=11)
        relearn = session.next()
        if relearn is None:  # suspended as a leech
            break
        answer(session, relearn, Rating.GOOD)
    return row.id


def test_eight_lapses_make_a_suspended_leech(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(1)))
    rowid = lapse_until_leech(store, clock, DeckOptions())
    row = store.card(rowid)
    assert row.state.lapses == 8 and row.leech and row.suspended
    lapses = store.conn.execute(
        "SELECT count(*) FROM reviews WHERE card = ? AND rating = 1 AND phase_before = 2", (rowid,)
    ).fetchone()[0]
    assert lapses == 8


def test_leeches_can_stay_unsuspended(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(1)))
    rowid = lapse_until_leech(store, clock, DeckOptions(suspend_leeches=False))
    row = store.card(rowid)
    assert row.leech and not row.suspended


def test_undo_restores_state_and_log_repeatedly(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load(store, clock, write_deck("d", [basic_card("a", reverse="true"), basic_card("b")]))
    session = Session(store, clock=clock)
    before = {r.id: r for r in store.cards_where("1")}
    first = session.next()
    assert first is not None
    answer(session, first, Rating.GOOD)
    second = session.next()
    assert second is not None
    answer(session, second, Rating.EASY)
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    assert session.undo() and session.undo() and not session.undo()
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert {r.id: r for r in store.cards_where("1")} == before  # state, burying and flags restored
    shown = session.next()
    assert shown is not None and shown.row.id == first.row.id


def test_cram_leaves_the_schedule_untouched(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(3) + cards(2, "x", tags=["other"])))
    graduate(store, clock)
    before = {r.id: r for r in store.cards_where("1")}
    session = Session(store, Selection(cram=True, tags=("t",)), clock=clock, rng=random.Random(1))
    seen = []
    while (showing := session.next()) is not None:
        seen.append(showing.row.card_id)
        answer(session, showing, Rating.AGAIN if len(seen) == 1 else Rating.GOOD)
    assert sorted(set(seen)) == ["c00", "c01", "c02"] and len(seen) == 4  # the Again card comes back once
    assert {r.id: r for r in store.cards_where("1")} == before
    modes = store.conn.execute("SELECT mode, count(*) FROM reviews WHERE mode = 'cram'").fetchone()
    assert modes == ("cram", 4)
    assert session.intervals(session.next() or _any(store, clock)) == {}


def _any(store: Store, clock: ManualClock) -> Showing:
    showing = Session(store, Selection(cram=True), clock=clock).next()
    assert showing is not None
    return showing


def test_cram_filters_leeches_and_due_soon(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", cards(3)))
    graduate(store, clock)
    leech = store.cards_where("1")[1]
    store.conn.execute("UPDATE cards SET leech = 1 WHERE id = ?", (leech.id,))
    leeches = Session(store, Selection(cram=True, cram_filter="leech"), clock=clock)
    assert [s.row.id for s in iter(leeches.next, None)] == [leech.id]
    far = store.cards_where("1")[2]
    store.conn.execute("UPDATE cards SET due_ms = ? WHERE id = ?", (to_ms(clock() + timedelta(days=60)), far.id))
    soon = Session(store, Selection(cram=True, cram_filter="due-soon", due_within_days=30), clock=clock)
    assert far.id not in {s.row.id for s in iter(soon.next, None)}


def test_cram_one_side_of_a_card_or_the_whole_card(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load(store, clock, write_deck("d", [basic_card("a", reverse="true"), basic_card("b", reverse="true")]))
    one_side = Session(store, Selection(cram=True, siblings=(("d", "a", 1),)), clock=clock)
    assert drain(one_side) == ["a/1"]
    whole = Session(store, Selection(cram=True, card_ids=(("d", "a"),)), clock=clock)
    assert sorted(drain(whole)) == ["a/0", "a/1"]


def test_weeks_of_study_run_on_the_injected_clock(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    load(store, clock, write_deck("d", cards(30)))
    options = DeckOptions(new_per_day=10)
    rng = random.Random(3)
    for _ in range(28):
        session = Session(store, clock=clock, options=options)
        while (showing := session.next()) is not None:
            clock.advance(seconds=8)
            answer(session, showing, rng.choices(list(Rating), [1, 1, 7, 1])[0])
        clock.advance(days=1)
    rows = store.cards_where("1")
    assert all(r.state.phase != Phase.NEW for r in rows)
    assert sum(r.state.phase == Phase.REVIEW for r in rows) >= 25
    days = store.conn.execute("SELECT count(DISTINCT day) FROM reviews").fetchone()[0]
    assert days >= 20


def test_fuzz_is_reproducible_per_card() -> None:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    state = CardState()
    for step in range(6):
        state = review(state, Rating.GOOD, now + timedelta(days=step * 9), DeckOptions(), key=42)
    again = CardState()
    for step in range(6):
        again = review(again, Rating.GOOD, now + timedelta(days=step * 9), DeckOptions(), key=42)
    assert state == again
    other = CardState()
    for step in range(6):
        other = review(other, Rating.GOOD, now + timedelta(days=step * 9), DeckOptions(), key=43)
    assert state.due_ms != other.due_ms  # fuzz really differs between cards


@pytest.mark.parametrize(
    ("given", "seconds", "proposed"),
    # However quick, a right answer proposes Good: Easy is the learner's to pick.
    [("Keytruda", 2, Rating.GOOD), ("keytruda", 30, Rating.GOOD), ("Opdivo", 2, Rating.AGAIN)],
)
def test_typed_answers_propose_a_rating(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], given: str, seconds: int, proposed: Rating
) -> None:
    typed = "\n".join(
        [
            "  - id: k",
            "    type: typed",
            "    tags: [t]",
            "    quote: Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction",
            "    question: Brand name of pembrolizumab?",
            "    answer: Keytruda",
        ]
    )
    load(store, clock, write_deck("d", [typed]))
    session = Session(store, clock=clock)
    showing = session.next()
    assert showing is not None
    clock.advance(seconds=seconds)
    checked = session.check(showing, given)
    assert checked.verdict.proposed == proposed and checked.elapsed_ms == seconds * 1000
    session.rate(showing, checked, checked.verdict.proposed)
    logged = store.conn.execute("SELECT rating, answer, correct, duration_ms, mode FROM reviews").fetchone()
    assert logged == (int(proposed), given, int(proposed != Rating.AGAIN), seconds * 1000, "review")


def test_counts_follow_the_queue(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    load(store, clock, write_deck("d", [basic_card("a", reverse="true"), *cards(3)]))
    session = Session(store, clock=clock)
    assert (session.counts().new, session.counts().learning, session.counts().review) == (4, 0, 0)
    first = session.next()
    assert first is not None and first.row.card_id == "a" and session.counts().new == 3
    answer(session, first, Rating.AGAIN)  # back in 1 minute; its reverse sibling is buried
    assert (session.counts().new, session.counts().learning) == (3, 1)
    second = session.next()
    assert second is not None
    session.suspend(second)
    assert session.counts().new == 2
    session.put_back(session.next() or first)
    assert session.counts().new == 2
    assert session.undo() == "suspend" and session.counts().new == 3
    # The suspended card is back too: all four are new again.
    assert session.undo() == "answer" and (session.counts().new, session.counts().learning) == (4, 0)


@pytest.mark.parametrize("action", ["suspend", "bury"])
def test_undo_takes_back_a_suspend_or_bury_and_the_counts(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path], action: str
) -> None:
    load(store, clock, write_deck("d", cards(4)))
    session = Session(store, clock=clock)
    first = session.next()
    assert first is not None
    answer(session, first, Rating.AGAIN)  # one learning card, as on the screen of the issue
    before_rows = {r.id: r for r in store.cards_where("1")}
    shown = session.next()
    assert shown is not None
    before = session.counts()
    getattr(session, action)(shown)
    assert session.undo() == action
    assert {r.id: r for r in store.cards_where("1")} == before_rows  # unsuspended, unburied
    again = session.next()
    assert again is not None and again.row.id == shown.row.id
    assert session.counts() == before
    assert session.undo() == "answer" and session.undo() is None


def test_an_answer_given_in_another_window_is_not_overwritten(
    tmp_path: Path, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    from immunoquiz.core.store import open_store

    folder = write_deck("d", cards(2))
    first, second = open_store(tmp_path / "shared.db"), open_store(tmp_path / "shared.db")
    first.sync([folder], clock())
    second.sync([folder], clock())
    here, there = Session(first, clock=clock), Session(second, clock=clock)
    shown_here, shown_there = here.next(), there.next()
    assert shown_here is not None and shown_there is not None and shown_here.row.id == shown_there.row.id
    answer(here, shown_here, Rating.GOOD)
    clock.advance(seconds=30)
    answer(there, shown_there, Rating.EASY)  # read before the other answer: scheduled from the newer state
    card = first.card(shown_here.row.id)
    assert card.state.reps == 2
    befores = [json.loads(b) for (b,) in first.conn.execute("SELECT state_before FROM reviews ORDER BY id")]
    assert [b[7] for b in befores] == [0, 1]  # the second answer started from the first one's state


def test_the_rollover_hour_as_typed() -> None:
    assert read_rollover_hour(" 7 ") == 7 and read_rollover_hour("0") == 0
    for text, message in (
        ("24", "Day starts at: an hour from 0 to 23, not 24"),
        ("4am", "Day starts at: type an hour from 0 to 23, such as 4 for 4 am"),
    ):
        with pytest.raises(ValueError) as raised:
            read_rollover_hour(text)
        assert str(raised.value) == message


def test_a_card_revealed_without_an_answer_is_self_graded_and_counted_apart(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([write_deck("d", [TYPED, NUMERIC, CHOICE])], clock())
    session = Session(store, clock=clock, rng=random.Random(1))
    given = {"typed": None, "numeric": "  ", "choice": "Ipilimumab"}
    while (showing := session.next()) is not None and session.answered < 3:
        answer = session.check(showing, given[showing.card.type])
        if showing.card.type == "choice":
            assert answer.verdict.correct is True
        else:
            assert (answer.given, answer.verdict.correct, answer.verdict.proposed) == (None, None, Rating.GOOD)
        session.rate(showing, answer, Rating.GOOD)
    summary = session.summary()
    assert (summary.studied, summary.checked, summary.correct, summary.self_graded) == (3, 1, 1, 2)
    assert store.conn.execute("SELECT count(*) FROM reviews WHERE correct IS NULL AND answer IS NULL").fetchone() == (
        2,
    )


def test_a_near_miss_proposes_hard_unless_it_is_another_answer_of_the_decks(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    quote = "Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction"
    cards = [
        "\n".join(
            (
                f"  - id: {card_id}",
                "    type: typed",
                "    tags: [t]",
                f"    quote: {quote}",
                "    question: Brand?",
                *[f"    answer: {answer}"],
            )
        )
        for card_id, answer in (("k", "Keytruda"), ("o", "Opdivo"), ("x", "Opdiva"))
    ]
    load(store, clock, write_deck("d", cards))
    session = Session(store, clock=clock, selection=Selection(card_ids=(("d", "k"), ("d", "o"))))
    verdicts = {}
    while (showing := session.next()) is not None and showing.card.id not in verdicts:
        typed = {"k": "keytrda", "o": "Opdiva"}[showing.card.id]
        answer = session.check(showing, typed)
        verdicts[showing.card.id] = answer.verdict
        session.rate(showing, answer, answer.verdict.proposed)
    assert (verdicts["k"].correct, verdicts["k"].almost, verdicts["k"].proposed) == (False, True, Rating.HARD)
    # "Opdiva" is one letter from Opdivo, but it is another card's answer: plain wrong.
    assert (verdicts["o"].almost, verdicts["o"].proposed) == (False, Rating.AGAIN)
