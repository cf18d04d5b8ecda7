"""Documents signed at the meeting, from Chinese readouts.

A document is what a signing verb (簽署, 簽訂, 簽了 …) takes: the names after it — quoted
(「…」《…》) or a phrase ending in a document word (協議, 協定, 備忘錄, MOU, 聲明 …) — in a
list joined by 、 及 以及 與 和 (「A」及「B」 are two); a count (3項瞭解備忘錄, 八項協議) or a
bare word (簽署協議) stands for the quoted documents of the same sentence. A name may
also come first, the verb after it (台紐經濟合作協定今天正式簽署, 「…」簽署儀式).

Only what was signed at this meeting counts: a clause that hopes for or plans a signing
(將, 盼, 希望, 可望, 研議 …) gives next steps, and one about an earlier signing (曾, 去年,
上屆, 已簽有, 繼…後) history — neither gives documents.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from ..lazyre import lazy
from ..model import Timing
from .dates import names_other_year
from .text import bracket_depths, sentence_spans

_SIGN_RE = re.compile(r"簽署|簽訂|簽定|簽立|簽約|簽妥|簽字|簽了")
_DOC_WORD = (
    r"(?:協議契約|協議書|協議|協定|諒解備忘錄|瞭解備忘錄|合作備忘錄|備忘錄|MOU|MoU|聲明|宣言|公報|"
    r"議定書|契約|合約|議事錄|意向書|條約|換文|行動計畫|合作計畫|路線圖|Agreement|Memorandum|"
    r"Protocol|Declaration|Statement)"
)
_QUOTED_RE = lazy(r"[「《『]([^「」《》『』]{2,80})[」》』]")
_QUOTED_DOC_RE = lazy(rf"[「《『]([^「」《》『』]{{0,80}}?{_DOC_WORD})[」》』]")
# An unquoted name right after the verb: up to its document word, no punctuation inside.
_PLAIN_DOC_RE = lazy(
    rf"(?:[^，,。；;：:、「」《》『』()（）\s][^，,。；;：:、「」《》『』\n]{{0,40}}?)?{_DOC_WORD}"
)
_GLOSS_RE = re.compile(r"\s*[（(][^（）()]{1,60}[）)]")
_COUNT_RE = lazy(r"^(?:共|等)?\s*(?:\d+|[一二三四五六七八九十兩多數])\s*(?:項|份|個|件|紙)")
_BARE_RE = lazy(rf"^(?:合作|相關|此|該|這項|本)?{_DOC_WORD}$")
_JOINER_RE = re.compile(r"\s*(?:、|以及|及|與|和|暨|並)\s*")
_LEAD_RE = re.compile(r"(?:了|完成|正式|共同|共|雙方|並)*\s*")
# A clause that plans, hopes for or discusses a signing; or tells of an earlier one.
_NOT_NOW_RE = lazy(
    r"將|盼|希望|可望|預計|有望|計畫|計劃|準備|擬|期待|期盼|爭取|儘早|儘快|盡快|應該|未來|後續|"
    r"討論|研議|洽談|商談|協商|推動|規劃|尋求|"
    r"曾(?:經|於|在|與|和)|已於|去年|前年|上屆|上次|過去|先前|此前|已簽有|早已|早於|繼(?!續)"
)
# 簽署的…, 簽署之…, 簽署後, 簽署至今, 簽署20週年: a signing told of, not done here.
_NOT_NOW_AFTER_RE = re.compile(
    r"(?:並)?生效|之後|以來|的|之|後|至今|迄今|\d+\s*(?:週年|周年)|[一二三四五六七八九十]+週年|內容"
)
_AFTER_EARLIER_RE = re.compile(r"繼(?!續)")
# 2013年: a year as Chinese text writes one before its month
_YEAR_WRITTEN_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
#: How far before a signing verb its clause is read for plans and history.
_WINDOW = 40
# After a verb whose document came first, only the clause's end, 儀式 or 了 may follow.
_TOPIC_END_RE = lazy(r"\s*(?:了|儀式)?\s*[，,。；;！!]?[」』”\"]?\s*$")


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Clause bounds of a sentence, split at commas and semicolons outside brackets."""
    depths = bracket_depths(sentence)
    bounds = [0]
    for i, ch in enumerate(sentence):
        if ch in "，,；;" and depths[i] == 0:
            bounds.append(i + 1)
    bounds.append(len(sentence))
    return list(pairwise(bounds))


