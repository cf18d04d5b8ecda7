"""The languages briefgen reads and writes, in one registry every module asks.

A ``Language`` says everything language-dependent that is not a translation: its tag in
each file format (Babel locale, BCP 47 for HTML/ODT/PDF, the tag Word uses), its script,
how ordered lists are numbered, how sentences end and join, the tags other tools give it
(TMX, TBX, Argos) and how a machine-translation prompt names it. Code asks the registry
(``language("zh-TW").full_stop``) instead of testing ``lang.startswith("zh")``.

Adding an output language means adding a ``Language`` here, a label catalog under
``briefgen/locale`` and font roles in the style sheets; nothing else branches on the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import BriefgenError
from .numbering import cn_numeral, heavenly_stem, letter, roman

#: One level of ordered-list numbering: item number (1-based) -> its label.
Numberer = Callable[[int], str]

#: How the number itself is written, by kind (each writer maps a kind to its format's
#: own name: Word's ``w:numFmt``, ODF's ``style:num-format``).
COUNTERS: dict[str, Numberer] = {
    "decimal": str,
    "cn-counting": cn_numeral,
    "heavenly-stem": heavenly_stem,
    "lower-letter": letter,
    "upper-letter": lambda n: letter(n).upper(),
    "lower-roman": roman,
}


@dataclass(frozen=True)
class ListLevel:
    """One level of ordered-list numbering: the counter's kind (a key of ``COUNTERS``),
    what comes before and after it, and the hanging indent in em."""

    kind: str
    prefix: str
    suffix: str
    hang: float

    def label(self, n: int) -> str:
        """The label of item ``n`` (1-based): 一、 （二） 3. …"""
        return f"{self.prefix}{COUNTERS[self.kind](n)}{self.suffix}"


@dataclass(frozen=True)
class Language:
    """One language briefgen knows; see the module docstring."""

    #: briefgen's own code: the key of ``Text.text`` and the ``--lang`` value.
    code: str
    #: English name, for messages.
    name: str
    #: Babel locale identifier (dates, the label catalog).
    babel_locale: str
    #: BCP 47 tag written into HTML ``lang``, ODF ``fo:language``/``fo:country`` and PDF
    #: ``/Lang``.
    bcp47: str
    #: The tag Word expects in ``w:lang`` (``en-US`` rather than ``en``).
    docx_tag: str
    #: ISO 15924 script: Hant, Hans, Latn.
    script: str
    #: Written without spaces between words, in CJK fonts (Han script).
    cjk: bool
    #: Ordered-list levels by depth (the 文書處理手冊's 一、（一）1、（1） for Chinese).
    list_levels: tuple[ListLevel, ...]
    #: What ends a sentence this language writes, and what joins two sentences.
    full_stop: str
    sentence_join: str
    #: What joins clauses into one sentence (key statements): "；" or "; ".
    clause_join: str
    #: The calendar of official documents in this language: "roc" (民國) or "gregorian".
    official_calendar: str
    #: How a machine-translation prompt names it, and the instruction for writing it.
    engine_name: str
    engine_rule: str = ""
    #: Argos Translate codes, preferred first.
    argos_codes: tuple[str, ...] = ()
    #: Lower-case tags other tools (TMX, TBX, XLIFF) use for it.
    aliases: tuple[str, ...] = ()
    #: Whether memos can be written in it (a label catalog and fonts exist).
    output: bool = False

    def ordered_label(self, depth: int, n: int) -> str:
        """The label of item ``n`` (1-based) of an ordered list at ``depth`` (0-based);
        levels repeat when lists nest deeper than the language defines."""
        return self.list_level(depth).label(n)

    def list_level(self, depth: int) -> ListLevel:
        """The numbering of ordered lists at ``depth`` (levels repeat past the last)."""
        return self.list_levels[depth % len(self.list_levels)]

    def sentence(self, text: str) -> str:
        """``text`` ending with this language's full stop (unless it already ends a
        sentence)."""
        text = text.rstrip()
        if not text or text[-1] in "。！？.!?…":
            return text
        return text + self.full_stop


_ZH_LEVELS = (
    ListLevel("cn-counting", "", "、", 2.0),
    ListLevel("cn-counting", "（", "）", 3.0),
    ListLevel("decimal", "", "、", 2.0),
    ListLevel("decimal", "（", "）", 3.0),
    ListLevel("heavenly-stem", "", "、", 2.0),
    ListLevel("heavenly-stem", "（", "）", 3.0),
)
_EN_LEVELS = (
    ListLevel("decimal", "", ".", 1.6),
    ListLevel("lower-letter", "", ".", 1.6),
    ListLevel("lower-roman", "", ".", 1.8),
    ListLevel("upper-letter", "", ".", 1.6),
)

ZH_TW = Language(
    code="zh-TW",
    name="Traditional Chinese (Taiwan)",
    babel_locale="zh_Hant_TW",
    bcp47="zh-TW",
    docx_tag="zh-TW",
    script="Hant",
    cjk=True,
    list_levels=_ZH_LEVELS,
    full_stop="。",
    sentence_join="",
    clause_join="；",
    official_calendar="roc",
    engine_name="Traditional Chinese as used in Taiwan (zh-TW)",
    engine_rule="Write Traditional Chinese characters with Taiwan usage and terminology "
    "(for example 軟體, 網路, 資訊), never Simplified Chinese.",
    argos_codes=("zt", "zh"),
    aliases=("zh-tw", "zh-hant", "zh-hant-tw", "zh"),
    output=True,
)
ZH_CN = Language(
    code="zh-CN",
    name="Simplified Chinese",
    babel_locale="zh_Hans_CN",
    bcp47="zh-CN",
    docx_tag="zh-CN",
    script="Hans",
    cjk=True,
    list_levels=_ZH_LEVELS,
    full_stop="。",
    sentence_join="",
    clause_join="；",
    official_calendar="roc",
    engine_name="Simplified Chinese as used in mainland China (zh-CN)",
    argos_codes=("zh", "zt"),
    aliases=("zh-cn", "zh-hans", "zh-hans-cn"),
)
EN = Language(
    code="en",
    name="English",
    babel_locale="en",
    bcp47="en",
    docx_tag="en-US",
    script="Latn",
    cjk=False,
    list_levels=_EN_LEVELS,
    full_stop=".",
    sentence_join=" ",
    clause_join="; ",
    official_calendar="gregorian",
    engine_name="English (en)",
    engine_rule="Write natural, formal English as used in diplomatic briefings. Write the "
    "names of people and organisations as the glossary gives them; do not romanise a name "
    "in Hanyu Pinyin when the glossary gives another form.",
    argos_codes=("en",),
    aliases=("en", "en-us", "en-gb"),
    output=True,
)

#: Every language briefgen knows, by code, in the order memos are built.
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ZH_TW, EN, ZH_CN)}
#: Languages memos can be written in.
OUTPUT_LANGS: tuple[str, ...] = tuple(code for code, lang in LANGUAGES.items() if lang.output)
#: Languages an article can be in.
SOURCE_LANGS: tuple[str, ...] = ("zh-TW", "zh-CN", "en")
#: The language of the CJK text in a Latin-script memo (Word's ``w:eastAsia``).
EAST_ASIAN_DEFAULT = ZH_TW
#: The language of the Latin-script words in a Han-script memo (Word's ``w:val``, ODF's
#: ``fo:language``): marked Chinese, word processors break them at any letter.
LATIN_IN_CJK = EN


def language(code: str) -> Language:
    """The registered language ``code``; a one-line ``BriefgenError`` naming the known
    codes otherwise."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise BriefgenError(f"unknown language {code!r} (known: {', '.join(LANGUAGES)})") from None


