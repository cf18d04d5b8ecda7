"""One-line summaries of a brief for the short memos: an agenda item's principal
commitment, shortened by rule at a clause boundary (never mid-clause), and the key
statements the bottom line can carry. Functions take the brief as the templates see it
(plain dicts) and return values the templates render with their usual filters."""

from __future__ import annotations

import re
from typing import Any

from ..extract.points import EN_VERB_FIRST_RE, VERB_FIRST_RE
from ..extract.text import bracket_depths
from ..languages import is_cjk

#: Strongest first: what a one-line summary of an item reports.
LEVEL_ORDER = (
    "signed",
    "agreed",
    "will_continue",
    "supports",
    "will_study",
    "will_explore",
    "done",
    "statement",
)
#: The levels that commit to something (all but ``statement``).
COMMITMENT_ORDER = LEVEL_ORDER[:-1]
#: How long a principal commitment may run before it is shortened: characters of Chinese,
#: characters of English.
LIMITS = {"zh": 60, "en": 170}
# Where an English sentence may end early: before a participle or adjunct that only adds
# purpose or manner (", jointly shaping …", ", with a view to …").
# (a participle is told from a noun in a list — "mining, processing and …" — by what
# follows it: an article, a pronoun or a preposition.)
_EN_CUT_RE = re.compile(
    r",\s+(?=(?:(?:jointly |thereby |further |while )?[a-z]+ing\s+"
    r"(?:a|an|the|its|their|his|her|our|to|on|in|for|with|up|new|more|greater|closer|"
    r"stronger|partner|partners)\b|thereby|so as|in order|as part|with a view|which|while)\b)"
)


def _points(item: dict[str, Any]) -> list[dict[str, Any]]:
    points = list(item.get("points") or [])
    for sub in item.get("items") or []:
        points += _points(sub)
    return points


def principal_point(item: dict[str, Any]) -> dict[str, Any] | None:
    """The item's principal commitment: the first point (its own, then its nested
    items') at the strongest level any of them has; the first point when all are
    statements; None when there is no point."""
    points = _points(item)
    for level in COMMITMENT_ORDER:
        for point in points:
            if point.get("commitment") == level:
                return point
    return points[0] if points else None


def cut(value: str, lang: str, scale: float = 1.0) -> str:
    """``value`` whole when it fits the language's limit (``LIMITS`` times ``scale``);
    else up to its last clause boundary before the limit — in Chinese a comma outside
    brackets, in English a comma before a participle or purpose phrase — so what is
    left is a whole clause. Where no boundary leaves at least a third of the limit, the
    text stays whole."""
    family = "zh" if is_cjk(lang) else "en"
    limit = int(LIMITS[family] * scale)
    if len(value) <= limit:
        return value
    if family == "zh":
        depths = bracket_depths(value)
        cuts = [i for i, ch in enumerate(value[:limit]) if ch in "，," and depths[i] == 0]
    else:
        cuts = [m.start() for m in _EN_CUT_RE.finditer(value) if m.start() <= limit]
    cuts = [i for i in cuts if i >= limit // 3]
    return value[: cuts[-1]] if cuts else value


def shortened(text: Any, scale: float = 1.0) -> Any:
    """A Text (as a dict) with every language's value ``cut`` to its limit (times
    ``scale``); how each was obtained is kept. Anything else is returned as it is."""
    if not isinstance(text, dict):
        return text
    out = dict(text)
    for lang, value in text.items():
        if lang not in ("via", "ref") and isinstance(value, str):
            out[lang] = cut(value, lang, scale)
    return out


def _strongest(item: dict[str, Any]) -> str | None:
    point = principal_point(item)
    return point.get("commitment") if point else None


def agreed_topics(items: list[dict[str, Any]]) -> list[Any]:
    """The titles (Text dicts) of the items whose principal commitment is an agreement or
    a signing, in order: what the meeting agreed on, as a run of topics."""
    return [
        item["title"]
        for item in items
        if item.get("title") and _strongest(item) in ("signed", "agreed")
    ]


_EN_ACTION_RE = re.compile(rf"(?:will |would |shall |also |further )*{EN_VERB_FIRST_RE.pattern}")
# A modal or adverb alone shows a predicate follows (美方將持續精煉…).
_ZH_ACTION_RE = re.compile(
    rf"(?:也|亦|並|另|再|仍|將|會|續|均|皆|都|共同|持續|繼續|擬|願|盼)|{VERB_FIRST_RE.pattern}"
)


def action(point: dict[str, Any]) -> Any:
    """What a point says its actor will do, for a table whose other column names the
    actor: the point's text (a Text dict) without the actor's words in front, in each
    language where they open it and a verb follows ("Both sides will study B": "will
    study B"; 台灣也將探索…: 也將探索…). Otherwise the text as it is."""
    text, actor = point.get("text"), point.get("actor")
    if not isinstance(text, dict) or not isinstance(actor, dict):
        return text
    out = dict(text)
    for lang, value in text.items():
        who = actor.get(lang)
        if lang in ("via", "ref") or not isinstance(value, str) or not who:
            continue
        if not value.casefold().startswith(who.casefold()):
            continue
        rest = value[len(who) :].lstrip()
        chinese = is_cjk(lang)
        if rest and (_ZH_ACTION_RE if chinese else _EN_ACTION_RE).match(rest):
            out[lang] = rest
    return out


# An institution named by what it is takes "the" in running English text (the Industrial
# Technology Research Institute, the Ministry of Economic Affairs); a proper name (TSMC,
# Microsoft Corporation) does not.
_INSTITUTION_RE = re.compile(
    r"^(?:(?:[A-Z][\w-]*\s+)*(?:Institute|Association|Council|Ministry|Department|Office|"
    r"Agency|Bureau|Commission|Committee|Administration|Federation|Chamber|Foundation|"
    r"Center|Centre|Authority|Board|Service|Academy|Secretariat)\b|[A-Z][\w-]*(?:\s+[\w-]+)*"
    r"\s+of\s+)"
)


def with_article(text: Any) -> Any:
    """A name (Text dict) as running English text writes it: "the" before an institution
    named by what it is (Industrial Technology Research Institute, Association for …,
    Ministry of …), in the English value only; anything else as it is."""
    if not isinstance(text, dict):
        return text
    value = text.get("en")
    if not isinstance(value, str) or (text.get("via") or {}).get("en") == "untranslated":
        return text
    if value.startswith(("the ", "The ")) or not _INSTITUTION_RE.match(value):
        return text
    return {**text, "en": "the " + value}
