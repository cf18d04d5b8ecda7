"""People in English readouts: titles and names, and who took part.

English releases name officials in a few shapes, all anchored by a title:

- title then name: "Secretary of Commerce Gina Raimondo", "Minister of Economy, Trade and
  Industry Nishimura Yasutoshi", "U.S. Trade Representative, Ambassador Katherine Tai",
  "Minister of Commerce and Industry, India, Piyush Goyal", "Chinese Vice Premier He
  Lifeng" (an honorific — Ms., Mr., the Honorable — is left out of the name);
- name then title: "the Honorable Gina Raimondo, Secretary of Commerce of the United
  States of America", "the Hon Steven Ciobo MP, Australia’s Minister for Trade, Tourism
  and Investment", "Chiou I-jen (邱義仁), head of the Taiwan-Japan Relations Association".

A title ends in an office word (Minister, Secretary, Ambassador, Representative, Premier …)
optionally followed by "of/for …" and the capitalised words of a ministry or country,
commas and "and" included ("of Economy, Trade and Industry"). A name is two to four
capitalised words (initials and particles allowed) that are not office, organisation or
place words.

Participants are the people named in a sentence that says the meeting happened with them
(met, held, co-chaired, hosted, attended, signed …), unless the sentence opens on another
time ("In February, …", "Last year …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lazyre import lazy
from .people import Mention as _Mention
from .people import Person
from .text import sentence_spans

_L = r"[a-z\u00df-\u00ff\u0100-\u024f'’-]"  # lower-case letters of names
_HEAD = (
    r"(?:Prime\s+Minister|Foreign\s+Minister|Minister|Secretary(?:-General)?|Chancellor|Premier|"
    r"President|Chair(?:man|woman|person)?|Co-[Cc]hair|Ambassador|Representative|Commissioner|"
    r"Director(?:-General|\s+General)?|Administrator|Governor|Envoy|Councilor|Councillor|"
    r"Counselor|Counsellor|Adviser|Advisor|Chief|Senator|Mayor|Spokes(?:person|man|woman)|"
    r"Consul(?:\s+General)?|Chargé\s+d[’']Affaires|Treasurer|Undersecretary|Under-Secretary)"
)
_HEAD_RE = lazy(rf"\b{_HEAD}\b")
# A capitalised word of a title or an organisation ("Trade", "U.S.", "People’s", "Co-Chair").
_CAPW = r"(?:U\.S\.|U\.K\.|E\.U\.|[A-Z][A-Za-z\u00c0-\u024f'’&-]*)"
_HONORIFIC = r"(?:(?:the\s+)?(?:Honou?rable|Hon\.?|Rt\.?\s+Hon\.?)|H\.E\.|Ms\.?|Mr\.?|Mrs\.?|Dr\.?)"
_NOT_HON = rf"(?!{_HONORIFIC}\b)"
# "Commerce and Industry", "Economy, Trade and Industry", "the People’s Republic of China"
_CAPSEQ = (
    rf"{_NOT_HON}{_CAPW}"
    rf"(?:(?:\s+|,\s+)(?:and\s+|&\s+|of\s+|for\s+|the\s+)*{_NOT_HON}{_CAPW})*?"
)
_CAPSEQ_GREEDY = _CAPSEQ.replace(")*?", ")*")
_OF = rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAPSEQ})"
_MODS = rf"(?:{_CAPW}\s+(?:(?:{_CAPW}|and|of|the|&)\s+){{0,5}}?)??"
_ORG_OF = rf"(?:Department|Ministry|Office|Bureau|Agency)\s+(?:of|for)\s+(?:the\s+)?{_CAPSEQ}"
# After a comma a title goes on only with another office ("…, Ambassador"), a ministry
# ("…, Department of International Trade") or a country ("…, India, Name").
_RANK = r"(?:(?:Deputy|Vice|Special|Chief|Senior|Assistant|Executive|Permanent|Acting|Under)\s+)*"
_TITLE = (
    rf"{_MODS}{_HEAD}{_OF}?(?:\s+at\s+the\s+{_ORG_OF})?(?:\s+{_HEAD})?"
    rf"(?:,\s+(?:{_RANK}{_HEAD}{_OF}?|{_ORG_OF}|[A-Z][a-z]+(?=,)))*?"
)
_NOT_NAME_WORDS = [
    "Minister",
    "Secretary",
    "Ambassador",
    "Representative",
    "President",
    "Premier",
    "Chancellor",
    "Chair",
    "Chairman",
    "Deputy",
    "Vice",
    "Trade",
    "Commerce",
    "Industry",
    "Economy",
    "Finance",
    "Foreign",
    "Affairs",
    "State",
    "States",
    "United",
    "Republic",
    "Kingdom",
    "Government",
    "Ministry",
    "Department",
    "Office",
    "Agency",
    "Bureau",
    "Commission",
    "Committee",
    "Council",
    "Forum",
    "Dialogue",
    "Meeting",
    "Summit",
    "Conference",
    "Union",
    "Economic",
    "Joint",
    "Statement",
    "Policy",
    "Japan",
    "Japanese",
    "China",
    "Chinese",
    "India",
    "Indian",
    "Australia",
    "Australian",
    "Taiwan",
    "Mexico",
    "Canada",
    "UK",
    "US",
    "America",
    "American",
    "The",
    "This",
    "That",
    "These",
    "Those",
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
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Home",
    "News",
    "Prime",
    "General",
    "Director",
    "Public",
    "Credit",
    "Relations",
    "Exchequer",
    "Investment",
    "Tourism",
    "Attends",
    "Issues",
    "Honorable",
    "Hon",
    "Ms",
    "Mr",
    "Mrs",
    "Dr",
    "People’s",
    "People's",
    "Co-Chairs",
    "Ministers",
    "Leaders",
    "Group",
    "Division",
    "Institute",
    "Association",
    "Centre",
    "Center",
    "Foundation",
    "Bank",
    "Fund",
    "Organization",
    "Organisation",
    "Corporation",
    "Company",
    "Authority",
    "Services",
    "Service",
    "Board",
    "Team",
    "Delegation",
    "Embassy",
    "Mission",
    "Secretariat",
    "Parliament",
    "Congress",
    "Senate",
    "Cabinet",
    "Administration",
    "Side",
    "Both",
    "Two",
]
_NOT_NAME_RE = "|".join(sorted(_NOT_NAME_WORDS, key=len, reverse=True))
_NAME_WORD = rf"(?!(?:{_NOT_NAME_RE})\b)(?:[A-Z]{_L}+|[A-Z]\.|[A-Z]{_L}*-[A-Za-z]{_L}*)"
_PARTICLE = r"(?:de|da|van|von|der|bin|al|del|la|le)"
# A family name in capitals after the given name (Malaithong KOMMASITH), not a post-nominal.
_CAPS_SURNAME = r"(?!(?:MP|QC|KC|OBE|CBE|MBE|PhD|AO|AC)\b)[A-Z]{2,}\b"
# Two to four words; or a family name in capitals first, as Japan's ministries write it
# (KANDA Masato, KANDA, Masato).
_NAME = (
    rf"(?:[A-Z]{{2,}}(?:,\s*|\s+)[A-Z]{_L}+"
    rf"|{_NAME_WORD}(?:[ \u00a0]+(?:{_NAME_WORD}|{_PARTICLE})){{0,2}}(?:[ \u00a0]+{_CAPS_SURNAME})?"
    rf"|{_NAME_WORD}(?:[ \u00a0]+(?:{_NAME_WORD}|{_PARTICLE})){{0,3}})"
)
_NAME_MULTI = (
    rf"(?:[A-Z]{{2,}}(?:,\s*|\s+)[A-Z]{_L}+"
    rf"|{_NAME_WORD}(?:[ \u00a0]+(?:{_NAME_WORD}|{_PARTICLE})){{0,2}}"
    rf"[ \u00a0]+{_CAPS_SURNAME}"
    rf"|{_NAME_WORD}(?:[ \u00a0]+(?:{_NAME_WORD}|{_PARTICLE})){{1,3}})"
)
_NAME_END = (
    r"(?=\s*(?:[,.;:)(\[]|$)|\s+(?:and|also|who|said|led|as|to|from|on|in|at|of|for|co-chaired|"
    r"chaired|met|held|hosted|concluded|visited|signed|attended|MP|welcomed|agreed|opened|"
    r"discussed|launched|were|was|have|has|had|will|would)\b|\s+[a-z])"
)
_TITLE_NAME_RE = lazy(
    rf"(?<![\w.])(?P<title>{_TITLE})"
    # after a comma, a name of two words at least ("…, India, Name Surname")
    rf"(?:,\s+(?=(?:{_HONORIFIC}\s+)?[A-Z][\w.'’-]*\s+[A-Z])|\s+)"
    rf"(?:{_HONORIFIC}\s+)?(?P<name>{_NAME}){_NAME_END}"
)
# The same with a name of two words at least.
_TITLE_NAMES_RE = lazy(
    rf"(?<![\w.])(?P<title>{_TITLE})"
    # after a comma, a name of two words at least ("…, India, Name Surname")
    rf"(?:,\s+(?=(?:{_HONORIFIC}\s+)?[A-Z][\w.'’-]*\s+[A-Z])|\s+)"
    rf"(?:{_HONORIFIC}\s+)?(?P<name>{_NAME_MULTI}){_NAME_END}"
)
_POST_TITLE = (
    rf"(?:(?:[A-Z][\w'’]*|the|[a-z]+|&)\s+){{0,5}}?(?:{_HEAD}|head|director(?:\s+general)?|"
    rf"deputy\s+[\w-]+|chairman|chair|minister|secretary(?:-general)?|president|ambassador|"
    rf"representative)(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAPSEQ_GREEDY})?"
    rf"(?:,\s+(?:{_ORG_OF}|[A-Z]\w+\s+Group))?"
)
_NAME_TITLE_RE = lazy(
    rf"(?:(?P<hon>{_HONORIFIC})\s+)?(?<![\w.])(?P<name>{_NAME})(?:\s+MP)?"
    rf"(?P<gloss>\s*\([^()]{{1,30}}\))?,\s+(?P<title>{_POST_TITLE})"
    r"(?=\s*(?:[,.;()]|$)|\s+(?:and|as|was|were|is|are|has|have|had|will)\b)"
)
#: Words that are never part of a person's name.
_NOT_NAME = frozenset(_NOT_NAME_WORDS)
_TOOK_PART_RE = lazy(
    r"\b(?:met|meet|meets|held|holds|co-chaired|co-chair|chaired|chairs|hosted|hosts|co-hosted|"
    r"attended|attend|attends|convened|concluded|signed|led|leads|lead|participated|participate|"
    r"participates|gathered|opened|joined|join|joins|took\s+part|take\s+part|takes\s+part|"
    r"welcomed\s+(?:the\s+)?(?:delegation|counterpart)|participation\s+of)\b"
)
#: A sentence about another time: "In February, …", "Last year, …", "Since 2014 …".
_ABSENT_RE = re.compile(r"\b(?:of|behalf\s+of|to)\s+(?:the\s+)?$")
_OTHER_TIME_RE = lazy(
    r"^(?:In|During|Since|Last|Earlier|Previously|Before)\s+(?:(?:early|late|mid-?)\s*)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"\d{4}|last|the\s+past|previous|spring|summer|autumn|fall|winter)\b"
)


@dataclass(frozen=True)
class _Found:
    name: str
    start: int
    end: int
    title: str
    title_start: int
    title_end: int
    gloss: str | None
    #: Named as someone represented or visited ("representatives of President X"), not as
    #: someone present.
    absent: bool = False


def _clean_title(title: str) -> tuple[str, int]:
    """A title without a leading article, possessive or a lead-in ("met with", "the"):
    returns the title and how many characters were cut from its start."""
    cut = 0
    while True:
        m = re.match(r"(?:the|and|of|with|by|as|well|as)\s+", title, re.I)
        if m and m.end() < len(title):
            cut += m.end()
            title = title[m.end() :]
            continue
        return title, cut


def _valid_name(name: str) -> bool:
    words = [w.rstrip(".,") for w in name.split()]
    if any(w in _NOT_NAME for w in words):
        return False
    return all(len(w) > 1 for w in words[-1:])


def _mentions(sentence: str) -> list[_Found]:
    found: list[_Found] = []
    named_first = list(_NAME_TITLE_RE.finditer(sentence))
    # "the Honourable Mary Ng, Minister of Export Promotion, …": no one called Promotion
    post_titles = [
        (m.start("title"), m.end("title"))
        for m in named_first
        if m.group("hon") or m.group("gloss")
    ]
    # Names of two words or more first; a single word ("Secretary Raimondo") only where
    # no longer name was found, so "…Economic Growth, Energy, and the Environment Jose W.
    # Fernandez" is not read as a person called Growth.
    matches = list(_TITLE_NAMES_RE.finditer(sentence))
    covered = [(m.start(), m.end()) for m in matches]
    matches += [
        m
        for m in _TITLE_NAME_RE.finditer(sentence)
        if len(m.group("name").split()) == 1
        and not any(a <= m.start("name") < b for a, b in covered)
    ]
    for m in sorted(matches, key=lambda m: m.start()):
        name = m.group("name")
        if not _valid_name(name):
            continue
        if any(a <= m.start("name") < b for a, b in post_titles):
            continue
        if len(name.split()) == 1 and (
            not re.search(r"\s", m.group("title"))
            or (
                sentence[m.end("name") : m.end("name") + 1] not in (",", ".", ";", ")", "")
                and not re.match(r"\s+(?:and|of|said|met|from)\b", sentence[m.end("name") :])
            )
        ):
            continue  # "President Obama": too little to name a new person by
        title, cut = _clean_title(m.group("title"))
        absent = bool(_ABSENT_RE.search(sentence, 0, m.start("title") + cut))
        if found and found[-1].absent:
            # "representatives of President A and President B": B is represented too
            between = sentence[found[-1].end : m.start("title") + cut]
            absent = absent or bool(re.fullmatch(r",?\s*(?:and\s+)?", between))
        found.append(
            _Found(
                name,
                m.start("name"),
                m.end("name"),
                title,
                m.start("title") + cut,
                m.end("title"),
                None,
                absent,
            )
        )
    for m in named_first:
        name = m.group("name")
        if not _valid_name(name) or any(f.start <= m.start("name") < f.end for f in found):
            continue
        if not (m.group("hon") or m.group("gloss")) and not _HEAD_RE.match(m.group("title")):
            continue  # "Name, head of …" needs an honorific or a gloss to be sure of the name
        gloss = m.group("gloss").strip()[1:-1] if m.group("gloss") else None
        title, cut = _clean_title(m.group("title"))
        found.append(
            _Found(
                name,
                m.start("name"),
                m.end("name"),
                title,
                m.start("title") + cut,
                m.end("title"),
                gloss,
                False,
            )
        )
    return sorted(found, key=lambda f: f.start)


def find_people(
    paragraphs: tuple[str, ...], known: list[tuple[int, int, int]] | None = None
) -> list[Person]:
    """Every person the text names with a title (and the termbase's people it names),
    in order of first mention, each marked whether they took part."""
    people: dict[str, Person] = {}
    order: list[str] = []
    took_part: list[tuple[int, int, int]] = []
    absent: set[tuple[int, int]] = set()
    found: list[tuple[int, int, _Found]] = []
    for index, para in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(para):
            sentence = para[s_start:s_end]
            if _TOOK_PART_RE.search(sentence) and not _OTHER_TIME_RE.match(sentence):
                took_part.append((index, s_start, s_end))
            found.extend((index, s_start, f) for f in _mentions(sentence))
    full = {f.name for _, _, f in found if len(f.name.split()) > 1}
    surnames = {name.split()[-1].rstrip(","): name for name in full}
    for index, s_start, f in found:
        name = f.name
        if len(name.split()) == 1 and name in surnames:
            continue  # a later "Minister Crean" for Simon Crean
        if f.absent:
            absent.add((index, s_start + f.start))
        mention = _Mention(
            para=index,
            name=name,
            name_start=s_start + f.start,
            name_end=s_start + f.end,
            title=f.title,
            title_parts=((s_start + f.title_start, s_start + f.title_end),),
            gloss=f.gloss,
        )
        if name not in people:
            people[name] = Person(mention, references={name.split()[-1].rstrip(",")})
            order.append(name)
    for index, start, end in known or []:
        name = paragraphs[index][start:end]
        if name not in people:
            people[name] = Person(_Mention(index, name, start, end))
            order.append(name)
    # Full names, and surnames after an office ("Minister Crean"), in one pattern each.
    if not order:
        return []
    full_re = re.compile(
        r"\b(?:" + "|".join(re.escape(n) for n in sorted(order, key=len, reverse=True)) + r")\b"
    )
    by_surname: dict[str, str] = {}
    for name in order:
        surname = name.split()[-1].rstrip(",")
        if len(surname) > 2:
            by_surname.setdefault(surname, name)
    surname_re = re.compile(
        rf"\b(?:{_HEAD}|Ms\.?|Mr\.?|Mrs\.?|Dr\.?)\s+("
        + "|".join(re.escape(n) for n in sorted(by_surname, key=len, reverse=True) or ["(?!)"])
        + r")\b"
    )
    for index, start, end in took_part:
        sentence = paragraphs[index][start:end]
        for m in full_re.finditer(sentence):
            if (index, start + m.start()) not in absent:
                people[m.group()].took_part = True
        for m in surname_re.finditer(sentence):
            people[by_surname[m.group(1)]].took_part = True  # "Minister Crean and …"
    return [people[name] for name in order]
