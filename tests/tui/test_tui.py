"""The study app driven with Textual's Pilot, on an in-memory database and a manual clock."""

from __future__ import annotations

import gc
import itertools
import sqlite3
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets._footer import FooterKey
from textual.widgets.data_table import ColumnKey

from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.browse import BrowseScreen
from immunoquiz.tui.screens.help import HelpScreen
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.study import StudyScreen
from immunoquiz.tui.screens.summary import SummaryScreen
from immunoquiz.tui.screens.where import WhereScreen
from immunoquiz.tui.widgets.footer import KeysFooter
from tests.support.decks import ALL_TYPES, BULLETS, MARKUP, bullet_deck
from tests.support.tui import answer, make_app, study_screen

KINDS = {
    "basic": "self",
    "cloze": "typed",
    "choice": "choice",
    "typed": "typed",
    "numeric": "numeric",
    "ordering": "ordering",
}


def reviews(app: object) -> list[tuple[str, int, int | None, str]]:
    """(card id, rating, correct, mode) of every review row, in order."""
    store = app.store  # type: ignore[attr-defined]
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT c.card_id, r.rating, r.correct, r.mode FROM reviews r JOIN cards c ON c.id = r.card ORDER BY r.id"
        )
    ]


def text_of(screen: object, selector: str) -> str:
    """The plain text a Static shows."""
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


async def test_right_answers_of_every_type_through_to_the_summary() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        while isinstance(app.screen, StudyScreen):
            screen = study_screen(app)
            assert screen.showing is not None
            seen.append((screen.showing.card.id, screen.showing.card.type))
            await answer(pilot, right=True)
            verdict = text_of(screen, "#verdict")
            if screen.showing.prompt.kind != "self":
                assert verdict == "✓ Right"
            # Right, however quick: Good is proposed (preselected), and Enter accepts it.
            await pilot.press("enter")
            await pilot.pause()
        assert {KINDS[t] for _, t in seen} == {"self", "typed", "numeric", "choice", "ordering"}
        rows = reviews(app)
        assert [r[0] for r in rows] == [card for card, _ in seen]
        for (card, kind), (_, rating, correct, mode) in zip(seen, rows, strict=False):
            assert mode == "review"
            if KINDS[kind] == "self":
                assert (rating, correct) == (3, None), card
            else:
                assert (rating, correct) == (3, 1), card
        assert isinstance(app.screen, SummaryScreen)
        figures = text_of(app.screen, "#figures")
        # Every card rated Good comes back once, after its 10-minute learning step (learn-ahead).
        assert len(seen) == 20 and "Cards studied           20" in figures
        assert "16 of 16 (100%)" in figures
        assert "Next card due" in figures
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running  # opened like `immunoquiz study`: leaving quits


async def test_wrong_answers_show_the_expected_answer_and_the_rating_can_be_overridden() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        kinds = set()
        for _ in range(10):
            screen = study_screen(app)
            assert screen.showing is not None
            prompt = screen.showing.prompt
            await answer(pilot, right=False)
            reveal = text_of(screen, "#reveal")
            assert screen.showing.card.quote.split()[0] in reveal
            if prompt.kind != "self":
                kinds.add(prompt.kind)
                assert text_of(screen, "#verdict").startswith(("✗ ", "◐ "))  # wrong, or partly for an ordering
                assert screen.answer is not None and screen.answer.verdict.proposed == 1
                if prompt.kind == "ordering":
                    assert all(item in reveal for item in prompt.answers)
                else:
                    assert prompt.expected in reveal
            await pilot.press("2")  # override the proposed Again with Hard
            await pilot.pause()
        assert kinds == {"typed", "numeric", "choice", "ordering"}
        rows = reviews(app)
        assert len(rows) == 10 and all(rating == 2 for _, rating, _, _ in rows)
        assert [c for _, _, c, _ in rows if c is not None] == [0] * 8


async def test_undo_suspend_bury_and_where() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = study_screen(app)
        first = screen.showing
        assert first is not None and first.card.id == "irae"
        await pilot.press("space", "3")
        await pilot.pause()
        assert len(reviews(app)) == 1
        second = screen.showing
        assert second is not None and second.card.id == "pd-l1"
        await pilot.press("escape", "u")  # leave the answer box, then undo
        await pilot.pause()
        assert reviews(app) == []
        assert screen.showing is not None and screen.showing.row.id == first.row.id
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("escape", "exclamation_mark")
        await pilot.pause()
        assert app.store.card(second.row.id).suspended
        third = screen.showing
        assert third is not None and third.card.id == "ctla4-drug"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, WhereScreen)
        where = text_of(app.screen, "#where")
        assert f"{ALL_TYPES.resolve()}:{third.card.line}" in where
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("minus")
        await pilot.pause()
        assert app.store.card(third.row.id).buried_until > 0
        assert screen.showing is not None and screen.showing.card.id == "keytruda"
        assert len(reviews(app)) == 1


