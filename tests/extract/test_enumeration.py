"""extract.enumeration: markers and agenda items from the article's own enumeration."""

from __future__ import annotations

import pytest

from briefgen.extract.enumeration import (
    enumerated_paragraphs,
    find_items,
    furniture_paragraphs,
    inline_markers,
    marker_at,
    markers_at,
)

TOPICS = (
    "供應鏈安全",
    "數位基礎建設",
    "關鍵礦物",
    "無人機",
    "人才培育",
    "第三國合作",
    "投資審查",
    "能源轉型",
    "農業合作",
)


@pytest.mark.parametrize(
    ("para", "style", "number", "label"),
    [
        ("一、供應鏈安全：雙方同意。", "cn", 1, "一、"),
        ("十二、能源：雙方同意。", "cn", 12, "十二、"),
        ("（一）供應鏈安全", "cn-paren", 1, "（一）"),
        ("(三)供應鏈安全", "cn-paren", 3, "(三)"),
        ("第一，雙方同意合作。", "cn-ordinal", 1, "第一，"),
        ("第二點：雙方同意合作。", "cn-ordinal", 2, "第二點："),
        ("1. 供應鏈安全", "arabic", 1, "1."),
        ("1.供應鏈安全", "arabic", 1, "1."),
        ("1、供應鏈安全", "arabic", 1, "1、"),
        ("10．供應鏈安全", "arabic", 10, "10．"),
        ("(1)供應鏈安全", "arabic-paren", 1, "(1)"),
        ("（2）供應鏈安全", "arabic-paren", 2, "（2）"),
        ("3) 供應鏈安全", "arabic-half-paren", 3, "3)"),
        ("①供應鏈安全", "circled", 1, "①"),
        ("⑫供應鏈安全", "circled", 12, "⑫"),
    ],
)
def test_marker_at(para: str, style: str, number: int, label: str) -> None:
    marker = marker_at(para)
    assert marker is not None
    assert (marker.style, marker.number, marker.label) == (style, number, label)
    assert para[marker.end :].startswith(("供應鏈安全", "雙方同意", "能源"))


@pytest.mark.parametrize(
    "para",
    [
        "2020年首屆EPPD召開，雙方同意。",
        "12月雙方再度會面。",
        "1.5億美元的投資。",
        "3.5%的成長。",
        "第一屆會議在台北舉行。",
        "一、",
        "一些官員出席。",
        "雙方同意。",
    ],
)
def test_no_marker(para: str) -> None:
    assert marker_at(para) is None


def test_nine_arabic_items_with_titles() -> None:
    paras = (
        "台美雙方27日舉行對話，會議重點如下：",
        *(f"{n}. {topic}：雙方同意就{topic}加強合作。" for n, topic in enumerate(TOPICS, 1)),
        "外交部表示，下屆對話將於明年舉行。",
    )
    items = find_items(paras)
    assert [item.number for item in items] == list(range(1, 10))
    assert [item.label for item in items] == [f"{n}." for n in range(1, 10)]
    titles = [paras[p][a:b] for p, a, b in (item.title for item in items)]
    assert titles == list(TOPICS)
    for item, topic in zip(items, TOPICS, strict=True):
        [(p, a, b)] = item.body
        assert paras[p][a:b] == f"雙方同意就{topic}加強合作。"
    assert enumerated_paragraphs(items) == set(range(1, 10))


def test_year_at_paragraph_start_is_not_an_item() -> None:
    paras = (
        "會議重點如下：",
        "1. 供應鏈安全：雙方同意加強合作。",
        "2020年雙方首度召開對話，迄今已舉行六輪。",
        "2. 數位基礎建設：美國支持台灣。",
        "3. 關鍵礦物：雙方同意強化合作。",
    )
    items = find_items(paras)
    assert [(item.number, item.title[0]) for item in items] == [(1, 1), (2, 3), (3, 4)]


