"""translate.memory: TMX reading, exact normalized lookups, sibling TMX files."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.translate.memory import (
    TranslationMemory,
    canonical_lang,
    normalize,
    read_tmx,
    sibling_memories,
)

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="zh-TW" datatype="plaintext" segtype="sentence" adminlang="en"
          creationtool="test" creationtoolversion="1" o-tmf="test"/>
  <body>
    <tu>
      <tuv xml:lang="zh-TW"><seg>雙邊經濟合作</seg></tuv>
      <tuv xml:lang="en"><seg>Bilateral economic cooperation</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-Hant"><seg>數位基礎建設</seg></tuv>
      <tuv xml:lang="en-US"><seg>Digital infrastructure</seg></tuv>
    </tu>
    <tu>
      <tuv lang="ZH-TW"><seg>關鍵礦物</seg></tuv>
      <tuv lang="EN-GB"><seg>Critical minerals</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-Hans"><seg>关键矿物</seg></tuv>
      <tuv xml:lang="en"><seg>Critical minerals (CN)</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-TW"><seg>只有一種語言</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-TW"><seg>無人機供應鏈</seg></tuv>
      <tuv xml:lang="fr"><seg>Chaîne d'approvisionnement</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _write(tmp_path: Path, text: str, name: str = "memory.tmx") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_tmx_language_variants(tmp_path: Path) -> None:
    memory = read_tmx(_write(tmp_path, TMX))
    assert memory.origin == str(tmp_path / "memory.tmx")
    assert len(memory) == 4  # one-language and unknown-language units are skipped
    assert memory.lookup("雙邊經濟合作", "zh-TW", "en") == "Bilateral economic cooperation"
    assert memory.lookup("數位基礎建設", "zh-TW", "en") == "Digital infrastructure"
    assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"
    assert memory.lookup("关键矿物", "zh-CN", "en") == "Critical minerals (CN)"
    assert memory.lookup("Digital infrastructure", "en", "zh-TW") == "數位基礎建設"
    assert memory.lookup("無人機供應鏈", "zh-TW", "en") is None
    assert memory.lookup("只有一種語言", "zh-TW", "en") is None


def test_lookup_is_normalized_but_exact(tmp_path: Path) -> None:
    memory = read_tmx(_write(tmp_path, TMX))
    assert memory.lookup("  雙邊經濟合作\n", "zh-TW", "en") == "Bilateral economic cooperation"
    assert memory.lookup("雙邊經濟合作。", "zh-TW", "en") is None
    assert memory.lookup("Bilateral  economic\tcooperation", "en", "zh-TW") == "雙邊經濟合作"
    assert memory.lookup("雙邊經濟合作", "en", "zh-TW") is None


def test_read_into_existing_memory_later_wins(tmp_path: Path) -> None:
    memory = TranslationMemory("mine")
    memory.add({"zh-TW": "雙邊經濟合作", "en": "Old"})
    read_tmx(_write(tmp_path, TMX), memory)
    assert memory.origin == "mine"
    assert memory.lookup("雙邊經濟合作", "zh-TW", "en") == "Bilateral economic cooperation"


def test_seed_tmx(sample_tmx_path: Path) -> None:
    memory = read_tmx(sample_tmx_path)
    assert len(memory) == 24
    assert memory.lookup("確保AI供應鏈的安全", "zh-TW", "en") == "Securing the AI supply chain"


def test_not_tmx(tmp_path: Path) -> None:
    path = _write(tmp_path, "<?xml version='1.0'?><html><body>hi</body></html>", "page.tmx")
    with pytest.raises(InputError) as info:
        read_tmx(path)
    assert str(info.value) == f"{path}: not a TMX file (root element is <html>)"


@pytest.mark.parametrize("text", ["<tmx><body><tu></body></tmx>", "", "雙邊經濟合作\tBilateral"])
def test_malformed_xml(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text, "bad.tmx")
    with pytest.raises(InputError) as info:
        read_tmx(path)
    assert str(info.value).startswith(f"{path}: not valid TMX: ")
    assert "\n" not in str(info.value)


def test_missing_tmx(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read translation memory"):
        read_tmx(tmp_path / "missing.tmx")


def test_canonical_lang_and_normalize() -> None:
    assert canonical_lang(" zh-Hant-TW ") == "zh-TW"
    assert canonical_lang("en-US") == "en"
    assert canonical_lang("zh-Hans") == "zh-CN"
    assert canonical_lang("ja") is None
    assert normalize("  Cafe\u0301\n\t talks ") == "Caf\u00e9 talks"


def test_sibling_memories_naming_rule(tmp_path: Path) -> None:
    source = tmp_path / "eppd-6-2026-01-28.zh-TW.txt"
    source.write_text("x", encoding="utf-8")
    for name in (
        "eppd-6-2026-01-28.tmx",
        "eppd-6-2026-01-28.zh-TW.tmx",
        "eppd-6-2026-01-28.reviewed.tmx",
        "eppd-6-2026-01-28.zh-TW.txt.bak",
        "eppd-5-2025-06-10.tmx",
        "other.tmx",
    ):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert sibling_memories(source) == [
        tmp_path / "eppd-6-2026-01-28.reviewed.tmx",
        tmp_path / "eppd-6-2026-01-28.tmx",
        tmp_path / "eppd-6-2026-01-28.zh-TW.tmx",
    ]


def test_sibling_memories_for_the_seed(sample_path: Path, sample_tmx_path: Path) -> None:
    assert sibling_memories(sample_path) == [sample_tmx_path]


def test_sibling_memories_missing_directory(tmp_path: Path) -> None:
    assert sibling_memories(tmp_path / "nowhere" / "a.txt") == []


def test_sibling_memories_do_not_match_a_longer_stem(tmp_path: Path) -> None:
    source = tmp_path / "eppd-1.zh-TW.txt"
    source.write_text("x", encoding="utf-8")
    (tmp_path / "eppd-1.tmx").write_text("", encoding="utf-8")
    (tmp_path / "eppd-10.tmx").write_text("", encoding="utf-8")
    assert sibling_memories(source) == [tmp_path / "eppd-1.tmx"]
