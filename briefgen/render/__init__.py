"""render: ``Brief`` x audience x language -> ``ir.Document``.

A Jinja2 template (sandboxed, autoescaped, StrictUndefined, labels from gettext) emits the
strict markup of ``render.markup``, which becomes the IR every writer consumes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from .. import ir
from ..errors import BriefgenError, TemplateError
from ..languages import is_cjk
from ..model import Brief, iter_texts
from ..settings import OfficeSettings, Settings, for_language
from ..styles import StyleSheet
from ..translate import byline_ids, name_ids, provenance, summary_line
from ..translate.usage import Usage, apply_usage, proper_nouns, usage_from
from .environment import (
    builtin_template_dir,
    is_untranslated,
    limited,
    make_environment,
    template_line,
)
from .i18n import ordinal, translation_notes, translations
from .markup import parse_markup
from .sheets import letterhead, memo_stylesheet

TEMPLATE_SUFFIX = ".html.j2"


def template_name(audience: str) -> str:
    """The template file of an audience."""
    return f"{audience}{TEMPLATE_SUFFIX}"


def audiences(template_dirs: Sequence[Path] = ()) -> list[str]:
    """Every audience with a template (built-in or in ``template_dirs``), base excluded."""
    found: set[str] = set()
    for directory in (*template_dirs, builtin_template_dir()):
        for path in Path(directory).glob(f"*{TEMPLATE_SUFFIX}"):
            name = path.name[: -len(TEMPLATE_SUFFIX)]
            if not name.startswith("_") and name != "base":
                found.add(name)
    return sorted(found)


def render_markup(
    brief: Brief,
    audience: str,
    lang: str,
    settings: Settings | None = None,
    *,
    sheet: StyleSheet | None = None,
    shorten: int = 0,
    usage: Usage | None = None,
) -> str:
    """The template output (strict markup) for ``brief`` with ``settings`` (default: the
    built-in defaults): its templates, date style, and the organisation and classification
    (e.g. 限閱 / LIMITED DISTRIBUTION) of the running header, which default to the style
    sheet's letterhead. ``sheet`` is the memo's style sheet when the caller has it already
    (see ``sheets.memo_stylesheet``). English text briefgen produced follows ``usage`` (by
    default the ``usage`` section of that style sheet)."""
    settings = settings if settings is not None else Settings()
    sheet = sheet if sheet is not None else memo_stylesheet(settings, lang, audience)
    template_dirs = settings.template_dirs
    date_style = settings.date_style
    organisation = for_language(settings.organisation or letterhead(sheet, "organisation"), lang)
    classification = for_language(
        settings.classification or letterhead(sheet, "classification"), lang
    )
    author = for_language(settings.author, lang)
    office = office_values(settings.office, lang)
    dated = document_day(settings.office).isoformat()
    env = make_environment(lang, tuple(str(d) for d in template_dirs))
    name = template_name(audience)
    try:
        names, byline = name_ids(brief), byline_ids(brief)
        untranslated, unverified, unverified_byline = [], [], []
        for t in iter_texts(brief):
            romanized = id(t) in names and "unverified" in t.ref.get(lang, "")
            if romanized or is_untranslated(t.model_dump(), lang):
                value = t.text.get(brief.source.language) or next(iter(t.text.values()), "")
                if id(t) in byline:
                    unverified_byline.append(value)
                else:
                    (unverified if id(t) in names else untranslated).append(value)
        style = usage if usage is not None else usage_from(sheet.data.get("usage"), sheet.origin)
        data = styled_brief(brief, style)
        foreign = lang != brief.source.language
        return _limited_render(
            env,
            name,
            brief=data,
            lang=lang,
            audience=audience,
            date_style=date_style,
            untranslated_count=len(untranslated),
            untranslated_passages=untranslated,
            # Participants' names kept as written or romanized, all marked [unverified];
            # the byline is source metadata, shown as written and never marked.
            unverified_names=unverified,
            unverified_byline=unverified_byline,
            organisation=organisation,
            classification=classification,
            memo_author=author or "briefgen",
            shorten=shorten,
            translation_summary=summary_line(brief, lang).partition(" — ")[2] if foreign else "",
            translation_notes=translation_notes(provenance(brief, lang), lang) if foreign else [],
            proper_nouns=proper_nouns(_english(data)),
            # The 簽 and 函 (gongwen, letter): the office's settings in this language and
            # the day the document is dated; helpers for their 主旨 and 說明.
            office=office,
            document_date=dated,
            subject_names=subject_names,
            press_release=press_release,
        )
    except TemplateNotFound as exc:
        if exc.name == name:
            raise TemplateError(f"no template for audience {audience!r} ({name})") from None
        raise TemplateError(f"{name}: includes missing template {exc.name!r}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name or name}:{exc.lineno}: {exc.message}"
        ) from None
    except (UndefinedError, SecurityError, JinjaTemplateError) as exc:
        where = template_line(exc) or name
        raise TemplateError(f"{where}: {_one_line(exc)}") from None
    except BriefgenError:
        raise
    except Exception as exc:  # whatever else a template's expressions raise
        where = template_line(exc) or name
        raise TemplateError(f"{where}: {type(exc).__name__}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


#: Where a brief keeps text that is never restyled: official names of documents and
#: verbatim quotes (as the article has them).
_VERBATIM_PATHS = (("event", "documents", "*", "name"), ("quotes", "*", "text"))
#: How a text was obtained when its English is someone's own words, kept as written: the
#: article's (its source text or a gloss it gives) or a translator's.
_VERBATIM_VIAS = ("source", "gloss", "human")


def styled_brief(brief: Brief, usage: Usage) -> dict[str, Any]:
    """``brief`` as the dict templates get, with ``usage`` applied to every English text
    briefgen produced (termbase, memory, engine …) and to the glossary's termbase forms.
    Never rewritten, anywhere they occur: the names of signed documents, quotes, and
    English the article or a translator wrote."""
    data = brief.model_dump(mode="json")
    protected: set[str] = set()
    for path in _VERBATIM_PATHS:
        for text in _at(data, path):
            if isinstance(text, dict) and text.get("en"):
                protected.add(text["en"])
    for text in _texts(data):
        if (text.get("via") or {}).get("en") in _VERBATIM_VIAS:
            protected.add(text["en"])
    protected |= {g["en"] for g in data.get("glossary", []) if g.get("origin") == "article"}
    for text in _texts(data):
        if text["en"] not in protected and (text.get("via") or {}).get("en") != "untranslated":
            text["en"] = apply_usage(text["en"], usage, protected)
    for entry in data.get("glossary", []):
        entry["en"] = apply_usage(entry["en"], usage, protected)
    return data


def _at(value: Any, path: tuple[str, ...]) -> list[Any]:
    """The values at ``path`` in nested dicts and lists (``*``: every list element)."""
    if not path:
        return [value]
    head, rest = path[0], path[1:]
    if head == "*":
        items = value if isinstance(value, list) else []
        return [found for item in items for found in _at(item, rest)]
    if isinstance(value, dict) and head in value:
        return _at(value[head], rest)
    return []


def _texts(value: Any) -> list[dict[str, Any]]:
    """Every Text dict (one with an ``en`` string and a ``via`` map) in ``value``."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("en"), str) and isinstance(value.get("via"), dict):
            found.append(value)
        for item in value.values():
            found += _texts(item)
    elif isinstance(value, list):
        for item in value:
            found += _texts(item)
    return found


