"""The meeting itself, from Chinese readouts: event name and round, date, place,
participants (with their side), documents signed, announced topics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..lazyre import Regex, lazy
from ..translate.termbase import Termbase
from .dates import DateMention, find_dates, shift
from .documents import find_signed
from .metadata import OPENING_DATELINE_RE as _OPENING_DATELINE_RE
from .people import find_people
from .places import find_place_zh
from .text import CN_NUMERAL, cn_to_int, sentence_spans

_EVENT_SUFFIX = r"(?:對話|論壇|會談|會議|協商|峰會|委員會|諮商|聯席會議|高峰會)"
_LEADING_ROUND_RE = lazy(
    rf"(?:第\s*(?:\d{{1,3}}|[{CN_NUMERAL}]{{1,4}})\s*(?:屆|次|輪|回)|首屆|首次)\s*"
)
_QUOTED_EVENT_RE = lazy(rf"[「《]([^「」《》\n]{{2,40}}?{_EVENT_SUFFIX})[」》]")
_GLOSS_RE = re.compile(r"\s*[（(]([A-Za-z][^（）()]{1,120})[）)]")
_ABBR_RE = re.compile(r"\b([A-Z][A-Z0-9&-]{1,9})\b")
_ROUND_RE = lazy(rf"第\s*(\d{{1,3}}|[{CN_NUMERAL}]{{1,4}})\s*(?:屆|輪|次)")
_MEETING_VERB_RE = lazy(
    r"舉行|完成|召開|舉辦|會面|會晤|登場|進行(?:對話|會談)|主持|簽署|簽訂|會談|閉幕|開幕|出席|"
    r"磋商|會商|揭幕|參加"
)
_US_RE = re.compile(r"^(?:美國|美方|美|US\b|U\.S\.|United States|American)")
_TW_RE = re.compile(r"^(?:我國|我方|台灣|臺灣|中華民國|行政院|總統府|Taiwan|Taipei|R\.O\.C\.)")
_TOPICS_RE = lazy(
    rf"(?:就|在|針對|聚焦(?:於)?|圍繞)([^。；，就]{{4,200}}?)(?:等)?"
    rf"(?:[{CN_NUMERAL}\d]+大)?(?:議題|領域|事項|主軸|面向|方向|重點|項目)"
)


@dataclass(frozen=True)
class Found:
    """A text found in a paragraph, with an optional English gloss the article gave."""

    text: str
    para: int
    start: int
    end: int
    gloss: str | None = None


def gloss_after(para: str, end: int) -> str | None:
    """The English the article gives in brackets right after position ``end``."""
    m = _GLOSS_RE.match(para, end)
    return m.group(1).strip() if m else None


def find_event(paragraphs: tuple[str, ...], termbase: Termbase) -> tuple[Found | None, str | None]:
    """The meeting's name (a quoted or termbase event name) and its abbreviation."""
    candidates: list[Found] = []
    for index, para in enumerate(paragraphs):
        for m in _QUOTED_EVENT_RE.finditer(para):
            # 「第23屆台巴經濟合作會議」: the round is its own field, the name is without it
            lead = _LEADING_ROUND_RE.match(m.group(1))
            start = m.start(1) + (lead.end() if lead else 0)
            candidates.append(
                Found(para[start : m.end(1)], index, start, m.end(1), gloss_after(para, m.end()))
            )
    if not candidates:
        for index, para in enumerate(paragraphs):
            for start, end, term in termbase.find(para, "event"):
                candidates.append(Found(term.zh, index, start, end, gloss_after(para, end)))
    if not candidates:
        candidates = _round_events(paragraphs)
    if not candidates:
        return None, None
    best = next((c for c in candidates if c.gloss), candidates[0])
    abbr = None
    for c in candidates:
        if c.text == best.text and c.gloss:
            found = _ABBR_RE.findall(c.gloss)
            if found:
                abbr = found[-1]
                break
    if abbr is None:
        term = termbase.lookup(best.text)
        abbr = term.abbr if term and term.abbr else None
    if best.gloss and abbr:
        best = Found(
            best.text,
            best.para,
            best.start,
            best.end,
            re.sub(rf"[，,]\s*{abbr}$|\s*{abbr}$", "", best.gloss).strip() or None,
        )
    return best, abbr


