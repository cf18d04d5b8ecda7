"""The floor of issue 13: a hand-written reportlab memo, one zh PDF.

    python bench/floor_memo.py MEMO.md OUT.pdf [--serif FONT.ttf] [--sans FONT.ttf]

Lays out the text of a memo in one A4 PDF with plain reportlab (platypus paragraphs,
CJK line breaking, the page margins of briefgen's style sheet) and the same Traditional
Chinese font files briefgen embeds (found through ``briefgen.fonts`` unless given): the
least work any reportlab-based memo writer has to do for that text. bench/speed.py times
it beside ``briefgen build``.

MEMO.md is the small Markdown bench/speed.py makes from briefgen's HTML working memo:
blocks separated by blank lines, ``#``/``##``/``###`` headings, everything else a
paragraph, backslash escapes as in Markdown.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from xml.sax.saxutils import escape

#: briefgen's faces whose converted TrueType files the floor embeds: body, headings.
CJK_FACES = ("noto-serif-tc", "noto-sans-tc")

_ESCAPED = re.compile(r"\\(.)")


def find_fonts() -> tuple[Path, Path]:
    """The TrueType files briefgen embeds for Noto Serif TC and Noto Sans TC (serif,
    sans), converting them first if the font cache does not hold them yet."""
    from briefgen import fonts

    serif, sans = (fonts.variant_path(fonts.face(key).regular) for key in CJK_FACES)
    return serif, sans


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
