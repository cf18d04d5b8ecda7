"""The user's translation memory: an SQLite database that grows with every reviewed
translation, shared safely by any number of processes and threads.

It lives at ``<user data dir>/memory.sqlite3`` (``~/.local/share/briefgen/memory.sqlite3``
on Linux, from platformdirs); the environment variable ``BRIEFGEN_DATA_DIR`` names another
directory. The database uses SQLite's write-ahead log (readers never wait for a writer),
a busy timeout (a writer waits for another writer instead of failing) and one
transaction per change, so batch workers, a web server's requests and the CLI may read
and write it at the same time and no unit is lost; its schema is versioned
(``PRAGMA user_version``) and marked as briefgen's (``PRAGMA application_id``).

Units are merged, not appended: a unit whose source segment (its first language, after
``normalize``) is already stored replaces that unit's translations in place, keeping
languages it does not give. A unit keeps its place (the order it was first added), which
is the order ``export_tmx`` writes and the order that decides ties ("later wins"),
exactly as the TMX-based memory did. Lookups (``UserMemory``, what ``load_user_memory``
returns) query the database: exact ones by index, fuzzy ones by a length band
(``memory.length_band``, lossless) scored with the same ``fuzz.ratio`` as
``TranslationMemory.best_match``, so results are the same and the store is never read
whole (a connection keeps at most ``KEY_CACHE`` keys between fuzzy lookups, until another
connection writes). ``revision()`` changes with every change, for up-to-date checks.

An old store, ``memory.tmx`` in the same directory, is migrated once, when the database
is first opened: its units go in in one transaction with the schema (all or nothing),
then the file is renamed ``memory.tmx.migrated`` (``.migrated.1`` … if that exists) and
never read again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from rapidfuzz import fuzz, process

from ..errors import BriefgenError, InputError, OutputError
from ..model import SOURCE_LANGS
from .memory import (
    Match,
    TranslationMemory,
    canonical_lang,
    length_band,
    normalize,
    read_tmx,
    write_tmx,
)

#: Environment variable naming the directory that holds the memory.
DATA_DIR_ENV = "BRIEFGEN_DATA_DIR"
#: The database's file name in the data directory.
MEMORY_NAME = "memory.sqlite3"
#: The file name of the old TMX store, migrated into the database once.
LEGACY_NAME = "memory.tmx"
#: What the old store is renamed to once migrated.
MIGRATED_SUFFIX = ".migrated"
#: The schema this code reads and writes (``PRAGMA user_version``).
SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of briefgen's memory databases ("BgTM").
APPLICATION_ID = 0x4267544D
#: How long (seconds) one connection waits for another's write to finish.
BUSY_TIMEOUT = 30.0
#: How many times a write that still found the database busy is tried in all.
WRITE_ATTEMPTS = 4
#: Keys a connection holds for fuzzy lookups (of the lengths read last; ~100 bytes each).
KEY_CACHE = 65536
#: Page cache (KiB) of a connection writing many units (SQLite's default is 2 MiB).
WRITE_CACHE_KIB = 32768

_SCHEMA_V1 = """
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,      -- the order units were first added
    origin TEXT                  -- e.g. review:eppd-6.xlf
);
CREATE TABLE seg (
    unit INTEGER NOT NULL REFERENCES unit (id),
    ord INTEGER NOT NULL,        -- the language's place in its unit: 0 is its source
    lang TEXT NOT NULL,
    text TEXT NOT NULL,          -- the segment as given
    key TEXT NOT NULL,           -- normalize(text)
    PRIMARY KEY (unit, lang)
) WITHOUT ROWID;
CREATE INDEX seg_by_key ON seg (lang, key, unit);
-- Units merge on their source segment.
CREATE UNIQUE INDEX seg_source ON seg (lang, key) WHERE ord = 0;
-- What lookups read: for each language and normalized segment, the last unit holding
-- it (the one "later wins" picks), under the segment's length in characters (the
-- fuzzy prefilter reads a band of lengths; an exact lookup knows the length).
CREATE TABLE entry (
    lang TEXT NOT NULL,
    len INTEGER NOT NULL,
    key TEXT NOT NULL,
    unit INTEGER NOT NULL REFERENCES unit (id),
    PRIMARY KEY (lang, len, key)
) WITHOUT ROWID;
"""

#: Statements taking a database from version ``n - 1`` to ``n``.
_UPGRADES: dict[int, str] = {1: _SCHEMA_V1}

_T = TypeVar("_T")
_Units = list[tuple[dict[str, str], str | None]]


def data_dir() -> Path:
    """``$BRIEFGEN_DATA_DIR``, else the platform's user data directory for briefgen."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("briefgen", appauthor=False))


