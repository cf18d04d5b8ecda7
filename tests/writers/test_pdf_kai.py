"""The Kai face of the 簽 and 函 PDFs: the LXGW WenKai TC subset shipped with briefgen is
embedded with nothing installed by hand, characters it lacks come from Noto Serif TC,
other audiences never use it, and an installed Kai face wins where a style sheet lists
``kai-installed`` first."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont
from pypdf import PdfReader

from briefgen import fonts, ir
from briefgen.pipeline import stylesheet
from briefgen.settings import Settings
from briefgen.writers import write

SEED = Path(__file__).resolve().parents[2] / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
KAI = "LXGWWenKaiTC-Regular"
#: In Big5 level 1 but not in the LXGW WenKai TC subset; Noto Serif TC has them.
NOT_IN_KAI = "倀嚀"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty font cache for this test: a first run."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "fonts"


def _doc(text: str, heading: bool = True) -> ir.Document:
    blocks: list[ir.Block] = [ir.Heading(1, [ir.Text("簽")])] if heading else []
    return ir.Document(ir.Meta(title="簽", lang="zh-TW"), [*blocks, ir.Para([ir.Text(text)])])


def _fonts(pdf: bytes) -> dict[str, dict]:
    """Each font of the PDF by its base name without the subset tag."""
    found: dict[str, dict] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[re.sub(r"^/[A-Z]{6}\+", "", str(font["/BaseFont"]))] = font
    return found


@pytest.mark.parametrize("audience", ["gongwen", "letter"])
def test_the_kai_face_is_embedded_as_a_truetype_subset(audience: str, cache: Path) -> None:
    sheet = stylesheet(Settings(), "zh-TW", audience)
    text = "主旨：陳報第6屆經濟繁榮夥伴對話（EPPD）會議成果一案，簽請鑒核。"
    pdf = write(_doc(text), "pdf", sheet)
    found = _fonts(pdf)
    assert KAI in found, sorted(found)
    data = found[KAI]["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    embedded = FTFont(io.BytesIO(data))
    assert "glyf" in embedded and embedded["maxp"].numGlyphs < 500  # a subset
    assert "NotoSerif-Regular" in found  # Latin text and digits in the Latin face
    assert "NotoSerifTC-Regular" not in found  # every Chinese character is in the Kai face
    assert "經濟繁榮夥伴對話" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_characters_the_kai_subset_lacks_come_from_noto_serif_tc(cache: Path) -> None:
    kai = fonts.face_data(fonts.face("lxgw-wenkai-tc").regular)
    assert not {ord(ch) for ch in NOT_IN_KAI} & set(kai.cmap)
    sheet = stylesheet(Settings(), "zh-TW", "gongwen")
    pdf = write(_doc(f"外交部{NOT_IN_KAI}表示"), "pdf", sheet)
    found = _fonts(pdf)
    assert {KAI, "NotoSerifTC-Regular"} <= set(found)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert f"外交部{NOT_IN_KAI}表示" in re.sub(r"\s+", "", text)


@pytest.mark.parametrize("audience", ["leadership", "working", "press"])
def test_other_audiences_never_use_the_kai_face(audience: str, cache: Path) -> None:
    for lang in ("zh-TW", "en"):
        sheet = stylesheet(Settings(), lang, audience)
        found = _fonts(write(_doc("外交部今日表示 Ministry"), "pdf", sheet))
        assert not any("WenKai" in name for name in found), (lang, sorted(found))


def test_english_gongwen_has_no_kai_face(cache: Path) -> None:
    sheet = stylesheet(Settings(), "en", "gongwen")
    found = _fonts(write(_doc("Ministry of Foreign Affairs"), "pdf", sheet))
    assert not any("WenKai" in name for name in found)


def test_an_installed_kai_face_wins_where_the_style_sheet_lists_it_first(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Noto Sans TC (a face no role of the 簽 uses) stands in for an installed Kai face that
    # fontconfig reports as TW-Kai.
    installed = fonts._package_file(fonts.Variant("pylopdf_fonts_zh_tw", "NotoSansTC-Regular.otf"))

    def fc_list(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, stdout=f"{installed}: TW-Kai\n")

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "styles.yaml").write_text(
        "fonts:\n  kai:\n    faces: [noto-serif, kai-installed, lxgw-wenkai-tc, noto-serif-tc,"
        " noto-serif-sc-fallback]\n",
        encoding="utf-8",
    )
    sheet = stylesheet(Settings(template_dirs=(templates,)), "zh-TW", "gongwen")
    assert sheet.font_role("kai").faces[1] == "kai-installed"
    assert sheet.font_role("kai").docx_east_asia == "標楷體"  # DOCX/ODT still name 標楷體
    fonts.system_font.cache_clear()
    try:
        # fontconfig faked only while the PDF is written (pypdf looks up programs too)
        with monkeypatch.context() as patched:
            patched.setattr("shutil.which", lambda name: "/usr/bin/fc-list")
            patched.setattr("subprocess.run", fc_list)
            pdf = write(_doc("外交部今日表示", heading=False), "pdf", sheet)
        found = _fonts(pdf)
        assert "NotoSansTC-Regular" in found and KAI not in found
        # Where no Kai face is installed, the packaged one serves.
        fonts.system_font.cache_clear()
        with monkeypatch.context() as patched:
            patched.setattr("shutil.which", lambda name: None)
            pdf = write(_doc("外交部今日表示", heading=False), "pdf", sheet)
        found = _fonts(pdf)
        assert KAI in found and "NotoSansTC-Regular" not in found
    finally:
        fonts.system_font.cache_clear()


def test_a_fresh_machine_builds_the_gongwen_pdf_in_the_kai_face(tmp_path: Path) -> None:
    """The CLI, with an empty cache and home and no fontconfig on the path: the 簽 of the
    sample embeds the packaged Kai face (checked with ``pdffonts`` where poppler is
    installed, and with pypdf)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {
        "PATH": str(bin_dir),  # no fc-list: nothing installed by hand is found
        "HOME": str(tmp_path / "home"),
        "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
    }
    for key in ("SYSTEMROOT", "TMPDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    out = tmp_path / "out"
    args = ["build", str(SEED), "--audience", "gongwen", "--lang", "zh-TW", "--format", "pdf"]
    run = subprocess.run(
        [sys.executable, "-m", "briefgen", *args, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (pdf,) = out.glob("*/*.gongwen.zh-TW.pdf")
    found = _fonts(pdf.read_bytes())
    assert KAI in found
    assert "/FontFile2" in found[KAI]["/FontDescriptor"]
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        listing = subprocess.run(
            [pdffonts, str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        rows = [line.split() for line in listing.splitlines() if KAI in line]
        assert rows and all(row[1] == "TrueType" and row[-5:-2] == ["yes"] * 3 for row in rows)
