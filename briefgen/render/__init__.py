"""render: ``Brief`` x audience x language -> ``ir.Document``.

A Jinja2 template (sandboxed, autoescaped, StrictUndefined, labels from gettext) emits the
strict markup of ``render.markup``, which becomes the IR every writer consumes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from .. import ir
from ..errors import TemplateError
from ..model import Brief, iter_texts
from ..translate import name_ids, summary_line
from .environment import is_untranslated, make_environment
from .markup import parse_markup

TEMPLATE_SUFFIX = ".html.j2"


def template_name(audience: str) -> str:
    """The template file of an audience."""
    return f"{audience}{TEMPLATE_SUFFIX}"


def audiences(template_dirs: Sequence[Path] = ()) -> list[str]:
    """Every audience with a template (built-in or in ``template_dirs``), base excluded."""
    from .environment import builtin_template_dir

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
    template_dirs: Sequence[Path] = (),
    date_style: str = "gregorian",
    organisation: str = "",
    classification: str = "",
    author: str = "",
    shorten: int = 0,
) -> str:
    """The template output (strict markup) for ``brief``. ``organisation`` and
    ``classification`` (e.g. 限閱 / LIMITED DISTRIBUTION) go into the running header."""
    env = make_environment(lang, tuple(str(d) for d in template_dirs))
    name = template_name(audience)
    try:
        template = env.get_template(name)
        names = name_ids(brief)
        untranslated, unverified = [], []
        for t in iter_texts(brief):
            if is_untranslated(t.model_dump(), lang):
                value = t.text.get(brief.source.language) or next(iter(t.text.values()), "")
                (unverified if id(t) in names else untranslated).append(value)
        return _limited_render(
            template,
            name,
            brief=brief.model_dump(mode="json"),
            lang=lang,
            audience=audience,
            date_style=date_style,
            untranslated_count=len(untranslated),
            untranslated_passages=untranslated,
            unverified_names=unverified,
            organisation=organisation,
            classification=classification,
            memo_author=author or "briefgen",
            shorten=shorten,
            translation_summary=summary_line(brief, lang).partition(" — ")[2]
            if lang != brief.source.language
            else "",
        )
    except TemplateNotFound as exc:
        if exc.name == name:
            raise TemplateError(f"no template for audience {audience!r} ({name})") from None
        raise TemplateError(f"{name}: includes missing template {exc.name!r}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name or name}:{exc.lineno}: {exc.message}"
        ) from None
    except (UndefinedError, SecurityError, JinjaTemplateError, TypeError, ValueError) as exc:
        where = _template_line(exc) or name
        raise TemplateError(f"{where}: {exc}") from None


#: Limits on one template rendering: a template that loops forever or produces an
#: enormous document is stopped with a clear error.
MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 20.0


class _Timeout(Exception):
    pass


def _limited_render(template: Any, name: str, **context: Any) -> str:
    """``template.render(**context)`` within ``MAX_OUTPUT_CHARS`` and ``MAX_SECONDS``
    (the time limit needs the main thread of a POSIX process; elsewhere only the size
    limit applies)."""
    import signal
    import threading

    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = None
    if timed:

        def _alarm(signum: int, frame: Any) -> None:
            raise _Timeout

        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
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
    except _Timeout:
        raise TemplateError(
            f"{name}: rendering took longer than {MAX_SECONDS:g} s (a runaway loop?); stopped"
        ) from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _template_line(exc: BaseException) -> str | None:
    """``file:line`` of the innermost template frame in ``exc``'s traceback."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{Path(filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def render(
    brief: Brief,
    audience: str,
    lang: str,
    template_dirs: Sequence[Path] = (),
    date_style: str = "gregorian",
    organisation: str = "",
    classification: str = "",
    author: str = "",
    shorten: int = 0,
) -> ir.Document:
    """Render ``brief`` for ``audience`` in ``lang`` into a Document. ``shorten`` asks a
    template that limits its length (``<meta name="max_pages">``) to leave out more."""
    markup = render_markup(
        brief,
        audience,
        lang,
        template_dirs,
        date_style,
        organisation,
        classification,
        author,
        shorten,
    )
    doc = parse_markup(markup, origin=template_name(audience), lang=lang)
    doc.meta.lang = lang
    doc.meta.audience = doc.meta.audience or audience
    doc.meta.keywords = [re.sub(r"\s+", " ", k) for k in doc.meta.keywords]
    return doc
