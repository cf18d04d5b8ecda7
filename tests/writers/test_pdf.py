"""Real PDFs of the sample, inspected with pypdf and pdfminer.six."""

from __future__ import annotations

import io
import re

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTTextLine
from pypdf import PdfReader

from briefgen import ir
from briefgen.errors import BriefgenError
from briefgen.model import Brief
from briefgen.styles import StyleSheet, read_stylesheet_data
from briefgen.writers import write

CLOSING = "，。、；：？！）」』》〉】〕…"
OPENING = "（「『《〈【〔"
PDFS = [
    f"eppd-6.{a}.{lang}.pdf"
    for a in ("leadership", "working", "press", "gongwen")
    for lang in ("zh-TW", "en")
]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(reader: PdfReader) -> dict[str, object]:
    found: dict[str, object] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


@pytest.mark.parametrize("name", PDFS)
def test_every_font_is_an_embedded_subset(built: dict[str, bytes], name: str) -> None:
    fonts = _fonts(PdfReader(io.BytesIO(built[name])))
    assert fonts, "no fonts at all"
    for base, font in fonts.items():
        assert re.match(r"/[A-Z]{6}\+", base), f"{base} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base} is not embedded"
    if "zh-TW" in name:
        chinese = ("LXGWWenKaiTC",) if ".gongwen." in name else ("NotoSerifTC", "NotoSansTC")
        assert any(c in b for b in fonts for c in chinese)
    assert any(re.search(r"NotoSerif-|NotoSans-", b) for b in fonts), "no Latin face"


def test_chinese_text_comes_back_exactly(built: dict[str, bytes], translated_brief: Brief) -> None:
    text = _squash(extract_text(io.BytesIO(built["eppd-6.working.zh-TW.pdf"])))
    for item in translated_brief.items:
        assert _squash(item.title.get("zh-TW") or "") in text
        for point in item.points:
            assert _squash(point.text.get("zh-TW") or "") in text
    for sentence in translated_brief.summary:
        assert _squash(sentence.text.get("zh-TW") or "") in text


def test_english_memo_text(built: dict[str, bytes]) -> None:
    text = " ".join(extract_text(io.BytesIO(built["eppd-6.working.en.pdf"])).split())
    for expected in (
        "Bottom line",
        "Kung Ming-hsin",
        "Jacob Helberg",
        "January 27, 2026",
        "Securing the AI supply chain",
        "Washington, DC",
    ):
        assert expected in text
    for furniture in ("廣告", "更多民視新聞報導", "原文出處"):
        assert furniture not in text


@pytest.mark.parametrize("name", PDFS)
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(
    built: dict[str, bytes], name: str
) -> None:
    assert _line_violations(built[name]) == []


def test_leadership_memo_is_one_page(built: dict[str, bytes]) -> None:
    for lang in ("zh-TW", "en"):
        assert len(PdfReader(io.BytesIO(built[f"eppd-6.leadership.{lang}.pdf"])).pages) == 1


def test_metadata_outline_and_footer(built: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(built["eppd-6.working.zh-TW.pdf"]))
    assert reader.metadata.title == "第6屆經濟繁榮夥伴對話（EPPD）簡報"
    assert reader.trailer["/Root"]["/Lang"] == "zh-TW"
    top = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert top == ["第6屆經濟繁榮夥伴對話（EPPD）簡報"]
    second = [e.title for e in reader.outline[1] if not isinstance(e, list)]
    assert second == [
        "重點摘要",
        "重要共識與表態",
        "會議概要",
        "議題重點",
        "引述",
        "背景資料",
        "後續追蹤",
        "中英詞彙對照",
    ]
    third = [e.title for e in reader.outline[1][3]]
    assert "與會人員" in third
    pages = len(reader.pages)
    last = _squash(reader.pages[-1].extract_text())
    assert f"第{pages}頁，共{pages}頁" in last


def test_character_in_no_font_is_an_error_naming_it() -> None:
    doc = ir.Document(ir.Meta(title="t", lang="en"), [ir.Para([ir.Text("ok \U0001fae0")])])
    sheet = StyleSheet(read_stylesheet_data(), "en")
    with pytest.raises(BriefgenError, match="U\\+1FAE0"):
        write(doc, "pdf", sheet)


def test_same_document_gives_identical_bytes(translated_brief: Brief) -> None:
    from briefgen.render import render

    doc = render(translated_brief, "working", "zh-TW")
    sheet = StyleSheet(read_stylesheet_data(), "zh-TW")
    assert write(doc, "pdf", sheet) == write(doc, "pdf", sheet)


def _line_violations(pdf: bytes) -> list[str]:
    bad = []
    for page in extract_pages(io.BytesIO(pdf)):
        stack = list(page)
        while stack:
            element = stack.pop()
            if isinstance(element, LTTextLine):
                line = element.get_text().strip()
                if line and (line[0] in CLOSING or line[-1] in OPENING):
                    bad.append(line)
            elif hasattr(element, "__iter__"):
                stack.extend(element)
    return bad


