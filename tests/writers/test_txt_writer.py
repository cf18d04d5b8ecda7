"""The plain-text writer: the sample's memos and small documents, read back as text."""

from __future__ import annotations

import json
from pathlib import Path

from briefgen import ir
from briefgen.cli import main
from briefgen.model import Brief
from briefgen.pipeline import render_all, stylesheet
from briefgen.render import render
from briefgen.settings import Settings
from briefgen.writers import WRITERS, write
from briefgen.writers.text import document_text, write_text


def _text(brief: Brief, audience: str, lang: str) -> str:
    doc = render(brief, audience, lang)
    data = write_text(doc, stylesheet(Settings(), lang, audience))
    assert data == write(doc, "txt", stylesheet(Settings(), lang, audience))
    return data.decode("utf-8")


def _doc(blocks: list[ir.Block], lang: str = "en") -> ir.Document:
    return ir.Document(ir.Meta(title="T", lang=lang), blocks)


def test_registered_as_txt() -> None:
    assert "txt" in WRITERS and list(WRITERS)[:3] == ["docx", "pdf", "html"]


def test_the_working_memo_as_text(translated_brief: Brief) -> None:
    text = _text(translated_brief, "working", "zh-TW")
    assert "\n一、確保AI供應鏈的安全\n" in text
    assert "\n    （一）雙方同意" in text  # hangs under the text after 一、
    assert "姓名 | 職稱\n" in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.splitlines())
    english = _text(translated_brief, "working", "en")
    assert "\n1. Securing the AI supply chain\n   a. Both sides agreed" in english


def test_same_document_same_bytes(translated_brief: Brief) -> None:
    assert _text(translated_brief, "leadership", "en") == _text(
        translated_brief, "leadership", "en"
    )


def test_headings_lists_tables_links_notes() -> None:
    doc = _doc(
        [
            ir.Heading(1, [ir.Text("第6屆")]),
            ir.Para([ir.Text("See "), ir.Link("https://example.org", [ir.Text("the site")])]),
            ir.Para([ir.Link("mailto:a@example.org", [ir.Text("a@example.org")])]),
            ir.Para([ir.Text("Claim"), ir.Note([ir.Text("source")])]),
            ir.BulletList([ir.ListItem([ir.Para([ir.Text("one\ntwo")])])]),
            ir.Table([[_cell("A"), _cell("B")], [_cell("1"), _cell("2")]], header_rows=1),
            ir.BlockQuote([ir.Para([ir.Text("quoted")])]),
        ]
    )
    lines = document_text(doc).splitlines()
    assert lines[:2] == ["第6屆", "=" * 5]  # CJK characters are two columns wide
    assert "See the site <https://example.org>" in lines
    assert "a@example.org" in lines  # the address is in the text already
    assert "Claim [source]" in lines
    bullet = next(i for i, line in enumerate(lines) if line.endswith("one"))
    assert lines[bullet + 1] == " " * (len(lines[bullet]) - 3) + "two"
    assert lines[lines.index("A | B") + 1] == "-----"
    assert "> quoted" in lines


def _cell(text: str) -> ir.Cell:
    return ir.Cell([ir.Para([ir.Text(text)])])


def test_the_style_sheet_gives_the_language_when_the_document_has_none() -> None:
    ordered = ir.OrderedList([ir.ListItem([ir.Para([ir.Text("項目")])])])
    doc = ir.Document(ir.Meta(title="T", lang=""), [ordered])
    assert write_text(doc, stylesheet(Settings(), "zh-TW")).decode() == "一、項目\n"
    assert write_text(doc, stylesheet(Settings(), "en")).decode() == "1. 項目\n"


def test_build_format_txt(translated_brief: Brief, sample_path: Path, tmp_path: Path) -> None:
    artifacts = render_all(translated_brief, Settings(formats=("txt",), audiences=("working",)))
    names = [a.name for a in artifacts]
    assert names == ["eppd-6.working.zh-TW.txt", "eppd-6.working.en.txt", "brief.yaml"]
    code = main(
        ["build", str(sample_path), "--format", "txt", "--audience", "working", "-o",
         str(tmp_path), "-q"]
    )  # fmt: skip
    assert code == 0
    (folder,) = tmp_path.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    memos = [f for f in manifest["files"] if f["kind"] == "memo"]
    assert [(f["name"], f["format"]) for f in memos] == [
        ("eppd-6.working.zh-TW.txt", "txt"),
        ("eppd-6.working.en.txt", "txt"),
    ]
    text = (folder / "eppd-6.working.zh-TW.txt").read_text(encoding="utf-8")
    assert text == artifacts[0].data.decode("utf-8") and "\n一、確保AI供應鏈的安全\n" in text
