"""Batch builds: many articles, built side by side in worker processes.

``build_many(inputs, settings)`` expands the inputs (files, directories, glob patterns),
skips the articles whose output is up to date, and builds the others in a pool of
processes (``spawn``: reportlab's global state never crosses from one article's process
to another's; each worker loads the termbase and the settings' translation memories
once). An article goes through four stages, reported as ``BuildEvent``s::

    read (read, clean, extract) -> translate -> render -> write

Every article is read and translated before any is rendered, so that two inputs that
would write the same output folder are refused (``BriefgenError``) before anything is
written. A failure (bad input, a template error, even a worker process that dies) fails
only its article; each gets an ``ArticleResult``.

Up to date: a build records in its ``manifest.json`` what it was made from
(``build_record``): briefgen's ``version``, the ``input`` (its path as given, SHA-256,
and the SHA-256 of every other file the build reads: termbases, translation memories
including the user's and those beside the article, template folders, the reference
DOCX) and the ``settings`` (``Settings.fingerprint()``). An article whose record equals
the one in a manifest under the output folder, every file of which is still there with
its SHA-256, is skipped unless ``force``; finding it needs no extraction.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import BriefgenError, InputError

if TYPE_CHECKING:
    from .ingest import Source
    from .model import Brief
    from .settings import Settings
    from .translate import Report
    from .translate.memory import MemoryLike
    from .translate.termbase import Termbase

__all__ = [
    "ARTICLE_SUFFIXES",
    "EXIT_SOME_FAILED",
    "STAGES",
    "ArticleResult",
    "BuildEvent",
    "Prepared",
    "Resources",
    "build_many",
    "build_record",
    "default_jobs",
    "expand_inputs",
    "prepare",
    "shared_resources",
    "up_to_date",
    "write",
]

#: The stages of one article, in order.
STAGES: tuple[str, ...] = ("read", "translate", "render", "write")
#: The exit code of a batch in which some article failed.
EXIT_SOME_FAILED = 9
#: Files of a directory input that are articles (what the readers accept).
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")
#: Inputs larger than this are not hashed (the reader refuses them anyway).
_MAX_HASHED = 10 * 1024 * 1024
#: How often (seconds) the parent looks for stage events while articles are built.
_POLL = 0.05


@dataclass(frozen=True)
class ArticleResult:
    """What became of one article: ``status`` is ``built``, ``skipped`` (up to date) or
    ``failed`` (``error`` says why, ``exit_code`` is what ``briefgen build`` would have
    exited with for it alone). ``items`` and ``untranslated`` (passages over all memo
    languages) are None when the article was not read; ``documents`` counts memos."""

    path: Path
    output: Path | None
    status: str
    items: int | None = None
    untranslated: int | None = None
    documents: int = 0
    seconds: float = 0.0
    error: str | None = None
    exit_code: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildEvent:
    """Something happened to the article ``path`` (number ``index`` of ``total``):
    ``stage`` is ``queued``, one of ``STAGES`` (the article entered it), ``prepared``
    (read and translated, waiting until every article is) or ``done`` (``result`` set)."""

    index: int
    total: int
    path: Path
    stage: str
    result: ArticleResult | None = None


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The articles ``inputs`` name, in order, each once: a file as it is (whatever it
    is: the build refuses what is no article); a directory's articles (``articles_in``);
    a glob pattern (``*``, ``?``, ``[``) the shell did not expand, its matches (sorted; a
    matched directory gives its articles). A pattern matching nothing stays a path (and
    fails as a missing file). Raises ``InputError`` for a directory without articles."""
    found: list[Path] = []
    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            found += _directory(path)
        elif not os.path.lexists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                found.append(path)
            for match in matches:
                found += _directory(Path(match)) if os.path.isdir(match) else [Path(match)]
        else:
            found.append(path)
    seen: set[str] = set()
    unique = []
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _directory(path: Path) -> list[Path]:
    articles = articles_in(path)
    if not articles:
        raise InputError(
            f"{path}: no articles in this directory (files ending {', '.join(ARTICLE_SUFFIXES)})"
        )
    return articles


def _is_output(directory: Path) -> bool:
    """Whether ``directory`` is a briefgen output folder."""
    return (directory / "manifest.json").is_file()


