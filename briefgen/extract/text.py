"""Text helpers shared by the extractors: Chinese numerals and sentence/clause splitting.

Splitting never breaks inside 「…」, 『…』, （…） or (…), and keeps decimals such as 3.5
and abbreviations such as U.S. whole. Every function returns offsets into the string it
was given, so provenance stays exact.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

CN_NUMERAL = "〇零一二兩三四五六七八九十百千"


def cn_to_int(text: str) -> int:
    """``七`` -> 7, ``十二`` -> 12, ``二十一`` -> 21, ``一百零五`` -> 105; digits pass through.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _CN_UNITS for ch in text):
        # Digit by digit, as years are written: 二〇二六 -> 2026.
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


_OPEN = "「『（(《〈【[“‘"
_CLOSE = "」』）)》〉】]”’"
_PAIR = dict(zip(_CLOSE, _OPEN, strict=True))


#: How many paragraphs' sentences and bracket depths are remembered: every finder reads
#: every paragraph again. ``extract`` forgets them when it is done.
_REMEMBERED = 8192


def forget_paragraphs() -> None:
    """Forget the remembered sentences and bracket depths."""
    bracket_depths.cache_clear()
    _sentence_spans.cache_clear()


@lru_cache(maxsize=_REMEMBERED)
def bracket_depths(text: str) -> tuple[int, ...]:
    """Nesting depth of matched brackets at each position of ``text``.

    An opening bracket that is never closed (a typo such as 「名稱（EPPD）會議 with no 」)
    does not count, so it cannot swallow the rest of the paragraph. A closing bracket
    matches the innermost open one of its kind; the ones opened after it are left
    unclosed. Linear in ``text`` (each kind keeps its own stack of open positions), and
    remembered (see ``_REMEMBERED``).
    """
    stack: list[int] = []  # positions of the open brackets, innermost last
    by_kind: dict[str, list[int]] = {}  # the same, per opening character
    matched: set[int] = set()
    for i, ch in enumerate(text):
        if ch in _OPEN and ch not in _CLOSE:
            stack.append(i)
            by_kind.setdefault(ch, []).append(i)
        elif ch in _PAIR:
            opened = by_kind.get(_PAIR[ch])
            if opened:
                start = opened[-1]
                matched.update((start, i))
                while stack:  # close it and leave every bracket opened inside it
                    inner = stack.pop()
                    by_kind[text[inner]].pop()
                    if inner == start:
                        break
    depths = []
    depth = 0
    for i, ch in enumerate(text):
        if i in matched and ch in _OPEN:
            depth += 1
        depths.append(depth)
        if i in matched and ch in _CLOSE:
            depth -= 1
    return tuple(depths)


_ZH_END = "。！？；!?;"
_ABBREV_RE = re.compile(r"(?:\b[A-Z]\.){1,3}$|(?:Mr|Mrs|Ms|Dr|No|St|Jr|Sr|vs|etc|Inc|Ltd|Co)\.$")


def sentence_spans(text: str, ends: str = _ZH_END) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` offsets, end including the
    terminal mark and any closing quotes after it, leading spaces excluded."""
    return list(_sentence_spans(text, ends))


@lru_cache(maxsize=_REMEMBERED)
def _sentence_spans(text: str, ends: str) -> tuple[tuple[int, int], ...]:
    """``sentence_spans``, remembered (see ``_REMEMBERED``)."""
    spans: list[tuple[int, int]] = []
    depths = bracket_depths(text)
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        # A full stop just inside a closing quote ends the sentence after the quote:
        # 外交部表示：「成果豐碩。」雙方… is two sentences.
        closes_quote = (
            ch in ends
            and depths[i] == 1
            and i + 1 < n
            and text[i + 1] in _CLOSE
            and (i + 2 >= n or depths[i + 2] == 0)
        )
        if closes_quote or (depths[i] == 0 and (ch in ends or _is_latin_stop(text, i))):
            j = i + 1
            while j < n and (text[j] in _CLOSE or text[j] in ends):
                j += 1
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return tuple(s for s in (_strip_span(text, a, b) for a, b in spans) if s[1] > s[0])


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding position ``at`` starts: after the last 。！？；;!? or line
    break before it (0 when there is none)."""
    return max(text.rfind(mark, 0, at) for mark in "。！？；;!?\n") + 1


def is_full_stop(text: str, i: int) -> bool:
    """Whether ``text[i]`` ends a sentence: 。！？!? or an English full stop (not a decimal
    point or the dot of an abbreviation such as U.S.)."""
    return text[i] in "。！？!?" or _is_latin_stop(text, i)


_MONTH_ABBREV_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")
_DAY_NEXT_RE = re.compile(r"\s+\d{1,2}\b")


def _is_latin_stop(text: str, i: int) -> bool:
    """A full stop in English text: '.' followed by space/end, not a decimal or abbreviation."""
    if text[i] != ".":
        return False
    if i + 1 < len(text) and not text[i + 1].isspace():
        return False
    if _MONTH_ABBREV_RE.search(text, max(0, i - 6), i + 1) and _DAY_NEXT_RE.match(text, i + 1):
        return False  # "Nov. 22", "on Sept. 9": a date, not the end of a sentence
    return not _ABBREV_RE.search(text[max(0, i - 6) : i + 1])


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# Connectives dropped from the start of a clause, each with the characters that, right
# after it, show it is part of another word instead (另外 is fine, 另一方面 is a word).
_CONNECTIVES: tuple[tuple[str, str], ...] = (
    ("以及", ""),
    ("並且", ""),
    ("同時，", ""),
    ("另外，", ""),
    ("此外，", ""),
    ("並", "不非"),
    ("另", "外一方"),
    ("且", ""),
)
# A comma, then a connective (，並 ，另 ，以及) or a commitment verb that opens a new
# predicate of the same subject (雙方同意A，研議B).
_CLAUSE_BREAK_RE = re.compile(
    r"[，,](?=(?:以及|同時|並且|並|另)(?!且)|(?:研議|研商|探索|探討|同意|支持)(?!下))"
)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split the sentence ``text[start:end]`` into clauses at a comma followed by a
    connective (，並 ，另 ，以及 …) or by a commitment verb (，研議 ，同意 …), outside
    brackets. Terminal punctuation and the leading
    connective are left out of each clause's span."""
    cuts: list[int] = []
    depths = bracket_depths(text)
    for i in range(start, end):
        if depths[i] == 0 and _CLAUSE_BREAK_RE.match(text, i):
            cuts.append(i)
    bounds = [start, *cuts, end]
    out: list[tuple[int, int]] = []
    for a, b in pairwise(bounds):
        if a in cuts:
            a += 1  # skip the comma
        for conn, word_chars in _CONNECTIVES:
            after = a + len(conn)
            if (
                text.startswith(conn, a)
                and b - after > 2
                and (not word_chars or text[after] not in word_chars)
            ):
                a = after
                break
        while b > a and text[b - 1] in "。；;，,、！？!? ":
            b -= 1
        if b > a:
            out.append((a, b))
    return out
