"""Templates rendered for real: labels from catalogs, Babel dates, untranslated marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import ir
from briefgen.errors import TemplateError
from briefgen.model import Brief, Text, Via
from briefgen.render import audiences, render, render_markup
from briefgen.render.i18n import format_day
from briefgen.settings import OfficeSettings, Settings


def _text(doc: ir.Document) -> str:
    out: list[str] = []

    def walk(blocks: list[ir.Block]) -> None:
        for block in blocks:
            if isinstance(block, ir.Heading | ir.Para):
                out.append(ir.plain_text(block.children))
            elif isinstance(block, ir.OrderedList | ir.BulletList):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, ir.Table):
                for row in block.rows:
                    for cell in row:
                        walk(cell.blocks)
            elif isinstance(block, ir.Div | ir.BlockQuote):
                walk(block.blocks)

    walk(doc.blocks)
    return "\n".join(out)


def test_builtin_audiences() -> None:
    assert {"leadership", "working"} <= set(audiences())


def test_dates_are_localized_by_babel() -> None:
    from datetime import date

    assert format_day(date(2026, 1, 28), "zh-TW") == "2026年1月28日"
    assert format_day(date(2026, 1, 28), "en") == "January 28, 2026"
    assert format_day(date(2026, 1, 28), "zh-TW", "roc") == "中華民國115年1月28日"


def test_zh_memo_uses_zh_labels_and_dates(translated_brief: Brief) -> None:
    doc = render(translated_brief, "working", "zh-TW")
    text = _text(doc)
    assert doc.meta.title == "第6屆經濟繁榮夥伴對話（EPPD）簡報"
    for label in ("重點摘要", "會議概要", "議題重點", "與會人員", "日期：2026年1月28日"):
        assert label in text
    assert "2026年1月27日" in text  # meeting date, resolved from 當地時間27日
    assert "Bottom line" not in text
    assert doc.meta.footer == "第 {page} 頁，共 {pages} 頁"


def test_en_memo_is_english(translated_brief: Brief) -> None:
    doc = render(translated_brief, "working", "en")
    text = _text(doc)
    assert doc.meta.title == "Briefing: 6th Economic Prosperity Partnership Dialogue (EPPD)"
    for expected in (
        "Bottom line",
        "January 27, 2026",
        "Washington, DC",  # the default usage (MOFA style)
        "Kung Ming-hsin",
        "Jacob Helberg",
        "Securing the AI supply chain",
        "Bilateral economic cooperation",
    ):
        assert expected in text
    assert "重點摘要" not in text


def test_every_agenda_item_and_point_is_in_the_working_memo(translated_brief: Brief) -> None:
    text = _text(render(translated_brief, "working", "zh-TW"))
    for item in translated_brief.items:
        assert item.title.get("zh-TW") in text
        for point in item.points:
            assert point.text.get("zh-TW") in text


def test_leadership_has_one_line_per_item(translated_brief: Brief) -> None:
    doc = render(translated_brief, "leadership", "en")
    lists = [b for b in doc.blocks if isinstance(b, ir.OrderedList)]
    assert len(lists) == 1
    assert len(lists[0].items) == len(translated_brief.items) == 7
    headings = [ir.plain_text(b.children) for b in doc.blocks if isinstance(b, ir.Heading)]
    assert headings[1] == "Bottom line"  # first after the title


def test_untranslated_text_is_marked(translated_brief: Brief) -> None:
    brief = translated_brief.model_copy(deep=True)
    brief.topics = [
        Text(
            text={"zh-TW": "新議題", "en": "新議題"},
            via={"zh-TW": Via.SOURCE, "en": Via.UNTRANSLATED},
        )
    ]
    markup = render_markup(brief, "working", "en")
    assert (
        '<span class="untranslated-mark">[untranslated]</span> '
        '<span class="untranslated" lang="zh-TW">新議題</span>'
    ) in markup
    assert "passage" in markup


def test_article_text_cannot_inject_markup(translated_brief: Brief) -> None:
    brief = translated_brief.model_copy(deep=True)
    hostile = '</p><script>alert(1)</script><h1 class="title">x</h1>'
    brief.items[0].title = Text(
        text={"zh-TW": hostile, "en": hostile}, via={"zh-TW": Via.SOURCE, "en": Via.HUMAN}
    )
    doc = render(brief, "working", "en")
    assert hostile in _text(doc)
    assert sum(isinstance(b, ir.Heading) and b.level == 1 for b in doc.blocks) == 1


def test_user_template_overrides_and_errors_name_file_and_line(
    translated_brief: Brief, tmp_path: Path
) -> None:
    (tmp_path / "leadership.html.j2").write_text(
        '<meta name="title" content="Custom">\n<p>{{ brief.event.short_name }}</p>\n',
        encoding="utf-8",
    )
    doc = render(translated_brief, "leadership", "en", Settings(template_dirs=(tmp_path,)))
    assert doc.meta.title == "Custom" and _text(doc) == "EPPD"

    (tmp_path / "broken.html.j2").write_text("<p>\n{% if %}\n</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.html\.j2:2"):
        render(translated_brief, "broken", "en", Settings(template_dirs=(tmp_path,)))

    (tmp_path / "undef.html.j2").write_text(
        '<meta name="title" content="x">\n\n<p>{{ brief.nope.deeper }}</p>', encoding="utf-8"
    )
    with pytest.raises(TemplateError, match=r"undef\.html\.j2:3"):
        render(translated_brief, "undef", "en", Settings(template_dirs=(tmp_path,)))


def test_sandbox_blocks_python_internals(translated_brief: Brief, tmp_path: Path) -> None:
    (tmp_path / "evil.html.j2").write_text(
        '<meta name="title" content="x"><p>{{ brief.__class__.__mro__ }}'
        '{{ "".__class__.__subclasses__() }}</p>',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError):
        render(translated_brief, "evil", "en", Settings(template_dirs=(tmp_path,)))


def test_sample_english_memo_has_no_untranslated_passage_and_official_names(
    translated_brief: Brief,
) -> None:
    for audience in ("leadership", "working"):
        markup = render_markup(translated_brief, audience, "en")
        assert "[untranslated]" not in markup
    text = _text(render(translated_brief, "working", "en"))
    officials = {
        "Kung Ming-hsin": "Minister of Economic Affairs",
        "Jacob Helberg": "US Under Secretary of State for Economic Affairs",
        "Chen Ming-chi": "Deputy Minister of Foreign Affairs",  # as MOFA writes it
        "Isabel Hou": "Deputy Minister of Digital Affairs",
        "Liu Kuo-wei": "Political Deputy Minister of Education",
        "Chang Pei-zen": "President of the Industrial Technology Research Institute",
    }
    for name, title in officials.items():
        assert name in text and title in text
    for pinyin in ("Gong Mingxin", "Chen Mingqi", "Liu Guowei", "Zhang Peiren"):
        assert pinyin not in text


def test_press_lines_carry_nothing_internal(translated_brief: Brief) -> None:
    settings = Settings(classification="LIMITED", organisation="MOEA")
    markup = render_markup(translated_brief, "press", "en", settings)
    doc = render(translated_brief, "press", "en", settings)
    text = _text(doc)
    assert doc.meta.header == "MOEA"  # no classification marking
    assert "US Department of State, on Taiwan: “a vital partner” (via Reuters)" in text
    assert "Securing the AI supply chain" in text
    for internal in ("chars", "Translator", "Glossary", "untranslated", "[agreed"):
        assert internal not in markup


def test_gongwen_is_an_official_document_in_chinese_and_a_memo_in_english(
    translated_brief: Brief,
) -> None:
    office = OfficeSettings(unit="雙邊貿易一組|Division I", head="部長|Minister", date="2026-01-29")
    zh = _text(render(translated_brief, "gongwen", "zh-TW", Settings(office=office)))
    assert "主旨：陳報第6屆經濟繁榮夥伴對話（EPPD）會議成果一案，簽請鑒核。" in zh
    assert "說明：" in zh and "擬辦：" in zh and "受文者" not in zh
    assert "中華民國115年1月29日" in zh and "115年1月27日" in zh
    doc = render(translated_brief, "gongwen", "zh-TW")
    assert len([b for b in doc.blocks if isinstance(b, ir.OrderedList)]) == 2
    settings = Settings(organisation="MOEA", office=office)
    en = _text(render(translated_brief, "gongwen", "en", settings))
    for label in (
        "TO: Minister",
        "FROM: Division I",
        "DATE: January 29, 2026",
        "SUBJECT:",
        "DISCUSSION:",
        "RECOMMENDATION:",
    ):
        assert label in en
    plain = _text(render(translated_brief, "gongwen", "en", Settings(organisation="MOEA")))
    assert "FROM: MOEA" in plain


def test_runaway_and_enormous_templates_are_stopped(
    translated_brief: Brief, tmp_path: Path, monkeypatch
) -> None:
    import briefgen.render as render_module

    (tmp_path / "loop.html.j2").write_text(
        '<meta name="title" content="x">{% for i in range(100000) %}{% for j in range(100000) %}'
        "{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    (tmp_path / "huge.html.j2").write_text(
        '<meta name="title" content="x">{% for i in range(100000) %}<p>{{ "x" * 1000 }}</p>'
        "{% endfor %}",
        encoding="utf-8",
    )
    monkeypatch.setattr(render_module, "MAX_SECONDS", 0.5)
    with pytest.raises(TemplateError, match=r"loop\.html\.j2: rendering took longer than 0\.5 s"):
        render(translated_brief, "loop", "en", Settings(template_dirs=(tmp_path,)))
    with pytest.raises(TemplateError, match=r"huge\.html\.j2: the template produced more than"):
        render(translated_brief, "huge", "en", Settings(template_dirs=(tmp_path,)))
