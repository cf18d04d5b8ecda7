"""translate: ``Brief`` -> ``Brief`` with every text in every output language.

Each missing language of each ``Text`` is filled from, in order: the termbase, the
article's own glosses, the translation memory, then an engine (none by default). What
none of them covers is copied in its source language and marked ``untranslated`` — never
silently left in the wrong language. Texts a person wrote (``human``) or that already
have a translation are kept; ``untranslated`` ones are tried again.

People's names are never sent to an engine (it would invent a pinyin spelling): a name
no termbase or memory knows stays in Chinese and is reported as unverified, unless
Wade–Giles romanization is asked for, which is recorded as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..languages import is_cjk
from ..model import Brief, GlossEntry, Text, Via, iter_texts
from .glosses import harvest
from .memory import MemoryLike
from .termbase import TYPES, Term, Termbase
from .usage import is_name, territory_words


@dataclass(frozen=True)
class Hit:
    """A translation and where it came from."""

    text: str
    via: Via
    ref: str = ""


class Provider(Protocol):
    """Anything that can translate one segment, or decline (return None)."""

    def lookup(self, segment: str, src: str, tgt: str) -> Hit | None:
        """The translation of ``segment`` from ``src`` to ``tgt``, or None."""


class Engine(Protocol):
    """A machine-translation engine: translates a batch; None where it declines."""

    name: str

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> list[str | None]:
        """Translations of ``segments`` in order."""


@dataclass
class TermbaseProvider:
    """Exact termbase entries, either direction between zh-TW and en."""

    termbase: Termbase

    def lookup(self, segment: str, src: str, tgt: str) -> Hit | None:
        if is_cjk(src) and tgt == "en":
            term = self.termbase.lookup(segment)
            if term:
                return Hit(term.en, Via.TERMBASE, self.termbase.origin)
        if src == "en" and is_cjk(tgt):
            for term in self.termbase.of_type(*TYPES):
                if term.en.casefold() == segment.strip().casefold():
                    return Hit(term.zh, Via.TERMBASE, self.termbase.origin)
        return None


@dataclass
class GlossProvider:
    """Pairs the article gave in brackets."""

    pairs: dict[str, str]

    def lookup(self, segment: str, src: str, tgt: str) -> Hit | None:
        if is_cjk(src) and tgt == "en" and segment.strip() in self.pairs:
            return Hit(self.pairs[segment.strip()], Via.GLOSS, "article")
        return None


@dataclass
class MemoryProvider:
    """Translation-memory matches: exact, or fuzzy down to ``threshold`` (1.0 = exact
    only); the ref records the memory and the match score."""

    memory: MemoryLike
    threshold: float = 1.0

    def lookup(self, segment: str, src: str, tgt: str) -> Hit | None:
        match = self.memory.best_match(segment, src, tgt, self.threshold)
        if match is None:
            return None
        return Hit(match.text, Via.MEMORY, f"{self.memory.origin} ({match.describe()})")


@dataclass
class OpenCCProvider:
    """Simplified -> Traditional Chinese with OpenCC (``s2tw``: characters, Taiwan
    standard; ``s2twp``: also Taiwan phrasing, e.g. 软件 -> 軟體)."""

    config: str = "s2tw"

    def __post_init__(self) -> None:
        import opencc

        self._converter = opencc.OpenCC(self.config)

    def lookup(self, segment: str, src: str, tgt: str) -> Hit | None:
        if src == "zh-CN" and tgt == "zh-TW":
            return Hit(self._converter.convert(segment), Via.CONVERTED, f"opencc {self.config}")
        return None


@dataclass
class Report:
    """What the translate stage did: counts by method, the untranslated segments and the
    names left unverified, per target language."""

    counts: dict[str, int] = field(default_factory=dict)
    untranslated: dict[str, list[str]] = field(default_factory=dict)
    #: Names of people in the brief (participants) without a verified spelling.
    unverified: dict[str, list[str]] = field(default_factory=dict)
    #: Names in the source metadata (the reporter's byline) without a verified spelling:
    #: memos show them as the article writes them, so they are kept apart and do not
    #: make ``--strict`` refuse.
    byline: dict[str, list[str]] = field(default_factory=dict)

    def missing(self, lang: str) -> int:
        """How many segments have no ``lang`` translation."""
        return len(self.untranslated.get(lang, []))


_COMPOUND_SURNAMES = (
    "歐陽",
    "司馬",
    "諸葛",
    "上官",
    "張簡",
    "范姜",
    "司徒",
    "夏侯",
    "東方",
    "慕容",
)


def wade_giles(name: str) -> str:
    """A Chinese personal name in Wade–Giles as Taiwanese passports write it: surname,
    then the given name's syllables joined by a hyphen, without apostrophes
    (龔明鑫 -> Kung Ming-hsin). Not an official spelling: callers mark it unverified."""
    from pypinyin import Style, lazy_pinyin

    syllables = [
        s.replace("'", "").replace("’", "").replace("v", "u")
        for s in lazy_pinyin(name, style=Style.WADEGILES)
    ]
    if not syllables:
        return name
    cut = 2 if len(name) >= 3 and name[:2] in _COMPOUND_SURNAMES else 1
    surname, given = "".join(syllables[:cut]), syllables[cut:]
    return " ".join(p for p in (surname.capitalize(), "-".join(given).capitalize()) if p)


def name_ids(brief: Brief) -> set[int]:
    """Identities of the Texts that are people's names (participants, the author)."""
    names = {id(p.name) for p in brief.event.participants}
    names |= byline_ids(brief)
    return names


