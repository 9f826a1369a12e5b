"""The core never imports Textual; the command line imports it only to open the app."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import immunoquiz.core


def _imports_textual(code: str) -> bool:
    probe = f"{code}\nimport sys\nprint(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_no_core_module_imports_textual() -> None:
    modules = [m.name for m in pkgutil.walk_packages(immunoquiz.core.__path__, "immunoquiz.core.")]
    assert len(modules) >= 5
    code = "\n".join(f"import {name}" for name in modules)
    assert not _imports_textual(code)


def test_the_probe_would_notice_textual() -> None:
    assert _imports_textual("import textual.app")


def test_command_line_without_the_app_does_not_import_textual() -> None:
    assert not _imports_textual("import immunoquiz.cli")
