"""Dates in readouts: datelines, absolute dates and relative ones resolved against the
publication date (今（28）日, 昨（23）日, 當地時間27日, 1月27日, 上週三, January 27,
last week …), with month and year roll-over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_ISO_RE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_ZH_FULL_RE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROC_RE = re.compile(r"(?:中華民國|民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROC_DOT_RE = re.compile(r"(?<![\d.])(\d{2,3})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
_MONTH = (
    r"(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_EN_RE = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def month_number(name: str) -> int:
    """``January``/``Jan.``/``Sept`` -> 1/1/9."""
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in _MONTHS].index(key) + 1


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_dateline(text: str) -> date | None:
    """The first full date in ``text``: 2026-01-28, 2024/10/24, 2026年1月28日,
    中華民國115年1月28日, 115.1.28 (ROC), January 28, 2026."""
    candidates: list[tuple[int, date]] = []
    for rx, roc in ((_ROC_RE, True), (_ZH_FULL_RE, False), (_ISO_RE, False), (_ROC_DOT_RE, True)):
        for m in rx.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            found = _safe(y + 1911 if roc else y, mo, d)
            if found:
                candidates.append((m.start(), found))
    for m in _EN_RE.finditer(text):
        found = _safe(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
        if found:
            candidates.append((m.start(), found))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


@dataclass(frozen=True)
class DateMention:
    """A date found in text: its value, and where the expression is."""

    value: date
    start: int
    end: int


# Relative forms. Order matters: the first pattern matching at a position wins.
_REL_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("md", re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("paren", re.compile(r"(今|昨|前|明)\s*[（(]\s*(\d{1,2})\s*[）)]\s*日")),
    ("d", re.compile(r"(?<![\d月（(])(\d{1,2})\s*日(?![\d])")),
    ("word", re.compile(r"(今天|今日|昨天|昨日|前天|明天|明日)")),
    ("last-week-day", re.compile(r"(?:上週|上周|上星期|上禮拜)([一二三四五六日天])")),
    ("last-week", re.compile(r"上週|上周|上星期|上禮拜|last week", re.I)),
    ("en-mdy", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("en-dmy", re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b")),
    ("en-md", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")),
    ("en-word", re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)),
]
_WEEKDAYS = "一二三四五六日"
_WORD_OFFSETS = {
    "今天": 0,
    "今日": 0,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "明天": 1,
    "明日": 1,
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
}


def resolve_day(day: int, published: date, month: int | None = None) -> date | None:
    """The date with this day (and month) nearest on or before ``published``, rolling back
    across a month or year boundary; a date up to 7 days after publication is allowed for
    announced events."""
    if month is not None:
        for year in (published.year, published.year - 1):
            found = _safe(year, month, day)
            if found and found <= published + timedelta(days=7):
                return found
        return _safe(published.year, month, day)
    y, m = published.year, published.month
    for _ in range(3):
        found = _safe(y, m, day)
        if found and found <= published + timedelta(days=7):
            return found
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return None


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text`` resolved to a date (relative ones need
    ``published``), in order of appearance, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, rx in _REL_PATTERNS:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            value: date | None = None
            if kind == "ymd":
                value = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif kind == "en-mdy":
                value = _safe(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
            elif kind == "en-dmy":
                value = _safe(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
            elif published is None:
                continue
            elif kind == "md":
                value = resolve_day(int(m.group(2)), published, int(m.group(1)))
            elif kind == "paren" or kind == "d":
                value = resolve_day(int(m.group(m.lastindex or 1)), published)
            elif kind in ("word", "en-word"):
                value = published + timedelta(days=_WORD_OFFSETS[m.group(1).lower()])
            elif kind == "last-week-day":
                weekday = _WEEKDAYS.index(m.group(1).replace("天", "日"))
                monday = published - timedelta(days=published.weekday() + 7)
                value = monday + timedelta(days=weekday)
            elif kind == "last-week":
                value = published - timedelta(days=7)
            elif kind == "en-md":
                value = resolve_day(int(m.group(2)), published, month_number(m.group(1)))
            if value:
                taken.append((m.start(), m.end()))
                found.append(DateMention(value, m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