def _round_events(paragraphs: tuple[str, ...]) -> list[Found]:
    """Unquoted names around a round number, taken as written without the round:
    台歐盟第三屆經貿對話 -> 台歐盟經貿對話, 第6屆台美經濟繁榮夥伴對話 -> 台美經濟繁榮夥伴對話."""
    found = []
    for index, para in enumerate(paragraphs[:4]):
        for m in _ROUND_RE.finditer(para):
            tail = _ROUND_TAIL_RE.match(para, m.end())
            if not tail:
                continue
            # the letters right before the round (only the last 12 can be part of the name)
            before = _BEFORE_ROUND_RE.search(para[max(0, m.start() - 12) : m.start()])
            lead = _LEAD_WORDS_RE.sub("", before.group()) if before else ""
            start = m.start() - len(lead)
            name = lead + tail.group()
            end = tail.end()
            if len(name) >= 4:
                found.append(Found(name, index, start, end, gloss_after(para, end)))
    return found


_ROUND_TAIL_RE = lazy(rf"[\u4e00-\u9fffA-Za-z]{{0,16}}?{_EVENT_SUFFIX}")
_BEFORE_ROUND_RE = lazy(r"[\u4e00-\u9fffA-Za-z]{1,12}$")
_LEAD_WORDS_RE = re.compile(r"^.*(?:在|於|與|的|就|和|完成|舉行|召開|出席|參加|參與|今|昨|日)")


#: What a round number must be attached to: the meeting's kind of event.
_ROUND_EVENT = (
    r"(?:會議|對話|論壇|會談|諮商|峰會|委員會|聯委會|會晤|磋商|協商|外長會|部長會|聯席會|大會|年會|"
    r"工作組會議|經貿會|汪辜會談)"
)
_ROUND_ATTACHED_RE = lazy(
    rf"(?:第\s*(?P<n>\d{{1,3}}|[{CN_NUMERAL}]{{1,4}})\s*(?:屆|輪|次|回)|(?P<first>首屆|首次|首回|首度))"
    rf"[「『“\"（(]?[^，,。；;：:」』”\"]{{0,24}}?{_ROUND_EVENT}"
)
# A round in a clause about another meeting: the next (將, 儘快召開, 下屆) or a past one.
_ROUND_NOT_THIS_RE = lazy(r"將|儘快|盡快|下屆|下次|明年|未來|上屆|去年|前年|以來|自")


def find_round(paragraphs: tuple[str, ...]) -> int | None:
    """This meeting's round: the first 第N屆/第N次/第N輪 (or 首屆, 首次 → 1) attached to
    an event (第6屆台美經濟繁榮夥伴對話, 第二十九次定期會晤, 首次會議), outside a clause
    about another meeting. 第三次關稅暫緩延期 is no round, nor is 第0屆."""
    for para in paragraphs:
        for m in _ROUND_ATTACHED_RE.finditer(para):
            clause = re.split(r"[，,。；;]", para[: m.start()])[-1]
            if _ROUND_NOT_THIS_RE.search(clause):
                continue
            if m.group("first"):
                return 1
            try:
                number = cn_to_int(m.group("n"))
            except ValueError:
                continue
            if number >= 1:  # 第0屆 / 第〇屆 is no round
                return number
    return None


#: How far before publication a date written without its year may lie and still be read
#: in the publication's year: a report is about recent events; a mirror that republished
#: an old wire months later must not date the meeting in its own year.
RECENT_DAYS = 62
#: A stand-in publication date, only to tell whether a sentence has a relative date.
_PROBE = date(2000, 6, 15)


def find_meeting_date(
    paragraphs: tuple[str, ...], published: date | None, verbs: Regex | None = None
) -> date | None:
    """The meeting's date, from the first sentence that has a meeting verb and a date:
    the nearest date before the verb (Chinese order), else the first after it (English
    "met on January 27"); the first day of a range. When that sentence's date cannot be
    resolved (no year and no publication date, or far from publication), the date is
    unknown: a later sentence is about something else. Without such a sentence: a short
    heading naming the meeting with its full date, else the first date of the opening
    paragraphs."""
    chinese = verbs is None
    verbs = verbs or _MEETING_VERB_RE
    for para in paragraphs:
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            cut = 0
            while lead := _OPENING_DATELINE_RE.match(sentence[cut:]):
                cut += max(lead.end(), 1)  # 【新唐人2011年11月21日訊】(中央社台北21日電)
            if cut:
                sentence = " " * cut + sentence[cut:]
            verb = verbs.search(sentence)
            if not verb:
                continue
            if not [d for d in find_dates(sentence, published or _PROBE) if not _said(sentence, d)]:
                continue
            dates = _dates_in(sentence, published, paragraphs)
            dates = [d for d in dates if not _said(sentence, d)]
            before = [d for d in dates if d.start < verb.start()]
            after = [d for d in dates if d.start >= verb.end()]
            if chinese:
                chosen = before[-1] if before else (after[0] if after else None)
            else:
                chosen = after[0] if after else (before[-1] if before else None)
            if chosen is None:
                return _same_day_in_full(paragraphs, sentence, verb, published)
            if chosen.last is not None:
                return (
                    _day_within(paragraphs, para, s_end, chosen, verbs, published) or chosen.value
                )
            return chosen.value
    for para in paragraphs[:8]:
        if len(para) <= 120 and _EVENT_WORD_RE.search(para):
            for mention in find_dates(para, None):
                return mention.value
    for para in paragraphs[:3]:
        for mention in find_dates(para, published):
            if _trusted(mention, published):
                return mention.value
    return None


