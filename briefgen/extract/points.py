"""Points of an agenda item: clauses with a commitment level and an actor, each a whole
statement (a clause that leaves its subject to the sentence carries it over)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lazyre import Regex, lazy
from ..model import Level, Point, Span, Text, Timing
from ..translate.termbase import Termbase
from .documents import signing_timing
from .text import clause_spans, sentence_spans

# Verb patterns, each mapped to a level; the earliest match in a clause decides.
_LEVEL_PATTERNS: list[tuple[Level, Regex]] = [
    (Level.SIGNED, re.compile(r"簽署|簽訂|簽約|\bsign(?:ed|ing|s)?\b", re.I)),
    (Level.AGREED, lazy(r"同意|達成共識|\bagree(?:d|s)?\b|reached (?:an )?agreement", re.I)),
    (
        Level.WILL_STUDY,
        re.compile(r"研議|研商|研究|\b(?:will|to) (?:study|consider|review)\b", re.I),
    ),
    (Level.WILL_EXPLORE, re.compile(r"探索|探討|\bexplor(?:e|ed|ing)\b", re.I)),
    (Level.SUPPORTS, lazy(r"支持|歡迎|\bsupport(?:s|ed)?\b|\bwelcome[sd]?\b", re.I)),
    (
        Level.WILL_CONTINUE,
        lazy(r"持續|繼續|(?<=[將仍再])續|\bcontinu(?:e|ed|es|ing)\b", re.I),
    ),
]
# What already happened at the meeting: counted only when no other level's verb is there
# and nothing says it lies ahead.
_DONE_RE = lazy(
    r"交換(?:了)?(?:意見|看法)|交流(?:了)?(?:意見|看法)|進行(?:了)?(?:討論|交流|對話|會談)|"
    r"討論了|舉行了|完成了?|已(?:經)?|見證|"
    r"\b(?:exchanged|discussed|held|reviewed|launched|completed|witnessed|"
    r"had (?:a |an )?(?:discussion|exchange)s?)\b",
    re.I,
)
_AHEAD_RE = re.compile(
    r"將|未來|預計|預定|擬|盼|希望|期待|\b(?:will|shall|plan(?:s|ned)? to|intend|expect)\b", re.I
)
# A clause that can take a subject from its sentence opens with a verb (推動…, 研議…), an
# adverb or a preposition before one (共同…, 就…交換意見, 與美國共同探索…); one that opens
# otherwise (不過…, 今天的…, a noun) has a subject of its own the termbase does not know.
VERB_FIRST_RE = lazy(
    r"(?:也|亦|並|另|再|仍|將|會|續|均|皆|都|共同|持續|繼續|積極|進一步|全力|致力|合力|攜手)*"
    r"(?:同意|研議|研商|研究|探索|探討|支持|歡迎|推動|促進|強化|加強|深化|擴大|拓展|建立|"
    r"提升|協助|提供|發展|開展|落實|完善|舉辦|辦理|參與|成立|設立|鼓勵|簽署|簽訂|交換|交流|"
    r"討論|承諾|期盼|盼|希望|維護|確保|保障|合作|打造|建構|共建|形塑|盤點|檢視|規劃|推進|"
    r"就|在|於|透過|藉由|以|針對|對|向|與|和|同|為|從)"
)
EN_VERB_FIRST_RE = lazy(
    r"(?:also |further |jointly |will |would |to )?"
    r"(?:[a-z]+ed|agree|affirm|reaffirm|welcome|support|discuss|explore|study|continue|"
    r"promote|expand|strengthen|deepen|work|launch|establish|commit|seek|encourage|"
    r"enhance|build|develop|review|consider)\b"
)
# Modal words before the verb that the carried subject takes along (台灣也將探索…，並…).
_CARRIED_MODAL_RE = lazy(r"(?:仍|亦|也)?(將|會|擬)")
# English actors, canonical form first.
_EN_ACTORS: list[tuple[str, Regex]] = [
    (
        "Both sides",
        lazy(
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
        clause = _mask_names(clause, termbase)
    return _level_in(clause, _level_match(clause))


def _level_in(clause: str, found: tuple[Level, re.Match[str]] | None) -> Level | None:
    """``level_of`` a clause whose names are masked, given its earliest commitment verb."""
    if found is not None:
        return found[0]
    done = _DONE_RE.search(clause)
    if done and not _AHEAD_RE.search(clause[: done.start()]):
        return Level.DONE
    return None


def _level_match(clause: str) -> tuple[Level, re.Match[str]] | None:
    """The level of the earliest commitment verb in ``clause`` and its match."""
    best: tuple[Level, re.Match[str]] | None = None
    for level, rx in _LEVEL_PATTERNS:
        m = rx.search(clause)
        if m and (best is None or m.start() < best[1].start()):
            best = (level, m)
    return best


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


#: How far into an English clause its subject may start.
_EN_SUBJECT_REACH = 80


@lru_cache(maxsize=1024)
def _needle_re(needle: str) -> re.Pattern[str]:
    """A termbase name or abbreviation as a whole word."""
    return re.compile(rf"\b{re.escape(needle)}\b")


def actor_of_en(clause: str, termbase: Termbase) -> str | None:
    """The subject of an English clause: both sides, the United States, Taiwan, or a
    termbase organisation named by its English name or abbreviation — not one that follows
    a preposition ("with the United States")."""
    found: list[tuple[int, str]] = []
    for canonical, rx in _EN_ACTORS:
        found += [(m.start(), canonical) for m in rx.finditer(clause)]
    for term in termbase.of_type("org"):
        for needle in (term.en, term.abbr):
            # only a subject in the first 80 characters counts: look no further
            head = clause[: _EN_SUBJECT_REACH + len(needle) + 2] if needle else ""
            if needle and needle in head:
                found += [(m.start(), term.en) for m in _needle_re(needle).finditer(head)]
    for start, actor in sorted(found):
        if start > _EN_SUBJECT_REACH:
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


@dataclass
class _Carry:
    """What a sentence's earlier clauses lend to a later one without a subject: the
    actor, a modal word (將) and the verb that set the sentence's level (同意)."""

    actor: str | None = None
    modal: str = ""
    verb: str = ""
    level: Level | None = None


