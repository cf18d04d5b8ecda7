"""Dates in readouts: datelines, absolute dates and relative ones resolved against the
publication date (今（28）日, 昨（23）日, 當地時間27日, 1月27日, 上週三, January 27,
last week …), with month and year roll-over."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..lazyre import Regex, lazy

_ISO_RE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_ZH_FULL_RE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROC_RE = re.compile(r"(?:中華民國|民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROC_DOT_RE = re.compile(r"(?<![\d.])(\d{2,3})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
# 113年04月02日 (ROC year without 中華民國), 108-12-10 / 108/12/10 (ROC, as 政府 pages date)
_ROC_BARE_RE = re.compile(r"(?<![\d年])(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ROC_DASH_RE = re.compile(r"(?<![\d./-])(\d{2,3})[-/](\d{1,2})[-/](\d{1,2})(?![\d./-])")
# 13.12.2024 (day first, as European pages date)
_DMY_DOT_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")
# 03/07/2025 10:05 AM (month first, as US pages date; day first when the first is > 12)
_SLASH_YEAR_LAST_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_MONTH = (
    r"(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_EN_RE = lazy(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_EN_DMY_RE = lazy(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(\d{{4}})\b")
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
    for rx, roc in (
        (_ROC_RE, True),
        (_ZH_FULL_RE, False),
        (_ISO_RE, False),
        (_ROC_DOT_RE, True),
        (_ROC_BARE_RE, True),
        (_ROC_DASH_RE, True),
    ):
        for m in rx.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            if roc and not 1 <= y <= 200:
                continue
            found = _safe(y + 1911 if roc else y, mo, d)
            if found:
                candidates.append((m.start(), found))
    for m in _DMY_DOT_RE.finditer(text):
        found = _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if found:
            candidates.append((m.start(), found))
    for m in _SLASH_YEAR_LAST_RE.finditer(text):
        first, second, year = (int(g) for g in m.groups())
        found = _safe(year, second, first) if first > 12 else _safe(year, first, second)
        if found:
            candidates.append((m.start(), found))
    for m in _EN_RE.finditer(text):
        found = _safe(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
        if found:
            candidates.append((m.start(), found))
    for m in _EN_DMY_RE.finditer(text):
        found = _safe(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
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
    #: The last day, for a range (7月28日至29日, December 12-13): ``value`` is the first.
    last: date | None = field(default=None, compare=False)
    #: Whether the text wrote the year; a month and day alone are resolved against the
    #: publication date, which only holds for events near it.
    explicit: bool = field(default=False, compare=False)
    #: Which form it was written in (``md`` for 1月27日, ``en-md`` for January 27, …).
    kind: str = field(default="", compare=False)


# A range's second day: 7月28日至29日, 28至29日, 6月9日至10日, 28-29日, December 12-13,
# 12 to 13 December. Matched right after a date mention.
_ZH_RANGE_TAIL_RE = re.compile(r"\s*(?:至|到|~|～|－|-|—|–)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_ZH_DAY_RANGE_RE = lazy(r"(?<![\d月（(])(\d{1,2})\s*(?:至|到|~|～|－|-|—|–)\s*(\d{1,2})\s*日")
_EN_RANGE_TAIL_RE = re.compile(
    r"\s*(?:-|–|—|to|through|and)\s*(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:%|per))"
)

# Relative forms. Order matters: the first pattern matching at a position wins.
_REL_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("roc-ymd", _ROC_BARE_RE),
    # 今(2025)年1月14日: this year, named in brackets
    (
        "this-year",
        re.compile(r"(?:今|本)\s*[（(]\s*(\d{4})\s*[）)]\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    ),
    # 本（12）月12日: this month, named in brackets
    ("this-month", re.compile(r"本\s*[（(]\s*(\d{1,2})\s*[）)]\s*月\s*(\d{1,2})\s*日")),
    ("md", re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("day-range", _ZH_DAY_RANGE_RE),
    # 今（28）日, 昨(23)日, 本(10)日, 今(5日)
    ("paren", lazy(r"(今|昨|前|明|本)\s*[（(]\s*(\d{1,2})\s*(?:[）)]\s*日|日\s*[）)])")),
    ("d", re.compile(r"(?<![\d月（(])(\d{1,2})\s*日(?![\d])")),
    ("word", re.compile(r"(今天|今日|昨天|昨日|前天|明天|明日)")),
    # 昨在台北簽署, 今於華府舉行, 昨晚: the bare day words before a place or a time of day
    ("bare-word", re.compile(r"(昨|今)(?=在|於|赴|與|和|同|晚|早|上午|下午|中午|凌晨|清晨)")),
    ("last-week-day", re.compile(r"(?:上週|上周|上星期|上禮拜)([一二三四五六日天])")),
    ("last-week", re.compile(r"上週|上周|上星期|上禮拜|last week", re.I)),
    ("week-day", lazy(r"(?:本週|本周|週|周|星期|禮拜)([一二三四五六日天])(?![年月])")),
    # 6-7 November 1989, 12-13 December
    (
        "en-dmy-range",
        lazy(rf"\b(\d{{1,2}})\s*(?:-|–|—|to)\s*(\d{{1,2}})\s+{_MONTH}(?:\s*,?\s+(\d{{4}}))?\b"),
    ),
    ("en-mdy", _EN_RE),
    ("en-dmy", lazy(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(\d{{4}})\b")),
    ("en-md", lazy(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})")),
    ("en-dm", lazy(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\b")),
    ("en-word", re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)),
    (
        "en-weekday",
        re.compile(r"\bon\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ),
]
_WEEKDAYS = "一二三四五六日"
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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
_PAREN_OFFSETS = {"今": 0, "本": 0, "昨": -1, "前": -2, "明": 1}


#: A year written in digits (1993, 2025).
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def names_other_year(text: str, when: date | None, year_re: Regex = YEAR_RE) -> bool:
    """Whether ``text`` names a year (as ``year_re`` finds it) other than that of ``when``,
    the meeting's date: then it tells of another time. False when ``when`` is unknown."""
    return when is not None and any(int(y) != when.year for y in year_re.findall(text))


