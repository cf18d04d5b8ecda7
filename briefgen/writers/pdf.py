"""PDF writer (reportlab): ``ir.Document`` -> PDF bytes.

Fonts, sizes, colours and spacing all come from the style sheet. Every character is set in
the first face of its style's font role that has a glyph for it (Latin face first, then
the Chinese face), so Latin text inside Chinese uses the Latin face and nothing is drawn as
a missing-glyph box: a character no face has is a ``BriefgenError`` naming it. Fonts are
embedded as subsets whose outlines come from ``fonts.glyphs`` (converted the first time a
document needs them, then read from the glyph store). Output is reproducible (reportlab's
invariant mode) and the same on every machine.
"""

from __future__ import annotations

import copy
import io
import struct
import threading
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape as xml_escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace, TTFontFile
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus.flowables import KeepTogether, _listWrapOn

from .. import fonts, ir
from ..errors import BriefgenError
from ..numbering import bullet_label, ordered_label
from ..styles import StyleSheet, length
from .cjk import CJKParagraph as Paragraph
from .layout import cell_lines, column_widths, measure_cell

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}
_WIDE = range(0x2E80, 0xFFEF)


def _is_wide(text: str) -> bool:
    return any(ord(ch) in _WIDE for ch in text)


class _StoreFace(TTFontFace):
    """A reportlab TrueType face made from a ``fonts.FaceData``: the metrics, names and
    character map at once (no font file is parsed), the outlines of the glyphs a subset
    embeds only when the PDF is written (``fonts.glyphs``: from the glyph store, converted
    on first need). The subset is reportlab's own ``makeSubset`` run over those glyphs, so
    it is the one reportlab would make from a whole converted file."""

    def __init__(self, data: fonts.FaceData) -> None:
        from reportlab.pdfbase.pdfmetrics import TypeFace

        TypeFace.__init__(self, None)
        self.data = data
        self.validate = 0
        self.filename = str(data.source)
        self.subfontNameX = b""
        self._ttf_data, self.table = _table_file(data.tables)
        self._pos = 0
        self.extractInfo(charInfo=0)  # names, bbox, ascent, flags... from the headers
        scale = self._pdfScale
        count = len(data.advances)
        self.charToGlyph = {c: g for c, g in data.cmap.items() if g < count}
        self.charWidths = {c: scale(data.advances[g]) for c, g in self.charToGlyph.items()}
        self.defaultWidth = scale(data.advances[0])
        self.glyphToChar: dict[int, list[int]] = {}
        for alias, code in ((0xA0, 0x20), (0x20, 0xA0)):  # as reportlab's parser does
            if code in self.charToGlyph:
                self.charToGlyph[alias] = self.charToGlyph[code]
                self.charWidths[alias] = self.charWidths[code]
                break
        self.codes = frozenset(self.charToGlyph)
        self.hmetrics: Mapping[int, tuple[int, int]] = {}
        self.glyphPos: Mapping[int, int] = {}

    def makeSubset(self, subset: list[int]) -> bytes:
        """The TrueType subset of the characters ``subset`` (reportlab's algorithm)."""
        gids = {self.charToGlyph.get(code, 0) for code in subset} | {0}
        got = fonts.glyphs(self.data, gids)
        order = sorted(got)
        positions: dict[int, int] = {}
        offset = 0
        for gid in order:
            positions[gid] = offset
            offset += len(got[gid].data)
        for gid in order:
            positions.setdefault(gid + 1, positions[gid] + len(got[gid].data))
        tables = dict(self.data.tables)
        if not self.data.whole:
            tables.update(_subset_statistics(tables, [got[g].data for g in order]))
        tables["glyf"] = b"".join(got[g].data for g in order)
        part = copy.copy(self)
        part._ttf_data, part.table = _table_file(tables)
        part.glyphPos = positions
        # reportlab reads side bearings as unsigned shorts and writes them back so.
        part.hmetrics = {g: (self.data.advances[g], got[g].lsb & 0xFFFF) for g in order}
        return TTFontFile.makeSubset(part, subset)


