"""The shipped immunotherapy decks: provenance, coverage and the schema."""

from __future__ import annotations

import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from immunoquiz.core.check import check_paths
from immunoquiz.core.deckfiles import VOCABULARY_FILE
from immunoquiz.core.model import Basic, Choice, Cloze, Deck, Numeric, Ordering, Typed
from immunoquiz.core.quiz import QuestionMaker
from immunoquiz.core.source import SourceDocument
from immunoquiz.core.text import numbers_in
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import ROOT

ARTICLE = ROOT / "decks" / "sources" / "immunotherapy.txt"
SCHEMA = ROOT / "immunoquiz" / "schema" / "deck.schema.json"


@pytest.fixture(scope="module")
def decks() -> tuple[Deck, ...]:
    result = check_paths([bundled_decks_dir()], strict=True)
    assert not result.failed, [d.format() for d in result.diagnostics]
    return result.decks


def answer_texts(card_body: object) -> list[str]:
    if isinstance(card_body, Basic):
        return [card_body.back] + ([card_body.front] if card_body.reverse else [])
    if isinstance(card_body, Cloze):
        return [d.answer for d in card_body.deletions]
    if isinstance(card_body, Choice):
        return list(card_body.answers)
    if isinstance(card_body, Typed):
        return [card_body.answer, *card_body.accept]
    if isinstance(card_body, Numeric):
        return [str(end) for end in (card_body.value, card_body.high) if end is not None]
    assert isinstance(card_body, Ordering)
    return list(card_body.items)


def test_enough_decks_and_cards_of_every_type(decks: tuple[Deck, ...]) -> None:
    assert len(decks) >= 6
    cards = [card for deck in decks for card in deck.cards]
    assert len(cards) >= 150
    assert {card.type for card in cards} == {"basic", "cloze", "choice", "typed", "numeric", "ordering"}


def test_every_quote_is_in_the_source_and_every_answer_number_in_its_quote(decks: tuple[Deck, ...]) -> None:
    article = SourceDocument.read(ARTICLE)
    for deck in decks:
        assert deck.source is not None and deck.source.resolve() == ARTICLE
        for card in deck.cards:
            assert card.quotes and all(map(article.contains_quote, card.quotes)), (deck.id, card.id)
            quoted = frozenset().union(*map(numbers_in, card.quotes))
            for answer in answer_texts(card.body):
                assert numbers_in(answer) <= quoted, (deck.id, card.id, answer)


def test_every_figure_and_drug_of_the_article_is_taught(decks: tuple[Deck, ...]) -> None:
    taught_numbers: set[Decimal] = set()
    taught_text = []
    for deck in decks:
        for card in deck.cards:
            # A figure is taught when a card asks about it or answers with it.
            prompt = getattr(card.body, "question", None) or getattr(card.body, "front", "") or ""
            for text in [prompt, *answer_texts(card.body)]:
                taught_numbers |= numbers_in(text)
                taught_text.append(text.lower())
    article = ARTICLE.read_text(encoding="utf-8")
    assert numbers_in(article) - taught_numbers == set()
    joined = "\n".join(taught_text)
    for name in (
        "pembrolizumab",
        "nivolumab",
        "ipilimumab",
        "trastuzumab",
        "cetuximab",
        "keytruda",
        "opdivo",
        "yervoy",
        "herceptin",
        "pneumonitis",
        "hepatitis",
        "myocarditis",
        "neurotoxicity",
        "cytokine release syndrome",
        "fatigue",
        "colitis",
    ):
        assert name in joined, name


def test_every_card_can_be_asked_in_a_quiz(decks: tuple[Deck, ...]) -> None:
    # A card with no quiz form is left out of every paper. Only a basic card
    # can have none (it is asked as a choice), when its answer has no kind
    # with two sound distractors: `check --show-distractors` says why.
    cards = [card for deck in decks for card in deck.cards]
    maker = QuestionMaker(cards)
    assert [card.id for card in cards if not maker.forms(card) and card.type != "basic"] == []
    assert sum(bool(maker.forms(card)) for card in cards if card.type == "basic") >= 5


