"""Template tooling behind ``briefgen templates``: where each audience's template comes
from (``template_sources``), copying the built-in ones for editing (``init_templates``)
and finding every problem in a directory of templates before a build does
(``check_templates``).

The check renders each audience against sample briefs (``samples.sample_briefs``) in
every output language, in the sandbox a build uses, with two differences made by
compiling the templates for the check (``_CheckEnvironment``): an undefined value is
recorded (with the template line of the expression it came from) instead of stopping
the render, and the output carries marks of the template line each piece comes from.
The marks are taken out again and the output read by the markup parser
(``markup.read_markup``), whose diagnostics they map back to template lines. The style
sheets are checked by ``styles.check_stylesheet_layers`` and the labels against the
catalogs. Every problem is a ``Diagnostic``, listed as ``FILE:LINE: message``.

Output captured by ``{% set x %}…{% endset %}`` or ``{% filter %}`` is left unmarked
(a template may measure or compare it; its problems are placed at the line showing it).
Known limit: a template that measures or compares a macro's output (``{{ m()|length
}}``) sees the marks in the check, not in a build.
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, Undefined, nodes, pass_context
from jinja2.compiler import Frame
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context

from .. import render as _render_module
from ..diagnostics import Diagnostic, DiagnosticError
from ..errors import BriefgenError, OutputError
from ..languages import OUTPUT_LANGS
from ..settings import Settings
from ..styles import check_stylesheet_layers, stylesheet_layers
from . import TEMPLATE_SUFFIX, template_name
from .environment import (
    Environment,
    builtin_template_dir,
    limited,
    make_environment,
    new_environment,
    template_file_problem,
    template_location,
)
from .i18n import DOMAIN, LOCALES
from .markup import read_markup
from .samples import SEED, Sample, sample_briefs

STYLES_FILE = "styles.yaml"


# Where templates come from -----------------------------------------------------------


def _is_audience_file(path: Path) -> bool:
    name = path.name[: -len(TEMPLATE_SUFFIX)]
    return path.name.endswith(TEMPLATE_SUFFIX) and not name.startswith("_") and name != "base"


def _audience_files(directory: Path) -> dict[str, Path]:
    return {
        p.name[: -len(TEMPLATE_SUFFIX)]: p
        for p in sorted(Path(directory).glob(f"*{TEMPLATE_SUFFIX}"))
        if p.is_file() and _is_audience_file(p)
    }


@dataclass(frozen=True)
class TemplateSource:
    """The template an audience is rendered with, given some ``--templates`` dirs."""

    audience: str
    path: Path
    #: The directory it was found in, None for the built-in templates.
    directory: Path | None
    #: A user template that replaces the built-in one of the same name.
    overrides: bool
    #: Templates of the same name in later directories, which are not used.
    shadowed: tuple[Path, ...] = ()

    @property
    def builtin(self) -> bool:
        return self.directory is None


def template_sources(template_dirs: Sequence[Path] = ()) -> list[TemplateSource]:
    """Every audience and the file it comes from. Directories are searched the way
    ``make_environment`` orders its loaders: the user's, in the order given, then the
    built-in one; the first that has the template wins."""
    builtin = _audience_files(builtin_template_dir())
    found: dict[str, TemplateSource] = {}
    for directory in (*[Path(d) for d in template_dirs], None):
        files = builtin if directory is None else _audience_files(directory)
        for audience, path in files.items():
            if audience in found:
                first = found[audience]
                found[audience] = TemplateSource(
                    first.audience,
                    first.path,
                    first.directory,
                    first.overrides,
                    first.shadowed + ((path,) if directory is not None else ()),
                )
                continue
            found[audience] = TemplateSource(
                audience, path, directory, directory is not None and audience in builtin
            )
    return [found[a] for a in sorted(found)]


def shared_overrides(template_dirs: Sequence[Path] = ()) -> list[Path]:
    """The shared (non-audience) templates and the style sheet the user directories
    provide: what every audience picks up from them."""
    out: list[Path] = []
    seen: set[str] = set()
    for directory in template_dirs:
        for path in sorted(Path(directory).iterdir()):
            shared = path.name == STYLES_FILE or (
                path.name.endswith(".j2") and not _is_audience_file(path)
            )
            if path.is_file() and shared and path.name not in seen:
                seen.add(path.name)
                out.append(path)
    return out


def builtin_files(audiences: Sequence[str] = ()) -> list[str]:
    """The built-in files ``templates init`` copies: the audiences' templates (all when
    none are named), the base template and partials (``_*.j2``), the style sheet and the
    audiences' own style sheets (``<audience>.styles.yaml``)."""
    root = builtin_template_dir()
    known = _audience_files(root)
    for audience in audiences:
        if audience not in known:
            raise BriefgenError(
                f"no built-in template for audience {audience!r} "
                f"(built-in: {', '.join(sorted(known))})"
            )
    names = [template_name(a) for a in dict.fromkeys(audiences or sorted(known))]
    names += sorted(
        p.name
        for p in root.glob("*.j2")
        if p.is_file() and not _is_audience_file(p) and p.name not in names
    )
    sheets = [
        f"{a}.styles.yaml"
        for a in dict.fromkeys(audiences or sorted(known))
        if (root / f"{a}.styles.yaml").is_file()
    ]
    return [*names, STYLES_FILE, *sheets]


