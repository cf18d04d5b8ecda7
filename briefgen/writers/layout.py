"""Layout decisions shared by the writers that lay out pages themselves (PDF, DOCX, ODT).

``inline_format`` resolves an inline's character style, font role and language the same
way for DOCX and ODT, and both name their heading styles after Word's
(``WORD_HEADING``, ``SHEET_FOR_HEADING``).

Table columns are sized to their content, the way a browser lays out an ``auto`` table:
each column has a *natural* width (its longest line set without wrapping) and a
*minimum* (its longest word — a CJK column may break between any two characters, so its
minimum is a few characters wide). The writers measure these (the PDF writer with the real
font metrics, the DOCX writer by estimate) and ``column_widths`` shares the line out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .. import ir

#: Word's names of the heading styles, by semantic style (ODT uses them too, so that a
#: document opened in either word processor shows the same style list).
WORD_HEADING = {
    "title": "Title",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
}
#: The semantic style of a heading of each level that names none.
SHEET_FOR_HEADING = {1: "title", 2: "heading1", 3: "heading2", 4: "heading2"}

_WIDE = range(0x2E80, 0xFFEF)
#: A column whose natural width is at most this share of the line is never wrapped
#: (numbers, status labels, short names), as long as the other columns keep their minimum.
NARROW_SHARE = 0.25
#: The share of a wrapping column's cells that should fit on one line if they can.
TYPICAL_SHARE = 0.75
#: The narrowest a column that wraps may get, in ems of its text (unless its text is
#: narrower): about four Chinese characters.
MIN_EMS = 4.0
#: What a measured line may be short of its real width (rounding, kerning, bold).
_SLACK = 1.04

_WORD_RE = re.compile(r"\S+")
_WIDE_RE = re.compile("[\u2e80-\uffee]")  # a character in _WIDE


def cell_lines(blocks: list[ir.Block]) -> list[list[ir.Inline]]:
    """The lines of text in a cell's blocks, each as its inlines: every paragraph (also
    inside lists, quotes and divs) cut at its forced line breaks."""
    lines: list[list[ir.Inline]] = []
    for block in blocks:
        if isinstance(block, ir.Para | ir.Heading):
            current: list[ir.Inline] = []
            for node in block.children:
                if isinstance(node, ir.LineBreak):
                    lines.append(current)
                    current = []
                else:
                    current.append(node)
            lines.append(current)
        elif isinstance(block, ir.BulletList | ir.OrderedList):
            for item in block.items:
                lines.extend(cell_lines(item.blocks))
        elif isinstance(block, ir.BlockQuote | ir.Div):
            lines.extend(cell_lines(block.blocks))
        elif isinstance(block, ir.DefinitionList):
            for term, body in block.items:
                lines.append(term)
                lines.extend(cell_lines(body))
    return lines


def words(text: str) -> list[str]:
    """The pieces of ``text`` a line may not break inside: runs between spaces, and each
    wide (CJK) character on its own, a closing mark staying with the character before it
    and an opening mark with the one after (the zh-TW line-breaking rules)."""
    out: list[str] = []
    for run in _WORD_RE.findall(text):
        if _WIDE_RE.search(run) is None:  # no wide character: the run is one piece
            out.append(run)
            continue
        piece = ""
        for ch in run:
            if ord(ch) in _WIDE:
                if ch in "，。、；：？！）」』》〉】〕…" and piece:
                    piece += ch
                    continue
                if piece and piece[-1] not in "（「『《〈【〔":
                    out.append(piece)
                    piece = ""
                piece += ch
            else:
                if piece and ord(piece[-1]) in _WIDE and piece[-1] not in "（「『《〈【〔":
                    out.append(piece)
                    piece = ""
                piece += ch
        if piece:
            out.append(piece)
    return out


def estimate_width(text: str, size: float) -> float:
    """A font-independent estimate of ``text``'s width in points at ``size``: a wide (CJK)
    character is one em, any other about 0.55 em."""
    narrow = size * 0.55
    # The same additions in the same order as over _WIDE (a list sums faster than a generator).
    return sum([size if "\u2e80" <= ch < "\uffef" else narrow for ch in text])


def measure_cell(
    lines: list[str], measure: Callable[[str], float], size: float, pad: float
) -> tuple[float, float]:
    """``(natural, minimum)`` width of one cell from its ``lines`` of text, with
    ``measure`` giving a string's width and ``pad`` the cell padding on each side."""
    natural = max((measure(line) for line in lines), default=0.0) * _SLACK
    longest_word = max((measure(w) for line in lines for w in words(line)), default=0.0)
    minimum = max(longest_word * _SLACK, min(natural, MIN_EMS * size))
    return natural + 2 * pad, minimum + 2 * pad


