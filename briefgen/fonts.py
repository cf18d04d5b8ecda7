"""Find and prepare the fonts PDFs embed.

Faces come from pip-installed packages (``pylopdf-fonts-zh-tw`` for Noto Serif/Sans TC,
``pylopdf-fonts-zh-cn`` for Noto Serif/Sans SC, ``fontpkg-noto-serif``/``fontpkg-noto-sans``
for the Latin faces) — nothing is downloaded at run time. reportlab embeds TrueType
outlines only, so the OpenType/CFF Traditional Chinese faces are converted once with
fontTools (cu2qu), static bold instances are cut from the variable Latin faces, and the
Simplified Chinese faces become small *fallback* faces holding only the Simplified
characters the Traditional face lacks (GB 2312, the Simplified forms OpenCC gives for the
Traditional face's characters, and every other ideograph of the main CJK block the SC face
has: about 5,600 glyphs, some seconds each); results are cached in the user cache
directory (``BRIEFGEN_CACHE_DIR`` overrides it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontTools
from platformdirs import user_cache_dir

from .errors import BriefgenError

#: Bump to invalidate cached conversions.
_CONVERTER_VERSION = "2"

#: Transform of a fallback face: ``"hans-fallback:<package>/<file>"`` keeps the glyphs of
#: Simplified characters that the named (Traditional) face lacks.
_HANS_FALLBACK = "hans-fallback:"
#: Bump to invalidate cached fallback faces only.
_HANS_FALLBACK_VERSION = "2"


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


class FontUnavailable(BriefgenError):
    """A face that may be installed on the system (e.g. a Kai face) is not."""


Progress = Callable[[str], None]


def system_font(families: tuple[str, ...]) -> Path | None:
    """The file of the first installed font among ``families`` (via fontconfig's
    ``fc-list``), or None when fontconfig or the fonts are missing."""
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
    """Where prepared fonts are kept."""
    override = os.environ.get("BRIEFGEN_CACHE_DIR")
    base = Path(override) if override else Path(user_cache_dir("briefgen"))
    return base / "fonts"


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


def _base_variant(transform: str) -> Variant:
    """The face a ``hans-fallback:`` transform complements."""
    package, _, filename = transform[len(_HANS_FALLBACK) :].partition("/")
    return Variant(package, filename, "cff-to-ttf")


def _cached_path(variant: Variant, source: Path) -> Path:
    stat = source.stat()
    key = (
        f"{source.name}|{stat.st_size}|{variant.transform}|{fontTools.version}|{_CONVERTER_VERSION}"
    )
    if variant.transform.startswith(_HANS_FALLBACK):
        # What the fallback holds depends on the face it complements and on OpenCC.
        from importlib.metadata import version

        base = _package_file(_base_variant(variant.transform))
        key += (
            f"|{base.name}|{base.stat().st_size}|opencc {version('opencc')}|"
            f"{_HANS_FALLBACK_VERSION}"
        )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_dir() / f"{Path(variant.filename).stem}-{digest}.ttf"


def is_ready(variant: Variant) -> bool:
    """Whether ``variant`` can be used without converting anything first."""
    if variant.transform.startswith("system:"):
        return True
    return variant.transform == "none" or _cached_path(variant, _package_file(variant)).is_file()


def prepare(variants: list[Variant], progress: Progress | None = None) -> None:
    """Convert every variant not yet cached, in parallel processes when there are several
    and more than one CPU (the first run on a machine: about 110 s of CPU, a minute on
    two cores)."""
    todo = [v for v in dict.fromkeys(variants) if not is_ready(v)]
    if not todo:
        return
    # Longest first, so the two processes finish together: whole CJK faces, then the
    # Latin bold instances, then the small Simplified fallbacks.
    todo.sort(key=_work)
    if progress:
        names = ", ".join(sorted({Path(v.filename).name for v in todo}))
        progress(f"preparing fonts once ({names}); they are cached in {cache_dir()}")
    workers = min(len(todo), os.cpu_count() or 1)
    if workers < 2:
        for variant in todo:
            variant_path(variant)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for _ in pool.map(variant_path, todo):
            pass


def _work(variant: Variant) -> tuple[int, int]:
    """A sort key putting the variants that take longest to prepare first."""
    rank = {"cff-to-ttf": 0, "instance": 1}.get(variant.transform.split(":")[0], 2)
    return rank, -_package_file(variant).stat().st_size


def variant_path(variant: Variant, progress: Progress | None = None) -> Path:
    """A TrueType file for ``variant``, converting and caching it the first time; a
    ``system:`` face that is not installed raises ``FontUnavailable``."""
    if variant.transform == "system:kai":
        found = system_font(KAI_FAMILIES)
        if found is None:
            raise FontUnavailable("no Kai face is installed")
        if found.suffix.lower() == ".otf":
            variant = Variant("", str(found), "cff-to-ttf")
            source = found
            target = _cached_path(variant, source)
            if not target.is_file():
                _convert(source, target, "cff-to-ttf", progress)
            return target
        return found
    source = _package_file(variant)
    if variant.transform == "none":
        return source
    target = _cached_path(variant, source)
    if target.is_file():
        return target
    _convert(source, target, variant.transform, progress)
    return target


def _convert(source: Path, target: Path, transform: str, progress: Progress | None) -> None:
    if progress:
        progress(f"preparing font {source.name} ({transform}); this happens once")
    from fontTools.ttLib import TTFont

    if transform == "cff-to-ttf":
        font = TTFont(str(source))
        _cff_to_glyf(font)
    elif transform.startswith("instance:"):
        from fontTools.varLib import instancer

        axes = {k: float(v) for k, v in (part.split("=") for part in transform[9:].split(","))}
        font = instancer.instantiateVariableFont(TTFont(str(source)), axes, updateFontNames=True)
    elif transform.startswith(_HANS_FALLBACK):
        font = _hans_fallback(source, _package_file(_base_variant(transform)))
    else:
        raise BriefgenError(f"unknown font transform {transform!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cff_to_glyf(font: object) -> None:
    """Replace the CFF outlines of ``font`` by quadratic TrueType ones (in place)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf  # type: ignore[index]
    font["loca"] = newTable("loca")  # type: ignore[index]
    for tag in ("CFF ", "VORG"):
        if tag in font:  # type: ignore[operator]
            del font[tag]  # type: ignore[attr-defined]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp  # type: ignore[index]
    post = font["post"]  # type: ignore[index]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0  # type: ignore[index]
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


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


