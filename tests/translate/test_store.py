"""translate.store: the user translation memory (an SQLite database in the user data
directory): location, merging, TMX import/export, migration of the old TMX store, damaged
databases, and lookups equal to those of the TMX-based memory."""

from __future__ import annotations

import io
import pickle
import random
import sqlite3
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError, InputError
from briefgen.translate import MemoryProvider, store
from briefgen.translate.memory import (
    Match,
    TranslationMemory,
    normalize,
    read_tmx,
    tmx_bytes,
    write_tmx,
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(folder))
    return folder


def _tmx(path: Path, *units: dict[str, str], origin: str | None = None) -> Path:
    memory = TranslationMemory()
    for unit in units:
        memory.add(unit, origin)
    write_tmx(memory, path)
    return path


def _old_store(*batches: tuple[list[dict[str, str]], str | None]) -> TranslationMemory:
    """What the TMX store made of ``add_units`` batches: units merged on their (cleaned)
    source segment in place, later languages over earlier ones, later origins over
    earlier ones."""
    entries: list[tuple[dict[str, str], str | None]] = []
    position: dict[tuple[str, str], int] = {}
    for units, origin in batches:
        for unit in units:
            clean = store._clean(unit)
            if not clean:
                continue
            lang, first = next(iter(clean.items()))
            at = position.get((lang, normalize(first)))
            if at is None:
                position[(lang, normalize(first))] = len(entries)
                entries.append((clean, origin))
            else:
                entries[at] = ({**entries[at][0], **clean}, origin or entries[at][1])
    memory = TranslationMemory("old")
    for unit, origin in entries:
        memory.add(unit, origin)
    return memory


# --- where it lives -------------------------------------------------------------------------


def test_location_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFGEN_DATA_DIR", raising=False)
    import platformdirs

    default = Path(platformdirs.user_data_dir("briefgen", appauthor=False))
    assert store.data_dir() == default
    assert store.memory_path() == default / "memory.sqlite3"
    assert store.legacy_path() == default / "memory.tmx"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "mine"))
    assert store.memory_path() == tmp_path / "mine" / "memory.sqlite3"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", "  ")
    assert store.data_dir() == default


def test_empty_when_absent(data_dir: Path) -> None:
    memory = store.load_user_memory()
    assert len(memory) == 0 and memory.origin == str(data_dir / "memory.sqlite3")
    assert memory.lookup("關鍵礦物", "zh-TW", "en") is None
    assert memory.best_match("關鍵礦物", "zh-TW", "en", 0.5) is None
    assert list(memory) == [] and list(memory.entries()) == []
    assert store.describe() == {"path": str(data_dir / "memory.sqlite3"), "units": 0}
    assert not data_dir.exists()  # reading creates nothing


# --- adding -----------------------------------------------------------------------------------


def test_add_units_creates_and_merges_later_wins(data_dir: Path) -> None:
    assert store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}], "first") == 1
    path = data_dir / "memory.sqlite3"
    assert path.is_file()
    count = store.add_units(
        [
            {"zh-TW": "數位基礎建設", "en": "Digital infrastructure"},
            {"zh-TW": " 關鍵礦物 ", "en": "Critical raw materials"},  # same source segment
            {"zh-TW": "只有一種語言"},  # skipped
            {"zh-TW": "空白", "en": "   "},  # skipped: empty translation
            {"zh-Hant": "雙邊經濟合作", "en-US": "Bilateral economic cooperation"},
        ],
        "review:r.xlf",
    )
    assert count == 3
    memory = store.load_user_memory()
    assert len(memory) == 3
    assert list(memory) == [
        {"zh-TW": " 關鍵礦物 ", "en": "Critical raw materials"},  # kept its place
        {"zh-TW": "數位基礎建設", "en": "Digital infrastructure"},
        {"zh-TW": "雙邊經濟合作", "en": "Bilateral economic cooperation"},
    ]
    assert [origin for _, origin in memory.entries()] == ["review:r.xlf"] * 3
    assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical raw materials"
    assert memory.lookup("Critical minerals", "en", "zh-TW") is None  # replaced
    memory.close()