async def test_undo_on_the_summary_shows_the_last_card_again() -> None:
    app = make_app(start=Selection(decks=("all-types",), tags=("trials",)))
    async with app.run_test(size=(80, 24)) as pilot:
        last = study_screen(app).showing
        assert last is not None
        await answer(pilot, right=True)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and len(reviews(app)) == 1
        assert "Undo" in footer_keys(app)
        await pilot.press("u")
        await pilot.pause()
        screen = study_screen(app)
        assert screen.showing is not None and screen.showing.row.id == last.row.id
        assert reviews(app) == []
        await answer(pilot, right=True)
        await pilot.press("1")  # the wrong rating put right
        await pilot.pause()
        assert [rating for _, rating, _, _ in reviews(app)] == [1]
        assert study_screen(app).showing is not None  # Again: the card is due again within the session
        await pilot.press("escape", "escape")  # leave the answer box, then the screen
        await pilot.pause()
        assert not app.is_running  # still opened like `immunoquiz study`: leaving quits


def footer_keys(app: ImmunoquizApp) -> list[str]:
    """The footer's keys by description (a grouped key by its key: the ratings show as 1 2 3 4 Rate)."""
    return [key.description or key.key for key in app.screen.query(FooterKey)]


async def test_the_footer_offers_the_keys_that_work_now() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert "Show answer" in keys and "Undo" not in keys and "3" not in keys
        await pilot.press("space")
        await pilot.pause()
        keys = footer_keys(app)
        assert "3" in keys and "Show answer" not in keys and "Undo" not in keys
        await pilot.press("3", "escape")  # the next card is a cloze: leave its answer box
        await pilot.pause()
        keys = footer_keys(app)
        assert "Show answer" in keys and "Undo" in keys and "3" not in keys
        await pilot.press("u")  # undone back to no answer: no Undo again
        await pilot.pause()
        assert "Undo" not in footer_keys(app)


async def test_space_reveals_every_kind_of_card_to_self_grade_as_in_anki() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        kinds = set()
        for _ in range(10):
            screen = study_screen(app)
            assert screen.showing is not None
            kinds.add(screen.showing.card.type)
            await pilot.press("space")
            await pilot.pause()
            # The answer, with no verdict ("Not answered" before) and Good proposed, not Again.
            assert text_of(screen, "#verdict").strip() == ""
            assert screen.answer is not None and screen.answer.verdict.proposed == 3
            await pilot.press("2")
            await pilot.pause()
        assert {"typed", "cloze", "numeric"} <= kinds
        rows = reviews(app)
        assert len(rows) == 10 and {r[1] for r in rows} == {2} and {r[2] for r in rows} == {None}


async def test_markup_in_card_text_is_shown_literally_and_never_acts() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#decks", DataTable)
        assert str(table.get_cell_at(Coordinate(0, 0))) == "[b]Markup[/b] deck [PD-L1] [/foo]"
        await pilot.press("enter")
        await pilot.pause()
        screen = study_screen(app)
        assert text_of(screen, "#question") == "Target: [PD-L1] inhibitors [/foo] [@click=app.quit]"
        await pilot.click("#question")
        await pilot.press("space")
        await pilot.pause()
        reveal = text_of(screen, "#reveal")
        assert "[b]PD-L1[/b] [link=https://example.com]x[/link]" in reveal
        assert "[@click=app.bell] explain [/] \\[escaped]" in reveal
        await pilot.press("3")
        await pilot.pause()
        choice = screen.query_one("#choice")
        shown = str(choice.render())
        for option in ("Ipilimumab [CTLA-4]", "[/foo] Pembrolizumab", "[@click=app.quit] Nivolumab", "Trastuzumab [b]"):
            assert option in shown
        assert text_of(screen, "#question") == "Which [i]drug[/i] blocks CTLA-4?"
        await pilot.click("#choice")
        assert app.is_running


