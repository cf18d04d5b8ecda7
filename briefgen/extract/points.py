"""Points of an agenda item: clauses with a commitment level and an actor."""

from __future__ import annotations

import re

from ..model import Level, Point, Span, Text
from ..translate.termbase import Termbase
from .text import clause_spans, sentence_spans

# Verb patterns, each mapped to a level; the earliest match in a clause decides.
_LEVEL_PATTERNS: list[tuple[Level, re.Pattern[str]]] = [
    (Level.SIGNED, re.compile(r"簽署|簽訂|簽約|\bsign(?:ed|ing)?\b", re.I)),
    (Level.AGREED, re.compile(r"同意|達成共識|\bagree(?:d|s)?\b|reached (?:an )?agreement", re.I)),
    (
        Level.WILL_STUDY,
        re.compile(r"研議|研商|研究|\b(?:will|to) (?:study|consider|review)\b", re.I),
    ),
    (Level.WILL_EXPLORE, re.compile(r"探索|探討|\bexplor(?:e|ed|ing)\b", re.I)),
    (Level.SUPPORTS, re.compile(r"支持|\bsupport(?:s|ed)?\b|\bwelcome[sd]?\b", re.I)),
    (
        Level.WILL_CONTINUE,
        re.compile(r"持續|繼續|(?<=[將仍再])續|\bcontinu(?:e|ed|es|ing)\b", re.I),
    ),
]
# English actors, canonical form first.
_EN_ACTORS: list[tuple[str, re.Pattern[str]]] = [
    (
        "Both sides",
        re.compile(
            r"\b(?:both sides|the two sides|both parties|the two parties|"
            r"the two governments|both governments)\b",
            re.I,
        ),
    ),
    (
        "The United States",
        re.compile(
            r"\b(?:[Tt]he United States|[Tt]he U\.S\.(?: side)?|"
            r"[Tt]he US(?: side)?|Washington)\b"
        ),
    ),
    ("Taiwan", re.compile(r"\b(?:Taiwan|Taipei)\b")),
]
_EN_PREPOSITIONS = re.compile(r"\b(?:with|to|for|in|of|from|between|and|by|on|at|among)\s+$", re.I)
_PREPOSITIONS = "在除與向對和跟及於從"


def level_of(clause: str, termbase: Termbase | None = None) -> Level | None:
    """The commitment level named by the earliest commitment verb in ``clause``; names in
    ``termbase`` are masked first (工業技術研究院 does not mean 研究)."""
    if termbase is not None:
        for start, end, _ in termbase.find(clause, "org", "person", "event", "doc", "title"):
            clause = clause[:start] + "\u3000" * (end - start) + clause[end:]
    best: tuple[int, Level] | None = None
    for level, rx in _LEVEL_PATTERNS:
        m = rx.search(clause)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level)
    return best[1] if best else None


def actor_of(clause: str, termbase: Termbase) -> str | None:
    """The clause's subject: an actor word (雙方, 美國, 我國 …) or a named organisation,
    skipping ones inside a prepositional phrase (在我國…, 與美國…)."""
    found = termbase.find(clause, "actor", "org")
    for position, (start, end, term) in enumerate(found):
        if start > 0 and clause[start - 1] in _PREPOSITIONS:
            continue
        if start > 12:
            break
        following = found[position + 1] if position + 1 < len(found) else None
        if (
            term.type == "actor"
            and following
            and following[0] == end
            and following[2].type == "org"
        ):
            return following[2].zh
        return term.zh
    return None


def actor_of_en(clause: str, termbase: Termbase) -> str | None:
    """The subject of an English clause: both sides, the United States, Taiwan, or a
    termbase organisation named by its English name or abbreviation — not one that follows
    a preposition ("with the United States")."""
    found: list[tuple[int, str]] = []
    for canonical, rx in _EN_ACTORS:
        found += [(m.start(), canonical) for m in rx.finditer(clause)]
    for term in termbase.of_type("org"):
        for needle in (term.en, term.abbr):
            if needle:
                found += [
                    (m.start(), term.en) for m in re.finditer(rf"\b{re.escape(needle)}\b", clause)
                ]
    for start, actor in sorted(found):
        if start > 80:
            break
        if _EN_PREPOSITIONS.search(clause[:start]):
            continue
        return actor
    return None


def _clauses(para: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    if lang != "en":
        return clause_spans(para, start, end)
    out = []
    for piece in re.finditer(r"[^;]+", para[start:end]):
        a, b = start + piece.start(), start + piece.end()
        while a < b and para[a] in " \t":
            a += 1
        while b > a and para[b - 1] in " .;":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def make_points(
    paragraphs: tuple[str, ...],
    body: list[tuple[int, int, int]],
    termbase: Termbase,
    lang: str,
) -> list[Point]:
    """Split an item's body into clause points. A clause without its own verb keeps the
    level of the sentence it belongs to; one without an actor keeps the previous one's."""
    points: list[Point] = []
    actor: str | None = None
    for para_index, start, end in body:
        para = paragraphs[para_index]
        for s_start, s_end in sentence_spans(para[start:end]):
            sentence_level: Level | None = None
            for c_start, c_end in _clauses(para, start + s_start, start + s_end, lang):
                clause = para[c_start:c_end]
                own = level_of(clause, termbase)
                level = own or sentence_level or Level.STATEMENT
                if sentence_level is None:
                    sentence_level = own
                find_actor = actor_of_en if lang == "en" else actor_of
                actor = find_actor(clause, termbase) or actor
                points.append(
                    Point(
                        text=Text.of(clause, lang),
                        commitment=level,
                        actor=Text.of(actor, lang) if actor else None,
                        source=Span(paragraph=para_index, start=c_start, end=c_end),
                    )
                )
    return points
