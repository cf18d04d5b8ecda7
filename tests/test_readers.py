"""readers and ingest of HTML pages, Markdown and DOCX files: real files built in tmp_path,
read through ``read_source`` like the CLI does; nothing touches the network."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefgen import readers
from briefgen.clean import clean
from briefgen.cli import main
from briefgen.errors import InputError
from briefgen.ingest import MAX_BYTES, MAX_DOCX_BYTES, ingest_bytes, read_source
from briefgen.readers import declared_charset, detect_format, read_html, read_markdown

LEDE = "經濟部長龔明鑫與美國國務院次卿海柏格在當地時間27日於華府完成第6屆台美經濟繁榮夥伴對話。"
SECOND = "外交部今（28）日表示，台美雙方均認為本屆對話成果豐碩，期盼持續深化各領域合作。"
CLOSING = "台美自2020年召開首屆對話，迄今已舉行六輪，彰顯台美持續發展緊密的夥伴關係。"
ITEMS = [
    "確保AI供應鏈的安全：雙方同意共同盤點台美企業在AI科技的夥伴關係，並研議提升資安韌性。",
    "數位基礎建設：美國支持台灣探索創新的通訊技術，台灣也將探索與美國低軌衛星供應商合作。",
    "關鍵礦物供應鏈：雙方同意強化在關鍵礦物採礦、加工等領域合作，共同建立供應鏈韌性。",
]
FURNITURE = [
    "範例新聞網",  # header / logo
    "首頁",  # nav
    "政治",
    "國際",
    "廣告",  # ad
    "總統接見美國參議員訪問團",  # related stories
    "經濟部公布半導體出口數據",
    "外交部長出訪友邦行程曝光",
    "版權所有",  # footer
    "隱私權政策",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<title>台美經濟對話成果豐碩 - 範例新聞網</title>
<meta property="og:title" content="台美經濟對話成果豐碩">
<meta property="article:published_time" content="2026-01-28T10:30:00+08:00">
</head>
<body>
<header><div class="logo">範例新聞網</div></header>
<nav><ul><li><a href="/">首頁</a></li><li><a href="/politics">政治</a></li>
<li><a href="/world">國際</a></li></ul></nav>
<div class="ad">廣告</div>
<main>
<article>
<h1>台美經濟對話成果豐碩</h1>
<p>{LEDE}</p>
<p>{SECOND}</p>
<p>本屆會議就下列議題進行討論，重點如下：</p>
<ol>
<li>{ITEMS[0]}</li>
<li>{ITEMS[1]}</li>
<li>{ITEMS[2]}</li>
</ol>
<p>{CLOSING}</p>
</article>
<aside class="related"><h3>相關新聞</h3><ul>
<li><a href="/a1">總統接見美國參議員訪問團</a></li>
<li><a href="/a2">經濟部公布半導體出口數據</a></li>
<li><a href="/a3">外交部長出訪友邦行程曝光</a></li>
</ul></aside>
</main>
<footer><p>© 2026 範例新聞網 版權所有</p><p>聯絡我們｜隱私權政策</p></footer>
</body>
</html>
"""


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _refused(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_source(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


# --- HTML ---------------------------------------------------------------------------------


@pytest.fixture
def news_page(tmp_path: Path) -> Path:
    return _write(tmp_path, "news.html", NEWS_PAGE)


def test_html_article_text_with_numbered_items_and_no_furniture(news_page: Path) -> None:
    source = read_source(news_page)
    assert source.format == "html"
    assert source.encoding == "utf-8"
    assert source.language == "zh-TW"
    paras = source.paragraphs
    for sentence in (LEDE, SECOND, CLOSING):
        assert sentence in paras
    numbered = [p for p in paras if p[:3] in ("1. ", "2. ", "3. ")]
    assert numbered == [f"{n}. {item}" for n, item in enumerate(ITEMS, 1)]
    # In reading order: lede before the items, the items before the closing paragraph.
    assert paras.index(LEDE) < paras.index(numbered[0]) < paras.index(CLOSING)
    # The <h1> repeats og:title: it is the headline hint, not a paragraph.
    assert paras[0] == LEDE
    text = "\n".join(paras)
    for furniture in FURNITURE:
        assert furniture not in text, furniture


def test_ad_inside_the_article_is_left_to_clean() -> None:
    # trafilatura keeps a block inside <article>; the clean stage drops ad lines.
    page = NEWS_PAGE.replace(f"<p>{CLOSING}</p>", f'<div class="ad">廣告</div><p>{CLOSING}</p>')
    source = ingest_bytes(page.encode(), name="news.html")
    assert "廣告" in source.paragraphs
    assert "廣告" not in clean(source).paragraphs
    assert "廣告" in clean(source).removed


def test_html_hints_headline_and_dateline(news_page: Path) -> None:
    source = read_source(news_page)
    assert source.hints == {
        "headline": "台美經濟對話成果豐碩",
        "dateline": "2026-01-28T10:30:00+08:00",
    }
    # clean keeps what the reader found.
    assert clean(source).hints["headline"] == "台美經濟對話成果豐碩"
    assert clean(source).hints["dateline"] == "2026-01-28T10:30:00+08:00"


def test_html_hints_outlet_author_and_byline() -> None:
    page = NEWS_PAGE.replace(
        "</head>",
        '<meta property="og:site_name" content="範例新聞網"><meta name="author" content="顏一軒">'
        "</head>",
    ).replace(f"<p>{LEDE}</p>", f'<p class="byline">即時中心／顏一軒報導</p><p>{LEDE}</p>')
    source = ingest_bytes(page.encode(), name="news.html")
    assert source.hints["outlet"] == "範例新聞網"
    assert source.hints["author"] == "顏一軒"
    assert source.hints["byline"] == "即時中心／顏一軒報導"


def test_html_heading_is_the_headline_only_when_it_repeats_it() -> None:
    article = f"<article><h1>雙方會談</h1><p>{LEDE}</p></article>"
    untitled = read_html(f"<html><body>{article}</body></html>", "p.html")
    assert untitled.paragraphs == [LEDE]
    assert untitled.hints == {"headline": "雙方會談"}
    other = read_html(
        f"<html><head><title>另一則新聞</title></head><body>{article}</body></html>", "p.html"
    )
    assert other.paragraphs == ["雙方會談", LEDE]
    assert other.hints == {"headline": "另一則新聞"}


def test_html_title_and_time_element_when_no_meta() -> None:
    page = (
        "<html><head><title>雙方會談</title></head><body><article>"
        '<time datetime="2026-01-27">1月27日</time>'
        f"<p>{LEDE}</p><p>{SECOND}</p></article></body></html>"
    )
    result = read_html(page, "p.html")
    assert result.hints == {"headline": "雙方會談", "dateline": "2026-01-27"}
    assert LEDE in result.paragraphs


def test_html_ordered_list_start_and_markers_already_written() -> None:
    page = (
        f"<html><body><article><p>{LEDE}</p><p>{SECOND}</p>"
        '<ol start="4"><li>人才培育：雙方將持續合作。</li><li><strong>第三國合作</strong>：'
        "雙方同意探索合作。</li></ol>"
        "<ol><li>一、投資審查：雙方同意持續強化合作。</li><li>二、雙重課稅：雙方同意儘速解決。</li></ol>"
        f"<p>{CLOSING}</p></article></body></html>"
    )
    paras = read_html(page, "p.html").paragraphs
    assert "4. 人才培育：雙方將持續合作。" in paras
    assert "5. 第三國合作：雙方同意探索合作。" in paras
    assert "一、投資審查：雙方同意持續強化合作。" in paras
    assert "二、雙重課稅：雙方同意儘速解決。" in paras


def test_html_line_breaks_make_paragraphs() -> None:
    page = f"<html><body><div class='story'>{LEDE}<br>{SECOND}<br><br>{CLOSING}</div></body></html>"
    assert read_html(page, "p.html").paragraphs == [LEDE, SECOND, CLOSING]


def test_big5_page_with_meta_charset(tmp_path: Path) -> None:
    body = "經濟部表示，台美雙方在華府舉行對話，圍棋（碁）交流也列入議程，雙方同意持續深化合作。"
    page = (
        '<!DOCTYPE html><html><head><meta charset="big5"><title>台美對話</title></head>'
        f"<body><nav><a href='/'>首頁</a></nav><article><p>{body}</p><p>{SECOND}</p>"
        "</article></body></html>"
    )
    data = page.encode("cp950")  # 碁 is in Windows' Big5 only
    path = _write(tmp_path, "big5.htm", data)
    source = read_source(path)
    assert source.format == "html"
    assert source.encoding == "cp950"
    assert source.paragraphs[:2] == (body, SECOND)
    assert source.hints["headline"] == "台美對話"


def test_declared_charset_forms() -> None:
    assert declared_charset(b'<meta charset="Big5">') == "big5"
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
        == "gbk"
    )
    assert declared_charset(b'<?xml version="1.0" encoding="UTF-8"?><html>') == "utf-8"
    assert declared_charset(b"<html><body>no charset</body></html>") is None


def test_gbk_page_decodes_as_gb18030() -> None:
    body = "经济部长今日表示，双方在华府举行第六届经济繁荣伙伴对话，双方同意继续深化合作。"
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        f"</head><body><article><p>{body}</p></article></body></html>"
    )
    source = ingest_bytes(page.encode("gbk"), name="cn.html")
    assert source.encoding == "gb18030"
    assert source.paragraphs == (body,)
    assert source.language == "zh-CN"


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{LEDE}</p></body></html>'
    source = ingest_bytes(page.encode("cp950"), name="mislabelled.html")
    assert source.encoding == "cp950"
    assert source.paragraphs == (LEDE,)


