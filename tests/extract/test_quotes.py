"""extract.quotes: attributed quotations with speaker, subject and channel."""

from __future__ import annotations

from briefgen.extract.quotes import find_quotes
from briefgen.translate.termbase import Termbase


def test_chinese_quote_with_subject_and_channel(termbase: Termbase) -> None:
    para = (
        "《路透社》（Reuters）也指出，"
        "美國國務院（the U.S. State Department）盛讚台灣是「關鍵的夥伴」。"
    )
    [quote] = find_quotes((para,), termbase, "zh-TW")
    assert (quote.text, quote.speaker, quote.about, quote.channel) == (
        "關鍵的夥伴",
        "美國國務院",
        "台灣",
        "路透社",
    )


def test_english_quotes_both_ways_round(termbase: Termbase) -> None:
    para = (
        '"We will deepen our partnership," said the Minister of Trade, and the Ambassador '
        'said that "the talks were frank and productive", according to Reuters.'
    )
    quotes = find_quotes((para,), termbase, "en")
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will deepen our partnership,", "the Minister"),
        ("the talks were frank and productive", "the Ambassador"),
    ]
    assert {q.channel for q in quotes} == {"Reuters"}
    for q in quotes:
        assert para[q.start : q.end] == q.text


def test_english_text_in_capitals_without_quotation_marks_has_no_quote(
    termbase: Termbase,
) -> None:
    para = "THE MINISTER SAID THE TALKS WENT WELL " * 5000
    assert find_quotes((para,), termbase, "en") == []
