"""Deck text for tests: paths to the test decks, and cards written as YAML."""

from __future__ import annotations

import json
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
ARTICLE = ROOT / "decks" / "sources" / "immunotherapy.txt"
DECKS = TESTS / "decks"
ALL_TYPES = DECKS / "good" / "all-types.yaml"
MARKUP = DECKS / "tui" / "markup.yaml"
NOTED = DECKS / "tui" / "noted.yaml"
EXPORTS = TESTS / "exports"


QUOTE = "Checkpoint inhibitors are currently the most widely used form of cancer immunotherapy"


def basic_card(card_id: str, front: str = "Front", back: str = "Back", **extra: object) -> str:
    """A basic card's YAML, quoting the article."""
    lines = [
        f"  - id: {card_id}",
        "    type: basic",
        f"    tags: {list(extra.pop('tags', ['t']))}",  # type: ignore[call-overload]
        f"    quote: {QUOTE}",
        f"    front: {front!r}",
        f"    back: {back!r}",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


def deck_yaml(deck_id: str, cards: list[str], note: str | None = None) -> str:
    """A whole deck file quoting the bundled article (with a ``note:`` line if given, as written)."""
    noted = "" if note is None else f"note: {note}\n"
    head = f"id: {deck_id}\ntitle: Deck {deck_id}\ndescription: A test deck.\n{noted}source: {ARTICLE}\ncards:\n"
    return head + "\n".join(cards) + "\n"


TYPED = "\n".join(
    [
        "  - id: keytruda",
        "    type: typed",
        "    tags: [drugs]",
        "    quote: Drugs like pembrolizumab (Keytruda) and nivolumab (Opdivo) block this interaction",
        "    question: Under which brand name is pembrolizumab sold?",
        "    answer: Keytruda",
    ]
)


CHOICE = "\n".join(
    [
        "  - id: ctla4",
        "    type: choice",
        "    tags: [drugs]",
        "    quote: Ipilimumab (Yervoy) blocks CTLA-4, boosting the overall T-cell response.",
        "    question: Which drug blocks CTLA-4?",
        "    answer: Ipilimumab",
        "    distractors: [Pembrolizumab, Nivolumab, Trastuzumab]",
    ]
)


NUMERIC = "\n".join(
    [
        "  - id: efs",
        "    type: numeric",
        "    tags: [trials]",
        "    quote: improved 3-year event-free survival to 59.8% compared to 45.9% with standard care alone",
        "    question: KEYNOTE-689 3-year event-free survival with pembrolizumab?",
        "    value: 59.8",
        "    unit: '%'",
    ]
)


ORDERING = "\n".join(
    [
        "  - id: car-t",
        "    type: ordering",
        "    tags: [car-t]",
        "    quote: Extracting T-cells from the patient’s own blood",
        "    question: Put the CAR-T steps in order.",
        "    items: [Extract T-cells, Engineer a receptor, Grow millions, Infuse them back]",
    ]
)


# The bullets of a list, each a line of its source: text that looks like markup, to be shown as written.
BULLETS = ("Extract the [b]T-cells[/b] from the blood", "Grow millions [/foo] of them", "Infuse them [@click=app.quit]")


def bullet_deck(folder: Path) -> Path:
    """A deck of one typed card (`bullets/steps`) quoting the three ``BULLETS`` of its own source, as a list."""
    folder.mkdir(parents=True, exist_ok=True)
    bullets = "".join(f"  • {bullet}\n" for bullet in BULLETS)
    (folder / "bullets.txt").write_text(f"Steps\n\nIt involves:\n\n{bullets}", encoding="utf-8")
    # A JSON string is a double-quoted YAML string.
    quote = "".join(f"      - {json.dumps(bullet)}\n" for bullet in BULLETS)
    path = folder / "bullets.yaml"
    path.write_text(
        "id: bullets\ntitle: Bullets\ndescription: A card quoting a bullet list.\nsource: bullets.txt\ncards:\n"
        f"  - id: steps\n    type: typed\n    tags: [t]\n    quote:\n{quote}"
        "    question: What is taken from the blood?\n    answer: T-cells\n",
        encoding="utf-8",
    )
    return path
