"""Diagnostics: one problem in one deck file, with where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from immunoquiz.core.text import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in a deck file.

    Attributes:
        path: The file, as the user named it.
        line: 1-based line of the offending node.
        column: 1-based column of the offending node.
        severity: ``error`` or ``warning``.
        code: A stable short name, for tools (``unknown-key``, ...).
        message: One line for people: what is wrong and how to fix it.
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """The compiler-style line ``path:line:col: severity: message``."""
        # A message may quote the file: a control character in it must neither act on
        # the terminal nor start a forged `path:line:col` line.
        return visible(f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
