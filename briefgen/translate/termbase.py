"""The termbase: official names and terms, one concept per row.

Columns: ``zh`` (Traditional Chinese), ``en`` (official English), ``type`` (person, org,
title, term, place, event, doc, actor), ``abbr`` (English abbreviation, optional),
``note``, ``source`` (where the English form was seen), ``side`` (optional, for people and
organisations: taiwan, us, …). Later entries override earlier ones for the same ``zh``,
and later files override earlier ones.

Three file formats are read, chosen by suffix:

* **TSV** (``.tsv``, ``.txt`` and anything else): header row ``zh en type …``; lines
  starting with ``#`` are comments.
* **CSV** (``.csv``): the same columns with a header row (any order, ``zh``, ``en`` and
  ``type`` required), read with the ``csv`` module; UTF-8 with or without BOM; rows whose
  first cell starts with ``#`` are comments.
* **TBX** (``.tbx``, ``.xml``): TBX-Basic/TBX v2 (``martif`` … ``termEntry`` → ``langSet`` →
  ``tig``/``ntig`` → ``term``) or TBX v3 (``tbx`` … ``conceptEntry`` → ``langSec`` →
  ``termSec`` → ``term``). Each Chinese term (``xml:lang`` zh, zh-TW, zh-Hant …) of an entry
  becomes one row with the entry's English term (``en``, ``en-US`` …). An English term whose
  ``termType`` is an abbreviation/acronym/short form gives ``abbr``; ``definition``/``note``
  give ``note``; ``source`` gives ``source``; the custom categories ``type`` (or a
  ``subjectField`` that is one of the types above) and ``side`` give those columns; the type
  defaults to ``term``. Entities are never expanded and nothing is fetched.

Malformed files raise ``InputError`` naming the file and the line or entry.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..languages import EN, ZH_TW, from_tag

TYPES = ("person", "org", "title", "term", "place", "event", "doc", "actor")
_COLUMNS = ("zh", "en", "type", "abbr", "note", "source", "side")
#: Suffixes read as CSV and as TBX; every other suffix is read as TSV.
CSV_SUFFIXES = (".csv",)
TBX_SUFFIXES = (".tbx", ".xml")


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
        self._sorted: dict[tuple[str, ...], tuple[Term, ...]] = {}

    def __len__(self) -> int:
        return len(self._by_zh)

    def __iter__(self) -> Iterator[Term]:
        """The entries in file order (an overridden entry keeps its first position)."""
        return iter(self._by_zh.values())

    def lookup(self, zh: str) -> Term | None:
        """The entry whose Chinese form is exactly ``zh`` (surrounding space ignored)."""
        return self._by_zh.get(zh.strip())

    def of_type(self, *types: str) -> list[Term]:
        """Entries of the given types, longest Chinese form first (file order among equal
        lengths)."""
        key = tuple(sorted(set(types)))
        found = self._sorted.get(key)
        if found is None:
            found = tuple(
                sorted((t for t in self._by_zh.values() if t.type in key), key=lambda t: -len(t.zh))
            )
            self._sorted[key] = found
        return list(found)

    def find(self, text: str, *types: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping occurrences of entries of ``types`` in ``text``, in order, as
        ``(start, end, term)``. Scanning goes left to right; at each position the longest
        entry that matches there wins (美國國務院 rather than 美國 or 國務院), and the scan
        resumes after it."""
        key = tuple(sorted(set(types)))
        rx = self._patterns.get(key)
        if rx is None:
            terms = self.of_type(*key)
            if not terms:
                return []
            # Alternatives are tried in order, so longest-first gives the longest match at
            # each position.
            rx = re.compile("|".join(re.escape(t.zh) for t in terms))
            self._patterns[key] = rx
        return [(m.start(), m.end(), self._by_zh[m.group()]) for m in rx.finditer(text)]

    def merged(self, other: Termbase) -> Termbase:
        """A termbase with ``other``'s entries overriding this one's."""
        return Termbase([*self._by_zh.values(), *other._by_zh.values()], self.origin)