def _carried(clause: str, own: Level | None, carry: _Carry, lang: str) -> str | None:
    """The words a subjectless clause takes over so it reads as a whole statement, or
    None when it has its own subject (or there is nothing to carry)."""
    if carry.actor is None or not re.search(r"[\u3400-\u9fff]{2}|[A-Za-z]{2}", clause):
        return None
    if lang == "en":
        if clause.startswith(("to ", "and ")) or not EN_VERB_FIRST_RE.match(clause):
            return None
        return carry.actor + " "
    if not VERB_FIRST_RE.match(clause):
        return None
    words = carry.actor
    if own is None:
        words += carry.modal + carry.verb
    elif own in (Level.WILL_STUDY, Level.WILL_EXPLORE, Level.SUPPORTS):
        words += carry.modal
    elif own == Level.WILL_CONTINUE:
        words += carry.modal.removesuffix("持續").removesuffix("繼續")
    return words


def _mask_names(clause: str, termbase: Termbase) -> str:
    """``clause`` with the termbase's names blanked out (same length), so a name such as
    工業技術研究院 is not read as a verb (研究)."""
    for start, end, _ in termbase.find(clause, "org", "person", "event", "doc", "title"):
        clause = clause[:start] + "\u3000" * (end - start) + clause[end:]
    return clause


def make_points(
    paragraphs: tuple[str, ...],
    body: list[tuple[int, int, int]],
    termbase: Termbase,
    lang: str,
) -> list[Point]:
    """Split an item's body into clause points. A clause without its own verb keeps the
    level of the sentence it belongs to; one without an actor keeps the previous one's,
    and a clause that leaves its subject to the sentence carries the subject over (with
    the sentence's modal word, and its verb when the clause has none): 「雙方同意A，研議B，
    並推動C」 gives 「雙方研議B」 and 「雙方同意推動C」. A signing before or after the
    meeting, or by parties outside the delegations, is ``done``, not ``signed``."""
    points: list[Point] = []
    actor: str | None = None
    find_actor = actor_of_en if lang == "en" else actor_of
    for para_index, start, end in body:
        para = paragraphs[para_index]
        for s_start, s_end in sentence_spans(para[start:end]):
            carry = _Carry()
            for c_start, c_end in _clauses(para, start + s_start, start + s_end, lang):
                clause = para[c_start:c_end]
                masked = _mask_names(clause, termbase)
                found = _level_match(masked)
                own = _level_in(masked, found)
                own_actor = find_actor(clause, termbase)
                if own == Level.SIGNED:
                    timing = signing_timing(clause, [own_actor] if own_actor else [])
                    if timing != Timing.AT_MEETING:
                        own = Level.DONE
                level = own or carry.level or Level.STATEMENT
                if not own_actor and carry.actor is None:
                    carry.actor = actor  # the item's previous subject
                carried = None if own_actor else _carried(clause, own, carry, lang)
                if own_actor:
                    carry = _Carry(actor=own_actor, level=carry.level, verb=carry.verb)
                    at = clause.find(own_actor)
                    verb_at = found[1].start() if found else -1
                    if at >= 0 and verb_at > at:
                        modal = _CARRIED_MODAL_RE.search(clause, at + len(own_actor), verb_at)
                        carry.modal = modal.group(1) if modal else ""
                    if found is not None and found[0] == Level.WILL_CONTINUE:
                        # 將持續提升A，並支持B: "continue" governs B too (將持續支持B)
                        carry.modal += found[1].group()
                if carry.level is None and own is not None and found is not None:
                    carry.level = own
                    # Only an agreement lends its verb (雙方同意A，並推動C: 雙方同意推動C);
                    # "supports A and promotes B" must not become "supports promoting B".
                    carry.verb = found[1].group() if own == found[0] == Level.AGREED else ""
                actor = own_actor or actor
                points.append(
                    Point(
                        text=Text.of((carried or "") + clause, lang),
                        carried=carried,
                        commitment=level,
                        actor=Text.of(actor, lang) if actor else None,
                        source=Span(paragraph=para_index, start=c_start, end=c_end),
                    )
                )
    return points
