"""translate.memory: TMX reading and writing, exact and fuzzy lookups, sibling TMX files."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import __version__
from briefgen.errors import BriefgenError, InputError
from briefgen.translate.memory import (
    Match,
    TranslationMemory,
    canonical_lang,
    length_band,
    normalize,
    read_tmx,
    sibling_memories,
    write_tmx,
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
    assert len(memory) == 33
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


# --- fuzzy matching -----------------------------------------------------------------------

ZH_SENTENCE = "雙方同意共同盤點台美企業在AI科技堆疊套案及先進機器人的夥伴關係"
EN_SENTENCE = "Both sides agreed to take stock of partnerships in advanced robotics"


def _fuzzy_memory() -> TranslationMemory:
    memory = TranslationMemory("fuzzy.tmx")
    memory.add({"zh-TW": ZH_SENTENCE, "en": EN_SENTENCE})
    memory.add({"zh-TW": "數位基礎建設", "en": "Digital infrastructure"})
    memory.add({"zh-TW": "關鍵礦物", "en": "Critical minerals"})
    return memory


def test_best_match_exact_scores_one() -> None:
    memory = _fuzzy_memory()
    match = memory.best_match(f"  {ZH_SENTENCE}\n", "zh-TW", "en")
    assert match == Match(EN_SENTENCE, 1.0, ZH_SENTENCE)
    assert match.exact and match.describe() == "exact"
    assert memory.best_match(EN_SENTENCE, "en", "zh-TW") == Match(ZH_SENTENCE, 1.0, EN_SENTENCE)


def test_best_match_one_character_changed_chinese() -> None:
    memory = _fuzzy_memory()
    changed = ZH_SENTENCE.replace("盤點", "盤查")  # one character of 32
    match = memory.best_match(changed, "zh-TW", "en")
    assert match is not None
    assert match.text == EN_SENTENCE and match.source_segment == ZH_SENTENCE
    assert match.score == pytest.approx(1 - 2 / 64)
    assert not match.exact and match.describe() == f"fuzzy {int(match.score * 100)}%"
    # characters are compared one by one: 數位基礎設施 keeps five of 數位基礎建設's six in
    # order (one deletion, one insertion), 1 - 2/12, below the default 0.9
    assert memory.best_match("數位基礎設施", "zh-TW", "en") is None
    assert memory.best_match("數位基礎設施", "zh-TW", "en", threshold=0.8) == Match(
        "Digital infrastructure", pytest.approx(1 - 2 / 12), "數位基礎建設"
    )


def test_best_match_one_character_changed_english() -> None:
    memory = _fuzzy_memory()
    match = memory.best_match("Digital infrastructures", "en", "zh-TW")
    assert match is not None and match.text == "數位基礎建設"
    assert match.score == pytest.approx(1 - 1 / (22 + 23))
    match = memory.best_match(EN_SENTENCE.replace("agreed", "agree"), "en", "zh-TW")
    assert match is not None and match.text == ZH_SENTENCE
    assert match.score == pytest.approx(1 - 1 / (68 + 67))  # one letter deleted


def test_best_match_below_threshold_and_no_candidates() -> None:
    memory = _fuzzy_memory()
    assert memory.best_match("完全不同的句子", "zh-TW", "en") is None
    assert memory.best_match("Critical mineral supply", "en", "zh-TW") is None
    assert memory.best_match("Critical mineral supply", "en", "zh-TW", 0.8) is not None
    assert memory.best_match(ZH_SENTENCE, "zh-TW", "zh-CN") is None  # no such language
    assert memory.best_match("   ", "zh-TW", "en") is None
    assert TranslationMemory().best_match("關鍵礦物", "zh-TW", "en") is None
    with pytest.raises(ValueError, match="threshold"):
        memory.best_match("關鍵礦物", "zh-TW", "en", threshold=90)


def test_best_match_threshold_is_inclusive_and_later_units_win() -> None:
    memory = TranslationMemory()
    memory.add({"zh-TW": "甲乙丙丁戊己庚辛壬癸", "en": "first"})
    memory.add({"zh-TW": "甲乙丙丁戊己庚辛壬子", "en": "second"})
    # both differ from the query in one character of ten: 0.9 each; the later unit wins
    match = memory.best_match("甲乙丙丁戊己庚辛壬丑", "zh-TW", "en", threshold=0.9)
    assert match is not None and (match.text, match.score) == ("second", pytest.approx(0.9))
    memory.add({"zh-TW": "甲乙丙丁戊己庚辛壬癸", "en": "first, revised"})
    match = memory.best_match("甲乙丙丁戊己庚辛壬丑", "zh-TW", "en")
    assert match is not None and match.text == "first, revised"  # the index follows adds


def test_best_match_uses_the_unit_an_exact_lookup_would() -> None:
    memory = TranslationMemory()
    memory.add({"zh-TW": "經濟安全對話", "en": "Economic security dialogue"})
    memory.add({"zh-TW": "經濟安全對話", "zh-CN": "经济安全对话"})  # later, no English
    assert memory.lookup("經濟安全對話", "zh-TW", "en") is None
    assert memory.best_match("經濟安全對話會", "zh-TW", "en", threshold=0.5) is None


def test_best_match_over_thousands_of_units() -> None:
    memory = TranslationMemory()
    for n in range(5000):
        memory.add({"zh-TW": f"第{n}屆台美經濟繁榮夥伴對話會議紀錄", "en": f"Minutes of round {n}"})
    match = memory.best_match("第4321屆台美經濟繁榮夥伴對話會議記錄", "zh-TW", "en")
    assert match is not None and match.text == "Minutes of round 4321"
    assert memory.best_match("Minutes of round 4321", "en", "zh-TW") == Match(
        "第4321屆台美經濟繁榮夥伴對話會議紀錄", 1.0, "Minutes of round 4321"
    )


# --- writing TMX ----------------------------------------------------------------------------

MARKUP_UNITS = [
    {"zh-TW": "「矽和平宣言」<草案> & 附件", "en": 'The "Pax Silica Declaration" <draft> & annex'},
    {"zh-TW": "台美AI供應鏈", "en": "Taiwan-US AI supply chain ]]> 'quoted'"},
    {"en": "Critical minerals", "zh-TW": "關鍵礦物", "zh-CN": "关键矿物"},
    {"zh-TW": "  前後有空白  ", "en": "tab\there, line\nbreak"},
]


def _markup_memory() -> TranslationMemory:
    memory = TranslationMemory("mine")
    for n, unit in enumerate(MARKUP_UNITS):
        memory.add(unit, origin="review:r.xlf" if n == 0 else None)
    return memory


def test_write_tmx_round_trips_chinese_and_markup(tmp_path: Path) -> None:
    memory = _markup_memory()
    path = tmp_path / "out.tmx"
    assert write_tmx(memory, path) == 4
    back = read_tmx(path)
    assert list(back) == MARKUP_UNITS
    assert [list(unit) for unit in back] == [list(unit) for unit in MARKUP_UNITS]  # tuv order
    assert [origin for _, origin in back.entries()] == ["review:r.xlf", None, None, None]
    assert back.lookup("「矽和平宣言」<草案> & 附件", "zh-TW", "en") == MARKUP_UNITS[0]["en"]
    raw = path.read_text(encoding="utf-8")
    assert "&lt;草案&gt; &amp; 附件" in raw and "]]&gt;" in raw
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_tmx_is_valid_tmx_14(tmp_path: Path) -> None:
    from lxml import etree

    path = tmp_path / "out.tmx"
    write_tmx(_markup_memory(), path, srclang="zh-TW")
    root = etree.parse(str(path)).getroot()
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    header = root.find("header")
    assert header is not None
    assert dict(header.attrib) == {
        "creationtool": "briefgen",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "briefgen",
        "adminlang": "en",
        "srclang": "zh-TW",
        "datatype": "plaintext",
    }
    tus = root.findall("body/tu")
    assert len(tus) == 4
    for tu in tus:
        assert [child.tag for child in tu][-1] == "tuv"
        for tuv in tu.findall("tuv"):
            assert tuv.get("{http://www.w3.org/XML/1998/namespace}lang") in ("zh-TW", "zh-CN", "en")
            assert [c.tag for c in tuv] == ["seg"]
    assert tus[0].find("prop").attrib == {"type": "x-origin"}
    assert tus[0][0].tag == "prop"  # props before tuvs, as the DTD has it


def test_write_tmx_is_deterministic_and_writes_to_open_files(tmp_path: Path) -> None:
    import io

    memory = _markup_memory()
    binary, text = io.BytesIO(), io.StringIO()
    assert write_tmx(memory, binary) == 4
    assert write_tmx(memory, text) == 4
    write_tmx(memory, tmp_path / "a.tmx")
    write_tmx(_markup_memory(), tmp_path / "b.tmx")
    assert (tmp_path / "a.tmx").read_bytes() == (tmp_path / "b.tmx").read_bytes()
    assert binary.getvalue() == (tmp_path / "a.tmx").read_bytes()
    assert text.getvalue().encode("utf-8") == binary.getvalue()
    assert b"creationdate" not in binary.getvalue()


def test_write_tmx_srclang_defaults(tmp_path: Path) -> None:
    from lxml import etree

    def srclang(memory: TranslationMemory) -> str | None:
        write_tmx(memory, tmp_path / "x.tmx")
        return etree.parse(str(tmp_path / "x.tmx")).getroot().find("header").get("srclang")

    assert srclang(_markup_memory()) == "*all*"  # one unit is English-first
    memory = TranslationMemory()
    memory.add({"zh-TW": "關鍵礦物", "en": "Critical minerals"})
    assert srclang(memory) == "zh-TW"
    assert srclang(TranslationMemory()) == "*all*"
    assert len(read_tmx(tmp_path / "x.tmx")) == 0


def test_write_tmx_refuses_what_xml_cannot_hold(tmp_path: Path) -> None:
    memory = TranslationMemory("bad")
    memory.add({"zh-TW": "控制\x07字元", "en": "bell"})
    with pytest.raises(BriefgenError, match=r"^bad: cannot write as TMX: "):
        write_tmx(memory, tmp_path / "x.tmx")
    assert not (tmp_path / "x.tmx").exists()


def test_seed_tmx_round_trips(sample_tmx_path: Path, tmp_path: Path) -> None:
    seed = read_tmx(sample_tmx_path)
    write_tmx(seed, tmp_path / "seed.tmx")
    assert list(read_tmx(tmp_path / "seed.tmx")) == list(seed)


# --- the length band (the SQLite store's fuzzy prefilter) -------------------------------------


def test_length_band_never_leaves_out_a_match() -> None:
    """Any segment scoring at least the threshold against a query has a length inside
    the query's band (checked over random pairs and the thresholds in use)."""
    import random

    from rapidfuzz import fuzz

    rng = random.Random(7)
    checked = 0
    for _ in range(20000):
        a = "".join(rng.choice("甲乙丙ab") for _ in range(rng.randint(1, 30)))
        b = "".join(rng.choice("甲乙丙ab") for _ in range(rng.randint(1, 30)))
        threshold = rng.choice((0.0, 0.3, 0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0))
        if fuzz.ratio(a, b, processor=None) >= threshold * 100:
            low, high = length_band(len(a), threshold)
            assert low <= len(b) and (high is None or len(b) <= high), (a, b, threshold)
            checked += 1
    assert checked > 1000


def test_length_band_values() -> None:
    assert length_band(20, 0.0) == (0, None)
    assert length_band(20, 1.0) == (19, 21)  # exact length, widened by one each side
    low, high = length_band(30, 0.9)  # 30 * 0.9 / 1.1 = 24.5; 30 * 1.1 / 0.9 = 36.7
    assert (low, high) == (23, 38)