def init_templates(
    directory: Path, audiences: Sequence[str] = (), force: bool = False
) -> list[Path]:
    """Copy built-in templates into ``directory`` (created if needed) for editing; return
    the files written. Refuses, writing nothing, when one exists, unless ``force``."""
    from ..deliver import atomic_write

    names = builtin_files(audiences)
    targets = [directory / name for name in names]
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory} exists and is not a directory")
    if not force:
        for target in targets:
            if target.exists():
                raise BriefgenError(f"{target} already exists (use --force to overwrite)")
    root = resources.files("briefgen") / "templates"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, target in zip(names, targets, strict=True):
            atomic_write(target, (root / name).read_bytes())
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write: {exc.strerror or exc}") from None
    return targets


def render_context(sample: Sample, audience: str, lang: str) -> dict[str, Any]:
    """The variables a build passes the template of ``audience`` for ``sample``."""
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as tmp:
        return _ContextCapture(Path(tmp))(sample, audience, lang)


class _ContextCapture:
    """The variables a build passes a template, taken from ``render.render_markup``
    itself (so the check never falls out of step with it): it renders, from a private
    directory, a template that only hands its context to a capturing function."""

    _FUNCTION = "briefgen_check_capture"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.captured: dict[str, Any] = {}

    def __call__(self, sample: Sample, audience: str, lang: str) -> dict[str, Any]:
        from . import render_markup

        path = self.directory / template_name(audience)
        if not path.exists():
            path.write_text(f"{{{{ {self._FUNCTION}() }}}}", encoding="utf-8")
        env = make_environment(lang, (str(self.directory),))
        if self._FUNCTION not in env.globals:

            @pass_context
            def capture(ctx: Context) -> str:
                self.captured = dict(ctx.get_all())
                return ""

            env.globals[self._FUNCTION] = capture
        self.captured = {}
        settings = Settings(
            template_dirs=(self.directory,),
            date_style=sample.date_style,
            organisation=sample.organisation,
            classification=sample.classification,
            office=sample.office,
        )
        render_markup(sample.brief, audience, lang, settings)
        return {k: v for k, v in self.captured.items() if env.globals.get(k, k) is not v}


# Problems -------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What ``check_templates`` found."""

    problems: list[Diagnostic]
    #: Every template file checked (the directory's, and the built-in ones rendered).
    templates: list[str]
    audiences: list[str]
    samples: list[str]
    langs: tuple[str, ...] = OUTPUT_LANGS

    @property
    def files_with_problems(self) -> list[str]:
        return sorted({p.file for p in self.problems})

    @property
    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) in {len(self.files_with_problems)} template(s)"


def _display(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.fspath(path))


class _Problems:
    """Diagnostics as they are found; the same one found again (another language,
    sample or audience) is kept once, noting the languages it shows up in."""

    def __init__(self, langs: Sequence[str]) -> None:
        self.langs = set(langs)
        self.found: dict[tuple[str, int, str], tuple[Diagnostic, set[str] | None]] = {}

    def add(self, found: Diagnostic, lang: str | None = None) -> None:
        message = " ".join(found.message.split())
        key = (_display(found.file), found.line or 1, message)
        if key not in self.found:
            self.found[key] = (found, None if lang is None else set())
        langs = self.found[key][1]
        if lang is None:
            self.found[key] = (found, None)
        elif langs is not None:
            langs.add(lang)

    def result(self) -> list[Diagnostic]:
        out = []
        for (file, line, message), (found, langs) in self.found.items():
            if langs and langs != self.langs:
                message += f" ({', '.join(sorted(langs))} only)"
            out.append(Diagnostic(file, line, found.column, found.severity, found.code, message))
        return sorted(out, key=lambda p: (p.file, p.line or 1, p.message))