def _table_file(tables: Mapping[str, bytes]) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """``tables`` laid end to end, and the directory reportlab's parser reads them by."""
    directory: dict[str, dict[str, Any]] = {}
    parts: list[bytes] = []
    offset = 0
    for tag, data in tables.items():
        directory[tag] = {"tag": tag, "offset": offset, "length": len(data)}
        parts.append(data)
        offset += len(data)
    return b"".join(parts), directory


def _subset_statistics(tables: Mapping[str, bytes], glyphs: list[bytes]) -> dict[str, bytes]:
    """``head`` and (for converted outlines) ``maxp`` with the bounding box and point and
    contour maxima of ``glyphs`` — for a face whose whole-face figures are not known."""
    boxes = [struct.unpack(">hhhhh", g[:10]) for g in glyphs if len(g) >= 10]
    if not boxes:
        return {}
    box = (
        min(b[1] for b in boxes),
        min(b[2] for b in boxes),
        max(b[3] for b in boxes),
        max(b[4] for b in boxes),
    )
    head = tables["head"][:36] + struct.pack(">hhhh", *box) + tables["head"][44:]
    out = {"head": head}
    maxp = tables["maxp"]
    if struct.unpack(">H", maxp[10:12])[0] == 0:  # no composite glyphs
        points = contours = 0
        for g in glyphs:
            if len(g) >= 12 and (n := struct.unpack(">h", g[:2])[0]) > 0:
                last = struct.unpack(">H", g[10 + 2 * (n - 1) : 12 + 2 * (n - 1)])[0]
                points, contours = max(points, last + 1), max(contours, n)
        out["maxp"] = maxp[:6] + struct.pack(">HH", points, contours) + maxp[10:]
    return out


class _StoreFont(TTFont):
    """reportlab's ``TTFont`` over a ``_StoreFace`` (no font file to parse)."""

    def __init__(self, name: str, data: fonts.FaceData) -> None:
        self.fontName = name
        self.face = _StoreFace(data)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False  # zh-TW line breaking is ours; no HarfBuzz shaping


_REGISTER_LOCK = threading.Lock()


def _register(data: fonts.FaceData) -> tuple[str, frozenset[int]]:
    """Register ``data`` with reportlab under a name made from its content address (so
    any process or thread registering the same face registers the same font: idempotent)
    and return the name and the characters the face has."""
    name = f"briefgen-{data.key}"
    with _REGISTER_LOCK:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_StoreFont(name, data))
        face = pdfmetrics.getFont(name).face
    codes = getattr(face, "codes", None)
    return name, codes if codes is not None else frozenset(face.charToGlyph)


