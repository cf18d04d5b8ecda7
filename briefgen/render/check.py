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
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2 import Environment, Template, TemplateNotFound, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, UndefinedError

from ..errors import BriefgenError, OutputError, TemplateError
from ..model import (
    OUTPUT_LANGS,
    AgendaItem,
    Brief,
    Event,
    GlossEntry,
    Level,
    Participant,
    Point,
    Sentence,
    SignedDocument,
    SourceInfo,
    Span,
    Text,
    Via,
    iter_texts,
)
from ..styles import StyleSheet, length, read_stylesheet_data
from ..translate import summary_line
from . import TEMPLATE_SUFFIX, template_name
from .environment import builtin_template_dir, is_untranslated, make_environment
from .i18n import DOMAIN, LOCALES
from .markup import parse_markup

STYLES_FILE = "styles.yaml"
#: The seed article of the repository; a sample too when briefgen runs from a checkout.
SEED = Path(__file__).resolve().parents[2] / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
#: Style names the writers know without a style-sheet entry: ``<hr class="page-break">``.
_SPECIAL_CLASSES = {("hr", "page-break")}


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
    none are named), the base template and partials (``_*.j2``) and the style sheet."""
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
    return [*names, STYLES_FILE]


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


def _zh(zh: str, en: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in zh-TW, with its English (``via`` says how it was obtained)."""
    text = Text(text={"zh-TW": zh}, via={"zh-TW": Via.SOURCE})
    if en is not None or via == Via.UNTRANSLATED:
        text.text["en"] = zh if en is None else en
        text.via["en"] = via
        if ref:
            text.ref["en"] = ref
    return text


