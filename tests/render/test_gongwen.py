"""The 簽 (gongwen, zh-TW), the 函 (letter) and their English forms (issue 14): the shape
the 文書處理手冊 prescribes, every field from the brief or the [office] settings and left
out when they lack it, never placeholder text. Rendered to Documents (markup -> IR), on
the sample and on three other readouts; one PDF for its page count."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import ir
from briefgen.errors import BriefgenError
from briefgen.model import Brief, Text, Via
from briefgen.pipeline import extract_brief, stylesheet, translate_brief
from briefgen.render import (
    audiences,
    document_day,
    office_values,
    press_release,
    render,
    subject_names,
)
from briefgen.settings import DEFAULT_AUDIENCES, OfficeSettings, Settings, load_settings
from briefgen.writers import write

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
#: Three readouts besides the sample: a zh-TW news report with an agenda, a Simplified
#: Chinese one without an agenda and without an outlet, an English press release.
OTHER_READOUTS = (
    CORPUS / "tw-eu-scrd-3.txt",
    CORPUS / "real" / "48-chinaasean-china-pakistan-cpec-jcc-9th.zh-CN.txt",
    CORPUS / "real" / "22-ustr-us-india-tpf-9th.en.txt",
)
FULL = OfficeSettings(
    agency="經濟部國際貿易署|International Trade Administration, Ministry of Economic Affairs",
    unit="雙邊貿易一組|Bilateral Trade Division I",
    head="署長|Director-General",
    address="100臺北市中正區湖南路1號|1 Hunan Road, Taipei 100",
    contact="王小明|Wang Hsiao-ming",
    phone="(02)2397-7000",
    fax="(02)2397-7001",
    email="wang@trade.gov.tw",
    recipient="外交部|Ministry of Foreign Affairs",
    original_to=("外交部|Ministry of Foreign Affairs",),
    copies_to=("國家發展委員會|National Development Council", "本署雙邊貿易一組|Division I"),
    doc_number="貿雙一字第1150001234號|ITA No. 1150001234",
    speed="普通件|Regular",
    secrecy="密|Confidential",
    attachments="會議成果資料1份|Outcome summary, 1 copy",
    date="2026-01-29",
)
DATED = OfficeSettings(date="2026-01-29")
PLACEHOLDERS = ("○", "◯", "＿", "承辦單位", "drafting unit", "The Minister", "XXX", "TBD")
SIGN_ORDER = [
    "gongwen-title",
    "gongwen-date",
    "gongwen-subject",
    "gongwen-section",
    "list",
    "gongwen-section",
    "list",
    "gongwen-closing",
]


def _flat(blocks: list[ir.Block]) -> list[str]:
    """The text of every paragraph and heading, lists and tables included, in order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ir.Heading | ir.Para):
            out.append(ir.plain_text(block.children))
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            for item in block.items:
                out += _flat(item.blocks)
        elif isinstance(block, ir.Table):
            for row in block.rows:
                for cell in row:
                    out += _flat(cell.blocks)
        elif isinstance(block, ir.Div | ir.BlockQuote):
            out += _flat(block.blocks)
    return out


def _text(doc: ir.Document) -> str:
    return "\n".join(_flat(doc.blocks))


def _top(doc: ir.Document) -> list[tuple[str | None, str]]:
    """(style, text) of each top-level block."""
    out: list[tuple[str | None, str]] = []
    for block in doc.blocks:
        style = block.style or ("list" if isinstance(block, ir.OrderedList) else None)
        text = ir.plain_text(block.children) if isinstance(block, ir.Heading | ir.Para) else ""
        out.append((style, text))
    return out


def _lists(doc: ir.Document) -> list[ir.OrderedList]:
    return [b for b in doc.blocks if isinstance(b, ir.OrderedList)]


def _items(block: ir.OrderedList) -> list[str]:
    """The first paragraph of each item of a list."""
    return [_flat(item.blocks)[0] for item in block.items]


def _subject(doc: ir.Document, label: str) -> str:
    (line,) = [t for _, t in _top(doc) if t.startswith(label)]
    return line[len(label) :].strip()


def _sign(brief: Brief, office: OfficeSettings = FULL, **settings: object) -> ir.Document:
    return render(brief, "gongwen", "zh-TW", Settings(office=office, **settings))


@pytest.fixture(scope="module")
def others() -> list[Brief]:
    """The other readouts, extracted and translated."""
    briefs = []
    for path in OTHER_READOUTS:
        settings = Settings()
        brief, _ = translate_brief(extract_brief(path, settings), settings, path)
        briefs.append(brief)
    return briefs


