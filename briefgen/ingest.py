"""ingest: bytes or a path -> ``Source`` (decoded, normalized text split into paragraphs).

Plain text, HTML pages (their article text), Markdown and DOCX files are read (see
``readers``); whatever the format, the paragraphs pass the same checks. Refuses, with one
clear ``InputError`` line: empty or huge files, binary data, undecodable bytes, control
characters, HTML pages without article text and files that are not what their name says.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError
from .readers import (
    ReadResult,
    declared_charset,
    detect_format,
    looks_like_html,
    read_docx,
    read_html,
    read_markdown,
)
from .unwrap import unwrap

#: Largest input accepted, in bytes. A readout is a few pages; anything bigger is a mistake.
MAX_BYTES = 2 * 1024 * 1024
#: Largest DOCX accepted: Word files carry styles, font tables and pictures besides the text.
MAX_DOCX_BYTES = 10 * 1024 * 1024

#: Encodings tried, in order, when the input is not UTF-8 and has no BOM. cp950 before big5:
#: Python's big5 codec rejects characters Windows' Big5 (cp950) accepts.
_FALLBACK_ENCODINGS = ("cp950", "big5hkscs", "gb18030")

_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]"
)


@dataclass(frozen=True)
class Source:
    """A decoded readout.

    ``paragraphs`` are the non-empty lines of the text, stripped; every later ``Span``
    points into them. ``hints`` carries metadata found around the article: by the reader
    (an HTML page's headline and publication time) and by the clean stage in page
    furniture (dateline, headline, outlet); ``removed`` lists the furniture lines clean
    dropped. ``format`` is what the input was: text, html, markdown or docx.
    """

    paragraphs: tuple[str, ...]
    language: str
    encoding: str
    sha256: str
    path: str | None = None
    hints: Mapping[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    format: str = "text"

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)


def _limit(fmt: str) -> int:
    return MAX_DOCX_BYTES if fmt == "docx" else MAX_BYTES


def _too_large(what: str, size: int, fmt: str) -> InputError:
    kind = "a DOCX readout" if fmt == "docx" else "a readout"
    return InputError(
        f"{what} is too large ({size / 1048576:.1f} MiB; the limit is "
        f"{_limit(fmt) // 1048576} MiB for {kind})"
    )


def read_source(path: Path, encoding: str | None = None) -> Source:
    """Read ``path`` and ingest it (see ``ingest_bytes``). Files over the size limit of
    their format (2 MiB, 10 MiB for DOCX) are refused before they are decoded."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            suffix_format = "docx" if path.suffix.lower() == ".docx" else "text"
            raise _too_large(f"{path}: file", size, suffix_format)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a readout file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    fmt = detect_format(str(path), data, encoding)
    if len(data) > _limit(fmt):
        raise _too_large(f"{path}: file", len(data), fmt)
    return ingest_bytes(data, name=str(path), encoding=encoding)


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding name)``.

    With ``encoding`` given, that codec is used strictly. Otherwise: a BOM decides, then
    strict UTF-8, then charset-normalizer's best guess among the CJK codecs.
    """
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: not valid {encoding} (bad byte at offset {exc.start})"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_single_byte(data):
        # An English release saved by Windows: a few curly quotes and dashes (’ – “) in
        # ASCII text, which the double-byte CJK codecs would read as Han characters.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=list(_FALLBACK_ENCODINGS)).best()
    guess = best.encoding if best is not None else None
    # Within the Big5 family try Windows' cp950 first: Big5-HKSCS maps some of its bytes
    # to other characters (A145 ‧ -> •), so it is only right when cp950 fails.
    order = ["cp950"] if guess in ("big5", "big5hkscs", "cp950") else ([guess] if guess else [])
    order += [e for e in _FALLBACK_ENCODINGS if e not in order]
    for enc in order:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{name}: cannot decode the text (not UTF-8, UTF-16, Big5/CP950, Big5-HKSCS, "
        "GB18030 or Windows-1252); name the encoding with --encoding"
    )


# What a page's declared charset means, as codecs to try in order: the Big5 family as
# ``decode`` reads it (cp950 first), GB2312/GBK as their superset GB18030.
_DECLARED = {
    "big5": ("cp950", "big5hkscs"),
    "x-x-big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5-hkscs": ("big5hkscs",),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "gb18030": ("gb18030",),
}


def decode_html(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode an HTML page: ``encoding`` or a BOM when given; else the charset the page
    declares (``<meta charset>``), when the bytes are valid in it; else as ``decode``
    guesses."""
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, name, encoding)
    declared = declared_charset(data)
    if declared and not declared.startswith("utf-16"):
        for enc in _DECLARED.get(declared, (declared,)):
            try:
                return data.decode(enc), enc
            except (LookupError, UnicodeDecodeError):
                continue
    return decode(data, name)


#: A text whose bytes above 0x7F are this rare, and almost never next to one another, is
#: in a single-byte code page: in Big5 and GB18030 every Han character is two such bytes.
SINGLE_BYTE_SHARE = 0.15
SINGLE_BYTE_PAIRS = 0.1


