"""Translation memory in TMX 1.4: exact and fuzzy matches on normalized segments.

``TranslationMemory.lookup`` is exact (after ``normalize``); ``best_match`` falls back to
the closest unit by rapidfuzz's ``fuzz.ratio`` (an edit-distance similarity over
characters, so Chinese compares character by character and English letter by letter).
``read_tmx`` and ``write_tmx`` load and save TMX 1.4; what one writes the other reads back
unit for unit.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, TextIO

from lxml import etree
from rapidfuzz import fuzz, process

from ..errors import BriefgenError, InputError, OutputError
from ..languages import from_tag

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def normalize(segment: str) -> str:
    """The key segments are matched on: NFC, inner whitespace collapsed, outer stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", segment)).strip()


def canonical_lang(tag: str) -> str | None:
    """A TMX language tag as one of briefgen's languages (None if unknown), as the
    language registry reads tags from other tools (zh-Hant, en-GB, zh_Hans_CN …)."""
    found = from_tag(tag)
    return found.code if found is not None else None


@dataclass(frozen=True)
class Match:
    """A translation-memory match: the ``tgt`` text of the unit whose ``src`` segment
    (``source_segment``, as stored) is most like the one looked up, and how alike they
    are (``score``, 0..1; 1.0 only for an exact match after ``normalize``)."""

    text: str
    score: float
    source_segment: str

    @property
    def exact(self) -> bool:
        """Whether the stored source segment equals the one looked up (after normalizing)."""
        return self.score >= 1.0

    def describe(self) -> str:
        """``exact`` or ``fuzzy 93%`` — for a ``ref`` saying how the match was made."""
        return "exact" if self.exact else f"fuzzy {int(self.score * 100)}%"


def length_band(length: int, threshold: float) -> tuple[int, int | None]:
    """The lengths (in characters, inclusive; ``None``: no upper bound) a normalized
    segment must have to score at least ``threshold`` against one of ``length``
    characters under ``fuzz.ratio``.

    ``fuzz.ratio`` is ``1 - d / (m + n)`` where the insertions and deletions ``d`` are at
    least ``|m - n|``, so a score of ``t`` needs ``m * t / (2 - t) <= n <= m * (2 - t) / t``.
    The band is widened by one character each side against rounding, so it never leaves
    out a segment that could reach ``threshold``: a lossless prefilter.
    """
    if threshold <= 0.0:
        return 0, None
    low = max(0, math.floor(length * threshold / (2.0 - threshold)) - 1)
    high = math.ceil(length * (2.0 - threshold) / threshold) + 1
    return low, high


class MemoryLike(Protocol):
    """What a translation provider needs of a memory: ``TranslationMemory`` (TMX files,
    loaded whole) and ``store.UserMemory`` (the user's SQLite store, queried) both are."""

    origin: str

    def __len__(self) -> int: ...

    def lookup(self, segment: str, src: str, tgt: str) -> str | None: ...

    def best_match(
        self, segment: str, src: str, tgt: str, threshold: float = 0.9
    ) -> Match | None: ...


class TranslationMemory:
    """Segments keyed by language, from one or more TMX files.

    A unit is ``{lang: segment}``, source language first; each may carry an ``origin``
    (where the unit came from, e.g. ``review:eppd-6.xlf``), written to TMX as
    ``<prop type="x-origin">``.
    """

    def __init__(self, origin: str = "memory") -> None:
        self.origin = origin
        self._units: list[dict[str, str]] = []
        self._origins: list[str | None] = []
        self._index: dict[tuple[str, str], dict[str, str]] = {}
        # (src, tgt) -> (normalized src segments, units), newest first; built on demand.
        self._fuzzy: dict[tuple[str, str], tuple[list[str], list[dict[str, str]]]] = {}

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[dict[str, str]]:
        """Every unit in the order added (copies)."""
        return (dict(unit) for unit in self._units)

    def entries(self) -> Iterator[tuple[dict[str, str], str | None]]:
        """Every unit (a copy) with its origin, in the order added."""
        return ((dict(u), o) for u, o in zip(self._units, self._origins, strict=True))

    def add(self, unit: Mapping[str, str], origin: str | None = None) -> None:
        """Add a unit ``{lang: segment}`` (later units win on equal segments)."""
        unit = dict(unit)
        self._units.append(unit)
        self._origins.append(origin)
        for lang, segment in unit.items():
            self._index[(lang, normalize(segment))] = unit
        self._fuzzy.clear()

    def lookup(self, segment: str, src: str, tgt: str) -> str | None:
        """The ``tgt`` segment of the unit whose ``src`` segment equals ``segment``."""
        unit = self._index.get((src, normalize(segment)))
        return unit.get(tgt) if unit else None

    def best_match(self, segment: str, src: str, tgt: str, threshold: float = 0.9) -> Match | None:
        """The ``tgt`` text of the unit whose ``src`` segment is most like ``segment``,
        if its similarity is at least ``threshold`` (0..1); an exact match scores 1.0.

        Similarity is rapidfuzz's ``fuzz.ratio`` on normalized segments: one minus the
        insertions and deletions needed, over both lengths, so changing one character of
        a 20-character segment scores 0.95. Ties go to the unit added last.
        """
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        key = normalize(segment)
        if not key:
            return None
        unit = self._index.get((src, key))
        if unit is not None and tgt in unit:
            return Match(unit[tgt], 1.0, unit[src])
        if threshold >= 1.0:  # exact only: nothing else can score 1.0
            return None
        keys, units = self._candidates(src, tgt)
        if not keys:
            return None
        found = process.extractOne(
            key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=threshold * 100
        )
        if found is None:
            return None
        _choice, score, position = found
        best = units[position]
        return Match(best[tgt], min(score / 100, 1.0), best[src])

    def _candidates(self, src: str, tgt: str) -> tuple[list[str], list[dict[str, str]]]:
        """Units with both languages, one per normalized ``src`` segment (the one an
        exact lookup would find), newest first — built once per language pair."""
        cached = self._fuzzy.get((src, tgt))
        if cached is None:
            keys: list[str] = []
            units: list[dict[str, str]] = []
            seen: set[str] = set()
            for unit in reversed(self._units):
                if src not in unit:
                    continue
                key = normalize(unit[src])
                if key in seen or not key:
                    continue
                seen.add(key)
                if self._index.get((src, key)) is unit and tgt in unit:
                    keys.append(key)
                    units.append(unit)
            cached = self._fuzzy[(src, tgt)] = (keys, units)
        return cached