def test_line_breaking_rules_on_paragraphs_built_to_hit_every_case() -> None:
    """Paragraphs where every closing and opening mark, and runs of them, fall at line
    ends and starts for some line width."""
    import random

    rng = random.Random(7)
    han = "經濟部與美國國務院雙方同意推動供應鏈合作並研議關鍵礦物"
    marks = [
        "，",
        "。",
        "、",
        "；",
        "：",
        "？",
        "！",
        "）",
        "」",
        "』",
        "》",
        "〉",
        "」。",
        "）。",
        "』」",
        "（",
        "「",
        "『",
        "《",
        "〈",
        "【",
        "〔",
    ]
    blocks = []
    for n in range(60):
        parts = []
        for _ in range(rng.randint(20, 60)):
            parts.append("".join(rng.choice(han) for _ in range(rng.randint(1, 6))))
            mark = rng.choice(marks)
            if mark in ("（", "「", "『", "《", "〈", "【", "〔"):
                closing = {
                    "（": "）",
                    "「": "」",
                    "『": "』",
                    "《": "》",
                    "〈": "〉",
                    "【": "】",
                    "〔": "〕",
                }[mark]
                parts.append(mark + "".join(rng.choice(han) for _ in range(3)) + closing)
            else:
                parts.append(mark)
        if n % 5 == 0:
            parts.append(" Latin words like Economic Prosperity Partnership Dialogue ")
        blocks.append(ir.Para([ir.Text("".join(parts))]))
    doc = ir.Document(ir.Meta(title="kinsoku", lang="zh-TW"), blocks)
    pdf = write(doc, "pdf", StyleSheet(read_stylesheet_data(), "zh-TW"))
    assert _line_violations(pdf) == []
    text = _squash(extract_text(io.BytesIO(pdf)))
    for block in blocks:
        assert _squash(block.children[0].text) in text


SIMPLIFIED = "中美经贸磋商：贸易进锡，李成钢在伦敦表示"  # 贸 进 锡 钢 伦 are in no TC face


def _simplified_doc(lang: str) -> ir.Document:
    """A small memo mixing Traditional, Simplified and Latin text in every font role."""
    return ir.Document(
        ir.Meta(title="贸易", lang=lang),
        [
            ir.Heading(1, [ir.Text("中美經貿 贸易进锡 Trade")]),
            ir.Heading(2, [ir.Text("经贸磋商机制")]),
            ir.Para(
                [
                    ir.Text("原文 "),
                    ir.Span([ir.Text("[untranslated]")], style="untranslated-mark"),
                    ir.Text(" "),
                    ir.Span([ir.Text(SIMPLIFIED)], style="untranslated", lang="zh-CN"),
                ]
            ),
            ir.BulletList([ir.ListItem([ir.Para([ir.Text("锡矿 and 镕")])])]),
            ir.Table(
                [
                    [ir.Cell([ir.Para([ir.Text("项目")])], header=True)],
                    [ir.Cell([ir.Para([ir.Text("进口贸易")])])],
                ],
                header_rows=1,
            ),
        ],
    )