class _Fonts:
    """Picks a face per character and registers the faces one PDF uses (with
    ``_register``: content-addressed, so documents and threads share them safely)."""

    def __init__(self, progress: fonts.Progress | None = None) -> None:
        self.progress = progress
        self._names: dict[tuple[str, bool, bool], tuple[str, frozenset[int]]] = {}

    def name(self, key: str, bold: bool, italic: bool) -> tuple[str, frozenset[int]]:
        """The registered font name of face ``key`` in the weight and style asked for
        (the regular variant when the face has no such variant), and its characters."""
        found = self._names.get((key, bold, italic))
        if found is not None:
            return found
        face = fonts.face(key)
        variant_name = (
            "bold_italic"
            if bold and italic
            else "bold"
            if bold
            else "italic"
            if italic
            else "regular"
        )
        variant = getattr(face, variant_name) or (face.bold if bold else None) or face.regular
        found = _register(fonts.face_data(variant, self.progress))
        self._names[key, bold, italic] = found
        return found

    def available(self, faces: tuple[str, ...]) -> list[str]:
        """The faces that can be used here: a system face (a Kai face) that is not
        installed is passed over, so the next face in the role serves instead. Other
        faces are read when first used."""
        usable = []
        for key in faces:
            if fonts.face(key).regular.transform.startswith("system:"):
                try:
                    self.name(key, False, False)
                except fonts.FontUnavailable:
                    continue
            usable.append(key)
        if not usable:
            raise BriefgenError(f"none of the faces {', '.join(faces)} is available")
        return usable

    def covering(self, text: str, faces: tuple[str, ...]) -> str:
        """The regular font name of the first face that has every character of ``text``."""
        for key in self.available(faces):
            name, cmap = self.name(key, False, False)
            if all(ord(ch) in cmap for ch in text):
                return name
        return self.runs(text, faces, False, False, "label")[0][0]

    def runs(
        self, text: str, faces: tuple[str, ...], bold: bool, italic: bool, role: str
    ) -> list[tuple[str, str]]:
        """``text`` cut into ``(font name, text)`` runs, each character in the first face
        that has it; spaces stay with the run they are in. A face is read only when a
        character gets that far down the list."""
        keys = self.available(faces)
        loaded: list[tuple[str, frozenset[int]]] = []

        def font_for(code: int) -> str | None:
            for i, key in enumerate(keys):
                if i == len(loaded):
                    loaded.append(self.name(key, bold, italic))
                if code in loaded[i][1]:
                    return loaded[i][0]
            return None

        out: list[tuple[str, str]] = []
        for ch in text:
            if ch.isspace() and out:
                out[-1] = (out[-1][0], out[-1][1] + ch)
                continue
            name = font_for(ord(ch))
            if name is None:
                raise BriefgenError(
                    f"character U+{ord(ch):04X} {ch!r} is in no font of the {role!r} role "
                    f"({', '.join(faces)}); choose a font that has it in the style sheet"
                )
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out


def register_face(key: str, bold: bool = False, italic: bool = False) -> str:
    """The reportlab font name of briefgen's face ``key`` (``fonts.FACES``) in the weight
    and style asked for, registered for use in any reportlab document of this process
    (its outlines converted as documents embed them)."""
    return _Fonts().name(key, bold, italic)[0]