def _hans_fallback(source: Path, base: Path) -> Any:
    """A TrueType face with the glyphs of ``source`` (an OpenType/CFF Simplified Chinese
    face) for the characters ``hans_codepoints`` picks against ``base`` — a small face to
    put after ``base`` in a font role — and for the spaces. Outlines are converted as by
    ``_cff_to_glyf``; the names, metrics and OS/2 data are the source's."""
    from fontTools.ttLib import TTFont

    with TTFont(str(base), lazy=True) as base_font:
        has = set(base_font.getBestCmap())
    with TTFont(str(source), lazy=True) as src:
        cmap = src.getBestCmap()
        # The PDF writer keeps a space in the face of the character before it: the
        # fallback needs its spaces too, or they would be drawn as missing glyphs.
        wanted = hans_codepoints(has, set(cmap))
        wanted |= {c for c in cmap if chr(c).isspace()}
        return _glyf_subset(src, wanted)


def _glyf_subset(src: Any, wanted: set[int]) -> Any:
    """A new TrueType face with the glyphs of ``src`` (CFF outlines) for ``wanted``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cmap = {c: g for c, g in src.getBestCmap().items() if c in wanted}
    names = [".notdef", *sorted(set(cmap.values()) - {".notdef"}, key=src.getGlyphID)]
    new_name = {name: name if i == 0 else f"g{i}" for i, name in enumerate(names)}
    glyph_set = src.getGlyphSet()
    hmtx = src["hmtx"]
    glyphs, metrics = {}, {}
    for name in names:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[new_name[name]] = pen.glyph()
        metrics[new_name[name]] = hmtx[name]
    head, hhea = src["head"], src["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupHead(
        unitsPerEm=head.unitsPerEm,
        fontRevision=head.fontRevision,
        created=head.created,
        modified=head.modified,
        macStyle=head.macStyle,
        lowestRecPPEM=head.lowestRecPPEM,
    )
    builder.setupGlyphOrder(list(glyphs))
    builder.setupCharacterMap({c: new_name[g] for c, g in cmap.items()})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    builder.font["name"] = src["name"]
    builder.font["OS/2"] = src["OS/2"]
    builder.setupPost()
    return builder.font


def face(key: str) -> Face:
    """The face registered as ``key``."""
    if key not in FACES:
        raise BriefgenError(f"unknown font face {key!r} (known: {', '.join(FACES)})")
    return FACES[key]