def memory_path() -> Path:
    """Where the user translation memory (the SQLite database) is stored."""
    return data_dir() / MEMORY_NAME


def legacy_path() -> Path:
    """Where the old TMX store was (migrated into ``memory_path()`` when found)."""
    return data_dir() / LEGACY_NAME


# -- The memory as seen by a build -----------------------------------------------------


class UserMemory:
    """The user translation memory, read from its database on demand.

    It answers like ``TranslationMemory`` (``origin``, ``len``, ``lookup``,
    ``best_match``, ``entries``, iteration) without loading the store: each call is one
    short read of the database. Each thread (and each process, after a fork or pickling)
    opens its own connection when it first asks; ``close`` closes the calling thread's.
    An absent database is an empty memory, and reading it creates nothing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.origin = str(path)
        self._local = threading.local()
        # Connections inherited through a fork: kept, never used or closed in the child.
        self._inherited: list[_Handle] = []

    def __getstate__(self) -> dict[str, str]:
        return {"path": str(self.path)}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__init__(Path(state["path"]))  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"UserMemory({str(self.path)!r})"

    def __enter__(self) -> UserMemory:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close this thread's connection (a later call opens a new one)."""
        handle = getattr(self._local, "handle", None)
        self._local.handle = None
        if handle is not None:
            handle.close()

    def _read(self, query: Callable[[_Handle], _T], empty: _T) -> _T:
        """``query`` run on this thread's connection; ``empty`` if there is no database."""
        handle: _Handle | None = getattr(self._local, "handle", None)
        if handle is None or handle.pid != os.getpid():
            if handle is not None:
                self._inherited.append(handle)
            conn = _open(self.path, create=False)
            if conn is None:
                return empty
            handle = self._local.handle = _Handle(conn)
        with _reported(self.path):
            return query(handle)

    def __len__(self) -> int:
        return self._read(lambda h: h.conn.execute("SELECT count(*) FROM unit").fetchone()[0], 0)

    def entries(self) -> Iterator[tuple[dict[str, str], str | None]]:
        """Every unit with its origin, in the order first added, each unit's languages in
        their own order."""
        rows = self._read(
            lambda h: h.conn.execute(
                "SELECT u.id, u.origin, s.lang, s.text FROM unit u JOIN seg s ON s.unit = u.id"
                " ORDER BY u.id, s.ord"
            ).fetchall(),
            [],
        )
        current: int | None = None
        unit: dict[str, str] = {}
        origin: str | None = None
        for unit_id, unit_origin, lang, text in rows:
            if unit_id != current:
                if current is not None:
                    yield unit, origin
                current, unit, origin = unit_id, {}, unit_origin
            unit[lang] = text
        if current is not None:
            yield unit, origin

    def __iter__(self) -> Iterator[dict[str, str]]:
        """Every unit in the order first added."""
        return (unit for unit, _ in self.entries())

    def lookup(self, segment: str, src: str, tgt: str) -> str | None:
        """The ``tgt`` segment of the unit whose ``src`` segment equals ``segment`` (after
        ``normalize``; of several such units, the one added last)."""
        texts = self._read(lambda h: _exact(h.conn, src, normalize(segment), tgt), None)
        return texts[1] if texts else None

    def best_match(self, segment: str, src: str, tgt: str, threshold: float = 0.9) -> Match | None:
        """As ``TranslationMemory.best_match``: the ``tgt`` text of the unit whose ``src``
        segment is most like ``segment`` by ``fuzz.ratio`` on normalized segments, if at
        least ``threshold`` (0..1); an exact match scores 1.0; ties go to the unit added
        last; only the unit an exact lookup would find stands for its source segment."""
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        key = normalize(segment)
        if not key:
            return None
        return self._read(lambda h: _best(h, key, src, tgt, threshold), None)


