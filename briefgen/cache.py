"""A persistent cache for data briefgen derives from installed packages (CLDR names,
prepared fonts, compiled templates), so only the first run on a machine pays for it.

Entries live in the user cache directory (``BRIEFGEN_CACHE_DIR`` overrides it), are
named by a digest of what they were derived from (package versions, source digests), and
are written atomically (a temporary file renamed into place), so processes that build at
once never see a half-written entry and never need a lock. A missing, unreadable or
corrupt entry is computed again; a cache directory that cannot be written only costs
speed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir


def cache_root() -> Path:
    """The cache directory: ``BRIEFGEN_CACHE_DIR``, else the platform's user cache dir."""
    override = os.environ.get("BRIEFGEN_CACHE_DIR")
    return Path(override) if override else Path(user_cache_dir("briefgen"))


def package_versions(*names: str) -> str:
    """``name=version`` of each installed distribution (``none`` when missing), joined:
    part of a cache key, so upgrading a package recomputes what came from it."""
    parts = []
    for name in names:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "none"
        parts.append(f"{name}={version}")
    return ";".join(parts)


def digest(*parts: str) -> str:
    """A short hex digest of ``parts`` (a cache key)."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` as every output is written (``deliver.atomic_write``:
    a temporary file in the same directory, then a rename); False, and nothing left
    behind, when the directory cannot be made or written."""
    from .deliver import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError:
        return False
    return True


def cached_json(area: str, key: str, compute: Callable[[], Any]) -> Any:
    """The JSON value cached under ``area``/``key``, else ``compute()`` (stored for the
    next run). ``compute`` must return JSON-serialisable data."""
    path = cache_root() / area / f"{key}.json"
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        pass
    value = compute()
    write_atomic(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return value
