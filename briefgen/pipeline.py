"""Wires the stages: ingest -> clean -> extract -> translate -> render -> write -> deliver.

Each stage is a plain function of the previous stage's value; this module only chooses
resources (termbases, memories, templates, style sheet) from the options and runs them.
Every document is rendered to bytes before anything is written, so a failure leaves no
partial output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fonts
from .clean import clean
from .deliver import Artifact, memo_name, slug
from .errors import BriefgenError, InputError
from .extract import extract
from .fonts import Progress
from .ingest import read_source
from .model import OUTPUT_LANGS, Brief, dump_brief
from .render import audiences as available_audiences
from .render import render
from .render.environment import builtin_template_dir
from .styles import StyleSheet, read_stylesheet_layers, with_paper
from .translate import Report, providers_for, translate
from .translate.engines import make_engine
from .translate.memory import TranslationMemory, read_tmx, sibling_memories
from .translate.store import load_user_memory
from .translate.termbase import Termbase, builtin_termbase, read_termbase
from .writers import WRITERS, write

DEFAULT_AUDIENCES = ("leadership", "working", "press", "gongwen")


@dataclass
class Options:
    """What to build and with which resources."""

    langs: Sequence[str] = OUTPUT_LANGS
    audiences: Sequence[str] = DEFAULT_AUDIENCES
    formats: Sequence[str] = ("docx", "pdf")
    template_dirs: Sequence[Path] = ()
    termbases: Sequence[Path] = ()
    memories: Sequence[Path] = ()
    #: Also use reviewed TMX files found beside the source (``<stem>*.tmx``).
    sibling_memories: bool = True
    encoding: str | None = None
    date_style: str = "gregorian"
    #: OpenCC configuration for Simplified-Chinese sources: s2tw or s2twp.
    opencc: str = "s2tw"
    #: "wade-giles" romanizes unknown Chinese personal names (marked unverified).
    romanize: str | None = None
    #: Refuse to write memos while any passage is untranslated.
    strict: bool = False
    #: Machine translation: none, openai (an OpenAI-compatible endpoint) or argos.
    engine: str | None = None
    engine_url: str | None = None
    engine_model: str | None = None
    #: The environment variable holding the engine's API key (never a command-line value).
    engine_key_env: str = "BRIEFGEN_ENGINE_KEY"
    engine_timeout: float = 30.0
    #: Organisation named in the running header, and a classification marking
    #: ("限閱|LIMITED DISTRIBUTION": zh-TW|English; one value serves both). None by default.
    organisation: str = ""
    classification: str = ""
    #: Author recorded in the memos' properties (default: briefgen).
    author: str = ""
    #: A Word document whose styles the DOCX memos use.
    reference_docx: Path | None = None
    #: Fuzzy translation-memory threshold (0..1); 1.0 takes exact matches only.
    fuzzy: float = 0.9
    #: Also use the user's translation memory (``briefgen tm``).
    user_memory: bool = True
    paper: str | None = None
    progress: Progress | None = None
    info: Callable[[str], None] = field(default=lambda message: None)

    def check(self) -> None:
        """Raise ``BriefgenError`` for unknown languages, audiences or formats."""
        for lang in self.langs:
            if lang not in OUTPUT_LANGS:
                raise BriefgenError(
                    f"unknown language {lang!r} (choose from {', '.join(OUTPUT_LANGS)})"
                )
        known = available_audiences(self.template_dirs)
        for audience in self.audiences:
            if audience not in known:
                raise BriefgenError(
                    f"unknown audience {audience!r} (choose from {', '.join(known)})"
                )
        for fmt in self.formats:
            if fmt not in WRITERS:
                raise BriefgenError(f"unknown format {fmt!r} (choose from {', '.join(WRITERS)})")
        if not 0.5 <= self.fuzzy <= 1.0:
            raise BriefgenError("--fuzzy must be between 0.5 and 1.0")
        if self.opencc not in ("s2tw", "s2twp"):
            raise BriefgenError("--opencc must be s2tw or s2twp")
        if self.date_style not in ("gregorian", "roc"):
            raise BriefgenError("--date-style must be gregorian or roc")
        if not (self.langs and self.audiences and self.formats):
            raise BriefgenError("nothing to build: give at least one language, audience and format")


def load_termbase(options: Options) -> Termbase:
    """The built-in termbase with the user's termbases over it (later files win)."""
    termbase = builtin_termbase()
    for path in options.termbases:
        termbase = termbase.merged(read_termbase(path))
    return termbase


def load_memories(options: Options, source: Path | None) -> list[TranslationMemory]:
    """The user's TMX files, then the reviewed ones beside ``source``."""
    paths = list(options.memories)
    if source is not None and options.sibling_memories:
        paths += [p for p in sibling_memories(source) if p not in paths]
    memories = []
    for path in paths:
        memory = read_tmx(path)
        options.info(f"translation memory {path}: {len(memory)} units")
        memories.append(memory)
    if options.user_memory:
        user = load_user_memory()
        if len(user):
            options.info(f"user translation memory {user.origin}: {len(user)} units")
            memories.append(user)
    return memories


def extract_brief(path: Path, options: Options, termbase: Termbase | None = None) -> Brief:
    """Read, clean and extract ``path`` into a (source-language) Brief."""
    source = read_source(path, options.encoding)
    options.info(
        f"{path}: {source.format}, {source.encoding}, {source.language}, "
        f"{len(source.paragraphs)} paragraphs"
    )
    cleaned = clean(source)
    for line in cleaned.removed:
        options.info(f"removed furniture: {line[:60]}")
    brief = extract(cleaned, termbase or load_termbase(options))
    if not brief.summary and not brief.items:
        raise InputError(f"{path}: found no sentences to brief; is this a meeting readout?")
    options.info(
        f"extracted {len(brief.items)} agenda items, {len(brief.event.participants)} "
        f"participants, {len(brief.event.documents)} documents"
    )
    return brief


