"""The Brief: the reviewable, serializable pivot between extraction and rendering.

A Brief says who met, when, where, what was signed and what each agenda item committed
to, with every extracted sentence pointing back at the cleaned source. It dumps to YAML or
JSON (``dump_brief``) and loads back (``load_brief``) to an equal value; a hand-edited file
that is invalid raises ``BriefError`` naming the first bad field.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_serializer,
    model_validator,
)

from .errors import BriefError
from .languages import OUTPUT_LANGS as OUTPUT_LANGS  # re-exported for older imports
from .languages import SOURCE_LANGS

SCHEMA_VERSION = 1


class Level(StrEnum):
    """How firmly a point commits its actor, from the tense and verbs the article uses.
    ``signed`` is kept for what the meeting's parties signed at the meeting; ``done`` is
    what already happened (views exchanged, a signing by others before the meeting)."""

    AGREED = "agreed"
    SIGNED = "signed"
    WILL_STUDY = "will_study"
    WILL_EXPLORE = "will_explore"
    SUPPORTS = "supports"
    WILL_CONTINUE = "will_continue"
    DONE = "done"
    STATEMENT = "statement"


class Via(StrEnum):
    """How the text of one language was obtained."""

    SOURCE = "source"
    TERMBASE = "termbase"
    GLOSS = "gloss"
    MEMORY = "memory"
    ENGINE = "engine"
    CONVERTED = "converted"  # script conversion (OpenCC), e.g. Simplified -> Traditional
    HUMAN = "human"
    UNTRANSLATED = "untranslated"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Text(_Model):
    """A text in one or more languages, and how each language's text was obtained.

    In YAML a Text is written flat: ``{zh-TW: 雙方同意…, en: Both sides agreed…, via: {en:
    memory}}``. A plain string is accepted too and means text in the brief's source
    language. ``via`` may be omitted; a language without a ``via`` entry counts as written
    by a person (``human``) unless it is the source language.
    """

    text: dict[str, str] = Field(default_factory=dict)
    via: dict[str, Via] = Field(default_factory=dict)
    #: For ``memory``/``termbase`` etc.: where the translation came from (file, score).
    ref: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_flat(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"text": {"und": data}}
        if isinstance(data, dict) and "text" not in data:
            flat = dict(data)
            via = flat.pop("via", {}) or {}
            ref = flat.pop("ref", {}) or {}
            for lang, value in flat.items():
                if lang not in (*SOURCE_LANGS, "und"):
                    raise ValueError(f"unknown language {lang!r} (expected one of {SOURCE_LANGS})")
                if not isinstance(value, str):
                    raise ValueError(f"text for {lang} must be a string")
            return {"text": flat, "via": via, "ref": ref}
        return data

    @model_serializer(mode="plain")
    def _to_flat(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.text)
        if self.via:
            out["via"] = {k: v.value for k, v in self.via.items()}
        if self.ref:
            out["ref"] = dict(self.ref)
        return out

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """The flat form written in briefs: one key per language, plus ``via``/``ref``."""
        langs = {lang: {"type": "string"} for lang in SOURCE_LANGS}
        via = {"type": "string", "enum": [v.value for v in Via]}
        return {
            "title": "Text",
            "description": "A text keyed by language tag; a missing language is absent. "
            "`via` says how each language's text was obtained, `ref` where from. A plain "
            "string means text in the source language.",
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        **langs,
                        "via": {
                            "type": "object",
                            "properties": {key: via for key in SOURCE_LANGS},
                            "additionalProperties": False,
                        },
                        "ref": {
                            "type": "object",
                            "properties": {key: {"type": "string"} for key in SOURCE_LANGS},
                            "additionalProperties": False,
                        },
                    },
                    "additionalProperties": False,
                },
            ],
        }

    @classmethod
    def of(cls, value: str, lang: str) -> Text:
        """A Text holding ``value`` as the source-language text in ``lang``."""
        return cls(text={lang: value}, via={lang: Via.SOURCE})

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or None when there is none."""
        return self.text.get(lang)

    def how(self, lang: str) -> Via | None:
        """How the ``lang`` text was obtained (None when there is no such text)."""
        if lang not in self.text:
            return None
        return self.via.get(lang, Via.HUMAN)


