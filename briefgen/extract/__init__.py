"""extract: ``Source`` -> ``Brief``.

Finds the publication metadata, the meeting (event, round, date, place, participants,
documents signed, announced topics), the bottom line and every enumerated agenda item
with its points. Nothing here knows any particular article; every extracted sentence
keeps a ``Span`` into ``Brief.source.paragraphs``.
"""

from __future__ import annotations

from ..ingest import Source
from ..model import (
    AgendaItem,
    Brief,
    Event,
    Participant,
    Sentence,
    SignedDocument,
    SourceInfo,
    Span,
    Text,
)
from ..translate.termbase import Termbase
from .enumeration import enumerated_paragraphs, find_items
from .meeting import (
    find_documents,
    find_event,
    find_meeting_date,
    find_participants,
    find_place,
    find_round,
    find_topics,
)
from .metadata import read_metadata
from .points import make_points
from .summary import lede_spans

NO_AGENDA_NOTICE = "no_agenda"


def extract(source: Source, termbase: Termbase) -> Brief:
    """Build a Brief from a cleaned Source. Always returns a Brief; what could not be
    found is left empty and, for the agenda, noted in ``Brief.notices``."""
    paras = source.paragraphs
    lang = source.language
    meta = read_metadata(source.hints, paras)

    def text(value: str | None) -> Text | None:
        return Text.of(value, lang) if value else None

    def span(para: int, start: int, end: int) -> Span:
        return Span(paragraph=para, start=start, end=end)

    items = find_items(paras)
    agenda = [
        AgendaItem(
            number=raw.number,
            label=raw.label,
            title=Text.of(paras[raw.title[0]][raw.title[1] : raw.title[2]].strip(), lang),
            points=make_points(paras, raw.body, termbase, lang),
            source=span(*raw.title),
        )
        for raw in items
    ]
    event_found, abbr = find_event(paras, termbase)
    place = find_place(paras)
    participants = [
        Participant(
            name=Text.of(name.text, lang),
            title=text(title.text) if title else None,
            source=span(name.para, title.start if title else name.start, name.end),
        )
        for name, title in find_participants(paras, termbase)
    ]
    documents = [
        SignedDocument(
            name=Text.of(doc.text, lang),
            parties=[Text.of(p, lang) for p in parties],
            source=span(doc.para, doc.start, doc.end),
        )
        for doc, parties in find_documents(paras, termbase)
    ]
    event = Event(
        name=text(event_found.text) if event_found else None,
        short_name=abbr,
        round=find_round(paras),
        date=find_meeting_date(paras, meta.published),
        location=text(place.text) if place else None,
        participants=participants,
        documents=documents,
    )
    topics = [Text.of(t.text, lang) for t in find_topics(paras)]
    bottom = [
        Sentence(text=Text.of(paras[p][a:b], lang), source=span(p, a, b))
        for p, a, b in lede_spans(paras, enumerated_paragraphs(items))
    ]
    return Brief(
        source=SourceInfo(
            path=source.path,
            sha256=source.sha256,
            encoding=source.encoding,
            language=lang,
            outlet=text(meta.outlet),
            desk=text(meta.desk),
            author=text(meta.author),
            headline=text(meta.headline),
            published=meta.published,
            paragraphs=list(paras),
        ),
        event=event,
        summary=bottom,
        items=agenda,
        topics=topics,
        notices=[] if agenda else [NO_AGENDA_NOTICE],
    )