# --- reading ---------------------------------------------------------------------------


def read_termbase(path: Path) -> Termbase:
    """Load a termbase file, TSV, CSV or TBX by its suffix; raise ``InputError`` naming the
    file and the line (or TBX entry) of anything malformed."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read termbase: {exc.strerror or exc}") from None
    if suffix in TBX_SUFFIXES:
        return parse_tbx(data, str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: termbase is not UTF-8") from None
    if suffix in CSV_SUFFIXES:
        return parse_csv(text, str(path))
    return parse_termbase(text, str(path))


def _make_term(record: Mapping[str, str], where: str) -> Term:
    """A ``Term`` from a row's cells by column name; ``where`` prefixes errors."""
    zh, en, kind = (record.get(c, "").strip() for c in ("zh", "en", "type"))
    if not zh or not en:
        raise InputError(f"{where}: termbase row needs both zh and en")
    if kind not in TYPES:
        raise InputError(f"{where}: unknown term type {kind!r}")
    return Term(zh, en, kind, *(record.get(c, "").strip() for c in _COLUMNS[3:]))


def parse_termbase(text: str, origin: str) -> Termbase:
    """Parse TSV termbase text (header row ``zh en type …`` required)."""
    lines = [
        (n, line)
        for n, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        return Termbase((), origin)
    header = [cell.strip() for cell in lines[0][1].split("\t")]
    if header[:3] != ["zh", "en", "type"]:
        raise InputError(f"{origin}: termbase header must start with zh, en, type")
    terms = [
        _make_term(dict(zip(header, line.split("\t"), strict=False)), f"{origin}:{number}")
        for number, line in lines[1:]
    ]
    return Termbase(terms, origin)


def parse_csv(text: str, origin: str) -> Termbase:
    """Parse CSV termbase text: a header row naming the columns (``zh``, ``en`` and
    ``type`` required, any order), then one row per entry. Blank rows and rows whose first
    cell starts with ``#`` are skipped; a field containing a comma must be quoted."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header: list[str] | None = None
    terms: list[Term] = []
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{origin}:{line}: malformed CSV: {exc}") from None
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            missing = [c for c in ("zh", "en", "type") if c not in header]
            if missing:
                raise InputError(
                    f"{origin}:{line}: termbase header must have columns zh, en, type "
                    f"(missing {', '.join(missing)})"
                )
            continue
        if any(cell.strip() for cell in row[len(header) :]):
            raise InputError(
                f"{origin}:{line}: termbase row has {len(row)} fields but the header has "
                f"{len(header)} (quote fields that contain commas)"
            )
        terms.append(_make_term(dict(zip(header, row, strict=False)), f"{origin}:{line}"))
    return Termbase(terms, origin)


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY_TAGS = {"termEntry", "conceptEntry"}
_LANG_TAGS = {"langSet", "langSec"}
_TERM_GROUP_TAGS = {"tig", "ntig", "termSec"}
#: Elements that hold other elements rather than a data category.
_STRUCTURE_TAGS = {
    "descripGrp", "adminGrp", "termCompList", "termGrp", "transacGrp", "transac",
    "transacNote", "date", "ref", "xref", "hi", "foreign", "ph", "sc", "ec",
}  # fmt: skip
_ABBREVIATION_TYPES = {"abbreviation", "acronym", "shortform", "short form", "initialism"}
_TYPED_TAGS = {"descrip", "admin", "termNote", "adminNote", "descripNote"}


def _local(el: etree._Element) -> str:
    """An element's tag without its namespace; "" for entities and the like."""
    return etree.QName(el.tag).localname if isinstance(el.tag, str) else ""


def _category(el: etree._Element) -> str:
    """The data category an element carries (``definition``, ``source``, ``termType`` …),
    normalised to lower case without an ``x-``/``briefgen-`` prefix; "" for structure."""
    name = _local(el)
    if name in _TYPED_TAGS:
        name = (el.get("type") or "").strip()
    elif name in _STRUCTURE_TAGS or name in _ENTRY_TAGS | _LANG_TAGS | _TERM_GROUP_TAGS:
        return ""
    name = name.lower()
    for prefix in ("x-", "briefgen-", "briefgen:"):
        name = name.removeprefix(prefix)
    return name


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _categories(el: etree._Element) -> Iterator[tuple[str, str]]:
    """``(category, text)`` for the data categories directly in ``el`` (looking into
    ``descripGrp``-like groups, not into language or term sections)."""
    for child in el:
        name = _local(child)
        if not name or name in _LANG_TAGS | _TERM_GROUP_TAGS:
            continue
        if name in _STRUCTURE_TAGS and name not in {"ref", "xref", "hi"}:
            yield from _categories(child)
            continue
        category = _category(child)
        if category:
            yield category, _text(child)


def _tbx_lang(lang: str) -> str | None:
    """``zh`` for Traditional Chinese tags, ``en`` for English ones, else None."""
    found = from_tag(lang)
    if found is ZH_TW:
        return "zh"
    return "en" if found is EN else None


def parse_tbx(data: bytes | str, origin: str) -> Termbase:
    """Parse a TBX document (v2 ``martif`` or v3 ``tbx``); see the module docstring."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    if isinstance(data, str):
        # lxml refuses str input that carries an encoding declaration.
        data = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", data).encode("utf-8")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        message = str(exc.msg).split(", line ")[0] if exc.msg else "not well-formed XML"
        raise InputError(f"{origin}:{line}: malformed TBX: {message}") from None
    if root is None or _local(root) not in ("martif", "tbx"):
        name = _local(root) if root is not None else "?"
        raise InputError(f"{origin}: not a TBX file (root element <{name}>, not <martif> or <tbx>)")
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise InputError(
            f"{origin}:{entity.sourceline}: malformed TBX: entity reference {entity.text} "
            "(entities are not expanded)"
        )
    terms: list[Term] = []
    entries = [el for el in root.iter() if _local(el) in _ENTRY_TAGS]
    for number, entry in enumerate(entries, 1):
        ident = entry.get("id")
        where = f"{origin}:{entry.sourceline}: TBX entry {number}" + (
            f" (id {ident})" if ident else ""
        )
        terms.extend(_tbx_entry(entry, where))
    return Termbase(terms, origin)


def _tbx_entry(entry: etree._Element, where: str) -> list[Term]:
    """The rows of one ``termEntry``/``conceptEntry``: one per Chinese term."""
    fields: dict[str, list[str]] = {}

    def add(category: str, value: str) -> None:
        if value:
            fields.setdefault(category, []).append(value)

    for category, value in _categories(entry):
        add(category, value)
    zh_terms: list[str] = []
    en_terms: list[tuple[str, bool]] = []  # (term, is an abbreviation)
    for lang_el in entry:
        if _local(lang_el) not in _LANG_TAGS:
            continue
        lang = _tbx_lang(lang_el.get(_XML_LANG) or lang_el.get("lang") or "")
        if lang is None:
            continue
        for category, value in _categories(lang_el):
            add(category, value)
        for group in lang_el:
            if _local(group) not in _TERM_GROUP_TAGS:
                continue
            term_el = next((el for el in group.iter() if _local(el) == "term"), None)
            if term_el is None:
                raise InputError(f"{where}: <{_local(group)}> has no <term>")
            term = _text(term_el)
            if not term:
                raise InputError(f"{where}: empty <term> (line {term_el.sourceline})")
            notes = dict(_categories(group))
            for el in group.iter():
                if _local(el) != "term" and el is not group and _category(el):
                    notes.setdefault(_category(el), _text(el))
            if lang == "zh":
                zh_terms.append(term)
            else:
                is_abbr = notes.get("termtype", "").lower() in _ABBREVIATION_TYPES
                en_terms.append((term, is_abbr))
            for category in ("definition", "note", "source"):
                if category in notes:
                    add(category, notes[category])
    if not zh_terms:
        return []  # an entry for other languages only
    if not en_terms:
        raise InputError(f"{where}: has a Chinese term ({zh_terms[0]}) but no English term")
    full = [t for t, is_abbr in en_terms if not is_abbr]
    abbrs = [t for t, is_abbr in en_terms if is_abbr]
    en = full[0] if full else en_terms[0][0]
    abbr = _first(fields, "abbr", "abbreviation") or next((a for a in abbrs if a != en), "")
    kind = _first(fields, "type", "concepttype")
    if not kind:
        kind = next((v for v in fields.get("subjectfield", []) if v in TYPES), "term")
    if kind not in TYPES:
        raise InputError(f"{where}: unknown term type {kind!r}")
    note = "; ".join(dict.fromkeys(fields.get("definition", []) + fields.get("note", [])))
    source = "; ".join(dict.fromkeys(fields.get("source", [])))
    side = _first(fields, "side")
    return [Term(zh, en, kind, abbr, note, source, side) for zh in zh_terms]


def _first(fields: Mapping[str, list[str]], *names: str) -> str:
    for name in names:
        if fields.get(name):
            return fields[name][0]
    return ""


# --- writing ---------------------------------------------------------------------------


def format_csv(terms: Iterable[Term]) -> str:
    """CSV text (header row, all columns) for ``terms``; ``parse_csv`` reads it back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    writer.writerows(astuple(term) for term in terms)
    return out.getvalue()


def format_tbx(terms: Iterable[Term]) -> bytes:
    """A TBX-Basic (TBX v2, ``martif``) document for ``terms``, one ``termEntry`` per term:
    the zh-TW and en terms, the abbreviation as an English term of ``termType``
    abbreviation, and type, side, note and source as data categories; ``parse_tbx`` reads
    it back."""
    martif = etree.Element("martif", type="TBX-Basic")
    martif.set(_XML_LANG, "en")
    header = etree.SubElement(martif, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source_desc, "p").text = "briefgen termbase"
    body = etree.SubElement(etree.SubElement(martif, "text"), "body")
    for number, term in enumerate(terms, 1):
        entry = etree.SubElement(body, "termEntry", id=f"c{number}")
        etree.SubElement(entry, "descrip", type="x-type").text = term.type
        if term.side:
            etree.SubElement(entry, "admin", type="x-side").text = term.side
        if term.source:
            etree.SubElement(entry, "admin", type="source").text = term.source
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        for lang, forms in (("zh-TW", [(term.zh, "")]), ("en", [(term.en, "fullForm")])):
            if lang == "en" and term.abbr:
                forms.append((term.abbr, "abbreviation"))
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(_XML_LANG, lang)
            for form, term_type in forms:
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = form
                if term_type:
                    etree.SubElement(tig, "termNote", type="termType").text = term_type
    return etree.tostring(martif, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def format_tsv(terms: Iterable[Term]) -> str:
    """TSV text (header row, all columns) for ``terms``; ``parse_termbase`` reads it back.
    Tabs and line breaks inside a field become spaces."""
    lines = ["\t".join(_COLUMNS)]
    for term in terms:
        lines.append("\t".join(" ".join(cell.split()) for cell in astuple(term)))
    return "\n".join(lines) + "\n"


def write_termbase(terms: Iterable[Term], path: Path) -> None:
    """Write ``terms`` (e.g. a ``Termbase``) to ``path`` as TSV, CSV or TBX by its suffix."""
    suffix = path.suffix.lower()
    if suffix in TBX_SUFFIXES:
        data = format_tbx(terms)
    elif suffix in CSV_SUFFIXES:
        data = format_csv(terms).encode("utf-8")
    else:
        data = format_tsv(terms).encode("utf-8")
    path.write_bytes(data)


def builtin_termbase() -> Termbase:
    """The termbase shipped with briefgen (``briefgen/data/termbase.tsv``)."""
    ref = resources.files("briefgen") / "data" / "termbase.tsv"
    return parse_termbase(ref.read_text(encoding="utf-8"), "briefgen/data/termbase.tsv")
