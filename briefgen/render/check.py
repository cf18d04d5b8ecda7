"""Template tooling behind ``briefgen templates``: where each audience's template comes
from (``template_sources``), copying the built-in ones for editing (``init_templates``)
and finding every problem in a directory of templates before a build does
(``check_templates``).

The check renders each audience against sample briefs built in code (``sample_briefs``;
plus the repository's seed article when it is there) in every output language, in the
same sandboxed environment a build uses, except that an undefined value is recorded
instead of stopping the render, so one run reports every problem: syntax errors,
undefined values, labels the zh-TW catalog cannot translate, markup the IR does not know,
style classes the style sheet does not define and sandbox violations — each as
``FILE:LINE: message``.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2 import (
    Environment,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    pass_context,
)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context

from ..errors import BriefgenError, OutputError, TemplateError
from ..model import (
    OUTPUT_LANGS,
    AgendaItem,
    Brief,
    Dropped,
    Event,
    GlossEntry,
    Level,
    Participant,
    Point,
    Quote,
    Sentence,
    SignedDocument,
    SourceInfo,
    Span,
    Statement,
    Text,
    Timing,
    Via,
)
from ..styles import (
    StyleSheet,
    StyleSheetError,
    _merge,
    check_logo,
    length,
    read_stylesheet_data,
    read_stylesheet_file,
    schema_problems,
)
from ..translate.usage import Usage, usage_from
from . import TEMPLATE_SUFFIX, template_name
from .environment import (
    builtin_template_dir,
    limited,
    make_environment,
    template_file_problem,
)
from .i18n import DOMAIN, LOCALES
from .markup import _ATTRS, _BLOCK_TAGS, _INLINE_TAGS, parse_markup

STYLES_FILE = "styles.yaml"
#: The seed article of the repository; a sample too when briefgen runs from a checkout.
SEED = Path(__file__).resolve().parents[2] / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
#: Style names the writers know without a style-sheet entry: ``<hr class="page-break">``.
_SPECIAL_CLASSES = {("hr", "page-break")}
#: The elements the markup may use.
_ELEMENTS = _BLOCK_TAGS | _INLINE_TAGS | {"meta"}
#: Style properties that are lengths.
_LENGTH_KEYS = ("space_before", "space_after", "indent", "first_line_indent", "padding")


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


# Sample briefs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """A brief to render templates with, and the options to render it with."""

    name: str
    brief: Brief
    date_style: str = "gregorian"
    #: ``zh-TW|English`` values, as on the command line.
    organisation: str = ""
    classification: str = ""


_NAME = "name: no verified spelling"


def _zh(zh: str, en: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in zh-TW with its English, obtained ``via``; without English it
    is left untranslated (as ``translate`` leaves it: the source text, marked)."""
    text = Text(text={"zh-TW": zh, "en": zh if en is None else en})
    text.via.update({"zh-TW": Via.SOURCE, "en": Via.UNTRANSLATED if en is None else via})
    if ref:
        text.ref["en"] = ref
    return text


