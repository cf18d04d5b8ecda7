"""Accounting for the whole article body: its key statements, and every other sentence as
background or as deliberately dropped with a reason.

A brief must not lose what it does not file under an agenda item. ``key_statement_spans``
finds the joint understandings and shared views a readout reports (雙方均認同…, 雙方一致
認為…, "both sides reaffirmed…") — the political lines a minister reads first.
``account`` then walks every sentence of every paragraph: one the brief already uses (the
bottom line, a point, a key statement, a next step, a quotation, a key sentence) is
covered; the rest of a sentence only partly used by a key statement is background; a
heading, a photo credit, a bare date line or a repeat of an earlier sentence is dropped
with its reason; everything else is background, in article order.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..lazyre import lazy
from .summary import is_credit, is_date_only
from .text import bracket_depths, is_full_stop, sentence_spans

#: A paragraph-relative extent: ``(paragraph, start, end)``.
Extent = tuple[int, int, int]

# The holders of a shared view: the two sides (台美雙方: two one-character country names
# before 雙方), the two countries or governments, all parties.
_COUNTRY = "台臺美日韓歐英法德澳加紐新印菲越泰中星馬捷波荷瑞義西以"
_ZH_HOLDERS = (
    rf"(?:[{_COUNTRY}][{_COUNTRY}])?雙方|兩國(?:政府)?|雙邊|與會各方|各方|"
    r"兩位(?:部長|首長|領袖)?"
)
_ZH_VIEW_VERBS = (
    r"(?:也|亦|並)?(?:均|皆|都|一致|共同)?"
    r"(?:認同|認為|肯定|重申|強調|確認|體認|表示關切|譴責|歡迎|期盼|樂見)"
    r"|(?:也|亦|並)?(?:一致同意|達成[^，。；]{0,12}?共識)"
)
_ZH_STATEMENT_RE = lazy(rf"(?P<by>{_ZH_HOLDERS})(?:{_ZH_VIEW_VERBS})")
_EN_STATEMENT_RE = lazy(
    r"\b(?P<by>[Bb]oth (?:sides|leaders|ministers|governments|countries|parties|delegations)|"
    r"(?:[Tt]he )?(?:two |four |three )?(?:[Ss]ides|[Ll]eaders|[Mm]inisters|[Gg]overnments|"
    r"[Dd]elegations|[Pp]arties|[Pp]articipants))"
    r"\s+(?:also\s+)?(?:jointly\s+)?"
    r"(?:affirmed|reaffirmed|underscored|emphasi[sz]ed|stressed|recogni[sz]ed|"
    r"shared (?:the|a|their) (?:view|commitment|concern|belief)|acknowledged|welcomed|"
    r"agreed that|expressed (?:their )?(?:support|concern|commitment)|condemned|noted)\b"
)
_WORD_RE = re.compile(r"[^\W_]")
_GOES_ON_RE = re.compile(r"\s*(?:並|且|以及|也|亦|同時)")
#: The longest paragraph read as a heading, in characters (Chinese; twice this in Latin).
HEADING_MAX = 60
#: How much of a sentence must be another sentence's for it to count as a repeat.
REPEAT_SHARE = 0.8
#: A remainder shorter than this (in characters) is not worth a background entry.
MIN_REMAINDER = 10


@dataclass(frozen=True)
class KeyStatement:
    """A key statement: where it is and who holds it (as the article names them: 雙方,
    "both sides")."""

    para: int
    start: int
    end: int
    by: str


def key_statement_spans(paragraphs: tuple[str, ...], skip: set[int]) -> list[KeyStatement]:
    """Joint understandings and shared views outside the agenda (``skip``), in order, each
    once: in Chinese from the holders (雙方) through the verb to the end of its clause
    (the next comma, semicolon or full stop outside brackets, a comma right after the
    verb passed over); in English the sentence from the holders on."""
    found: list[KeyStatement] = []
    seen: set[str] = set()
    for index, para in enumerate(paragraphs):
        if index in skip:
            continue
        depths = bracket_depths(para)
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            for m in _ZH_STATEMENT_RE.finditer(sentence):
                start = s_start + m.start()
                end = _clause_end(para, depths, s_start + m.end(), s_end)
                _add(found, seen, KeyStatement(index, start, end, m.group("by")), para)
            english = _EN_STATEMENT_RE.search(sentence)
            if english:
                end = s_end
                while end > s_start and para[end - 1] in " .;":
                    end -= 1
                by = english.group("by")
                _add(found, seen, KeyStatement(index, s_start + english.start(), end, by), para)
    return found


def _clause_end(para: str, depths: list[int], at: int, limit: int) -> int:
    """Where the statement that goes on at ``at`` ends. After a comma or colon right at
    ``at`` (雙方強調，…) it is the rest of the sentence; else the clause ends at the next
    comma, semicolon or full stop outside brackets, unless what follows the comma goes
    on with the same subject (，並… ，且… ，以及…)."""
    if at < limit and para[at] in "，,：:":
        end = limit
        while end > at and para[end - 1] in "。！？!?；;":
            end -= 1
        return end
    for i in range(at, limit):
        if depths[i] == 0 and para[i] in "，,；;。！？!?":
            if para[i] in "，," and _GOES_ON_RE.match(para, i + 1):
                continue
            return i
    return limit


def _add(found: list[KeyStatement], seen: set[str], statement: KeyStatement, para: str) -> None:
    text = _norm(para[statement.start : statement.end])
    if len(text) >= 6 and text not in seen:
        seen.add(text)
        found.append(statement)


def _norm(text: str) -> str:
    return re.sub(r"[\s，。、；：,.;:!?！？「」『』（）()\"“”]", "", text).lower()


@dataclass(frozen=True)
class Accounting:
    """The body's sentences the brief does not otherwise use: background, and the ones
    dropped with their reason."""

    background: list[Extent]
    dropped: list[tuple[int, int, int, str]]


def _units(text: str) -> set[str]:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    han = re.sub(r"[^\u3400-\u9fff]", "", text)
    return set(words) | {han[i : i + 2] for i in range(len(han) - 1)}


def account(paragraphs: tuple[str, ...], used: list[Extent], furniture: set[int]) -> Accounting:
    """Sort what no ``used`` extent covers into background or dropped, sentence by
    sentence: a sentence's parts outside the used extents (all of it, when none touches
    it) are background, unless they are a scrap (a connective or a label left between
    used clauses; a marker or a connective alone as a sentence beside used ones is a
    ``fragment``), a heading, a photo credit, a bare date line, punctuation alone or a
    repeat of an earlier sentence — those are dropped with the reason. Paragraphs in
    ``furniture`` are dropped whole as page furniture."""
    by_para: dict[int, list[tuple[int, int]]] = {}
    for p, a, b in used:
        by_para.setdefault(p, []).append((a, b))
    kept = _Kept()
    for p, a, b in sorted(used):
        kept.add(p, _units(paragraphs[p][a:b]))
    background: list[Extent] = []
    dropped: list[tuple[int, int, int, str]] = []
    for index, para in enumerate(paragraphs):
        if not para.strip():
            continue
        if index in furniture:
            dropped.append((index, 0, len(para), "page furniture"))
            continue
        spans = sentence_spans(para)
        heading = len(spans) == 1 and is_heading_line(para) and not by_para.get(index)
        in_para = _Taken(by_para.get(index, []))
        for start, end in spans:
            taken = in_para.overlapping(start, end)  # only the spans that overlap
            if not _WORD_RE.search(para[start:end]):
                if not taken:
                    dropped.append((index, start, end, "no words"))
                continue
            if in_para.spans and len(_WORD_RE.findall(para[start:end])) < 5:
                if not taken:
                    # "1." or "and" between the entries the brief took from this paragraph
                    dropped.append((index, start, end, "fragment"))
                continue
            if heading and not is_credit(para[start:end]):
                dropped.append((index, start, end, "heading"))
                continue
            pieces = _remainders(para, start, end, taken)
            if not pieces and not taken:
                dropped.append((index, start, end, "no words"))
            for a, b in pieces:
                piece = para[a:b]
                if is_credit(piece):
                    dropped.append((index, a, b, "photo credit or source"))
                    continue
                if is_date_only(piece):
                    dropped.append((index, a, b, "date line"))
                    continue
                units = _units(piece)
                repeat = kept.repeats(units)
                if repeat is not None:
                    dropped.append((index, a, b, f"repeats paragraph {repeat + 1}"))
                    continue
                background.append((index, a, b))
                kept.add(index, units)
    return Accounting(background, dropped)


_CLOSERS = "」』”’\"')）)"


def is_heading_line(para: str) -> bool:
    """A short line with no full stop in it or at its end (a subheading such as
    台美簽署「…聯合聲明」 or "EPPD has met six times"). A list entry (• …, 1. …) is not a
    heading, nor a line a Chinese comma breaks (a sentence cut short)."""
    from .enumeration import marker_at

    text = para.strip()
    if marker_at(text) is not None or any(mark in text for mark in "，；"):
        return False
    latin = sum(ch.isascii() for ch in text) > len(text) / 2
    if not text or len(text) > HEADING_MAX * (2 if latin else 1):
        return False
    core = text.rstrip(_CLOSERS)
    if not core:
        return False
    return not any(is_full_stop(core, i) for i in range(len(core))) and core[-1] not in "；;：:"


class _Taken:
    """The used extents of one paragraph, to find those that overlap a sentence without
    going through all of them for every sentence of a long paragraph."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        for _, b in self.spans:
            self.reach.append(max(b, self.reach[-1] if self.reach else b))

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that overlap ``start:end``, in order."""
        lo = bisect_right(self.reach, start)  # before it, every span ends by ``start``
        hi = bisect_left(self.starts, end)  # from it, every span starts at ``end`` or later
        return [(a, b) for a, b in self.spans[lo:hi] if a < end and b > start]


def _remainders(
    para: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of ``start:end`` outside the ``taken`` spans, trimmed of punctuation at
    their edges; scraps shorter than ``MIN_REMAINDER`` are left out, except a whole
    sentence nothing took."""
    pieces = [(start, end)]
    taken_here = any(a < end and b > start for a, b in taken)
    for a, b in sorted(taken):
        nxt = []
        for s, e in pieces:
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if a > s:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        pieces = nxt
    out = []
    for s, e in pieces:
        while s < e and para[s] in " ，,；;：:、。.":
            s += 1
        while e > s and para[e - 1] in " ，,；;：:、":
            e -= 1
        if e - s >= MIN_REMAINDER or (not taken_here and e > s):
            out.append((s, e))
    return out