_EVENT_WORD_RE = lazy(
    rf"{_EVENT_SUFFIX}|Dialogue|Forum|Talks|Consultations?|Summit|Meeting|Conference|"
    r"Commission|Committee|Council",
)


# 經濟部15日表示: the date of a statement about the meeting, not of the meeting.
_SAID_RE = re.compile(
    r"\s*(?:晚間|上午|下午|晚上|早上)?\s*(?:表示|指出|說明|說|稱|宣布|發布|公布|透露|強調)"
)


# 今(2023)年, 今年（2023）, 本(2023)年: the text names its own year.
_THIS_YEAR_RE = lazy(r"(?:今|本)\s*[（(]\s*(\d{4})\s*[）)]\s*年|今年\s*[（(]\s*(\d{4})\s*[）)]")


def _same_day_in_full(
    paragraphs: tuple[str, ...], sentence: str, verb: re.Match[str], published: date | None
) -> date | None:
    """The meeting sentence gives a day it cannot date (於6日, no publication date): the
    same day written with its month elsewhere (在6月6日), in the year the text names
    (今(2023)年) or of publication."""
    probe = [d for d in find_dates(sentence, _PROBE) if d.kind in ("d", "paren")]
    if not probe:
        return None
    day = probe[0].value.day
    year = published.year if published else None
    for para in paragraphs:
        m = _THIS_YEAR_RE.search(para)
        if m:
            year = int(m.group(1) or m.group(2))
            break
    if year is None:
        return None
    for para in paragraphs:
        for mention in find_dates(para, date(year, 12, 31)):
            if mention.kind == "md" and mention.value.day == day:
                found = date(year, mention.value.month, day)
                if published is None or found <= published:
                    return found
    return None


def _said(sentence: str, mention: DateMention) -> bool:
    return bool(_SAID_RE.match(sentence, mention.end))


def _explicit_dates(paragraphs: tuple[str, ...]) -> list[date]:
    """Every date the text writes with its year (the last day of a range), in order."""
    return [m.last or m.value for para in paragraphs for m in find_dates(para, None) if m.explicit]


#: Dates that name their month: only these may be read against another date of the text.
_MONTH_DAY_KINDS = frozenset({"md", "this-month", "en-md", "en-dm"})


def _dates_in(
    sentence: str, published: date | None, paragraphs: tuple[str, ...]
) -> list[DateMention]:
    """The dates of ``sentence`` that can be trusted: written with a year, or read near
    the publication date, or else near a date the text writes in full (a republished
    statement dated only by its own body — looked for only when the sentence has a month
    and day not yet trusted)."""
    trusted = [d for d in find_dates(sentence, published) if _trusted(d, published)]
    starts = {d.start for d in trusted}
    if not any(
        d.kind in _MONTH_DAY_KINDS and d.start not in starts for d in find_dates(sentence, _PROBE)
    ):
        return trusted
    for reference in _explicit_dates(paragraphs):
        for mention in find_dates(sentence, reference):
            if (
                mention.kind in _MONTH_DAY_KINDS
                and mention.start not in starts
                and _trusted(mention, reference)
            ):
                trusted.append(mention)
                starts.add(mention.start)
    return sorted(trusted, key=lambda d: d.start)


def _day_within(
    paragraphs: tuple[str, ...],
    para: str,
    after: int,
    span: DateMention,
    verbs: Regex,
    published: date | None,
) -> date | None:
    """A range (a visit, a trip) is not the meeting's day when the text goes on to date
    the meeting within it: the first single day inside the range in a later sentence
    with a meeting verb."""
    start = paragraphs.index(para)
    for index in range(start, min(len(paragraphs), start + 6)):
        text = paragraphs[index]
        for s_start, s_end in sentence_spans(text):
            if index == start and s_start < after:
                continue
            sentence = text[s_start:s_end]
            if not verbs.search(sentence):
                continue
            reference = published or span.last
            for mention in find_dates(sentence, reference):
                if mention.last is None and span.value <= mention.value <= (
                    span.last or span.value
                ):
                    return mention.value
    return None


