"""Translation review through XLIFF: export the translations a person has not checked,
read back what a translator made of them.

``export_review`` writes one XLIFF unit per ``Text`` whose target-language text came from
a machine source (termbase, gloss, memory, engine, converted) or is missing
(``untranslated``, written with an empty target). A unit's id is the text's path in the
brief (``items.0.points.2.text``), its note says where the current translation came from,
and the file carries a fingerprint of the brief's source-language texts, so a review of
another brief, or of one whose source text has changed since, is refused.

``import_review`` sets every target the translator changed (or filled in) as ``human``
with ``ref: review:<file name>``, and returns the reviewed pairs for the user
translation memory. A unit the translator left unchanged but marked final (XLIFF 2.0
``state="final"``/``"reviewed"``, XLIFF 1.2 ``approved="yes"`` or ``state="final"``/
``"signed-off"``) counts as reviewed too. A file that is not XLIFF 2.0/1.2 or does not
fit the brief raises ``InputError`` before anything is changed.

XLIFF 2.0 (the default) holds one target language per file; 1.2 holds one ``<file>`` per
target language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import BaseModel

from ..errors import InputError, OutputError
from ..languages import OUTPUT_LANGS
from ..model import Brief, Text, Via, brief_to_dict, parse_brief
from .memory import canonical_lang, normalize

NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
#: briefgen's own attribute in XLIFF 2.0 (``bg:base``: a hash of the target as exported).
NS_BG = "https://briefgen.invalid/ns/review"
VERSIONS = ("2.0", "1.2")
#: Translations a person has already written or checked: never exported for review.
REVIEWED = (Via.HUMAN, Via.SOURCE)
#: Largest review file read.
MAX_BYTES = 32 * 1024 * 1024

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BASE = f"{{{NS_BG}}}base"
#: XLIFF 1.2 keeps that hash in the standard ``extradata`` attribute instead.
_BASE_12 = "briefgen-base:"
_FINGERPRINT = "fingerprint"
_FINAL_20 = ("final", "reviewed")
_FINAL_12 = ("final", "signed-off")


def walk_texts(obj: Any, prefix: str = "") -> Iterator[tuple[str, Text]]:
    """Every ``Text`` inside ``obj`` with its dotted path (``items.0.points.2.text``), in
    document order (the order of ``model.iter_texts``)."""
    if isinstance(obj, Text):
        yield prefix, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk_texts(getattr(obj, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(obj, list | tuple):
        for index, item in enumerate(obj):
            yield from walk_texts(item, f"{prefix}.{index}" if prefix else str(index))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk_texts(item, f"{prefix}.{key}" if prefix else str(key))


def fingerprint(brief: Brief) -> str:
    """``sha256:<hex>`` of the brief's source language and the path and source-language
    text of every Text: equal as long as no source text is added, removed or edited."""
    lang = brief.source.language
    data = [lang, [[path, text.get(lang) or ""] for path, text in walk_texts(brief)]]
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True)
class ReviewSegment:
    """One text to review: its path, the source text and the current target ("" when
    untranslated), and where that target came from."""

    id: str
    source: str
    target: str
    via: Via
    ref: str = ""

    @property
    def origin(self) -> str:
        """``memory: seeds/x.tmx (exact)`` — the via, and the ref when there is one."""
        return f"{self.via.value}: {self.ref}" if self.ref else self.via.value


def review_segments(brief: Brief, target: str) -> list[ReviewSegment]:
    """The texts of ``brief`` whose ``target`` text needs review, in document order."""
    src = brief.source.language
    out = []
    for path, text in walk_texts(brief):
        source, how = text.get(src), text.how(target)
        if not source or how is None or how in REVIEWED:
            continue
        current = "" if how == Via.UNTRANSLATED else text.get(target) or ""
        out.append(ReviewSegment(path, source, current, how, text.ref.get(target, "")))
    return out


def export_review(
    brief: Brief,
    path: str | Path,
    target_langs: Sequence[str],
    version: str = "2.0",
    original: str | None = None,
) -> int:
    """Write the texts of ``brief`` needing review in ``target_langs`` to ``path`` as
    XLIFF ``version`` (2.0 or 1.2), atomically; return the number of units. Nothing is
    written when there is nothing to review (0). ``original`` names the brief in the file
    (default: the source article's file name)."""
    src = brief.source.language
    if version not in VERSIONS:
        raise InputError(f"XLIFF version {version} is not supported (use 2.0 or 1.2)")
    targets = list(dict.fromkeys(target_langs))
    if not targets:
        raise InputError("give a target language to review")
    for lang in targets:
        if lang not in OUTPUT_LANGS:
            raise InputError(
                f"unknown language {lang!r} (expected one of {', '.join(OUTPUT_LANGS)})"
            )
        if lang == src:
            raise InputError(f"{lang} is the brief's source language; review another language")
    if version == "2.0" and len(targets) > 1:
        raise InputError(
            "an XLIFF 2.0 file holds one target language: export "
            f"{' and '.join(targets)} separately, or use XLIFF 1.2"
        )
    if original is None:
        original = Path(brief.source.path).name if brief.source.path else "brief"
    groups = [(lang, review_segments(brief, lang)) for lang in targets]
    count = sum(len(segments) for _, segments in groups)
    if not count:
        return 0
    stamp = fingerprint(brief)
    try:
        if version == "2.0":
            root = _xliff20(src, groups[0][0], groups[0][1], stamp, original)
        else:
            root = _xliff12(src, groups, stamp, original)
    except ValueError as exc:  # a control character, which XML 1.0 cannot hold
        raise InputError(f"cannot write the review as XLIFF: {exc}") from None
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    from ..deliver import atomic_write

    dest = Path(path)
    try:
        atomic_write(dest, data)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write: {exc.strerror or exc}") from None
    return count


def _base(target: str) -> str:
    """A short hash of a target as exported (to tell a translator's edit from a
    translation changed in the brief since)."""
    return hashlib.sha256(target.encode("utf-8")).hexdigest()[:16]


def _xliff20(
    src: str, tgt: str, segments: list[ReviewSegment], stamp: str, original: str
) -> etree._Element:
    q = _q(NS20)
    root = etree.Element(
        q("xliff"), nsmap={None: NS20, "bg": NS_BG}, version="2.0", srcLang=src, trgLang=tgt
    )
    file = etree.SubElement(root, q("file"), id="f1", original=original)
    notes = etree.SubElement(file, q("notes"))
    etree.SubElement(notes, q("note"), id=_FINGERPRINT, category=_FINGERPRINT).text = stamp
    for seg in segments:
        unit = etree.SubElement(file, q("unit"), {"id": seg.id, _BASE: _base(seg.target)})
        unit_notes = etree.SubElement(unit, q("notes"))
        etree.SubElement(unit_notes, q("note"), category="origin").text = seg.origin
        state = "initial" if seg.via == Via.UNTRANSLATED else "translated"
        segment = etree.SubElement(unit, q("segment"), state=state)
        etree.SubElement(segment, q("source")).text = seg.source
        etree.SubElement(segment, q("target")).text = seg.target
    return root


def _xliff12(
    src: str, groups: list[tuple[str, list[ReviewSegment]]], stamp: str, original: str
) -> etree._Element:
    from .. import __version__

    q = _q(NS12)
    root = etree.Element(q("xliff"), nsmap={None: NS12}, version="1.2")
    for tgt, segments in groups:
        if not segments:
            continue
        file = etree.SubElement(
            root,
            q("file"),
            {
                "original": original,
                "source-language": src,
                "target-language": tgt,
                "datatype": "plaintext",
            },
        )
        header = etree.SubElement(file, q("header"))
        etree.SubElement(
            header,
            q("tool"),
            {"tool-id": "briefgen", "tool-name": "briefgen", "tool-version": __version__},
        )
        etree.SubElement(header, q("note"), {"from": _FINGERPRINT}).text = stamp
        body = etree.SubElement(file, q("body"))
        for seg in segments:
            unit = etree.SubElement(
                body, q("trans-unit"), id=seg.id, extradata=_BASE_12 + _base(seg.target)
            )
            etree.SubElement(unit, q("source")).text = seg.source
            untranslated = seg.via == Via.UNTRANSLATED
            state = "needs-translation" if untranslated else "needs-review-translation"
            etree.SubElement(unit, q("target"), state=state).text = seg.target
            etree.SubElement(unit, q("note"), {"from": "origin"}).text = seg.origin
    return root


def _q(namespace: str) -> Callable[[str], str]:
    """A function making ``{namespace}tag`` names."""
    return lambda tag: f"{{{namespace}}}{tag}"


@dataclass
class ReviewResult:
    """What ``apply_review`` did: the new brief, the reviewed pairs as translation-memory
    units (``{source lang: source, target lang: target}``), and counts."""

    brief: Brief
    units: list[dict[str, str]] = field(default_factory=list)
    #: Texts whose target the translator changed or filled in.
    changed: int = 0
    #: Texts the translator left as they were but marked final.
    confirmed: int = 0
    #: Units the translator did not change whose text the brief has changed since export
    #: (the brief's newer text is kept).
    kept: int = 0


@dataclass(frozen=True)
class _Unit:
    id: str
    tgt: str
    source: str
    target: str
    final: bool
    base: str | None


def apply_review(brief: Brief, path: str | Path) -> ReviewResult:
    """Read the translator's XLIFF file ``path`` against ``brief``; see ``import_review``.
    ``brief`` itself is not modified."""
    path = Path(path)
    src = brief.source.language
    units = _read_units(path, brief)
    texts = dict(walk_texts(brief))
    seen: set[tuple[str, str]] = set()
    for unit in units:
        if (unit.tgt, unit.id) in seen:
            raise InputError(f"{path}: unit id {unit.id!r} appears twice")
        seen.add((unit.tgt, unit.id))
        text = texts.get(unit.id)
        if text is None:
            raise InputError(f"{path}: unknown unit id {unit.id!r}: the brief has no such text")
        if normalize(unit.source) != normalize(text.get(src) or ""):
            raise InputError(
                f"{path}: unit {unit.id!r}: the source text no longer matches the brief's"
            )

    result = ReviewResult(brief.model_copy(deep=True))
    new_texts = dict(walk_texts(result.brief))
    ref = f"review:{path.name}"
    for unit in units:
        target = unit.target.strip()
        if not target:
            continue
        text = new_texts[unit.id]
        how = text.how(unit.tgt)
        current = "" if how in (None, Via.UNTRANSLATED) else text.get(unit.tgt) or ""
        if target == current:
            if not unit.final or how == Via.HUMAN:
                continue
            result.confirmed += 1
        elif unit.base is not None and _base(target) == unit.base:
            # Untouched by the translator, while the brief's text has changed since the
            # export (edited by hand, translated again): the newer text stays.
            result.kept += 1
            continue
        else:
            result.changed += 1
        text.text[unit.tgt] = target
        text.via[unit.tgt] = Via.HUMAN
        text.ref[unit.tgt] = ref
        result.units.append({src: text.get(src) or unit.source, unit.tgt: target})
    result.brief = parse_brief(brief_to_dict(result.brief), str(path))
    return result


def import_review(brief: Brief, path: str | Path) -> tuple[Brief, list[tuple[str, str]]]:
    """Apply a translator's XLIFF file to ``brief``: every unit whose target differs from
    the brief's (or fills an untranslated one) becomes that text's target with
    ``via: human`` and ``ref: review:<file name>``. Returns the new brief and the
    (source, target) pairs reviewed, for the user translation memory.

    Raises ``InputError`` (one line; nothing changed) for a file that is not XML, not
    XLIFF 2.0/1.2, for other languages, for another brief (fingerprint), with unknown unit
    ids or with a source text that no longer matches the brief's."""
    result = apply_review(brief, path)
    src = brief.source.language
    pairs = [(unit[src], next(v for k, v in unit.items() if k != src)) for unit in result.units]
    return result.brief, pairs


def _parse(path: Path) -> etree._Element:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; not a review file")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not valid XML: {' '.join(str(exc).split())}") from None
    if root is None:
        raise InputError(f"{path}: not valid XML: no root element")
    if root.getroottree().docinfo.doctype:
        raise InputError(f"{path}: XLIFF must not have a DOCTYPE (entities are not allowed)")
    return root


