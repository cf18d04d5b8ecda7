"""ODT writer (odfdo): ``ir.Document`` -> OpenDocument Text bytes.

The same IR as the other writers, styled by the same style sheet under the names the DOCX
writer gives its Word styles: the body is LibreOffice's default paragraph style
("Standard", Word's "Normal"), headings are "Title" and "Heading 1…3", every other
semantic style a paragraph style "Memo <name>" and, used on a span, a character style
"Memo <name> (text)" — fonts (Latin and East Asian), sizes, weight, colour, spacing,
leading, alignment and keep-with-next from the sheet. The default style carries the
document's language: a zh-TW memo's as the East Asian language
(``style:language-asian``/``style:country-asian``) with English for its Latin-script
words (``fo:language``: marked Chinese, LibreOffice breaks them anywhere), an English
memo's as ``fo:language`` with zh-TW for its East Asian text. A span marked with another
language gets its own, and text marked Simplified Chinese the font role's
``docx_east_asia_hans`` font.

Lists are real ODF list styles: zh-TW 一、（一）1、（1）甲、（甲） (LibreOffice's
``一, 二, 三, ...`` and ``甲, 乙, 丙, ...`` number formats), English 1. a. i. A.,
bullets • ◦ ▪; each list restarts its numbering, and labels follow the IR's rule (the
depth of ordered lists), as in the PDF. Tables repeat their header rows on every page
(``table:table-header-rows``); a table inside a list item (which ODF lists cannot hold)
follows the list. Notes stay inline, as in the DOCX. The page (paper, margins) comes
from the sheet; the running header (with the letterhead logo) and the footer
(``{page}``/``{pages}`` as ``text:page-number`` and ``text:page-count`` fields) sit in
the margins as in the PDF. Every font is declared in ``office:font-face-decls`` from one
list (``odt_styles.font_faces``). settings.xml asks LibreOffice to space paragraphs as
the PDF does.

Output is byte-reproducible: no dates in meta.xml, ``mimetype`` stored first, fixed zip
timestamps and order. Nothing touches disk: ``write_odt`` returns the bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from odfdo import (
    Cell,
    Column,
    ConfigItem,
    ConfigItemSet,
    Document,
    Element,
    Frame,
    HeaderRows,
    LineBreak,
    Row,
    Spacer,
    Style,
    StyleMasterPage,
    Tab,
    Table,
    VarPageCount,
    VarPageNumber,
)

from .. import ir
from ..errors import BriefgenError
from ..languages import LANGUAGES, for_code
from ..styles import StyleSheet, is_hans, length
from . import odt_styles as st
from .embed import embeddable, subset_fonts
from .layout import (
    SHEET_FOR_HEADING,
    WORD_HEADING,
    column_widths,
    estimated_cell,
    inline_format,
)

__all__ = ["MIMETYPE", "write_odt"]

MIMETYPE = "application/vnd.oasis.opendocument.text"
#: The ODF version written (every feature used is ODF 1.2, ISO/IEC 26300).
ODF_VERSION = "1.2"
#: Zip timestamp of every entry (the earliest a zip can hold).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BODY = "Standard"
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
_TEXT_SPLIT = re.compile(r"(\t|\r\n|\r|\n| {2,})")
_COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Height of the letterhead logo in the running header (points), as in the DOCX.
_LOGO_HEIGHT = 24.0


_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML_RE.sub("", text)


def _append_text(parent: Element, text: str) -> None:
    """Append ``text`` to ``parent`` exactly: tabs as ``text:tab``, line ends as
    ``text:line-break``, runs of spaces and a leading space as ``text:s`` (ODF collapses
    white space in character data); characters XML cannot hold are left out."""
    for piece in _TEXT_SPLIT.split(_xml_text(text)):
        if not piece:
            continue
        if piece == "\t":
            parent.append(Tab())
        elif piece in ("\r\n", "\r", "\n"):
            parent.append(LineBreak())
        elif piece.startswith("  "):
            parent.append(Spacer(len(piece)))
        else:
            if piece.startswith(" "):
                parent.append(Spacer(1))
                piece = piece[1:]
            children = parent.children
            if children:
                children[-1].tail = (children[-1].tail or "") + piece
            else:
                parent.text = parent.text + piece


def _column_name(index: int) -> str:
    """A, B, … Z, AA, AB … (as LibreOffice names table columns)."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = _COLUMN_LETTERS[rem] + name
    return name


