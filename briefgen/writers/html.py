"""HTML writer: ``ir.Document`` -> one self-contained HTML5 page (UTF-8 bytes).

The page carries its own CSS in a ``<style>`` element, generated from the style sheet:
one class per semantic style the document uses (fonts from the font role's Word names
plus a generic family, size, weight, italics, colour, background, margins, alignment,
borders for tables and boxed paragraphs). Nothing is loaded from elsewhere and there is
no JavaScript. Lists show the language's labels (zh-TW 一、 （一） 1、 （1）, English 1. a. i.)
as text, exactly as in the PDF, rather than the browser's list markers. The footer
(``Page {page} of {pages}``) and running header are page furniture and are left out; a
page break is a CSS ``break-after: page``. Every text and attribute is escaped, and the
same document and style sheet always give the same bytes.

``write_html_multi`` puts several documents (e.g. the zh-TW and English memo) on one page,
each in its own ``<div lang=…>`` with its style sheet's CSS scoped to it (used for the
HTML part of an e-mail).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from html import escape
from typing import Any

from .. import ir
from ..errors import BriefgenError, TemplateError
from ..numbering import bullet_label, ordered_label
from ..styles import StyleSheet, length

__all__ = ["write_html", "write_html_multi"]

#: Structural classes (not style-sheet styles) carry this prefix.
_PREFIX = "bg-"
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
_CLASS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_INLINE_KEYS = ("font", "size", "bold", "italic", "color", "underline", "background")
_GENERIC = {"sans": "sans-serif", "mono": "monospace"}
# Contexts a semantic style is used in, strongest first: decides which properties its
# one CSS class carries.
_CONTEXTS = ("rule", "cell", "block", "inline")


def _num(value: float) -> str:
    """A CSS number: ``10.5``, ``4``, ``0.6`` (no trailing zeros, deterministic)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pt(value: Any) -> str:
    points = length(value)
    return "0" if points == 0 else f"{_num(points)}pt"


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _label_em(label: str) -> float:
    """Approximate width of a list label in em (full-width characters are 1 em)."""
    width = 0.0
    for char in label:
        width += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6
    return width


