"""Make ``briefgen/fontdata/LXGWWenKaiTC-Regular.subset.ttf``, the Kai face briefgen ships.

The face is LXGW WenKai TC (Regular), SIL Open Font License 1.1 (no Reserved Font Name),
taken from the npm package ``lxgw-wenkai-tc-webfont`` 1.2.0 (font version 0.932), whose
tarball is

    https://registry.npmjs.org/lxgw-wenkai-tc-webfont/-/lxgw-wenkai-tc-webfont-1.2.0.tgz
    sha256 d05420f2d94516f3d4eafbb2e8d9fa2347471b66425149ec2509c200bbbb4f03

(``npm pack lxgw-wenkai-tc-webfont@1.2.0`` fetches it). The package holds the regular
weight as 97 WOFF2 files, each one unicode-range slice of the same font
(``files/lxgwwenkaitc-regular-subset-<n>.woff2``). This script decodes them (fontTools,
with the ``brotli`` module: ``pip install brotli``, a development-time need only),
joins their glyphs into one TrueType font, keeps the characters memos need and writes the
result — a reviewed asset committed with the package, not build output:

- ASCII and Latin-1, general punctuation (U+2000-206F), CJK symbols and punctuation
  (U+3000-303F), CJK compatibility forms (U+FE30-FE4F), full-width forms (U+FF00-FFEF);
- every character of Big5 (levels 1 and 2: 5,401 + 7,652 hanzi, and Big5's symbols),
  enumerated by decoding every Big5 code with Python's codec — except Bopomofo, which
  memos do not use.

Outlines, advance widths and vertical metrics are the slices' own; the names (family
"LXGW WenKai TC", PostScript name "LXGWWenKaiTC-Regular"), OS/2, head, hhea, vhea, post
and gasp tables are those the slices share; layout tables (GSUB, GPOS, GDEF, morx, ...) are
left out (briefgen neither shapes nor sets vertical text). The output is reproducible:
the same tarball gives the same bytes.

Usage: ``python tools/make_kai_font.py lxgw-wenkai-tc-webfont-1.2.0.tgz [OUT_DIR]``
(default OUT_DIR: briefgen/fontdata). It also copies the package's OFL.txt there.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import tarfile
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import cmap_format_4

TARBALL_SHA256 = "d05420f2d94516f3d4eafbb2e8d9fa2347471b66425149ec2509c200bbbb4f03"
SLICE = re.compile(r"package/files/lxgwwenkaitc-regular-subset-(\d+)\.woff2")
OUT_NAME = "LXGWWenKaiTC-Regular.subset.ttf"

#: Code point ranges kept besides Big5.
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
#: Left out: Bopomofo and its extension.
EXCLUDED = ((0x02C7, 0x02D9), (0x3100, 0x312F), (0x31A0, 0x31BF))


def big5_codepoints() -> set[int]:
    """Every character Python's ``big5`` codec decodes from a two-byte code."""
    out: set[int] = set()
    for hi in range(0xA1, 0xFA):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                text = bytes((hi, lo)).decode("big5")
            except UnicodeDecodeError:
                continue
            out.update(ord(ch) for ch in text)
    return out


def wanted_codepoints() -> set[int]:
    """The characters the shipped face keeps (before asking which the font has)."""
    wanted = big5_codepoints()
    for start, end in RANGES:
        wanted.update(range(start, end + 1))
    for start, end in EXCLUDED:
        wanted.difference_update(range(start, end + 1))
    return wanted


def read_slices(tarball: Path) -> list[TTFont]:
    """The regular-weight slices of the tarball, in slice order, after checking its hash."""
    data = tarball.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256}")
    slices: list[tuple[int, TTFont]] = []
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            match = SLICE.fullmatch(member.name)
            if match:
                raw = tar.extractfile(member).read()  # type: ignore[union-attr]
                slices.append((int(match.group(1)), TTFont(io.BytesIO(raw))))
    if len(slices) != 97:
        sys.exit(f"{tarball}: {len(slices)} regular slices, expected 97")
    return [font for _, font in sorted(slices, key=lambda s: s[0])]