def test_html_in_a_txt_file_is_read_as_html(tmp_path: Path) -> None:
    path = _write(tmp_path, "saved.txt", NEWS_PAGE)
    source = read_source(path)
    assert source.format == "html"
    assert LEDE in source.paragraphs


# --- Markdown -----------------------------------------------------------------------------

MARKDOWN = """---
title: 台美經濟對話
date: 2026-01-28
---

# 台美經濟對話成果豐碩

經濟部長**龔明鑫**今日表示，雙方在[華府](https://example.com/dc)舉行第6屆對話，
並簽署 `聯合聲明`，*深化*合作。

本屆會議重點如下：

1. 確保AI供應鏈的安全：雙方同意共同盤點夥伴關係。
2. 數位基礎建設：美國支持台灣探索創新的通訊技術。
   - 低軌衛星
   - 海底電纜
     1. 北太平洋
     2. 東南亞
3. 關鍵礦物供應鏈：雙方同意強化合作。

Both sides *agreed* to keep
working together.
"""


def test_markdown_blocks_numbers_and_inline_markup(tmp_path: Path) -> None:
    source = read_source(_write(tmp_path, "readout.md", MARKDOWN))
    assert source.format == "markdown"
    assert source.paragraphs == (
        "台美經濟對話成果豐碩",
        "經濟部長龔明鑫今日表示，雙方在華府舉行第6屆對話，並簽署 聯合聲明，深化合作。",
        "本屆會議重點如下：",
        "1. 確保AI供應鏈的安全：雙方同意共同盤點夥伴關係。",
        "2. 數位基礎建設：美國支持台灣探索創新的通訊技術。",
        "• 低軌衛星",
        "• 海底電纜",
        "1. 北太平洋",
        "2. 東南亞",
        "3. 關鍵礦物供應鏈：雙方同意強化合作。",
        "Both sides agreed to keep working together.",
    )
    assert "title" not in source.text


