"""Line breaking for Chinese paragraphs in reportlab, with the zh-TW rules (禁則).

reportlab breaks CJK text between any two characters and lets at most one closing mark
hang in the margin; it does nothing about opening marks at a line's end or runs of
closing marks. ``CJKParagraph`` is a ``Paragraph`` that splits lines with
``cjk_frag_split``/``word_split`` instead, and guarantees, for every line but a forced break:

- no line starts with closing punctuation （，。、；：？！）」』》〉】〕…）: a single closing
  mark hangs at the end of the previous line; a run of them pulls the preceding character
  down with it;
- no line ends with opening punctuation （「『《〈【〔（）: it moves down to the next line;
- Latin words are not split when the line has a space or a Chinese character to break at.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import paragraph as rl_paragraph

CLOSING = "，。、；：？！）」』》〉】〕…‧·﹐﹑﹔﹕％,.;:?!)]}’”"
OPENING = "（「『《〈【〔([{‘“"
_FUZZ = 1e-6


def _is_latin(ch: str) -> bool:
    return bool(ch) and ord(ch) < 0x2E80 and not ch.isspace() and ch not in CLOSING + OPENING


def _break_at(units: list[Any], start: int, end: int) -> int:
    """Where to end the line that overflows at ``end`` (``units[start:end]`` fits)."""
    b = end
    # Latin word: back up to a space or a Chinese character inside the line.
    if _is_latin(units[b - 1]) and _is_latin(units[b]):
        for j in range(b - 1, start, -1):
            if units[j].isspace() or ord(units[j]) >= 0x2E80:
                b = j + 1
                break
    for _ in range(8):
        changed = False
        if b < len(units) and units[b] in CLOSING:
            if b + 1 >= len(units) or units[b + 1] not in CLOSING:
                b += 1  # hang one closing mark in the margin
            elif b - 1 > start:
                b -= 1  # a run of closers: take the previous character down with them
            changed = True
        while b - 1 > start and units[b - 1] in OPENING:
            b -= 1
            changed = True
        if not changed:
            break
    return max(b, start + 1)


def cjk_frag_split(
    frags: list[Any], maxWidths: list[float], calcBounds: bool, encoding: str = "utf8"
) -> Any:
    """reportlab's ``cjkFragSplit`` contract (frags -> ``ParaLines(kind=1)``) with the
    line-breaking rules above."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            units.extend(rl_paragraph.cjkU(ch, frag, encoding) for ch in text)
        else:
            units.append(rl_paragraph.cjkU(text, frag, encoding))
    lines = []
    start = 0
    total = len(units)
    while start < total:
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        used = 0.0
        end = start
        forced = False
        while end < total:
            unit = units[end]
            width = unit.width
            if hasattr(width, "normalizedValue"):
                width._normalizer = max_width
                width = width.normalizedValue(max_width)
            if hasattr(unit.frag, "lineBreak"):
                forced = True
                end += 1
                break
            if used + width > max_width + _FUZZ and end > start:
                break
            used += width
            end += 1
        stop = end if forced or end >= total else _break_at(units, start, end)
        line = units[start:stop]
        width_used = sum(_width(u, max_width) for u in line)
        lines.append(
            rl_paragraph.makeCJKParaLine(
                line, max_width, width_used, max_width - width_used, forced, calcBounds
            )
        )
        start = stop
        while start < total and units[start] == " " and not forced:
            start += 1
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def _width(unit: Any, max_width: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        return float(width.normalizedValue(max_width))
    return float(width)


def word_split(
    text: str, maxWidths: Any, fontName: str, fontSize: float, encoding: str = "utf8"
) -> list[tuple[float, str]]:
    """reportlab's ``wordSplit`` contract (one-font CJK paragraphs: ``[(extra space,
    line text)]``) with the same rules as ``cjk_frag_split``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if isinstance(text, bytes):
        text = text.decode(encoding)
    widths_list = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
    chars = list(text)
    widths = [stringWidth(ch, fontName, fontSize) for ch in chars]
    lines: list[tuple[float, str]] = []
    start = 0
    while start < len(chars):
        max_width = widths_list[min(len(lines), len(widths_list) - 1)]
        used = 0.0
        end = start
        while end < len(chars) and (used + widths[end] <= max_width + _FUZZ or end == start):
            used += widths[end]
            end += 1
        stop = end if end >= len(chars) else _break_at(chars, start, end)
        line_width = sum(widths[start:stop])
        lines.append((max_width - line_width, "".join(chars[start:stop])))
        start = stop
        while start < len(chars) and chars[start] == " ":
            start += 1
    return lines


class CJKParagraph(rl_paragraph.Paragraph):
    """A reportlab ``Paragraph`` whose CJK paragraphs (``wordWrap="CJK"``, one font or
    several) break lines with the rules above. Nothing of reportlab is patched: only
    paragraphs of this class use them (splitting a paragraph keeps its class)."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        """reportlab's ``Paragraph.breakLinesCJK`` with ``word_split`` and
        ``cjk_frag_split`` in place of its splitters."""
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        # For bullets, work out the width and wrap the right amount onto line one.
        rl_paragraph._handleBulletWidth(self.bulletText, style, maxWidths)
        frags = self.frags
        if len(frags) == 1 and not hasattr(frags[0], "cbDefn") and not style.endDots:
            frag = frags[0]
            if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                return frag.clone(kind=0, lines=self.blPara.lines)
            text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
            lines = word_split(text, maxWidths, frag.fontName, frag.fontSize)
            return frag.clone(
                kind=0,
                lines=[(space, [line]) for space, line in lines],
                ascent=frag.fontSize,
                descent=-0.2 * frag.fontSize,
            )
        if not frags:
            return rl_paragraph.ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return cjk_frag_split(frags, maxWidths, auto_leading not in ("", "off"))