def _read_units(path: Path, brief: Brief) -> list[_Unit]:
    root = _parse(path)
    qname = etree.QName(root)
    if qname.localname != "xliff":
        raise InputError(f"{path}: not an XLIFF file (root element is <{qname.localname}>)")
    version = root.get("version", "")
    if qname.namespace == NS20 and version in ("2.0", "2.1"):
        return _units20(path, root, brief)
    if qname.namespace == NS12 and version == "1.2":
        return _units12(path, root, brief)
    raise InputError(
        f"{path}: XLIFF version {version or '(none)'} "
        f"({qname.namespace or 'no namespace'}) is not supported; expected 2.0 or 1.2"
    )


def _check_langs(path: Path, brief: Brief, src_tag: str | None, tgt_tag: str | None) -> str:
    src = brief.source.language
    if canonical_lang(src_tag or "") != src:
        raise InputError(
            f"{path}: source language is {src_tag or '(none)'}, but the brief's is {src}"
        )
    tgt = canonical_lang(tgt_tag or "")
    if tgt not in OUTPUT_LANGS or tgt == src:
        others = " or ".join(lang for lang in OUTPUT_LANGS if lang != src)
        raise InputError(
            f"{path}: target language is {tgt_tag or '(none)'}; this brief is reviewed "
            f"into {others}"
        )
    return tgt


