"""Card fields written in HTML (Anki's) as plain deck text.

The standard library's ``html.parser`` does the reading (a state machine, so
no pattern can backtrack on a hostile field); media are not brought along but
named, so that an import can say what it left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from immunoquiz.core.text import strip_forbidden

# Tags that end a line where a reader would see one.
_BLOCKS = frozenset({"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "table"})
# Tags whose content is never text for a learner.
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SOUND = "[sound:"


@dataclass(frozen=True, slots=True)
class Converted:
    """A field as text, with the media it referred to.

    Attributes:
        text: The text on one line (a card's answer must be typeable), spaces collapsed.
        media: Files referred to (images, sounds), in order.
    """

    text: str
    media: tuple[str, ...] = ()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag in ("img", "audio", "video", "source"):
            self.media.extend(value for name, value in attrs if name == "src" and value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _without_sounds(text: str, media: list[str]) -> str:
    """``[sound:x.mp3]`` references taken out of the text (found with ``str.find``: linear)."""
    kept: list[str] = []
    position = 0
    while (start := text.find(_SOUND, position)) != -1:
        end = text.find("]", start)
        if end == -1:
            break
        kept.append(text[position:start])
        media.append(text[start + len(_SOUND) : end])
        position = end + 1
    kept.append(text[position:])
    return "".join(kept)


def tidy(text: str) -> str:
    """Plain text made deck text: forbidden characters out, one line, spaces collapsed."""
    return " ".join(strip_forbidden(text).split())


def html_to_text(html: str) -> Converted:
    """One HTML field as plain text.

    Args:
        html: The field (untrusted).

    Returns:
        Its text, with entities decoded, tags gone, block tags as line
        breaks (then spaces), and the media it named (``<img src>``, ``[sound:...]``).
    """
    # A `<` with no `>` after it starts no tag; left as it is, html.parser retries it from each
    # following `<` (quadratic on `<b<b<b...`), so it is made text first.
    end = html.rfind(">") + 1
    parser = _Text()
    parser.feed(html[:end] + html[end:].replace("<", "&lt;"))
    parser.close()
    media = list(parser.media)
    text = _without_sounds("".join(parser.parts), media)
    return Converted(tidy(text), tuple(media))


def plain_to_text(text: str) -> Converted:
    """A field that is not HTML (``#html:false``), tidied the same way, its sounds named."""
    media: list[str] = []
    return Converted(tidy(_without_sounds(text, media)), tuple(media))
