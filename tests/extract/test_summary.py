"""extract.summary: the bottom line is the article's lede, never page furniture."""

from __future__ import annotations

from briefgen.extract.summary import article_sentences, is_credit, key_point_spans, lede_spans


def _lede(*paragraphs: str, skip: frozenset[int] = frozenset()) -> list[str]:
    return [paragraphs[p][a:b] for p, a, b in lede_spans(paragraphs, set(skip))]


def test_photo_caption_and_headline_are_not_the_lede() -> None:
    lede = _lede(
        "部長與署長共同主持「貿易對話」。（經濟部提供）",
        "Minister Attends the Dialogue and Issues a Joint Statement",
        "經濟部長本（12）月12日率團訪問布魯塞爾，共同主持貿易對話。",
        "雙方就經濟安全深入交流。",
    )
    assert lede == [
        "經濟部長本（12）月12日率團訪問布魯塞爾，共同主持貿易對話。",
        "雙方就經濟安全深入交流。",
    ]


def test_an_opening_dateline_or_byline_is_left_out() -> None:
    assert article_sentences("〔記者王小明/台北報導〕台英交流升溫。")[0] == (12, 19)
    para = "新华社伦敦6月11日电(记者谢希瑶 郑博非)副部长10日晚在伦敦说,双方进行了交流。"
    start, _ = article_sentences(para)[0]
    assert para[start:].startswith("副部长")
    para = "Tokyo, Nov. 22 (CNA) The conference concluded on Wednesday."
    assert para[slice(*article_sentences(para)[0])] == "The conference concluded on Wednesday."
    para = "Washington, D.C. – The Ambassador and the Minister met in Washington."
    assert para[slice(*article_sentences(para)[0])].startswith("The Ambassador")


def test_credits_are_not_sentences() -> None:
    assert is_credit("（經濟部提供）")
    assert is_credit("(示意圖/記者王照坤 攝)")
    assert not is_credit("（雙方同意成立工作小組）" + "並研議")


def test_a_statement_numbered_from_its_first_paragraph_has_a_lede() -> None:
    paras = ("1. On 27 October 2009, the ministers held the first dialogue. It went well.", "2. B.")
    assert _lede(*paras, skip=frozenset({0, 1})) == [
        "On 27 October 2009, the ministers held the first dialogue."
    ]


def test_footer_dates_are_not_key_points() -> None:
    paras = tuple(f"第{i}句是一個相當完整的句子，說明雙方合作的內容與成果。" for i in range(8))
    spans = key_point_spans((*paras, "商务部2021-8-27"), set())
    assert all(p < 8 for p, _, _ in spans)
