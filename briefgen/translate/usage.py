"""English usage the memos follow, whatever source each text came from.

* ``us_form``: how "United States" is abbreviated — ``US`` (the default: the form the
  Taiwanese government's English releases use) or ``U.S.``;
* ``pair_first``: the country a hyphenated pair names first — ``Taiwan`` by default
  ("Taiwan-US cooperation", as MOFA writes it); ``""`` keeps every pair as written;
* lists: in a run of items joined in a sentence ("AI supply chain, digital infrastructure,
  critical minerals"), the items after the first start in lower case unless they begin
  with a proper noun or an acronym (``run_case``).

The rewriting functions only touch what they are given; callers keep official names of
documents and verbatim quotes out of reach by passing them as ``protected`` (an
occurrence of a protected string inside a longer text is left exactly as written), and a
pair that starts the name of an organisation ("US-Taiwan Business Council") keeps its
order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import TemplateError

US_FORMS = ("US", "U.S.")

#: The last word of an organisation's name: a pair before such a name is part of it.
_ORG_WORDS = frozenset(
    [
        "Council",
        "Association",
        "Institute",
        "Chamber",
        "Foundation",
        "Corporation",
        "Company",
        "Office",
        "Bank",
        "Committee",
        "Commission",
        "Agency",
        "Administration",
        "Department",
        "Bureau",
        "Ministry",
        "Center",
        "Centre",
        "University",
        "Fund",
        "Society",
        "Federation",
        "Alliance",
        "Union",
        "Board",
        "Trust",
        "Inc",
        "Ltd",
        "LLC",
    ]
)
#: Words that open a sentence: "with the U.S. The talks" ends a sentence after U.S.
_SENTENCE_OPENERS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "They",
        "Their",
        "Both",
        "He",
        "She",
        "We",
        "In",
        "On",
        "At",
        "A",
        "An",
        "As",
        "But",
        "And",
        "However",
        "Meanwhile",
        "Also",
    ]
)
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "vs",
    ]
)
_WORD_RE = re.compile(r"[\w][\w'’.&-]*")


@dataclass(frozen=True)
class Usage:
    """One memo language's English usage (see the module docstring)."""

    us_form: str = "US"
    pair_first: str = "Taiwan"


def usage_from(data: Mapping[str, Any] | None, origin: str = "style sheet") -> Usage:
    """The ``usage`` section of a style sheet as a ``Usage``; ``TemplateError`` naming
    ``origin`` for an unknown key or value. A missing section gives the defaults."""
    if not data:
        return Usage()
    if not isinstance(data, Mapping):
        raise TemplateError(f"{origin}: usage must be a mapping")
    unknown = sorted(set(data) - {"us_form", "pair_first"})
    if unknown:
        raise TemplateError(f"{origin}: usage: unknown key {unknown[0]!r}")
    us_form = str(data.get("us_form", Usage.us_form))
    if us_form not in US_FORMS:
        raise TemplateError(f"{origin}: usage: us_form must be US or U.S., not {us_form!r}")
    pair_first = str(data.get("pair_first", Usage.pair_first) or "").strip()
    if pair_first and not re.fullmatch(r"[A-Z][\w.]*(?: [A-Z][\w.]*)*", pair_first):
        raise TemplateError(
            f"{origin}: usage: pair_first must be a country name, not {pair_first!r}"
        )
    return Usage(us_form, pair_first)


# --- proper nouns ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def territory_words() -> frozenset[str]:
    """Words of English country and territory names (Babel's CLDR data) and the usual
    short forms (US, U.S., UK, EU …): always proper nouns."""
    from babel import Locale

    words: set[str] = {"US", "U.S.", "UK", "U.K.", "EU", "E.U.", "PRC", "ROC", "USA"}
    for name in Locale("en").territories.values():
        words.update(w for w in re.split(r"[\s,()&]+", name) if w[:1].isupper())
    return frozenset(words)


