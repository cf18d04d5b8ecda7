"""The termbase: official names and terms, one concept per row, in a TSV file.

Columns: ``zh`` (Traditional Chinese), ``en`` (official English), ``type`` (person, org,
title, term, place, event, doc, actor), ``abbr`` (English abbreviation, optional),
``note``, ``source`` (where the English form was seen), ``side`` (optional, for people and
organisations: taiwan, us, …). Lines starting with ``#`` are
comments. Later files override earlier ones for the same ``zh``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError

TYPES = ("person", "org", "title", "term", "place", "event", "doc", "actor")
_COLUMNS = ("zh", "en", "type", "abbr", "note", "source", "side")


@dataclass(frozen=True)
class Term:
    """One termbase entry."""

    zh: str
    en: str
    type: str
    abbr: str = ""
    note: str = ""
    source: str = ""
    #: For people and organisations: whose side they are on (taiwan, us, …).
    side: str = ""


class Termbase:
    """Exact lookups and in-text scanning over a set of ``Term``s."""

    def __init__(self, terms: Iterable[Term] = (), origin: str = "termbase") -> None:
        self._by_zh: dict[str, Term] = {}
        for term in terms:
            self._by_zh[term.zh] = term
        self.origin = origin
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}

    def __len__(self) -> int:
        return len(self._by_zh)

    def lookup(self, zh: str) -> Term | None:
        """The entry whose Chinese form is exactly ``zh`` (surrounding space ignored)."""
        return self._by_zh.get(zh.strip())

    def of_type(self, *types: str) -> list[Term]:
        """Entries of the given types, longest Chinese form first."""
        return sorted(
            (t for t in self._by_zh.values() if t.type in types), key=lambda t: -len(t.zh)
        )

    def find(self, text: str, *types: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping occurrences of entries of ``types`` in ``text``, longest match
        first at each position, as ``(start, end, term)`` in order."""
        key = tuple(sorted(types))
        rx = self._patterns.get(key)
        if rx is None:
            terms = self.of_type(*types)
            if not terms:
                return []
            rx = re.compile("|".join(re.escape(t.zh) for t in terms))
            self._patterns[key] = rx
        return [(m.start(), m.end(), self._by_zh[m.group()]) for m in rx.finditer(text)]

    def merged(self, other: Termbase) -> Termbase:
        """A termbase with ``other``'s entries overriding this one's."""
        return Termbase([*self._by_zh.values(), *other._by_zh.values()], self.origin)


def read_termbase(path: Path) -> Termbase:
    """Load a TSV termbase; raise ``InputError`` naming the line of a malformed row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read termbase: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: termbase is not UTF-8") from None
    return parse_termbase(text, str(path))


def parse_termbase(text: str, origin: str) -> Termbase:
    """Parse TSV termbase text (header row ``zh en type …`` required)."""
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        return Termbase((), origin)
    header = lines[0][1].split("\t")
    if header[:3] != ["zh", "en", "type"]:
        raise InputError(f"{origin}: termbase header must start with zh, en, type")
    terms = []
    for number, line in lines[1:]:
        cells = line.split("\t")
        record = dict(zip(header, cells, strict=False))
        zh, en, kind = (
            record.get("zh", "").strip(),
            record.get("en", "").strip(),
            record.get("type", "").strip(),
        )
        if not zh or not en:
            raise InputError(f"{origin}:{number}: termbase row needs both zh and en")
        if kind not in TYPES:
            raise InputError(f"{origin}:{number}: unknown term type {kind!r}")
        terms.append(Term(zh, en, kind, *(record.get(c, "").strip() for c in _COLUMNS[3:])))
    return Termbase(terms, origin)


def builtin_termbase() -> Termbase:
    """The termbase shipped with briefgen (``briefgen/data/termbase.tsv``)."""
    ref = resources.files("briefgen") / "data" / "termbase.tsv"
    return parse_termbase(ref.read_text(encoding="utf-8"), "briefgen/data/termbase.tsv")