def test_the_database_is_briefgens_in_wal_mode(data_dir: Path) -> None:
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    conn = sqlite3.connect(data_dir / "memory.sqlite3")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_merge_keeps_languages_the_new_unit_lacks(data_dir: Path) -> None:
    store.add_units([{"zh-TW": "關鍵礦物", "zh-CN": "关键矿物", "en": "Critical minerals"}])
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical raw materials", "zh-CN": "关键原料"}])
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}], "again")
    memory = store.load_user_memory()
    assert list(memory.entries()) == [
        ({"zh-TW": "關鍵礦物", "zh-CN": "关键原料", "en": "Critical minerals"}, "again")
    ]
    # the replaced Simplified segment no longer finds the unit; the new one does
    assert memory.lookup("关键矿物", "zh-CN", "en") is None
    assert memory.lookup("关键原料", "zh-CN", "en") == "Critical minerals"
    memory.close()


def test_nothing_to_add_writes_nothing(data_dir: Path) -> None:
    assert store.add_units([{"en": "one language"}]) == 0
    assert store.add_units(iter([])) == 0
    assert not data_dir.exists()


# --- TMX in and out -----------------------------------------------------------------------------


def test_import_export_round_trip(data_dir: Path, tmp_path: Path, sample_tmx_path: Path) -> None:
    assert store.import_tmx(sample_tmx_path) == 33
    extra = _tmx(
        tmp_path / "extra.tmx",
        {"zh-TW": "確保AI供應鏈的安全", "en": "Securing the AI supply chain <edited> & more"},
        {"zh-TW": "新詞", "en": "New term"},
    )
    assert store.import_tmx(extra) == 2
    out = tmp_path / "out.tmx"
    assert store.export_tmx(out) == 34
    exported = read_tmx(out)
    assert exported.lookup("確保AI供應鏈的安全", "zh-TW", "en") == (
        "Securing the AI supply chain <edited> & more"
    )
    origins = {origin for _, origin in exported.entries()}
    assert origins == {"eppd-6-2026-01-28.tmx", "extra.tmx"}
    # the bytes the TMX store wrote for the same imports, in the same order
    expected = _old_store(
        (list(read_tmx(sample_tmx_path)), "eppd-6-2026-01-28.tmx"),
        (list(read_tmx(extra)), "extra.tmx"),
    )
    assert out.read_bytes() == tmx_bytes(expected)
    stream = io.BytesIO()
    assert store.export_tmx(stream) == 34
    assert stream.getvalue() == out.read_bytes()
    text = io.StringIO()
    assert store.export_tmx(text) == 34
    assert text.getvalue().encode("utf-8") == out.read_bytes()


def test_export_reimported_elsewhere_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_tmx_path: Path
) -> None:
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "one"))
    store.import_tmx(sample_tmx_path)
    store.add_units([{"en": "Critical minerals", "zh-TW": "關鍵礦物"}], "review:x.xlf")
    first = tmp_path / "first.tmx"
    store.export_tmx(first)
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "two"))
    assert store.import_tmx(first) == 34
    second = tmp_path / "second.tmx"
    store.export_tmx(second)
    # every unit came back; origins are now the file imported from
    assert list(read_tmx(second)) == list(read_tmx(first))
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "three"))
    (tmp_path / "three").mkdir()
    (tmp_path / "three" / "memory.tmx").write_bytes(first.read_bytes())
    third = tmp_path / "third.tmx"
    store.export_tmx(third)  # migrated: origins kept, so the very same bytes
    assert third.read_bytes() == first.read_bytes()


