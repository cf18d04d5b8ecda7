"""readers: HTML pages, Markdown and DOCX files -> paragraphs in reading order.

``detect_format`` says what a file is; ``read_html``, ``read_markdown`` and ``read_docx``
turn it into the same thing a plain-text readout is: a list of paragraphs, each one line,
stripped, non-empty. Enumerations the format expresses as structure (``<ol>``, Markdown
ordered lists, Word automatic numbering) are written out as text at the start of each
paragraph ("1. ", "一、", "（一）"), because agenda detection reads paragraph-initial
markers. Every failure is an ``InputError`` with one line.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from lxml import etree

from .errors import BriefgenError, InputError
from .numbering import cn_numeral, letter, roman

FORMATS = ("text", "html", "markdown", "docx")

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
}

# What makes text an HTML page: it starts like one, or has several block tags.
_HTML_START_RE = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_HTML_TAG_RE = re.compile(r"</?(p|div|span|br|a|table|script|style)\b[^>]*>", re.I)

_STRIP = " \t\u3000\f\v\r\n"


@dataclass(frozen=True)
class ReadResult:
    """Paragraphs in reading order, and metadata hints found around them (``headline``,
    ``dateline``, ``outlet``, ``byline``, ``author``)."""

    paragraphs: list[str]
    hints: dict[str, str] = field(default_factory=dict)


# --- format detection ---------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document (``<!doctype html``, ``<html>``,
    ``<head>``, ``<body>``) or contains at least three block or link tags."""
    return bool(_HTML_START_RE.search(text)) or len(_HTML_TAG_RE.findall(text)) >= 3


def is_docx_zip(data: bytes) -> bool:
    """True when ``data`` is a zip archive with a ``word/document.xml`` member."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def detect_format(name: str, data: bytes, encoding: str | None = None) -> str:
    """``"text"``, ``"html"``, ``"markdown"`` or ``"docx"``.

    The suffix of ``name`` decides when it is one of .html/.htm/.xhtml, .md/.markdown or
    .docx. Otherwise the content does: a zip with ``word/document.xml`` is docx; text that
    ``looks_like_html`` is html; anything else is text. For sniffing, ``data`` is read as
    ``encoding`` when given, as UTF-16 after a UTF-16 BOM, else byte-for-byte (tags are
    ASCII, and ASCII bytes stand for themselves in every other supported encoding).
    """
    by_suffix = _SUFFIXES.get(PurePath(name).suffix.lower())
    if by_suffix:
        return by_suffix
    if is_docx_zip(data):
        return "docx"
    if encoding:
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            text = data.decode("latin-1")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    return "html" if looks_like_html(text.removeprefix("\ufeff")) else "text"


# --- HTML ---------------------------------------------------------------------------------

_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KiB (``<meta charset>``, the
    ``http-equiv`` Content-Type form, or an XML declaration), lower-cased, or None."""
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii").lower()


# A list item that already starts with an enumeration marker keeps it as written (the
# marker forms agenda detection reads: 一、 （一） 第一， 1. 1、 (1) 1) ①).
_CN = "〇零一二兩三四五六七八九十百"
_MARKER_RE = re.compile(
    rf"^\s*(?:[{_CN}]{{1,3}}\s*[、，,．.]"
    rf"|[（(]\s*(?:[{_CN}]{{1,3}}|\d{{1,2}})\s*[）)]"
    rf"|第[{_CN}]{{1,3}}(?:是|項|點)?\s*[，,、：:]"
    r"|\d{1,2}\s*(?:[、．)）]|\.(?!\d))"
    r"|[①-⑳])"
)

_HTML_BLOCKS = {"doc", "main", "comments", "p", "head", "quote", "list", "item", "code"}
_HTML_SKIP = {"graphic", "table", "comments"}


