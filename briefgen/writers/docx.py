"""DOCX writer (python-docx): ``ir.Document`` -> DOCX bytes.

Every semantic style becomes a Word style (paragraph or character) whose fonts — Latin
and East Asian (``w:eastAsia``) — sizes, colours and spacing come from the style sheet;
the document's default run properties carry ``w:lang`` with ``w:eastAsia="zh-TW"``. Text
marked Simplified Chinese (``lang="zh-CN"``, e.g. an untranslated passage of a Simplified
article) gets ``w:eastAsia="zh-CN"`` and its font role's ``docx_east_asia_hans`` font.
Headings use Word's Title/Heading N styles so they show in the navigation pane. Lists are
real Word numbering definitions (zh-TW: 一、 （一） 1、 （1） 甲、 （甲）; English 1. a. i.),
restarting for each list. The footer has PAGE/NUMPAGES fields. The faces briefgen ships
(Noto Serif/Sans, TC and SC) are embedded as subsets of the characters the document uses
(``docx_embed``), so it looks as designed where they are not installed. Output is
reproducible: fixed core-property dates and zip timestamps, font keys from the fonts.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import styleId_from_name
from docx.oxml.table import CT_Tbl
from docx.shared import Emu, Inches, Length, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, StyleFactory
from docx.table import Table, _Cell
from docx.text.parfmt import ParagraphFormat
from lxml.etree import SubElement

from .. import ir
from ..errors import BriefgenError
from ..languages import EAST_ASIAN_DEFAULT, LANGUAGES, LATIN_IN_CJK, for_code, is_cjk
from ..styles import StyleSheet, is_hans, length
from .docx_embed import embed_fonts
from .layout import (
    SHEET_FOR_HEADING,
    WORD_HEADING,
    column_widths,
    estimated_cell,
    inline_format,
)

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
# Clark names of the elements and attributes the writer makes itself.
_P, _PPR, _PSTYLE, _JC = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:jc")
_R, _RPR, _RSTYLE, _RFONTS = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:rFonts")
_B, _I, _COLOR, _LANG = qn("w:b"), qn("w:i"), qn("w:color"), qn("w:lang")
_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")
_NUM, _NUMPR, _ILVL, _NUMID = qn("w:num"), qn("w:numPr"), qn("w:ilvl"), qn("w:numId")
_TR, _TC, _TCPR, _TCW = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_TBLGRID, _GRIDCOL = qn("w:tblGrid"), qn("w:gridCol")
_STYLE, _NAME, _DEFAULT = qn("w:style"), qn("w:name"), qn("w:default")
_VAL, _TYPE, _W_W, _EAST_ASIA = qn("w:val"), qn("w:type"), qn("w:w"), qn("w:eastAsia")
_XML_SPACE = qn("xml:space")
_FLDCHAR, _FLDCHARTYPE = qn("w:fldChar"), qn("w:fldCharType")
#: What python-docx's run text turns into elements of their own (w:tab, w:br).
_RUN_SPLIT_RE = re.compile(r"([\t\r\n])")
#: Word's number format for each kind of list counter (see ``languages.COUNTERS``).
_WORD_COUNTERS = {
    "decimal": "decimal",
    "cn-counting": "taiwaneseCountingThousand",
    "heavenly-stem": "ideographTraditional",
    "lower-letter": "lowerLetter",
    "upper-letter": "upperLetter",
    "lower-roman": "lowerRoman",
}


def _word_tag(lang: str) -> str:
    """The tag Word expects for ``lang`` (``en-US`` for ``en``; others as written)."""
    known = LANGUAGES.get(lang)
    return known.docx_tag if known is not None else lang


_BULLETS = ["•", "◦", "▪", "•", "◦", "▪"]
# Schema order of the children of w:tblPr and w:trPr (Word rejects other orders).
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)
# Schema order of the children of w:style, w:rPr and w:pPr (python-docx's CT_Style,
# CT_RPr and CT_PPr), where a new child goes among those already there.
_STYLE_ORDER = (
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
)
_RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def _ranks(order: tuple[str, ...]) -> Mapping[str, int]:
    """Clark name -> position in the schema ``order`` (read-only)."""
    return MappingProxyType({qn(f"w:{name}"): i for i, name in enumerate(order)})


_STYLE_RANK = _ranks(_STYLE_ORDER)
_RPR_RANK = _ranks(_RPR_ORDER)
_PPR_RANK = _ranks(_PPR_ORDER)
_TRPR_ORDER = (
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
)


def _fixed_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def _set_fonts(rpr: Any, latin: str, east_asia: str) -> None:
    fonts = next(rpr.iterchildren(_RFONTS), None)
    if fonts is None:
        fonts = SubElement(rpr, _RFONTS)
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _insert_in_order(parent: Any, child: Any, order: tuple[str, ...]) -> None:
    """Put ``child`` into ``parent`` where the schema ``order`` (local names) wants it,
    replacing an element of the same name."""
    name = child.tag.rpartition("}")[2]
    old = parent.find(qn(f"w:{name}"))
    if old is not None:
        parent.remove(old)
    rank = order.index(name)
    for index, existing in enumerate(parent):
        local = existing.tag.rpartition("}")[2]
        if local in order and order.index(local) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _get_or_add(parent: Any, tag: str, rank: Mapping[str, int]) -> Any:
    """The first ``tag`` child of ``parent`` (``"w:sz"``), else a new one put where
    python-docx's ``get_or_add_…`` puts it: before the child that comes next in the
    schema order ``rank`` (clark name -> position). python-docx looks for each possible
    successor in turn, which is slow once lxml's path cache overflows."""
    clark = qn(tag)
    for child in parent.iterchildren(clark):
        return child
    element = OxmlElement(tag)
    own = rank[clark]
    successor, best = None, len(rank)
    for child in parent.iterchildren():
        position = rank.get(child.tag)
        if position is not None and own < position < best:
            successor, best = child, position
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element


