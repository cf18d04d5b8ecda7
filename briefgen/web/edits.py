"""Edits a reviewer makes to a brief in the browser, each checked against the brief's
schema before it is kept.

A field is named by its dotted path in the brief (``items.1.points.0.text``). Only the
fields a review corrects can be changed — texts (each language separately), the meeting's
date and round, commitment levels — and only lists a review adds to or drops from: agenda
items, their points, participants, documents, key statements and next steps. Every
function returns a new ``Brief`` or raises ``EditError`` with a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..errors import BriefError, BriefgenError
from ..languages import SOURCE_LANGS
from ..model import Brief, Level, brief_to_dict, parse_brief

_ITEM = r"items\.\d+(?:\.items\.\d+)*"
_TEXT_PATHS = re.compile(
    r"^(?:event\.(?:name|location)"
    r"|source\.headline"
    r"|event\.participants\.\d+\.(?:name|title)"
    r"|event\.documents\.\d+\.name"
    rf"|{_ITEM}\.title"
    rf"|{_ITEM}\.points\.\d+\.(?:text|actor)"
    r"|(?:summary|key_points|next_steps|background)\.\d+\.text"
    r"|key_statements\.\d+\.(?:text|by)"
    r"|quotes\.\d+\.(?:text|speaker)"
    r"|topics\.\d+)$"
)
_LEVEL_PATH = re.compile(rf"^{_ITEM}\.points\.\d+\.commitment$")
_DROPPABLE = re.compile(
    rf"^(?:{_ITEM}|{_ITEM}\.points\.\d+|event\.(?:participants|documents)\.\d+"
    r"|(?:key_statements|next_steps)\.\d+)$"
)
#: What ``add`` can append, and to which list.
ADDABLE = ("item", "point", "participant", "next_step")
#: Longest text accepted for one field (a whole readout is 2 MiB; a field is a sentence).
MAX_FIELD = 10_000


class EditError(BriefgenError):
    """An edit that cannot be made (the field is not editable, or the result is not a
    valid brief)."""


@dataclass(frozen=True)
class TextChange:
    """What ``set_text`` changed: the field's source-language text and the new text, for
    the translation memory."""

    source_lang: str
    source_text: str | None
    lang: str
    text: str


def _walk(data: Any, path: str) -> tuple[Any, str | int]:
    """The container holding the last part of ``path`` in ``data``, and that key."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    try:
        for part in parts[:-1]:
            node = node[part]
        last = parts[-1]
        if isinstance(node, list):
            if not isinstance(last, int) or last >= len(node):
                raise IndexError(last)
        elif not isinstance(node, dict) or last not in node:
            raise KeyError(last)
    except (KeyError, IndexError, TypeError):
        raise EditError(f"{path}: no such field in this brief") from None
    return node, last


def _valid(data: dict[str, Any], path: str) -> Brief:
    try:
        return parse_brief(data, "edit")
    except BriefError as exc:
        raise EditError(f"{path}: {str(exc).removeprefix('edit: invalid brief: ')}") from None


def _clean_text(value: str, path: str) -> str:
    value = " ".join(value.replace("\r\n", "\n").split())
    if len(value) > MAX_FIELD:
        raise EditError(f"{path}: text too long ({len(value):,} characters; at most {MAX_FIELD:,})")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise EditError(f"{path}: contains a control character")
    return value


