"""Agenda items from the article's own enumeration.

Markers: 一、 （一） (一) 第一， 第一是 首先， 一是 1. 1、 (1) 1) 0.1 ① (a) a. (i) (iv), bare
一 / 二 and bullets (• - *), with full- or half-width punctuation. Most stand at the start of a
paragraph (or alone on the line before their text); the parenthesised ones, ordinals, circled
numbers, 一、 / 1、 / 1. after a colon and bare 一 二 also inside one, as in 「…：(1)…；(2)…」,
「…，第一是…。第二，…」 or "in particular, (i) …, (ii) …, and (iii) …".

A *run* is a sequence of entries numbered consecutively in one marker style, from 1 (or from
2 when it has three entries or more: a numbered statement often leaves its opening paragraph
unnumbered). Runs that are page furniture rather than the article's agenda are set aside:
numbered breadcrumbs and metadata lines in the page header, a list of links under its own
label after the article, ``key: value`` lines, a list whose entries carry their own dates (a
chronology of past milestones). The agenda is the longest remaining run that no other run
encloses; runs inside one of its items are that item's sub-items, recursively.

Each entry becomes an item. An item is ``title：body`` (or ``title: body``, ``title — body``),
a short title line whose body is the paragraphs that follow it, or a short phrase (the topics
of a list, with the separator before the next entry — ；;，,、 "; and" — left out) that is its
own title. An entry that is a statement — a full sentence or paragraph, a subject with its
verb (雙方同意…, "The Ministers agreed…"), whatever follows 第一 / 首先 / 一是 — has no title;
its text is its body. A list is titled or not as a whole: a phrase among sentences is one
more sentence, a longer phrase among titles one more title. Count and numbering come from
the text; topics listed and then repeated as headings count once.

When the article has no numbered run, two more forms are agenda items: a single entry
numbered 1 right after a sentence that announces a list (the rest cut off), and short
unnumbered heading lines, each followed by its text, after such a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from heapq import heappop, heappush
from itertools import pairwise
from math import ceil
from statistics import median_low

from ..lazyre import Regex, lazy
from .text import CN_NUMERAL, cn_to_int, is_full_stop

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_BULLETS = "•‧·●▪■◆◇○◦-–*"
_CN_SMALL = "一二三四五六七八九十"
# 第一是 / 第一， / 第一項： / 首先， / 一是 — an ordinal and 是 or a separator.
_ORDINAL = (
    rf"(?:第([{CN_NUMERAL}]{{1,3}})(?:是\s*[，,、：:]?|[項项點点]\s*[，,、：:]|\s*[，,、：:])"
    r"|(首先)(?:是|\s*[，,：:])"
    rf"|([{_CN_SMALL}]{{1,2}})是(?![否非以由為为])\s*[，,：:]?)\s*"
)
_MARKERS: list[tuple[str, Regex]] = [
    ("cn", lazy(rf"^([{CN_NUMERAL}]{{1,3}})\s*[、，,．.]\s*")),
    ("cn-paren", lazy(rf"^[（(]\s*([{CN_NUMERAL}]{{1,3}})\s*[）)]\s*")),
    ("cn-ordinal", lazy("^" + _ORDINAL)),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("arabic-paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("arabic-half-paren", re.compile(r"^(\d{1,2})\s*[)）]\s*")),
    ("decimal", re.compile(r"^(\d{1,2})\.(\d{1,2})(?![\d.])\s+")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*")),
    ("latin-paren", re.compile(r"^[（(]([a-z])[）)]\s*")),
    ("roman-paren", re.compile(r"^[（(]([ivx]{1,5}|[IVX]{1,5})[）)]\s*")),
    ("latin", re.compile(r"^([a-z])[.)]\s+")),
    ("cn-bare", lazy(rf"^([{_CN_SMALL}]{{1,3}})[ \t\u3000]+(?=\S)")),
    ("bullet", lazy(rf"^([{re.escape(_BULLETS)}])\s+")),
]
#: What may stand right before a marker inside a paragraph: white space or punctuation.
_LEAD = "：:；;，,。、！？!?"
#: Markers inside a paragraph: style, pattern, what the last character before the marker
#: (white space left aside) may be (None: anything), and whether white space alone will do.
_INLINE: list[tuple[str, Regex, str | None, bool]] = [
    ("arabic-paren", lazy(r"[（(]\s*(\d{1,2})\s*[）)]\s*"), _LEAD, True),
    ("arabic-half-paren", re.compile(r"(\d{1,2})[)）]\s*"), _LEAD, True),
    ("cn-paren", lazy(rf"[（(]\s*([{CN_NUMERAL}]{{1,3}})\s*[）)]\s*"), _LEAD, True),
    ("latin-paren", re.compile(r"[（(]([a-z])[）)]\s*"), _LEAD, True),
    ("roman-paren", lazy(r"[（(]([ivx]{1,5}|[IVX]{1,5})[）)]\s*"), _LEAD, True),
    ("cn-ordinal", lazy(_ORDINAL), _LEAD, True),
    ("circled", re.compile(rf"([{_CIRCLED}])\s*"), None, True),
    # 一、 / 1、 / 1. inside a sentence only after a colon or semicolon (or 。 for 、).
    ("cn", lazy(rf"([{_CN_SMALL}]{{1,3}})、\s*"), "：:；;。", False),
    ("arabic", re.compile(r"(\d{1,2})、(?!\d)\s*"), "：:；;。", False),
    ("arabic", re.compile(r"(\d{1,2})\.(?!\d)\s*"), "：:；;", False),
    # 一 / 二 standing alone between spaces after a full stop: sections of a one-line text.
    (
        "cn-bare",
        lazy(rf"(?<=[。！？!?」”])[ \t\u3000]+([{_CN_SMALL}]{{1,3}})[ \t\u3000]+"),
        None,
        True,
    ),
]
#: Conventional nesting rank of each style (zh-TW documents: 一、 > （一） > 1、 > （1）;
#: English: 1. > 1.1 > (a) > bullets). Used only to decide whether a run that starts after
#: the last item of another run belongs to that item.
_RANK = {
    "cn": 0,
    "cn-bare": 0,
    "cn-ordinal": 0,
    "cn-paren": 1,
    "arabic": 2,
    "decimal": 2.5,
    "arabic-paren": 3,
    "arabic-half-paren": 3,
    "latin-paren": 3,
    "roman-paren": 3,
    "latin": 3,
    "circled": 4,
    "bullet": 5,
}
_TITLE_SEP_RE = re.compile(r"[：:]|\s[—–-]\s|——")
_SENTENCE_END = ("。", "！", "？", ".", "!", "?", "；", ";")
#: Separators between the entries of a list, left out of an entry's title.
_LIST_SEP = "；;，,、"
_LIST_CONJ_RE = re.compile(r"(?:[;,]?\s+(?:and|or)|以及|及|和|與|与|或)\s*$")
_CJK_COMMA = "，,"
#: How far back from an entry's end a final conjunction ("; and", 以及) is looked for.
_CONJ_WINDOW = 200
#: A finite verb after the first word of an English entry: a sentence, not a title.
_EN_VERB_RE = lazy(
    r"\b(?:agreed?|agrees|will|would|shall|welcomed?|welcomes|noted|reaffirmed|reaffirms|"
    r"discussed|supported|supports|signed|decided|committed|stressed|underlined|expressed|"
    r"are|is|was|were|has|have|had)\b"
)
#: A Chinese entry that opens with who acts and what they do: 雙方同意…, 美方支持…, 我國將…
_ZH_SUBJECT_VERB_RE = lazy(
    r"^(?:雙方|双方|兩國|两国|三國|三国|各方|兩岸|两岸|[美我台臺中日韓韩陸陆歐欧英加澳俄印紐纽越菲泰]方"
    r"|我國|我国|[美日韓韩英加澳俄印]國|[美日韓韩英加澳俄印]国)"
    r".{0,6}?(?:同意|支持|歡迎|欢迎|將|将|願|愿|決定|决定|重申|承諾|承诺|肯定|期待|希望|強調|强调"
    r"|表示|認為|认为|達成|达成|簽署|签署|持續|持续|推動|推动|加強|加强|共同|一致)"
)
MAX_TITLE = 30
MAX_TITLE_LATIN = 90
#: A first entry that names the start page: the list is a breadcrumb trail.
_NAVIGATION = {"home", "homepage", "home page", "首頁", "首页", "主頁", "主页", "回首頁"}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
#: A date to the month at least (a bare year, as in a target "by 2030", does not count).
_DATED_RE = lazy(
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月"
    r"|(?<!\d)(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])(?!\d)"
    rf"|\b{_MONTH}\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d{{2}}\b"
)
_KEY_VALUE_RE = lazy(r"^\s*([^：:\s]{1,8}|[A-Za-z]+(?: [A-Za-z]+){0,2})\s*[：:]\s*(\S.*)$")
_ANNOUNCE_END = (":", "：")
#: How far past a marker its entry is looked at (for a list's last entry, its sentence end).
_REACH = 1000
_COUNT_EN = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_COUNT_RE = lazy(
    r"\b(two|three|four|five|six|seven|eight|nine|ten)\b"
    rf"|([兩两{_CN_SMALL}]{{1,2}}|\d{{1,2}})\s*(?:項|项|個|个|大|點|点|方面|方向|領域|领域|支柱)",
    re.I,
)

Pos = tuple[int, int]
Span3 = tuple[int, int, int]


@dataclass(frozen=True)
class Marker:
    """An enumeration marker (bullets number 0) at offset ``start`` of its paragraph."""

    style: str
    number: int
    label: str  # the marker text as written, e.g. "一、"
    end: int  # offset where the text after the marker starts
    start: int = 0


def _number(style: str, token: str) -> int:
    if style == "circled":
        return _CIRCLED.index(token) + 1
    if style.startswith("latin"):
        return ord(token) - ord("a") + 1
    if style == "roman-paren":
        return _roman(token)
    return cn_to_int(token)


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman(token: str) -> int:
    """``iv`` -> 4; ValueError for anything that is not a canonical numeral up to 39."""
    token = token.lower()
    total = 0
    for ch, following in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    if _to_roman(total) != token:
        raise ValueError(f"not a roman numeral: {token!r}")
    return total


def _to_roman(value: int) -> str:
    out = "x" * (value // 10)
    value %= 10
    return out + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][value]


#: What cannot follow a marker: its entry starts with words, not punctuation.
_NOT_AFTER = "、，,；;：:。.！？!?)）]】」』"


def _entry_text(rest: str) -> bool:
    """``rest`` can be the text of an entry: it starts with words, not punctuation."""
    return rest[:1] not in _NOT_AFTER and any(ch.isalnum() for ch in rest)


def _marker(style: str, m: re.Match[str], start: int) -> Marker | None:
    if not _entry_text(m.string[m.end() : m.end() + _REACH]):
        return None
    if style == "bullet":
        return Marker(style, 0, m.group(1), m.end(), start)
    if style == "cn-ordinal":
        token = next(g for g in m.groups() if g)
        number = 1 if token == "首先" else cn_to_int(token)
    elif style == "decimal":
        if m.string[m.end() : m.end() + 1].islower():
            return None  # 1.5 million: a number, not a section
        style = f"decimal:{int(m.group(1))}"
        number = int(m.group(2))
    else:
        try:
            number = _number(style, m.group(1))
        except ValueError:
            return None
    if number < 1:
        return None
    return Marker(style, number, m.group(0).strip(), m.end(), start)


def markers_at(para: str) -> list[Marker]:
    """Every reading of the enumeration marker ``para`` starts with ("(i)" is both the
    ninth letter and roman one)."""
    found = []
    for style, rx in _MARKERS:
        m = rx.match(para)
        if m and m.end() < len(para):
            marker = _marker(style, m, 0)
            if marker is not None:
                found.append(marker)
    return found


def marker_at(para: str) -> Marker | None:
    """The enumeration marker ``para`` starts with, if any."""
    found = markers_at(para)
    return found[0] if found else None


def inline_markers(para: str) -> list[Marker]:
    """Markers inside ``para`` (not at its start), after white space or punctuation."""
    return list(_inline_markers(para))


@lru_cache(maxsize=256)
def _inline_markers(para: str) -> tuple[Marker, ...]:
    """``inline_markers``, remembered for the last paragraphs asked about (the page
    furniture and the items both look at every paragraph)."""
    found = []
    for style, rx, lead, space in _INLINE:
        for m in rx.finditer(para, 1):
            start = m.start(1) if style == "cn-bare" else m.start()
            if m.end() >= len(para):
                continue
            at = start - 1
            while at > 0 and para[at].isspace():
                at -= 1
            before = para[at]
            spaced = para[start - 1].isspace()
            if lead is not None and not ((space and spaced) or (before and before in lead)):
                continue
            marker = _marker(style, m, start)
            if marker is not None:
                found.append(marker)
    return tuple(found)


def _lone_marker(para: str) -> bool:
    """``para`` is a marker alone: it reads as one only with text after it."""
    text = para.strip()
    return bool(text) and any(m.end == len(text) + 1 for m in markers_at(text + " x"))


@dataclass(frozen=True)
class RawItem:
    """An agenda item located in the cleaned paragraphs.

    ``title`` is ``(para, start, end)``, or None for an entry without a title (a numbered
    sentence or paragraph); ``body`` a list of ``(para, start, end)``; ``children`` the
    items of an enumeration nested inside this one; ``entry`` the entry's text in its
    first paragraph, after the marker; ``marker_start`` where the marker stands in that
    paragraph; ``extra`` other paragraphs that belong to the item (a repeated heading).
    """

    number: int
    label: str
    title: Span3 | None
    body: list[Span3]
    children: list[RawItem] = field(default_factory=list)
    entry: Span3 | None = None
    marker_start: int = 0
    extra: tuple[int, ...] = ()

    @property
    def where(self) -> Span3:
        """The title's span, else the whole entry's."""
        found = self.title or self.entry
        assert found is not None
        return found


@dataclass
class _Run:
    style: str
    members: list[tuple[int, Marker]]

    @property
    def first(self) -> Pos:
        return (self.members[0][0], self.members[0][1].start)

    @property
    def last(self) -> Pos:
        return (self.members[-1][0], self.members[-1][1].start)


def _is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) > len(letters) / 2


def is_heading(para: str) -> bool:
    """A short line that is not a sentence: a title or subheading."""
    if len(para) > MAX_TITLE_LATIN:  # too long in either script (without counting letters)
        return False
    limit = MAX_TITLE_LATIN if _is_latin(para) else MAX_TITLE
    return len(para) <= limit and not para.rstrip().endswith(_SENTENCE_END)


def _rank(style: str) -> float:
    return _RANK[style.split(":")[0]]


class _Doc:
    """The paragraphs with every marker found once, in document order."""

    def __init__(self, paragraphs: tuple[str, ...]) -> None:
        self.paras = paragraphs
        self.heads: list[list[Marker]] = []
        self.marks: list[tuple[int, Marker]] = []
        #: Paragraphs that hold nothing but a marker ("-" or "1." alone on its line).
        self.lone: set[int] = set()
        for index, para in enumerate(paragraphs):
            heads = markers_at(para)
            if not heads and index and index - 1 in self.lone and _entry_text(para):
                # The entry of a marker alone on the line before.
                lone = paragraphs[index - 1].strip()
                heads = [
                    replace(m, end=0) for m in markers_at(lone + " x") if m.end == len(lone) + 1
                ]
            elif not heads and index + 1 < len(paragraphs) and _lone_marker(para):
                self.lone.add(index)
            self.heads.append(heads)
            found = heads + inline_markers(para)
            found.sort(key=lambda m: m.start)
            self.marks.extend((index, m) for m in found)
        self.keys = [(p, m.start) for p, m in self.marks]
        #: Where each paragraph's text ends (trailing white space left out).
        self.text_end = [len(p.rstrip()) for p in paragraphs]
        self._latin: dict[int, bool] = {}
        #: Whether a run (its style and members' positions) is furniture (``_furniture``).
        self.furniture: dict[tuple[str, tuple[Pos, ...]], bool] = {}
        count = len(paragraphs)
        #: The first paragraph that is a sentence, not a heading: where the article starts.
        self.first_body = next((i for i, p in enumerate(paragraphs) if not is_heading(p)), count)
        #: The last paragraph that is a sentence: where the article ends.
        self.last_body = next(
            (i for i in range(count - 1, -1, -1) if not is_heading(paragraphs[i])), -1
        )
        #: For each paragraph, the first heading line at or after it.
        self.next_heading = [count] * (count + 1)
        for index in range(count - 1, -1, -1):
            plain = not self.heads[index] and index not in self.lone
            self.next_heading[index] = (
                index if plain and self.heading(index) else self.next_heading[index + 1]
            )
        #: For each style, the paragraphs that start with (or are) a marker of that style.
        self.by_style: dict[str, list[int]] = {}
        for index in range(count):
            heads = self.heads[index]
            if index in self.lone:
                heads = markers_at(paragraphs[index].strip() + " x")
            for style in {h.style for h in heads}:
                self.by_style.setdefault(style, []).append(index)

    def latin(self, index: int) -> bool:
        """Whether paragraph ``index`` is written in Latin script."""
        if index not in self._latin:
            self._latin[index] = _is_latin(self.paras[index])
        return self._latin[index]

    def between(self, lo: Pos, hi: Pos) -> list[tuple[int, Marker]]:
        return self.marks[bisect_left(self.keys, lo) : bisect_left(self.keys, hi)]

    def mid_sentence(self, index: int) -> bool:
        """Paragraph ``index`` is English broken off mid-sentence (a hard line wrap)."""
        para = self.paras[index].rstrip()
        return len(para) >= 40 and _is_latin(para) and (para[-1].islower() or para[-1] in ",")

    def heading(self, index: int) -> bool:
        """A heading line, not the continuation of a hard-wrapped sentence."""
        para = self.paras[index]
        if not is_heading(para) or para[:1].islower() or _has_stop(para):
            return False
        return not (index > 0 and self.mid_sentence(index - 1))

    def wrapped(self, index: int) -> bool:
        """The next paragraph continues paragraph ``index`` (it starts in lower case)."""
        if index + 1 >= len(self.paras):
            return False
        following = self.paras[index + 1]
        return following[:1].isascii() and following[:1].islower() and not self.heads[index + 1]


def _runs(marks: list[tuple[int, Marker]]) -> tuple[list[_Run], list[_Run]]:
    """Runs of consecutively numbered markers (2+ members from 1, or 3+ from 2), in order
    of their first member; and the markers numbered 1 that start no run."""
    done: list[_Run] = []
    current: dict[str, _Run] = {}
    for index, marker in marks:
        key = marker.style + (marker.label if marker.style == "bullet" else "")
        run = current.get(key)
        if marker.style == "bullet":
            marker = Marker(
                "bullet",
                (run.members[-1][1].number if run else 0) + 1,
                marker.label,
                marker.end,
                marker.start,
            )
        if run and marker.number == run.members[-1][1].number + 1:
            run.members.append((index, marker))
            continue
        if run:
            done.append(run)
        if marker.number <= 2:
            current[key] = _Run(marker.style, [(index, marker)])
        else:
            current.pop(key, None)
    done.extend(current.values())
    runs = [
        r
        for r in done
        if len(r.members) >= (2 if r.members[0][1].number == 1 else 3)
        and r.members[0][1].number <= 2
    ]
    singles = [r for r in done if len(r.members) == 1 and r.members[0][1].number == 1]
    return sorted(runs, key=lambda r: r.first), singles


# --- furniture -----------------------------------------------------------------------------


def _entry_texts(doc: _Doc, run: _Run) -> list[str]:
    """Each member's text up to the next member in its paragraph (or the paragraph end; the
    last of a list inside a paragraph, up to ``_REACH`` characters). Of a text longer than
    twice ``_REACH``, its first and last ``_REACH`` characters: what the checks read (how
    it ends, dates, stops) without reading a huge paragraph again for every run."""
    texts = []
    members = run.members
    for index, (p, m) in enumerate(members):
        if index + 1 < len(members) and members[index + 1][0] == p:
            end = members[index + 1][1].start
        elif index and members[index - 1][0] == p:
            end = min(len(doc.paras[p]), m.end + _REACH)
        else:
            end = len(doc.paras[p])
        if end - m.end > 2 * _REACH:  # a long entry: its start and its end are enough
            texts.append(
                (doc.paras[p][m.end : m.end + _REACH] + doc.paras[p][end - _REACH : end]).strip()
            )
        else:
            texts.append(doc.paras[p][m.end : end].strip())
    return texts


def _metadata(text: str) -> bool:
    """``時間:2023-09-05`` / ``Source: CNA``: a short key and a short value, no sentence."""
    m = _KEY_VALUE_RE.match(text)
    if not m:
        return False
    value = m.group(2).rstrip()
    limit = 40 if _is_latin(value) else 20
    return len(value) <= limit and not value.endswith(_SENTENCE_END)


def _in_header(doc: _Doc, first: int) -> bool:
    """Paragraph ``first`` comes before the article's first sentence (page header: site
    name, headline, buttons), and no sentence announces a list there."""
    if first and doc.paras[first - 1].rstrip().endswith(_ANNOUNCE_END):
        return False
    return first <= doc.first_body


def _in_footer(doc: _Doc, first: int, last: int) -> bool:
    """Lines ``first``..``last`` come after the article's last sentence, under a short
    label of their own ("Related articles", 「延伸閱讀」, "Share this page:")."""
    if not first or not doc.heading(first - 1):
        return False
    label = doc.paras[first - 1].strip().rstrip("：:").strip()
    short = len(label.split()) <= 4 if _is_latin(label) else len(label) <= 10
    return short and last > doc.last_body


def _page_furniture(doc: _Doc, run: _Run, texts: list[str]) -> bool:
    """Breadcrumbs and metadata lines in the page header, a list of links under its own
    heading after the article, ``key: value`` metadata, or a list that starts at the home
    page."""
    first, last = run.members[0][0], run.members[-1][0]
    lines = all(m.start == 0 for _, m in run.members) and all(
        b[0] - a[0] == 1 for a, b in pairwise(run.members)
    )
    if lines and all(not t.endswith(_SENTENCE_END) for t in texts):
        if _in_header(doc, first) or _in_footer(doc, first, last):
            return True
        if all(_metadata(t) for t in texts):
            return True
    return texts[0].casefold() in _NAVIGATION


def _furniture(doc: _Doc, run: _Run) -> bool:
    """Whether the run is page furniture or background, not the agenda: see
    ``_page_furniture``, or a chronology (nearly every entry carries its own date).
    Remembered per run: nested items look for runs again inside each item."""
    key = (run.style, tuple((p, m.start) for p, m in run.members))
    found = doc.furniture.get(key)
    if found is None:
        texts = _entry_texts(doc, run)
        found = _page_furniture(doc, run, texts) or sum(
            bool(_DATED_RE.search(t)) for t in texts
        ) >= max(2, ceil(0.8 * len(texts)))
        doc.furniture[key] = found
    return found


def furniture_paragraphs(paragraphs: tuple[str, ...]) -> set[int]:
    """Paragraphs of numbered or bulleted page furniture (breadcrumbs, metadata lines):
    neither agenda nor article text."""
    doc = _Doc(paragraphs)
    runs, _ = _runs(doc.marks)
    return {
        p
        for run in runs
        if _page_furniture(doc, run, _entry_texts(doc, run))
        for p, m in run.members
        if m.start == 0
    }


# --- extents ------------------------------------------------------------------------------


_STOP_MARK_RE = lazy(r"[。！？!?.]")


def _has_stop(text: str) -> bool:
    """Whether ``text`` has a full stop (only the marks that may be one are looked at)."""
    return any(is_full_stop(text, m.start()) for m in _STOP_MARK_RE.finditer(text))


def _run_end(doc: _Doc, run: _Run, hi: Pos) -> Pos:
    """Where the run's last entry ends: for a list inside a sentence, at the end of that
    sentence; for one inside a paragraph, at the paragraph's end; else before the next
    heading or marker of the run's style, or at ``hi``."""
    p, m = run.members[-1]
    para = doc.paras[p]
    if len(run.members) >= 2 and run.members[-2][0] == p:
        end = len(para)
        texts = _entry_texts(doc, run)[:-1]
        if not any(_has_stop(t) for t in texts):
            # A list inside one sentence: the last entry ends with it, or where a new
            # clause begins when the entries are phrases.
            clause = ""
            if all(_title_like(_strip_text(t), 2) for t in texts):
                clause = "；;" if doc.latin(p) else "，,；;"
            end = _sentence_end(para, m.end, clause)
        return min((p, end), hi)
    same = doc.by_style.get(run.style, [])
    at = bisect_left(same, p + 1)
    following = same[at] if at < len(same) else len(doc.paras)
    return (min(hi[0], doc.next_heading[p + 1], following), 0)


