"""The Jinja2 environment templates run in: sandboxed, autoescaped, StrictUndefined, with
gettext labels and filters that turn brief values into safe markup."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..translate.usage import run_case
from .i18n import format_day, ordinal, translations
from .lines import (
    LEVEL_ORDER,
    action,
    agreed_topics,
    principal_point,
    shortened,
    with_article,
)

_FULL_STOP = {"zh": "。", "en": "."}


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogs without translating it here."""
    return message


UNTRANSLATED_MARK = N_("[untranslated]")
UNVERIFIED_MARK = N_("[unverified]")


def builtin_template_dir() -> Path:
    """The directory of the built-in templates and style sheet."""
    return Path(str(resources.files("briefgen") / "templates"))


def _value(text: Any, lang: str) -> tuple[str, str, bool]:
    """``(string, its language, untranslated?)`` of a Text dict for ``lang``."""
    if text is None:
        return "", lang, False
    if isinstance(text, str):
        return text, lang, False
    vias = text.get("via") or {}
    value = text.get(lang)
    if value is not None and vias.get(lang) != "untranslated":
        return value, lang, False
    for other, candidate in text.items():
        if other not in ("via", "ref") and vias.get(other) == "source":
            if other == "zh-CN" and text.get("zh-TW") and vias.get("zh-TW") == "converted":
                # Shown in Traditional characters: the memo fonts are Traditional faces.
                return text["zh-TW"], "zh-TW", True
            return candidate, other, True
    if value is not None:
        return value, lang, True
    first = next((k for k in text if k not in ("via", "ref")), None)
    return (text[first], first, True) if first else ("", lang, False)


def _end(value: str, lang: str) -> str:
    """``value`` ending with the language's full stop, unless it already ends a sentence
    (also inside closing quotes or brackets: 。」, ."),"""
    stop = _FULL_STOP["zh" if lang.startswith("zh") else "en"]
    core = value.rstrip("\"'”’」』）)")
    if core and core[-1] not in "。！？.!?":
        return value + stop
    return value


@pass_context
def t_filter(
    ctx: Context, text: Any, end: bool = False, name: bool = False, as_written: bool = False
) -> Markup:
    """The text in the memo's language as markup. An untranslated text keeps its source
    language, gets a visible marker and the ``untranslated`` style; with ``name=True``
    (people's names) the marker says the English spelling is unverified, and so does a
    romanized name. ``as_written=True`` is for source metadata (the reporter's byline):
    without a verified translation the text is shown as the article writes it, with
    neither marker nor warning style (a romanized spelling is not used)."""
    lang = ctx["lang"]
    value, value_lang, untranslated = _value(text, lang)
    romanized = isinstance(text, dict) and "unverified" in (text.get("ref") or {}).get(lang, "")
    if as_written and (untranslated or romanized):
        value, value_lang = _as_written(text, lang)
        if end:
            value = _end(value, value_lang)
        if value_lang == lang:
            return Markup(escape(value))
        return Markup('<span lang="{}">{}</span>').format(value_lang, value)
    if end:
        value = _end(value, value_lang)
    return _marked(value, value_lang, untranslated, romanized, name, lang)


def _as_written(text: Any, lang: str) -> tuple[str, str]:
    """``(string, language)`` of a Text dict as the article writes it: its source text."""
    if isinstance(text, dict):
        vias = text.get("via") or {}
        for other, candidate in text.items():
            if other not in ("via", "ref") and vias.get(other) == "source":
                return candidate, other
    value, value_lang, _ = _value(text, lang)
    return value, value_lang


def _marked(
    value: str, value_lang: str, untranslated: bool, romanized: bool, name: bool, lang: str
) -> Markup:
    """``value`` as markup, with the untranslated/unverified marker and style when
    needed (see ``t_filter``)."""
    if not untranslated and not romanized:
        return Markup(escape(value))
    gettext = translations(lang).gettext
    mark = gettext(UNVERIFIED_MARK if name or romanized else UNTRANSLATED_MARK)
    style = "unverified" if romanized else "untranslated"
    return Markup(
        '<span class="untranslated-mark">{}</span> <span class="{}" lang="{}">{}</span>'
    ).format(mark, style, value_lang, value)


@pass_context
def sentences_filter(ctx: Context, texts: Any) -> Markup:
    """Sentences (Text values) as one run of text, each ended with a full stop and joined
    the way the memo's language joins sentences (a space in English, nothing in Chinese)."""
    sep = "" if ctx["lang"].startswith("zh") else " "
    return Markup(sep).join(t_filter(ctx, text, end=True) for text in texts)