class _Renderer:
    """Renders one document's blocks to HTML and records the styles it used."""

    def __init__(self, doc: ir.Document, sheet: StyleSheet) -> None:
        self.doc = doc
        self.sheet = sheet
        self.lang = doc.meta.lang or sheet.lang
        #: semantic style -> class name, in order of first use.
        self.classes: dict[str, str] = {}
        #: semantic style -> contexts it is used in.
        self.contexts: dict[str, set[str]] = {}
        #: hanging indents used by lists, in tenths of an em.
        self.hangs: set[int] = set()
        self.out: list[str] = []

    # Attributes -----------------------------------------------------------------------

    def use(self, style: str, context: str) -> str:
        """The class of semantic style ``style`` (checked against the sheet)."""
        if style not in self.classes:
            self.sheet.style(style)  # raises TemplateError for an unknown style
            base = _CLASS_UNSAFE.sub("_", style)
            if not base or not base[0].isalpha() or base.startswith(_PREFIX):
                base = f"s-{base}"
            taken = set(self.classes.values())
            name, n = base, 2
            while name in taken:
                name, n = f"{base}-{n}", n + 1
            self.classes[style] = name
        self.contexts.setdefault(style, set()).add(context)
        return self.classes[style]

    def attrs(self, node: ir.Node | None, style: str | None, context: str, extra: str = "") -> str:
        """`` class="…" lang="…"`` for a node (``style`` overrides the node's own)."""
        classes = [c for c in (extra,) if c]
        if style:
            classes.insert(0, self.use(style, context))
        out = f' class="{_esc(" ".join(classes))}"' if classes else ""
        if node is not None and node.lang:
            out += f' lang="{_esc(node.lang)}"'
        return out

    # Inlines --------------------------------------------------------------------------

    def inlines(self, nodes: Sequence[ir.Inline]) -> str:
        parts: list[str] = []
        for node in nodes:
            if isinstance(node, ir.Text):
                text = _esc(node.text)
                if node.style or node.lang:
                    text = f"<span{self.attrs(node, node.style, 'inline')}>{text}</span>"
                parts.append(text)
            elif isinstance(node, ir.LineBreak):
                parts.append("<br>")
            elif isinstance(node, ir.Strong):
                attrs = self.attrs(node, node.style, "inline")
                parts.append(f"<strong{attrs}>{self.inlines(node.children)}</strong>")
            elif isinstance(node, ir.Emph):
                attrs = self.attrs(node, node.style, "inline")
                parts.append(f"<em{attrs}>{self.inlines(node.children)}</em>")
            elif isinstance(node, ir.Span):
                attrs = self.attrs(node, node.style, "inline")
                parts.append(f"<span{attrs}>{self.inlines(node.children)}</span>")
            elif isinstance(node, ir.Note):
                attrs = self.attrs(node, node.style, "inline", f"{_PREFIX}note")
                parts.append(f"<span{attrs}>{self.inlines(node.children)}</span>")
            elif isinstance(node, ir.Link):
                attrs = self.attrs(node, node.style, "inline")
                inner = self.inlines(node.children)
                if _SAFE_HREF.match(node.href.strip()):
                    parts.append(f'<a href="{_esc(node.href.strip())}"{attrs}>{inner}</a>')
                else:  # not http(s), mailto or a fragment: text only, never a script URL
                    parts.append(f"<span{attrs}>{inner}</span>")
            else:
                raise BriefgenError(f"HTML writer: unknown inline {type(node).__name__}")
        return "".join(parts)

    # Blocks ---------------------------------------------------------------------------

    def blocks(
        self,
        blocks: Sequence[ir.Block],
        depth: int = 0,
        inherited: str | None = None,
        in_cell: bool = False,
    ) -> None:
        for block in blocks:
            self.block(block, depth, inherited, in_cell)

    def para(
        self,
        node: ir.Node | None,
        inlines: Sequence[ir.Inline],
        style: str | None,
        prefix: str = "",
    ) -> None:
        attrs = self.attrs(node, style, "block")
        self.out.append(f"<p{attrs}>{prefix}{self.inlines(inlines)}</p>")

    def heading_style(self, block: ir.Heading) -> str:
        if block.style:
            return block.style
        if block.level == 1:
            return "title"
        name = f"heading{block.level - 1}"
        return name if self.sheet.has(name) else "heading2"

    def block(self, block: ir.Block, depth: int, inherited: str | None, in_cell: bool) -> None:
        if isinstance(block, ir.Heading):
            level = min(max(block.level, 1), 6)
            attrs = self.attrs(block, self.heading_style(block), "block")
            if block.id:
                attrs += f' id="{_esc(block.id)}"'
            self.out.append(f"<h{level}{attrs}>{self.inlines(block.children)}</h{level}>")
        elif isinstance(block, ir.Para):
            # Inside a table cell the cell carries the style; its paragraphs inherit it.
            style = block.style or (None if in_cell else inherited or "body")
            self.para(block, block.children, style)
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            self.list_(block, depth)
        elif isinstance(block, ir.DefinitionList):
            self.out.append(f"<dl{self.attrs(block, None, 'block')}>")
            for term, body in block.items:
                attrs = self.attrs(None, block.style or "body", "block")
                self.out.append(f"<dt{attrs}><strong>{self.inlines(term)}</strong></dt>")
                self.out.append("<dd>")
                self.blocks(body, depth)
                self.out.append("</dd>")
            self.out.append("</dl>")
        elif isinstance(block, ir.Table):
            self.table(block)
        elif isinstance(block, ir.BlockQuote):
            self.out.append(f"<blockquote{self.attrs(block, None, 'block')}>")
            self.blocks(block.blocks, depth, block.style, in_cell)
            self.out.append("</blockquote>")
        elif isinstance(block, ir.Rule):
            self.out.append(f"<hr{self.attrs(block, block.style or 'rule', 'rule')}>")
        elif isinstance(block, ir.PageBreak):
            self.out.append(f'<div class="{_PREFIX}page-break"></div>')
        elif isinstance(block, ir.Div):
            self.out.append(f"<div{self.attrs(block, None, 'block')}>")
            self.blocks(block.blocks, depth, block.style or inherited, in_cell)
            self.out.append("</div>")
        else:
            raise BriefgenError(f"HTML writer: unknown block {type(block).__name__}")

    def list_(self, block: ir.OrderedList | ir.BulletList, depth: int) -> None:
        """A list with explicit labels, laid out with a hanging indent as in the PDF."""
        ordered = isinstance(block, ir.OrderedList)
        start = block.start if isinstance(block, ir.OrderedList) else 1
        labels = [
            ordered_label(self.lang, depth, start + i)
            if ordered
            else bullet_label(self.lang, depth)
            for i in range(len(block.items))
        ]
        hang = max(1, round((max((_label_em(x) for x in labels), default=1.0) + 0.35) * 10))
        self.hangs.add(hang)
        tag = "ol" if ordered else "ul"
        start_attr = f' start="{start}"' if ordered and start != 1 else ""
        self.out.append(f"<{tag}{self.attrs(block, None, 'block', f'{_PREFIX}list')}{start_attr}>")
        style = block.style or "list"
        for label, item in zip(labels, block.items, strict=True):
            self.out.append(f"<li{self.attrs(item, None, 'block', f'{_PREFIX}hang-{hang}')}>")
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            para_style = first.style if first and first.style else (item.style or style)
            mark = f'<span class="{_PREFIX}label">{_esc(label)}</span>'
            self.para(first, first.children if first else [], para_style, mark)
            self.blocks(blocks, depth + (1 if ordered else 0))
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def table(self, block: ir.Table) -> None:
        style = block.style or "table"
        self.out.append(f"<table{self.attrs(block, style, 'cell', f'{_PREFIX}table')}>")
        groups = (
            ("thead", block.rows[: block.header_rows]),
            ("tbody", block.rows[block.header_rows :]),
        )
        for group, rows in groups:
            if not rows:
                continue
            self.out.append(f"<{group}>")
            for row in rows:
                line = ["<tr>"]
                for cell in row:
                    cell_style = cell.style or (
                        f"{style}-header"
                        if cell.header and self.sheet.has(f"{style}-header")
                        else style
                    )
                    tag = "th" if cell.header else "td"
                    scope = ' scope="col"' if cell.header and group == "thead" else ""
                    if cell.header and group != "thead":
                        scope = ' scope="row"'
                    line.append(f"<{tag}{self.attrs(cell, cell_style, 'cell')}{scope}>")
                    line.append(self.cell_content(cell, cell_style))
                    line.append(f"</{tag}>")
                line.append("</tr>")
                self.out.append("".join(line))
            self.out.append(f"</{group}>")
        self.out.append("</table>")

    def cell_content(self, cell: ir.Cell, style: str) -> str:
        """A cell's blocks; a single plain paragraph goes straight into the cell."""
        if len(cell.blocks) == 1:
            only = cell.blocks[0]
            if isinstance(only, ir.Para) and not only.style and not only.lang:
                return self.inlines(only.children)
        saved, self.out = self.out, []
        try:
            self.blocks(cell.blocks, 0, style, in_cell=True)
            return "".join(self.out)
        finally:
            self.out = saved

    # CSS ------------------------------------------------------------------------------

    def font_family(self, role_name: str) -> str:
        role = self.sheet.font_role(role_name)
        names: list[str] = []
        for name in (role.docx_latin, role.docx_east_asia, role.docx_east_asia_hans):
            if name and name not in names:
                names.append(name)
        generic = next(
            (g for key, g in _GENERIC.items() if key in role_name.lower()),
            "serif",
        )
        quoted = ['"' + n.replace("\\", "").replace('"', "") + '"' for n in names]
        return ", ".join([*quoted, generic])

    def text_props(self, props: dict[str, Any], full: bool) -> list[str]:
        """Declarations for font, size, weight, style, colour (and, if ``full``, the
        ones a block always sets so the browser's defaults do not leak in)."""
        out: list[str] = []
        if "font" in props:
            out.append(f"font-family: {self.font_family(str(props['font']))}")
        if "size" in props:
            out.append(f"font-size: {_num(float(props['size']))}pt")
        if full and "leading" in props:
            out.append(f"line-height: {_num(float(props['leading']))}")
        if full or "bold" in props:
            out.append(f"font-weight: {'bold' if props.get('bold') else 'normal'}")
        if full or "italic" in props:
            out.append(f"font-style: {'italic' if props.get('italic') else 'normal'}")
        if props.get("color"):
            out.append(f"color: {_color(props['color'])}")
        if props.get("underline"):
            out.append("text-decoration: underline")
        return out

    def declarations(self, style: str) -> list[str]:
        contexts = self.contexts.get(style, set())
        context = next(c for c in _CONTEXTS if c in contexts)
        props = self.sheet.style(style)
        if context == "inline":
            return self.inline_declarations(style)
        if context == "rule":
            width = _num(float(props.get("border_width", 0.5)))
            colour = _color(props.get("border_color", "#999999"))
            return [
                "border: 0",
                f"border-top: {width}pt solid {colour}",
                "height: 0",
                f"margin: {_pt(props.get('space_before', 2))} 0 "
                f"{_pt(props.get('space_after', 2))} 0",
            ]
        out = self.text_props(props, full=True)
        out.append(
            f"margin: {_pt(props.get('space_before', 0))} 0 "
            f"{_pt(props.get('space_after', 0))} {_pt(props.get('indent', 0))}"
        )
        if props.get("first_line_indent"):
            out.append(f"text-indent: {_pt(props['first_line_indent'])}")
        if props.get("align"):
            out.append(f"text-align: {props['align']}")
        if props.get("background"):
            out.append(f"background-color: {_color(props['background'])}")
        boxed = context == "cell" or bool(props.get("background"))
        if boxed and props.get("border_color"):
            width = _num(float(props.get("border_width", 0.5)))
            out.append(f"border: {width}pt solid {_color(props['border_color'])}")
        if boxed and props.get("padding"):
            out.append(f"padding: {_pt(props['padding'])}")
        if props.get("keep_with_next"):
            out.append("break-after: avoid")
        if context == "cell":
            out.append("vertical-align: top")
        return out

    def inline_declarations(self, style: str) -> list[str]:
        """Only the style's own text properties (and a named parent's), as the PDF does."""
        own = dict((self.sheet.data.get("styles") or {}).get(style) or {})
        parent = own.pop("parent", None)
        merged = {**(self.sheet.style(parent) if parent else {}), **own}
        props = {k: v for k, v in merged.items() if k in _INLINE_KEYS}
        out = self.text_props(props, full=False)
        if props.get("background"):
            out.append(f"background-color: {_color(props['background'])}")
        return out

    def css(self, scope: str) -> list[str]:
        """The rules for the styles used, each selector prefixed by ``scope``."""
        body = self.sheet.style("body")
        base = self.text_props(body, full=True)
        if body.get("align"):
            base.append(f"text-align: {body['align']}")
        rules = [(scope.strip() or "body", base)]
        for style, name in self.classes.items():
            rules.append((f"{scope}.{name}", self.declarations(style)))
        for hang in sorted(self.hangs):
            em = _num(hang / 10)
            rules.append((f"{scope}.{_PREFIX}hang-{hang}", [f"padding-left: {em}em"]))
            rules.append(
                (
                    f"{scope}.{_PREFIX}hang-{hang} > p > .{_PREFIX}label",
                    [f"margin-left: -{em}em", f"width: {em}em"],
                )
            )
        return [f"{selector} {{ {'; '.join(decls)}; }}" for selector, decls in rules if decls]


