"""extract.points: commitment levels, actors and clause points with provenance."""

from __future__ import annotations

import pytest

from briefgen.extract.points import actor_of, level_of, make_points
from briefgen.model import Level, Via
from briefgen.translate.termbase import Termbase


@pytest.mark.parametrize(
    ("clause", "level"),
    [
        ("雙方同意強化合作", Level.AGREED),
        ("雙方達成共識", Level.AGREED),
        ("工研院與AUVSI簽署協議", Level.SIGNED),
        ("研議提升供應鏈資安韌性合作", Level.WILL_STUDY),
        ("台灣也將探索與美國低軌衛星供應商合作", Level.WILL_EXPLORE),
        ("美國支持台灣參與國際組織", Level.SUPPORTS),
        ("美國將持續提升台灣應對經濟脅迫的整備程度", Level.WILL_CONTINUE),
        ("台美雙方將續透過EPPD等平台加強協調", Level.WILL_CONTINUE),
        ("Both sides agreed to cooperate", Level.AGREED),
        ("雙方就AI Academy合作框架交換意見", Level.DONE),
        ("雙方將於明年舉行第二屆對話", None),
        ("The two sides exchanged views on talent", Level.DONE),
        ("辦理通關手續", None),
    ],
)
def test_level_of(clause: str, level: Level | None) -> None:
    assert level_of(clause) == level


def test_level_of_earliest_verb_wins() -> None:
    assert level_of("雙方同意探索在菲律賓進行合作計畫") == Level.AGREED
    assert level_of("美國支持台灣探索創新的通訊技術") == Level.SUPPORTS
    assert level_of("雙方將持續研議合作") == Level.WILL_CONTINUE


def test_org_name_containing_research_is_masked(termbase: Termbase) -> None:
    clause = "工業技術研究院將提供技術協助"
    assert level_of(clause) == Level.WILL_STUDY  # without the termbase, 研究 counts
    assert level_of(clause, termbase) is None
    assert level_of("工業技術研究院將研議合作", termbase) == Level.WILL_STUDY


def test_actor_of_skips_prepositional_phrase(termbase: Termbase) -> None:
    clause = "除在我國友邦的合作，雙方同意探索在菲律賓及拉丁美洲等共同優先區域進行合作計畫"
    assert actor_of(clause, termbase) == "雙方"


def test_actor_of_prefers_org_right_after_actor(termbase: Termbase) -> None:
    clause = "我國工業技術研究院並於會前與美國無人機產業協會（AUVSI）簽署協議"
    assert actor_of(clause, termbase) == "工業技術研究院"


def test_actor_of_longest_actor(termbase: Termbase) -> None:
    assert actor_of("台美雙方將續透過EPPD等平台加強協調", termbase) == "台美雙方"
    assert actor_of("美國支持台灣探索創新的通訊技術", termbase) == "美國"


def test_actor_of_none(termbase: Termbase) -> None:
    assert actor_of("研議在第三國合作推動可信賴AI系統", termbase) is None
    assert actor_of("推動可信賴的語料庫發展，以協助亞太地區的國家與美國合作", termbase) is None


def test_make_points(termbase: Termbase) -> None:
    para = (
        "二、數位：美國支持台灣探索新技術，並推動合作。台灣也將探索衛星合作。雙方另同意擴大市場。"
    )
    body = [(0, para.index("美國"), len(para))]
    points = make_points((para,), body, termbase, "zh-TW")
    texts = [p.text.get("zh-TW") for p in points]
    assert texts == [
        "美國支持台灣探索新技術",
        "美國推動合作",  # the subject carried over; a "supports" verb is not
        "台灣也將探索衛星合作",
        "雙方另同意擴大市場",
    ]
    assert [p.commitment for p in points] == [
        Level.SUPPORTS,
        Level.SUPPORTS,  # no verb of its own: keeps the sentence's level
        Level.WILL_EXPLORE,
        Level.AGREED,
    ]
    assert [p.actor.get("zh-TW") if p.actor else None for p in points] == [
        "美國",
        "美國",  # no actor of its own: keeps the previous one
        "台灣",
        "雙方",
    ]
    assert [p.carried for p in points] == [None, "美國", None, None]
    for point in points:
        assert point.text.how("zh-TW") == Via.SOURCE
        span = point.source
        assert span is not None
        assert (point.carried or "") + para[span.start : span.end] == point.text.get("zh-TW")


def test_make_points_whole_statements(termbase: Termbase) -> None:
    """「雙方同意A，研議B，並推動C」: three points, each with its subject and modality."""
    para = "雙方同意共同盤點夥伴關係，研議提升資安韌性，並推動語料庫發展。"
    points = make_points((para,), [(0, 0, len(para))], termbase, "zh-TW")
    assert [p.text.get("zh-TW") for p in points] == [
        "雙方同意共同盤點夥伴關係",
        "雙方研議提升資安韌性",
        "雙方同意推動語料庫發展",
    ]
    assert [p.commitment for p in points] == [Level.AGREED, Level.WILL_STUDY, Level.AGREED]
    assert [p.carried for p in points] == [None, "雙方", "雙方同意"]


def test_make_points_carry_modal(termbase: Termbase) -> None:
    para = (
        "美國將持續提升台灣的整備程度，並支持其夥伴。"
        "台灣也將探索衛星合作，並與美國共同探索海纜合作。"
    )
    points = make_points((para,), [(0, 0, len(para))], termbase, "zh-TW")
    assert [p.text.get("zh-TW") for p in points] == [
        "美國將持續提升台灣的整備程度",
        "美國將持續支持其夥伴",  # "continue" governs the second verb too
        "台灣也將探索衛星合作",
        "台灣將與美國共同探索海纜合作",
    ]


def test_make_points_signing_before_meeting_is_done(termbase: Termbase) -> None:
    para = (
        "我國工業技術研究院並於會前與美國無人機產業協會（AUVSI）簽署服務協議契約。"
        "雙方簽署聯合聲明。"
    )
    points = make_points((para,), [(0, 0, len(para))], termbase, "zh-TW")
    assert [p.commitment for p in points] == [Level.DONE, Level.SIGNED]


def test_make_points_english_subjectless_clause(termbase: Termbase) -> None:
    para = "The two sides agreed to expand cooperation on chips; studied a new forum."
    points = make_points((para,), [(0, 0, len(para))], termbase, "en")
    assert [p.text.get("en") for p in points] == [
        "The two sides agreed to expand cooperation on chips",
        "Both sides studied a new forum",
    ]


def test_make_points_done_level(termbase: Termbase) -> None:
    para = "雙方就AI Academy合作框架交換意見。"
    [point] = make_points((para,), [(0, 0, len(para))], termbase, "zh-TW")
    assert point.commitment == Level.DONE
    assert point.actor is not None
    assert point.actor.get("zh-TW") == "雙方"


def test_no_subject_carried_onto_a_clause_with_its_own(termbase: Termbase) -> None:
    """Only a clause that opens with a verb, adverb or preposition takes the subject."""
    para = "雙方同意擴大合作，不過大陸仍有證件問題。"
    points = make_points((para,), [(0, 0, len(para))], termbase, "zh-TW")
    assert all(p.carried is None for p in points)
    english = "The two sides agreed to expand cooperation; perspectives on trade differed."
    points = make_points((english,), [(0, 0, len(english))], termbase, "en")
    assert all(p.carried is None for p in points)
