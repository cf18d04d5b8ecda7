"""Font preparation: face data read from the packaged files, glyphs converted one by one
into a persistent store shared by processes and threads, the Simplified-Chinese fallback
faces that complement the TC faces, the Kai face shipped with briefgen, and an installed
Kai face looked up once."""

from __future__ import annotations

import sqlite3
import struct
import subprocess
import threading
from pathlib import Path

import pytest
from fontTools.ttLib.tables._g_l_y_f import Glyph as TTGlyph
from fontTools.ttLib.tables._g_l_y_f import table__g_l_y_f

from briefgen import fonts
from briefgen.styles import StyleSheet, read_stylesheet_data

SIMPLIFIED_ONLY = "贸进锡镕赟"  # 镕 and 赟 are outside GB 2312 (Simplified forms of 鎔, 贇)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty font cache for this test."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "fonts"


def _variants() -> list[fonts.Variant]:
    out = []
    for face in fonts.FACES.values():
        for variant in (face.regular, face.bold, face.italic, face.bold_italic):
            if variant is not None and not variant.transform.startswith("system:"):
                out.append(variant)
    return out


def test_hans_codepoints_are_simplified_characters_the_base_face_lacks() -> None:
    base = {ord(ch) for ch in "貿易中國鎔贇"}
    wanted = fonts.hans_codepoints(base)
    assert {ord(ch) for ch in SIMPLIFIED_ONLY} <= wanted
    assert ord("贸") in wanted and ord("易") not in wanted  # 易 is in the base face
    assert not wanted & base
    assert ord("a") not in wanted and 0x1FAE0 not in wanted
    # Any other ideograph the SC face has, such as a Traditional variant (闗 for 關).
    more = fonts.hans_codepoints(base, {ord("闗"), ord("a"), ord("易")})
    assert ord("闗") in more and ord("a") not in more and ord("易") not in more


def test_every_font_role_ends_with_a_simplified_fallback_face() -> None:
    for lang in ("zh-TW", "en"):
        sheet = StyleSheet(read_stylesheet_data(), lang)
        for role in ("serif", "sans"):
            faces = sheet.font_role(role).faces
            assert faces[-1].endswith("-sc-fallback"), faces
            assert faces.index(faces[-1]) > faces.index(f"noto-{role}-tc")


@pytest.mark.parametrize("key", ["noto-serif-sc-fallback", "noto-sans-sc-fallback"])
def test_fallback_face_holds_only_what_the_tc_face_lacks(key: str, cache: Path) -> None:
    data = fonts.face_data(fonts.face(key).regular)
    tc = fonts.face_data(fonts.face(key.replace("-sc-fallback", "-tc")).regular)
    cmap = set(data.cmap)
    assert {ord(ch) for ch in SIMPLIFIED_ONLY} <= cmap
    # Only what the TC face lacks, and the spaces (the PDF writer sets a space in the
    # face of the character before it).
    assert not {c for c in cmap if not chr(c).isspace()} & set(tc.cmap)
    assert {0x20, 0xA0, 0x3000} <= cmap
    assert ord("中") not in cmap and ord("a") not in cmap
    assert 5000 < len(cmap) < 8000
    # The outlines are the SC face's, shared with any other use of that file.
    assert data.glyph_key != data.key and data.source.name.startswith("NotoS")


def test_face_data_is_built_once_into_the_cache(cache: Path) -> None:
    variant = fonts.face("noto-sans-tc").regular
    messages: list[str] = []
    data = fonts.face_data(variant, messages.append)
    assert messages and "NotoSansTC-Regular.otf" in messages[0]
    assert fonts.GlyphStore(cache).path.is_file()
    again = fonts.face_data(variant, messages.append)
    assert len(messages) == 1 and again == data
    assert data.cmap[ord("中")] > 0 and data.advances[data.cmap[ord("中")]] == 1000
    assert set(data.tables) >= {"name", "OS/2", "post", "hhea", "maxp", "head"}