@pytest.fixture()
def every(translated_brief: Brief, others: list[Brief]) -> list[Brief]:
    return [translated_brief, *others]


# The 簽 -----------------------------------------------------------------------------------


def test_the_sample_sign_has_the_handbooks_shape(translated_brief: Brief) -> None:
    doc = _sign(translated_brief)
    top = _top(doc)
    assert [style for style, _ in top[: len(SIGN_ORDER)]] == SIGN_ORDER
    texts = [text for _, text in top]
    assert texts[0].replace(" ", "").replace("\u3000", "") == "簽於雙邊貿易一組"
    assert texts[1] == "中華民國115年1月29日"
    assert texts[2] == "主旨：陳報第6屆經濟繁榮夥伴對話（EPPD）會議成果一案，簽請鑒核。"
    assert (texts[3], texts[5]) == ("說明：", "擬辦：")
    explanation, proposals = _lists(doc)
    first, second, third = _items(explanation)
    # 引據: the article, never its pasted lede (with its unclosed 「).
    assert first == "依據民視新聞115年1月28日報導辦理。"
    # 申述: what happened, in whole sentences.
    assert second.startswith(
        "第6屆經濟繁榮夥伴對話（EPPD）於115年1月27日在華府舉行，由經濟部長龔明鑫與"
        "美國國務院主管經濟事務的次卿海柏格率團與會。會議就確保AI供應鏈的安全、"
    )
    assert second.endswith("等議題進行討論。")
    # 歸結: the statements, the meeting's own signing, each item's commitment, what follows.
    outcome = "\n".join(_flat(explanation.items[2].blocks))
    assert third == "會議成果如下："
    for part in (
        "雙方均認同台海和平穩定攸關全球經濟安全與繁榮",
        "會中簽署「矽盛世宣言及台美經濟安全合作聯合聲明」。",
        "會前，工業技術研究院與美國無人機產業協會簽署",
        "確保AI供應鏈的安全：雙方同意共同盤點台美企業",
        "未來雙方也將就重要合作議題成立工作小組",
    ):
        assert part in outcome
    text = _text(doc)
    assert "對此，外交部今（28）日" not in text
    assert text.count("「") == text.count("」")
    # 擬辦: proposals for the office, each a whole sentence.
    items = _items(proposals)
    assert items[0].startswith("擬就會議同意推動之確保AI供應鏈的安全、")
    assert items[0].endswith("等事項，研提後續合作規劃。")
    assert items[2].startswith("有關未來雙方也將就重要合作議題成立工作小組乙節，擬持續追蹤")
    assert items[-1] == "擬陳閱後存參。"
    assert all("擬" in item and item.endswith("。") for item in items)


def test_a_sign_carries_no_recipient_and_the_signoff_block(translated_brief: Brief) -> None:
    doc = _sign(translated_brief)
    assert "受文者" not in _text(doc)
    (table,) = [b for b in doc.blocks if isinstance(b, ir.Table)]
    assert [["\n".join(_flat(c.blocks)) for c in row] for row in table.rows] == [
        ["承辦", "核稿", "決行"],
        ["", "", ""],  # left empty to sign in: not placeholders
    ]
    assert doc.blocks.index(table) > [s for s, _ in _top(doc)].index("gongwen-closing")


def test_the_closing_names_the_head_only_when_configured(translated_brief: Brief) -> None:
    closing = dict(_top(_sign(translated_brief)))["gongwen-closing"]
    assert closing.replace("\u3000", " ").split() == ["敬陳", "署長"]
    assert dict(_top(_sign(translated_brief, DATED)))["gongwen-closing"] == "敬陳"


def test_without_an_office_the_sign_leaves_its_fields_out(translated_brief: Brief) -> None:
    doc = _sign(translated_brief, DATED)
    top = _top(doc)
    assert top[0] == ("gongwen-title", "簽")
    assert top[1] == ("gongwen-date", "中華民國115年1月29日")