def _english(data: dict[str, Any]) -> list[str]:
    return [text["en"] for text in _texts(data)]


#: Limits on one template rendering: a template that loops forever or produces an
#: enormous document is stopped with a clear error.
MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 20.0


def _limited_render(env: Any, name: str, **context: Any) -> str:
    """The template ``name`` compiled and rendered with ``context`` within
    ``MAX_OUTPUT_CHARS`` and ``MAX_SECONDS`` and the sandbox's limits (see
    ``environment.limited``)."""
    with limited(name, MAX_SECONDS):
        template = env.get_template(name)
        parts: list[str] = []
        size = 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(
                    f"{name}: the template produced more than {MAX_OUTPUT_CHARS:,} characters; "
                    "stopped"
                )
            parts.append(chunk)
        return "".join(parts)


def render(
    brief: Brief,
    audience: str,
    lang: str,
    settings: Settings | None = None,
    *,
    sheet: StyleSheet | None = None,
    shorten: int = 0,
    usage: Usage | None = None,
) -> ir.Document:
    """Render ``brief`` for ``audience`` in ``lang`` into a Document (see
    ``render_markup``). ``shorten`` asks a template that limits its length
    (``<meta name="max_pages">``) to leave out more; ``usage`` overrides the style sheet's
    English usage."""
    markup = render_markup(
        brief, audience, lang, settings, sheet=sheet, shorten=shorten, usage=usage
    )
    return to_document(markup, audience, lang)


def to_document(markup: str, audience: str, lang: str) -> ir.Document:
    """The Document of template output ``markup`` (see ``render``)."""
    doc = parse_markup(markup, origin=template_name(audience), lang=lang)
    doc.meta.lang = lang
    doc.meta.audience = doc.meta.audience or audience
    doc.meta.keywords = [re.sub(r"\s+", " ", k) for k in doc.meta.keywords]
    return doc


# The 簽 and 函 -------------------------------------------------------------------------