class _Builder:
    def __init__(self, doc: ir.Document, sheet: StyleSheet, fonts_: _Fonts) -> None:
        self.doc = doc
        self.sheet = sheet
        self.fonts = fonts_
        self.lang = doc.meta.lang
        self.width = sheet.page_size[0] - sheet.margin("left") - sheet.margin("right")
        self._styles: dict[tuple[str, float, bool, bool], ParagraphStyle] = {}
        self._in_cell = False
        self.heading_count = 0

    # Styles ---------------------------------------------------------------------------

    def props(self, name: str | None, default: str = "body") -> dict[str, Any]:
        return self.sheet.style(name or default)

    def pstyle(self, name: str, indent: float = 0.0, wide: bool = False) -> ParagraphStyle:
        """The reportlab style for semantic style ``name``. A style with a background is a
        box (background, border, padding) — except inside a table cell, where the cell
        draws the background and the grid draws the border."""
        key = (name, indent, wide, self._in_cell)
        if key in self._styles:
            return self._styles[key]
        p = self.props(name)
        role = self.sheet.font_role(p.get("font", "serif"))
        font_name, _ = self.fonts.name(
            self.fonts.available(role.faces)[0], bool(p.get("bold")), bool(p.get("italic"))
        )
        size = float(p.get("size", 10.5))
        boxed = bool(p.get("background")) and not self._in_cell
        box_pad = length(p.get("padding", 0)) if boxed else 0.0
        style = ParagraphStyle(
            f"{name}-{indent}-{wide}-{self._in_cell}",
            fontName=font_name,
            fontSize=size,
            # list numbers (一、 1.) at the text's size, not reportlab's 10 pt
            bulletFontSize=size,
            leading=size * float(p.get("leading", 1.4)),
            textColor=colors.HexColor(p.get("color", "#000000")),
            spaceBefore=length(p.get("space_before", 0)) + box_pad,
            spaceAfter=length(p.get("space_after", 0)) + box_pad,
            # A boxed paragraph's border sits `padding` outside its text: indent the text
            # so the box lines up with the margins.
            leftIndent=indent + length(p.get("indent", 0)) + box_pad,
            # ... and keep one em free on the right inside the box, where a closing mark
            # may hang (zh-TW line breaking), so it never crosses the border.
            rightIndent=box_pad + (size if boxed else 0.0),
            firstLineIndent=length(p.get("first_line_indent", 0)),
            alignment=_ALIGN.get(p.get("align", "left"), TA_LEFT),
            keepWithNext=bool(p.get("keep_with_next", False)),
            wordWrap="CJK" if wide else None,
            backColor=colors.HexColor(p["background"]) if boxed else None,
            borderColor=colors.HexColor(p["border_color"])
            if boxed and p.get("border_color")
            else None,
            borderWidth=float(p.get("border_width", 0)) if boxed else 0,
            borderPadding=(box_pad, box_pad + size, box_pad, box_pad) if boxed else 0,
            allowWidows=0,
            allowOrphans=0,
        )
        self._styles[key] = style
        return style

    # Inlines --------------------------------------------------------------------------

    def xml(self, inlines: list[ir.Inline], props: dict[str, Any]) -> str:
        out: list[str] = []
        for node in inlines:
            if isinstance(node, ir.Text):
                out.append(self.text_xml(node.text, props))
            elif isinstance(node, ir.LineBreak):
                out.append("<br/>")
            elif isinstance(node, ir.Strong):
                out.append(self.xml(node.children, {**props, **self._over(node), "bold": True}))
            elif isinstance(node, ir.Emph):
                out.append(self.xml(node.children, {**props, **self._over(node), "italic": True}))
            elif isinstance(node, ir.Span):
                out.append(self.xml(node.children, {**props, **self._over(node)}))
            elif isinstance(node, ir.Link):
                inner = self.xml(node.children, {**props, **self._over(node), "underline": True})
                out.append(f'<a href="{xml_escape(node.href, {chr(34): "&quot;"})}">{inner}</a>')
            elif isinstance(node, ir.Note):
                out.append(
                    self.xml(node.children, {**props, "size": float(props.get("size", 10)) * 0.8})
                )
        return "".join(out)

    def _over(self, node: ir.Node) -> dict[str, Any]:
        """Inline style properties (without the ones that only make sense on blocks)."""
        if not node.style:
            return {}
        own = dict(self.sheet.data.get("styles", {}).get(node.style) or {})
        if not own and not self.sheet.has(node.style):
            self.sheet.style(node.style)  # raises: unknown style
        parent = own.pop("parent", None)
        merged = {**(self.sheet.style(parent) if parent else {}), **own}
        return {
            k: v
            for k, v in merged.items()
            if k in ("font", "size", "bold", "italic", "color", "underline")
        }

    def text_xml(self, text: str, props: dict[str, Any]) -> str:
        role_name = props.get("font", "serif")
        role = self.sheet.font_role(role_name)
        bold, italic = bool(props.get("bold")), bool(props.get("italic"))
        size = float(props.get("size", 10.5))
        color = props.get("color", "#000000")
        parts = []
        for name, run in self.fonts.runs(text, role.faces, bold, italic, role_name):
            body = xml_escape(run)
            if props.get("underline"):
                body = f"<u>{body}</u>"
            parts.append(f'<font name="{name}" size="{size:g}" color="{color}">{body}</font>')
        return "".join(parts)

    # Blocks ---------------------------------------------------------------------------

    def para(
        self,
        inlines: list[ir.Inline],
        style: str,
        indent: float = 0.0,
        bullet: str | None = None,
        bullet_indent: float = 0.0,
    ) -> Paragraph:
        props = self.props(style)
        text = ir.plain_text(inlines)
        wide = _is_wide(text) or (bullet is not None and _is_wide(bullet))
        pstyle = self.pstyle(style, indent, wide)
        body = self.xml(inlines, props) or "&nbsp;"
        if bullet is None:
            return Paragraph(body, pstyle)
        font = self.fonts.covering(bullet, self._faces(style))
        return Paragraph(
            f'<bullet font="{font}" indent="{bullet_indent:g}">{xml_escape(bullet)}</bullet>{body}',
            pstyle,
        )

    def blocks(
        self, blocks: list[ir.Block], indent: float = 0.0, depth: int = 0, style: str | None = None
    ) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            out.extend(self.block(block, indent, depth, style))
        return out

    def block(
        self, block: ir.Block, indent: float, depth: int, inherited: str | None
    ) -> list[Flowable]:
        if isinstance(block, ir.Heading):
            style = block.style or ("title" if block.level == 1 else f"heading{block.level - 1}")
            flow = self.para(block.children, style, indent)
            flow._bg_outline = (ir.plain_text(block.children), block.level - 1)  # type: ignore[attr-defined]
            return [flow]
        if isinstance(block, ir.Para):
            return [self.para(block.children, block.style or inherited or "body", indent)]
        if isinstance(block, ir.OrderedList | ir.BulletList):
            return self.list_(block, indent, depth)
        if isinstance(block, ir.DefinitionList):
            out: list[Flowable] = []
            for term, body in block.items:
                out.append(self.para([ir.Strong(term)], block.style or "body", indent))
                out.extend(self.blocks(body, indent + 18, depth))
            return out
        if isinstance(block, ir.Table):
            return [self.table(block, indent)]
        if isinstance(block, ir.BlockQuote):
            return self.blocks(block.blocks, indent + 18, depth, block.style)
        if isinstance(block, ir.Rule):
            p = self.props(block.style or "rule")
            return [
                HRFlowable(
                    width="100%",
                    thickness=float(p.get("border_width", 0.5)),
                    color=colors.HexColor(p.get("border_color", "#999999")),
                    spaceBefore=length(p.get("space_before", 2)),
                    spaceAfter=length(p.get("space_after", 2)),
                )
            ]
        if isinstance(block, ir.PageBreak):
            return [RLPageBreak()]
        if isinstance(block, ir.Div):
            return self.blocks(block.blocks, indent, depth, block.style or inherited)
        raise BriefgenError(f"PDF writer: unknown block {type(block).__name__}")

    def list_(
        self, block: ir.OrderedList | ir.BulletList, indent: float, depth: int
    ) -> list[Flowable]:
        ordered = isinstance(block, ir.OrderedList)
        start = block.start if isinstance(block, ir.OrderedList) else 1
        labels = [
            ordered_label(self.lang, depth, start + i)
            if ordered
            else bullet_label(self.lang, depth)
            for i in range(len(block.items))
        ]
        style = block.style or "list"
        size = float(self.props(style).get("size", 10.5))
        faces = self._faces(style)
        label_width = max(
            (
                pdfmetrics.stringWidth(label, self.fonts.covering(label, faces), size)
                for label in labels
            ),
            default=0.0,
        )
        # reportlab sets a first line 0.6 × the bullet size after its bullet
        # (_handleBulletWidth); the other lines hang at the same place
        hang = label_width + size * 0.6
        out: list[Flowable] = []
        for label, item in zip(labels, block.items, strict=True):
            item_style = item.style or style
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            inlines = first.children if first else []
            para_style = first.style if first and first.style else item_style
            out.append(
                self.para(inlines, para_style, indent + hang, bullet=label, bullet_indent=indent)
            )
            out.extend(self.blocks(blocks, indent + hang, depth + (1 if ordered else 0)))
        return out

    def _faces(self, style: str) -> tuple[str, ...]:
        return self.sheet.font_role(self.props(style).get("font", "serif")).faces

    def text_width(self, text: str, props: dict[str, Any]) -> float:
        """The width in points of ``text`` set in the faces, size and weight of ``props``."""
        role_name = props.get("font", "serif")
        role = self.sheet.font_role(role_name)
        size = float(props.get("size", 10.5))
        bold, italic = bool(props.get("bold")), bool(props.get("italic"))
        return sum(
            pdfmetrics.stringWidth(run, name, size)
            for name, run in self.fonts.runs(text, role.faces, bold, italic, role_name)
        )

    def table(self, block: ir.Table, indent: float) -> Table:
        """A table whose columns are sized to their measured content (see
        ``layout.column_widths``), whose header rows repeat on every page it runs onto,
        and whose rows may split across pages (never leaving less than two lines)."""
        style = block.style or "table"
        props = self.props(style)
        pad = length(props.get("padding", 3))
        rows: list[list[list[Flowable]]] = []
        columns = max((len(r) for r in block.rows), default=1)
        natural: list[list[float]] = [[] for _ in range(columns)]
        minimum = [0.0] * columns
        for row in block.rows:
            cells = []
            for c, cell in enumerate(row):
                cell_style = cell.style or (
                    f"{style}-header"
                    if cell.header and self.sheet.has(f"{style}-header")
                    else style
                )
                self._in_cell = True
                try:
                    cells.append(self.blocks(cell.blocks, 0, 0, cell_style))
                finally:
                    self._in_cell = False
                cell_props = self.props(cell_style)
                lines = [ir.plain_text(line) for line in cell_lines(cell.blocks)]
                nat, least = measure_cell(
                    lines,
                    lambda text, p=cell_props: self.text_width(text, p),
                    float(cell_props.get("size", 10.5)),
                    pad,
                )
                natural[c].append(nat)
                minimum[c] = max(minimum[c], least)
            rows.append(cells)
        widths = column_widths(natural, minimum, self.width - indent)
        size = float(props.get("size", 10.5))
        two_lines = 2 * size * float(props.get("leading", 1.4)) + 2 * pad
        table = Table(
            rows,
            colWidths=widths,
            hAlign="LEFT",
            repeatRows=block.header_rows,
            splitInRow=max(1, round(two_lines)),
        )
        commands: list[tuple[Any, ...]] = [
            # reportlab sets a cell font even for flowable cells; keep it an embedded one.
            ("FONT", (0, 0), (-1, -1), self.pstyle(style).fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]
        if props.get("border_color"):
            commands.append(
                (
                    "GRID",
                    (0, 0),
                    (-1, -1),
                    float(props.get("border_width", 0.5)),
                    colors.HexColor(props["border_color"]),
                )
            )
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                cell_style = cell.style or (f"{style}-header" if cell.header else None)
                if cell_style and self.sheet.has(cell_style):
                    bg = self.props(cell_style).get("background")
                    if bg:
                        commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(bg)))
        table.setStyle(TableStyle(commands))
        return table


