"""extract.coverage: key statements, and every body sentence kept, as background or
dropped with a reason."""

from __future__ import annotations

from briefgen.extract.coverage import account, is_heading_line, key_statement_spans


def _texts(paras: tuple[str, ...], spans: list[tuple[int, int, int]]) -> list[str]:
    return [paras[p][a:b] for p, a, b in spans]


def test_key_statement_is_the_clause_of_the_shared_view() -> None:
    paras = (
        "本次會議雙方均認同台海和平穩定攸關全球經濟安全與繁榮，會議期間並簽署聯合聲明。",
        "外交部表示，台美雙方一致認為，本屆對話成果豐碩，期盼持續合作。",
    )
    found = key_statement_spans(paras, set())
    assert [paras[k.para][k.start : k.end] for k in found] == [
        "雙方均認同台海和平穩定攸關全球經濟安全與繁榮",
        "台美雙方一致認為，本屆對話成果豐碩，期盼持續合作",  # the rest of the sentence
    ]
    assert [k.by for k in found] == ["雙方", "台美雙方"]


def test_key_statements_skip_agenda_paragraphs_and_repeats() -> None:
    paras = ("一、雙方均認同合作重要。", "雙方重申維護區域和平。", "雙方重申維護區域和平。")
    found = key_statement_spans(paras, {0})
    assert [(k.para, k.by) for k in found] == [(1, "雙方")]


def test_english_key_statement() -> None:
    paras = ("During the talks, both sides reaffirmed the importance of peace across the Strait.",)
    [found] = key_statement_spans(paras, set())
    assert paras[0][found.start : found.end] == (
        "both sides reaffirmed the importance of peace across the Strait"
    )
    assert found.by == "both sides"


def test_account_background_and_dropped() -> None:
    paras = (
        "雙方同意擴大合作。同日並召開工作階層會議，就推動各項合作進一步交流。",
        "台美簽署「聯合聲明」",
        "（經濟部提供）",
        "同日並召開工作階層會議，就推動各項合作進一步交流。",
    )
    used = [(0, 0, 9)]
    result = account(paras, used, set())
    assert _texts(paras, result.background) == [paras[3]]
    assert [(p, reason) for p, _, _, reason in result.dropped] == [
        (1, "heading"),
        (2, "photo credit or source"),
        (3, "repeats paragraph 1"),
    ]


def test_account_keeps_the_rest_of_a_partly_used_sentence() -> None:
    para = "本次會議雙方均認同台海和平穩定攸關全球繁榮，會議期間並簽署聯合聲明，彰顯台灣的重要性。"
    start = para.index("雙方")
    end = para.index("，")
    result = account((para,), [(0, start, end)], set())
    assert _texts((para,), result.background) == ["會議期間並簽署聯合聲明，彰顯台灣的重要性。"]
    assert result.dropped == []


def test_account_drops_page_furniture_paragraphs() -> None:
    result = account(("1. 首頁", "正文。"), [], {0})
    assert result.dropped == [(0, 0, 5, "page furniture")]
    assert result.background == [(1, 0, 3)]


def test_heading_lines() -> None:
    assert is_heading_line("台美簽署「矽盛世宣言及台美經濟安全合作聯合聲明」")
    assert is_heading_line("EPPD迄今已舉行6次對話")
    assert not is_heading_line("雙方同意擴大合作。")
    assert not is_heading_line("本屆會議就下列議題進行討論，重點如下：")


def test_key_statement_goes_on_with_the_same_subject() -> None:
    paras = ("雙方重申維護區域和平，並深化經貿合作，會議期間另簽署備忘錄。",)
    [found] = key_statement_spans(paras, set())
    assert paras[0][found.start : found.end] == "雙方重申維護區域和平，並深化經貿合作"


def test_english_key_statement_by_the_ministers() -> None:
    paras = ("Ministers agreed that the forum remains an important part of the relationship.",)
    [found] = key_statement_spans(paras, set())
    assert found.by == "Ministers"
    assert paras[0][found.end :] == "."


def test_markers_and_connectives_alone_are_fragments_not_background() -> None:
    para = "1. On 27 October the ministers met. and 2. They agreed to talk."
    used = [(0, 3, 34), (0, 42, len(para))]
    result = account((para,), used, set())
    assert result.background == []
    assert {reason for *_, reason in result.dropped} == {"fragment"}