class _Writer:
    """Builds one document; ``build`` returns its bytes."""

    def __init__(self, doc: ir.Document, sheet: StyleSheet) -> None:
        self.doc = doc
        self.sheet = sheet
        self.lang = doc.meta.lang or sheet.lang
        # Semantic style -> whether a block paragraph (True) or only table cells use it.
        self._para_used: dict[str, bool] = {}
        self._char_used: list[str] = []
        self._list_styles: dict[tuple[bool, int], str] = {}
        # Automatic styles (content.xml), in order of first use.
        self._auto: list[Element] = []
        self._text_auto: dict[tuple[Any, ...], str] = {}
        self._para_auto: dict[tuple[str, float, bool], str] = {}
        self._cell_auto: dict[tuple[str, ...], str] = {}
        self._tables = 0
        # Pictures of the package: (path, bytes, media type).
        self.pictures: list[tuple[str, bytes, str]] = []
        # Tables met inside list items (ODF lists cannot hold tables): written after the
        # outermost list.
        self._deferred: list[ir.Table] = []

    # Style names ----------------------------------------------------------------------

    def para_style(self, name: str, block: bool = True) -> str:
        """The ODF paragraph style of semantic style ``name`` (checked against the
        sheet); ``block`` False for a table cell's paragraph (no box drawn)."""
        if name == "body":
            return _BODY
        self.sheet.style(name)  # raises TemplateError for an unknown style
        self._para_used[name] = self._para_used.get(name, False) or block
        return st.style_name(self._display(name))

    @staticmethod
    def _display(name: str) -> str:
        return WORD_HEADING.get(name) or f"Memo {name}"

    def char_style(self, name: str) -> str:
        """The ODF character style of semantic style ``name``."""
        self.sheet.style(name)
        if name not in self._char_used:
            self._char_used.append(name)
        return st.style_name(f"Memo {name} (text)")

    def _auto_style(self, style: Element) -> str:
        self._auto.append(style)
        return str(style.get_attribute("style:name"))

    def text_auto(self, fmt: dict[str, Any]) -> str | None:
        """An automatic text style for the bold, italic, underline and language of
        ``fmt`` (None when it sets none; the document's own language needs none)."""
        lang = fmt.get("lang")
        if lang == self.lang:  # the default style's already
            lang = None
        hans_role = fmt.get("role", "serif") if lang and is_hans(lang) else None
        flags = (bool(fmt.get("bold")), bool(fmt.get("italic")), bool(fmt.get("underline")))
        key = (*flags, lang, hans_role)
        if not any(key):
            return None
        if key not in self._text_auto:
            props: dict[str, Any] = {}
            for name, on in zip(("bold", "italic", "underline"), flags, strict=True):
                if on:
                    props[name] = True
            text = st.text_props(self.sheet, props)
            if lang:
                text.update(st.span_langs(lang))
            if hans_role:
                spec = self.sheet.font_role(hans_role)
                text["style:font-name-asian"] = spec.east_asia_for(lang)
            name = f"T{len(self._text_auto) + 1}"
            self._text_auto[key] = self._auto_style(st.new_style("text", name, text=text))
        return self._text_auto[key]

    def para_auto(self, parent: str, indent: float = 0.0, page_break: bool = False) -> str:
        """An automatic paragraph style: ``parent`` with a left indent or a page break."""
        key = (parent, indent, page_break)
        if key not in self._para_auto:
            para: dict[str, str] = {}
            if indent:
                para["fo:margin-left"] = f"{st.num(indent)}pt"
            if page_break:
                para["fo:break-before"] = "page"
            name = f"P{len(self._para_auto) + 1}"
            style = st.new_style("paragraph", name, parent=parent, para=para)
            self._para_auto[key] = self._auto_style(style)
        return self._para_auto[key]

    def list_style(self, ordered: bool, shift: int) -> str:
        """The list style whose level n labels ordered depth n - 1 + ``shift``."""
        key = (ordered, shift)
        if key not in self._list_styles:
            display = "Memo ordered" if ordered else "Memo bullet"
            if shift:
                display += f" {shift:+d}"
            self._list_styles[key] = st.style_name(display)
        return self._list_styles[key]

    # Inlines --------------------------------------------------------------------------

    def inlines(self, parent: Element, nodes: list[ir.Inline], fmt: dict[str, Any]) -> None:
        """Append ``nodes`` to ``parent`` (a paragraph, span or link), formatted by
        ``fmt`` (bold, italic, character style, language, font role)."""
        for node in nodes:
            if isinstance(node, ir.Text):
                self._run(parent, node.text, {**fmt, **self._inline_fmt(node)})
            elif isinstance(node, ir.LineBreak):
                parent.append(LineBreak())
            elif isinstance(node, ir.Strong):
                self.inlines(parent, node.children, {**fmt, **self._inline_fmt(node), "bold": True})
            elif isinstance(node, ir.Emph):
                self.inlines(
                    parent, node.children, {**fmt, **self._inline_fmt(node), "italic": True}
                )
            elif isinstance(node, ir.Span | ir.Note):
                self.inlines(parent, node.children, {**fmt, **self._inline_fmt(node)})
            elif isinstance(node, ir.Link):
                self._link(parent, node, fmt)
            else:
                raise BriefgenError(f"ODT writer: unknown inline {type(node).__name__}")

    def _inline_fmt(self, node: ir.Node) -> dict[str, Any]:
        return inline_format(node, self.sheet, self.char_style)

    def _run(self, parent: Element, text: str, fmt: dict[str, Any]) -> None:
        """``text`` at the end of ``parent``: inside a span of its character style and
        one of its automatic style (bold, italic, language), when it has them."""
        if not text:
            return
        target = parent
        if fmt.get("style"):
            span = Element.from_tag("text:span")
            span.set_attribute("text:style-name", fmt["style"])
            target.append(span)
            target = span
        auto = self.text_auto(fmt)
        if auto:
            span = Element.from_tag("text:span")
            span.set_attribute("text:style-name", auto)
            target.append(span)
            target = span
        _append_text(target, text)

    def _link(self, parent: Element, node: ir.Link, fmt: dict[str, Any]) -> None:
        href = node.href.strip()
        if not _SAFE_HREF.match(href):  # not http(s), mailto or a fragment: text only
            self.inlines(parent, node.children, {**fmt, **self._inline_fmt(node)})
            return
        link = Element.from_tag("text:a")
        link.set_attribute("xlink:type", "simple")
        link.set_attribute("xlink:href", _xml_text(href))
        parent.append(link)
        # Underlined, as the DOCX writer shows links.
        self.inlines(link, node.children, {**fmt, **self._inline_fmt(node), "underline": True})

    # Blocks ---------------------------------------------------------------------------

    def paragraph(
        self,
        parent: Element,
        nodes: list[ir.Inline],
        style: str,
        *,
        lang: str | None = None,
        indent: float = 0.0,
        block: bool = True,
        heading: int = 0,
    ) -> Element:
        """A paragraph (``heading`` > 0: a ``text:h`` of that outline level) of ``nodes``
        in semantic style ``style`` at the end of ``parent``."""
        name = self.para_style(style, block)
        if indent:
            name = self.para_auto(name, indent)
        if heading:
            p = Element.from_tag("text:h")
            p.set_attribute("text:outline-level", str(heading))
        else:
            p = Element.from_tag("text:p")
        p.set_attribute("text:style-name", name)
        parent.append(p)
        role = self.sheet.style(style).get("font", "serif")
        fmt: dict[str, Any] = {"role": role}
        if lang:
            fmt["lang"] = lang
        self.inlines(p, nodes, fmt)
        return p

    def blocks(
        self,
        parent: Element,
        blocks: list[ir.Block],
        *,
        depth: int = 0,
        level: int = 0,
        indent: float = 0.0,
        inherited: str | None = None,
        lang: str | None = None,
        in_cell: bool = False,
        in_item: bool = False,
    ) -> None:
        """Append ``blocks`` to ``parent``. ``depth``: ordered-list nesting (labels);
        ``level``: list nesting (ODF levels); ``in_item``: inside a list item, where
        tables cannot go."""
        for block in blocks:
            self.block(
                parent,
                block,
                depth=depth,
                level=level,
                indent=indent,
                inherited=inherited,
                lang=lang,
                in_cell=in_cell,
                in_item=in_item,
            )

    def block(
        self,
        parent: Element,
        block: ir.Block,
        *,
        depth: int,
        level: int,
        indent: float,
        inherited: str | None,
        lang: str | None,
        in_cell: bool,
        in_item: bool,
    ) -> None:
        lang = block.lang or lang
        common = {"in_cell": in_cell, "in_item": in_item, "lang": lang}
        if isinstance(block, ir.Heading):
            style = (
                block.style
                if block.style and self.sheet.has(block.style)
                else SHEET_FOR_HEADING.get(block.level, "heading2")
            )
            outline = 0 if block.level <= 1 else min(block.level - 1, 10)
            self.paragraph(
                parent, block.children, style, lang=lang, block=not in_cell, heading=outline
            )
        elif isinstance(block, ir.Para):
            style = block.style or inherited or "body"
            self.paragraph(
                parent, block.children, style, lang=lang, indent=indent, block=not in_cell
            )
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            self.list_(parent, block, depth, level, lang, in_cell)
        elif isinstance(block, ir.DefinitionList):
            for term, body in block.items:
                self.paragraph(
                    parent,
                    [ir.Strong(term)],
                    block.style or "body",
                    lang=lang,
                    indent=indent,
                    block=not in_cell,
                )
                self.blocks(parent, body, depth=depth, level=level, indent=indent + 18, **common)
        elif isinstance(block, ir.Table):
            if in_item:
                self._deferred.append(block)
            else:
                self.table(parent, block, lang)
        elif isinstance(block, ir.BlockQuote):
            self.blocks(
                parent,
                block.blocks,
                depth=depth,
                level=level,
                indent=indent + 18,
                inherited=block.style,
                **common,
            )
        elif isinstance(block, ir.Rule):
            p = Element.from_tag("text:p")
            p.set_attribute("text:style-name", self.rule_style(block.style or "rule"))
            parent.append(p)
        elif isinstance(block, ir.PageBreak):
            p = Element.from_tag("text:p")
            p.set_attribute("text:style-name", self.para_auto(_BODY, page_break=True))
            parent.append(p)
        elif isinstance(block, ir.Div):
            self.blocks(
                parent,
                block.blocks,
                depth=depth,
                level=level,
                indent=indent,
                inherited=block.style or inherited,
                **common,
            )
        else:
            raise BriefgenError(f"ODT writer: unknown block {type(block).__name__}")

    def rule_style(self, name: str) -> str:
        """The paragraph style of a horizontal rule in semantic style ``name``."""
        self.sheet.style(name)
        self._para_used.setdefault(f"\0rule:{name}", True)
        return st.style_name(f"Memo {name}")

    def list_(
        self,
        parent: Element,
        block: ir.OrderedList | ir.BulletList,
        depth: int,
        level: int,
        lang: str | None,
        in_cell: bool,
    ) -> None:
        """A ``text:list`` whose labels are those of ordered depth ``depth`` at ODF list
        level ``level + 1``; items' further blocks go inside the item."""
        ordered = isinstance(block, ir.OrderedList)
        outermost = level == 0
        lst = Element.from_tag("text:list")
        lst.set_attribute("text:style-name", self.list_style(ordered, depth - level))
        parent.append(lst)
        style = block.style or "list"
        for index, item in enumerate(block.items):
            element = Element.from_tag("text:list-item")
            if index == 0 and isinstance(block, ir.OrderedList) and block.start != 1:
                element.set_attribute("text:start-value", str(block.start))
            lst.append(element)
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            para_style = first.style if first and first.style else (item.style or style)
            item_lang = (first.lang if first else None) or item.lang or block.lang or lang
            self.paragraph(
                element,
                first.children if first else [],
                para_style,
                lang=item_lang,
                block=not in_cell,
            )
            self.blocks(
                element,
                blocks,
                depth=depth + (1 if ordered else 0),
                level=level + 1,
                lang=item.lang or block.lang or lang,
                in_cell=in_cell,
                in_item=True,
            )
        if outermost and not in_cell:
            deferred, self._deferred = self._deferred, []
            for table in deferred:
                self.table(parent, table, lang)

    def cell_style(self, name: str) -> str:
        """An automatic table-cell style: the borders, padding and background of
        semantic style ``name``."""
        props = self.sheet.style(name)
        border = ""
        if props.get("border_color"):
            width = float(props.get("border_width", 0.5))
            border = f"{st.num(width)}pt solid #{props['border_color'].lstrip('#').lower()}"
        pad = st.pt(props.get("padding", 3))
        background = props.get("background", "")
        key = (border, pad, background)
        if key not in self._cell_auto:
            cell: dict[str, str] = {"fo:padding": pad}
            if border:
                cell["fo:border"] = border
            if background:
                cell["fo:background-color"] = "#" + background.lstrip("#").lower()
            name = f"Tc{len(self._cell_auto) + 1}"
            style = st.new_style("table-cell", name, extra={"table-cell": cell})
            self._cell_auto[key] = self._auto_style(style)
        return self._cell_auto[key]

    def table(self, parent: Element, block: ir.Table, lang: str | None) -> None:
        """A table whose columns are sized to their (estimated) content, as the DOCX
        writer sizes them, with header rows repeated on every page."""
        self._tables += 1
        name = f"Table{self._tables}"
        columns = max((len(r) for r in block.rows), default=1)
        style = block.style or "table"
        table_props = self.sheet.style(style)
        # The padding and the border are both inside a cell's width.
        border = (
            float(table_props.get("border_width", 0.5)) if table_props.get("border_color") else 0
        )
        pad = length(table_props.get("padding", 3)) + border
        natural: list[list[float]] = [[] for _ in range(columns)]
        minimum = [0.0] * columns
        rows: list[Row] = []
        for row in block.rows:
            odf_row = Row()
            for c, cell in enumerate(row):
                header_style = f"{style}-header"
                cell_style = cell.style or (
                    header_style if cell.header and self.sheet.has(header_style) else style
                )
                odf_cell = Cell()
                odf_cell.set_attribute("table:style-name", self.cell_style(cell_style))
                odf_cell.set_attribute("office:value-type", "string")
                before = len(odf_cell.children)
                self.blocks(
                    odf_cell,
                    cell.blocks,
                    inherited=cell_style,
                    lang=cell.lang or lang,
                    in_cell=True,
                )
                if len(odf_cell.children) == before:
                    self.paragraph(odf_cell, [], cell_style, block=False)
                odf_row.append(odf_cell)
                nat, least = estimated_cell(cell, self.sheet.style(cell_style), pad)
                natural[c].append(nat)
                minimum[c] = max(minimum[c], least)
            for _ in range(len(row), columns):
                odf_row.append(Cell())
            rows.append(odf_row)
        available = self.sheet.page_size[0] - self.sheet.margin("left") - self.sheet.margin("right")
        widths = column_widths(natural, minimum, available)
        table = Table(name)
        table.set_attribute("table:style-name", name)
        self._auto_style(
            st.new_style(
                "table",
                name,
                extra={"table": {"style:width": f"{st.num(sum(widths))}pt", "table:align": "left"}},
            )
        )
        for c, width in enumerate(widths):
            column_style = f"{name}.{_column_name(c)}"
            self._auto_style(
                st.new_style(
                    "table-column",
                    column_style,
                    extra={"table-column": {"style:column-width": f"{st.num(width)}pt"}},
                )
            )
            table.append(Column(style=column_style))
        header_rows = min(block.header_rows, len(rows))
        if header_rows:
            header = HeaderRows()
            for row in rows[:header_rows]:
                header.append(row)
            table.append(header)
        for row in rows[header_rows:]:
            table.append(row)
        parent.append(table)

    # Styles ---------------------------------------------------------------------------

    def common_styles(self) -> list[Element]:
        """The document's common styles (styles.xml): paragraph styles of the semantic
        styles used (and the body, headings, header and footer), character styles,
        list styles."""
        out: list[Element] = [
            st.new_style(
                "paragraph",
                _BODY,
                parent=None,
                text=st.text_props(self.sheet, self.sheet.style("body")),
                para=st.para_props(self.sheet.style("body"), boxed=True),
            )
        ]
        for key, block in self._para_used.items():
            if key.startswith("\0rule:"):
                out.append(self._rule_style(key.removeprefix("\0rule:")))
                continue
            props = self.sheet.style(key)
            display = self._display(key)
            para = st.para_props(props, boxed=block)
            out.append(
                st.new_style(
                    "paragraph",
                    st.style_name(display),
                    display,
                    _BODY,
                    text=st.text_props(self.sheet, props),
                    para=para,
                )
            )
        styles = self.sheet.data.get("styles") or {}
        for name in self._char_used:
            own = {k: v for k, v in (styles.get(name) or {}).items() if k != "parent"}
            display = f"Memo {name} (text)"
            out.append(
                st.new_style(
                    "text",
                    st.style_name(display),
                    display,
                    text=st.text_props(self.sheet, own),
                )
            )
        size = float(self.sheet.style("list").get("size", 10.5))
        for (ordered, shift), name in self._list_styles.items():
            display = "Memo ordered" if ordered else "Memo bullet"
            if shift:
                display += f" {shift:+d}"
            out.append(st.list_style(name, display, self.lang, ordered, shift, size))
        return out

    def _rule_style(self, name: str) -> Style:
        props = self.sheet.style(name)
        color = props.get("border_color", "#999999").lstrip("#").lower()
        width = float(props.get("border_width", 0.5))
        para = {
            "fo:margin-top": st.pt(props.get("space_before", 0)),
            "fo:margin-bottom": st.pt(props.get("space_after", 0)),
            "fo:border-bottom": f"{st.num(width)}pt solid #{color}",
            "fo:padding": "0pt",
            "fo:line-height": "1pt",
        }
        display = f"Memo {name}"
        # An empty paragraph one point high: only its border shows.
        text = {
            "fo:font-size": "1pt",
            "style:font-size-asian": "1pt",
            "style:font-size-complex": "1pt",
        }
        return st.new_style("paragraph", st.style_name(display), display, _BODY, text, para)

    def _furniture_height(self, name: str) -> float:
        props = self.sheet.style(name)
        return float(props.get("size", 10.5)) * float(props.get("leading", 1.4))

    def page(self, document: Document) -> None:
        """Page layout, master page, running header and footer with page fields."""
        meta = self.doc.meta
        logo = (self.sheet.data.get("letterhead") or {}).get("logo")
        header_height = self._furniture_height("header") if meta.header else 0.0
        if logo:
            header_height = max(header_height, _LOGO_HEIGHT)
        footer_height = self._furniture_height("footer") if meta.footer else 0.0
        styles = document.styles
        automatic = styles.get_element("office:automatic-styles")
        automatic.append(st.page_layout(self.sheet, header_height, footer_height))
        master = StyleMasterPage(name="Standard", page_layout="Mpm1")
        logo = (self.sheet.data.get("letterhead") or {}).get("logo")
        if meta.header or logo:
            p = Element.from_tag("text:p")
            header_style = self.para_style("header")
            if logo:  # lines as high as the picture (the style's own leading is fixed)
                automatic.append(
                    st.new_style(
                        "paragraph", "MP1", parent=header_style, para={"fo:line-height": "100%"}
                    )
                )
                header_style = "MP1"
            p.set_attribute("text:style-name", header_style)
            if logo:
                p.append(self.logo_frame(str(logo)))
                _append_text(p, "  ")
            _append_text(p, meta.header)
            holder = Element.from_tag("style:header")
            holder.append(p)
            master.append(holder)
        if meta.footer:
            p = Element.from_tag("text:p")
            p.set_attribute("text:style-name", self.para_style("footer"))
            rest = meta.footer
            while rest:
                positions = [(rest.find(k), k) for k in ("{page}", "{pages}") if k in rest]
                if not positions:
                    _append_text(p, rest)
                    break
                index, key = min(positions)
                if index:
                    _append_text(p, rest[:index])
                field = VarPageNumber() if key == "{page}" else VarPageCount()
                field.text = "1"
                p.append(field)
                rest = rest[index + len(key) :]
            holder = Element.from_tag("style:footer")
            holder.append(p)
            master.append(holder)
        styles.get_element("office:master-styles").append(master)

    def logo_frame(self, path: str) -> Frame:
        """The letterhead logo (PNG or JPEG) as a picture of the package, in a frame
        ``_LOGO_HEIGHT`` points high set in the header's line, as the DOCX writer puts
        it."""
        try:
            data = Path(path).read_bytes()
            image = DocxImage.from_blob(data)
            ratio = image.px_width / image.px_height
        except (OSError, UnrecognizedImageError, ZeroDivisionError) as exc:
            detail = getattr(exc, "strerror", None) or "not a PNG or JPEG image"
            raise BriefgenError(f"{path}: cannot read the letterhead logo ({detail})") from None
        name = f"Pictures/logo-{hashlib.sha256(data).hexdigest()[:16]}.{image.ext}"
        if all(name != existing for existing, _, _ in self.pictures):
            self.pictures.append((name, data, image.content_type))
        width = f"{st.num(_LOGO_HEIGHT * ratio)}pt"
        size = (width, f"{st.num(_LOGO_HEIGHT)}pt")
        return Frame.image_frame(name, name="logo", size=size, anchor_type="as-char")

    # Package --------------------------------------------------------------------------

    def properties(self, document: Document) -> None:
        """meta.xml: title, subject, keywords, language, creator (the IR's author, as the
        DOCX writer sets it), the audience; no dates."""
        meta = self.doc.meta
        body = document.meta.get_element("office:meta")
        for child in list(body.children):
            body.delete(child)
        generator = Element.from_tag("meta:generator")
        generator.text = "briefgen"
        body.append(generator)
        entries = [
            ("dc:title", meta.title),
            ("dc:subject", meta.subject),
            ("dc:description", meta.subject),
            ("dc:language", _bcp47(meta.lang) if meta.lang else ""),
            ("meta:initial-creator", meta.author),
            ("dc:creator", meta.author),
        ]
        for tag, value in entries:
            if value:
                element = Element.from_tag(tag)
                element.text = _xml_text(value)
                body.append(element)
        for word in meta.keywords:
            if _xml_text(word):
                element = Element.from_tag("meta:keyword")
                element.text = _xml_text(word)
                body.append(element)
        if meta.audience:
            element = Element.from_tag("meta:user-defined")
            element.set_attribute("meta:name", "audience")
            element.text = _xml_text(meta.audience)
            body.append(element)

    @staticmethod
    def settings(document: Document) -> None:
        """settings.xml: only how LibreOffice spaces paragraphs, set as the PDF does —
        between two paragraphs the larger of the space below the first and above the
        second (not their sum), and none above the first paragraph of a page. Other
        consumers ignore these application settings."""
        root = document.settings.get_element("office:settings")
        for child in list(root.children):
            root.delete(child)
        config = ConfigItemSet("ooo:configuration-settings")
        for name in ("AddParaTableSpacing", "AddParaTableSpacingAtStart"):
            config.append(ConfigItem(name, "boolean", value=False))
        # keep the embedded fonts when the user saves the memo again
        config.append(ConfigItem("EmbedFonts", "boolean", value=True))
        root.append(config)

    def build(self) -> bytes:
        document = Document("text")
        text = document.body
        for child in list(text.children):
            text.delete(child)
        self.blocks(text, self.doc.blocks)
        styles_part, content_part = document.styles, document.content
        for name in ("office:automatic-styles", "office:master-styles"):  # the template's
            holder = styles_part.get_element(name)
            for child in list(holder.children):
                holder.delete(child)
        self.page(document)  # before the common styles: it uses header and footer
        faces = st.font_faces(self.sheet)
        for part in (styles_part, content_part):
            root = part.root
            for name in ("office:font-face-decls", "office:automatic-styles"):
                old = root.get_element(name)
                if name == "office:font-face-decls":
                    old.parent.replace_element(old, st.font_face_decls(faces))
                elif part is content_part:
                    for child in list(old.children):
                        old.delete(child)
                    for style in self._auto:
                        old.append(style)
        office_styles = styles_part.get_element("office:styles")
        for child in list(office_styles.children):
            office_styles.delete(child)
        office_styles.append(st.default_paragraph_style(self.sheet, self.lang))
        for style in self.common_styles():
            office_styles.append(style)
        self.properties(document)
        self.settings(document)
        fonts = _embed_fonts(
            document, faces, st.simplified_only_names(self.sheet), _label_text(self.lang)
        )
        return _package(document, [*self.pictures, *fonts])


