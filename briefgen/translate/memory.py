"""Translation memory in TMX 1.4: exact matches on normalized segments."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from lxml import etree

from ..errors import InputError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_ALIASES = {
    "zh-tw": "zh-TW",
    "zh-hant": "zh-TW",
    "zh-hant-tw": "zh-TW",
    "zh": "zh-TW",
    "zh-cn": "zh-CN",
    "zh-hans": "zh-CN",
    "zh-hans-cn": "zh-CN",
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
}


def normalize(segment: str) -> str:
    """The key segments are matched on: NFC, inner whitespace collapsed, outer stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", segment)).strip()


def canonical_lang(tag: str) -> str | None:
    """A TMX language tag as one of briefgen's languages (None if unknown)."""
    return _LANG_ALIASES.get(tag.strip().lower())


class TranslationMemory:
    """Segments keyed by language, from one or more TMX files."""

    def __init__(self, origin: str = "memory") -> None:
        self.origin = origin
        self._units: list[dict[str, str]] = []
        self._index: dict[tuple[str, str], dict[str, str]] = {}

    def __len__(self) -> int:
        return len(self._units)

    def add(self, unit: dict[str, str]) -> None:
        """Add a unit ``{lang: segment}`` (later units win on equal segments)."""
        self._units.append(unit)
        for lang, segment in unit.items():
            self._index[(lang, normalize(segment))] = unit

    def lookup(self, segment: str, src: str, tgt: str) -> str | None:
        """The ``tgt`` segment of the unit whose ``src`` segment equals ``segment``."""
        unit = self._index.get((src, normalize(segment)))
        return unit.get(tgt) if unit else None


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
            memory.add(unit)
    return memory


def sibling_memories(source: Path) -> list[Path]:
    """TMX files reviewed for ``source``: beside it, named like it up to the first dot
    (``eppd-6-2026-01-28.zh-TW.txt`` -> ``eppd-6-2026-01-28.tmx`` or
    ``eppd-6-2026-01-28.<anything>.tmx``; never ``eppd-6-2026-01-280.tmx``)."""
    stem = source.name.split(".", 1)[0]
    if not stem or not source.parent.is_dir():
        return []
    found = [p for p in source.parent.glob(f"{stem}.*") if p.suffix.lower() == ".tmx"]
    return sorted(p for p in found if p.is_file())