def test_glyphs_are_converted_once_and_kept(cache: Path) -> None:
    data = fonts.face_data(fonts.face("noto-serif-tc").regular)
    gids = {data.cmap[ord(ch)] for ch in "中華民國"}
    messages: list[str] = []
    got = fonts.glyphs(data, gids, messages.append)
    assert set(got) == gids and len(messages) == 1
    for glyph in got.values():
        decoded = TTGlyph(glyph.data)
        decoded.expand(table__g_l_y_f())
        assert decoded.numberOfContours > 0 and not glyph.components  # TrueType outlines
    assert fonts.glyphs(data, gids, messages.append) == got and len(messages) == 1
    with sqlite3.connect(fonts.GlyphStore(cache).path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM glyph").fetchone()
    assert count == len(gids)


def test_variable_font_instances_bring_their_components(cache: Path) -> None:
    data = fonts.face_data(fonts.face("noto-serif").bold)
    gid = data.cmap[ord("é")]
    got = fonts.glyphs(data, {gid})
    assert got[gid].components and set(got[gid].components) <= set(got)
    # The bold instance is wider than the regular face.
    regular = fonts.face_data(fonts.face("noto-serif").regular)
    assert data.advances[data.cmap[ord("m")]] > regular.advances[regular.cmap[ord("m")]]


def test_threads_extending_the_store_at_once_agree(cache: Path) -> None:
    data = fonts.face_data(fonts.face("noto-sans-tc").regular)
    gids = {data.cmap[ord(ch)] for ch in "外交部今日表示台灣與美國簽署協議"}
    results: list[dict[int, fonts.Glyph]] = []
    threads = [
        threading.Thread(target=lambda: results.append(fonts.glyphs(data, gids))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert fonts.GlyphStore(cache).glyphs(data.glyph_key, gids) == results[0]


def test_processes_extending_the_store_at_once_agree(cache: Path) -> None:
    script = (
        "from briefgen import fonts\n"
        "d = fonts.face_data(fonts.face('noto-serif-tc').regular)\n"
        "g = fonts.glyphs(d, {d.cmap[ord(c)] for c in '總統府發言人'})\n"
        "print(sorted((k, len(v.data)) for k, v in g.items()))\n"
    )
    runs = [
        subprocess.Popen(["python", "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1 and outputs[0].startswith("[(")


def test_a_broken_store_costs_speed_only(cache: Path) -> None:
    cache.mkdir(parents=True)
    fonts.GlyphStore(cache).path.write_bytes(b"not a database" * 100)
    data = fonts.face_data(fonts.face("noto-sans").regular)
    got = fonts.glyphs(data, {data.cmap[ord("A")]})
    assert got[data.cmap[ord("A")]].data
    # The damaged file is set aside and a new store kept in its place.
    assert fonts.GlyphStore(cache).path.with_suffix(".damaged").is_file()
    assert fonts.GlyphStore(cache).glyphs(data.glyph_key, set(got)) == got


def test_whole_face_statistics_are_known_for_every_packaged_face() -> None:
    # Without them embedded subsets would differ from those of a whole-face conversion
    # (bench/fonts.py --whole-face-stats regenerates them for new font packages).
    for variant in _variants():
        if variant.transform == "none":
            continue
        source = fonts._package_file(variant)
        assert f"{fonts._fingerprint(source)}|{variant.transform}" in fonts.WHOLE_FACE_STATS


def test_header_tables_carry_the_whole_face_statistics(cache: Path) -> None:
    data = fonts.face_data(fonts.face("noto-serif-tc").regular)
    assert data.whole
    head, maxp = data.tables["head"], data.tables["maxp"]
    assert struct.unpack(">hhhh", head[36:44]) == (-997, -1049, 2929, 1809)
    assert struct.unpack(">HH", maxp[6:10]) == (584, 41)
    # The modification time is the source file's: the same on every machine.
    assert struct.unpack(">Q", head[28:36])[0] == 3804697643


def test_prepare_builds_face_data_but_fallbacks_and_passes_over_a_missing_kai_face(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts.system_font.cache_clear()
    monkeypatch.setattr("shutil.which", lambda name: None)
    try:
        fonts.prepare([*_variants(), fonts.face("kai").regular])
        with sqlite3.connect(fonts.GlyphStore(cache).path) as conn:
            (count,) = conn.execute("SELECT count(*) FROM face").fetchone()
        # The Simplified fallback faces are read when a document first needs them.
        fallbacks = {v for v in _variants() if v.transform.startswith("hans-fallback:")}
        assert len(fallbacks) == 2 and count == len(set(_variants()) - fallbacks)
    finally:
        fonts.system_font.cache_clear()


def test_a_missing_kai_face_is_looked_up_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, stdout="/x/a.ttf: DejaVu Sans\n")

    fonts.system_font.cache_clear()
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr("subprocess.run", fake_run)
    try:
        for _ in range(5):
            with pytest.raises(fonts.FontUnavailable):
                fonts.face_data(fonts.face("kai").regular)
        assert len(calls) == 1
    finally:
        fonts.system_font.cache_clear()


def _big5_level1() -> set[int]:
    """The 5,401 常用字 of Big5 level 1 (A440-C67E), decoded with Python's codec."""
    out = set()
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (hi, lo) < (0xC6, 0x7F):
                out.add(ord(bytes((hi, lo)).decode("big5")))
    return out


def test_the_packaged_kai_face_is_a_truetype_big5_subset_with_its_licence(cache: Path) -> None:
    from fontTools.ttLib import TTFont

    variant = fonts.face("lxgw-wenkai-tc").regular
    source = fonts._package_file(variant)
    assert source.stat().st_size < 6_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (source.parent / "OFL.txt").read_text()
    assert "lxgw-wenkai-tc-webfont-1.2.0.tgz" in (source.parent / "README.md").read_text()
    with TTFont(str(source)) as font:
        assert font["name"].getDebugName(1) == "LXGW WenKai TC"
        assert font["name"].getDebugName(6) == "LXGWWenKaiTC-Regular"
        assert "glyf" in font and "CFF " not in font and "vmtx" in font
        assert font["hmtx"]["uni4E2D"] == (1000, 134)  # 中: one em wide
    data = fonts.face_data(variant)
    assert data.whole and data.transform == "none"  # used as the file has it
    cmap = set(data.cmap)
    assert len(_big5_level1() & cmap) > 5000
    assert {ord(ch) for ch in "「」『』（），。、；：？！　…—"} <= cmap
    assert set(range(0x20, 0x7F)) <= cmap
    assert not cmap & set(range(0x3100, 0x3130))  # no Bopomofo
    # Glyphs are the file's own TrueType outlines, byte for byte.
    gid = data.cmap[ord("簽")]
    with TTFont(str(source)) as font:
        loca = font["loca"]
        raw = font.reader["glyf"][loca[gid] : loca[gid + 1]]
    assert fonts.glyphs(data, {gid})[gid].data == raw


def test_kai_installed_names_the_face_fontconfig_finds() -> None:
    assert fonts.face("kai-installed").regular.transform == "system:kai"
    assert fonts.face("kai").regular == fonts.face("kai-installed").regular  # older name
