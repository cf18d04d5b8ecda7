"""The strict markup templates emit (a small HTML subset) -> ``ir.Document``.

Allowed elements: ``meta`` (name/content: title, subject, author, keywords, audience,
date, header, footer), h1-h4, p, ul, ol, li, dl, dt, dd, table, thead, tbody, tr, th, td,
blockquote, hr, div, section, strong, b, em, i, a, span, br. Allowed attributes: class
(the style name), lang, id, href (a), start (ol). Anything else is a ``TemplateError``
naming the element and line, so a template cannot produce structure the writers do not
know.

Whitespace follows HTML rules, except that a line break between two Chinese characters
disappears instead of becoming a space, and spaces next to full-width punctuation go.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .. import ir
from ..errors import TemplateError

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
_WS_RE = re.compile(r"\s+")
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_WIDE_NL_RE = re.compile(rf"(?<={_WIDE})\s*\n\s*(?={_WIDE})")


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.children: list[_Element | str] = []


class _TreeBuilder(HTMLParser):
    def __init__(self, origin: str) -> None:
        super().__init__(convert_charrefs=True)
        self.origin = origin
        self.root = _Element("root", {}, 1)
        self.stack = [self.root]

    def _fail(self, message: str) -> TemplateError:
        line, _ = self.getpos()
        return TemplateError(f"{self.origin}: markup line {line}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _BLOCK_TAGS | _INLINE_TAGS | {"meta"}:
            raise self._fail(f"unknown element <{tag}>")
        values: dict[str, str] = {}
        for name, value in attrs:
            if name not in _ATTRS:
                raise self._fail(f"attribute {name!r} is not allowed on <{tag}>")
            values[name] = value or ""
        element = _Element(tag, values, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            open_tag = self.stack[-1].tag if len(self.stack) > 1 else "nothing"
            raise self._fail(f"</{tag}> closes {open_tag}")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        raise self._fail("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        raise self._fail("processing instructions are not allowed")


def parse_markup(markup: str, origin: str = "template", lang: str | None = None) -> ir.Document:
    """Parse template output into a Document; ``lang`` is the document language."""
    builder = _TreeBuilder(origin)
    builder.feed(markup)
    builder.close()
    if len(builder.stack) > 1:
        element = builder.stack[-1]
        raise TemplateError(
            f"{origin}: markup line {element.line}: <{element.tag}> is never closed"
        )
    meta = ir.Meta(title="", lang=lang or "")
    converter = _Converter(origin, meta)
    blocks = converter.blocks(builder.root.children)
    if not meta.title:
        raise TemplateError(f'{origin}: the template sets no <meta name="title">')
    return ir.Document(meta=meta, blocks=blocks)


class _Converter:
    def __init__(self, origin: str, meta: ir.Meta) -> None:
        self.origin = origin
        self.meta = meta

    def _fail(self, element: _Element, message: str) -> TemplateError:
        return TemplateError(f"{self.origin}: markup line {element.line}: {message}")

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
                out.append(self.block(child))
        flush()
        return out

    def _meta(self, element: _Element) -> None:
        name = element.attrs.get("name", "")
        if name not in _META_FIELDS:
            raise self._fail(element, f"unknown meta name {name!r}")
        content = element.attrs.get("content", "").strip()
        if name == "keywords":
            self.meta.keywords = [k.strip() for k in content.split(",") if k.strip()]
        else:
            setattr(self.meta, name, content)

    def block(self, element: _Element) -> ir.Block:
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
                raise self._fail(element, f"<ol start> must be a positive number, not {start!r}")
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
        raise self._fail(element, f"<{tag}> is not allowed here")

    def _only(self, element: _Element, allowed: set[str]) -> list[_Element]:
        found: list[_Element] = []
        for child in element.children:
            if isinstance(child, str):
                if child.strip():
                    raise self._fail(element, f"text directly inside <{element.tag}>")
                continue
            if child.tag not in allowed:
                raise self._fail(child, f"<{child.tag}> is not allowed inside <{element.tag}>")
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
                raise self._fail(child, "<dd> before any <dt>")
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
                raise self._fail(child, f"<{tag}> cannot be inside text")
            if tag == "br":
                out.append(ir.LineBreak(**common))
            elif tag in ("strong", "b"):
                out.append(ir.Strong(self._inlines(child.children), **common))
            elif tag in ("em", "i"):
                out.append(ir.Emph(self._inlines(child.children), **common))
            elif tag == "a":
                href = child.attrs.get("href", "")
                if not re.match(r"^(https?:|mailto:|#)", href):
                    raise self._fail(child, f"link target {href!r} is not http(s), mailto or #")
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
