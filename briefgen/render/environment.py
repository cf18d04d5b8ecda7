"""The Jinja2 environment templates run in: sandboxed, autoescaped, StrictUndefined, with
gettext labels and filters that turn brief values into safe markup."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import date
from functools import lru_cache, update_wrapper
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, StrictUndefined, TemplateNotFound, nodes, pass_context
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import Concat, EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup, escape

from ..cache import cache_root, digest
from ..diagnostics import Diagnostic, DiagnosticError
from ..languages import for_code
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
    stop = for_code(lang).full_stop
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
    return Markup(_sentence_separator(ctx["lang"])).join(
        t_filter(ctx, text, end=True) for text in texts
    )


def _sentence_separator(lang: str) -> str:
    """What comes between two sentences: nothing in Chinese, a space otherwise."""
    return for_code(lang).sentence_join


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
    sep = _sentence_separator(ctx["lang"])
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
    return Markup(for_code(lang).clause_join).join(parts)


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
    style = for_code(lang).official_calendar if official else ctx.get("date_style", "gregorian")
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


# Limits --------------------------------------------------------------------------------
#
# A template is untrusted code: whatever it does, a build stops it with one line naming
# the template (exit 3). Files: only regular files inside their template directory
# (symlinks resolved), at most MAX_TEMPLATE_BYTES. Values: no string, list or mapping a
# template builds may exceed MAX_VALUE_LEN items, no integer MAX_INT_BITS bits; the
# operators and calls that could (``*``, ``**``, ``+``, ``%``, ``~``, filters such as
# ``center`` or ``indent``, ``lipsum``, methods such as ``str.ljust``) check their operands
# first, so nothing huge is ever allocated -- also not while Jinja folds constants at
# compile time (intercepted operators are never folded). Time: ``limited`` (a deadline
# in a context variable, checked by every loop iteration, operator, call, attribute and
# filter; no signals, so it holds in any thread). Recursion: Python's own limit, reported as
# a template error like memory exhaustion.

#: Largest template file read.
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Longest string, list or mapping a template may build.
MAX_VALUE_LEN = 2_000_000
#: Largest integer (in bits) a template may build.
MAX_INT_BITS = 65_536
#: Most paragraphs ``lipsum`` writes.
MAX_LIPSUM = 100

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("briefgen_deadline", default=None)


class TemplateTimeout(Exception):
    """A template ran past its time limit."""


def template_file_problem(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why the template file ``path`` of the directory ``root`` may not be read (None
    when it may): its real path (symlinks resolved) must lie inside ``root``'s, and it
    must be a regular file of at most ``MAX_TEMPLATE_BYTES``. Nothing is opened."""
    real = os.path.realpath(path)
    top = os.path.realpath(root)
    if os.path.commonpath([real, top]) != top:
        return f"refused: it leads to {real}, outside the template directory {root}"
    try:
        info = os.stat(real)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "refused: not a regular file"
    if info.st_size > MAX_TEMPLATE_BYTES:
        return f"refused: larger than {MAX_TEMPLATE_BYTES:,} bytes"
    return None