def test_title_lines_followed_by_body_paragraphs() -> None:
    paras = (
        "經濟部指出，本次對話重點如下：",
        "（一）半導體合作",
        "雙方同意建立半導體人才交流平台。",
        "日方支持台灣參與區域供應鏈。",
        "（二）氫能與淨零轉型",
        "雙方將持續交換政策經驗。",
        "（三）中小企業",
        "雙方同意協助中小企業拓展海外市場。",
    )
    items = find_items(paras)
    assert [item.number for item in items] == [1, 2, 3]
    assert [item.label for item in items] == ["（一）", "（二）", "（三）"]
    assert [paras[p][a:b] for p, a, b in (item.title for item in items)] == [
        "半導體合作",
        "氫能與淨零轉型",
        "中小企業",
    ]
    assert [item.body for item in items] == [
        [(2, 0, len(paras[2])), (3, 0, len(paras[3]))],
        [(5, 0, len(paras[5]))],
        [(7, 0, len(paras[7]))],
    ]


def test_title_lines_ending_with_colon_keep_their_body() -> None:
    paras = (
        "會議重點如下：",
        "一、供應鏈安全：",
        "雙方同意強化合作。",
        "二、數位貿易：",
        "雙方同意持續對話。",
    )
    items = find_items(paras)
    assert [paras[p][a:b] for p, a, b in (item.title for item in items)] == [
        "供應鏈安全",
        "數位貿易",
    ]
    assert [item.body for item in items] == [[(2, 0, 9)], [(4, 0, 9)]]


def test_item_that_is_a_sentence_has_no_title() -> None:
    paras = (
        "第一，雙方同意強化供應鏈合作，並研議設立工作小組。",
        "第二，美方支持台灣參與國際組織。",
    )
    items = find_items(paras)
    assert [item.title for item in items] == [None, None]
    assert items[0].body == [(0, 3, len(paras[0]))]
    assert [paras[p][a:b] for p, a, b in (item.where for item in items)] == [
        "雙方同意強化供應鏈合作，並研議設立工作小組。",
        "美方支持台灣參與國際組織。",
    ]


def test_longest_run_wins() -> None:
    paras = (
        "1. 前言：雙方會面。",
        "2. 背景：雙方交流。",
        "一、供應鏈：雙方同意。",
        "二、能源：雙方同意。",
        "三、人才：雙方同意。",
    )
    items = find_items(paras)
    assert [item.label for item in items] == ["一、", "二、", "三、"]


def test_no_enumeration() -> None:
    paras = (
        "台美雙方27日在華府舉行對話，雙方同意持續合作。",
        "外交部表示，本屆對話成果豐碩。",
        "2020年首屆對話召開以來，雙方已舉行六輪對話。",
    )
    assert find_items(paras) == []
    assert enumerated_paragraphs([]) == set()


def test_a_single_item_is_not_an_agenda() -> None:
    assert find_items(("一、供應鏈：雙方同意合作。", "雙方也交換意見。")) == []


# --- markers inside a paragraph, entries without a title, lists that are not the agenda


def _titles(paras: tuple[str, ...]) -> list[str | None]:
    return [
        None if item.title is None else paras[item.title[0]][item.title[1] : item.title[2]]
        for item in find_items(paras)
    ]


def _entries(paras: tuple[str, ...]) -> list[str]:
    return [paras[p][a:b] for p, a, b in (item.where for item in find_items(paras))]


@pytest.mark.parametrize(
    ("para", "style", "number", "label"),
    [
        ("第一是雙方同意合作。", "cn-ordinal", 1, "第一是"),
        ("首先，雙方同意合作。", "cn-ordinal", 1, "首先，"),
        ("(iv) Energy security", "roman-paren", 4, "(iv)"),
        ("0.2 Energy security", "decimal:0", 2, "0.2"),
        ("二 雙方同意合作。", "cn-bare", 2, "二"),
    ],
)
def test_more_markers_at(para: str, style: str, number: int, label: str) -> None:
    assert (style, number, label) in [(m.style, m.number, m.label) for m in markers_at(para)]


def test_i_is_both_a_letter_and_a_roman_numeral() -> None:
    assert {(m.style, m.number) for m in markers_at("(i) Energy")} == {
        ("latin-paren", 9),
        ("roman-paren", 1),
    }


@pytest.mark.parametrize(
    "para", ["1. 、", "（一）：", "第一次會議在台北舉行。", "1.5 million tons"]
)
def test_still_no_marker(para: str) -> None:
    assert marker_at(para) is None