_OPENING = "（(「『《〈【[“‘"
_CLOSING = "）)」』》〉】]”’"


def _sentence_end(para: str, start: int, clause: str = "") -> int:
    """Where the sentence running from ``start`` ends (after its full stop, or after one of
    ``clause``), outside brackets and quotes; the paragraph's end when it does not."""
    depth = 0
    marks = re.compile("[" + re.escape(_OPENING + _CLOSING + "。！？!?." + clause) + "]")
    for found in marks.finditer(para, start, min(len(para), start + _REACH)):
        i = found.start()
        ch = para[i]
        if ch in _OPENING and ch not in _CLOSING:
            depth += 1
        elif ch in _CLOSING and ch not in _OPENING:
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in clause or is_full_stop(para, i)):
            return i + 1
    return len(para)


def _enclosed(runs: list[_Run], ends: list[Pos]) -> list[bool]:
    """For each run: whether another run encloses it (starts before it and still runs at
    its start, and either the run starts before the other's last member or it is of a
    lower rank). Sweeps the runs in order, keeping those still running per style, each
    style's furthest-reaching last member on top: time grows with the runs times the
    styles, not with the runs squared."""
    out = []
    running: list[tuple[Pos, int]] = []  # heap of (end, run) of the runs still running
    alive: set[int] = set()
    # per style, a heap of (negated last member, negated first, run) of the running ones
    by_style: dict[str, list[tuple[tuple[int, int], tuple[int, int], int]]] = {}
    for index, run in enumerate(runs):
        while running and running[0][0] <= run.first:
            alive.discard(heappop(running)[1])
        inside = False
        for style, heap in list(by_style.items()):
            while heap and heap[0][2] not in alive:
                heappop(heap)
            if not heap:
                del by_style[style]
                continue
            if style == run.style:
                continue
            other = runs[heap[0][2]]
            if other.first < run.first and (
                run.first < other.last or _rank(run.style) > _rank(style)
            ):
                inside = True  # (the runs start at distinct markers: all the running
                break  # ones started before this one, so the top decides)
        out.append(inside)
        heappush(running, (ends[index], index))
        alive.add(index)
        last, first = run.last, run.first
        heappush(
            by_style.setdefault(run.style, []),
            ((-last[0], -last[1]), (-first[0], -first[1]), index),
        )
    return out


