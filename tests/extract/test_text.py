"""extract.text: Chinese numerals, sentence and clause spans."""

from __future__ import annotations

import pytest

from briefgen.extract.text import bracket_depths, clause_spans, cn_to_int, sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def _clauses(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("七", 7),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("一百零五", 105),
        ("兩", 2),
        ("6", 6),
        ("12", 12),
        (" 三 ", 3),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "第六", "六屆", "abc", "1a", "萬"])
def test_cn_to_int_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        cn_to_int(text)


def test_cn_to_int_positional_digits_are_not_silently_wrong() -> None:
    try:
        value = cn_to_int("二〇二六")
    except ValueError:
        return
    assert value == 2026


def test_sentence_spans_chinese() -> None:
    text = "雙方同意合作！美方表示支持？台灣將探索；會議結束。"
    assert _sentences(text) == ["雙方同意合作！", "美方表示支持？", "台灣將探索；", "會議結束。"]


def test_sentence_spans_never_split_inside_quotes() -> None:
    text = "他說：「我們同意。也支持，並將持續合作」隨後離開。外交部表示歡迎。"
    assert _sentences(text) == [
        "他說：「我們同意。也支持，並將持續合作」隨後離開。",
        "外交部表示歡迎。",
    ]


def test_sentence_spans_never_split_inside_parentheses() -> None:
    text = "雙方（包括美方。日方）均同意。會議結束。"
    assert _sentences(text) == ["雙方（包括美方。日方）均同意。", "會議結束。"]


def test_sentence_spans_end_after_a_quoted_sentence() -> None:
    text = "外交部表示：「成果豐碩。」雙方將持續合作。"
    assert _sentences(text) == ["外交部表示：「成果豐碩。」", "雙方將持續合作。"]


def test_sentence_spans_english_decimals_and_abbreviations() -> None:
    text = (
        "The U.S. and Taiwan agreed to cut tariffs by 3.5 percent. "
        "Talks will continue next year.  Mr. Kung spoke."
    )
    assert _sentences(text) == [
        "The U.S. and Taiwan agreed to cut tariffs by 3.5 percent.",
        "Talks will continue next year.",
        "Mr. Kung spoke.",
    ]


def test_sentence_spans_unbalanced_quote_does_not_swallow_the_rest() -> None:
    text = (
        "經濟部長在27日完成第6屆「台美經濟繁榮夥伴對話 （EPPD）會議，雙方首度會面。"
        "對此，外交部今（28）日回應。"
    )
    assert _sentences(text) == [
        "經濟部長在27日完成第6屆「台美經濟繁榮夥伴對話 （EPPD）會議，雙方首度會面。",
        "對此，外交部今（28）日回應。",
    ]
    depths = bracket_depths(text)
    assert depths[text.index("「")] == 0
    assert depths[text.index("（")] == 1


def test_sentence_spans_without_terminal_mark_and_spaces() -> None:
    text = "  雙方同意。  未完的句子  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["雙方同意。", "未完的句子"]
    assert spans[0][0] == 2


def test_clause_spans_split_at_connectives_and_drop_them() -> None:
    text = "雙方同意A合作，並推動B計畫，另研議C方案，以及拓展D市場。"
    assert _clauses(text) == ["雙方同意A合作", "推動B計畫", "研議C方案", "拓展D市場"]


def test_clause_spans_do_not_split_at_plain_commas_or_inside_quotes() -> None:
    text = "美方支持「甲，並乙」方案，促進合作，並推動交流。"
    assert _clauses(text) == ["美方支持「甲，並乙」方案，促進合作", "推動交流"]


def test_clause_spans_index_the_original_string() -> None:
    para = "一、確保安全：雙方同意共同盤點合作，研議提升資安韌性，並推動語料庫發展。後續再議。"
    start = para.index("雙方")
    end = para.index("後續")
    spans = clause_spans(para, start, end)
    assert [para[a:b] for a, b in spans] == [
        "雙方同意共同盤點合作",
        "研議提升資安韌性",
        "推動語料庫發展",
    ]
    assert all(start <= a < b <= end for a, b in spans)
    assert spans[2][0] == para.index("推動")


def test_clause_spans_purpose_clause_stays() -> None:
    """A comma before a plain verb of purpose (，促進 ，共同形塑) does not start a point."""
    para = "雙方同意以既有機制，促進產業合作，共同形塑資料基礎。"
    assert [para[a:b] for a, b in clause_spans(para, 0, len(para))] == [
        "雙方同意以既有機制，促進產業合作，共同形塑資料基礎"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "另外，雙方同意成立工作小組。",
        "同時，雙方同意成立工作小組。",
        "雙方同意合作，另一方面，美方將提供協助。",
    ],
)
def test_clause_spans_keep_words_that_start_with_a_connective(text: str) -> None:
    for clause in _clauses(text):
        assert not clause.startswith(("外", "，", "一方面"))


def test_an_abbreviated_month_before_a_day_does_not_end_the_sentence() -> None:
    text = "Tokyo, Nov. 22 (CNA) The conference ended. It opens on Nov. 27 in Taipei."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Tokyo, Nov. 22 (CNA) The conference ended.",
        "It opens on Nov. 27 in Taipei.",
    ]