class _KeepWithStart(KeepTogether):
    """What reportlab makes of a run of keep-with-next flowables (headings) and the
    flowable after them: kept on one page when they fit there together. When they do not
    and the last one can split (a table, a long paragraph), the headings go with the
    *start* of it — a table's header rows and first rows — and the rest runs onto the
    next page, instead of everything moving to the next page and leaving the space below
    blank. Only when not even the start fits do they all move on together."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        *lead, last = self._content
        whole_height = self._H
        if whole_height > aH and lead:
            canv = getattr(self, "canv", None)
            _, lead_height = _listWrapOn(lead, aW, canv)
            # On the safe side: both spacings in full, though the frame merges them.
            room = aH - lead_height - lead[-1].getSpaceAfter() - last.getSpaceBefore()
            parts = last.splitOn(canv, aW, room) if room > 0 and canv is not None else []
            if len(parts) > 1:
                # The room was reckoned on the safe side: the start fits after the headings.
                return [*lead, *parts]
        return super().split(aW, aH)


class _DocTemplate(BaseDocTemplate):
    """Keeps headings with the start of what follows them (``_KeepWithStart``) and adds
    outline entries for headings as they are laid out."""

    def __init__(self, filename: Any, **kw: Any) -> None:
        super().__init__(filename, keepTogetherClass=_KeepWithStart, **kw)

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_bg_outline", None)
        if outline:
            title, level = outline
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


def _canvas_factory(builder: _Builder, header: str, footer: str) -> type[rl_canvas.Canvas]:
    sheet = builder.sheet
    width = sheet.page_size[0] - sheet.margin("left") - sheet.margin("right")
    page_height = sheet.page_size[1]
    logo = _logo(sheet)

    class _FurnitureCanvas(rl_canvas.Canvas):
        """Defers page output so each page gets its running header and a footer that can
        say "Page N of M"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, 1):
                self.__dict__.update(state)
                if logo is not None:
                    size = min(sheet.margin("top") * 0.6, 36.0)
                    self.drawImage(
                        logo,
                        sheet.margin("left"),
                        page_height - sheet.margin("top") / 2 - size / 2,
                        width=size,
                        height=size,
                        preserveAspectRatio=True,
                        mask="auto",
                    )
                if header:
                    para = builder.para([ir.Text(header)], "header")
                    _, height = para.wrap(width, sheet.margin("top"))
                    top = page_height - sheet.margin("top") / 2 - height / 2
                    para.drawOn(self, sheet.margin("left"), top)
                if footer:
                    text = footer.replace("{page}", str(number)).replace("{pages}", str(total))
                    para = builder.para([ir.Text(text)], "footer")
                    _, height = para.wrap(width, sheet.margin("bottom"))
                    para.drawOn(
                        self,
                        sheet.margin("left"),
                        max(6.0, sheet.margin("bottom") / 2 - height / 2),
                    )
                super().showPage()
            super().save()

    return _FurnitureCanvas