def test_export_of_an_empty_memory_is_valid_tmx(data_dir: Path, tmp_path: Path) -> None:
    assert store.export_tmx(tmp_path / "empty.tmx") == 0
    assert len(read_tmx(tmp_path / "empty.tmx")) == 0
    assert not data_dir.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<html><body>no</body></html>", "not a TMX file"),
        ("<tmx><body><tu></body></tmx>", "not valid TMX"),
    ],
)
def test_bad_import_changes_nothing(
    data_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    before = io.BytesIO()
    store.export_tmx(before)
    bad = tmp_path / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        store.import_tmx(bad)
    with pytest.raises(InputError, match="no such file"):
        store.import_tmx(tmp_path / "missing.tmx")
    after = io.BytesIO()
    store.export_tmx(after)
    assert after.getvalue() == before.getvalue()


# --- migration of the old TMX store ---------------------------------------------------------


def _legacy(data_dir: Path) -> bytes:
    """An old store as the TMX store wrote it: two add_units batches, merged."""
    memory = _old_store(
        (
            [
                {"zh-TW": "關鍵礦物", "en": "Critical minerals"},
                {"zh-TW": "數位基礎建設", "en": "Digital infrastructure"},
            ],
            "review:a.xlf",
        ),
        ([{"en": "Economic security", "zh-TW": "經濟安全"}], None),
        ([{"zh-TW": "關鍵礦物", "zh-CN": "关键矿物"}], "review:b.xlf"),
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    write_tmx(memory, data_dir / "memory.tmx")
    return (data_dir / "memory.tmx").read_bytes()


def test_old_store_is_migrated_once_and_renamed(data_dir: Path, tmp_path: Path) -> None:
    old = _legacy(data_dir)
    memory = store.load_user_memory()  # a build: migrates
    assert len(memory) == 3
    assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"
    assert memory.lookup("关键矿物", "zh-CN", "zh-TW") == "關鍵礦物"
    assert next(iter(memory.entries()))[1] == "review:b.xlf"
    memory.close()
    assert not (data_dir / "memory.tmx").exists()
    assert (data_dir / "memory.tmx.migrated").read_bytes() == old  # left as it was
    facts = store.describe()
    assert facts["units"] == 3 and facts["schema"] == store.SCHEMA_VERSION
    assert facts["migrated_from"] == str(data_dir / "memory.tmx")
    out = tmp_path / "out.tmx"
    store.export_tmx(out)
    assert out.read_bytes() == old  # the same units, order, origins and bytes
    # a memory.tmx appearing later is not read again (nor renamed over the first)
    _tmx(data_dir / "memory.tmx", {"zh-TW": "新詞", "en": "New term"})
    assert len(store.load_user_memory()) == 3
    assert (data_dir / "memory.tmx").exists()


def test_migration_when_adding(data_dir: Path) -> None:
    _legacy(data_dir)
    assert store.add_units([{"zh-TW": "新詞", "en": "New term"}], "review:c.xlf") == 1
    units = list(store.load_user_memory())
    assert len(units) == 4 and units[-1] == {"zh-TW": "新詞", "en": "New term"}


def test_an_old_store_migrated_by_another_process_meanwhile(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen before reading, gone when read: another process migrated it and renamed it
    after its commit. This one opens the database and finds the units, no error."""
    _legacy(data_dir)
    assert len(store.load_user_memory()) == 3  # the other process's migration
    (data_dir / "memory.tmx.migrated").rename(data_dir / "memory.tmx")
    real = store.read_tmx

    def read_after_rename(path: Path):  # type: ignore[no-untyped-def]
        path.rename(path.with_name("memory.tmx.migrated"))
        return real(path)

    monkeypatch.setattr(store, "read_tmx", read_after_rename)
    assert store._legacy_units(data_dir / "memory.tmx") is None
    assert len(store.load_user_memory()) == 3


def test_a_second_migration_never_overwrites_the_first(data_dir: Path) -> None:
    _legacy(data_dir)
    (data_dir / "memory.tmx.migrated").write_text("earlier", encoding="utf-8")
    assert len(store.load_user_memory()) == 3
    assert (data_dir / "memory.tmx.migrated").read_text(encoding="utf-8") == "earlier"
    assert (data_dir / "memory.tmx.migrated.1").is_file()


def test_a_bad_old_store_creates_nothing(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "memory.tmx").write_text("not xml", encoding="utf-8")
    with pytest.raises(InputError, match=r"memory\.tmx: not valid TMX"):
        store.load_user_memory()
    with pytest.raises(InputError, match=r"memory\.tmx: not valid TMX"):
        store.add_units([{"zh-TW": "新詞", "en": "New term"}])
    assert sorted(p.name for p in data_dir.iterdir()) == ["memory.tmx"]


def test_an_interrupted_migration_is_done_again(data_dir: Path) -> None:
    """A database left without its schema (the process died in the migration's
    transaction) is set up, and the old store migrated, on the next open."""
    _legacy(data_dir)
    sqlite3.connect(data_dir / "memory.sqlite3").close()  # an empty database file
    assert len(store.load_user_memory()) == 3
    assert (data_dir / "memory.tmx.migrated").is_file()


# --- damaged or foreign databases ----------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message
    return message


def test_corrupt_database_is_one_line(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir()
    (data_dir / "memory.sqlite3").write_bytes(b"not a database at all " * 200)
    for action in (
        store.load_user_memory,
        lambda: store.add_units([{"zh-TW": "新詞", "en": "New term"}]),
        lambda: store.export_tmx(tmp_path / "out.tmx"),
        store.describe,
    ):
        with pytest.raises(InputError) as caught:
            action()
        assert _one_line(caught.value).startswith(
            f"{data_dir / 'memory.sqlite3'}: damaged translation memory (file is not a database)"
        )
    assert not (tmp_path / "out.tmx").exists()


def test_damaged_pages_are_one_line(data_dir: Path, tmp_path: Path) -> None:
    """A database whose header and schema are intact but whose tables are not: every
    read that reaches them says so in one line."""
    store.add_units(
        [{"zh-TW": f"第{n}屆對話", "en": f"Round {n} of the dialogue"} for n in range(3000)]
    )
    path = data_dir / "memory.sqlite3"
    checkpoint = sqlite3.connect(path)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = checkpoint.execute("PRAGMA page_size").fetchone()[0]
    checkpoint.close()
    data = path.read_bytes()
    path.write_bytes(data[:page] + bytes(len(data) - page))  # page 1 (header, schema) kept
    memory = store.load_user_memory()
    for action in (
        lambda: memory.lookup("第7屆對話", "zh-TW", "en"),
        lambda: memory.best_match("第7屆對話會", "zh-TW", "en", 0.8),
        lambda: list(memory.entries()),
        lambda: len(memory),
        lambda: store.export_tmx(tmp_path / "out.tmx"),
        lambda: store.add_units([{"zh-TW": "新詞", "en": "New term"}]),
        store.describe,
    ):
        with pytest.raises(InputError) as caught:
            action()
        assert _one_line(caught.value) == (
            f"{path}: damaged translation memory (database disk image is malformed); move it "
            "away (a new one is started) and `briefgen tm import` an export to restore it"
        )
    memory.close()
    assert not (tmp_path / "out.tmx").exists()


def test_foreign_and_newer_databases_are_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "memory.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match=r"not a briefgen translation memory$"):
        store.load_user_memory()
    path.unlink()
    store.add_units([{"zh-TW": "新詞", "en": "New term"}])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer briefgen"):
        store.load_user_memory()


def test_a_busy_database_is_one_line(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that keeps the database past the busy timeout, on every attempt, gives
    one line (the wait itself is what BUSY_TIMEOUT and the retries are for)."""
    store.add_units([{"zh-TW": "新詞", "en": "New term"}])
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.01)
    monkeypatch.setattr(store, "WRITE_ATTEMPTS", 2)
    holder = sqlite3.connect(data_dir / "memory.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BriefgenError, match="translation memory busy") as caught:
            store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
        assert caught.value.exit_code == 4
        assert "database is locked" not in _one_line(caught.value)
        # readers are not held up by the writer (WAL)
        assert store.load_user_memory().lookup("新詞", "zh-TW", "en") == "New term"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}]) == 1