def read_tmx(path: Path, memory: TranslationMemory | None = None) -> TranslationMemory:
    """Load a TMX file (into ``memory`` if given); ``InputError`` if it is not TMX."""
    memory = memory or TranslationMemory(str(path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as exc:
        raise InputError(f"{path}: cannot read translation memory: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not valid TMX: {exc}") from None
    if root.tag != "tmx":
        raise InputError(f"{path}: not a TMX file (root element is <{root.tag}>)")
    for tu in root.iter("tu"):
        unit: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = canonical_lang(tuv.get(_XML_LANG) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            if lang and seg is not None:
                unit[lang] = "".join(seg.itertext())
        if len(unit) >= 2:
            prop = tu.find(f"prop[@type='{_ORIGIN_PROP}']")
            memory.add(unit, prop.text if prop is not None and prop.text else None)
    return memory


_ORIGIN_PROP = "x-origin"


def tmx_bytes(memory: TranslationMemory, srclang: str | None = None) -> bytes:
    """``memory`` as a TMX 1.4 document (UTF-8).

    Units are written in the order they were added, each unit's languages in its own
    order (source first), with its origin as ``<prop type="x-origin">``; the header's
    ``srclang`` is ``srclang``, else the first language every unit shares, else
    ``*all*``. Nothing time-dependent is written, so equal memories give equal bytes.
    """
    from .. import __version__

    entries = list(memory.entries())
    if srclang is None:
        firsts = {next(iter(unit), "") for unit, _ in entries}
        srclang = firsts.pop() if len(firsts) == 1 else "*all*"
    root = etree.Element("tmx", version="1.4")
    header = {
        "creationtool": "briefgen",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "briefgen",
        "adminlang": "en",
        "srclang": srclang or "*all*",
        "datatype": "plaintext",
    }
    root.text = "\n  "
    etree.SubElement(root, "header", header).tail = "\n  "
    body = etree.SubElement(root, "body")
    body.tail = "\n"
    body.text = "\n    " if entries else "\n  "
    try:
        for number, (unit, origin) in enumerate(entries, 1):
            tu = etree.SubElement(body, "tu")
            tu.text = "\n      "
            tu.tail = "\n    " if number < len(entries) else "\n  "
            children = []
            if origin:
                prop = etree.SubElement(tu, "prop", type=_ORIGIN_PROP)
                prop.text = origin
                children.append(prop)
            for lang, segment in unit.items():
                tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
                etree.SubElement(tuv, "seg").text = segment
                children.append(tuv)
            for child in children:
                child.tail = "\n      "
            if children:
                children[-1].tail = "\n    "
    except ValueError as exc:  # a control character or NUL, which XML 1.0 cannot hold
        raise BriefgenError(f"{memory.origin}: cannot write as TMX: {exc}") from None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def write_tmx(
    memory: TranslationMemory,
    dest: str | Path | BinaryIO | TextIO,
    srclang: str | None = None,
) -> int:
    """Write ``memory`` as TMX 1.4 to a path (atomically: temporary file and rename) or
    an open file; return the number of units written. ``read_tmx`` reads back the same
    units. See ``tmx_bytes`` for the layout."""
    data = tmx_bytes(memory, srclang)
    if isinstance(dest, str | Path):
        from ..deliver import atomic_write

        path = Path(dest)
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    elif isinstance(dest, io.TextIOBase):
        dest.write(data.decode("utf-8"))
        dest.flush()
    else:
        dest.write(data)
        dest.flush()
    return len(memory)


def sibling_memories(source: Path) -> list[Path]:
    """TMX files reviewed for ``source``: beside it, named like it up to the first dot
    (``eppd-6-2026-01-28.zh-TW.txt`` -> ``eppd-6-2026-01-28.tmx`` or
    ``eppd-6-2026-01-28.<anything>.tmx``; never ``eppd-6-2026-01-280.tmx``)."""
    stem = source.name.split(".", 1)[0]
    if not stem or not source.parent.is_dir():
        return []
    found = [p for p in source.parent.glob(f"{stem}.*") if p.suffix.lower() == ".tmx"]
    return sorted(p for p in found if p.is_file())