def test_no_distractor_restates_the_answer_of_its_question(decks: tuple[Deck, ...]) -> None:
    # Two cards on the same fact in other words must not share a tag: each
    # would offer its answer as a "wrong" option for the other (found by hand
    # once: the definition of combination checkpoint blockade).
    cards = {(card.deck_id, card.id): card for deck in decks for card in deck.cards}
    maker = QuestionMaker(list(cards.values()))
    definition = cards[("checkpoint-inhibitors", "combination-blockade-definition")]
    restated = cards[("side-effects", "serious-combination-blockade")].answer_texts()[0]
    assert restated not in [text for _, text in maker.candidates(definition)]


# The SHA-256 of the article as published (shared/sources/000_61d409cd6693236a.txt):
# the bundled copy must stay byte for byte the text the quotes were checked against.
ARTICLE_SHA256 = "e842a043f81d4b68b7af62e8f6053e648f80417dce1246e8eb7000ba6982d248"


def test_the_bundled_article_is_the_published_text() -> None:
    assert hashlib.sha256(ARTICLE.read_bytes()).hexdigest() == ARTICLE_SHA256


def test_bundled_decks_validate_against_the_json_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    for path in sorted(bundled_decks_dir().glob("*.yaml")):
        if path.name == VOCABULARY_FILE:
            continue  # the decks' tag vocabulary, not a deck
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../immunoquiz/schema/deck.schema.json"
        jsonschema.validate(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader), schema)


def test_the_schema_rejects_what_the_checker_rejects() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    card = {"id": "a", "type": "basic", "tags": [], "quote": "q", "front": "f", "back": "b"}
    deck = {"id": "d", "title": "t", "description": "d", "source": "s.txt", "cards": [card]}
    jsonschema.validate(deck, schema)
    for bad in (
        {**card, "frnt": "x"},
        {**card, "type": "multiple"},
        {k: v for k, v in card.items() if k != "back"},
        {**card, "type": "choice", "question": "q", "answer": "a"},
        {**card, "back": ""},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**deck, "cards": [bad]}, schema)


def test_the_schema_takes_a_quote_of_several_passages_as_the_checker_does() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    card = {"id": "a", "type": "ordering", "tags": [], "question": "q?", "items": ["x", "y"]}
    deck = {"id": "d", "title": "t", "description": "d", "source": "s.txt"}
    jsonschema.validate({**deck, "cards": [{**card, "quote": ["first bullet", "second bullet"]}]}, schema)
    for bad in ([], ["a bullet", ""], ["a bullet", 3], [" "]):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**deck, "cards": [{**card, "quote": bad}]}, schema)


def test_the_schema_covers_ranges_bounds_and_near_miss_switches() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    numeric = {"id": "a", "type": "numeric", "tags": [], "quote": "q", "question": "q?", "value": [20, 30]}
    typed = {"id": "b", "type": "typed", "tags": [], "quote": "q", "question": "q?", "answer": "a", "near_miss": False}
    cloze = {"id": "c", "type": "cloze", "tags": [], "quote": "q", "text": "{{c1::a|b}}", "near_miss": True}
    bound = {**numeric, "value": 618000, "bound": "above", "unit": "hours"}
    deck = {"id": "d", "title": "t", "description": "d", "source": "s.txt", "near_miss": False}
    jsonschema.validate({**deck, "cards": [numeric, typed, cloze, bound]}, schema)
    for bad in ({**bound, "bound": "over"}, {**numeric, "value": [1, 2, 3]}, {**numeric, "near_miss": False}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**deck, "cards": [bad]}, schema)


def test_the_wheel_ships_the_decks_and_the_schema(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"immunoquiz/decks/{p.name}" for p in (ROOT / "decks").glob("*.yaml")}
    assert shipped and shipped <= names
    assert f"immunoquiz/decks/{VOCABULARY_FILE}" in names
    assert "immunoquiz/decks/sources/immunotherapy.txt" in names
    assert "immunoquiz/schema/deck.schema.json" in names
