"""The DOCX writer builds paragraphs, runs and style properties as XML of its own (python-
docx's setters search for where each element goes, which is slow); these tests hold that
XML to what python-docx's public API writes for the same operations, on real documents."""

from __future__ import annotations

from typing import Any

import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_LINE_SPACING
from docx.shared import Pt, RGBColor
from lxml import etree

from briefgen import ir
from briefgen.styles import StyleSheet, length, read_stylesheet_data
from briefgen.writers import docx as writer
from briefgen.writers import write

TEXTS = [
    "plain",
    " leading and trailing ",
    "tab\tinside",
    "\tlead tab",
    "line\nbreak\r\nand carriage\rreturn",
    "\n",
    "",
    "\u3000全形空白",
    "經貿 trade",
]
FORMATS: list[dict[str, Any]] = [
    {},
    {"bold": True},
    {"italic": True},
    {"bold": True, "italic": True},
    {"style": "header-label"},
    {"lang": "zh-CN", "role": "sans"},
    {"lang": "zh-TW"},
    {"lang": "en", "bold": True, "style": "header-label"},
    {"lang": "zh-CN", "italic": True, "style": "header-label"},
]


def _sheet(lang: str = "zh-TW") -> StyleSheet:
    return StyleSheet(read_stylesheet_data(), lang)


def _writer(lang: str = "zh-TW") -> writer._Writer:
    w = writer._Writer(ir.Document(ir.Meta(title="t", lang=lang), []), _sheet(lang))
    w.setup_styles()
    w._body = w.word.element.body
    w._body_end = next(w._body.iterchildren(writer.qn("w:sectPr")), None)
    return w


def _xml(element: Any) -> bytes:
    return etree.tostring(element)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", TEXTS)
def test_runs_are_what_python_docx_writes(text: str, fmt: dict[str, Any]) -> None:
    w = _writer()
    fmt = dict(fmt)
    if "style" in fmt:
        fmt["style"] = w.char_style(fmt["style"])
    ours = w.new_paragraph(None, w.para_style("body"))
    w._run(ours, text, fmt)
    # The same run through python-docx's API (the writer's former code).
    paragraph = w.word.add_paragraph(style="Normal")
    run = paragraph.add_run(text)
    if fmt.get("bold"):
        run.bold = True
    if fmt.get("italic"):
        run.italic = True
    if fmt.get("style"):
        run.style = w.word.styles[fmt["style"]]
    if fmt.get("lang"):
        rpr = run._r.get_or_add_rPr()
        writer._set_lang(rpr, fmt["lang"])
        if fmt["lang"] == "zh-CN":
            role = w.sheet.font_role(fmt.get("role") or "serif")
            rpr.get_or_add_rFonts().set(writer.qn("w:eastAsia"), role.east_asia_for("zh-CN"))
    assert _xml(ours) == _xml(paragraph._p)


@pytest.mark.parametrize("style", [None, "Normal", "Title", "Heading 1", "Memo notice"])
def test_paragraphs_are_what_python_docx_writes(style: str | None) -> None:
    w = _writer()
    if style == "Memo notice":
        w.para_style("notice")
    ours = w.new_paragraph(None, style)
    theirs = w.word.add_paragraph(style=style)._p
    assert _xml(ours) == _xml(theirs)
    assert ours.getnext() is theirs  # both before the section properties, in order
    assert theirs.getnext().tag == writer.qn("w:sectPr")


def test_page_and_line_breaks_are_what_python_docx_writes() -> None:
    w = _writer()
    w.block(ir.PageBreak(), None, 0, 0.0, None)
    ours = w._body_end.getprevious()
    theirs = w.word.add_paragraph()
    theirs.add_run().add_break(WD_BREAK.PAGE)
    assert _xml(ours) == _xml(theirs._p)
    line = w.new_paragraph(None, None)
    w.inlines(line, [ir.Text("a"), ir.LineBreak(), ir.Text("b")])
    expected = w.word.add_paragraph()
    expected.add_run("a")
    expected.add_run().add_break()
    expected.add_run("b")
    assert _xml(line) == _xml(expected._p)


def _old_run_props(w: writer._Writer, style: Any, props: dict[str, Any]) -> None:
    """The writer's former code: python-docx's font setters."""
    role = w.sheet.font_role(props.get("font", "serif"))
    rpr = style.element.get_or_add_rPr()
    writer._set_fonts(rpr, role.docx_latin, role.docx_east_asia)
    font = style.font
    if "size" in props:
        font.size = Pt(float(props["size"]))
    font.bold = bool(props.get("bold", False))
    font.italic = bool(props.get("italic", False))
    if props.get("color"):
        font.color.rgb = RGBColor.from_string(props["color"].lstrip("#").upper())


