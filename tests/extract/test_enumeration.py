"""extract.enumeration: markers and agenda items from the article's own enumeration."""

from __future__ import annotations

import pytest

from briefgen.extract.enumeration import enumerated_paragraphs, find_items, marker_at

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


def test_item_without_separate_title_uses_first_clause() -> None:
    paras = (
        "第一，雙方同意強化供應鏈合作，並研議設立工作小組。",
        "第二，美方支持台灣參與國際組織。",
    )
    items = find_items(paras)
    assert [paras[p][a:b] for p, a, b in (item.title for item in items)] == [
        "雙方同意強化供應鏈合作",
        "美方支持台灣參與國際組織",
    ]
    assert items[0].body == [(0, 3, len(paras[0]))]


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
