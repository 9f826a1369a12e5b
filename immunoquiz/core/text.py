"""Text normalisation shared by the checker and the graders.

Two different comparisons live here:

* quotes are compared *case-sensitively* with the source document after
  folding typography (curly quotes, dashes, whitespace) so that a quote typed
  with a straight apostrophe still matches the article's curly one;
* answers are compared *leniently*: case, accents, surrounding punctuation and
  extra whitespace are ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
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
# The same table as one character class: scanning in C, a call only per typographic character
# (``str.translate`` with a mapping looks every character up, many times slower on long texts).
_TYPOGRAPHIC = re.compile("[" + "".join(chr(code) for code in _TYPOGRAPHY) + "]")


def _plain(match: re.Match[str]) -> str:
    return str(_TYPOGRAPHY[ord(match.group())])


def fold_typography(text: str) -> str:
    """Fold quotes, dashes and whitespace runs to their plain ASCII forms.

    Args:
        text: Any text.

    Returns:
        The text with typographic quotes and dashes replaced and every run of
        whitespace collapsed to one space, stripped at both ends.
    """
    # Splitting on whitespace is ``\s+`` replaced and stripped (both use ``str.isspace``), without a regex.
    return " ".join((text if text.isascii() else _TYPOGRAPHIC.sub(_plain, text)).split())


@functools.lru_cache(maxsize=4096)  # several cards usually quote one passage
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


# A hyphen between two letters counts as a space: "t cells" answers "T-cells".
# One character with lookarounds of one: linear on any text.
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _strip_edges(text: str) -> str:
    # A loop, not a regex: ``[\W_]+$`` backtracks quadratically on a long run of punctuation.
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


# The ASCII characters that are neither letters nor digits: what ``_strip_edges`` strips from ASCII text.
_ASCII_EDGES = "".join(char for char in map(chr, range(128)) if not char.isalnum())

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group() if not unicodedata.combining(ch))


def fold_answer(answer: str) -> str:
    """An answer folded for comparison: typography, accents and case folded, edges kept.

    Args:
        answer: Any answer text.

    Returns:
        The folded text.
    """
    folded = fold_typography(answer)
    if folded.isascii():  # the usual text: nothing to decompose, no accent to drop
        return folded.casefold()
    # Accents are combining marks once decomposed: only the runs of non-ASCII characters are looked at.
    return _NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", folded)).casefold()


def normalise_answer(answer: str) -> str:
    """Normalise an answer so that trivial differences do not count as wrong.

    Ignores case, accents, surrounding punctuation, extra whitespace, and a
    hyphen against a space between two letters (``t cells`` for ``T-cells``);
    other inner punctuation (the hyphen of ``PD-1``) is kept.

    Args:
        answer: A learner's answer or an expected answer.

    Returns:
        The comparison key.
    """
    folded = fold_answer(answer)
    # The usual text is ASCII once folded (curly quotes and dashes too): its edges are stripped in C.
    key = folded.strip(_ASCII_EDGES) if folded.isascii() else _strip_edges(folded)
    return _LETTER_HYPHEN.sub(" ", key) if "-" in key else key


# A number is either grouped with thousands commas (618,000) or plain
# (59.8, 3 in "3-year", 4157 in "mRNA-4157"). Signs are never read: the
# hyphen in "KEYNOTE-689" is not a minus.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")

SCALES: dict[str, Decimal] = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(10**6),
    "mn": Decimal(10**6),
    "million": Decimal(10**6),
    "millions": Decimal(10**6),
    "bn": Decimal(10**9),
    "billion": Decimal(10**9),
    "billions": Decimal(10**9),
}
"""Scale words and suffixes, as in ``618k``, ``2 million`` and ``2M``."""

UNITS: dict[str, tuple[str, ...]] = {
    "%": ("%", "percent", "per cent", "pct"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "minutes": ("min", "mins", "minute", "minutes"),
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "days": ("d", "day", "days"),
    "weeks": ("wk", "wks", "week", "weeks"),
    "months": ("mo", "mos", "month", "months"),
    "years": ("y", "yr", "yrs", "year", "years"),
    "mg": ("mg", "milligram", "milligrams"),
    "mcg": ("mcg", "\u03bcg", "ug", "microgram", "micrograms"),
    "g": ("g", "gram", "grams"),
    "kg": ("kg", "kilogram", "kilograms"),
    "mL": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "L": ("l", "litre", "litres", "liter", "liters"),
    "mmol/L": ("mmol/l", "mmol per litre", "mmol per liter"),
    "mg/dL": ("mg/dl", "mg per decilitre", "mg per deciliter"),
    "mg/kg": ("mg/kg", "mg per kg"),
    "units": ("unit", "units", "iu"),
}
"""The units a numeric answer may carry, by the name verdicts use, with their usual spellings
(compared after ``fold_answer``: ``µg`` is ``μg``, ``mmol/L`` is ``mmol/l``). There is no
conversion: a nurse must know the unit."""

_SPELLINGS: dict[str, str] = {spelling: name for name, spellings in UNITS.items() for spelling in spellings}
_UNIT_WORDS = {"%": "percent"}
_COMPARATORS: dict[str, str] = {
    ">": "above",
    ">=": "above",
    "\u2265": "above",
    "over": "above",
    "above": "above",
    "more than": "above",
    "greater than": "above",
    "at least": "above",
    "<": "below",
    "<=": "below",
    "\u2264": "below",
    "under": "below",
    "below": "below",
    "less than": "below",
    "fewer than": "below",
    "at most": "below",
    "up to": "below",
}
_HEDGES = ("about", "around", "approximately", "approx", "roughly", "nearly", "almost", "~")
_EDGE_MARKS = frozenset(".,;:!?()[]\"'")
MAX_NUMBER_TEXT = 100
"""A longer answer is not read as a number (which keeps reading it cheap on any text)."""

# Tokens of a written quantity: a number, a word (``mg/dL`` is one), or one symbol.
_TOKEN = re.compile(r"\s*(?:(\d[\d,]*(?:\.\d+)?|\.\d+)|([^\W\d_]+(?:/[^\W\d_]+)?)|(>=|<=|[^\s\w]))")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a learner wrote it: a value, a range or a bound, with its unit.

    Attributes:
        low: The number, or a range's low end (scale words applied: ``618k`` is 618000).
        high: A range's high end; None for one number.
        bound: ``above`` (``over 618,000``, ``>5``) or ``below`` (``under 5``); None for none.
        unit: The unit's name in ``UNITS``; None when none was written (or a word
            that is not a unit, as in ``2 million people``).
    """

    low: Decimal
    high: Decimal | None = None
    bound: str | None = None
    unit: str | None = None


