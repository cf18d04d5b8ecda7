"""Template markup -> IR: the allowed subset, whitespace rules and clear errors."""

from __future__ import annotations

import pytest

from briefgen import ir
from briefgen.diagnostics import DiagnosticError
from briefgen.errors import TemplateError
from briefgen.render.markup import parse_markup, read_markup

HEAD = '<meta name="title" content="T">'


def test_blocks_and_inlines() -> None:
    doc = parse_markup(
        HEAD + '<h2 class="heading1">標題</h2><p>甲<strong>乙</strong><em>c</em>'
        '<a href="https://example.org">d</a><br>'
        '<span class="untranslated" lang="zh-TW">丙</span></p>'
        '<ol start="3"><li>one</li><li><p>two</p><ul><li>x</li></ul></li></ol>'
        '<table class="table"><thead><tr><th>h</th></tr></thead><tr><td>v</td></tr></table>'
        '<hr class="rule"><hr class="page-break"><dl><dt>k</dt><dd>v</dd></dl>',
        lang="zh-TW",
    )
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Heading",
        "Para",
        "OrderedList",
        "Table",
        "Rule",
        "PageBreak",
        "DefinitionList",
    ]
    heading, para, olist, table = doc.blocks[:4]
    assert isinstance(heading, ir.Heading) and heading.level == 2 and heading.style == "heading1"
    assert [type(n).__name__ for n in para.children] == [
        "Text",
        "Strong",
        "Emph",
        "Link",
        "LineBreak",
        "Span",
    ]
    span = para.children[-1]
    assert span.style == "untranslated" and span.lang == "zh-TW"
    assert olist.start == 3 and len(olist.items) == 2
    assert isinstance(olist.items[1].blocks[1], ir.BulletList)
    assert table.header_rows == 1 and table.rows[0][0].header
    assert doc.meta.title == "T" and doc.meta.lang == "zh-TW"


def test_newline_between_chinese_characters_disappears() -> None:
    doc = parse_markup(HEAD + "<p>台美\n  雙方 and\n  English</p>")
    assert ir.plain_text(doc.blocks[0].children) == "台美雙方 and English"


def test_escaped_article_text_stays_text() -> None:
    doc = parse_markup(HEAD + "<p>&lt;b&gt;not bold&lt;/b&gt; &amp; more</p>")
    assert ir.plain_text(doc.blocks[0].children) == "<b>not bold</b> & more"
    assert not any(isinstance(n, ir.Strong) for n in doc.blocks[0].children)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<script>x</script>", "unknown element <script>"),
        ('<p onclick="x">a</p>', "attribute 'onclick' is not allowed"),
        ("<p>a</div>", "</div> closes p"),
        ("<p>open", "<p> is never closed"),
        ("<ul>text</ul>", "text directly inside <ul>"),
        ("<p><p>a</p></p>", "cannot be inside text"),
        ('<a href="javascript:x">a</a>', "is not http(s), mailto or #"),
        ('<meta name="colour" content="x">', "unknown meta name"),
    ],
)
def test_bad_markup_is_a_template_error(markup: str, message: str) -> None:
    with pytest.raises(TemplateError, match="markup line") as info:
        parse_markup(HEAD + markup, origin="t.html.j2")
    assert message in str(info.value)
    assert str(info.value).startswith("t.html.j2: markup line")


def test_title_is_required() -> None:
    with pytest.raises(TemplateError, match="title"):
        parse_markup("<p>x</p>")


def test_read_markup_finds_every_problem_with_its_place() -> None:
    markup = (
        HEAD + "\n"  # line 1
        "<marquee>a</marquee>\n"  # 2
        '<p\n   onclick="x" class="odd">b</p>\n'  # 3-4
        "<ul><p>c</p></ul>\n"  # 5
        '<ol start="x"><li>d</li></ol>\n'  # 6
        '<a href="javascript:x">e</a>\n'  # 7
        "<p>f</div>\n"  # 8
    )
    result = read_markup(markup, "t.html.j2", "en", styles={"body"})
    found = [(d.line, d.column, d.severity, d.code, d.message) for d in result.diagnostics]
    assert found == [
        (2, 1, "error", "markup.element", "unknown element <marquee>"),
        (4, 4, "error", "markup.attribute", "attribute 'onclick' is not allowed on <p>"),
        (4, 16, "warning", "markup.class", "unknown style class 'odd' (not in the style sheet)"),
        (8, 5, "error", "markup.nesting", "</div> closes p"),
        (8, 1, "error", "markup.nesting", "<p> is never closed"),
        (5, 5, "error", "markup.structure", "<p> is not allowed inside <ul>"),
        (6, 1, "error", "markup.attribute", "<ol start> must be a positive number, not 'x'"),
        (7, 1, "error", "markup.link", "link target 'javascript:x' is not http(s), mailto or #"),
    ]
    assert all(d.file == "t.html.j2" for d in result.diagnostics)
    # What could be read is kept: the text of the unknown element, the paragraphs.
    assert ir.plain_text(result.document.blocks[0].children) == "a"
    assert result.document.meta.title == "T"


def test_parse_markup_stops_at_the_first_problem_as_a_build_does() -> None:
    with pytest.raises(DiagnosticError) as info:
        parse_markup(HEAD + '<p onclick="x">a</p><blink>b</blink>', origin="t.html.j2")
    assert str(info.value) == "t.html.j2: markup line 1: attribute 'onclick' is not allowed on <p>"
    assert info.value.diagnostic.code == "markup.attribute" and info.value.exit_code == 3
    with pytest.raises(DiagnosticError) as info:
        parse_markup("<p>x</p>", origin="t.html.j2")
    assert str(info.value) == 't.html.j2: the template sets no <meta name="title">'
    assert info.value.diagnostic.line is None


def test_style_classes_are_checked_only_when_asked() -> None:
    markup = HEAD + '<p class="odd">a</p><hr class="page-break">'
    assert read_markup(markup).diagnostics == []
    (found,) = read_markup(markup, styles=frozenset({"body"})).diagnostics
    assert found.severity == "warning" and "'odd'" in found.message
