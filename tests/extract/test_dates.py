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