class _Kept:
    """The units of the sentences kept so far (what the brief used, then background), with
    an inverted index, so that finding a repeat does not compare with every one of them."""

    #: How many kept sentences one unit's postings offer as candidates, how many of a
    #: sentence's rarest units are looked up and how many candidates are compared: bounds
    #: that only a text of thousands of near-identical sentences reaches.
    POSTINGS = 256
    LOOKUPS = 64
    COMPARED = 256

    def __init__(self) -> None:
        self.paras: list[int] = []
        self.units: list[set[str]] = []
        self.index: dict[str, list[int]] = {}

    def add(self, para: int, units: set[str]) -> None:
        number = len(self.paras)
        self.paras.append(para)
        self.units.append(units)
        for unit in units:
            self.index.setdefault(unit, []).append(number)

    def repeats(self, units: set[str]) -> int | None:
        """The paragraph of the first kept sentence that holds nearly all of ``units``
        (``REPEAT_SHARE``). One that shares that many units shares one of the
        ``len(units) - needed + 1`` rarest, so only their postings are candidates."""
        if len(units) < 4:
            return None
        needed = math.ceil(REPEAT_SHARE * len(units))
        rarest = sorted(units, key=lambda u: (len(self.index.get(u, ())), u))
        candidates: set[int] = set()
        for unit in rarest[: min(len(units) - needed + 1, self.LOOKUPS)]:
            candidates.update(self.index.get(unit, ())[: self.POSTINGS])
        for number in sorted(candidates)[: self.COMPARED]:
            if len(units & self.units[number]) >= needed:
                return self.paras[number]
        return None
