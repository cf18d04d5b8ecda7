"""translate.glosses: bilingual pairs the article gives itself in brackets."""

from __future__ import annotations

import pytest

from briefgen.ingest import Source
from briefgen.translate.glosses import harvest


def test_quoted_name_with_gloss() -> None:
    para = "雙方共同簽署聯合聲明，支持「矽和平宣言」（Pax Silica Declaration）原則。"
    assert harvest([para]) == {"矽和平宣言": "Pax Silica Declaration"}


def test_person_after_title() -> None:
    para = "經濟部長龔明鑫與美國國務院主管經濟事務的次卿海柏格（Jacob Helberg）完成對話。"
    assert harvest([para]) == {"海柏格": "Jacob Helberg"}


def test_org_after_preposition() -> None:
    para = "工業技術研究院並於會前與美國無人機產業協會（AUVSI）簽署協議。"
    assert harvest([para]) == {"美國無人機產業協會": "AUVSI"}


def test_abbreviation_after_comma_is_split_off() -> None:
    para = (
        "台美雙邊27日在華府舉行「經濟繁榮夥伴對話」"
        "（Economic Prosperity Partnership Dialogue，EPPD），雙方同意合作。"
    )
    assert harvest([para]) == {"經濟繁榮夥伴對話": "Economic Prosperity Partnership Dialogue"}


def test_abbreviation_after_ascii_comma_is_split_off() -> None:
    para = (
        "雙方在「台日經濟夥伴對話」(Taiwan-Japan Economic Partnership Dialogue, TJEPD)中同意合作。"
    )
    assert harvest([para]) == {"台日經濟夥伴對話": "Taiwan-Japan Economic Partnership Dialogue"}


def test_leading_the_is_dropped() -> None:
    para = "《路透社》（Reuters）指出，美國國務院（the U.S. State Department）盛讚台灣。"
    assert harvest([para]) == {"路透社": "Reuters", "美國國務院": "U.S. State Department"}


def test_no_latin_gloss_no_pair() -> None:
    assert harvest(["外交部今（28）日回應，雙方同意（原則上）持續合作。"]) == {}


def test_first_gloss_wins() -> None:
    paras = ["海柏格（Jacob Helberg）表示。", "次卿海柏格（J. Helberg）說。"]
    assert harvest(paras) == {"海柏格": "Jacob Helberg"}


def test_sample_article_pairs(sample_source: Source) -> None:
    pairs = harvest(sample_source.paragraphs)
    assert pairs["矽和平宣言"] == "Pax Silica Declaration"
    assert pairs["海柏格"] == "Jacob Helberg"
    assert pairs["美國無人機產業協會"] == "AUVSI"
    assert pairs["經濟繁榮夥伴對話"] == "Economic Prosperity Partnership Dialogue"
    assert pairs["矽盛世宣言及台美經濟安全合作聯合聲明"] == (
        "Joint Statement on the Pax Silica Declaration and U.S.-Taiwan Cooperation on "
        "Economic Security"
    )
    assert all("EPPD" not in en for zh, en in pairs.items() if zh == "經濟繁榮夥伴對話")


def test_known_name_containing_a_boundary_character_is_taken_whole() -> None:
    para = "美國在台協會（AIT）處長谷立言表示，雙方同意合作。"
    assert harvest([para], known=["美國在台協會"]) == {"美國在台協會": "AIT"}


@pytest.mark.xfail(
    reason="known limitation: an unknown, unquoted name is cut after the last function "
    "word, even one inside the name (對外貿易發展協會 -> 外貿易發展協會); quote it or add it "
    "to a termbase",
    strict=True,
)
def test_unknown_name_containing_a_boundary_character() -> None:
    para = "雙方並與對外貿易發展協會（TAITRA）合作。"
    assert harvest([para]) == {"對外貿易發展協會": "TAITRA"}


def test_gloss_keeps_the_latin_words_the_chinese_name_opens_with() -> None:
    para = (
        "簽署Green UAS授權評鑑及服務協議契約（Assessor License and Services Agreement），有助推動。"
    )
    pairs = harvest([para], known=["Green UAS授權評鑑及服務協議契約"])
    assert pairs["Green UAS授權評鑑及服務協議契約"] == (
        "Green UAS Assessor License and Services Agreement"
    )
    assert harvest(["「AI學院」（AI Academy）"]) == {"AI學院": "AI Academy"}
