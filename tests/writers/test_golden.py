"""Golden tests: the content (not the bytes) of the sample's memos — the XML parts of the
DOCX and the text, fonts, outline and metadata of the PDF — against tests/golden/.
Regenerate with ``pytest --update-golden`` and read the diff before committing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
MEMOS = ["eppd-6.working.zh-TW", "eppd-6.leadership.en"]
DOCX_PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footer1.xml"]


def _pretty(xml: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(xml, parser), pretty_print=True, encoding="unicode")


def _pdf_summary(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))

    def outline(entries: list, level: int = 0) -> list[str]:
        out = []
        for entry in entries:
            if isinstance(entry, list):
                out += outline(entry, level + 1)
            else:
                out.append("  " * level + entry.title)
        return out

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(re.sub(r"^/[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"])))
    meta = reader.metadata
    summary = {
        "pages": len(reader.pages),
        "metadata": {
            "title": meta.title,
            "author": meta.author,
            "subject": meta.subject,
            "keywords": meta.get("/Keywords"),
            "lang": str(reader.trailer["/Root"]["/Lang"]),
        },
        "fonts": sorted(fonts),
        "outline": outline(reader.outline),
        "text": [page.extract_text() for page in reader.pages],
    }
    return json.dumps(summary, ensure_ascii=False, indent=1) + "\n"


def _check(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path.name}: run pytest --update-golden and review it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from tests/golden (pytest --update-golden)"


@pytest.mark.parametrize("memo", MEMOS)
@pytest.mark.parametrize("part", DOCX_PARTS)
def test_docx_parts(built: dict[str, bytes], update_golden: bool, memo: str, part: str) -> None:
    with zipfile.ZipFile(io.BytesIO(built[f"{memo}.docx"])) as archive:
        xml = archive.read(part)
    if part == "word/styles.xml":
        xml = _our_styles(xml)
    _check(f"{memo}.docx/{part.replace('/', '_')}", _pretty(xml), update_golden)


def _our_styles(xml: bytes) -> bytes:
    """The document defaults and the styles briefgen sets (not Word's latent styles)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(xml)
    keep = ("Normal", "Title", "Heading1", "Heading2", "Heading3", "Memo")
    for child in list(root):
        style_id = child.get(f"{w}styleId") or ""
        if child.tag == f"{w}latentStyles" or (
            child.tag == f"{w}style" and not style_id.startswith(keep)
        ):
            root.remove(child)
    return etree.tostring(root)


@pytest.mark.parametrize("memo", MEMOS)
def test_pdf_content(built: dict[str, bytes], update_golden: bool, memo: str) -> None:
    _check(f"{memo}.pdf.json", _pdf_summary(built[f"{memo}.pdf"]), update_golden)