@pytest.mark.parametrize("audience", [None, "gongwen"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_simplified_characters_are_set_in_the_embedded_fallback_face(
    lang: str, audience: str | None
) -> None:
    from briefgen.pipeline import stylesheet
    from briefgen.settings import Settings

    pdf = write(_simplified_doc(lang), "pdf", stylesheet(Settings(), lang, audience))
    text = _squash(extract_text(io.BytesIO(pdf)))
    for expected in (SIMPLIFIED, "贸易进锡", "经贸磋商机制", "锡矿and镕", "进口贸易", "中美經貿"):
        assert _squash(expected) in text
    fonts = _fonts(PdfReader(io.BytesIO(pdf)))
    for base, font in fonts.items():
        assert re.match(r"/[A-Z]{6}\+", base), f"{base} is not a subset"
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{base} is not embedded"
    names = " ".join(fonts)
    assert "NotoSerifSC-Regular" in names and "NotoSansSC-Regular" in names
    assert "NotoSerifTC-Regular" in names  # Traditional characters stay in the TC face


def test_character_in_no_font_is_one_line_naming_the_role_and_its_faces() -> None:
    doc = ir.Document(ir.Meta(title="t", lang="zh-TW"), [ir.Para([ir.Text("贸易 \U0001fae0")])])
    with pytest.raises(BriefgenError) as caught:
        write(doc, "pdf", StyleSheet(read_stylesheet_data(), "zh-TW"))
    message = str(caught.value)
    assert "\n" not in message
    assert "U+1FAE0" in message and "'serif' role" in message
    assert "noto-serif-tc, noto-serif-sc-fallback" in message


# Tables --------------------------------------------------------------------------------

HEADER = ("No.", "Who", "Commitment", "Status")


def _table_doc(lang: str, rows: int, before: int = 0) -> ir.Document:
    """``before`` paragraphs of filler, a heading and a table of ``rows`` rows: a number
    column, a column of names (one long), a long text column and a short status column,
    under one header row."""
    filler = "The two delegations reviewed the state of their cooperation in detail. " * 4
    body = "Both sides will study closer cooperation on supply chain resilience, row {n}."
    who = "Industrial Technology Research Institute"
    blocks: list[ir.Block] = [ir.Heading(1, [ir.Text("Tables")])]
    blocks += [ir.Para([ir.Text(filler)]) for _ in range(before)]
    blocks.append(ir.Heading(2, [ir.Text("Follow-up")], style="heading1"))
    cells = [[ir.Cell([ir.Para([ir.Text(h)])], header=True) for h in HEADER]]
    for n in range(1, rows + 1):
        cells.append(
            [
                ir.Cell([ir.Para([ir.Text(str(n))])]),
                ir.Cell([ir.Para([ir.Text(who if n == 2 else "Both sides")])]),
                ir.Cell([ir.Para([ir.Text(body.format(n=n))])]),
                ir.Cell([ir.Para([ir.Text("will study")])]),
            ]
        )
    blocks.append(ir.Table(cells, header_rows=1))
    return ir.Document(ir.Meta(title="tables", lang=lang), blocks)


def _pdf(doc: ir.Document) -> bytes:
    return write(doc, "pdf", StyleSheet(read_stylesheet_data(), doc.meta.lang))


def test_long_table_splits_across_pages_with_its_header_row_repeated() -> None:
    reader = PdfReader(io.BytesIO(_pdf(_table_doc("en", 60))))
    assert len(reader.pages) >= 2
    seen = ""
    for page in reader.pages:
        text = page.extract_text()
        for label in HEADER:
            assert label in text  # the header row heads every page of the table
        seen += text
    for n in (1, 30, 60):
        assert f"row {n}." in " ".join(seen.split())


def test_heading_goes_with_the_start_of_a_table_that_does_not_fit_below_it() -> None:
    """Half a page of text, then a heading and a long table: the heading, the header row
    and the first rows stay on page 1 instead of everything moving to page 2."""
    reader = PdfReader(io.BytesIO(_pdf(_table_doc("en", 40, before=6))))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Follow-up" in first and "row 1." in first
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Follow-up" not in second and "row 40." in " ".join(
        " ".join(p.extract_text().split()) for p in reader.pages[1:]
    )


def test_a_row_taller_than_a_page_splits_inside_the_row() -> None:
    text = "Both sides will study closer cooperation on supply chain resilience. " * 120
    doc = ir.Document(
        ir.Meta(title="tall", lang="en"),
        [
            ir.Table(
                [
                    [ir.Cell([ir.Para([ir.Text(h)])], header=True) for h in HEADER],
                    [
                        ir.Cell([ir.Para([ir.Text("1")])]),
                        ir.Cell([ir.Para([ir.Text("Both sides")])]),
                        ir.Cell([ir.Para([ir.Text(text)])]),
                        ir.Cell([ir.Para([ir.Text("agreed")])]),
                    ],
                ],
                header_rows=1,
            )
        ],
    )
    assert len(PdfReader(io.BytesIO(_pdf(doc))).pages) >= 2


def _column_starts(pdf: bytes, labels: tuple[str, ...]) -> dict[str, float]:
    """The left edge of each header label's text on the first page."""
    found: dict[str, float] = {}
    # A small character margin: text in different cells never joins into one line.
    for page in extract_pages(io.BytesIO(pdf), maxpages=1, laparams=LAParams(char_margin=0.5)):
        stack = list(page)
        while stack:
            element = stack.pop()
            if isinstance(element, LTTextLine):
                text = element.get_text().strip()
                if text in labels:
                    found[text] = element.x0
            elif hasattr(element, "__iter__"):
                stack.extend(element)
    return found


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_table_columns_are_sized_to_their_content(lang: str) -> None:
    """The number and status columns take what they need, the names column a fair part
    (one long name wraps), the text column the rest."""
    sheet = StyleSheet(read_stylesheet_data(), lang)
    width = sheet.page_size[0] - sheet.margin("left") - sheet.margin("right")
    starts = _column_starts(_pdf(_table_doc(lang, 8)), HEADER)
    number = starts["Who"] - starts["No."]
    who = starts["Commitment"] - starts["Who"]
    text = starts["Status"] - starts["Commitment"]
    status = width - (starts["Status"] - starts["No."])
    assert number < 0.08 * width
    assert status < 0.2 * width
    assert 0.1 * width < who < 0.28 * width
    assert text > 0.55 * width
