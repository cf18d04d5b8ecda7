"""Extraction from English readouts and press releases: the meeting's name, round, place,
participants and documents, written the way English releases write them
("the sixth U.S.-Taiwan Economic Prosperity Partnership Dialogue (EPPD)", "held in
Washington", "Minister of Economic Affairs Kung Ming-hsin", "signed a Memorandum of
Understanding on …")."""

from __future__ import annotations

import re

from ..translate.termbase import Termbase
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
    r"\b(?:held|met|meet|convened|concluded|hosted|took place|co-chaired|opened)\b", re.I
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
_TITLE_NOUN = (
    r"(?:Minister|Secretary|Ambassador|Director|Representative|Chairman|Chairwoman|Chair|"
    r"President|Vice President|Premier|Administrator|Commissioner|Envoy|Governor|Spokesperson|"
    r"Director-General|Deputy|Counselor|Adviser|Advisor)"
)
_NAME = r"[A-Z][a-z]+(?:\s[A-Z][a-z]+(?:-[A-Za-z]+)?){1,2}"
_PERSON_RE = re.compile(
    rf"(?P<title>(?:(?:{_CAP})\s+){{0,3}}{_TITLE_NOUN}"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:\s+(?:{_CAP}|and|of|for|the))*)?)"
    rf",?\s+(?P<name>{_NAME})\b"
)
_TITLE_BEFORE_RE = re.compile(
    rf"(?P<title>(?:(?:{_CAP})\s+){{0,3}}{_TITLE_NOUN}"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:\s+(?:{_CAP}|and|of|for|the))*)?),?\s+$"
)
_AND_TITLE_RE = re.compile(rf"\s+and\s+(?=(?:{_CAP}\s+){{0,3}}{_TITLE_NOUN})")
_LEADING_SMALL_RE = re.compile(rf"^(?:{_SMALL}\s+)+")
_SIGNED_RE = re.compile(
    rf"\bsign(?:ed|ing)\s+(?:an?\s+|the\s+)?(?:“(?P<quoted>[^”]{{3,160}})”|"
    rf"\"(?P<dq>[^\"]{{3,160}})\"|(?P<plain>{_CAP}(?:\s+(?:{_CAP}|{_SMALL}|U\.S\.-\w+))*))"
)


def _sentences(paragraphs: tuple[str, ...]) -> list[tuple[int, int, int]]:
    return [(i, a, b) for i, para in enumerate(paragraphs) for a, b in sentence_spans(para)]


def find_event(paragraphs: tuple[str, ...], termbase: Termbase) -> tuple[Found | None, str | None]:
    """The first capitalised event name (…Dialogue/Forum/Talks…) and its abbreviation."""
    for index, para in enumerate(paragraphs):
        for m in _EVENT_RE.finditer(para):
            name = _LEADING_RE.sub("", m.group("name"))
            if len(name.split()) < 2:
                continue
            start = m.start("name") + (len(m.group("name")) - len(name))
            return Found(name, index, start, start + len(name)), m.group("abbr")
    return None, None


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


def find_participants(
    paragraphs: tuple[str, ...], termbase: Termbase
) -> list[tuple[Found, Found | None]]:
    """People named with a title ("Minister of Economic Affairs Kung Ming-hsin") and
    termbase officials (by their English names), in order of first mention."""
    known = [t.en for t in termbase.of_type("person")]
    people: dict[str, tuple[Found, Found | None]] = {}
    for index, para in enumerate(paragraphs):
        mentions: list[tuple[Found, Found | None]] = []
        for name in known:
            for m in re.finditer(rf"\b{re.escape(name)}\b", para):
                title = _TITLE_BEFORE_RE.search(para[: m.start()])
                title_found = None
                if title:
                    # "A Jacob Helberg and Minister of B Kung" -> the last title only
                    text = _AND_TITLE_RE.split(title.group("title"))[-1]
                    end = title.end("title")
                    title_found = Found(text, index, end - len(text), end)
                mentions.append((Found(name, index, m.start(), m.end()), title_found))
        for m in _PERSON_RE.finditer(para):
            if any(f.start <= m.start("name") < f.end for f, _ in mentions):
                continue
            title = _LEADING_SMALL_RE.sub("", m.group("title"))
            t_start = m.end("title") - len(title)
            mentions.append(
                (
                    Found(m.group("name"), index, m.start("name"), m.end("name")),
                    Found(title, index, t_start, m.end("title")),
                )
            )
        for name, title in sorted(mentions, key=lambda x: x[0].start):
            if name.text not in people or (people[name.text][1] is None and title):
                people[name.text] = (name, title)
    return list(people.values())


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
