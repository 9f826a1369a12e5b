"""Text normalisation shared by the checker and the graders.

Two different comparisons live here:

* quotes are compared *case-sensitively* with the source document after
  folding typography (curly quotes, dashes, whitespace) so that a quote typed
  with a straight apostrophe still matches the article's curly one;
* answers are compared *leniently*: case, accents, surrounding punctuation and
  extra whitespace are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / curly apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash, used in ranges such as 20–30%
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "\u00a0": " ",
        "\u2026": "...",
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold_typography(text: str) -> str:
    """Fold quotes, dashes and whitespace runs to their plain ASCII forms.

    Args:
        text: Any text.

    Returns:
        The text with typographic quotes and dashes replaced and every run of
        whitespace collapsed to one space, stripped at both ends.
    """
    return _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


def normalise_quote(quote: str) -> str:
    """Normalise a card's quote for lookup in its source document.

    Case is kept (a quote must be verbatim) but typography is folded and a
    final full stop is ignored, since quotes are often cut mid-sentence.

    Args:
        quote: The quote as written in the deck.

    Returns:
        The folded quote without a trailing full stop.
    """
    folded = fold_typography(quote)
    if folded.endswith(".") and not folded.endswith("..."):
        folded = folded[:-1].rstrip()
    return folded


_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_answer(answer: str) -> str:
    """Normalise an answer so that trivial differences do not count as wrong.

    Ignores case, accents, surrounding punctuation and extra whitespace;
    inner punctuation (the hyphen of ``PD-1``) is kept.

    Args:
        answer: A learner's answer or an expected answer.

    Returns:
        The comparison key.
    """
    decomposed = unicodedata.normalize("NFKD", fold_typography(answer))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _EDGE_PUNCTUATION.sub("", stripped.casefold()).strip()


# A number is either grouped with thousands commas (618,000) or plain
# (59.8, 3 in "3-year", 4157 in "mRNA-4157"). Signs are never read: the
# hyphen in "KEYNOTE-689" is not a minus.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")


def numbers_in(text: str) -> frozenset[Decimal]:
    """Every number written in a text, compared by value.

    Args:
        text: Any text.

    Returns:
        The set of numbers, so that ``618,000`` equals ``618000`` and
        ``59.80`` equals ``59.8``.
    """
    return frozenset(Decimal(m.group().replace(",", "")) for m in _NUMBER.finditer(text))


def parse_number(text: str) -> Decimal | None:
    """Parse one number as a learner might type it, with an optional unit.

    Accepts ``59.8``, ``59.8%``, ``59.8 %``, ``618,000``, ``-3`` and a decimal
    comma (``59,8``) when it cannot be a thousands separator.

    Args:
        text: The learner's answer.

    Returns:
        The number, or None when the text holds no single number.
    """
    cleaned = fold_typography(text)
    match = re.fullmatch(r"([-+]?)\s*(\d[\d,]*(?:\.\d+)?|\.\d+)\s*[^\d\s]{0,12}", cleaned)
    if match is None:
        return None
    sign, digits = match.groups()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", digits):
        digits = digits.replace(",", ".")
    elif "," in digits:
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if sign == "-" else value


# C0 and C1 controls (tab and newline are allowed in prose), DEL, and the
# bidirectional overrides that can make text display differently from what
# it says.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_forbidden_character(text: str) -> bool:
    """Whether a text holds a control character or escape sequence (see ``forbidden_character``)."""
    return _FORBIDDEN.search(text) is not None


def forbidden_character(text: str) -> tuple[int, str] | None:
    """Find a control character or escape sequence in deck text.

    Args:
        text: A text from a deck.

    Returns:
        The offset and a printable name of the first forbidden character, or
        None when the text is clean.
    """
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    char = match.group()
    name = "ESC (terminal escape sequence)" if char == "\x1b" else f"U+{ord(char):04X}"
    return match.start(), name
