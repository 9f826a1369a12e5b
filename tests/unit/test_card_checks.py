"""The checks of `immunoquiz check` made once every deck is read: each with a deck that trips it and one that doesn't.

Same fact in two cards, a text showing another card's answer, long cloze
deletions, too many deletions or answers, a quote unrelated to its answer, a
tag outside the folder's vocabulary, and the bundled decks read as context.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.core.check import CheckResult, check_paths
from immunoquiz.core.clock import ManualClock
from immunoquiz.core.deckfiles import iter_deck_files
from immunoquiz.core.diagnostics import Diagnostic
from immunoquiz.core.store import open_store
from immunoquiz.core.vocabulary import read_vocabulary
from tests.support.decks import ARTICLE

CTLA4 = "Ipilimumab (Yervoy) blocks CTLA-4, boosting the overall T-cell response."
CTLA4_PART = "Ipilimumab (Yervoy) blocks CTLA-4"
DEATHS = "over 618,000 predicted deaths in the United States"
# The lead-in of the CAR-T steps and two of its bullets.
LEAD_IN = "It involves:"
EXTRACT = "Extracting T-cells from the patient's own blood"
GROW = "Growing millions of these engineered cells"


def card(card_id: str, card_type: str, quote: str | tuple[str, ...], tags: str = "[drugs]", **fields: str) -> str:
    """One card's YAML, quoting a passage or a list of them; ``fields`` are written as they are (already YAML)."""
    quoted = f'"{quote}"' if isinstance(quote, str) else "[" + ", ".join(f'"{q}"' for q in quote) + "]"
    lines = [f"  - id: {card_id}", f"    type: {card_type}", f"    tags: {tags}", f"    quote: {quoted}"]
    return "\n".join(lines + [f"    {key}: {value}" for key, value in fields.items()])


def typed(card_id: str, question: str, answer: str, quote: str | tuple[str, ...] = CTLA4, tags: str = "[drugs]") -> str:
    return card(card_id, "typed", quote, tags, question=f'"{question}"', answer=f'"{answer}"')


def write_deck(folder: Path, deck_id: str, *cards: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck_id}.yaml"
    head = f"id: {deck_id}\ntitle: Deck {deck_id}\ndescription: A test deck.\nsource: {ARTICLE}\ncards:\n"
    path.write_text(head + "\n".join(cards) + "\n", encoding="utf-8")
    return path


def check(*paths: Path, context: tuple[Path, ...] = (), strict: bool = False) -> CheckResult:
    return check_paths(paths, strict=strict, context=context)


