"""The papers and distractors of fixed seeds, pinned: a change of speed must change no result.

``tests/data/paper_pins.json`` holds what the code gave when it was written
(before the quiz read light rows instead of every card): for each case its
questions in order, each with its id, prompt, options and right answers, and
for every card of the bundled and generated decks its distractor candidates.
A change that means to change papers regenerates it, on purpose, with
``python -m tests.unit.test_paper_pins`` (and the diff is read).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import pytest

from immunoquiz.core.card_query import StoredAnswers
from immunoquiz.core.check import check_paths
from immunoquiz.core.distractors import DistractorPool
from immunoquiz.core.grading import known_answers
from immunoquiz.core.quiz import Paper, QuizForm, QuizRequest
from immunoquiz.core.sitting import make_paper
from immunoquiz.core.store import Store, open_store
from immunoquiz.paths import bundled_decks_dir
from tests.support.decks import deck_yaml
from tests.support.generated import generated_deck

PINS = Path(__file__).resolve().parent.parent / "data" / "paper_pins.json"
SYNCED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

CHOICE: tuple[QuizForm, ...] = ("choice",)
WRITTEN: tuple[QuizForm, ...] = ("typed", "numeric", "ordering")

# The decks of a case: the bundled ones; with the generated deck; with it synced, then cut to its first
# 300 cards (the others retired: kept in the database, never asked nor drawn from).
Decks = Literal["bundled", "generated", "retired"]

# (name, decks, request): every request option the draw reads.
CASES: list[tuple[str, Decks, QuizRequest]] = [
    *((f"bundled-{seed}", "bundled", QuizRequest(count=40, seed=seed)) for seed in range(1, 7)),
    ("bundled-tags", "bundled", QuizRequest(tags=("side-effects", "trials", "car-t"), count=20, seed=7)),
    ("bundled-deck", "bundled", QuizRequest(decks=("checkpoint-inhibitors",), count=15, seed=8)),
    ("bundled-choice", "bundled", QuizRequest(count=30, forms=CHOICE, seed=9)),
    ("bundled-written", "bundled", QuizRequest(count=30, forms=WRITTEN, seed=10)),
    ("bundled-all", "bundled", QuizRequest(count=500, seed=11)),
    *((f"generated-{seed}", "generated", QuizRequest(count=40, seed=seed)) for seed in range(1, 5)),
    ("generated-tags", "generated", QuizRequest(tags=("beta", "delta"), count=40, seed=5)),
    ("generated-deck-choice", "generated", QuizRequest(decks=("gen",), count=60, forms=CHOICE, seed=6)),
    ("generated-two-decks", "generated", QuizRequest(decks=("gen", "side-effects"), count=30, seed=12)),
    ("generated-all", "generated", QuizRequest(count=1000, seed=13)),
    ("retired-deck", "retired", QuizRequest(decks=("gen",), count=80, seed=14)),
    ("retired-tags", "retired", QuizRequest(tags=("alpha",), count=30, seed=15)),
]


def _folders(tmp: Path, decks: Decks, cards: int = 360) -> list[Path]:
    if decks == "bundled":
        return [bundled_decks_dir()]
    folder = tmp / "generated"
    folder.mkdir(exist_ok=True)
    generated_deck(folder, cards=cards)
    return [bundled_decks_dir(), folder]


def _synced(tmp: Path, decks: Decks) -> Store:
    store = open_store(memory=True)
    report = store.sync(_folders(tmp, decks), SYNCED)
    if decks == "retired":
        report = store.sync(_folders(tmp, decks, cards=300), SYNCED)
        assert report.parsed == ["gen"]
    assert not report.diagnostics, [d.format() for d in report.diagnostics]
    return store


def _paper(paper: Paper) -> dict[str, object]:
    return {
        "available": paper.available,
        "groups": list(paper.groups),
        "questions": [
            [q.id.key, q.prompt.kind, q.prompt.text, list(q.prompt.options), list(q.prompt.answers)]
            for q in paper.questions
        ],
    }


def papers(tmp: Path) -> dict[str, Any]:
    """Every case's paper, as pinned."""
    stores: dict[Decks, Store] = {decks: _synced(tmp, decks) for decks in get_args(Decks)}
    return {name: _paper(make_paper(stores[decks], request)) for name, decks, request in CASES}


