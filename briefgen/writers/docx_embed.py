"""Embedding fonts in a python-docx document (ECMA-376 Part 1, §17.8).

``embed_fonts`` finds which font name and style each run of the document, its headers
and footers and its list numbers is set in (run properties, then character style, then
paragraph style, then the document defaults — as Word resolves them), makes subsets of
the faces briefgen ships under those names (``embed.subset_fonts``) and adds each as an
obfuscated font part ``word/fonts/fontN.odttf`` related from ``word/fontTable.xml``,
where its ``w:font`` gets ``w:embedRegular`` (``w:embedBold``, …) with the relationship
id and the ``w:fontKey`` GUID that obfuscates it; ``settings.xml`` gets
``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``. The key is derived from the font's
bytes, so the same document gives the same package.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .embed import STYLES, EmbeddedFont, subset_fonts

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

#: Characters a list counter of each Word number format may show.
_COUNTER_CHARS = {
    "taiwaneseCountingThousand": "〇一二三四五六七八九十百千",
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "lowerLetter": "abcdefghijklmnopqrstuvwxyz",
    "upperLetter": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lowerRoman": "ivxlcdm",
    "upperRoman": "IVXLCDM",
}
_EMBED_TAG = {
    "regular": "embedRegular",
    "bold": "embedBold",
    "italic": "embedItalic",
    "bolditalic": "embedBoldItalic",
}
# Schema order of w:font's children (CT_Font).
_FONT_ORDER = (
    "altName",
    "panose1",
    "charset",
    "family",
    "notTrueType",
    "pitch",
    "sig",
    "embedRegular",
    "embedBold",
    "embedItalic",
    "embedBoldItalic",
)
# Children of w:settings that come before w:embedTrueTypeFonts (CT_Settings).
_SETTINGS_BEFORE = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
)

#: Resolved run properties: Latin font, East Asian font, bold, italic.
_Props = dict[str, Any]


class _Resolver:
    """Run properties as Word resolves them from a styles part."""

    def __init__(self, styles: Any) -> None:
        self.styles = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
        self.default_para = next(
            (
                s.get(qn("w:styleId"))
                for s in styles.iterchildren(qn("w:style"))
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.defaults = _own(defaults)
        self._memo: dict[str | None, _Props] = {}

    def style(self, style_id: str | None) -> _Props:
        """The properties style ``style_id`` sets, its ancestors' filled in."""
        if style_id in self._memo:
            return self._memo[style_id]
        chain: list[_Props] = []
        seen: set[str] = set()
        current = style_id
        while current and current in self.styles and current not in seen:
            seen.add(current)
            element = self.styles[current]
            chain.append(_own(element.find(qn("w:rPr"))))
            based = element.find(qn("w:basedOn"))
            current = based.get(qn("w:val")) if based is not None else None
        out: _Props = {}
        for props in reversed(chain):
            out.update(props)
        self._memo[style_id] = out
        return out

    def run(self, paragraph: Any, run: Any) -> _Props:
        """The fonts, bold and italic of ``run`` in ``paragraph``."""
        ppr = paragraph.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        para_id = pstyle.get(qn("w:val")) if pstyle is not None else self.default_para
        rpr = run.find(qn("w:rPr"))
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        out = dict(self.defaults)
        out.update(self.style(para_id))
        if rstyle is not None:
            out.update(self.style(rstyle.get(qn("w:val"))))
        out.update(_own(rpr))
        return out


def _own(rpr: Any) -> _Props:
    """The fonts, bold and italic an ``w:rPr`` element sets itself."""
    out: _Props = {}
    if rpr is None:
        return out
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr, key in (("w:ascii", "latin"), ("w:hAnsi", "latin"), ("w:eastAsia", "east")):
            if fonts.get(qn(attr)):
                out[key] = fonts.get(qn(attr))
    for tag, key in (("w:b", "bold"), ("w:i", "italic")):
        node = rpr.find(qn(tag))
        if node is not None:
            out[key] = node.get(qn("w:val")) not in ("0", "false", "off")
    return out


def _style(props: _Props) -> str:
    bold, italic = props.get("bold", False), props.get("italic", False)
    return STYLES[(1 if bold else 0) + (2 if italic else 0)]


def _run_text(run: Any) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def _story_elements(package: Any) -> Iterator[Any]:
    """The document body and every header and footer of ``package``."""
    for part in package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and element.tag in (qn("w:document"), qn("w:hdr"), qn("w:ftr")):
            yield element