def test_markers_inside_a_paragraph_follow_a_break() -> None:
    assert [m.label for m in inline_markers("議題如下：(1)能源；(2)農業。")] == ["(1)", "(2)"]
    assert [m.label for m in inline_markers("Topics: 1. energy; 2. farming.")] == ["1.", "2."]
    assert inline_markers("經濟部今(3)日表示，雙方昨（2）日會面。") == []
    assert inline_markers("漁獲量成長1.5%，居第二大市場，version 2. Next") == []


def test_inline_parenthesised_topics_in_one_sentence() -> None:
    paras = (
        "兩國部長就三項議題交換意見：(1)離岸風電合作；(2)農產品檢疫；(3)青年交流，會後並見證備忘錄簽署。",
        "雙方同意明年續辦。",
    )
    items = find_items(paras)
    assert [item.label for item in items] == ["(1)", "(2)", "(3)"]
    assert _titles(paras) == ["離岸風電合作", "農產品檢疫", "青年交流"]
    # The paragraph holding the list is still the article's own (its lede, say).
    assert enumerated_paragraphs(items) == set()


def test_inline_parenthesised_commitments_have_no_title() -> None:
    paras = (
        "聯合聲明指出：（一）雙方將於年底前完成冷鏈物流標準的相互承認，並設立聯絡窗口；"
        "（二）雙方同意擴大青年交流名額，每年互派五百名學生；（三）雙方將在明年舉行下一次會議。",
    )
    assert _titles(paras) == [None, None, None]
    assert _entries(paras) == [
        "雙方將於年底前完成冷鏈物流標準的相互承認，並設立聯絡窗口",
        "雙方同意擴大青年交流名額，每年互派五百名學生",
        "雙方將在明年舉行下一次會議。",
    ]
    assert [len(item.body) for item in find_items(paras)] == [1, 1, 1]


def test_ordinals_inside_and_at_the_start_of_paragraphs() -> None:
    paras = (
        "分析人士指出，這份協議有三個看點，第一是雙方首次在部會層級簽字，象徵意義明顯。",
        "第二，關稅稅率低於其他鄰國，出口業者可望受惠，不少公會已表示歡迎。",
        "第三，投資由企業自主決定，政府不設額度，也不要求分配利潤。",
        "表一 各國條件比較",
    )
    items = find_items(paras)
    assert [item.label for item in items] == ["第一是", "第二，", "第三，"]
    assert _titles(paras) == [None, None, None]
    assert [item.body for item in items][1:] == [[(1, 3, len(paras[1]))], [(2, 3, len(paras[2]))]]


def test_inline_chinese_numerals_after_a_colon() -> None:
    paras = ("會議重點包括：一、漁業資源管理；二、智慧農業；三、青年交流。雙方同意明年續辦。",)
    assert _titles(paras) == ["漁業資源管理", "智慧農業", "青年交流"]
    assert find_items(("第一、二屆會議分別在台北與東京舉行。",)) == []


def test_one_two_three_shi_are_statements() -> None:
    paras = ("部長提出三點建議：一是加強政策溝通；二是擴大相互投資；三是推動人文交流。",)
    assert [item.label for item in find_items(paras)] == ["一是", "二是", "三是"]
    assert _titles(paras) == [None, None, None]


def test_a_subject_and_its_verb_make_a_statement_not_a_title() -> None:
    paras = ("本次對話三大成果：(1)雙方同意成立工作小組；(2)美方支持台灣參與；(3)雙方將擴大交流。",)
    assert _titles(paras) == [None, None, None]
    paras = ("Outcomes: (a) the sides agreed to meet; (b) officials will draft a plan.",)
    assert _titles(paras) == [None, None]


def test_first_then_second() -> None:
    paras = (
        "部長強調兩點：首先，供應鏈必須分散風險，不能集中單一市場。第二，人才培育需要長期投入。",
    )
    assert [item.label for item in find_items(paras)] == ["首先，", "第二，"]
    assert _titles(paras) == [None, None]


def test_roman_numerals_in_an_english_sentence() -> None:
    paras = (
        "The delegations reviewed four work streams, namely (i) Digital Trade, (ii) Customs "
        "and Trade Facilitation, (iii) Standards, and (iv) Small Business Exports.  They "
        "agreed to report back in the spring.",
    )
    items = find_items(paras)
    assert [item.number for item in items] == [1, 2, 3, 4]
    assert _titles(paras) == [
        "Digital Trade",
        "Customs and Trade Facilitation",
        "Standards",
        "Small Business Exports",
    ]


