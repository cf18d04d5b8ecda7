"""Font subsets for embedding in editable documents (DOCX now, ODT later).

A document that embeds its faces looks as designed on a machine that has none of them.
``subset_fonts`` takes the text set in each font *name* and style (regular, bold, italic,
bold italic) and returns, for each face briefgen ships under that name, a TrueType file
holding only the glyphs of those characters (plus ``.notdef``, the space and the digits a
page-number field may show; the Latin faces hold ASCII, Latin-1 and common punctuation
whole, ``LATIN_BASE``). The outlines come from ``briefgen.fonts`` — the glyph store
the PDF writer fills, so a DOCX written after its PDF converts nothing — copied as they
are into a file assembled with fontTools: no layout tables (no kerning or ligatures, as
in our PDFs), header figures of the whole face, and a ``name`` table whose family is
exactly the name the document asks for
(``Noto Serif TC``), so Word and LibreOffice find it. ``標楷體`` is embedded as the Kai
face briefgen ships (LXGW WenKai TC) under that name; other faces briefgen does not ship
(``Times New Roman``, ``KaiTi``) are left out: ``embeddable`` tells which names are.

``subset_for_roles`` does the same from a style sheet's font roles (text per role and
style), for writers that know roles rather than names. Output is reproducible: the same
text gives the same bytes. The Noto faces are under the SIL Open Font License, which
allows embedding.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import fonts
from ..styles import StyleSheet

#: The styles a face may be embedded in (Word: embedRegular, embedBold, embedItalic,
#: embedBoldItalic).
STYLES = ("regular", "bold", "italic", "bolditalic")

#: Characters every subset holds besides the document's: the space, the no-break space
#: and the digits of page-number fields.
ALWAYS = " \u00a00123456789"

#: What the Latin faces always hold whole: ASCII, Latin-1 and the common punctuation
#: (about 200 glyphs, 25-40 KB a face). LibreOffice keeps the first embedded face of a
#: name it loads for the rest of its session (cmap and outlines), so a second memo opened
#: in the same session is set in the first memo's subsets: with these whole, its Latin
#: text still is (its Chinese text is not, where no Chinese face is installed).
_LATIN_RANGES = (
    range(0x20, 0x7F),
    range(0xA0, 0x100),
    range(0x2010, 0x2028),
    range(0x2030, 0x203B),
)
LATIN_BASE = "".join(chr(c) for r in _LATIN_RANGES for c in r) + "\u20ac\u2122"

#: Font names whose faces get ``LATIN_BASE`` whole.
_LATIN_NAMES = frozenset({"Noto Serif", "Noto Sans"})

_SC_SERIF = fonts.Variant("pylopdf_fonts_zh_cn", "NotoSerifSC-Regular.otf", "cff-to-ttf")
_SC_SANS = fonts.Variant("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf", "cff-to-ttf")

#: Font name as documents use it -> the face briefgen ships under that name.
_FACES: Mapping[str, fonts.Face] = {
    "Noto Serif": fonts.FACES["noto-serif"],
    "Noto Sans": fonts.FACES["noto-sans"],
    "Noto Serif TC": fonts.FACES["noto-serif-tc"],
    "Noto Sans TC": fonts.FACES["noto-sans-tc"],
    "Noto Serif SC": fonts.Face("noto-serif-sc", "Noto Serif SC", regular=_SC_SERIF),
    "Noto Sans SC": fonts.Face("noto-sans-sc", "Noto Sans SC", regular=_SC_SANS),
    # The 簽 and the 函 name 標楷體 (DFKai-SB), the Kai face of Taiwan's government
    # machines, which briefgen cannot ship: the Kai face it ships (LXGW WenKai TC, SIL OFL
    # 1.1, no reserved name; its copyright and licence records are kept) stands in for it
    # under that name, so the memo is set in a Kai face where 標楷體 is not installed.
    "標楷體": fonts.FACES["lxgw-wenkai-tc"],
}

_SUBFAMILY = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "Bold Italic"}
_NAME_IDS_REPLACED = (1, 2, 3, 4, 6, 16, 17, 18, 21, 22, 25)


@dataclass(frozen=True)
class EmbeddedFont:
    """A subset ready to embed: the family name the document uses, its style (one of
    ``STYLES``) and the TrueType bytes."""

    name: str
    style: str
    data: bytes


def embeddable(name: str) -> bool:
    """Whether briefgen ships a face under the font name ``name`` (and can embed it)."""
    return name in _FACES


def _variant(face: fonts.Face, style: str) -> tuple[fonts.Variant, str]:
    """The file of ``face`` for ``style`` and the style it really has (a face without a
    bold or italic file gives its regular one: the reader's program synthesises)."""
    wanted = {
        "regular": face.regular,
        "bold": face.bold,
        "italic": face.italic,
        "bolditalic": face.bold_italic,
    }[style]
    return (wanted, style) if wanted is not None else (face.regular, "regular")


def subset_fonts(texts: Mapping[tuple[str, str], str]) -> list[EmbeddedFont]:
    """Subsets of the shipped faces for ``texts`` — ``(font name, style) -> the text set in
    it`` — in a stable order (by name, then style). Names briefgen does not ship are
    skipped; a style the face has no file for is merged into its regular subset (one file,
    the reader's program makes it bold or slanted). Characters a face lacks are left out."""
    wanted: dict[tuple[str, str], set[int]] = {}
    for (name, style), text in texts.items():
        if style not in STYLES:
            raise ValueError(f"unknown font style {style!r}")
        face = _FACES.get(name)
        if face is None:
            continue
        _, real = _variant(face, style)
        codes = wanted.setdefault((name, real), set())
        codes.update(map(ord, text))
        if name in _LATIN_NAMES:
            codes.update(map(ord, LATIN_BASE))
    out = []
    for name, style in sorted(wanted, key=lambda k: (k[0], STYLES.index(k[1]))):
        variant, _ = _variant(_FACES[name], style)
        data = subset_face(variant, wanted[(name, style)], name, style, _FACES[name].family)
        out.append(EmbeddedFont(name, style, data))
    return out


def role_names(sheet: StyleSheet, role: str, hans: bool = False) -> tuple[str, str]:
    """The Latin and East Asian font names ``sheet`` gives ``role`` (the Simplified
    Chinese East Asian name with ``hans``)."""
    spec = sheet.font_role(role)
    return spec.docx_latin, spec.docx_east_asia_hans if hans else spec.docx_east_asia


def subset_for_roles(
    sheet: StyleSheet, texts: Mapping[tuple[str, str], str], hans: Iterable[str] = ()
) -> list[EmbeddedFont]:
    """``subset_fonts`` for ``texts`` keyed by ``(font role, style)``: each role's text goes
    to its Latin and its East Asian font (each keeps the characters it has). ``hans``:
    text marked Simplified Chinese, by role (keys as ``texts``), for the role's
    ``docx_east_asia_hans`` font."""
    by_name: dict[tuple[str, str], str] = {}
    for (role, style), text in texts.items():
        for name in role_names(sheet, role):
            by_name[(name, style)] = by_name.get((name, style), "") + text
    for key in hans:
        role, style = key  # type: ignore[misc]
        name = role_names(sheet, role, hans=True)[1]
        by_name[(name, style)] = by_name.get((name, style), "") + texts.get(key, "")  # type: ignore[arg-type]
    return subset_fonts(by_name)


def subset_face(
    variant: fonts.Variant, codes: Iterable[int], family: str, style: str, face_name: str = ""
) -> bytes:
    """A TrueType file of ``variant`` holding the glyphs of ``codes`` (those it has) and
    of ``ALWAYS``, with ``.notdef`` first, named family ``family``, subfamily ``style``
    (PostScript name from ``face_name``, the face's own family, when ``family`` is not
    ASCII)."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables import _g_l_y_f
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    data = fonts.face_data(variant)
    count = len(data.advances)
    cmap = {c: g for c in {*codes, *map(ord, ALWAYS)} if 0 < (g := data.cmap.get(c, 0)) < count}
    got = fonts.glyphs(data, {0, *cmap.values()})
    full_order = [f"g{gid}" for gid in range(count)]
    source_glyf = newTable("glyf")
    source_glyf.glyphOrder = full_order
    order = [f"g{gid}" for gid in sorted(got)]
    # The header tables keep the whole face's figures (bounding box, maxima): valid
    # for any subset, and the glyphs are copied as they are, not recompiled.
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    font.setGlyphOrder(order)
    for tag in ("head", "hhea", "maxp", "OS/2", "post", "name", "cvt ", "fpgm", "prep"):
        if tag in data.tables:
            table = newTable(tag)
            table.decompile(data.tables[tag], font)
            font[tag] = table
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for gid, glyph in got.items():
        made = _g_l_y_f.Glyph(glyph.data)
        if glyph.components:  # read with the face's glyph ids, written with the subset's
            made.expand(source_glyf)
        glyf.glyphs[f"g{gid}"] = made
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    hmtx = newTable("hmtx")
    hmtx.metrics = {f"g{gid}": (data.advances[gid], glyph.lsb) for gid, glyph in got.items()}
    font["hmtx"] = hmtx
    table = newTable("cmap")
    table.tableVersion = 0
    table.tables = []
    for platform, encoding, fmt, limit in ((3, 1, 4, 0xFFFF), (3, 10, 12, 0x10FFFF)):
        mapping = {c: f"g{g}" for c, g in cmap.items() if c <= limit}
        if fmt == 12 and all(c <= 0xFFFF for c in cmap):
            continue
        sub = CmapSubtable.newSubtable(fmt)
        sub.platformID, sub.platEncID, sub.language, sub.cmap = platform, encoding, 0, mapping
        table.tables.append(sub)
    font["cmap"] = table
    font["post"].formatType = 3.0
    _rename(font, family, style, face_name)
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _rename(font: object, family: str, style: str, face_name: str = "") -> None:
    """Family ``family`` and subfamily ``style`` in ``font``'s name, OS/2 and head tables
    (weight 400/700, the bold and italic bits); the PostScript name from ``family``, or
    from ``face_name`` when ``family`` is not ASCII."""
    bold, italic = style in ("bold", "bolditalic"), style in ("italic", "bolditalic")
    subfamily = _SUBFAMILY[style]
    ascii_name = f"{family if family.isascii() or not face_name else face_name}-{subfamily}"
    postscript = "".join(c for c in ascii_name if (c.isascii() and c.isalnum()) or c == "-")
    if postscript.startswith("-"):  # a family named without ASCII letters
        postscript = "Embedded" + postscript
    name = font["name"]  # type: ignore[index]
    name.names = [n for n in name.names if n.nameID not in _NAME_IDS_REPLACED]
    full = family if style == "regular" else f"{family} {subfamily}"
    for name_id, value in (
        (1, family),
        (2, subfamily),
        (3, f"{postscript};briefgen subset"),
        (4, full),
        (6, postscript),
    ):
        name.setName(value, name_id, 3, 1, 0x409)
    name.names.sort(key=lambda n: (n.platformID, n.platEncID, n.langID, n.nameID))
    os2 = font["OS/2"]  # type: ignore[index]
    os2.usWeightClass = 700 if bold else 400
    selection = os2.fsSelection & ~0b1100001  # italic, bold, regular bits
    os2.fsSelection = selection | (0x20 if bold else 0) | (0x01 if italic else 0)
    if not (bold or italic):
        os2.fsSelection |= 0x40
    head = font["head"]  # type: ignore[index]
    head.macStyle = (head.macStyle & ~0b11) | (1 if bold else 0) | (2 if italic else 0)
