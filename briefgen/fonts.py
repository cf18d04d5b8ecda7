"""Find and prepare the fonts PDFs embed, glyph by glyph.

Faces come from pip-installed packages (``pylopdf-fonts-zh-tw`` for Noto Serif/Sans TC,
``pylopdf-fonts-zh-cn`` for Noto Serif/Sans SC, ``fontpkg-noto-serif``/``fontpkg-noto-sans``
for the Latin faces) and from briefgen itself (``briefgen/fontdata``: the Kai face LXGW
WenKai TC, a TrueType subset) — nothing is downloaded at run time; an installed Kai face
(fontconfig) serves only where a style sheet lists ``kai-installed``. reportlab embeds TrueType
outlines only, so the OpenType/CFF Chinese faces have their outlines converted (fontTools
cu2qu), the Latin bold faces are instances cut from the variable fonts, and the Simplified
Chinese faces serve as *fallback* faces holding only the Simplified characters the
Traditional face lacks (GB 2312, the Simplified forms OpenCC gives for the Traditional
face's characters, and every other ideograph of the main CJK block the SC face has).

Nothing is converted whole. A face is described by a ``FaceData`` (its character map,
advance widths and header tables, read from the font file in milliseconds) and its glyph
outlines are converted only when a document embeds them (about a millisecond a glyph),
then kept in a persistent glyph store — an SQLite file in the user cache directory
(``BRIEFGEN_CACHE_DIR`` overrides it) that any number of processes may read and extend at
once — so later documents only add the glyphs they are the first to need. Each converted
glyph is byte for byte what converting the whole face gives, and the header tables carry
the whole face's statistics (``WHOLE_FACE_STATS``), so embedded subsets are the same as
those of a whole-face conversion.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import marshal
import os
import sqlite3
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontTools

from .cache import cache_root
from .errors import BriefgenError

#: Bump to invalidate cached faces and glyphs.
_FORMAT = "4"

#: Transform of a fallback face: ``"hans-fallback:<package>/<file>"`` keeps the glyphs of
#: Simplified characters that the named (Traditional) face lacks.
_HANS_FALLBACK = "hans-fallback:"


@dataclass(frozen=True)
class Variant:
    """One file of a face: which package ships it, and how to make it usable."""

    package: str
    filename: str
    #: "none", "cff-to-ttf", "instance:wght=700,wdth=100" or
    #: "hans-fallback:<package>/<file of the face it complements>"
    transform: str = "none"


@dataclass(frozen=True)
class Face:
    """A font face with regular/bold/italic variants (missing ones fall back to regular)."""

    key: str
    family: str
    regular: Variant
    bold: Variant | None = None
    italic: Variant | None = None
    bold_italic: Variant | None = None


def _latin(key: str, family: str, package: str, stem: str) -> Face:
    upright = f"{stem}[wdth,wght].ttf"
    italic = f"{stem}-Italic[wdth,wght].ttf"
    return Face(
        key,
        family,
        regular=Variant(package, upright),
        bold=Variant(package, upright, "instance:wght=700,wdth=100"),
        italic=Variant(package, italic),
        bold_italic=Variant(package, italic, "instance:wght=700,wdth=100"),
    )


FACES: dict[str, Face] = {
    "noto-serif": _latin("noto-serif", "Noto Serif", "fontpkg_noto_serif", "files/NotoSerif"),
    "noto-sans": _latin("noto-sans", "Noto Sans", "fontpkg_noto_sans", "files/NotoSans"),
    "noto-serif-tc": Face(
        "noto-serif-tc",
        "Noto Serif TC",
        regular=Variant("pylopdf_fonts_zh_tw", "NotoSerifTC-Regular.otf", "cff-to-ttf"),
    ),
    "noto-sans-tc": Face(
        "noto-sans-tc",
        "Noto Sans TC",
        regular=Variant("pylopdf_fonts_zh_tw", "NotoSansTC-Regular.otf", "cff-to-ttf"),
    ),
    # Simplified characters the TC faces lack (贸, 镕, 锡, …), in the matching SC design;
    # style sheets list them after the TC face of the same role.
    "noto-serif-sc-fallback": Face(
        "noto-serif-sc-fallback",
        "Noto Serif SC (Simplified characters Noto Serif TC lacks)",
        regular=Variant(
            "pylopdf_fonts_zh_cn",
            "NotoSerifSC-Regular.otf",
            f"{_HANS_FALLBACK}pylopdf_fonts_zh_tw/NotoSerifTC-Regular.otf",
        ),
    ),
    "noto-sans-sc-fallback": Face(
        "noto-sans-sc-fallback",
        "Noto Sans SC (Simplified characters Noto Sans TC lacks)",
        regular=Variant(
            "pylopdf_fonts_zh_cn",
            "NotoSansSC-Regular.otf",
            f"{_HANS_FALLBACK}pylopdf_fonts_zh_tw/NotoSansTC-Regular.otf",
        ),
    ),
}

# The Kai (楷書) face briefgen ships: LXGW WenKai TC, SIL OFL 1.1, subset to Big5 and the
# punctuation and Latin-1 memos use (briefgen/fontdata/README.md says what was kept and
# how tools/make_kai_font.py made it). A TrueType face, used as the file has it.
FACES["lxgw-wenkai-tc"] = Face(
    "lxgw-wenkai-tc",
    "LXGW WenKai TC",
    regular=Variant("briefgen", "fontdata/LXGWWenKaiTC-Regular.subset.ttf"),
)

# An installed Kai face (標楷體, TW-Kai, AR PL UKai, ... found through fontconfig): a
# style sheet that lists it before ``lxgw-wenkai-tc`` has PDFs set in it where it is
# installed (passed over where it is not). ``kai`` is its older name.
FACES["kai-installed"] = Face("kai-installed", "Kai (installed)", Variant("", "", "system:kai"))
FACES["kai"] = Face("kai", "Kai (installed)", regular=Variant("", "", "system:kai"))

#: Family names of Kai (楷書) faces, as fontconfig reports them, in order of preference.
KAI_FAMILIES = (
    "DFKai-SB",
    "BiauKai",
    "標楷體",
    "TW-Kai",
    "AR PL UKai TW",
    "AR PL UKai",
    "Noto Serif TC Kai",
    "cwTeXKai",
)

#: The header statistics a whole-face conversion computes from every glyph (bounding box,
#: side-bearing extremes, point and contour maxima), for the font files the packages ship,
#: keyed by ``<file name>|<size>|<head checksum adjustment>|<transform>``. Embedded subsets
#: copy these headers, so with them a subset is byte for byte the one a whole-face
#: conversion gives. Regenerate with ``python bench/fonts.py --whole-face-stats``. For any
#: other file (a newer package, an installed Kai face) the figures are computed from the
#: glyphs each document embeds instead.
# fmt: off
WHOLE_FACE_STATS: dict[str, dict[str, int]] = {
    "NotoSerifTC-Regular.otf|7936104|2315214758|cff-to-ttf": {
        "head.xMin": -997, "head.yMin": -1049, "head.xMax": 2929, "head.yMax": 1809,
        "head.flags": 1, "hhea.advanceWidthMax": 3000, "hhea.minLeftSideBearing": -997,
        "hhea.minRightSideBearing": -685, "hhea.xMaxExtent": 2929,
        "maxp.maxPoints": 584, "maxp.maxContours": 41,
    },
    "NotoSansTC-Regular.otf|5683368|440879797|cff-to-ttf": {
        "head.xMin": -1002, "head.yMin": -1048, "head.xMax": 2928, "head.yMax": 1808,
        "head.flags": 1, "hhea.advanceWidthMax": 3000, "hhea.minLeftSideBearing": -1002,
        "hhea.minRightSideBearing": -551, "hhea.xMaxExtent": 2928,
        "maxp.maxPoints": 637, "maxp.maxContours": 41,
    },
    "NotoSerifSC-Regular.otf|11625800|1911877964|"
    "hans-fallback:pylopdf_fonts_zh_tw/NotoSerifTC-Regular.otf": {
        "head.xMin": 12, "head.yMin": -120, "head.xMax": 993, "head.yMax": 880,
        "head.flags": 1, "hhea.advanceWidthMax": 1000, "hhea.minLeftSideBearing": 12,
        "hhea.minRightSideBearing": 7, "hhea.xMaxExtent": 993,
        "maxp.maxPoints": 409, "maxp.maxContours": 25,
    },
    "NotoSansSC-Regular.otf|8331336|2748449828|"
    "hans-fallback:pylopdf_fonts_zh_tw/NotoSansTC-Regular.otf": {
        "head.xMin": 13, "head.yMin": -120, "head.xMax": 997, "head.yMax": 880,
        "head.flags": 3, "hhea.advanceWidthMax": 1000, "hhea.minLeftSideBearing": 13,
        "hhea.minRightSideBearing": 3, "hhea.xMaxExtent": 997,
        "maxp.maxPoints": 315, "maxp.maxContours": 30,
    },
    "NotoSerif[wdth,wght].ttf|1887192|3155929417|instance:wght=700,wdth=100": {
        "head.xMin": -724, "head.yMin": -389, "head.xMax": 2797, "head.yMax": 1060,
        "head.flags": 3, "hhea.advanceWidthMax": 2837, "hhea.minLeftSideBearing": -724,
        "hhea.minRightSideBearing": -617, "hhea.xMaxExtent": 2797,
    },
    "NotoSerif-Italic[wdth,wght].ttf|2448496|2300961055|instance:wght=700,wdth=100": {
        "head.xMin": -697, "head.yMin": -389, "head.xMax": 2797, "head.yMax": 1058,
        "head.flags": 3, "hhea.advanceWidthMax": 2837, "hhea.minLeftSideBearing": -697,
        "hhea.minRightSideBearing": -617, "hhea.xMaxExtent": 2797,
    },
    "NotoSans[wdth,wght].ttf|2049096|1422419539|instance:wght=700,wdth=100": {
        "head.xMin": -644, "head.yMin": -512, "head.xMax": 2801, "head.yMax": 1069,
        "head.flags": 3, "hhea.advanceWidthMax": 2839, "hhea.minLeftSideBearing": -644,
        "hhea.minRightSideBearing": -1404, "hhea.xMaxExtent": 2801,
    },
    "NotoSans-Italic[wdth,wght].ttf|2322640|2538652156|instance:wght=700,wdth=100": {
        "head.xMin": -676, "head.yMin": -512, "head.xMax": 2780, "head.yMax": 1062,
        "head.flags": 3, "hhea.advanceWidthMax": 2800, "hhea.minLeftSideBearing": -676,
        "hhea.minRightSideBearing": -1404, "hhea.xMaxExtent": 2780,
    },
}
# fmt: on


class FontUnavailable(BriefgenError):
    """A face that may be installed on the system (e.g. a Kai face) is not."""


Progress = Callable[[str], None]


@functools.lru_cache(maxsize=8)
def system_font(families: tuple[str, ...]) -> Path | None:
    """The file of the first installed font among ``families`` (via fontconfig's
    ``fc-list``), or None when fontconfig or the fonts are missing. Asked once per
    process: the answer (found or not) is remembered."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return None
    try:
        listing = subprocess.run(
            ["fc-list", ":", "family", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found: dict[str, Path] = {}
    for line in listing.splitlines():
        file, _, names = line.partition(":")
        for name in names.split(","):
            found.setdefault(name.strip(), Path(file.strip()))
    for family in families:
        path = found.get(family)
        if path and path.suffix.lower() in (".ttf", ".otf") and path.is_file():
            return path
    return None


def cache_dir() -> Path:
    """Where prepared fonts are kept: ``fonts`` in briefgen's cache (``cache.cache_root``)."""
    return cache_root() / "fonts"


def face(key: str) -> Face:
    """The face registered as ``key``."""
    if key not in FACES:
        raise BriefgenError(f"unknown font face {key!r} (known: {', '.join(FACES)})")
    return FACES[key]


def _package_file(variant: Variant) -> Path:
    spec = importlib.util.find_spec(variant.package)
    if spec is None or not spec.submodule_search_locations:
        raise BriefgenError(
            f"font package {variant.package} is not installed; reinstall briefgen "
            "(pip install briefgen) to get it"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / variant.filename
    if not path.is_file():
        raise BriefgenError(f"font file {path} is missing; reinstall {variant.package}")
    return path


def _base_file(transform: str) -> Path:
    """The file of the face a ``hans-fallback:`` transform complements."""
    package, _, filename = transform[len(_HANS_FALLBACK) :].partition("/")
    return _package_file(Variant(package, filename))


def _source(variant: Variant) -> tuple[Path, str]:
    """The font file of ``variant`` and the transform it needs; a system face that is not
    installed raises ``FontUnavailable``."""
    if variant.transform == "system:kai":
        found = system_font(KAI_FAMILIES)
        if found is None:
            raise FontUnavailable("no Kai face is installed")
        return found, "cff-to-ttf" if found.suffix.lower() == ".otf" else "none"
    return _package_file(variant), variant.transform


def _fingerprint(path: Path) -> str:
    """What identifies a font file's contents: its name, size and whole-file checksum
    adjustment (from its ``head`` table)."""
    with path.open("rb") as fh:
        header = fh.read(12)
        (count,) = struct.unpack(">H", header[4:6])
        records = fh.read(16 * count)
        for i in range(count):
            tag, _, offset, _ = struct.unpack(">4sLLL", records[16 * i : 16 * i + 16])
            if tag == b"head":
                fh.seek(offset + 8)
                (adjustment,) = struct.unpack(">L", fh.read(4))
                return f"{path.name}|{path.stat().st_size}|{adjustment}"
    raise BriefgenError(f"{path}: not a font file (no head table)")


# Face data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FaceData:
    """A face as embedding needs it, without glyph outlines: what reportlab reads from a
    TrueType file's headers, its character map and advance widths."""

    #: Content address of this face (source file, transform, converter versions).
    key: str
    #: Content address of the glyph outlines (a fallback face shares its SC face's).
    glyph_key: str
    #: Header tables as a whole-face conversion writes them: name, OS/2, post, hhea,
    #: maxp, head (and cvt, fpgm, prep when the font has them).
    tables: Mapping[str, bytes]
    #: Code point -> glyph id.
    cmap: Mapping[int, int]
    #: Advance width of each glyph id, in font units.
    advances: tuple[int, ...]
    #: Whether the header statistics are the whole face's (else: computed per subset).
    whole: bool
    #: How the outlines are made: the source file and its transform.
    source: Path
    transform: str


def face_data(variant: Variant, progress: Progress | None = None) -> FaceData:
    """The ``FaceData`` of ``variant``: read from the glyph store, or built from the font
    file (well under a second; no outline is converted) and stored; remembered for the
    rest of the process. A system face that is not installed raises ``FontUnavailable``.
    ``progress`` hears when a face is built."""
    source, transform = _source(variant)
    return _face_data(source, transform, _fingerprint(source), cache_dir(), progress)


def _keys(source: Path, transform: str, fingerprint: str) -> tuple[str, str]:
    """The content addresses of a face and of its glyphs."""
    identity = f"{fingerprint}|{transform}"
    if transform.startswith(_HANS_FALLBACK):
        from importlib.metadata import version

        identity += f"|{_fingerprint(_base_file(transform))}|opencc {version('opencc')}"
    glyph_transform = "cff-to-ttf" if transform.startswith(_HANS_FALLBACK) else transform
    # Face records are marshalled: their address names the Python that wrote them.
    python = f"python {sys.version_info.major}.{sys.version_info.minor}"
    return _digest(f"{identity}|{python}"), _digest(f"{fingerprint}|{glyph_transform}")


_FACE_MEMO: dict[tuple[Path, str, str, Path], FaceData] = {}
_FACE_MEMO_LOCK = threading.Lock()


def _face_data(
    source: Path, transform: str, fingerprint: str, root: Path, progress: Progress | None
) -> FaceData:
    """``face_data`` for one font file (``fingerprint`` names its contents) and one cache
    directory ``root``. Remembered per process in ``_FACE_MEMO``, which only ever holds
    immutable values under content addresses (at most a few dozen: one per face file,
    transform and cache directory)."""
    memo_key = (source, transform, fingerprint, root)
    found = _FACE_MEMO.get(memo_key)
    if found is not None:
        return found
    key, glyph_key = _keys(source, transform, fingerprint)
    store = GlyphStore(root)
    record = store.face(key)
    if record is None:
        if progress:
            progress(f"preparing font {source.name} ({transform}); cached in {root}")
        stats = WHOLE_FACE_STATS.get(f"{fingerprint}|{transform}")
        record = _build_record(source, transform, stats)
        store.add_face(key, record)
    data = FaceData(
        key=key,
        glyph_key=glyph_key,
        tables=record["tables"],
        cmap=record["cmap"],
        advances=tuple(record["advances"]),
        whole=record["whole"],
        source=source,
        transform="cff-to-ttf" if transform.startswith(_HANS_FALLBACK) else transform,
    )
    with _FACE_MEMO_LOCK:
        if len(_FACE_MEMO) >= 64:
            _FACE_MEMO.clear()
        _FACE_MEMO[memo_key] = data
    return data


def _digest(identity: str) -> str:
    return hashlib.sha256(f"{identity}|{fontTools.version}|{_FORMAT}".encode()).hexdigest()[:24]


def _build_record(source: Path, transform: str, stats: dict[str, int] | None) -> dict[str, Any]:
    """The stored form of a ``FaceData``: tables, cmap, advances and ``whole``."""
    from fontTools.ttLib import TTFont

    with TTFont(str(source), lazy=True) as font:
        if transform == "none":
            tables = {t: bytes(font.reader[t]) for t in _HEADER_TABLES if t in font.reader}
            cmap, advances = _cmap(font), _advances(font)
            stats = None  # the file's own headers are already the whole face's
        elif transform == "cff-to-ttf":
            cmap, advances = _cmap(font), _advances(font)
            tables = _cff_tables(font, stats)
        elif transform.startswith(_HANS_FALLBACK):
            with TTFont(str(_base_file(transform)), lazy=True) as base:
                has = set(_cmap(base))
            available = _cmap(font)
            wanted = hans_codepoints(has, set(available))
            # The PDF writer keeps a space in the face of the character before it: the
            # fallback needs its spaces too, or they would be drawn as missing glyphs.
            wanted |= {c for c in available if chr(c).isspace()}
            cmap = {c: g for c, g in available.items() if c in wanted}
            advances = _advances(font)
            tables = _fallback_tables(font, stats)
        elif transform.startswith("instance:"):
            cmap = _cmap(font)
            tables, advances = _instance_tables(font, _axes(transform), stats)
        else:
            raise BriefgenError(f"unknown font transform {transform!r}")
    return {"tables": tables, "cmap": cmap, "advances": advances, "whole": transform == "none"
            or stats is not None}  # fmt: skip


_HEADER_TABLES = ("name", "OS/2", "post", "hhea", "maxp", "head", "cvt ", "fpgm", "prep")


def _axes(transform: str) -> dict[str, float]:
    return {k: float(v) for k, v in (part.split("=") for part in transform[9:].split(","))}


def _cmap(font: Any) -> dict[int, int]:
    """Code point -> glyph id, from the subtable reportlab reads (the last Windows one),
    parsed from the raw table (fontTools would name every glyph first, which takes half a
    second in a CID-keyed CJK face)."""
    data = font.reader["cmap"]
    (count,) = struct.unpack(">H", data[2:4])
    chosen = None
    for i in range(count):
        platform, _, offset = struct.unpack(">HHL", data[4 + 8 * i : 12 + 8 * i])
        if platform == 3:
            chosen = offset
    if chosen is None:
        raise BriefgenError(f"{font.reader.file.name}: no Windows character map")
    (fmt,) = struct.unpack(">H", data[chosen : chosen + 2])
    out: dict[int, int] = {}
    if fmt == 12:
        (groups,) = struct.unpack(">L", data[chosen + 12 : chosen + 16])
        for i in range(groups):
            start, end, gid = struct.unpack(
                ">LLL", data[chosen + 16 + 12 * i : chosen + 28 + 12 * i]
            )
            out.update(zip(range(start, end + 1), range(gid, gid + end - start + 1), strict=True))
        return out
    if fmt == 4:
        (seg2,) = struct.unpack(">H", data[chosen + 6 : chosen + 8])
        n = seg2 // 2
        base = chosen + 14
        ends = struct.unpack(f">{n}H", data[base : base + seg2])
        starts = struct.unpack(f">{n}H", data[base + seg2 + 2 : base + 2 * seg2 + 2])
        deltas = struct.unpack(f">{n}h", data[base + 2 * seg2 + 2 : base + 3 * seg2 + 2])
        range_at = base + 3 * seg2 + 2
        ranges = struct.unpack(f">{n}H", data[range_at : range_at + seg2])
        for i in range(n):
            for code in range(starts[i], ends[i] + 1):
                if ranges[i] == 0:
                    gid = (code + deltas[i]) & 0xFFFF
                else:
                    at = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                    (gid,) = struct.unpack(">H", data[at : at + 2]) if at + 2 <= len(data) else (0,)
                    gid = (gid + deltas[i]) & 0xFFFF if gid else 0
                out[code] = gid
        return out
    raise BriefgenError(f"{font.reader.file.name}: unsupported character map format {fmt}")


def _advances(font: Any) -> list[int]:
    """The advance width of every glyph id, from the raw ``hmtx`` table."""
    return _metrics(font)[0]


def _metrics(font: Any) -> tuple[list[int], list[int]]:
    """The advance widths and left side bearings of every glyph id, from the raw
    ``hmtx`` table (fontTools would name every glyph first)."""
    (long_count,) = struct.unpack(">H", font.reader["hhea"][34:36])
    (count,) = struct.unpack(">H", font.reader["maxp"][4:6])
    hmtx = font.reader["hmtx"]
    pairs = struct.unpack(f">{2 * long_count}H", hmtx[: 4 * long_count])
    rest = struct.unpack(
        f">{count - long_count}h", hmtx[4 * long_count : 2 * count + 2 * long_count]
    )
    advances = list(pairs[0::2]) + [pairs[-2]] * (count - long_count)
    lsbs = [b - 0x10000 if b >= 0x8000 else b for b in pairs[1::2]] + list(rest)
    return advances, lsbs


def _patched_head(font: Any, stats: dict[str, int] | None, **fields: int) -> bytes:
    head = font["head"]
    for name, value in fields.items():
        setattr(head, name, value)
    for name, value in (stats or {}).items():
        table, _, field = name.partition(".")
        if table == "head":
            setattr(head, field, value)
    font.recalcBBoxes = font.recalcTimestamp = False
    return bytes(head.compile(font))


def _patched_hhea(font: Any, stats: dict[str, int] | None, count: int = 0) -> bytes:
    hhea = font["hhea"]
    if count:
        hhea.numberOfHMetrics = count  # as the whole face has it; a subset sets its own
    for name, value in (stats or {}).items():
        table, _, field = name.partition(".")
        if table == "hhea":
            setattr(hhea, field, value)
    font.recalcBBoxes = False
    return bytes(hhea.compile(font))


_MAXP_FIELDS = (
    "maxPoints",
    "maxContours",
    "maxCompositePoints",
    "maxCompositeContours",
    "maxZones",
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
    "maxComponentDepth",
)


def _maxp(num_glyphs: int, stats: dict[str, int] | None, zones: int) -> bytes:
    """A version 1.0 ``maxp`` table for outlines without instructions or components."""
    values = {"maxZones": zones} | {
        k.partition(".")[2]: v for k, v in (stats or {}).items() if k.startswith("maxp.")
    }
    return struct.pack(">LH13H", 0x00010000, num_glyphs, *(values.get(f, 0) for f in _MAXP_FIELDS))


def _cff_tables(font: Any, stats: dict[str, int] | None) -> dict[str, bytes]:
    """The headers of the TrueType face a whole-face conversion of the CFF ``font``
    writes: name, OS/2, hhea and post as they are; ``head`` for glyph data; ``maxp``
    version 1.0; the statistics from ``stats``. The modification time is the source's."""
    (count,) = struct.unpack(">H", font.reader["maxp"][4:6])
    return {
        "name": bytes(font.reader["name"]),
        "OS/2": bytes(font.reader["OS/2"]),
        "post": bytes(font.reader["post"][:32]),
        "hhea": _patched_hhea(font, stats),
        "maxp": _maxp(count, stats, zones=1),
        "head": _patched_head(font, stats, glyphDataFormat=0, indexToLocFormat=1),
    }


def _fallback_tables(font: Any, stats: dict[str, int] | None) -> dict[str, bytes]:
    """The headers of a Simplified fallback face as ``fontBuilder`` makes them from the SC
    ``font``: its name and OS/2, its head and hhea values, a default post table."""
    from fontTools.fontBuilder import FontBuilder

    head, hhea = font["head"], font["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupHead(
        unitsPerEm=head.unitsPerEm,
        fontRevision=head.fontRevision,
        created=head.created,
        modified=head.modified,
        macStyle=head.macStyle,
        lowestRecPPEM=head.lowestRecPPEM,
    )
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    (count,) = struct.unpack(">H", font.reader["maxp"][4:6])
    return {
        "name": bytes(font.reader["name"]),
        "OS/2": bytes(font.reader["OS/2"]),
        "post": struct.pack(">LLhhL", 0x00020000, 0, 0, 0, 0) + bytes(16),
        "hhea": _patched_hhea(builder.font, stats, count),
        "maxp": _maxp(count, stats, zones=2),
        "head": _patched_head(builder.font, stats, indexToLocFormat=1),
    }


def _instance_tables(
    font: Any, axes: dict[str, float], stats: dict[str, int] | None
) -> tuple[dict[str, bytes], list[int]]:
    """The headers and advance widths of the static instance of the variable ``font`` at
    ``axes``: fontTools' instancer run on the font without its outlines and layout tables
    (names, OS/2 and post as a whole instance has them, advances from HVAR), the outline
    statistics from ``stats``."""
    from fontTools.varLib import instancer

    prep = {t: bytes(font.reader[t]) for t in ("cvt ", "fpgm", "prep") if t in font.reader}
    for tag in ("glyf", "loca", "gvar", "GSUB", "GPOS", "GDEF", "gasp", "cvt ", "cvar",
                "fpgm", "prep"):  # fmt: skip
        if tag in font:
            del font[tag]
    with instancer.instantiateVariableFont(font, axes, updateFontNames=True) as instance:
        instance.recalcBBoxes = instance.recalcTimestamp = False
        metrics = instance["hmtx"].metrics
        advances = [metrics[name][0] for name in instance.getGlyphOrder()]
        tables = {
            "name": bytes(instance["name"].compile(instance)),
            "OS/2": bytes(instance["OS/2"].compile(instance)),
            "post": _post_header(instance),
            "maxp": bytes(instance["maxp"].compile(instance)),
            "hhea": _patched_hhea(instance, stats),
            "head": _patched_head(instance, stats),
            **prep,
        }
    return tables, advances


def _post_header(font: Any) -> bytes:
    """The fixed part of ``font``'s post table (all reportlab reads: italic angle,
    underline, fixed pitch), without compiling its glyph names."""
    post = font["post"]
    post.formatType = 3.0
    return bytes(post.compile(font)[:32])


def hans_codepoints(base: set[int], available: set[int] | None = None) -> set[int]:
    """The Simplified-Chinese characters a face with the characters ``base`` should be
    complemented with: every character of GB 2312 (the 6,763 hanzi of mainland text, plus
    its punctuation and symbols) and every Simplified form OpenCC gives for a character of
    ``base`` (镕 for 鎔, 赟 for 贇, … beyond GB 2312), and every ideograph of the main
    CJK block in ``available`` (the SC face's characters) — less those ``base`` has."""
    import opencc

    wanted: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                wanted.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    han = "\n".join(chr(c) for c in sorted(base) if c >= 0x2E80)
    wanted.update(ord(ch) for ch in opencc.OpenCC("t2s").convert(han) if not ch.isspace())
    # And every other ideograph of the main CJK block the SC face has: a variant a
    # Taiwanese page still uses (闗 for 關) must not stop a build.
    wanted.update(c for c in available or () if 0x4E00 <= c <= 0x9FFF)
    return wanted - base


# Glyphs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Glyph:
    """One converted glyph: its TrueType ``glyf`` data, left side bearing and the glyph
    ids of its components (a composite glyph's)."""

    data: bytes
    lsb: int
    components: tuple[int, ...] = ()


def glyphs(
    face: FaceData, gids: Iterable[int], progress: Progress | None = None
) -> dict[int, Glyph]:
    """The glyphs ``gids`` of ``face`` and the components they use: read from the glyph
    store, and those it lacks converted (as a whole-face conversion would) and added."""
    store = GlyphStore(cache_dir())
    found: dict[int, Glyph] = {}
    wanted = set(gids)
    while wanted:
        found.update(store.glyphs(face.glyph_key, wanted))
        missing = wanted - found.keys()
        if missing:
            if progress:
                progress(f"converting {len(missing)} glyphs of {face.source.name}")
            converter = _converter(face.source, face.transform, _fingerprint(face.source))
            with converter.lock:
                made = converter.convert(missing)
            store.add_glyphs(face.glyph_key, made)
            found.update(made)
        wanted = {c for g in list(found.values()) for c in g.components} - found.keys()
    return found


@functools.lru_cache(maxsize=4)
def _converter(source: Path, transform: str, fingerprint: str) -> _Converter:
    """The converter of one font file (``fingerprint`` names its contents), kept for the
    rest of the process so that a face's outlines are parsed once, not per document (at
    most four: the faces one build converts glyphs of; 5-30 MB each)."""
    return _Converter(source, transform)


class _Converter:
    """Makes TrueType glyphs from one font file, as a whole-face conversion would. Not
    for two threads at once: hold ``lock``."""

    def __init__(self, source: Path, transform: str) -> None:
        if transform not in ("none", "cff-to-ttf") and not transform.startswith("instance:"):
            raise BriefgenError(f"unknown font transform {transform!r}")
        self.source = source
        self.transform = transform
        self.lock = threading.Lock()
        self._font: Any = None
        #: Glyphs already instanced in ``_font`` (instancing works in place).
        self._instanced: set[str] = set()

    @property
    def font(self) -> Any:
        if self._font is None:
            from fontTools.ttLib import TTFont

            with self.source.open("rb") as fh:  # read whole: no file stays open
                self._font = TTFont(io.BytesIO(fh.read()), lazy=True)
        return self._font

    def convert(self, gids: set[int]) -> dict[int, Glyph]:
        """The glyphs ``gids`` (and, for variable fonts, their components)."""
        if self.transform == "cff-to-ttf":
            return self._cff(gids)
        if self.transform == "none":
            return self._raw(gids)
        return self._instance(gids)

    def _cff(self, gids: set[int]) -> dict[int, Glyph]:
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        from fontTools.ttLib import newTable

        order = self.font.getGlyphOrder()
        glyph_set = self.font.getGlyphSet()
        lsbs = _metrics(self.font)[1]
        table = newTable("glyf")
        out = {}
        for gid in sorted(gids):
            pen = TTGlyphPen(glyph_set)
            glyph_set[order[gid]].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            out[gid] = Glyph(bytes(pen.glyph().compile(table, True)), lsbs[gid])
        return out

    def _raw(self, gids: set[int]) -> dict[int, Glyph]:
        """The glyphs as the file has them (the TrueType faces used as they are)."""
        loca = self.font["loca"]
        data = self.font.reader["glyf"]
        lsbs = _metrics(self.font)[1]
        out = {}
        for gid in sorted(gids):
            raw = bytes(data[loca[gid] : loca[gid + 1]])
            out[gid] = Glyph(raw, lsbs[gid], _components(raw))
        return out

    def _instance(self, gids: set[int]) -> dict[int, Glyph]:
        """Glyphs of the static instance, each as fontTools' instancer makes it: deltas
        applied (components first), metrics from the phantom points, overlap flags set."""
        from fontTools.ttLib.tables import _g_l_y_f
        from fontTools.varLib import instancer

        font = self.font
        glyf = font["glyf"]
        order = font.getGlyphOrder()
        names: set[str] = set()
        todo = [order[g] for g in gids]
        while todo:
            name = todo.pop()
            if name not in names:
                names.add(name)
                if glyf[name].isComposite():
                    todo.extend(c.glyphName for c in glyf[name].components)
        depth_cache: dict[str, Any] = {}

        def depth(name: str) -> int:
            glyph = glyf[name]
            if not glyph.isComposite():
                return 0
            return int(
                glyph.getCompositeMaxpValues(glyf, maxpValuesCache=depth_cache).maxComponentDepth
            )

        limits = (
            instancer.AxisLimits(_axes(self.transform))
            .limitAxesAndPopulateDefaults(font)
            .normalize(font)
        )
        for name in sorted(names - self._instanced, key=lambda n: (depth(n), n)):
            instancer.instantiateGvarGlyph(font, name, limits)
            glyph = glyf[name]
            if glyph.isComposite():
                glyph.components[0].flags |= _g_l_y_f.OVERLAP_COMPOUND
            elif glyph.numberOfContours > 0:
                glyph.flags[0] |= _g_l_y_f.flagOverlapSimple
            self._instanced.add(name)
        metrics = font["hmtx"].metrics
        out = {}
        for name in names:
            glyph = glyf[name]
            components = (
                tuple(font.getGlyphID(c.glyphName) for c in glyph.components)
                if glyph.isComposite()
                else ()
            )
            out[font.getGlyphID(name)] = Glyph(
                bytes(glyph.compile(glyf, True)), metrics[name][1], components
            )
        return out


def _components(data: bytes) -> tuple[int, ...]:
    """The glyph ids a composite glyph's ``glyf`` data refers to (none for others)."""
    if len(data) < 10 or struct.unpack(">h", data[:2])[0] >= 0:
        return ()
    out, at, more = [], 10, True
    while more:
        flags, gid = struct.unpack(">HH", data[at : at + 4])
        out.append(gid)
        at += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        more = bool(flags & 0x0020)  # MORE_COMPONENTS
    return tuple(out)


# The glyph store -----------------------------------------------------------------------


class GlyphStore:
    """Converted faces and glyphs, kept in one SQLite file under ``root``. Any number of
    processes and threads may read and add at once (SQLite locks; a glyph converted twice
    at the same time is the same glyph, and the second copy is ignored). A store that
    cannot be read or written costs speed only: everything is converted again."""

    def __init__(self, root: Path) -> None:
        self.path = root / f"glyphs-{_FORMAT}.sqlite3"

    def _connect(self, retry: bool = True) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=60)
        try:
            with conn:
                conn.execute("CREATE TABLE IF NOT EXISTS face (key TEXT PRIMARY KEY, record BLOB)")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS glyph (face TEXT, gid INTEGER, data BLOB, "
                    "lsb INTEGER, components BLOB, PRIMARY KEY (face, gid)) WITHOUT ROWID"
                )
        except sqlite3.OperationalError:
            conn.close()
            raise
        except sqlite3.DatabaseError:
            # Not a database (a damaged file): set it aside and start an empty store.
            conn.close()
            if not retry:
                raise
            os.replace(self.path, self.path.with_suffix(".damaged"))
            return self._connect(retry=False)
        return conn

    def face(self, key: str) -> dict[str, Any] | None:
        """The stored record of face ``key``, or None."""
        try:
            conn = self._connect()
            try:
                row = conn.execute("SELECT record FROM face WHERE key = ?", (key,)).fetchone()
            finally:
                conn.close()
            return marshal.loads(row[0]) if row else None
        except (sqlite3.Error, OSError, ValueError, EOFError, TypeError):
            return None

    def add_face(self, key: str, record: dict[str, Any]) -> None:
        """Keep ``record`` as face ``key`` (a no-op if it is already kept)."""
        self._write("INSERT OR IGNORE INTO face VALUES (?, ?)", [(key, marshal.dumps(record))])

    def glyphs(self, key: str, gids: Iterable[int]) -> dict[int, Glyph]:
        """Those of ``gids`` kept for glyph key ``key``."""
        wanted = sorted(gids)
        out: dict[int, Glyph] = {}
        try:
            conn = self._connect()
            try:
                for i in range(0, len(wanted), 500):
                    chunk = wanted[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        "SELECT gid, data, lsb, components FROM glyph "
                        f"WHERE face = ? AND gid IN ({marks})",
                        (key, *chunk),
                    )
                    for gid, data, lsb, components in rows:
                        comps = struct.unpack(f">{len(components) // 2}H", components)
                        out[gid] = Glyph(bytes(data), lsb, comps)
            finally:
                conn.close()
        except (sqlite3.Error, OSError, struct.error):
            return {}
        return out

    def add_glyphs(self, key: str, made: Mapping[int, Glyph]) -> None:
        """Keep ``made`` under glyph key ``key``."""
        rows = [
            (key, gid, g.data, g.lsb, struct.pack(f">{len(g.components)}H", *g.components))
            for gid, g in made.items()
        ]
        self._write("INSERT OR IGNORE INTO glyph VALUES (?, ?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            conn = self._connect()
            try:
                with conn:
                    conn.executemany(sql, rows)
            finally:
                conn.close()
        except (sqlite3.Error, OSError):
            pass  # read-only or broken cache: the next build converts again


# Callers -----------------------------------------------------------------------------


def prepare(variants: list[Variant], progress: Progress | None = None) -> None:
    """Make sure every variant's font file is there and its ``FaceData`` is in the store
    (milliseconds each once stored; well under a second for all of them on a first run),
    so that processes forked afterwards share them. Outlines are converted later, glyph by
    glyph, when a document embeds them; a Simplified fallback face is read when a document
    has a character the faces before it lack. A system face that is not installed is
    passed over (the PDF writer uses the next face)."""
    for variant in dict.fromkeys(v for v in variants if v is not None):
        if variant.transform.startswith(_HANS_FALLBACK):
            _package_file(variant)
            continue
        try:
            face_data(variant, progress)
        except FontUnavailable:
            continue
