"""extract.dates: datelines, absolute and relative dates, month and year roll-over."""

from __future__ import annotations

from datetime import date

import pytest

from briefgen.extract.dates import DateMention, find_dates, parse_dateline, resolve_day

PUBLISHED = date(2026, 1, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2026-01-28 即時中心／顏一軒報導", date(2026, 1, 28)),
        ("2024/10/24 中央社記者王小明台北報導", date(2024, 10, 24)),
        ("2026年1月28日 12:30", date(2026, 1, 28)),
        ("中華民國115年1月28日", date(2026, 1, 28)),
        ("民國 115 年 1 月 28 日", date(2026, 1, 28)),
        ("115.1.28", date(2026, 1, 28)),
        ("January 28, 2026", date(2026, 1, 28)),
        ("Washington, January 27 2026 (Reuters)", date(2026, 1, 27)),
    ],
)
def test_parse_dateline(text: str, expected: date) -> None:
    assert parse_dateline(text) == expected


def test_parse_dateline_first_date_wins() -> None:
    assert parse_dateline("更新 2026/01/29；原刊 2026年1月28日") == date(2026, 1, 29)
    assert parse_dateline("原刊 2026年1月28日；更新 2026/01/29") == date(2026, 1, 28)


@pytest.mark.parametrize("text", ["即時中心／顏一軒報導", "2026-02-30", "第6屆", "3.5%"])
def test_parse_dateline_none(text: str) -> None:
    assert parse_dateline(text) is None


def test_today_in_parentheses() -> None:
    text = "外交部今（28）日回應"
    assert find_dates(text, PUBLISHED) == [
        DateMention(date(2026, 1, 28), text.index("今"), text.index("回"))
    ]


def test_yesterday_in_parentheses() -> None:
    text = "雙方昨（23）日在東京舉行會談"
    [mention] = find_dates(text, date(2025, 10, 24))
    assert mention.value == date(2025, 10, 23)
    assert text[mention.start : mention.end] == "昨（23）日"


def test_local_time_day() -> None:
    text = "在當地時間27日完成第6屆對話"
    [mention] = find_dates(text, PUBLISHED)
    assert mention.value == date(2026, 1, 27)
    assert text[mention.start : mention.end] == "27日"


def test_month_and_day() -> None:
    text = "台美雙方1月27日在華府舉行對話"
    [mention] = find_dates(text, PUBLISHED)
    assert mention.value == date(2026, 1, 27)
    assert text[mention.start : mention.end] == "1月27日"


def test_full_date_is_one_mention_and_needs_no_publication_date() -> None:
    text = "2026年1月27日舉行"
    assert find_dates(text, None) == [DateMention(date(2026, 1, 27), 0, 10)]
    assert find_dates(text, PUBLISHED) == [DateMention(date(2026, 1, 27), 0, 10)]


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("外交部今（28）日回應，雙方27日會面", None) == []


def test_several_dates_in_order() -> None:
    text = "雙方27日會面，外交部今（28）日回應，下次對話訂於2月3日"
    values = [m.value for m in find_dates(text, PUBLISHED)]
    assert values == [date(2026, 1, 27), date(2026, 1, 28), date(2026, 2, 3)]


def test_year_is_not_a_day() -> None:
    assert find_dates("自2020年首屆對話以來", PUBLISHED) == []


def test_month_roll_over() -> None:
    published = date(2026, 3, 1)
    assert resolve_day(28, published) == date(2026, 2, 28)
    [mention] = find_dates("雙方28日會面", published)
    assert mention.value == date(2026, 2, 28)


def test_month_roll_over_skips_short_month() -> None:
    assert resolve_day(30, date(2026, 3, 1)) == date(2026, 1, 30)


def test_year_roll_over() -> None:
    published = date(2026, 1, 2)
    [mention] = find_dates("雙方12月30日會面", published)
    assert mention.value == date(2025, 12, 30)
    assert resolve_day(30, published) == date(2025, 12, 30)
    assert resolve_day(30, published, month=12) == date(2025, 12, 30)


def test_announced_date_a_few_days_ahead_with_month() -> None:
    assert resolve_day(30, PUBLISHED, month=1) == date(2026, 1, 30)
    assert resolve_day(3, PUBLISHED, month=2) == date(2026, 2, 3)