class _Handle:
    """One connection, closed when dropped (a thread's local storage going away), and
    the keys of the lengths its fuzzy lookups read last: at most ``KEY_CACHE`` keys,
    forgotten whenever another connection has changed the database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pid = os.getpid()
        self._keys: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._held = 0
        self._version: int | None = None

    def fresh(self) -> None:
        """Forget the keys held if the database has changed since they were read."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._keys.clear()
            self._held = 0
            self._version = version

    def keys(self, lang: str, length: int) -> list[str]:
        """The keys in ``lang`` of ``length`` characters (held, or read and held)."""
        found = self._keys.get((lang, length))
        if found is not None:
            self._keys.move_to_end((lang, length))
            return found
        found = self._keys[(lang, length)] = _keys_of_length(self.conn, lang, length)
        self._held += len(found)
        while self._held > KEY_CACHE and len(self._keys) > 1:
            _, dropped = self._keys.popitem(last=False)
            self._held -= len(dropped)
        return found

    def close(self) -> None:
        if self.pid == os.getpid():  # a forked child never touches its parent's handle
            self.conn.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def _texts(conn: sqlite3.Connection, unit: int, src: str, tgt: str) -> tuple[str, str] | None:
    """The ``src`` and ``tgt`` text of ``unit``, if it has both."""
    row = conn.execute(
        "SELECT s.text, t.text FROM seg s JOIN seg t ON t.unit = s.unit AND t.lang = ?"
        " WHERE s.unit = ? AND s.lang = ?",
        (tgt, unit, src),
    ).fetchone()
    return (row[0], row[1]) if row else None


def _exact(conn: sqlite3.Connection, src: str, key: str, tgt: str) -> tuple[str, str] | None:
    """The ``src`` and ``tgt`` text of the last unit whose ``src`` key is ``key``, when
    that unit has ``tgt``."""
    row = conn.execute(
        "SELECT unit FROM entry WHERE lang = ? AND len = ? AND key = ?", (src, len(key), key)
    ).fetchone()
    return _texts(conn, row[0], src, tgt) if row else None


def _best(handle: _Handle, key: str, src: str, tgt: str, threshold: float) -> Match | None:
    conn = handle.conn
    exact = _exact(conn, src, key, tgt)
    if exact is not None:
        return Match(exact[1], 1.0, exact[0])
    if threshold >= 1.0:  # exact only: nothing else can score 1.0
        return None
    # One candidate per src key (its last unit, the one an exact lookup finds) of a
    # length that can reach the threshold (a lossless prefilter), read and scored one
    # length at a time; the best (score, then the unit added last) of those that have
    # a tgt text wins.
    low, high = length_band(len(key), threshold)
    longest = conn.execute("SELECT max(len) FROM entry WHERE lang = ?", (src,)).fetchone()[0]
    if longest is None:
        return None
    cutoff = threshold * 100
    passed: list[tuple[float, int]] = []
    handle.fresh()
    for length in range(max(low, 1), min(longest, high if high is not None else longest) + 1):
        keys = handle.keys(src, length)
        found = process.extract(
            key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        )
        passed += ((score, unit) for score, unit in _units_of(conn, src, length, found))
    for score, unit in sorted(passed, reverse=True):
        texts = _texts(conn, unit, src, tgt)
        if texts is not None:
            return Match(texts[1], min(score / 100, 1.0), texts[0])
    return None


