"""extract.meeting: the meeting's date from Chinese readouts."""

from __future__ import annotations

from datetime import date

from briefgen.extract.meeting import find_meeting_date


def test_statement_date_is_not_the_meeting_date() -> None:
    paras = ("經濟部15日表示，代表團出席展覽。", "次長14日在華沙與部長共同主持第5屆諮商會議。")
    assert find_meeting_date(paras, date(2025, 11, 15)) == date(2025, 11, 14)


def test_a_range_gives_its_first_day() -> None:
    paras = ("當地時間7月28日至29日，雙方在日內瓦舉行經貿會談。",)
    assert find_meeting_date(paras, date(2025, 8, 12)) == date(2025, 7, 28)


def test_a_visit_range_gives_way_to_the_meeting_day_inside_it() -> None:
    paras = (
        "11月10日至11日，副總理訪問新加坡，並同副總理共同主持聯委會會議。",
        "雙方回顧合作成果。",
        "11日，兩人共同主持四個合作機制會議。",
    )
    assert find_meeting_date(paras, date(2024, 11, 13)) == date(2024, 11, 11)


def test_an_unresolvable_date_in_the_meeting_sentence_means_unknown() -> None:
    paras = ("雙方今天在威靈頓正式簽署協定。", "雙方於2011年10月25日宣布完成研究。")
    assert find_meeting_date(paras, None) is None


def test_a_month_and_day_far_from_publication_is_not_read_in_its_year() -> None:
    paras = ("當地時間8月21日，兩國總理在莫斯科共同主持定期會晤。",)
    assert find_meeting_date(paras, date(2024, 11, 19)) is None


def test_the_year_of_a_full_date_in_the_text_dates_a_later_month_and_day() -> None:
    paras = (
        "一、總理於2024年6月15日至18日對該國進行正式訪問。",
        "二、在6月17日訪問首都期間，兩國總理舉行會談。",
    )
    assert find_meeting_date(paras, date(2024, 11, 19)) == date(2024, 6, 17)


def test_a_day_without_its_month_is_dated_by_the_same_day_written_in_full() -> None:
    paras = (
        "外交部指出，兩國於6日進行合作協議簽署儀式。",
        "部長表示，今(2023)年是雙方互設辦事處20週年。",
        "外交部說，雙方在6月6日共簽署5項協議。",
    )
    assert find_meeting_date(paras, None) == date(2023, 6, 6)


def test_english_meeting_verbs_include_taking_part() -> None:
    paras = ("On September 9, the Secretary will participate in the dialogue.",)
    from briefgen.extract.english import MEETING_VERB_RE

    assert find_meeting_date(paras, date(2021, 9, 8), MEETING_VERB_RE) == date(2021, 9, 9)


def test_a_quoted_event_name_is_kept_without_its_round() -> None:
    from briefgen.extract.meeting import find_event
    from briefgen.translate.termbase import Termbase

    found, _ = find_event(("部長共同主持「第23屆台巴經濟合作會議」。",), Termbase([]))
    assert found is not None and found.text == "台巴經濟合作會議"


def test_the_reports_own_dateline_is_not_the_meeting_date() -> None:
    paras = (
        "【某報2011年11月21日訊】(某社台北21日電)第9屆經濟合作會議獲得突破,雙方同意研究簽署協定。",
        "次長13日至19日率團,在以色列參加第9屆經濟合作會議。",
    )
    assert find_meeting_date(paras, date(2011, 11, 21)) == date(2011, 11, 13)
