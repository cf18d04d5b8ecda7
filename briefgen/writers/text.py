"""Plain-text writer: ``ir.Document`` -> UTF-8 text (the e-mail body, ``--format txt``).

Headings are underlined (``=`` for level 1, ``-`` for level 2, as wide as the heading in
display columns: a CJK character counts two); lists carry the language's labels
(zh-TW 一、 （一） 1、, English 1. a. i.) with continuation lines hanging under the text;
a definition's body is indented four columns; a table is one ``cell | cell`` line per
row with a rule under its header rows; block quotes are prefixed ``> ``; links show
their address in ``<…>`` unless it is already in the text or points inside the document;
notes follow their anchor in ``[…]``. Trailing spaces are dropped, blocks are separated
by one blank line, and the text ends with exactly one newline. The same document always
gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .. import ir
from ..numbering import bullet_label, ordered_label
from ..styles import StyleSheet

__all__ = ["document_text", "write_text"]

#: The widest a table's header rule gets, in display columns.
MAX_RULE = 72


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font: wide and full-width characters two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def inline_text(nodes: Sequence[ir.Inline]) -> str:
    """The text of inline ``nodes``: styling dropped, line breaks as newlines, a link's
    address in ``<…>`` when the text does not show it, a note in ``[…]``."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, ir.Text):
            out.append(node.text)
        elif isinstance(node, ir.LineBreak):
            out.append("\n")
        elif isinstance(node, ir.Link):
            text = inline_text(node.children)
            href = node.href.strip()
            shown = href.removeprefix("mailto:")
            out.append(
                text if not href or href.startswith("#") or shown in text else f"{text} <{href}>"
            )
        elif isinstance(node, ir.Note):
            out.append(f" [{inline_text(node.children)}]")
        elif isinstance(node, ir.Strong | ir.Emph | ir.Span):
            out.append(inline_text(node.children))
    return "".join(out)


class _Lines:
    """The lines of one document, built block by block."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []

    def emit(self, text: str, first: str, rest: str) -> None:
        """``text`` (possibly several lines) after ``first``, continuation lines after
        ``rest``."""
        for i, line in enumerate(text.split("\n")):
            self.lines.append(((first if i == 0 else rest) + line).rstrip())

    def blank(self) -> None:
        """One blank line, unless the last line already is one (or there is none)."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def blocks(self, blocks: Sequence[ir.Block], indent: str, depth: int, compact: bool) -> None:
        for block in blocks:
            self.block(block, indent, depth, compact)

    def block(self, block: ir.Block, indent: str, depth: int, compact: bool) -> None:
        if isinstance(block, ir.Heading):
            self.blank()
            text = inline_text(block.children)
            self.emit(text, indent, indent)
            if block.level <= 2:
                self.lines.append(indent + ("=" if block.level == 1 else "-") * display_width(text))
            self.blank()
        elif isinstance(block, ir.Para):
            self.emit(inline_text(block.children), indent, indent)
            if not compact:
                self.blank()
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            self.list_(block, indent, depth)
            if not compact:
                self.blank()
        elif isinstance(block, ir.DefinitionList):
            for term, body in block.items:
                self.emit(inline_text(term), indent, indent)
                self.blocks(body, indent + "    ", depth, True)
            if not compact:
                self.blank()
        elif isinstance(block, ir.Table):
            self.table(block, indent)
            if not compact:
                self.blank()
        elif isinstance(block, ir.BlockQuote):
            self.blocks(block.blocks, indent + "> ", depth, compact)
        elif isinstance(block, ir.Rule):
            self.blank()
            self.lines.append(indent + "-" * 40)
            self.blank()
        elif isinstance(block, ir.PageBreak):
            self.blank()
        elif isinstance(block, ir.Div):
            self.blocks(block.blocks, indent, depth, compact)

    def list_(self, block: ir.OrderedList | ir.BulletList, indent: str, depth: int) -> None:
        ordered = isinstance(block, ir.OrderedList)
        start = block.start if isinstance(block, ir.OrderedList) else 1
        for i, item in enumerate(block.items):
            label = (
                ordered_label(self.lang, depth, start + i)
                if ordered
                else bullet_label(self.lang, depth)
            )
            # Full-width labels (一、 （一）) carry their own space; 1. and • need one.
            if display_width(label[-1]) == 1:
                label += " "
            hang = indent + " " * display_width(label)
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            self.emit(inline_text(first.children) if first else "", indent + label, hang)
            self.blocks(blocks, hang, depth + (1 if ordered else 0), True)

    def table(self, block: ir.Table, indent: str) -> None:
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                texts = [
                    inline_text(b.children).replace("\n", " ")
                    for b in cell.blocks
                    if isinstance(b, ir.Para | ir.Heading)
                ]
                cells.append(" ".join(t for t in texts if t))
            rows.append(" | ".join(cells))
        for i, line in enumerate(rows):
            self.lines.append((indent + line).rstrip())
            if block.header_rows and i == block.header_rows - 1:
                width = min(max((display_width(r) for r in rows), default=0), MAX_RULE)
                self.lines.append(indent + "-" * width)


def document_text(doc: ir.Document, lang: str | None = None) -> str:
    """``doc`` as plain text (see the module docstring), list labels in ``lang`` (default
    the document's language); ends with one newline."""
    lines = _Lines(lang or doc.meta.lang)
    lines.blocks(doc.blocks, "", 0, False)
    out = lines.lines
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def write_text(doc: ir.Document, sheet: StyleSheet) -> bytes:
    """``doc`` as plain UTF-8 text. The style sheet only supplies the language when the
    document does not name one: plain text has no fonts, sizes or page furniture."""
    return document_text(doc, doc.meta.lang or sheet.lang).encode("utf-8")