def office_values(office: OfficeSettings, lang: str) -> dict[str, Any]:
    """The office settings as the templates see them in ``lang``: each value's half for
    the language (values may be "zh-TW|English"), "" when not given; ``original_to`` and
    ``copies_to`` as lists without empty entries. ``date`` is left out (see
    ``document_day``)."""
    out: dict[str, Any] = {}
    for f in fields(office):
        if f.name == "date":
            continue
        value = getattr(office, f.name)
        if isinstance(value, tuple):
            out[f.name] = [v for v in (for_language(x, lang) for x in value) if v]
        else:
            out[f.name] = for_language(value, lang)
    return out


def document_day(office: OfficeSettings, environ: Mapping[str, str] | None = None) -> date:
    """The day a 簽 or 函 is dated: ``office.date`` when given; else the day it is built —
    the UTC day of ``SOURCE_DATE_EPOCH`` when that is set (reproducible builds), else
    today. A ``SOURCE_DATE_EPOCH`` that is not a number of seconds is one-line error."""
    if office.date:
        return date.fromisoformat(office.date)
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise BriefgenError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}"
            ) from None
    return date.today()


# Brackets and what they hold (（EPPD）, (EPPD), 「…」 left alone); ordinal wording.
_PARENTHETICAL_RE = re.compile(r"\s*(?:（[^（）]*）|\([^()]*\))")
_ORDINAL_RE = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十百零〇]+\s*[屆次輪回]|"
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|inaugural)\s+",
    re.IGNORECASE,
)
# A Chinese name that already says it is a meeting takes 成果 alone, not 會議成果.
_MEETING_END = ("會議", "會談", "論壇", "峰會", "大會", "會晤", "磋商", "研討會", "座談會", "年會")


def _event_text(text: Any, lang: str) -> str | None:
    """The event name's text in ``lang`` when it has one that is not untranslated."""
    if not isinstance(text, Mapping) or not isinstance(text.get(lang), str):
        return None
    if (text.get("via") or {}).get(lang) == "untranslated":
        return None
    return " ".join(text[lang].split()) or None


def subject_names(event: Mapping[str, Any] | None, lang: str) -> list[str]:
    """What a 主旨 (or SUBJECT) may call the meeting, longest first, each one rule
    shorter than the one before, for a template to take the first that keeps its subject
    within its limit: the full title (ordinal, name, abbreviation — 第6屆經濟繁榮夥伴對話
    （EPPD）), without bracketed parts, without the ordinal wording too, the abbreviation
    alone, then "this meeting". In Chinese each is followed by 會議 unless the name says
    it is one (…會議, …論壇, …峰會); in English each has its article ("the EPPD"). Only
    "this meeting" when the event has no name in ``lang`` (none, or untranslated)."""
    gettext = translations(lang).gettext
    chinese = is_cjk(lang)
    event = event if isinstance(event, Mapping) else {}
    name = _event_text(event.get("name"), lang)
    abbr = (event.get("short_name") or "").strip()
    found: list[str] = []
    if name:
        full = gettext("%(name)s (%(abbr)s)") % {"name": name, "abbr": abbr} if abbr else name
        if isinstance(event.get("round"), int) and event["round"] > 0:
            number = ordinal(event["round"], lang)
            full = gettext("%(ordinal)s %(name)s") % {"ordinal": number, "name": full}
        bare = _PARENTHETICAL_RE.sub("", full).strip()
        plain = _ORDINAL_RE.sub("", bare).strip()
        found += [full, bare, plain]
        if abbr:
            found.append(abbr)
    names: list[str] = []
    for candidate in found:
        if chinese and not _PARENTHETICAL_RE.sub("", candidate).endswith(_MEETING_END):
            candidate += "會議"
        elif not chinese:
            candidate = gettext("the %(name)s") % {"name": candidate}
        if candidate and candidate not in names:
            names.append(candidate)
    names.append(gettext("this meeting"))
    return names


_AGENCY_ZH_RE = re.compile(r"(?:部|會|署|局|院|處|府|辦公室|委員會|代表處|協會|基金會)$")
_AGENCY_EN_RE = re.compile(
    r"\b(?:Ministry|Department|Office|Government|Council|Commission|Administration|Embassy|"
    r"Bureau|Agency|Secretariat|White House|Cabinet|Representative|Mission)\b"
)


def press_release(outlet: Any) -> bool:
    """Whether the article's outlet (a Text dict) is a government body — its article a
    press release (新聞稿) — rather than a news outlet (報導): its Chinese name ends like
    an agency's (…部, …委員會, …辦公室) or its English name says it is one (Ministry …,
    Department …, Office …)."""
    if not isinstance(outlet, Mapping):
        return False
    for lang, value in outlet.items():
        if lang in ("via", "ref") or not isinstance(value, str):
            continue
        value = value.strip()
        if is_cjk(lang) and _AGENCY_ZH_RE.search(value):
            return True
        if lang == "en" and _AGENCY_EN_RE.search(value):
            return True
    return False
