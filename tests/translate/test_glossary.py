"""The glossary: terms a reader needs, one English form each; where a memo's text comes
from (``provenance``); the byline kept apart from participants' unverified names."""

from __future__ import annotations

from briefgen.model import (
    Brief,
    Event,
    GlossEntry,
    Participant,
    Quote,
    Sentence,
    SourceInfo,
    Text,
    Via,
)
from briefgen.translate import (
    GlossProvider,
    TermbaseProvider,
    build_glossary,
    provenance,
    translate,
)
from briefgen.translate.termbase import Term, Termbase

ZH = "zh-TW"

TERMS = Termbase(
    [
        Term("雙方", "Both sides", "actor"),
        Term("美國", "The United States", "actor"),
        Term("華府", "Washington, D.C.", "place"),
        Term("龔明鑫", "Kung Ming-hsin", "person", side="taiwan"),
        Term("經濟部長", "Minister of Economic Affairs", "title"),
        Term("部長", "Minister", "title"),
        Term("美國國務院", "US Department of State", "org"),
        Term("經濟部", "Ministry of Economic Affairs", "org", "MOEA"),
        Term(
            "美國無人機產業協會",
            "Association for Uncrewed Vehicle Systems International",
            "org",
            "AUVSI",
        ),
        Term("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", "event", "EPPD"),
        Term(
            "台美經濟繁榮夥伴對話",
            "Taiwan-US Economic Prosperity Partnership Dialogue",
            "event",
            "EPPD",
        ),
        Term("無人機", "Unmanned aircraft systems", "term", "UAS"),
        Term("數位基礎建設", "Digital infrastructure", "term"),
        Term("新南向政策", "New Southbound Policy", "term"),
    ],
    "tb.tsv",
)


def _sample() -> Brief:
    paragraphs = [
        "經濟部長龔明鑫與美國國務院官員在華府舉行台美經濟繁榮夥伴對話，雙方討論數位基礎建設與無人機。",
        "美國無人機產業協會（AUVSI）與美國國務院（the U.S. State Department）"
        "稱台灣為「關鍵的夥伴」（a vital partner）。",
    ]
    return Brief(
        source=SourceInfo(language=ZH, paragraphs=paragraphs, author=Text.of("顏一軒", ZH)),
        event=Event(
            name=Text.of("經濟繁榮夥伴對話", ZH),
            location=Text.of("華府", ZH),
            participants=[
                Participant(name=Text.of("龔明鑫", ZH), title=Text.of("經濟部長", ZH)),
            ],
        ),
        summary=[Sentence(text=Text.of(paragraphs[0], ZH))],
        topics=[Text.of("數位基礎建設", ZH), Text.of("雙方", ZH), Text.of("美國", ZH)],
        quotes=[Quote(text=Text.of("關鍵的夥伴", ZH), speaker=Text.of("美國國務院", ZH))],
        glossary=[GlossEntry(zh="雙方", en="Both sides")],  # from an earlier run
    )


def _translated() -> tuple[Brief, object]:
    brief = _sample()
    glosses = {
        "美國無人機產業協會": "AUVSI",
        "美國國務院": "U.S. State Department",
        "關鍵的夥伴": "a vital partner",
    }
    return translate(brief, ["en"], [TermbaseProvider(TERMS), GlossProvider(glosses)])


def test_glossary_lists_what_a_reader_needs_once() -> None:
    out, _ = _translated()
    entries = {g.zh: (g.en, g.origin) for g in out.glossary}
    # No actors, places, people, common words, quoted words or generic titles.
    for generic in ("雙方", "美國", "華府", "龔明鑫", "數位基礎建設", "關鍵的夥伴", "部長"):
        assert generic not in entries, generic
    # One English form per concept: the one the memo's text uses (the quote's speaker is
    # the termbase's "US Department of State", not the article's gloss).
    assert entries["美國國務院"] == ("US Department of State", "termbase")
    # An abbreviation the article gives and the termbase's full name are one entry.
    assert entries["美國無人機產業協會"] == (
        "Association for Uncrewed Vehicle Systems International (AUVSI)",
        "termbase",
    )
    assert entries["無人機"] == ("Unmanned aircraft systems (UAS)", "termbase")
    assert entries["經濟部長"] == ("Minister of Economic Affairs", "termbase")
    # Two Chinese forms of one concept (EPPD): the first the article mentions.
    assert "台美經濟繁榮夥伴對話" in entries and "經濟繁榮夥伴對話" not in entries
    # 經濟部 only occurs inside 經濟部長 (a title): not an entry of its own.
    assert "經濟部" not in entries
    # In the order the article mentions them.
    order = [g.zh for g in out.glossary]
    assert order.index("經濟部長") < order.index("美國國務院") < order.index("美國無人機產業協會")
    assert len({g.en for g in out.glossary}) == len(out.glossary)