def byline_ids(brief: Brief) -> set[int]:
    """Identities of the Texts that are names in the source metadata (the author of the
    article): shown as written, never marked unverified."""
    return {id(brief.source.author)} if brief.source.author is not None else set()


@dataclass(frozen=True)
class Provenance:
    """Where the ``lang`` texts of a brief come from, in the groups a reader cares about
    (see ``provenance``)."""

    termbase: int = 0
    gloss: int = 0
    #: Exact matches of a reviewed translation memory.
    memory: int = 0
    human: int = 0
    #: Translation-memory matches of a similar, not identical, sentence.
    fuzzy: int = 0
    engine: int = 0
    #: Script conversion by machine (OpenCC, Simplified -> Traditional).
    converted: int = 0
    untranslated: int = 0
    #: Participants' names without a verified spelling (kept as written or romanized).
    unverified_names: tuple[str, ...] = ()
    #: Byline names without a verified spelling (source metadata, shown as written).
    byline_names: tuple[str, ...] = ()

    @property
    def reviewed(self) -> int:
        """Texts from reviewed sources: termbase, the article's glosses, exact memory
        matches, a translator."""
        return self.termbase + self.gloss + self.memory + self.human

    @property
    def unreviewed(self) -> int:
        """Texts a machine produced or adapted, and texts with no translation."""
        return self.fuzzy + self.engine + self.converted + self.untranslated


def provenance(brief: Brief, lang: str) -> Provenance:
    """How the texts of ``brief`` that are not in ``lang`` in the article got their
    ``lang`` text. Names without a verified spelling are listed by their source text,
    participants and byline apart; they are not counted among the other groups."""
    counts = dict.fromkeys(("termbase", "gloss", "memory", "human", "fuzzy", "engine"), 0)
    counts |= {"converted": 0, "untranslated": 0}
    names, byline = name_ids(brief), byline_ids(brief)
    unverified: list[str] = []
    by_line: list[str] = []
    for text in iter_texts(brief):
        how = text.how(lang)
        if how is None or how == Via.SOURCE:
            continue
        ref = text.ref.get(lang, "")
        if id(text) in names and (how == Via.UNTRANSLATED or "unverified" in ref):
            source = brief.source.language
            written = text.get(source) or next(iter(text.text.values()), "")
            (by_line if id(text) in byline else unverified).append(written)
            continue
        if how == Via.MEMORY and "fuzzy" in ref:
            counts["fuzzy"] += 1
        else:
            counts[how.value] += 1
    return Provenance(**counts, unverified_names=tuple(unverified), byline_names=tuple(by_line))


def summary_line(brief: Brief, lang: str) -> str:
    """``en: 64 segments — 41 termbase/gloss, 18 memory, 5 engine, 0 untranslated`` for
    the texts of ``brief`` whose source is another language; names without a verified
    spelling are counted apart (``1 unverified name``)."""
    groups = {"termbase/gloss": 0, "memory": 0, "engine": 0}
    extra: dict[str, int] = {}
    untranslated = unverified = total = 0
    names = name_ids(brief)
    for text in iter_texts(brief):
        how = text.how(lang)
        if how is None or how == Via.SOURCE:
            continue
        total += 1
        if id(text) in names and (
            how == Via.UNTRANSLATED or "unverified" in text.ref.get(lang, "")
        ):
            unverified += 1
            continue
        if how == Via.UNTRANSLATED:
            untranslated += 1
            continue
        key = {Via.TERMBASE: "termbase/gloss", Via.GLOSS: "termbase/gloss"}.get(how, how.value)
        if key in groups:
            groups[key] += 1
        else:
            extra[key] = extra.get(key, 0) + 1
    parts = [f"{n} {k}" for k, n in groups.items()]
    parts += [f"{n} {k}" for k, n in extra.items()]
    parts.append(f"{untranslated} untranslated")
    if unverified:
        parts.append(f"{unverified} unverified name" + ("s" if unverified > 1 else ""))
    return f"{lang}: {total} segments — " + ", ".join(parts)


