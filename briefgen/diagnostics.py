"""Structured problems of templates, template output and style sheets.

The markup parser (``render.markup.read_markup``), the style-sheet checker
(``styles.stylesheet_diagnostics``) and the template sandbox report what they find as
``Diagnostic`` values; ``briefgen templates check`` lists them, and a build stops at the
first error with a ``DiagnosticError`` (a one-line ``TemplateError`` carrying it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import TemplateError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where (``file``; ``line`` and ``column``, 1-based, when known), how
    bad (``severity``: an ``error`` stops a build, a ``warning`` does not), what kind
    (``code``, e.g. ``markup.element``, ``style.schema``, ``undefined``) and a one-line
    ``message`` that does not repeat the place."""

    file: str
    line: int | None
    column: int | None = None
    severity: Severity = "error"
    code: str = ""
    message: str = ""

    def __str__(self) -> str:
        """``FILE:LINE: message`` (line 1 for a problem of the whole file)."""
        return f"{self.file}:{self.line or 1}: {self.message}"


class DiagnosticError(TemplateError):
    """A ``TemplateError`` (one line, exit 3) that knows its ``Diagnostic``."""

    def __init__(self, text: str, diagnostic: Diagnostic) -> None:
        super().__init__(text)
        self.diagnostic = diagnostic
