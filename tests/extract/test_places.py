"""extract.places and the round finders: where the meeting was held, and which round."""

from __future__ import annotations

from datetime import date

import pytest

from briefgen.extract.english import find_round as find_round_en
from briefgen.extract.meeting import find_round
from briefgen.extract.places import find_place_en, find_place_zh
from briefgen.translate.termbase import Termbase

NO_TERMS = Termbase([])


def _zh(*paragraphs: str, when: date | None = None) -> str | None:
    found = find_place_zh(paragraphs, NO_TERMS, when)
    return paragraphs[found[0]][found[1] : found[2]] if found else None


def _en(*paragraphs: str, when: date | None = None) -> str | None:
    found = find_place_en(paragraphs, NO_TERMS, when)
    return paragraphs[found[0]][found[1] : found[2]] if found else None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("雙方在瑞典斯德哥爾摩舉行經貿會談。", "瑞典斯德哥爾摩"),
        ("次長14日在波蘭弗羅茨瓦夫與某國次長共同主持會議。", "波蘭弗羅茨瓦夫"),
        ("會議23日在金門昇恆昌金湖大飯店舉行。", "金門昇恆昌金湖大飯店"),
        ("論壇於本(10)日假國發會召開。", "國發會"),
        ("部長赴菲律賓馬尼拉與某國部長共同主持會議。", "菲律賓馬尼拉"),
        ("在6月17日訪問堪培拉期間，兩國總理舉行會談。", "堪培拉"),
        ("會議6日在惠靈頓舉行。", "惠靈頓"),
        ("總理於2024年5月27日在韓國首爾舉行會議。", "韓國首爾"),
    ],
)
def test_chinese_places(text: str, place: str) -> None:
    assert _zh(text) == place


def test_a_venue_in_the_city_wins_over_the_city() -> None:
    assert _zh("會談在新加坡正式舉行。", "會談於上午在新加坡海皇大廈舉行。") == "新加坡海皇大廈"


@pytest.mark.parametrize(
    "text",
    [
        "國際半導體展明天將在台北南港展覽館登場。",
        "對話2015年及2016年分別在臺北及美國華府舉行。",
        "雙方以視訊方式舉行會議，就合作交換意見。",
    ],
)
def test_not_this_meetings_place(text: str) -> None:
    assert _zh(text) is None


@pytest.mark.parametrize(
    ("paragraphs", "place"),
    [
        (("The forum was held in New Delhi, India on January 12, 2024.",), "New Delhi, India"),
        (("The ministers met in Washington on October 29, 2015.",), "Washington"),
        (("He will join the one-day dialogue in Washington, D.C.",), "Washington, D.C."),
        (("The minister hosted the 15th Commission on 15 September 2017 in Beijing.",), "Beijing"),
        (
            (
                "A delegation led by the State Secretary visited Taiwan.",
                "The delegation participated in the 12th Economic Consultations.",
                "The delegation also held meetings with investors in Poland.",
            ),
            "Taiwan",
        ),
    ],
)
def test_english_places(paragraphs: tuple[str, ...], place: str) -> None:
    assert _en(*paragraphs) == place


def test_english_place_of_another_meeting_or_of_several() -> None:
    paragraphs = (
        "The annual meeting is held alternately in New Delhi and London.",
        "The 13th meeting was held in July 2019 in London.",
        "The 14th meeting was held virtually.",
    )
    assert _en(*paragraphs, when=date(2020, 7, 24)) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第6屆台捷克經技諮商會議今天召開。", 6),
        ("中俄總理第二十六次定期會晤聯合公報", 26),
        ("中美經貿磋商機制首次會議結束後", 1),
        ("首屆「台美經濟繁榮夥伴對話」登場", 1),
        ("江次長赴波蘭召開「第13屆臺波（蘭）經貿諮商會議」", 13),
        ("此次是自日內瓦會談以來的第三次關稅暫緩延期", None),
        ("第一是簽署的地點，第一次出現在他們的部會裡面", None),
        ("雙方同意儘快召開第5屆經濟合作協定聯合委員會。第23屆經濟合作會議今天舉行。", 23),
    ],
)
def test_chinese_round_belongs_to_an_event(text: str, number: int | None) -> None:
    assert find_round((text,)) == number


def test_english_first_meeting() -> None:
    assert find_round_en(("At the conclusion of this first meeting, Ministers agreed.",)) == 1
