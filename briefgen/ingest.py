"""ingest: bytes or a path -> ``Source`` (decoded, normalized text split into paragraphs).

Plain text, HTML pages (their article text), Markdown and DOCX files are read (see
``readers``); whatever the format, the paragraphs pass the same checks. Refuses, with one
clear ``InputError`` line: empty or huge files, binary data, undecodable bytes, control
characters, HTML pages without article text and files that are not what their name says.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError
from .lazyre import lazy
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

_CONTROL_RE = lazy(
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
    """Read ``path`` and ingest it (see ``ingest_bytes``). Only a regular file is read:
    a directory, device (``/dev/zero``), FIFO or socket is refused before it is opened, and
    the file is opened without blocking and read no further than its size limit (2 MiB, 10
    MiB for DOCX), so that nothing makes this hang or fill memory."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if info.st_size > MAX_DOCX_BYTES:
            suffix_format = "docx" if path.suffix.lower() == ".docx" else "text"
            raise _too_large(f"{path}: file", info.st_size, suffix_format)
        data = _read_regular(path)
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


_FILE_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISCHR, "is a character device"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISSOCK, "is a socket"),
)


def _not_regular(path: Path, mode: int) -> InputError:
    kind = next((what for test, what in _FILE_KINDS if test(mode)), "is not a regular file")
    return InputError(f"{path}: {kind}, not a readout file")


def _read_regular(path: Path) -> bytes:
    """The bytes of regular file ``path``, at most one more than the DOCX limit: opened
    non-blocking (a FIFO put in its place after ``stat`` does not hang) and checked again
    once open."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        chunks, left = [], MAX_DOCX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


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
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(f"{name}: looks like a binary file (contains NUL bytes), not text")
        return utf16
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
    _refuse_foreign_encodings(data, name)
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


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` for UTF-16 saved without a BOM, else None (binary data).

    In UTF-16 every ASCII character (line breaks, spaces, digits, Latin letters) has a
    zero byte on the same side of its pair — odd offsets little-endian, even ones
    big-endian — while the zeros in binary data fall anywhere. The side with nearly all the
    zeros gives the byte order; the result must decode strictly and read as text (lines, or
    Latin text on one; no control characters but tab and line breaks, few unassigned or
    private-use characters)."""
    if len(data) % 2:
        return None
    odd = data[1::2].count(0)
    even = data[0::2].count(0)
    if odd >= 0.95 * (odd + even):
        encoding = "utf-16-le"
    elif even >= 0.95 * (odd + even):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\n" not in text and max(text) > "\xff":
        return None  # neither lines nor Latin text: ASCII bytes with NULs between them
    odd_chars = sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    if _CONTROL_RE.search(text.replace("\x00", "\x01")) or odd_chars > len(text) // 100:
        return None
    return text, encoding


#: Japanese encodings: text that decodes in one with this share of kana among its letters
#: is Japanese (Chinese read as Shift-JIS gives half-width katakana, not these).
_JAPANESE_ENCODINGS = (("cp932", "Shift-JIS"), ("euc_jis_2004", "EUC-JP"))
#: Share of a script's letters above which a text is taken to be in its language.
FOREIGN_SHARE = 0.2


def _refuse_foreign_encodings(data: bytes, name: str) -> None:
    """Refuse Shift-JIS and EUC-JP Japanese (and EUC-KR Korean) before the Chinese codecs
    read it as garbage (Shift-JIS is valid GBK; EUC-JP's kanji rows are GB2312's hanzi
    rows)."""
    for codec, label in _JAPANESE_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _foreign_language(text) == "Japanese":
            raise InputError(
                f"{name}: the text is in Japanese ({label}); briefgen reads Chinese "
                "(Traditional or Simplified) and English readouts only"
            )
    # EUC-KR's hangul rows are GB2312's hanzi rows: valid either way, so the choice is
    # charset-normalizer's (which reads like Korean, which like Chinese).
    try:
        korean = data.decode("euc_kr")
    except UnicodeDecodeError:
        return
    if _foreign_language(korean) != "Korean":
        return
    best = from_bytes(data, cp_isolation=["euc_kr", "gb18030"]).best()
    if best is not None and best.encoding == "euc_kr":
        raise InputError(
            f"{name}: the text is in Korean (EUC-KR); briefgen reads Chinese "
            "(Traditional or Simplified) and English readouts only"
        )