def _problem(file: str, line: int | None, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, None, "error", code, message)


# The check's environment: undefined values recorded, output marked ------------------------


@dataclass(frozen=True)
class _Place:
    """A place in a template: ``literal`` for template text (whose lines can be counted
    on), else an expression (whose output is the expression's line)."""

    file: str
    line: int
    literal: bool = False


class _Run:
    """What one render records: each undefined value used (where, message, a sandbox
    refusal?) and the last place an expression was evaluated."""

    def __init__(self) -> None:
        self.undefined: list[tuple[_Place | None, str, bool]] = []
        self.last: _Place | None = None


_RUN: ContextVar[_Run | None] = ContextVar("briefgen_check_run", default=None)

#: A mark in check output: the number of a ``_Place`` between two private-use characters.
_MARK_RE = re.compile("\ue000(\\d+)\ue001")


class _RecordingUndefined(Undefined):
    """Fails exactly where ``StrictUndefined`` fails, but records the failure (at the
    place of the expression that made the value, else of the last one evaluated) and
    carries on as an empty value, so one render finds them all."""

    __slots__ = ("_briefgen_place",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._briefgen_place: _Place | None = None

    def _record(self) -> None:
        run = _RUN.get()
        if run is None:
            # Outside a render: Jinja folding a constant expression while it compiles
            # (``{{ ''.__class__ }}``). Fail as a build does, so that the expression is
            # left to the render, which records it.
            raise self._undefined_exception(self._undefined_message)
        security = issubclass(self._undefined_exception, SecurityError)
        run.undefined.append((self._briefgen_place or run.last, self._undefined_message, security))

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        self._record()
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = _fail_with_undefined_error
    __mul__ = __rmul__ = __div__ = __rdiv__ = _fail_with_undefined_error
    __truediv__ = __rtruediv__ = _fail_with_undefined_error
    __floordiv__ = __rfloordiv__ = _fail_with_undefined_error
    __mod__ = __rmod__ = _fail_with_undefined_error
    __pos__ = __neg__ = _fail_with_undefined_error
    __call__ = __getitem__ = _fail_with_undefined_error
    __lt__ = __le__ = __gt__ = __ge__ = _fail_with_undefined_error
    __pow__ = __rpow__ = _fail_with_undefined_error

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        return self._fail_with_undefined_error()

    def __int__(self) -> int:
        self._record()
        return 0

    def __float__(self) -> float:
        self._record()
        return 0.0

    def __complex__(self) -> complex:
        self._record()
        return 0j

    def __str__(self) -> str:
        self._record()
        return ""

    def __iter__(self) -> Any:
        self._record()
        return iter(())

    def __len__(self) -> int:
        self._record()
        return 0

    def __bool__(self) -> bool:
        self._record()
        return False

    def __eq__(self, other: object) -> bool:
        self._record()
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        self._record()
        return id(type(self))

    def __contains__(self, item: object) -> bool:
        self._record()
        return False


class _CheckCodeGenerator(Environment.code_generator_class):  # type: ignore[misc,name-defined]
    """A build's code generator, plus: each piece of output is preceded by a mark of
    its template place, and the value of each name, attribute, item, filter, test and
    call passes ``environment.located`` with its place."""

    environment: _CheckEnvironment
    #: Inside a ``{% set %}…{% endset %}``, ``{% filter %}`` or ``{% call %}`` block:
    #: output that a template may measure or compare (a caller's output is what the called
    #: macro gets), so it stays unmarked, as in a build.
    _capturing = 0

    def visit_CallBlock(self, node: nodes.CallBlock, frame: Frame) -> None:
        self._capturing += 1
        try:
            super().visit_CallBlock(node, frame)
        finally:
            self._capturing -= 1

    def visit_AssignBlock(self, node: nodes.AssignBlock, frame: Frame) -> None:
        self._capturing += 1
        try:
            super().visit_AssignBlock(node, frame)
        finally:
            self._capturing -= 1

    def visit_FilterBlock(self, node: nodes.FilterBlock, frame: Frame) -> None:
        self._capturing += 1
        try:
            super().visit_FilterBlock(node, frame)
        finally:
            self._capturing -= 1

    def _place(self, node: nodes.Node, literal: bool = False) -> int:
        return self.environment.place(self.filename or self.name or "?", node.lineno, literal)

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        if self._capturing:
            super().visit_Output(node, frame)
            return
        marked: list[nodes.Expr] = []
        for child in node.nodes:
            number = self._place(child, isinstance(child, nodes.TemplateData))
            marked += [nodes.TemplateData(f"\ue000{number}\ue001", lineno=child.lineno), child]
        node.nodes = marked
        super().visit_Output(node, frame)

    def _located(
        self, visit: Callable[..., None], node: nodes.Expr, frame: Frame, **kw: Any
    ) -> None:
        self.write(f"environment.located({self._place(node)}, ")
        visit(node, frame, **kw)
        self.write(")")

    def visit_Name(self, node: nodes.Name, frame: Frame) -> None:
        if node.ctx != "load":
            super().visit_Name(node, frame)
        else:
            self._located(super().visit_Name, node, frame)

    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        self._located(super().visit_Getattr, node, frame)

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        self._located(super().visit_Getitem, node, frame)

    def visit_Filter(self, node: nodes.Filter, frame: Frame) -> None:
        self._located(super().visit_Filter, node, frame)

    def visit_Test(self, node: nodes.Test, frame: Frame) -> None:
        self._located(super().visit_Test, node, frame)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        self._located(super().visit_Call, node, frame, forward_caller=forward_caller)


class _CheckEnvironment(Environment):
    """A build's environment compiling templates for the check (see
    ``_CheckCodeGenerator``); its places are those of the templates it compiled."""

    code_generator_class = _CheckCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places: list[_Place] = []
        self._numbers: dict[_Place, int] = {}

    def place(self, file: str, line: int, literal: bool) -> int:
        """The number of a template place (given once, at compile time)."""
        key = _Place(_display(file), line, literal)
        if key not in self._numbers:
            self._numbers[key] = len(self.places)
            self.places.append(key)
        return self._numbers[key]

    def located(self, number: int, value: Any) -> Any:
        """``value``, evaluated at place ``number``: the last place of the render, and
        the place of an undefined value that has none yet."""
        place = self.places[number]
        run = _RUN.get()
        if run is not None:
            run.last = place
        if isinstance(value, _RecordingUndefined) and value._briefgen_place is None:
            value._briefgen_place = place
        return value


def _check_environment(lang: str, directory: Path) -> _CheckEnvironment:
    """A new check environment for ``lang`` finding templates in ``directory`` first."""
    env = new_environment(lang, (str(directory),), _CheckEnvironment)
    env.undefined = _RecordingUndefined
    return env  # type: ignore[return-value]


@dataclass
class _Render:
    """One template rendered for the check: its output (marks taken out), where each
    piece of it comes from, the undefined values used and what stopped it."""

    markup: str = ""
    #: Offsets in ``markup`` where a piece starts, and the place each comes from.
    starts: list[int] = field(default_factory=list)
    places: list[_Place] = field(default_factory=list)
    undefined: list[tuple[_Place | None, str, bool]] = field(default_factory=list)
    error: Diagnostic | None = None
    line_starts: list[int] = field(default_factory=list)

    def place_of(self, line: int, column: int | None) -> tuple[str, int] | None:
        """The template file and line that wrote ``markup`` at ``line``, ``column``."""
        offset = self.line_starts[min(line, len(self.line_starts)) - 1] + (column or 1) - 1
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        place = self.places[index]
        more = self.markup.count("\n", self.starts[index], offset) if place.literal else 0
        return place.file, place.line + more


def _render(env: _CheckEnvironment, template: Template, context: dict[str, Any]) -> _Render:
    """Render ``template`` with ``context`` within a build's limits, recording instead of
    stopping where it can."""
    out = _Render()
    run = _Run()
    token = _RUN.set(run)
    parts: list[str] = []
    size = 0
    name = template.name or "?"
    limit = _render_module.MAX_OUTPUT_CHARS
    try:
        with limited(name, _render_module.MAX_SECONDS):
            for piece in template.generate(context):
                parts.append(piece)
                size += len(piece)
                if size > limit and len(_MARK_RE.sub("", "".join(parts))) > limit:
                    message = f"the template produced more than {limit:,} characters; stopped"
                    raise DiagnosticError(message, _problem(name, None, "limit.output", message))
    except DiagnosticError as exc:  # a limit, a file refused
        out.error = exc.diagnostic
    except TemplateSyntaxError as exc:
        file = exc.filename or exc.name or "?"
        out.error = _problem(file, exc.lineno, "syntax", f"syntax error: {exc.message}")
    except Exception as exc:
        file, line = template_location(exc) or (template.filename or name, None)
        if isinstance(exc, TemplateNotFound):
            code, message = "template.missing", f"template {exc.name!r} not found"
        elif isinstance(exc, SecurityError):
            code, message = "sandbox", f"sandbox: {exc}"
        elif isinstance(exc, UndefinedError):
            code, message = "undefined", f"undefined: {exc}"
        elif isinstance(exc, BriefgenError):
            code, message = "runtime", str(exc)
        else:
            code, message = "runtime", f"{type(exc).__name__}: {exc}"
        out.error = _problem(file, line, code, message)
    finally:
        _RUN.reset(token)
    marked = "".join(parts)
    plain: list[str] = []
    position = length = 0
    for mark in _MARK_RE.finditer(marked):
        plain.append(marked[position : mark.start()])
        length += mark.start() - position
        out.starts.append(length)
        out.places.append(env.places[int(mark.group(1))])
        position = mark.end()
    plain.append(marked[position:])
    out.markup = "".join(plain)
    out.line_starts = [0] + [m.end() for m in re.finditer("\n", out.markup)]
    out.undefined = run.undefined
    return out


# The check --------------------------------------------------------------------------------


def _catalog(lang: str) -> Catalog:
    locale = LOCALES[lang]
    ref = resources.files("briefgen") / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with ref.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _check_labels(files: Sequence[Path], problems: _Problems) -> None:
    """Every label of the templates must have a translation in each non-English catalog
    (the labels are English, so the English catalog may leave them empty)."""
    catalogs = {lang: _catalog(lang) for lang in LOCALES if not lang.startswith("en")}
    for path in files:
        try:
            messages = extract_from_file(
                "jinja2", str(path), options={"trim_blocks": "True", "lstrip_blocks": "True"}
            )
        except Exception:
            continue
        for lineno, message, _comments, context in messages:
            msgid = message[0] if isinstance(message, tuple | list) else message
            if not msgid:
                continue
            for lang, catalog in catalogs.items():
                entry = catalog.get(message, context)
                strings = () if entry is None else entry.string
                strings = strings if isinstance(strings, tuple) else (strings,)
                if entry is None or not all(strings):
                    text = f"label '{msgid}' has no {lang} translation"
                elif entry.fuzzy:
                    text = f"label '{msgid}' has only a fuzzy {lang} translation, which is not used"
                else:
                    continue
                problems.add(Diagnostic(str(path), lineno, None, "warning", "label", text))


def _check_stylesheets(
    directory: Path, audiences: Sequence[str], langs: Sequence[str], problems: _Problems
) -> dict[tuple[str, str], frozenset[str]]:
    """Report the problems of the style sheets of each audience as a build layers them
    (the built-in ones, then the directory's); return the style names of each
    ``(audience, language)``."""
    names: dict[tuple[str, str], frozenset[str]] = {}
    for audience in audiences:
        layers = stylesheet_layers(builtin_template_dir(), (directory,), audience)
        found = check_stylesheet_layers(layers, langs)
        for diagnostic in found.diagnostics:
            problems.add(diagnostic)
        for lang in langs:
            for diagnostic in found.by_lang.get(lang, []):
                problems.add(diagnostic, lang)
            names[audience, lang] = found.names[lang]
    return names


def check_templates(
    directory: Path, samples: Sequence[Sample] | None = None, langs: Sequence[str] = OUTPUT_LANGS
) -> CheckResult:
    """Every problem of the templates in ``directory`` (and of the built-in templates
    they use), found by compiling them, checking their labels against the catalogs and
    their style sheets, and rendering every audience they affect against ``samples`` in
    each of ``langs``."""
    directory = Path(directory)
    samples = list(samples) if samples is not None else sample_briefs()
    problems = _Problems(langs)
    files = []
    for path in sorted(p for p in directory.rglob("*.j2") if p.is_file() or p.is_symlink()):
        # Refused as a build refuses it (a symlink out of the directory, a FIFO …),
        # and then never read.
        problem = template_file_problem(path, directory)
        if problem:
            problems.add(_problem(str(path), None, "template.file", problem))
        else:
            files.append(path)

    # 1. Every template compiles (within a build's limits).
    env = _check_environment(langs[0], directory)
    for path in files:
        _compile(env, path.relative_to(directory).as_posix(), problems, str(path))

    # 2. Every label has a translation.
    _check_labels(files, problems)

    # 3. Each audience's style sheets, as a build layers them.
    builtin = set(_audience_files(builtin_template_dir()))
    own = set(_audience_files(directory))
    names = _check_stylesheets(directory, sorted(own | builtin), langs, problems)

    # 4. Render each audience the directory affects: its own, and the built-in ones
    # when it replaces something they share (base, partials, the style sheet).
    shared = any(not _is_audience_file(p) for p in files) or (directory / STYLES_FILE).is_file()
    audiences = sorted(own | (builtin if shared else set()))
    used: set[str] = {_display(p) for p in files}
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as tmp:
        contexts = _ContextCapture(Path(tmp))
        timed_out: set[str] = set()
        for lang in langs:
            env = _check_environment(lang, directory)
            for audience in audiences:
                for sample in samples:
                    if audience in timed_out:
                        break  # one run past the time limit is enough to report
                    context = contexts(sample, audience, lang)
                    sheet = names[audience, lang]
                    if _check_render(env, audience, lang, sample, context, sheet, problems):
                        timed_out.add(audience)
            used.update(_display(t.filename) for t in env.cache.values() if t.filename)
    return CheckResult(
        problems=problems.result(),
        templates=sorted(used),
        audiences=audiences,
        samples=[s.name for s in samples],
        langs=tuple(langs),
    )


def _compile(
    env: _CheckEnvironment, name: str, problems: _Problems, path: str | None = None
) -> Template | None:
    """The template ``name`` compiled within a build's limits; None, reporting why,
    when it cannot be."""
    try:
        with limited(name, _render_module.MAX_SECONDS):
            return env.get_template(name)
    except TemplateSyntaxError as exc:
        file = exc.filename or path or name
        problems.add(_problem(file, exc.lineno, "syntax", f"syntax error: {exc.message}"))
    except UnicodeDecodeError as exc:
        problems.add(
            _problem(path or name, None, "template.encoding", f"not UTF-8 text: {exc.reason}")
        )
    except DiagnosticError as exc:
        problems.add(exc.diagnostic)
    except TemplateNotFound:
        pass  # an audience without a template: nothing to check
    return None


#: Markup diagnostics that hold also for output cut short by an error.
_PARTIAL_CODES = {"markup.element", "markup.attribute", "markup.class"}


def _check_render(
    env: _CheckEnvironment,
    audience: str,
    lang: str,
    sample: Sample,
    context: dict[str, Any],
    styles: frozenset[str],
    problems: _Problems,
) -> bool:
    """Render and check one audience for one sample and language; True when the render
    ran past the time limit."""
    template = _compile(env, template_name(audience), problems)
    if template is None:
        return False
    audience_file = _display(template.filename or template_name(audience))
    render = _render(env, template, context)
    undefined_at: set[tuple[str, int]] = set()
    for place, message, security in render.undefined:
        file, line = (place.file, place.line) if place else (audience_file, None)
        code, prefix = ("sandbox", "sandbox: ") if security else ("undefined", "undefined: ")
        problems.add(_problem(file, line, code, prefix + message), lang)
        if place:
            undefined_at.add((place.file, place.line))
    error = render.error
    if error is not None and (_display(error.file), error.line) not in undefined_at:
        once = error.code in ("syntax", "limit.time")
        problems.add(error, None if once else lang)
    for found in read_markup(render.markup, audience_file, lang, styles).diagnostics:
        if error is not None and found.code not in _PARTIAL_CODES:
            continue  # the markup is incomplete
        where = render.place_of(found.line, found.column) if found.line else None
        message = found.message
        if found.line and where is None:
            memo = f"the {lang} {audience} memo of sample {sample.name!r}"
            message = f"markup line {found.line} of {memo}: {message}"
        file, line = where or (audience_file, None)
        problems.add(Diagnostic(file, line, None, found.severity, found.code, message), lang)
    return error is not None and error.code == "limit.time"


__all__ = [
    "SEED",
    "CheckResult",
    "Sample",
    "TemplateSource",
    "builtin_files",
    "check_templates",
    "init_templates",
    "render_context",
    "sample_briefs",
    "shared_overrides",
    "template_sources",
]