class Span(_Model):
    """Where a text came from: paragraph ``paragraph`` of the cleaned source, characters
    ``start``..``end`` (Python slice semantics), so that
    ``source.paragraphs[paragraph][start:end]`` is exactly the text."""

    paragraph: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class Sentence(_Model):
    """A sentence taken from the article, with its provenance."""

    text: Text
    source: Span | None = None


class SourceInfo(_Model):
    """The article the brief was extracted from."""

    path: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    #: What the article file was: text, html, markdown or docx.
    format: str | None = None
    language: str = "zh-TW"
    outlet: Text | None = None
    desk: Text | None = None
    author: Text | None = None
    headline: Text | None = None
    published: dt.date | None = None
    #: The cleaned paragraphs every ``Span`` points into.
    paragraphs: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_language(self) -> SourceInfo:
        if self.language not in SOURCE_LANGS:
            raise ValueError(f"language must be one of {', '.join(SOURCE_LANGS)}")
        return self


class Participant(_Model):
    """Someone who took part, with the title the article gives and the side they are on
    (``taiwan``, ``us`` or another lower-case key), when known."""

    name: Text
    title: Text | None = None
    side: str | None = None
    source: Span | None = None


class Timing(StrEnum):
    """When, and by whom, a document was signed relative to the meeting."""

    #: By the meeting's parties (its delegations), at the meeting.
    AT_MEETING = "at_meeting"
    #: Before the meeting (會前, "ahead of the talks").
    BEFORE = "before"
    #: After the meeting.
    AFTER = "after"
    #: Around the meeting, by parties other than the delegations (an institute and an
    #: industry association, two companies).
    ALONGSIDE = "alongside"


class SignedDocument(_Model):
    """A document signed at or around the meeting, by ``parties`` (when the article names
    them); ``timing`` says whether it is the meeting's own."""

    name: Text
    parties: list[Text] = Field(default_factory=list)
    timing: Timing = Timing.AT_MEETING
    source: Span | None = None


class Event(_Model):
    """The meeting the article reports."""

    name: Text | None = None
    short_name: str | None = None
    round: int | None = Field(default=None, ge=1)
    date: dt.date | None = None
    location: Text | None = None
    participants: list[Participant] = Field(default_factory=list)
    documents: list[SignedDocument] = Field(default_factory=list)


class Point(_Model):
    """One clause of an agenda item: what was said or committed, and by whom.

    ``text`` reads as a whole statement. When the clause leaves its subject (or its verb)
    to an earlier clause of the sentence — 「雙方同意A，研議B」 — ``carried`` holds the
    words taken over from there (「雙方」), in the source language, and ``text`` is
    ``carried`` followed by the verbatim span ``source``."""

    text: Text
    carried: str | None = None
    commitment: Level = Level.STATEMENT
    actor: Text | None = None
    source: Span | None = None


class AgendaItem(_Model):
    """A numbered agenda item as the article enumerates it; nested enumerations inside it
    are its ``items``. An entry that is a full sentence or paragraph (a numbered
    commitment) has no ``title``: its text is in ``points`` and ``source`` locates the
    whole entry."""

    number: int = Field(ge=1)
    label: str = ""
    title: Text | None = None
    points: list[Point] = Field(default_factory=list)
    items: list[AgendaItem] = Field(default_factory=list)
    source: Span | None = None


class Quote(_Model):
    """A quotation the article attributes to someone: what was said (``text``, the quoted
    words), by whom, what about (「盛讚台灣是「…」」: 台灣) and through which channel the
    article has it (an outlet it cites: 《路透社》, "according to Reuters")."""

    text: Text
    speaker: Text | None = None
    about: Text | None = None
    channel: Text | None = None
    source: Span | None = None


class Statement(_Model):
    """A key statement: a joint understanding or a shared view the article reports
    (雙方均認同…, "both sides affirmed…"; the text names who holds it), and ``by``: the
    body the article says voiced it (外交部…回應，台美雙方均認為…), when it says so."""

    text: Text
    by: Text | None = None
    source: Span | None = None