def _color(value: Any) -> str:
    text = str(value).strip()
    if re.fullmatch(r"#?[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?", text):
        return "#" + text.lstrip("#").lower()
    if re.fullmatch(r"[A-Za-z]+", text):
        return text.lower()
    raise TemplateError(f"style sheet: {value!r} is not a colour")


def _structural_css(scope: str) -> list[str]:
    p = _PREFIX
    return [
        f"{scope}.{p}list {{ list-style: none; margin: 0; padding: 0; }}",
        f"{scope}.{p}list > li {{ margin: 0; }}",
        f"{scope}.{p}label {{ display: inline-block; text-indent: 0; white-space: nowrap; }}",
        f"{scope}.{p}table {{ border-collapse: collapse; margin: 4pt 0 8pt 0; }}",
        f"{scope}td > p, {scope}th > p {{ margin: 0; }}",
        f"{scope}th {{ text-align: left; }}",
        f"{scope}dd, {scope}blockquote {{ margin: 0 0 0 18pt; }}",
        f"{scope}.{p}note {{ font-size: 0.8em; }}",
        f"{scope}.{p}page-break {{ break-after: page; height: 0; }}",
        f"{scope}a {{ color: inherit; text-decoration: underline; }}",
    ]


def _page_css(sheet: StyleSheet) -> list[str]:
    width, _height = sheet.page_size
    text_width = width - sheet.margin("left") - sheet.margin("right")
    margins = " ".join(_pt(sheet.margin(s)) for s in ("top", "right", "bottom", "left"))
    return [
        f"@page {{ size: {sheet.paper}; margin: {margins}; }}",
        "html { background: #ffffff; }",
        f"body {{ max-width: {_num(text_width)}pt; margin: 2em auto; padding: 0 1em; }}",
        "@media print { body { max-width: none; margin: 0; padding: 0; } }",
    ]