def _keys_of_length(conn: sqlite3.Connection, lang: str, length: int) -> list[str]:
    """The keys in ``lang`` of ``length`` characters (in key order). Read as one JSON
    array where SQLite has JSON functions: row by row takes twice the time."""
    where = "FROM entry WHERE lang = ? AND len = ?"
    try:
        (keys,) = conn.execute(f"SELECT json_group_array(key) {where}", (lang, length)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such function" not in str(exc):
            raise
        return [row[0] for row in conn.execute(f"SELECT key {where}", (lang, length))]
    return json.loads(keys)


def _units_of(
    conn: sqlite3.Connection, lang: str, length: int, found: list[tuple[str, float, int]]
) -> Iterator[tuple[float, int]]:
    """The score and unit of each key ``process.extract`` found (usually a few)."""
    for key, score, _position in found:
        row = conn.execute(
            "SELECT unit FROM entry WHERE lang = ? AND len = ? AND key = ?", (lang, length, key)
        ).fetchone()
        if row is not None:  # None: gone since its length was read (the next lookup rereads)
            yield score, row[0]


# -- Reading and changing the store ----------------------------------------------------


def load_user_memory() -> UserMemory:
    """The user translation memory (empty, and nothing created, when there is none yet;
    an old ``memory.tmx`` is migrated first). ``InputError`` if the database is not a
    readable briefgen memory."""
    path = memory_path()
    memory = UserMemory(path)
    conn = _open(path, create=False)
    if conn is not None:
        memory._local.handle = _Handle(conn)
    return memory


def add_units(units: Iterable[Mapping[str, str]], origin: str | None = None) -> int:
    """Merge ``units`` (``{lang: segment}``, source language first) into the user memory
    in one transaction; later units win on the same source segment. ``origin`` (e.g.
    ``review:eppd-6.xlf``) is recorded on each unit merged. Returns how many units were
    merged (units with fewer than two known, non-empty languages are skipped; when none
    is left nothing is written or created)."""
    clean = [c for c in map(_clean, units) if c]
    if not clean:
        return 0
    path = memory_path()

    def put_all(conn: sqlite3.Connection) -> None:
        for unit in clean:
            _put(conn, unit, origin)

    _write(path, put_all)
    return len(clean)


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
    units. Units come in the order first added, so the same memory gives the same bytes
    (an empty memory gives a valid TMX file with no units)."""
    with load_user_memory() as user:
        memory = TranslationMemory(user.origin)
        for unit, origin in user.entries():
            memory.add(unit, origin)
    return write_tmx(memory, dest)


def revision() -> str | None:
    """What the user memory holds, in one short string that changes with every change
    to it (``<database id>:<number of changes>``; a new database has a new id), without
    reading it; ``None`` when there is no memory. For deciding whether outputs built
    with the memory are up to date."""
    path = memory_path()
    conn = _open(path, create=False)
    if conn is None:
        return None
    with contextlib.closing(conn), _reported(path):
        meta = dict(conn.execute("SELECT name, value FROM meta WHERE name IN ('id', 'revision')"))
    return f"{meta['id']}:{meta['revision']}"


def describe() -> dict[str, str | int]:
    """Facts about the user memory for ``briefgen tm info``: its path, units, schema
    version, and the file it was migrated from (if any)."""
    path = memory_path()
    facts: dict[str, str | int] = {"path": str(path), "units": 0}
    conn = _open(path, create=False)
    if conn is None:
        return facts
    with contextlib.closing(conn), _reported(path):
        facts["units"] = conn.execute("SELECT count(*) FROM unit").fetchone()[0]
        facts["schema"] = conn.execute("PRAGMA user_version").fetchone()[0]
        facts.update(conn.execute("SELECT name, value FROM meta ORDER BY name").fetchall())
    return facts


# -- Connections, schema and migration --------------------------------------------------


def _open(path: Path, create: bool) -> sqlite3.Connection | None:
    """A connection to the memory at ``path`` with the current schema, migrating the old
    TMX store beside it when the database is new. ``None`` when there is no database, no
    old store and ``create`` is false (nothing is created then)."""
    legacy = path.with_name(LEGACY_NAME)
    units: _Units | None = None
    if not path.exists():
        if not create and not legacy.is_file():
            return None
        units = _legacy_units(legacy)  # a bad old store stops us before anything is made
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{path.parent}: cannot create directory: {exc.strerror}") from None
    conn = _retrying(path, lambda: _connect(path))
    try:
        with _reported(path):
            version = _check(conn, path)
            if version < SCHEMA_VERSION:
                if version == 0 and units is None:
                    units = _legacy_units(legacy)
                _retrying(path, lambda: _set_up(conn, path, legacy, units))
    except BaseException:
        conn.close()
        raise
    return conn


def _legacy_units(legacy: Path) -> _Units | None:
    """The units of the old TMX store (``None`` if there is none, or if it went away while
    it was read: another process migrated it meanwhile, renaming it only after its
    commit); ``InputError`` if it cannot be read."""
    if not legacy.is_file():
        return None
    try:
        return list(read_tmx(legacy).entries())
    except InputError:
        if not legacy.exists():
            return None
        raise


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), waiting up to
    ``BUSY_TIMEOUT`` for other writers, the database in WAL mode (``synchronous =
    NORMAL``)."""
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=rwc",
        uri=True,
        timeout=BUSY_TIMEOUT,
        isolation_level=None,
        check_same_thread=False,  # one thread uses it; closing may happen in another
    )
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # With WAL, a commit survives a crash of the program without waiting for the
        # disk; a power cut may lose the last commits, never the database.
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of ``conn``'s database; ``InputError`` if it is not briefgen's
    or is newer than this code."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if version == 0 and app == 0:
        return 0
    if app != APPLICATION_ID:
        raise InputError(f"{path}: not a briefgen translation memory")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{path}: translation memory of a newer briefgen (schema {version}, this one "
            f"reads {SCHEMA_VERSION}); upgrade briefgen"
        )
    return version


