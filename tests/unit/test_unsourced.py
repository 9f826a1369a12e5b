"""Decks without a source (``source: none``): read, warned about, synced and shown as "no source"."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import yaml

from immunoquiz.core.clock import ManualClock
from immunoquiz.core.feedback import answer_feedback, format_feedback
from immunoquiz.core.reader import read_deck
from immunoquiz.core.session import Session
from immunoquiz.core.store import open_store
from tests.support.decks import ROOT

DECK = """\
id: imported
title: Imported
description: Cards from elsewhere.
source: none
cards:
  - id: a
    type: basic
    tags: [t]
    front: Capital of France?
    back: Paris, since 508
  - id: b
    type: typed
    tags: [t]
    quote: A quote kept from the import.
    question: Two and two?
    answer: "4"
"""


def write(tmp_path: Path, text: str = DECK) -> Path:
    path = tmp_path / "imported.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unsourced_deck_reads_without_quotes_with_one_warning(tmp_path: Path) -> None:
    outcome = read_deck(write(tmp_path))
    assert outcome.deck is not None
    assert outcome.deck.source is None
    assert [c.quote for c in outcome.deck.cards] == ["", "A quote kept from the import."]
    assert [(d.severity, d.code, d.line) for d in outcome.diagnostics] == [("warning", "unsourced", 4)]


def test_a_sourced_deck_still_needs_its_quotes(tmp_path: Path) -> None:
    outcome = read_deck(write(tmp_path, DECK.replace("source: none", "source: article.txt")))
    assert outcome.deck is None
    assert "missing-key" in {d.code for d in outcome.diagnostics}


def test_the_schema_accepts_unsourced_decks_only() -> None:
    schema = json.loads((ROOT / "immunoquiz" / "schema" / "deck.schema.json").read_text(encoding="utf-8"))
    deck = yaml.safe_load(DECK)
    jsonschema.validate(deck, schema)
    deck["source"] = "article.txt"
    try:
        jsonschema.validate(deck, schema)
    except jsonschema.ValidationError as exc:
        assert "quote" in exc.message
    else:
        raise AssertionError("a sourced deck without quotes validated")


def test_its_cards_sync_and_show_no_source(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    store = open_store(memory=True)
    report = store.sync([write(tmp_path)], clock())
    assert report.decks == ["imported"] and not report.diagnostics
    assert store.deck_sources(["imported"]) == {}
    session = Session(store, clock=clock)
    showing = session.next()
    assert showing is not None and showing.card.id == "a"
    answer = session.check(showing, None)
    feedback = answer_feedback(showing.card, showing.prompt, answer.verdict, None)
    assert "Source: no source" in format_feedback(feedback)


def test_unsourced_cards_with_one_answer_are_two_facts_on_a_paper(tmp_path: Path) -> None:
    from immunoquiz.core.facts import card_fact

    twins = DECK.replace("back: Paris, since 508", "back: Paris").replace(
        "  - id: b\n",
        "  - id: c\n    type: basic\n    tags: [t]\n    front: Capital of Texas?\n    back: Paris\n  - id: b\n",
    )
    deck = read_deck(write(tmp_path, twins)).deck
    assert deck is not None
    first, second = deck.cards[0], deck.cards[1]
    assert (first.body.back, second.body.back) == ("Paris", "Paris")  # type: ignore[union-attr]
    assert not card_fact(first).clashes(card_fact(second))


def test_an_unsourced_card_takes_distractors_from_sourced_cards() -> None:
    from immunoquiz.core.distractors import DistractorPool
    from immunoquiz.core.model import Card, QuizHints, Typed

    def drug(deck: str, card_id: str, answer: str, quote: str) -> Card:
        return Card(
            deck, card_id, ("t",), (quote,) if quote else (), Typed("Which drug?", answer), quiz=QuizHints(kind="drug")
        )

    asked = drug("imported", "a", "Keytruda", "")
    sourced = [
        drug("d", f"c{n}", name, f"{name} is a drug") for n, name in enumerate(("Opdivo", "Yervoy", "Tecentriq"))
    ]
    texts = {text for _, text in DistractorPool([asked, *sourced]).candidates(asked)}
    assert texts == {"Opdivo", "Yervoy", "Tecentriq"}