def read_html(text: str, name: str) -> ReadResult:
    """The main text of an HTML page, one paragraph per block or line, in reading order.

    trafilatura finds the article (leaving out navigation, header, footer, related-story
    lists, comments and tables; precision first, no fallback extractors, no network).
    Items of ``<ol>`` lists start with their number ("1. ", honouring ``start`` and
    ``value``) unless their text already starts with a marker such as "一、". A heading
    opening the article that repeats the headline is left out (it is a hint). Hints:
    ``headline`` from og:title or <title>; ``dateline`` from a published-time <meta> or
    the first <time datetime>; ``outlet`` from og:site_name; ``author`` from <meta
    name="author">; ``byline`` from the first element whose class names a byline.
    Raises ``InputError`` when no article text is found.
    """
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise BriefgenError(
            f"{name}: cannot read HTML: trafilatura is unavailable ({exc})"
        ) from None

    if not re.search(r"<html[\s>]", text[:4096], re.I):
        text = f"<html><body>{text}</body></html>"  # trafilatura expects a whole document
    tree = trafilatura.load_html(text)
    if tree is None:
        raise InputError(f"{name}: found no article text in this HTML page")
    hints = _html_hints(tree)
    _number_ordered_lists(tree)
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    xml = trafilatura.extract(
        tree,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        fast=True,  # no fallback extractors: they return navigation text for empty pages
        deduplicate=False,
        with_metadata=False,
    )
    paragraphs: list[str] = []
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        if main is not None:
            paragraphs = _xml_paragraphs(main)
            _headline_out_of_text(main, paragraphs, hints)
    if not paragraphs:
        raise InputError(f"{name}: found no article text in this HTML page")
    return ReadResult(paragraphs, hints)


def _headline_out_of_text(
    main: etree._Element, paragraphs: list[str], hints: dict[str, str]
) -> None:
    """A heading that opens the article and repeats the page's headline (or is the only
    headline there is) becomes the ``headline`` hint instead of a paragraph: plain-text
    readouts do not start with their headline either."""
    first = next(iter(main), None)
    if first is None or first.tag != "head" or (main.text or "").strip() or not paragraphs:
        return
    heading = _xml_paragraphs(first)
    known = hints.get("headline", "")
    if heading == paragraphs[:1] and (not known or heading[0] in known):
        hints.setdefault("headline", heading[0])
        del paragraphs[0]


def _html_hints(tree: etree._Element) -> dict[str, str]:
    hints: dict[str, str] = {}
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = " ".join((meta.get("content") or meta.get("datetime") or "").split())
        if key and value:
            metas.setdefault(key.strip(), value)
    title_el = tree.find(".//title")
    title = " ".join((title_el.text_content() if title_el is not None else "").split())
    headline = metas.get("og:title") or metas.get("twitter:title") or title
    if headline:
        hints["headline"] = headline
    if metas.get("og:site_name"):
        hints["outlet"] = metas["og:site_name"]
    if metas.get("author"):
        hints["author"] = metas["author"]
    bylines = tree.xpath("//*[contains(@class, 'byline')]")
    byline = " ".join(bylines[0].text_content().split()) if bylines else ""
    if 0 < len(byline) <= 80:
        hints["byline"] = byline
    for key in ("article:published_time", "pubdate", "publishdate", "datepublished"):
        if metas.get(key):
            hints["dateline"] = metas[key]
            break
    else:
        times = tree.xpath("//article//time[@datetime]") or tree.xpath("//time[@datetime]")
        if times and times[0].get("datetime", "").strip():
            hints["dateline"] = times[0].get("datetime").strip()
    return hints


def _int_attr(el: etree._Element, attr: str) -> int | None:
    try:
        return int((el.get(attr) or "").strip())
    except ValueError:
        return None


def _number_ordered_lists(tree: etree._Element) -> None:
    """Write each <ol> item's number into its first text, as a reader of the page sees it."""
    for ol in tree.iter("ol"):
        items = [li for li in ol if li.tag == "li"]
        reverse = ol.get("reversed") is not None
        start = _int_attr(ol, "start")
        n = start if start is not None else (len(items) if reverse else 1)
        for li in items:
            value = _int_attr(li, "value")
            n = value if value is not None else n
            texts = [t for t in li.xpath(".//text()") if t.strip()]
            if texts and not _MARKER_RE.match(texts[0]):
                first = texts[0]
                parent = first.getparent()
                if first.is_text:
                    parent.text = f"{n}. {parent.text.lstrip()}"
                else:
                    parent.tail = f"{n}. {parent.tail.lstrip()}"
            n += -1 if reverse else 1


