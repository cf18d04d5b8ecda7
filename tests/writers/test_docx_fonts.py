"""Fonts embedded in the DOCX memos (ECMA-376 Part 1, §17.8): obfuscated TrueType subsets
named as the document names them, holding the characters the document sets in them."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen import fonts
from briefgen.styles import StyleSheet, read_stylesheet_data
from briefgen.writers import embed
from briefgen.writers.docx_embed import FONT_CONTENT_TYPE, font_key, obfuscate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
EMBED_STYLES = {
    "embedRegular": "regular",
    "embedBold": "bold",
    "embedItalic": "italic",
    "embedBoldItalic": "bolditalic",
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _embedded(docx: bytes) -> dict[tuple[str, str], TTFont]:
    """``(font name, style) -> font`` of every font ``docx`` embeds, each checked to be a
    part of the obfuscated-font type related from the font table."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_RELS}}}Relationship")}
        overrides = {
            o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT}}}Override")
        }
        out = {}
        for font in table.iter(f"{{{W}}}font"):
            for tag, style in EMBED_STYLES.items():
                node = font.find(f"{{{W}}}{tag}")
                if node is None:
                    continue
                target = targets[node.get(f"{{{R}}}id")]
                assert target.startswith("fonts/") and target.endswith(".odttf")
                assert overrides[f"/word/{target}"] == FONT_CONTENT_TYPE
                key = node.get(f"{{{W}}}fontKey")
                assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
                raw = archive.read(f"word/{target}")
                assert raw[:4] != b"\x00\x01\x00\x00"  # obfuscated
                data = obfuscate(raw, key)
                assert font_key(data) == key
                out[(font.get(f"{{{W}}}name"), style)] = TTFont(io.BytesIO(data))
        return out


def _text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(f"{{{W}}}t"))


def _settings(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/settings.xml"))


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("audience", ["leadership", "working", "press", "gongwen"])
def test_docx_embeds_named_subsets(built: dict[str, bytes], audience: str, lang: str) -> None:
    docx = built[f"eppd-6.{audience}.{lang}.docx"]
    faces = _embedded(docx)
    # The 簽 is set in 標楷體 (embedded: the Kai face briefgen ships) and Times New Roman
    # (named, not embedded); only its page-number footer is in a Noto face.
    kai = audience == "gongwen" and lang == "zh-TW"
    assert faces and (kai or ("Noto Serif", "regular") in faces)
    for (name, style), font in faces.items():
        names = font["name"]
        assert names.getName(1, 3, 1, 0x409).toUnicode() == name
        subfamily = {"regular": "Regular", "bold": "Bold"}.get(style)
        if subfamily:
            assert names.getName(2, 3, 1, 0x409).toUnicode() == subfamily
        assert font["OS/2"].usWeightClass == (700 if "bold" in style else 400)
        assert font["OS/2"].fsType == 0  # installable: readers may use it
        assert font.getGlyphOrder()[0] == font["glyf"].glyphOrder[0]
        assert "glyf" in font and "CFF " not in font and "fvar" not in font
        cmap = font.getBestCmap()
        assert 0x20 in cmap and len(font.getGlyphOrder()) <= len(cmap) + 10
    # Faces briefgen does not ship are named, not embedded.
    shipped = {"Noto Serif", "Noto Sans", "Noto Serif TC", "Noto Sans TC", "標楷體"}
    assert not {n for n, _ in faces} - shipped
    text = _text(docx)
    han = {ord(c) for c in text if HAN.match(c)}
    if not kai:
        latin = set(faces[("Noto Serif", "regular")].getBestCmap())
        assert {ord(c) for c in text if c.isascii() and c.isprintable()} <= latin
        tc = set().union(*(set(f.getBestCmap()) for (n, _), f in faces.items() if "TC" in n))
        source = fonts.face_data(fonts.FACES["noto-serif-tc"].regular).cmap
        assert {c for c in han if c in source} <= tc
        # A subset, not the face: a few hundred glyphs at most.
        assert all(len(f.getGlyphOrder()) < 2000 for f in faces.values())
    settings = _settings(docx)
    assert settings.find(f"{{{W}}}embedTrueTypeFonts") is not None
    assert settings.find(f"{{{W}}}saveSubsetFonts") is not None


def test_gongwen_kai_face_stands_in_for_biaukai(built: dict[str, bytes]) -> None:
    """標楷體 is embedded as LXGW WenKai TC under that name; Times New Roman is not."""
    docx = built["eppd-6.gongwen.zh-TW.docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert 'w:eastAsia="標楷體"' in styles
    faces = _embedded(docx)
    kai = faces[("標楷體", "regular")]
    assert kai["name"].getName(1, 3, 1, 0x409).toUnicode() == "標楷體"
    assert kai["name"].getDebugName(6) == "LXGWWenKaiTC-Regular"
    assert "LXGW" in kai["name"].getDebugName(0)  # its copyright notice is kept
    source = fonts.face_data(fonts.FACES["lxgw-wenkai-tc"].regular).cmap
    han = {ord(c) for c in _text(docx) if HAN.match(c)}
    assert han and {c for c in han if c in source} <= set(kai.getBestCmap())
    assert not [key for key in faces if key[0] == "Times New Roman"]


def test_obfuscation_follows_the_standard() -> None:
    """§17.8.1: the key's bytes in reverse order of its hex digits, XORed into the first
    32 bytes; applying it again restores the font."""
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    data = bytes(range(40))
    masked = obfuscate(data, key)
    assert masked[0] == 0 ^ 0xFF and masked[1] == 1 ^ 0xEE and masked[15] == 15 ^ 0x00
    assert masked[16] == 16 ^ 0xFF and masked[32:] == data[32:]
    assert obfuscate(masked, key) == data


def test_subsets_are_reproducible_and_named_per_role() -> None:
    sheet = StyleSheet(read_stylesheet_data(), "zh-TW")
    texts = {
        ("serif", "regular"): "臺灣 Helberg",
        ("serif", "bold"): "議程 AI",
        ("sans", "bold"): "X",
    }
    first = embed.subset_for_roles(sheet, texts)
    second = embed.subset_for_roles(sheet, texts)
    assert [(f.name, f.style, f.data) for f in first] == [(f.name, f.style, f.data) for f in second]
    got = {(f.name, f.style): TTFont(io.BytesIO(f.data)) for f in first}
    # Noto Serif TC has no bold file: its bold text is in the regular subset.
    assert set(got) == {
        ("Noto Sans", "bold"),
        ("Noto Sans TC", "regular"),
        ("Noto Serif", "regular"),
        ("Noto Serif", "bold"),
        ("Noto Serif TC", "regular"),
    }
    tc = got[("Noto Serif TC", "regular")].getBestCmap()
    assert all(ord(c) in tc for c in "臺灣議程")
    assert got[("Noto Serif", "bold")]["name"].getDebugName(4) == "Noto Serif Bold"
    assert not embed.subset_fonts({("Times New Roman", "regular"): "Memo"})
    assert embed.embeddable("Noto Serif TC") and embed.embeddable("標楷體")
    assert not embed.embeddable("Times New Roman")