def _check_fingerprint(path: Path, brief: Brief, found: str | None) -> None:
    if not found:
        raise InputError(f"{path}: no briefgen fingerprint; export the review with briefgen")
    if found.strip() != fingerprint(brief):
        raise InputError(
            f"{path}: exported from another brief, or the brief's source text has changed "
            "since (fingerprint mismatch); export the review again"
        )


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _units20(path: Path, root: etree._Element, brief: Brief) -> list[_Unit]:
    q = _q(NS20)
    tgt = _check_langs(path, brief, root.get("srcLang"), root.get("trgLang"))
    files = root.findall(q("file"))
    if not files:
        raise InputError(f"{path}: XLIFF file has no <file> element")
    units = []
    for file in files:
        stamp = file.find(f"{q('notes')}/{q('note')}[@category='{_FINGERPRINT}']")
        _check_fingerprint(path, brief, None if stamp is None else stamp.text)
        for unit in file.iter(q("unit")):
            source = target = ""
            final = True
            parts = [el for el in unit if el.tag in (q("segment"), q("ignorable"))]
            for part in parts:
                piece = _text(part.find(q("source")))
                source += piece
                found = part.find(q("target"))
                if part.tag == q("ignorable"):
                    target += piece if found is None else _text(found)
                    continue
                target += _text(found)
                final = final and part.get("state", "initial") in _FINAL_20
            final = final and bool(parts)
            units.append(_Unit(unit.get("id", ""), tgt, source, target, final, unit.get(_BASE)))
    return units


def _units12(path: Path, root: etree._Element, brief: Brief) -> list[_Unit]:
    q = _q(NS12)
    files = root.findall(q("file"))
    if not files:
        raise InputError(f"{path}: XLIFF file has no <file> element")
    units = []
    for file in files:
        tgt = _check_langs(path, brief, file.get("source-language"), file.get("target-language"))
        stamp = file.find(f"{q('header')}/{q('note')}[@from='{_FINGERPRINT}']")
        _check_fingerprint(path, brief, None if stamp is None else stamp.text)
        for unit in file.iter(q("trans-unit")):
            target_el = unit.find(q("target"))
            final = unit.get("approved") == "yes" or (
                target_el is not None and target_el.get("state") in _FINAL_12
            )
            units.append(
                _Unit(
                    unit.get("id", ""),
                    tgt,
                    _text(unit.find(q("source"))),
                    _text(target_el),
                    final,
                    _base12(unit.get("extradata")),
                )
            )
    return units


def _base12(extradata: str | None) -> str | None:
    if extradata and extradata.startswith(_BASE_12):
        return extradata.removeprefix(_BASE_12)
    return None