def font_texts(word: Any) -> dict[tuple[str, str], str]:
    """``(font name, style) -> text`` of python-docx document ``word``: each run's text
    under its Latin and its East Asian font, and the characters list numbers show under
    the fonts of their paragraphs."""
    resolver = _Resolver(word.styles.element)
    texts: dict[tuple[str, str], list[str]] = {}

    def add(props: _Props, text: str) -> None:
        style = _style(props)
        for key in ("latin", "east"):
            if props.get(key):
                texts.setdefault((props[key], style), []).append(text)

    numbered: dict[str, list[_Props]] = {}
    for story in _story_elements(word.part.package):
        for paragraph in story.iter(qn("w:p")):
            base = resolver.run(paragraph, etree.Element(qn("w:r")))
            for run in paragraph.iter(qn("w:r")):
                text = _run_text(run)
                if text:
                    add(resolver.run(paragraph, run), text)
            num_id = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if num_id is not None:
                numbered.setdefault(num_id.get(qn("w:val")), []).append(base)
    numbering = _numbering_levels(word)
    for num_id, bases in numbered.items():
        for text, own in numbering.get(num_id, []):
            for base in bases:
                add({**base, **own}, text)
    return {key: "".join(parts) for key, parts in texts.items()}


def _numbering_levels(word: Any) -> dict[str, list[tuple[str, _Props]]]:
    """For each w:num id: the characters each level's number may show and the run
    properties the level sets."""
    try:
        element = word.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[str, list[tuple[str, _Props]]] = {}
    for node in element.iterchildren(qn("w:abstractNum")):
        levels = []
        for lvl in node.iterchildren(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            chars = (text.get(qn("w:val")) or "") if text is not None else ""
            chars = "".join(c for c in chars if c != "%" and not c.isdigit())
            chars += _COUNTER_CHARS.get(fmt.get(qn("w:val")) if fmt is not None else "", "")
            levels.append((chars, _own(lvl.find(qn("w:rPr")))))
        abstract[node.get(qn("w:abstractNumId"))] = levels
    out = {}
    for num in element.iterchildren(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            out[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), [])
    return out


def font_key(data: bytes) -> str:
    """The ``w:fontKey`` GUID of a font: derived from its bytes (reproducible)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """``data`` with its first 32 bytes XORed with the GUID ``key`` (§17.8.1: the key's
    16 bytes read from the end of its hexadecimal digits). The same call undoes it."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_fonts(word: Any) -> list[EmbeddedFont]:
    """Embed in python-docx document ``word`` subsets of the shipped faces its text is set
    in; return what was embedded (nothing, and no change, when it uses none)."""
    embedded = subset_fonts(font_texts(word))
    if not embedded:
        return embedded
    package = word.part.package
    table_part = next(
        (p for p in package.iter_parts() if p.partname == "/word/fontTable.xml"), None
    )
    if table_part is None:
        table_part = Part(
            PackURI("/word/fontTable.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
            _EMPTY_FONT_TABLE,
            package,
        )
        word.part.relate_to(table_part, RELATIONSHIP_TYPE.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    for number, font in enumerate(embedded, start=1):
        key = font_key(font.data)
        part = Part(
            PackURI(f"/word/fonts/font{number}.odttf"),
            FONT_CONTENT_TYPE,
            obfuscate(font.data, key),
            package,
        )
        r_id = table_part.relate_to(part, RELATIONSHIP_TYPE.FONT)
        node = _font_node(table, font.name)
        for old in node.findall(qn(f"w:{_EMBED_TAG[font.style]}")):
            node.remove(old)
        embed = etree.SubElement(node, qn(f"w:{_EMBED_TAG[font.style]}"))
        embed.set(qn("r:id"), r_id)
        embed.set(qn("w:fontKey"), key)
        _order(node)
    # python-docx keeps the font table as a plain part: its bytes are replaced.
    xml = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    table_part._blob = xml
    _settings(word.settings.element)
    return embedded


_EMPTY_FONT_TABLE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
)


def _font_node(table: Any, name: str) -> Any:
    """The w:font of ``name`` in the font table (added, TrueType, when missing)."""
    for node in table.iterchildren(qn("w:font")):
        if node.get(qn("w:name")) == name:
            return node
    node = etree.SubElement(table, qn("w:font"))
    node.set(qn("w:name"), name)
    etree.SubElement(node, qn("w:charset")).set(qn("w:val"), "00")
    etree.SubElement(node, qn("w:family")).set(qn("w:val"), "auto")
    etree.SubElement(node, qn("w:pitch")).set(qn("w:val"), "variable")
    return node


def _order(node: Any) -> None:
    """``node``'s children in schema order."""
    rank = {qn(f"w:{tag}"): i for i, tag in enumerate(_FONT_ORDER)}
    children = sorted(node, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        node.append(child)


def _settings(settings: Any) -> None:
    """``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts`` in schema position."""
    before = {qn(f"w:{tag}") for tag in _SETTINGS_BEFORE}
    anchor = None
    for child in settings:
        if child.tag in before:
            anchor = child
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    embed, subset = OxmlElement("w:embedTrueTypeFonts"), OxmlElement("w:saveSubsetFonts")
    if anchor is None:
        settings.insert(0, embed)
    else:
        anchor.addnext(embed)
    embed.addnext(subset)
