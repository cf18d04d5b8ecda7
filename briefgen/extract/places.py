"""Where a meeting was held: a gazetteer of place names, and the phrases that place a
meeting (在X舉行, 於X召開, 赴X與…會談, 訪問X期間; "held in X", "met in X", "visited X").

The gazetteer is the termbase's places plus what Babel's CLDR data names in Traditional
Chinese, Simplified Chinese (read as Traditional, as the finders read Simplified text)
and English: every country and territory, and the exemplar cities of the world's
time zones; and in English every capital and province countryinfo knows. A place is
taken as written from the text: a gazetteer name and what follows it up to the verb
(瑞典斯德哥爾摩, 紐西蘭首都威靈頓), or a venue (金門昇恆昌金湖大飯店,
行政院經貿談判辦公室), never a fragment that is neither. A place in a sentence about
another time (將在…登場, "the 13th meeting was held in July 2019 in London") or named
with others (分別在臺北及華府, "alternately in New Delhi and London") is not this
meeting's.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from zoneinfo import available_timezones

from ..cache import cached_json, digest, package_versions
from ..lazyre import lazy
from ..translate.termbase import Termbase
from .dates import names_other_year
from .text import sentence_spans

#: What a venue's name ends in.
_VENUE_RE = lazy(
    r"(?:飯店|酒店|大飯店|大廈|大樓|中心|會館|賓館|國賓館|廳|館|辦公室|總部|宮|莊園|官邸|大學|"
    r"園區|會議室|會場|場館|Hotel|Center|Centre|部|院|府|署|局|會)$"
)
_ZH_MEETING_AFTER = (
    r"(?:舉行|召開|主持|共同主持|會談|會晤|會面|簽署|簽訂|正式|共同|與|和|同|進行|登場|舉辦|出席|展開|"
    r"開幕|閉幕|見證|率團|出訪|參加)"
)
_ZH_PLACE_RE = lazy(
    r"(?:在|於|于|假|赴)"
    rf"(?P<x>[^，,。；;：:「」『』《》（）()\n的與和及、在於于\d]{{2,40}}?)(?={_ZH_MEETING_AFTER})"
)
_ZH_VISIT_RE = lazy(r"訪問(?P<x>[^，,。；;：:「」（）()\s的與和及、]{2,12}?)期間")
_ZH_VISIT_ANY_RE = lazy(r"(?:訪問|出訪|抵達)(?P<x>[\u4e00-\u9fff]{2,8})")
_ZH_SENTENCE_VERB_RE = lazy(
    r"舉行|召開|主持|會談|會晤|會面|簽署|簽訂|登場|舉辦|出席|開幕|閉幕|進行|訪問|參加"
)
# A clause about another time or a plan: 將在…登場, 曾在…舉行, 明年於….
_ZH_NOT_NOW_RE = lazy(r"將|明天|明年|下屆|下次|未來|曾|過去|以往|歷屆|上屆|去年|前年|分別")
_ZH_NOT_PLACE_RE = re.compile(
    r"時間|期間|會議|線上|視訊|會上|會中|會後|今|昨|明|\d|本日|當日|日前|此|當地|該|其|雙方|方式"
)
# 在X舉行, 於X召開: the construction that names a place even the gazetteer does not know
_ZH_HELD_RE = re.compile(r"舉行|召開|舉辦")

_EN_VERB_RE = lazy(
    r"\b(?:held|met|meet|meets|convened|concluded|hosted|took\s+place|gathered|co-chaired|"
    r"chaired|signed|opened|launched|participated|participate|attended|join|joins|joined)\b"
)
# The meeting itself named in the sentence (not a gala or a side visit).
_EN_EVENT_RE = lazy(
    r"\b(?:[Dd]ialogue|[Mm]eeting|[Cc]onference|[Cc]onsultations?|[Ff]orum|[Tt]alks|"
    r"[Cc]ommission|[Cc]ommittee|[Ss]ummit|[Ss]ession)\b"
)
_EN_PLACE_RE = lazy(r"\bin\s+(?P<x>[A-Z][\w.’'-]*(?:[ ,]+(?:[A-Z][\w.’'-]*|D\.C\.|and))*)")
_EN_VISIT_RE = lazy(
    r"\b(?:visited|visit\s+to|arrived\s+in)\s+(?P<x>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
)
# "The delegation also held meetings with …": a side activity, not the meeting.
_EN_SIDE_RE = re.compile(r"\balso\s+(?:\w+\s+)?(?:held|met)\b|\bheld\s+meetings\b")


@lru_cache(maxsize=1)
def _cldr_names() -> tuple[frozenset[str], frozenset[str]]:
    """Country, territory and time-zone city names from CLDR and countryinfo: (Chinese,
    English). Derived once per machine and set of package versions (see ``cache``)."""
    key = digest("places-1", package_versions("babel", "opencc", "countryinfo", "tzdata"))
    chinese, english = cached_json("data", key, _derive_names)
    return frozenset(chinese), frozenset(english)


def _derive_names() -> tuple[list[str], list[str]]:
    """The names of ``_cldr_names``, sorted, from the installed packages (slow)."""
    import opencc
    from babel import Locale

    to_traditional = opencc.OpenCC("s2tw")
    chinese: set[str] = set()
    for code in ("zh_Hant_TW", "zh_Hant_HK"):
        locale = Locale.parse(code)
        chinese.update(n for k, n in locale.territories.items() if k.isalpha())
        chinese.update(d["city"] for d in locale.time_zones.values() if d.get("city"))
    hans = Locale.parse("zh_Hans_CN")
    chinese.update(to_traditional.convert(n) for k, n in hans.territories.items() if k.isalpha())
    chinese.update(
        to_traditional.convert(d["city"]) for d in hans.time_zones.values() if d.get("city")
    )
    english = {n for k, n in Locale.parse("en").territories.items() if k.isalpha()}
    english.update(
        zone.rsplit("/", 1)[1].replace("_", " ")
        for zone in available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/"))
    )
    english.update(_capitals_and_provinces())
    return sorted(n for n in chinese if len(n) >= 2), sorted(n for n in english if n)


def _capitals_and_provinces() -> set[str]:
    """Every country's capital and provinces, as countryinfo names them in English
    (Washington D.C. also as Washington)."""
    from countryinfo import all_countries

    names: set[str] = set()
    for country in all_countries():
        info = country.info()
        for key in ("capital", "provinces"):
            value = info.get(key) or []
            for name in [value] if isinstance(value, str) else value:
                if isinstance(name, str) and name:
                    names.add(name)
                    names.add(name.split(" D.C.")[0])
    return names


class Gazetteer:
    """Known place names in Chinese (Traditional) and English."""

    def __init__(self, termbase: Termbase) -> None:
        chinese, english = _cldr_names()
        places = termbase.of_type("place")
        self.chinese = chinese | {t.zh for t in places if t.zh}
        self.english = english | {t.en for t in places if t.en}
        self._longest_zh = max((len(n) for n in self.chinese), default=0)

    def chinese_prefix(self, text: str) -> str | None:
        """The longest known place ``text`` starts with."""
        for length in range(min(len(text), self._longest_zh), 1, -1):
            if text[:length] in self.chinese:
                return text[:length]
        return None

    def english_prefix(self, text: str) -> str | None:
        """The known place (one to three words) ``text`` starts with."""
        words = text.split()
        for count in (3, 2, 1):
            candidate = " ".join(words[:count]).rstrip(",.")
            if candidate in self.english:
                return candidate
        return None


#: A country's formal name: 泰王國, 大韓民國, 日本國.
_COUNTRY_FORM_RE = lazy(r"^[\u4e00-\u9fff]{1,6}?(?:王國|共和國|民國|聯邦|國)")


def _zh_rank(gazetteer: Gazetteer, place: str) -> int | None:
    """How specific a Chinese place is: 2 a known place with its venue, 1 a venue or a
    known place, None when it is neither."""
    if _ZH_NOT_PLACE_RE.search(place):
        return None
    known = gazetteer.chinese_prefix(place) is not None or bool(_COUNTRY_FORM_RE.match(place))
    venue = bool(_VENUE_RE.search(place)) and len(place) >= 3
    if known and venue and place != gazetteer.chinese_prefix(place):
        return 2
    if known or venue:
        return 1
    return None


def find_place_zh(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> tuple[int, int, int] | None:
    """Where a Chinese readout says the meeting was held, as ``(para, start, end)``: the
    most specific place named with a meeting verb (a venue in a known city before a
    city alone), first in the text on a tie; else the place of a visit."""
    gazetteer = Gazetteer(termbase)
    best: tuple[int, tuple[int, int, int]] | None = None
    visits: list[tuple[int, int, int]] = []
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            if not _ZH_SENTENCE_VERB_RE.search(sentence):
                continue
            for rx in (_ZH_PLACE_RE, _ZH_VISIT_RE):
                for m in rx.finditer(sentence):
                    clause = re.split(r"[，,；;]", sentence[: m.start()])[-1]
                    if _ZH_NOT_NOW_RE.search(clause) or names_other_year(clause, when):
                        continue
                    rank = _zh_rank(gazetteer, m.group("x"))
                    strong = rx is _ZH_VISIT_RE or bool(
                        _ZH_HELD_RE.match(sentence, m.end("x"))
                        and len(m.group("x")) <= 6
                        and not _ZH_NOT_PLACE_RE.search(m.group("x"))
                    )
                    if rank is None and strong:
                        rank = 1  # 在惠靈頓舉行: a place the gazetteer does not know
                    if rank is None:
                        continue
                    where = (index, s_start + m.start("x"), s_start + m.end("x"))
                    if best is None or rank > best[0]:
                        best = (rank, where)
            for m in _ZH_VISIT_ANY_RE.finditer(sentence):
                if _ZH_NOT_NOW_RE.search(re.split(r"[，,；;]", sentence[: m.start()])[-1]):
                    continue  # 曾於2004年應邀訪問台灣
                known = gazetteer.chinese_prefix(m.group("x"))
                if known:
                    start = s_start + m.start("x")
                    visits.append((index, start, start + len(known)))
    if best is not None:
        return best[1]
    return visits[0] if visits else None


def find_place_en(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> tuple[int, int, int] | None:
    """Where an English readout says the meeting was held: "in X" (a known place, with
    its country or "D.C." when given) in the first sentence with a meeting verb that
    names one; else the place the delegation visited."""
    gazetteer = Gazetteer(termbase)
    visit: tuple[int, int, int] | None = None
    first_verb = True
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            for m in _EN_VISIT_RE.finditer(sentence):
                known = gazetteer.english_prefix(m.group("x"))
                if known and visit is None:
                    start = s_start + m.start("x")
                    visit = (index, start, start + len(known))
            verb = _EN_VERB_RE.search(sentence)
            if not verb or _EN_SIDE_RE.search(sentence):
                continue
            if not first_verb and not _EN_EVENT_RE.search(sentence):
                continue  # a gala, a reception: not the meeting
            first_verb = False
            for m in _EN_PLACE_RE.finditer(sentence):
                place = _known_english(gazetteer, m.group("x"))
                if not place:
                    continue
                after = m.group("x")[len(place) :]
                other = re.match(r"\s+and\s+(.*)", after)
                if other and gazetteer.english_prefix(other.group(1)):
                    continue  # "held alternately in New Delhi and London": no one place
                clause_start = sentence.rfind(",", 0, m.start()) + 1
                clause_end = sentence.find(",", m.end())
                clause = sentence[clause_start : clause_end if clause_end > 0 else len(sentence)]
                if names_other_year(clause, when):
                    continue  # "The 13th meeting was held in July 2019 in London."
                start = s_start + m.start("x")
                return index, start, start + len(place)
    return visit


def _known_english(gazetteer: Gazetteer, text: str) -> str | None:
    """A known place at the start of ``text`` and, after a comma, its country or D.C."""
    first = gazetteer.english_prefix(text)
    if not first:
        return None
    rest = text[len(first) :]
    m = re.match(r",\s+(D\.C\.|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)", rest)
    if m and (m.group(1) == "D.C." or gazetteer.english_prefix(m.group(1)) == m.group(1)):
        return first + rest[: m.end()]
    return first
