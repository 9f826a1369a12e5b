"""Where things live. Every path is resolved when asked for, never at import."""

from __future__ import annotations

import os
import re
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


def data_dir() -> Path:
    """The user data folder that holds the default database and the profiles' (not created here)."""
    from platformdirs import user_data_path

    return user_data_path("immunoquiz", appauthor=False)


def env_db_path() -> Path | None:
    """The database named by ``IMMUNOQUIZ_DB``, if set."""
    env = os.environ.get("IMMUNOQUIZ_DB")
    return Path(env).expanduser() if env else None


PROFILE_NAME = re.compile(r"[a-z0-9_-]{1,64}")
"""A profile name: a slug, so that it names a file in the data folder and nothing else."""

_PROFILE_PREFIX, _PROFILE_SUFFIX = "profile-", ".db"


def profile_db_path(name: str) -> Path:
    """The database of learner profile ``name`` (a slug: see ``PROFILE_NAME``)."""
    return data_dir() / f"{_PROFILE_PREFIX}{name}{_PROFILE_SUFFIX}"


def profiles() -> list[str]:
    """The profiles that exist, by name, sorted."""
    folder = data_dir()
    if not folder.is_dir():
        return []
    names = (p.name.removeprefix(_PROFILE_PREFIX).removesuffix(_PROFILE_SUFFIX) for p in folder.iterdir())
    return sorted(name for name in names if PROFILE_NAME.fullmatch(name) and profile_db_path(name).is_file())


def default_db_path() -> Path:
    """The learner's database when none is named: ``IMMUNOQUIZ_DB``, else the one in the data folder."""
    return env_db_path() or data_dir() / "immunoquiz.db"
