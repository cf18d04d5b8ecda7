"""Find and prepare the fonts PDFs embed.

Faces come from pip-installed packages (``pylopdf-fonts-zh-tw`` for Noto Serif/Sans TC,
``fontpkg-noto-serif``/``fontpkg-noto-sans`` for the Latin faces) — nothing is downloaded
at run time. reportlab embeds TrueType outlines only, so the OpenType/CFF Chinese faces
are converted once with fontTools (cu2qu) and static bold instances are cut from the
variable Latin faces; results are cached in the user cache directory
(``BRIEFGEN_CACHE_DIR`` overrides it).
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

import fontTools
from platformdirs import user_cache_dir

from .errors import BriefgenError

#: Bump to invalidate cached conversions.
_CONVERTER_VERSION = "2"


@dataclass(frozen=True)
class Variant:
    """One file of a face: which package ships it, and how to make it usable."""

    package: str
    filename: str
    #: "none", "cff-to-ttf" or "instance:wght=700,wdth=100"
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


def _cached_path(variant: Variant, source: Path) -> Path:
    stat = source.stat()
    digest = hashlib.sha256(
        f"{source.name}|{stat.st_size}|{variant.transform}|{fontTools.version}|"
        f"{_CONVERTER_VERSION}".encode()
    ).hexdigest()[:16]
    return cache_dir() / f"{Path(variant.filename).stem}-{digest}.ttf"


def is_ready(variant: Variant) -> bool:
    """Whether ``variant`` can be used without converting anything first."""
    if variant.transform.startswith("system:"):
        return True
    return variant.transform == "none" or _cached_path(variant, _package_file(variant)).is_file()


def prepare(variants: list[Variant], progress: Progress | None = None) -> None:
    """Convert every variant not yet cached, in parallel processes when there are several
    and more than one CPU (the first run on a machine: about 30 s of work)."""
    todo = [v for v in dict.fromkeys(variants) if not is_ready(v)]
    if not todo:
        return
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

    font = TTFont(str(source))
    if transform == "cff-to-ttf":
        _cff_to_glyf(font)
    elif transform.startswith("instance:"):
        from fontTools.varLib import instancer

        axes = {k: float(v) for k, v in (part.split("=") for part in transform[9:].split(","))}
        font = instancer.instantiateVariableFont(font, axes, updateFontNames=True)
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


def face(key: str) -> Face:
    """The face registered as ``key``."""
    if key not in FACES:
        raise BriefgenError(f"unknown font face {key!r} (known: {', '.join(FACES)})")
    return FACES[key]
