"""The sample's memos brief a reader (issue "Memos that brief"): the key political line in
every memo, points that are whole statements, truthful tags, a leadership memo that says
what was agreed, no warning styling on the byline. Read from the built PDFs' text."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from briefgen.model import Brief, brief_to_dict
from briefgen.render.lines import cut, principal_point

AUDIENCES = ("leadership", "working", "press", "gongwen")


def _text(pdf: bytes, lang: str) -> str:
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    if lang.startswith("zh"):
        return re.sub(r"\s+", "", raw)
    return re.sub(r"\s+", " ", raw)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_taiwan_strait_statement_is_in_every_memo(
    built: dict[str, bytes], audience: str
) -> None:
    zh = _text(built[f"eppd-6.{audience}.zh-TW.pdf"], "zh-TW")
    en = _text(built[f"eppd-6.{audience}.en.pdf"], "en")
    assert "台海和平穩定攸關全球經濟安全與繁榮" in zh
    assert "peace and stability across the Taiwan Strait are vital" in en


def test_every_point_has_its_subject_in_both_languages(translated_brief: Brief) -> None:
    for item in translated_brief.items:
        for point in item.points:
            assert point.actor is not None
            for lang in ("zh-TW", "en"):
                text, actor = point.text.get(lang) or "", point.actor.get(lang) or ""
                assert actor.casefold() in text[:70].casefold(), (lang, text)


def test_tags_follow_tense_and_the_meetings_own_signing(translated_brief: Brief) -> None:
    exchange = translated_brief.items[4].points[-1]
    assert exchange.commitment.value == "done"  # views were exchanged: not "will continue"
    assert "signed" not in {p.commitment.value for p in translated_brief.items[3].points}
    at_meeting = [
        d.name.get("en") for d in translated_brief.event.documents if d.timing == "at_meeting"
    ]
    assert at_meeting == [
        "Joint Statement on the Pax Silica Declaration and U.S.-Taiwan Cooperation on "
        "Economic Security"
    ]


def test_the_private_signing_is_told_with_its_parties_and_time(built: dict[str, bytes]) -> None:
    leadership = _text(built["eppd-6.leadership.en.pdf"], "en")
    bottom_line = leadership.split("Signed at the meeting:")[1].split("The meeting")[0]
    assert "Green UAS" not in bottom_line
    assert (
        "Before the meeting, the Industrial Technology Research Institute and the Association "
        "for Uncrewed Vehicle Systems International signed the Green UAS Assessor License "
        "and Services Agreement"
    ) in leadership
    assert "會前，工業技術研究院與美國無人機產業協會簽署GreenUAS授權評鑑及服務協議契約" in (
        _text(built["eppd-6.leadership.zh-TW.pdf"], "zh-TW")  # white space removed
    )


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_leadership_lines_say_what_each_item_agreed(
    built: dict[str, bytes], translated_brief: Brief, lang: str
) -> None:
    text = _text(built[f"eppd-6.leadership.{lang}.pdf"], lang)
    squeeze = (lambda s: re.sub(r"\s+", "", s)) if lang == "zh-TW" else (lambda s: s)
    for item in brief_to_dict(translated_brief)["items"]:
        point = principal_point(item)
        assert point is not None
        assert squeeze(cut(point["text"][lang], lang)) in text


def test_english_memos_show_the_byline_without_a_warning(built: dict[str, bytes]) -> None:
    for audience in AUDIENCES:
        text = _text(built[f"eppd-6.{audience}.en.pdf"], "en")
        assert "[unverified]" not in text
        if audience in ("leadership", "working"):  # the memos with a source line
            assert "顏一軒" in text
