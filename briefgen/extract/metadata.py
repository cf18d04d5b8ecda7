"""Publication metadata from the furniture hints and the first paragraphs: date, outlet,
desk, author, headline."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..lazyre import lazy
from .dates import parse_dateline

# 即時中心／顏一軒報導 ; 記者王小明／台北報導 ; （中央社記者張三華盛頓27日專電）
_BYLINE_RE = lazy(r"(?P<desk>[^\s／/。，]{1,12})[／/](?P<author>[^\s／/。，]{1,12}?)(?:報導|报道)")
_REPORTER_RE = lazy(r"記者(?P<author>[\u4e00-\u9fff]{2,4}?)(?:／|/|綜合報導|報導|\s)")
# （中央社記者張立群台北18日電） ; 新華社惠靈頓11月6日電（記者張偉）
_WIRE_RE = lazy(
    r"[（(](?P<outlet>[^（）()\s記]{2,6}?)記者(?P<author>[\u4e00-\u9fff]{2,3})"
    r"(?P<place>[\u4e00-\u9fff]{2,4})\d{1,2}日(?:專)?電[）)]"
)
_WIRE_AFTER_RE = lazy(
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
    published = find_published(hints, paragraphs)
    desk = author = None
    outlet = hints.get("outlet") or hints.get("column")
    for para in paragraphs[:2]:
        wire = _WIRE_RE.search(para[:60]) or _WIRE_AFTER_RE.search(para[:60])
        if wire:
            outlet = outlet or wire.group("outlet")
            author = wire.group("author")
            break
    dateline = hints.get("dateline", "")
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


#: How many paragraphs from the top may still be the page's header (navigation,
#: headline, outlet, date line), and how many long paragraphs of the article it may reach.
HEADER_PARAGRAPHS = 10
HEADER_LONG = 2
#: A short line: a date line, a headline, a byline, a breadcrumb.
SHORT_LINE = 80
_SENTENCE_ENDS = ("。", ".", "！", "!", "？", "?")
#: What a date line may hold besides its date: a label, a time, a source.
DATE_LINE_REST = 16
_DATEISH_RE = lazy(
    r"\d+|[年月日/:：.\-,，\s]|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?|AM|PM",
    re.I,
)
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# The opening of an article paragraph that is a dateline: "Mumbai, January 13, 2024:",
# "WASHINGTON, Jan. 28, 2026 —", "Tokyo, Nov. 22 (CNA)", （中央社記者…台北2023年12月22日電）,
# 新华社北京11月30日电, 【大紀元7月10日報導】.
OPENING_DATELINE_RE = lazy(
    rf"^\s*(?:[A-Z][\w.'’ -]{{1,40}},\s+)?{_MONTH_WORD}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    r"\s*(?:[:：—–-]|\([A-Z][\w .-]{1,20}\))"
    r"|^\s*[（(【〔][^（）()【】〔〕]{0,40}?(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:專|专)?(?:電|电|報導|报道|訊|讯)[）)】〕]"
    r"|^\s*[^，。,\s]{2,12}?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:專|专)?(?:電|电)"
)
_MONTH_DAY_RE = lazy(rf"(\d{{1,2}})月(\d{{1,2}})日|({_MONTH_WORD})\s+(\d{{1,2}})\b")


def find_published(hints: Mapping[str, str], paragraphs: tuple[str, ...]) -> date | None:
    """The publication date: the reader's hint (a <meta> time, the store's date line),
    else the first full date in the page's header region — a short line of its own
    (``2017/11/22 18:58``, ``發布日期:108-12-10``, ``Published 11 January 2025``,
    ``13.12.2024``) or the dateline that opens the first article paragraphs. A wire
    dateline without its year (``新华社北京11月30日电``, ``Tokyo, Nov. 22 (CNA)``) takes it
    from the same month and day written in full in the text."""
    dateline = hints.get("dateline", "")
    published = parse_dateline(dateline) if dateline else None
    if published:
        return published
    # A line that is mostly its date (``November 4, 2022``, ``發布日期:108-12-10``) is the
    # date line, before a headline that carries a date ("… Dialogue (November 1, 2022)").
    header = _header_region(paragraphs)
    for para in header:
        if len(para) <= SHORT_LINE and not para.rstrip().endswith(_SENTENCE_ENDS):
            found = parse_dateline(para)
            if found and len(_DATEISH_RE.sub("", para)) <= DATE_LINE_REST:
                return found
    long_seen = 0
    for para in paragraphs[:HEADER_PARAGRAPHS]:
        if len(para) <= SHORT_LINE and not OPENING_DATELINE_RE.match(para):
            if para.rstrip().endswith(_SENTENCE_ENDS):
                continue  # a short sentence of the article, not a date line
            found = parse_dateline(para)
            if found:
                return found
            continue
        opening = OPENING_DATELINE_RE.match(para)
        if opening:
            found = parse_dateline(opening.group())
            if found:
                return found
            return _year_from_text(opening.group(), paragraphs)
        if len(para) > 2 * SHORT_LINE or para.rstrip().endswith(_SENTENCE_ENDS):
            long_seen += 1  # an article paragraph, not a long headline
            if long_seen >= HEADER_LONG:
                break
    return None


def _header_region(paragraphs: tuple[str, ...]) -> list[str]:
    """The paragraphs before the article's second long paragraph (at most the first
    ``HEADER_PARAGRAPHS``)."""
    region: list[str] = []
    long_seen = 0
    for para in paragraphs[:HEADER_PARAGRAPHS]:
        if len(para) > 2 * SHORT_LINE or para.rstrip().endswith(_SENTENCE_ENDS):
            long_seen += 1
            if long_seen >= HEADER_LONG:
                break
        region.append(para)
    return region


def _year_from_text(dateline: str, paragraphs: tuple[str, ...]) -> date | None:
    """A dateline's month and day, in a year the text writes out for that same day."""
    from .dates import month_number

    m = _MONTH_DAY_RE.search(dateline)
    if not m:
        return None
    if m.group(1):
        month, day = int(m.group(1)), int(m.group(2))
    else:
        month, day = month_number(m.group(3)), int(m.group(4))
    for para in paragraphs:
        for found in _full_dates(para):
            if (found.month, found.day) == (month, day):
                return found
    return None


def _full_dates(text: str) -> list[date]:
    from .dates import find_dates

    return [m.value for m in find_dates(text, None) if m.explicit]


def _is_headline(para: str) -> bool:
    """A first line that is a title: short, not a sentence, not a dateline."""
    return (
        8 <= len(para) <= 120
        and not para.rstrip().endswith(("。", ".", "！", "？", "：", ":"))
        and parse_dateline(para) is None
        and not _BYLINE_RE.search(para)
    )
