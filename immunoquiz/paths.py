"""Where things live. Every path is resolved when asked for, never at import."""

from __future__ import annotations

import os
from pathlib import Path


def bundled_decks_dir() -> Path:
    """The folder of decks that ship with immunoquiz.

    A wheel carries them inside the package (``immunoquiz/decks``); an
    editable install or a source checkout finds them at the repository's top.

    Returns:
        The folder (which exists in any correct install).
    """
    package = Path(__file__).resolve().parent
    inside = package / "decks"
    if inside.is_dir():
        return inside
    return package.parent / "decks"


def default_db_path(profile: str | None = None) -> Path:
    """The learner's database: ``IMMUNOQUIZ_DB`` or the user data dir.

    Args:
        profile: A learner profile name; each has its own database.

    Returns:
        The database path (not created here).
    """
    from platformdirs import user_data_path

    if profile is None:
        env = os.environ.get("IMMUNOQUIZ_DB")
        if env:
            return Path(env).expanduser()
    name = "immunoquiz.db" if profile is None else f"profile-{profile}.db"
    return user_data_path("immunoquiz", appauthor=False) / name