# --- items --------------------------------------------------------------------------------


def _strip_separator(para: str, start: int, end: int, full_stop: bool = False) -> int:
    """``end`` moved back over white space, a list separator (；;，,、 "; and" 以及) and,
    when ``full_stop``, a final full stop."""
    while True:
        before = end
        while end > start and (para[end - 1].isspace() or para[end - 1] in _LIST_SEP):
            end -= 1
        # (the conjunction ends the entry: its last characters are enough to look at)
        m = _LIST_CONJ_RE.search(para, max(start, end - _CONJ_WINDOW), end)
        # "; and", ", or", 以及 — or 及/和/或 right after a separator
        if m and m.start() > start:
            word = m.group(0)
            if word[0] in ";, " or word == "以及" or para[m.start() - 1] in _LIST_SEP:
                end = m.start()
        if full_stop and end > start and para[end - 1] in "。.!?！？":
            end -= 1
            full_stop = False
        if end == before:
            return end


def _strip_text(text: str) -> str:
    return text[: _strip_separator(text, 0, len(text))].strip()


def _ends_with_separator(text: str) -> bool:
    text = text.rstrip()
    return text.endswith(tuple(_LIST_SEP)) or bool(_LIST_CONJ_RE.search(text))


def _title_like(text: str, stretch: int = 1) -> bool:
    """A phrase that can be a title: short (up to ``stretch`` times the usual length),
    one phrase (no sentence break, no clause after a Chinese comma or a semicolon)."""
    if not text or len(text) > stretch * MAX_TITLE_LATIN:  # too long in either script
        return False
    latin = _is_latin(text)
    if len(text) > stretch * (MAX_TITLE_LATIN if latin else MAX_TITLE):
        return False
    if any(ch in "；;" for ch in text) or _has_stop(text) or _clause(text, latin):
        return False
    return latin or not any(ch in _CJK_COMMA for ch in text)


