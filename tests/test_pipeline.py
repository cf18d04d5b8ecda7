"""Pipeline rules that span stages: the leadership memo fits one page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from briefgen.model import AgendaItem, Brief, Point, Sentence, SignedDocument, Text
from briefgen.pipeline import pdf_pages, render_all
from briefgen.settings import Settings


def _long_brief(translated_brief: Brief) -> Brief:
    brief = translated_brief.model_copy(deep=True)
    zh = "雙方同意在各項領域深化合作，並持續推動相關計畫，以確保供應鏈安全與經濟繁榮。"
    brief.summary = [*brief.summary, Sentence(text=Text.of(zh * 3, "zh-TW"))]
    brief.items = [
        AgendaItem(
            number=n,
            title=Text.of(f"第{n}項議題：跨國供應鏈與數位合作之推動事項", "zh-TW"),
            points=[Point(text=Text.of(zh, "zh-TW"))],
        )
        for n in range(1, 15)
    ]
    brief.event.documents = [
        SignedDocument(name=Text.of(f"合作備忘錄第{n}號（關於數位貿易與投資）", "zh-TW"))
        for n in range(1, 7)
    ]
    brief.next_steps = [Sentence(text=Text.of(zh, "zh-TW")) for _ in range(4)]
    return brief


def test_leadership_is_shortened_by_rule_to_one_page(translated_brief: Brief) -> None:
    options = Settings(langs=("zh-TW",), audiences=("leadership", "working"), formats=("pdf",))
    artifacts = {a.name: a.data for a in render_all(_long_brief(translated_brief), options)}
    leadership = artifacts["eppd-6.leadership.zh-TW.pdf"]
    assert pdf_pages(leadership) == 1 == len(PdfReader(io.BytesIO(leadership)).pages)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(leadership)).pages)
    assert "為限一頁，以下內容從略" in text.replace("\n", "")
    assert pdf_pages(artifacts["eppd-6.working.zh-TW.pdf"]) > 1  # no limit there


def test_sample_leadership_needs_no_shortening(built: dict[str, bytes]) -> None:
    for lang in ("zh-TW", "en"):
        pdf = built[f"eppd-6.leadership.{lang}.pdf"]
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert pdf_pages(pdf) == 1
        assert "left out" not in text and "從略" not in text