def test_markdown_ordered_list_start() -> None:
    paras = read_markdown("3. 第三項\n1. 第四項\n\n- 要點\n", "x.md")
    assert paras == ["3. 第三項", "4. 第四項", "• 要點"]


# --- DOCX ---------------------------------------------------------------------------------


def _add_numbering(document: docx.document.Document) -> None:
    """Numbering definitions as Word writes them for zh-TW documents: numId 90 numbers
    一、 （一） 1. by level; numId 91 is a （一） list; numId 92 restarts numId 90's
    definition at 五."""
    numbering = document.part.numbering_part.element

    def el(parent: etree._Element, tag: str, val: str | None = None) -> etree._Element:
        child = etree.SubElement(parent, qn(tag))
        if val is not None:
            child.set(qn("w:val"), val)
        return child

    def abstract(abstract_id: str, levels: list[tuple[str, str]]) -> None:
        node = etree.Element(qn("w:abstractNum"))
        node.set(qn("w:abstractNumId"), abstract_id)
        for ilvl, (fmt, text) in enumerate(levels):
            lvl = el(node, "w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            el(lvl, "w:start", "1")
            el(lvl, "w:numFmt", fmt)
            el(lvl, "w:lvlText", text)
        numbering.find(qn("w:num")).addprevious(node)  # abstractNums come first

    def num(num_id: str, abstract_id: str, start: str | None = None) -> None:
        node = el(numbering, "w:num")
        node.set(qn("w:numId"), num_id)
        el(node, "w:abstractNumId", abstract_id)
        if start:
            override = el(node, "w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            el(override, "w:startOverride", start)

    abstract(
        "90",
        [
            ("taiwaneseCountingThousand", "%1、"),
            ("taiwaneseCountingThousand", "（%2）"),
            ("decimal", "%3."),
        ],
    )
    abstract("91", [("taiwaneseCountingThousand", "（%1）")])
    num("90", "90")
    num("91", "91")
    num("92", "90", start="5")


def _numbered(document: docx.document.Document, text: str, num_id: str, ilvl: int) -> None:
    paragraph = document.add_paragraph(text)
    num_pr = etree.SubElement(paragraph._p.get_or_add_pPr(), qn("w:numPr"))
    etree.SubElement(num_pr, qn("w:ilvl")).set(qn("w:val"), str(ilvl))
    etree.SubElement(num_pr, qn("w:numId")).set(qn("w:val"), num_id)


def _docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def readout_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    _add_numbering(document)
    document.add_paragraph(LEDE)
    document.add_paragraph("")  # empty paragraphs are skipped
    document.add_paragraph(SECOND)
    _numbered(document, "確保AI供應鏈的安全：雙方同意共同盤點夥伴關係。", "90", 0)
    _numbered(document, "盤點夥伴關係", "90", 1)
    _numbered(document, "研議資安韌性", "90", 1)
    _numbered(document, "正體中文語料庫", "90", 2)
    _numbered(document, "數位基礎建設：美國支持台灣探索創新的通訊技術。", "90", 0)
    _numbered(document, "低軌衛星", "90", 1)  # deeper levels restart after a higher one
    _numbered(document, "甲案", "91", 0)
    _numbered(document, "乙案", "91", 0)
    _numbered(document, "投資審查：雙方同意持續強化合作。", "92", 0)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate((("部會", "代表"), ("外交部", "陳明祺"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("第一項", style="List Number")  # numbering from the style
    document.add_paragraph("第二項", style="List Number")
    document.add_paragraph("要點", style="List Bullet")
    with_break = document.add_paragraph("行一")
    with_break.add_run().add_break()
    with_break.add_run("行二")
    document.add_paragraph(CLOSING)
    return _write(tmp_path, "readout.docx", _docx_bytes(document))


def test_docx_paragraphs_tables_and_numbering_labels(readout_docx: Path) -> None:
    source = read_source(readout_docx)
    assert source.format == "docx"
    assert source.language == "zh-TW"
    assert source.paragraphs == (
        LEDE,
        SECOND,
        "一、確保AI供應鏈的安全：雙方同意共同盤點夥伴關係。",
        "（一）盤點夥伴關係",
        "（二）研議資安韌性",
        "1. 正體中文語料庫",
        "二、數位基礎建設：美國支持台灣探索創新的通訊技術。",
        "（一）低軌衛星",
        "（一）甲案",
        "（二）乙案",
        "五、投資審查：雙方同意持續強化合作。",
        "部會",
        "代表",
        "外交部",
        "陳明祺",
        "1. 第一項",
        "2. 第二項",
        "• 要點",
        "行一",
        "行二",
        CLOSING,
    )


def test_docx_control_character_is_refused_like_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(LEDE)
    document.add_paragraph("雙方\x85同意")
    message = _refused(_write(tmp_path, "c.docx", _docx_bytes(document)))
    assert message.endswith("contains control character U+0085 in paragraph 2 of the DOCX file")


def test_docx_larger_than_text_limit_is_accepted(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(LEDE)
    buffer = io.BytesIO(_docx_bytes(document))
    with zipfile.ZipFile(buffer, "a") as archive:  # a stored "picture" of 3 MiB
        archive.writestr("word/media/image1.bin", b"\x89" * (3 * 1024 * 1024))
    data = buffer.getvalue()
    assert MAX_BYTES < len(data) < MAX_DOCX_BYTES
    path = _write(tmp_path, "big.docx", data)
    assert read_source(path).paragraphs == (LEDE,)
    # Without a .docx name it is still recognised (and allowed the DOCX limit).
    assert ingest_bytes(data, name="upload").format == "docx"


def test_docx_over_its_limit_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "huge.docx", b"PK\x03\x04" + b"\x00" * MAX_DOCX_BYTES)
    message = _refused(path)
    assert "file is too large" in message and "10 MiB for a DOCX readout" in message


def _with_document_xml(chunks: object, *, lie: int | None = None, extra: bytes = b"") -> bytes:
    """A DOCX whose word/document.xml is written (deflated) from ``chunks``; with ``lie``,
    the zip's central directory claims that many bytes for it. ``extra`` is stored as a
    deflated member word/media/extra.bin."""
    import struct

    source = zipfile.ZipFile(io.BytesIO(_docx_bytes(docx.Document())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
                continue
            with archive.open("word/document.xml", "w", force_zip64=True) as member:
                for chunk in chunks:  # type: ignore[attr-defined]
                    member.write(chunk)
        if extra:
            archive.writestr("word/media/extra.bin", extra)
    data = bytearray(buffer.getvalue())
    if lie is not None:
        at = data.find(b"PK\x01\x02")
        while at != -1:
            size, name_length = struct.unpack_from("<I", data, at + 24)[0], data[at + 28]
            if data[at + 46 : at + 46 + name_length] == b"word/document.xml":
                if size == 0xFFFFFFFF:  # the zip64 extra field holds it
                    struct.pack_into("<Q", data, at + 46 + name_length + 4, lie)
                else:
                    struct.pack_into("<I", data, at + 24, lie)
            at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_OPEN = f"<?xml version='1.0' encoding='UTF-8'?><w:document {_W_NS}><w:body>".encode()
_CLOSE = b"</w:body></w:document>"


def _paragraphs(text: str, count: int) -> object:
    yield _OPEN
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    for _ in range(count):
        yield para
    yield _CLOSE


def test_docx_with_text_over_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    # issue 12: a 24 KB DOCX holding 3 MiB of text was accepted (50 MiB and more hung).
    para = (LEDE * 4).encode()
    data = _with_document_xml(_paragraphs(LEDE * 4, 3 * 1024 * 1024 // len(para) + 1))
    assert len(data) < MAX_BYTES
    message = _refused(_write(tmp_path, "long.docx", data))
    assert message.endswith(
        "text is too large (more than 2 MiB; the limit is 2 MiB of text for a readout)"
    )


def test_docx_reading_stops_at_the_text_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    fed: list[int] = []
    original = readers._Package.chunks

    def counting(self: object, member: str, limit: int) -> object:
        for chunk in original(self, member, limit):  # type: ignore[arg-type]
            fed.append(len(chunk))
            yield chunk

    monkeypatch.setattr(readers._Package, "chunks", counting)
    data = _with_document_xml(_paragraphs("雙方同意" * 1000, 1200))  # 14 MB of XML
    with pytest.raises(InputError, match="text is too large"):
        readers.read_docx(data, "long.docx", max_text=MAX_BYTES)
    assert sum(fed) < 4 * MAX_BYTES


def test_docx_text_under_the_limit_is_read_whole() -> None:
    data = _with_document_xml(_paragraphs(LEDE, 3))
    assert readers.read_docx(data, "a.docx", max_text=3 * len(LEDE.encode())) == [LEDE] * 3
    with pytest.raises(InputError, match="text is too large"):
        readers.read_docx(data, "a.docx", max_text=3 * len(LEDE.encode()) - 1)


def test_docx_zip_bomb_whose_directory_lies_is_refused(tmp_path: Path) -> None:
    # issue 12: document.xml of 2 GB (deflated to 2 MB) whose central directory says 1 KiB
    # reached 2.1 GB before the error. Here 64 MiB of one text run, claimed as 1 KiB.
    def bomb() -> object:
        yield _OPEN + b"<w:p><w:r><w:t>"
        for _ in range(64):
            yield b"a" * (1 << 20)
        yield b"</w:t></w:r></w:p>" + _CLOSE

    path = _write(tmp_path, "bomb.docx", _with_document_xml(bomb(), lie=1024))
    assert "not a valid DOCX file (word/document.xml: Bad CRC-32" in _refused(path)
    # claimed as 15 MiB: read no further than that, and the text limit stops it before
    path = _write(tmp_path, "bomb2.docx", _with_document_xml(bomb(), lie=15 << 20))
    assert "text is too large" in _refused(path)
    # claimed as more than the limit: refused before anything is unpacked
    path = _write(tmp_path, "bomb3.docx", _with_document_xml(bomb(), lie=0xFFFFFFF0))
    assert _refused(path).endswith(
        "DOCX file is too large (its word/document.xml unpacks to more than 16 MiB)"
    )


def test_docx_markup_bomb_stops_at_the_part_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_DOCX_XML", 1024 * 1024)

    def markup() -> object:
        yield _OPEN + b"<w:p>"
        for _ in range(4):
            yield b"<w:r/>" * (1 << 18)
        yield b"</w:p>" + _CLOSE

    with pytest.raises(InputError) as info:
        readers.read_docx(_with_document_xml(markup()), "m.docx", max_text=MAX_BYTES)
    assert str(info.value) == (
        "m.docx: DOCX file is too large (its word/document.xml unpacks to more than 1 MiB)"
    )


def test_docx_members_not_read_are_never_unpacked() -> None:
    # 32 MiB of zeros in a "picture", over every part limit: never decompressed.
    data = _with_document_xml(_paragraphs(LEDE, 1), extra=b"\0" * (32 << 20))
    assert len(data) < 100_000
    assert readers.read_docx(data, "a.docx", max_text=MAX_BYTES) == [LEDE]


def test_docx_with_an_unusual_compression_is_refused() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_docx_bytes(docx.Document()))) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for info in source.infolist():
            method = zipfile.ZIP_BZIP2 if info.filename == "word/document.xml" else 8
            archive.writestr(info.filename, source.read(info), compress_type=method)
    with pytest.raises(InputError) as info:
        readers.read_docx(buffer.getvalue(), "b.docx")
    assert str(info.value) == (
        "b.docx: not a valid DOCX file (word/document.xml uses compression method 12)"
    )


def test_macro_enabled_document_is_not_a_docx() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_docx_bytes(docx.Document()))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            archive.writestr(info, body)
    with pytest.raises(InputError, match="not a Word document: its content type is"):
        readers.read_docx(buffer.getvalue(), "m.docm")


def test_docx_text_boxes_tab_stops_fields_and_content_controls() -> None:
    body = (
        f"<?xml version='1.0' encoding='UTF-8'?><w:document {_W_NS}><w:body>"
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        '<w:r><w:t xml:space="preserve">A &amp; B </w:t><w:tab/><w:t>C</w:t><w:br/>'
        "<w:t>D</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>in a box</w:t></w:r>"
        "</w:p></w:txbxContent></w:pict></w:r><w:hyperlink><w:r><w:t>link</w:t></w:r>"
        "</w:hyperlink><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r>"
        "<w:instrText>PAGE</w:instrText></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "</w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
        "<w:customXml><w:p><w:r><w:t>custom</w:t><w:cr/><w:t>x</w:t></w:r></w:p></w:customXml>"
        "</w:body></w:document>"
    )
    data = _with_document_xml([body.encode()])
    assert readers.read_docx(data, "a.docx") == [
        "A & B \tC",
        "Dlink",
        "cell",
        "nested",
        "custom",
        "x",
    ]


# --- detect_format ------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.html", b"plain words", "html"),
        ("A.HTM", b"", "html"),
        ("a.xhtml", b"", "html"),
        ("notes.md", b"<!DOCTYPE html>", "markdown"),
        ("notes.markdown", b"# x", "markdown"),
        ("a.docx", b"not even a zip", "docx"),
        ("upload", _zip({"word/document.xml": b"<w:document/>"}), "docx"),
        ("upload.bin", _zip({"xl/workbook.xml": b"<workbook/>"}), "text"),
        ("in.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("in.txt", b"\xef\xbb\xbf  <html lang='zh'><body>x</body></html>", "html"),
        ("in.txt", "<html><body>雙方</body></html>".encode("utf-16"), "html"),
        ("in.txt", "<div>雙方同意。</div>\n<p>美方支持。</p>\n<p>台灣。</p>".encode(), "html"),
        ("in.txt", "外交部強調<b>重要</b>的是，雙方同意 a<b 且 c>d；<p>一次。".encode(), "text"),
        ("in.txt", "# 標題\n\n1. 第一項\n".encode(), "text"),
        ("in.txt", "雙方同意持續深化合作。".encode("cp950"), "text"),
    ],
)
def test_detect_format(name: str, data: bytes, expected: str) -> None:
    assert detect_format(name, data) == expected


# --- refusals -----------------------------------------------------------------------------


def test_empty_markdown_is_refused(tmp_path: Path) -> None:
    text = "---\ntitle: 空白\n---\n\n<!-- 草稿 -->\n\n![圖](photo.png)\n\n---\n"
    message = _refused(_write(tmp_path, "empty.md", text))
    assert message.endswith("no text in this Markdown file (after removing markup)")


def test_html_page_with_only_navigation_is_refused(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>範例新聞網</title></head><body>"
        "<header><div class='logo'>範例新聞網</div></header><nav><ul>"
        "<li><a href='/'>首頁</a></li><li><a href='/p'>政治</a></li>"
        "<li><a href='/w'>國際</a></li></ul></nav><div class='ad'>廣告</div>"
        "<footer><p>© 2026 範例新聞網 版權所有</p></footer></body></html>"
    )
    message = _refused(_write(tmp_path, "nav.html", page))
    assert message.endswith("found no article text in this HTML page")


def test_zip_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "sheet.docx", _zip({"xl/workbook.xml": b"<workbook/>"}))
    assert _refused(path).endswith("not a valid DOCX file (no word/document.xml in it)")


def test_docx_that_is_plain_text_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "renamed.docx", f"{LEDE}\n{SECOND}\n")
    assert _refused(path).endswith("not a valid DOCX file (not a zip archive)")


def test_docx_with_broken_xml_is_refused(tmp_path: Path) -> None:
    data = _docx_bytes(docx.Document())
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, b"<w:document" if info.filename == "word/document.xml" else body)
    message = _refused(_write(tmp_path, "broken.docx", broken.getvalue()))
    assert "not a valid DOCX file" in message


# --- end to end ---------------------------------------------------------------------------


def test_cli_extract_html_page(news_page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(news_page), "--format", "json", "--no-translate", "-v"])
    out, err = capsys.readouterr()
    assert code == 0, err
    brief = json.loads(out)
    assert brief["source"]["format"] == "html"
    assert len(brief["items"]) == 3
    assert brief["source"]["published"] == "2026-01-28"
    assert f"{news_page}: html, utf-8, zh-TW" in err