# --- lookups equal to the TMX-based memory's ---------------------------------------------------

ZH_SENTENCE = "雙方同意共同盤點台美企業在AI科技堆疊套案及先進機器人的夥伴關係"
EN_SENTENCE = "Both sides agreed to take stock of partnerships in advanced robotics"


def test_best_match_like_the_tmx_memory(data_dir: Path) -> None:
    store.add_units(
        [
            {"zh-TW": ZH_SENTENCE, "en": EN_SENTENCE},
            {"zh-TW": "數位基礎建設", "en": "Digital infrastructure"},
            {"zh-TW": "關鍵礦物", "en": "Critical minerals"},
        ]
    )
    memory = store.load_user_memory()
    assert memory.best_match(f"  {ZH_SENTENCE}\n", "zh-TW", "en") == Match(
        EN_SENTENCE, 1.0, ZH_SENTENCE
    )
    match = memory.best_match(ZH_SENTENCE.replace("盤點", "盤查"), "zh-TW", "en")
    assert match == Match(EN_SENTENCE, pytest.approx(1 - 2 / 64), ZH_SENTENCE)
    assert match.describe() == f"fuzzy {int(match.score * 100)}%"
    assert memory.best_match("數位基礎設施", "zh-TW", "en") is None
    assert memory.best_match("數位基礎設施", "zh-TW", "en", threshold=0.8) == Match(
        "Digital infrastructure", pytest.approx(1 - 2 / 12), "數位基礎建設"
    )
    assert memory.best_match("Digital infrastructures", "en", "zh-TW") == Match(
        "數位基礎建設", pytest.approx(1 - 1 / 45), "Digital infrastructure"
    )
    assert memory.best_match("完全不同的句子", "zh-TW", "en") is None
    assert memory.best_match("   ", "zh-TW", "en") is None
    assert memory.best_match(ZH_SENTENCE, "zh-TW", "zh-CN") is None
    with pytest.raises(ValueError, match="threshold"):
        memory.best_match("關鍵礦物", "zh-TW", "en", threshold=90)
    provider = MemoryProvider(memory, 0.8)
    hit = provider.lookup("數位基礎設施", "zh-TW", "en")
    assert hit is not None and hit.text == "Digital infrastructure"
    assert hit.ref == f"{data_dir / 'memory.sqlite3'} (fuzzy 83%)"
    memory.close()