def _set_color(rpr: Any, color: str) -> None:
    """``color`` (#rrggbb) as the only w:color of ``rpr`` (``font.color.rgb = …``)."""
    for old in list(rpr.iterchildren(_COLOR)):
        rpr.remove(old)
    _get_or_add(rpr, "w:color", _RPR_RANK).val = RGBColor.from_string(color.lstrip("#").upper())


def _set_lang(rpr: Any, lang: str) -> None:
    """``w:lang`` for text in ``lang``: Word keeps a Latin-script language (``w:val``) and
    an East Asian one (``w:eastAsia``). In a Han-script text the Latin words are English
    (as Word itself writes a Chinese document): marked Chinese, LibreOffice breaks them
    anywhere ("Helb|erg")."""
    node = next(rpr.iterchildren(_LANG), None)
    if node is None:
        node = SubElement(rpr, _LANG)
    node.set(qn("w:val"), LATIN_IN_CJK.docx_tag if is_cjk(lang) else _word_tag(lang))
    node.set(qn("w:eastAsia"), _word_tag(lang) if is_cjk(lang) else EAST_ASIAN_DEFAULT.docx_tag)


class _Writer:
    def __init__(self, doc: ir.Document, sheet: StyleSheet) -> None:
        self.doc = doc
        self.sheet = sheet
        self.lang = doc.meta.lang
        reference = (sheet.data.get("page") or {}).get("docx_reference")
        self.reference = Path(reference) if reference else None
        if self.reference is not None:
            try:
                self.word = new_document(str(self.reference))
            except Exception as exc:  # python-docx raises several kinds for a bad package
                raise BriefgenError(
                    f"{self.reference}: not a usable Word document for --reference-docx "
                    f"({type(exc).__name__})"
                ) from None
        else:
            self.word = new_document()
        self._para_styles: dict[str, str] = {}
        self._char_styles: dict[str, str] = {}
        # Word style name and type -> the id a paragraph or run names it by (None for the
        # type's default style): python-docx scans every style for each lookup.
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        # The document's w:style elements by internal name (the first of a name, as
        # python-docx finds it) and the default style of each type; read on first use.
        self._styles_by_name: dict[str, Any] | None = None
        self._default_candidates: list[Any] = []
        self._default_styles: dict[WD_STYLE_TYPE, Any] = {}
        # The body, and its w:sectPr before which new paragraphs go (None: at the end).
        self._body: Any = None
        self._body_end: Any = None
        # Parts and values python-docx would find anew on each use.
        self._styles_element: Any = None
        self._numbering_element: Any = None
        self._block_width_emu: Length | None = None
        self._abstract: dict[str, int] = {}
        self._next_num = 1000
        self._next_abstract = 1000

    # Styles ---------------------------------------------------------------------------

    def _apply_run_props(self, style: BaseStyle, props: dict[str, Any]) -> None:
        """Fonts, size, bold, italic and colour of ``props`` on ``style`` — what setting
        python-docx's ``style.font`` properties writes."""
        role = self.sheet.font_role(props.get("font", "serif"))
        rpr = _get_or_add(style.element, "w:rPr", _STYLE_RANK)
        _set_fonts(rpr, role.docx_latin, role.docx_east_asia)
        if "size" in props:
            _get_or_add(rpr, "w:sz", _RPR_RANK).val = Pt(float(props["size"]))
        _get_or_add(rpr, "w:b", _RPR_RANK).val = bool(props.get("bold", False))
        _get_or_add(rpr, "w:i", _RPR_RANK).val = bool(props.get("italic", False))
        if props.get("color"):
            _set_color(rpr, props["color"])

    def _apply_para_props(self, style: BaseStyle, props: dict[str, Any]) -> None:
        """Spacing, leading, alignment, keep-with-next, indent and background of
        ``props`` on ``style`` — what setting ``style.paragraph_format`` writes."""
        ppr = _get_or_add(style.element, "w:pPr", _STYLE_RANK)
        spacing = _get_or_add(ppr, "w:spacing", _PPR_RANK)
        spacing.before = Pt(length(props.get("space_before", 0)))
        spacing.after = Pt(length(props.get("space_after", 0)))
        # At least the PDF's line height (size × leading): a multiple would scale the
        # face's own line height (1.36 em for Noto Serif, 1.44 for Noto Serif TC), and a
        # memo would run longer in Word and LibreOffice than in its PDF.
        size = float(props.get("size", self.sheet.style("body").get("size", 10.5)))
        spacing.line = Pt(size * float(props.get("leading", 1.4)))
        spacing.lineRule = WD_LINE_SPACING.AT_LEAST
        alignment = _ALIGN.get(props.get("align", "left"))
        if alignment is None:
            for jc in list(ppr.iterchildren(_JC)):
                ppr.remove(jc)
        else:
            _get_or_add(ppr, "w:jc", _PPR_RANK).val = alignment
        _get_or_add(ppr, "w:keepNext", _PPR_RANK).val = bool(props.get("keep_with_next", False))
        if props.get("indent"):
            _get_or_add(ppr, "w:ind", _PPR_RANK).left = Pt(length(props["indent"]))
        if props.get("background"):
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), props["background"].lstrip("#").upper())
            ppr.append(shd)

    def setup_styles(self) -> None:
        """Document defaults, Normal and the heading styles from the style sheet — or,
        with a reference document, its own styles (only the language is set)."""
        styles = self.word.styles
        if self.reference is not None:
            defaults = styles.element.find(qn("w:docDefaults"))
            rpr = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
            if rpr is not None and rpr.find(qn("w:rPr")) is not None:
                _set_lang(rpr.find(qn("w:rPr")), self.lang)
            self._para_styles["body"] = "Normal"
            self.word.settings.element.append(self._theme_lang())
            return
        body = self.sheet.style("body")
        role = self.sheet.font_role(body.get("font", "serif"))
        rpr_default = (
            styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        )
        _set_fonts(rpr_default, role.docx_latin, role.docx_east_asia)
        _set_lang(rpr_default, self.lang)
        normal = self._style("Normal")
        self._apply_run_props(normal, body)
        self._apply_para_props(normal, body)
        _set_lang(normal.element.get_or_add_rPr(), self.lang)
        self._para_styles["body"] = "Normal"
        for level, name in _HEADING_STYLES.items():
            style = self._style(name)
            props = self.sheet.style(SHEET_FOR_HEADING[level])
            self._apply_run_props(style, props)
            self._apply_para_props(style, props)
            pbdr = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
            if pbdr is not None:
                style.element.pPr.remove(pbdr)
        self.word.settings.element.append(self._theme_lang())

    def _theme_lang(self) -> Any:
        node = OxmlElement("w:themeFontLang")
        node.set(qn("w:val"), _word_tag(self.lang))
        node.set(qn("w:eastAsia"), EAST_ASIAN_DEFAULT.docx_tag)
        return node

    def para_style(self, name: str) -> str:
        """The Word paragraph style for semantic style ``name`` (created on first use;
        a reference document's style of the same name is used as it is)."""
        if name in self._para_styles:
            return self._para_styles[name]
        if self.reference is not None and self._has_style(f"Memo {name}"):
            self._para_styles[name] = f"Memo {name}"
            return self._para_styles[name]
        props = self.sheet.style(name)
        style_name = f"Memo {name}"
        style = self._add_style(style_name, WD_STYLE_TYPE.PARAGRAPH)
        based_on = _get_or_add(style.element, "w:basedOn", _STYLE_RANK)
        based_on.val = self._style("Normal").style_id
        self._apply_run_props(style, props)
        self._apply_para_props(style, props)
        self._para_styles[name] = style_name
        return style_name

    def char_style(self, name: str) -> str:
        """The Word character style for semantic style ``name``."""
        if name in self._char_styles:
            return self._char_styles[name]
        styles = self.sheet.data.get("styles") or {}
        if name not in styles:
            self.sheet.style(name)  # raises the unknown-style error
        own = {k: v for k, v in (styles[name] or {}).items() if k != "parent"}
        style_name = f"Memo {name} (text)"
        style = self._add_style(style_name, WD_STYLE_TYPE.CHARACTER)
        if own.keys() & {"font", "size", "bold", "italic"} or own.get("color"):
            rpr = _get_or_add(style.element, "w:rPr", _STYLE_RANK)
            if "font" in own:
                role = self.sheet.font_role(own["font"])
                _set_fonts(rpr, role.docx_latin, role.docx_east_asia)
            if "size" in own:
                _get_or_add(rpr, "w:sz", _RPR_RANK).val = Pt(float(own["size"]))
            if "bold" in own:
                _get_or_add(rpr, "w:b", _RPR_RANK).val = bool(own["bold"])
            if "italic" in own:
                _get_or_add(rpr, "w:i", _RPR_RANK).val = bool(own["italic"])
            if own.get("color"):
                _set_color(rpr, own["color"])
        self._char_styles[name] = style_name
        return style_name

    def _styles(self) -> Any:
        """The document's w:styles element (python-docx finds its part anew each time)."""
        if self._styles_element is None:
            self._styles_element = self.word.styles.element
        return self._styles_element

    def _style_index(self) -> dict[str, Any]:
        """The document's w:style elements by internal name, read in one pass (python-docx
        scans every style for each lookup); kept up to date by ``_add_style``."""
        if self._styles_by_name is None:
            self._styles_by_name = {}
            for element in self._styles().iterchildren(_STYLE):
                name = next(element.iterchildren(_NAME), None)
                if name is not None:
                    self._styles_by_name.setdefault(name.get(_VAL), element)
                if element.get(_DEFAULT) is not None:
                    self._default_candidates.append(element)
        return self._styles_by_name

    def _default_style(self, kind: WD_STYLE_TYPE) -> Any:
        """The default w:style of type ``kind`` (the last so marked), or None — what
        python-docx's ``default_for`` finds, from the styles that carry w:default."""
        if kind not in self._default_styles:
            self._style_index()
            found = None
            for element in self._default_candidates:
                if element.type == kind and element.default:
                    found = element
            self._default_styles[kind] = found
        return self._default_styles[kind]

    def _style(self, name: str) -> BaseStyle:
        """The Word style named ``name`` (a UI name such as "Heading 1"), as
        ``Styles[name]`` finds it."""
        element = self._style_index().get(BabelFish.ui2internal(name))
        if element is None:
            return self.word.styles[name]  # python-docx's fallback and KeyError
        return StyleFactory(element)

    def _has_style(self, name: str) -> bool:
        """Whether the document has a style named ``name``."""
        return BabelFish.ui2internal(name) in self._style_index()

    def _add_style(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        """A new Word style ``name`` of type ``kind`` (``Styles.add_style``)."""
        internal = BabelFish.ui2internal(name)
        index = self._style_index()
        if internal in index:
            raise ValueError(f"document already contains style '{name}'")
        # CT_Styles.add_style_of_type, without its search for where w:name goes.
        element = OxmlElement("w:style")
        self._styles().append(element)
        element.type = kind
        element.customStyle = True
        element.styleId = styleId_from_name(internal)
        name_element = OxmlElement("w:name")
        element.append(name_element)
        name_element.val = internal
        index[internal] = element
        return StyleFactory(element)

    def style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id by which a paragraph (run, table) names Word style ``name`` of type
        ``kind``: None for the document's default style of that type, as python-docx's
        ``Styles.get_style_id`` gives it. Looked up once per document."""
        key = (name, kind)
        if key not in self._style_ids:
            style = self._style(name)
            if style.type != kind:
                raise ValueError(f"assigned style is type {style.type}, need type {kind}")
            default = self._default_style(kind)
            self._style_ids[key] = None if style.element is default else style.style_id
        return self._style_ids[key]

    def new_paragraph(self, container: _Cell | None, word_style: str | None) -> Any:
        """A w:p added at the end of ``container`` (a cell; None: the document body) in
        Word style ``word_style`` (None: no style and no w:pPr) — the XML python-docx's
        ``add_paragraph(style=…)`` writes, built directly."""
        if container is not None:
            p = SubElement(container._tc, _P)
        else:
            p = SubElement(self._body, _P)
            if self._body_end is not None:
                self._body_end.addprevious(p)
        if word_style is not None:
            ppr = SubElement(p, _PPR)
            style_id = self.style_id(word_style)
            if style_id is not None:
                SubElement(ppr, _PSTYLE).set(_VAL, style_id)
        return p

    # Numbering ------------------------------------------------------------------------

    def _abstract_num(self, kind: str) -> int:
        if kind in self._abstract:
            return self._abstract[kind]
        numbering = self._numbering()
        abstract_id = self._next_abstract
        self._next_abstract += 1
        node = OxmlElement("w:abstractNum")
        node.set(qn("w:abstractNumId"), str(abstract_id))
        SubElement(node, qn("w:multiLevelType")).set(_VAL, "multilevel")
        size = float(self.sheet.style("list").get("size", 10.5))
        language = for_code(self.lang)
        left = 0.0
        for level in range(6):
            if kind == "bullet":
                fmt, text, hang = "bullet", _BULLETS[level], 1.2
            else:
                counter = language.list_level(level)
                fmt = _WORD_COUNTERS[counter.kind]
                text = f"{counter.prefix}%{level + 1}{counter.suffix}"
                hang = counter.hang
            hang_tw = int(hang * size * 20)
            left += hang_tw
            lvl = SubElement(node, qn("w:lvl"))
            lvl.set(qn("w:ilvl"), str(level))
            for tag, value in (
                ("w:start", "1"),
                ("w:numFmt", fmt),
                ("w:lvlText", text),
                ("w:suff", "nothing" if language.cjk and kind != "bullet" else "tab"),
                ("w:lvlJc", "left"),
            ):
                SubElement(lvl, qn(tag)).set(_VAL, value)
            ind = SubElement(SubElement(lvl, _PPR), qn("w:ind"))
            ind.set(qn("w:left"), str(int(left)))
            ind.set(qn("w:hanging"), str(hang_tw))
            rpr = SubElement(lvl, _RPR)
            role = self.sheet.font_role(self.sheet.style("list").get("font", "serif"))
            _set_fonts(rpr, role.docx_latin, role.docx_east_asia)
        # abstractNum elements must precede num elements.
        first_num = next(numbering.iterchildren(_NUM), None)
        if first_num is not None:
            first_num.addprevious(node)
        else:
            numbering.append(node)
        self._abstract[kind] = abstract_id
        return abstract_id

    def new_list(self, kind: str, level: int, start: int) -> int:
        """A fresh w:num for one list (so numbering restarts), starting at ``start``."""
        abstract_id = self._abstract_num(kind)
        num_id = self._next_num
        self._next_num += 1
        num = SubElement(self._numbering(), _NUM)
        num.set(qn("w:numId"), str(num_id))
        SubElement(num, qn("w:abstractNumId")).set(_VAL, str(abstract_id))
        override = SubElement(num, qn("w:lvlOverride"))
        override.set(qn("w:ilvl"), str(level))
        SubElement(override, qn("w:startOverride")).set(_VAL, str(start))
        return num_id

    def _block_width(self) -> Length:
        """The width between the margins of the last section (``Document._block_width``),
        read once: python-docx looks for the sections through the whole body."""
        if self._block_width_emu is None:
            section = self.word.sections[-1]
            page_width = section.page_width or Inches(8.5)
            left_margin = section.left_margin or Inches(1)
            right_margin = section.right_margin or Inches(1)
            self._block_width_emu = Emu(page_width - left_margin - right_margin)
        return self._block_width_emu

    def _numbering(self) -> Any:
        """The document's w:numbering element (python-docx finds its part anew each time)."""
        if self._numbering_element is None:
            self._numbering_element = self.word.part.numbering_part.element
        return self._numbering_element

    @staticmethod
    def _number(p: Any, num_id: int, level: int) -> None:
        """Number paragraph ``p`` as item of list ``num_id`` at ``level`` (w:numPr just
        after its w:pStyle)."""
        ppr = next(p.iterchildren(_PPR), None)
        if ppr is None:
            ppr = p.get_or_add_pPr()
        numpr = SubElement(ppr, _NUMPR)
        SubElement(numpr, _ILVL).set(_VAL, str(level))
        SubElement(numpr, _NUMID).set(_VAL, str(num_id))
        pstyle = next(ppr.iterchildren(_PSTYLE), None)
        if pstyle is None:
            ppr.insert(0, numpr)
        else:
            pstyle.addnext(numpr)

    # Content --------------------------------------------------------------------------

    def inlines(self, p: Any, nodes: list[ir.Inline], fmt: dict[str, Any] | None = None) -> None:
        """Runs for ``nodes`` at the end of paragraph ``p``, formatted by ``fmt`` (bold,
        italic, a character style, a language and the font role it sets the East Asian
        font of)."""
        fmt = fmt or {}
        for node in nodes:
            if isinstance(node, ir.Text):
                self._run(p, node.text, fmt)
            elif isinstance(node, ir.LineBreak):
                SubElement(SubElement(p, _R), _BR)
            elif isinstance(node, ir.Strong):
                self.inlines(p, node.children, {**fmt, **self._inline_fmt(node), "bold": True})
            elif isinstance(node, ir.Emph):
                self.inlines(p, node.children, {**fmt, **self._inline_fmt(node), "italic": True})
            elif isinstance(node, ir.Span | ir.Note):
                self.inlines(p, node.children, {**fmt, **self._inline_fmt(node)})
            elif isinstance(node, ir.Link):
                self._link(p, node, fmt)

    def _run(self, p: Any, text: str, fmt: dict[str, Any]) -> None:
        """One w:r of ``text`` at the end of ``p``: the XML python-docx writes for
        ``add_run(text)`` and then bold, italic, style and language set on it (w:rPr
        children in schema order; a tab becomes w:tab, a line end w:br)."""
        r = SubElement(p, _R)
        style, lang = fmt.get("style"), fmt.get("lang")
        if fmt.get("bold") or fmt.get("italic") or style or lang:
            rpr = SubElement(r, _RPR)
            if style:
                style_id = self.style_id(style, WD_STYLE_TYPE.CHARACTER)
                if style_id is not None:
                    SubElement(rpr, _RSTYLE).set(_VAL, style_id)
            if lang and is_hans(lang):
                role = self.sheet.font_role(fmt.get("role") or "serif")
                SubElement(rpr, _RFONTS).set(_EAST_ASIA, role.east_asia_for(lang))
            if fmt.get("bold"):
                SubElement(rpr, _B)
            if fmt.get("italic"):
                SubElement(rpr, _I)
            if lang:
                _set_lang(rpr, lang)
        for piece in _RUN_SPLIT_RE.split(text):
            if piece == "\t":
                SubElement(r, _TAB)
            elif piece in ("\r", "\n"):
                SubElement(r, _BR)
            elif piece:
                t = SubElement(r, _T)
                t.text = piece
                if len(piece.strip()) < len(piece):
                    t.set(_XML_SPACE, "preserve")

    def _inline_fmt(self, node: ir.Node) -> dict[str, Any]:
        return inline_format(node, self.sheet, self.char_style)

    def _link(self, p: Any, node: ir.Link, fmt: dict[str, Any]) -> None:
        r_id = self.word.part.relate_to(node.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        rpr.append(underline)
        run.append(rpr)
        text = OxmlElement("w:t")
        text.text = ir.plain_text(node.children)
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        link.append(run)
        p.append(link)

    def add_para(
        self,
        nodes: list[ir.Inline],
        style: str,
        container: _Cell | None = None,
        indent: float = 0.0,
    ) -> Any:
        """A paragraph of ``nodes`` in semantic style ``style`` (its w:p)."""
        p = self.new_paragraph(container, self.para_style(style))
        if indent:
            ParagraphFormat(p).left_indent = Pt(indent)
        self.inlines(p, nodes, {"role": self.sheet.style(style).get("font", "serif")})
        return p

    def blocks(
        self,
        blocks: list[ir.Block],
        container: _Cell | None = None,
        depth: int = 0,
        indent: float = 0.0,
        inherited: str | None = None,
    ) -> None:
        for block in blocks:
            self.block(block, container, depth, indent, inherited)

    def block(
        self,
        block: ir.Block,
        container: _Cell | None,
        depth: int,
        indent: float,
        inherited: str | None,
    ) -> None:
        if isinstance(block, ir.Heading):
            word_style = WORD_HEADING.get(block.style or "") or _HEADING_STYLES.get(
                block.level, "Heading 3"
            )
            p = self.new_paragraph(container, word_style)
            sheet_style = (
                block.style
                if block.style and self.sheet.has(block.style)
                else SHEET_FOR_HEADING.get(block.level, "heading2")
            )
            role = self.sheet.style(sheet_style).get("font", "serif")
            self.inlines(p, block.children, {"role": role})
        elif isinstance(block, ir.Para):
            self.add_para(block.children, block.style or inherited or "body", container, indent)
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            self.list_(block, container, depth, indent)
        elif isinstance(block, ir.DefinitionList):
            for term, body in block.items:
                self.add_para([ir.Strong(term)], block.style or "body", container, indent)
                self.blocks(body, container, depth, indent + 18)
        elif isinstance(block, ir.Table):
            self.table(block, container)
        elif isinstance(block, ir.BlockQuote):
            self.blocks(block.blocks, container, depth, indent + 18, block.style)
        elif isinstance(block, ir.Rule):
            p = self.new_paragraph(container, self.para_style("body"))
            props = self.sheet.style(block.style or "rule")
            ppr = p.get_or_add_pPr()
            border = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            bottom.set(qn("w:val"), "single")
            bottom.set(qn("w:sz"), str(max(2, int(float(props.get("border_width", 0.5)) * 8))))
            bottom.set(qn("w:space"), "1")
            bottom.set(qn("w:color"), props.get("border_color", "#999999").lstrip("#").upper())
            border.append(bottom)
            ppr.append(border)
        elif isinstance(block, ir.PageBreak):
            run = SubElement(self.new_paragraph(container, None), _R)
            SubElement(run, _BR).set(_TYPE, "page")
        elif isinstance(block, ir.Div):
            self.blocks(block.blocks, container, depth, indent, block.style or inherited)
        else:
            raise BriefgenError(f"DOCX writer: unknown block {type(block).__name__}")

    def list_(
        self,
        block: ir.OrderedList | ir.BulletList,
        container: _Cell | None,
        depth: int,
        indent: float,
    ) -> None:
        ordered = isinstance(block, ir.OrderedList)
        kind = "ordered" if ordered else "bullet"
        level = min(depth, 5)
        num_id = self.new_list(kind, level, block.start if isinstance(block, ir.OrderedList) else 1)
        style = block.style or "list"
        for item in block.items:
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            para_style = first.style if first and first.style else (item.style or style)
            p = self.add_para(first.children if first else [], para_style, container)
            self._number(p, num_id, level)
            for child in blocks:
                if isinstance(child, ir.OrderedList | ir.BulletList):
                    self.list_(child, container, depth + 1, indent)
                else:
                    self.block(child, container, depth + 1, indent + 24 * (level + 1), None)

    def table(self, block: ir.Table, container: _Cell | None) -> None:
        """A Word table whose columns are sized to their (estimated) content — see
        ``layout.column_widths`` — with the style sheet's cell padding, and whose header
        rows repeat on every page it runs onto (``w:tblHeader``); rows may split."""
        columns = max((len(r) for r in block.rows), default=1)
        if container is not None:
            table = container.add_table(rows=len(block.rows), cols=columns)
        else:  # Document.add_table, the width between the margins read once
            tbl = CT_Tbl.new_tbl(len(block.rows), columns, self._block_width())
            if self._body_end is not None:
                self._body_end.addprevious(tbl)
            else:
                self._body.append(tbl)
            table = Table(tbl, self.word)
        table._tbl.tblStyle_val = self.style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        style = block.style or "table"
        props = self.sheet.style(style)
        pad = length(props.get("padding", 3))
        natural: list[list[float]] = [[] for _ in range(columns)]
        minimum = [0.0] * columns
        # A new table has no merged cells: row r's c-th w:tc is cell (r, c).
        trs = list(table._tbl.iterchildren(_TR))
        tcs = [list(tr.iterchildren(_TC)) for tr in trs]
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                word_cell = _Cell(tcs[r][c], table)
                cell_style = cell.style or (
                    f"{style}-header"
                    if cell.header and self.sheet.has(f"{style}-header")
                    else style
                )
                tc = word_cell._tc
                tc.remove(next(tc.iterchildren(_P)))
                self.blocks(cell.blocks, word_cell, 0, 0.0, cell_style)
                if next(tc.iterchildren(_P), None) is None:
                    self.new_paragraph(word_cell, self.para_style(cell_style))
                background = self.sheet.style(cell_style).get("background")
                if background:
                    tcpr = next(tc.iterchildren(_TCPR), None)
                    if tcpr is None:
                        tcpr = tc.get_or_add_tcPr()
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), background.lstrip("#").upper())
                    tcpr.append(shd)
                nat, least = estimated_cell(cell, self.sheet.style(cell_style), pad)
                natural[c].append(nat)
                minimum[c] = max(minimum[c], least)
        available = self.sheet.page_size[0] - self.sheet.margin("left") - self.sheet.margin("right")
        widths = column_widths(natural, minimum, available)
        table.autofit = False
        grid = list(next(table._tbl.iterchildren(_TBLGRID)).iterchildren(_GRIDCOL))
        for c, width in enumerate(widths):
            grid[c].w = Pt(width)
            twips = str(Emu(Pt(width)).twips)
            for row_tcs in tcs:
                if c < len(row_tcs):
                    tcpr = next(row_tcs[c].iterchildren(_TCPR), None)
                    tcw = None if tcpr is None else next(tcpr.iterchildren(_TCW), None)
                    if tcw is None:
                        row_tcs[c].width = Pt(width)  # python-docx adds w:tcPr/w:tcW
                    else:  # what CT_TblWidth.width = Pt(width) sets
                        tcw.set(_TYPE, "dxa")
                        tcw.set(_W_W, twips)
        tblpr = table._tbl.tblPr
        table_width = OxmlElement("w:tblW")
        table_width.set(qn("w:w"), str(round(sum(widths) * 20)))
        table_width.set(qn("w:type"), "dxa")
        _insert_in_order(tblpr, table_width, _TBLPR_ORDER)
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(round(pad * 20)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        _insert_in_order(tblpr, margins, _TBLPR_ORDER)
        # Header rows repeat at the top of every page the table runs onto; rows may split.
        for r in range(block.header_rows):
            trpr = trs[r].get_or_add_trPr()
            _insert_in_order(trpr, OxmlElement("w:tblHeader"), _TRPR_ORDER)
        if container is None:
            self.new_paragraph(None, self.para_style("body"))

    # Page -----------------------------------------------------------------------------

    def setup_page(self) -> None:
        section = self.word.sections[0]
        width, height = self.sheet.page_size
        section.page_width = Pt(width)
        section.page_height = Pt(height)
        section.left_margin = Pt(self.sheet.margin("left"))
        section.right_margin = Pt(self.sheet.margin("right"))
        section.top_margin = Pt(self.sheet.margin("top"))
        section.bottom_margin = Pt(self.sheet.margin("bottom"))
        logo = (self.sheet.data.get("letterhead") or {}).get("logo")
        if self.doc.meta.header or logo:
            paragraph = section.header.paragraphs[0]
            paragraph._p.style = self.style_id(self.para_style("header"))
            if logo:
                try:
                    paragraph.add_run().add_picture(str(logo), height=Pt(24))
                except Exception as exc:  # python-docx raises several kinds for bad images
                    message = f"{logo}: cannot read the letterhead logo ({exc})"
                    raise BriefgenError(message) from None
                self._run(paragraph._p, "  ", {})
            self._run(paragraph._p, self.doc.meta.header, {})
        footer = self.doc.meta.footer
        if footer:
            p = section.footer.paragraphs[0]._p
            p.style = self.style_id(self.para_style("footer"))
            rest = footer
            while rest:
                positions = [(rest.find(k), k) for k in ("{page}", "{pages}") if k in rest]
                if not positions:
                    self._run(p, rest, {})
                    break
                index, key = min(positions)
                if index:
                    self._run(p, rest[:index], {})
                self._field(p, "PAGE" if key == "{page}" else "NUMPAGES")
                rest = rest[index + len(key) :]

    def _field(self, p: Any, code: str) -> None:
        """A Word field ``code`` (PAGE, NUMPAGES) at the end of paragraph ``p``, showing 1
        until Word updates it: begin, instruction, separator, result and end runs."""
        SubElement(SubElement(p, _R), _FLDCHAR).set(_FLDCHARTYPE, "begin")
        instr = SubElement(SubElement(p, _R), qn("w:instrText"))
        instr.set(_XML_SPACE, "preserve")
        instr.text = f" {code} "
        SubElement(SubElement(p, _R), _FLDCHAR).set(_FLDCHARTYPE, "separate")
        self._run(p, "1", {})
        SubElement(SubElement(p, _R), _FLDCHAR).set(_FLDCHARTYPE, "end")

    def properties(self) -> None:
        props = self.word.core_properties
        meta = self.doc.meta
        props.title = _fit_property(meta.title)
        props.author = _fit_property(meta.author)
        props.subject = _fit_property(meta.subject)
        props.keywords = _fit_keywords(meta.keywords)
        props.language = _fit_property(_word_tag(meta.lang))
        props.category = _fit_property(meta.audience)
        props.comments = ""
        props.last_modified_by = _fit_property(meta.author)
        props.revision = 1
        fixed = _fixed_time()
        props.created = fixed
        props.modified = fixed
        props.last_printed = fixed

    def build(self) -> bytes:
        self.setup_styles()
        self.setup_page()
        body = self.word.element.body
        for child in list(body):
            if child.tag in (qn("w:p"), qn("w:tbl"), qn("w:sdt")):
                body.remove(child)
        self._body = body
        self._body_end = next(body.iterchildren(qn("w:sectPr")), None)
        self.blocks(self.doc.blocks)
        self.properties()
        embed_fonts(self.word)
        return _package_bytes(self.word)


#: Word's core properties (title, subject, keywords …) hold at most 255 characters each.
PROPERTY_MAX = 255
# Characters XML 1.0 cannot hold: they are left out of a property.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _word_char(ch: str) -> bool:
    """A letter or digit of a word written with spaces (Latin, Cyrillic …), not Han."""
    return ch.isalnum() and not ("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def _fit_property(text: str, limit: int = PROPERTY_MAX) -> str:
    """``text`` as a core property: at most ``limit`` characters, cut after a whole word
    (a Han character is a word) and ended with "…" when it is longer."""
    text = _NOT_XML_RE.sub("", text)
    if len(text) <= limit:
        return text
    end = limit - 1  # room for the ellipsis
    floor = end // 2
    while end > floor and _word_char(text[end - 1]) and _word_char(text[end]):
        end -= 1
    if end == floor:  # one word longer than half the limit: cut it
        end = limit - 1
    return text[:end].rstrip(" ,;:、，；：") + "…"


def _fit_keywords(words: list[str], limit: int = PROPERTY_MAX) -> str:
    """The keywords joined by ", ", as many whole ones as fit in ``limit`` characters (the
    first one cut by ``_fit_property`` when even it is too long)."""
    words = [w for w in (_NOT_XML_RE.sub("", w) for w in words) if w]
    kept: list[str] = []
    length = 0
    for word in words:
        added = len(word) + (2 if kept else 0)
        if length + added > limit:
            break
        kept.append(word)
        length += added
    if not kept and words:
        return _fit_property(words[0], limit)
    return ", ".join(kept)


class _ReproducibleZip:
    """A zip archive in memory whose entries all have one fixed timestamp and mode 644
    (byte-reproducible); it stands in for python-docx's physical package writer
    (``write(pack_uri, blob)``, ``close()``), so each part is compressed once."""

    def __init__(self) -> None:
        stamp = _fixed_time().timetuple()[:6]
        self._stamp = (max(stamp[0], 1980), *stamp[1:])
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        """Add ``blob`` as the member named by ``pack_uri`` (a python-docx PackURI)."""
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self._stamp)  # type: ignore[arg-type]
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self._zip.writestr(entry, blob)

    def close(self) -> None:
        """Finish the archive."""
        self._zip.close()

    def getvalue(self) -> bytes:
        """The archive's bytes (after ``close``)."""
        return self._buffer.getvalue()


def _package_bytes(word: Any) -> bytes:
    """The bytes of python-docx document ``word``: what ``Document.save`` writes — the
    same members in the same order — with fixed timestamps and attributes."""
    package = word.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    archive = _ReproducibleZip()
    # PackageWriter.write, with our archive instead of python-docx's zip writer.
    PackageWriter._write_content_types_stream(archive, parts)
    PackageWriter._write_pkg_rels(archive, package.rels)
    PackageWriter._write_parts(archive, parts)
    archive.close()
    return archive.getvalue()


def write_docx(doc: ir.Document, sheet: StyleSheet) -> bytes:
    """Build ``doc`` as a Word document styled by ``sheet``; return its bytes."""
    return _Writer(doc, sheet).build()
