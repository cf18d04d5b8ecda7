"""clean: page furniture is removed by pattern and position; the article is kept."""

from __future__ import annotations

import pytest

from briefgen.clean import clean
from briefgen.extract.metadata import read_metadata
from briefgen.ingest import Source, ingest_bytes

LEDE = "經濟部長龔明鑫與海柏格在華府舉行第6屆經濟繁榮夥伴對話，雙方同意持續深化合作。"
BODY = "外交部指出，雙方同意成立工作小組，並研議強化供應鏈安全。"
END = "台美雙方均認為本屆對話成果豐碩。"


def _clean(*lines: str) -> Source:
    return clean(ingest_bytes("\n".join(lines).encode("utf-8")))


def test_ordinary_sentences_are_kept() -> None:
    cleaned = _clean(LEDE, BODY, END)
    assert cleaned.paragraphs == (LEDE, BODY, END)
    assert cleaned.removed == ()
    assert dict(cleaned.hints) == {}


def test_short_subheading_in_the_body_is_kept() -> None:
    cleaned = _clean(LEDE, BODY, "EPPD迄今已舉行6次對話", END)
    assert cleaned.paragraphs == (LEDE, BODY, "EPPD迄今已舉行6次對話", END)


@pytest.mark.parametrize(
    "ad", ["廣告 廣告", "廣告", "我是廣告 請繼續往下閱讀", "請繼續往下閱讀", "ADVERTISEMENT"]
)
def test_advertising_lines(ad: str) -> None:
    cleaned = _clean(LEDE, ad, BODY)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (ad,)


def test_more_news_block_removes_marker_and_headlines_and_sets_outlet() -> None:
    headlines = (
        "登印尼《時代雜誌》 林佳龍點名中國：已成破壞印太和平主要來源",
        "與宏國邦交有望恢復？傳台灣官員受邀新總統就職 外交部1句給答案",
        "世局動盪「台灣仍屹立不搖」！賴清德曝經濟新局已開：絕不能走回路",
    )
    cleaned = _clean(LEDE, BODY, "更多民視新聞報導", *headlines)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == ("更多民視新聞報導", *headlines)
    assert cleaned.hints["outlet"] == "民視新聞"


def test_more_news_with_spaced_outlet() -> None:
    cleaned = _clean(LEDE, "更多 TVBS 新聞", "台美對話登場 雙方簽署聯合聲明")
    assert cleaned.paragraphs == (LEDE,)
    assert cleaned.hints["outlet"] == "TVBS"


def test_more_news_block_ends_at_a_sentence() -> None:
    cleaned = _clean(LEDE, "更多民視新聞報導", "台美對話登場 雙方簽署聯合聲明", END)
    assert cleaned.paragraphs == (LEDE, END)


def test_more_news_headlines_ending_with_question_or_exclamation_mark() -> None:
    # Regression: a headline ending in ？ used to stay in the body and end the block.
    cleaned = _clean(
        LEDE,
        "更多民視新聞報導",
        "川普再出招 台灣產業準備好了嗎？",
        "台美關係再升溫！",
        "外交部回應 雙方對話成果豐碩",
    )
    assert cleaned.paragraphs == (LEDE,)
    assert len(cleaned.removed) == 4


@pytest.mark.parametrize("marker", ["延伸閱讀", "相關新聞", "相關新聞：", "延伸閱讀："])
def test_related_reading_blocks(marker: str) -> None:
    headlines = ("台日半導體合作再深化 熊本二廠動工", "日本首相訪台傳聞 外交部回應")
    cleaned = _clean(LEDE, BODY, marker, *headlines)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (marker, *headlines)
    assert "outlet" not in cleaned.hints


def test_related_block_in_the_middle_then_article_resumes() -> None:
    cleaned = _clean(LEDE, "延伸閱讀", "台日半導體合作再深化 熊本二廠動工", BODY, END)
    assert cleaned.paragraphs == (LEDE, BODY, END)


def test_original_source_line_gives_column_and_headline() -> None:
    line = "原文出處：快新聞／台美第6屆EPPD完成實體對話 外交部：成果豐碩、深化經濟夥伴關係"
    cleaned = _clean(LEDE, BODY, line)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (line,)
    assert cleaned.hints["column"] == "快新聞"
    assert (
        cleaned.hints["headline"] == "台美第6屆EPPD完成實體對話 外交部：成果豐碩、深化經濟夥伴關係"
    )


def test_original_source_url_is_kept_as_original() -> None:
    cleaned = _clean(LEDE, "原文連結：https://www.ftvnews.com.tw/news/detail/2026128W0001")
    assert cleaned.paragraphs == (LEDE,)
    assert cleaned.hints["original"] == "https://www.ftvnews.com.tw/news/detail/2026128W0001"
    assert "headline" not in cleaned.hints


@pytest.mark.parametrize(
    "line",
    [
        "© 2026 民視新聞 版權所有",
        "本網站內容未經授權不得轉載",
        "Copyright © 2026 FTV News. All rights reserved.",
        "(c) 2026 Central News Agency",
        "著作權所有，未經許可不得轉載",
    ],
)
def test_copyright_lines(line: str) -> None:
    cleaned = _clean(LEDE, BODY, line)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (line,)


def test_article_sentence_about_copyright_protection_is_kept() -> None:
    # Regression: 著作權 anywhere in a short paragraph used to mark it as a copyright line.
    item = "四、智慧財產權：雙方同意加強著作權保護合作。"
    cleaned = _clean(LEDE, item, END)
    assert cleaned.paragraphs == (LEDE, item, END)