def articles_in(directory: Path) -> list[Path]:
    """The articles under ``directory``, sorted: files ending in one of
    ``ARTICLE_SUFFIXES`` (not ``README.md``), in it and its subdirectories; hidden files
    and directories and briefgen output folders (those holding a ``manifest.json``) are
    left out."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not _is_output(Path(root, d))]
        for name in files:
            if name.startswith(".") or name.lower().startswith("readme."):
                continue
            if os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES:
                found.append(Path(root, name))
    return sorted(found)


# ---------------------------------------------------------------------------------------
# What a build is made from, and whether its output is up to date
# ---------------------------------------------------------------------------------------


def _sha256(path: Path, limit: int | None = None) -> str | None:
    """The SHA-256 of a regular file (None for anything else, or one over ``limit``)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
            return None
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def shared_resources(settings: Settings) -> dict[str, str | None]:
    """The files every build with ``settings`` reads besides its article — termbases,
    ``--tm`` memories, template folders, the reference DOCX, the user translation memory
    (as ``"user memory"``) — each with its SHA-256 (None: missing)."""
    paths: list[Path] = [*settings.termbases, *settings.memories]
    for directory in settings.template_dirs:
        for root, dirs, files in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            paths += [Path(root, f) for f in sorted(files) if not f.startswith(".")]
    if settings.reference_docx is not None:
        paths.append(settings.reference_docx)
    found: dict[str, str | None] = {str(path): _sha256(path) for path in dict.fromkeys(paths)}
    if settings.user_memory:
        found["user memory"] = _user_memory_digest()
    return found


def _user_memory_digest() -> str | None:
    """The SHA-256 of the user translation memory's files (its database and write-ahead
    log; None when there is none)."""
    from .translate.store import memory_path

    path = memory_path()
    parts = [_sha256(p) for p in (path, path.with_name(path.name + "-wal"))]
    if parts[0] is None:
        return None
    return hashlib.sha256(" ".join(p or "" for p in parts).encode()).hexdigest()


def build_record(
    source: Path, settings: Settings, shared: dict[str, str | None] | None = None
) -> dict[str, Any] | None:
    """What a build of ``source`` with ``settings`` is made from, as JSON values, for its
    manifest: ``version``; ``input``: the article's ``path`` (as given: the brief records
    it) and ``sha256``, and the ``resources`` it reads (``shared_resources``, given or
    computed, and the reviewed memories beside it); ``settings``: their fingerprint.
    None when ``source`` is not a regular file of a readable size (its build fails)."""
    from .translate.memory import sibling_memories

    digest = _sha256(source, _MAX_HASHED)
    if digest is None:
        return None
    resources = dict(shared if shared is not None else shared_resources(settings))
    if settings.sibling_memories:
        for path in sibling_memories(source):
            resources.setdefault(str(path), _sha256(path))
    record = {
        "version": __version__,
        "input": {"path": str(source), "sha256": digest, "resources": resources},
        "settings": settings.fingerprint(),
    }
    return json.loads(json.dumps(record))  # as it reads back from a manifest


