"""The ASGI app of ``briefgen serve``: routes, pages and the glue to the pipeline.

Every page is rendered on the server (Jinja2, autoescaped) and works without JavaScript
for reading; htmx and ``app.js`` (both shipped in ``static/``) add polling, in-place edits
and the source highlighting. Long work goes to the ``JobRunner``'s processes; edits are
small and done here, each validated against the brief's schema and saved atomically.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..batch import ARTICLE_SUFFIXES
from ..deliver import atomic_write
from ..errors import BriefgenError
from ..ingest import MAX_DOCX_BYTES, ingest_bytes
from ..languages import LANGUAGES
from ..mail.message import memo_files, mime_type
from ..model import Brief, Level
from ..settings import Settings
from . import article, edits, jobs
from .security import (
    AUTH_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    PREVIEW_CSP,
    Guard,
    SecurityMiddleware,
    same_origin,
)
from .workspace import Workspace, WorkspaceStore, read_json

_T = TypeVar("_T")
#: What a job whose worker process died says.
_DIED = "the worker process stopped during this work (killed or out of memory?); try again"
HERE = Path(__file__).parent
_LOG = logging.getLogger("briefgen.web")
#: The largest request body read: the largest readout the CLI takes, plus the form.
MAX_BODY = MAX_DOCX_BYTES + 64 * 1024
_LEVELS = [level.value for level in Level]
#: Notes a redirect back to the review page may show (``?note=``).
NOTES = {
    "tm": "Saved to your translation memory: later builds reuse it.",
    "tm-failed": "The edit was saved, but not to the translation memory (it could not be written).",
}


class BodyLimit:
    """Refuse (413) a request body longer than ``limit`` bytes as it arrives, whether or
    not it declared its length."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(
                        413, f"the upload is too large (at most {self.limit:,} bytes)"
                    )
            return message

        await self.app(scope, limited, send)


@dataclass
class ServerConfig:
    """What the app is made of: the pipeline settings, where workspaces live, the
    worker count and the security guard."""

    settings: Settings
    data_dir: Path
    workers: int = 2
    guard: Guard = field(default_factory=Guard)
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")