def test_the_form_the_memo_uses_wins_over_the_termbase() -> None:
    brief = Brief(
        source=SourceInfo(language=ZH, paragraphs=["新南向政策"]),
        summary=[
            Sentence(
                text=Text(
                    text={ZH: "推動新南向政策", "en": "Advance the Southbound Policy"},
                    via={ZH: Via.SOURCE, "en": Via.HUMAN},
                )
            )
        ],
    )
    glossary = build_glossary(brief, {"新南向政策": "Southbound Policy"}, TERMS)
    assert [(g.zh, g.en, g.origin) for g in glossary] == [
        ("新南向政策", "Southbound Policy", "article")
    ]
    # Without a use in the text, the termbase's (official) form.
    brief.summary = []
    glossary = build_glossary(brief, {"新南向政策": "Southbound Policy"}, TERMS)
    assert [(g.en, g.origin) for g in glossary] == [("New Southbound Policy", "termbase")]


def test_the_byline_is_reported_apart_from_participants() -> None:
    out, report = _translated()
    assert report.byline == {"en": ["顏一軒"]}
    assert report.unverified == {}
    assert out.source.author is not None and out.source.author.how("en") == Via.UNTRANSLATED
    brief = _sample()
    brief.event.participants.append(Participant(name=Text.of("王大同", ZH)))
    _, report = translate(brief, ["en"], [TermbaseProvider(TERMS)], romanize="wade-giles")
    assert report.unverified == {"en": ["王大同"]}
    assert report.byline == {"en": ["顏一軒"]}


def test_strict_does_not_refuse_for_the_byline_alone() -> None:
    import pytest

    from briefgen.errors import BriefgenError
    from briefgen.pipeline import check_strict
    from briefgen.settings import Settings

    brief = _sample()
    brief.summary, brief.quotes, brief.topics = [], [], []
    _, report = translate(brief, ["en"], [TermbaseProvider(TERMS)])
    check_strict(report, Settings(langs=["en"], strict=True))  # the byline: no refusal
    brief.event.participants.append(Participant(name=Text.of("王大同", ZH)))
    _, report = translate(brief, ["en"], [TermbaseProvider(TERMS)])
    with pytest.raises(BriefgenError, match="1 en name"):
        check_strict(report, Settings(langs=["en"], strict=True))


def test_provenance_groups_texts_the_way_a_reader_cares() -> None:
    def text(via: Via, ref: str = "") -> Text:
        return Text(
            text={ZH: "甲", "en": "A"},
            via={ZH: Via.SOURCE, "en": via},
            ref={"en": ref} if ref else {},
        )

    brief = Brief(
        source=SourceInfo(
            language=ZH,
            author=Text(
                text={ZH: "顏一軒", "en": "顏一軒"}, via={ZH: Via.SOURCE, "en": Via.UNTRANSLATED}
            ),
        ),
        event=Event(
            participants=[
                Participant(
                    name=Text(
                        text={ZH: "王大同", "en": "Wang Ta-tung"},
                        via={ZH: Via.SOURCE, "en": Via.CONVERTED},
                        ref={"en": "wade-giles (unverified)"},
                    )
                )
            ]
        ),
        topics=[
            text(Via.TERMBASE),
            text(Via.GLOSS),
            text(Via.MEMORY, "m.tmx (exact)"),
            text(Via.MEMORY, "m.tmx (fuzzy 92%)"),
            text(Via.ENGINE, "openai:x"),
            text(Via.ENGINE, "openai:x"),
            text(Via.UNTRANSLATED),
            Text.of("乙", ZH),
        ],
    )
    found = provenance(brief, "en")
    assert (found.termbase, found.gloss, found.memory, found.fuzzy, found.engine) == (1, 1, 1, 1, 2)
    assert (found.untranslated, found.converted, found.human) == (1, 0, 0)
    assert found.reviewed == 3 and found.unreviewed == 4
    assert found.unverified_names == ("王大同",) and found.byline_names == ("顏一軒",)
    assert provenance(brief, ZH).reviewed == 0