def test_ties_go_to_the_unit_added_last(data_dir: Path) -> None:
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬癸", "en": "first"}])
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬子", "en": "second"}])
    memory = store.load_user_memory()
    match = memory.best_match("甲乙丙丁戊己庚辛壬丑", "zh-TW", "en", threshold=0.9)
    assert match is not None and (match.text, match.score) == ("second", pytest.approx(0.9))
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬癸", "en": "first, revised"}])
    match = memory.best_match("甲乙丙丁戊己庚辛壬丑", "zh-TW", "en")  # merged in place
    assert match is not None and match.text == "second"
    store.add_units([{"en": "third", "zh-TW": "甲乙丙丁戊己庚辛壬寅"}])  # a later unit
    match = memory.best_match("甲乙丙丁戊己庚辛壬丑", "zh-TW", "en")
    assert match is not None and match.text == "third"
    memory.close()


def test_segment_held_by_a_later_unit_without_the_target(data_dir: Path) -> None:
    store.add_units(
        [
            {"zh-TW": "經濟安全對話", "en": "Economic security dialogue"},
            {"zh-CN": "经济安全对话", "zh-TW": "經濟安全對話"},  # later, no English
        ]
    )
    memory = store.load_user_memory()
    assert memory.lookup("經濟安全對話", "zh-TW", "en") is None
    assert memory.best_match("經濟安全對話會", "zh-TW", "en", threshold=0.5) is None
    memory.close()


LANGS = ("zh-TW", "en", "zh-CN")


def _random_segment(rng: random.Random) -> str:
    text = "".join(rng.choice("甲乙丙丁戊己庚辛壬癸ab c") for _ in range(rng.randint(1, 16)))
    return text if rng.random() < 0.85 else f"  {text}\t"


def test_lookups_equal_the_tmx_memorys_on_random_memories(data_dir: Path) -> None:
    """Random units (often sharing segments, merged, translations replaced) in random
    batches: every exact and fuzzy lookup, at every threshold, gives what the TMX
    store's memory gave for the same history."""
    rng = random.Random(20260128)
    batches = []
    for number in range(12):
        units = []
        for _ in range(rng.randint(1, 40)):
            langs = rng.sample(LANGS, rng.randint(2, 3))
            units.append({lang: _random_segment(rng) for lang in langs})
        batches.append((units, f"batch-{number}" if number % 3 else None))
    for units, origin in batches:
        store.add_units(units, origin)
    old = _old_store(*batches)
    memory = store.load_user_memory()
    assert list(memory.entries()) == list(old.entries())
    assert len(memory) == len(old)
    matched = 0
    for _ in range(1500):
        segment = _random_segment(rng)
        src, tgt = rng.sample(LANGS, 2)
        threshold = rng.choice((1.0, 0.95, 0.9, 0.8, 0.75, 0.5, 0.3, 0.0))
        expected = old.best_match(segment, src, tgt, threshold)
        assert memory.best_match(segment, src, tgt, threshold) == expected
        assert memory.lookup(segment, src, tgt) == old.lookup(segment, src, tgt)
        matched += expected is not None
    assert matched > 300  # the comparison saw plenty of matches, not only misses
    memory.close()


def test_lookups_over_thousands_of_units(data_dir: Path) -> None:
    store.add_units(
        {"zh-TW": f"第{n}屆台美經濟繁榮夥伴對話會議紀錄", "en": f"Minutes of round {n}"}
        for n in range(5000)
    )
    memory = store.load_user_memory()
    match = memory.best_match("第4321屆台美經濟繁榮夥伴對話會議記錄", "zh-TW", "en")
    assert match is not None and match.text == "Minutes of round 4321"
    assert memory.best_match("Minutes of round 4321", "en", "zh-TW") == Match(
        "第4321屆台美經濟繁榮夥伴對話會議紀錄", 1.0, "Minutes of round 4321"
    )
    memory.close()


