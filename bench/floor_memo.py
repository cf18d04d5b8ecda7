"""The floor of issue 13: a hand-written reportlab memo, one zh PDF.

    python bench/floor_memo.py MEMO.md OUT.pdf [--serif FONT.ttf] [--sans FONT.ttf]

Lays out the text of a memo in one A4 PDF with plain reportlab (platypus paragraphs,
CJK line breaking, the page margins of briefgen's style sheet) and the Traditional Chinese
faces briefgen embeds (the files of its font packages, found through ``briefgen.fonts``,
in TrueType outlines; unless given): the least work any reportlab-based memo writer has
to do for that text once its fonts are prepared. bench/speed.py times
it beside ``briefgen build``.

MEMO.md is the small Markdown bench/speed.py makes from briefgen's HTML working memo:
blocks separated by blank lines, ``#``/``##``/``###`` headings, everything else a
paragraph, backslash escapes as in Markdown.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

#: briefgen's faces whose converted TrueType files the floor embeds: body, headings.
CJK_FACES = ("noto-serif-tc", "noto-sans-tc")

_ESCAPED = re.compile(r"\\(.)")


def find_fonts() -> tuple[Path, Path]:
    """TrueType files of the Noto Serif TC and Noto Sans TC faces briefgen embeds (serif,
    sans): the files of briefgen's font packages, found through ``briefgen.fonts``, and
    when they hold OpenType/CFF outlines (reportlab embeds TrueType only) converted whole
    to TrueType once and kept in this benchmark's own cache directory."""
    from briefgen import fonts

    serif, sans = (truetype(_package_file(fonts.face(key).regular)) for key in CJK_FACES)
    return serif, sans


def _package_file(variant: Any) -> Path:
    """The file a ``briefgen.fonts.Variant`` names inside its installed package."""
    spec = importlib.util.find_spec(variant.package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"font package {variant.package} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / variant.filename
    if not path.is_file():
        raise FileNotFoundError(f"font file {path} is missing")
    return path


def truetype(source: Path) -> Path:
    """``source`` when it has TrueType outlines, else a TrueType copy of it (every glyph
    converted with fontTools' cu2qu, as a reportlab-based tool must do once), made the
    first time and kept in the user cache directory under ``briefgen-bench``."""
    import fontTools
    from fontTools.ttLib import TTFont
    from platformdirs import user_cache_dir

    with TTFont(str(source), lazy=True) as font:
        if "glyf" in font:
            return source
    size = source.stat().st_size
    target = Path(user_cache_dir("briefgen-bench")) / (
        f"{source.stem}-{size}-fonttools{fontTools.version}.ttf"
    )
    if target.is_file():
        return target
    font = TTFont(str(source))
    _cff_to_glyf(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _cff_to_glyf(font: Any) -> None:
    """Replace the CFF outlines of ``font`` by quadratic TrueType ones, in place (the
    conversion briefgen made of whole faces before it converted glyph by glyph)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for name in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, name, 1 if name == "maxZones" else 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def read_blocks(path: Path) -> list[tuple[int, str]]:
    """The blocks of the Markdown memo at ``path`` in order, as (heading level, text):
    level 1–3 for ``#``…``###`` headings, 0 for paragraphs; escapes removed."""
    blocks: list[tuple[int, str]] = []
    for chunk in path.read_text(encoding="utf-8").split("\n\n"):
        text = re.sub(r"[ \t\r\n]+", " ", chunk).strip()
        if not text:
            continue
        marks = re.match(r"(#{1,3}) ", text)
        level = len(marks.group(1)) if marks else 0
        if marks:
            text = text[marks.end() :]
        blocks.append((level, _ESCAPED.sub(r"\1", text)))
    return blocks


def write_pdf(blocks: list[tuple[int, str]], out: Path, serif: Path, sans: Path) -> None:
    """Write ``blocks`` to ``out`` as an A4 PDF: paragraphs in ``serif`` (11 pt, leading
    1.6, justified), headings in ``sans``, Chinese broken between any two characters."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(TTFont("FloorSerif", str(serif)))
    pdfmetrics.registerFont(TTFont("FloorSans", str(sans)))
    body = ParagraphStyle(
        "body",
        fontName="FloorSerif",
        fontSize=11,
        leading=17.6,
        spaceAfter=4,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    sizes = {1: 18.0, 2: 13.0, 3: 11.5}
    styles = {0: body}
    for level, size in sizes.items():
        styles[level] = ParagraphStyle(
            f"h{level}",
            parent=body,
            fontName="FloorSans",
            fontSize=size,
            leading=size * 1.3,
            spaceBefore=0 if level == 1 else 10,
            alignment=0,
            keepWithNext=True,
        )
    story = [Paragraph(escape(text), styles[level]) for level, text in blocks]
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        leftMargin=24 * mm,
        rightMargin=24 * mm,
        title=blocks[0][1] if blocks else "",
        author="floor",
    )
    doc.build(story)


def main(argv: list[str] | None = None) -> int:
    """Command line: read the Markdown memo, write the PDF; 0 on success."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("memo", type=Path, help="Markdown memo (made by bench/speed.py)")
    parser.add_argument("out", type=Path, help="PDF to write")
    parser.add_argument("--serif", type=Path, help="body font (default: briefgen's)")
    parser.add_argument("--sans", type=Path, help="heading font (default: briefgen's)")
    args = parser.parse_args(argv)
    if args.serif is None or args.sans is None:
        serif, sans = find_fonts()
        args.serif = args.serif or serif
        args.sans = args.sans or sans
    write_pdf(read_blocks(args.memo), args.out, args.serif, args.sans)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