def providers_for(
    brief: Brief,
    termbase: Termbase,
    memories: Sequence[MemoryLike] = (),
    opencc_config: str = "s2tw",
    fuzzy: float = 1.0,
) -> list[Provider]:
    """The standard provider chain for ``brief``: termbase, glosses, memories, and for a
    Simplified-Chinese source OpenCC into Traditional (tried first for zh-TW)."""
    known = [t.zh for t in termbase.of_type(*TYPES)]
    chain: list[Provider] = []
    if brief.source.language == "zh-CN":
        chain.append(OpenCCProvider(opencc_config))
    chain += [TermbaseProvider(termbase), GlossProvider(harvest(brief.source.paragraphs, known))]
    chain.extend(MemoryProvider(m, fuzzy) for m in memories)
    return chain


def translate(
    brief: Brief,
    targets: Sequence[str],
    providers: Sequence[Provider],
    engine: Engine | None = None,
    romanize: str | None = None,
) -> tuple[Brief, Report]:
    """A copy of ``brief`` with each ``Text`` filled in every language of ``targets``.

    ``romanize="wade-giles"`` gives unknown Chinese personal names a Wade–Giles spelling
    (via ``converted``, ref ``wade-giles (unverified)``) instead of leaving them in
    Chinese; names are never sent to ``engine``."""
    result = brief.model_copy(deep=True)
    report = Report()
    src_lang = result.source.language
    names = name_ids(result)
    # zh-TW first: a Simplified-Chinese text reaches English through its Traditional form,
    # which is what the termbase and memories are keyed on.
    for tgt in sorted(targets, key=lambda lang: lang != "zh-TW"):
        pending: list[tuple[Text, str, str]] = []
        for text in iter_texts(result):
            if text.get(tgt) is not None and text.how(tgt) != Via.UNTRANSLATED:
                continue
            src = src_lang if src_lang in text.text else next(iter(text.text), None)
            if (
                src == "zh-CN"
                and tgt != "zh-TW"
                and text.how("zh-TW") not in (None, Via.UNTRANSLATED)
            ):
                src = "zh-TW"
            if src is None or src == tgt:
                continue
            segment = text.text[src]
            hit = _first_hit(providers, segment, src, tgt)
            if hit:
                _fill(text, tgt, hit, report)
            else:
                pending.append((text, src, segment))
        people = [entry for entry in pending if id(entry[0]) in names]
        pending = [entry for entry in pending if id(entry[0]) not in names]
        if engine is not None and pending:
            done = engine.translate([seg for _, _, seg in pending], pending[0][1], tgt)
            still = []
            for (text, src, segment), out in zip(pending, done, strict=True):
                if out:
                    _fill(text, tgt, Hit(out, Via.ENGINE, engine.name), report)
                else:
                    still.append((text, src, segment))
            pending = still
        bylines = byline_ids(result)
        for text, src, segment in people:
            kept = report.byline if id(text) in bylines else report.unverified
            kept.setdefault(tgt, []).append(segment)
            if romanize == "wade-giles" and is_cjk(src) and tgt == "en":
                hit = Hit(wade_giles(segment), Via.CONVERTED, "wade-giles (unverified)")
            else:
                hit = Hit(segment, Via.UNTRANSLATED, "name: no verified spelling")
            _fill(text, tgt, hit, report)
        for text, _src, segment in pending:
            _fill(text, tgt, Hit(segment, Via.UNTRANSLATED), report)
            report.untranslated.setdefault(tgt, []).append(segment)
    glosses: dict[str, str] = {}
    termbase = Termbase()
    for provider in providers:
        if isinstance(provider, GlossProvider):
            glosses.update(provider.pairs)
        elif isinstance(provider, TermbaseProvider) and not len(termbase):
            termbase = provider.termbase
    result.glossary = build_glossary(result, glosses, termbase)
    return result, report


#: Termbase types the glossary always lists: names of organisations, programmes and
#: events, and documents. Titles are listed when they name an office, terms when they
#: are technical (they have an abbreviation) or written as a name; people, places, actors
#: (雙方, 美國) and common words never.
_NAME_TYPES = ("org", "event", "doc")


