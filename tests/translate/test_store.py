"""translate.store: the user translation memory (a TMX file in the user data directory)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.translate import store
from briefgen.translate.memory import TranslationMemory, read_tmx, write_tmx


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(folder))
    return folder


def _tmx(path: Path, *units: dict[str, str]) -> Path:
    memory = TranslationMemory()
    for unit in units:
        memory.add(unit)
    write_tmx(memory, path)
    return path


def test_location_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFGEN_DATA_DIR", raising=False)
    import platformdirs

    default = Path(platformdirs.user_data_dir("briefgen", appauthor=False))
    assert store.data_dir() == default
    assert store.memory_path() == default / "memory.tmx"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "mine"))
    assert store.memory_path() == tmp_path / "mine" / "memory.tmx"
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", "  ")
    assert store.data_dir() == default


def test_empty_when_absent(data_dir: Path) -> None:
    memory = store.load_user_memory()
    assert len(memory) == 0 and memory.origin == str(data_dir / "memory.tmx")
    assert not data_dir.exists()  # reading creates nothing


def test_add_units_creates_and_merges_later_wins(data_dir: Path) -> None:
    assert store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}], "first") == 1
    path = data_dir / "memory.tmx"
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
    assert list(memory) == [
        {"zh-TW": " 關鍵礦物 ", "en": "Critical raw materials"},  # kept its place
        {"zh-TW": "數位基礎建設", "en": "Digital infrastructure"},
        {"zh-TW": "雙邊經濟合作", "en": "Bilateral economic cooperation"},
    ]
    assert [origin for _, origin in memory.entries()] == ["review:r.xlf"] * 3
    assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical raw materials"
    assert not list(data_dir.glob(".*.tmp"))


def test_merge_keeps_languages_the_new_unit_lacks(data_dir: Path) -> None:
    store.add_units([{"zh-TW": "關鍵礦物", "zh-CN": "关键矿物", "en": "Critical minerals"}])
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical raw materials"}])
    assert list(store.load_user_memory()) == [
        {"zh-TW": "關鍵礦物", "zh-CN": "关键矿物", "en": "Critical raw materials"}
    ]


def test_nothing_to_add_writes_nothing(data_dir: Path) -> None:
    assert store.add_units([{"en": "one language"}]) == 0
    assert not (data_dir / "memory.tmx").exists()


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
    stream = io.BytesIO()
    assert store.export_tmx(stream) == 34
    assert stream.getvalue() == out.read_bytes() == (data_dir / "memory.tmx").read_bytes()


def test_export_of_an_empty_memory_is_valid_tmx(data_dir: Path, tmp_path: Path) -> None:
    assert store.export_tmx(tmp_path / "empty.tmx") == 0
    assert len(read_tmx(tmp_path / "empty.tmx")) == 0


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
    before = (data_dir / "memory.tmx").read_bytes()
    bad = tmp_path / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        store.import_tmx(bad)
    with pytest.raises(InputError, match="no such file"):
        store.import_tmx(tmp_path / "missing.tmx")
    assert (data_dir / "memory.tmx").read_bytes() == before


def test_corrupt_store_is_reported(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "memory.tmx").write_text("not xml", encoding="utf-8")
    with pytest.raises(InputError, match=r"memory\.tmx: not valid TMX"):
        store.load_user_memory()
