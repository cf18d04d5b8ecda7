"""The ODT writer: the package, styles, languages, numbering, fonts, page furniture,
metadata and tables of real ODT files, parsed with zipfile and lxml."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen import ir
from briefgen.errors import BriefgenError
from briefgen.model import Brief
from briefgen.pipeline import memo_artifacts, stylesheet
from briefgen.settings import Settings
from briefgen.styles import StyleSheet, read_stylesheet_data
from briefgen.writers import WRITERS, write
from briefgen.writers.odt import MIMETYPE

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def _sheet(lang: str) -> StyleSheet:
    return StyleSheet(read_stylesheet_data(), lang)


def _odt(blocks: list[ir.Block], lang: str = "zh-TW", **meta: object) -> bytes:
    fields = {"title": "標題", "lang": lang, "footer": "第 {page} 頁，共 {pages} 頁", **meta}
    return write(ir.Document(ir.Meta(**fields), blocks), "odt", _sheet(lang))  # type: ignore[arg-type]


def _text(element: etree._Element) -> str:
    """The text of an ODF element as a reader sees it (text:s, text:tab, line breaks)."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == _q("text:s"):
            out.append(" " * int(node.get(_q("text:c"), "1")))
        elif node.tag == _q("text:tab"):
            out.append("\t")
        elif node.tag == _q("text:line-break"):
            out.append("\n")
        else:
            out.append(node.text or "")
            for child in node:
                walk(child)
                out.append(child.tail or "")
            return
        # text:s, text:tab, text:line-break hold no text of their own

    walk(element)
    return "".join(out)


def _style(root: etree._Element, name: str, family: str = "paragraph") -> etree._Element:
    found = root.xpath(
        f".//style:style[@style:name='{name}'][@style:family='{family}']", namespaces=NS
    )
    assert found, f"no {family} style {name}"
    return found[0]


def _props(style: etree._Element, area: str) -> dict[str, str]:
    element = style.find(f"style:{area}-properties", NS)
    return {} if element is None else dict(element.attrib)


def _label(level_style: etree._Element) -> tuple[str, str, str]:
    return (
        level_style.get(_q("style:num-prefix"), ""),
        level_style.get(_q("style:num-format"), ""),
        level_style.get(_q("style:num-suffix"), ""),
    )


LIST_DOC: list[ir.Block] = [
    ir.OrderedList(
        [
            ir.ListItem(
                [
                    ir.Para([ir.Text("第一項")]),
                    ir.OrderedList(
                        [
                            ir.ListItem(
                                [
                                    ir.Para([ir.Text("子項")]),
                                    ir.OrderedList([ir.ListItem([ir.Para([ir.Text("孫")])])]),
                                ]
                            )
                        ]
                    ),
                ]
            ),
        ]
    ),
    ir.BulletList([ir.ListItem([ir.Para([ir.Text("點")])])]),
]