def translate_brief(
    brief: Brief, options: Options, source: Path | None = None, termbase: Termbase | None = None
) -> tuple[Brief, Report]:
    """Fill every output language of ``brief`` (see ``translate``)."""
    termbase = termbase or load_termbase(options)
    memories = load_memories(options, source)
    providers = providers_for(brief, termbase, memories, options.opencc, options.fuzzy)
    engine = make_engine(
        options.engine,
        options.engine_url,
        options.engine_model,
        options.engine_key_env,
        termbase,
        options.engine_timeout,
    )
    result = translate(brief, options.langs, providers, engine, romanize=options.romanize)
    for note in getattr(engine, "notes", []):
        options.info(f"engine: {note}")
    return result


def stylesheet(options: Options, lang: str, audience: str | None = None) -> StyleSheet:
    """The style sheet for ``lang`` (and ``audience``), inheriting in this order: the
    built-in ``styles.yaml``, the built-in ``<audience>.styles.yaml``, then from each
    ``--templates`` directory (last one first, so the first directory wins) its
    ``styles.yaml`` and ``<audience>.styles.yaml``; then the paper option and
    ``--reference-docx``."""
    builtin = builtin_template_dir()
    layers = [builtin / "styles.yaml"]
    if audience:
        layers.append(builtin / f"{audience}.styles.yaml")
    for directory in reversed([Path(d) for d in options.template_dirs]):
        layers.append(directory / "styles.yaml")
        if audience:
            layers.append(directory / f"{audience}.styles.yaml")
    data = with_paper(read_stylesheet_layers(layers[1:]), options.paper)
    if options.reference_docx is not None:
        data.setdefault("page", {})["docx_reference"] = str(options.reference_docx)
    origin = next((str(p) for p in reversed(layers) if p.is_file()), "styles.yaml")
    return StyleSheet(data, lang, origin)


def prepare_fonts(options: Options) -> None:
    """Make sure the faces PDFs will use are converted and cached (in parallel)."""
    if "pdf" not in options.formats:
        return
    variants = []
    for lang, audience in ((lang, a) for lang in options.langs for a in options.audiences):
        sheet = stylesheet(options, lang, audience)
        for role in sheet.data.get("fonts") or {}:
            for key in sheet.font_role(role).faces:
                face = fonts.face(key)
                variants += [v for v in (face.regular, face.bold) if v is not None]
    fonts.prepare(variants, options.progress)


def letterhead(sheet: StyleSheet, key: str) -> str:
    """A letterhead default from the style sheet (``letterhead: {organisation:,
    classification:, logo:}``); options and the config file win over it."""
    return str((sheet.data.get("letterhead") or {}).get(key) or "")


def for_language(value: str, lang: str) -> str:
    """``"限閱|LIMITED DISTRIBUTION"`` -> the zh-TW or the English half; a value without
    ``|`` serves every language."""
    if "|" not in value:
        return value.strip()
    zh, _, en = value.partition("|")
    return (zh if lang.startswith("zh") else en).strip()


def render_all(brief: Brief, options: Options) -> list[Artifact]:
    """Every memo of ``options`` as bytes, plus ``brief.yaml``. A memo whose template sets
    ``max_pages`` is shortened by the template's own rules until its PDF fits."""
    prepare_fonts(options)
    stem = slug(brief)
    artifacts: list[Artifact] = []
    for audience in options.audiences:
        for lang in options.langs:
            sheet = stylesheet(options, lang, audience)
            doc, pdf = fitted(brief, audience, lang, sheet, options)
            for fmt in options.formats:
                data = (
                    pdf
                    if fmt == "pdf" and pdf is not None
                    else write(doc, fmt, sheet, options.progress)
                )
                name = memo_name(stem, audience, lang, fmt)
                artifacts.append(Artifact(name, data, "memo", audience, lang, fmt))
    artifacts.append(Artifact("brief.yaml", dump_brief(brief).encode("utf-8"), "brief"))
    return artifacts


#: How many times a too-long memo may be shortened (the templates define the steps).
MAX_SHORTEN = 7
_PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)\b")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF this writer made."""
    return len(_PAGE_RE.findall(pdf))


def fitted(
    brief: Brief, audience: str, lang: str, sheet: StyleSheet, options: Options
) -> tuple[Any, bytes | None]:
    """The memo as a Document (and its PDF when it had to be laid out to measure it),
    shortened step by step while it is longer than its template's ``max_pages``."""
    pdf = None
    for level in range(MAX_SHORTEN + 1):
        doc = render(
            brief,
            audience,
            lang,
            options.template_dirs,
            options.date_style,
            for_language(options.organisation or letterhead(sheet, "organisation"), lang),
            for_language(options.classification or letterhead(sheet, "classification"), lang),
            for_language(options.author, lang),
            shorten=level,
        )
        limit = int(doc.meta.max_pages or 0)
        if not limit:
            return doc, None
        pdf = write(doc, "pdf", sheet, options.progress)
        if pdf_pages(pdf) <= limit:
            return doc, pdf
        options.info(f"{audience} {lang}: {pdf_pages(pdf)} pages, shortening (step {level + 1})")
    return doc, pdf