@lru_cache(maxsize=1)
def _country_tokens() -> str:
    """A regex alternative for one country in a pair: a short form, an ISO code or a
    one-word territory name (Japan, Philippines)."""
    from babel import Locale

    names = {n for n in Locale("en").territories.values() if re.fullmatch(r"[A-Z][a-z]+", n)}
    codes = {c for c in Locale("en").territories if re.fullmatch(r"[A-Z]{2}", c)}
    tokens = {"U.S.", "U.K.", "E.U.", "UK", "EU", "USA", "PRC", "ROC"} | names | codes
    return "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Words that are proper nouns in ``texts`` (English): capitalised where a sentence
    does not start and never written in lower case, plus country and territory names."""
    upper: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?:;])\s+", text):
            words = [_bare(w) for w in _WORD_RE.findall(sentence)]
            for i, word in enumerate(words[1:], 1):
                if not word[:1].isupper():
                    lower.add(word)
                elif not _capitalised(words[i - 1]) and (
                    i + 1 == len(words) or not _capitalised(words[i + 1])
                ):
                    # Alone among lower-case words: not one word of a longer name
                    # ("Minister of Digital Affairs").
                    upper.add(word)
    lowered = {w.lower() for w in lower}
    return frozenset({w for w in upper if w.lower() not in lowered} | territory_words())


def _bare(word: str) -> str:
    """``word`` without a trailing full stop or possessive ('s)."""
    return re.sub(r"['’]s$", "", word.rstrip("."))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def is_name(text: str) -> bool:
    """Whether ``text`` is written as a name: at least two words, every one but the small
    ones (of, and, the …) capitalised or a number ("Section 232", "New Southbound
    Policy", "Assessor License and Services Agreement")."""
    words = [w for w in _WORD_RE.findall(text) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and all(_capitalised(w) for w in words)


def keeps_capital(item: str, proper: Iterable[str] = ()) -> bool:
    """Whether an item inside a run keeps its capital: it begins with an acronym or a
    word with a capital inside (AI, UAS, Taiwan-US), a proper noun, or it is a name."""
    match = _WORD_RE.match(item.lstrip("“\"'‘(（「"))
    if not match:
        return True
    word = _bare(match.group())
    if not word[:1].isupper():
        return True
    if any(c.isupper() or c.isdigit() for c in word[1:]):
        return True
    names = set(proper) | territory_words()
    if word in names or word.split("-")[0] in names:
        return True
    return is_name(item)


def run_case(items: Sequence[str], proper: Iterable[str] = ()) -> list[str]:
    """``items`` as a run inside a sentence: the first as written, each later one with
    its first letter in lower case unless it keeps its capital (``keeps_capital``)."""
    names = frozenset(proper)
    out = list(items[:1])
    for item in items[1:]:
        out.append(item if keeps_capital(item, names) else item[:1].lower() + item[1:])
    return out


# --- rewriting ---------------------------------------------------------------------------


def apply_usage(text: str, usage: Usage, protected: Iterable[str] = ()) -> str:
    """``text`` with ``usage`` applied: pairs reordered (``pair_first`` first), then
    every "U.S."/"US" written in ``usage.us_form``. Occurrences of ``protected`` strings
    are left as written, and so is a text with no lower-case letter (a heading in
    capitals, where "US" may be a pronoun)."""
    if not text or not re.search(r"[a-z]", text):
        return text
    masked, saved = _mask(text, protected)
    if usage.pair_first:
        masked = _reorder_pairs(masked, usage.pair_first)
    masked = _us_form(masked, usage.us_form)
    for i, original in enumerate(saved):
        masked = masked.replace(f"\ue000{i}\ue001", original)
    return masked


def _mask(text: str, protected: Iterable[str]) -> tuple[str, list[str]]:
    saved: list[str] = []
    for phrase in sorted({p for p in protected if p and len(p) >= 4}, key=len, reverse=True):
        if phrase in text:
            text = text.replace(phrase, f"\ue000{len(saved)}\ue001")
            saved.append(phrase)
    return text, saved


def _reorder_pairs(text: str, first: str) -> str:
    countries = _country_tokens()
    first_re = r"U\.S\.|US" if first in US_FORMS else re.escape(first)
    pattern = re.compile(
        rf"(?<![\w.\-–])(?P<other>{countries}|US|Taiwan)(?P<dash>[-–])(?P<first>{first_re})"
        r"(?![\w\-–])"
    )

    def swap(m: re.Match[str]) -> str:
        same = {m.group("other"), m.group("first")} <= set(US_FORMS)
        if same or m.group("other") == m.group("first") or _starts_org_name(text[m.end() :]):
            return m.group()
        return f"{m.group('first')}{m.group('dash')}{m.group('other')}"

    return pattern.sub(swap, text)


def _starts_org_name(rest: str) -> bool:
    """Whether ``rest`` (the text after a pair) continues a capitalised name that ends in
    an organisation word (" Business Council")."""
    run = re.match(r"(?:\s+(?:[A-Z0-9][\w&'’.-]*|of|and|for|the|on|in))+", rest)
    if not run:
        return False
    capitalised = [w for w in run.group().split() if w[:1].isupper()]
    return bool(capitalised) and capitalised[-1].rstrip(".,") in _ORG_WORDS


_DOTTED_RE = re.compile(r"(?<![\w.])U\.S\.(?![\w])")
_BARE_RE = re.compile(r"(?<![\w.$])US(?![\w$])(?P<stop>\.(?=\s|$|[”’\"')]))?")


_PAIR_REST_RE = re.compile(r"[-–][A-Z][\w.]*")


def _in_org_name(text: str, end: int) -> bool:
    """Whether the US form ending at ``end`` opens a pair that starts an organisation's
    name ("US-Taiwan Business Council")."""
    pair = _PAIR_REST_RE.match(text, end)
    return pair is not None and _starts_org_name(text[pair.end() :])


_DC_DOTTED_RE = re.compile(r"(?<=Washington, )D\.C\.")
_DC_BARE_RE = re.compile(r"(?<=Washington, )DC\b\.?")


def _dc_form(text: str, form: str) -> str:
    """ "Washington, D.C." written the way the US form is: "Washington, DC" with "US"
    (as Taiwan's releases write it), "Washington, D.C." with "U.S.". A full stop that
    also ends a sentence going on after it is kept; at the end of a text the memo adds
    its own."""
    if form == "US":

        def bare(m: re.Match[str]) -> str:
            rest = text[m.end() :]
            return "DC." if re.match(r"\s+[A-Z]", rest) else "DC"

        return _DC_DOTTED_RE.sub(bare, text)
    return _DC_BARE_RE.sub("D.C.", text)


def _us_form(text: str, form: str) -> str:
    text = _dc_form(text, form)
    if form == "US":

        def undot(m: re.Match[str]) -> str:
            rest = text[m.end() :]
            if _in_org_name(text, m.end()):
                return m.group()
            opener = re.match(r"\s+([A-Z]\w*)", rest)
            ends = not rest.strip() or (opener is not None and opener.group(1) in _SENTENCE_OPENERS)
            return "US." if ends else "US"

        return _DOTTED_RE.sub(undot, text)
    return _BARE_RE.sub(lambda m: m.group() if _in_org_name(text, m.end()) else "U.S.", text)
