"""extract.metadata: the publication date wherever the page's header puts it."""

from __future__ import annotations

from datetime import date

import pytest

from briefgen.extract.metadata import find_published

BODY = "雙方今天在台北舉行第三屆經貿對話，就供應鏈合作交換意見，並簽署合作備忘錄。" * 2


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (("1. Home", "2. News", "A headline of the page", "March 4, 2025", BODY), date(2025, 3, 4)),
        (("某某新聞網", "經貿對話登場", "  • 時間:2023-09-05 21:35", BODY), date(2023, 9, 5)),
        (("發布單位:綜規處發布日期:108-12-10 12:19", BODY), date(2019, 12, 10)),
        (("Back", "A headline", "13.12.2024", BODY), date(2024, 12, 13)),
        (
            ("Mumbai, January 13, 2024: The meeting of the forum was held in New Delhi.",),
            date(2024, 1, 13),
        ),
        (("(中央社記者王小明台北2023年12月22日電)台灣與加拿大今天簽署協議。",), date(2023, 12, 22)),
    ],
)
def test_date_line_in_the_header_region(paragraphs: tuple[str, ...], expected: date) -> None:
    assert find_published({}, paragraphs) == expected


def test_wire_dateline_takes_its_year_from_the_same_day_in_the_text() -> None:
    paragraphs = ("新华社北京11月30日电 两国总理于2021年11月30日以视频方式举行会晤。",)
    assert find_published({}, paragraphs) == date(2021, 11, 30)


def test_no_year_no_date() -> None:
    assert find_published({}, ("【某報7月10日報導】雙方今天簽署協定。", BODY)) is None


def test_a_date_inside_the_article_is_not_a_date_line() -> None:
    paragraphs = ("A headline", "1. On 27 October 2009, the ministers held a dialogue.", BODY)
    assert find_published({}, paragraphs) is None


def test_hint_wins() -> None:
    assert find_published({"dateline": "2026-01-28"}, ("March 4, 2025", BODY)) == date(2026, 1, 28)


def test_a_line_that_is_only_a_date_wins_over_a_headline_with_one() -> None:
    paragraphs = ("The 16th Economic Dialogue (November 1, 2022)", "November 4, 2022", BODY)
    assert find_published({}, paragraphs) == date(2022, 11, 4)
