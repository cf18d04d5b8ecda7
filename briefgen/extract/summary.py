"""What the article says in brief: the bottom line (its lede, two or three sentences taken
as written), its key sentences when it has no agenda, and the next steps it announces."""

from __future__ import annotations

import math
import re

from .enumeration import is_heading
from .text import sentence_spans

MIN_CHARS = 60
MAX_SENTENCES = 3


def lede_spans(paragraphs: tuple[str, ...], skip: set[int]) -> list[tuple[int, int, int]]:
    """``(para, start, end)`` of the first sentences of the article: at least two (when the
    lede has them) and enough to say what happened, at most three. Headings are passed
    over; the lede ends where the agenda (``skip``) begins, or after three paragraphs."""
    chosen: list[tuple[int, int, int]] = []
    length = 0
    seen = 0
    for index, para in enumerate(paragraphs):
        if index in skip:
            if chosen:
                break
            continue
        if _is_heading(para):
            continue
        seen += 1
        if seen > 3 and chosen:
            break
        for start, end in sentence_spans(para):
            chosen.append((index, start, end))
            length += end - start
            if len(chosen) >= MAX_SENTENCES or (len(chosen) >= 2 and length >= MIN_CHARS):
                return chosen
    return chosen


def _is_heading(para: str) -> bool:
    return is_heading(para)


_NEXT_STEP_RE = re.compile(
    r"未來|將於|預定|預計|下一輪|下屆|下次|下一次|明年|後續|工作小組|工作組|持續追蹤|定期|"
    r"working group|next round|next meeting|next dialogue|follow[- ]up|will be held|"
    r"will (?:hold|convene|meet|reconvene)|agreed to (?:establish|set up|create)",
    re.I,
)
#: Inside agenda items only the strongest signs count: a new body or the next meeting.
_NEXT_STEP_IN_ITEMS_RE = re.compile(
    r"工作小組|工作組|下一輪|下屆|下次會議|working group|next round|will be held", re.I
)


def next_step_spans(paragraphs: tuple[str, ...], skip: set[int]) -> list[tuple[int, int, int]]:
    """Sentences that say what happens next, in order: outside the agenda items (未來…將…,
    預定明年…舉行, "the next round"), and inside them where a working group is set up or
    the next meeting is named."""
    found = []
    for index, para in enumerate(paragraphs):
        pattern = _NEXT_STEP_IN_ITEMS_RE if index in skip else _NEXT_STEP_RE
        for start, end in sentence_spans(para):
            if pattern.search(para[start:end]):
                found.append((index, start, end))
    return found


def _units(sentence: str) -> set[str]:
    """Comparison units: lower-cased words for Latin text, character bigrams for Chinese."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", sentence)
    han = re.sub(r"[^\u3400-\u9fff]", "", sentence)
    return {w.lower() for w in words if len(w) > 3} | {han[i : i + 2] for i in range(len(han) - 1)}


def key_point_spans(
    paragraphs: tuple[str, ...], skip: set[int], count: int = 5
) -> list[tuple[int, int, int]]:
    """The ``count`` most central sentences (TextRank over word/character-bigram overlap),
    returned in article order. Headings, very short sentences and ``skip`` paragraphs are
    left out."""
    sentences = [
        (index, start, end)
        for index, para in enumerate(paragraphs)
        if index not in skip and not _is_heading(para)
        for start, end in sentence_spans(para)
        if end - start >= 12
    ]
    if len(sentences) <= count:
        return sentences
    units = [_units(paragraphs[p][a:b]) for p, a, b in sentences]
    n = len(sentences)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if units[i] and units[j]:
                overlap = len(units[i] & units[j])
                if overlap:
                    w = overlap / (math.log(len(units[i]) + 1) + math.log(len(units[j]) + 1))
                    weights[i][j] = weights[j][i] = w
    totals = [sum(row) or 1.0 for row in weights]
    scores = [1.0] * n
    for _ in range(50):
        scores = [
            0.15 + 0.85 * sum(weights[j][i] / totals[j] * scores[j] for j in range(n))
            for i in range(n)
        ]
    best = sorted(range(n), key=lambda i: (-scores[i], i))[:count]
    return [sentences[i] for i in sorted(best)]
