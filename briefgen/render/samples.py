"""Sample briefs that between them take every branch of the built-in templates: what
``briefgen templates check`` renders templates with (``sample_briefs``), built in code,
plus the repository's seed article when briefgen runs from a checkout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import BriefgenError
from ..model import (
    AgendaItem,
    Brief,
    Dropped,
    Event,
    GlossEntry,
    Level,
    Participant,
    Point,
    Quote,
    Sentence,
    SignedDocument,
    SourceInfo,
    Span,
    Statement,
    Text,
    Timing,
    Via,
)
from ..settings import OfficeSettings

#: The seed article of the repository; a sample too when briefgen runs from a checkout.
SEED = Path(__file__).resolve().parents[2] / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"


@dataclass(frozen=True)
class Sample:
    """A brief to render templates with, and the options to render it with."""

    name: str
    brief: Brief
    date_style: str = "gregorian"
    #: ``zh-TW|English`` values, as on the command line.
    organisation: str = ""
    classification: str = ""
    #: The office a 簽 or 函 comes from (every field, so templates show every label).
    office: OfficeSettings = field(default_factory=OfficeSettings)


_NAME = "name: no verified spelling"

#: An office with every field (zh-TW|English values where a field is words).
_FULL_OFFICE = OfficeSettings(
    agency="經濟部國際貿易署|International Trade Administration",
    unit="雙邊貿易一組|Bilateral Trade Division I",
    head="署長|Director-General",
    address="臺北市中正區湖南路1號|1 Hunan Road, Taipei",
    contact="王小明|Wang Hsiao-ming",
    phone="(02)2397-7000",
    fax="(02)2397-7001",
    email="wang@example.gov.tw",
    recipient="外交部|Ministry of Foreign Affairs",
    original_to=("外交部|Ministry of Foreign Affairs",),
    copies_to=("國家發展委員會|National Development Council",),
    doc_number="貿雙一字第1150001234號|No. 1150001234",
    speed="普通件|Regular",
    secrecy="普通|Unclassified",
    attachments="會議紀錄|Minutes",
    date="2026-01-29",
)


def _zh(zh: str, en: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in zh-TW with its English, obtained ``via``; without English it
    is left untranslated (as ``translate`` leaves it: the source text, marked)."""
    text = Text(text={"zh-TW": zh, "en": zh if en is None else en})
    text.via.update({"zh-TW": Via.SOURCE, "en": Via.UNTRANSLATED if en is None else via})
    if ref:
        text.ref["en"] = ref
    return text


def _en(en: str, zh: str | None = None, via: Via = Via.MEMORY, ref: str = "") -> Text:
    """A text written in English with its zh-TW (untranslated without one)."""
    text = Text(text={"en": en, "zh-TW": en if zh is None else zh})
    text.via.update({"en": Via.SOURCE, "zh-TW": Via.UNTRANSLATED if zh is None else via})
    if ref:
        text.ref["zh-TW"] = ref
    return text


def _span(para: int | None) -> Span | None:
    return None if para is None else Span(paragraph=para, start=0, end=4)


def _s(text: Text, para: int | None = None) -> Sentence:
    return Sentence(text=text, source=_span(para))


def _p(text: Text, level: Level, actor: Text | None = None, para: int | None = None) -> Point:
    return Point(text=text, commitment=level, actor=actor, source=_span(para))


def _i(
    number: int,
    label: str,
    title: Text | None,
    points: Sequence[Point] = (),
    items: Sequence[Any] = (),
) -> AgendaItem:
    return AgendaItem(
        number=number, label=label, title=title, points=list(points), items=list(items)
    )