#: Where embedded fonts go in the package, and their media type (as LibreOffice writes).
_FONT_DIR = "Fonts"
_FONT_MEDIA = "application/x-font-ttf"


def _label_text(lang: str) -> str:
    """Every character list labels may show in ``lang`` (一、 （十二） 3. c. iv. •): the
    word processor writes them from the list styles, so the document text lacks them."""
    language = for_code(lang)
    labels = {
        language.list_level(depth).label(n)
        for depth in range(len(language.list_levels))
        for n in range(1, 100)
    }
    return "".join(sorted(set("".join(labels)))) + "•◦▪"


def _embed_fonts(
    document: Document, faces: list[st.FontFace], hans_names: set[str], labels: str = ""
) -> list[tuple[str, bytes, str]]:
    """Subsets of the faces briefgen ships under the names ``faces`` declares, holding
    every character of the document (its body, header and footer) and of ``labels`` (what
    list numbering may show), in regular and — when
    any style is bold — bold; each linked from its ``style:font-face`` declaration in
    content.xml and styles.xml (``svg:font-face-src``), so LibreOffice sets the memo in
    them on a machine without the fonts. Returns the package members (path, bytes, media
    type). Faces briefgen does not ship (Times New Roman, KaiTi) stay declared by name;
    the Simplified faces (``hans_names``) are embedded only when text is marked zh-CN."""
    text = labels + "".join(
        "".join(part.root.xpath("//text()")) for part in (document.content, document.styles)
    )
    bold = any(
        value == "bold"
        for part in (document.content, document.styles)
        for value in part.root.xpath("//@fo:font-weight")
    )
    styles = ("regular", "bold") if bold else ("regular",)
    simplified = any(
        value == "CN"
        for part in (document.content, document.styles)
        for value in part.root.xpath("//@style:country-asian")
    )
    names = [
        face.name
        for face in faces
        if embeddable(face.name) and (simplified or face.name not in hans_names)
    ]
    subsets = subset_fonts({(name, style): text for name in names for style in styles})
    members: list[tuple[str, bytes, str]] = []
    sources: dict[str, list[str]] = {}
    for font in subsets:
        stem = re.sub(r"[^A-Za-z0-9]+", "", font.name) or f"font{len(members) + 1}"
        path = f"{_FONT_DIR}/{stem}-{font.style}.ttf"
        members.append((path, font.data, _FONT_MEDIA))
        sources.setdefault(font.name, []).append(path)
    for part in (document.content, document.styles):
        for element in part.root.get_elements("//style:font-face"):
            paths = sources.get(element.get_attribute("style:name") or "")
            if paths:
                element.append(_font_face_src(paths))
    return members