def candidates(tmp: Path) -> dict[str, list[list[object]]]:
    """Every card's distractor candidates over the bundled and generated decks, read from their files."""
    result = check_paths(_folders(tmp, "generated"))
    cards = [card for deck in result.decks for card in deck.cards]
    pool = DistractorPool(cards)
    return {f"{c.deck_id}/{c.id}": [list(found) for found in pool.candidates(c)] for c in cards}


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PINS.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("name", "decks", "request_"), CASES, ids=[case[0] for case in CASES])
def test_a_seed_gives_the_paper_it_gave(
    pinned: dict[str, Any], tmp_path: Path, name: str, decks: Decks, request_: QuizRequest
) -> None:
    paper = make_paper(_synced(tmp_path, decks), request_)
    assert _paper(paper) == pinned["papers"][name]


def test_the_pins_hold_papers_worth_pinning(pinned: dict[str, Any]) -> None:
    # Full papers with choice questions of generated distractors, a short one, and a tag-balanced one.
    cases = pinned["papers"]
    assert all(len(cases[f"bundled-{seed}"]["questions"]) == 40 for seed in range(1, 7))
    assert len(cases["generated-all"]["questions"]) < 1000
    forms = {question[0].rsplit("/", 1)[1] for case in cases.values() for question in case["questions"]}
    assert forms == {"choice", "typed", "numeric", "ordering"}
    assert cases["bundled-tags"]["groups"] == ["side-effects", "trials", "car-t"]


def test_every_card_keeps_its_distractors(pinned: dict[str, Any], tmp_path: Path) -> None:
    assert candidates(tmp_path) == pinned["candidates"]


def test_the_pool_read_from_the_database_offers_what_the_cards_offer(pinned: dict[str, Any], tmp_path: Path) -> None:
    # A quiz reads the pool's answers from the columns stored at sync; check reads them from the cards.
    store = _synced(tmp_path, "generated")
    pool = DistractorPool(StoredAnswers(store, store.active_decks))
    cards = [card for deck in check_paths(_folders(tmp_path, "generated")).decks for card in deck.cards]
    stored = {f"{c.deck_id}/{c.id}": [list(found) for found in pool.candidates(c)] for c in cards}
    assert stored == pinned["candidates"]
    assert sum(len(found) >= 2 for found in stored.values()) > 250


if __name__ == "__main__":
    # Regenerate the pins (only when a paper is meant to change; read the diff).
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = {"papers": papers(Path(tmp)), "candidates": candidates(Path(tmp))}
    PINS.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {PINS}", file=sys.stderr)


def test_the_answers_a_near_miss_may_never_be_are_read_without_decoding_a_card(tmp_path: Path) -> None:
    store = _synced(tmp_path, "generated")
    cards = [card for deck in check_paths(_folders(tmp_path, "generated")).decks for card in deck.cards]
    assert store.known_answers(store.active_decks) == known_answers(cards)
    assert len(known_answers(cards)) > 300


def test_a_pool_read_from_the_database_keeps_each_passage_of_a_list_quote(tmp_path: Path) -> None:
    # A card is never offered the answer of a card sharing a passage with it, one passage of a list at a time.
    bullets = ["Extracting T-cells from the patient’s own blood", "Growing millions of these engineered cells"]

    def typed(card_id: str, answer: str, quote: list[str]) -> str:
        return "\n".join(
            [
                f"  - id: {card_id}",
                "    type: typed",
                "    kind: step",
                "    tags: [car-t]",
                f"    quote: {json.dumps(quote, ensure_ascii=False)}",
                f"    question: Which step, {card_id}?",
                f"    answer: {answer}",
            ]
        )

    folder = tmp_path / "decks"
    folder.mkdir()
    cards = [
        typed("one", "Extraction", bullets[:1]),
        typed("both", "Growth", bullets),
        # Its quote holds the second bullet: a passage of the list, not the list joined.
        typed("line", "Expansion", ["3. Growing millions of these engineered cells"]),
        typed("other", "Infusion", ["Infusing them back into the patient"]),
        typed("more", "Engineering", ["Genetically engineering those cells in a laboratory"]),
    ]
    (folder / "steps.yaml").write_text(deck_yaml("steps", cards), encoding="utf-8")
    store = open_store(memory=True)
    assert not store.sync([folder], SYNCED).diagnostics
    read = [card for deck in check_paths([folder]).decks for card in deck.cards]
    stored, in_memory = DistractorPool(StoredAnswers(store, ["steps"])), DistractorPool(read)
    assert [stored.candidates(card) for card in read] == [in_memory.candidates(card) for card in read]
    offered = {card.id: [text for _, text in stored.candidates(card)] for card in read}
    assert offered["one"] == ["Expansion", "Infusion", "Engineering"]
    assert offered["line"] == ["Extraction", "Infusion", "Engineering"]
