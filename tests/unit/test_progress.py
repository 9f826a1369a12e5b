"""Progress figures on review logs whose right numbers are known by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from immunoquiz.core.answering import Mode, Outcome, Response
from immunoquiz.core.clock import ManualClock, to_ms
from immunoquiz.core.options import DeckOptions
from immunoquiz.core.progress import (
    AnswerButtons,
    Passes,
    StudyDay,
    answer_buttons,
    due_forecast,
    progress_report,
    progress_to_json,
    review_calendar,
    source_map,
    study_time,
    true_retention,
    weak_spots,
)
from immunoquiz.core.review_query import Scope, card_results
from immunoquiz.core.rollup import day_totals
from immunoquiz.core.schedule import CardState, Phase, Rating, review
from immunoquiz.core.store import CardRow, Store
from immunoquiz.core.studyday import DayRule
from tests.support.decks import ARTICLE, basic_card, bullet_deck

UTC = UTC
NEW_YORK = DayRule(ZoneInfo("America/New_York"), 4)
DAY_MS = 86_400_000
PNEUMONITIS = "Pneumonitis (lung inflammation)"
FATIGUE = "Fatigue, One of the most frequently reported effects across all immunotherapy types"


def setup(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> list[CardRow]:
    folder = write_deck(
        "d",
        [
            basic_card("lung", "Pneumonitis?", "Lung inflammation", tags=["serious"]).replace(
                "quote: Checkpoint inhibitors are currently the most widely used form of cancer immunotherapy",
                f"quote: {PNEUMONITIS}",
            ),
            basic_card("tired", "Fatigue?", "Common", tags=["common"]).replace(
                "quote: Checkpoint inhibitors are currently the most widely used form of cancer immunotherapy",
                f"quote: {FATIGUE}",
            ),
            basic_card("other", "Other?", "Yes", tags=["common"]),
        ],
    )
    assert not store.sync([folder], clock()).diagnostics
    return store.cards_where("1")


def answer(
    store: Store,
    card: CardRow,
    when: datetime,
    rating: int,
    *,
    interval_days: float | None = 5,
    mode: Mode = "review",
    day_rule: DayRule = NEW_YORK,
    duration_ms: int = 6000,
) -> None:
    """Log one answer of a review-phase card (or a new one) with a given interval before it."""
    stored = store.card(card.id).state  # its counters, and its repetitions (a write checks them)
    if interval_days is None:
        before = CardState(reps=stored.reps)
    else:
        due = to_ms(when)
        before = CardState(
            Phase.REVIEW,
            None,
            5.0,
            5.0,
            due,
            due - int(interval_days * DAY_MS),
            0,
            stored.reps,
            stored.review_total,
            stored.review_passed,
        )
    after = review(before, Rating(rating), when, DeckOptions(), card.id) if mode == "review" else before
    row = CardRow(card.id, card.deck_id, card.card_id, card.sibling, before, False, False, 0)
    response = Response(Rating(rating), when, day_rule.day_of(when), mode, duration_ms)
    store.record_answer(Outcome(row, response, DeckOptions(), after, False, False))


def test_calendar_and_streaks_follow_the_local_rollover(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    card = setup(store, clock, write_deck)[0]
    # New York, 4 am rollover. Answers at 03:30 local belong to the previous study day.
    local = ZoneInfo("America/New_York")
    moments = [
        datetime(2026, 1, 1, 10, 0, tzinfo=local),  # day of 1 Jan
        datetime(2026, 1, 2, 3, 30, tzinfo=local),  # still 1 Jan
        datetime(2026, 1, 2, 20, 0, tzinfo=local),  # 2 Jan
        datetime(2026, 1, 4, 3, 59, tzinfo=local),  # 3 Jan
        datetime(2026, 1, 6, 9, 0, tzinfo=local),  # 6 Jan (gap on 4 and 5 Jan)
        datetime(2026, 1, 7, 4, 0, tzinfo=local),  # 7 Jan
    ]
    for moment in moments:
        answer(store, card, moment.astimezone(UTC), 3)
    today = NEW_YORK.day_of(datetime(2026, 1, 7, 12, 0, tzinfo=local))
    rows = day_totals(store, Scope(("d",)))
    calendar = review_calendar(rows, today)
    jan = [date(2026, 1, day) for day in range(1, 8)]
    assert calendar.days == {jan[0]: 2, jan[1]: 1, jan[2]: 1, jan[5]: 1, jan[6]: 1}
    assert calendar.longest_streak == 3 and calendar.current_streak == 2 and calendar.days_studied == 5
    # Before today's first answer the streak still counts up to yesterday.
    assert review_calendar(rows, today + 1).current_streak == 2
    assert review_calendar(rows, today + 2).current_streak == 0


def test_true_retention_young_and_mature_by_window(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    card = setup(store, clock, write_deck)[0]
    now = clock()
    # Within 7 days: young 1 pass 1 fail; mature 3 passes.
    answer(store, card, now - timedelta(days=2), 3, interval_days=5)
    answer(store, card, now - timedelta(days=3), 1, interval_days=10)
    for rating in (2, 3, 4):
        answer(store, card, now - timedelta(days=1), rating, interval_days=30)
    # 20 days ago: one mature fail. 100 days ago: one young pass.
    answer(store, card, now - timedelta(days=20), 1, interval_days=40)
    answer(store, card, now - timedelta(days=100), 3, interval_days=3)
    # Not counted: learning answers, cram answers.
    answer(store, card, now - timedelta(days=1), 1, interval_days=None)
    answer(store, card, now - timedelta(days=1), 1, mode="cram")
    today = NEW_YORK.day_of(now)
    rows = day_totals(store, Scope(("d",)))
    week, month, year = true_retention(rows, today)
    assert (week.days, month.days, year.days) == (7, 30, 365)
    assert week.young == Passes(1, 2) and week.young.rate == 0.5
    assert week.mature == Passes(3, 3) and week.mature.rate == 1.0
    assert month.mature == Passes(3, 4) and month.mature.rate == 0.75
    assert month.overall.rate == round(4 / 6, 4)
    assert year.young == Passes(2, 3) and year.young.rate == round(2 / 3, 4)
    buttons = answer_buttons(rows)
    assert buttons == AnswerButtons(learning=(1, 0, 0, 0), young=(1, 0, 2, 0), mature=(1, 1, 1, 1))
    since = Scope(("d",), since_day=today - 9)
    assert true_retention(day_totals(store, since), today)[-1].overall.total == 5


def test_forecast_counts_each_local_day(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    cards = setup(store, clock, write_deck)
    now = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # 10:00 in New York, the day before DST begins
    today = NEW_YORK.day_of(now)
    dues = [
        NEW_YORK.start_of(today) - timedelta(days=3),  # overdue: counts today
        NEW_YORK.end_of(today) - timedelta(minutes=1),  # today
        NEW_YORK.end_of(today + 1) - timedelta(minutes=1),  # tomorrow, the DST day (23 h long)
    ]
    for card, due in zip(cards, dues, strict=False):
        store.conn.execute("UPDATE cards SET phase = 2, due_ms = ? WHERE id = ?", (to_ms(due), card.id))
    forecast = due_forecast(store, Scope(("d",)), now, NEW_YORK)
    assert len(forecast) == 30 and forecast[:3] == [2, 1, 0] and sum(forecast) == 3
    store.set_suspended(cards[0].id, True)
    assert due_forecast(store, Scope(("d",)), now, NEW_YORK)[0] == 1


def test_study_time_per_day(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    card = setup(store, clock, write_deck)[0]
    rule = DayRule(UTC)
    answer(store, card, clock() - timedelta(days=1), 3, duration_ms=90_000, day_rule=rule)
    answer(store, card, clock() - timedelta(days=1), 3, duration_ms=30_000, day_rule=rule)
    answer(store, card, clock(), 3, duration_ms=60_000, day_rule=rule)
    rows = study_time(day_totals(store, Scope(("d",))), rule.day_of(clock()), days=3)
    assert [(r.reviews, r.minutes) for r in rows] == [(0, 0.0), (2, 2.0), (1, 1.0)]
    assert rows[-1].day == clock().date()


def test_weak_spots_and_source_map(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    lung, tired, other = setup(store, clock, write_deck)
    now = clock()
    for rating in (1, 1, 3):
        answer(store, lung, now - timedelta(days=1), rating)
    for rating in (3, 3, 1, 3):
        answer(store, tired, now - timedelta(days=1), rating)
    answer(store, other, now - timedelta(days=1), 3)
    store.conn.execute("UPDATE cards SET lapses = 8, leech = 1 WHERE id = ?", (lung.id,))
    results = card_results(store, Scope(("d",)))
    spots = weak_spots(results)
    assert [t.tag for t in spots.tags] == ["serious", "common"]
    assert spots.tags[0].retention == round(1 / 3, 4) and spots.tags[0].cards == 1
    assert spots.tags[1].retention == 0.8  # 4 of 5 over "tired" and "other"
    assert [c.card_id for c in spots.cards][:2] == ["lung", "tired"]
    assert [c.card_id for c in spots.leeches] == ["lung"]
    sections = source_map(store, Scope(("d",)))
    assert source_map(store, Scope(("d",), since_day=0)) == sections
    by_title = {s.title: s for s in sections}
    assert by_title["Serious but Less Common Side Effects"].cards == 1
    assert by_title["Serious but Less Common Side Effects"].retention == round(1 / 3, 4)
    assert by_title["Common Side Effects"].cards == 1 and by_title["Common Side Effects"].retention == 0.75
    assert by_title["Immune Checkpoint Inhibitors (ICIs)"].cards == 1
    assert sum(s.cards for s in sections) == 3 and sections[0].source == ARTICLE.name
    only_common = card_results(store, Scope(("d",), tags=("common",)))
    assert sorted(r.card_id for r in only_common) == ["other", "tired"]


def test_a_card_quoting_a_bullet_list_is_in_the_source_map(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    store.sync([bullet_deck(tmp_path)], clock())
    (section,) = source_map(store, Scope(("bullets",)))
    assert (section.title, section.cards) == ("Steps", 1)


def test_the_report_holds_every_figure(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    card = setup(store, clock, write_deck)[0]
    answer(store, card, clock(), 3, day_rule=DayRule(UTC))
    report = progress_report(store, Scope(("d",)), clock(), DayRule(UTC))
    assert set(progress_to_json(report)) == {
        "calendar",
        "forecast",
        "retention",
        "desired_retention",
        "buttons",
        "study_time",
        "weak_spots",
        "source_map",
    }
    assert report.calendar.days == {date(2026, 1, 5): 1}
    assert report.study_time[-1] == StudyDay(date(2026, 1, 5), 1, 0.1)


def test_card_counters_agree_with_the_log(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    import random

    from immunoquiz.core.session import Session

    setup(store, clock, write_deck)
    rng = random.Random(5)
    for _ in range(40):
        session = Session(store, clock=clock)
        while (showing := session.next()) is not None:
            session.rate(showing, session.check(showing, ""), Rating(rng.choice([1, 2, 3, 3, 4])))
            clock.advance(minutes=3)
        clock.advance(days=1)
    from_counters = card_results(store, Scope(("d",)))
    from_log = card_results(store, Scope(("d",), since_day=0))
    assert from_counters == from_log
    assert sum(r.reviews for r in from_counters) > 20


def test_the_stats_do_not_import_the_deck_reader() -> None:
    import subprocess
    import sys

    modules = ("yaml", "immunoquiz.core.reader")
    probe = f"import immunoquiz.core.stats_report, sys; print(*(m in sys.modules for m in {modules}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]  # PyYAML is slow to import; the stats need only the sources
