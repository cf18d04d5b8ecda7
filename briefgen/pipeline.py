"""Wires the stages: ingest -> clean -> extract -> translate -> render -> write -> deliver.

Each stage is a plain function of the previous stage's value; this module only chooses
resources (termbases, memories, templates, style sheet) from the settings and runs them.
Every document is rendered to bytes before anything is written, so a failure leaves no
partial output.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import fonts
from .clean import clean
from .deliver import Artifact, memo_name, slug
from .errors import BriefgenError, InputError
from .extract import extract
from .ingest import Source, read_source
from .languages import is_cjk
from .model import Brief, dump_brief
from .render import audiences as available_audiences
from .render import render_markup, to_document
from .render.sheets import memo_stylesheet
from .settings import DEFAULT_AUDIENCES, Settings
from .styles import StyleSheet, StyleSheetFiles
from .translate import Report, providers_for, translate
from .translate.engines import make_engine
from .translate.memory import MemoryLike, read_tmx, sibling_memories
from .translate.store import load_user_memory
from .translate.termbase import Termbase, builtin_termbase, read_termbase
from .writers import write

__all__ = ["DEFAULT_AUDIENCES", "Settings", "extract_brief", "render_all", "translate_brief"]


def check_settings(settings: Settings) -> None:
    """Raise ``BriefgenError`` for an audience no template serves (the rest of the
    settings were checked when they were made)."""
    known = available_audiences(settings.template_dirs)
    for audience in settings.audiences:
        if audience not in known:
            raise BriefgenError(f"unknown audience {audience!r} (choose from {', '.join(known)})")


def load_termbase(settings: Settings) -> Termbase:
    """The built-in termbase with the user's termbases over it (later files win)."""
    termbase = builtin_termbase()
    for path in settings.termbases:
        termbase = termbase.merged(read_termbase(path))
    return termbase


def load_memories(settings: Settings, source: Path | None) -> list[MemoryLike]:
    """The user's TMX files, then the reviewed ones beside ``source``."""
    paths = list(settings.memories)
    if source is not None and settings.sibling_memories:
        paths += [p for p in sibling_memories(source) if p not in paths]
    memories: list[MemoryLike] = []
    for path in paths:
        memory = read_tmx(path)
        settings.info(f"translation memory {path}: {len(memory)} units")
        memories.append(memory)
    if settings.user_memory:
        user = load_user_memory()
        if len(user):
            settings.info(f"user translation memory {user.origin}: {len(user)} units")
            memories.append(user)
    return memories


def extract_brief(
    path: Path,
    settings: Settings,
    termbase: Termbase | None = None,
    source: Source | None = None,
) -> Brief:
    """Read, clean and extract ``path`` into a (source-language) Brief (``source``: the
    article already read from ``path``, not read again)."""
    source = source or read_source(path, settings.encoding)
    settings.info(
        f"{path}: {source.format}, {source.encoding}, {source.language}, "
        f"{len(source.paragraphs)} paragraphs"
    )
    cleaned = clean(source)
    for line in cleaned.removed:
        settings.info(f"removed furniture: {line[:60]}")
    brief = extract(cleaned, termbase or load_termbase(settings))
    if not brief.summary and not brief.items:
        raise InputError(f"{path}: found no sentences to brief; is this a meeting readout?")
    settings.info(
        f"extracted {len(brief.items)} agenda items, {len(brief.event.participants)} "
        f"participants, {len(brief.event.documents)} documents"
    )
    return brief


def translate_brief(
    brief: Brief,
    settings: Settings,
    source: Path | None = None,
    termbase: Termbase | None = None,
    memories: Sequence[MemoryLike] | None = None,
) -> tuple[Brief, Report]:
    """Fill every output language of ``brief`` (see ``translate``) from ``termbase`` and
    ``memories`` (default: loaded for ``settings`` and ``source``, see ``load_memories``;
    a batch worker passes those it loaded once)."""
    termbase = termbase or load_termbase(settings)
    memories = load_memories(settings, source) if memories is None else memories
    providers = providers_for(brief, termbase, memories, settings.opencc, settings.fuzzy)
    engine = make_engine(settings.engine, termbase)
    result = translate(brief, settings.langs, providers, engine, romanize=settings.romanize)
    for note in getattr(engine, "notes", []):
        settings.info(f"engine: {note}")
    return result


def report_warnings(report: Report, settings: Settings) -> list[str]:
    """The warnings a build gives about ``report``: passages left untranslated and names
    without a verified spelling, one line per kind and language."""
    lines = []
    for lang in settings.langs:
        missing = report.missing(lang)
        if missing:
            lines.append(
                f"warning: {missing} passage(s) have no {lang} translation; they are shown "
                "in the original language and marked untranslated"
            )
        names = report.unverified.get(lang, [])
        if names:
            lines.append(
                f"warning: {len(names)} name(s) have no verified {lang} spelling: "
                + "、".join(names[:8])
                + ("…" if len(names) > 8 else "")
            )
    return lines


def check_strict(report: Report, settings: Settings) -> None:
    """``strict``: refuse (``BriefgenError``, exit code 5), before anything is written,
    while passages are untranslated or names unverified (unless romanized)."""
    if not settings.strict:
        return
    problems = []
    for lang in settings.langs:
        if report.missing(lang):
            problems.append(f"{report.missing(lang)} untranslated {lang} passage(s)")
        names = [n for n in report.unverified.get(lang, []) if not settings.romanize]
        if names:
            problems.append(f"{len(names)} {lang} name(s) without a verified spelling")
    if problems:
        raise BriefgenError(
            "--strict: " + ", ".join(problems) + "; nothing was written (add the names to a "
            "termbase, or use --romanize wade-giles)",
            exit_code=5,
        )


