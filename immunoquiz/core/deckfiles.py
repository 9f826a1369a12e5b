"""Finding deck files: a cheap module, so that start-up need not import the YAML reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path


def iter_deck_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Deck files named directly or found (``*.yaml``, ``*.yml``) in folders.

    Args:
        paths: Files and folders.

    Yields:
        Deck files, each folder's in name order.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            yield path
