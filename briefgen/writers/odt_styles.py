"""ODF styles from the style sheet, for the ODT writer (``writers/odt.py``).

Each function turns part of a ``StyleSheet`` into odfdo elements: font-face declarations
(one place names every font the document uses), text and paragraph properties of a
semantic style, list styles with the language's numbering (zh-TW 一、（一）1、（1）甲、
（甲）; English 1. a. i. A.), and the page layout. Nothing here touches files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from odfdo import Element, Style, StylePageLayout

from ..languages import EAST_ASIAN_DEFAULT, EN, LANGUAGES, is_cjk
from ..styles import StyleSheet, length

#: ODF's generic font family for each font role name (others get none).
_GENERIC = {"serif": "roman", "sans": "swiss", "mono": "modern"}
#: Where ODF has no number format of its own, LibreOffice names a format by its first
#: labels; these are the names LibreOffice writes (and reads) for the Chinese counting
#: numerals (Word's taiwaneseCountingThousand) and the heavenly stems.
CN_COUNTING = "一, 二, 三, ..."
HEAVENLY_STEMS = "甲, 乙, 丙, ..."
#: zh-TW official numbering by depth: (num-format, prefix, suffix, hang in em).
ZH_LEVELS = (
    (CN_COUNTING, "", "、", 2.0),
    (CN_COUNTING, "（", "）", 3.0),
    ("1", "", "、", 2.0),
    ("1", "（", "）", 3.0),
    (HEAVENLY_STEMS, "", "、", 2.0),
    (HEAVENLY_STEMS, "（", "）", 3.0),
)
#: English numbering by depth.
EN_LEVELS = (
    ("1", "", ".", 1.6),
    ("a", "", ".", 1.6),
    ("i", "", ".", 1.8),
    ("A", "", ".", 1.6),
)
BULLETS = ("•", "◦", "▪")
#: The language of Latin-script text in a memo written in a Han-script language.
LATIN_IN_CJK = EN
#: ODF list styles have ten levels.
LIST_LEVELS = 10
_NCNAME_OK = re.compile(r"[A-Za-z0-9.-]")


def num(value: float) -> str:
    """A number as ODF writes it: ``10.5``, ``4``, ``0.6`` (no trailing zeros)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pt(value: Any) -> str:
    """A style-sheet length (``12``, ``"20mm"``) in points: ``"12pt"``."""
    return f"{num(length(value))}pt"


def style_name(display: str) -> str:
    """The ``style:name`` (an XML NCName) for ``display``, encoded as LibreOffice does:
    a space becomes ``_20_``, any other character not allowed ``_xx_`` (hex)."""
    out = []
    for index, char in enumerate(display):
        if _NCNAME_OK.match(char) and not (index == 0 and not char.isalpha()):
            out.append(char)
        else:
            out.append(f"_{ord(char):x}_")
    return "".join(out)


def lang_parts(tag: str) -> tuple[str, str, str]:
    """``(language, script, country)`` of a BCP 47 tag, as ODF's ``fo:language``,
    ``fo:script`` and ``fo:country`` take them (``zh-TW`` -> ``zh``, ``""``, ``TW``). A
    registered briefgen language gives its ``bcp47`` tag."""
    registered = LANGUAGES.get(tag)
    bcp = registered.bcp47 if registered is not None else tag
    parts = bcp.replace("_", "-").split("-")
    language, script, country = parts[0].lower(), "", ""
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            country = part.upper()
    return language, script, country


def _lang_props(tag: str, keys: tuple[str, str, str]) -> dict[str, str]:
    """``tag``'s language, script and country under the attribute names ``keys``; a
    part the tag lacks is left out (the language always stands)."""
    language, script, country = lang_parts(tag)
    props = {keys[0]: language}
    for key, value in zip(keys[1:], (script, country), strict=True):
        if value:
            props[key] = value
    return props


def western_lang(tag: str) -> dict[str, str]:
    """Text properties marking Latin-script text as ``tag``."""
    return _lang_props(tag, ("fo:language", "fo:script", "fo:country"))


def asian_lang(tag: str) -> dict[str, str]:
    """Text properties marking East Asian text as ``tag``."""
    return _lang_props(tag, ("style:language-asian", "style:script-asian", "style:country-asian"))