class _Manifests:
    """The manifests under one output folder, read once, by input SHA-256."""

    def __init__(self, base: Path) -> None:
        self._by_input: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
        try:
            entries = sorted(os.scandir(base), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                data = json.loads(Path(entry.path, "manifest.json").read_text(encoding="utf-8"))
                digest = data["input"]["sha256"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            self._by_input.setdefault(str(digest), []).append((Path(entry.path), data))

    def find(self, record: dict[str, Any]) -> tuple[Path, int] | None:
        """The output folder built from ``record`` whose files are all intact, and its
        number of memos; None if there is none."""
        for directory, data in self._by_input.get(record["input"]["sha256"], []):
            if all(data.get(key) == record[key] for key in ("version", "input", "settings")):
                memos = _intact(directory, data)
                if memos is not None:
                    return directory, memos
        return None


def _intact(directory: Path, manifest: dict[str, Any]) -> int | None:
    """The number of memos of ``manifest`` if every file it lists is in ``directory`` with
    its SHA-256, else None."""
    memos = 0
    try:
        for entry in manifest["files"]:
            path = directory / str(entry["name"])
            if Path(entry["name"]).name != entry["name"] or _sha256(path) != entry["sha256"]:
                return None
            memos += entry.get("kind") == "memo"
    except (KeyError, TypeError):
        return None
    return memos


def up_to_date(record: dict[str, Any] | None, output: Path) -> tuple[Path, int] | None:
    """Where the output of ``record`` (``build_record``) already is, intact, under
    ``output`` — and its number of memos; None when it must be built."""
    if record is None:
        return None
    return _Manifests(output).find(record)


# ---------------------------------------------------------------------------------------
# One article's stages (in a worker process, or in-process for a single `briefgen build`)
# ---------------------------------------------------------------------------------------


@dataclass
class Resources:
    """What every article of a build shares, loaded once: the termbase and the settings'
    translation memories (``--tm`` files, then the user's)."""

    termbase: Termbase
    memories: list[MemoryLike]
    user: MemoryLike | None

    @classmethod
    def load(cls, settings: Settings) -> Resources:
        """The termbase and memories of ``settings``."""
        from .pipeline import load_termbase
        from .translate.memory import read_tmx
        from .translate.store import load_user_memory

        memories: list[MemoryLike] = []
        for path in settings.memories:
            memory = read_tmx(path)
            settings.info(f"translation memory {path}: {len(memory)} units")
            memories.append(memory)
        user = None
        if settings.user_memory:
            user = load_user_memory()
            if len(user):
                settings.info(f"user translation memory {user.origin}: {len(user)} units")
            else:
                user = None
        return cls(load_termbase(settings), memories, user)

    def memories_for(self, source: Path | None, settings: Settings) -> list[MemoryLike]:
        """The memories for ``source`` in the order the pipeline uses them: the settings'
        files, those reviewed beside ``source`` (read now), the user's."""
        from .translate.memory import read_tmx, sibling_memories

        memories = list(self.memories)
        if source is not None and settings.sibling_memories:
            for path in sibling_memories(source):
                if path not in settings.memories:
                    memory = read_tmx(path)
                    settings.info(f"translation memory {path}: {len(memory)} units")
                    memories.append(memory)
        return memories + ([self.user] if self.user is not None else [])


@dataclass
class Prepared:
    """An article read and translated: its brief, translation report and output folder."""

    brief: Brief
    report: Report
    directory: Path

    def untranslated(self, settings: Settings) -> int:
        """Passages left untranslated, over every memo language."""
        return sum(self.report.missing(lang) for lang in settings.langs)


def prepare(
    source: Path,
    settings: Settings,
    resources: Resources,
    stage: Callable[[str], None] = lambda _stage: None,
    read: Source | None = None,
) -> Prepared:
    """Read, extract and translate ``source``; refuse it under ``--strict`` (exit 5).
    ``stage`` is told each stage as it starts; ``read`` is the article already read from
    ``source`` (not read again)."""
    from .deliver import output_dir
    from .pipeline import check_strict, extract_brief, translate_brief

    stage("read")
    brief = extract_brief(source, settings, resources.termbase, read)
    stage("translate")
    memories = resources.memories_for(source, settings)
    brief, report = translate_brief(brief, settings, source, resources.termbase, memories)
    check_strict(report, settings)
    return Prepared(brief, report, output_dir(settings.output, brief))


def write(
    prepared: Prepared,
    settings: Settings,
    record: dict[str, Any] | None,
    eml: bool = False,
    stage: Callable[[str], None] = lambda _stage: None,
    workers: int = 1,
) -> list[Path]:
    """Render every memo of ``prepared`` (in ``workers`` processes, see
    ``pipeline.render_all``) and write the set (with ``record`` in its manifest and, if
    ``eml``, an e-mail draft); return the paths written."""
    from .deliver import deliver
    from .pipeline import render_all

    stage("render")
    artifacts = render_all(prepared.brief, settings, workers=workers)
    stage("write")

    def draft(staging: Path) -> list[Path]:  # the .eml is part of the set
        from .mail import write_eml

        return [write_eml(staging, settings=settings)]

    return deliver(prepared.directory, artifacts, draft if eml else None, record=record)


def render_brief(
    brief_path: Path,
    settings: Settings,
    workers: int = 1,
    recorded_as: str | None = None,
    base: Path | None = None,
) -> tuple[Brief, Report, list[Path]]:
    """What ``briefgen render BRIEF`` does: read the brief at ``brief_path``, fill the
    languages it lacks (termbase and memories, as ``translate_brief``), refuse it under
    ``--strict`` (exit 5), then render and write its memos into ``settings.output`` (the
    manifest records ``brief_path``, or ``recorded_as`` when given — the name a user knows
    a copy by). The article the brief names (``source.path``, for the reviewed memories
    beside it) is looked for relative to the working directory, or to ``base``. Returns
    the brief as rendered, the translation report and the paths written."""
    from .deliver import output_dir
    from .model import load_brief
    from .pipeline import check_strict, translate_brief

    brief = load_brief(brief_path)
    source = Path(brief.source.path) if brief.source.path else None
    if source is not None and base is not None and not source.is_absolute():
        source = base / source
    brief, report = translate_brief(brief, settings, source if source and source.exists() else None)
    check_strict(report, settings)
    prepared = Prepared(brief, report, output_dir(settings.output, brief))
    record = build_record(brief_path, settings)
    if record is not None and recorded_as is not None:
        record["input"]["path"] = recorded_as
    paths = write(prepared, settings, record, workers=workers)
    return brief, report, paths


def _failure(exc: BaseException) -> tuple[int, str]:
    """The exit code and one-line message of an article's failure."""
    if isinstance(exc, BriefgenError):
        return exc.exit_code, str(exc)
    return 1, f"internal error: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------------------------
# The worker process
# ---------------------------------------------------------------------------------------


@dataclass
class _Worker:
    """A worker process's state, made once by ``_start_worker``."""

    events: Any  # a multiprocessing SimpleQueue of (kind, index, text)
    index: int = -1
    settings: Settings | None = None
    resources: Resources | None = None
    #: Why the shared resources could not be loaded (every article then fails with it).
    failure: tuple[int, str] | None = None

    def stage(self, name: str) -> None:
        self.events.put(("stage", self.index, name))

    def info(self, text: str) -> None:
        self.events.put(("info", self.index, text))

    def progress(self, text: str) -> None:
        self.events.put(("progress", self.index, text))


#: This process's worker state: set by the pool's initializer in worker processes only,
#: for as long as the process lives; None in every other process.
_worker: _Worker | None = None


def _start_worker(settings: Settings, events: Any, progress: bool) -> None:
    """Pool initializer: load what every article shares; messages go to the parent
    through ``events``. Never raises (a pool whose initializer fails is broken): a
    failure is kept and given as every article's."""
    global _worker
    state = _Worker(events)
    try:
        state.settings = settings.replace(
            info=state.info, progress=state.progress if progress else None
        )
        state.resources = Resources.load(state.settings)
    except Exception as exc:
        state.failure = _failure(exc)
    _worker = state


def _nothing(_message: str) -> None:
    """Says nothing."""


@dataclass
class _Outcome:
    """What a worker sends back for one task: a value, or a failure."""

    value: Any = None
    exit_code: int = 0
    error: str | None = None
    seconds: float = 0.0


def _prepare_task(index: int, source: str) -> _Outcome:
    """Phase 1 of an article, in a worker: ``prepare``."""

    def work(state: _Worker, settings: Settings, resources: Resources) -> Any:
        prepared = prepare(Path(source), settings, resources, state.stage)
        return prepared, prepared.untranslated(settings), _warnings(prepared, settings)

    return _in_worker(index, work)


def _write_task(index: int, prepared: Prepared, record: Any, eml: bool) -> _Outcome:
    """Phase 2 of an article, in a worker: ``write``."""

    def work(state: _Worker, settings: Settings, _resources: Resources) -> Any:
        return write(prepared, settings, record, eml, state.stage)

    return _in_worker(index, work)


def _in_worker(index: int, work: Callable[[_Worker, Settings, Resources], Any]) -> _Outcome:
    """``work``'s value for article ``index``, or its failure, and the time it took."""
    state = _worker
    if state is None:
        raise RuntimeError("not a briefgen batch worker")
    state.index = index
    start = time.perf_counter()
    if state.failure is not None:
        return _Outcome(None, *state.failure)
    assert state.settings is not None and state.resources is not None
    try:
        value = work(state, state.settings, state.resources)
    except Exception as exc:
        return _Outcome(None, *_failure(exc), seconds=time.perf_counter() - start)
    return _Outcome(value, seconds=time.perf_counter() - start)


def _warnings(prepared: Prepared, settings: Settings) -> tuple[str, ...]:
    from .pipeline import report_warnings

    return tuple(report_warnings(prepared.report, settings))


# ---------------------------------------------------------------------------------------
# The parent: the pool, events, results
# ---------------------------------------------------------------------------------------


def default_jobs() -> int:
    """The number of cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return count() or 1
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass
class _Article:
    index: int
    path: Path
    record: dict[str, Any] | None = None
    started: bool = False  # a worker reported a stage of its current task
    strikes: int = 0  # pools broken while it was in them
    reached: int = -1  # the index in STAGES of the last stage reported
    prepared: Prepared | None = None
    items: int | None = None
    untranslated: int | None = None
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    result: ArticleResult | None = None


_DIED = "internal error: the worker process building it died (killed, out of memory or crashed)"


@dataclass
class _Batch:
    """The articles of one ``build_many`` call, its pool and its workers' messages."""

    articles: list[_Article]
    settings: Settings
    jobs: int
    on_event: Callable[[BuildEvent], None]
    events: Any = None
    pool: ProcessPoolExecutor | None = None

    def emit(self, article: _Article, stage: str) -> None:
        event = BuildEvent(article.index, len(self.articles), article.path, stage, article.result)
        self.on_event(event)

    def finish(
        self, article: _Article, status: str, code: int = 0, error: str | None = None
    ) -> None:
        """Give ``article`` its result and report it."""
        directory = article.prepared.directory if article.prepared else None
        documents = 0
        if status == "built":
            s = self.settings
            documents = len(s.langs) * len(s.audiences) * len(s.formats)
        article.result = ArticleResult(
            article.path,
            directory,
            status,
            article.items,
            article.untranslated,
            documents,
            article.seconds,
            error,
            code,
            article.warnings,
        )
        self.emit(article, "done")

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Shuts down the pools made inside (``_new_pool``) when done."""
        try:
            yield
        finally:
            self._close()

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.events is not None:
            self._drain()
            self.events.close()
            self.events = None

    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        """A pool of ``size`` workers with a queue of their messages of its own (a worker
        killed while writing one cannot block the next pool's)."""
        self._close()
        # A SimpleQueue: a worker writes each message before it returns the task's result,
        # so the messages of a finished task are there to read when its result is.
        context = multiprocessing.get_context("spawn")
        self.events = context.SimpleQueue()
        plain = self.settings.replace(info=_nothing, progress=None)  # picklable
        self.pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=context,
            initializer=_start_worker,
            initargs=(plain, self.events, self.settings.progress is not None),
        )
        return self.pool

    def run(
        self,
        articles: list[_Article],
        task: Callable[..., _Outcome],
        args: Callable[[_Article], tuple[Any, ...]],
        done: Callable[[_Article, _Outcome], None],
    ) -> None:
        """Run ``task(index, *args(article))`` for each article in worker processes and
        call ``done`` with each outcome, in this thread. A worker process that dies breaks
        its pool: the articles it was building (or that were in two broken pools) are run
        again one at a time, alone in a pool, the others together in a new pool; an
        article whose lone pool breaks fails."""
        todo, suspects = list(articles), []
        while todo or suspects:
            group = todo if todo else [suspects.pop(0)]
            todo = []
            for article in self._round(group, task, args, done):
                article.strikes += 1
                if len(group) == 1:
                    article.seconds = 0.0
                    self.finish(article, "failed", 1, _DIED)
                elif article.started or article.strikes >= 2:
                    suspects.append(article)
                else:
                    todo.append(article)

    def _round(
        self,
        group: list[_Article],
        task: Callable[..., _Outcome],
        args: Callable[[_Article], tuple[Any, ...]],
        done: Callable[[_Article, _Outcome], None],
    ) -> list[_Article]:
        """One pool for ``group``; the articles the pool broke under."""
        pool = self._new_pool(min(self.jobs, len(group)))
        for article in group:
            article.started = False
        futures: dict[Future[_Outcome], _Article] = {}
        broken = []
        for article in group:
            try:
                futures[pool.submit(task, article.index, *args(article))] = article
            except BrokenProcessPool:  # it broke already: the rest wait for the next pool
                broken.append(article)
        pending: set[Future[_Outcome]] = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            self._drain()
            for future in finished:
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken.append(futures[future])
                    continue
                done(futures[future], outcome)
        return broken

    def _drain(self) -> None:
        """Pass on what the workers reported so far."""
        while not self.events.empty():
            kind, index, text = self.events.get()
            article = self.articles[index]
            if article.result is not None:
                continue  # a late message of an article already done
            if kind == "stage":
                article.started = True
                if STAGES.index(text) > article.reached:  # not a late, stale message
                    article.reached = STAGES.index(text)
                    self.emit(article, text)
            elif kind == "info":
                self.settings.info(f"{article.path.name}: {text}")
            elif kind == "progress" and self.settings.progress is not None:
                self.settings.progress(f"{article.path.name}: {text}")


def build_many(
    inputs: Iterable[str | os.PathLike[str]],
    settings: Settings,
    jobs: int | None = None,
    force: bool = False,
    on_event: Callable[[BuildEvent], None] | None = None,
    *,
    eml: bool = False,
) -> list[ArticleResult]:
    """Build every article of ``inputs`` (see ``expand_inputs``) with ``settings``, in
    ``jobs`` worker processes (default ``settings.jobs``, else the number of cores), and
    return one ``ArticleResult`` per article, in input order. Articles whose output is up
    to date are skipped unless ``force`` (or ``eml``: also write e-mail drafts).
    ``on_event`` is told each ``BuildEvent``, in this thread; ``settings.info`` and
    ``settings.progress`` get the workers' messages, prefixed with the article's file
    name. Raises ``BriefgenError`` before anything is written when two articles would
    write the same output folder (naming both), and for a directory without articles.

    The workers are started with "spawn", which imports the calling program's main
    module again in each: a script calling this needs the usual
    ``if __name__ == "__main__":`` guard."""
    articles = [_Article(i, p) for i, p in enumerate(expand_inputs(inputs))]
    jobs = max(1, jobs or settings.jobs or default_jobs())
    batch = _Batch(articles, settings, jobs, on_event or (lambda _event: None))
    for article in articles:
        batch.emit(article, "queued")
    manifests = None if force or eml else _Manifests(settings.output)
    folders: dict[Path, list[_Article]] = {}
    todo = []
    shared = shared_resources(settings)
    for article in articles:
        article.record = build_record(article.path, settings, shared)
        found = manifests.find(article.record) if manifests and article.record else None
        if found is None:
            todo.append(article)
            continue
        directory, memos = found
        folders.setdefault(directory, []).append(article)
        article.result = ArticleResult(article.path, directory, "skipped", documents=memos)
        batch.emit(article, "done")
    if todo:
        with batch.running():
            batch.run(todo, _prepare_task, lambda a: (str(a.path),), _prepared(batch, folders))
            _refuse_clashes(folders)
            ready = [a for a in todo if a.result is None]
            batch.run(ready, _write_task, lambda a: (a.prepared, a.record, eml), _written(batch))
    return [a.result for a in articles if a.result is not None]


def _prepared(
    batch: _Batch, folders: dict[Path, list[_Article]]
) -> Callable[[_Article, _Outcome], None]:
    def done(article: _Article, outcome: _Outcome) -> None:
        article.seconds += outcome.seconds
        if outcome.error is not None:
            batch.finish(article, "failed", outcome.exit_code, outcome.error)
            return
        prepared, article.untranslated, article.warnings = outcome.value
        article.prepared, article.items = prepared, len(prepared.brief.items)
        folders.setdefault(prepared.directory, []).append(article)
        article.reached = max(article.reached, STAGES.index("translate"))
        batch.emit(article, "prepared")

    return done


def _written(batch: _Batch) -> Callable[[_Article, _Outcome], None]:
    def done(article: _Article, outcome: _Outcome) -> None:
        article.seconds += outcome.seconds
        if outcome.error is not None:
            batch.finish(article, "failed", outcome.exit_code, outcome.error)
        else:
            batch.finish(article, "built")

    return done


def _refuse_clashes(folders: dict[Path, list[_Article]]) -> None:
    """``BriefgenError`` naming the first two articles (in input order) that would write
    the same output folder."""
    clashes = [
        (sorted(owners, key=lambda a: a.index), directory)
        for directory, owners in folders.items()
        if len(owners) > 1
    ]
    if clashes:
        owners, directory = min(clashes, key=lambda clash: clash[0][0].index)
        raise BriefgenError(
            f"{owners[0].path} and {owners[1].path} would both be written to {directory} "
            "(same date and meeting); build them into different --output folders; nothing "
            "was written"
        )