def _rich_sample() -> Sample:
    """A Chinese readout with everything: nested agenda items (one a single point that
    repeats its title), every commitment level, participants with and without titles,
    documents, topics, next steps, a notice, a glossary, two untranslated passages, two
    names without a verified spelling and a romanized one."""
    tb = Via.TERMBASE
    both, us = _zh("雙方", "Both sides", tb), _zh("美方", "The US", tb)
    items = [
        _i(
            1,
            "一、",
            _zh("供應鏈安全", "Supply chain security"),
            [
                _p(
                    _zh("雙方同意強化合作", "Both sides agreed to cooperate"), Level.AGREED, both, 1
                ),
                _p(_zh("我方將研議評估機制", "Taiwan will study a review"), Level.WILL_STUDY),
                _p(_zh("與會者交換意見"), Level.STATEMENT),
                _p(_zh("雙方就框架交換意見", "Both sides exchanged views"), Level.DONE, both),
            ],
            [
                _i(
                    1,
                    "（一）",
                    _zh("半導體", "Chips"),
                    [_p(_zh("半導體合作將持續", "Chips work will go on"), Level.WILL_CONTINUE)],
                ),
                _i(
                    2,
                    "（二）",
                    _zh("關鍵礦產", "Critical minerals"),
                    [_p(_zh("美方支持我國參與", "The US supports Taiwan"), Level.SUPPORTS, us)],
                    [
                        _i(
                            1,
                            "1、",
                            _zh("回收", "Recycling"),
                            [
                                _p(
                                    _zh("雙方將探討回收", "Both sides will explore recycling"),
                                    Level.WILL_EXPLORE,
                                )
                            ],
                        )
                    ],
                ),
                _i(3, "（三）", _zh("其他事項", "Other matters")),
            ],
        ),
        _i(
            2,
            "二、",
            _zh("簽署", "Signing"),
            [_p(_zh("簽署投資備忘錄", "Signing of an MOU"), Level.SIGNED)],
        ),
        _i(3, "三、", _zh("後續會議", "Follow-up meetings")),
    ]
    brief = Brief(
        source=SourceInfo(
            path="sample-rich.zh-TW.txt",
            language="zh-TW",
            outlet=_zh("中央通訊社", "Central News Agency", tb),
            desk=_zh("華盛頓", "Washington", tb),
            author=_zh("陳記者", ref=_NAME),
            headline=_zh("台美對話聚焦供應鏈", "Taiwan-US dialogue on supply chains"),
            published=date(2026, 1, 28),
        ),
        event=Event(
            name=_zh("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", tb),
            short_name="EPPD",
            round=6,
            date=date(2026, 1, 27),
            location=_zh("華府", "Washington, D.C.", tb),
            participants=[
                Participant(
                    name=_zh("王大明", "Wang Ta-ming", tb), title=_zh("部長", "Minister", tb)
                ),
                Participant(name=_zh("李小華", ref=_NAME)),
                Participant(
                    name=_zh("林志明", "Lin Chih-ming", Via.CONVERTED, "wade-giles (unverified)"),
                    title=_zh("次長", "Deputy Minister", tb),
                ),
            ],
            documents=[
                SignedDocument(
                    name=_zh("投資備忘錄", "Investment MOU"),
                    parties=[_zh("經濟部", "MOEA", tb), _zh("美國商務部", "US Commerce", tb)],
                    source=_span(1),
                ),
                SignedDocument(name=_zh("聯合聲明", "Joint Statement", tb)),
                SignedDocument(
                    name=_zh("認證協議", "Certification Agreement"),
                    parties=[_zh("工研院", "ITRI", tb), _zh("產業協會", "an association")],
                    timing=Timing.BEFORE,
                ),
                SignedDocument(name=_zh("合作協議", "Cooperation Agreement"), timing=Timing.AFTER),
                SignedDocument(
                    name=_zh("採購意向書", "Letter of Intent"),
                    parties=[_zh("台積電", "TSMC", tb)],
                    timing=Timing.ALONGSIDE,
                ),
            ],
        ),
        summary=[
            _s(_zh("台美舉行第6屆對話", "Taiwan and the US held the 6th EPPD"), 0),
            _s(_zh("雙方聚焦供應鏈。", "Both sides focused on supply chains.")),
        ],
        items=items,
        topics=[_zh("供應鏈安全", "supply chain security", tb), _zh("能源轉型")],
        next_steps=[
            _s(_zh("雙方將成立工作小組", "Both sides will set up a working group"), 1),
            _s(_zh("下屆對話將於明年舉行", "The next round will be held next year")),
            _s(_zh("雙方將定期檢視進展", "Both sides will review progress")),
        ],
        key_statements=[
            Statement(
                text=_zh("雙方均認同區域和平穩定至關重要", "Both sides agreed that peace matters"),
                by=_zh("外交部", "Ministry of Foreign Affairs", tb),
                source=_span(0),
            ),
            Statement(text=_zh("雙方重申深化合作", "Both sides reaffirmed closer ties")),
        ],
        background=[_s(_zh("同日並召開工作階層會議", "A working-level meeting was held"), 1)],
        dropped=[Dropped(text="小標題", reason="heading", source=_span(2))],
        quotes=[
            Quote(
                text=_zh("我們期待深化合作", "We look forward to closer ties"),
                speaker=_zh("王大明", "Wang Ta-ming", tb),
                about=_zh("台灣", "Taiwan", tb),
                channel=_zh("路透社", "Reuters", tb),
                source=_span(1),
            ),
            Quote(text=_zh("這是重要的一步", "This is an important step")),
        ],
        notices=["The dateline and the first paragraph give different dates."],
        glossary=[
            GlossEntry(
                zh="經濟繁榮夥伴對話",
                en="Economic Prosperity Partnership Dialogue",
                origin="article",
            ),
            GlossEntry(zh="經濟部", en="Ministry of Economic Affairs", origin="termbase"),
        ],
    )
    return Sample(
        "rich",
        brief,
        "gregorian",
        "外交部|Ministry of Foreign Affairs",
        "限閱|LIMITED",
        _FULL_OFFICE,
    )