@pass_context
def run_filter(ctx: Context, texts: Any, last: str | None = None) -> Markup:
    """Texts (titles, topics) joined as a run inside a sentence: separated the way the
    memo's language separates list items (", " / "、"; ``last`` before the final one,
    e.g. ``_(" and ")``), and in English each item after the first starting in lower case
    unless it begins with a proper noun or an acronym (AI, UAS, Taiwan …; see
    ``briefgen.translate.usage.run_case``). A bullet list keeps every item's capital:
    this filter is for runs."""
    lang = ctx["lang"]
    gettext = translations(lang).gettext
    proper = ctx.get("proper_nouns") or ()
    parts: list[Markup] = []
    for index, text in enumerate(texts):
        value, value_lang, untranslated = _value(text, lang)
        romanized = isinstance(text, dict) and "unverified" in (text.get("ref") or {}).get(lang, "")
        if index and value_lang == "en" and not untranslated:
            value = run_case(["", value], proper)[1]
        parts.append(_marked(value, value_lang, untranslated, romanized, False, lang))
    if not parts:
        return Markup("")
    sep = Markup(escape(gettext(", ")))
    if last is None or len(parts) < 2:
        return sep.join(parts)
    return sep.join(parts[:-1]) + Markup(escape(last)) + parts[-1]


@pass_context
def joined_filter(ctx: Context, parts: Any) -> Markup:
    """Pieces of markup that are whole sentences, without the empty ones, joined the way
    the memo's language joins sentences (nothing in Chinese, a space in English)."""
    sep = "" if ctx["lang"].startswith("zh") else " "
    return Markup(sep).join(Markup(part) for part in parts if str(part).strip())


@pass_context
def clauses_filter(ctx: Context, texts: Any) -> Markup:
    """Texts that each read as a clause (key statements) joined into one sentence: with
    "；" in Chinese, "; " in English (each clause after the first starting in lower case
    unless it opens with a proper noun or an acronym), ended with a full stop."""
    lang = ctx["lang"]
    texts = list(texts)
    if not texts:
        return Markup("")
    chinese = lang.startswith("zh")
    proper = ctx.get("proper_nouns") or ()
    parts: list[Markup] = []
    for index, text in enumerate(texts):
        value, value_lang, untranslated = _value(text, lang)
        value = value.rstrip("。.；;")
        if index and value_lang == "en" and not untranslated:
            value = run_case(["", value], proper)[1]
        if index == len(texts) - 1:
            value = _end(value, value_lang)
        parts.append(_marked(value, value_lang, untranslated, False, False, lang))
    return Markup("；" if chinese else "; ").join(parts)


@pass_context
def plain_filter(ctx: Context, text: Any) -> str:
    """The text in the memo's language (or its source language) as a plain string."""
    return _value(text, ctx["lang"])[0]


@pass_context
def date_filter(ctx: Context, value: Any, official: bool = False) -> str:
    """An ISO date (or date) formatted for the memo's language and date style;
    ``official=True`` uses the Republic of China calendar in Chinese whatever the date
    style (Taiwan's official documents) and the Gregorian one in English."""
    if value in (None, ""):
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    lang = ctx["lang"]
    style = (
        ("roc" if lang.startswith("zh") else "gregorian")
        if official
        else ctx.get("date_style", "gregorian")
    )
    return format_day(day, lang, style)


@pass_context
def ordinal_filter(ctx: Context, n: int) -> str:
    """A round number as an ordinal in the memo's language."""
    return ordinal(int(n), ctx["lang"])


def strongest_level(item: Any) -> str:
    """The strongest commitment among an item's points and its nested items' points (or
    among a list of points); ``statement`` if none."""
    levels: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for element in value:
                collect(element)
        elif isinstance(value, dict):
            if "commitment" in value:
                levels.add(value["commitment"])
            collect(value.get("points", []))
            collect(value.get("items", []))

    collect(item)
    return next((lvl for lvl in LEVEL_ORDER if lvl in levels), "statement")


def is_untranslated(text: Any, lang: str) -> bool:
    """Whether ``text`` has no real translation into ``lang``."""
    return _value(text, lang)[2]


class _Environment(SandboxedEnvironment):
    """The sandbox, with one change: on a mapping, ``x.name`` means the key ``name`` when
    there is one, so ``brief.items`` is the agenda, not ``dict.items``."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@lru_cache(maxsize=16)
def make_environment(lang: str, template_dirs: tuple[str, ...] = ()) -> SandboxedEnvironment:
    """A sandboxed environment for ``lang`` that finds templates in ``template_dirs``
    first, then among the built-in ones."""
    loaders = [FileSystemLoader(d) for d in template_dirs]
    loaders.append(FileSystemLoader(str(builtin_template_dir())))
    env = _Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        t=t_filter,
        run=run_filter,
        clauses=clauses_filter,
        joined=joined_filter,
        principal=principal_point,
        shortened=shortened,
        agreed_topics=agreed_topics,
        action=action,
        with_article=with_article,
        plain=plain_filter,
        sentences=sentences_filter,
        date=date_filter,
        ordinal=ordinal_filter,
        strongest_level=strongest_level,
    )
    env.globals.update(level_order=LEVEL_ORDER)
    return env
