"""The strict markup templates emit (a small HTML subset) -> ``ir.Document``.

Allowed elements: ``meta`` (name/content: title, subject, author, keywords, audience,
date, header, footer), h1-h4, p, ul, ol, li, dl, dt, dd, table, thead, tbody, tr, th, td,
blockquote, hr, div, section, strong, b, em, i, a, span, br. Allowed attributes: class
(the style name), lang, id, href (a), start (ol). Anything else is a ``Diagnostic``
naming the element, line and column (``read_markup`` finds them all; ``parse_markup``, as
a build uses it, stops at the first with a ``TemplateError``), so a template cannot
produce structure the writers do not know.

Whitespace follows HTML rules, except that a line break between two Chinese characters
disappears instead of becoming a space, and spaces next to full-width punctuation go.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .. import ir
from ..diagnostics import Diagnostic, DiagnosticError, Severity

_BLOCK_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "hr",
    "div",
    "section",
}
_INLINE_TAGS = {"strong", "b", "em", "i", "a", "span", "br"}
_VOID = {"br", "hr", "meta"}
_ATTRS = {"class", "lang", "id", "href", "start", "name", "content"}
_META_FIELDS = {
    "title",
    "subject",
    "author",
    "keywords",
    "audience",
    "date",
    "header",
    "footer",
    "max_pages",
}
#: Runs of whitespace collapse to one space, except the ideographic space (U+3000), which
#: Chinese documents write on purpose (「簽　於」, 「敬陳　署長」).
_WS_RE = re.compile(r"[^\S\u3000]+")
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_WIDE_NL_RE = re.compile(rf"(?<={_WIDE})[^\S\u3000]*\n[^\S\u3000]*(?={_WIDE})")


#: Style names the writers know without a style-sheet entry: ``<hr class="page-break">``.
SPECIAL_CLASSES = frozenset({("hr", "page-break")})


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str], line: int, column: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.column = column
        self.children: list[_Element | str] = []


class _Findings:
    """The diagnostics of one markup document, in the order they are found."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.found: list[Diagnostic] = []

    def add(
        self, line: int, column: int, code: str, message: str, severity: Severity = "error"
    ) -> None:
        self.found.append(Diagnostic(self.origin, line, column + 1, severity, code, message))