def test_bare_numerals_mark_sections_of_a_one_line_text() -> None:
    paras = (
        "新華社電 兩國政府聯合公報全文如下。 "
        "一 雙方回顧了建交以來的合作成果。雙方同意保持高層往來。 "
        "二 雙方同意擴大貿易規模，推動電子商務合作。雙方歡迎簽署海關合作文件。",
    )
    items = find_items(paras)
    assert [item.label for item in items] == ["一", "二"]
    assert _titles(paras) == [None, None]
    assert _entries(paras)[1].startswith("雙方同意擴大貿易規模")
    assert _entries(paras)[1].endswith("雙方歡迎簽署海關合作文件。")


def test_numbered_sentences_have_no_title() -> None:
    paras = (
        "Joint Statement",
        "1. On 4 March 2024, the trade ministers of the two countries met in Oslo for their "
        "annual dialogue.",
        "2. The Ministers welcomed the growth of two-way trade in seafood and machinery.",
        "3. The Ministers agreed to meet again next year.",
    )
    items = find_items(paras)
    assert [item.title for item in items] == [None, None, None]
    assert _entries(paras)[2] == "The Ministers agreed to meet again next year."
    assert items[2].body == [(3, 3, len(paras[3]))]


def test_numbered_chinese_paragraphs_have_no_title() -> None:
    paras = (
        "一、兩國外長於三月四日在河內舉行第五次戰略對話。",
        "二、雙方同意加強海上搜救合作，並建立聯絡機制。",
        "三、雙方同意下次對話在台北舉行",
    )
    assert _titles(paras) == [None, None, None]


def test_statement_whose_first_paragraph_is_not_numbered() -> None:
    paras = (
        "The fourth meeting of the Joint Economic Committee was held in Lima on 2 May 2024.",
        "2. The Ministers noted the progress made since the last meeting.",
        "3. The Ministers agreed to expand cooperation on critical minerals.",
        "4. The Ministers agreed to hold the next meeting in 2025.",
    )
    assert [item.number for item in find_items(paras)] == [2, 3, 4]


def test_hard_wrapped_numbered_paragraphs() -> None:
    paras = (
        "1. The two sides reviewed the implementation of the fisheries arrangement and",
        "agreed to extend it for another three years.",
        "2. The two sides welcomed the opening of a new direct flight between their",
        "capitals.",
    )
    items = find_items(paras)
    assert [item.title for item in items] == [None, None]
    assert [[p for p, _, _ in item.body] for item in items] == [[0, 1], [2, 3]]


def test_phrases_one_per_line_lose_their_separators() -> None:
    paras = (
        "The partnership rests on three goals:",
        "1. cleaner energy;",
        "2. Resilient supply chains for medical products; and",
        "3. Skills for the digital economy.",
        "Officials will report on each goal next year.",
    )
    assert _titles(paras) == [
        "cleaner energy",
        "Resilient supply chains for medical products",
        "Skills for the digital economy",
    ]


def test_a_long_phrase_among_titles_is_a_title() -> None:
    paras = (
        "The ministers discussed two topics:",
        "(1) Trade",
        "(2) Strengthening cooperation on critical and emerging technologies and on export "
        "controls",
    )
    assert _titles(paras) == [
        "Trade",
        "Strengthening cooperation on critical and emerging technologies and on export controls",
    ]


def test_breadcrumbs_are_not_an_agenda() -> None:
    paras = (
        "1. Home",
        "2. Press",
        "3. 2024",
        "4. Minister Attends the Trade Dialogue with Chile",
        "Minister Attends the Trade Dialogue with Chile",
        "The Minister attended the third Trade Dialogue in Santiago on 3 May. The two sides "
        "discussed fisheries and mining.",
    )
    assert find_items(paras) == []
    assert furniture_paragraphs(paras) == {0, 1, 2, 3}


