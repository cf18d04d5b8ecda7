"""The long work of ``briefgen serve``, run in worker processes so the server never waits.

Each job is a plain function of picklable arguments (a workspace folder and the
``Settings``) that calls the same pipeline functions as the command line — ``prepare``
(read, clean, extract, translate) as ``briefgen build`` does, ``render_brief`` as
``briefgen render`` does — and records its progress and outcome in the workspace's files,
so a page reloaded, or a server restarted, still finds them. ``JobRunner`` owns the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from ..deliver import atomic_write
from ..errors import BriefgenError
from ..settings import Settings
from .workspace import Workspace, read_json

_T = TypeVar("_T")

#: What the page says while each stage of ``prepare`` runs.
STAGE_TEXT = {"read": "reading and extracting the readout", "translate": "translating"}
#: The formats a workspace's memos are rendered in: the downloads and the page's preview.
WEB_FORMATS = ("pdf", "docx", "odt", "html")
#: What the e-mail (sent or drafted) attaches: the documents, not the HTML previews.
ATTACHED = tuple(f"*/*/{fmt}" for fmt in ("pdf", "docx", "odt"))


def error_text(exc: BaseException, workspace: Workspace) -> str:
    """The one-line message the CLI would print for ``exc``, with the workspace's folder
    left out of file names (the page names the upload as the user named it)."""
    if isinstance(exc, BriefgenError):
        text = str(exc)
    else:
        text = f"internal error: {type(exc).__name__}: {exc}"
    for prefix in (f"{workspace.source_dir}{os.sep}", f"{workspace.path}{os.sep}"):
        text = text.replace(prefix, "")
    return " ".join(text.split())


def silent(_message: str) -> None:
    """Says nothing: a job's progress goes to its workspace's files (the ``info`` of the
    server's settings)."""


def extract_job(path: str, settings: Settings) -> str:
    """Read, extract and translate the workspace's readout into ``brief.yaml`` (as
    ``briefgen build`` does, with the encoding chosen at upload, and without ``--strict``:
    untranslated passages are what the review fills), keep the article's paragraphs
    before and after cleaning in ``article.json``, mark the workspace ready, then render
    the memos (``render_job``). A brief already there goes to the history (undo brings
    it back). Returns the state ("ready" or "failed"); the error, if any, is in
    ``status.json``."""
    from ..batch import Resources, prepare
    from ..clean import clean
    from ..ingest import read_source

    workspace = Workspace(Path(path))
    encoding = workspace.meta().get("encoding") or settings.encoding
    settings = settings.replace(strict=False, encoding=encoding)
    try:
        source_path = workspace.source_path()
        if source_path is None:
            raise BriefgenError("the uploaded readout is missing from its workspace")
        workspace.set_status("running", STAGE_TEXT["read"])
        source = read_source(source_path, settings.encoding)
        cleaned = clean(source)

        def stage(name: str) -> None:
            workspace.set_status("running", STAGE_TEXT.get(name, name))

        prepared = prepare(source_path, settings, Resources.load(settings), stage, source)
        brief = prepared.brief
        # As the workspace sees it: `briefgen render brief.yaml` run there finds it.
        brief.source.path = source_path.relative_to(workspace.path).as_posix()
        article = {"paragraphs": list(source.paragraphs), "kept": list(cleaned.paragraphs)}
        atomic_write(workspace.path / "article.json", json.dumps(article).encode("utf-8"))
        workspace.save_brief(brief)
    except Exception as exc:
        workspace.set_status("failed", error=error_text(exc, workspace))
        return "failed"
    workspace.set_status("ready")  # the review can start while the memos are rendered
    render_job(path, settings)
    return "ready"


#: How many memo sets of earlier versions a workspace keeps besides the current one (an
#: undo to an older version renders it again).
KEEP_RENDERED = 2


def render_job(path: str, settings: Settings) -> str:
    """Render the memos of the workspace's current ``brief.yaml`` into
    ``out/<digest>/`` exactly as ``briefgen render brief.yaml -o out/<digest>`` run in
    the workspace would (formats ``WEB_FORMATS`` besides the settings' own; the readout
    the brief names is looked for in the workspace, wherever the server runs), recording
    the state
    in ``render.json``; then drop the memo sets of all but the ``KEEP_RENDERED`` newest
    earlier versions. Returns the digest rendered.

    The memos are laid out in this process: forked layout processes would outlive a
    worker that is killed, and keep the pool from noticing (the pool's workers give the
    parallelism)."""
    from ..batch import render_brief

    workspace = Workspace(Path(path))
    # One read: the digest and the snapshot are of the same version, whatever edits follow.
    try:
        data = workspace.brief_path.read_bytes()
    except FileNotFoundError:
        return ""
    digest = hashlib.sha256(data).hexdigest()[:16]
    formats = tuple(dict.fromkeys((*settings.formats, *WEB_FORMATS)))
    out = workspace.out_dir(digest)
    set_render(workspace, digest, "running")
    snapshot = workspace.path / "out" / f"{digest}.yaml"
    try:
        snapshot.parent.mkdir(exist_ok=True)
        atomic_write(snapshot, data)
        run = settings.replace(output=out, formats=formats)
        render_brief(snapshot, run, workers=1, recorded_as="brief.yaml", base=workspace.path)
    except Exception as exc:
        if (workspace.path / "meta.json").exists():
            set_render(workspace, digest, "failed", error_text(exc, workspace))
        return digest
    finally:
        snapshot.unlink(missing_ok=True)
    if not (workspace.path / "meta.json").exists():
        # The workspace was deleted while its memos were rendered: leave nothing of it.
        shutil.rmtree(workspace.path, ignore_errors=True)
        return digest
    set_render(workspace, digest, "ready")
    _prune(workspace, keep=digest)
    return digest


def _prune(workspace: Workspace, keep: str) -> None:
    """Remove the memo sets of ``workspace`` but ``keep``, the current version's and the
    ``KEEP_RENDERED`` newest others, and snapshots a stopped render left (an hour old)."""
    out = workspace.path / "out"
    current = workspace.brief_digest()
    sets = sorted(
        (p for p in out.iterdir() if p.is_dir() and p.name not in (keep, current)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in sets[KEEP_RENDERED:]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in out.glob("*.yaml"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()


def render_state(workspace: Workspace) -> dict[str, Any]:
    """``render.json``: the digest last rendered, its state and error."""
    return read_json(workspace.path / "render.json")


def set_render(workspace: Workspace, digest: str, state: str, error: str | None = None) -> None:
    """Record the state of the render of ``digest`` in ``render.json``."""
    data = {"digest": digest, "state": state, "error": error}
    atomic_write(workspace.path / "render.json", json.dumps(data).encode("utf-8"))


def memo_folder(workspace: Workspace, digest: str) -> Path | None:
    """The folder of memos rendered for ``digest`` (the one with a ``manifest.json``), or
    None when there is none yet."""
    out = workspace.out_dir(digest)
    if not out.is_dir():
        return None
    found = sorted(p.parent for p in out.glob("*/manifest.json"))
    return found[0] if found else None


def zip_job(folder: str) -> bytes:
    """The memo set of ``folder`` as a zip: every file its ``manifest.json`` lists (memos,
    brief.yaml) and the manifest, under the folder's name, with fixed times so equal sets
    give equal bytes (an e-mail draft written beside them is not part of the set)."""
    import io

    base = Path(folder)
    manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    listed = [str(entry["name"]) for entry in manifest.get("files", [])]
    names = [*listed, "manifest.json"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"{base.name}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (base / name).read_bytes())
    return buffer.getvalue()


def eml_job(folder: str, settings: Settings) -> str:
    """Write the e-mail draft of the memo folder ``folder`` (as ``briefgen build --eml``
    does, attaching ``ATTACHED``); return its path."""
    from ..mail import write_eml

    return str(write_eml(Path(folder), filters=ATTACHED, settings=settings))


def send_job(folder: str, settings: Settings, to: list[str], cc: list[str]) -> list[str]:
    """Send the memo e-mail of ``folder`` (attaching ``ATTACHED``) to ``to`` and ``cc``
    through the configured SMTP server, as ``briefgen send`` does; return what happened to
    each recipient."""
    from ..mail.outgoing import outgoing_memos, send_outgoing

    outgoing = outgoing_memos(Path(folder), settings, to=to, cc=cc, attach=ATTACHED)
    report = send_outgoing(outgoing, settings)
    return [f"sent {len(outgoing.data):,} bytes", *report.lines()]


def _initialize() -> None:
    """Worker start-up: a process group of its own (the server stops the worker and
    anything it starts together; Ctrl+C in the server's terminal reaches the server
    only), and the pipeline imported once, so the first job does not pay for it."""
    os.setpgrp()
    from .. import batch, pipeline  # noqa: F401


class JobRunner:
    """A pool of ``workers`` spawned processes for the server's jobs.

    ``start`` runs a job in the background; ``run`` awaits one from the event loop. A
    spawned worker shares no state with the server (no forked locks, no font
    registrations), so the web server's threads cannot leave it in a bad state."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[tuple[str, str], Future[Any]] = {}
        # Requests' threads and the pool's callback thread both start jobs.
        self._lock = threading.RLock()

    def _submit(self, fn: Callable[..., _T], *args: Any) -> Future[_T]:
        """``fn(*args)`` in the pool; a pool broken by a worker that died (killed, out of
        memory) is replaced once."""
        with self._lock:
            for attempt in (1, 2):
                if self._pool is None:
                    context = multiprocessing.get_context("spawn")
                    self._pool = ProcessPoolExecutor(
                        max_workers=self.workers, mp_context=context, initializer=_initialize
                    )
                try:
                    return self._pool.submit(fn, *args)
                except BrokenProcessPool:
                    if attempt == 2:
                        raise
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = None
        raise AssertionError("unreachable")

    def start(
        self,
        key: tuple[str, str],
        fn: Callable[..., _T],
        *args: Any,
        done: Callable[[Future[_T]], None] | None = None,
    ) -> Future[_T]:
        """Run ``fn(*args)`` in the pool unless a job with ``key`` (e.g. ("render",
        workspace id)) is still running; return its future. ``done`` is called with the
        future when it ends, however it ends (a worker that died: ``BrokenProcessPool``)."""
        with self._lock:
            current = self._running.get(key)
            if current is not None and not current.done():
                return current
            future = self._submit(fn, *args)
            self._running[key] = future
        if done is not None:
            future.add_done_callback(done)
        return future

    def busy(self, key: tuple[str, str]) -> bool:
        """Whether the job ``key`` is still running."""
        future = self._running.get(key)
        return future is not None and not future.done()

    async def run(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)`` in the pool, awaited without blocking the event loop."""
        return await asyncio.wrap_future(self._submit(fn, *args))

    def shutdown(self) -> None:
        """Stop the workers and what they forked, now: queued jobs are cancelled and
        running ones ended (their status files say "running", which the next start marks
        as interrupted)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor has no public way to end busy workers: its process table is read.
        processes = dict(getattr(pool, "_processes", None) or {})
        pool.shutdown(wait=False, cancel_futures=True)
        for pid in processes:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGTERM)
        for process in processes.values():
            process.terminate()  # where process groups are not available
            process.join(timeout=10)
