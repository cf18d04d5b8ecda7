"""extract.documents (Chinese) and extract.english.find_documents: what was signed."""

from __future__ import annotations

import pytest

from briefgen.extract.documents import find_signed
from briefgen.extract.english import find_documents
from briefgen.translate.termbase import Termbase


def _signed(*paragraphs: str) -> list[str]:
    return [paragraphs[p][a:b] for p, a, b in find_signed(paragraphs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("雙方並簽署「甲合作備忘錄」及「乙貿易協議」二項協議。", ["甲合作備忘錄", "乙貿易協議"]),
        (
            "會後雙方部長並簽署台巴再生能源合作諒解備忘錄，開啟合作。",
            ["台巴再生能源合作諒解備忘錄"],
        ),
        (
            "雙方簽署3項瞭解備忘錄,其中包括臺菲「增強經濟走廊瞭解備忘錄」。",
            ["增強經濟走廊瞭解備忘錄"],
        ),
        ("台紐經濟合作協定(ANZTEC)今天在威靈頓正式簽署。", ["台紐經濟合作協定"]),
        ("雙方進行「第三屆諮商會議成果宣言」簽署儀式。", ["第三屆諮商會議成果宣言"]),
        ("雙方歷經談判的「投資保障協議」,今天上午由雙方代表正式簽署協議。", ["投資保障協議"]),
        ("台美雙方簽署MOU後合影。", ["MOU"]),
        ("雙方完成「對等貿易協定」之簽署。", ["對等貿易協定"]),
        ("雙方將儘早簽署引水商業契約。", []),
        ("去年12月台加完成簽署「投資促進及保障協議」。", []),
        ("加工處曾於94年與某公司簽署合作備忘錄。", []),
        ("雙方於二年前開始討論重新簽署備忘錄。", []),
        ("今年雙方慶祝《睦鄰友好合作條約》簽署20週年。", []),
        ("繼雙方於1月15日舉行會議，並與商務部簽署投資MOU後，本日完成談判。", []),
        ("由代表曾厚仁與代表倪傑民共同簽署優質企業相互承認協議。", ["優質企業相互承認協議"]),
    ],
)
def test_chinese_signings(text: str, expected: list[str]) -> None:
    assert _signed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "During the consultations the two centres signed a Memorandum of Understanding.",
            ["Memorandum of Understanding"],
        ),
        (
            "The sides welcomed the signing of the Digital Trade Agreement.",
            ["Digital Trade Agreement"],
        ),
        ("They decided to make progress towards signing a Free Trade Agreement.", []),
        ("The ministers will sign a Joint Declaration next year.", []),
    ],
)
def test_english_signings(text: str, expected: list[str]) -> None:
    found = find_documents((text,), Termbase([]))
    assert [doc.text for doc, _ in found] == expected


def test_an_english_count_stands_for_the_documents_named_later() -> None:
    paragraphs = (
        "The conference concluded with the signing of two memorandums of understanding (MOUs).",
        "According to officials, the MOU on customs matters establishes a legal basis.",
        "The cultural exchanges MOU deepens exchanges, the minister said.",
    )
    found = find_documents(paragraphs, Termbase([]))
    assert [doc.text for doc, _ in found] == ["MOU on customs matters", "cultural exchanges MOU"]


def test_a_signing_dated_in_another_year_is_history() -> None:
    from datetime import date

    text = "台日於2013年4月10日簽署《台日漁業協議》，並依據該協議成立委員會。"
    assert find_signed((text,), date(2025, 1, 14)) == []
    assert len(find_signed((text,), None)) == 1
