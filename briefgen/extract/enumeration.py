"""Agenda items from the article's own enumeration.

Markers: 一、 （一） (一) 第一， 第一是 1. 1、 (1) 1) ① (a) a. and bullets (• - *), with
full- or half-width punctuation. A *run* is a sequence of paragraphs starting with
consecutive numbers in one marker style. The agenda is the longest run that no other run
encloses; runs inside one of its items are that item's sub-items, recursively. An item is
``title：body`` (or ``title: body``, ``title — body``) in one paragraph, or a short title
line whose body is the paragraphs that follow it. Count and numbering come from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median_low

from .text import CN_NUMERAL, cn_to_int

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_BULLETS = "•‧·●▪■◆◇○◦-–*"
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^([{CN_NUMERAL}]{{1,3}})\s*[、，,．.]\s*")),
    ("cn-paren", re.compile(rf"^[（(]\s*([{CN_NUMERAL}]{{1,3}})\s*[）)]\s*")),
    ("cn-ordinal", re.compile(rf"^第([{CN_NUMERAL}]{{1,3}})(?:是|項|點)?\s*[，,、：:]\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("arabic-paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("arabic-half-paren", re.compile(r"^(\d{1,2})\s*[)）]\s*")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*")),
    ("latin-paren", re.compile(r"^[（(]([a-z])[）)]\s*")),
    ("latin", re.compile(r"^([a-z])[.)]\s+")),
    ("bullet", re.compile(rf"^([{re.escape(_BULLETS)}])\s+")),
]
#: Conventional nesting rank of each style (zh-TW documents: 一、 > （一） > 1、 > （1）;
#: English: 1. > (a) > bullets). Used only to decide whether a run that starts after the
#: last item of another run belongs to that item.
_RANK = {
    "cn": 0,
    "cn-ordinal": 0,
    "cn-paren": 1,
    "arabic": 2,
    "arabic-paren": 3,
    "arabic-half-paren": 3,
    "latin-paren": 3,
    "latin": 3,
    "circled": 4,
    "bullet": 5,
}
_TITLE_SEP_RE = re.compile(r"[：:]|\s[—–-]\s|——")
_SENTENCE_END = ("。", "！", "？", ".", "!", "?", "；", ";")
MAX_TITLE = 30
MAX_TITLE_LATIN = 90


@dataclass(frozen=True)
class Marker:
    """An enumeration marker at the start of a paragraph (bullets number 0)."""

    style: str
    number: int
    label: str  # the marker text as written, e.g. "一、"
    end: int  # offset where the text after the marker starts


def marker_at(para: str) -> Marker | None:
    """The enumeration marker ``para`` starts with, if any."""
    for style, rx in _MARKERS:
        m = rx.match(para)
        if not m or m.end() >= len(para):
            continue
        token = m.group(1)
        if style == "bullet":
            return Marker(style, 0, token, m.end())
        try:
            if style == "circled":
                number = _CIRCLED.index(token) + 1
            elif style.startswith("latin"):
                number = ord(token) - ord("a") + 1
            else:
                number = cn_to_int(token)
        except ValueError:
            continue
        if number < 1:
            continue
        return Marker(style, number, m.group(0).strip(), m.end())
    return None


@dataclass(frozen=True)
class RawItem:
    """An agenda item located in the cleaned paragraphs.

    ``title`` is ``(para, start, end)``; ``body`` a list of ``(para, start, end)``;
    ``children`` the items of an enumeration nested inside this one.
    """

    number: int
    label: str
    title: tuple[int, int, int]
    body: list[tuple[int, int, int]]
    children: list[RawItem] = field(default_factory=list)


@dataclass
class _Run:
    style: str
    members: list[tuple[int, Marker]]

    @property
    def first(self) -> int:
        return self.members[0][0]

    @property
    def last(self) -> int:
        return self.members[-1][0]


def _is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) > len(letters) / 2


def is_heading(para: str) -> bool:
    """A short line that is not a sentence: a title or subheading."""
    limit = MAX_TITLE_LATIN if _is_latin(para) else MAX_TITLE
    return len(para) <= limit and not para.rstrip().endswith(_SENTENCE_END)


def _runs(paragraphs: tuple[str, ...], lo: int, hi: int) -> list[_Run]:
    """Runs of consecutively numbered paragraphs in ``paragraphs[lo:hi]`` (2+ members)."""
    runs: list[_Run] = []
    current: dict[str, _Run] = {}
    for index in range(lo, hi):
        marker = marker_at(paragraphs[index])
        if marker is None:
            continue
        run = current.get(marker.style)
        if marker.style == "bullet":
            marker = Marker(
                "bullet", (run.members[-1][1].number if run else 0) + 1, marker.label, marker.end
            )
        if run and marker.number == run.members[-1][1].number + 1:
            run.members.append((index, marker))
            continue
        if run and len(run.members) >= 2:
            runs.append(run)
        current[marker.style] = _Run(marker.style, [(index, marker)])
        if marker.number != 1:
            del current[marker.style]
    runs.extend(r for r in current.values() if len(r.members) >= 2)
    return sorted(runs, key=lambda r: r.first)


def _extent_end(paragraphs: tuple[str, ...], run: _Run, hi: int) -> int:
    """Where the run's last item ends: before the next heading, or ``hi``."""
    index = run.last + 1
    while index < hi:
        para = paragraphs[index]
        marker = marker_at(para)
        if marker is None and is_heading(para):
            break
        if marker is not None and marker.style == run.style:
            break
        index += 1
    return index


