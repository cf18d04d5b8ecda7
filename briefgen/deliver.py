"""deliver: the only stage that touches the output directory.

Output goes to ``<output>/<published-date>_<slug>/<slug>.<audience>.<lang>.<format>``
beside ``brief.yaml`` and ``manifest.json``. Every file is written to a temporary file in
the same directory and renamed into place, so an interrupted run never leaves a truncated
file; the manifest (names, sizes, SHA-256) has no timestamps, so equal inputs give equal
output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .model import Brief


@dataclass(frozen=True)
class Artifact:
    """One output file: its name, bytes and what it is."""

    name: str
    data: bytes
    kind: str  # "memo" or "brief"
    audience: str | None = None
    lang: str | None = None
    format: str | None = None


def slug(brief: Brief) -> str:
    """A short ASCII name for the meeting: ``eppd-6`` (abbreviation and round), else the
    English event name, else the source file's name, else ``brief`` — each only when it
    has words (an untranslated Chinese name leaves just its digits)."""
    event = brief.event
    candidates = []
    if event.short_name:
        candidates.append(f"{event.short_name}-{event.round}" if event.round else event.short_name)
    if event.name and event.name.get("en"):
        candidates.append(event.name.get("en") or "")
    if brief.source.path:
        candidates.append(Path(brief.source.path).name.split(".", 1)[0])
    for candidate in candidates:
        ascii_text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
        if re.search(r"[a-z]{2}", cleaned):  # words, not what is left of an untranslated name
            return cleaned
    return "brief"


def output_dir(base: Path, brief: Brief) -> Path:
    """``base/<published-date>_<slug>`` (``undated`` when the date is unknown)."""
    published = brief.source.published.isoformat() if brief.source.published else "undated"
    return base / f"{published}_{slug(brief)}"


def memo_name(stem: str, audience: str, lang: str, fmt: str) -> str:
    """``<slug>.<audience>.<lang>.<format>``."""
    return f"{stem}.{audience}.{lang}.{fmt}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def deliver(directory: Path, artifacts: list[Artifact]) -> list[Path]:
    """Write every artifact and a ``manifest.json`` into ``directory``; return the paths
    written (manifest last). Raises ``OutputError`` if the directory cannot be written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot create output directory: {exc.strerror}") from None
    written: list[Path] = []
    manifest = {"files": []}
    try:
        for artifact in artifacts:
            path = directory / artifact.name
            atomic_write(path, artifact.data)
            written.append(path)
            entry = {
                "name": artifact.name,
                "kind": artifact.kind,
                "bytes": len(artifact.data),
                "sha256": hashlib.sha256(artifact.data).hexdigest(),
            }
            entry.update(
                {
                    k: v
                    for k, v in (
                        ("audience", artifact.audience),
                        ("lang", artifact.lang),
                        ("format", artifact.format),
                    )
                    if v
                }
            )
            manifest["files"].append(entry)
        manifest_path = directory / "manifest.json"
        atomic_write(
            manifest_path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        )
        written.append(manifest_path)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write output: {exc.strerror or exc}") from None
    return written
