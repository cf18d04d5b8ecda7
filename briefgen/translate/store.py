"""The user's translation memory: one TMX file that grows with every reviewed translation.

It lives at ``<user data dir>/memory.tmx`` (``~/.local/share/briefgen/memory.tmx`` on
Linux, from platformdirs); the environment variable ``BRIEFGEN_DATA_DIR`` names another
directory. Units are merged, not appended: a unit whose source segment (its first
language, after ``normalize``) is already stored replaces that unit's translations in
place, keeping languages it does not give. The file is rewritten atomically (temporary
file and rename), so an interrupted write never leaves it truncated.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import InputError
from ..model import SOURCE_LANGS
from .memory import TranslationMemory, canonical_lang, normalize, read_tmx, write_tmx

#: Environment variable naming the directory that holds ``memory.tmx``.
DATA_DIR_ENV = "BRIEFGEN_DATA_DIR"
MEMORY_NAME = "memory.tmx"


def data_dir() -> Path:
    """``$BRIEFGEN_DATA_DIR``, else the platform's user data directory for briefgen."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("briefgen", appauthor=False))


def memory_path() -> Path:
    """Where the user translation memory is stored."""
    return data_dir() / MEMORY_NAME


def load_user_memory() -> TranslationMemory:
    """The user translation memory (empty when the file does not exist yet)."""
    path = memory_path()
    if not path.exists():
        return TranslationMemory(str(path))
    return read_tmx(path)


def add_units(units: Iterable[Mapping[str, str]], origin: str | None = None) -> int:
    """Merge ``units`` (``{lang: segment}``, source language first) into the user memory
    and save it; later units win on the same source segment. ``origin`` (e.g.
    ``review:eppd-6.xlf``) is recorded on each unit merged. Returns how many units were
    merged (units with fewer than two known, non-empty languages are skipped)."""
    memory = load_user_memory()
    merged, count = merge(memory, units, origin)
    if count:
        save(merged)
    return count


def merge(
    memory: TranslationMemory, units: Iterable[Mapping[str, str]], origin: str | None = None
) -> tuple[TranslationMemory, int]:
    """A new memory: ``memory``'s units, deduplicated on their source segment, with
    ``units`` merged in (later wins). Returns it and how many of ``units`` were taken."""
    entries: list[tuple[dict[str, str], str | None]] = []
    position: dict[tuple[str, str], int] = {}

    def put(unit: dict[str, str], unit_origin: str | None) -> None:
        key = _key(unit)
        at = position.get(key)
        if at is None:
            position[key] = len(entries)
            entries.append((unit, unit_origin))
        else:
            entries[at] = ({**entries[at][0], **unit}, unit_origin or entries[at][1])

    for unit, unit_origin in memory.entries():
        clean = _clean(unit)
        if clean:
            put(clean, unit_origin)
    count = 0
    for unit in units:
        clean = _clean(unit)
        if clean:
            put(clean, origin)
            count += 1
    result = TranslationMemory(memory.origin)
    for unit, unit_origin in entries:
        result.add(unit, unit_origin)
    return result, count


def save(memory: TranslationMemory) -> Path:
    """Write ``memory`` as the user memory (creating the directory); return its path."""
    from ..errors import OutputError

    path = memory_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create directory: {exc.strerror}") from None
    write_tmx(memory, path)
    return path


def import_tmx(path: str | Path) -> int:
    """Merge the units of the TMX file ``path`` into the user memory; return how many
    were imported. ``InputError`` (and nothing changed) if it is not readable TMX."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    imported = read_tmx(source)
    return add_units(imported, origin=source.name)


def export_tmx(dest: str | Path | BinaryIO | TextIO) -> int:
    """Write the user memory as TMX 1.4 to a path or an open file; return the number of
    units (an empty memory gives a valid TMX file with no units)."""
    return write_tmx(load_user_memory(), dest)


def _clean(unit: Mapping[str, str]) -> dict[str, str] | None:
    """``unit`` with canonical language tags and no empty segments, or None when fewer
    than two languages are left."""
    out: dict[str, str] = {}
    for tag, segment in unit.items():
        lang = canonical_lang(tag) if tag not in SOURCE_LANGS else tag
        if lang and isinstance(segment, str) and segment.strip():
            out.setdefault(lang, segment)
    return out if len(out) >= 2 else None


def _key(unit: Mapping[str, str]) -> tuple[str, str]:
    lang, segment = next(iter(unit.items()))
    return lang, normalize(segment)
