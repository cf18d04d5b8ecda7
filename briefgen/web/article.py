"""The article side of the review page: each paragraph of the readout as it came, the
furniture the clean stage dropped marked as such, and the kept paragraphs cut into
segments at every source-span boundary, each segment naming the brief fields it feeds.

Field ids are dotted paths into the brief (``items.1.points.0``), the same paths the edit
forms post (see ``edits``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..model import Brief, Span

_LIST_LABELS = {
    "participants": "participant",
    "documents": "document",
    "items": "item",
    "points": "point",
    "summary": "bottom line",
    "key_points": "key point",
    "key_statements": "key statement",
    "next_steps": "next step",
    "quotes": "quotation",
    "background": "background",
    "dropped": "left out",
}


@dataclass(frozen=True)
class Source:
    """A brief field with a source span."""

    path: str
    label: str
    span: Span


@dataclass
class Segment:
    """Characters ``start``..``end`` of a kept paragraph and the fields they feed."""

    text: str
    start: int
    end: int
    fields: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    """One paragraph of the readout as uploaded: furniture (``kept`` None, shown struck
    out), or kept paragraph ``kept`` of the cleaned article in ``segments``; ``removed``
    is a dropped leading part (a date line run into the paragraph)."""

    text: str
    kept: int | None
    segments: list[Segment] = field(default_factory=list)
    removed: str = ""


def label(path: str) -> str:
    """A reader's name for the field at ``path``: ``items.1.points.0`` -> "item 2 ›
    point 1"."""
    parts = path.split(".")
    words: list[str] = []
    index = 0
    while index < len(parts):
        name = parts[index]
        if index + 1 < len(parts) and parts[index + 1].isdigit():
            words.append(f"{_LIST_LABELS.get(name, name)} {int(parts[index + 1]) + 1}")
            index += 2
            continue
        if name != "event":
            words.append(name.replace("_", " "))
        index += 1
    return " › ".join(words) or path


def sources(brief: Brief) -> list[Source]:
    """Every field of ``brief`` that records where it came from, in document order."""
    found: list[Source] = []

    def walk(value: Any, path: list[str]) -> None:
        if isinstance(value, BaseModel):
            span = getattr(value, "source", None)
            if isinstance(span, Span) and path:
                dotted = ".".join(path)
                reason = getattr(value, "reason", None) if path[0] == "dropped" else None
                name = f"left out of the brief: {reason}" if reason else label(dotted)
                found.append(Source(dotted, name, span))
            for name in type(value).model_fields:
                if name != "source" or not path:
                    walk(getattr(value, name), [*path, name])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, [*path, str(index)])

    walk(brief, [])
    return [s for s in found if not s.path.startswith("source")]


def paragraphs(original: list[str], kept: list[str], fields: list[Source]) -> list[Paragraph]:
    """The readout's ``original`` paragraphs lined up with the cleaned ``kept`` ones (a
    kept paragraph is an original one, or its end when clean cut a date line off its
    start); each kept paragraph cut at the boundaries of the ``fields`` in it."""
    by_paragraph: dict[int, list[Source]] = {}
    for src in fields:
        by_paragraph.setdefault(src.span.paragraph, []).append(src)
    out: list[Paragraph] = []
    next_kept = 0
    for text in original:
        if next_kept < len(kept) and text.endswith(kept[next_kept]) and kept[next_kept]:
            para = kept[next_kept]
            segments = list(_segments(para, by_paragraph.get(next_kept, [])))
            out.append(Paragraph(para, next_kept, segments, removed=text[: len(text) - len(para)]))
            next_kept += 1
        else:
            out.append(Paragraph(text, None))
    # Kept paragraphs the alignment missed (should not happen) are shown all the same.
    for index in range(next_kept, len(kept)):
        para = kept[index]
        out.append(Paragraph(para, index, list(_segments(para, by_paragraph.get(index, [])))))
    return out


def _segments(text: str, fields: list[Source]) -> Iterator[Segment]:
    cuts = {0, len(text)}
    for src in fields:
        cuts.update((min(src.span.start, len(text)), min(src.span.end, len(text))))
    bounds = sorted(cuts)
    for start, end in itertools.pairwise(bounds):
        if start == end:
            continue
        feeds = [s.path for s in fields if s.span.start <= start and end <= s.span.end]
        yield Segment(text[start:end], start, end, feeds)
