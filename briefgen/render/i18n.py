"""Label catalogs (gettext, managed with Babel) and locale-aware formatting.

Catalogs live in ``briefgen/locale/<locale>/LC_MESSAGES/briefgen.po`` and are compiled in
memory when first needed, so no binary ``.mo`` files are kept in the repository. zh-TW
uses ``zh_Hant_TW`` and never falls back to a Simplified catalog.
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ..errors import TemplateError

#: briefgen language tag -> Babel locale identifier.
LOCALES = {"zh-TW": "zh_Hant_TW", "en": "en"}
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
        if lang.startswith("zh"):
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
