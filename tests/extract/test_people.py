"""extract.people: names and titles in Chinese readouts, and who took part."""

from __future__ import annotations

import pytest

from briefgen.extract.people import find_mentions, find_people, name_at


def _people(*paragraphs: str) -> dict[str, str | None]:
    """Participants by name, with their titles."""
    return {p.best.name: p.best.title for p in find_people(paragraphs) if p.took_part}


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("外交部長林大明與某國外長會談", "林大明", "外交部長"),
        ("由國發會主委陳美華及某部代理助理部長John Smith出席", "陳美華", "國發會主委"),
        ("由國發會主委陳美華及某部代理助理部長John Smith出席", "John Smith", "某部代理助理部長"),
        ("與某國工商部西梅斯部長（Javier Lopez）共同主持會議", "西梅斯", "某國工商部部長"),
        (
            "見證駐某國代表處（TECO）張大㵢大使、某協會總部李鶯執行理事簽署",
            "張大㵢",
            "駐某國代表處（TECO）大使",
        ),
        (
            "見證駐某國代表處（TECO）張大㵢大使、某協會總部李鶯執行理事簽署",
            "李鶯",
            "某協會總部執行理事",
        ),
        ("與某國貿易代表葛里安（Jamie Green）大使率領的團隊會談", "葛里安", "某國貿易代表大使"),
        (
            "中央政治局常委、國務院副總理丁大祥同某國副總理會談",
            "丁大祥",
            "中央政治局常委、國務院副總理",
        ),
        (
            "經濟部政務次長陳正(示其)與某國助理副部長艾文敦(Weldon Ep)共同主持",
            "陳正(示其)",
            "經濟部政務次長",
        ),
        (
            "由經濟部政務次長陳正祺與某國總司長彼得‧歐可(Petr Oko)共同主持",
            "彼得‧歐可",
            "某國總司長",
        ),
        (
            "某國總理李強、日本國首相岸田一雄、某國總統尹大悅於5月27日舉行會議",
            "岸田一雄",
            "日本國首相",
        ),
    ],
)
def test_names_and_titles(text: str, name: str, title: str) -> None:
    found = {m.name: m.title for m in find_mentions(text, 0)}
    assert found.get(name) == title


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("部長龔明鑫本（12）月12日率團", "龔明鑫"),
        ("次長江文若日前率團赴波蘭", "江文若"),
        ("部長鄧振中赴菲律賓", "鄧振中"),
        ("主任張志軍的第三次會議", "張志軍"),
        ("副總理丁薛祥應邀訪問", "丁薛祥"),
        ("總理米舒斯京於2021年", "米舒斯京"),
        ("部長盧特尼克（Howard Lutnick）共同見證", "盧特尼克"),
        ("代表曾厚仁與某國代表", "曾厚仁"),
    ],
)
def test_a_name_ends_against_the_words_that_follow_it(text: str, name: str) -> None:
    start = text.index(name)
    assert name_at(text, start) == (start, start + len(name))


@pytest.mark.parametrize(
    "text",
    [
        "部長和各層級官員",
        "代表出席,美方",
        "代表我國與某國深化關係",
        "部長會議今天召開",
        "總統府內閣",
    ],
)
def test_words_that_are_not_names(text: str) -> None:
    assert find_mentions(text, 0) == []


def test_only_people_at_the_meeting_take_part() -> None:
    people = _people(
        "副總理丁大祥11月10日至11日訪問某國，分別會見某國總統尚大曼、總理黃大財，"
        "並同副總理顏大勇共同主持聯委會會議。",
        "某國總理杜大道(Justin Doe)亦公開支持台灣參與國際組織。",
        "他說，最近在首爾舉行的領袖會議中，某國首相高大苗也與台灣代表林大義進行了會談。",
        "時任總理李大龍共同宣布了新的夥伴關係。",
    )
    assert people == {"丁大祥": "副總理", "顏大勇": "副總理"}


def test_a_later_reference_by_the_tail_of_a_name_counts() -> None:
    people = _people(
        "應某國總理安東尼·阿巴尼斯邀請，國務院總理李大強對該國進行正式訪問。",
        "在6月17日訪問首都期間，李大強總理和阿巴尼斯總理舉行會談。",
    )
    assert set(people) == {"安東尼·阿巴尼斯", "李大強"}


def test_people_in_a_signing_photo_caption_take_part() -> None:
    people = _people(
        "雙方簽署MOU後合影，由左至右依序為AIT執行理事藍大鶯、某國貿易代表署葛大爾大使、"
        "某國商務部長盧大尼克、行政院副院長鄭大君。"
    )
    assert people == {
        "藍大鶯": "AIT執行理事",
        "葛大爾": "某國貿易代表署大使",
        "盧大尼克": "某國商務部長",
        "鄭大君": "行政院副院長",
    }


def test_a_dinner_is_a_side_event() -> None:
    people = _people(
        "次長林大明與某國總司長凱德米共同主持會議，並應邀參加農業部長諾大克(Orit Nok)晚宴。"
    )
    assert set(people) == {"林大明", "凱德米"}


def test_latin_name_between_organisation_and_title() -> None:
    text = "開幕式中某國貿易兼製造業The Honourable Tim Ayres助理部長致詞"
    found = {m.name: m.title for m in find_mentions(text, 0)}
    assert found == {"Tim Ayres": "某國貿易兼製造業助理部長"}


def test_a_numeral_after_a_name_starts_a_list() -> None:
    assert [m.name for m in find_mentions("副部長王受文一是介紹成果", 0)] == ["王受文"]


def test_a_name_the_termbase_knows_takes_the_title_after_it() -> None:
    text = "賴清德總統出席並致詞。"
    [person] = find_people((text,), known=[(0, 0, 3)])
    assert (person.best.name, person.best.title, person.took_part) == ("賴清德", "總統", True)


def test_a_three_character_name_ending_in_a_stop_character_before_a_list_comma() -> None:
    """王大同、… : 同 usually follows a name (同日), but before 、 it ends one."""
    para = "我方與會官員包括外交部政務次長王大同、數位部政務次長侯宜秀。"
    assert _people(para) == {"王大同": "外交部政務次長", "侯宜秀": "數位部政務次長"}