def _clause(text: str, latin: bool) -> bool:
    """A subject and its verb (雙方同意…, "Both sides agreed …"): a statement, not a
    title, however short."""
    if latin:
        return bool(_EN_VERB_RE.search(text, text.find(" ") + 1 if " " in text else len(text)))
    return bool(_ZH_SUBJECT_VERB_RE.match(text))


@dataclass
class _Shaped:
    title: Span3 | None
    body: list[Span3]
    entry: Span3
    phrase: bool = False  # titled only because the entry is a short phrase


def _followers(doc: _Doc, p: int, until: int, untitled: bool) -> list[Span3]:
    """The paragraphs after ``p`` (before ``until``) that belong to its entry: up to the
    next marker or heading (an untitled entry also runs over hard-wrapped lines)."""
    body = []
    for index in range(p + 1, until):
        if doc.heads[index] or index in doc.lone:
            break
        if doc.heading(index) and not (untitled and doc.mid_sentence(index - 1)):
            break
        body.append((index, 0, len(doc.paras[index])))
    return body


def _shape(
    doc: _Doc, p: int, m: Marker, seg_end: int, until: int, last: bool, after_separator: bool
) -> _Shaped:
    """Title and body of the entry whose marker is ``m`` in paragraph ``p``: its text runs
    to ``seg_end`` there, and over the paragraphs before ``until``."""
    para = doc.paras[p]
    limit = MAX_TITLE_LATIN if doc.latin(p) else MAX_TITLE
    start = m.end
    entry_end = _strip_separator(para, start, seg_end)
    entry = (p, start, max(start, entry_end))
    to_end = seg_end >= doc.text_end[p]
    whole_line = to_end and not doc.wrapped(p)
    sep = _TITLE_SEP_RE.search(para, start, seg_end)
    if sep and sep.end() >= entry_end:
        # "一、供應鏈安全：" alone: a title, the body follows
        if whole_line and _title_like(para[start : sep.start()].strip()):
            title = (p, start, sep.start())
            return _Shaped(title, _followers(doc, p, until, False), entry)
        sep = None
    if sep and sep.group(0)[0] not in "：:" and whole_line and is_heading(para[start:]):
        sep = None  # "Trade Liberalisation - The Role of the Region": one heading
    if sep and sep.start() - start <= limit and _title_like(para[start : sep.start()].strip()):
        body = [(p, sep.end(), seg_end)] if sep.end() < seg_end else []
        return _Shaped((p, start, sep.start()), body, entry)
    text = para[start:seg_end]
    if whole_line and is_heading(text):
        title_end = _strip_separator(para, start, len(para.rstrip().rstrip("：:")))
        body = _followers(doc, p, until, False)
        if _title_like(para[start:title_end].strip()) and (body or m.style != "cn-ordinal"):
            return _Shaped((p, start, title_end), body, entry, phrase=not body)
    # A short phrase is its own title; a list's last phrase may end the sentence. What
    # follows 第一 / 首先 / 一是 is a statement, however short.
    continued = (to_end and doc.wrapped(p)) or m.style == "cn-ordinal"
    stop = text.rstrip().endswith(("。", ".", "!", "?", "！", "？"))
    if not continued and (not stop or (last and after_separator)):
        end = _strip_separator(para, start, seg_end, full_stop=True)
        if _title_like(para[start:end].strip()):
            return _Shaped((p, start, end), _followers(doc, p, until, False), entry, True)
    body = [(p, start, seg_end), *_followers(doc, p, until, True)]
    return _Shaped(None, body, entry)


