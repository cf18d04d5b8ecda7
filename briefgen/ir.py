"""The small document tree every writer consumes (after pandoc's AST).

``Document(meta, blocks)``. Blocks: Heading, Para, BulletList, OrderedList,
DefinitionList, Table, BlockQuote, Rule, PageBreak, Div. Inlines: Text, Strong, Emph,
Link, Span, LineBreak, Note. Every node may carry a semantic ``style`` name (looked up in
the style sheet) and a ``lang``. Text is never split into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Node:
    """Common attributes: a semantic style name and a BCP 47 language tag."""

    style: str | None = field(default=None, kw_only=True)
    lang: str | None = field(default=None, kw_only=True)


# Inlines -----------------------------------------------------------------------------


@dataclass
class Text(Node):
    """A run of text."""

    text: str


@dataclass
class Strong(Node):
    """Strong emphasis."""

    children: list[Inline]


@dataclass
class Emph(Node):
    """Emphasis."""

    children: list[Inline]


@dataclass
class Link(Node):
    """A hyperlink."""

    href: str
    children: list[Inline]


@dataclass
class Span(Node):
    """Inlines with a style (e.g. ``untranslated``)."""

    children: list[Inline]


@dataclass
class LineBreak(Node):
    """A forced line break."""


@dataclass
class Note(Node):
    """A footnote."""

    children: list[Inline]


Inline = Union[Text, Strong, Emph, Link, Span, LineBreak, Note]  # noqa: UP007

# Blocks ------------------------------------------------------------------------------


@dataclass
class Heading(Node):
    """A heading of ``level`` 1 (title) to 4."""

    level: int
    children: list[Inline]
    id: str | None = None


@dataclass
class Para(Node):
    """A paragraph."""

    children: list[Inline]


@dataclass
class ListItem(Node):
    """One list item: its blocks (the first is usually a Para)."""

    blocks: list[Block]


@dataclass
class BulletList(Node):
    """An unordered list."""

    items: list[ListItem]


@dataclass
class OrderedList(Node):
    """A numbered list; labels come from the language's numbering convention and the
    nesting depth of ordered lists, starting at ``start``."""

    items: list[ListItem]
    start: int = 1


@dataclass
class DefinitionList(Node):
    """Terms and their definitions."""

    items: list[tuple[list[Inline], list[Block]]]


@dataclass
class Cell(Node):
    """A table cell."""

    blocks: list[Block]
    header: bool = False


@dataclass
class Table(Node):
    """Rows of cells; header rows first."""

    rows: list[list[Cell]]
    header_rows: int = 0


@dataclass
class BlockQuote(Node):
    """A quotation."""

    blocks: list[Block]


@dataclass
class Rule(Node):
    """A horizontal rule."""


@dataclass
class PageBreak(Node):
    """Start a new page."""


@dataclass
class Div(Node):
    """A group of blocks with a style."""

    blocks: list[Block]


Block = Union[  # noqa: UP007
    Heading,
    Para,
    BulletList,
    OrderedList,
    DefinitionList,
    Table,
    BlockQuote,
    Rule,
    PageBreak,
    Div,
]


@dataclass
class Meta:
    """Document metadata the writers put into file properties."""

    title: str
    lang: str
    author: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    audience: str = ""
    date: str = ""
    #: Running header text, and footer text with ``{page}``/``{pages}`` placeholders.
    header: str = ""
    footer: str = ""
    #: The most pages the memo may take ("0" = no limit); the pipeline shortens it by rule.
    max_pages: str = ""


@dataclass
class Document:
    """A whole memo."""

    meta: Meta
    blocks: list[Block]


def plain_text(nodes: list[Inline]) -> str:
    """The text of inlines, line breaks as newlines, notes left out."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Strong | Emph | Link | Span):
            out.append(plain_text(node.children))
    return "".join(out)
