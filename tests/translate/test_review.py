"""translate.review: XLIFF 2.0/1.2 export of the translations to review, and import of
a translator's file back into the brief."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import etree

from briefgen.errors import InputError
from briefgen.model import (
    AgendaItem,
    Brief,
    SourceInfo,
    Text,
    Via,
    dump_brief,
    iter_texts,
    parse_brief,
)
from briefgen.translate.review import (
    NS12,
    NS20,
    apply_review,
    export_review,
    fingerprint,
    import_review,
    review_segments,
    walk_texts,
)

X20 = {"x": NS20}
X12 = {"x": NS12}
TITLE = "items.0.title"  # 確保AI供應鏈的安全, from the reviewed TMX
AUTHOR = "source.author"  # 顏一軒: a name with no verified spelling, untranslated


def _reviewable(brief: Brief, lang: str = "en") -> list[Text]:
    return [t for t in iter_texts(brief) if t.how(lang) not in (None, Via.HUMAN, Via.SOURCE)]


def _set_targets(path: Path, targets: dict[str, str], version: str = "2.0", **attrs: str) -> None:
    """Edit ``path`` like a translator: new target text (and attributes) for some units."""
    tree = etree.parse(str(path))
    ns = X20 if version == "2.0" else X12
    unit_tag = "unit" if version == "2.0" else "trans-unit"
    for unit_id, text in targets.items():
        (unit,) = tree.xpath(f"//x:{unit_tag}[@id=$id]", namespaces=ns, id=unit_id)
        (target,) = unit.xpath(".//x:target", namespaces=ns)
        target.text = text
        for key, value in attrs.items():
            element = target.getparent() if key == "state" and version == "2.0" else target
            if key == "approved":
                element = unit
            element.set(key, value)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_walk_texts_paths_in_document_order(translated_brief: Brief) -> None:
    walked = list(walk_texts(translated_brief))
    assert [id(t) for _, t in walked] == [id(t) for t in iter_texts(translated_brief)]
    paths = dict(walked)
    assert len(paths) == len(walked)
    assert paths[TITLE] is translated_brief.items[0].title
    assert paths["items.0.points.2.text"] is translated_brief.items[0].points[2].text
    assert paths["event.participants.0.name"] is translated_brief.event.participants[0].name
    assert paths["summary.0.text"] is translated_brief.summary[0].text
    assert paths["source.outlet"] is translated_brief.source.outlet


def test_fingerprint_follows_source_texts_only(translated_brief: Brief) -> None:
    stamp = fingerprint(translated_brief)
    assert stamp.startswith("sha256:") and len(stamp) == 7 + 64
    edited = translated_brief.model_copy(deep=True)
    edited.items[0].title.text["en"] = "Something else"
    edited.items[0].title.via["en"] = Via.HUMAN
    assert fingerprint(edited) == stamp
    edited.items[0].title.text["zh-TW"] = "確保AI供應鏈安全"
    assert fingerprint(edited) != stamp


def test_export_xliff20(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "review.xlf"
    count = export_review(translated_brief, path, ["en"])
    assert count == len(_reviewable(translated_brief)) == 90
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS20}}}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "zh-TW", "en")
    (file,) = root.findall("x:file", X20)
    assert file.get("original") == "eppd-6-2026-01-28.zh-TW.txt"
    (stamp,) = file.xpath("x:notes/x:note[@category='fingerprint']", namespaces=X20)
    assert stamp.text == fingerprint(translated_brief)
    units = file.findall("x:unit", X20)
    assert len(units) == count
    assert len({u.get("id") for u in units}) == count
    by_id = {u.get("id"): u for u in units}
    title = by_id[TITLE]
    assert title.findtext("x:notes/x:note[@category='origin']", namespaces=X20) == (
        "memory: " + translated_brief.items[0].title.ref["en"]
    )
    segment = title.find("x:segment", X20)
    assert segment.get("state") == "translated"
    assert segment.findtext("x:source", namespaces=X20) == "確保AI供應鏈的安全"
    assert segment.findtext("x:target", namespaces=X20) == "Securing the AI supply chain"
    author = by_id[AUTHOR].find("x:segment", X20)
    assert author.get("state") == "initial"
    assert author.findtext("x:source", namespaces=X20) == "顏一軒"
    assert author.findtext("x:target", namespaces=X20) == ""
    assert (
        by_id["event.participants.0.name"]
        .findtext("x:notes/x:note", namespaces=X20)
        .startswith("termbase")
    )
    # document order, and the ids are the brief's paths
    paths = [p for p, t in walk_texts(translated_brief) if t in _reviewable(translated_brief)]
    assert [u.get("id") for u in units] == paths


def test_export_skips_human_and_source_texts(translated_brief: Brief, tmp_path: Path) -> None:
    brief = translated_brief.model_copy(deep=True)
    brief.items[0].title.via["en"] = Via.HUMAN
    brief.items[1].title.via.pop("en")  # no via entry: counts as human
    segments = review_segments(brief, "en")
    assert len(segments) == 88
    assert TITLE not in {s.id for s in segments}
    assert review_segments(brief, "zh-TW") == []  # the source language is never reviewed
    assert export_review(brief, tmp_path / "r.xlf", ["en"]) == 88


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_round_trip_two_edits(translated_brief: Brief, tmp_path: Path, version: str) -> None:
    path = tmp_path / "eppd-6.en.xlf"
    export_review(translated_brief, path, ["en"], version=version)
    _set_targets(
        path,
        {TITLE: "Making the AI supply chain secure & “trusted”", AUTHOR: "Yen Yi-hsuan"},
        version,
    )
    brief, pairs = import_review(translated_brief, path)
    title, author = brief.items[0].title, brief.source.author
    assert (title.get("en"), title.how("en"), title.ref["en"]) == (
        "Making the AI supply chain secure & “trusted”",
        Via.HUMAN,
        "review:eppd-6.en.xlf",
    )
    assert (author.get("en"), author.how("en"), author.ref["en"]) == (
        "Yen Yi-hsuan",
        Via.HUMAN,
        "review:eppd-6.en.xlf",
    )
    assert title.get("zh-TW") == "確保AI供應鏈的安全" and title.how("zh-TW") == Via.SOURCE
    assert pairs == [
        ("顏一軒", "Yen Yi-hsuan"),
        ("確保AI供應鏈的安全", "Making the AI supply chain secure & “trusted”"),
    ]
    # nothing else changed, and the input brief is untouched
    changed = [
        p
        for (p, new), (_, old) in zip(walk_texts(brief), walk_texts(translated_brief), strict=True)
        if new != old
    ]
    assert changed == [AUTHOR, TITLE]
    assert translated_brief.items[0].title.how("en") == Via.MEMORY
    # the new brief still dumps and loads as a valid brief
    for fmt in ("yaml", "json"):
        text = dump_brief(brief, fmt)
        assert parse_brief(yaml.safe_load(text)) == brief
    # and the next export leaves the reviewed texts out
    assert export_review(brief, tmp_path / "next.xlf", ["en"], version=version) == 88


def test_untouched_file_changes_nothing(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"])
    brief, pairs = import_review(translated_brief, path)
    assert brief == translated_brief and pairs == []


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_unchanged_target_marked_final_counts_as_reviewed(
    translated_brief: Brief, tmp_path: Path, version: str
) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"], version=version)
    attrs = {"state": "final"} if version == "2.0" else {"approved": "yes"}
    _set_targets(path, {TITLE: "Securing the AI supply chain"}, version, **attrs)
    result = apply_review(translated_brief, path)
    assert (result.changed, result.confirmed) == (0, 1)
    title = result.brief.items[0].title
    assert (title.get("en"), title.how("en")) == ("Securing the AI supply chain", Via.HUMAN)
    assert result.units == [{"zh-TW": "確保AI供應鏈的安全", "en": "Securing the AI supply chain"}]


def test_a_newer_edit_in_the_brief_is_not_overwritten(
    translated_brief: Brief, tmp_path: Path
) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"])
    _set_targets(path, {AUTHOR: "Yen Yi-hsuan"})
    brief = translated_brief.model_copy(deep=True)
    brief.items[0].title.text["en"] = "AI supply-chain security (edited in the brief)"
    brief.items[0].title.via["en"] = Via.HUMAN
    result = apply_review(brief, path)
    assert (result.changed, result.kept) == (1, 1)
    assert result.brief.items[0].title.get("en") == (
        "AI supply-chain security (edited in the brief)"
    )
    assert result.brief.source.author.get("en") == "Yen Yi-hsuan"


def _cn_brief() -> Brief:
    title = Text(
        text={"zh-CN": "双边经济合作", "zh-TW": "雙邊經濟合作", "en": "Bilateral cooperation"},
        via={"zh-CN": Via.SOURCE, "zh-TW": Via.CONVERTED, "en": Via.MEMORY},
        ref={"zh-TW": "opencc s2tw", "en": "m.tmx (exact)"},
    )
    return Brief(source=SourceInfo(language="zh-CN"), items=[AgendaItem(number=1, title=title)])


def test_xliff12_holds_one_file_per_target_language(tmp_path: Path) -> None:
    brief = _cn_brief()
    path = tmp_path / "r.xlf"
    with pytest.raises(InputError, match=r"an XLIFF 2\.0 file holds one target language"):
        export_review(brief, path, ["zh-TW", "en"])
    assert not path.exists()
    assert export_review(brief, path, ["zh-TW", "en"], version="1.2") == 2
    root = etree.parse(str(path)).getroot()
    files = root.findall("x:file", X12)
    assert [(f.get("source-language"), f.get("target-language")) for f in files] == [
        ("zh-CN", "zh-TW"),
        ("zh-CN", "en"),
    ]
    tree = etree.parse(str(path))
    targets = tree.xpath("//x:target", namespaces=X12)
    targets[0].text, targets[1].text = "雙邊經濟合作（校訂）", "Bilateral economic cooperation"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    result = apply_review(brief, path)
    title = result.brief.items[0].title
    assert title.get("zh-TW") == "雙邊經濟合作（校訂）" and title.how("zh-TW") == Via.HUMAN
    assert title.get("en") == "Bilateral economic cooperation" and title.how("en") == Via.HUMAN
    assert result.units == [
        {"zh-CN": "双边经济合作", "zh-TW": "雙邊經濟合作（校訂）"},
        {"zh-CN": "双边经济合作", "en": "Bilateral economic cooperation"},
    ]


def test_export_options_are_checked(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "r.xlf"
    with pytest.raises(InputError, match=r"XLIFF version 2\.2 is not supported"):
        export_review(translated_brief, path, ["en"], version="2.2")
    with pytest.raises(InputError, match="unknown language 'fr'"):
        export_review(translated_brief, path, ["fr"])
    with pytest.raises(InputError, match="zh-TW is the brief's source language"):
        export_review(translated_brief, path, ["zh-TW"])
    with pytest.raises(InputError, match="give a target language"):
        export_review(translated_brief, path, [])
    assert not path.exists()


def test_nothing_to_review_writes_nothing(tmp_path: Path) -> None:
    brief = Brief(items=[AgendaItem(number=1, title=Text.of("雙邊經濟合作", "zh-TW"))])
    assert export_review(brief, tmp_path / "r.xlf", ["en"]) == 0
    assert not (tmp_path / "r.xlf").exists()


# --- files that do not fit ----------------------------------------------------------------


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _other_brief(brief: Brief) -> Brief:
    other = brief.model_copy(deep=True)
    other.items[0].title.text["zh-TW"] = "確保AI供應鏈安全"
    return other


BAD_FILES = {
    "not XML": (lambda p, b: p.write_text("雙邊經濟合作\tBilateral", "utf-8"), "not valid XML"),
    "empty": (lambda p, b: p.write_bytes(b""), "not valid XML"),
    "truncated": (
        lambda p, b: p.write_bytes(p.read_bytes()[:500]),
        "not valid XML",
    ),
    "not XLIFF": (
        lambda p, b: p.write_text("<html><body>hi</body></html>", "utf-8"),
        "not an XLIFF file (root element is <html>)",
    ),
    "TMX": (
        lambda p, b: p.write_text('<tmx version="1.4"><body/></tmx>', "utf-8"),
        "not an XLIFF file (root element is <tmx>)",
    ),
    "XLIFF 1.1": (
        lambda p, b: _edit(p, 'version="2.0"', 'version="1.1"'),
        "XLIFF version 1.1",
    ),
    "XLIFF 1.0 namespace": (
        lambda p, b: _edit(p, NS20, "urn:oasis:names:tc:xliff:document:1.1"),
        "is not supported; expected 2.0 or 1.2",
    ),
    "no namespace": (
        lambda p, b: _edit(p, f' xmlns="{NS20}"', ""),
        "no namespace",
    ),
    "unknown unit id": (
        lambda p, b: _edit(p, 'id="items.0.title"', 'id="items.99.title"'),
        "unknown unit id 'items.99.title'",
    ),
    "duplicate unit id": (
        lambda p, b: _edit(p, 'id="items.0.points.0.text"', 'id="items.0.title"'),
        "unit id 'items.0.title' appears twice",
    ),
    "source edited": (
        lambda p, b: _edit(p, "<source>確保AI供應鏈的安全</source>", "<source>確保AI安全</source>"),
        "unit 'items.0.title': the source text no longer matches the brief's",
    ),
    "other srcLang": (
        lambda p, b: _edit(p, 'srcLang="zh-TW"', 'srcLang="en"'),
        "source language is en, but the brief's is zh-TW",
    ),
    "other trgLang": (
        lambda p, b: _edit(p, 'trgLang="en"', 'trgLang="fr"'),
        "target language is fr; this brief is reviewed into en",
    ),
    "trgLang is the source": (
        lambda p, b: _edit(p, 'trgLang="en"', 'trgLang="zh-Hant"'),
        "target language is zh-Hant",
    ),
    "other brief": (
        lambda p, b: export_review(_other_brief(b), p, ["en"]),
        "fingerprint mismatch",
    ),
    "no fingerprint": (
        lambda p, b: _edit(p, 'category="fingerprint"', 'category="comment"'),
        "no briefgen fingerprint",
    ),
    "entity (XXE)": (
        lambda p, b: _edit(
            p,
            "<xliff ",
            '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<xliff ',
        ),
        "must not have a DOCTYPE",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_review_file_is_one_clear_line(
    translated_brief: Brief, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"])
    _set_targets(path, {TITLE: "Edited title"})  # a real edit, which must not land
    spoil, message = BAD_FILES[case]
    spoil(path, translated_brief)
    before = dump_brief(translated_brief)
    with pytest.raises(InputError) as info:
        import_review(translated_brief, path)
    text = str(info.value)
    assert text.startswith(f"{path}: ") and message in text, text
    assert "\n" not in text
    assert dump_brief(translated_brief) == before


def test_bad_xliff12_languages(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"], version="1.2")
    _edit(path, 'source-language="zh-TW"', 'source-language="zh-CN"')
    with pytest.raises(InputError, match="source language is zh-CN, but the brief's is zh-TW"):
        import_review(translated_brief, path)
    export_review(translated_brief, path, ["en"], version="1.2")
    _edit(path, 'target-language="en"', 'target-language="ja"')
    with pytest.raises(InputError, match="target language is ja"):
        import_review(translated_brief, path)
    export_review(translated_brief, path, ["en"], version="1.2")
    _edit(path, 'version="1.2"', 'version="1.1"')
    with pytest.raises(InputError, match=r"XLIFF version 1\.1"):
        import_review(translated_brief, path)


def test_missing_review_file(translated_brief: Brief, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_review(translated_brief, tmp_path / "missing.xlf")


def test_language_tags_are_compared_canonically(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"])
    _edit(path, 'srcLang="zh-TW" trgLang="en"', 'srcLang="zh-Hant-TW" trgLang="en-US"')
    _set_targets(path, {TITLE: "Edited title"})
    brief, pairs = import_review(translated_brief, path)
    assert brief.items[0].title.get("en") == "Edited title"
    assert pairs == [("確保AI供應鏈的安全", "Edited title")]


def test_translator_tool_reformatting_is_tolerated(translated_brief: Brief, tmp_path: Path) -> None:
    """A tool that re-indents, adds its own notes and attributes, and wraps a target in
    inline markup still gives the same import."""
    path = tmp_path / "r.xlf"
    export_review(translated_brief, path, ["en"])
    tree = etree.parse(str(path))
    (unit,) = tree.xpath("//x:unit[@id=$id]", namespaces=X20, id=TITLE)
    target = unit.find("x:segment/x:target", X20)
    target.text = "Securing "
    mrk = etree.SubElement(target, f"{{{NS20}}}mrk", id="m1", type="term")
    mrk.text = "AI"
    mrk.tail = " supply chains"
    unit.set("name", "title")
    etree.SubElement(unit.find("x:notes", X20), f"{{{NS20}}}note").text = "checked by tool"
    etree.indent(tree, space="\t")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    brief, pairs = import_review(translated_brief, path)
    assert brief.items[0].title.get("en") == "Securing AI supply chains"
    assert pairs == [("確保AI供應鏈的安全", "Securing AI supply chains")]
