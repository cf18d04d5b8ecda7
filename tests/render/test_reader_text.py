"""Reader-facing text: the byline shown as written, translator's notes in the reader's
words, English usage (US / U.S., country pairs) and runs capitalised as lists."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from briefgen.model import parse_brief
from briefgen.render import render_markup
from briefgen.render.i18n import translation_notes
from briefgen.settings import Settings
from briefgen.translate import Provenance
from briefgen.translate.usage import Usage

ZH = "zh-TW"
DOC = (
    "Joint Statement on the Pax Silica Declaration and U.S.-Taiwan Cooperation on Economic Security"
)


def _t(zh: str, en: str, via: str = "termbase", ref: str = "") -> dict[str, Any]:
    text: dict[str, Any] = {ZH: zh, "en": en, "via": {ZH: "source", "en": via}}
    if ref:
        text["ref"] = {"en": ref}
    return text


def _brief(participant_known: bool = True) -> Any:
    name = (
        _t("龔明鑫", "Kung Ming-hsin")
        if participant_known
        else _t("王大同", "王大同", "untranslated", "name: no verified spelling")
    )
    data = {
        "source": {
            "language": ZH,
            "paragraphs": ["經濟部長龔明鑫出席。"],
            "outlet": _t("民視新聞", "FTV News"),
            "author": _t("顏一軒", "顏一軒", "untranslated", "name: no verified spelling"),
            "published": "2026-01-28",
        },
        "event": {
            "name": _t("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue"),
            "date": "2026-01-27",
            "participants": [
                {"name": name, "title": _t("經濟部長", "Minister of Economic Affairs")}
            ],
            "documents": [{"name": _t("矽盛世宣言及台美經濟安全合作聯合聲明", DOC)}],
        },
        "summary": [
            {
                "text": _t(
                    "雙方深化台美合作。",
                    "Both sides deepened U.S.-Taiwan cooperation and signed the " + DOC + ".",
                    "memory",
                    "seed.tmx (exact)",
                )
            },
            {
                "text": _t(
                    "美國支持台灣。", "The U.S. supports Taiwan.", "memory", "seed.tmx (fuzzy 91%)"
                )
            },
        ],
        "topics": [
            _t("人工智慧（AI）供應鏈", "AI supply chain"),
            _t("數位基礎建設", "Digital infrastructure"),
            _t("關鍵礦物", "Critical minerals"),
            _t("台美在第三國合作", "Taiwan-US cooperation in third countries"),
        ],
        "quotes": [
            {"text": _t("關鍵的夥伴", "a vital U.S. partner", "gloss", "article"), "speaker": None}
        ],
    }
    return parse_brief(data)


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_byline_is_shown_as_written_in_every_memo() -> None:
    brief = _brief()
    for audience in ("leadership", "working", "press", "gongwen"):
        markup = render_markup(brief, audience, "en")
        assert "[unverified]" not in markup, audience
        assert 'class="untranslated"' not in markup and 'class="unverified"' not in markup
        if audience in ("leadership", "working"):
            assert '(<span lang="zh-TW">顏一軒</span>)' in markup
    # Only the working memo's translator's notes mention it.
    leadership = _plain(render_markup(brief, "leadership", "en"))
    assert "verified" not in leadership
    working = _plain(render_markup(brief, "working", "en"))
    assert (
        "The reporter's name in the source line, 顏一軒, is shown as the article writes it; "
        "no verified spelling of it is on file."
    ) in working
    # In Chinese the byline is the source text itself.
    zh = render_markup(brief, "leadership", ZH)
    assert "顏一軒" in zh and "〔未查證〕" not in zh


def test_an_unverified_participant_is_still_marked_everywhere() -> None:
    brief = _brief(participant_known=False)
    for audience in ("leadership", "working"):
        plain = _plain(render_markup(brief, audience, "en"))
        assert "[unverified] 王大同" in plain
        assert (
            "1 name has no verified spelling in this language and is marked [unverified]: 王大同."
            in plain
        )
        assert "[unverified] 顏一軒" not in plain


def test_translator_notes_speak_the_readers_language() -> None:
    working = _plain(render_markup(_brief(), "working", "en"))
    assert "Where the text of this memo comes from" not in working
    assert "termbase/gloss" not in working
    assert (
        "1 passage was adapted from the reviewed translation of a similar sentence; the "
        "adaptation was not reviewed."
    ) in working
    assert (
        "The other 11 passages were translated from reviewed sources (official names and terms, "
        "the article's own translations and a reviewed translation memory)."
    ) in working


def test_translation_notes_in_both_languages() -> None:
    reviewed = Provenance(termbase=40, memory=20)
    assert translation_notes(reviewed, "en") == [
        "All passages were translated from reviewed sources (official names and terms and a "
        "reviewed translation memory)."
    ]
    assert translation_notes(reviewed, ZH) == [
        "所有文字均譯自經審核的來源（官方名稱與用語與經審核的翻譯記憶）。"
    ]
    machine = Provenance(termbase=5, engine=3, converted=1, byline_names=("Jane Porter",))
    assert translation_notes(machine, "en") == [
        "3 passages were translated by machine and not reviewed.",
        "1 passage was converted from Simplified Chinese characters by machine.",
        "The other 5 passages were translated from reviewed sources (official names and terms).",
        "The reporter's name in the source line, Jane Porter, is shown as the article writes "
        "it; no verified spelling of it is on file.",
    ]
    assert translation_notes(machine, ZH)[0] == "3段文字由機器翻譯，未經審核。"
    assert translation_notes(Provenance(), "en") == []


def test_usage_applies_to_briefgens_english_but_not_to_names_of_documents_or_quotes() -> None:
    brief = _brief()
    text = _plain(render_markup(brief, "working", "en"))
    assert "Both sides deepened Taiwan-US cooperation and signed the " + DOC in text
    assert "The US supports Taiwan." in text
    press = _plain(render_markup(brief, "press", "en"))
    assert DOC in press and "a vital U.S. partner" in press


def test_usage_comes_from_the_style_sheet_per_memo_language(tmp_path: Path) -> None:
    (tmp_path / "styles.yaml").write_text(
        "lang:\n  en:\n    usage: {us_form: U.S., pair_first: US}\n", encoding="utf-8"
    )
    text = _plain(render_markup(_brief(), "working", "en", Settings(template_dirs=(tmp_path,))))
    assert "deepened U.S.-Taiwan cooperation" in text
    assert "The U.S. supports Taiwan." in text
    assert "U.S.-Taiwan cooperation in third countries" in text
    explicit = _plain(render_markup(_brief(), "working", "en", usage=Usage("US", "")))
    assert "deepened US-Taiwan cooperation" in explicit


def test_topics_are_capitalised_as_a_list() -> None:
    text = _plain(render_markup(_brief(), "working", "en"))
    assert (
        "AI supply chain, digital infrastructure, critical minerals, Taiwan-US cooperation in "
        "third countries"
    ) in text
    # A bullet list keeps each item's capital.
    press = _plain(render_markup(_brief(), "press", "en"))
    assert "Digital infrastructure" in press