def build_glossary(
    brief: Brief, glosses: Mapping[str, str], termbase: Termbase
) -> list[GlossEntry]:
    """The glossary of ``brief``: the terms a reader needs, one English form each.

    Candidates are the article's own glosses, the termbase entries that translated a text
    of the brief, the termbase's names (organisations, events, documents) and
    abbreviated terms its Chinese texts mention, and the entries of an earlier glossary.
    Kept are the ones ``_wanted`` says a reader needs. Where a concept has several English
    forms (the article's gloss and the termbase disagree), the form the memo's English
    text uses most wins, the termbase's on a tie or when none is used; a termbase
    abbreviation is shown after the full name ("Industrial Technology Research Institute
    (ITRI)"). Chinese forms of one concept (the same abbreviation and side, or the same
    English) give one entry. Entries come in the order the article first mentions them."""
    forms: dict[str, list[tuple[str, str]]] = {}

    def add(zh: str, en: str, origin: str) -> None:
        zh, en = zh.strip(), en.strip()
        if zh and en and (en, origin) not in forms.setdefault(zh, []):
            forms[zh].append((en, origin))

    for entry in brief.glossary:
        add(entry.zh, entry.en, entry.origin)
    for zh, en in glosses.items():
        add(zh, en, "article")
    for text in iter_texts(brief):
        zh, en = text.get("zh-TW"), text.get("en")
        if zh and en and Via.TERMBASE in (text.how("en"), text.how("zh-TW")):
            add(zh, en, "termbase")
        # Every type is scanned so that the longest entry wins (經濟部長, a title, not
        # the 經濟部 inside it); only names and abbreviated terms are candidates.
        for _start, _end, term in termbase.find(zh or "", *TYPES):
            if term.type in _NAME_TYPES or (term.type == "term" and term.abbr):
                add(term.zh, term.en, "termbase")
    skip = _not_terms(brief)
    english = "\n".join(t.get("en") or "" for t in iter_texts(brief))
    article = "\n".join(brief.source.paragraphs)
    chosen: dict[tuple[str, str], tuple[int, GlossEntry]] = {}
    for order, (zh, candidates) in enumerate(forms.items()):
        term = termbase.lookup(zh)
        if zh in skip or not _wanted(candidates[0][0], term):
            continue
        if term is not None and (term.en, "termbase") not in candidates:
            candidates = [*candidates, (term.en, "termbase")]
        en, origin = _one_form(candidates, term, english)
        key = (term.abbr, term.side) if term is not None and term.abbr else (en.casefold(), "")
        at = article.find(zh)
        if at < 0:
            at = article.find(en)
        rank = at if at >= 0 else len(article) + order
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, GlossEntry(zh=zh, en=en, origin=origin))
    return [entry for _, entry in sorted(chosen.values(), key=lambda pair: pair[0])]


def _not_terms(brief: Brief) -> set[str]:
    """Chinese texts of the brief that are never glossary terms: people's names and
    quoted words."""
    texts = [p.name for p in brief.event.participants] + [q.text for q in brief.quotes]
    if brief.source.author is not None:
        texts.append(brief.source.author)
    return {value for text in texts for lang, value in text.text.items() if is_cjk(lang)}


def _wanted(en: str, term: Term | None) -> bool:
    """Whether a reader needs the term (see ``_NAME_TYPES``); a gloss the termbase does
    not know is wanted when it is written as a name or an abbreviation (not "a vital
    partner")."""
    if term is None:
        return en[:1].isupper() or en[:1].isdigit()
    if term.type in _NAME_TYPES:
        return True
    if term.type == "title":
        return bool(
            re.search(r"\b(?:of|for|to)\b", term.en)
            or any(w in territory_words() for w in term.en.split())
        )
    if term.type == "term":
        return bool(term.abbr) or is_name(term.en)
    return False


def _one_form(
    candidates: Sequence[tuple[str, str]], term: Term | None, english: str
) -> tuple[str, str]:
    """The English form to show and its origin (see ``build_glossary``)."""

    def uses(en: str) -> int:
        return len(re.findall(rf"(?<![\w-]){re.escape(en)}(?![\w-])", english))

    en, origin = max(
        candidates, key=lambda c: (uses(c[0]), c[1] == "termbase", -candidates.index(c))
    )
    if term is not None and term.abbr and en in (term.en, term.abbr):
        full = term.en if f"({term.abbr})" in term.en else f"{term.en} ({term.abbr})"
        return full, "termbase"
    return en, origin


def _first_hit(providers: Sequence[Provider], segment: str, src: str, tgt: str) -> Hit | None:
    for provider in providers:
        hit = provider.lookup(segment, src, tgt)
        if hit:
            return hit
    return None


def _fill(text: Text, lang: str, hit: Hit, report: Report) -> None:
    text.text[lang] = hit.text
    text.via[lang] = hit.via
    if hit.ref:
        text.ref[lang] = hit.ref
    else:
        text.ref.pop(lang, None)
    report.counts[hit.via.value] = report.counts.get(hit.via.value, 0) + 1