def document_langs(lang: str) -> dict[str, str]:
    """The language properties of the default style. A document in a Han-script
    language: that language for East Asian text, and English for the Latin-script text
    in it (names, acronyms, English terms) — marked with the Chinese language, LibreOffice
    breaks Latin words anywhere ("Helb|erg"). Any other document: its language for
    Latin-script text, the East Asian default (zh-TW) for East Asian text."""
    if is_cjk(lang):
        return {**western_lang(LATIN_IN_CJK.code), **asian_lang(lang)}
    return {**western_lang(lang), **asian_lang(EAST_ASIAN_DEFAULT.code)}


def span_langs(lang: str) -> dict[str, str]:
    """The language properties of a span marked ``lang``: the East Asian language for a
    Han-script one (its Latin-script characters keep the document's Latin language, so
    their words stay whole), else the Latin-script language."""
    if is_cjk(lang):
        return asian_lang(lang)
    return western_lang(lang)


@dataclass(frozen=True)
class FontFace:
    """One font the document names: its name and ODF generic family ("" for none)."""

    name: str
    generic: str = ""


def font_faces(sheet: StyleSheet) -> list[FontFace]:
    """Every font the style sheet's roles name for Word/ODF (Latin, East Asian and
    Simplified East Asian names), each once, sorted by name: the one list the
    ``office:font-face-decls`` of both styles.xml and content.xml are made from."""
    faces: dict[str, FontFace] = {}
    for role in sorted(sheet.data.get("fonts") or {}):
        spec = sheet.font_role(role)
        generic = _GENERIC.get(role, "")
        for name in (spec.docx_latin, spec.docx_east_asia, spec.docx_east_asia_hans):
            if name and name not in faces:
                faces[name] = FontFace(name, generic)
    return [faces[name] for name in sorted(faces)]


def simplified_only_names(sheet: StyleSheet) -> set[str]:
    """The font names the style sheet's roles give only Simplified-Chinese text
    (``docx_east_asia_hans`` that no role uses for other text)."""
    roles = [sheet.font_role(role) for role in sheet.data.get("fonts") or {}]
    others = {name for spec in roles for name in (spec.docx_latin, spec.docx_east_asia)}
    return {spec.docx_east_asia_hans for spec in roles} - others


def font_face_decls(faces: Iterable[FontFace]) -> Element:
    """An ``office:font-face-decls`` element declaring ``faces`` by name."""
    decls = Element.from_tag("office:font-face-decls")
    for face in faces:
        element = Element.from_tag("style:font-face")
        element.set_attribute("style:name", face.name)
        quoted = f"'{face.name}'" if " " in face.name else face.name
        element.set_attribute("svg:font-family", quoted)
        if face.generic:
            element.set_attribute("style:font-family-generic", face.generic)
        element.set_attribute("style:font-pitch", "variable")
        decls.append(element)
    return decls


def role_fonts(sheet: StyleSheet, role: str, lang: str | None = None) -> dict[str, str]:
    """Text properties naming the fonts of font role ``role`` (the East Asian one for
    text in ``lang``: the Simplified name for zh-CN)."""
    spec = sheet.font_role(role)
    return {
        "style:font-name": spec.docx_latin,
        "style:font-name-asian": spec.east_asia_for(lang),
        "style:font-name-complex": spec.docx_latin,
    }


def text_props(sheet: StyleSheet, props: dict[str, Any]) -> dict[str, str]:
    """ODF text properties of style-sheet properties ``props`` (those it has: font role,
    size, bold, italic, underline, colour, background)."""
    out: dict[str, str] = {}
    if "font" in props:
        out.update(role_fonts(sheet, props["font"]))
    if "size" in props:
        size = f"{num(float(props['size']))}pt"
        out.update(
            {"fo:font-size": size, "style:font-size-asian": size, "style:font-size-complex": size}
        )
    if "bold" in props:
        weight = "bold" if props["bold"] else "normal"
        out.update(
            {
                "fo:font-weight": weight,
                "style:font-weight-asian": weight,
                "style:font-weight-complex": weight,
            }
        )
    if "italic" in props:
        posture = "italic" if props["italic"] else "normal"
        out.update(
            {
                "fo:font-style": posture,
                "style:font-style-asian": posture,
                "style:font-style-complex": posture,
            }
        )
    if "underline" in props:
        if props["underline"]:
            out.update(
                {
                    "style:text-underline-style": "solid",
                    "style:text-underline-width": "auto",
                }
            )
        else:
            out["style:text-underline-style"] = "none"
    if props.get("color"):
        out["fo:color"] = "#" + props["color"].lstrip("#").lower()
    return out


