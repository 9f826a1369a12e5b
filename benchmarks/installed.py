"""Install immunoquiz as a user would, for benchmarks that launch it.

``python -c`` puts the current folder first on ``sys.path``, and an editable
install imports the working tree: a child started from the repository would
time the source tree (recompiled on every launch with
``PYTHONDONTWRITEBYTECODE``), not the package. ``installed_python`` builds a
wheel of the repository and installs it, byte-compiled, into a throwaway
virtual environment whose other libraries are this environment's; children
run from an empty folder.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def installed_python(folder: Path) -> Path:
    """A Python with immunoquiz installed from a wheel (non-editable) into ``folder``.

    Args:
        folder: An empty folder for the environment.

    Returns:
        Its interpreter; ``immunoquiz`` (the console script) is beside it.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Only the libraries: this environment's own .pth files (the editable install) are not read from here.
    (Path(purelib) / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--ignore-installed", str(REPO)],
        check=True,
        capture_output=True,
    )
    subprocess.run([python, "-m", "compileall", "-q", str(Path(purelib) / "immunoquiz")], check=True)
    return python


def package_location(python: Path, cwd: Path) -> str:
    """Where ``python`` started in ``cwd`` imports immunoquiz from (never the working tree)."""
    where = subprocess.run(
        [python, "-c", "import immunoquiz; print(immunoquiz.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    ).stdout.strip()
    assert not Path(where).resolve().is_relative_to(REPO), where
    return where
