"""Extraction from English readouts and press releases: the meeting's name, round, place,
participants and documents, written the way English releases write them
("the sixth U.S.-Taiwan Economic Prosperity Partnership Dialogue (EPPD)", "held in
Washington", "Minister of Economic Affairs Kung Ming-hsin", "signed a Memorandum of
Understanding on …")."""

from __future__ import annotations

import re

from ..translate.termbase import Termbase
from .english_people import find_people
from .meeting import Found
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
_EVENT_RE = re.compile(
    rf"(?P<name>{_CAP}(?:\s+(?:{_CAP}|{_SMALL}))*?\s+{_EVENT_NOUN})"
    rf"(?:\s*\((?P<abbr>[A-Z][A-Z0-9&-]{{1,10}})\))?"
)
_LEADING_RE = re.compile(rf"^(?:the\s+)?(?:{_ORDINAL}\s+)?(?:annual\s+)?", re.I)
_NOT_END = r"(?:[^.;]|\.(?!\s))"  # anything but a sentence end (U.S. is fine)
_ROUND_RE = re.compile(rf"\b(?:the\s+)?({_ORDINAL})\b(?={_NOT_END}{{0,100}}{_EVENT_NOUN})", re.I)
_ROUND_NUMBER_RE = re.compile(r"\bround\s+(\d{1,3})\b|\b(\d{1,3})(?:st|nd|rd|th)\s+round\b", re.I)
MEETING_VERB_RE = re.compile(
    r"\b(?:held|met|meet|meets|convened|concluded|hosted|took place|co-chaired|chaired|"
    r"co-hosted|opened|signed|gathered|attended)\b",
    re.I,
)
_PLACE_RE = re.compile(
    rf"\b(?:held|met|convened|concluded|hosted|took place|gathered)\b{_NOT_END}{{0,120}}?"
    rf"\bin\s+(?P<place>{_CAP}(?:[ ,]+(?:D\.C\.|{_CAP})){{0,2}})"
)
_NOT_PLACES = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "The",
    "A",
    "An",
    "Person",
}
_US_MARKERS = re.compile(
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
        for index, para in enumerate(paragraphs):
            for m in re.finditer(rf"\b{re.escape(term.en)}\b", para):
                known.append((index, m.start(), m.end()))
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


_SIGNED_RE = re.compile(
    rf"\bsign(?:ed|ing)\s+(?:an?\s+|the\s+)?(?:“(?P<quoted>[^”]{{3,160}})”|"
    rf"\"(?P<dq>[^\"]{{3,160}})\"|(?P<plain>{_CAP}(?:\s+(?:{_CAP}|{_SMALL}|U\.S\.-\w+))*))"
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
        m = _ROUND_RE.search(para)
        if m:
            word = m.group(1).lower()
            return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        m = _ROUND_NUMBER_RE.search(para)
        if m:
            return int(m.group(1) or m.group(2))
    return None


def find_place(paragraphs: tuple[str, ...]) -> Found | None:
    """ "held … in Washington, D.C.", "met in Taipei"."""
    for index, para in enumerate(paragraphs):
        for m in _PLACE_RE.finditer(para):
            place = m.group("place").rstrip(",")
            if place.split()[0].rstrip(",") in _NOT_PLACES:
                continue
            start = m.start("place")
            return Found(place, index, start, start + len(place))
    return None


def find_documents(
    paragraphs: tuple[str, ...], termbase: Termbase
) -> list[tuple[Found, list[str]]]:
    """Documents signed: "signed the Joint Statement on …", "signed a “…”"."""
    orgs = termbase.of_type("org")
    found: list[tuple[Found, list[str]]] = []
    seen: set[str] = set()
    for index, para in enumerate(paragraphs):
        for m in _SIGNED_RE.finditer(para):
            group = next(g for g in ("quoted", "dq", "plain") if m.group(g))
            name = re.sub(rf"(?:\s+{_SMALL})+$", "", m.group(group).strip().rstrip(".,;:"))
            if len(name.split()) < 2 or name in seen:
                continue
            seen.add(name)
            sentence = next(
                (para[a:b] for a, b in sentence_spans(para) if a <= m.start() < b), para
            )
            parties = [
                t.en
                for t in orgs
                if t.en in sentence or (t.abbr and re.search(rf"\b{re.escape(t.abbr)}\b", sentence))
            ]
            start = m.start(group)
            found.append((Found(name, index, start, start + len(name)), parties))
    return found