class Dropped(_Model):
    """A sentence of the article body the brief leaves out on purpose, and why."""

    text: str
    reason: str
    source: Span | None = None


class GlossEntry(_Model):
    """A bilingual term used in the brief: the article's own gloss or a termbase entry."""

    zh: str
    en: str
    origin: str = "termbase"  # "article" (a gloss the article gives) or "termbase"


class Brief(_Model):
    """Everything a memo is rendered from."""

    schema_version: int = SCHEMA_VERSION
    source: SourceInfo = Field(default_factory=SourceInfo)
    event: Event = Field(default_factory=Event)
    #: The bottom line: two or three sentences of the article's lede.
    summary: list[Sentence] = Field(default_factory=list)
    #: Every enumerated agenda item, in order.
    items: list[AgendaItem] = Field(default_factory=list)
    #: When the article has no enumeration: its key sentences, ranked.
    key_points: list[Sentence] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)
    #: Joint understandings and shared views: the political lines of the meeting.
    key_statements: list[Statement] = Field(default_factory=list)
    #: What happens next: working groups, future meetings, follow-up.
    next_steps: list[Sentence] = Field(default_factory=list)
    #: Quotations the article attributes to someone.
    quotes: list[Quote] = Field(default_factory=list)
    #: The body's other sentences (context, history, who else took part), in order.
    background: list[Sentence] = Field(default_factory=list)
    #: Body sentences left out on purpose (headings, repeats, credits), with the reason.
    dropped: list[Dropped] = Field(default_factory=list)
    #: Things the reader should know about how the brief was made.
    notices: list[str] = Field(default_factory=list)
    #: Bilingual names and terms the translation used (filled by the translate stage).
    glossary: list[GlossEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Brief:
        if self.schema_version != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is not supported "
                f"(this briefgen reads {SCHEMA_VERSION})"
            )
        lang = self.source.language
        for text in iter_texts(self):
            if "und" in text.text:
                value = text.text.pop("und")
                text.text.setdefault(lang, value)
                text.via.setdefault(lang, Via.SOURCE)
        return self


def iter_texts(obj: Any) -> list[Text]:
    """Every ``Text`` inside ``obj`` (a model, list or dict), in document order."""
    found: list[Text] = []

    def walk(value: Any) -> None:
        if isinstance(value, Text):
            found.append(value)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(obj)
    return found


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a serialized Brief (``schema/brief.schema.json``)."""
    schema = Brief.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://briefgen.invalid/schema/brief-{SCHEMA_VERSION}.json"
    schema["title"] = f"briefgen Brief, schema version {SCHEMA_VERSION}"
    return schema


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """A plain, JSON-compatible dict of ``brief``: dates as ISO 8601 strings, unknown
    values as null."""
    return brief.model_dump(mode="json")


#: libyaml's dumper when PyYAML was built with it (the same text, about 5x faster).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_brief(brief: Brief, fmt: str = "yaml") -> str:
    """Serialize ``brief`` as ``yaml`` or ``json`` text (UTF-8, keys in model order)."""
    data = brief_to_dict(brief)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    raise ValueError(f"unknown brief format {fmt!r}")


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = ".".join(str(part) for part in first["loc"]) or "(top)"
    msg = first["msg"].removeprefix("Value error, ")
    return f"{loc}: {msg}"


def parse_brief(data: Any, origin: str = "brief") -> Brief:
    """Validate a dict as a Brief; raise ``BriefError`` naming the first bad field."""
    if not isinstance(data, dict):
        raise BriefError(f"{origin}: not a brief (expected a mapping at the top level)")
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise BriefError(f"{origin}: invalid brief: {_describe(exc)}") from None


def load_brief(path: Path) -> Brief:
    """Read a brief from a ``.yaml``/``.yml`` or ``.json`` file."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BriefError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(f"{path}: cannot read brief: {exc}") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise BriefError(f"{path}: not valid YAML/JSON: {detail}") from None
    return parse_brief(data, str(path))