def set_text(brief: Brief, path: str, lang: str, value: str) -> tuple[Brief, TextChange]:
    """``brief`` with the ``lang`` text of the field at ``path`` set to ``value`` (an
    empty value removes that language, so a build fills it again). A language other than
    the source is then marked as written by a person (``via: human``)."""
    if not _TEXT_PATHS.match(path):
        raise EditError(f"{path}: not a text field that can be edited here")
    if lang not in SOURCE_LANGS:
        raise EditError(f"{path}: unknown language {lang!r}")
    value = _clean_text(value, path)
    data = brief_to_dict(brief)
    node, key = _walk(data, path)
    text = node[key] if isinstance(node[key], dict) else {}
    via = dict(text.get("via") or {})
    ref = dict(text.get("ref") or {})
    source_lang = brief.source.language
    if value:
        text[lang] = value
        if lang != source_lang:
            via[lang] = "human"
            ref.pop(lang, None)
    else:
        text.pop(lang, None)
        via.pop(lang, None)
        ref.pop(lang, None)
    text = {k: v for k, v in text.items() if k not in ("via", "ref")}
    if via:
        text["via"] = via
    if ref:
        text["ref"] = ref
    if not any(k in SOURCE_LANGS for k in text):
        if key == "title" or path.startswith(("event.", "source.")) or path.endswith("actor"):
            node[key] = None
        else:
            raise EditError(f"{path}: a text cannot be empty in every language (drop it instead)")
    else:
        node[key] = text
    source_text = text.get(source_lang) if isinstance(text, dict) else None
    return _valid(data, path), TextChange(source_lang, source_text, lang, value)


def set_value(brief: Brief, path: str, value: str) -> Brief:
    """``brief`` with the meeting's ``event.date`` (ISO date, empty: unknown),
    ``event.round`` (a number, empty: none) or a point's ``commitment`` set."""
    data = brief_to_dict(brief)
    value = value.strip()
    if path == "event.date":
        if value:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise EditError(f"{path}: {value!r} is not a date (YYYY-MM-DD)") from None
        data["event"]["date"] = value or None
    elif path == "event.round":
        if value and not (value.isascii() and value.isdigit()):
            raise EditError(f"{path}: {value!r} is not a whole number")
        data["event"]["round"] = int(value) if value else None
    elif _LEVEL_PATH.match(path):
        if value not in {level.value for level in Level}:
            choices = ", ".join(level.value for level in Level)
            raise EditError(f"{path}: {value!r} is not a commitment level ({choices})")
        node, key = _walk(data, path)
        node[key] = value
    else:
        raise EditError(f"{path}: not a field that can be edited here")
    return _valid(data, path)


def add(brief: Brief, what: str, text: str, path: str = "") -> tuple[Brief, str]:
    """``brief`` with a new element appended whose text (in the source language) is
    ``text``: an agenda ``item`` (its title), a ``point`` of the item at ``path``, a
    ``participant`` (the name) or a ``next_step``; returns it and the new element's
    path."""
    text = _clean_text(text, what)
    if not text:
        raise EditError(f"a new {what.replace('_', ' ')} needs its text")
    data = brief_to_dict(brief)
    new_text = {brief.source.language: text}
    if what == "item":
        items = data["items"]
        number = max((item["number"] for item in items), default=0) + 1
        items.append({"number": number, "title": dict(new_text), "points": []})
        new_path = f"items.{len(items) - 1}"
    elif what == "point":
        if not re.fullmatch(_ITEM, path):
            raise EditError(f"{path}: points are added to an agenda item")
        node, key = _walk(data, path)
        points = node[key]["points"]
        points.append({"text": dict(new_text), "commitment": Level.STATEMENT.value})
        new_path = f"{path}.points.{len(points) - 1}"
    elif what == "participant":
        people = data["event"]["participants"]
        people.append({"name": dict(new_text)})
        new_path = f"event.participants.{len(people) - 1}"
    elif what == "next_step":
        steps = data["next_steps"]
        steps.append({"text": dict(new_text)})
        new_path = f"next_steps.{len(steps) - 1}"
    else:
        raise EditError(f"cannot add {what!r} (choose from {', '.join(ADDABLE)})")
    return _valid(data, new_path), new_path


def drop(brief: Brief, path: str) -> Brief:
    """``brief`` without the element at ``path`` (agenda items numbered 1..n stay so)."""
    if not _DROPPABLE.match(path):
        raise EditError(f"{path}: not something that can be dropped here")
    data = brief_to_dict(brief)
    node, key = _walk(data, path)
    assert isinstance(key, int)
    sequential = path.count(".") == 1 and path.startswith("items.")
    numbers = [item["number"] for item in node] if sequential else []
    del node[key]
    if sequential and numbers == list(range(1, len(numbers) + 1)):
        for index, item in enumerate(node, 1):
            item["number"] = index
    return _valid(data, path)
