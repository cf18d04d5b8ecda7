"""The PDF writer's fonts: faces made from the glyph store embed the subsets reportlab
makes from whole files, registration is safe across threads, and nothing of reportlab
is patched."""

from __future__ import annotations

import dataclasses
import io
import struct
import threading
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFace

from briefgen import fonts, ir
from briefgen.styles import StyleSheet, read_stylesheet_data
from briefgen.writers import write
from briefgen.writers.cjk import CJKParagraph
from briefgen.writers.pdf import _StoreFace

FACE_FIELDS = (
    "name",
    "familyName",
    "flags",
    "ascent",
    "descent",
    "capHeight",
    "bbox",
    "italicAngle",
    "stemV",
    "defaultWidth",
    "unitsPerEm",
    "numGlyphs",
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "fonts"


@pytest.mark.parametrize("key", ["noto-serif", "noto-sans"])
def test_store_face_embeds_what_reportlab_makes_from_the_whole_file(key: str, cache: Path) -> None:
    variant = fonts.face(key).regular  # a TrueType face used as it is: the file is whole
    data = fonts.face_data(variant)
    ours = _StoreFace(data)
    theirs = TTFontFace(str(data.source))
    for field in FACE_FIELDS:
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.charToGlyph == theirs.charToGlyph
    assert ours.charWidths == theirs.charWidths
    # A subset as reportlab's TTFont.State builds them: code 0, then the characters in
    # order of first use (accented letters are composite glyphs with components).
    text = "Ministry of Foreign Affairs — “é, ü, Å, ǅ” 2026"
    subset = [0, *dict.fromkeys(ord(ch) for ch in text)]
    assert ours.makeSubset(subset) == theirs.makeSubset(subset)


def test_faces_without_whole_face_statistics_get_the_subsets_own(cache: Path) -> None:
    data = fonts.face_data(fonts.face("noto-sans-tc").regular)
    unknown = dataclasses.replace(data, whole=False)
    subset = [0, *(ord(ch) for ch in "外交部發言人")]
    font = FTFont(io.BytesIO(_StoreFace(unknown).makeSubset(subset)))
    glyf = font["glyf"]
    drawn = [glyf[n] for n in font.getGlyphOrder() if glyf[n].numberOfContours > 0]
    assert (font["head"].xMin, font["head"].yMax) == (
        min(g.xMin for g in drawn),
        max(g.yMax for g in drawn),
    )
    assert font["maxp"].maxPoints == max(g.getMaxpValues()[0] for g in drawn)
    # With the statistics known, the whole face's figures are embedded instead.
    known = FTFont(io.BytesIO(_StoreFace(data).makeSubset(subset)))
    assert (known["head"].xMin, known["maxp"].maxPoints) == (-1002, 637)


def test_reportlab_is_not_patched() -> None:
    from reportlab.platypus import paragraph

    import briefgen.writers.pdf  # noqa: F401 - importing must change nothing

    assert paragraph.cjkFragSplit.__module__ == "reportlab.platypus.paragraph"
    assert paragraph.wordSplit.__module__ == "reportlab.lib.textsplit"
    assert issubclass(CJKParagraph, paragraph.Paragraph)


def _doc(text: str) -> ir.Document:
    return ir.Document(
        ir.Meta(title="t", lang="zh-TW"),
        [ir.Heading(1, [ir.Text("標題 Title")]), ir.Para([ir.Text(text)])],
    )


def test_threads_writing_pdfs_at_once_get_what_one_thread_gets(cache: Path) -> None:
    sheet = StyleSheet(read_stylesheet_data(), "zh-TW")
    texts = [f"第{i}份文件：外交部今日表示，雙方簽署協議（{i}）。" * 20 for i in range(4)]
    alone = [write(_doc(t), "pdf", sheet) for t in texts]
    together: dict[int, bytes] = {}

    def run(i: int) -> None:
        together[i] = write(_doc(texts[i]), "pdf", sheet)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [together[i] for i in range(4)] == alone


def test_embedded_chinese_glyphs_are_truetype_outlines_from_the_store(cache: Path) -> None:
    sheet = StyleSheet(read_stylesheet_data(), "zh-TW")
    pdf = write(_doc("總統府發言人表示"), "pdf", sheet)
    reader = PdfReader(io.BytesIO(pdf))
    seen = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        data = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        embedded = FTFont(io.BytesIO(data))
        assert "glyf" in embedded and "CFF " not in embedded
        seen.add(str(font["/BaseFont"]).split("+")[1])
        # Every machine embeds the same bytes: the source font's own modification time.
        assert struct.unpack(">Q", embedded.reader["head"][28:36])[0] < 3_850_000_000
    assert "NotoSerifTC-Regular" in seen
    assert fonts.GlyphStore(cache).path.is_file()


def test_register_face_serves_plain_reportlab_documents(cache: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from briefgen.writers.pdf import register_face

    name = register_face("noto-serif-tc")
    assert register_face("noto-serif-tc") == name  # idempotent
    out = io.BytesIO()
    style = ParagraphStyle("p", fontName=name, fontSize=11, wordWrap="CJK")
    SimpleDocTemplate(out, invariant=1).build([CJKParagraph("外交部今日表示。", style)])
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert "外交部今日表示" in reader.pages[0].extract_text()