def _subtract(body: list[Span3], children: list[RawItem]) -> list[Span3]:
    """The body without what its nested items cover."""
    whole: set[int] = set()
    cuts: dict[int, int] = {}
    for child in _walk(children):
        whole |= {p for p, a, _ in child.body if a == 0} | set(child.extra)
        p = child.where[0]
        if child.marker_start == 0:
            whole.add(p)
        else:
            cuts[p] = min(cuts.get(p, child.marker_start), child.marker_start)
    out = []
    for p, a, b in body:
        if p in cuts:
            b = min(b, cuts[p])
        if p not in whole and b > a:
            out.append((p, a, b))
    return out


def _items_of(doc: _Doc, run: _Run, hi: Pos) -> list[RawItem]:
    run_end = _run_end(doc, run, hi)
    shaped: list[_Shaped] = []
    ranges: list[tuple[Pos, Pos]] = []
    previous_text = ""
    members = run.members
    for position, (p, m) in enumerate(members):
        last = position + 1 == len(members)
        nxt = run_end if last else (members[position + 1][0], members[position + 1][1].start)
        seg_end = nxt[1] if nxt[0] == p else len(doc.paras[p])
        until = p + 1 if nxt[0] == p else nxt[0]
        after_separator = _ends_with_separator(previous_text)
        shaped.append(_shape(doc, p, m, seg_end, until, last, after_separator))
        ranges.append(((p, m.end), nxt))
        previous_text = doc.paras[p][m.end : seg_end]
    # A list is titled or not as a whole: phrases among sentences are sentences too, and
    # a longer phrase among titles is a title.
    untitled = sum(s.title is None for s in shaped)
    if untitled * 2 > len(shaped):
        for s in shaped:
            if s.phrase:
                s.title, s.body = None, [s.entry, *s.body]
    elif untitled:
        for s in shaped:
            p, a, b = s.entry
            wrapped = b >= doc.text_end[p] and doc.wrapped(p)
            if s.title is None and not wrapped and _title_like(doc.paras[p][a:b], 2):
                s.title, s.body = s.entry, s.body[1:]
    items: list[RawItem] = []
    for position, ((p, m), s, (lo, nxt)) in enumerate(zip(members, shaped, ranges, strict=True)):
        children = _find(doc, lo, nxt)
        body = s.body
        nested = children or any(i.children for i in items)
        if position + 1 == len(members) and items and not nested:
            # The last item's body is as long as its siblings' usually are: what follows
            # is the article again, not the item.
            typical = median_low([len({q for q, _, _ in i.body} - {i.where[0]}) for i in items])
            body = [b for b in body if b[0] <= p + typical]
        if children:
            body = _subtract(body, children)
        items.append(RawItem(m.number, m.label, s.title, body, children, s.entry, m.start))
    return _borrow_bodies(doc, items, run_end, hi)