def _objects(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The names a signing verb at ``start`` takes, up to ``end``: ``(start, end,
    quoted)`` each; a count or a bare word is returned as unquoted too."""
    found: list[tuple[int, int, bool]] = []
    lead = _LEAD_RE.match(text, start, end)
    pos = lead.end() if lead else start
    while pos < end:
        quoted = _QUOTED_RE.match(text, pos, end)
        if quoted:
            found.append((quoted.start(1), quoted.end(1), True))
            pos = quoted.end()
            gloss = _GLOSS_RE.match(text, pos, end)
            if gloss:
                pos = gloss.end()
        else:
            plain = _PLAIN_DOC_RE.match(text, pos, end)
            if not plain:
                break
            found.append((plain.start(), plain.end(), False))
            pos = plain.end()
            gloss = _GLOSS_RE.match(text, pos, end)
            if gloss:
                pos = gloss.end()
        joiner = _JOINER_RE.match(text, pos, end)
        if not joiner:
            break
        pos = joiner.end()
    return found


def _not_now(clause_before: str) -> bool:
    return bool(_NOT_NOW_RE.search(clause_before))


def find_signed(
    paragraphs: tuple[str, ...], when: date | None = None
) -> list[tuple[int, int, int]]:
    """Every document signed at the meeting as ``(para, start, end)``, in order, each
    name once (a name that is the tail of a longer one is left out). With the meeting's
    date ``when``, a clause dated in another year (台日於2013年4月10日簽署…) tells of
    another signing."""
    spans: list[tuple[int, int, int]] = []
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            quoted_docs = [
                (s_start + m.start(1), s_start + m.end(1))
                for m in _QUOTED_DOC_RE.finditer(sentence)
            ]
            for c_start, c_end in _clauses(sentence):
                clause = sentence[c_start:c_end]
                for verb in _SIGN_RE.finditer(clause):
                    before = clause[max(0, verb.start() - _WINDOW) : verb.start()]
                    if _not_now(before) or names_other_year(before, when, _YEAR_WRITTEN_RE):
                        continue
                    if (
                        _AFTER_EARLIER_RE.search(sentence[: c_start + verb.start()])
                        and "後" in (sentence[c_start + verb.end() : c_start + verb.end() + 40])
                    ):
                        continue  # 繼…簽署…後: an earlier signing the sentence starts from
                    after = clause[verb.end() :]
                    if _NOT_NOW_AFTER_RE.match(after):
                        continue
                    v_end = s_start + c_start + verb.end()
                    objects = _objects(para, v_end, s_start + c_end)
                    if after.startswith("儀式") or (not objects and _TOPIC_END_RE.match(after)):
                        # The name came first: 「…」簽署儀式, 台紐經濟合作協定今天正式簽署
                        before = para[s_start + c_start : v_end - len(verb.group())]
                        spans.extend(_named_before(index, para, s_start + c_start, before))
                        continue
                    if not objects:
                        continue
                    for o_start, o_end, quoted in objects:
                        name = para[o_start:o_end]
                        if not quoted and _COUNT_RE.match(name):
                            spans.extend(_stands_for(index, name, para, quoted_docs))
                            continue
                        if not quoted and _BARE_RE.match(name):
                            named = _stands_for(index, name, para, quoted_docs)
                            spans.extend(named or [(index, o_start, o_end)])
                            continue
                        spans.append((index, o_start, o_end))
    return _unique(paragraphs, spans)


def _named_before(index: int, para: str, offset: int, before: str) -> list[tuple[int, int, int]]:
    """Names before a signing verb in its clause: quoted ones, else a document phrase at
    the clause's start."""
    quoted = [
        (index, offset + m.start(1), offset + m.end(1)) for m in _QUOTED_DOC_RE.finditer(before)
    ]
    if quoted:
        return quoted
    plain = re.match(rf"\s*([^，,。；;：:「」《》]{{2,30}}?{_DOC_WORD})", before)
    if plain and not _COUNT_RE.match(plain.group(1)) and not _BARE_RE.match(plain.group(1)):
        return [(index, offset + plain.start(1), offset + plain.end(1))]
    return []


def _stands_for(
    index: int, name: str, para: str, quoted: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """The quoted documents a count or a bare word (3項瞭解備忘錄, 協議) stands for: those of
    the same sentence with the same kind of name."""
    word = re.search(f"{_DOC_WORD}$", name)
    kind = word.group() if word else ""
    same = [
        (index, a, b)
        for a, b in quoted
        if not kind or para[a:b].endswith(kind) or _COUNT_RE.match(name)
    ]
    return same


def _unique(
    paragraphs: tuple[str, ...], spans: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    names = [paragraphs[p][a:b].strip().replace("臺", "台") for p, a, b in spans]
    kept: list[tuple[int, int, int]] = []
    seen: set[str] = set()
    for (p, a, b), name in zip(spans, names, strict=True):
        longer = any(other != name and other.endswith(name) for other in names)
        if longer or name in seen or not name:
            continue
        seen.add(name)
        kept.append((p, a, b))
    return kept


# When a signing happened relative to the meeting, read in the words before the name.
_BEFORE_MEETING_RE = lazy(
    r"會前|會議前|會談前|對話前|前夕|稍早|日前|"
    r"\b(?:ahead of|before|prior to|on the eve of)\s+the\s+(?:meeting|talks|dialogue|session|"
    r"visit|forum)\b|\bearlier\b",
    re.I,
)
_AFTER_MEETING_RE = re.compile(
    r"會後|會議後|會談後|對話後|會議結束後|"
    r"\b(?:after|following)\s+the\s+(?:meeting|talks|dialogue|session|forum)\b",
    re.I,
)
# A party that is not a government: a company, an association, a university, an institute.
_NON_GOVERNMENT_RE = lazy(
    r"(?:協會|公會|公司|企業|集團|大學|學院|學會|基金會|商會|總會|研究院|研究所|研究中心|銀行)$|"
    r"\b(?:Association|Institute|Inc\.?|Corp\.?|Corporation|Company|University|Foundation|"
    r"Chamber|Bank|Ltd\.?|Group|Council)\b",
    re.I,
)


def signing_timing(before: str, parties: list[str]) -> Timing:
    """Whether a signing told of in ``before`` (its clause up to the document's name) is
    the meeting's own: signed before or after the meeting (會前, "ahead of the talks"),
    alongside it by a party that is not a government body (an institute, an industry
    association, a company), or at the meeting by its delegations."""
    if _BEFORE_MEETING_RE.search(before):
        return Timing.BEFORE
    if _AFTER_MEETING_RE.search(before):
        return Timing.AFTER
    if any(_NON_GOVERNMENT_RE.search(p.strip()) for p in parties):
        return Timing.ALONGSIDE
    return Timing.AT_MEETING