def _set_up(conn: sqlite3.Connection, path: Path, legacy: Path, units: _Units | None) -> None:
    """Bring the schema up to ``SCHEMA_VERSION`` in one transaction; a new database also
    takes ``units``, the old TMX store's, in that transaction, then that file is renamed.
    (Whether the database is new is decided under the write lock: of several processes
    opening it at once, one migrates.)"""
    migrated = False
    conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _check(conn, path)  # another process may have done it meanwhile
        if version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise InputError(f"{path}: not a briefgen translation memory")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _statements(_UPGRADES[step]):
                conn.execute(statement)
        if version == 0:
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('id', ?), ('revision', '0')",
                (uuid.uuid4().hex,),
            )
        if version == 0 and units is not None:
            for unit, origin in units:
                clean = _clean(unit)
                if clean:
                    _put(conn, clean, origin)
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('migrated_from', ?), ('migrated_units', ?)",
                (str(legacy), str(len(units))),
            )
            _next_revision(conn)
            migrated = True
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA cache_size = -2000")  # SQLite's default, for the reads to come
    if migrated:
        _retire(legacy)


def _statements(script: str) -> Iterator[str]:
    """The statements of ``script`` one by one (``executescript`` would commit first)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _retire(legacy: Path) -> None:
    """Rename the migrated TMX store out of the way (never over an earlier one)."""
    for n in range(100):
        target = legacy.with_name(legacy.name + MIGRATED_SUFFIX + (f".{n}" if n else ""))
        if target.exists():
            continue
        with contextlib.suppress(OSError):  # kept where it was; the database is what counts
            os.rename(legacy, target)
        return


def _write(path: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    """Run ``change`` in one write transaction on the memory at ``path`` (created if
    needed), retried from the start while another writer holds the database too long."""
    conn = _open(path, create=True)
    assert conn is not None

    def transaction() -> None:
        conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            change(conn)
            _next_revision(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    with contextlib.closing(conn), _reported(path):
        _retrying(path, transaction)


def _next_revision(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'revision'")


def _put(conn: sqlite3.Connection, unit: Mapping[str, str], origin: str | None) -> None:
    """Merge one clean unit: a new unit at the end, or the stored unit with the same
    source segment updated in place (its languages first, then new ones; ``origin`` if
    given, else the one it had)."""
    lang, first = next(iter(unit.items()))
    key = normalize(first)
    row = conn.execute(
        "SELECT unit FROM seg WHERE lang = ? AND key = ? AND ord = 0", (lang, key)
    ).fetchone()
    if row is None:
        unit_id = conn.execute("INSERT INTO unit (origin) VALUES (?)", (origin,)).lastrowid
        known: dict[str, tuple[int, str]] = {}
    else:
        unit_id = row[0]
        if origin:
            conn.execute("UPDATE unit SET origin = ? WHERE id = ?", (origin, unit_id))
        known = {
            seg_lang: (place, seg_key)
            for seg_lang, place, seg_key in conn.execute(
                "SELECT lang, ord, key FROM seg WHERE unit = ?", (unit_id,)
            )
        }
    place = max((p for p, _ in known.values()), default=-1) + 1
    for seg_lang, text in unit.items():
        seg_key = normalize(text)
        if seg_lang in known:
            conn.execute(
                "UPDATE seg SET text = ?, key = ? WHERE unit = ? AND lang = ?",
                (text, seg_key, unit_id, seg_lang),
            )
            old_key = known[seg_lang][1]
            if old_key != seg_key:
                _disown(conn, seg_lang, old_key, unit_id)
        else:
            conn.execute(
                "INSERT INTO seg (unit, ord, lang, text, key) VALUES (?, ?, ?, ?, ?)",
                (unit_id, place, seg_lang, text, seg_key),
            )
            place += 1
        conn.execute(
            "INSERT INTO entry (lang, len, key, unit) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lang, len, key) DO UPDATE SET unit = max(unit, excluded.unit)",
            (seg_lang, len(seg_key), seg_key, unit_id),
        )


def _disown(conn: sqlite3.Connection, lang: str, key: str, unit: int) -> None:
    """``unit`` no longer holds ``key`` in ``lang``: the entry passes to the last unit
    that still does, or goes."""
    last = conn.execute(
        "SELECT max(unit) FROM seg WHERE lang = ? AND key = ?", (lang, key)
    ).fetchone()[0]
    where = "WHERE lang = ? AND len = ? AND key = ?"
    if last is None:
        conn.execute(f"DELETE FROM entry {where}", (lang, len(key), key))
    elif last < unit:
        conn.execute(f"UPDATE entry SET unit = ? {where}", (last, lang, len(key), key))


def _clean(unit: Mapping[str, str]) -> dict[str, str] | None:
    """``unit`` with canonical language tags and no empty segments, or None when fewer
    than two languages are left."""
    out: dict[str, str] = {}
    for tag, segment in unit.items():
        lang = canonical_lang(tag) if tag not in SOURCE_LANGS else tag
        if lang and isinstance(segment, str) and segment.strip():
            out.setdefault(lang, segment)
    return out if len(out) >= 2 else None


# -- Errors ------------------------------------------------------------------------------


def _busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a lock (worth trying again)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _retrying(path: Path, action: Callable[[], _T]) -> _T:
    """``action()``, tried up to ``WRITE_ATTEMPTS`` times while the database stays busy
    beyond the busy timeout; then one line saying so."""
    from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

    retrying = Retrying(
        retry=retry_if_exception(_busy),
        stop=stop_after_attempt(WRITE_ATTEMPTS),
        wait=wait_random_exponential(multiplier=0.05, max=2.0),
        reraise=True,
    )
    try:
        return retrying(action)
    except sqlite3.Error as exc:
        raise _error(path, exc) from None


@contextlib.contextmanager
def _reported(path: Path) -> Iterator[None]:
    """SQLite errors inside as one-line ``BriefgenError``s naming ``path``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _error(path, exc) from None


def _error(path: Path, exc: sqlite3.Error) -> BriefgenError:
    if _busy(exc):
        return BriefgenError(
            f"{path}: translation memory busy: another process kept it locked "
            f"for over {WRITE_ATTEMPTS} × {BUSY_TIMEOUT:g} s; try again",
            exit_code=4,
        )
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return InputError(
            f"{path}: damaged translation memory ({exc}); move it away (a new one is "
            f"started) and `briefgen tm import` an export to restore it"
        )
    return OutputError(f"{path}: translation memory: {exc}")
