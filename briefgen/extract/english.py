"""Extraction from English readouts and press releases: the meeting's name, round, place,
participants and documents, written the way English releases write them
("the sixth U.S.-Taiwan Economic Prosperity Partnership Dialogue (EPPD)", "held in
Washington", "Minister of Economic Affairs Kung Ming-hsin", "signed a Memorandum of
Understanding on …")."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..lazyre import lazy
from ..translate.termbase import Termbase
from .english_people import find_people
from .meeting import Found, found_at
from .places import find_place_en
from .text import sentence_spans

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_ORDINAL = r"(?:" + "|".join(_ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))"
_EVENT_NOUN = (
    r"(?:Dialogue|Forum|Talks|Consultations?|Summit|Meeting|Conference|Commission|"
    r"Committee|Council|Roundtable|Framework|Initiative)"
)
_CAP = r"(?:[A-Z][\w.'’&-]*)"
_SMALL = r"(?:and|on|for|of|the|in|to)"
#: The most words before an event's or a document's noun, each name starting at a word: a
#: bound, so that a long run of capitalised words (a headline, text in capitals) is not
#: read again from every word and letter.
_MAX_NAME_WORDS = 24
_EVENT_RE = lazy(
    rf"(?P<name>\b{_CAP}(?:\s+(?:{_CAP}|{_SMALL})){{0,{_MAX_NAME_WORDS}}}?\s+{_EVENT_NOUN})"
    rf"(?:\s*\((?P<abbr>[A-Z][A-Z0-9&-]{{1,10}})\))?"
)
_LEADING_RE = lazy(rf"^(?:the\s+)?(?:{_ORDINAL}\s+)?(?:annual\s+)?", re.I)
_NOT_END = r"(?:[^.;]|\.(?!\s))"  # anything but a sentence end (U.S. is fine)
_ROUND_RE = lazy(rf"\b(?:the\s+)?({_ORDINAL})\b(?={_NOT_END}{{0,100}}{_EVENT_NOUN})", re.I)
_ROUND_NUMBER_RE = re.compile(r"\bround\s+(\d{1,3})\b|\b(\d{1,3})(?:st|nd|rd|th)\s+round\b", re.I)
MEETING_VERB_RE = lazy(
    r"\b(?:held|met|meet|meets|convened|concluded|hosted|took place|co-chaired|chaired|"
    r"co-hosted|opened|signed|gathered|attended|attend|participated|participate|participates|"
    r"took\s+part|take\s+part)\b",
    re.I,
)
_US_MARKERS = lazy(
    r"\b(?:U\.S\.|US|United States|American|of State|Secretary of (?:Commerce|the Treasury)|"
    r"Trade Representative|Department of)\b"
)
_TW_MARKERS = re.compile(r"\b(?:Taiwan|Taiwanese|Taipei|Executive Yuan|R\.O\.C\.)\b")


def side_of(name: str, title: str | None, context: str, termbase: Termbase) -> str | None:
    """``us``/``taiwan`` for a participant: the termbase's side for the person, else for an
    organisation named in the title or just before it (AIT Chair, TECRO Representative),
    else the title's own words (U.S., Secretary of State, Taiwan's …)."""
    for term in termbase.of_type("person"):
        if term.en == name and term.side:
            return term.side
    text = f"{context} {title or ''}"
    for term in termbase.of_type("org"):
        if not term.side:
            continue
        if term.en in text or (term.abbr and re.search(rf"\b{re.escape(term.abbr)}\b", text)):
            return term.side
    us, tw = _US_MARKERS.search(text), _TW_MARKERS.search(text)
    if us and not tw:
        return "us"
    if tw and not us:
        return "taiwan"
    if us and tw:
        return "us" if us.start() > tw.start() else "taiwan"
    return None


def find_participants(
    paragraphs: tuple[str, ...], termbase: Termbase
) -> list[tuple[Found, Found | None, str | None]]:
    """People who took part, ``(name, title, side)`` in order of first mention: named with
    a title (see ``english_people``) or by a termbase official's English name, in a
    sentence that puts them at the meeting."""
    known = []
    for term in termbase.of_type("person"):
        if not term.en:
            continue
        pattern = re.compile(rf"\b{re.escape(term.en)}\b")
        for index, para in enumerate(paragraphs):
            if term.en in para:  # the plain search first: most paragraphs name nobody
                known.extend((index, m.start(), m.end()) for m in pattern.finditer(para))
    found = []
    for person in find_people(paragraphs, sorted(known)):
        if not person.took_part:
            continue
        best = person.best
        name = Found(best.name, best.para, best.name_start, best.name_end, best.gloss)
        title = None
        context = paragraphs[best.para][max(0, best.name_start - 80) : best.name_start]
        if best.title:
            first, last = best.title_parts[0][0], best.title_parts[-1][1]
            title = Found(best.title, best.para, first, last)
            context = paragraphs[best.para][max(0, first - 60) : first]
        found.append((name, title, side_of(name.text, best.title, context, termbase)))
    return found


_DOC_NOUN = (
    r"(?:memorand(?:um|a|ums)(?:\s+of\s+understanding)?|MOUs?|MoUs?|agreements?|arrangements?|"
    r"accords?|protocols?|declarations?|statements?|letters?\s+of\s+intent|treat(?:y|ies)|"
    r"communiqués?|frameworks?)"
)
_COUNT_WORD = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|a\s+number\s+of|\d+)"
# signed a “…” / signed the Joint Statement on … / the signing of a Memorandum of …
_SIGNED_RE = lazy(
    rf"\b(?:signed|signing\s+of|signature\s+of|sign)\s+(?:an?\s+|the\s+)?(?:“(?P<quoted>[^”]{{3,160}})”|"
    rf"\"(?P<dq>[^\"]{{3,160}})\"|(?P<count>{_COUNT_WORD}\s+(?:new\s+)?{_DOC_NOUN})|"
    rf"(?P<plain>{_CAP}(?:\s+(?:{_CAP}|{_SMALL}|U\.S\.-\w+))*))",
    re.I,
)
# … the Memorandum of Understanding on … was signed / were signed by …
_PASSIVE_RE = lazy(
    rf"(?P<plain>\b{_CAP}(?:\s+(?:{_CAP}|{_SMALL})){{0,{_MAX_NAME_WORDS}}}\s+{_DOC_NOUN}"
    rf"(?:\s+on\s+{_CAP}(?:\s+{_CAP}){{0,{_MAX_NAME_WORDS}}})?)"
    r"\s+(?:was|were)\s+(?:also\s+)?signed\b"
)
# A signing hoped for, planned or to come; or one told of as history.
_NOT_NOW_RE = lazy(
    r"\b(?:will|would|shall|could|may|might|to|towards?|seeks?|seeking|plans?|planning|hopes?|"
    r"hoping|expects?|expected|looks?\s+forward|intends?|aims?|ready|prepare[sd]?|before|"
    r"previously|earlier|last\s+year|had)\s+(?:\w+\s+){0,2}$",
    re.I,
)
# Later references to documents a count stood for: "the MOU on customs matters", "the
# cultural exchanges MOU".
_REFERENCE_RES = (
    lazy(
        r"\b(?:the\s+)?(?P<name>(?:MOU|MoU|memorandum|agreement)\s+on\s+[a-z]+(?:\s+[a-z]+){0,3}?)"
        r"(?=\s*[,.;]|\s+(?:establishes|deepens|which|that|is|was|will|aims|covers|allows))"
    ),
    re.compile(
        r"\b[Tt]he\s+(?P<name>[a-z]+(?:\s+[a-z]+){0,2}\s+(?:MOU|MoU|memorandum|agreement))\b"
    ),
)


def _sentences(paragraphs: tuple[str, ...]) -> list[tuple[int, int, int]]:
    return [(i, a, b) for i, para in enumerate(paragraphs) for a, b in sentence_spans(para)]


def find_event(paragraphs: tuple[str, ...], termbase: Termbase) -> tuple[Found | None, str | None]:
    """The meeting's capitalised name (…Dialogue/Forum/Talks…) and abbreviation: the first
    one that carries an abbreviation, else the longest, else the first."""
    candidates: list[tuple[Found, str | None]] = []
    for index, para in enumerate(paragraphs):
        for m in _EVENT_RE.finditer(para):
            name = _LEADING_RE.sub("", m.group("name"))
            if len(name.split()) < 2:
                continue
            start = m.start("name") + (len(m.group("name")) - len(name))
            candidates.append((Found(name, index, start, start + len(name)), m.group("abbr")))
    if not candidates:
        return None, None
    with_abbr = [c for c in candidates if c[1]]
    if with_abbr:
        return with_abbr[0]
    return max(candidates, key=lambda c: len(c[0].text))


def find_round(paragraphs: tuple[str, ...]) -> int | None:
    """ "the sixth … Dialogue", "6th round", "round 6"."""
    for para in paragraphs:
        for m in _ROUND_RE.finditer(para):
            word = m.group(1).lower()
            number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            if number >= 1:  # "the 0th Dialogue" is no round
                return number
        for m in _ROUND_NUMBER_RE.finditer(para):
            number = int(m.group(1) or m.group(2))
            if number >= 1:  # "round 0" is no round
                return number
    return None


def find_place(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> Found | None:
    """ "held … in Washington, D.C.", "met in Taipei" (see ``places``)."""
    return found_at(paragraphs, find_place_en(paragraphs, termbase, when))


def find_documents(
    paragraphs: tuple[str, ...], termbase: Termbase, when: date | None = None
) -> list[tuple[Found, list[str]]]:
    """Documents signed at the meeting: "signed the Joint Statement on …", "signed a
    “…”", "welcomed the signing of …", "… was signed"; a count ("the signing of two
    MOUs") stands for the documents the text later names ("the MOU on customs
    matters"). Signings hoped for or to come ("seek to sign", "will sign") and earlier
    ones are left out."""
    orgs = termbase.of_type("org")
    found: list[tuple[Found, list[str]]] = []
    seen: set[str] = set()

    def add(name: str, index: int, start: int, sentence: str) -> None:
        if (len(name.split()) < 2 and name.upper() not in ("MOU", "MOUS")) or name in seen:
            return
        seen.add(name)
        parties = [
            t.en
            for t in orgs
            if t.en in sentence or (t.abbr and re.search(rf"\b{re.escape(t.abbr)}\b", sentence))
        ]
        found.append((Found(name, index, start, start + len(name)), parties))

    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            for m in _SIGNED_RE.finditer(sentence):
                if _NOT_NOW_RE.search(sentence, 0, m.start()):
                    continue
                if m.group("count"):
                    for ref_index, ref_start, name in _references(paragraphs, index, m):
                        add(name, ref_index, ref_start, sentence)
                    continue
                group = next(g for g in ("quoted", "dq", "plain") if m.group(g))
                raw = m.group(group).strip()
                name = re.sub(rf"(?:\s+{_SMALL})+$", "", raw.rstrip(".,;:"))
                add(name, index, s_start + m.start(group), sentence)
            for m in _PASSIVE_RE.finditer(sentence):
                name = _LEADING_RE.sub("", m.group("plain"))
                offset = m.start("plain") + len(m.group("plain")) - len(name)
                add(name, index, s_start + offset, sentence)
    return found


def _references(
    paragraphs: tuple[str, ...], index: int, count: re.Match[str]
) -> list[tuple[int, int, str]]:
    """What a count of signed documents stands for: the documents the text names later
    (at most as many as counted, when the count is a number word)."""
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
    first = count.group("count").split()[0].lower()
    limit = words.get(first) or (int(first) if first.isdigit() else 10)
    limit = min(limit, _MAX_REFERENCES)
    found: list[tuple[int, int, str]] = []
    for later in range(index, min(len(paragraphs), index + 8)):
        for start, name in _reference_hits(paragraphs[later]):
            if len(found) >= limit:  # the ones after cannot change the first ``limit``
                return found
            if any(name in other or other in name for _, _, other in found):
                continue
            found.append((later, start, name))
    return found[:limit]


#: The most documents a count stands for ("signed 1000 agreements" names at most this many).
_MAX_REFERENCES = 50


@lru_cache(maxsize=64)
def _reference_hits(para: str) -> tuple[tuple[int, str], ...]:
    """The later references to documents in ``para``, in order (read once per paragraph,
    however many counts look at it)."""
    return tuple(
        sorted(
            (m.start("name"), m.group("name")) for rx in _REFERENCE_RES for m in rx.finditer(para)
        )
    )