def _en(en: str, zh: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in English, with its zh-TW."""
    text = Text(text={"en": en}, via={"en": Via.SOURCE})
    if zh is not None or via == Via.UNTRANSLATED:
        text.text["zh-TW"] = en if zh is None else zh
        text.via["zh-TW"] = via
        if ref:
            text.ref["zh-TW"] = ref
    return text


def _rich_sample() -> Sample:
    """A Chinese readout with everything: nested agenda items, every commitment level,
    participants, documents, topics, next steps, a glossary, untranslated passages and
    names without a verified spelling."""
    unverified = "name: no verified spelling"

    def point(
        zh: str, en: str | None, level: Level, actor: Text | None = None, para: int = 1
    ) -> Point:
        via = Via.MEMORY if en is not None else Via.UNTRANSLATED
        return Point(
            text=_zh(zh, en, via),
            commitment=level,
            actor=actor,
            source=Span(paragraph=para, start=0, end=len(zh)),
        )

    both = _zh("雙方", "Both sides", Via.TERMBASE)
    items = [
        AgendaItem(
            number=1,
            label="一、",
            title=_zh("人工智慧供應鏈安全", "AI supply chain security"),
            points=[
                point(
                    "雙方同意強化人工智慧供應鏈安全合作",
                    "Both sides agreed to strengthen cooperation on AI supply chain security",
                    Level.AGREED,
                    both,
                ),
                point(
                    "我方將研議建立共同的風險評估機制",
                    "Taiwan will study a joint risk assessment mechanism",
                    Level.WILL_STUDY,
                ),
                point("與會者交換了對出口管制的看法", None, Level.STATEMENT),
            ],
            items=[
                AgendaItem(
                    number=1,
                    label="（一）",
                    title=_zh("半導體", "Semiconductors"),
                    points=[
                        point(
                            "半導體合作將持續深化",
                            "Semiconductors: cooperation will continue to deepen",
                            Level.WILL_CONTINUE,
                        )
                    ],
                ),
                AgendaItem(
                    number=2,
                    label="（二）",
                    title=_zh("關鍵礦產", "Critical minerals"),
                    points=[
                        point(
                            "美方支持我國參與關鍵礦產夥伴關係",
                            "The US supports Taiwan's participation in the Minerals Security Partnership",
                            Level.SUPPORTS,
                            _zh("美方", "The US", Via.TERMBASE),
                        )
                    ],
                    items=[
                        AgendaItem(
                            number=1,
                            label="1、",
                            title=_zh("回收", "Recycling"),
                            points=[
                                point(
                                    "雙方將探討電池回收合作",
                                    "Both sides will explore cooperation on battery recycling",
                                    Level.WILL_EXPLORE,
                                )
                            ],
                        )
                    ],
                ),
                AgendaItem(number=3, label="（三）", title=_zh("其他事項", "Other matters")),
            ],
            source=Span(paragraph=1, start=0, end=9),
        ),
        AgendaItem(
            number=2,
            label="二、",
            title=_zh("簽署", "Signing"),
            points=[
                point(
                    "簽署投資合作備忘錄",
                    "Signing of a memorandum on investment cooperation",
                    Level.SIGNED,
                )
            ],
        ),
        AgendaItem(number=3, label="三、", title=_zh("後續會議", "Follow-up meetings")),
    ]
    brief = Brief(
        source=SourceInfo(
            path="sample-rich.zh-TW.txt",
            format="text",
            language="zh-TW",
            outlet=_zh("中央通訊社", "Central News Agency", Via.TERMBASE),
            desk=_zh("華盛頓", "Washington", Via.TERMBASE),
            author=_zh("陳記者", via=Via.UNTRANSLATED, ref=unverified),
            headline=_zh(
                "台美經濟對話聚焦供應鏈", "Taiwan-US economic dialogue focuses on supply chains"
            ),
            published=date(2026, 1, 28),
            paragraphs=["台美經濟對話聚焦供應鏈", "人工智慧供應鏈安全、半導體、關鍵礦產。"],
        ),
        event=Event(
            name=_zh("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", Via.TERMBASE),
            short_name="EPPD",
            round=6,
            date=date(2026, 1, 27),
            location=_zh("華府", "Washington, D.C.", Via.TERMBASE),
            participants=[
                Participant(
                    name=_zh("王大明", "Wang Ta-ming", Via.TERMBASE),
                    title=_zh("經濟部長", "Minister of Economic Affairs", Via.TERMBASE),
                    side="taiwan",
                ),
                Participant(
                    name=_zh("李小華", via=Via.UNTRANSLATED, ref=unverified), side="taiwan"
                ),
                Participant(
                    name=_zh("林志明", "Lin Chih-ming", Via.CONVERTED, "wade-giles (unverified)"),
                    title=_zh("次長", "Deputy Minister", Via.TERMBASE),
                ),
            ],
            documents=[
                SignedDocument(
                    name=_zh("投資合作備忘錄", "Memorandum on Investment Cooperation"),
                    parties=[
                        _zh("經濟部", "Ministry of Economic Affairs", Via.TERMBASE),
                        _zh("美國商務部", "US Department of Commerce", Via.TERMBASE),
                    ],
                    source=Span(paragraph=1, start=2, end=8),
                ),
                SignedDocument(name=_zh("聯合聲明", "Joint Statement", Via.TERMBASE)),
            ],
        ),
        summary=[
            Sentence(
                text=_zh("台美舉行第6屆經濟繁榮夥伴對話", "Taiwan and the US held the 6th EPPD"),
                source=Span(paragraph=0, start=0, end=10),
            ),
            Sentence(
                text=_zh("雙方聚焦供應鏈安全。", "Both sides focused on supply chain security.")
            ),
        ],
        items=items,
        topics=[
            _zh("供應鏈安全", "supply chain security", Via.TERMBASE),
            _zh("能源轉型", via=Via.UNTRANSLATED),
        ],
        next_steps=[
            Sentence(
                text=_zh("雙方將成立工作小組", "Both sides will set up a working group"),
                source=Span(paragraph=1, start=0, end=4),
            ),
            Sentence(text=_zh("下屆對話將於明年舉行", "The next dialogue will be held next year")),
            Sentence(text=_zh("雙方將定期檢視進展", "Both sides will review progress regularly")),
        ],
        notices=["The article's dateline and its first paragraph give different dates."],
        glossary=[
            GlossEntry(
                zh="經濟繁榮夥伴對話",
                en="Economic Prosperity Partnership Dialogue",
                origin="article",
            ),
            GlossEntry(zh="經濟部", en="Ministry of Economic Affairs", origin="termbase"),
        ],
    )
    return Sample(
        "rich",
        brief,
        organisation="外交部|Ministry of Foreign Affairs",
        classification="限閱|LIMITED DISTRIBUTION",
    )


def _no_agenda_sample() -> Sample:
    """A Chinese article without a numbered agenda: key points and the ``no_agenda``
    notice; no meeting name, date or place, no outlet, one untranslated passage and one
    name without a verified spelling."""
    brief = Brief(
        source=SourceInfo(
            language="zh-TW",
            author=_zh("張記者", via=Via.UNTRANSLATED, ref="name: no verified spelling"),
        ),
        summary=[
            Sentence(text=_zh("雙方就經貿議題交換意見", "Both sides exchanged views on trade"))
        ],
        key_points=[
            Sentence(
                text=_zh(
                    "雙方同意加強投資合作", "Both sides agreed to strengthen investment cooperation"
                ),
                source=Span(paragraph=0, start=0, end=10),
            ),
            Sentence(text=_zh("雙方將持續對話", "Both sides will continue the dialogue")),
            Sentence(text=_zh("與會者提及半導體", via=Via.UNTRANSLATED)),
            Sentence(text=_zh("會議氣氛良好", "The meeting was cordial")),
        ],
        notices=["no_agenda"],
    )
    return Sample("no-agenda", brief)


def _english_sample() -> Sample:
    """An English readout rendered into zh-TW too: translations from the termbase and
    memory, one passage and one name left untranslated; dates in the ROC calendar."""
    brief = Brief(
        source=SourceInfo(
            language="en",
            outlet=_en("State Department", "美國國務院", Via.TERMBASE),
            desk=_en("Office of the Spokesperson", "發言人辦公室", Via.TERMBASE),
            published=date(2026, 2, 3),
        ),
        event=Event(
            name=_en("Economic Prosperity Partnership Dialogue", "經濟繁榮夥伴對話", Via.TERMBASE),
            round=7,
            location=_en("Taipei", "臺北", Via.TERMBASE),
            participants=[
                Participant(
                    name=_en("Jane Doe", via=Via.UNTRANSLATED, ref="name: no verified spelling"),
                    title=_en("Under Secretary", "次長", Via.TERMBASE),
                    side="us",
                )
            ],
        ),
        summary=[Sentence(text=_en("The two sides met in Taipei.", "雙方於臺北會面。"))],
        items=[
            AgendaItem(
                number=1,
                title=_en("Energy", "能源", Via.TERMBASE),
                points=[
                    Point(
                        text=_en(
                            "Both sides agreed to expand LNG trade", "雙方同意擴大液化天然氣貿易"
                        ),
                        commitment=Level.AGREED,
                    ),
                    Point(
                        text=_en(
                            "The US will explore grid resilience projects", via=Via.UNTRANSLATED
                        ),
                        commitment=Level.WILL_EXPLORE,
                        actor=_en("The US", "美方", Via.TERMBASE),
                    ),
                ],
            ),
            AgendaItem(
                number=2,
                title=_en("Trade", "貿易", Via.TERMBASE),
                points=[
                    Point(
                        text=_en("Trade talks will continue", "貿易談判將持續"),
                        commitment=Level.WILL_CONTINUE,
                    )
                ],
            ),
        ],
        topics=[_en("energy security", "能源安全", Via.TERMBASE)],
        next_steps=[
            Sentence(text=_en("Officials will meet again in the autumn.", "官員將於秋季再度會面。"))
        ],
    )
    return Sample("english", brief, date_style="roc", organisation="Ministry of Foreign Affairs")


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


def render_context(sample: Sample, audience: str, lang: str) -> dict[str, Any]:
    """The variables a template gets (as ``render.render_markup`` passes them)."""
    from ..pipeline import for_language

    brief = sample.brief
    names = {id(p.name) for p in brief.event.participants}
    if brief.source.author is not None:
        names.add(id(brief.source.author))
    untranslated: list[str] = []
    unverified: list[str] = []
    for t in iter_texts(brief):
        if is_untranslated(t.model_dump(), lang):
            value = t.text.get(brief.source.language) or next(iter(t.text.values()), "")
            (unverified if id(t) in names else untranslated).append(value)
    return {
        "brief": brief.model_dump(mode="json"),
        "lang": lang,
        "audience": audience,
        "date_style": sample.date_style,
        "untranslated_count": len(untranslated),
        "untranslated_passages": untranslated,
        "unverified_names": unverified,
        "organisation": for_language(sample.organisation, lang),
        "classification": for_language(sample.classification, lang),
        "translation_summary": summary_line(brief, lang).partition(" — ")[2]
        if lang != brief.source.language
        else "",
    }


# Problems -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, at a file and line (line None when there is none)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


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
        self.found: dict[tuple[str, int | None, str], set[str] | None] = {}

    def add(self, file: str, line: int | None, message: str, lang: str | None = None) -> None:
        key = (_display(file), line or None, _one_line(message))
        if lang is None:
            self.found[key] = None
            return
        langs = self.found.setdefault(key, set())
        if langs is not None:
            langs.add(lang)

    def result(self) -> list[Problem]:
        out = []
        for (file, line, message), langs in self.found.items():
            if langs and langs != self.langs:
                message += f" ({', '.join(sorted(langs))} only)"
            out.append(Problem(file, line, message))
        return sorted(out, key=lambda p: (p.file, p.line or 0, p.message))


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
        if sink is not None:
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


def _innermost(gen: Any) -> Any:
    while getattr(gen, "gi_yieldfrom", None) is not None and hasattr(gen.gi_yieldfrom, "gi_frame"):
        gen = gen.gi_yieldfrom
    return gen


def _render(template: Template, context: dict[str, Any]) -> _Render:
    """Render ``template``, noting the template line each piece of output comes from
    (the generator delegating blocks and parent templates down to the one yielding)."""
    out = _Render()
    sink: list[tuple[tuple[str, int] | None, str, bool]] = []
    token = _SINK.set(sink)
    parts: list[str] = []
    offset = 0
    try:
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
            return file, line
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


class _StartTags(HTMLParser):
    """Every start tag of the markup with its offset and attributes (tolerant: markup
    errors are ``parse_markup``'s business)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self.tags: list[tuple[int, str, dict[str, str]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        self.tags.append((self.line_starts[line - 1] + col, tag, {k: v or "" for k, v in attrs}))


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

    try:
        walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    except yaml.YAMLError:
        pass
    return lines


def _style_sheets(directory: Path, problems: _Problems, langs: Sequence[str]) -> dict[str, Any]:
    """The style sheet of ``directory`` (its ``styles.yaml`` over the built-in one) per
    language, as a ``StyleSheet`` or, when it cannot be built, the set of style names;
    problems in the user's style sheet are reported at its lines."""
    path = directory / STYLES_FILE
    user: Path | None = path if path.is_file() else None
    keys: dict[tuple[str, ...], int] = {}
    if user is not None:
        try:
            text = user.read_text(encoding="utf-8")
            yaml.safe_load(text)
            keys = _yaml_key_lines(text)
        except UnicodeDecodeError as exc:
            problems.add(str(user), None, f"not UTF-8 text: {exc.reason}")
            user = None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            reason = getattr(exc, "problem", None) or str(exc)
            problems.add(str(user), mark.line + 1 if mark else None, f"not valid YAML: {reason}")
            user = None
    try:
        data = read_stylesheet_data(user)
    except TemplateError as exc:
        problems.add(str(user), 1, str(exc).removeprefix(f"{user}: "))
        data = read_stylesheet_data(None)

    def report(message: str, lang: str, *path: str) -> None:
        line = keys.get(tuple(path)) or keys.get(("lang", lang, *path))
        if line is None and path:
            line = keys.get((path[0],)) or keys.get(("lang", lang, path[0]))
        problems.add(str(user), line or 1, message.removeprefix(f"{user}: "), lang)

    sheets: dict[str, Any] = {}
    for lang in langs:
        names = set(data.get("styles") or {})
        names |= set((((data.get("lang") or {}).get(lang) or {}).get("styles")) or {})
        try:
            sheet = StyleSheet(data, lang, str(user or STYLES_FILE))
        except TemplateError as exc:
            m = re.search(r"style '([^']+)'", str(exc))
            report(str(exc), lang, "styles", m.group(1) if m else "")
            sheets[lang] = names
            continue
        sheets[lang] = sheet
        if user is None:
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
                for key in (
                    "space_before",
                    "space_after",
                    "indent",
                    "first_line_indent",
                    "padding",
                ):
                    if key in props:
                        length(props[key])
            except TemplateError as exc:
                report(
                    f"style {name!r}: {exc}".replace(f"style {name!r}: {user}: ", ""),
                    lang,
                    "styles",
                    name,
                )
        try:
            sheet.page_size  # noqa: B018 - validates the paper
            for side in ("top", "bottom", "left", "right"):
                sheet.margin(side)
        except TemplateError as exc:
            report(str(exc), lang, "page")
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
    files = sorted(p for p in directory.rglob("*.j2") if p.is_file())
    names = [p.relative_to(directory).as_posix() for p in files]

    # 1. Every template compiles.
    env = _environment(langs[0], directory)
    for path, name in zip(files, names, strict=True):
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.add(exc.filename or str(path), exc.lineno, f"syntax error: {exc.message}")
        except UnicodeDecodeError as exc:
            problems.add(str(path), None, f"not UTF-8 text: {exc.reason}")

    # 2. Every label has a translation.
    _check_labels(files, problems)

    # 3. The style sheet.
    sheets = _style_sheets(directory, problems, langs)

    # 4. Render each audience the directory affects: its own, and the built-in ones
    # when it replaces something they share (base, partials, the style sheet).
    own = _audience_files(directory)
    shared = any(not _is_audience_file(p) for p in files) or (directory / STYLES_FILE).is_file()
    audiences = sorted(
        set(own) | (set(_audience_files(builtin_template_dir())) if shared else set())
    )
    used: set[str] = {_display(p) for p in files}
    for lang in langs:
        env = _environment(lang, directory)
        for audience in audiences:
            for sample in samples:
                _check_render(
                    env, audience, lang, sample, sheets[lang], problems, sources, used, directory
                )
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
    sheet: Any,
    problems: _Problems,
    sources: _Sources,
    used: set[str],
    directory: Path,
) -> None:
    name = template_name(audience)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        problems.add(exc.filename or name, exc.lineno, f"syntax error: {exc.message}")
        return
    except (TemplateNotFound, UnicodeDecodeError):
        return  # reported by the compile step
    audience_file = _display(template.filename or name)
    render = _render(template, render_context(sample, audience, lang))
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
            problems.add(file, line, message, None if message.startswith("syntax") else lang)
    locator = _Locator(render, sources, ordered)
    context = f"the {lang} {audience} memo of sample {sample.name!r}"

    # Style classes, also in output cut short by an error.
    for offset, tag, attrs in _StartTags(render.markup).tags:
        style = attrs.get("class", "")
        if not style or (tag, style) in _SPECIAL_CLASSES:
            continue
        known = sheet.has(style) if isinstance(sheet, StyleSheet) else style in sheet
        if known:
            continue
        where = locator.locate(offset, [f'class="{style}"', f"class='{style}'"], [style])
        file, line = where or (audience_file, None)
        problems.add(file, line, f"unknown style class {style!r} (not in the style sheet)", lang)

    if render.error is not None:
        return  # the markup is incomplete
    try:
        parse_markup(render.markup, origin=name, lang=lang)
    except TemplateError as exc:
        text = str(exc)
        m = _MARKUP_ERROR_RE.match(text)
        if not m:
            problems.add(audience_file, None, text.removeprefix(f"{name}: "), lang)
            return
        markup_line, message = int(m.group(1)), m.group(2)
        tokens, weak = _markup_tokens(message)
        lines = render.markup.split("\n")
        start = sum(len(x) + 1 for x in lines[: markup_line - 1])
        current = lines[markup_line - 1] if markup_line <= len(lines) else ""
        column = next((current.find(t) for t in tokens if t in current), -1)
        if column < 0:
            column = len(current) - len(current.lstrip())
        where = locator.locate(start + column, tokens, weak)
        if where is None:
            problems.add(
                audience_file, None, f"markup line {markup_line} of {context}: {message}", lang
            )
        else:
            problems.add(where[0], where[1], message, lang)


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