def test_same_day() -> None:
    assert resolve_day(28, PUBLISHED) == PUBLISHED


def test_tomorrow_in_parentheses() -> None:
    [mention] = find_dates("雙方將於明（29）日舉行會談", PUBLISHED)
    assert mention.value == date(2026, 1, 29)


def test_word_forms() -> None:
    values = [m.value for m in find_dates("今天會談，昨天抵達，明天返國", PUBLISHED)]
    assert values == [date(2026, 1, 28), date(2026, 1, 27), date(2026, 1, 29)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發布日期:108-12-10 12:19", date(2019, 12, 10)),
        ("113年04月02日", date(2024, 4, 2)),
        ("13.12.2024", date(2024, 12, 13)),
        ("03/07/2025 10:05 AM", date(2025, 3, 7)),
        ("25/07/2025", date(2025, 7, 25)),
        ("Published 11 January 2025", date(2025, 1, 11)),
        ("发布时间：2025-05-12 08:00", date(2025, 5, 12)),
        ("2015.12.06", date(2015, 12, 6)),
    ],
)
def test_parse_dateline_other_forms(text: str, expected: date) -> None:
    assert parse_dateline(text) == expected


def test_range_is_one_mention_from_its_first_day() -> None:
    text = "雙方7月28日至29日在日內瓦舉行會談"
    [mention] = find_dates(text, date(2025, 8, 12))
    assert (mention.value, mention.last) == (date(2025, 7, 28), date(2025, 7, 29))
    assert text[mention.start : mention.end] == "7月28日至29日"


def test_range_across_months_and_in_english() -> None:
    [zh] = find_dates("2025年6月30日至7月2日", None)
    assert (zh.value, zh.last, zh.explicit) == (date(2025, 6, 30), date(2025, 7, 2), True)
    [en] = find_dates("On December 12-13, a delegation visited", date(2024, 12, 13))
    assert (en.value, en.last) == (date(2024, 12, 12), date(2024, 12, 13))


def test_month_named_in_brackets_and_day_in_brackets() -> None:
    published = date(2025, 12, 13)
    [this_month] = find_dates("部長本（12）月12日率團", published)
    assert this_month.value == date(2025, 12, 12)
    [today] = find_dates("會議今(5日)召開", date(2023, 9, 5))
    assert today.value == date(2023, 9, 5)
    [this_day] = find_dates("於本(10)日召開", date(2019, 12, 10))
    assert this_day.value == date(2019, 12, 10)


def test_weekdays_resolve_to_the_last_one_on_or_before_publication() -> None:
    wednesday = date(2017, 11, 22)
    [en] = find_dates("The conference concluded on Wednesday", wednesday)
    assert en.value == wednesday
    [zh] = find_dates("雙方週一舉行會談", wednesday)
    assert zh.value == date(2017, 11, 20)


def test_day_month_without_year() -> None:
    [mention] = find_dates("held on 15 September in Beijing", date(2017, 9, 16))
    assert mention.value == date(2017, 9, 15)


def test_dates_at_the_edges_of_the_calendar_do_not_overflow() -> None:
    assert find_dates("雙方上週三會面，明天返國", date(1, 1, 3)) is not None
    assert find_dates("今天會談，明（1）日返國", date(9999, 12, 31)) is not None


def test_bare_yesterday_before_a_place() -> None:
    [mention] = find_dates("兩人昨在台北正式簽署協議", date(2025, 12, 5))
    assert mention.value == date(2025, 12, 4)
    assert find_dates("今年雙方貿易額成長", date(2025, 12, 5)) == []


def test_english_day_range_before_the_month() -> None:
    [mention] = find_dates("gathered in Canberra on 6-7 November 1989 to discuss", None)
    assert (mention.value, mention.last) == (date(1989, 11, 6), date(1989, 11, 7))


def test_this_year_named_in_brackets() -> None:
    [mention] = find_dates("於今(2025)年1月14日至16日在東京舉行", None)
    assert (mention.value, mention.last, mention.explicit) == (
        date(2025, 1, 14),
        date(2025, 1, 16),
        True,
    )
