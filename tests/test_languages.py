"""briefgen.languages: one registry for every language-dependent table."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefgenError
from briefgen.languages import (
    LANGUAGES,
    OUTPUT_LANGS,
    from_tag,
    is_cjk,
    language,
    output_language,
)


def test_output_languages_have_everything_a_memo_needs() -> None:
    assert OUTPUT_LANGS == ("zh-TW", "en")
    for code in OUTPUT_LANGS:
        lang = language(code)
        assert lang.babel_locale and lang.bcp47 and lang.docx_tag and lang.engine_rule
        assert lang.list_levels and lang.full_stop


def test_zh_tw_numbers_levels_as_the_handbook_does() -> None:
    zh = language("zh-TW")
    assert [zh.ordered_label(depth, 2) for depth in range(6)] == [
        "二、",
        "（二）",
        "2、",
        "（2）",
        "乙、",
        "（乙）",
    ]
    assert zh.ordered_label(6, 1) == "一、"  # levels repeat
    assert [language("en").ordered_label(d, 3) for d in range(4)] == ["3.", "c.", "iii.", "C."]


def test_tags_from_other_tools() -> None:
    assert from_tag("zh-Hant") is LANGUAGES["zh-TW"]
    assert from_tag("ZH_hant_HK") is LANGUAGES["zh-TW"]
    assert from_tag("zh-Hans") is LANGUAGES["zh-CN"]
    assert from_tag("en_GB") is LANGUAGES["en"]
    assert from_tag("fr") is None


def test_unknown_codes_are_one_line_errors() -> None:
    with pytest.raises(BriefgenError, match="unknown language 'fr'"):
        language("fr")
    with pytest.raises(BriefgenError, match=r"choose from zh-TW, en"):
        output_language("zh-CN")


def test_unregistered_codes_take_their_script_family() -> None:
    from briefgen.languages import for_code

    assert for_code("zh-HK").full_stop == "。" and for_code("zh-HK").code == "zh-TW"
    assert for_code("fr").clause_join == "; "
    assert for_code("zh-TW").official_calendar == "roc"
    assert for_code("en").official_calendar == "gregorian"


def test_script_and_sentences() -> None:
    assert is_cjk("zh-TW") and is_cjk("zh-CN") and not is_cjk("en")
    assert language("zh-TW").sentence("雙方同意") == "雙方同意。"
    assert language("en").sentence("Both agreed") == "Both agreed."
    assert language("en").sentence("Done?") == "Done?"