def _head(meta: ir.Meta, css: list[str]) -> list[str]:
    out = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(meta.title)}</title>",
    ]
    if meta.subject:
        out.append(f'<meta name="description" content="{_esc(meta.subject)}">')
    if meta.keywords:
        out.append(f'<meta name="keywords" content="{_esc(", ".join(meta.keywords))}">')
    if meta.author:
        out.append(f'<meta name="author" content="{_esc(meta.author)}">')
    if meta.date:
        out.append(f'<meta name="dcterms.date" content="{_esc(meta.date)}">')
    out.append('<meta name="generator" content="briefgen">')
    out.append("<style>")
    out.extend(css)
    out.append("</style>")
    return out


def _page(lang: str, head: list[str], body: list[str]) -> bytes:
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(lang)}">',
        "<head>",
        *head,
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def write_html(doc: ir.Document, sheet: StyleSheet) -> bytes:
    """``doc`` as a self-contained HTML5 page styled by ``sheet`` (UTF-8 bytes)."""
    renderer = _Renderer(doc, sheet)
    renderer.blocks(doc.blocks)
    css = [*_page_css(sheet), *renderer.css(""), *_structural_css("")]
    return _page(doc.meta.lang or sheet.lang, _head(doc.meta, css), renderer.out)


def write_html_multi(
    parts: Sequence[tuple[ir.Document, StyleSheet]],
    *,
    title: str | None = None,
    lang: str | None = None,
) -> bytes:
    """Several documents on one page, each in ``<div lang=…>`` with its own scoped CSS
    and separated by a rule; ``title``/``lang`` default to the first document's."""
    if not parts:
        raise ValueError("write_html_multi needs at least one document")
    first_doc, first_sheet = parts[0]
    css = list(_page_css(first_sheet))
    body: list[str] = []
    for index, (doc, sheet) in enumerate(parts, start=1):
        scope_class = f"{_PREFIX}doc-{index}"
        renderer = _Renderer(doc, sheet)
        renderer.blocks(doc.blocks)
        css.extend(renderer.css(f".{scope_class} "))
        css.extend(_structural_css(f".{scope_class} "))
        if index > 1:
            body.append(f'<hr class="{_PREFIX}separator">')
        doc_lang = _esc(doc.meta.lang or sheet.lang)
        body.append(f'<div class="{scope_class}" lang="{doc_lang}">')
        body.extend(renderer.out)
        body.append("</div>")
    css.append(
        f".{_PREFIX}separator {{ border: 0; border-top: 1pt solid #bcccdc; margin: 24pt 0; }}"
    )
    meta = ir.Meta(
        title=title if title is not None else first_doc.meta.title,
        lang=lang or first_doc.meta.lang,
        author=first_doc.meta.author,
        subject=first_doc.meta.subject,
        keywords=list(first_doc.meta.keywords),
        date=first_doc.meta.date,
    )
    return _page(meta.lang or first_sheet.lang, _head(meta, css), body)