def _borrow_bodies(doc: _Doc, items: list[RawItem], after: Pos, hi: Pos) -> list[RawItem]:
    """Topics listed first and then repeated as headings, each with its text: an item with
    nothing under it takes the body under its repeated heading (before ``hi``)."""
    if not any(i.title and not i.body and not i.children for i in items):
        return items
    later: dict[str, int] = {}
    for index in range(after[0] + (after[1] > 0), hi[0]):
        para = doc.paras[index]
        heads = doc.heads[index]
        text = para[heads[0].end :] if heads else para
        later.setdefault(_key(text), index)
    out = []
    for item in items:
        if item.title and not item.body and not item.children:
            p, a, b = item.title
            index = later.get(_key(doc.paras[p][a:b]))
            if index is not None:
                body = _followers(doc, index, hi[0], False)
                item = RawItem(
                    item.number,
                    item.label,
                    item.title,
                    body,
                    item.children,
                    item.entry,
                    item.marker_start,
                    (index,),
                )
        out.append(item)
    return out


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _find(doc: _Doc, lo: Pos, hi: Pos) -> list[RawItem]:
    runs, _ = _runs(doc.between(lo, hi))
    runs = [r for r in runs if not _furniture(doc, r)]
    if not runs:
        return []
    ends = [_run_end(doc, r, hi) for r in runs]
    enclosed = _enclosed(runs, ends)
    top = [r for r, inside in zip(runs, enclosed, strict=True) if not inside]
    if not top:
        return []
    run = max(top, key=lambda r: (len(r.members), tuple(-x for x in r.first)))
    return _items_of(doc, run, hi)