@pytest.mark.parametrize("audience", ["gongwen", "letter"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("office", [FULL, DATED, OfficeSettings()], ids=["full", "dated", "none"])
def test_no_placeholder_ever_reaches_a_document(
    every: list[Brief], audience: str, lang: str, office: OfficeSettings
) -> None:
    for brief in every:
        doc = render(brief, audience, lang, Settings(office=office))
        text = _text(doc)
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (brief.source.path, placeholder)
        assert "None" not in text and "{" not in text
        for label in ("：", ": "):  # no label left without its value
            assert not any(line.rstrip().endswith(label) for line in _flat(doc.blocks[:3]))


@pytest.mark.parametrize("audience", ["gongwen", "letter"])
def test_every_readout_gets_the_shape_with_a_short_subject_and_roc_dates(
    every: list[Brief], audience: str
) -> None:
    label = "主旨："
    for brief in every:
        doc = render(brief, audience, "zh-TW", Settings(office=FULL))
        subject = _subject(doc, label)
        assert 0 < len(subject) <= 60, subject
        assert subject.endswith(("簽請鑒核。", "請查照。", "請查照並惠予協助。"))
        text = _text(doc)
        assert "中華民國115年1月29日" in text
        assert "2026年" not in text and "2025年" not in text  # no Gregorian year in Chinese
        sections = [t for s, t in _top(doc) if s == "gongwen-section"]
        assert sections[:1] == ["說明："]
        explanation = _lists(doc)[0]
        first = _items(explanation)[0]
        assert first.startswith("依據") and first.endswith("辦理。")
        assert len(explanation.items) == 3
        if audience == "gongwen":
            assert sections == ["說明：", "擬辦："]
            assert _items(_lists(doc)[1])[-1] == "擬陳閱後存參。"


def _named(brief: Brief, name: str, short: str | None, round_: int | None) -> Brief:
    event = brief.event.model_copy(
        update={
            "name": Text(text={"zh-TW": name}, via={"zh-TW": Via.SOURCE}),
            "short_name": short,
            "round": round_,
        }
    )
    return brief.model_copy(update={"event": event})


_WORDS = (
    "臺灣與歐洲聯盟產業供應鏈韌性暨數位經濟與綠色能源轉型"
    + "暨人才培育暨中小企業國際化暨投資保障暨農業合作"
)


def _long_name(length: int) -> str:
    """A name of ``length`` characters ending in 對話."""
    return _WORDS[: length - 2] + "對話"


# 「陳報」 + name + 「會議成果一案，簽請鑒核。」: 14 characters around the name, so at
# most 46 for it (第12屆 4, （TEHLD） 7).
@pytest.mark.parametrize(
    ("length", "short", "round_", "expected"),
    [
        (30, "TEHLD", 12, "第12屆{name}（TEHLD）會議"),  # fits whole
        (40, "TEHLD", 12, "第12屆{name}會議"),  # the bracketed part goes first
        (44, "TEHLD", 12, "{name}會議"),  # then the ordinal wording
        (50, "TEHLD", 12, "TEHLD會議"),  # then the abbreviation the brief has
        (50, None, None, "本次會議"),  # nothing shorter: this meeting
    ],
)
def test_a_long_name_is_shortened_by_rule_to_keep_the_subject_within_60(
    translated_brief: Brief, length: int, short: str | None, round_: int | None, expected: str
) -> None:
    name = _long_name(length)
    subject = _subject(_sign(_named(translated_brief, name, short, round_)), "主旨：")
    assert subject == "陳報" + expected.format(name=name) + "成果一案，簽請鑒核。"
    assert len(subject) <= 60


def test_a_name_that_says_it_is_a_meeting_takes_no_second_one(translated_brief: Brief) -> None:
    subject = _subject(_sign(_named(translated_brief, "中巴經濟走廊聯委會會議", None, 9)), "主旨：")
    assert subject == "陳報第9屆中巴經濟走廊聯委會會議成果一案，簽請鑒核。"


def test_subject_names_each_one_rule_shorter() -> None:
    event = {
        "name": {"zh-TW": "經濟繁榮夥伴對話", "en": "Economic Prosperity Partnership Dialogue"},
        "short_name": "EPPD",
        "round": 6,
    }
    assert subject_names(event, "zh-TW") == [
        "第6屆經濟繁榮夥伴對話（EPPD）會議",
        "第6屆經濟繁榮夥伴對話會議",
        "經濟繁榮夥伴對話會議",
        "EPPD會議",
        "本次會議",
    ]
    assert subject_names(event, "en") == [
        "the 6th Economic Prosperity Partnership Dialogue (EPPD)",
        "the 6th Economic Prosperity Partnership Dialogue",
        "the Economic Prosperity Partnership Dialogue",
        "the EPPD",
        "this meeting",
    ]
    untranslated = {"name": {"zh-TW": "X對話", "en": "X對話", "via": {"en": "untranslated"}}}
    assert subject_names(untranslated, "en") == ["this meeting"]
    assert subject_names(None, "zh-TW") == ["本次會議"]


def test_a_government_outlet_is_cited_as_a_press_release(translated_brief: Brief) -> None:
    assert press_release({"zh-TW": "外交部", "en": "Ministry of Foreign Affairs"})
    assert press_release({"en": "Office of the United States Trade Representative"})
    assert not press_release({"zh-TW": "民視新聞", "en": "FTV News"})
    outlet = Text(text={"zh-TW": "外交部", "en": "Ministry of Foreign Affairs"})
    source = translated_brief.source.model_copy(update={"outlet": outlet})
    brief = translated_brief.model_copy(update={"source": source})
    assert _items(_lists(_sign(brief))[0])[0] == "依據外交部115年1月28日新聞稿辦理。"


# The 函 -----------------------------------------------------------------------------------

LETTER_ORDER = [
    "經濟部國際貿易署函",
    "地址：",
    "承辦人：",
    "電話：",
    "傳真：",
    "電子信箱：",
    "受文者：",
    "發文日期：",
    "發文字號：",
    "速別：",
    "密等及解密條件或保密期限：",
    "附件：",
    "主旨：",
    "說明：",
    "辦法：",
    "正本：",
    "副本：",
]


def _labels(doc: ir.Document) -> list[str]:
    """Each top-level line's label (to its colon), the heading whole, without spaces."""
    out = []
    for _, text in _top(doc):
        text = "".join(text.split())
        out.append(text[: text.index("：") + 1] if "：" in text else text)
    return [t for t in out if t]


def test_the_letter_has_every_field_in_the_handbooks_order(translated_brief: Brief) -> None:
    doc = render(translated_brief, "letter", "zh-TW", Settings(office=FULL))
    assert _labels(doc) == LETTER_ORDER
    lines = {}
    for _, line in _top(doc):
        squeezed = "".join(line.split())
        lines.update({label: line for label in LETTER_ORDER if squeezed.startswith(label)})
    assert lines["發文日期："] == "發文日期：中華民國115年1月29日"
    assert lines["發文字號："] == "發文字號：貿雙一字第1150001234號"
    assert lines["密等及解密條件或保密期限："].endswith("密")
    assert lines["正本："] == "正本：外交部"
    assert lines["副本："] == "副本：國家發展委員會、本署雙邊貿易一組"
    assert lines["主旨："] == (
        "主旨：檢送第6屆經濟繁榮夥伴對話（EPPD）會議成果（如附件），請查照並惠予協助。"
    )
    (action,) = _items(_lists(doc)[1])
    assert action.startswith("有關未來雙方也將就重要合作議題成立工作小組乙節，涉及貴管業務部分")


def test_a_letter_leaves_out_what_is_not_configured(translated_brief: Brief) -> None:
    brief = translated_brief.model_copy(update={"next_steps": []})
    doc = render(brief, "letter", "zh-TW", Settings(office=DATED))
    assert _labels(doc) == ["函", "發文日期：", "主旨：", "說明："]
    assert _subject(doc, "主旨：") == "第6屆經濟繁榮夥伴對話（EPPD）會議成果如說明，請查照。"


def test_the_english_letter_has_the_same_fields_in_english(translated_brief: Brief) -> None:
    doc = render(translated_brief, "letter", "en", Settings(office=FULL))
    labels = [t.split(":")[0] + ":" if ":" in t else t for _, t in _top(doc) if t]
    assert labels == [
        "International Trade Administration, Ministry of Economic Affairs",
        "Address:",
        "Contact person:",
        "Telephone:",
        "Fax:",
        "Email:",
        "To:",
        "Date of issue:",
        "Reference No.:",
        "Delivery:",
        "Classification and declassification:",
        "Enclosures:",
        "Subject:",
        "Details:",
        "Action requested:",
        "Original to:",
        "Copies to:",
    ]
    text = _text(doc)
    assert "Date of issue: January 29, 2026" in text
    assert "Copies to: National Development Council, Division I" in text


def test_the_letter_is_built_on_request_only() -> None:
    assert "letter" in audiences()
    assert "letter" not in DEFAULT_AUDIENCES
    assert Settings().audiences == ("leadership", "working", "press", "gongwen")


# The English memo -------------------------------------------------------------------------


def test_the_english_memo_fills_every_field_from_the_settings(translated_brief: Brief) -> None:
    doc = render(translated_brief, "gongwen", "en", Settings(office=FULL))
    top = [t for _, t in _top(doc) if t]
    assert top[:5] == [
        "MEMORANDUM",
        "TO: Director-General",
        "FROM: Bilateral Trade Division I, International Trade Administration, "
        "Ministry of Economic Affairs",
        "DATE: January 29, 2026",
        "SUBJECT: Outcome of the 6th Economic Prosperity Partnership Dialogue (EPPD), "
        "submitted for your review.",
    ]
    assert [t for s, t in _top(doc) if s == "gongwen-section"] == [
        "DISCUSSION:",
        "RECOMMENDATION:",
    ]
    discussion, recommendation = _lists(doc)
    assert _items(discussion)[0] == (
        "This is based on the report by FTV News dated January 28, 2026."
    )
    assert _items(discussion)[1].startswith(
        "The 6th Economic Prosperity Partnership Dialogue (EPPD) was held in Washington"
    )
    assert all(item.startswith("It is proposed that") for item in _items(recommendation))


def test_the_english_memo_leaves_out_what_is_not_given(translated_brief: Brief) -> None:
    top = [t for _, t in _top(render(translated_brief, "gongwen", "en", Settings(office=DATED)))]
    assert not any(t.startswith(("TO:", "FROM:")) for t in top)
    assert "DATE: January 29, 2026" in top
    with_org = render(translated_brief, "gongwen", "en", Settings(organisation="MOEA"))
    assert "FROM: MOEA" in [t for _, t in _top(with_org)]


# Settings, the date, typography -----------------------------------------------------------


def test_office_values_take_the_languages_half() -> None:
    zh, en = office_values(FULL, "zh-TW"), office_values(FULL, "en")
    assert (zh["unit"], en["unit"]) == ("雙邊貿易一組", "Bilateral Trade Division I")
    assert zh["copies_to"] == ["國家發展委員會", "本署雙邊貿易一組"]
    assert zh["phone"] == en["phone"] == "(02)2397-7000"
    assert office_values(OfficeSettings(), "zh-TW")["head"] == ""
    assert "date" not in zh


def test_the_document_is_dated_by_setting_else_by_the_build() -> None:
    assert document_day(DATED, {"SOURCE_DATE_EPOCH": "0"}) == date(2026, 1, 29)
    assert document_day(OfficeSettings(), {"SOURCE_DATE_EPOCH": "1769644800"}) == date(2026, 1, 29)
    assert document_day(OfficeSettings(), {}) == date.today()
    with pytest.raises(BriefgenError, match="SOURCE_DATE_EPOCH"):
        document_day(OfficeSettings(), {"SOURCE_DATE_EPOCH": "yesterday"})


def test_the_office_table_of_the_config_file_reaches_the_sign(
    translated_brief: Brief, tmp_path: Path
) -> None:
    config = tmp_path / "briefgen.toml"
    config.write_text(
        '[office]\nunit = "雙邊貿易一組|Division I"\nhead = "署長|Director-General"\n'
        'date = "2026-02-03"\n',
        encoding="utf-8",
    )
    settings = load_settings(config=config, environ={})
    top = _top(render(translated_brief, "gongwen", "zh-TW", settings))
    assert top[1] == ("gongwen-date", "中華民國115年2月3日")
    assert dict(top)["gongwen-closing"].split() == ["敬陳", "署長"]


@pytest.mark.parametrize("audience", ["gongwen", "letter"])
def test_typography_is_the_handbooks(audience: str) -> None:
    sheet = stylesheet(Settings(), "zh-TW", audience)
    assert sheet.font_role("kai").docx_east_asia == "標楷體"
    for name in ("body", "gongwen-subject", "gongwen-section", "list", "list-item"):
        style = sheet.style(name)
        assert style["font"] == "kai" and float(style["size"]) == 16, name
    for name in sheet.names:
        style = sheet.style(name)
        if name.startswith(("gongwen", "letter", "signoff")) or name in ("body", "list"):
            assert style.get("color", "#000000") == "#000000", name
            assert style.get("font") != "sans", name
            assert not style.get("background"), name


def test_the_sample_sign_is_two_pages_at_most(translated_brief: Brief) -> None:
    settings = Settings(office=FULL)
    doc = render(translated_brief, "gongwen", "zh-TW", settings)
    pdf = write(doc, "pdf", stylesheet(settings, "zh-TW", "gongwen"))
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    assert "承辦" in reader.pages[-1].extract_text()