def test_page_metadata_bullets_are_not_an_agenda() -> None:
    paras = (
        "台越農業合作會議登場",
        "• 時間:2024-05-03 10:20",
        "• 新聞來源:本台",
        "• 編輯:王小明",
        "第三屆台越農業合作會議今天在台北登場，雙方就稻米育種交換意見。",
    )
    assert find_items(paras) == []


def test_key_value_lines_are_metadata_anywhere() -> None:
    paras = (
        "第三屆台越農業合作會議今天在台北登場，雙方就稻米育種交換意見。",
        "1. 地點:台北",
        "2. 主辦:農業部",
        "雙方同意明年續辦。",
    )
    assert find_items(paras) == []


def test_a_chronology_of_past_milestones_is_not_an_agenda() -> None:
    paras = (
        "The two sides welcomed what had been achieved since the last meeting. Milestones:",
        "• Entry into force of the investment treaty (March 2022)",
        "• First meeting of the joint customs committee on 5 June 2022",
        "• Launch of a direct shipping route (January 2023)",
        "The ministers then discussed the year ahead.",
    )
    assert find_items(paras) == []


def test_related_links_after_the_article_are_not_an_agenda() -> None:
    paras = (
        "雙方部長今天在台北舉行會談，同意擴大投資合作。",
        "延伸閱讀",
        "1. 台日經貿會議登場",
        "2. 部長出訪中東歐",
        "3. 出口統計創新高",
    )
    assert find_items(paras) == []


def test_one_item_after_an_announcement_when_the_text_is_cut() -> None:
    paras = (
        "雙方同意於本月底前採取以下措施：",
        "一、甲方將暫停對乙方商品加徵關稅九十天，並持續",
    )
    items = find_items(paras)
    assert [(item.number, item.title) for item in items] == [(1, None)]


def test_unnumbered_headings_after_an_announcement() -> None:
    paras = (
        "The two ministers launched the following three work streams:",
        "Clean Energy Transition",
        "The two sides will share data on grid integration of renewables.",
        "Critical Minerals",
        "The two sides will map processing capacity in both countries.",
        "Skills",
        "The two sides will fund exchanges for technicians.",
        "Ministers will meet again next year.",
    )
    items = find_items(paras)
    assert _titles(paras) == ["Clean Energy Transition", "Critical Minerals", "Skills"]
    assert items[2].body == [(6, 0, len(paras[6]))]


def test_topics_listed_then_repeated_as_headings_count_once() -> None:
    paras = (
        "The ministers discussed two topics:",
        "(1) Trade Rules",
        "(2) Economic Security",
        "(1) Trade Rules",
        "The ministers agreed to work together at the WTO.",
        "(2) Economic Security",
        "The ministers agreed to coordinate export controls.",
    )
    items = find_items(paras)
    assert _titles(paras) == ["Trade Rules", "Economic Security"]
    assert [item.body for item in items] == [[(4, 0, len(paras[4]))], [(6, 0, len(paras[6]))]]


def test_bullets_under_a_heading_item_are_its_sub_items() -> None:
    paras = (
        "1.1 Fact sheet: outcomes of the dialogue",
        "The two sides agreed on the following outcomes.",
        "1.2 Financial services",
        "The two sides agreed to deepen cooperation. Outcomes include:",
        "• Welcoming new licences for insurers.",
        "• Commitment to share supervisory data.",
    )
    items = find_items(paras)
    assert _titles(paras) == ["Fact sheet", "Financial services"]
    assert [child.title for child in items[1].children] == [None, None]


def test_a_marker_alone_on_its_line() -> None:
    paras = (
        "The meeting covered three agenda items :",
        "-",
        "Regional Economic Developments",
        "-",
        "Trade Liberalisation - The Role of the Region; and",
        "-",
        "Next Steps.",
        "Ministers expressed satisfaction with the discussions.",
    )
    assert _titles(paras) == [
        "Regional Economic Developments",
        "Trade Liberalisation - The Role of the Region",
        "Next Steps",
    ]


def test_extraction_stays_fast_on_long_inputs() -> None:
    import time

    block = (
        "一、議題：雙方同意合作(1)甲；(2)乙。",
        "• bullet (a) x, (b) y",
        "（一）標題",
        "雙方同意就供應鏈加強合作，並研議設立工作小組。",
    )
    started = time.perf_counter()
    find_items(block * 2000)
    assert time.perf_counter() - started < 10