def _en(en: str, zh: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in English with its zh-TW (untranslated without one)."""
    text = Text(text={"en": en, "zh-TW": en if zh is None else zh})
    text.via.update({"en": Via.SOURCE, "zh-TW": Via.UNTRANSLATED if zh is None else via})
    if ref:
        text.ref["zh-TW"] = ref
    return text


def _span(para: int | None) -> Span | None:
    return None if para is None else Span(paragraph=para, start=0, end=4)


def _s(text: Text, para: int | None = None) -> Sentence:
    return Sentence(text=text, source=_span(para))


def _p(text: Text, level: Level, actor: Text | None = None, para: int | None = None) -> Point:
    return Point(text=text, commitment=level, actor=actor, source=_span(para))


def _i(
    number: int,
    label: str,
    title: Text | None,
    points: Sequence[Point] = (),
    items: Sequence[Any] = (),
) -> AgendaItem:
    return AgendaItem(
        number=number, label=label, title=title, points=list(points), items=list(items)
    )


def _rich_sample() -> Sample:
    """A Chinese readout with everything: nested agenda items (one a single point that
    repeats its title), every commitment level, participants with and without titles,
    documents, topics, next steps, a notice, a glossary, two untranslated passages, two
    names without a verified spelling and a romanized one."""
    tb = Via.TERMBASE
    both, us = _zh("雙方", "Both sides", tb), _zh("美方", "The US", tb)
    items = [
        _i(
            1,
            "一、",
            _zh("供應鏈安全", "Supply chain security"),
            [
                _p(
                    _zh("雙方同意強化合作", "Both sides agreed to cooperate"), Level.AGREED, both, 1
                ),
                _p(_zh("我方將研議評估機制", "Taiwan will study a review"), Level.WILL_STUDY),
                _p(_zh("與會者交換意見"), Level.STATEMENT),
                _p(_zh("雙方就框架交換意見", "Both sides exchanged views"), Level.DONE, both),
            ],
            [
                _i(
                    1,
                    "（一）",
                    _zh("半導體", "Chips"),
                    [_p(_zh("半導體合作將持續", "Chips work will go on"), Level.WILL_CONTINUE)],
                ),
                _i(
                    2,
                    "（二）",
                    _zh("關鍵礦產", "Critical minerals"),
                    [_p(_zh("美方支持我國參與", "The US supports Taiwan"), Level.SUPPORTS, us)],
                    [
                        _i(
                            1,
                            "1、",
                            _zh("回收", "Recycling"),
                            [
                                _p(
                                    _zh("雙方將探討回收", "Both sides will explore recycling"),
                                    Level.WILL_EXPLORE,
                                )
                            ],
                        )
                    ],
                ),
                _i(3, "（三）", _zh("其他事項", "Other matters")),
            ],
        ),
        _i(
            2,
            "二、",
            _zh("簽署", "Signing"),
            [_p(_zh("簽署投資備忘錄", "Signing of an MOU"), Level.SIGNED)],
        ),
        _i(3, "三、", _zh("後續會議", "Follow-up meetings")),
    ]
    brief = Brief(
        source=SourceInfo(
            path="sample-rich.zh-TW.txt",
            language="zh-TW",
            outlet=_zh("中央通訊社", "Central News Agency", tb),
            desk=_zh("華盛頓", "Washington", tb),
            author=_zh("陳記者", ref=_NAME),
            headline=_zh("台美對話聚焦供應鏈", "Taiwan-US dialogue on supply chains"),
            published=date(2026, 1, 28),
        ),
        event=Event(
            name=_zh("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", tb),
            short_name="EPPD",
            round=6,
            date=date(2026, 1, 27),
            location=_zh("華府", "Washington, D.C.", tb),
            participants=[
                Participant(
                    name=_zh("王大明", "Wang Ta-ming", tb), title=_zh("部長", "Minister", tb)
                ),
                Participant(name=_zh("李小華", ref=_NAME)),
                Participant(
                    name=_zh("林志明", "Lin Chih-ming", Via.CONVERTED, "wade-giles (unverified)"),
                    title=_zh("次長", "Deputy Minister", tb),
                ),
            ],
            documents=[
                SignedDocument(
                    name=_zh("投資備忘錄", "Investment MOU"),
                    parties=[_zh("經濟部", "MOEA", tb), _zh("美國商務部", "US Commerce", tb)],
                    source=_span(1),
                ),
                SignedDocument(name=_zh("聯合聲明", "Joint Statement", tb)),
                SignedDocument(
                    name=_zh("認證協議", "Certification Agreement"),
                    parties=[_zh("工研院", "ITRI", tb), _zh("產業協會", "an association")],
                    timing=Timing.BEFORE,
                ),
                SignedDocument(name=_zh("合作協議", "Cooperation Agreement"), timing=Timing.AFTER),
                SignedDocument(
                    name=_zh("採購意向書", "Letter of Intent"),
                    parties=[_zh("台積電", "TSMC", tb)],
                    timing=Timing.ALONGSIDE,
                ),
            ],
        ),
        summary=[
            _s(_zh("台美舉行第6屆對話", "Taiwan and the US held the 6th EPPD"), 0),
            _s(_zh("雙方聚焦供應鏈。", "Both sides focused on supply chains.")),
        ],
        items=items,
        topics=[_zh("供應鏈安全", "supply chain security", tb), _zh("能源轉型")],
        next_steps=[
            _s(_zh("雙方將成立工作小組", "Both sides will set up a working group"), 1),
            _s(_zh("下屆對話將於明年舉行", "The next round will be held next year")),
            _s(_zh("雙方將定期檢視進展", "Both sides will review progress")),
        ],
        key_statements=[
            Statement(
                text=_zh("雙方均認同區域和平穩定至關重要", "Both sides agreed that peace matters"),
                by=_zh("外交部", "Ministry of Foreign Affairs", tb),
                source=_span(0),
            ),
            Statement(text=_zh("雙方重申深化合作", "Both sides reaffirmed closer ties")),
        ],
        background=[_s(_zh("同日並召開工作階層會議", "A working-level meeting was held"), 1)],
        dropped=[Dropped(text="小標題", reason="heading", source=_span(2))],
        quotes=[
            Quote(
                text=_zh("我們期待深化合作", "We look forward to closer ties"),
                speaker=_zh("王大明", "Wang Ta-ming", tb),
                about=_zh("台灣", "Taiwan", tb),
                channel=_zh("路透社", "Reuters", tb),
                source=_span(1),
            ),
            Quote(text=_zh("這是重要的一步", "This is an important step")),
        ],
        notices=["The dateline and the first paragraph give different dates."],
        glossary=[
            GlossEntry(
                zh="經濟繁榮夥伴對話",
                en="Economic Prosperity Partnership Dialogue",
                origin="article",
            ),
            GlossEntry(zh="經濟部", en="Ministry of Economic Affairs", origin="termbase"),
        ],
    )
    return Sample("rich", brief, "gregorian", "外交部|Ministry of Foreign Affairs", "限閱|LIMITED")


def _no_agenda_sample() -> Sample:
    """A Chinese article without a numbered agenda: key points and the ``no_agenda``
    notice; no meeting name, date or place, no outlet, one untranslated passage, one
    participant's name and the author's (the byline, shown as written) without a verified
    spelling."""
    brief = Brief(
        source=SourceInfo(language="zh-TW", author=_zh("張記者", ref=_NAME)),
        event=Event(participants=[Participant(name=_zh("趙小寧", ref=_NAME))]),
        summary=[_s(_zh("雙方就經貿議題交換意見", "Both sides discussed trade"))],
        key_points=[
            _s(_zh("雙方同意加強投資合作", "Both sides agreed to invest more"), 0),
            _s(_zh("雙方將持續對話", "Both sides will keep talking")),
            _s(_zh("與會者提及半導體")),
            _s(_zh("會議氣氛良好", "The meeting was cordial")),
        ],
        notices=["no_agenda"],
    )
    return Sample("no-agenda", brief)


def _english_sample() -> Sample:
    """An English readout, rendered into zh-TW too: one passage and one name left
    untranslated, a place but no meeting date, dates in the ROC calendar, agenda items
    without a title."""
    tb = Via.TERMBASE
    brief = Brief(
        source=SourceInfo(
            language="en",
            outlet=_en("State Department", "美國國務院", tb),
            desk=_en("Office of the Spokesperson", "發言人辦公室", tb),
            published=date(2026, 2, 3),
        ),
        event=Event(
            name=_en("Economic Prosperity Partnership Dialogue", "經濟繁榮夥伴對話", tb),
            round=7,
            location=_en("Taipei", "臺北", tb),
            participants=[
                Participant(
                    name=_en("Jane Doe", ref=_NAME), title=_en("Under Secretary", "次長", tb)
                )
            ],
        ),
        summary=[_s(_en("The two sides met in Taipei.", "雙方於臺北會面。"))],
        items=[
            _i(
                1,
                "1.",
                _en("Energy", "能源", tb),
                [
                    _p(
                        _en("Both sides agreed to trade more LNG", "雙方同意擴大液化天然氣貿易"),
                        Level.AGREED,
                    ),
                    _p(
                        _en("The US will explore grid projects"),
                        Level.WILL_EXPLORE,
                        _en("The US", "美方", tb),
                    ),
                ],
            ),
            _i(
                2,
                "2.",
                _en("Trade", "貿易", tb),
                [_p(_en("Trade talks will continue", "貿易談判將持續"), Level.WILL_CONTINUE)],
            ),
            # A numbered paragraph of the article: an item without a title, and one
            # without a title or points.
            _i(
                3,
                "3.",
                None,
                [
                    _p(
                        _en("The Ministers welcomed new investment", "部長們歡迎新的投資"),
                        Level.SUPPORTS,
                    ),
                    _p(_en("They will review it next year", "雙方將於明年檢視"), Level.WILL_STUDY),
                ],
                [_i(1, "(a)", None)],
            ),
        ],
        topics=[_en("energy security", "能源安全", tb)],
        next_steps=[_s(_en("Officials will meet again in the autumn.", "官員將於秋季再度會面。"))],
    )
    return Sample("english", brief, "roc", "Ministry of Foreign Affairs")


def _seed_sample() -> Sample | None:
    """The repository's seed article, extracted and translated, when it is there."""
    if not SEED.is_file():
        return None
    from ..pipeline import Options, extract_brief, translate_brief

    options = Options(user_memory=False)
    try:
        brief = extract_brief(SEED, options)
        brief, _ = translate_brief(brief, options, SEED)
    except BriefgenError:
        return None
    return Sample("seed", brief)


def sample_briefs(include_seed: bool = True) -> list[Sample]:
    """Briefs that between them take every branch of the built-in templates, plus the
    seed article's brief when briefgen runs from its repository."""
    samples = [_rich_sample(), _no_agenda_sample(), _english_sample()]
    seed = _seed_sample() if include_seed else None
    return [*samples, seed] if seed is not None else samples


class _ContextCapture:
    """The variables a build passes a template, taken from ``render.render_markup``
    itself (so the check never falls out of step with it): it renders, through a private
    environment, a template that only hands its context to a capturing function."""

    _FUNCTION = "briefgen_check_capture"

    def __init__(self, directory: Path) -> None:
        self.directory = str(directory)
        self.captured: dict[str, Any] = {}

    def __call__(self, sample: Sample, audience: str, lang: str) -> dict[str, Any]:
        from ..pipeline import for_language
        from . import render_markup

        path = Path(self.directory) / template_name(audience)
        if not path.exists():
            path.write_text(f"{{{{ {self._FUNCTION}() }}}}", encoding="utf-8")
        env = make_environment(lang, (self.directory,))
        if self._FUNCTION not in env.globals:

            @pass_context
            def capture(ctx: Context) -> str:
                self.captured = dict(ctx.get_all())
                return ""

            env.globals[self._FUNCTION] = capture
        self.captured = {}
        options = {
            "date_style": sample.date_style,
            "organisation": for_language(sample.organisation, lang),
            "classification": for_language(sample.classification, lang),
        }
        try:
            render_markup(sample.brief, audience, lang, (Path(self.directory),), **options)
        except TemplateError:
            # The style sheets' usage section is refused (reported by the style-sheet
            # check): the context with the default usage.
            render_markup(
                sample.brief, audience, lang, (Path(self.directory),), usage=Usage(), **options
            )
        return {k: v for k, v in self.captured.items() if env.globals.get(k, k) is not v}


def render_context(sample: Sample, audience: str, lang: str) -> dict[str, Any]:
    """The variables a build passes the template of ``audience`` for ``sample``."""
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as tmp:
        return _ContextCapture(Path(tmp))(sample, audience, lang)


# Problems -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, at a file and line (1 for a problem of the whole file)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class CheckResult:
    """What ``check_templates`` found."""

    problems: list[Problem]
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


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class _Problems:
    """Problems as they are found; the same problem found again (another language,
    sample or audience) is kept once, noting the languages it shows up in."""

    def __init__(self, langs: Sequence[str]) -> None:
        self.langs = set(langs)
        self.found: dict[tuple[str, int, str], set[str] | None] = {}

    def add(self, file: str, line: int | None, message: str, lang: str | None = None) -> None:
        key = (_display(file), line or 1, _one_line(message))
        if lang is None:
            self.found[key] = None
            return
        langs = self.found.setdefault(key, set())
        if langs is not None:
            langs.add(lang)

    def has(self, file: str, message: str) -> bool:
        """Whether ``message`` was found in ``file`` already (at any line)."""
        key = (_display(file), _one_line(message))
        return any((f, m) == key for f, _line, m in self.found)

    def result(self) -> list[Problem]:
        out = []
        for (file, line, message), langs in self.found.items():
            if langs and langs != self.langs:
                message += f" ({', '.join(sorted(langs))} only)"
            out.append(Problem(file, line, message))
        return sorted(out, key=lambda p: (p.file, p.line, p.message))


# Rendering that records instead of stopping -----------------------------------------------

_SINK: ContextVar[list[tuple[tuple[str, int] | None, str, bool]] | None] = ContextVar(
    "briefgen_check_sink", default=None
)


def _template_location(frame: Any, lineno: int) -> tuple[str, int] | None:
    template = frame.f_globals.get("__jinja_template__")
    if template is None:
        return None
    return template.filename or template.name or "?", template.get_corresponding_lineno(lineno)


def _live_location() -> tuple[str, int] | None:
    """``(file, line)`` of the innermost template frame running now."""
    frame = sys._getframe(1)
    while frame is not None:
        where = _template_location(frame, frame.f_lineno)
        if where is not None:
            return where
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _traceback_location(tb: TracebackType | None) -> tuple[str, int] | None:
    """``(file, line)`` of the innermost template frame of a traceback."""
    found = None
    while tb is not None:
        found = _template_location(tb.tb_frame, tb.tb_lineno) or found
        tb = tb.tb_next
    return found


class _RecordingUndefined(Undefined):
    """Fails exactly where ``StrictUndefined`` fails, but records the failure (with its
    template line) and carries on as an empty value, so one render finds them all."""

    __slots__ = ()

    def _record(self) -> None:
        sink = _SINK.get()
        if sink is None:
            # Outside a render: Jinja folding a constant expression while it compiles
            # (``{{ ''.__class__ }}``). Fail as a build does, so that the expression is
            # left to the render, which records it.
            raise self._undefined_exception(self._undefined_message)
        security = issubclass(self._undefined_exception, SecurityError)
        sink.append((_live_location(), self._undefined_message, security))

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

    def __iter__(self) -> Iterator[Any]:
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


@dataclass
class _Render:
    """One template rendered: its output, where each piece of output came from, and
    what went wrong on the way."""

    markup: str = ""
    #: ``(offset in markup, file, line, piece)`` for each piece the template yielded.
    pieces: list[tuple[int, str, int, str]] = field(default_factory=list)
    undefined: list[tuple[tuple[str, int] | None, str, bool]] = field(default_factory=list)
    error: tuple[tuple[str, int] | None, str] | None = None
    #: The render ran past the time limit.
    timed_out: bool = False


def _innermost(gen: Any) -> Any:
    while getattr(gen, "gi_yieldfrom", None) is not None and hasattr(gen.gi_yieldfrom, "gi_frame"):
        gen = gen.gi_yieldfrom
    return gen


def _render_limits() -> Any:
    """The module holding a build's render limits (``MAX_SECONDS``,
    ``MAX_OUTPUT_CHARS``), read when used so that the check always applies the same."""
    from .. import render as module

    return module


def _render(template: Template, context: dict[str, Any]) -> _Render:
    """Render ``template``, noting the template line each piece of output comes from
    (the generator delegating blocks and parent templates down to the one yielding)."""
    out = _Render()
    sink: list[tuple[tuple[str, int] | None, str, bool]] = []
    token = _SINK.set(sink)
    parts: list[str] = []
    offset = 0
    name = template.name or "?"
    limits = _render_limits()
    try:
        with limited(name, limits.MAX_SECONDS):
            gen = template.root_render_func(template.new_context(context))
            for piece in gen:
                frame = _innermost(gen).gi_frame
                where = _template_location(frame, frame.f_lineno) if frame is not None else None
                file, line = where or (template.filename or template.name or "?", 1)
                text = str(piece)
                # Literal template text is a plain str; expression output is Markup.
                out.pieces.append((offset, file, line, text if type(piece) is str else ""))
                parts.append(text)
                offset += len(text)
                if offset > limits.MAX_OUTPUT_CHARS:
                    raise TemplateError(
                        f"{name}: the template produced more than "
                        f"{limits.MAX_OUTPUT_CHARS:,} characters; stopped"
                    )
    except TemplateError as exc:  # a limit: time, size, recursion, memory, a file refused
        message = str(exc)
        out.timed_out = "took longer than" in message
        where = _traceback_location(exc.__traceback__)
        m = re.match(r"^([^\s:]+\.j2):(\d+): (.*)$", message, re.S)
        if m:
            message = m.group(3)
            if where is None:
                found = [
                    t.filename
                    for t in _loaded_templates(template.environment)
                    if t.filename and Path(t.filename).name == m.group(1)
                ]
                where = (found[0] if found else m.group(1), int(m.group(2)))
        out.error = (where, _one_line(message))
    except TemplateSyntaxError as exc:
        out.error = ((exc.filename or exc.name or "?", exc.lineno), f"syntax error: {exc.message}")
    except TemplateNotFound as exc:
        out.error = (_traceback_location(exc.__traceback__), f"template {exc.name!r} not found")
    except SecurityError as exc:
        out.error = (_traceback_location(exc.__traceback__), f"sandbox: {exc}")
    except UndefinedError as exc:
        out.error = (_traceback_location(exc.__traceback__), f"undefined: {exc}")
    except Exception as exc:  # a filter or test failing on the sample data
        out.error = (_traceback_location(exc.__traceback__), f"{type(exc).__name__}: {exc}")
    finally:
        _SINK.reset(token)
    out.markup = "".join(parts)
    out.undefined = sink
    return out


class _Sources:
    """Template sources by file name, for finding where a piece of output was written."""

    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._starts: dict[str, list[int]] = {}

    def text(self, file: str) -> str:
        if file not in self._text:
            try:
                raw = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raw = ""
            self._text[file] = raw.replace("\r\n", "\n").replace("\r", "\n")
            self._starts[file] = [0] + [m.end() for m in re.finditer("\n", self._text[file])]
        return self._text[file]

    def line_of(self, file: str, offset: int) -> int:
        self.text(file)
        return bisect.bisect_right(self._starts[file], offset)

    def line_text(self, file: str, line: int) -> str:
        lines = self.text(file).split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def offset_of_line(self, file: str, line: int) -> int:
        self.text(file)
        starts = self._starts[file]
        return starts[min(max(line, 1), len(starts)) - 1]


class _Locator:
    """Maps an offset in rendered markup back to a template file and line."""

    def __init__(self, render: _Render, sources: _Sources, files: Sequence[str]) -> None:
        self.render = render
        self.sources = sources
        self.files = files  # every template that took part, the user's first
        self.starts = [p[0] for p in render.pieces]

    def locate(
        self, offset: int, tokens: Sequence[str] = (), weak: Sequence[str] = ()
    ) -> tuple[str, int] | None:
        if not self.render.pieces:
            return None
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        start, file, line, literal = self.render.pieces[index]
        if literal:
            # Literal text comes out as written: find it at or after the line Jinja
            # marked (marks can lag behind template text), then count lines within it.
            source = self.sources.text(file)
            found = source.find(literal, self.sources.offset_of_line(file, line))
            if found < 0:
                found = source.find(literal)
            if found >= 0:
                return file, self.sources.line_of(file, found + (offset - start))
            # Not verbatim (Jinja folded a constant expression into it): the most
            # similar template line from the marked one on.
            at = offset - start
            head = literal.rfind("\n", 0, at) + 1
            tail = literal.find("\n", at)
            wanted = literal[head : len(literal) if tail < 0 else tail].strip()
            last = self.sources.text(file).count("\n") + 1
            scored = [
                (SequenceMatcher(None, wanted, self.sources.line_text(file, n).strip()).ratio(), -n)
                for n in range(line, last + 1)
            ]
            best, n = max(scored)
            return file, -n if best > 0.5 else line
        # Expression output: the line of the expression, unless what went wrong was
        # written literally elsewhere (inside a macro the expression calls).
        here = self.sources.line_text(file, line)
        if any(t and t in here for t in (*tokens, *weak)):
            return file, line
        for token in tokens:
            for other in self.files:
                position = self.sources.text(other).find(token) if token else -1
                if position >= 0:
                    return other, self.sources.line_of(other, position)
        return file, line


class _Tags(HTMLParser):
    """Every tag of the markup with its offset (tolerant: it never stops, so all
    unknown elements and attributes are found, not only the first)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        #: ``(offset, tag, attributes, raw text)`` of each start tag.
        self.starts: list[tuple[int, str, dict[str, str], str]] = []
        #: ``(offset, tag, end offset)`` of each end tag.
        self.ends: list[tuple[int, str, int]] = []
        self.feed(markup)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        self.starts.append((self._offset(), tag, {k: v or "" for k, v in attrs}, raw))

    def handle_endtag(self, tag: str) -> None:
        offset = self._offset()
        end = self.markup.find(">", offset)
        self.ends.append((offset, tag, len(self.markup) if end < 0 else end + 1))


_MARKUP_ERROR_RE = re.compile(r"^.*?: markup line (\d+): (.*)$", re.S)


def _markup_tokens(message: str) -> tuple[list[str], list[str]]:
    """What a markup error is about, as text to look for in markup and templates."""
    m = re.search(r"attribute '([^']+)'", message)
    if m:
        return [f"{m.group(1)}="], [m.group(1)]
    m = re.search(r"unknown meta name '([^']*)'", message)
    if m:
        return [f'name="{m.group(1)}"'], [m.group(1)]
    m = re.search(r"link target '([^']*)'", message)
    if m:
        return [f'href="{m.group(1)}"'], [m.group(1)]
    m = re.search(r"<ol start>", message)
    if m:
        return ["start="], []
    m = re.search(r"<(/?[A-Za-z][A-Za-z0-9]*)>", message)
    if m:
        return [f"<{m.group(1)}"], []
    return [], []


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
        except Exception:  # unreadable or broken: reported by the syntax check
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
                    problems.add(str(path), lineno, f"label '{msgid}' has no {lang} translation")
                elif entry.fuzzy:
                    problems.add(
                        str(path),
                        lineno,
                        f"label '{msgid}' has only a fuzzy {lang} translation, which is not used",
                    )


def _yaml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each mapping key in a YAML document, by its path of keys."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(key.value))
                lines.setdefault(sub, key.start_mark.line + 1)
                walk(value, sub)

    with contextlib.suppress(yaml.YAMLError):
        walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return lines


def _prune(data: Any, path: tuple[str, ...]) -> None:
    """``data`` without the key at ``path`` (the whole file's problems: nothing)."""
    for key in path[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    if isinstance(data, dict) and path:
        data.pop(path[-1], None)


def _style_sheets(directory: Path, problems: _Problems, langs: Sequence[str]) -> dict[str, Any]:
    """The style sheet of ``directory`` (its ``styles.yaml`` over the built-in one) per
    language, as a ``StyleSheet`` or, when it cannot be built, the set of style names;
    problems in the user's style sheet are reported at its lines."""
    path = directory / STYLES_FILE
    user: Path | None = path if path.is_file() or path.is_symlink() else None
    keys: dict[tuple[str, ...], int] = {}
    # Every style sheet of the directory, read and validated as a build reads it (the
    # same limits and schema): each problem is reported at the line of its key, and the
    # key left out for the checks below.
    pruned: dict[str, Any] | None = None
    for sheet_path in sorted(directory.glob("*styles.yaml")):
        if sheet_path.name != STYLES_FILE and not sheet_path.name.endswith(".styles.yaml"):
            continue
        try:
            raw = read_stylesheet_file(sheet_path)  # the limits, before anything else
        except TemplateError as exc:
            m = re.search(r"at line (\d+)", str(exc))
            message = re.sub(r" at line \d+", "", str(exc).removeprefix(f"{sheet_path}: "))
            problems.add(str(sheet_path), int(m.group(1)) if m else None, message)
            if sheet_path == user:
                user = None
            continue
        sheet_keys = _yaml_key_lines(sheet_path.read_text(encoding="utf-8"))
        found = schema_problems(raw, str(sheet_path))
        if isinstance(raw, dict):
            logo = (raw.get("letterhead") or {}).get("logo")
            if isinstance(logo, str) and logo:
                try:
                    check_logo(str(sheet_path.parent / logo), str(sheet_path))
                except StyleSheetError as exc:
                    found.append(exc)
        for exc in found:
            line = next(
                (
                    sheet_keys[exc.path[:n]]
                    for n in range(len(exc.path), 0, -1)
                    if exc.path[:n] in sheet_keys
                ),
                None,
            )
            problems.add(str(sheet_path), line, str(exc).removeprefix(f"{sheet_path}: "))
        if sheet_path == user:
            keys = sheet_keys
            if not isinstance(raw, dict):
                user = None
            elif found:
                pruned = copy.deepcopy(raw)
                for exc in found:
                    _prune(pruned, exc.path)
    if user is not None and pruned is not None:
        data = _merge(read_stylesheet_data(None), pruned)
    else:
        data = read_stylesheet_data(user)

    origin = str(user or STYLES_FILE)

    def report(message: str, lang: str, *path: str) -> None:
        line = keys.get(tuple(path)) or keys.get(("lang", lang, *path))
        if line is None and path:
            line = keys.get((path[0],)) or keys.get(("lang", lang, path[0]))
        problems.add(origin, line or 1, message.removeprefix(f"{origin}: "), lang)

    def about(name: str, exc: Exception) -> str:
        message = str(exc).removeprefix(f"{origin}: ").removeprefix("style sheet: ")
        return message if repr(name) in message else f"style {name!r}: {message}"

    sheets: dict[str, Any] = {}
    for lang in langs:
        names = set(data.get("styles") or {})
        names |= set((((data.get("lang") or {}).get(lang) or {}).get("styles")) or {})
        # Build the sheet, dropping each style it refuses, to report them all.
        trial = copy.deepcopy(data)
        sheet: StyleSheet | None = None
        while sheet is None:
            try:
                sheet = StyleSheet(trial, lang, origin)
            except TemplateError as exc:
                m = re.search(r"style '([^']+)'", str(exc))
                report(str(exc), lang, "styles", m.group(1) if m else "")
                dropped = False
                for styles in (
                    trial.get("styles") or {},
                    ((trial.get("lang") or {}).get(lang) or {}).get("styles") or {},
                ):
                    if m and m.group(1) in styles:
                        del styles[m.group(1)]
                        dropped = True
                if not dropped:
                    break
        sheets[lang] = sheet if sheet is not None and names == set(sheet.names) else names
        if sheet is None or user is None:
            continue
        from ..fonts import face

        for role in sheet.data.get("fonts") or {}:
            try:
                for key in sheet.font_role(role).faces:
                    face(key)
            except (BriefgenError, KeyError, TypeError) as exc:
                report(f"font role {role!r}: {exc}", lang, "fonts", role)
        for name in sheet.names:
            try:
                props = sheet.style(name)
                sheet.font_role(props.get("font", "serif"))
                for key in _LENGTH_KEYS:
                    if key in props:
                        length(props[key])
            except TemplateError as exc:
                report(about(name, exc), lang, "styles", name)
        try:
            sheet.page_size  # noqa: B018 - validates the paper
            for side in ("top", "bottom", "left", "right"):
                sheet.margin(side)
        except TemplateError as exc:
            report(str(exc), lang, "page")
        try:
            usage_from(sheet.data.get("usage"), origin)
        except TemplateError as exc:
            report(str(exc), lang, "usage")
    return sheets


def check_templates(
    directory: Path, samples: Sequence[Sample] | None = None, langs: Sequence[str] = OUTPUT_LANGS
) -> CheckResult:
    """Every problem of the templates in ``directory`` (and of the built-in templates
    they use), found by compiling them, checking their labels against the catalogs and
    rendering every audience they affect against ``samples`` in each of ``langs``."""
    directory = Path(directory)
    samples = list(samples) if samples is not None else sample_briefs()
    problems = _Problems(langs)
    sources = _Sources()
    files = []
    for path in sorted(p for p in directory.rglob("*.j2") if p.is_file() or p.is_symlink()):
        # Refused as a build refuses it (a symlink out of the directory, a FIFO …),
        # and then never read.
        problem = template_file_problem(path, directory)
        if problem:
            problems.add(str(path), None, problem)
        else:
            files.append(path)
    names = [p.relative_to(directory).as_posix() for p in files]

    # 1. Every template compiles (within a build's limits).
    env = _environment(langs[0], directory)
    for path, name in zip(files, names, strict=True):
        try:
            with limited(name, _render_limits().MAX_SECONDS):
                env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.add(exc.filename or str(path), exc.lineno, f"syntax error: {exc.message}")
        except UnicodeDecodeError as exc:
            problems.add(str(path), None, f"not UTF-8 text: {exc.reason}")
        except BriefgenError as exc:
            problems.add(str(path), None, str(exc).removeprefix(f"{name}: "))

    # 2. Every label has a translation.
    _check_labels(files, problems)

    # 3. The style sheet.
    sheets = _style_sheets(directory, problems, langs)

    # 3b. Each audience's style sheet as a build layers it (the built-in sheets, the
    # directory's styles.yaml and <audience>.styles.yaml), built as a build builds it.
    from ..pipeline import Options, stylesheet

    for audience in sorted(
        set(_audience_files(directory)) | set(_audience_files(builtin_template_dir()))
    ):
        for lang in langs:
            try:
                stylesheet(Options(template_dirs=(directory,)), lang, audience)
            except TemplateError as exc:
                file = str(exc).split(": ", 1)[0]
                if not file.endswith(".yaml"):
                    file = str(directory / STYLES_FILE)
                message = re.sub(r" at line \d+", "", str(exc).removeprefix(f"{file}: "))
                if not problems.has(file, message):
                    problems.add(file, None, message)

    # 4. Render each audience the directory affects: its own, and the built-in ones
    # when it replaces something they share (base, partials, the style sheet).
    own = _audience_files(directory)
    shared = any(not _is_audience_file(p) for p in files) or (directory / STYLES_FILE).is_file()
    audiences = sorted(
        set(own) | (set(_audience_files(builtin_template_dir())) if shared else set())
    )
    used: set[str] = {_display(p) for p in files}
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as tmp:
        contexts = _ContextCapture(Path(tmp))
        timed_out: set[str] = set()
        for lang in langs:
            env = _environment(lang, directory)
            for audience in audiences:
                for sample in samples:
                    if audience in timed_out:
                        break  # one run past the time limit is enough to report
                    context = contexts(sample, audience, lang)
                    if _check_render(
                        env,
                        audience,
                        lang,
                        sample,
                        context,
                        sheets[lang],
                        problems,
                        sources,
                        used,
                        directory,
                    ):
                        timed_out.add(audience)
    return CheckResult(
        problems=problems.result(),
        templates=sorted(used),
        audiences=audiences,
        samples=[s.name for s in samples],
        langs=tuple(langs),
    )


def _environment(lang: str, directory: Path) -> Environment:
    """A fresh environment like a build's (``make_environment``, uncached), whose
    undefined values record instead of raising."""
    env = make_environment.__wrapped__(lang, (str(directory),))  # type: ignore[attr-defined]
    env.undefined = _RecordingUndefined
    return env


def _check_render(
    env: Environment,
    audience: str,
    lang: str,
    sample: Sample,
    variables: dict[str, Any],
    sheet: Any,
    problems: _Problems,
    sources: _Sources,
    used: set[str],
    directory: Path,
) -> bool:
    """Render and check one audience for one sample and language; True when the render
    ran past the time limit."""
    name = template_name(audience)
    try:
        with limited(name, _render_limits().MAX_SECONDS):
            template = env.get_template(name)
    except TemplateSyntaxError as exc:
        problems.add(exc.filename or name, exc.lineno, f"syntax error: {exc.message}")
        return False
    except (TemplateNotFound, UnicodeDecodeError, BriefgenError):
        return False  # reported by the compile step
    audience_file = _display(template.filename or name)
    render = _render(template, variables)
    involved = {_display(t.filename) for t in _loaded_templates(env) if t.filename}
    used.update(involved)
    user_dir = _display(directory)
    ordered = sorted(involved, key=lambda f: (not f.startswith(user_dir + os.sep), f))
    undefined_at: set[tuple[str, int]] = set()
    for where, message, security in render.undefined:
        file, line = where or (audience_file, None)
        problems.add(file, line, ("sandbox: " if security else "undefined: ") + message, lang)
        if where:
            undefined_at.add((_display(where[0]), where[1]))
    if render.error is not None:
        where, message = render.error
        if where is None or (_display(where[0]), where[1]) not in undefined_at:
            file, line = where or (audience_file, None)
            once = message.startswith("syntax") or render.timed_out
            problems.add(file, line, message, None if once else lang)
    locator = _Locator(render, sources, ordered)

    def report(offset: int, message: str, tokens: Sequence[str], weak: Sequence[str]) -> None:
        where = locator.locate(offset, tokens, weak)
        file, line = where or (audience_file, None)
        problems.add(file, line, message, lang)

    # Elements, attributes and style classes: every one, also in output cut short by
    # an error. What the IR does not know is blanked out (keeping every offset) so the
    # structure check below gets past it.
    tags = _Tags(render.markup)
    blanked = list(render.markup)
    unknown: set[str] = set()

    def blank(start: int, end: int) -> None:
        blanked[start:end] = " " * (end - start)

    for offset, tag, attrs, raw in tags.starts:
        if tag not in _ELEMENTS:
            report(offset, f"unknown element <{tag}>", [f"<{tag}"], [])
            unknown.add(tag)
            blank(offset, offset + len(raw))
            continue
        for attribute in attrs:
            if attribute in _ATTRS:
                continue
            m = re.search(
                rf"\s{re.escape(attribute)}(\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?", raw, re.I
            )
            at = offset + (m.start() + 1 if m else 0)
            message = f"attribute {attribute!r} is not allowed on <{tag}>"
            report(at, message, [f"{attribute}="], [attribute])
            if m:
                blank(offset + m.start(), offset + m.end())
        style = attrs.get("class", "")
        if not style or (tag, style) in _SPECIAL_CLASSES:
            continue
        if sheet.has(style) if isinstance(sheet, StyleSheet) else style in sheet:
            continue
        message = f"unknown style class {style!r} (not in the style sheet)"
        report(offset, message, [f'class="{style}"', f"class='{style}'"], [style])
    for offset, tag, end in tags.ends:
        if tag in unknown:
            blank(offset, end)

    # Structure (what goes inside what, meta names, links…): the first problem.
    if render.error is not None:
        return render.timed_out  # the markup is incomplete
    markup = "".join(blanked)
    try:
        parse_markup(markup, origin=name, lang=lang)
    except TemplateError as exc:
        text = str(exc)
        m = _MARKUP_ERROR_RE.match(text)
        if not m:
            problems.add(audience_file, None, text.removeprefix(f"{name}: "), lang)
            return False
        markup_line, message = int(m.group(1)), m.group(2)
        tokens, weak = _markup_tokens(message)
        lines = markup.split("\n")
        start = sum(len(x) + 1 for x in lines[: markup_line - 1])
        current = lines[markup_line - 1] if markup_line <= len(lines) else ""
        column = next((current.find(t) for t in tokens if t in current), -1)
        if column < 0:
            column = len(current) - len(current.lstrip())
        if not render.pieces:
            context = f"the {lang} {audience} memo of sample {sample.name!r}"
            problems.add(
                audience_file, None, f"markup line {markup_line} of {context}: {message}", lang
            )
        else:
            report(start + column, message, tokens, weak)
    return False


def _loaded_templates(env: Environment) -> list[Template]:
    cache = env.cache or {}
    return [t for t in cache.values() if isinstance(t, Template)]


__all__ = [
    "CheckResult",
    "Problem",
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
