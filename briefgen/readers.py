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
import re
import zipfile
from collections.abc import Callable, Iterator
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
#: Uncompressed size above which a DOCX is refused (a zip bomb, not a readout).
MAX_DOCX_UNPACKED = 256 * 1024 * 1024


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def read_docx(data: bytes, name: str) -> list[str]:
    """Paragraphs of a Word document in body order: each non-empty paragraph (lines split
    at manual line breaks), table cells row by row, content controls opened; text boxes,
    deleted text and field codes are left out.

    A paragraph with automatic numbering (``w:numPr`` on the paragraph or its style)
    starts with its label rebuilt from numbering.xml: ``lvlText`` with each ``%N`` in that
    level's ``numFmt`` (decimal "1.", taiwaneseCountingThousand "一、", "（一）", letters,
    Roman numerals, 甲乙丙, circled digits …), a space after an ASCII label, "• " for
    bullets; counted per numId and level, deeper levels restarting after a higher one.
    Raises ``InputError`` for anything that is not a valid DOCX.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise InputError(f"{name}: not a valid DOCX file (no word/document.xml in it)")
        if unpacked > MAX_DOCX_UNPACKED:
            raise InputError(
                f"{name}: not a plausible DOCX file (unpacks to {unpacked // 1048576} MiB)"
            )
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a valid DOCX file (not a zip archive)") from None
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"{name}: not a valid DOCX file ({reason})") from None

    numbering = _Numbering(document)
    out: list[str] = []
    for p in _body_paragraphs(document.element.body):
        lines = [s for s in (line.strip(_STRIP) for line in _p_text(p).split("\n")) if s]
        if not lines:
            continue
        label = numbering.label(p)
        if label:
            lines[0] = label + lines[0]
        out.extend(lines)
    return out


def _body_paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """``w:p`` elements in reading order, descending into tables (row by row, cell by
    cell) and content controls."""
    for child in container:
        if child.tag == _w("p"):
            yield child
        elif child.tag == _w("tbl"):
            for tr in child.iterchildren(_w("tr")):
                for tc in tr.iterchildren(_w("tc")):
                    yield from _body_paragraphs(tc)
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _body_paragraphs(content)


_TEXT_XPATH = etree.XPath(
    ".//w:t[not(ancestor::w:txbxContent)] | .//w:tab[not(ancestor::w:txbxContent)]"
    " | .//w:br[not(ancestor::w:txbxContent)] | .//w:cr[not(ancestor::w:txbxContent)]",
    namespaces=_NS,
)


def _p_text(p: etree._Element) -> str:
    parts = []
    for el in _TEXT_XPATH(p):
        if el.tag == _w("t"):
            parts.append(el.text or "")
        elif el.tag == _w("tab"):
            # A w:tab inside w:pPr/w:tabs is a tab stop, not a character.
            if el.getparent().tag != _w("tabs"):
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


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

    def __init__(self, document: object) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        part = document.part  # type: ignore[attr-defined]
        try:
            numbering = part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        if numbering is not None:
            self._read_numbering(numbering)
        try:
            styles = part.styles.element
        except (KeyError, NotImplementedError):
            styles = None
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

    def label(self, p: etree._Element) -> str:
        """The label of paragraph ``p`` ("1. ", "一、", "（一）", "• "), advancing the
        counters; "" when it is not numbered."""
        num_id, ilvl = None, None
        style = _val(p, "w:pPr/w:pStyle")
        if style and style in self._style_num:
            num_id, ilvl = self._style_num[style]
        num_pr = p.find("w:pPr/w:numPr", _NS)
        if num_pr is not None:
            num_id = _val(num_pr, "w:numId") or num_id
            ilvl_val = _val(num_pr, "w:ilvl")
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