async def test_a_quote_of_several_passages_shows_each_on_its_own_line_as_written(tmp_path: Path) -> None:
    app = make_app(bullet_deck(tmp_path), start=Selection(decks=("bullets",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, right=False)
        reveal = text_of(study_screen(app), "#reveal").splitlines()
        at = reveal.index(f"Source: “{BULLETS[0]}”")
        assert reveal[at + 1 : at + 3] == [f"        “{BULLETS[1]}”", f"        “{BULLETS[2]}”"]
        await pilot.click("#reveal")
        assert app.is_running


async def test_home_counts_study_and_progress_kept() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#decks", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["Every card type", "10", "0", "0", "–"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("space", "1")  # irae: Again, back in a minute
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [str(c) for c in table.get_row_at(0)][1:3] == ["9", "1"]
        assert text_of(app.screen, "#today").endswith(" · 1 review done")


async def test_a_deck_title_too_long_for_its_column_ends_in_an_ellipsis() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        width = table.columns[ColumnKey("deck")].width
        assert width < len("[b]Markup[/b] deck [PD-L1] [/foo]")
        assert str(table.get_cell_at(Coordinate(0, 0))) == "[b]Markup[/b] deck [PD-L1] [/foo]"[: width - 1] + "…"


async def test_nothing_due_offers_cram() -> None:
    app = make_app(start=Selection(decks=("all-types",), tags=("trials",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, right=True)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    app = make_app(start=Selection(decks=("all-types",), tags=("trials",)))
    app.store.conn.execute("UPDATE cards SET suspended = 1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = study_screen(app)
        assert "No cards of this selection are due" in text_of(screen, "#question")
        await pilot.press("c")
        await pilot.pause()
        assert screen.session is not None and screen.session.mode == "cram"


async def test_cram_from_home_by_tag_records_cram_reviews() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        options = app.screen.query_one("#cram-options")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]  # type: ignore[attr-defined]
        await pilot.press(*(["down"] * labels.index("Tag trials")), "enter")
        await pilot.pause()
        screen = study_screen(app)
        assert screen.showing is not None and screen.showing.card.id == "keynote-689"
        await answer(pilot, right=True)
        # Cram leaves the schedule alone: the buttons show no intervals (◂ marks Good, proposed).
        assert [str(screen.query_one(f"#rate-{n}", Button).label) for n in (1, 3)] == ["1 Again", "3 Good  ◂"]
        await pilot.press("3")
        await pilot.pause()
        assert reviews(app) == [("keynote-689", 3, 1, "cram")]
        assert app.store.find_card("all-types", "keynote-689").state.phase == 0


async def test_browse_search_history_and_suspend() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space", "3")
        await pilot.pause()
        await pilot.press("escape", "escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press(*"is:learning")
        await pilot.press(*" x")  # unknown state and a word: reported, no match
        await pilot.pause(0.3)
        assert "not understood: is:learning" in text_of(app.screen, "#count")
        query = app.screen.query_one("#query", Input)
        query.value = "-irae -(tag:drugs OR tag:brands"  # the app reads Anki's search as browse does
        await pilot.pause(0.3)
        assert "0 cards · not understood: `(` at column 8 is never closed" in text_of(app.screen, "#count")
        query.value = ""
        await pilot.press(*"irae", "enter")
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count == 2
        detail = text_of(app.screen, "#detail")
        assert "1 review ·" in detail and "History: 1 answer\n" in detail and "review Good" in detail
        await pilot.press("down")
        await pilot.pause()
        assert "no answers yet" in text_of(app.screen, "#detail")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        irae_back = app.store.find_card("all-types", "irae", 1)
        assert irae_back.suspended
        query.value = "is:suspended"
        await pilot.press("slash", "enter")
        await pilot.pause()
        assert table.row_count == 1 and "suspended" in str(table.get_row_at(0)[2])
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert not app.store.find_card("all-types", "irae", 1).suspended


async def test_help_lists_every_binding_and_the_palette_offers_them() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3", "escape", "question_mark")  # escape leaves the answer box
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys Static", Static).render())
        assert keys.startswith("Study")
        for entry in (
            "Show answer",
            "Again",
            "Easy",
            "Undo",
            "Suspend",
            "Bury",
            "Where",
            "Cram",
            "Browse",
            "Study all due",
            "Search",
            "Suspend/unsuspend",
            "Move up",
            "Check answer",
            "Help",
        ):
            assert entry in keys, entry
        assert "Stats" in keys and "All decks" in keys  # the stats screen's keys, after the current screen's
        await pilot.press("escape")
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Show answer", "Undo", "Suspend", "Bury", "Where", "Help", "Theme"} <= titles


async def test_high_contrast_theme_renders() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "high-contrast"
        await pilot.press("space")
        await pilot.pause()
        assert app.current_theme.name == "high-contrast"
        assert "1 Again" in app.export_screenshot() or "Again" in app.export_screenshot()


async def test_a_database_that_cannot_be_written_is_reported_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: told.append((message, kw.get("severity", ""))))
    record = app.store.record_answer

    def locked(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("database is locked")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = study_screen(app)
        first = screen.showing
        monkeypatch.setattr(app.store, "record_answer", locked)
        await pilot.press("space", "3")
        await pilot.pause()
        assert app.is_running and screen.showing is first and screen.phase == "answer"
        assert told[-1] == (
            "Not saved, nothing was changed: database is locked: another program holds it; close it and try again.",
            "error",
        )
        assert reviews(app) == []
        monkeypatch.setattr(app.store, "record_answer", record)
        await pilot.press("3")  # the same key again, once the other program let go
        await pilot.pause()
        assert len(reviews(app)) == 1 and screen.showing is not first
        monkeypatch.setattr(app.store, "undo_review", locked)
        await pilot.press("escape", "u")
        await pilot.pause()
        assert app.is_running and told[-1][1] == "error" and len(reviews(app)) == 1
        # The card shown before the failed undo is still the one to answer, once only.
        await pilot.press("space", "3")
        await pilot.pause()
        assert len(reviews(app)) == 2 and len({r[0] for r in reviews(app)}) == 2


@pytest.mark.parametrize("key", ["exclamation_mark", "minus"])
async def test_a_suspend_or_bury_is_undone_with_its_counts(key: str) -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(100, 24)) as pilot:
        screen = study_screen(app)
        await pilot.press("space", "1")  # the first card goes to learning
        await pilot.pause()
        await pilot.press("escape")  # leave the answer box
        shown = screen.showing
        assert shown is not None
        counts, progress = text_of(screen, "#counts"), text_of(screen, "#progress")
        await pilot.press(key)
        await pilot.pause()
        row = app.store.card(shown.row.id)
        assert row.suspended or row.buried_until > 0
        assert "Undo" in footer_keys(app)
        if isinstance(app.focused, Input):
            await pilot.press("escape")  # leave the answer box
        await pilot.press("u")
        await pilot.pause()
        row = app.store.card(shown.row.id)
        assert not row.suspended and row.buried_until == shown.row.buried_until
        assert screen.showing is not None and screen.showing.row.id == shown.row.id
        assert (text_of(screen, "#counts"), text_of(screen, "#progress")) == (counts, progress)
        assert len(reviews(app)) == 1  # the answer before stays


def help_text(app: ImmunoquizApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one("#help-keys Static", Static).render())


async def test_help_lists_every_screen_with_its_keys_the_current_one_first() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        sections = {block.split("\n")[0]: block for block in text.split("\n\n")}
        for title, entries in {
            "Deck options (o)": ("Next field", "Save", "Cancel"),
            "Quiz setup (x)": ("Next field", "Tick a box", "Start the quiz", "Cancel"),
            "Where a card lives (e)": ("Close",),
            "Cram picker (c)": ("Cram it", "Cancel"),
            "Quiz": ("End quiz", "esc", "Page down"),
            "Quiz: end the exam?": ("Yes", "No"),
            "Study": ("Scroll down", "Page down", "Undo"),
            "Past quiz attempts (h)": ("Close",),
        }.items():
            assert title in sections, title
            for entry in entries:
                assert entry in sections[title], (title, entry)
        await pilot.press("escape", "x")
        await pilot.pause()
        app.action_help()  # from the quiz setup: its keys come first
        await pilot.pause()
        assert help_text(app).startswith("Quiz setup (x)")


async def test_help_keeps_every_description_in_one_column_clear_of_its_keys() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        entries = [line for line in help_text(app).splitlines() if line.startswith("  ")]
        keys = [line[2:].split("  ")[0] for line in entries]
        assert "esc / ⏎ / e / q" in keys  # the longest, the Where screen's
        starts = {len(line) - len(line[2:].split("  ", 1)[1].lstrip()) for line in entries}
        assert len(starts) == 1, starts


async def test_undoing_a_suspend_restores_the_home_counts() -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        today = text_of(app.screen, "#today")
        await pilot.press("enter", "space", "1")  # study the deck; the first card goes to learning
        await pilot.pause()
        if isinstance(app.focused, Input):
            await pilot.press("escape")
        await pilot.press("escape")  # home again, with one card learning
        await pilot.pause()
        learning = text_of(app.screen, "#today")
        assert learning != today
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.focused, Input):
            await pilot.press("escape")
        await pilot.press("exclamation_mark", "u")
        await pilot.pause()
        if isinstance(app.focused, Input):
            await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert text_of(app.screen, "#today") == learning


@pytest.mark.parametrize("key", ["exclamation_mark", "minus"])
async def test_the_footer_offers_undo_after_a_first_suspend_or_bury(key: str) -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "Undo" not in footer_keys(app)
        await pilot.press(key)  # the first card is a basic one: the keys are the screen's
        await pilot.pause()
        if isinstance(app.focused, Input):
            await pilot.press("escape")  # leave the next card's answer box
            await pilot.pause()
        assert "Undo" in footer_keys(app) and reviews(app) == []


async def test_the_footer_is_rebuilt_only_when_its_keys_change(monkeypatch: pytest.MonkeyPatch) -> None:
    # Textual's footer rebuilds its keys on every change of focus, and the
    # watchers of the old keys piled up on it (about 50 a card), each new key
    # scanning them all: the rating key got slower as a session went on.
    rebuilds: list[tuple[str, ...]] = []
    recompose = Widget.recompose

    async def counted(self: Widget) -> None:
        await recompose(self)
        if isinstance(self, KeysFooter):
            rebuilds.append(tuple(key.key for key in self.query(FooterKey)))

    monkeypatch.setattr(Widget, "recompose", counted)
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        counts = []
        for _ in range(12):
            await answer(pilot, right=True)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StudyScreen)
            footer = app.screen.query_one(KeysFooter)
            counts.append(len(getattr(footer, "__watchers")["compact"]))
        keys = len(app.screen.query(FooterKey))
        assert max(counts) <= 2 * keys, counts
    # Each rebuild showed other keys than the one before (question keys, answer keys, ...).
    assert len(rebuilds) > 12
    assert all(a != b for a, b in itertools.pairwise(rebuilds)), rebuilds


async def test_the_collector_is_paused_from_the_rating_key_until_the_next_card_is_painted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = study_screen(app)
        assert screen.session is not None
        during: list[bool] = []
        rate = type(screen.session).rate

        def recorded(session: object, *args: object) -> None:
            during.append(gc.isenabled())
            rate(session, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(type(screen.session), "rate", recorded)
        await answer(pilot, right=True)
        assert gc.isenabled()
        await pilot.press("enter")
        await pilot.pause()
        assert during == [False] and gc.isenabled()
        # A collector paused by something else stays paused.
        gc.disable()
        try:
            await answer(pilot, right=True)
            await pilot.press("enter")
            await pilot.pause()
            assert during == [False, False] and not gc.isenabled()
        finally:
            gc.enable()


async def test_ordering_items_keep_their_numbers_when_moved_so_the_verdict_can_be_read() -> None:
    app = make_app(start=Selection(decks=("all-types",)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = study_screen(app)
        while screen.showing is not None and screen.showing.prompt.kind != "ordering":
            await answer(pilot, right=True)
            await pilot.press("3")
            await pilot.pause()
        assert screen.showing is not None
        prompt = screen.showing.prompt
        # The first item shown goes to the bottom: its number goes with it, the others keep theirs.
        await pilot.press(*(["shift+down"] * (len(prompt.options) - 1)))
        numbers = [*range(2, len(prompt.options) + 1), 1]
        shown = str(screen.query_one("#ordering").render()).splitlines()
        assert [line.split(".")[0].strip(" ▸") for line in shown] == [str(n) for n in numbers]
        await pilot.press("enter")
        await pilot.pause()
        given = " ".join(map(str, numbers))
        assert text_of(screen, "#verdict").endswith(f"you answered: {given}")
        # The right order in the same numbers, to set beside the answer given.
        right = " ".join(str(prompt.options.index(item) + 1) for item in prompt.answers)
        assert f"In the numbers shown: {right}" in text_of(screen, "#reveal")


async def test_the_browser_shows_a_long_problem_with_a_query_whole_and_counts_one_card() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        count = app.screen.query_one("#count", Static)
        app.screen.query_one("#query", Input).value = "is:learning deck:nope"
        await pilot.pause(0.3)
        said = text_of(app.screen, "#count")
        assert said.endswith("(decks: all-types)")
        # Every line of it on the screen, not the first alone.
        shown = " ".join(strip.text.strip() for strip in count.render_lines(count.region.reset_offset))
        assert shown == said
        app.screen.query_one("#query", Input).value = "card:keytruda"
        await pilot.pause(0.3)
        assert text_of(app.screen, "#count") == "1 card"