def _top_run(paragraphs: tuple[str, ...], lo: int, hi: int) -> _Run | None:
    runs = _runs(paragraphs, lo, hi)
    top: list[_Run] = []
    for run in runs:
        enclosed = any(
            other.style != run.style
            and other.first < run.first < _extent_end(paragraphs, other, hi)
            and (run.first < other.last or _RANK[run.style] > _RANK[other.style])
            for other in runs
        )
        if not enclosed:
            top.append(run)
    if not top:
        return None
    return max(top, key=lambda r: (len(r.members), -r.first))


def find_items(paragraphs: tuple[str, ...], lo: int = 0, hi: int | None = None) -> list[RawItem]:
    """The agenda items of ``paragraphs[lo:hi]`` (empty when there is no enumeration)."""
    hi = len(paragraphs) if hi is None else hi
    run = _top_run(paragraphs, lo, hi)
    if run is None:
        return []
    end_of_run = _extent_end(paragraphs, run, hi)
    items: list[RawItem] = []
    for position, (index, marker) in enumerate(run.members):
        last = position + 1 == len(run.members)
        next_index = end_of_run if last else run.members[position + 1][0]
        if last and items:
            # The last item's body is as long as its siblings' usually are: what follows
            # is the article again, not the item.
            typical = median_low([len({p for p, _, _ in i.body} - {i.title[0]}) for i in items])
            if not any(i.children for i in items):
                next_index = min(next_index, index + 1 + typical)
        title, body = _title_and_body(paragraphs, index, marker, next_index)
        children = find_items(paragraphs, index + 1, next_index)
        if children:
            nested = {p for child in _walk(children) for p in _paragraphs_of(child)}
            body = [b for b in body if b[0] not in nested]
        items.append(RawItem(marker.number, marker.label, title, body, children))
    return items


def _title_and_body(
    paragraphs: tuple[str, ...], index: int, marker: Marker, next_index: int
) -> tuple[tuple[int, int, int], list[tuple[int, int, int]]]:
    para = paragraphs[index]
    limit = MAX_TITLE_LATIN if _is_latin(para) else MAX_TITLE
    sep = _TITLE_SEP_RE.search(para, marker.end)
    if sep and sep.end() >= len(para.rstrip()):
        sep = None  # "一、供應鏈安全：" alone on its line: a title, the body follows
    if sep and sep.start() - marker.end <= limit:
        title = (index, marker.end, sep.start())
        body = [(index, sep.end(), len(para))] if sep.end() < len(para) else []
        return title, body
    if is_heading(para[marker.end :]):
        title = (index, marker.end, len(para.rstrip().rstrip("：:")))
        body = []
        for follower in range(index + 1, next_index):
            text = paragraphs[follower]
            if marker_at(text) or is_heading(text):
                break
            body.append((follower, 0, len(text)))
        return title, body
    # No separate title: the first clause is the title, the whole paragraph the body.
    return (index, marker.end, _first_clause_end(para, marker.end, limit)), [
        (index, marker.end, len(para))
    ]


def _first_clause_end(para: str, start: int, limit: int) -> int:
    for i in range(start, min(len(para), start + limit)):
        if para[i] in "，,。；;" or (para[i] == "." and para[i + 1 : i + 2] in (" ", "")):
            return i
    end = min(len(para), start + limit)
    if _is_latin(para) and end < len(para):
        space = para.rfind(" ", start, end)
        end = space if space > start else end
    return end


def _walk(items: list[RawItem]) -> list[RawItem]:
    out: list[RawItem] = []
    for item in items:
        out.append(item)
        out.extend(_walk(item.children))
    return out


def _paragraphs_of(item: RawItem) -> set[int]:
    return {item.title[0], *(p for p, _, _ in item.body)}


def enumerated_paragraphs(items: list[RawItem]) -> set[int]:
    """Indexes of every paragraph that belongs to an item or a nested item."""
    used: set[int] = set()
    for item in _walk(items):
        used |= _paragraphs_of(item)
    return used