class _DirectoryLoader(BaseLoader):
    """Templates from one directory, refusing (with a ``TemplateError``, never by
    falling back to another directory) any file ``template_file_problem`` refuses: a
    symlink to ``/etc/passwd``, a FIFO, a device, an enormous file."""

    def __init__(self, root: str) -> None:
        self.root = root

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self.root, *split_template_path(template))
        if not os.path.lexists(path) or os.path.isdir(path):
            raise TemplateNotFound(template)
        problem = template_file_problem(path, self.root)
        if problem:
            raise _refused_file(template, path, problem)
        with open(os.path.realpath(path), "rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            problem = f"refused: larger than {MAX_TEMPLATE_BYTES:,} bytes"
            raise _refused_file(template, path, problem)
        contents = data.decode("utf-8")
        mtime = os.path.getmtime(path)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(path) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(path), uptodate

    def list_templates(self) -> list[str]:
        return sorted(p.name for p in Path(self.root).glob("*.j2"))


def _refused_file(template: str, path: str, problem: str) -> DiagnosticError:
    """The error for the template file ``path`` (named ``template``) that may not be
    read, for ``problem``."""
    diagnostic = Diagnostic(os.path.normpath(path), None, None, "error", "template.file", problem)
    return DiagnosticError(f"{template}: {problem}", diagnostic)


def _refuse(message: str) -> None:
    raise SecurityError(f"refused: {message}")


def _tick() -> None:
    """Stop a template running past the deadline ``limited`` set."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise TemplateTimeout


def _check_size(value: Any) -> Any:
    """``value``, unless it is a string, list or mapping longer than ``MAX_VALUE_LEN``
    or an integer wider than ``MAX_INT_BITS``."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        if len(value) > MAX_VALUE_LEN:
            _refuse(f"a value of more than {MAX_VALUE_LEN:,} items or characters")
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        _refuse(f"a number of more than {MAX_INT_BITS:,} bits")
    return value


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _count(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _check_count(n: Any) -> None:
    if isinstance(n, int | float) and not isinstance(n, bool) and abs(n) > MAX_VALUE_LEN:
        _refuse(f"a width or count of more than {MAX_VALUE_LEN:,}")


_WIDTH_RE = re.compile(r"\d{8,}")


def _check_format(spec: Any, args: tuple[Any, ...] = ()) -> None:
    """Refuse a format string (``%`` or ``str.format``) that asks for a huge width or
    precision, literally or from an argument (``%*s``, ``{:{}}``)."""
    if not isinstance(spec, str):
        return
    for digits in _WIDTH_RE.findall(spec):
        _check_count(int(digits))
    if "*" in spec or re.search(r"\{[^{}]*\{", spec):
        values = args[0] if len(args) == 1 and isinstance(args[0], tuple | dict) else args
        items = values.values() if isinstance(values, dict) else values
        for value in items:
            _check_count(value)


def _binop_guard(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left operator right`` when its result would exceed the limits."""
    if operator == "**":
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
            _refuse(f"a number of more than {MAX_INT_BITS:,} bits")
    elif operator == "*":
        for seq, n in ((left, right), (right, left)):
            size = _sized(seq)
            if size is not None and isinstance(n, int) and size * n > MAX_VALUE_LEN:
                _refuse(f"a value of more than {MAX_VALUE_LEN:,} items or characters")
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            _refuse(f"a number of more than {MAX_INT_BITS:,} bits")
    elif operator == "+":
        a, b = _sized(left), _sized(right)
        if a is not None and b is not None and a + b > MAX_VALUE_LEN:
            _refuse(f"a value of more than {MAX_VALUE_LEN:,} items or characters")
    elif operator == "%" and isinstance(left, str):
        _check_format(left, right if isinstance(right, tuple) else (right,))


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (a filter) with its arguments checked before it runs (widths and
    counts, format strings, the size of what ``join`` and ``replace`` would make) and
    its result after."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        values = [
            a for a in args if not isinstance(a, Context | EvalContext | SandboxedEnvironment)
        ] + list(kwargs.values())
        if name in ("center", "indent", "wordwrap", "truncate", "batch", "slice"):
            for value in values[1:]:
                _check_count(value)
        if name == "format" and values:
            _check_format(values[0], tuple(values[1:]))
        if name == "join" and values and len(values) > 1:
            sep = _sized(values[1]) or 0
            count = _count(values[0])
            if sep * count > MAX_VALUE_LEN:
                _refuse(f"a value of more than {MAX_VALUE_LEN:,} characters")
        if name == "replace" and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            hits = len(text) + 1 if old == "" else text.count(old)
            if len(text) + hits * max(len(new) - len(old), 0) > MAX_VALUE_LEN:
                _refuse(f"a value of more than {MAX_VALUE_LEN:,} characters")
        return _check_size(function(*args, **kwargs))

    return update_wrapper(wrapper, function)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum``, at most ``MAX_LIPSUM`` paragraphs of at most 1,000 words."""
    if n > MAX_LIPSUM or min > 1000 or max > 1000:
        _refuse(f"lipsum: at most {MAX_LIPSUM} paragraphs of at most 1,000 words")
    return generate_lorem_ipsum(n, html, min, max)


class _TickingIterable:
    """``iterable``, checking the deadline before each item; sized when it is (so a
    loop's ``loop.length`` stays lazy)."""

    __slots__ = ("_iterable",)

    def __init__(self, iterable: Any) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        for item in self._iterable:
            _tick()
            yield item

    def __len__(self) -> int:
        return len(self._iterable)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` checked like ``a + b`` and every ``for``
    loop checking the deadline at each iteration (a loop whose body calls nothing, such
    as nested ``range`` loops, is stopped too)."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            # ``for x in seq`` -> ``for x in environment.ticking(seq)``
            ticking = nodes.EnvironmentAttribute("ticking", lineno=loop.iter.lineno)
            loop.iter = nodes.Call(ticking, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class Environment(SandboxedEnvironment):
    """The sandbox, with ``limited``'s checks (see *Limits* above), and one change: on
    a mapping, ``x.name`` means the key ``name`` when there is one, so ``brief.items``
    is the agenda, not ``dict.items``."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _binop_guard(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def ticking(self, iterable: Any) -> Any:
        """``iterable`` (what a ``for`` loop walks), checking the deadline at each item."""
        _tick()
        if iterable is None or isinstance(iterable, self.undefined):
            return iterable  # fails (or records) as the loop would
        return _TickingIterable(iterable)

    def checked(self, value: Any) -> Any:
        """``value`` (what ``~`` joined), unless it is too long."""
        _tick()
        return _check_size(value)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str | bytes | list | tuple | dict | set):
            for value in (*args, *kwargs.values()):
                _check_count(value)
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_format(owner, (*args, *kwargs.values()))
            if getattr(__obj, "__name__", "") == "join" and args:
                sep, count = len(owner), _count(args[0])
                if sep * count > MAX_VALUE_LEN:
                    _refuse(f"a value of more than {MAX_VALUE_LEN:,} characters")
        result = super().call(__context, __obj, *args, **kwargs)
        if owner is not None and not isinstance(owner, str | bytes):
            _check_size(owner)  # list.extend, dict.update … grow their owner
        return _check_size(result)


@contextlib.contextmanager
def limited(name: str, seconds: float) -> Iterator[None]:
    """Run a template's compilation and rendering within ``seconds`` and the value
    limits; any failure becomes a ``TemplateError`` naming ``name`` (or the template line,
    when known): time, recursion (macros or includes calling themselves, expressions
    nested too deeply), memory, refused operations.

    The deadline lives in a context variable, so it holds in any thread and process and
    installs nothing process-wide (no signal, no timer): every loop iteration, call,
    attribute, item, operator and filter of the template checks it. Nested use keeps the
    outer (earlier) deadline."""
    outer = _DEADLINE.get()
    deadline = time.monotonic() + seconds
    if outer is not None:
        deadline = min(deadline, outer[0])
        seconds = outer[1]
    token = _DEADLINE.set((deadline, seconds))
    try:
        yield
    except TemplateTimeout:
        message = f"rendering took longer than {seconds:g} s (a runaway loop?); stopped"
        raise _stopped(name, None, "limit.time", message) from None
    except RecursionError as exc:
        message = (
            "recursion too deep (a macro or include calling itself, or an expression "
            "nested too deeply); stopped"
        )
        raise _stopped(name, exc, "limit.recursion", message) from None
    except MemoryError as exc:
        raise _stopped(name, exc, "limit.memory", "out of memory; stopped") from None
    finally:
        _DEADLINE.reset(token)


def _stopped(name: str, exc: BaseException | None, code: str, message: str) -> DiagnosticError:
    """The error for the template ``name`` stopped by a limit while ``exc`` was raised
    (at its innermost template line, when known)."""
    where = template_location(exc) if exc is not None else None
    file, line = where or (name, None)
    shown = f"{Path(file).name}:{line}" if where else name
    diagnostic = Diagnostic(file, line, None, "error", code, message)
    return DiagnosticError(f"{shown}: {message}", diagnostic)


def template_location(exc: BaseException) -> tuple[str, int] | None:
    """``(file, line)`` of the innermost template frame in ``exc``'s traceback (which
    Jinja rewrites to point at template lines)."""
    tb: TracebackType | None = exc.__traceback__
    found = None
    while tb is not None:
        frame = tb.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
            found = (template.filename or template.name or "?", line)
        elif frame.f_code.co_filename.endswith(".j2"):
            found = (frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_line(exc: BaseException) -> str | None:
    """``file:line`` (the file's name only) of the innermost template frame in ``exc``'s
    traceback."""
    where = template_location(exc)
    return f"{Path(where[0]).name}:{where[1]}" if where else None


@lru_cache(maxsize=16)
def make_environment(lang: str, template_dirs: tuple[str, ...] = ()) -> SandboxedEnvironment:
    """A sandboxed environment for ``lang`` that finds templates in ``template_dirs``
    first, then among the built-in ones (one per arguments, kept: compiled templates are
    reused). Compiled templates are also kept on disk (see ``template_bytecode_cache``),
    so a new process compiles only templates it has not seen."""
    env = new_environment(lang, template_dirs)
    env.bytecode_cache = template_bytecode_cache()
    return env


def template_bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's on-disk cache of compiled templates, in a directory of the user cache
    named by the Jinja version and this module's source (which defines the code the
    sandbox compiles to), so a different briefgen or Jinja never reads another's code;
    Jinja itself recompiles a template whose source changed and writes entries
    atomically. None when the cache directory cannot be made."""
    import hashlib

    import jinja2

    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    directory = cache_root() / "templates" / digest("jinja", jinja2.__version__, source)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(directory))


def new_environment(
    lang: str, template_dirs: tuple[str, ...] = (), kind: type[Environment] | None = None
) -> Environment:
    """A new environment like ``make_environment``'s, of the class ``kind`` (a subclass
    of ``Environment``, by default ``Environment`` itself)."""
    loaders = [_DirectoryLoader(d) for d in template_dirs]
    loaders.append(_DirectoryLoader(str(builtin_template_dir())))
    env = (kind or Environment)(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, function)
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
    env.globals.update(level_order=LEVEL_ORDER, lipsum=_lipsum)
    return env
