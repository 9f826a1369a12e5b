"""Every text the app draws meets WCAG AA contrast (4.5:1), in the default and the high-contrast theme.

The colours are the ones drawn: the theme's variables as the .tcss files and
the widgets use them, blended and layered, read cell by cell from the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rich.color import Color
from textual.pilot import Pilot
from textual.screen import ModalScreen

from immunoquiz.core.quiz import QuizRequest
from immunoquiz.core.selection import Selection
from immunoquiz.tui.app import ImmunoquizApp
from tests.support.decks import ALL_TYPES, MARKUP, NOTED
from tests.support.tui import make_app

AA = 4.5
THEMES = ["textual-dark", "high-contrast"]
# Lines and blocks (borders, bars, scrollbars, heatmap cells) are graphics, not text.
GRAPHICS = range(0x2500, 0x25A0)


def luminance(color: Color) -> float:
    """WCAG relative luminance of a colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_ratio_is_wcags() -> None:
    assert contrast(Color.parse("#000000"), Color.parse("#ffffff")) == pytest.approx(21)
    assert contrast(Color.parse("#777777"), Color.parse("#ffffff")) == pytest.approx(4.48, abs=0.01)


def low_contrast(app: ImmunoquizApp) -> set[tuple[str, str, float]]:
    """The texts on screen below AA: (text, style, ratio).

    Over a dialog only the dialog counts: the screen behind it is dimmed on
    purpose, as an inactive part of the interface (which WCAG exempts).
    """
    screen = app.screen
    regions = [child.region for child in screen.children] if isinstance(screen, ModalScreen) else [screen.region]
    found = set()
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            start, x = x, x + segment.cell_length
            if not any(r.y <= y < r.bottom and r.x <= start < r.right for r in regions):
                continue
            text = "".join(ch for ch in segment.text if not ch.isspace() and ord(ch) not in GRAPHICS)
            if not text:
                continue
            style = segment.style
            assert style is not None and style.color is not None and style.bgcolor is not None, segment
            if style.color == style.bgcolor:
                continue  # drawn in its background colour: nothing shows
            ratio = contrast(style.color, style.bgcolor)
            if ratio < AA:
                found.add((text[:30], str(style), round(ratio, 2)))
    return found


@dataclass
class Scene:
    """A screen to look at: the app, then the keys that bring it up."""

    name: str
    app: Callable[[], ImmunoquizApp]
    keys: tuple[str, ...] = ()


SCENES = [
    Scene("home", lambda: make_app(ALL_TYPES, MARKUP)),
    Scene("home, second row", lambda: make_app(ALL_TYPES, MARKUP), ("down",)),
    Scene("study question", lambda: make_app(start=Selection())),
    Scene("study answer", lambda: make_app(MARKUP, start=Selection()), ("space",)),
    Scene("study deck note", lambda: make_app(NOTED, start=Selection())),
    Scene("quiz deck note", lambda: make_app(NOTED, start=QuizRequest(count=2, seed=1))),
    Scene("study wrong", lambda: make_app(start=Selection()), ("space", "3", *"PD-1", "enter")),
    Scene("study right", lambda: make_app(start=Selection()), ("space", "3", *"PD-L1", "enter")),
    Scene("browse", lambda: make_app(ALL_TYPES, MARKUP), ("b", *"tag:drugs", "enter")),
    Scene("help", lambda: make_app(), ("question_mark",)),
    Scene("cram picker", lambda: make_app(), ("c",)),
    Scene("options", lambda: make_app(), ("o",)),
    Scene("options error", lambda: make_app(), ("o", "tab", "tab", "ctrl+u", *"0.5", "enter")),
    Scene("where", lambda: make_app(start=Selection()), ("e",)),
    *(Scene(f"stats section {n}", lambda: make_app(), ("s", str(n))) for n in range(1, 7)),
    Scene("stats as tables", lambda: make_app(), ("s", "t")),
    Scene("quiz setup", lambda: make_app(), ("x",)),
    Scene("quiz", lambda: make_app(start=QuizRequest(decks=("all-types",), count=3, seed=5, time_limit_s=600))),
    Scene(
        "quiz answered",
        lambda: make_app(start=QuizRequest(decks=("all-types",), count=3, seed=5)),
        ("space",),
    ),
    Scene(
        "quiz results",
        lambda: make_app(start=QuizRequest(decks=("all-types",), forms=("choice",), count=1, seed=5)),
        ("a", "enter", "enter"),
    ),
    Scene("summary", lambda: make_app(start=Selection(tags=("trials",))), ("space", "4")),
]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("scene", SCENES, ids=lambda scene: scene.name)
async def test_every_text_meets_aa_contrast(scene: Scene, theme: str) -> None:
    app = scene.app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await press(pilot, scene.keys)
        if scene.name == "quiz results":
            assert type(app.screen).__name__ == "QuizResultsScreen"
        assert low_contrast(app) == set()


async def press(pilot: Pilot[None], keys: tuple[str, ...]) -> None:
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
    await pilot.pause()
    await pilot.pause()
