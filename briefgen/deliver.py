"""deliver: the only stage that touches the output directory.

Output goes to ``<output>/<published-date>_<slug>/<slug>.<audience>.<lang>.<format>``
beside ``brief.yaml`` and ``manifest.json``; the manifest (names, sizes, SHA-256 of the
files, and for a build the ``version`` of briefgen, the ``input``'s SHA-256 and the
``settings`` that made them) has no timestamps, so equal inputs give equal output.

An output set is all or nothing. ``deliver`` writes the whole set into a temporary
sibling directory (``.<name>.briefgen-new-XXXXXXXX``), fsyncs it and only then makes it
visible under the final name: on Linux by an atomic exchange of the two directories
(``renameat2(RENAME_EXCHANGE)``), elsewhere by renaming the previous set aside
(``.<name>.briefgen-old-XXXXXXXX``) and the new one into place. The previous set stays
whole until that moment and is removed after it. A kill, a full disk or an error at
any point therefore leaves either the complete old set or the complete new one under
the final name; the next run removes the temporary directories a killed run left
behind (only names of the two shapes above, beside that output directory), and puts a
previous set that was renamed aside back if the kill came between the two renames.

Files in the old directory that are not part of its set (the user's own notes, an
exported XLIFF) are carried over into the new one; the old set's files, its e-mail
draft and stray temporary files of older briefgen versions are not.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError

if TYPE_CHECKING:  # importing the model (pydantic) is not needed to write files
    from .model import Brief

#: Temporary sibling directories: ``.<name>.briefgen-new-…`` (a set being written) and
#: ``.<name>.briefgen-old-…`` (the previous set, renamed aside while the new one moves in).
NEW_TAG = "briefgen-new-"
OLD_TAG = "briefgen-old-"
#: Temporary files of ``atomic_write`` (and of older versions of ``deliver``):
#: ``.<name>.<8 random characters>.tmp``.
_TMP_FILE_RE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


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


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a short write is not an error)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_file(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Create ``path`` (it must not exist), write ``data``, fsync and close it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make a directory's entries durable where the platform allows it (never an error:
    it is called after a set is already in place, too)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    with contextlib.suppress(OSError):
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -- Making a set visible --------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux ``renameat2``); False where the platform or
    file system cannot, so the caller falls back to two renames."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    path_t = ctypes.c_char_p
    renameat2.argtypes = [ctypes.c_int, path_t, ctypes.c_int, path_t, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _temp_sibling(directory: Path, tag: str) -> Path:
    return Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.{tag}"))


def _remove(path: Path) -> None:
    """Remove a temporary directory of ours; what cannot be removed now is left for the
    next run."""
    shutil.rmtree(path, ignore_errors=True)


def _publish(staging: Path, directory: Path) -> None:
    """Make ``staging`` visible as ``directory``; the previous set, if any, is removed
    once the new one is in place."""
    if not os.path.lexists(directory):
        os.rename(staging, directory)
        _fsync_dir(directory.parent)
        return
    if _exchange(staging, directory):  # staging now holds the previous set
        _fsync_dir(directory.parent)
        _remove(staging)
        return
    retired = _temp_sibling(directory, OLD_TAG)
    try:
        os.rename(directory, retired)  # replaces the empty directory mkdtemp made
    except BaseException:
        _remove(retired)
        raise
    try:
        os.rename(staging, directory)
    except BaseException:
        os.rename(retired, directory)
        raise
    _fsync_dir(directory.parent)
    _remove(retired)


def leftovers(directory: Path) -> list[Path]:
    """The temporary directories a killed run left beside ``directory``."""
    prefix = f".{directory.name}."
    try:
        entries = list(os.scandir(directory.parent))
    except OSError:
        return []
    return sorted(
        Path(entry.path)
        for entry in entries
        if entry.name.startswith(prefix)
        and entry.name[len(prefix) :].startswith((NEW_TAG, OLD_TAG))
        and entry.is_dir(follow_symlinks=False)
    )


def recover(directory: Path) -> None:
    """Clean up after a killed run: a previous set renamed aside while ``directory`` is
    missing is put back; every other temporary directory of ours is removed."""
    found = leftovers(directory)
    for path in found:
        if (
            OLD_TAG in path.name
            and not os.path.lexists(directory)
            and (path / "manifest.json").is_file()
        ):
            os.rename(path, directory)
    for path in found:
        if path.exists():
            _remove(path)


# -- The set ---------------------------------------------------------------------------


def _manifest_names(directory: Path) -> set[str]:
    try:
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        return {str(f["name"]) for f in data["files"] if isinstance(f, dict) and "name" in f}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _set_members(directory: Path, new_names: Iterable[str]) -> set[str]:
    """Names in an existing output directory that belong to a briefgen set (the old one or
    the new one) rather than to the user."""
    names = _manifest_names(directory) | set(new_names) | {"manifest.json", "brief.yaml"}
    stems = {name.split(".", 1)[0] for name in names if name.count(".") >= 2}
    return names | {f"{stem}.eml" for stem in stems}


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _carry_over(old: Path, new: Path, members: set[str]) -> None:
    """Put the user's own files from the old directory into the new one (hard links where
    possible, so the old directory stays as it was until it is replaced)."""
    for entry in os.scandir(old):
        match = _TMP_FILE_RE.match(entry.name)
        if entry.name in members or (match and match["name"] in members):
            continue  # the old set, or a temporary file of an interrupted write
        target = new / entry.name
        if os.path.lexists(target):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            shutil.copytree(entry.path, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry.path, str(target))


def _dir_mode(directory: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(directory).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o777 & ~mask


def _manifest_bytes(artifacts: list[Artifact], record: Mapping[str, Any] | None = None) -> bytes:
    """The manifest: ``record``'s keys (what the set was made from), then ``files``."""
    files = []
    for artifact in artifacts:
        entry: dict[str, object] = {
            "name": artifact.name,
            "kind": artifact.kind,
            "bytes": len(artifact.data),
            "sha256": hashlib.sha256(artifact.data).hexdigest(),
        }
        for key, value in (
            ("audience", artifact.audience),
            ("lang", artifact.lang),
            ("format", artifact.format),
        ):
            if value:
                entry[key] = value
        files.append(entry)
    data = {**(record or {}), "files": files}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def deliver(
    directory: Path,
    artifacts: list[Artifact],
    finish: Callable[[Path], Iterable[Path]] | None = None,
    record: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write every artifact and a ``manifest.json`` as one set into ``directory``,
    replacing the set there all at once; return the paths written (manifest last, then
    what ``finish`` added). ``finish(staging)`` may add files (an e-mail draft) to the
    set before it becomes visible and returns their paths. ``record`` (JSON values: what
    the set was made from, see ``briefgen.batch.build_record``) goes into the manifest
    before its ``files``. Raises ``OutputError`` if the set cannot be written; the
    previous set is then left as it was."""
    directory = Path(directory)
    for artifact in artifacts:
        if Path(artifact.name).name != artifact.name or artifact.name in ("", ".", ".."):
            raise OutputError(f"{artifact.name!r}: not a plain file name")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        recover(directory)
        if os.path.lexists(directory) and not directory.is_dir():
            raise OutputError(f"{directory}: cannot create output directory: not a directory")
        staging = _temp_sibling(directory, NEW_TAG)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot create output directory: {exc.strerror}") from None
    names = [artifact.name for artifact in artifacts] + ["manifest.json"]
    published = False
    try:
        os.chmod(staging, _dir_mode(directory))
        for artifact in artifacts:
            write_file(staging / artifact.name, artifact.data)
        write_file(staging / "manifest.json", _manifest_bytes(artifacts, record))
        if finish is not None:
            names += [Path(path).name for path in finish(staging)]
        if directory.is_dir():
            _carry_over(directory, staging, _set_members(directory, names))
        _fsync_dir(staging)
        _publish(staging, directory)
        published = True
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write output: {exc.strerror or exc}") from None
    finally:
        if not published:
            _remove(staging)
    return [directory / name for name in names]