def stylesheet(settings: Settings, lang: str, audience: str | None = None) -> StyleSheet:
    """The memo's style sheet (see ``render.sheets.memo_stylesheet``)."""
    return memo_stylesheet(settings, lang, audience)


def prepare_fonts(settings: Settings, sheets: Iterable[StyleSheet] | None = None) -> None:
    """Make sure the faces PDFs will use (those of ``sheets``, default every memo's of
    ``settings``) are converted and cached."""
    if "pdf" not in settings.formats:
        return
    if sheets is None:
        sheets = [
            memo_stylesheet(settings, lang, a)
            for lang in settings.langs
            for a in settings.audiences
        ]
    variants = []
    for sheet in sheets:
        for role in sheet.data.get("fonts") or {}:
            for key in sheet.font_role(role).faces:
                face = fonts.face(key)
                variants += [v for v in (face.regular, face.bold) if v is not None]
    fonts.prepare(variants, settings.progress)


def render_all(brief: Brief, settings: Settings, workers: int = 1) -> list[Artifact]:
    """Every memo of ``settings`` as bytes, plus ``brief.yaml``, in a fixed order. A memo
    whose template sets ``max_pages`` is shortened by the template's own rules until its
    PDF fits. Each style sheet is read once.

    With ``workers`` > 1 the memos are laid out by that many forked worker processes (see
    ``parallel_workers``); the bytes are the same either way."""
    files = StyleSheetFiles()
    sheets = {
        (lang, audience): memo_stylesheet(settings, lang, audience, files)
        for audience in settings.audiences
        for lang in settings.langs
    }
    prepare_fonts(settings, sheets.values())
    tasks = [(audience, lang, sheets[lang, audience]) for audience, lang in _by_cost(settings)]
    count = parallel_workers(workers, len(tasks))
    if count > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [pool.submit(memo_artifacts, brief, *task, settings) for task in tasks]
            done = {task[:2]: future.result() for task, future in zip(tasks, futures, strict=True)}
    else:
        done = {task[:2]: memo_artifacts(brief, *task, settings) for task in tasks}
    artifacts = [
        a
        for audience in settings.audiences
        for lang in settings.langs
        for a in done[audience, lang]
    ]
    artifacts.append(Artifact("brief.yaml", dump_brief(brief).encode("utf-8"), "brief"))
    return artifacts


#: Roughly how long each audience takes to lay out, heaviest first (the pool starts the
#: heavy memos first so the last one to finish is a light one).
_COST_ORDER = ("working", "leadership", "gongwen", "press")


def _by_cost(settings: Settings) -> list[tuple[str, str]]:
    """The (audience, language) pairs of ``settings``, the costliest first."""
    pairs = [(a, lang) for a in settings.audiences for lang in settings.langs]
    rank = {a: i for i, a in enumerate(_COST_ORDER)}
    return sorted(pairs, key=lambda pair: (rank.get(pair[0], -1), not is_cjk(pair[1])))


def parallel_workers(requested: int, tasks: int) -> int:
    """How many processes ``render_all`` uses: ``requested`` capped by the tasks and the
    cores, and 1 (in-process) unless forking is safe here — the "fork" start method
    exists and this process runs a single thread (a web server or a batch worker renders
    in-process; its own pool gives the parallelism)."""
    if requested <= 1 or tasks <= 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(requested, tasks, os.cpu_count() or 1))


def memo_artifacts(
    brief: Brief, audience: str, lang: str, sheet: StyleSheet, settings: Settings
) -> list[Artifact]:
    """The files of one memo (one per format of ``settings``)."""
    doc, pdf = fitted(brief, audience, lang, sheet, settings)
    artifacts = []
    for fmt in settings.formats:
        data = (
            pdf if fmt == "pdf" and pdf is not None else write(doc, fmt, sheet, settings.progress)
        )
        name = memo_name(slug(brief), audience, lang, fmt)
        artifacts.append(Artifact(name, data, "memo", audience, lang, fmt))
    return artifacts


#: How many times a too-long memo may be shortened (the templates define the steps).
MAX_SHORTEN = 7
_PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)\b")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF this writer made."""
    return len(_PAGE_RE.findall(pdf))


def fitted(
    brief: Brief, audience: str, lang: str, sheet: StyleSheet, settings: Settings
) -> tuple[Any, bytes | None]:
    """The memo as a Document (and its PDF when it had to be laid out to measure it),
    shortened step by step while it is longer than its template's ``max_pages``."""
    pdf = None
    previous = None
    for level in range(MAX_SHORTEN + 1):
        markup = render_markup(brief, audience, lang, settings, sheet=sheet, shorten=level)
        if markup == previous:  # this step left nothing more out: the layout is the same
            continue
        previous = markup
        doc = to_document(markup, audience, lang)
        limit = int(doc.meta.max_pages or 0)
        if not limit:
            return doc, None
        pdf = write(doc, "pdf", sheet, settings.progress)
        if pdf_pages(pdf) <= limit:
            return doc, pdf
        settings.info(f"{audience} {lang}: {pdf_pages(pdf)} pages, shortening (step {level + 1})")
    return doc, pdf