def _logo(sheet: StyleSheet) -> ImageReader | None:
    """The letterhead logo image of the style sheet, if it names one."""
    path = (sheet.data.get("letterhead") or {}).get("logo")
    if not path:
        return None
    try:
        return ImageReader(str(path))
    except Exception as exc:  # reportlab/PIL raise several kinds for unreadable images
        raise BriefgenError(f"{path}: cannot read the letterhead logo ({exc})") from None


def write_pdf(doc: ir.Document, sheet: StyleSheet, progress: fonts.Progress | None = None) -> bytes:
    """Lay out ``doc`` with ``sheet``; return the PDF file's bytes."""
    builder = _Builder(doc, sheet, _Fonts(progress))
    story = builder.blocks(doc.blocks)
    if not story:
        story = [Spacer(1, 1)]
    buffer = io.BytesIO()
    width, height = sheet.page_size
    template = _DocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=sheet.margin("left"),
        rightMargin=sheet.margin("right"),
        topMargin=sheet.margin("top"),
        bottomMargin=sheet.margin("bottom"),
        title=doc.meta.title,
        author=doc.meta.author,
        subject=doc.meta.subject,
        keywords=doc.meta.keywords,
        creator="briefgen",
        producer="briefgen (reportlab)",
        invariant=1,
        lang=doc.meta.lang,
        pageCompression=1,
        # Start pages in an embedded face, never reportlab's default Helvetica.
        initialFontName=builder.pstyle("body").fontName,
    )
    frame = Frame(
        template.leftMargin,
        template.bottomMargin,
        template.width,
        template.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    template.build(story, canvasmaker=_canvas_factory(builder, doc.meta.header, doc.meta.footer))
    return buffer.getvalue()