def _no_agenda_sample() -> Sample:
    """A Chinese article without a numbered agenda: key points and the ``no_agenda``
    notice; no meeting name, date or place, no outlet, one untranslated passage, one
    participant's name and the author's (the byline, shown as written) without a verified
    spelling."""
    brief = Brief(
        source=SourceInfo(language="zh-TW", author=_zh("張記者", ref=_NAME)),
        event=Event(participants=[Participant(name=_zh("趙小寧", ref=_NAME))]),
        summary=[_s(_zh("雙方就經貿議題交換意見", "Both sides discussed trade"))],
        key_points=[
            _s(_zh("雙方同意加強投資合作", "Both sides agreed to invest more"), 0),
            _s(_zh("雙方將持續對話", "Both sides will keep talking")),
            _s(_zh("與會者提及半導體")),
            _s(_zh("會議氣氛良好", "The meeting was cordial")),
        ],
        notices=["no_agenda"],
    )
    return Sample("no-agenda", brief, office=_FULL_OFFICE)


def _english_sample() -> Sample:
    """An English readout, rendered into zh-TW too: one passage and one name left
    untranslated, a place but no meeting date, dates in the ROC calendar, agenda items
    without a title."""
    tb = Via.TERMBASE
    brief = Brief(
        source=SourceInfo(
            language="en",
            outlet=_en("State Department", "美國國務院", tb),
            desk=_en("Office of the Spokesperson", "發言人辦公室", tb),
            published=date(2026, 2, 3),
        ),
        event=Event(
            name=_en("Economic Prosperity Partnership Dialogue", "經濟繁榮夥伴對話", tb),
            round=7,
            location=_en("Taipei", "臺北", tb),
            participants=[
                Participant(
                    name=_en("Jane Doe", ref=_NAME), title=_en("Under Secretary", "次長", tb)
                )
            ],
        ),
        summary=[_s(_en("The two sides met in Taipei.", "雙方於臺北會面。"))],
        items=[
            _i(
                1,
                "1.",
                _en("Energy", "能源", tb),
                [
                    _p(
                        _en("Both sides agreed to trade more LNG", "雙方同意擴大液化天然氣貿易"),
                        Level.AGREED,
                    ),
                    _p(
                        _en("The US will explore grid projects"),
                        Level.WILL_EXPLORE,
                        _en("The US", "美方", tb),
                    ),
                ],
            ),
            _i(
                2,
                "2.",
                _en("Trade", "貿易", tb),
                [_p(_en("Trade talks will continue", "貿易談判將持續"), Level.WILL_CONTINUE)],
            ),
            # A numbered paragraph of the article: an item without a title, and one
            # without a title or points.
            _i(
                3,
                "3.",
                None,
                [
                    _p(
                        _en("The Ministers welcomed new investment", "部長們歡迎新的投資"),
                        Level.SUPPORTS,
                    ),
                    _p(_en("They will review it next year", "雙方將於明年檢視"), Level.WILL_STUDY),
                ],
                [_i(1, "(a)", None)],
            ),
        ],
        topics=[_en("energy security", "能源安全", tb)],
        next_steps=[_s(_en("Officials will meet again in the autumn.", "官員將於秋季再度會面。"))],
    )
    return Sample("english", brief, "roc", "Ministry of Foreign Affairs")


def _seed_sample() -> Sample | None:
    """The repository's seed article, extracted and translated, when it is there."""
    if not SEED.is_file():
        return None
    from ..pipeline import extract_brief, translate_brief
    from ..settings import Settings

    settings = Settings(user_memory=False)
    try:
        brief = extract_brief(SEED, settings)
        brief, _ = translate_brief(brief, settings, SEED)
    except BriefgenError:
        return None
    return Sample("seed", brief)


def sample_briefs(include_seed: bool = True) -> list[Sample]:
    """Briefs that between them take every branch of the built-in templates, plus the
    seed article's brief when briefgen runs from its repository."""
    samples = [_rich_sample(), _no_agenda_sample(), _english_sample()]
    seed = _seed_sample() if include_seed else None
    return [*samples, seed] if seed is not None else samples