def test_the_memory_pickles_and_reopens(data_dir: Path) -> None:
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    memory = store.load_user_memory()
    copy = pickle.loads(pickle.dumps(memory))
    assert copy.origin == memory.origin and len(copy) == 1
    assert copy.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"
    with copy:
        pass  # closes; a later call opens again
    assert copy.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"
    copy.close()
    memory.close()


def test_fuzzy_lookups_see_units_added_meanwhile(data_dir: Path) -> None:
    """Keys read for fuzzy lookups are reread once another connection has written."""
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬癸", "en": "first"}])
    memory = store.load_user_memory()
    query = "甲乙丙丁戊己庚辛壬丑"
    assert memory.best_match(query, "zh-TW", "en") == Match("first", 0.9, "甲乙丙丁戊己庚辛壬癸")
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬子", "en": "second"}])  # same length
    assert memory.best_match(query, "zh-TW", "en") == Match("second", 0.9, "甲乙丙丁戊己庚辛壬子")
    store.add_units([{"zh-TW": "甲乙丙丁戊己庚辛壬子", "en": "second, revised"}])
    match = memory.best_match(query, "zh-TW", "en")
    assert match is not None and match.text == "second, revised"
    memory.close()


def test_revision_changes_with_every_change(data_dir: Path, tmp_path: Path) -> None:
    assert store.revision() is None and not data_dir.exists()
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    first = store.revision()
    assert first is not None and first.endswith(":1")
    assert store.revision() == first  # reading changes nothing
    len(store.load_user_memory())
    assert store.revision() == first
    store.add_units([{"en": "one language"}])  # nothing to add: nothing written
    assert store.revision() == first
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])  # the same again
    second = store.revision()
    assert second is not None and second != first and second.endswith(":2")
    (data_dir / "memory.sqlite3").unlink()
    for extra in data_dir.glob("memory.sqlite3-*"):
        extra.unlink()
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    third = store.revision()
    assert third is not None and third.endswith(":1") and third != first  # a new database


def test_revision_of_a_migrated_store(data_dir: Path) -> None:
    _legacy(data_dir)
    found = store.revision()
    assert found is not None and found.endswith(":1")
    assert (data_dir / "memory.tmx.migrated").is_file()


@pytest.mark.parametrize("fuzzy", [1.0, 0.9, 0.8])
def test_a_brief_translated_with_the_store_is_the_one_the_tmx_memory_gave(
    data_dir: Path, tmp_path: Path, sample_path: Path, sample_tmx_path: Path, fuzzy: float
) -> None:
    """The sample translated with its reviewed units (a third of them changed by one
    character, so fuzzy matches count) from the user store, and from the same units as a
    TMX file: the same brief, but for the memory's name in the refs."""
    from briefgen.clean import clean
    from briefgen.extract import extract
    from briefgen.ingest import read_source
    from briefgen.model import dump_brief
    from briefgen.pipeline import translate_brief
    from briefgen.settings import Settings
    from briefgen.translate.termbase import builtin_termbase

    rng = random.Random(3)
    units = TranslationMemory()
    for unit, origin in read_tmx(sample_tmx_path).entries():
        zh = unit["zh-TW"]
        if len(zh) > 8 and rng.random() < 0.6:
            at = rng.randrange(len(zh))
            zh = zh[:at] + "某" + zh[at + 1 :]
        units.add({"zh-TW": zh, "en": unit["en"]}, origin)
    tmx = tmp_path / "units.tmx"
    write_tmx(units, tmx)
    store.import_tmx(tmx)
    source = clean(read_source(sample_path))
    termbase = builtin_termbase()

    def brief(settings: Settings, name: str) -> str:
        translated, _ = translate_brief(extract(source, termbase), settings, sample_path)
        return dump_brief(translated, "json").replace(name, "MEMORY")  # JSON: no line folding

    with_file = brief(
        Settings(sibling_memories=False, user_memory=False, memories=(tmx,), fuzzy=fuzzy), str(tmx)
    )
    with_store = brief(
        Settings(sibling_memories=False, fuzzy=fuzzy), str(data_dir / "memory.sqlite3")
    )
    assert with_store == with_file
    assert with_file.count("MEMORY (exact)") > 5
    if fuzzy < 1.0:
        assert with_file.count("MEMORY (fuzzy") > 5
