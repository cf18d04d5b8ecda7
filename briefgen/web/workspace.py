"""Workspaces of ``briefgen serve``: one folder per brief, and an SQLite index of them.

A workspace folder holds what one review needs, each file written atomically::

    source/<name>       the readout as uploaded (or pasted)
    meta.json           its original name, when it was made
    status.json         the background work: state (queued, running, ready, failed), stage,
                        the one-line error of a failure
    brief.yaml          the brief under review (what ``briefgen render`` reads)
    history/NNNNNN.yaml the briefs before each edit (undo restores the newest)
    out/<digest>/       memos rendered from the brief whose SHA-256 starts with <digest>

The index (``index.sqlite``) lists the workspaces for the page of recent briefs: title,
meeting date, status and when they changed. It is only a list: a workspace folder is the
truth, and a lost index is rebuilt from the folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from ..deliver import atomic_write
from ..model import Brief, dump_brief, load_brief

#: How many earlier versions of a brief are kept for undo.
MAX_HISTORY = 50
_ID_RE = re.compile(r"^[0-9a-f]{16}$")
_UNSAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    event_date TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
)
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def safe_name(name: str, default: str = "article.txt") -> str:
    """A file name for an uploaded ``name``: its last path component, characters other
    than letters, digits, ``.``, ``-`` and ``_`` replaced, at most 80 characters, never
    hidden and never empty (``default`` then)."""
    base = PurePath(name.replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("_", base).strip("._")
    if not base:
        return default
    stem, dot, suffix = base.rpartition(".")
    if dot and len(suffix) <= 10:
        return f"{stem[:70]}.{suffix}" if stem else default
    return base[:80]


@dataclass(frozen=True)
class Entry:
    """One line of the list of recent briefs."""

    id: str
    title: str
    event_date: str | None
    status: str
    source: str
    created: str
    updated: str


class Workspace:
    """The folder of one brief under review (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.id = path.name

    @property
    def brief_path(self) -> Path:
        """``brief.yaml``: the brief under review."""
        return self.path / "brief.yaml"

    @property
    def source_dir(self) -> Path:
        """The folder of the uploaded readout."""
        return self.path / "source"

    def source_path(self) -> Path | None:
        """The uploaded readout, or None when it is gone."""
        files = sorted(self.source_dir.glob("*")) if self.source_dir.is_dir() else []
        return files[0] if files else None

    def meta(self) -> dict[str, Any]:
        """``meta.json``: the upload's original name and the creation time."""
        return read_json(self.path / "meta.json")

    def status(self) -> dict[str, Any]:
        """``status.json``: ``state`` (queued, running, ready, failed), ``stage`` and
        ``error``; ``{"state": "new"}`` when nothing was started."""
        return read_json(self.path / "status.json") or {"state": "new"}

    def set_status(self, state: str, stage: str | None = None, error: str | None = None) -> None:
        """Record the state of the background work (atomically)."""
        data = {"state": state, "stage": stage, "error": error, "updated": _now()}
        atomic_write(self.path / "status.json", _json_bytes(data))

    def brief(self) -> Brief | None:
        """The brief under review, or None before extraction has written one."""
        return load_brief(self.brief_path) if self.brief_path.exists() else None

    def brief_digest(self) -> str | None:
        """The first 16 hex digits of the SHA-256 of ``brief.yaml`` (None: no brief)."""
        try:
            return hashlib.sha256(self.brief_path.read_bytes()).hexdigest()[:16]
        except FileNotFoundError:
            return None

    def save_brief(self, brief: Brief, keep_history: bool = True) -> None:
        """Write ``brief`` as ``brief.yaml``; with ``keep_history`` the previous version
        goes to ``history/`` first (the oldest beyond ``MAX_HISTORY`` are dropped)."""
        if keep_history and self.brief_path.exists():
            history = self.path / "history"
            history.mkdir(exist_ok=True)
            number = self._last_version() + 1
            atomic_write(history / f"{number:06d}.yaml", self.brief_path.read_bytes())
            for old in self._versions()[:-MAX_HISTORY]:
                old.unlink(missing_ok=True)
        atomic_write(self.brief_path, dump_brief(brief).encode("utf-8"))

    def undo_depth(self) -> int:
        """How many edits ``undo`` can take back."""
        return len(self._versions())

    def undo(self) -> bool:
        """Restore the brief before the last edit; False when there is none."""
        versions = self._versions()
        if not versions:
            return False
        atomic_write(self.brief_path, versions[-1].read_bytes())
        versions[-1].unlink()
        return True

    def out_dir(self, digest: str) -> Path:
        """Where the memos of the brief with ``digest`` are written."""
        return self.path / "out" / digest

    def _versions(self) -> list[Path]:
        history = self.path / "history"
        return sorted(history.glob("[0-9]*.yaml")) if history.is_dir() else []

    def _last_version(self) -> int:
        versions = self._versions()
        return int(versions[-1].stem) if versions else 0


class WorkspaceStore:
    """The workspaces under ``root`` and their index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Readouts and briefs are the user's own: other accounts may not read them.
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.chmod(0o700)
        with self._index():
            pass

    @contextmanager
    def _index(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.root / "index.sqlite", timeout=30)) as conn, conn:
            # (Again on every connection: an index deleted while the server runs is
            # made anew, then refilled from the folders by ``recent``.)
            conn.execute(_SCHEMA)
            yield conn

    def create(self, name: str, data: bytes, encoding: str | None = None) -> Workspace:
        """A new workspace holding the readout ``data`` uploaded as ``name`` (to be read
        as ``encoding``; None: detected)."""
        ws_id = secrets.token_hex(8)
        staging = self.root / f".new-{ws_id}"
        (staging / "source").mkdir(parents=True)
        filename = safe_name(name)
        (staging / "source" / filename).write_bytes(data)
        meta = {"name": name, "file": filename, "created": _now(), "encoding": encoding}
        (staging / "meta.json").write_bytes(_json_bytes(meta))
        staging.rename(self.root / ws_id)
        workspace = Workspace(self.root / ws_id)
        workspace.set_status("queued", "waiting for a worker")
        self.update_index(workspace)
        return workspace

    def get(self, ws_id: str) -> Workspace | None:
        """The workspace ``ws_id``, or None when there is no such workspace."""
        if not _ID_RE.match(ws_id):
            return None
        path = self.root / ws_id
        return Workspace(path) if (path / "meta.json").is_file() else None

    def delete(self, workspace: Workspace) -> None:
        """Remove ``workspace`` and its line in the index."""
        trash = self.root / f".del-{workspace.id}"
        workspace.path.rename(trash)
        with self._index() as conn:
            conn.execute("DELETE FROM briefs WHERE id = ?", (workspace.id,))
        shutil.rmtree(trash, ignore_errors=True)

    def update_index(self, workspace: Workspace) -> Entry | None:
        """Write ``workspace``'s line of the index from its files; return it (None, and
        no line, when the workspace is gone: deleted while a job of it ran)."""
        if not (workspace.path / "meta.json").is_file():
            with self._index() as conn:
                conn.execute("DELETE FROM briefs WHERE id = ?", (workspace.id,))
            return None
        meta = workspace.meta()
        status = workspace.status()
        title, event_date = meta.get("name", workspace.id), None
        try:
            brief = workspace.brief()
        except Exception:  # a brief being replaced or broken by hand: keep the upload name
            brief = None
        if brief is not None:
            title = brief_title(brief) or title
            event_date = brief.event.date.isoformat() if brief.event.date else None
        entry = Entry(
            workspace.id,
            title,
            event_date,
            status.get("state", "new"),
            meta.get("name", ""),
            meta.get("created", _now()),
            _now(),
        )
        with self._index() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO briefs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.id,
                    entry.title,
                    entry.event_date,
                    entry.status,
                    entry.source,
                    entry.created,
                    entry.updated,
                ),
            )
        return entry

    def recent(self, limit: int = 100) -> list[Entry]:
        """The workspaces, the most recently changed first (``updated`` has whole
        seconds: within one second, the line written last — ``INSERT OR REPLACE`` gives it
        the highest rowid — comes first; the index is rebuilt from the folders when it
        misses one)."""
        with self._index() as conn:
            rows = conn.execute(
                "SELECT id, title, event_date, status, source, created, updated FROM briefs "
                "ORDER BY updated DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        gone = [row[0] for row in rows if self.get(row[0]) is None]
        if gone:  # folders removed by hand
            with self._index() as conn:
                conn.executemany("DELETE FROM briefs WHERE id = ?", [(i,) for i in gone])
            return self.recent(limit)
        known = {row[0] for row in rows}
        missing = [
            ws
            for path in self.root.iterdir()
            if path.is_dir() and path.name not in known
            for ws in [self.get(path.name)]
            if ws is not None
        ]
        if missing and len(rows) < limit:
            for workspace in missing:
                self.update_index(workspace)
            return self.recent(limit)
        return [Entry(*row) for row in rows]

    def interrupted(self) -> list[Workspace]:
        """Mark work left queued or running by a server that stopped as failed; return
        those workspaces."""
        found = []
        for entry in self.recent(limit=10_000):
            if entry.status in ("queued", "running"):
                workspace = self.get(entry.id)
                if workspace is not None:
                    workspace.set_status(
                        "failed", error="the server stopped during this work; start it again"
                    )
                    self.update_index(workspace)
                    found.append(workspace)
        return found


def brief_title(brief: Brief) -> str | None:
    """The title the list shows: the event's name in its source language, else the
    headline."""
    lang = brief.source.language
    for text in (brief.event.name, brief.source.headline):
        if text is not None:
            value = text.get(lang) or next(iter(text.text.values()), None)
            if value:
                return value
    return None


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; {} when the file is missing, broken or no object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