def _font_face_src(paths: list[str]) -> Element:
    """``svg:font-face-src`` linking the embedded TrueType files ``paths``."""
    src = Element.from_tag("svg:font-face-src")
    for path in paths:
        uri = Element.from_tag("svg:font-face-uri")
        uri.set_attribute("xlink:href", path)
        uri.set_attribute("xlink:type", "simple")
        form = Element.from_tag("svg:font-face-format")
        form.set_attribute("svg:string", "truetype")
        uri.append(form)
        src.append(uri)
    return src


def _bcp47(code: str) -> str:
    registered = LANGUAGES.get(code)
    return registered.bcp47 if registered is not None else code


def _manifest(parts: list[tuple[str, str]]) -> bytes:
    """META-INF/manifest.xml listing the package and ``parts`` (path, media type)."""
    manifest = Element.from_tag("manifest:manifest")
    manifest.set_attribute("manifest:version", ODF_VERSION)
    for path, media in [("/", MIMETYPE), *parts]:
        entry = Element.from_tag("manifest:file-entry")
        entry.set_attribute("manifest:full-path", path)
        if path == "/":
            entry.set_attribute("manifest:version", ODF_VERSION)
        entry.set_attribute("manifest:media-type", media)
        manifest.append(entry)
    xml = manifest.serialize(with_ns=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode("utf-8")


def _part_bytes(part: Any) -> bytes:
    part.root.set_attribute("office:version", ODF_VERSION)
    return part.serialize()


def _package(document: Document, pictures: list[tuple[str, bytes, str]]) -> bytes:
    """The ODF package: ``mimetype`` first and stored, then content, styles, meta,
    settings, the ``pictures`` (path, bytes, media type) and the manifest, deflated,
    every entry with the same fixed timestamp and mode."""
    members = [
        ("content.xml", _part_bytes(document.content)),
        ("styles.xml", _part_bytes(document.styles)),
        ("meta.xml", _part_bytes(document.meta)),
        ("settings.xml", _part_bytes(document.settings)),
    ]
    listed = [(n, "text/xml") for n, _ in members]
    for name, data, media in pictures:
        members.append((name, data))
        listed.append((name, media))
    members.append(("META-INF/manifest.xml", _manifest(listed)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entry = zipfile.ZipInfo("mimetype", date_time=_ZIP_TIME)
        entry.compress_type = zipfile.ZIP_STORED
        entry.external_attr = 0o644 << 16
        archive.writestr(entry, MIMETYPE.encode("ascii"))
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


def write_odt(doc: ir.Document, sheet: StyleSheet) -> bytes:
    """Build ``doc`` as an OpenDocument Text file styled by ``sheet``; return its bytes
    (nothing is written anywhere). An unknown style name raises ``TemplateError``
    (a ``BriefgenError``)."""
    return _Writer(doc, sheet).build()