def find_items(paragraphs: tuple[str, ...], lo: int = 0, hi: int | None = None) -> list[RawItem]:
    """The agenda items of ``paragraphs[lo:hi]`` (empty when there is no enumeration)."""
    hi = len(paragraphs) if hi is None else hi
    doc = _Doc(paragraphs)
    items = _find(doc, (lo, 0), (hi, 0))
    if not items:
        items = _announced_single(doc, lo, hi) or _unnumbered_headings(doc, lo, hi)
    return items


def _announces(para: str) -> bool:
    return para.rstrip().endswith(_ANNOUNCE_END)


def _announced_single(doc: _Doc, lo: int, hi: int) -> list[RawItem]:
    """A lone entry numbered 1 right after a sentence announcing a list (the text was cut
    after it): the agenda's one visible item."""
    _, singles = _runs(doc.between((lo, 0), (hi, 0)))
    for run in singles:
        p, m = run.members[0]
        if m.start == 0 and p > lo and _announces(doc.paras[p - 1]) and not _furniture(doc, run):
            [item] = _items_of(doc, run, (hi, 0))
            if item.title is None:  # its own paragraph only: the text may go on after it
                item = replace(item, body=[b for b in item.body if b[0] == p])
            return [item]
    return []


def _announced_count(para: str) -> int | None:
    """The number of entries a sentence announces ("the following three pillars:",
    「以下三個方向：」): the last count word in it."""
    para = para.rstrip()
    found = list(_COUNT_RE.finditer(para, max(0, len(para) - (70 if _is_latin(para) else 15))))
    if not found:
        return None
    token = found[-1].group(1) or found[-1].group(2)
    if token.lower() in _COUNT_EN:
        return _COUNT_EN[token.lower()]
    try:
        return cn_to_int(token.replace("兩", "二").replace("两", "二"))
    except ValueError:
        return None