def unit_name(text: str) -> str | None:
    """The name in ``UNITS`` of a unit spelling (``hrs`` is ``hours``), or None for an unknown one."""
    return _SPELLINGS.get(_WHITESPACE.sub(" ", fold_answer(text)).strip())


def unit_word(name: str) -> str:
    """A unit's name as a verdict says it: ``percent`` for ``%``, else the name."""
    return _UNIT_WORDS.get(name, name)


def _digits(text: str) -> Decimal | None:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", text):
        text = text.replace(",", ".")
    elif "," in text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _tokens(text: str) -> list[tuple[str, str]] | None:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return None if text[position:].strip() else tokens
        number, word, symbol = match.groups()
        tokens.append(("n", number) if number else ("w", word) if word else ("s", symbol))
        position = match.end()
    return tokens


def read_quantity(text: str) -> Quantity | None:
    """Read a number as people write it.

    Reads ``59.8``, ``59,8`` (a decimal comma that cannot group thousands),
    ``618,000``, ``618k``, ``618 thousand``, ``2 million``, ``2M``, ``-3``;
    a unit after it (``24 h``, ``4 mmol/L``, ``20%``); a bound before it
    (``>618000``, ``over 618,000``, ``more than``, ``<``, ``under``, ``less
    than``) or a ``+`` after it; a range (``20-30``, ``20–30%``, ``20 to 30``);
    a word before the number (``grade 2``) and hedges (``about``) are skipped.

    Args:
        text: The learner's answer.

    Returns:
        The quantity, or None when the text holds no single number, range or bound.
    """
    if len(text) > MAX_NUMBER_TEXT:
        return None
    tokens = _tokens(fold_answer(text).strip())
    # Surrounding punctuation is no part of the quantity ("Grade 2.", "(24 h)").
    while tokens and tokens[-1][1] in _EDGE_MARKS:
        tokens.pop()
    while tokens and tokens[0][1] in _EDGE_MARKS:
        tokens.pop(0)
    if not tokens:
        return None
    kinds = "".join(kind for kind, _ in tokens)
    first = kinds.find("n")
    if first < 0 or kinds.count("n") > 2:
        return None
    words = [value for _, value in tokens[:first]]
    while words and words[0] in _HEDGES:
        words.pop(0)
    prefix = " ".join(words)
    bound: str | None = None
    negative = False
    if prefix in _COMPARATORS:
        bound = _COMPARATORS[prefix]
    elif prefix in ("-", "+"):
        negative = prefix == "-"
    elif prefix and not (len(words) == 1 and kinds[first - 1] == "w"):
        return None  # one word may stand before a number, as in "grade 2"
    low, low_scale, position = _scaled(tokens, first)
    if low is None:
        return None
    high: Decimal | None = None
    rest = tokens[position:]
    if len(rest) > 1 and rest[0][1] in ("-", "to") and rest[1][0] == "n":
        high, high_scale, position = _scaled(tokens, position + 1)
        if high is None:
            return None
        if low_scale is None and high_scale is not None:
            low *= high_scale  # "20-30 thousand": the scale of the high end applies to both
        rest = tokens[position:]
    if "n" in (kind for kind, _ in rest):
        return None
    if rest and rest[0] == ("s", "+") and bound is None:
        bound, rest = "above", rest[1:]
    unit: str | None = None
    if rest:
        written = " ".join(value for _, value in rest)
        if rest[0][1] == "%":
            written = "%"
        unit = _SPELLINGS.get(written) or _SPELLINGS.get(rest[0][1])
        if unit is None and any(kind != "w" for kind, _ in rest):
            return None  # words that are no unit are skipped ("2 million people"); symbols are not
    return Quantity(-low if negative else low, high, bound, unit)