def _xml_paragraphs(main: etree._Element) -> list[str]:
    """Lines of trafilatura's XML: each block element and each <lb/> ends a paragraph."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        out.extend(s for s in (line.strip(_STRIP) for line in "".join(buf).split("\n")) if s)
        buf.clear()

    def walk(el: etree._Element) -> None:
        if el.tag in _HTML_SKIP:
            return
        block = el.tag in _HTML_BLOCKS
        if block:
            flush()
        if el.tag == "lb":
            buf.append("\n")
        else:
            buf.append(el.text or "")
        for child in el:
            walk(child)
            buf.append(child.tail or "")
        if block:
            flush()

    walk(main)
    flush()
    return out


# --- Markdown -----------------------------------------------------------------------------

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_WIDE_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def read_markdown(text: str, name: str) -> list[str]:
    """Paragraphs of a Markdown document: one per heading, paragraph, list item and table
    cell, in order, with inline markup removed (emphasis, links -> their text, code ->
    its text; images and raw HTML dropped).

    Ordered list items start with "N. " counted from the list's start, bullet items with
    "• "; nested lists number on their own. YAML front matter (``---`` … ``---``) is
    dropped. A soft line break joins Chinese without a space and Latin text with one; a
    hard break starts a new paragraph. Raises ``InputError`` when no text is left.
    """
    from markdown_it import MarkdownIt

    text = _FRONT_MATTER_RE.sub("", text.removeprefix("\ufeff"), count=1)
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
    prefix = ""
    for token in md.parse(text):
        kind = token.type
        if kind == "ordered_list_open":
            start = token.attrGet("start")
            lists.append([int(start) if start is not None else 1])
        elif kind == "bullet_list_open":
            lists.append([])
        elif kind in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif kind == "list_item_open" and lists:
            counter = lists[-1]
            if counter:
                prefix = f"{counter[0]}. "
                counter[0] += 1
            else:
                prefix = "• "
        elif kind == "inline":
            lines = _inline_text(token.children or []).split("\n")
            for line in (s.strip(_STRIP) for s in lines):
                if line:
                    out.append(prefix + line)
                    prefix = ""
        elif kind in ("fence", "code_block"):
            out.extend(s for s in (line.strip(_STRIP) for line in token.content.split("\n")) if s)
    if not out:
        raise InputError(f"{name}: no text in this Markdown file (after removing markup)")
    return out


def _inline_text(children: list) -> str:
    parts: list[str] = []
    for child in children:
        kind = child.type  # images (alt text in their children) and raw HTML are dropped
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append("\x00")
        elif kind == "hardbreak":
            parts.append("\n")
    joined = re.sub(r"[ \t]{2,}", " ", "".join(parts))  # where dropped markup was
    return re.sub(r"\s*\x00\s*", lambda m: _soft_break(joined, m.start(), m.end()), joined)


def _soft_break(text: str, start: int, end: int) -> str:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return "" if _WIDE_RE.match(before) or _WIDE_RE.match(after) else " "


# --- DOCX ---------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: Largest word/document.xml read (decompressed): markup around at most 2 MiB of text.
MAX_DOCX_XML = 16 * 1024 * 1024
#: Largest other part read (styles, numbering, relationships, content types).
MAX_DOCX_PART = 8 * 1024 * 1024
#: How much of a zip member is decompressed at a time.
_CHUNK = 64 * 1024


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _xml_parser(**kwargs: object) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, **kwargs)


class _Package:
    """The parts of a DOCX zip that are read, decompressed a chunk at a time against a
    limit of their own; the sizes the zip's directory claims are never trusted, and
    members nobody reads (pictures, fonts) are never decompressed."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.members = {info.filename: info for info in self.archive.infolist()}

    def _invalid(self, reason: str) -> InputError:
        return InputError(f"{self.name}: not a valid DOCX file ({reason})")

    def _implausible(self, member: str, limit: int) -> InputError:
        return InputError(
            f"{self.name}: DOCX file is too large (its {member} unpacks to more than "
            f"{limit // 1048576} MiB)"
        )

    def chunks(self, member: str, limit: int) -> Iterator[bytes]:
        """The decompressed bytes of ``member``, refused once more than ``limit``."""
        info = self.members.get(member)
        if info is None:
            raise self._invalid(f"no {member} in it")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self._invalid(f"{member} uses compression method {info.compress_type}")
        if info.file_size > limit:  # refused at once when the directory says so …
            raise self._implausible(member, limit)
        total = 0  # … and counted as read when it does not (zipfile stops at its claim)
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise self._implausible(member, limit)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, zlib.error) as exc:
            reason = " ".join(str(exc).split())[:120] or type(exc).__name__
            raise self._invalid(f"{member}: {reason}") from None

    def xml(self, member: str) -> etree._Element:
        parser = _xml_parser()
        for chunk in self.chunks(member, MAX_DOCX_PART):
            parser.feed(chunk)
        return parser.close()

    def related(self, source: str) -> dict[str, str]:
        """Relationship type (its last path segment) -> target part, for ``source``
        ("" for the package); the first of each type, external targets left out."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.members:
            return {}
        found: dict[str, str] = {}
        for rel in self.xml(rels).iterfind(f"{{{_PKG_RELS}}}Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if not kind or not target or rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found.setdefault(kind, posixpath.normpath(path))
        return found

    def content_type(self, member: str) -> str | None:
        if "[Content_Types].xml" not in self.members:
            raise self._invalid("no [Content_Types].xml in it")
        root = self.xml("[Content_Types].xml")
        for override in root.iterfind(f"{{{_CONTENT_TYPES}}}Override"):
            if (override.get("PartName") or "").lstrip("/").lower() == member.lower():
                return override.get("ContentType")
        extension = member.rsplit(".", 1)[-1].lower()
        for default in root.iterfind(f"{{{_CONTENT_TYPES}}}Default"):
            if (default.get("Extension") or "").lower() == extension:
                return default.get("ContentType")
        return None


def read_docx(data: bytes, name: str, max_text: int | None = None) -> list[str]:
    """Paragraphs of a Word document in body order: each non-empty paragraph (lines split
    at manual line breaks), table cells row by row, content controls opened; text boxes,
    deleted text and field codes are left out.

    A paragraph with automatic numbering (``w:numPr`` on the paragraph or its style)
    starts with its label rebuilt from numbering.xml: ``lvlText`` with each ``%N`` in that
    level's ``numFmt`` (decimal "1.", taiwaneseCountingThousand "一、", "（一）", letters,
    Roman numerals, 甲乙丙, circled digits …), a space after an ASCII label, "• " for
    bullets; counted per numId and level, deeper levels restarting after a higher one.

    The document is read as a stream: each part is decompressed a chunk at a time against
    a limit (never trusting the sizes the zip's directory claims), and reading stops as
    soon as the text passes ``max_text`` bytes (UTF-8). Raises ``InputError`` for anything
    that is not a valid DOCX, or too large.
    """
    try:
        package = _Package(data, name)
        if "word/document.xml" not in package.members:
            raise InputError(f"{name}: not a valid DOCX file (no word/document.xml in it)")
        main = package.related("").get("officeDocument")
        if main is None or main not in package.members:
            raise InputError(f"{name}: not a valid DOCX file (no main document part)")
        content_type = package.content_type(main)
        if content_type != _WML_MAIN:
            raise InputError(
                f"{name}: not a valid DOCX file (not a Word document: its content type is "
                f"{content_type or 'missing'})"
            )
        parts = package.related(main)
        numbering = _Numbering(
            package.xml(parts["numbering"]) if parts.get("numbering") in package.members else None,
            package.xml(parts["styles"]) if parts.get("styles") in package.members else None,
        )
        body = _BodyReader(numbering, name, max_text)
        parser = _xml_parser(target=body)
        for chunk in package.chunks(main, MAX_DOCX_XML):
            parser.feed(chunk)
        parser.close()
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a valid DOCX file (not a zip archive)") from None
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"{name}: not a valid DOCX file ({reason})") from None
    return body.out


_P, _T, _TAB, _TABS, _BR, _CR = (_w(t) for t in ("p", "t", "tab", "tabs", "br", "cr"))
_TXBX, _PPR, _PSTYLE, _NUMPR, _NUMID, _ILVL = (
    _w(t) for t in ("txbxContent", "pPr", "pStyle", "numPr", "numId", "ilvl")
)
_VAL = _w("val")
#: What each element is on the way from the body to the paragraphs read: the role of a
#: child, by the role of its parent and its own tag ("" for anything else).
_ROLES = {
    ("root", _w("body")): "container",
    ("container", _P): "p",
    ("container", _w("tbl")): "tbl",
    ("container", _w("sdt")): "sdt",
    ("container", _w("customXml")): "container",
    ("tbl", _w("tr")): "tr",
    ("tr", _w("tc")): "container",
    ("sdt", _w("sdtContent")): "container",
}
#: Elements inside a paragraph that matter (the rest only count for its depth).
_IN_PARAGRAPH = {_T, _TAB, _BR, _CR, _TXBX, _PSTYLE, _NUMPR, _NUMID, _ILVL}


class _BodyReader:
    """lxml parser target for word/document.xml: the paragraphs in reading order — in
    the body, table cells (row by row) and content controls — with their text
    (``w:t``, tabs and breaks outside text boxes) and numbering label, taken as the parser
    goes, so that no tree of the document is built and reading stops at the text limit."""

    def __init__(self, numbering: _Numbering, name: str, max_text: int | None) -> None:
        self.numbering = numbering
        self.name = name
        self.max_text = max_text
        self.size = 0
        self.out: list[str] = []
        self.roles: list[str] = []  # of the open elements outside the paragraph read
        self.tags: list[str] = []  # the open elements inside it, from the paragraph down
        self.paragraph: list[str] | None = None
        self.style: str | None = None
        self.num: list[str | None] | None = None  # the first numPr: [numId, ilvl]
        self.in_num_pr = False
        self.text_boxes = 0
        self.in_text = False

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self.paragraph is None:
            role = _ROLES.get((self.roles[-1], tag), "") if self.roles else "root"
            if role == "p":
                self.paragraph, self.tags = [], [tag]
                self.style, self.num, self.in_num_pr = None, None, False
            else:
                self.roles.append(role)
            return
        tags = self.tags
        tags.append(tag)
        if tag not in _IN_PARAGRAPH:
            return
        if tag == _TXBX:
            self.text_boxes += 1
        elif self.text_boxes:
            return
        elif tag == _T:
            self.in_text = True
        elif tag == _TAB:
            if tags[-2] != _TABS:  # a tab stop in w:tabs is no character
                self.paragraph.append("\t")
        elif tag in (_BR, _CR):
            self.paragraph.append("\n")
        elif len(tags) > 2 and tags[1] == _PPR:
            self._properties(tag, attrib)

    def _properties(self, tag: str, attrib: Mapping[str, str]) -> None:
        """pStyle and numPr (numId, ilvl) of the paragraph's own w:pPr, the first of each."""
        level = len(self.tags) - 1
        if level == 2:
            if tag == _PSTYLE and self.style is None:
                self.style = attrib.get(_VAL)
            elif tag == _NUMPR and self.num is None:
                self.num, self.in_num_pr = [None, None], True
        elif level == 3 and self.in_num_pr and self.num is not None:
            slot = 0 if tag == _NUMID else 1 if tag == _ILVL else None
            if slot is not None and self.num[slot] is None:
                self.num[slot] = attrib.get(_VAL)

    def end(self, tag: str) -> None:
        if self.paragraph is None:
            self.roles.pop()
            return
        self.tags.pop()
        if not self.tags:
            self._finish()
        elif tag == _TXBX:
            self.text_boxes -= 1
        elif tag == _T:
            self.in_text = False
        elif tag == _NUMPR:
            self.in_num_pr = False

    def data(self, text: str) -> None:
        if not self.in_text or self.paragraph is None or self.text_boxes:
            return
        self.paragraph.append(text)
        if self.max_text is not None:
            self.size += len(text.encode("utf-8"))
            if self.size > self.max_text:
                raise InputError(
                    f"{self.name}: text is too large (more than {self.max_text // 1048576} MiB; "
                    f"the limit is {self.max_text // 1048576} MiB of text for a readout)"
                )

    def close(self) -> None:
        return None

    def _finish(self) -> None:
        text, self.paragraph = "".join(self.paragraph or ()), None
        self.in_text = False
        lines = [s for s in (line.strip(_STRIP) for line in text.split("\n")) if s]
        if not lines:
            return
        num_id, ilvl = self.num if self.num is not None else (None, None)
        label = self.numbering.label(self.style, self.num is not None, num_id, ilvl)
        if label:
            lines[0] = label + lines[0]
        self.out.extend(lines)


def _val(el: etree._Element | None, path: str) -> str | None:
    found = el.find(path, _NS) if el is not None else None
    return found.get(_w("val")) if found is not None else None


def _to_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CN_DIGITS = "〇一二三四五六七八九"


def _digital(n: int) -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(n))


