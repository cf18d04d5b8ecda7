"""Publication metadata from the furniture hints and the first paragraphs: date, outlet,
desk, author, headline."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .dates import parse_dateline

# 即時中心／顏一軒報導 ; 記者王小明／台北報導 ; （中央社記者張三華盛頓27日專電）
_BYLINE_RE = re.compile(
    r"(?P<desk>[^\s／/。，]{1,12})[／/](?P<author>[^\s／/。，]{1,12}?)(?:報導|报道)"
)
_REPORTER_RE = re.compile(r"記者(?P<author>[\u4e00-\u9fff]{2,4}?)(?:／|/|綜合報導|報導|\s)")
# （中央社記者張立群台北18日電） ; 新華社惠靈頓11月6日電（記者張偉）
_WIRE_RE = re.compile(
    r"[（(](?P<outlet>[^（）()\s記]{2,6}?)記者(?P<author>[\u4e00-\u9fff]{2,3})"
    r"(?P<place>[\u4e00-\u9fff]{2,4})\d{1,2}日(?:專)?電[）)]"
)
_WIRE_AFTER_RE = re.compile(
    r"^(?P<outlet>[^\s，。（]{2,6}?社)[^，。（]{0,12}?\d{1,2}日(?:專)?電[（(]記者"
    r"(?P<author>[\u4e00-\u9fff]{2,3})[）)]"
)
_BY_RE = re.compile(r"^By\s+(?P<author>[A-Z][\w.' -]{2,60})$", re.M)


@dataclass(frozen=True)
class Metadata:
    """What the article says about itself."""

    published: date | None
    outlet: str | None
    desk: str | None
    author: str | None
    headline: str | None


def read_metadata(hints: Mapping[str, str], paragraphs: tuple[str, ...]) -> Metadata:
    """Combine the dateline/byline hints with the first paragraphs."""
    dateline = hints.get("dateline", "")
    published = parse_dateline(dateline) if dateline else None
    if published is None:
        # A dateline inside the first paragraph ("WASHINGTON, Jan. 28, 2026 — …") or a
        # short date line of its own.
        for para in paragraphs[:2]:
            published = parse_dateline(para if len(para) <= 80 else para[:100])
            if published:
                break
    desk = author = None
    outlet = hints.get("outlet") or hints.get("column")
    for para in paragraphs[:2]:
        wire = _WIRE_RE.search(para[:60]) or _WIRE_AFTER_RE.search(para[:60])
        if wire:
            outlet = outlet or wire.group("outlet")
            author = wire.group("author")
            break
    for text in () if author else (dateline, hints.get("byline", ""), *paragraphs[:1]):
        m = _BYLINE_RE.search(text)
        if m:
            desk, author = m.group("desk"), m.group("author")
            if desk.startswith("記者"):
                desk, author = None, m.group("desk").removeprefix("記者")
            break
        m = _REPORTER_RE.search(text) or _BY_RE.search(text)
        if m:
            author = m.group("author").strip()
            break
    headline = hints.get("headline")
    if headline is None and paragraphs and _is_headline(paragraphs[0]):
        headline = paragraphs[0]
    return Metadata(published, outlet, desk, author, headline)


def _is_headline(para: str) -> bool:
    """A first line that is a title: short, not a sentence, not a dateline."""
    return (
        8 <= len(para) <= 120
        and not para.rstrip().endswith(("。", ".", "！", "？", "：", ":"))
        and parse_dateline(para) is None
        and not _BYLINE_RE.search(para)
    )
