"""extract: ``Source`` -> ``Brief``.

Finds the publication metadata, the meeting (event, round, date, place, participants and
their sides, documents signed), announced topics, the bottom line, every enumerated
agenda item with its points and nested items, the next steps — or, when the article has
no enumeration, its key sentences. Nothing here knows any particular article; every
extracted sentence keeps a ``Span`` into ``Brief.source.paragraphs``.

Chinese and English readouts have their own finders; a Simplified-Chinese article is
analysed through an OpenCC Traditional rendering of the same length, while every text
in the brief is taken from the original paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable

from ..ingest import Source
from ..model import (
    AgendaItem,
    Brief,
    Dropped,
    Event,
    Participant,
    Quote,
    Sentence,
    SignedDocument,
    SourceInfo,
    Span,
    Statement,
    Text,
)
from ..translate.termbase import Termbase
from . import english, meeting
from .coverage import account, key_statement_spans
from .documents import signing_timing
from .enumeration import RawItem, enumerated_paragraphs, find_items, furniture_paragraphs
from .meeting import Found
from .metadata import read_metadata
from .points import make_points
from .quotes import find_quotes, voiced_by
from .summary import key_point_spans, lede_spans, next_step_spans
from .text import forget_paragraphs, sentence_start

NO_AGENDA_NOTICE = "no_agenda"


def _analysis_paragraphs(source: Source) -> tuple[str, ...]:
    """What the pattern finders read: the paragraphs themselves, or for Simplified Chinese
    their OpenCC s2tw rendering (Taiwan-standard characters, as the patterns and the
    termbase are written) where it keeps every paragraph's length, so spans stay valid."""
    if source.language != "zh-CN":
        return source.paragraphs
    import opencc

    converter = opencc.OpenCC("s2tw")
    converted = tuple(converter.convert(p) for p in source.paragraphs)
    if all(len(a) == len(b) for a, b in zip(converted, source.paragraphs, strict=True)):
        return converted
    return source.paragraphs


def extract(source: Source, termbase: Termbase) -> Brief:
    """Build a Brief from a cleaned Source. Always returns a Brief; what could not be
    found is left empty, and a missing agenda is noted in ``Brief.notices``."""
    try:
        return _extract(source, termbase)
    finally:
        forget_paragraphs()  # what the finders shared about this article's paragraphs