def shift(day: date, days: int) -> date | None:
    """``day`` moved by ``days``, or None past the ends of the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def resolve_day(day: int, published: date, month: int | None = None) -> date | None:
    """The date with this day (and month) nearest on or before ``published``, rolling back
    across a month or year boundary; a date up to 7 days after publication is allowed for
    announced events."""
    latest = shift(published, 7) or published
    if month is not None:
        for year in (published.year, published.year - 1):
            found = _safe(year, month, day) if year >= 1 else None
            if found and found <= latest:
                return found
        return _safe(published.year, month, day)
    y, m = published.year, published.month
    for _ in range(3):
        found = _safe(y, m, day) if y >= 1 else None
        if found and found <= latest:
            return found
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return None


def _weekday_before(published: date, weekday: int) -> date | None:
    """The last ``weekday`` (0 = Monday) on or before ``published``."""
    return shift(published, -((published.weekday() - weekday) % 7))


def _relative(kind: str, m: re.Match[str], published: date) -> date | None:
    """The date a relative expression names, read against ``published``."""
    if kind in ("md", "this-month"):
        return resolve_day(int(m.group(2)), published, int(m.group(1)))
    if kind == "day-range":
        return resolve_day(int(m.group(1)), published)
    if kind == "paren":
        offset = _PAREN_OFFSETS[m.group(1)]
        moved = shift(published, offset)
        if moved is None:
            return None
        return (
            resolve_day(int(m.group(2)), moved)
            if offset
            else resolve_day(int(m.group(2)), published)
        )
    if kind == "d":
        return resolve_day(int(m.group(1)), published)
    if kind in ("word", "en-word"):
        return shift(published, _WORD_OFFSETS[m.group(1).lower()])
    if kind == "bare-word":
        return shift(published, -1 if m.group(1) == "昨" else 0)
    if kind == "en-dmy-range":
        return resolve_day(int(m.group(1)), published, month_number(m.group(3)))
    if kind == "last-week-day":
        weekday = _WEEKDAYS.index(m.group(1).replace("天", "日"))
        monday = shift(published, -(published.weekday() + 7))
        return shift(monday, weekday) if monday else None
    if kind == "last-week":
        return shift(published, -7)
    if kind == "week-day":
        return _weekday_before(published, _WEEKDAYS.index(m.group(1).replace("天", "日")))
    if kind == "en-weekday":
        return _weekday_before(published, _EN_WEEKDAYS.index(m.group(1).lower()))
    if kind == "en-md":
        return resolve_day(int(m.group(2)), published, month_number(m.group(1)))
    if kind == "en-dm":
        return resolve_day(int(m.group(1)), published, month_number(m.group(2)))
    return None


def _range_last(kind: str, text: str, m: re.Match[str], value: date) -> tuple[date | None, int]:
    """The last day of a range starting with mention ``m`` (and where the range ends in
    ``text``), or ``(None, m.end())``."""
    if kind == "en-dmy-range":
        last = _safe(value.year, value.month, int(m.group(2)))
        return (last, m.end()) if last and last >= value else (None, m.end())
    if kind == "day-range":
        last = _safe(value.year, value.month, int(m.group(2)))
        return (last, m.end()) if last and last >= value else (None, m.end())
    if kind in ("ymd", "roc-ymd", "this-year", "md", "this-month", "d", "paren"):
        tail = _ZH_RANGE_TAIL_RE.match(text, m.end())
        if tail:
            month = int(tail.group(1)) if tail.group(1) else value.month
            year = value.year + (1 if month < value.month else 0)
            last = _safe(year, month, int(tail.group(2)))
            if last and last > value:
                return last, tail.end()
    if kind in ("en-md", "en-mdy"):
        tail = _EN_RANGE_TAIL_RE.match(text, m.end(2))
        if tail:
            last = _safe(value.year, value.month, int(tail.group(1)))
            if last and last > value:
                if kind == "en-mdy":
                    return last, m.end()
                return last, tail.end()
    return None, m.end()


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text`` resolved to a date (relative ones need
    ``published``), in order of appearance, without overlaps. A range is one mention
    whose ``value`` is its first day and ``last`` its last."""
    taken: list[tuple[int, int]] = []  # sorted, never overlapping
    found: list[DateMention] = []

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(taken, (start, start))
        return (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end)

    for kind, rx in _REL_PATTERNS:
        for m in rx.finditer(text):
            if overlaps(m.start(), m.end()):
                continue
            value: date | None = None
            explicit = kind in ("ymd", "roc-ymd", "this-year", "en-mdy", "en-dmy") or (
                kind == "en-dmy-range" and bool(m.group(4))
            )
            if kind in ("ymd", "this-year"):
                value = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif kind == "roc-ymd":
                year = int(m.group(1))
                value = (
                    _safe(year + 1911, int(m.group(2)), int(m.group(3))) if year <= 200 else None
                )
            elif kind == "en-mdy":
                value = _safe(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
            elif kind == "en-dmy":
                value = _safe(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
            elif kind == "en-dmy-range" and m.group(4):
                value = _safe(int(m.group(4)), month_number(m.group(3)), int(m.group(1)))
            elif published is not None:
                value = _relative(kind, m, published)
            if value:
                last, end = _range_last(kind, text, m, value)
                if overlaps(m.start(), end):
                    end = m.end()
                    last = None
                insort(taken, (m.start(), end))
                found.append(DateMention(value, m.start(), end, last, explicit, kind))
    return sorted(found, key=lambda d: d.start)