#: How much wider bold text is estimated to be than regular text.
BOLD_WIDTH = 1.08


def estimated_cell(cell: ir.Cell, props: dict[str, Any], pad: float) -> tuple[float, float]:
    """``measure_cell`` of ``cell`` by estimate (``estimate_width``, bold text
    ``BOLD_WIDTH`` wider), for the writers that have no font metrics (DOCX, ODT);
    ``props`` is the cell's style (its ``size`` and ``bold``)."""
    size = float(props.get("size", 10.5))
    factor = BOLD_WIDTH if props.get("bold") else 1.0
    return measure_cell(
        [ir.plain_text(line) for line in cell_lines(cell.blocks)],
        lambda text: estimate_width(text, size) * factor,
        size,
        pad,
    )


def _percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def column_widths(cells: list[list[float]], minimum: list[float], available: float) -> list[float]:
    """Column widths (points) that share ``available`` among columns by their content:
    ``cells[c]`` holds the natural width of every cell of column ``c``, ``minimum[c]`` the
    narrowest the column may get (its longest word). All widths include the padding.

    - When every column fits unwrapped, each gets its natural width (its widest cell) and
      the widest column (the text column) the rest of the line.
    - Otherwise narrow columns — natural width at most ``NARROW_SHARE`` of the line:
      numbers, status labels, short names — keep their natural width (smallest first,
      while the other columns still get their minimum). The columns that must wrap start
      wide enough for most of their cells (``TYPICAL_SHARE``) to stay on one line, within
      ``NARROW_SHARE`` of the line, and share what is left by how much text they would
      still wrap: in proportion to the square root of the width their cells lack, summed
      over the cells — so the long text column takes most, a column of names with one
      long name a little. No column gets more than its natural width.
    - When even the minimums do not fit, they are scaled down to the line.
    """
    count = len(cells)
    if not count:
        return []
    natural = [max(max(col, default=0.0), least) for col, least in zip(cells, minimum, strict=True)]
    if sum(natural) <= available:
        widths = list(natural)
        widest = max(range(count), key=lambda c: natural[c])
        widths[widest] += available - sum(widths)
        return widths
    if sum(minimum) >= available:
        scale = available / sum(minimum) if sum(minimum) else 0.0
        return [m * scale for m in minimum]
    cap = available * NARROW_SHARE
    floor = [
        max(minimum[c], min(_percentile(cells[c], TYPICAL_SHARE), cap, natural[c]))
        for c in range(count)
    ]
    if sum(floor) > available:
        floor = list(minimum)
    fixed: set[int] = set()
    for c in sorted(range(count), key=lambda c: natural[c]):
        if natural[c] > cap:
            break
        others = sum(floor[o] for o in range(count) if o != c and o not in fixed)
        if sum(natural[f] for f in fixed) + natural[c] + others > available:
            break
        fixed.add(c)
    widths = [natural[c] if c in fixed else floor[c] for c in range(count)]
    flexible = [c for c in range(count) if c not in fixed]
    while flexible:
        left = available - sum(widths)
        weights = {c: math.sqrt(sum(max(0.0, n - widths[c]) for n in cells[c])) for c in flexible}
        total = sum(weights.values())
        if left <= 1e-6 or total <= 0:
            break
        capped = [c for c in flexible if widths[c] + left * weights[c] / total >= natural[c]]
        if not capped:
            for c in flexible:
                widths[c] += left * weights[c] / total
            break
        for c in capped:
            widths[c] = natural[c]
            flexible.remove(c)
    left = available - sum(widths)
    if left > 1e-6:  # every column that wraps reached its natural width
        widest = max(range(count), key=lambda c: natural[c])
        widths[widest] += left
    return widths


def inline_format(node: ir.Node, sheet: Any, char_style: Callable[[str], str]) -> dict[str, Any]:
    """The formatting an inline ``node`` adds to its paragraph's: ``style`` (the name
    ``char_style`` gives its style), ``role`` (the font role that style sets itself in
    ``sheet``) and ``lang``; only the keys that apply."""
    out: dict[str, Any] = {}
    if node.style:
        out["style"] = char_style(node.style)
        own = (sheet.data.get("styles") or {}).get(node.style) or {}
        if "font" in own:
            out["role"] = own["font"]
    if node.lang:
        out["lang"] = node.lang
    return out