def _old_para_props(style: Any, props: dict[str, Any]) -> None:
    """The writer's former code: python-docx's paragraph-format setters."""
    fmt = style.paragraph_format
    fmt.space_before = Pt(length(props.get("space_before", 0)))
    fmt.space_after = Pt(length(props.get("space_after", 0)))
    # at least size × leading, as the PDF sets lines (11: the test sheet's body size)
    fmt.line_spacing = Pt(float(props.get("size", 11)) * float(props.get("leading", 1.4)))
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    fmt.alignment = writer._ALIGN.get(props.get("align", "left"))
    fmt.keep_with_next = bool(props.get("keep_with_next", False))
    if props.get("indent"):
        fmt.left_indent = Pt(length(props["indent"]))
    if props.get("background"):
        ppr = style.element.get_or_add_pPr()
        shd = writer.OxmlElement("w:shd")
        shd.set(writer.qn("w:val"), "clear")
        shd.set(writer.qn("w:color"), "auto")
        shd.set(writer.qn("w:fill"), props["background"].lstrip("#").upper())
        ppr.append(shd)


PROPS: list[dict[str, Any]] = [
    {},
    {"size": 10.5, "bold": True, "color": "#1f3864", "align": "center", "leading": 1.2},
    {"size": 16, "italic": True, "keep_with_next": True, "space_before": "6pt"},
    {"bold": False, "align": "justify", "indent": "7mm", "space_after": 3, "font": "sans"},
    {"align": "nowhere", "background": "#eeeeee", "color": "#000000"},
    {"align": "right", "leading": 2, "indent": 12, "bold": True, "italic": False},
]


@pytest.mark.parametrize("props", PROPS)
@pytest.mark.parametrize("name", ["Normal", "Title", "Heading 1", "Heading 2", "Memo new"])
def test_style_properties_are_what_python_docx_writes(name: str, props: dict[str, Any]) -> None:
    ours, theirs = _writer(), _writer()
    if name == "Memo new":
        style = ours._add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        reference = theirs.word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    else:
        style, reference = ours._style(name), theirs.word.styles[name]
    ours._apply_run_props(style, props)
    ours._apply_para_props(style, props)
    _old_run_props(theirs, reference, props)
    _old_para_props(reference, props)
    assert _xml(style.element) == _xml(reference.element)


@pytest.mark.parametrize(
    "own",
    [
        {},
        {"bold": True},
        {"color": "#C00000", "italic": False},
        {"font": "sans", "size": 9, "bold": False, "italic": True, "color": "#123456"},
    ],
)
def test_character_styles_are_what_python_docx_writes(own: dict[str, Any]) -> None:
    data = read_stylesheet_data()
    data["styles"]["probe"] = dict(own)
    sheet = StyleSheet(data, "en")
    w = writer._Writer(ir.Document(ir.Meta(title="t", lang="en"), []), sheet)
    name = w.char_style("probe")
    ours = w._style(name).element
    reference_writer = writer._Writer(ir.Document(ir.Meta(title="t", lang="en"), []), sheet)
    style = reference_writer.word.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    font = style.font
    if "font" in own:
        role = sheet.font_role(own["font"])
        writer._set_fonts(style.element.get_or_add_rPr(), role.docx_latin, role.docx_east_asia)
    if "size" in own:
        font.size = Pt(float(own["size"]))
    if "bold" in own:
        font.bold = bool(own["bold"])
    if "italic" in own:
        font.italic = bool(own["italic"])
    if own.get("color"):
        font.color.rgb = RGBColor.from_string(own["color"].lstrip("#").upper())
    assert _xml(ours) == _xml(style.element)


def test_style_ids_are_python_docx_s() -> None:
    w = _writer()
    w.para_style("notice")
    w.char_style("header-label")
    cases = [
        ("Normal", WD_STYLE_TYPE.PARAGRAPH),
        ("Title", WD_STYLE_TYPE.PARAGRAPH),
        ("Heading 1", WD_STYLE_TYPE.PARAGRAPH),
        ("Memo notice", WD_STYLE_TYPE.PARAGRAPH),
        ("Memo header-label (text)", WD_STYLE_TYPE.CHARACTER),
        ("Default Paragraph Font", WD_STYLE_TYPE.CHARACTER),
        ("Table Grid", WD_STYLE_TYPE.TABLE),
        ("Normal Table", WD_STYLE_TYPE.TABLE),
    ]
    for name, kind in cases:
        assert w.style_id(name, kind) == w.word.styles.get_style_id(name, kind), name
    assert w.style_id("Normal") is None and w.style_id("Heading 1") == "Heading1"
    with pytest.raises(KeyError):
        w.style_id("No Such Style")
    with pytest.raises(ValueError):
        w.style_id("Table Grid", WD_STYLE_TYPE.PARAGRAPH)
    with pytest.raises(ValueError):
        w._add_style("Memo notice", WD_STYLE_TYPE.PARAGRAPH)