def test_registered_and_package_layout() -> None:
    assert "odt" in WRITERS
    data = _odt([ir.Para([ir.Text("內文")])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == MIMETYPE.encode()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        names = [i.filename for i in infos]
    assert data[30:38] == b"mimetype"  # the first local header names it, readable as is
    parts = ["content.xml", "styles.xml", "meta.xml", "settings.xml"]
    fonts = [n for n in names if n.startswith("Fonts/")]
    assert names == ["mimetype", *parts, *fonts, "META-INF/manifest.xml"]
    assert fonts and all(n.endswith(".ttf") for n in fonts)
    manifest = _part(data, "META-INF/manifest.xml")
    paths = manifest.xpath("//manifest:file-entry/@manifest:full-path", namespaces=NS)
    assert paths == ["/", *parts, *fonts]


def test_the_faces_travel_with_the_document() -> None:
    """Subsets of the shipped faces the document names, linked from their declarations:
    LibreOffice sets the memo in them where the fonts are not installed."""
    from fontTools.ttLib import TTFont

    data = _odt([ir.OrderedList([ir.ListItem([ir.Para([ir.Strong([ir.Text("外交部 MOFA")])])])])])
    styles = _part(data, "styles.xml")
    links = styles.xpath(
        "//style:font-face[@style:name='Noto Serif TC']//svg:font-face-uri/@xlink:href",
        namespaces={
            **NS,
            "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
            "xlink": "http://www.w3.org/1999/xlink",
        },
    )
    assert links == ["Fonts/NotoSerifTC-regular.ttf"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        font = TTFont(io.BytesIO(archive.read(links[0])))
        names = archive.namelist()
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "外交部一二三、（）")  # list labels too
    assert font["name"].getDebugName(1) == "Noto Serif TC"
    assert "Fonts/NotoSerif-bold.ttf" in names  # bold is used: its subset travels
    assert not any("SC" in n for n in names)  # no Simplified text: no SC face


def test_settings_ask_for_the_pdfs_paragraph_spacing() -> None:
    settings = _part(_odt([]), "settings.xml")
    items = settings.xpath("//config:config-item", namespaces=NS)
    assert {i.get(_q("config:name")): i.text for i in items} == {
        "AddParaTableSpacing": "false",
        "AddParaTableSpacingAtStart": "false",
        "EmbedFonts": "true",
    }


def test_same_document_same_bytes() -> None:
    blocks = [*LIST_DOC, ir.Para([ir.Strong([ir.Text("粗")]), ir.Text(" x")])]
    assert _odt(blocks) == _odt(blocks)


def test_default_style_languages_and_fonts_zh() -> None:
    styles = _part(_odt([]), "styles.xml")
    default = styles.find(".//style:default-style[@style:family='paragraph']", NS)
    text = _props(default, "text")
    # Latin words in a Chinese memo are English: marked Chinese, LibreOffice would break
    # them anywhere.
    assert text[_q("fo:language")] == "en" and _q("fo:country") not in text
    assert text[_q("style:language-asian")] == "zh"
    assert text[_q("style:country-asian")] == "TW"
    assert text[_q("style:font-name")] == "Noto Serif"
    assert text[_q("style:font-name-asian")] == "Noto Serif TC"


def test_default_style_languages_en() -> None:
    styles = _part(_odt([], lang="en", footer="Page {page} of {pages}"), "styles.xml")
    default = styles.find(".//style:default-style[@style:family='paragraph']", NS)
    text = _props(default, "text")
    assert text[_q("fo:language")] == "en"
    assert _q("fo:country") not in text
    # East Asian text in an English memo is Traditional Chinese (Taiwan).
    assert (text[_q("style:language-asian")], text[_q("style:country-asian")]) == ("zh", "TW")


def test_fonts_declared_in_both_parts() -> None:
    data = _odt([ir.Para([ir.Text("x")])])
    for part in ("styles.xml", "content.xml"):
        names = _part(data, part).xpath(
            "office:font-face-decls/style:font-face/@style:name", namespaces=NS
        )
        assert names == sorted(names)
        assert {"Noto Serif", "Noto Serif TC", "Noto Serif SC", "Noto Sans", "Noto Sans TC"} <= set(
            names
        )
    styles = _part(data, "styles.xml")
    declared = set(styles.xpath("//style:font-face/@style:name", namespaces=NS))
    used = set(styles.xpath("//@style:font-name | //@style:font-name-asian", namespaces=NS))
    assert used <= declared


def test_styles_carry_the_sheets_properties() -> None:
    sheet = _sheet("zh-TW")
    data = _odt(
        [
            ir.Heading(1, [ir.Text("標題")], style="title"),
            ir.Heading(2, [ir.Text("節")], style="heading1"),
            ir.Para([ir.Text("摘要")], style="bottom-line"),
            ir.Para([ir.Span([ir.Text("引")], style="citation")]),
        ]
    )
    styles = _part(data, "styles.xml")
    title = sheet.style("title")
    props = _style(styles, "Title")
    text, para = _props(props, "text"), _props(props, "paragraph")
    assert text[_q("fo:font-size")] == f"{title['size']:g}pt"
    assert text[_q("fo:color")] == title["color"]
    assert text[_q("style:font-name")] == "Noto Sans"
    assert text[_q("style:font-name-asian")] == "Noto Sans TC"
    assert para[_q("fo:keep-with-next")] == "always"
    heading = _props(_style(styles, "Heading_20_1"), "paragraph")
    assert heading[_q("fo:margin-top")] == f"{sheet.style('heading1')['space_before']:g}pt"
    body = _props(_style(styles, "Standard"), "paragraph")
    assert body[_q("fo:text-align")] == "justify"  # zh-TW body
    box = _style(styles, "Memo_20_bottom-line")
    assert box.get(_q("style:display-name")) == "Memo bottom-line"
    box_para = _props(box, "paragraph")
    assert box_para[_q("fo:background-color")] == sheet.style("bottom-line")["background"]
    assert "solid" in box_para[_q("fo:border")]
    citation = _props(_style(styles, "Memo_20_citation_20__28_text_29_", "text"), "text")
    assert citation[_q("fo:font-size")] == "8pt"
    content = _part(data, "content.xml")
    body_text = content.find(".//office:text", NS)
    first, second = body_text[0], body_text[1]
    assert first.tag == _q("text:p") and first.get(_q("text:style-name")) == "Title"
    assert second.tag == _q("text:h") and second.get(_q("text:outline-level")) == "1"


def test_bold_is_bold_in_every_script() -> None:
    content = _part(_odt([ir.Para([ir.Strong([ir.Text("粗 bold")])])]), "content.xml")
    span = content.find(".//text:span", NS)
    style = _style(content, span.get(_q("text:style-name")), "text")
    text = _props(style, "text")
    assert text[_q("fo:font-weight")] == text[_q("style:font-weight-asian")] == "bold"


def test_zh_numbering_is_a_real_list_style() -> None:
    data = _odt(LIST_DOC)
    styles = _part(data, "styles.xml")
    ordered = styles.find(".//text:list-style[@style:name='Memo_20_ordered']", NS)
    levels = ordered.findall("text:list-level-style-number", NS)
    assert len(levels) == 10
    assert [_label(level) for level in levels[:6]] == [
        ("", "一, 二, 三, ...", "、"),
        ("（", "一, 二, 三, ...", "）"),
        ("", "1", "、"),
        ("（", "1", "）"),
        ("", "甲, 乙, 丙, ...", "、"),
        ("（", "甲, 乙, 丙, ...", "）"),
    ]
    alignment = levels[0].find(".//style:list-level-label-alignment", NS)
    assert alignment.get(_q("text:label-followed-by")) == "nothing"
    bullet = styles.find(".//text:list-style[@style:name='Memo_20_bullet']", NS)
    chars = bullet.xpath("text:list-level-style-bullet/@text:bullet-char", namespaces=NS)
    assert chars[:3] == ["•", "◦", "▪"]
    content = _part(data, "content.xml")
    office_text = content.find(".//office:text", NS)
    outer = office_text.findall("text:list", NS)
    assert [x.get(_q("text:style-name")) for x in outer] == ["Memo_20_ordered", "Memo_20_bullet"]
    inner = outer[0].find("text:list-item/text:list", NS)
    assert inner is not None and inner.get(_q("text:style-name")) == "Memo_20_ordered"
    assert inner.find("text:list-item/text:list/text:list-item/text:p", NS).text == "孫"


def test_en_numbering_and_start() -> None:
    blocks: list[ir.Block] = [
        ir.OrderedList([ir.ListItem([ir.Para([ir.Text("one")])])], start=3),
    ]
    data = _odt(blocks, lang="en", footer="Page {page} of {pages}")
    styles = _part(data, "styles.xml")
    ordered = styles.find(".//text:list-style[@style:name='Memo_20_ordered']", NS)
    levels = ordered.findall("text:list-level-style-number", NS)
    assert [_label(level) for level in levels[:5]] == [
        ("", "1", "."),
        ("", "a", "."),
        ("", "i", "."),
        ("", "A", "."),
        ("", "1", "."),
    ]
    item = _part(data, "content.xml").find(".//text:list-item", NS)
    assert item.get(_q("text:start-value")) == "3"


def test_bullet_list_inside_ordered_keeps_ordered_depth() -> None:
    """Labels follow the IR's rule (ordered-list depth), as in the PDF and HTML."""
    blocks: list[ir.Block] = [
        ir.BulletList(
            [
                ir.ListItem(
                    [
                        ir.Para([ir.Text("a")]),
                        ir.OrderedList([ir.ListItem([ir.Para([ir.Text("b")])])]),
                    ]
                )
            ]
        )
    ]
    data = _odt(blocks)
    inner = _part(data, "content.xml").find(".//text:list/text:list-item/text:list", NS)
    name = inner.get(_q("text:style-name"))
    level_two = _part(data, "styles.xml").find(
        f".//text:list-style[@style:name='{name}']/text:list-level-style-number[@text:level='2']",
        NS,
    )
    assert _label(level_two) == ("", "一, 二, 三, ...", "、")


def test_footer_and_header_fields() -> None:
    data = _odt([], header="外交部　|　密")
    styles = _part(data, "styles.xml")
    master = styles.find(".//style:master-page", NS)
    footer = master.find("style:footer/text:p", NS)
    assert footer.find("text:page-number", NS) is not None
    assert footer.find("text:page-count", NS) is not None
    assert _text(footer) == "第 1 頁，共 1 頁"
    assert footer.get(_q("text:style-name")) == "Memo_20_footer"
    header = master.find("style:header/text:p", NS)
    assert _text(header) == "外交部　|　密"
    layout = styles.find(".//style:page-layout/style:page-layout-properties", NS)
    assert layout.get(_q("fo:page-width")) == "595.276pt"  # A4
    assert layout.get(_q("fo:margin-left")) == "68.031pt"  # 24 mm


def test_en_footer_wording() -> None:
    footer = _part(_odt([], lang="en", footer="Page {page} of {pages}"), "styles.xml").find(
        ".//style:footer/text:p", NS
    )
    assert _text(footer) == "Page 1 of 1"


def test_metadata_without_dates() -> None:
    data = _odt(
        [],
        author="briefgen",
        subject="簡報備忘錄",
        keywords=["EPPD", "關鍵礦物"],
        audience="working",
    )
    meta = _part(data, "meta.xml").find("office:meta", NS)
    assert meta.findtext("dc:title", namespaces=NS) == "標題"
    assert meta.findtext("dc:subject", namespaces=NS) == "簡報備忘錄"
    assert meta.findtext("dc:language", namespaces=NS) == "zh-TW"
    assert meta.findtext("dc:creator", namespaces=NS) == "briefgen"
    assert meta.findtext("meta:initial-creator", namespaces=NS) == "briefgen"
    assert [k.text for k in meta.findall("meta:keyword", NS)] == ["EPPD", "關鍵礦物"]
    assert meta.find("dc:date", NS) is None and meta.find("meta:creation-date", NS) is None


def test_table_header_rows_and_cells() -> None:
    table = ir.Table(
        [
            [
                ir.Cell([ir.Para([ir.Text("姓名")])], header=True),
                ir.Cell([ir.Para([ir.Text("職稱")])], header=True),
            ],
            [ir.Cell([ir.Para([ir.Text("龔明鑫")])]), ir.Cell([ir.Para([ir.Text("經濟部長")])])],
            [ir.Cell([ir.Para([ir.Text("Jacob")])], lang="en"), ir.Cell([])],
        ],
        header_rows=1,
        style="table",
    )
    content = _part(_odt([table]), "content.xml")
    odf_table = content.find(".//table:table", NS)
    assert len(odf_table.findall("table:table-column", NS)) == 2
    header = odf_table.findall("table:table-header-rows/table:table-row", NS)
    assert len(header) == 1
    assert [_text(c) for c in header[0]] == ["姓名", "職稱"]
    assert header[0][0].find("text:p", NS).get(_q("text:style-name")) == "Memo_20_table-header"
    rows = odf_table.findall("table:table-row", NS)
    assert [_text(c) for c in rows[0]] == ["龔明鑫", "經濟部長"]
    assert rows[1][1].find("text:p", NS) is not None  # an empty cell still has a paragraph
    head_style = _style(content, header[0][0].get(_q("table:style-name")), "table-cell")
    assert _props(head_style, "table-cell")[_q("fo:background-color")] == "#e6edf3"
    english = rows[0 + 1][0].find(".//text:span", NS)
    lang = _props(_style(content, english.get(_q("text:style-name")), "text"), "text")
    assert lang[_q("fo:language")] == "en"


def test_links_and_inline_language_spans() -> None:
    para = ir.Para(
        [
            ir.Link("https://example.org/a?b=1&c=2", [ir.Text("來源")]),
            ir.Link("javascript:alert(1)", [ir.Text("bad")]),
            ir.Span([ir.Text("贸易")], style="untranslated", lang="zh-CN"),
            ir.Span([ir.Text("Helberg")], lang="en"),
            ir.Text("  two  spaces\tand tab\nline"),
        ]
    )
    content = _part(_odt([para]), "content.xml")
    p = content.find(".//office:text/text:p", NS)
    links = p.findall("text:a", NS)
    assert len(links) == 1 and links[0].get(_q("xlink:href")) == "https://example.org/a?b=1&c=2"
    underline = _style(content, links[0][0].get(_q("text:style-name")), "text")
    assert _props(underline, "text")[_q("style:text-underline-style")] == "solid"
    assert _text(p) == "來源bad贸易Helberg  two  spaces\tand tab\nline"
    # The untranslated marking: its character style, then the Simplified language and font.
    marked = p.find("text:span[@text:style-name='Memo_20_untranslated_20__28_text_29_']", NS)
    inner = marked.find("text:span", NS)
    hans = _props(_style(content, inner.get(_q("text:style-name")), "text"), "text")
    assert (hans[_q("style:language-asian")], hans[_q("style:country-asian")]) == ("zh", "CN")
    assert hans[_q("style:font-name-asian")] == "Noto Serif SC"
    assert _q("fo:language") not in hans  # its Latin letters stay English: words stay whole
    en_span = next(s for s in p.findall("text:span", NS) if _text(s) == "Helberg")
    latin = _props(_style(content, en_span.get(_q("text:style-name")), "text"), "text")
    assert latin[_q("fo:language")] == "en" and _q("style:language-asian") not in latin
    styles = _part(_odt([para]), "styles.xml")
    untranslated = _props(_style(styles, "Memo_20_untranslated_20__28_text_29_", "text"), "text")
    assert untranslated[_q("fo:color")] == "#9b2c2c"


def test_unknown_style_is_a_one_line_error() -> None:
    with pytest.raises(BriefgenError):
        _odt([ir.Para([ir.Text("x")], style="no-such-style")])


@pytest.fixture(scope="module")
def working(translated_brief: Brief) -> dict[str, bytes]:
    """The sample's working memo as ODT in both languages."""
    settings = Settings(formats=("odt",))
    out = {}
    for lang in ("zh-TW", "en"):
        sheet = stylesheet(settings, lang, "working")
        (artifact,) = memo_artifacts(translated_brief, "working", lang, sheet, settings)
        out[lang] = artifact.data
    return out


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_sample_working_memo_text(
    working: dict[str, bytes], translated_brief: Brief, lang: str
) -> None:
    content = _part(working[lang], "content.xml")
    text = _text(content.find(".//office:text", NS))
    for item in translated_brief.items:
        assert item.title.get(lang) in text
        for point in item.points:
            assert point.text.get(lang) in text
    assert content.find(".//table:table-header-rows", NS) is not None
    meta = _part(working[lang], "meta.xml")
    assert meta.findtext(".//dc:language", namespaces=NS) == lang


def test_build_writes_odt_for_every_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefgen.cli import main

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    shutil.copytree(seeds, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    sample = "seeds/eppd-6-2026-01-28.zh-TW.txt"
    code = main(["build", sample, "--format", "odt", "-o", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr()
    odts = sorted((tmp_path / "out").rglob("*.odt"))
    assert len(odts) == 8
    for path in odts:
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist()[0] == "mimetype"


def test_letterhead_logo_is_a_picture_in_the_header(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (96, 48), (20, 60, 120)).save(logo)
    data = read_stylesheet_data()
    data["letterhead"] = {"logo": str(logo)}
    doc = ir.Document(ir.Meta(title="t", lang="zh-TW", header="外交部"), [])
    odt = write(doc, "odt", StyleSheet(data, "zh-TW"))
    assert odt == write(doc, "odt", StyleSheet(data, "zh-TW"))
    header = _part(odt, "styles.xml").find(".//style:header/text:p", NS)
    frame = header.find("draw:frame", NS)
    assert frame.get(_q("svg:height")) == "24pt" and frame.get(_q("svg:width")) == "48pt"
    href = frame.find("draw:image", NS).get(_q("xlink:href"))
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        assert archive.read(href) == logo.read_bytes()
    manifest = _part(odt, "META-INF/manifest.xml")
    entry = manifest.xpath(f"//manifest:file-entry[@manifest:full-path='{href}']", namespaces=NS)
    assert entry[0].get(_q("manifest:media-type")) == "image/png"
    assert _text(header).endswith("外交部")
    (tmp_path / "bad.png").write_bytes(b"not an image")
    data["letterhead"] = {"logo": str(tmp_path / "bad.png")}
    with pytest.raises(BriefgenError, match="letterhead logo"):
        write(doc, "odt", StyleSheet(data, "zh-TW"))


def test_text_xml_cannot_hold_is_left_out_and_tables_leave_lists() -> None:
    table = ir.Table([[ir.Cell([ir.Para([ir.Text("格")])])]])
    blocks: list[ir.Block] = [
        ir.BulletList([ir.ListItem([ir.Para([ir.Text("a\x00b\x1f")]), table])]),
    ]
    content = _part(_odt(blocks), "content.xml")
    office_text = content.find(".//office:text", NS)
    assert [child.tag for child in office_text] == [_q("text:list"), _q("table:table")]
    assert _text(office_text.find(".//text:p", NS)) == "ab"
