"""briefgen.cache: derived data computed once per machine, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cache import cache_root, cached_json, digest, package_versions, write_atomic


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_computed_once_then_read_back(root: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, list[str]]:
        calls.append(1)
        return {"names": ["臺北", "Taipei"]}

    assert cached_json("data", "k1", compute) == {"names": ["臺北", "Taipei"]}
    assert cached_json("data", "k1", compute) == {"names": ["臺北", "Taipei"]}
    assert len(calls) == 1
    assert cache_root() == root and (root / "data" / "k1.json").is_file()
    assert not [p for p in (root / "data").iterdir() if p.name.startswith(".")]


def test_corrupt_entry_is_computed_again(root: Path) -> None:
    (root / "data").mkdir(parents=True)
    (root / "data" / "k2.json").write_bytes(b'{"trunc')
    assert cached_json("data", "k2", lambda: [1, 2]) == [1, 2]
    assert (root / "data" / "k2.json").read_text() == "[1, 2]"


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch) -> None:
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_text("x")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(not_a_dir))
    assert cached_json("data", "k3", lambda: "v") == "v"
    assert not_a_dir.read_text() == "x"


def test_write_atomic_reports_failure_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert not write_atomic(blocker / "sub" / "entry", b"data")
    assert write_atomic(tmp_path / "d" / "entry", b"data")
    assert (tmp_path / "d" / "entry").read_bytes() == b"data"


def test_keys_change_with_versions() -> None:
    assert "babel=" in package_versions("babel")
    assert package_versions("no-such-distribution-x") == "no-such-distribution-x=none"
    assert digest("a", "b") != digest("a", "c") and len(digest("a")) == 24


def test_gazetteer_from_cache_equals_derived(root: Path) -> None:
    from briefgen.extract import places

    places._cldr_names.cache_clear()
    try:
        first = places._cldr_names()
        places._cldr_names.cache_clear()
        second = places._cldr_names()  # read back from the cache file
        chinese, english = places._derive_names()
        assert first == second == (frozenset(chinese), frozenset(english))
        assert "臺北" in first[0] or "台北" in first[0]
        assert "Washington" in first[1]
    finally:
        places._cldr_names.cache_clear()
