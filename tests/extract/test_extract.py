"""extract: the sample readout end to end, a different synthetic readout, and provenance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefgen.clean import clean
from briefgen.extract import NO_AGENDA_NOTICE, extract
from briefgen.extract.meeting import find_event, gloss_after
from briefgen.ingest import ingest_bytes, read_source
from briefgen.model import Brief, Span
from briefgen.translate.termbase import Termbase

SAMPLE_TITLES = [
    "確保AI供應鏈的安全",
    "數位基礎建設",
    "關鍵礦物供應鏈",
    "無人機供應鏈",
    "高科技人才培育",
    "台美在第三國合作",
    "雙邊經濟合作",
]

JAPAN_READOUT = (
    "\n\n".join(
        (  # a Taiwan-Japan readout: nothing in it is in the termbase
            "2025年10月24日 政治中心／林美玲報導",
            (
                "經濟部政務次長陳俊宏與日本經濟產業省審議官田中一郎昨（23）日在東京舉行"
                "第三屆「台日經濟夥伴對話」"
                "（Taiwan-Japan Economic Partnership Dialogue，TJEPD），"
                "雙方就半導體、氫能、中小企業及農產品貿易等議題深入交換意見。"
                "經濟部今（24）日表示，本屆對話聚焦產業鏈合作，成果務實。"
            ),
            "我是廣告 請繼續往下閱讀",
            "經濟部指出，會議重點如下：",
            "（一）半導體合作：雙方同意建立半導體人才交流平台，並研議共同設立研發中心。",
            "（二）氫能與淨零轉型：日方支持台灣參與區域氫能供應鏈，雙方將持續交換政策經驗。",
            "（三）中小企業：雙方同意協助中小企業拓展海外市場，以及推動新創企業媒合。",
            "（四）農產品貿易：雙方將探討簡化檢疫程序，另同意定期檢視市場准入進展。",
            "經濟部表示，下屆對話預計明年在台北舉行。",
            "▲經濟部政務次長陳俊宏（右）與田中一郎（左）握手。（圖／經濟部提供）",
            "延伸閱讀",
            "台日半導體合作再深化 熊本二廠動工",
            "日本首相訪台傳聞 外交部回應",
        )
    )
    + "\n"
)

NO_ENUMERATION = """\
2026/03/05 國際中心／陳大文報導
外交部長今（5）日在布魯塞爾與歐盟執委會官員舉行第二屆「台歐盟貿易與投資對話」，雙方同意持續深化半導體與綠能合作。
外交部表示，雙方也就經濟安全及供應鏈韌性交換意見，並同意明年在台北續辦對話。
"""


def _spans(brief: Brief) -> list[tuple[str, Span]]:
    """Every (zh-TW text, span) the brief claims comes from the source."""
    found: list[tuple[str, Span]] = []
    for sentence in brief.summary:
        assert sentence.source is not None
        found.append((sentence.text.get("zh-TW") or "", sentence.source))
    for item in brief.items:
        assert item.source is not None
        found.append((item.title.get("zh-TW") or "", item.source))
        for point in item.points:
            assert point.source is not None
            text = point.text.get("zh-TW") or ""
            assert text.startswith(point.carried or "")
            found.append((text[len(point.carried or "") :], point.source))
    return found


def _extract_text(text: str, termbase: Termbase, tmp_path: Path) -> Brief:
    path = tmp_path / "readout.txt"
    path.write_text(text, encoding="utf-8")
    return extract(clean(read_source(path)), termbase)


# --- the sample article -------------------------------------------------------------------


def test_sample_agenda(sample_brief: Brief) -> None:
    assert [item.number for item in sample_brief.items] == [1, 2, 3, 4, 5, 6, 7]
    assert [item.label for item in sample_brief.items] == [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、"
    ]  # fmt: skip
    assert [item.title.get("zh-TW") for item in sample_brief.items] == SAMPLE_TITLES
    assert all(item.points for item in sample_brief.items)
    assert sample_brief.notices == []


def test_sample_first_item_points(sample_brief: Brief) -> None:
    points = sample_brief.items[0].points
    assert [p.text.get("zh-TW") for p in points] == [
        "雙方同意共同盤點台美企業在AI科技堆疊套案及先進機器人的夥伴關係",
        "雙方研議提升供應鏈資安韌性合作",
        "雙方同意推動可信賴的正體中文語料庫在大型語言模型（LLM）的發展與應用，共同形塑多元開放特色的主權AI資料基礎",
        "雙方研議在第三國合作推動可信賴AI系統",
    ]
    assert [p.commitment.value for p in points] == ["agreed", "will_study", "agreed", "will_study"]
    assert [p.carried for p in points] == [None, "雙方", "雙方同意", "雙方"]


def test_sample_every_point_has_a_subject(sample_brief: Brief) -> None:
    """No point reads like an order: each starts with its actor (or carries it)."""
    for item in sample_brief.items:
        for point in item.points:
            assert point.actor is not None
            text = point.text.get("zh-TW") or ""
            assert (point.actor.get("zh-TW") or "") in text[:12], text


def test_sample_exchange_of_views_is_done_and_private_signing_is_not_the_meetings(
    sample_brief: Brief,
) -> None:
    item5 = sample_brief.items[4].points
    assert item5[-1].commitment.value == "done"
    assert "交換意見" in (item5[-1].text.get("zh-TW") or "")
    assert "signed" not in {p.commitment.value for p in sample_brief.items[3].points}
    timing = {d.name.get("zh-TW"): d.timing.value for d in sample_brief.event.documents}
    assert timing == {
        "矽盛世宣言及台美經濟安全合作聯合聲明": "at_meeting",
        "Green UAS授權評鑑及服務協議契約": "before",
    }


def test_sample_event(sample_brief: Brief) -> None:
    event = sample_brief.event
    assert event.round == 6
    assert event.short_name == "EPPD"
    assert event.date == date(2026, 1, 27)
    assert event.location is not None
    assert event.location.get("zh-TW") == "華府"
    assert event.name is not None
    assert event.name.get("zh-TW") == "經濟繁榮夥伴對話"


def test_sample_publication(sample_brief: Brief) -> None:
    source = sample_brief.source
    assert source.published == date(2026, 1, 28)
    assert source.language == "zh-TW"
    assert source.outlet is not None
    assert source.outlet.get("zh-TW") == "民視新聞"
    assert source.author is not None
    assert source.author.get("zh-TW") == "顏一軒"
    assert source.desk is not None
    assert source.desk.get("zh-TW") == "即時中心"
    assert source.headline is not None
    assert source.headline.get("zh-TW") == (
        "台美第6屆EPPD完成實體對話 外交部：成果豐碩、深化經濟夥伴關係"
    )


def test_sample_participants(sample_brief: Brief) -> None:
    people = {
        p.name.get("zh-TW"): (p.title.get("zh-TW") if p.title else None)
        for p in sample_brief.event.participants
    }
    assert people["龔明鑫"] == "經濟部長"
    assert people["海柏格"] == "美國國務院主管經濟事務的次卿"
    assert people["張培仁"] == "工業技術研究院院長"
    assert list(people)[:2] == ["龔明鑫", "海柏格"]
    paragraphs = sample_brief.source.paragraphs
    for person in sample_brief.event.participants:
        span = person.source
        assert span is not None
        title = person.title.get("zh-TW") if person.title else ""
        expected = f"{title}{person.name.get('zh-TW')}"
        assert paragraphs[span.paragraph][span.start : span.end] == expected


def test_sample_documents(sample_brief: Brief) -> None:
    names = [doc.name.get("zh-TW") for doc in sample_brief.event.documents]
    assert "矽盛世宣言及台美經濟安全合作聯合聲明" in names
    assert names.count("矽盛世宣言及台美經濟安全合作聯合聲明") == 1
    paragraphs = sample_brief.source.paragraphs
    for doc in sample_brief.event.documents:
        span = doc.source
        assert span is not None
        assert paragraphs[span.paragraph][span.start : span.end] == doc.name.get("zh-TW")


def test_sample_bottom_line(sample_brief: Brief) -> None:
    bottom = sample_brief.summary
    assert 2 <= len(bottom) <= 3
    first = sample_brief.source.paragraphs[0]
    assert all(s.source is not None and s.source.paragraph == 0 for s in bottom)
    assert bottom[0].text.get("zh-TW") is not None
    assert first.startswith(bottom[0].text.get("zh-TW") or "-")
    assert bottom[0].text.get("zh-TW").startswith("經濟部長龔明鑫與美國國務院")
    assert bottom[1].text.get("zh-TW") == (
        "對此，外交部今（28）日回應，台美雙方均認為本屆對話成果豐碩，"
        "期盼持續透過該機制深化各領域合作，共同增進人民福祉與經濟繁榮。"
    )


def test_sample_topics(sample_brief: Brief) -> None:
    assert [t.get("zh-TW") for t in sample_brief.topics] == [
        "人工智慧（AI）供應鏈",
        "數位基礎建設",
        "關鍵礦物",
        "無人機供應鏈",
        "高科技人才培育",
        "台美在第三國合作",
        "雙邊經濟合作",
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "廣告",
        "更多民視新聞報導",
        "原文出處",
        "即時中心／顏一軒報導",
        "林佳龍點名中國",
        "與宏國邦交有望恢復",
        "賴清德曝經濟新局已開",
    ],
)
def test_sample_has_no_furniture(sample_brief: Brief, furniture: str) -> None:
    assert all(furniture not in para for para in sample_brief.source.paragraphs)
    assert all(furniture not in text for text, _ in _spans(sample_brief))


def test_sample_provenance_is_exact(sample_brief: Brief) -> None:
    paragraphs = sample_brief.source.paragraphs
    spans = _spans(sample_brief)
    assert len(spans) == 2 + 7 + 19  # bottom line, titles, points
    for text, span in spans:
        assert text
        assert paragraphs[span.paragraph][span.start : span.end] == text


def test_sample_spans_survive_a_fresh_ingest(sample_path: Path, sample_brief: Brief) -> None:
    """The stored paragraphs are exactly the cleaned source, not a re-rendering of it."""
    assert tuple(sample_brief.source.paragraphs) == clean(read_source(sample_path)).paragraphs


# --- a different readout ------------------------------------------------------------------


def test_synthetic_japan_readout(termbase: Termbase, tmp_path: Path) -> None:
    brief = _extract_text(JAPAN_READOUT, termbase, tmp_path)
    assert [item.number for item in brief.items] == [1, 2, 3, 4]
    assert [item.label for item in brief.items] == ["（一）", "（二）", "（三）", "（四）"]
    assert [item.title.get("zh-TW") for item in brief.items] == [
        "半導體合作",
        "氫能與淨零轉型",
        "中小企業",
        "農產品貿易",
    ]
    assert brief.event.round == 3
    assert brief.event.date == date(2025, 10, 23)
    assert brief.event.name is not None
    assert brief.event.name.get("zh-TW") == "台日經濟夥伴對話"
    assert brief.event.location is not None
    assert brief.event.location.get("zh-TW") == "東京"
    assert brief.source.published == date(2025, 10, 24)
    assert brief.source.author is not None
    assert brief.source.author.get("zh-TW") == "林美玲"
    assert [p.name.get("zh-TW") for p in brief.event.participants] == ["陳俊宏", "田中一郎"]
    assert [s.source.paragraph for s in brief.summary if s.source] == [0, 0]
    assert brief.notices == []
    points = brief.items[0].points
    assert [p.text.get("zh-TW") for p in points] == [
        "雙方同意建立半導體人才交流平台",
        "雙方研議共同設立研發中心",
    ]
    assert [p.commitment.value for p in points] == ["agreed", "will_study"]
    for text, span in _spans(brief):
        assert brief.source.paragraphs[span.paragraph][span.start : span.end] == text
    assert all("延伸閱讀" not in p and "▲" not in p for p in brief.source.paragraphs)


def test_synthetic_japan_readout_short_name_from_gloss(termbase: Termbase, tmp_path: Path) -> None:
    brief = _extract_text(JAPAN_READOUT, termbase, tmp_path)
    assert brief.event.short_name == "TJEPD"


def test_gloss_after_and_find_event_without_termbase() -> None:
    para = (
        "雙方在東京舉行「台日經濟夥伴對話」（Taiwan-Japan Economic Partnership Dialogue，TJEPD）。"
    )
    end = para.index("」") + 1
    assert gloss_after(para, end) == "Taiwan-Japan Economic Partnership Dialogue，TJEPD"
    found, abbr = find_event((para,), Termbase())
    assert abbr == "TJEPD"
    assert found is not None
    assert found.gloss == "Taiwan-Japan Economic Partnership Dialogue"


def test_find_event_abbreviation_from_termbase(termbase: Termbase) -> None:
    para = "台美雙邊27日在華府舉行「經濟繁榮夥伴對話」，雙方同意持續合作。"
    found, abbr = find_event((para,), termbase)
    assert found is not None
    assert found.text == "經濟繁榮夥伴對話"
    assert para[found.start : found.end] == "經濟繁榮夥伴對話"
    assert abbr == "EPPD"


def test_no_enumeration_gives_empty_agenda_and_notice(termbase: Termbase) -> None:
    source = clean(ingest_bytes(NO_ENUMERATION.encode("utf-8"), name="eu.txt"))
    brief = extract(source, termbase)
    assert brief.items == []
    assert brief.notices == [NO_AGENDA_NOTICE] == ["no_agenda"]
    assert brief.event.round == 2
    assert brief.event.date == date(2026, 3, 5)
    assert brief.source.published == date(2026, 3, 5)
    assert brief.summary
    assert brief.summary[0].text.get("zh-TW").startswith("外交部長今（5）日在布魯塞爾")


def test_an_entry_with_nothing_in_it_is_no_item(termbase: Termbase, tmp_path: Path) -> None:
    text = "(1)一：龔明鑫表示，雙方同意深化合作。\n(2)一：\n(3)一：雙方同意成立工作小組。\n"
    brief = _extract_text(text, termbase, tmp_path)
    for item in brief.items:
        assert item.title is not None or item.points or item.items