def para_props(props: dict[str, Any], boxed: bool) -> dict[str, str]:
    """ODF paragraph properties of style-sheet properties ``props``: spacing, leading,
    alignment, keep-with-next, indents and — when ``boxed`` (a block paragraph, not a
    table cell's, whose spacing is the cell's padding) — space above and below,
    background, border and padding. The leading is a fixed line height
    (``leading`` × size), as the PDF sets lines: a proportional one would follow each
    font's own line gap, which for CJK faces is half as large again."""
    size = float(props.get("size", 10.5))
    out = {
        "fo:margin-top": pt(props.get("space_before", 0)) if boxed else "0pt",
        "fo:margin-bottom": pt(props.get("space_after", 0)) if boxed else "0pt",
        "fo:line-height": f"{num(float(props.get('leading', 1.4)) * size)}pt",
        "fo:text-align": {"left": "start", "right": "end"}.get(
            props.get("align", "left"), props.get("align", "left")
        ),
        "fo:keep-with-next": "always" if props.get("keep_with_next") else "auto",
    }
    if props.get("indent"):
        out["fo:margin-left"] = pt(props["indent"])
    if props.get("first_line_indent"):
        out["fo:text-indent"] = pt(props["first_line_indent"])
    if boxed:
        if props.get("background"):
            out["fo:background-color"] = "#" + props["background"].lstrip("#").lower()
        if props.get("border_color") and props.get("border_width"):
            color = props["border_color"].lstrip("#").lower()
            out["fo:border"] = f"{num(float(props['border_width']))}pt solid #{color}"
        if props.get("padding") and (out.get("fo:border") or out.get("fo:background-color")):
            out["fo:padding"] = pt(props["padding"])
    return out


def new_style(
    family: str,
    name: str,
    display: str | None = None,
    parent: str | None = None,
    text: dict[str, str] | None = None,
    para: dict[str, str] | None = None,
    extra: dict[str, dict[str, str]] | None = None,
) -> Style:
    """A ``style:style`` of ``family`` with paragraph, text and other (``extra``: area ->
    properties) properties."""
    style = Style(family, name=name, display_name=display, parent_style=parent)
    if para:
        style.set_properties(para, area="paragraph")
    if text:
        style.set_properties(text, area="text")
    for area, props in (extra or {}).items():
        style.set_properties(props, area=area)
    return style


def default_paragraph_style(sheet: StyleSheet, lang: str) -> Element:
    """The paragraph family's ``style:default-style``: the body's fonts and size, the
    document's languages (``fo:language``/``style:language-asian``), and East Asian line
    breaking."""
    body = sheet.style("body")
    text = {
        **role_fonts(sheet, body.get("font", "serif"), lang),
        **text_props(sheet, {k: v for k, v in body.items() if k == "size"}),
        **document_langs(lang),
        "style:letter-kerning": "true",
    }
    # No extra space between Han and Latin text (the PDF adds none).
    para = {
        "style:line-break": "strict",
        "style:punctuation-wrap": "hanging",
        "style:text-autospace": "none",
    }
    style = Element.from_tag("style:default-style")
    style.set_attribute("style:family", "paragraph")
    for area, props in (("paragraph", para), ("text", text)):
        element = Element.from_tag(f"style:{area}-properties")
        for key, value in props.items():
            element.set_attribute(key, value)
        style.append(element)
    return style


def list_level_formats(lang: str) -> tuple[tuple[str, str, str, float], ...]:
    """The numbering levels of ``lang``: zh-TW's official ones for a Han-script
    language, else English's."""
    return ZH_LEVELS if is_cjk(lang) else EN_LEVELS


