"""The HTML writer: the sample's memos as self-contained pages, parsed back with lxml."""

from __future__ import annotations

import re

import lxml.html
import pytest

from briefgen import ir
from briefgen.model import Brief, Text
from briefgen.pipeline import stylesheet
from briefgen.render import render
from briefgen.settings import Settings
from briefgen.writers import WRITERS, write
from briefgen.writers.html import write_html, write_html_multi

MEMOS = [(a, lang) for a in ("leadership", "working") for lang in ("zh-TW", "en")]
HOSTILE = "<script>alert('x')</script> & \"quotes\" </style>"


def _page(brief: Brief, audience: str, lang: str) -> tuple[ir.Document, bytes]:
    doc = render(brief, audience, lang)
    return doc, write(doc, "html", stylesheet(Settings(), lang))


def _tree(data: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(data.decode("utf-8"))


def _labels(tree: lxml.html.HtmlElement) -> list[str]:
    return [span.text_content() for span in tree.xpath("//span[@class='bg-label']")]


def _css(tree: lxml.html.HtmlElement) -> str:
    return "".join(tree.xpath("//style/text()"))


def _doc(blocks: list[ir.Block], title: str = "T", lang: str = "en", **meta: object) -> ir.Document:
    return ir.Document(ir.Meta(title=title, lang=lang, **meta), blocks)  # type: ignore[arg-type]


def test_registered_as_a_format() -> None:
    assert "html" in WRITERS


@pytest.mark.parametrize(("audience", "lang"), MEMOS)
def test_page_head_and_language(translated_brief: Brief, audience: str, lang: str) -> None:
    doc, data = _page(translated_brief, audience, lang)
    assert data.startswith(b"<!DOCTYPE html>\n")
    tree = _tree(data)
    assert tree.get("lang") == lang
    assert tree.xpath("//meta/@charset") == ["utf-8"]
    assert tree.findtext(".//title") == doc.meta.title
    meta = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    assert meta["description"] == doc.meta.subject
    assert meta["keywords"] == ", ".join(doc.meta.keywords)
    assert meta["author"] == "briefgen"
    assert tree.xpath("//h1")[0].text_content() == doc.meta.title


@pytest.mark.parametrize(("audience", "lang"), MEMOS)
def test_self_contained_no_script_no_external_resources(
    translated_brief: Brief, audience: str, lang: str
) -> None:
    _, data = _page(translated_brief, audience, lang)
    text = data.decode()
    tree = _tree(data)
    assert not tree.xpath("//script | //link | //iframe | //img | //object | //embed")
    assert not tree.xpath("//@src | //@*[starts-with(name(), 'on')]")
    for needle in ("url(", "@import", "javascript:", "<script"):
        assert needle not in text
    # Any URL in the page is only ever a clickable link's target.
    hrefs = set(tree.xpath("//a/@href"))
    for url in re.findall(r"https?://[^\s\"'<>)]+", text):
        assert url in hrefs


@pytest.mark.parametrize(("audience", "lang"), MEMOS)
def test_footer_is_left_out(translated_brief: Brief, audience: str, lang: str) -> None:
    doc, data = _page(translated_brief, audience, lang)
    assert doc.meta.footer
    text = _tree(data).text_content()
    assert "{page}" not in text and "{pages}" not in text
    pattern = re.escape(doc.meta.footer).replace(r"\{page\}", ".*").replace(r"\{pages\}", ".*")
    assert not re.search(pattern, text)


def test_zh_tw_labels_show_as_in_the_pdf(translated_brief: Brief) -> None:
    _, data = _page(translated_brief, "leadership", "zh-TW")
    tree = _tree(data)
    assert _labels(tree)[:7] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    first = tree.xpath("//ol[@class='bg-list']/li")[0]
    assert first.text_content().strip().startswith("一、確保AI供應鏈的安全")
    css = _css(tree)
    assert ".bg-list { list-style: none;" in css

    _, data = _page(translated_brief, "working", "zh-TW")
    tree = _tree(data)
    outer = tree.xpath("//ol[@class='bg-list'][not(ancestor::ol)]")[0]
    item = outer.xpath("./li")[0]
    assert item.xpath("./p/span[@class='bg-label']")[0].text == "一、"
    nested = item.xpath("./ol/li/p/span[@class='bg-label']/text()")
    assert nested[:3] == ["（一）", "（二）", "（三）"]


def test_english_labels(translated_brief: Brief) -> None:
    _, data = _page(translated_brief, "working", "en")
    tree = _tree(data)
    outer = tree.xpath("//ol[@class='bg-list'][not(ancestor::ol)]")[0]
    assert outer.xpath("./li/p/span[@class='bg-label']/text()")[:3] == ["1.", "2.", "3."]
    assert outer.xpath("./li")[0].xpath("./ol/li/p/span[@class='bg-label']/text()")[:2] == [
        "a.",
        "b.",
    ]


def test_tables_have_a_head(translated_brief: Brief) -> None:
    _, data = _page(translated_brief, "working", "zh-TW")
    tree = _tree(data)
    heads = tree.xpath("//table/thead/tr/th")
    assert [th.text_content() for th in heads[:2]] == ["姓名", "職稱"]
    assert tree.xpath("//table/tbody/tr/td")
    css = _css(tree)
    assert re.search(r"\.table-header \{[^}]*background-color: #e6edf3", css)
    assert re.search(r"\.table \{[^}]*border: 0\.5pt solid #bcccdc", css)


def test_css_has_one_class_per_style_used(translated_brief: Brief) -> None:
    _, data = _page(translated_brief, "leadership", "zh-TW")
    tree = _tree(data)
    css = _css(tree)
    used = {
        c
        for value in tree.xpath("//body//@class")
        for c in value.split()
        if not c.startswith("bg-")
    }
    defined = set(re.findall(r"^\.([A-Za-z][\w-]*) \{", css, re.M))
    assert used == {d for d in defined if not d.startswith("bg-")}
    assert "footer" not in defined and "citation" not in defined  # not used in this memo
    title = re.search(r"^\.title \{([^}]*)\}", css, re.M)
    assert title is not None
    rule = title.group(1)
    assert 'font-family: "Noto Sans", "Noto Sans TC", "Noto Sans SC", sans-serif' in rule
    assert "font-size: 18pt" in rule and "font-weight: normal" in rule
    assert "color: #102a43" in rule and "margin: 0 0 4pt 0" in rule
    body = re.search(r"^body \{ font-family: ([^;]*);", css, re.M)
    assert body is not None
    assert body.group(1) == '"Noto Serif", "Noto Serif TC", "Noto Serif SC", serif'
    assert re.search(r"\.bottom-line \{[^}]*background-color: #f0f4f8", css)
    # English: the title is bold (the zh-TW sheet turns that off).
    _, en = _page(translated_brief, "leadership", "en")
    assert re.search(r"^\.title \{[^}]*font-weight: bold", _css(_tree(en)), re.M)


def test_lang_attributes_on_nodes() -> None:
    sheet = stylesheet(Settings(), "zh-TW")
    doc = _doc(
        [
            ir.Para([ir.Text("雙方同意 "), ir.Span([ir.Text("Pax Silica")], lang="en")]),
            ir.Table(
                [
                    [ir.Cell([ir.Para([ir.Text("中文")])], header=True)] * 2,
                    [
                        ir.Cell([ir.Para([ir.Text("矽")])], lang="zh-TW"),
                        ir.Cell([ir.Para([ir.Text("silicon")])], lang="en"),
                    ],
                ],
                header_rows=1,
            ),
        ],
        lang="zh-TW",
    )
    tree = _tree(write_html(doc, sheet))
    assert tree.xpath("//p/span[@lang='en']")[0].text == "Pax Silica"
    assert tree.xpath("//td[@lang='en']")[0].text == "silicon"
    assert tree.xpath("//td[@lang='zh-TW']")[0].text == "矽"
    assert len(tree.xpath("//thead/tr/th")) == 2


def test_hostile_text_in_a_brief_stays_text(translated_brief: Brief) -> None:
    brief = translated_brief.model_copy(deep=True)
    brief.event.name = Text(text={"zh-TW": HOSTILE, "en": HOSTILE})
    for lang in ("zh-TW", "en"):
        doc, data = _page(brief, "leadership", lang)
        assert HOSTILE in doc.meta.title
        tree = _tree(data)
        assert not tree.xpath("//script")
        assert tree.findtext(".//title") == doc.meta.title
        assert HOSTILE in tree.xpath("//h1")[0].text_content()
        assert b"<script>" not in data and b"&lt;script&gt;" in data
        assert len(tree.xpath("//style")) == 1


def test_hostile_ir_links_and_meta() -> None:
    sheet = stylesheet(Settings(), "en")
    doc = _doc(
        [
            ir.Heading(1, [ir.Text(HOSTILE)], id='x" onclick="evil'),
            ir.Para(
                [
                    ir.Link('https://example.org/?a=1&b="x"', [ir.Text("ok")]),
                    ir.Text(" "),
                    ir.Link("javascript:alert(1)", [ir.Text("bad")]),
                ]
            ),
        ],
        title=HOSTILE,
        subject=HOSTILE,
        keywords=[HOSTILE],
    )
    data = write_html(doc, sheet)
    tree = _tree(data)
    assert not tree.xpath("//script") and not tree.xpath("//@onclick")
    assert tree.findtext(".//title") == HOSTILE
    assert tree.xpath("//h1/@id") == ['x" onclick="evil']
    assert tree.xpath("//meta[@name='description']/@content") == [HOSTILE]
    assert tree.xpath("//a/@href") == ['https://example.org/?a=1&b="x"']
    assert tree.xpath("//a")[0].text == "ok"
    assert "javascript" not in data.decode()
    assert tree.xpath("//p/span")[0].text == "bad"


def test_page_break_and_rule() -> None:
    sheet = stylesheet(Settings(), "en")
    doc = _doc([ir.Para([ir.Text("a")]), ir.PageBreak(), ir.Rule(), ir.Para([ir.Text("b")])])
    data = write_html(doc, sheet)
    tree = _tree(data)
    assert tree.xpath("//div[@class='bg-page-break']")
    assert re.search(r"\.bg-page-break \{[^}]*break-after: page", _css(tree))
    assert re.search(r"^\.rule \{[^}]*border-top: 0\.6pt solid #bcccdc", _css(tree), re.M)


def test_unknown_style_is_a_template_error() -> None:
    from briefgen.errors import TemplateError

    with pytest.raises(TemplateError, match="unknown style 'nope'"):
        write_html(_doc([ir.Para([ir.Text("x")], style="nope")]), stylesheet(Settings(), "en"))


@pytest.mark.parametrize(("audience", "lang"), MEMOS)
def test_deterministic_bytes(translated_brief: Brief, audience: str, lang: str) -> None:
    _, first = _page(translated_brief, audience, lang)
    _, second = _page(translated_brief, audience, lang)
    assert first == second


def test_two_languages_on_one_page(translated_brief: Brief) -> None:
    parts = [
        (render(translated_brief, "leadership", lang), stylesheet(Settings(), lang))
        for lang in ("zh-TW", "en")
    ]
    data = write_html_multi(parts, title="兩種語言 / Both")
    tree = _tree(data)
    divs = tree.xpath("/html/body/div[@lang]")
    assert [d.get("lang") for d in divs] == ["zh-TW", "en"]
    assert divs[0].xpath(".//span[@class='bg-label']/text()")[0] == "一、"
    assert divs[1].xpath(".//span[@class='bg-label']/text()")[0] == "1."
    css = _css(tree)
    # Each language's sheet scoped to its div: the zh-TW title is 18pt, the English 17pt.
    assert re.search(r"^\.bg-doc-1 \.title \{[^}]*font-size: 18pt", css, re.M)
    assert re.search(r"^\.bg-doc-2 \.title \{[^}]*font-size: 17pt", css, re.M)
    assert tree.findtext(".//title") == "兩種語言 / Both"
    assert write_html_multi(parts, title="兩種語言 / Both") == data