def test_new_styles_are_what_python_docx_adds() -> None:
    ours, theirs = _writer(), _writer()
    for name, kind in (
        ("Memo x", WD_STYLE_TYPE.PARAGRAPH),
        ("Memo y (text)", WD_STYLE_TYPE.CHARACTER),
    ):
        assert _xml(ours._add_style(name, kind).element) == _xml(
            theirs.word.styles.add_style(name, kind).element
        )


def _memo(lang: str, n: int) -> ir.Document:
    cells = [[ir.Cell([ir.Para([ir.Text(h)])], header=True) for h in ("No.", "Text")]]
    cells += [
        [ir.Cell([ir.Para([ir.Text(str(i))])]), ir.Cell([ir.Para([ir.Text(f"row {i}\tend")])])]
        for i in range(n)
    ]
    return ir.Document(
        ir.Meta(title=f"memo {n}", lang=lang),
        [
            ir.Heading(1, [ir.Text(f"Memo {n}")]),
            ir.OrderedList([ir.ListItem([ir.Para([ir.Strong([ir.Text("first")])])])] * n, start=1),
            ir.BlockQuote([ir.Para([ir.Emph([ir.Text("quoted")])])]),
            ir.Table(cells, header_rows=1),
            ir.PageBreak(),
            ir.Para([ir.Span([ir.Text("简体")], style="untranslated", lang="zh-CN")]),
        ],
    )


def test_each_write_stands_alone() -> None:
    """Nothing carries over from one document to the next: writing others in between
    changes no byte."""
    a, b = _memo("zh-TW", 3), _memo("en", 7)
    sheet_a, sheet_b = _sheet("zh-TW"), _sheet("en")
    first = write(a, "docx", sheet_a)
    other = write(b, "docx", sheet_b)
    assert write(a, "docx", sheet_a) == first
    assert write(b, "docx", sheet_b) == other
    assert first != other


@pytest.mark.parametrize("indent", [0.0, 18.0, 42.5])
def test_indented_numbered_paragraphs_are_what_python_docx_writes(indent: float) -> None:
    w = _writer("en")
    num_id = w.new_list("ordered", 1, 3)
    ours = w.add_para([ir.Text("item")], "list", None, indent)
    w._number(ours, num_id, 1)
    paragraph = w.word.add_paragraph(style=w.para_style("list"))
    if indent:
        paragraph.paragraph_format.left_indent = Pt(indent)
    paragraph.add_run("item")
    w._number(paragraph._p, num_id, 1)
    assert _xml(ours) == _xml(paragraph._p)
    (num,) = w._numbering().iterfind(f"{writer.qn('w:num')}[@{writer.qn('w:numId')}='{num_id}']")
    assert num.find(f"{writer.qn('w:lvlOverride')}/{writer.qn('w:startOverride')}") is not None


def test_header_and_footer_are_what_python_docx_writes() -> None:
    meta = ir.Meta(
        title="t", lang="zh-TW", header=" 機密 Confidential ", footer="第 {page} 頁，共 {pages} 頁"
    )
    ours = writer._Writer(ir.Document(meta, []), _sheet())
    ours.setup_styles()
    ours.setup_page()
    theirs = writer._Writer(ir.Document(ir.Meta(title="t", lang="zh-TW"), []), _sheet())
    theirs.setup_styles()
    section = theirs.word.sections[0]
    header = section.header.paragraphs[0]
    header._p.style = theirs.style_id(theirs.para_style("header"))
    header.add_run(meta.header)
    footer = section.footer.paragraphs[0]
    footer._p.style = theirs.style_id(theirs.para_style("footer"))
    for text, code in (("第 ", "PAGE"), (" 頁，共 ", "NUMPAGES")):
        footer.add_run(text)
        for kind in ("begin", "instr", "separate", "text", "end"):
            run = footer.add_run()
            if kind == "instr":
                instr = writer.OxmlElement("w:instrText")
                instr.set(writer.qn("xml:space"), "preserve")
                instr.text = f" {code} "
                run._r.append(instr)
            elif kind == "text":
                run.text = "1"
            else:
                char = writer.OxmlElement("w:fldChar")
                char.set(writer.qn("w:fldCharType"), kind)
                run._r.append(char)
    footer.add_run(" 頁")
    ours_section = ours.word.sections[0]
    assert _xml(ours_section.header.paragraphs[0]._p) == _xml(header._p)
    assert _xml(ours_section.footer.paragraphs[0]._p) == _xml(footer._p)