def list_style(
    name: str, display: str, lang: str, ordered: bool, shift: int, size: float
) -> Element:
    """A ``text:list-style`` of ten levels. Level ``n`` (1-based) shows the label of
    ordered-list depth ``n - 1 + shift`` (bullets: that depth's bullet); a Han-script
    language's number is followed by nothing (the label carries its 、 or （）), an
    English one by a tab. Indents grow by each level's hanging width (in em of
    ``size``)."""
    formats = list_level_formats(lang)
    cjk = is_cjk(lang)
    style = Element.from_tag("text:list-style")
    style.set_attribute("style:name", name)
    style.set_attribute("style:display-name", display)
    left = 0.0
    for level in range(1, LIST_LEVELS + 1):
        depth = max(0, level - 1 + shift)
        if ordered:
            fmt, prefix, suffix, hang = formats[depth % len(formats)]
            element = Element.from_tag("text:list-level-style-number")
            element.set_attribute("text:level", str(level))
            if prefix:
                element.set_attribute("style:num-prefix", prefix)
            if suffix:
                element.set_attribute("style:num-suffix", suffix)
            element.set_attribute("style:num-format", fmt)
            element.set_attribute("text:display-levels", "1")
            followed = "nothing" if cjk else "listtab"
        else:
            hang = 1.2
            element = Element.from_tag("text:list-level-style-bullet")
            element.set_attribute("text:level", str(level))
            element.set_attribute("text:bullet-char", BULLETS[depth % len(BULLETS)])
            followed = "listtab"
        hang_pt = hang * size
        left += hang_pt
        props = Element.from_tag("style:list-level-properties")
        props.set_attribute("text:list-level-position-and-space-mode", "label-alignment")
        alignment = Element.from_tag("style:list-level-label-alignment")
        alignment.set_attribute("text:label-followed-by", followed)
        if followed == "listtab":
            alignment.set_attribute("text:list-tab-stop-position", f"{num(left)}pt")
        alignment.set_attribute("fo:text-indent", f"-{num(hang_pt)}pt")
        alignment.set_attribute("fo:margin-left", f"{num(left)}pt")
        props.append(alignment)
        element.append(props)
        style.append(element)
    return style


def page_layout(sheet: StyleSheet, header_height: float, footer_height: float) -> Element:
    """The page layout ``Mpm1``: the sheet's paper and margins. A header (footer) of
    ``header_height`` (``footer_height``) points, when not 0, sits centred in the top
    (bottom) margin, as the PDF draws it: the page's own margin is what is left above
    (below) it, so the body starts where the sheet's margin ends."""
    width, height = sheet.page_size
    layout = StylePageLayout(name="Mpm1")
    top, bottom = sheet.margin("top"), sheet.margin("bottom")
    page_top = max(0.0, top / 2 - header_height / 2) if header_height else top
    page_bottom = max(0.0, bottom / 2 - footer_height / 2) if footer_height else bottom
    layout.set_properties(
        {
            "fo:page-width": f"{num(width)}pt",
            "fo:page-height": f"{num(height)}pt",
            "style:print-orientation": "portrait" if height >= width else "landscape",
            "fo:margin-top": f"{num(page_top)}pt",
            "fo:margin-bottom": f"{num(page_bottom)}pt",
            "fo:margin-left": f"{num(sheet.margin('left'))}pt",
            "fo:margin-right": f"{num(sheet.margin('right'))}pt",
            "style:writing-mode": "lr-tb",
        }
    )
    for tag, size, spacing in (
        ("style:header-style", header_height, top - page_top - header_height),
        ("style:footer-style", footer_height, bottom - page_bottom - footer_height),
    ):
        holder = Element.from_tag(tag)
        if size:
            props = Element.from_tag("style:header-footer-properties")
            props.set_attribute("fo:min-height", f"{num(size)}pt")
            side = "fo:margin-bottom" if tag == "style:header-style" else "fo:margin-top"
            props.set_attribute(side, f"{num(max(0.0, spacing))}pt")
            props.set_attribute("style:dynamic-spacing", "false")
            holder.append(props)
        layout.append(holder)
    return layout
