"""Source documents that decks quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from immunoquiz.core.text import fold_typography, normalise_quote, numbers_in

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class SourceDocument:
    """A source document and its folded text, for quote lookups."""

    path: Path
    text: str
    _found: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        """Read a UTF-8 source document.

        Args:
            path: The file.

        Returns:
            The document.

        Raises:
            OSError: The file cannot be read.
            UnicodeDecodeError: The file is not UTF-8.
        """
        return cls(path, path.read_bytes().decode("utf-8"))

    @cached_property
    def folded(self) -> str:
        """The text folded line by line (see ``fold_typography``).

        Lines stay apart, so a quote cannot run from one paragraph or list
        item into the next.
        """
        return "\n".join(fold_typography(line) for line in self.text.splitlines())

    def contains_quote(self, quote: str) -> bool:
        """Whether ``quote`` appears in the document, after normalisation.

        Args:
            quote: A card's quote.

        Returns:
            True when found, case-sensitively.
        """
        # Several cards often quote the same passage: look each up once.
        found = self._found.get(quote)
        if found is None:
            needle = normalise_quote(quote)
            found = self._found[quote] = bool(needle) and needle in self.folded
        return found


def missing_numbers(answer: str, quote: str) -> list[Decimal]:
    """Numbers written in an answer that its quote does not contain.

    Args:
        answer: A text that answers a card.
        quote: The card's quote.

    Returns:
        The numbers of ``answer`` absent from ``quote``, in ascending order.
    """
    if _DIGIT.search(answer) is None:
        return []
    return sorted(numbers_in(answer) - numbers_in(quote))
