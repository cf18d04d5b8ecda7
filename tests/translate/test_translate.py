"""translate(): provider order, untranslated segments, human edits, retries."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefgen.model import AgendaItem, Brief, SourceInfo, Text, Via, iter_texts
from briefgen.translate import (
    GlossProvider,
    MemoryProvider,
    TermbaseProvider,
    providers_for,
    translate,
)
from briefgen.translate.memory import TranslationMemory, read_tmx
from briefgen.translate.termbase import Term, Termbase

ZH = "zh-TW"


def _brief(*titles: Text) -> Brief:
    return Brief(
        source=SourceInfo(language=ZH),
        items=[AgendaItem(number=n, title=t) for n, t in enumerate(titles, 1)],
    )


def _termbase() -> Termbase:
    return Termbase([Term("雙邊經濟合作", "Bilateral economic cooperation", "term")], "tb.tsv")


def _memory(*pairs: tuple[str, str]) -> TranslationMemory:
    memory = TranslationMemory("memory.tmx")
    for zh, en in pairs:
        memory.add({ZH: zh, "en": en})
    return memory


def test_termbase_beats_memory() -> None:
    brief = _brief(Text.of("雙邊經濟合作", ZH))
    providers = [
        TermbaseProvider(_termbase()),
        MemoryProvider(_memory(("雙邊經濟合作", "Economic cooperation (memory)"))),
    ]
    out, report = translate(brief, ["en"], providers)
    title = out.items[0].title
    assert title.get("en") == "Bilateral economic cooperation"
    assert title.how("en") == Via.TERMBASE
    assert title.ref["en"] == "tb.tsv"
    assert report.counts == {"termbase": 1}
    assert brief.items[0].title.get("en") is None  # the input brief is not modified


def test_memory_fills_what_the_termbase_lacks() -> None:
    brief = _brief(Text.of("確保AI供應鏈的安全", ZH))
    providers = [
        TermbaseProvider(_termbase()),
        MemoryProvider(_memory(("確保AI供應鏈的安全", "Securing the AI supply chain"))),
    ]
    out, report = translate(brief, ["en"], providers)
    title = out.items[0].title
    assert (title.get("en"), title.how("en")) == ("Securing the AI supply chain", Via.MEMORY)
    assert title.ref["en"] == "memory.tmx (exact)"
    assert report.counts == {"memory": 1}
    assert report.missing("en") == 0


def test_gloss_provider() -> None:
    brief = _brief(Text.of("矽和平宣言", ZH))
    out, _ = translate(brief, ["en"], [GlossProvider({"矽和平宣言": "Pax Silica Declaration"})])
    title = out.items[0].title
    assert (title.get("en"), title.how("en"), title.ref["en"]) == (
        "Pax Silica Declaration",
        Via.GLOSS,
        "article",
    )


def test_untranslated_is_copied_in_source_language_and_reported() -> None:
    brief = _brief(Text.of("雙邊經濟合作", ZH), Text.of("高科技人才培育", ZH))
    out, report = translate(brief, [ZH, "en"], [TermbaseProvider(_termbase())])
    missing = out.items[1].title
    assert missing.get("en") == "高科技人才培育"
    assert missing.how("en") == Via.UNTRANSLATED
    assert "en" not in missing.ref
    assert missing.get(ZH) == "高科技人才培育"
    assert missing.how(ZH) == Via.SOURCE
    assert report.counts == {"termbase": 1, "untranslated": 1}
    assert report.untranslated == {"en": ["高科技人才培育"]}
    assert report.missing("en") == 1
    assert report.missing(ZH) == 0


def test_human_translation_is_kept() -> None:
    edited = Text(text={ZH: "雙邊經濟合作", "en": "Two-way economic ties"}, via={ZH: Via.SOURCE})
    explicit = Text(
        text={ZH: "雙邊經濟合作", "en": "Bilateral trade"}, via={ZH: Via.SOURCE, "en": Via.HUMAN}
    )
    brief = _brief(edited, explicit)
    out, report = translate(brief, ["en"], [TermbaseProvider(_termbase())])
    assert out.items[0].title.get("en") == "Two-way economic ties"
    assert out.items[0].title.how("en") == Via.HUMAN
    assert out.items[1].title.get("en") == "Bilateral trade"
    assert report.counts == {}


def test_untranslated_is_retried_when_a_provider_now_has_it() -> None:
    brief = _brief(Text.of("高科技人才培育", ZH))
    first, first_report = translate(brief, ["en"], [TermbaseProvider(_termbase())])
    assert first.items[0].title.how("en") == Via.UNTRANSLATED
    assert first_report.missing("en") == 1

    memory = _memory(("高科技人才培育", "High-tech talent development"))
    second, report = translate(
        first, ["en"], [TermbaseProvider(_termbase()), MemoryProvider(memory)]
    )
    title = second.items[0].title
    assert (title.get("en"), title.how("en")) == ("High-tech talent development", Via.MEMORY)
    assert report.counts == {"memory": 1}
    assert report.missing("en") == 0


def test_untranslated_stays_untranslated_when_still_unknown() -> None:
    brief = _brief(Text.of("高科技人才培育", ZH))
    first, _ = translate(brief, ["en"], [])
    second, report = translate(first, ["en"], [])
    assert second.items[0].title.how("en") == Via.UNTRANSLATED
    assert report.untranslated == {"en": ["高科技人才培育"]}


class _Engine:
    name = "fake-mt"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> list[str | None]:
        self.calls.append(list(segments))
        return [f"MT:{s}" if s.startswith("高") else None for s in segments]


def test_engine_gets_only_what_providers_lack() -> None:
    brief = _brief(Text.of("雙邊經濟合作", ZH), Text.of("高科技人才培育", ZH), Text.of("其他", ZH))
    engine = _Engine()
    out, report = translate(brief, ["en"], [TermbaseProvider(_termbase())], engine)
    assert engine.calls == [["高科技人才培育", "其他"]]
    assert out.items[1].title.how("en") == Via.ENGINE
    assert out.items[1].title.ref["en"] == "fake-mt"
    assert out.items[2].title.how("en") == Via.UNTRANSLATED
    assert report.counts == {"termbase": 1, "engine": 1, "untranslated": 1}


def test_english_to_chinese_through_the_termbase() -> None:
    brief = Brief(
        source=SourceInfo(language="en"),
        items=[AgendaItem(number=1, title=Text.of(" bilateral economic cooperation", "en"))],
    )
    out, _ = translate(brief, [ZH], [TermbaseProvider(_termbase())])
    assert out.items[0].title.get(ZH) == "雙邊經濟合作"
    assert out.items[0].title.how(ZH) == Via.TERMBASE


def test_sample_with_reviewed_tmx(
    sample_brief: Brief, termbase: Termbase, sample_tmx_path: Path
) -> None:
    providers = providers_for(sample_brief, termbase, [read_tmx(sample_tmx_path)])
    out, report = translate(sample_brief, [ZH, "en"], providers)
    titles = [item.title for item in out.items]
    assert (titles[0].get("en"), titles[0].how("en")) == (
        "Securing the AI supply chain",
        Via.MEMORY,
    )
    assert (titles[6].get("en"), titles[6].how("en")) == (
        "Bilateral economic cooperation",
        Via.TERMBASE,
    )
    kung = out.event.participants[0]
    assert (kung.name.get("en"), kung.name.how("en")) == ("Kung Ming-hsin", Via.TERMBASE)
    for item in out.items:
        for point in item.points:
            assert point.text.how("en") == Via.MEMORY, point.text.get(ZH)
    texts = iter_texts(out)
    assert all(t.get("en") is not None for t in texts)
    assert sum(report.counts.values()) == len(texts)
    # Nothing is untranslated; the reporter's name has no verified spelling, so it is
    # kept in Chinese (never spelt in pinyin) and reported apart from participants' names:
    # it is the byline, shown as written.
    assert report.missing("en") == 0
    assert report.unverified == {}
    assert report.byline == {"en": ["顏一軒"]}
    assert out.source.author.how("en") == Via.UNTRANSLATED
    assert report.untranslated == {}
    untranslated = [t.get(ZH) for t in texts if t.how("en") == Via.UNTRANSLATED]
    assert untranslated == report.byline["en"]


def test_simplified_source_gets_traditional_by_opencc() -> None:
    brief = Brief(
        source=SourceInfo(language="zh-CN"),
        items=[AgendaItem(number=1, title=Text.of("软件产业与信息安全", "zh-CN"))],
    )
    plain, _ = translate(brief, ["zh-TW"], providers_for(brief, Termbase()))
    title = plain.items[0].title
    assert title.get("zh-TW") == "軟件產業與信息安全"
    assert title.how("zh-TW") == Via.CONVERTED
    assert title.ref["zh-TW"] == "opencc s2tw"
    phrased, _ = translate(
        brief, ["zh-TW"], providers_for(brief, Termbase(), opencc_config="s2twp")
    )
    assert phrased.items[0].title.get("zh-TW") == "軟體產業與資訊安全"


def test_simplified_source_reaches_english_through_traditional_terms() -> None:
    brief = Brief(
        source=SourceInfo(language="zh-CN"),
        items=[AgendaItem(number=1, title=Text.of("双边经济合作", "zh-CN"))],
    )
    out, report = translate(brief, ["en", "zh-TW"], providers_for(brief, _termbase()))
    title = out.items[0].title
    assert title.get("zh-TW") == "雙邊經濟合作"
    assert title.get("en") == "Bilateral economic cooperation"
    assert title.how("en") == Via.TERMBASE
    assert report.missing("en") == 0
