"""ingest: bytes or a path -> ``Source`` (decoded, normalized text split into paragraphs).

Refuses, with one clear ``InputError`` line, what is not a plain-text readout: empty or
huge files, binary data, HTML pages, undecodable bytes and control characters.
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

#: Largest input accepted, in bytes. A readout is a few pages; anything bigger is a mistake.
MAX_BYTES = 2 * 1024 * 1024

#: Encodings tried, in order, when the input is not UTF-8 and has no BOM. cp950 before big5:
#: Python's big5 codec rejects characters Windows' Big5 (cp950) accepts.
_FALLBACK_ENCODINGS = ("cp950", "big5hkscs", "gb18030")

_HTML_RE = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_TAG_RE = re.compile(r"</?(p|div|span|br|a|table|script|style)\b[^>]*>", re.I)
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]"
)


@dataclass(frozen=True)
class Source:
    """A decoded readout.

    ``paragraphs`` are the non-empty lines of the text, stripped; every later ``Span``
    points into them. ``hints`` carries metadata the clean stage found in page furniture
    (dateline, headline, outlet); ``removed`` lists the furniture lines it dropped.
    """

    paragraphs: tuple[str, ...]
    language: str
    encoding: str
    sha256: str
    path: str | None = None
    hints: Mapping[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)


def read_source(path: Path, encoding: str | None = None) -> Source:
    """Read ``path`` and ingest it (see ``ingest_bytes``)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path}: file is too large ({size / 1048576:.1f} MiB; the limit is "
                f"{MAX_BYTES // 1048576} MiB for a readout)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a readout file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
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
        f"{name}: cannot decode the text (not UTF-8, UTF-16, Big5/CP950, Big5-HKSCS or "
        "GB18030); name the encoding with --encoding"
    )


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


def _check_plausible(text: str, encoding: str, name: str) -> None:
    """Reject text whose decoding produced unassigned or private-use characters — the
    sign of a wrong encoding (e.g. random bytes that happen to start with a UTF-16 BOM)."""
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    if odd and odd >= max(1, len(text) // 100):
        raise InputError(
            f"{name}: does not look like text when decoded as {encoding} ({odd} unassigned or "
            "private-use characters); name the right encoding with --encoding"
        )


def ingest_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> Source:
    """Decode and check ``data``; split it into paragraphs (non-empty lines).

    Raises ``InputError`` for empty, oversized, binary, HTML or control-character input.
    """
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name}: input is too large ({len(data) / 1048576:.1f} MiB; the limit is "
            f"{MAX_BYTES // 1048576} MiB)"
        )
    text, enc = decode(data, name, encoding)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if _HTML_RE.search(text) or len(_TAG_RE.findall(text)) >= 3:
        raise InputError(f"{name}: looks like an HTML page; save the article as plain text first")
    _check_plausible(text, enc, name)
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(
            f"{name}: contains control character U+{ord(bad.group()):04X} on line {line}"
        )
    paragraphs = tuple(p for p in (line.strip(" \t\u3000\f\v") for line in text.split("\n")) if p)
    if not paragraphs:
        raise InputError(f"{name}: the file is empty")
    return Source(
        paragraphs=paragraphs,
        language=detect_lang(text),
        encoding=enc,
        sha256=hashlib.sha256(data).hexdigest(),
        path=name,
    )
