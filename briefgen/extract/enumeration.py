"""Agenda items from the article's own enumeration (一、 二、 …, （一）, 第一, 1. , ① …).

The longest run of paragraphs that start with consecutive numbers in one marker style is
the agenda. An item is ``title：body`` in one paragraph, or a short title line whose body
is the paragraphs that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import CN_NUMERAL, cn_to_int

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^([{CN_NUMERAL}]{{1,3}})\s*[、，,．.]\s*")),
    ("cn-paren", re.compile(rf"^[（(]\s*([{CN_NUMERAL}]{{1,3}})\s*[）)]\s*")),
    ("cn-ordinal", re.compile(rf"^第([{CN_NUMERAL}]{{1,3}})(?:是|項|點)?\s*[，,、：:]\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("arabic-paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("arabic-half-paren", re.compile(r"^(\d{1,2})\s*[)）]\s*")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*")),
]
_TITLE_SEP_RE = re.compile(r"[：:]")
MAX_TITLE = 30


@dataclass(frozen=True)
class Marker:
    """An enumeration marker at the start of a paragraph."""

    style: str
    number: int
    label: str  # the marker text as written, e.g. "一、"
    end: int  # offset where the text after the marker starts


def marker_at(para: str) -> Marker | None:
    """The enumeration marker ``para`` starts with, if any."""
    for style, rx in _MARKERS:
        m = rx.match(para)
        if not m:
            continue
        token = m.group(1)
        try:
            number = _CIRCLED.index(token) + 1 if style == "circled" else cn_to_int(token)
        except ValueError:
            continue
        if number < 1 or m.end() >= len(para):
            continue
        return Marker(style, number, m.group(0).strip(), m.end())
    return None


@dataclass(frozen=True)
class RawItem:
    """An agenda item located in the cleaned paragraphs.

    ``title`` is ``(para, start, end)``; ``body`` is a list of ``(para, start, end)``.
    """

    number: int
    label: str
    title: tuple[int, int, int]
    body: list[tuple[int, int, int]]


def _runs(paragraphs: tuple[str, ...]) -> list[list[tuple[int, Marker]]]:
    runs: list[list[tuple[int, Marker]]] = []
    current: dict[str, list[tuple[int, Marker]]] = {}
    for index, para in enumerate(paragraphs):
        marker = marker_at(para)
        if marker is None:
            continue
        run = current.get(marker.style)
        if run and marker.number == run[-1][1].number + 1:
            run.append((index, marker))
        else:
            if run:
                runs.append(run)
            current[marker.style] = [(index, marker)] if marker.number == 1 else []
    runs.extend(r for r in current.values() if r)
    return [r for r in runs if len(r) >= 2]


def _is_heading(para: str) -> bool:
    return len(para) <= MAX_TITLE and not para.endswith(("。", "！", "？", ".", "!", "?", "；"))


def find_items(paragraphs: tuple[str, ...]) -> list[RawItem]:
    """The agenda items of the longest enumeration run (empty when there is none)."""
    runs = _runs(paragraphs)
    if not runs:
        return []
    run = max(runs, key=lambda r: (len(r), -r[0][0]))
    items: list[RawItem] = []
    for position, (index, marker) in enumerate(run):
        para = paragraphs[index]
        next_index = run[position + 1][0] if position + 1 < len(run) else len(paragraphs)
        sep = _TITLE_SEP_RE.search(para, marker.end)
        if sep and sep.end() >= len(para.rstrip()):
            sep = None  # "一、供應鏈安全：" alone on its line: a title, body follows
        if sep and sep.start() - marker.end <= MAX_TITLE:
            title = (index, marker.end, sep.start())
            body = [(index, sep.end(), len(para))] if sep.end() < len(para) else []
        elif _is_heading(para[marker.end :]):
            title = (index, marker.end, len(para.rstrip("：:")))
            body = []
            for follower in range(index + 1, next_index):
                text = paragraphs[follower]
                if _is_heading(text) or marker_at(text):
                    break
                body.append((follower, 0, len(text)))
        else:
            # No separate title: the first clause is the title, the paragraph the body.
            end = _first_clause_end(para, marker.end)
            title = (index, marker.end, end)
            body = [(index, marker.end, len(para))]
        items.append(RawItem(marker.number, marker.label, title, body))
    return items


def _first_clause_end(para: str, start: int) -> int:
    for i in range(start, min(len(para), start + MAX_TITLE)):
        if para[i] in "，,。；;":
            return i
    return min(len(para), start + MAX_TITLE)


def enumerated_paragraphs(items: list[RawItem]) -> set[int]:
    """Indexes of every paragraph that belongs to an item."""
    used = {item.title[0] for item in items}
    for item in items:
        used.update(p for p, _, _ in item.body)
    return used