def join(slices: list[TTFont], wanted: set[int]) -> TTFont:
    """One TrueType font with the glyphs of ``wanted`` (and the components they use)."""
    template = slices[0]
    glyphs: dict[str, Any] = {}
    hmtx: dict[str, tuple[int, int]] = {}
    vmtx: dict[str, tuple[int, int]] = {}
    cmap: dict[int, str] = {}
    for index, font in enumerate(slices):
        best = font.getBestCmap()
        glyf = font["glyf"]
        names = {name: f"s{index}.{name}" for name in font.getGlyphOrder()}
        for code, name in best.items():
            names[name] = f"uni{code:04X}" if code <= 0xFFFF else f"u{code:X}"
        todo = [name for code, name in best.items() if code in wanted]
        for code, name in best.items():
            if code in wanted:
                cmap.setdefault(code, names[name])
        while todo:
            name = todo.pop()
            new = names[name]
            glyph = glyf[name]
            glyph.expand(glyf)
            if glyph.isComposite():
                for component in glyph.components:
                    todo.append(component.glyphName)
                    component.glyphName = names[component.glyphName]
            if new in glyphs:
                continue
            glyphs[new] = glyph
            hmtx[new] = font["hmtx"][name]
            vmtx[new] = font["vmtx"][name]
    notdef = template["glyf"][".notdef"]
    order = [".notdef", *sorted(n for n in glyphs if n != ".notdef")]
    glyphs[".notdef"] = notdef
    hmtx[".notdef"] = template["hmtx"][".notdef"]
    vmtx[".notdef"] = template["vmtx"][".notdef"]

    out = TTFont(recalcTimestamp=False)
    out.setGlyphOrder(order)
    for tag in ("head", "hhea", "maxp", "OS/2", "name", "post", "vhea", "gasp"):
        out[tag] = template[tag]
    out["post"].formatType = 3.0
    glyf = out["glyf"] = newTable("glyf")
    glyf.glyphs = {name: glyphs[name] for name in order}
    glyf.glyphOrder = order
    out["loca"] = newTable("loca")
    out["hmtx"] = newTable("hmtx")
    out["hmtx"].metrics = {name: hmtx[name] for name in order}
    out["vmtx"] = newTable("vmtx")
    out["vmtx"].metrics = {name: vmtx[name] for name in order}
    table = cmap_format_4(4)
    table.platformID, table.platEncID, table.language = 3, 1, 0
    table.cmap = dict(sorted(cmap.items()))
    unicode = cmap_format_4(4)
    unicode.platformID, unicode.platEncID, unicode.language = 0, 3, 0
    unicode.cmap = table.cmap
    out["cmap"] = newTable("cmap")
    out["cmap"].tableVersion = 0
    out["cmap"].tables = [unicode, table]
    os2 = out["OS/2"]
    os2.usFirstCharIndex, os2.usLastCharIndex = min(cmap), max(cmap)
    os2.recalcAvgCharWidth(out)
    os2.recalcUnicodeRanges(out)
    os2.recalcCodePageRanges(out)
    return out


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__.split("Usage: ")[1].split("\n")[0], file=sys.stderr)
        return 2
    tarball = Path(argv[0])
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).parents[1] / "briefgen/fontdata"
    slices = read_slices(tarball)
    wanted = wanted_codepoints()
    font = join(slices, wanted)
    buffer = io.BytesIO()
    font.save(buffer)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / OUT_NAME).write_bytes(buffer.getvalue())
    with tarfile.open(tarball) as tar:
        licence = tar.extractfile("package/OFL.txt").read()  # type: ignore[union-attr]
    (out_dir / "OFL.txt").write_bytes(licence)
    kept = set(font.getBestCmap())
    big5 = big5_codepoints()
    hanzi = {c for c in big5 if 0x4E00 <= c <= 0x9FFF}
    level1 = {ord(bytes((hi, lo)).decode("big5")) for hi in range(0xA4, 0xC7)
              for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
              if (hi, lo) < (0xC6, 0x7F)}  # fmt: skip
    print(f"{OUT_NAME}: {len(buffer.getvalue()):,} bytes, {len(font.getGlyphOrder()):,} glyphs")
    print(f"characters: {len(kept):,} of {len(wanted):,} wanted")
    print(f"Big5 level 1 hanzi: {len(level1 & kept):,} of {len(level1):,}")
    print(f"Big5 hanzi (levels 1 and 2): {len(hanzi & kept):,} of {len(hanzi):,}")
    missing = sorted(c for c in hanzi - kept)
    print("Big5 hanzi the face lacks:", "".join(chr(c) for c in missing[:80]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