def _counting(n: int) -> str:
    return cn_numeral(n) if 0 < n < 10000 else str(n)


_NUM_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "upperRoman": lambda n: roman(n).upper(),
    "lowerRoman": roman,
    "upperLetter": lambda n: letter(n).upper(),
    "lowerLetter": letter,
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "ideographDigital": _digital,
    "taiwaneseDigital": _digital,
    "chineseLegalSimplified": _counting,
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: _BRANCHES[(n - 1) % 12],
}


@dataclass
class _Level:
    fmt: str
    text: str
    start: int
    suffix: str  # "tab", "space" or "nothing"
    legal: bool


class _Numbering:
    """Word automatic numbering: definitions from numbering.xml and styles.xml, and the
    running counters of one pass through the document."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: etree._Element) -> None:
        abstracts: dict[str, dict[int, _Level]] = {}
        for abstract in root.iterfind("w:abstractNum", _NS):
            levels = {}
            for lvl in abstract.iterfind("w:lvl", _NS):
                levels[_to_int(lvl.get(_w("ilvl")), 0)] = self._level(lvl)
            abstracts[abstract.get(_w("abstractNumId"), "")] = levels
        for num in root.iterfind("w:num", _NS):
            levels = dict(abstracts.get(_val(num, "w:abstractNumId") or "", {}))
            for override in num.iterfind("w:lvlOverride", _NS):
                ilvl = _to_int(override.get(_w("ilvl")), 0)
                lvl = override.find("w:lvl", _NS)
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = _val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(
                        old.fmt, old.text, _to_int(start, 1), old.suffix, old.legal
                    )
            self._levels[num.get(_w("numId"), "")] = levels

    @staticmethod
    def _level(lvl: etree._Element) -> _Level:
        legal = lvl.find("w:isLgl", _NS)
        return _Level(
            fmt=_val(lvl, "w:numFmt") or "decimal",
            text=_val(lvl, "w:lvlText") or "",
            start=_to_int(_val(lvl, "w:start"), 1),
            suffix=_val(lvl, "w:suff") or "tab",
            legal=legal is not None and legal.get(_w("val"), "true") not in ("0", "false", "off"),
        )

    def _read_styles(self, root: etree._Element) -> None:
        based: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in root.iterfind("w:style", _NS):
            sid = style.get(_w("styleId"), "")
            parent = _val(style, "w:basedOn")
            if parent:
                based[sid] = parent
            num_pr = style.find("w:pPr/w:numPr", _NS)
            if num_pr is not None:
                ilvl = _val(num_pr, "w:ilvl")
                own[sid] = (_val(num_pr, "w:numId"), None if ilvl is None else _to_int(ilvl, 0))
        for sid in {*based, *own}:
            seen, current = set(), sid
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current, "")
            if current in own:
                self._style_num[sid] = own[current]

    def label(
        self, style: str | None, num_pr: bool, num_id_val: str | None, ilvl_val: str | None
    ) -> str:
        """The label of a paragraph ("1. ", "一、", "（一）", "• ") with pStyle ``style`` and
        (when ``num_pr``) a numPr of these numId and ilvl values, advancing the counters;
        "" when it is not numbered."""
        num_id, ilvl = None, None
        if style and style in self._style_num:
            num_id, ilvl = self._style_num[style]
        if num_pr:
            num_id = num_id_val or num_id
            ilvl = _to_int(ilvl_val, 0) if ilvl_val is not None else ilvl
        if not num_id or num_id == "0" or num_id not in self._levels:
            return ""
        level_no = ilvl or 0
        levels = self._levels[num_id]
        level = levels.get(level_no)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[level_no] = counters.get(level_no, level.start - 1) + 1
        for deeper in [k for k in counters if k > level_no]:
            del counters[deeper]
        if level.fmt == "bullet":
            return "• "
        if level.fmt == "none":
            return self._finish(re.sub(r"%\d", "", level.text), level)

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            value = counters.get(k, lvl.start)
            fmt = "decimal" if level.legal else lvl.fmt
            return _NUM_FORMATS.get(fmt, str)(value)

        return self._finish(re.sub(r"%(\d)", number, level.text), level)

    @staticmethod
    def _finish(text: str, level: _Level) -> str:
        text = text.strip()
        if not text:
            return ""
        return text + " " if text[-1].isascii() and level.suffix != "nothing" else text