def _unnumbered_headings(doc: _Doc, lo: int, hi: int) -> list[RawItem]:
    """Unnumbered heading lines, each followed by its text, right after a sentence that
    announces them: the first such list with two entries or more (as many as announced)."""
    for index in range(lo, hi - 1):
        if not _announces(doc.paras[index]):
            continue
        count = _announced_count(doc.paras[index])
        items: list[RawItem] = []
        at = index + 1
        while at < hi and (count is None or len(items) < count):
            para = doc.paras[at]
            if doc.heads[at] or at in doc.lone or not doc.heading(at) or _announces(para):
                break
            body = _followers(doc, at, hi, False)
            end = _strip_separator(para, 0, len(para))
            if not body or not _title_like(para[:end]):
                break
            items.append(RawItem(len(items) + 1, "", (at, 0, end), body, [], (at, 0, end)))
            at = body[-1][0] + 1
        if len(items) >= 2 and (count is None or len(items) == count):
            # The last one's text is as long as the others' usually are: what follows is
            # the article again.
            typical = median_low([len(i.body) for i in items[:-1]])
            last = items[-1]
            items[-1] = replace(last, body=last.body[: max(1, typical)])
            return items
    return []


def _walk(items: list[RawItem]) -> list[RawItem]:
    out: list[RawItem] = []
    for item in items:
        out.append(item)
        out.extend(_walk(item.children))
    return out


def _paragraphs_of(item: RawItem) -> set[int]:
    """The paragraphs the item takes up: its own when its marker starts it, the following
    ones of its body. A paragraph holding an inline list is the article's still."""
    found = {p for p, a, _ in item.body if a == 0} | set(item.extra)
    if item.marker_start == 0:
        found.add(item.where[0])
    return found


def enumerated_paragraphs(items: list[RawItem]) -> set[int]:
    """Indexes of every paragraph that belongs to an item or a nested item."""
    used: set[int] = set()
    for item in _walk(items):
        used |= _paragraphs_of(item)
    return used
