"""Label catalogs (gettext, managed with Babel) and locale-aware formatting.

Catalogs live in ``briefgen/locale/<locale>/LC_MESSAGES/briefgen.po`` and are compiled in
memory when first needed, so no binary ``.mo`` files are kept in the repository. zh-TW
uses ``zh_Hant_TW`` and never falls back to a Simplified catalog.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ..errors import TemplateError
from ..languages import LANGUAGES, OUTPUT_LANGS, is_cjk
from ..translate import Provenance

#: Output language -> Babel locale identifier (from the language registry).
LOCALES = {code: LANGUAGES[code].babel_locale for code in OUTPUT_LANGS}
DOMAIN = "briefgen"


def babel_locale(lang: str) -> str:
    """The Babel locale for an output language."""
    if lang not in LOCALES:
        raise TemplateError(f"no locale for language {lang!r} (known: {', '.join(LOCALES)})")
    return LOCALES[lang]


@lru_cache(maxsize=8)
def translations(lang: str) -> Translations:
    """The compiled label catalog for ``lang``."""
    locale = babel_locale(lang)
    ref = resources.files("briefgen") / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not ref.is_file():
        raise TemplateError(f"no label catalog for {lang} ({locale}/LC_MESSAGES/{DOMAIN}.po)")
    with ref.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def format_day(value: date, lang: str, style: str = "gregorian") -> str:
    """A date as the language writes it: zh-TW 2026年1月28日, en January 28, 2026;
    ``style="roc"`` gives the Republic of China calendar (中華民國115年1月28日)."""
    if style == "roc":
        year = value.year - 1911
        if is_cjk(lang):
            return f"中華民國{year}年{value.month}月{value.day}日"
        return f"{format_date(value, format='MMMM d', locale=babel_locale(lang))}, ROC year {year}"
    return format_date(value, format="long", locale=babel_locale(lang))


def ordinal(n: int, lang: str) -> str:
    """6 -> ``6th`` in English; the bare number where the catalog's pattern supplies the
    rest (zh-TW 第6屆)."""
    if not lang.startswith("en"):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogs without translating it here."""
    return message


#: What the reviewed sources of a memo's text are called in its translator's notes.
_REVIEWED_SOURCES = (
    ("termbase", N_("official names and terms")),
    ("gloss", N_("the article's own translations")),
    ("memory", N_("a reviewed translation memory")),
    ("human", N_("a translator's review")),
)


def join_list(items: Sequence[str], lang: str) -> str:
    """``items`` joined as a list in a sentence of ``lang``: "a, b and c" / 「a、b與c」."""
    gettext = translations(lang).gettext
    if len(items) <= 2:
        return gettext(" and ").join(items)
    return gettext(", ").join(items[:-1]) + gettext(" and ") + items[-1]


def translation_notes(source: Provenance, lang: str) -> list[str]:
    """Sentences for a memo's translator's notes, in the reader's language, saying where
    its ``lang`` text comes from: what a machine translated or adapted and nobody
    reviewed, what comes from reviewed sources (naming them), and the reporter's name
    shown as the article writes it. Untranslated passages and participants' names are
    left to the templates' own notices. Empty when nothing was translated."""
    tr = translations(lang)
    notes: list[str] = []
    if source.engine:
        notes.append(
            tr.ngettext(
                "%(num)d passage was translated by machine and not reviewed.",
                "%(num)d passages were translated by machine and not reviewed.",
                source.engine,
            )
            % {"num": source.engine}
        )
    if source.fuzzy:
        notes.append(
            tr.ngettext(
                "%(num)d passage was adapted from the reviewed translation of a similar "
                "sentence; the adaptation was not reviewed.",
                "%(num)d passages were adapted from the reviewed translations of similar "
                "sentences; the adaptations were not reviewed.",
                source.fuzzy,
            )
            % {"num": source.fuzzy}
        )
    if source.converted:
        notes.append(
            tr.ngettext(
                "%(num)d passage was converted from Simplified Chinese characters by machine.",
                "%(num)d passages were converted from Simplified Chinese characters by machine.",
                source.converted,
            )
            % {"num": source.converted}
        )
    if source.reviewed:
        names = [tr.gettext(label) for key, label in _REVIEWED_SOURCES if getattr(source, key)]
        sources = join_list(names, lang)
        if source.unreviewed:
            notes.append(
                tr.ngettext(
                    "The other %(num)d passage was translated from reviewed sources (%(sources)s).",
                    "The other %(num)d passages were translated from reviewed sources "
                    "(%(sources)s).",
                    source.reviewed,
                )
                % {"num": source.reviewed, "sources": sources}
            )
        else:
            notes.append(
                tr.gettext("All passages were translated from reviewed sources (%(sources)s).")
                % {"sources": sources}
            )
    if source.byline_names:
        notes.append(
            tr.ngettext(
                "The reporter's name in the source line, %(names)s, is shown as the article "
                "writes it; no verified spelling of it is on file.",
                "The reporters' names in the source line, %(names)s, are shown as the article "
                "writes them; no verified spelling of them is on file.",
                len(source.byline_names),
            )
            % {"names": join_list(list(source.byline_names), lang)}
        )
    return notes
