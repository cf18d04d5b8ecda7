"""Real DOCX files of the sample, inspected through the XML inside them."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from briefgen.model import Brief

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def _attr(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def zh(built: dict[str, bytes]) -> bytes:
    return built["eppd-6.working.zh-TW.docx"]


def test_styles_set_east_asian_font_and_language(zh: bytes) -> None:
    styles = _part(zh, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(_attr("eastAsia")) == "Noto Serif TC"
    assert defaults.find("w:lang", NS).get(_attr("eastAsia")) == "zh-TW"
    # Latin words in a Chinese memo are English, so a word processor keeps them whole
    assert defaults.find("w:lang", NS).get(_attr("val")) == "en-US"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:lang", NS).get(_attr("eastAsia")) == "zh-TW"
    heading = styles.find("w:style[@w:styleId='Heading1']", NS)
    fonts = heading.find("w:rPr/w:rFonts", NS)
    assert fonts.get(_attr("eastAsia")) == "Noto Sans TC"
    assert fonts.get(_attr("asciiTheme")) is None  # theme fonts would override ours


def test_headings_use_word_heading_styles(zh: bytes) -> None:
    document = _part(zh, "word/document.xml")
    used = [p.get(_attr("val")) for p in document.iterfind(".//w:pStyle", NS)]
    assert used[0] == "Title"
    assert "Heading1" in used and "Heading2" in used


def test_zh_numbering_is_real_word_numbering(zh: bytes) -> None:
    numbering = _part(zh, "word/numbering.xml")
    levels = {}
    for abstract in numbering.iterfind("w:abstractNum", NS):
        for lvl in abstract.iterfind("w:lvl", NS):
            fmt = lvl.find("w:numFmt", NS).get(_attr("val"))
            text = lvl.find("w:lvlText", NS).get(_attr("val"))
            levels.setdefault(lvl.get(_attr("ilvl")), set()).add((fmt, text))
    assert ("taiwaneseCountingThousand", "%1、") in levels["0"]
    assert ("taiwaneseCountingThousand", "（%2）") in levels["1"]
    assert ("decimal", "%3、") in levels["2"]
    assert ("decimal", "（%4）") in levels["3"]
    # every list restarts: each w:num the document uses carries a startOverride
    document = _part(zh, "word/document.xml")
    used = {n.get(_attr("val")) for n in document.iterfind(".//w:numPr/w:numId", NS)}
    # agenda, a points list per item, documents, key statements, quotes, background
    assert len(used) == 12
    nums = {n.get(_attr("numId")): n for n in numbering.iterfind("w:num", NS)}
    assert all(nums[i].find("w:lvlOverride/w:startOverride", NS) is not None for i in used)


def test_en_numbering_is_decimal_then_letters(built: dict[str, bytes]) -> None:
    numbering = _part(built["eppd-6.working.en.docx"], "word/numbering.xml")
    texts = [
        (lvl.find("w:numFmt", NS).get(_attr("val")), lvl.find("w:lvlText", NS).get(_attr("val")))
        for lvl in numbering.iterfind("w:abstractNum/w:lvl", NS)
    ]
    assert ("decimal", "%1.") in texts and ("lowerLetter", "%2.") in texts


def test_footer_has_page_fields(zh: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(zh)) as archive:
        footers = [n for n in archive.namelist() if n.startswith("word/footer")]
        xml = "".join(archive.read(n).decode() for n in footers)
    assert "PAGE" in xml and "NUMPAGES" in xml and "第" in xml and "頁，共" in xml


def test_core_properties(zh: bytes) -> None:
    core = _part(zh, "docProps/core.xml")
    assert core.find("dc:title", NS).text == "第6屆經濟繁榮夥伴對話（EPPD）簡報"
    assert core.find("dc:language", NS).text == "zh-TW"


def test_content_is_complete(zh: bytes, translated_brief: Brief) -> None:
    document = _part(zh, "word/document.xml")
    text = "".join(t.text or "" for t in document.iterfind(".//w:t", NS))
    for item in translated_brief.items:
        assert item.title.get("zh-TW") in text
        for point in item.points:
            assert point.text.get("zh-TW") in text


def test_zip_entries_have_fixed_timestamps(zh: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(zh)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert len(stamps) == 1


def test_reference_docx_styles_are_used(translated_brief: Brief, tmp_path) -> None:
    from docx import Document
    from docx.shared import Pt

    from briefgen.pipeline import stylesheet
    from briefgen.render import render
    from briefgen.settings import Settings
    from briefgen.writers import write

    reference = Document()
    reference.styles["Normal"].font.name = "Arial"
    reference.styles["Normal"].font.size = Pt(13)
    reference.add_paragraph("old content that must not survive")
    path = tmp_path / "office.docx"
    reference.save(path)
    sheet = stylesheet(Settings(reference_docx=path), "en", "working")
    data = write(render(translated_brief, "working", "en"), "docx", sheet)
    styles = _part(data, "word/styles.xml")
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:rFonts", NS).get(_attr("ascii")) == "Arial"
    assert normal.find("w:rPr/w:sz", NS).get(_attr("val")) == "26"
    text = "".join(t.text or "" for t in _part(data, "word/document.xml").iterfind(".//w:t", NS))
    assert "old content" not in text and "Securing the AI supply chain" in text


def test_bad_reference_docx_is_one_line(translated_brief: Brief, tmp_path) -> None:
    from briefgen.errors import BriefgenError
    from briefgen.pipeline import stylesheet
    from briefgen.render import render
    from briefgen.settings import Settings
    from briefgen.writers import write

    path = tmp_path / "not.docx"
    path.write_text("plain text")
    sheet = stylesheet(Settings(reference_docx=path), "en", "working")
    with pytest.raises(BriefgenError, match="not a usable Word document"):
        write(render(translated_brief, "working", "en"), "docx", sheet)


def _runs_in(data: bytes, text: str) -> list[etree._Element]:
    document = _part(data, "word/document.xml")
    return [r for r in document.iter(f"{{{W}}}r") if text in "".join(r.itertext())]


@pytest.mark.parametrize("audience", [None, "gongwen"])
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_simplified_text_names_a_simplified_east_asian_font(
    lang: str, audience: str | None
) -> None:
    from briefgen import ir
    from briefgen.pipeline import stylesheet
    from briefgen.settings import Settings
    from briefgen.writers import write

    doc = ir.Document(
        ir.Meta(title="T", lang=lang),
        [
            ir.Heading(2, [ir.Span([ir.Text("贸易进锡")], lang="zh-CN")]),
            ir.Para(
                [
                    ir.Text("經貿 "),
                    ir.Span([ir.Text("中美经贸磋商")], style="untranslated", lang="zh-CN"),
                    ir.Span([ir.Text("李成钢")], style="header-label", lang="zh-CN"),
                ]
            ),
        ],
    )
    data = write(doc, "docx", stylesheet(Settings(), lang, audience))
    # zh-TW official documents set the body in the Kai role (標楷體, KaiTi for Simplified).
    serif = "KaiTi" if (audience, lang) == ("gongwen", "zh-TW") else "Noto Serif SC"
    sans = "Noto Sans SC"
    for text, font in (("贸易进锡", sans), ("中美经贸磋商", serif), ("李成钢", sans)):
        (run,) = _runs_in(data, text)
        assert run.find("w:rPr/w:rFonts", NS).get(_attr("eastAsia")) == font
        assert run.find("w:rPr/w:lang", NS).get(_attr("eastAsia")) == "zh-CN"
        assert run.find("w:rPr/w:rFonts", NS).get(_attr("ascii")) is None  # from the style
    (plain,) = _runs_in(data, "經貿")
    assert plain.find("w:rPr/w:rFonts", NS) is None  # Traditional text keeps the style's


# Tables --------------------------------------------------------------------------------


def _table_docx(lang: str, rows: int) -> bytes:
    """A heading and a table: number, names (one long), long text and status columns."""
    from briefgen import ir
    from briefgen.styles import StyleSheet, read_stylesheet_data
    from briefgen.writers import write

    body = "Both sides will study closer cooperation on supply chain resilience, row {n}."
    header = [
        ir.Cell([ir.Para([ir.Text(h)])], header=True) for h in ("No.", "Who", "Text", "Status")
    ]
    cells = [header]
    for n in range(1, rows + 1):
        who = "Industrial Technology Research Institute" if n == 2 else "Both sides"
        cells.append(
            [
                ir.Cell([ir.Para([ir.Text(str(n))])]),
                ir.Cell([ir.Para([ir.Text(who)])]),
                ir.Cell([ir.Para([ir.Text(body.format(n=n))])]),
                ir.Cell([ir.Para([ir.Text("will study")])]),
            ]
        )
    doc = ir.Document(
        ir.Meta(title="tables", lang=lang),
        [ir.Heading(2, [ir.Text("Follow-up")]), ir.Table(cells, header_rows=1)],
    )
    return write(doc, "docx", StyleSheet(read_stylesheet_data(), lang))


def test_table_header_row_repeats_on_every_page_and_rows_may_split() -> None:
    document = _part(_table_docx("en", 60), "word/document.xml")
    rows = document.findall(".//w:tbl/w:tr", NS)
    assert len(rows) == 61
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
    assert document.find(".//w:cantSplit", NS) is None


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_table_columns_follow_their_content(lang: str) -> None:
    from briefgen.styles import StyleSheet, read_stylesheet_data

    document = _part(_table_docx(lang, 8), "word/document.xml")
    table = document.find(".//w:tbl", NS)
    grid = [int(col.get(_attr("w"))) for col in table.iterfind("w:tblGrid/w:gridCol", NS)]
    sheet = StyleSheet(read_stylesheet_data(), lang)
    width = (sheet.page_size[0] - sheet.margin("left") - sheet.margin("right")) * 20
    assert abs(sum(grid) - width) < 5
    number, who, text, status = grid
    assert number < 0.08 * width and status < 0.2 * width
    assert 0.1 * width < who < 0.28 * width
    assert text > 0.55 * width
    # every cell of a column has the column's width; the layout is fixed
    first_row = [int(tc.get(_attr("w"))) for tc in table.iterfind("w:tr[1]/w:tc/w:tcPr/w:tcW", NS)]
    assert first_row == grid
    assert table.find("w:tblPr/w:tblLayout", NS).get(_attr("type")) == "fixed"
    # cell padding from the style sheet (3 pt = 60 twips), in schema order
    tblpr = [etree.QName(child).localname for child in table.find("w:tblPr", NS)]
    assert tblpr.index("tblW") < tblpr.index("tblLayout") < tblpr.index("tblCellMar")
    margin = table.find("w:tblPr/w:tblCellMar/w:left", NS)
    assert margin.get(_attr("w")) == "60"


# Core properties (issue 12: Word holds at most 255 characters in each) ----------------


def _props_docx(meta: dict) -> etree._Element:
    from briefgen import ir
    from briefgen.styles import StyleSheet, read_stylesheet_data
    from briefgen.writers import write

    doc = ir.Document(ir.Meta(**meta), [ir.Para([ir.Text("text")])])
    data = write(doc, "docx", StyleSheet(read_stylesheet_data(), meta["lang"]))
    return _part(data, "docProps/core.xml")


def test_long_english_title_is_cut_after_a_whole_word() -> None:
    words = ("Economic Prosperity Partnership Dialogue on Supply Chain Resilience " * 6).split()
    title = " ".join(words)
    assert len(title) > 300
    core = _props_docx({"title": title, "lang": "en", "subject": title, "author": title})
    for name in ("dc:title", "dc:subject", "dc:creator"):
        got = core.find(name, NS).text
        assert len(got) <= 255 and got.endswith("…")
        assert title.startswith(got[:-1]) and title[len(got) - 1] == " "  # a whole word


def test_long_chinese_title_is_cut_by_characters() -> None:
    title = "台美經濟繁榮夥伴對話" * 40
    got = _props_docx({"title": title, "lang": "zh-TW"}).find("dc:title", NS).text
    assert len(got) == 255 and got.endswith("…") and title.startswith(got[:-1])


def test_keywords_keep_the_whole_titles_that_fit() -> None:
    titles = [f"Agenda item number {n} on cooperation" for n in range(1, 41)]
    got = _props_docx({"title": "t", "lang": "en", "keywords": titles})
    keywords = got.find("cp:keywords", NS).text
    assert len(keywords) <= 255
    kept = keywords.split(", ")
    assert kept == titles[: len(kept)] and len(kept) >= 5


def test_one_keyword_longer_than_the_limit_is_cut() -> None:
    word = "Resilience" * 30  # one word: cut where the limit falls
    got = _props_docx({"title": "t", "lang": "en", "keywords": [word, "next"]})
    keywords = got.find("cp:keywords", NS).text
    assert len(keywords) == 255 and keywords.endswith("…") and word.startswith(keywords[:-1])


def test_short_properties_are_unchanged() -> None:
    core = _props_docx({"title": "Short title", "lang": "en", "keywords": ["a", "b"]})
    assert core.find("dc:title", NS).text == "Short title"
    assert core.find("cp:keywords", NS).text == "a, b"


def test_a_memo_with_a_long_event_name_and_many_items_is_written(
    translated_brief: Brief,
) -> None:
    """The issue's repro: an English event name of 245+ characters, a long short_name, and
    more than 20 agenda items (the keywords join every title) stopped every DOCX."""
    from briefgen.model import Text
    from briefgen.render import render
    from briefgen.styles import StyleSheet, read_stylesheet_data
    from briefgen.writers import write

    brief = translated_brief.model_copy(deep=True)
    long_name = " ".join(["Economic Prosperity Partnership"] * 10) + " Dialogue"
    brief.event.name = Text.model_validate({"zh-TW": "經濟繁榮夥伴" * 50 + "對話", "en": long_name})
    brief.event.short_name = "EPPD" * 80
    item = brief.items[0]
    brief.items = [item.model_copy(update={"number": n}) for n in range(1, 31)]
    for lang in ("en", "zh-TW"):
        data = write(
            render(brief, "working", lang), "docx", StyleSheet(read_stylesheet_data(), lang)
        )
        core = _part(data, "docProps/core.xml")
        for name in ("dc:title", "dc:subject", "cp:keywords"):
            element = core.find(name, NS)
            assert element is None or len(element.text or "") <= 255