@pytest.mark.parametrize(
    "caption",
    [
        "▲經濟部長龔明鑫（左）與海柏格（右）會面。（圖／外交部提供）",
        "圖／翻攝自外交部臉書",
        "（圖／經濟部提供）",
        "照片：中央社",
    ],
)
def test_photo_captions(caption: str) -> None:
    cleaned = _clean(LEDE, caption, BODY)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (caption,)


@pytest.mark.parametrize("prompt", ["分享至 Facebook", "加入好友", "Follow us", "訂閱"])
def test_share_prompts(prompt: str) -> None:
    cleaned = _clean(LEDE, BODY, prompt)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (prompt,)


@pytest.mark.parametrize(
    "dateline",
    [
        " date 2026-01-28 即時中心／顏一軒報導",
        "2024/10/24 中央社記者王小明台北報導",
        "2026年1月28日 12:30",
        "中華民國115年1月28日",
    ],
)
def test_dateline_at_the_top(dateline: str) -> None:
    cleaned = _clean(dateline, LEDE, BODY)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert cleaned.removed == (dateline.strip(),)
    assert cleaned.hints["dateline"] == dateline.strip()


def test_dateline_after_an_ad_line_is_still_found() -> None:
    cleaned = _clean("廣告", "2026-01-28 即時中心／顏一軒報導", LEDE)
    assert cleaned.paragraphs == (LEDE,)
    assert cleaned.hints["dateline"] == "2026-01-28 即時中心／顏一軒報導"


def test_date_like_line_in_the_body_is_not_a_dateline() -> None:
    later = "2026-01-28 外交部補充說明"
    cleaned = _clean(LEDE, BODY, later)
    assert cleaned.paragraphs == (LEDE, BODY, later)
    assert "dateline" not in cleaned.hints


def test_separate_byline_line_keeps_the_author() -> None:
    # Regression: the byline line was removed without a hint, losing the author.
    cleaned = _clean("2026-01-28", "記者王小明／台北報導", LEDE)
    assert cleaned.paragraphs == (LEDE,)
    assert cleaned.hints["dateline"] == "2026-01-28"
    assert cleaned.hints["byline"] == "記者王小明／台北報導"
    assert read_metadata(cleaned.hints, cleaned.paragraphs).author == "王小明"


def test_byline_alone_at_the_top() -> None:
    cleaned = _clean("即時中心／顏一軒報導", LEDE, BODY)
    assert cleaned.paragraphs == (LEDE, BODY)
    assert dict(cleaned.hints) == {"byline": "即時中心／顏一軒報導"}
    meta = read_metadata(cleaned.hints, cleaned.paragraphs)
    assert (meta.desk, meta.author) == ("即時中心", "顏一軒")


def test_sample_article_furniture(sample_source: Source) -> None:
    assert sample_source.removed == (
        "date 2026-01-28 即時中心／顏一軒報導",
        "廣告 廣告",
        "原文出處：快新聞／台美第6屆EPPD完成實體對話 外交部：成果豐碩、深化經濟夥伴關係",
        "更多民視新聞報導",
        "登印尼《時代雜誌》 林佳龍點名中國：已成破壞印太和平主要來源",
        "與宏國邦交有望恢復？傳台灣官員受邀新總統就職 外交部1句給答案",
        "世局動盪「台灣仍屹立不搖」！賴清德曝經濟新局已開：絕不能走回路",
    )
    assert dict(sample_source.hints) == {
        "dateline": "date 2026-01-28 即時中心／顏一軒報導",
        "column": "快新聞",
        "headline": "台美第6屆EPPD完成實體對話 外交部：成果豐碩、深化經濟夥伴關係",
        "outlet": "民視新聞",
    }
    assert len(sample_source.paragraphs) == 16
    assert sample_source.paragraphs[-2] == "EPPD迄今已舉行6次對話"


@pytest.mark.parametrize(
    "banner",
    [
        "In order to ensure the highest quality of our services, we use small files called "
        "cookies. You can change the settings of your browser at any time.",
        "Content on this archived webpage is NOT UPDATED, and external links may not function.",
        "An official website of the United States government. Here's how you know",
        "(AGENPARL) – You are subscribed to Press Releases. This information has recently "
        "been updated, and is now available.",
        "Listen to this article with text-to-speech",
        "臺灣之音立刻下載官方APP",
    ],
)
def test_banners_at_the_top_are_furniture(banner: str) -> None:
    cleaned = _clean(banner, LEDE, BODY, END)
    assert cleaned.paragraphs == (LEDE, BODY, END)
    assert banner in cleaned.removed


@pytest.mark.parametrize(
    "line",
    ["发布时间:2024-10-31 18:27:07 来源: sp20241031", "November 4, 2022", "13.12.2024"],
)
def test_date_lines_in_the_header_are_furniture_and_the_dateline(line: str) -> None:
    cleaned = _clean("A headline of the page", "Some outlet", line, LEDE, BODY)
    assert line not in cleaned.paragraphs
    assert cleaned.hints["dateline"] == line


def test_footer_date_and_long_copyright_notice_are_furniture() -> None:
    notice = (
        "中证网声明:凡本网注明“来源:中国证券报·中证网”的所有作品,版权均属于中国证券报、中证网。"
        "任何组织未经中国证券报、中证网以及作者书面授权不得转载、摘编或利用其它方式使用上述作品。"
    )
    cleaned = _clean(LEDE, BODY, END, "商务部2021-8-27", notice)
    assert cleaned.paragraphs == (LEDE, BODY, END)


def test_a_banner_word_in_the_article_body_is_kept() -> None:
    middle = "雙方同意研議隱私權政策的跨境協作，並交換意見。"
    lines = (LEDE, BODY, END, END, END, END, END, END, middle, END, END, END, END)
    assert middle in _clean(*lines).paragraphs