def _looks_single_byte(data: bytes) -> bool:
    high = [i for i, byte in enumerate(data) if byte > 0x7F]
    if not high or len(high) > SINGLE_BYTE_SHARE * len(data):
        return False
    paired = sum(1 for i in high if i + 1 < len(data) and data[i + 1] > 0x7F)
    return paired <= SINGLE_BYTE_PAIRS * len(high)


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {enc} (bad byte at offset {exc.start})") from None


def detect_lang(text: str) -> str:
    """``zh-TW``, ``zh-CN`` or ``en``: Han share of letters, then traditional vs simplified
    forms of common characters."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if han == 0 or han * 2 < latin / 3:
        return "en"
    trad = sum(text.count(ch) for ch in _TRADITIONAL_ONLY)
    simp = sum(text.count(ch) for ch in _SIMPLIFIED_ONLY)
    return "zh-CN" if simp > trad else "zh-TW"


# Common characters whose traditional and simplified forms differ (same order in both).
_TRADITIONAL_ONLY = "們這說對經濟國發會議與為際關來時個過還後區長門問題開當體實現點聯動應據"
_SIMPLIFIED_ONLY = "们这说对经济国发会议与为际关来时个过还后区长门问题开当体实现点联动应据"


def _check_plausible(text: str, encoding: str | None, name: str) -> None:
    """Reject text whose decoding produced unassigned or private-use characters — the
    sign of a wrong encoding (e.g. random bytes that happen to start with a UTF-16 BOM).
    ``encoding`` is None for text this module did not decode (DOCX)."""
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    if not odd or odd < max(1, len(text) // 100):
        return
    if encoding is None:
        raise InputError(
            f"{name}: does not look like text ({odd} unassigned or private-use characters)"
        )
    raise InputError(
        f"{name}: does not look like text when decoded as {encoding} ({odd} unassigned or "
        "private-use characters); name the right encoding with --encoding"
    )


def ingest_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> Source:
    """Decode and check ``data``; split it into paragraphs.

    The format comes from ``detect_format``: plain text becomes its non-empty lines; an
    HTML page its article text, a Markdown or DOCX file its blocks (see ``readers``).
    ``encoding`` names the codec of text, HTML and Markdown (DOCX brings its own).
    Raises ``InputError`` for empty, oversized, binary, undecodable or control-character
    input, and for what the format's reader refuses.
    """
    fmt = detect_format(name, data, encoding)
    if len(data) > _limit(fmt):
        raise _too_large(f"{name}: input", len(data), fmt)
    if fmt == "docx":
        paragraphs = read_docx(data, name, max_text=MAX_BYTES)
        return _converted(data, name, "docx", "utf-8", ReadResult(paragraphs))
    text, enc = (decode_html if fmt == "html" else decode)(data, name, encoding)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if fmt == "text" and looks_like_html(text):
        fmt = "html"  # only reachable with an --encoding the byte sniffing could not read
    if fmt == "html":
        return _converted(data, name, fmt, enc, read_html(text, name))
    if fmt == "markdown":
        return _converted(data, name, fmt, enc, ReadResult(read_markdown(text, name)))
    _check_plausible(text, enc, name)
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(
            f"{name}: contains control character U+{ord(bad.group()):04X} on line {line}"
        )
    paragraphs = tuple(unwrap([line.strip(" \t\u3000\f\v") for line in text.split("\n")]))
    if not paragraphs:
        raise InputError(f"{name}: the file is empty")
    return Source(
        paragraphs=paragraphs,
        language=detect_lang(text),
        encoding=enc,
        sha256=hashlib.sha256(data).hexdigest(),
        path=name,
    )


_KINDS = {"html": "HTML page", "markdown": "Markdown file", "docx": "DOCX file"}


def _converted(data: bytes, name: str, fmt: str, enc: str, result: ReadResult) -> Source:
    """A Source from a reader's paragraphs, after the checks plain text gets: something
    left, plausible characters, no control characters (named with their paragraph)."""
    paragraphs = tuple(
        p
        for p in (
            unicodedata.normalize("NFC", line).strip(" \t\u3000\f\v")
            for para in result.paragraphs
            for line in para.replace("\r", "\n").split("\n")
        )
        if p
    )
    if not paragraphs:
        raise InputError(f"{name}: no text in this {_KINDS[fmt]}")
    text = "\n".join(paragraphs)
    _check_plausible(text, None if fmt == "docx" else enc, name)
    for number, para in enumerate(paragraphs, 1):
        bad = _CONTROL_RE.search(para)
        if bad:
            raise InputError(
                f"{name}: contains control character U+{ord(bad.group()):04X} in paragraph "
                f"{number} of the {_KINDS[fmt]}"
            )
    return Source(
        paragraphs=paragraphs,
        language=detect_lang(text),
        encoding=enc,
        sha256=hashlib.sha256(data).hexdigest(),
        path=name,
        hints=dict(result.hints),
        format=fmt,
    )