# Letters of the scripts briefgen does not read; a letter of any other script not listed
# here (Thai, Devanagari …) is named by its script.
_KANA_RE = lazy(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff]")
_FOREIGN_RE = lazy(
    r"[^\x00-\u036f\u1e00-\u1eff\u2000-\u2bff\u2e80-\u2fff\u3000-\u303f\u3100-\u312f"
    r"\u31a0-\u31bf\u3200-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff5f"
    r"\U00020000-\U0003ffff]"
)
_HAN_RE = lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_NOT_ASCII_LETTERS_RE = re.compile(r"[^A-Za-z]+")
_SCRIPT_LANGUAGES = {
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "HANGUL": "Korean",
    "CYRILLIC": "Russian or another Cyrillic-script language",
    "ARABIC": "Arabic or another Arabic-script language",
    "HEBREW": "Hebrew",
    "GREEK": "Greek",
    "THAI": "Thai",
    "DEVANAGARI": "Hindi or another Devanagari-script language",
}


def _script(ch: str) -> str:
    words = unicodedata.name(ch, "").replace("HALFWIDTH ", "").split()
    return words[0] if words else ""


def _foreign_language(text: str) -> str | None:
    """The language of ``text`` when most of it — at least ``FOREIGN_SHARE`` of its letters —
    is in a script briefgen does not read (kana for Japanese, hangul for Korean, Cyrillic,
    Arabic …), else None. Han characters count as letters, so a Chinese readout quoting a
    Japanese or Korean name stays Chinese."""
    foreign = [ch for ch in _FOREIGN_RE.findall(text) if ch.isalpha()]
    kana = len(_KANA_RE.findall(text))
    if not foreign and not kana:
        return None
    counts: dict[str, int] = {}
    for ch in foreign:
        script = _script(ch)
        if script not in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
            counts[script] = counts.get(script, 0) + 1
    if kana:
        counts["KATAKANA"] = kana
    if not counts:
        return None
    han = len(text) - len(_HAN_RE.sub("", text))
    latin = len(_NOT_ASCII_LETTERS_RE.sub("", text))
    letters = han + latin + sum(counts.values())
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < FOREIGN_SHARE * letters:
        return None
    return _SCRIPT_LANGUAGES.get(script, f"a language written in {script.title()} script")


def _check_language(text: str, name: str) -> None:
    """Refuse a readout in a language briefgen cannot brief (Japanese, Korean, …), naming it,
    rather than extract it as if it were Chinese or English."""
    language = _foreign_language(text)
    if language:
        raise InputError(
            f"{name}: the text is in {language}; briefgen reads Chinese (Traditional or "
            "Simplified) and English readouts only"
        )


def _check_text_size(text: str, name: str) -> None:
    """The limit applies to the decoded text too (as UTF-8, as much as a 2 MiB UTF-8 file
    holds), whatever the format it came from."""
    if len(text) * 3 > MAX_BYTES and len(text.encode("utf-8")) > MAX_BYTES:
        size = len(text.encode("utf-8"))
        raise InputError(
            f"{name}: text is too large ({size / 1048576:.1f} MiB once decoded; the limit "
            f"is {MAX_BYTES // 1048576} MiB of text for a readout)"
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
    _check_text_size(text, name)
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
    _check_language(text, name)
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
    _check_text_size(text, name)
    _check_plausible(text, None if fmt == "docx" else enc, name)
    for number, para in enumerate(paragraphs, 1):
        bad = _CONTROL_RE.search(para)
        if bad:
            raise InputError(
                f"{name}: contains control character U+{ord(bad.group()):04X} in paragraph "
                f"{number} of the {_KINDS[fmt]}"
            )
    _check_language(text, name)
    return Source(
        paragraphs=paragraphs,
        language=detect_lang(text),
        encoding=enc,
        sha256=hashlib.sha256(data).hexdigest(),
        path=name,
        hints=dict(result.hints),
        format=fmt,
    )