def found(result: CheckResult, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- the same fact in two cards ----------------------------------------------


def test_the_same_quote_and_answer_in_two_decks_is_one_fact_taught_twice(tmp_path: Path) -> None:
    first = write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    second = write_deck(
        tmp_path, "b", card("blocker", "basic", CTLA4, front='"Name the CTLA-4 blocker"', back='"ipilimumab."')
    )
    result = check(tmp_path)
    (warning,) = found(result, "same-fact")
    assert (warning.path, warning.line, warning.column) == (str(second), line_of(second, "id: blocker"), 5)
    assert warning.severity == "warning" and not result.failed
    assert f"`a/drug` ({first}:{line_of(first, 'id: drug')})" in warning.message
    assert "`ipilimumab.`" in warning.message
    assert check(tmp_path, strict=True).failed


def test_a_card_quoting_one_passage_of_another_cards_list_with_its_answer_is_the_same_fact(tmp_path: Path) -> None:
    write_deck(tmp_path, "a", typed("source", "Where do CAR-T cells come from?", "own blood", (EXTRACT, GROW)))
    second = write_deck(
        tmp_path, "b", typed("again", "CAR-T cells are taken from the patient's...?", "Own blood", GROW)
    )
    (warning,) = found(check(tmp_path), "same-fact")
    assert (warning.path, warning.line) == (str(second), line_of(second, "id: again"))
    assert "`a/source`" in warning.message
    # The same answer from a passage the list does not hold is another fact.
    write_deck(tmp_path, "b", typed("again", "CTLA-4 and the patient's...?", "Own blood", CTLA4))
    assert not found(check(tmp_path), "same-fact")


def test_another_answer_from_the_same_quote_is_another_fact(tmp_path: Path) -> None:
    write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    write_deck(tmp_path, "b", typed("brand", "Under which brand is the CTLA-4 blocker sold?", "Yervoy"))
    result = check(tmp_path, strict=True)
    assert not result.failed, [d.format() for d in result.diagnostics]


# -- a text that shows another card's answer -------------------------------


def test_a_question_showing_the_answer_of_a_card_of_the_same_passage_is_reported(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path,
        "a",
        typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"),
        # Its quote is held in the first card's: the same passage.
        typed("brand", "Under which brand is ipilimumab sold?", "Yervoy", quote=CTLA4_PART),
    )
    (warning,) = found(check(deck), "shows-answer")
    assert (warning.line, warning.column) == (line_of(deck, "brand is ipilimumab"), 15)
    assert warning.message.startswith("card `brand` shows `Ipilimumab`, the answer of `a/drug`")


def test_a_question_showing_an_answer_of_another_passage_is_not_reported(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path,
        "a",
        typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"),
        typed("brand", "Under which brand is the CTLA-4 blocker sold?", "Yervoy", quote=CTLA4_PART),
        # Shows "Ipilimumab", but quotes another passage.
        card(
            "deaths",
            "basic",
            DEATHS,
            front='"Unlike ipilimumab, how many US deaths were predicted?"',
            back='"618,000"',
        ),
    )
    result = check(deck, strict=True)
    assert not found(result, "shows-answer") and not result.failed, [d.format() for d in result.diagnostics]


# -- cloze deletions ---------------------------------------------------------


def test_a_deletion_of_more_than_four_words_is_reported_and_four_are_not(tmp_path: Path) -> None:
    long = card("long", "cloze", CTLA4, text='"Ipilimumab {{c1::boosts the overall T-cell response}}."')
    short = card(
        "short", "cloze", CTLA4, text='"Ipilimumab {{c1::blocks CTLA-4}}, boosting {{c2::the overall T-cell}}."'
    )
    deck = write_deck(tmp_path, "a", long, short)
    (warning,) = found(check(deck), "long-deletion")
    assert (warning.line, warning.column) == (line_of(deck, "c1::boosts"), 11)
    assert "card `long`: deletion c1 hides 5 words" in warning.message


def test_more_than_three_deletions_are_reported_and_one_number_twice_counts_once(tmp_path: Path) -> None:
    four = card(
        "four", "cloze", CTLA4, text='"{{c1::Ipilimumab}} ({{c2::Yervoy}}) blocks {{c3::CTLA-4}}, {{c4::boosting}}"'
    )
    three = card("three", "cloze", CTLA4, text='"{{c1::Ipilimumab}} ({{c2::Yervoy}}) blocks {{c3::CTLA-4}}, {{c1::x}}"')
    deck = write_deck(tmp_path, "a", four, three)
    (warning,) = found(check(deck), "too-many-answers")
    assert warning.line == line_of(deck, "{{c4::boosting}}")
    assert "4 deletions (c1 to c4)" in warning.message


def test_more_than_three_right_answers_are_reported_but_ordering_items_are_not(tmp_path: Path) -> None:
    def choice(card_id: str, answers: str) -> str:
        return card(card_id, "choice", CTLA4, question='"Which?"', answer=answers, distractors="[One, Two, Three]")

    ordering = card(
        "order", "ordering", CTLA4, question='"Order them"', items="[Ipilimumab, Yervoy, CTLA-4, boosting, T-cell]"
    )
    deck = write_deck(tmp_path, "a", choice("many", "[Ipilimumab, Yervoy, CTLA-4, T-cell]"), ordering)
    (warning,) = found(check(deck), "too-many-answers")
    assert warning.line == line_of(deck, "answer: [Ipilimumab, Yervoy, CTLA-4, T-cell]")
    assert "4 right answers" in warning.message
    fine = write_deck(tmp_path / "fine", "b", choice("three", "[Ipilimumab, Yervoy, CTLA-4]"), ordering)
    assert not found(check(fine), "too-many-answers")


# -- a quote that shares nothing with its answer ----------------------------


def test_a_heading_as_quote_is_reported(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, "a", typed("heading", "A common side effect?", "Fatigue", quote="Common Side Effects"))
    (warning,) = found(check(deck), "quote-unrelated")
    assert (warning.line, warning.column) == (line_of(deck, 'quote: "Common Side Effects"'), 12)
    assert "card `heading`: the quote shares no word or number" in warning.message


def test_a_quote_sharing_a_word_or_a_number_with_its_answer_supports_it(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path,
        "a",
        # "Blocks" is "block" once case and the plural are folded.
        typed("word", "What does ipilimumab do to CTLA-4?", "Blocks it", tags="[t]"),
        # 618000 is the quote's 618,000, compared as a number.
        typed("number", "US deaths projected?", "618000", quote=DEATHS, tags="[t]"),
    )
    result = check(deck, strict=True)
    assert not result.failed, [d.format() for d in result.diagnostics]


def test_the_passages_of_a_quote_list_support_its_answer_together(tmp_path: Path) -> None:
    # The lead-in alone shares nothing with the answer; the bullet beside it does.
    supported = typed("grow", "What is grown?", "Millions of cells", (LEAD_IN, GROW), tags="[t]")
    unrelated = typed("infuse", "The last step?", "Infusion", (LEAD_IN, EXTRACT), tags="[t]")
    deck = write_deck(tmp_path, "a", supported, unrelated)
    (warning,) = found(check(deck), "quote-unrelated")
    assert (warning.line, warning.column) == (line_of(deck, f'quote: ["{LEAD_IN}", "{EXTRACT}"]'), 12)
    assert "card `infuse`: the quote shares no word or number" in warning.message


# -- the tag vocabulary ------------------------------------------------------

VOCABULARY = "# The vocabulary.\ntags:\n  drugs: the card is about a named drug\n  trials: a named trial\n"


def test_a_tag_outside_the_folder_vocabulary_is_reported_with_the_nearest_one(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    deck = write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab", tags="[drugs, trail]"))
    result = check(tmp_path)
    (warning,) = found(result, "tag-outside-vocabulary")
    assert (warning.path, warning.line, warning.column) == (str(deck), line_of(deck, "tags: [drugs, trail]"), 19)
    assert "tag `trail` is outside the vocabulary" in warning.message and "did you mean `trials`?" in warning.message
    assert result.files == 1  # tags.yaml is not a deck


def test_tags_in_the_vocabulary_and_a_folder_without_one_are_not_reported(tmp_path: Path) -> None:
    (tmp_path / "with" / "tags.yaml").parent.mkdir()
    (tmp_path / "with" / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    write_deck(tmp_path / "with", "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab", tags="[drugs]"))
    write_deck(tmp_path / "without", "b", typed("brand", "The CTLA-4 blocker's brand?", "Yervoy", tags="[anything]"))
    result = check(tmp_path / "with", tmp_path / "without", strict=True)
    assert not result.failed, [d.format() for d in result.diagnostics]


@pytest.mark.parametrize(
    ("text", "place", "words"),
    [
        ("- drugs\n- trials\n", "1:1", "must be a top-level `tags:` mapping"),
        ("tags:\n  drugs: a named drug\n  Side Effects: side effects\n", "3:3", "`Side Effects` is not a tag"),
        ("tags:\n  drugs: a named drug\n  trials:\n", "3:10", "tag `trials` has no meaning"),
        ("tags:\n  drugs: a\n  drugs: b\n", "3:3", "tag `drugs` is listed twice (first on line 2)"),
        ("tags: [drugs, trials]\n", "1:7", "`tags` must be a mapping"),
        ("tags:\n  drugs: [a\n", "3:1", "YAML syntax"),
    ],
)
def test_a_malformed_vocabulary_is_an_error_at_its_place(tmp_path: Path, text: str, place: str, words: str) -> None:
    (tmp_path / "tags.yaml").write_text(text, encoding="utf-8")
    write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    result = check(tmp_path)
    assert result.failed
    errors = [d for d in result.diagnostics if d.path.endswith("tags.yaml")]
    assert errors and errors[0].severity == "error"
    assert f"{tmp_path / 'tags.yaml'}:{place}: error: " in errors[0].format() and words in errors[0].message


def test_python_tags_in_a_vocabulary_are_never_constructed(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    (tmp_path / "tags.yaml").write_text(f'tags: !!python/object/apply:os.system ["touch {target}"]\n', "utf-8")
    vocabulary, errors = read_vocabulary(tmp_path / "tags.yaml")
    assert vocabulary is None and errors and not target.exists()


def test_the_vocabulary_is_never_read_as_a_deck(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    deck = write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    assert list(iter_deck_files([tmp_path])) == [deck]
    assert list(iter_deck_files([tmp_path / "tags.yaml"])) == []
    store = open_store(memory=True)
    report = store.sync([tmp_path], ManualClock(datetime(2026, 1, 5, tzinfo=UTC))())
    assert report.decks == ["a"] and report.diagnostics == []


# -- decks checked with the decks the app loads first -------------------------


def test_a_deck_id_of_a_context_deck_is_reported_as_the_app_would_skip_it(tmp_path: Path) -> None:
    bundled = write_deck(tmp_path / "bundled", "shared", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    mine = write_deck(tmp_path / "mine", "shared", typed("brand", "Under which brand is it sold?", "Yervoy"))
    result = check(tmp_path / "mine", context=(tmp_path / "bundled",))
    (error,) = result.diagnostics
    assert (error.path, error.code, error.severity) == (str(mine), "duplicate-deck-id", "error")
    assert f"also used by {bundled}, which the app loads first: it would skip this deck" in error.message
    assert (result.files, result.cards) == (1, 1)


def test_context_decks_problems_are_not_reported_but_a_repeat_of_their_card_is(tmp_path: Path) -> None:
    long = card("long", "cloze", CTLA4, text='"Ipilimumab {{c1::boosts the overall T-cell response}}."')
    bundled = write_deck(
        tmp_path / "bundled", "bundled", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"), long
    )
    mine = write_deck(
        tmp_path / "mine",
        "mine",
        typed("again", "Which drug is it?", "Ipilimumab"),
        # Its answer is shown by the bundled card `long`.
        typed("verb", "What does ipilimumab boost?", "T-cell response"),
    )
    result = check(tmp_path / "mine", context=(tmp_path / "bundled",))
    assert {d.path for d in result.diagnostics} == {str(mine)}
    messages = sorted(d.message for d in result.diagnostics)
    assert len(messages) == 4, messages
    assert messages[0].startswith("card `again` teaches the same fact as `bundled/drug` (")
    assert messages[1].startswith("card `verb` shows `Ipilimumab`, the answer of `bundled/drug`")
    assert messages[2].startswith("the answer `Ipilimumab` of card `again` is shown by `bundled/long` (")
    assert messages[3].startswith("the answer `T-cell response` of card `verb` is shown by `bundled/long`")
    assert f"({bundled}:{line_of(bundled, 'id: long')})" in messages[3]
    assert [deck.id for deck in result.decks] == ["mine"]
    assert check(tmp_path / "bundled").warnings  # its own problems, when it is checked


def test_a_file_both_checked_and_context_is_checked_once(tmp_path: Path) -> None:
    write_deck(tmp_path, "a", typed("drug", "Which drug blocks CTLA-4?", "Ipilimumab"))
    result = check(tmp_path, context=(tmp_path,), strict=True)
    assert not result.failed and result.files == 1