def output_language(code: str) -> Language:
    """``language(code)`` if memos can be written in it; a one-line error otherwise."""
    lang = LANGUAGES.get(code)
    if lang is None or not lang.output:
        raise BriefgenError(f"unknown language {code!r} (choose from {', '.join(OUTPUT_LANGS)})")
    return lang


def from_tag(tag: str) -> Language | None:
    """The language a tag from another tool (``zh-Hant``, ``en_GB``, ``ZH``) names, or
    None when it names none of briefgen's."""
    key = tag.strip().lower().replace("_", "-")
    for lang in LANGUAGES.values():
        if key == lang.code.lower() or key in lang.aliases:
            return lang
    if key.startswith("zh-hant-"):
        return ZH_TW
    if key.startswith("zh-hans-"):
        return ZH_CN
    if key.startswith("en-"):
        return EN
    return None


def for_code(code: str) -> Language:
    """The registered language ``code``; a code briefgen does not register is treated as
    the registered language of its script family (``zh…`` as zh-TW, else English), the
    way memos always treated them."""
    lang = LANGUAGES.get(code)
    if lang is not None:
        return lang
    return ZH_TW if code.lower().startswith("zh") else EN


def is_cjk(code: str) -> bool:
    """Whether ``code`` (a registered language, else any ``zh…`` tag) is written in Han
    script."""
    lang = LANGUAGES.get(code)
    return lang.cjk if lang is not None else code.lower().startswith(("zh", "ja", "ko"))