class WebApp:
    """The routes' state: workspaces, jobs, templates."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        # Jobs report through their workspace's files, never through callbacks.
        self.settings = config.settings.replace(info=jobs.silent, progress=None)
        self.guard = config.guard
        self.store = WorkspaceStore(config.data_dir / "workspaces")
        self.runner = jobs.JobRunner(config.workers)
        self.locks: dict[str, asyncio.Lock] = {}
        #: Workspaces edited while a render ran: the newest version is rendered next.
        self.pending: set[str] = set()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            version=__version__,
            levels=_LEVELS,
            label=article.label,
            article_suffixes=ARTICLE_SUFFIXES,
            lang_name=lambda code: LANGUAGES[code].name if code in LANGUAGES else code,
        )

    # -- helpers ------------------------------------------------------------------------

    def page(self, request: Request, name: str, code: int = 200, **context: Any) -> Response:
        """The template ``name`` as an HTML response."""
        template = self.env.get_template(name)
        html = template.render(csrf=self.guard.csrf_token, **context)
        return HTMLResponse(html, status_code=code)

    def workspace(self, request: Request) -> Workspace:
        """The workspace named in the URL (404 when there is none)."""
        found = self.store.get(request.path_params["ws"])
        if found is None:
            raise HTTPException(404, "no such brief (it may have been deleted)")
        return found

    def lock(self, workspace: Workspace) -> asyncio.Lock:
        """The lock serialising edits of ``workspace``."""
        return self.locks.setdefault(workspace.id, asyncio.Lock())

    async def form(self, request: Request, max_files: int = 0) -> FormData:
        """The request's form, after the CSRF and origin checks (403 when they fail) and
        the size limit (413)."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            raise HTTPException(413, f"the upload is too large (at most {MAX_BODY:,} bytes)")
        if not same_origin(request.headers):
            raise HTTPException(403, "refused: the request comes from another site")
        form = await request.form(max_files=max_files, max_fields=50, max_part_size=MAX_BODY)
        supplied = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if self.guard.bearer(request.headers):
            return form
        if not self.guard.csrf_ok(supplied if isinstance(supplied, str) else None):
            raise HTTPException(403, "refused: the form's security token is missing or stale")
        return form

    def back(
        self, request: Request, workspace: Workspace, anchor: str = "", note: str | None = None
    ) -> Response:
        """Back to the review page (303), at ``anchor``, with ``note`` (a key of
        ``NOTES``) shown."""
        url = f"/b/{workspace.id}" + (f"?note={note}" if note else "")
        url += f"#f-{anchor}" if anchor else ""
        return RedirectResponse(url, status_code=303)

    def start_extract(self, workspace: Workspace) -> None:
        """Extraction (then rendering) of ``workspace`` in the background."""

        def done(future: Any) -> None:
            with contextlib.suppress(Exception):
                if future.exception() is not None and workspace.path.is_dir():
                    # The worker died (killed, out of memory) or the pool was stopped:
                    # while extracting, or while rendering the memos of a brief it made.
                    if workspace.status().get("state") == "ready":
                        digest = workspace.brief_digest() or ""
                        jobs.set_render(workspace, digest, "failed", _DIED)
                    else:
                        workspace.set_status("failed", error=_DIED)
                self.store.update_index(workspace)

        self.runner.start(
            ("extract", workspace.id),
            jobs.extract_job,
            str(workspace.path),
            self.settings,
            done=done,
        )

    def start_render(self, workspace: Workspace) -> None:
        """Rendering of ``workspace``'s current brief in the background (once)."""
        digest = workspace.brief_digest()
        if digest is None or jobs.memo_folder(workspace, digest) is not None:
            return
        if self.runner.busy(("render", workspace.id)):
            self.pending.add(workspace.id)  # rendered when the running render ends
            return

        def done(future: Any) -> None:
            # An edit made while this version rendered: render the newest one too (the
            # panel keeps polling until then: the id leaves `pending` only afterwards).
            with contextlib.suppress(Exception):
                if future.exception() is not None and workspace.path.is_dir():
                    jobs.set_render(workspace, digest, "failed", _DIED)
                if workspace.path.is_dir() and workspace.brief_digest() != digest:
                    self.start_render(workspace)
            if not self.runner.busy(("render", workspace.id)):
                self.pending.discard(workspace.id)

        self.runner.start(
            ("render", workspace.id),
            jobs.render_job,
            str(workspace.path),
            self.settings,
            done=done,
        )

    # -- pages ---------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        """The start page: bring a readout; the recent briefs."""
        entries = await run_in_threadpool(self._recent)
        return self.page(request, "index.html.j2", entries=entries, error=None)

    def _recent(self) -> list[Any]:
        """The recent briefs, with the live state of those whose work is under way (the
        index is written when the work ends)."""
        entries = []
        for entry in self.store.recent():
            if entry.status in ("queued", "running"):
                found = self.store.get(entry.id)
                if found is not None:
                    entry = dataclasses.replace(entry, status=found.status().get("state", "new"))
            entries.append(entry)
        return entries

    async def create(self, request: Request) -> Response:
        """A new workspace from an uploaded file or pasted text; extraction starts."""
        form = await self.form(request, max_files=1)
        try:
            return await self._create(request, form)
        finally:
            await form.close()  # the upload's temporary file

    async def _create(self, request: Request, form: FormData) -> Response:
        upload = form.get("file")
        pasted = form.get("text")
        name, data = "", b""
        chosen = form.get("encoding")
        encoding = chosen.strip() if isinstance(chosen, str) and chosen.strip() else None
        if isinstance(upload, UploadFile) and upload.filename:
            name = upload.filename
            data = await upload.read(MAX_DOCX_BYTES + 1)
        elif isinstance(pasted, str) and pasted.strip():
            name, data = "pasted-text.txt", pasted.encode("utf-8")
            encoding = None  # pasted text arrives as UTF-8, whatever was chosen
        else:
            return await self._refused(request, "nothing to brief: choose a file or paste the text")
        try:
            # The same checks and one-line errors as the CLI's (size, encoding, binary,
            # control characters, what each reader refuses), before anything is kept.
            await run_in_threadpool(ingest_bytes, data, name, encoding)
        except BriefgenError as exc:
            return await self._refused(request, str(exc))
        workspace = await run_in_threadpool(self.store.create, name, data, encoding)
        self.start_extract(workspace)
        return RedirectResponse(f"/b/{workspace.id}", status_code=303)

    async def _refused(self, request: Request, message: str) -> Response:
        entries = await run_in_threadpool(self._recent)
        return self.page(request, "index.html.j2", code=400, entries=entries, error=message)

    async def review(self, request: Request) -> Response:
        """The review page (or the progress of its extraction), built in a thread: reading
        the brief and rendering the page take a moment the event loop should not wait."""
        workspace = self.workspace(request)
        return await run_in_threadpool(self._review_page, request, workspace)

    def _review_page(self, request: Request, workspace: Workspace) -> Response:
        status = workspace.status()
        if (
            status["state"] in ("queued", "running", "new", "failed")
            or not workspace.brief_path.exists()
        ):
            return self.page(
                request, "progress.html.j2", ws=workspace, status=status, meta=workspace.meta()
            )
        try:
            brief = workspace.brief()
        except BriefgenError as exc:
            return self.page(
                request,
                "progress.html.j2",
                ws=workspace,
                status={"state": "failed", "error": jobs.error_text(exc, workspace)},
                meta=workspace.meta(),
            )
        assert brief is not None
        context = self._review_context(workspace, brief)
        context["note"] = NOTES.get(request.query_params.get("note", ""))
        return self.page(request, "review.html.j2", **context)

    def _review_context(self, workspace: Workspace, brief: Brief) -> dict[str, Any]:
        raw = read_json(workspace.path / "article.json")
        sources = article.sources(brief)
        paragraphs = article.paragraphs(
            raw.get("paragraphs") or list(brief.source.paragraphs),
            raw.get("kept") or list(brief.source.paragraphs),
            sources,
        )
        source_lang = brief.source.language
        langs = [source_lang, *[lang for lang in self.settings.langs if lang != source_lang]]
        digest = workspace.brief_digest()
        render = jobs.render_state(workspace)
        folder = jobs.memo_folder(workspace, digest) if digest else None
        return {
            "ws": workspace,
            "brief": brief,
            "meta": workspace.meta(),
            "paragraphs": paragraphs,
            "spans": {s.path: s for s in sources},
            "langs": langs,
            "source_lang": source_lang,
            "undo_depth": workspace.undo_depth(),
            "memos": _memo_table(folder) if folder else [],
            "render": render,
            # (render.json may say "running" after a server stopped mid-render: only this
            # server's own jobs count)
            "rendering": self.runner.busy(("render", workspace.id))
            or self.runner.busy(("extract", workspace.id))
            or workspace.id in self.pending,
            "current": folder is not None,
            "folder": folder,
            "smtp": self.settings.smtp,
            "note": None,
        }

    async def status(self, request: Request) -> Response:
        """The progress line (polled by the progress page); tells htmx to reload the page
        when the work has finished."""
        workspace = self.workspace(request)
        status = workspace.status()
        response = self.page(request, "_status.html.j2", ws=workspace, status=status)
        if status["state"] in ("ready", "failed"):
            response.headers["HX-Refresh"] = "true"
        return response

    async def memos(self, request: Request) -> Response:
        """The memos panel (polled while rendering)."""
        workspace = self.workspace(request)
        brief = await run_in_threadpool(self._brief, workspace)
        context = await run_in_threadpool(self._review_context, workspace, brief)
        return self.page(request, "_memos.html.j2", **context)

    # -- edits ---------------------------------------------------------------------------

    async def edit(self, request: Request) -> Response:
        """Set one language of a text field, or a date, round or commitment level."""
        workspace = self.workspace(request)
        form = await self.form(request)
        path = str(form.get("path", ""))
        value = str(form.get("value", ""))
        lang = form.get("lang")
        remember = form.get("remember") == "1"

        def apply(brief: Brief) -> tuple[Brief, edits.TextChange | None]:
            if isinstance(lang, str) and lang:
                return edits.set_text(brief, path, lang, value)
            return edits.set_value(brief, path, value), None

        try:
            change = await self._modify(workspace, apply)
        except BriefgenError as exc:
            return await self._edit_error(request, workspace, str(exc))
        note = None
        if remember and change is not None and change.source_text and change.text:
            note = await self._remember(change)
        self.start_render(workspace)
        return self.back(request, workspace, path, note)

    async def _remember(self, change: edits.TextChange) -> str | None:
        """Save ``change`` to the user translation memory; return the page's note."""
        from ..translate.store import add_units

        if change.lang == change.source_lang:
            return None
        unit = {change.source_lang: change.source_text or "", change.lang: change.text}
        try:
            count = await run_in_threadpool(add_units, [unit], "review:briefgen-serve")
        except BriefgenError:
            return "tm-failed"
        return "tm" if count else None

    async def _modify(self, workspace: Workspace, apply: Callable[[Brief], tuple[Brief, _T]]) -> _T:
        """Apply ``apply`` to the workspace's brief and save the result (the previous
        version kept for undo), under the workspace's lock and in a thread; return what
        ``apply`` returned beside the brief. ``BriefgenError`` leaves the brief as it was."""

        def work() -> _T:
            before = self._brief(workspace)
            brief, extra = apply(before)
            if brief != before:  # an edit that changes nothing leaves no undo step
                workspace.save_brief(brief)
                self.store.update_index(workspace)
            return extra

        async with self.lock(workspace):
            return await run_in_threadpool(work)

    async def _edit_error(self, request: Request, workspace: Workspace, message: str) -> Response:
        return await run_in_threadpool(self._edit_error_page, request, workspace, message)

    def _edit_error_page(self, request: Request, workspace: Workspace, message: str) -> Response:
        if request.headers.get("hx-request"):
            response = self.page(request, "_error.html.j2", message=message, code=400)
            response.headers["HX-Retarget"] = "#messages"
            response.headers["HX-Reswap"] = "innerHTML"
            return response
        brief = self._brief(workspace)
        context = self._review_context(workspace, brief)
        return self.page(request, "review.html.j2", code=400, error=message, **context)

    def _brief(self, workspace: Workspace) -> Brief:
        """The workspace's brief; 409 with the one-line reason when there is none yet or
        it does not load (e.g. broken by hand)."""
        try:
            brief = workspace.brief()
        except BriefgenError as exc:
            raise HTTPException(409, jobs.error_text(exc, workspace)) from None
        if brief is None:
            raise HTTPException(409, "this brief has not been extracted yet")
        return brief

    async def change(self, request: Request) -> Response:
        """Add an agenda item, point, participant or next step, or drop one."""
        workspace = self.workspace(request)
        form = await self.form(request)
        op = str(form.get("op", ""))
        path = str(form.get("path", ""))

        def apply(brief: Brief) -> tuple[Brief, str]:
            if op == "drop":  # back to what held it (items.0.points.2 -> items.0)
                holder = path.rsplit(".", 2)[0] if path.count(".") > 1 else ""
                return edits.drop(brief, path), holder
            if op in edits.ADDABLE:
                return edits.add(brief, op, str(form.get("text", "")), path)
            raise edits.EditError(f"unknown change {op!r}")

        try:
            anchor = await self._modify(workspace, apply)
        except BriefgenError as exc:
            return await self._edit_error(request, workspace, str(exc))
        self.start_render(workspace)
        return self.back(request, workspace, anchor)

    async def undo(self, request: Request) -> Response:
        """Take back the last edit."""
        workspace = self.workspace(request)
        await self.form(request)

        def undo() -> bool:
            if not workspace.undo():
                return False
            self.store.update_index(workspace)
            return True

        async with self.lock(workspace):
            if not await run_in_threadpool(undo):
                return await self._edit_error(request, workspace, "nothing to undo")
        self.start_render(workspace)
        return self.back(request, workspace)

    async def delete(self, request: Request) -> Response:
        """Delete the workspace."""
        workspace = self.workspace(request)
        await self.form(request)
        async with self.lock(workspace):
            await run_in_threadpool(self.store.delete, workspace)
        return RedirectResponse("/", status_code=303)

    async def retry(self, request: Request) -> Response:
        """Extract a failed or interrupted workspace again (409 for one whose extraction
        is under way or done: its brief, and the edits in it, stay as they are)."""
        workspace = self.workspace(request)
        await self.form(request)
        async with self.lock(workspace):
            state = (await run_in_threadpool(workspace.status)).get("state")
            if state not in ("failed", "new") or self.runner.busy(("extract", workspace.id)):
                raise HTTPException(409, "this brief is not waiting to be extracted again")
            await run_in_threadpool(workspace.set_status, "queued", "waiting for a worker")
            self.start_extract(workspace)
        return RedirectResponse(f"/b/{workspace.id}", status_code=303)

    # -- memos ---------------------------------------------------------------------------

    async def render(self, request: Request) -> Response:
        """Render the memos of the current brief (in the background)."""
        workspace = self.workspace(request)
        await self.form(request)
        self._brief(workspace)
        self.start_render(workspace)
        return RedirectResponse(f"/b/{workspace.id}#memos", status_code=303)

    def _current_folder(self, workspace: Workspace) -> Path:
        digest = workspace.brief_digest()
        folder = jobs.memo_folder(workspace, digest) if digest else None
        if folder is None:
            raise HTTPException(409, "the memos of this version are not rendered yet")
        return folder

    async def memo_file(self, request: Request) -> Response:
        """One file of the current memo set: HTML shown (sandboxed), the rest downloaded."""
        workspace = self.workspace(request)
        folder = self._current_folder(workspace)
        name = request.path_params["name"]
        files = {p.name: p for p in folder.iterdir() if p.is_file()}
        if name not in files:
            raise HTTPException(404, "no such file in this memo set")
        data = await run_in_threadpool(files[name].read_bytes)
        media = _media_type(name)
        if name.endswith(".html"):
            headers = {"Content-Security-Policy": PREVIEW_CSP, "X-Frame-Options": "SAMEORIGIN"}
            return Response(data, media_type=media, headers=headers)
        disposition = f"attachment; filename*=UTF-8''{_quote(name)}"
        return Response(data, media_type=media, headers={"Content-Disposition": disposition})

    async def export_zip(self, request: Request) -> Response:
        """Every file of the current memo set, with its manifest, as a zip."""
        workspace = self.workspace(request)
        folder = self._current_folder(workspace)
        data = await self.runner.run(jobs.zip_job, str(folder))
        disposition = f"attachment; filename*=UTF-8''{_quote(folder.name)}.zip"
        return Response(
            data, media_type="application/zip", headers={"Content-Disposition": disposition}
        )

    async def brief_file(self, request: Request) -> Response:
        """The brief under review, as ``brief.yaml``."""
        workspace = self.workspace(request)
        data = self._brief_bytes(workspace)
        return Response(
            data,
            media_type=_media_type("brief.yaml"),
            headers={"Content-Disposition": "attachment; filename=brief.yaml"},
        )

    @staticmethod
    def _brief_bytes(workspace: Workspace) -> bytes:
        try:
            return workspace.brief_path.read_bytes()
        except FileNotFoundError:
            raise HTTPException(404, "this brief has not been extracted yet") from None

    async def draft(self, request: Request) -> Response:
        """The e-mail draft (.eml) of the current memo set."""
        workspace = self.workspace(request)
        folder = self._current_folder(workspace)
        try:
            path = Path(await self.runner.run(jobs.eml_job, str(folder), self.settings))
        except BriefgenError as exc:
            raise HTTPException(400, str(exc)) from None
        disposition = f"attachment; filename*=UTF-8''{_quote(path.name)}"
        return Response(
            path.read_bytes(),
            media_type="message/rfc822",
            headers={"Content-Disposition": disposition},
        )

    async def send(self, request: Request) -> Response:
        """Send the memo e-mail through the configured SMTP server."""
        workspace = self.workspace(request)
        form = await self.form(request)
        folder = self._current_folder(workspace)
        to = _addresses(form.get("to"))
        cc = _addresses(form.get("cc"))
        try:
            lines = await self.runner.run(jobs.send_job, str(folder), self.settings, to, cc)
            error = None
        except BriefgenError as exc:
            lines, error = [], jobs.error_text(exc, workspace)
        result = {"lines": lines, "error": error}
        await run_in_threadpool(
            atomic_write, workspace.path / "sent.json", json.dumps(result).encode("utf-8")
        )
        # Redirect (303): reloading the result page must not send the e-mail again.
        return RedirectResponse(f"/b/{workspace.id}/sent", status_code=303)

    async def sent(self, request: Request) -> Response:
        """What the last send of this brief did."""
        workspace = self.workspace(request)
        result = await run_in_threadpool(read_json, workspace.path / "sent.json")
        if not result:
            raise HTTPException(404, "nothing was sent from this brief yet")
        error = result.get("error")
        return self.page(
            request,
            "sent.html.j2",
            code=200 if error is None else 400,
            ws=workspace,
            lines=result.get("lines") or [],
            error=error,
        )

    # -- sign-in --------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        """Sign in with the access token (only when the server has one)."""
        if self.guard.token is None:
            return RedirectResponse("/", status_code=303)
        if request.method == "GET":
            return self.page(request, "login.html.j2", error=None)
        if not same_origin(request.headers):
            raise HTTPException(403, "refused: the request comes from another site")
        form = await request.form(max_files=0, max_fields=5)
        token = form.get("token")
        if not self.guard.token_ok(token if isinstance(token, str) else None):
            return self.page(request, "login.html.j2", code=401, error="wrong token")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(AUTH_COOKIE, self.guard.auth_cookie(), httponly=True, samesite="strict")
        return response

    async def error_page(self, request: Request, exc: Exception) -> Response:
        """Errors as a page (or a fragment for htmx) with the one-line message."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
        if not isinstance(exc, HTTPException):
            _LOG.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            detail = f"internal error ({type(exc).__name__}; the server's log has the details)"
        if request.headers.get("hx-request"):
            response = self.page(request, "_error.html.j2", code=status, message=detail)
            response.headers["HX-Retarget"] = "#messages"
            response.headers["HX-Reswap"] = "innerHTML"
            return response
        return self.page(request, "error.html.j2", code=status, message=detail)


def _media_type(name: str) -> str:
    """The Content-Type of a memo-set file, from the table the e-mail attachments use
    (text and YAML declared UTF-8)."""
    maintype, subtype = mime_type(name)
    media = f"{maintype}/{subtype}"
    return f"{media}; charset=utf-8" if maintype == "text" or subtype == "yaml" else media


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _addresses(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


@dataclass
class MemoRow:
    """One audience × language of the memo set, with its files by format."""

    audience: str
    lang: str
    files: dict[str, str]


def _memo_table(folder: Path) -> list[MemoRow]:
    """The memo files of ``folder`` from its manifest, one row per audience × language."""
    try:
        files = memo_files(folder)
    except BriefgenError:
        return []
    rows: dict[tuple[str, str], MemoRow] = {}
    for entry, _path in files:
        key = (str(entry.get("audience")), str(entry.get("lang")))
        row = rows.setdefault(key, MemoRow(key[0], key[1], {}))
        row.files[str(entry.get("format"))] = str(entry.get("name"))
    return list(rows.values())


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI app serving ``config``'s workspaces."""
    web = WebApp(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        web.store.interrupted()
        try:
            yield
        finally:
            web.runner.shutdown()

    routes = [
        Route("/", web.index),
        Route("/briefs", web.create, methods=["POST"]),
        Route("/b/{ws}", web.review),
        Route("/b/{ws}/status", web.status),
        Route("/b/{ws}/memos", web.memos),
        Route("/b/{ws}/edit", web.edit, methods=["POST"]),
        Route("/b/{ws}/change", web.change, methods=["POST"]),
        Route("/b/{ws}/undo", web.undo, methods=["POST"]),
        Route("/b/{ws}/delete", web.delete, methods=["POST"]),
        Route("/b/{ws}/retry", web.retry, methods=["POST"]),
        Route("/b/{ws}/render", web.render, methods=["POST"]),
        Route("/b/{ws}/send", web.send, methods=["POST"]),
        Route("/b/{ws}/sent", web.sent),
        Route("/b/{ws}/files/{name}", web.memo_file),
        Route("/b/{ws}/export.zip", web.export_zip),
        Route("/b/{ws}/brief.yaml", web.brief_file),
        Route("/b/{ws}/draft.eml", web.draft),
        Route("/login", web.login, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(config.hosts)),
        Middleware(SecurityMiddleware, guard=config.guard),
        Middleware(BodyLimit),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: web.error_page, Exception: web.error_page},
    )
    app.state.web = web
    return app


__all__ = ["ServerConfig", "WebApp", "create_app"]