class _TreeBuilder(HTMLParser):
    """The element tree of the markup. Never stops: an unknown element is reported and
    left out (its content kept), an attribute that is not allowed is reported and
    dropped, a stray end tag is reported and ignored (or closes the open elements up to
    its own). With ``styles``, a ``class`` naming no style is reported too."""

    def __init__(self, findings: _Findings, styles: Container[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.findings = findings
        self.styles = styles
        self.root = _Element("root", {}, 1, 0)
        self.stack = [self.root]
        self.unknown: set[str] = set()

    def _at(self, raw: str, attribute: str) -> tuple[int, int]:
        """Line (1-based) and column (0-based) of ``attribute`` in the start tag being
        parsed, whose text is ``raw`` (those of the tag when it is not found)."""
        line, column = self.getpos()
        m = re.search(rf"\s{re.escape(attribute)}(?=[\s=/>]|$)", raw, re.I)
        if m is None:
            return line, column
        before = raw[: m.start() + 1]
        newlines = before.count("\n")
        if not newlines:
            return line, column + len(before)
        return line + newlines, len(before) - before.rfind("\n") - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        if tag not in _BLOCK_TAGS | _INLINE_TAGS | {"meta"}:
            self.findings.add(line, column, "markup.element", f"unknown element <{tag}>")
            self.unknown.add(tag)
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            if name not in _ATTRS:
                at = self._at(raw, name)
                message = f"attribute {name!r} is not allowed on <{tag}>"
                self.findings.add(*at, "markup.attribute", message)
                continue
            values[name] = value or ""
        style = values.get("class", "")
        known = self.styles is None or style in self.styles or (tag, style) in SPECIAL_CLASSES
        if style and not known:
            message = f"unknown style class {style!r} (not in the style sheet)"
            self.findings.add(*self._at(raw, "class"), "markup.class", message, "warning")
        element = _Element(tag, values, line, column)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        depth = len(self.stack)
        self.handle_starttag(tag, attrs)
        if len(self.stack) > depth:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag in self.unknown:
            return
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            open_tag = self.stack[-1].tag if len(self.stack) > 1 else "nothing"
            line, column = self.getpos()
            self.findings.add(line, column, "markup.nesting", f"</{tag}> closes {open_tag}")
            open_tags = [e.tag for e in self.stack[1:]]
            if tag in open_tags:
                del self.stack[len(open_tags) - open_tags[::-1].index(tag) :]
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        self.findings.add(*self.getpos(), "markup.declaration", "declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        message = "processing instructions are not allowed"
        self.findings.add(*self.getpos(), "markup.declaration", message)


@dataclass
class MarkupResult:
    """What ``read_markup`` made of some markup: the document (as far as it could be
    read: what the diagnostics name is left out) and every problem, in the order found."""

    document: ir.Document
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def read_markup(
    markup: str,
    origin: str = "template",
    lang: str | None = None,
    styles: Container[str] | None = None,
) -> MarkupResult:
    """Read template output into a Document, finding every problem rather than stopping
    at the first: unknown elements, attributes and meta names, what may not go inside
    what, unclosed elements, bad links and list starts, a missing title; with
    ``styles`` (the style names of the memo's style sheet) also ``class`` values naming
    no style (warnings). Positions are lines and columns of ``markup``; ``origin`` is
    the diagnostics' file."""
    findings = _Findings(origin)
    builder = _TreeBuilder(findings, styles)
    builder.feed(markup)
    builder.close()
    if len(builder.stack) > 1:
        element = builder.stack[-1]
        message = f"<{element.tag}> is never closed"
        findings.add(element.line, element.column, "markup.nesting", message)
    meta = ir.Meta(title="", lang=lang or "")
    blocks = _Converter(findings, meta).blocks(builder.root.children)
    if not meta.title:
        findings.found.append(Diagnostic(origin, None, None, "error", "markup.title", _NO_TITLE))
    return MarkupResult(ir.Document(meta=meta, blocks=blocks), findings.found)


_NO_TITLE = 'the template sets no <meta name="title">'


def parse_markup(markup: str, origin: str = "template", lang: str | None = None) -> ir.Document:
    """Parse template output into a Document; ``lang`` is the document language. The
    first problem ``read_markup`` finds is a ``DiagnosticError`` (``ORIGIN: markup line
    N: message``)."""
    result = read_markup(markup, origin, lang)
    errors = result.errors
    if errors:
        first = errors[0]
        where = f"markup line {first.line}: " if first.line is not None else ""
        raise DiagnosticError(f"{origin}: {where}{first.message}", first)
    return result.document


class _Converter:
    """The element tree -> IR blocks; what may not be where is reported and left out."""

    def __init__(self, findings: _Findings, meta: ir.Meta) -> None:
        self.findings = findings
        self.meta = meta

    def _problem(self, element: _Element, message: str, code: str = "markup.structure") -> None:
        self.findings.add(element.line, element.column, code, message)

    @staticmethod
    def _common(element: _Element) -> dict[str, str | None]:
        return {
            "style": element.attrs.get("class") or None,
            "lang": element.attrs.get("lang") or None,
        }

    # Blocks --------------------------------------------------------------------------

    def blocks(self, children: list[_Element | str]) -> list[ir.Block]:
        out: list[ir.Block] = []
        loose: list[_Element | str] = []

        def flush() -> None:
            inlines = self.inlines(loose)
            if _has_text(inlines):
                out.append(ir.Para(inlines))
            loose.clear()

        for child in children:
            if isinstance(child, str) or child.tag in _INLINE_TAGS:
                loose.append(child)
                continue
            flush()
            if child.tag == "meta":
                self._meta(child)
            else:
                block = self.block(child)
                if block is not None:
                    out.append(block)
        flush()
        return out

    def _meta(self, element: _Element) -> None:
        name = element.attrs.get("name", "")
        if name not in _META_FIELDS:
            self._problem(element, f"unknown meta name {name!r}", "markup.meta")
            return
        content = element.attrs.get("content", "").strip()
        if name == "keywords":
            self.meta.keywords = [k.strip() for k in content.split(",") if k.strip()]
        else:
            setattr(self.meta, name, content)

    def block(self, element: _Element) -> ir.Block | None:
        tag = element.tag
        common = self._common(element)
        if tag in ("h1", "h2", "h3", "h4"):
            return ir.Heading(
                int(tag[1]), self.inlines(element.children), id=element.attrs.get("id"), **common
            )
        if tag == "p":
            return ir.Para(self.inlines(element.children), **common)
        if tag in ("ul", "ol"):
            items = [self._item(child) for child in self._only(element, {"li"})]
            if tag == "ul":
                return ir.BulletList(items, **common)
            start = element.attrs.get("start", "1")
            if not start.isdigit() or int(start) < 1:
                message = f"<ol start> must be a positive number, not {start!r}"
                self._problem(element, message, "markup.attribute")
                start = "1"
            return ir.OrderedList(items, start=int(start), **common)
        if tag == "dl":
            return self._definitions(element)
        if tag == "table":
            return self._table(element)
        if tag == "blockquote":
            return ir.BlockQuote(self.blocks(element.children), **common)
        if tag == "hr":
            if common["style"] == "page-break":
                return ir.PageBreak(**common)
            return ir.Rule(**common)
        if tag in ("div", "section"):
            return ir.Div(self.blocks(element.children), **common)
        self._problem(element, f"<{tag}> is not allowed here")
        return None

    def _only(self, element: _Element, allowed: set[str]) -> list[_Element]:
        found: list[_Element] = []
        for child in element.children:
            if isinstance(child, str):
                if child.strip():
                    self._problem(element, f"text directly inside <{element.tag}>")
                continue
            if child.tag not in allowed:
                self._problem(child, f"<{child.tag}> is not allowed inside <{element.tag}>")
                continue
            found.append(child)
        return found

    def _item(self, element: _Element) -> ir.ListItem:
        return ir.ListItem(self.blocks(element.children), **self._common(element))

    def _definitions(self, element: _Element) -> ir.DefinitionList:
        items: list[tuple[list[ir.Inline], list[ir.Block]]] = []
        for child in self._only(element, {"dt", "dd"}):
            if child.tag == "dt":
                items.append((self.inlines(child.children), []))
            elif not items:
                self._problem(child, "<dd> before any <dt>")
            else:
                items[-1][1].extend(self.blocks(child.children))
        return ir.DefinitionList(items, **self._common(element))

    def _table(self, element: _Element) -> ir.Table:
        rows: list[list[ir.Cell]] = []
        header_rows = 0
        for part in self._only(element, {"thead", "tbody", "tr"}):
            trs = [part] if part.tag == "tr" else self._only(part, {"tr"})
            for tr in trs:
                cells = [
                    ir.Cell(self.blocks(td.children), header=td.tag == "th", **self._common(td))
                    for td in self._only(tr, {"td", "th"})
                ]
                rows.append(cells)
                if part.tag == "thead":
                    header_rows += 1
        return ir.Table(rows, header_rows=header_rows, **self._common(element))

    # Inlines -------------------------------------------------------------------------

    def inlines(self, children: list[_Element | str]) -> list[ir.Inline]:
        raw = _trim(self._inlines(children))
        _tidy_spaces(raw)
        return raw

    def _inlines(self, children: list[_Element | str]) -> list[ir.Inline]:
        out: list[ir.Inline] = []
        for child in children:
            if isinstance(child, str):
                text = _WS_RE.sub(" ", _WIDE_NL_RE.sub("", child))
                if text:
                    out.append(ir.Text(text))
                continue
            common = self._common(child)
            tag = child.tag
            if tag in _BLOCK_TAGS or tag == "meta":
                self._problem(child, f"<{tag}> cannot be inside text")
            elif tag == "br":
                out.append(ir.LineBreak(**common))
            elif tag in ("strong", "b"):
                out.append(ir.Strong(self._inlines(child.children), **common))
            elif tag in ("em", "i"):
                out.append(ir.Emph(self._inlines(child.children), **common))
            elif tag == "a":
                href = child.attrs.get("href", "")
                if not re.match(r"^(https?:|mailto:|#)", href):
                    message = f"link target {href!r} is not http(s), mailto or #"
                    self._problem(child, message, "markup.link")
                    out.append(ir.Span(self._inlines(child.children), **common))
                else:
                    out.append(ir.Link(href, self._inlines(child.children), **common))
            elif tag == "span":
                out.append(ir.Span(self._inlines(child.children), **common))
        return out


_FULLWIDTH_PUNCT = "，。、；：？！（）「」『』《》〈〉【】〔〕［］"


def _text_nodes(inlines: list[ir.Inline]) -> list[ir.Text]:
    out: list[ir.Text] = []
    for node in inlines:
        if isinstance(node, ir.Text):
            out.append(node)
        elif isinstance(node, ir.Strong | ir.Emph | ir.Link | ir.Span | ir.Note):
            out.extend(_text_nodes(node.children))
    return out


def _tidy_spaces(inlines: list[ir.Inline]) -> None:
    """Drop spaces next to full-width punctuation (``日期： 2026年`` -> ``日期：2026年``),
    also across inline boundaries; full-width marks carry their own spacing."""
    nodes = [n for n in _text_nodes(inlines) if n.text]
    for i, node in enumerate(nodes):
        prev = nodes[i - 1].text[-1:] if i else ""
        following = nodes[i + 1].text[:1] if i + 1 < len(nodes) else ""
        text = re.sub(rf"(?<=[{_FULLWIDTH_PUNCT}]) +| +(?=[{_FULLWIDTH_PUNCT}])", "", node.text)
        if prev and prev in _FULLWIDTH_PUNCT:
            text = text.lstrip(" ")
        if following and following in _FULLWIDTH_PUNCT:
            text = text.rstrip(" ")
        node.text = text


def _has_text(inlines: list[ir.Inline]) -> bool:
    return any(not isinstance(n, ir.Text) or n.text.strip() for n in inlines)


def _trim(inlines: list[ir.Inline]) -> list[ir.Inline]:
    """Drop leading/trailing whitespace of a block's inlines and merge adjacent spaces."""
    flat = list(inlines)
    while flat and isinstance(flat[0], ir.Text) and not flat[0].text.strip():
        flat.pop(0)
    while flat and isinstance(flat[-1], ir.Text) and not flat[-1].text.strip():
        flat.pop()
    if flat and isinstance(flat[0], ir.Text):
        flat[0] = ir.Text(flat[0].text.lstrip(), style=flat[0].style, lang=flat[0].lang)
    if flat and isinstance(flat[-1], ir.Text):
        flat[-1] = ir.Text(flat[-1].text.rstrip(), style=flat[-1].style, lang=flat[-1].lang)
    return flat