def _extract(source: Source, termbase: Termbase) -> Brief:
    original = source.paragraphs
    paras = _analysis_paragraphs(source)
    lang = source.language
    english_source = lang == "en"
    to_source = _back_converter(lang)
    meta = read_metadata(source.hints, paras)

    def text(value: str | None) -> Text | None:
        return Text.of(to_source(value), lang) if value else None

    def span(para: int, start: int, end: int) -> Span:
        """The span with surrounding white space left out, like the text it locates."""
        text = original[para]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Span(paragraph=para, start=start, end=end)

    def sliced(para: int, start: int, end: int) -> Text:
        return Text.of(original[para][start:end].strip(), lang)

    def found_text(found: Found) -> Text:
        if paras[found.para][found.start : found.end] == found.text:
            return sliced(found.para, found.start, found.end)
        return Text.of(to_source(found.text), lang)

    def item(raw: RawItem) -> AgendaItem:
        points = make_points(paras, raw.body, termbase, lang)
        for point in points:
            if point.source is not None:
                point.source = span(point.source.paragraph, point.source.start, point.source.end)
                s = point.source
                point.carried = to_source(point.carried) if point.carried else None
                verbatim = original[s.paragraph][s.start : s.end]
                point.text = Text.of((point.carried or "") + verbatim, lang)
            if point.actor is not None:
                point.actor = text(point.actor.get(lang))
        return AgendaItem(
            number=raw.number,
            label=raw.label,
            title=sliced(*raw.title) if raw.title else None,
            points=points,
            items=[i for i in (item(child) for child in raw.children) if not _empty(i)],
            source=span(*raw.where),
        )

    finders = english if english_source else meeting
    raw_items = find_items(paras)
    items = [i for i in (item(raw) for raw in raw_items) if not _empty(i)]
    used = enumerated_paragraphs(raw_items) | furniture_paragraphs(paras)
    event_found, abbr = finders.find_event(paras, termbase)
    when = meeting.find_meeting_date(
        paras, meta.published, english.MEETING_VERB_RE if english_source else None
    )
    place = finders.find_place(paras, termbase, when)
    participants = [
        Participant(
            name=found_text(name),
            title=found_text(title) if title else None,
            side=side,
            source=span(
                name.para,
                min(name.start, title.start) if title else name.start,
                max(name.end, title.end) if title else name.end,
            ),
        )
        for name, title, side in finders.find_participants(paras, termbase)
    ]
    documents = [
        SignedDocument(
            name=found_text(doc),
            parties=[Text.of(to_source(p), lang) for p in parties],
            timing=signing_timing(_clause_before(paras[doc.para], doc.start), parties),
            source=span(doc.para, doc.start, doc.end),
        )
        for doc, parties in finders.find_documents(paras, termbase, when)
    ]
    event = Event(
        name=found_text(event_found) if event_found else None,
        short_name=abbr,
        round=finders.find_round(paras),
        date=when,
        location=found_text(place) if place else None,
        participants=participants,
        documents=documents,
    )
    topics = [] if english_source else [found_text(t) for t in meeting.find_topics(paras)]

    def sentences(spans: list[tuple[int, int, int]]) -> list[Sentence]:
        return [Sentence(text=sliced(p, a, b), source=span(p, a, b)) for p, a, b in spans]

    summary = sentences(lede_spans(paras, used))
    summary_spans = {(s.source.paragraph, s.source.start) for s in summary if s.source}
    key_points = []
    if not items:
        key_points = [
            s
            for s in sentences(key_point_spans(paras, used))
            if s.source and (s.source.paragraph, s.source.start) not in summary_spans
        ]
    next_steps = sentences(next_step_spans(paras, used))
    found_quotes = find_quotes(paras, termbase, lang)
    statements = key_statement_spans(paras, enumerated_paragraphs(raw_items))
    accounting = account(
        paras,
        [
            *(_extent(s.source) for s in [*summary, *key_points, *next_steps] if s.source),
            *(_extent(span(k.para, k.start, k.end)) for k in statements),
            *((q.para, *q.sentence) for q in found_quotes),
            *(_extent(x) for x in _item_spans(items)),
        ],
        furniture_paragraphs(paras),
    )
    return Brief(
        source=SourceInfo(
            path=source.path,
            sha256=source.sha256,
            encoding=source.encoding,
            format=getattr(source, "format", "text"),
            language=lang,
            outlet=text(meta.outlet),
            desk=text(meta.desk),
            author=text(meta.author),
            headline=text(meta.headline),
            published=meta.published,
            paragraphs=list(original),
        ),
        event=event,
        summary=summary,
        items=items,
        key_points=key_points,
        topics=topics,
        key_statements=[
            Statement(
                text=sliced(k.para, k.start, k.end),
                by=text(voiced_by(paras[k.para], k.start, termbase, lang)),
                source=span(k.para, k.start, k.end),
            )
            for k in statements
        ],
        next_steps=next_steps,
        quotes=[
            Quote(
                text=sliced(q.para, q.start, q.end),
                speaker=text(q.speaker),
                about=text(q.about),
                channel=text(q.channel),
                source=span(q.para, q.start, q.end),
            )
            for q in found_quotes
        ],
        background=sentences(accounting.background),
        dropped=[
            Dropped(text=original[p][a:b].strip(), reason=reason, source=span(p, a, b))
            for p, a, b, reason in accounting.dropped
        ],
        notices=[] if items else [NO_AGENDA_NOTICE],
    )


def _extent(span: Span) -> tuple[int, int, int]:
    return (span.paragraph, span.start, span.end)


def _item_spans(items: list[AgendaItem]) -> list[Span]:
    """The spans of every item (its title or entry) and point, nested items included."""
    spans: list[Span] = []
    for item in items:
        spans += [s for s in (item.source, *(p.source for p in item.points)) if s is not None]
        spans += _item_spans(item.items)
    return spans


def _clause_before(para: str, at: int) -> str:
    """The text of ``para`` from the start of the sentence holding position ``at`` to it:
    where a document's signing is told."""
    return para[sentence_start(para, at) : at]


def _empty(item: AgendaItem) -> bool:
    """An entry with nothing in it — no title, no points, no sub-items, no text (a marker
    alone, ``(2)一：``): not an item."""
    located = item.source is not None and item.source.end > item.source.start
    return item.title is None and not item.points and not item.items and not located


def _back_converter(lang: str) -> Callable[[str], str]:
    """For Simplified-Chinese sources: Traditional text found by the finders (termbase
    names, actors) back to Simplified; identity otherwise."""
    if lang != "zh-CN":
        return lambda value: value
    import opencc

    converter = opencc.OpenCC("tw2s")
    return converter.convert
