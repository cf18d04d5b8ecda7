"""Writers: one per format, each ``write(doc, sheet) -> bytes``; none touches files."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing this module stays cheap: the command line lists WRITERS
    from .. import ir
    from ..fonts import Progress
    from ..styles import StyleSheet

#: ``writer(doc, sheet, progress) -> bytes``
Writer = Callable[["ir.Document", "StyleSheet", "Progress | None"], bytes]


def _pdf(doc: ir.Document, sheet: StyleSheet, progress: Progress | None) -> bytes:
    from .pdf import write_pdf

    return write_pdf(doc, sheet, progress)


def _docx(doc: ir.Document, sheet: StyleSheet, progress: Progress | None) -> bytes:
    from .docx import write_docx

    return write_docx(doc, sheet)


def _html(doc: ir.Document, sheet: StyleSheet, progress: Progress | None) -> bytes:
    from .html import write_html

    return write_html(doc, sheet)


def _odt(doc: ir.Document, sheet: StyleSheet, progress: Progress | None) -> bytes:
    from .odt import write_odt

    return write_odt(doc, sheet)


def _txt(doc: ir.Document, sheet: StyleSheet, progress: Progress | None) -> bytes:
    from .text import write_text

    return write_text(doc, sheet)


#: Format name -> writer. Imports are lazy so one format does not pay for another.
WRITERS: dict[str, Writer] = {
    "docx": _docx,
    "pdf": _pdf,
    "html": _html,
    "txt": _txt,
    "odt": _odt,
}


def write(doc: ir.Document, fmt: str, sheet: StyleSheet, progress: Progress | None = None) -> bytes:
    """The bytes of ``doc`` in format ``fmt``."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(WRITERS)})")
    return WRITERS[fmt](doc, sheet, progress)
