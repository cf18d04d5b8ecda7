"""What the article says in brief: the bottom line (its lede, two or three sentences taken
as written), its key sentences when it has no agenda, and the next steps it announces."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter

from ..lazyre import lazy
from .enumeration import is_heading
from .text import sentence_spans

MIN_CHARS = 60
MAX_SENTENCES = 3


# A photo credit or a source in brackets, alone as a "sentence": （經濟部提供）, (示意圖/記者王
# 照坤 攝), （新華社）, （讀者提供）.
_CREDIT_RE = lazy(
    r"^[（(〔【\[][^（）()〔〕【】\[\]]{0,40}(?:提供|攝|摄|圖|图|社|報導|报道|photo|Photo|"
    r"credit|Credit|source|Source)[^（）()〔〕【】\[\]]{0,10}[）)〕】\]]$"
)
# Datelines and bylines that open an article's first sentence: 【大紀元7月10日報導】,
# (中央社記者王怡文威靈頓10日專電), 〔記者彭琬馨/台北報導〕, "Tokyo, Nov. 22 (CNA)",
# "Mumbai, January 13, 2024:".
_LEAD_FURNITURE_RE = lazy(
    r"^\s*(?:(?:[【〔(（][^【】〔〕()（）]{0,40}?(?:報導|报道|電|电|訊|讯)[】〕)）]"
    r"|[^，,。\s（(]{2,8}\s?[^，,。\s（(]{0,8}?\d{1,2}月\d{1,2}日(?:專|专)?(?:電|电)"
    r"|[（(]\s*(?:記者|记者)[^（）()]{1,20}[）)])\s*)+"
    r"|^\s*[A-Z][A-Za-z.' ]{1,30},?\s+(?:[A-Z]\.[A-Z]\.\s+)?[–—-]\s+"
    r"|^\s*[A-Z][\w.'’ -]{1,40},\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+\d{1,2}(?:,?\s+\d{4})?\s*(?:[:：—–-]|\([A-Z][\w .-]{1,20}\))\s*"
)
#: A paragraph this long that does not end like a sentence is a headline, not the lede.
HEADLINE_MAX = 200


def is_date_only(text: str) -> bool:
    """A date with little around it (商务部2021-8-27): a footer, not a sentence."""
    from .dates import parse_dateline

    return (
        len(text) <= 30
        and parse_dateline(text) is not None
        and len(re.sub(r"[\d\s:：./\-年月日]", "", text)) <= 6
    )


def is_credit(text: str) -> bool:
    """A bracketed photo credit or source (（經濟部提供）): page furniture, not a sentence."""
    return bool(_CREDIT_RE.match(text.strip()))


def _caption(para: str) -> bool:
    """A photo caption: a paragraph that ends in a bracketed credit."""
    spans = sentence_spans(para)
    return len(spans) >= 2 and is_credit(para[spans[-1][0] : spans[-1][1]])


def is_headline(para: str) -> bool:
    """A short paragraph that does not end like a sentence: a headline or subheading."""
    return len(para) <= HEADLINE_MAX and not para.rstrip().endswith(
        ("。", ".", "！", "!", "？", "?", "」", "”", '"', "；", ";")
    )


def article_sentences(para: str) -> list[tuple[int, int]]:
    """The sentences of ``para`` without a dateline or byline that opens it and without
    bracketed credits."""
    lead = _LEAD_FURNITURE_RE.match(para)
    offset = lead.end() if lead else 0
    return [
        (offset + a, offset + b)
        for a, b in sentence_spans(para[offset:])
        if not is_credit(para[offset + a : offset + b])
    ]


def lede_spans(paragraphs: tuple[str, ...], skip: set[int]) -> list[tuple[int, int, int]]:
    """``(para, start, end)`` of the first sentences of the article: at least two (when the
    lede has them) and enough to say what happened, at most three. Headings, headlines,
    photo captions, credits and an opening dateline are passed over; the lede ends where
    the agenda (``skip``) begins, or after three paragraphs. An article that is numbered
    from its first paragraph (a joint statement) has that paragraph's opening as its
    lede."""
    chosen: list[tuple[int, int, int]] = []
    length = 0
    seen = 0
    for index, para in enumerate(paragraphs):
        if index in skip:
            if chosen:
                break
            continue
        if _is_heading(para) or is_headline(para) or _caption(para):
            continue
        seen += 1
        if seen > 3 and chosen:
            break
        for start, end in article_sentences(para):
            chosen.append((index, start, end))
            length += end - start
            if len(chosen) >= MAX_SENTENCES or (len(chosen) >= 2 and length >= MIN_CHARS):
                return chosen
    if not chosen:
        chosen = _numbered_lede(paragraphs, skip)
    return chosen


def _numbered_lede(paragraphs: tuple[str, ...], skip: set[int]) -> list[tuple[int, int, int]]:
    """The opening sentence of the first numbered paragraph, without its number."""
    from .enumeration import marker_at

    for index in sorted(skip):
        para = paragraphs[index]
        marker = marker_at(para)
        offset = marker.end if marker else 0
        spans = sentence_spans(para[offset:])
        if spans:
            a, b = spans[0]
            return [(index, offset + a, offset + b)]
    return []


def _is_heading(para: str) -> bool:
    return is_heading(para)


_NEXT_STEP_RE = lazy(
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


#: TextRank compares every pair of sentences; beyond this many the candidates are chosen
#: first, in linear time (see ``_candidates``), so that time stays linear in the input.
MAX_CANDIDATES = 200


def _candidates(units: list[set[str]], limit: int) -> list[int]:
    """The indexes (in order) of the ``limit`` sentences that share most with the rest of
    the article — the sum over their units of how many other sentences have each, scaled
    like TextRank's weights: an estimate of a sentence's weighted degree in linear time."""
    frequency: Counter[str] = Counter(u for found in units for u in found)

    def estimate(i: int) -> float:
        found = units[i]
        if not found:
            return 0.0
        shared = sum(frequency[u] - 1 for u in found)
        return shared / (math.log(len(found) + 1) + 1.0)

    return sorted(heapq.nlargest(limit, range(len(units)), key=lambda i: (estimate(i), -i)))


def key_point_spans(
    paragraphs: tuple[str, ...], skip: set[int], count: int = 5
) -> list[tuple[int, int, int]]:
    """The ``count`` most central sentences (TextRank over word/character-bigram overlap),
    returned in article order. Headings, very short sentences and ``skip`` paragraphs are
    left out. Over more than ``MAX_CANDIDATES`` sentences, TextRank ranks the candidates
    ``_candidates`` chooses."""
    sentences = [
        (index, start, end)
        for index, para in enumerate(paragraphs)
        if index not in skip and not _is_heading(para) and not _caption(para)
        for start, end in article_sentences(para)
        if end - start >= 12 and not is_date_only(para[start:end])
    ]
    if len(sentences) <= count:
        return sentences
    units = [_units(paragraphs[p][a:b]) for p, a, b in sentences]
    if len(sentences) > MAX_CANDIDATES:
        keep = _candidates(units, MAX_CANDIDATES)
        sentences = [sentences[i] for i in keep]
        units = [units[i] for i in keep]
    n = len(sentences)
    # The similarity graph as sparse rows, in index order: the sums below add the same
    # non-zero terms in the same order as over the full matrix, so the scores are equal.
    rows: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        if not units[i]:
            continue
        log_i = math.log(len(units[i]) + 1)
        for j in range(i + 1, n):
            if units[j]:
                overlap = len(units[i] & units[j])
                if overlap:
                    w = overlap / (log_i + math.log(len(units[j]) + 1))
                    rows[i].append((j, w))
                    rows[j].append((i, w))
    for row in rows:
        row.sort()
    totals = [sum(w for _, w in row) or 1.0 for row in rows]
    # weights[j][i] / totals[j] for every j linked to i (the graph is symmetric)
    inbound = [[(j, w / totals[j]) for j, w in row] for row in rows]
    scores = [1.0] * n
    for _ in range(50):
        scores = [0.15 + 0.85 * sum(share * scores[j] for j, share in row) for row in inbound]
    best = sorted(range(n), key=lambda i: (-scores[i], i))[:count]
    return [sentences[i] for i in sorted(best)]