def _scaled(tokens: list[tuple[str, str]], position: int) -> tuple[Decimal | None, Decimal | None, int]:
    """The number at ``position`` with the scale word after it: value, scale, and the position after both."""
    value = _digits(tokens[position][1])
    position += 1
    scale = SCALES.get(tokens[position][1]) if position < len(tokens) else None
    if value is not None and scale is not None:
        return value * scale, scale, position + 1
    return value, None, position


# A scale word right after a number: "2 million", "618k". Anchored at the number's end: linear.
_SCALE_AFTER = re.compile(r" ?(thousand|millions?|billions?|bn|mn|k|m)\b", re.IGNORECASE)


def figures_in(text: str) -> list[tuple[Decimal, ...]]:
    """Every figure written in a text, each with the values it may stand for.

    Args:
        text: Any text.

    Returns:
        One tuple per figure: its number, and that number scaled when a scale
        word follows it (``2 million`` is ``(2, 2000000)``, ``618k`` is ``(618, 618000)``).
    """
    figures: list[tuple[Decimal, ...]] = []
    for match in _NUMBER.finditer(text):
        value = Decimal(match.group().replace(",", ""))
        scale = _SCALE_AFTER.match(text, match.end())
        figures.append((value, value * SCALES[scale.group(1).lower()]) if scale else (value,))
    return figures


def numbers_in(text: str, scaled: bool = False) -> frozenset[Decimal]:
    """Every number written in a text, compared by value.

    Args:
        text: Any text.
        scaled: Also hold each figure's value with its scale word applied
            (``2 million`` holds 2 and 2000000).

    Returns:
        The set of numbers, so that ``618,000`` equals ``618000`` and
        ``59.80`` equals ``59.8``.
    """
    if scaled:
        return frozenset(value for figure in figures_in(text) for value in figure)
    return frozenset(Decimal(m.group().replace(",", "")) for m in _NUMBER.finditer(text))


def parse_number(text: str) -> Decimal | None:
    """Parse one number as a learner might type it (see ``read_quantity``), with an optional unit.

    Args:
        text: The learner's answer.

    Returns:
        The number, or None when the text holds no single number (a range
        is not one number; a bound's number is).
    """
    quantity = read_quantity(text)
    return None if quantity is None or quantity.high is not None else quantity.low


# C0 and C1 controls (tab and newline are allowed in prose), DEL, the
# bidirectional overrides that can make text display differently from what
# it says, and the invisible marks (zero-width spaces and joiners, word
# joiner, byte-order mark, soft hyphen, Arabic letter mark) that would make an
# answer that looks typeable impossible to type.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_INVISIBLE = frozenset("\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 card``, ``2 cards``, ``0 cards``: a count with its noun agreeing.

    Args:
        number: The count.
        noun: The noun in the singular.
        plural: Its plural, when not ``noun + "s"``.
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def fitted(text: str, width: int) -> str:
    """A text cut to ``width`` characters, with an ellipsis when anything was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


# What a terminal would act on, or a reader misread, in text quoted from a file:
# every control character (newlines and tabs too, so a message stays one line)
# and the bidirectional overrides.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text quoted from a deck, a source or an export, made safe to print on one line.

    Args:
        text: Any text.

    Returns:
        The text with each control character and bidi override escaped
        (``\\x1b``, ``\\n``, ``\\u202e``); everything else as it was.
    """
    return _UNSHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def has_forbidden_character(text: str) -> bool:
    """Whether a text holds a control character or escape sequence (see ``forbidden_character``)."""
    return _FORBIDDEN.search(text) is not None


def strip_forbidden(text: str) -> str:
    """A text with its forbidden characters taken out, tabs made spaces (text brought in from elsewhere).

    Args:
        text: Any text.

    Returns:
        The text without what ``forbidden_character`` finds; newlines are kept.
    """
    return _FORBIDDEN.sub("", text.replace("\t", " "))


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
    if char == "\x1b":
        return match.start(), "ESC (terminal escape sequence)"
    return match.start(), f"U+{ord(char):04X}" + (", an invisible mark," if char in _INVISIBLE else "")