def _trusted(mention: DateMention, published: date | None) -> bool:
    """A date written with its year, or one read against a publication date it is near."""
    if mention.explicit:
        return True
    if published is None:
        return False
    earliest = shift(published, -RECENT_DAYS)
    return earliest is None or mention.value >= earliest


def side_of(name: str, title: str | None, termbase: Termbase) -> str | None:
    """``taiwan`` or ``us`` for a participant: the termbase's side for the person or the
    organisation in their title, else the title's leading word (美國…, 我國…, U.S. …)."""
    for text in (name, title or ""):
        term = termbase.lookup(text)
        if term and term.side:
            return term.side
    if title:
        for _, _, term in termbase.find(title, "org"):
            if term.side:
                return term.side
        for term in termbase.of_type("org"):
            if term.side and term.en and term.en in title:
                return term.side
        if _US_RE.search(title):
            return "us"
        if _TW_RE.search(title):
            return "taiwan"
    for term in termbase.of_type("person"):
        if term.side and term.en == name:
            return term.side
    return None


def find_place(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> Found | None:
    """Where it was held (see ``places``): 在X舉行, 於X召開, 赴X與…會談, 訪問X期間."""
    return found_at(paragraphs, find_place_zh(paragraphs, termbase, when))


def found_at(paragraphs: tuple[str, ...], where: tuple[int, int, int] | None) -> Found | None:
    """The ``Found`` for an extent ``(paragraph, start, end)``, or None for none."""
    if where is None:
        return None
    index, start, end = where
    return Found(paragraphs[index][start:end], index, start, end)


def find_participants(
    paragraphs: tuple[str, ...], termbase: Termbase
) -> list[tuple[Found, Found | None, str | None]]:
    """People who took part, ``(name, title, side)`` in order of first mention: named with
    a title (see ``people``) or known to the termbase, in a sentence that puts them at the
    meeting."""
    known = [
        (index, start, end)
        for index, para in enumerate(paragraphs)
        for start, end, _ in termbase.find(para, "person")
    ]
    found = []
    for person in find_people(paragraphs, known):
        if not person.took_part:
            continue
        best = person.best
        name = Found(best.name, best.para, best.name_start, best.name_end, best.gloss)
        title = None
        if best.title:
            first, last = best.title_parts[0][0], best.title_parts[-1][1]
            title = Found(best.title, best.para, first, last)
        found.append((name, title, side_of(name.text, best.title, termbase)))
    return found


def find_documents(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> list[tuple[Found, list[str]]]:
    """Documents signed at the meeting (see ``documents``), each with the organisations
    named in its sentence as parties."""
    found: list[tuple[Found, list[str]]] = []
    for index, start, end in find_signed(paragraphs, when):
        para = paragraphs[index]
        sentence = next((para[a:b] for a, b in sentence_spans(para) if a <= start < b), para)
        parties = [t.zh for _, _, t in termbase.find(sentence, "org")]
        name = para[start:end]
        found.append((Found(name, index, start, end, gloss_after(para, end)), parties))
    return found


def find_topics(paragraphs: tuple[str, ...]) -> list[Found]:
    """Topics announced in a sentence — 雙方就A、B、C等議題進行討論, 在A、B及C四大面向,
    聚焦A、B兩大主軸 — split at 、 and at the last 及/和/與; the longest list wins."""
    best: list[Found] = []
    for index, para in enumerate(paragraphs):
        for m in _TOPICS_RE.finditer(para):
            items: list[Found] = []
            pos = m.start(1)
            pieces = re.split(r"(、)", m.group(1))
            for piece in pieces:
                if piece != "、" and piece.strip():
                    items.append(Found(piece.strip(), index, pos, pos + len(piece)))
                pos += len(piece)
            if items:
                last = items.pop()
                items += _split_last(last)
            if len(items) > len(best):
                best = items
    return best if len(best) >= 2 else []


def _split_last(found: Found) -> list[Found]:
    """``數位經濟及人才流動`` -> ``數位經濟``, ``人才流動`` (at the last 及/和/與/以及)."""
    m = re.search(r"^(.{2,}?)(以及|及|和|與)(.{2,})$", found.text)
    if not m:
        return [found]
    first_end = found.start + len(m.group(1))
    second_start = first_end + len(m.group(2))
    return [
        Found(m.group(1), found.para, found.start, first_end),
        Found(m.group(3), found.para, second_start, found.end),
    ]
