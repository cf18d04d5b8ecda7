"""The article pane of ``briefgen serve``: field labels, the fields with source spans,
furniture lined up with the kept paragraphs, segments cut at span boundaries; and the
page: every span of the brief shown, article text escaped."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from briefgen.model import Brief, Span
from briefgen.web import article
from briefgen.web.article import Source
from briefgen.web.workspace import Workspace


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("items.1.points.0", "item 2 › point 1"),
        ("event.participants.0", "participant 1"),
        ("event.date", "date"),
        ("key_statements.2", "key statement 3"),
        ("next_steps.0", "next step 1"),
        ("items.0.items.1.title", "item 1 › item 2 › title"),
        ("dropped.4", "left out 5"),
        ("", ""),
    ],
)
def test_label(path: str, label: str) -> None:
    assert article.label(path) == label


def _src(path: str, paragraph: int, start: int, end: int) -> Source:
    return Source(path, path, Span(paragraph=paragraph, start=start, end=end))


def test_paragraphs_line_up_furniture_and_cut_segments() -> None:
    original = ["廣告 廣告", "2026-01-28 外交部表示雙方同意合作。", "記者報導", "下次會議在台北。"]
    kept = ["外交部表示雙方同意合作。", "下次會議在台北。"]
    fields = [
        _src("items.0.points.0", 0, 5, 11),
        _src("event.participants.0", 0, 0, 3),
        _src("items.0.points.1", 0, 0, 12),
        _src("next_steps.0", 1, 0, 99),
    ]
    paragraphs = article.paragraphs(original, kept, fields)
    assert [(p.text, p.kept) for p in paragraphs] == [
        ("廣告 廣告", None),
        ("外交部表示雙方同意合作。", 0),
        ("記者報導", None),
        ("下次會議在台北。", 1),
    ]
    assert paragraphs[1].removed == "2026-01-28 "
    segments = paragraphs[1].segments
    assert "".join(s.text for s in segments) == kept[0]
    assert [(s.start, s.end) for s in segments] == [(0, 3), (3, 5), (5, 11), (11, 12)]
    assert segments[0].fields == ["event.participants.0", "items.0.points.1"]
    assert segments[2].fields == ["items.0.points.0", "items.0.points.1"]
    assert [s.fields for s in paragraphs[3].segments] == [["next_steps.0"]]
    assert not paragraphs[0].segments


def test_kept_paragraphs_the_alignment_misses_are_still_shown() -> None:
    paragraphs = article.paragraphs(["甲"], ["乙"], [])
    assert [(p.text, p.kept) for p in paragraphs] == [("甲", None), ("乙", 0)]


def test_sources_of_the_sample(ready_ws: Workspace) -> None:
    brief = ready_ws.brief()
    assert isinstance(brief, Brief)
    found = article.sources(brief)
    paths = [s.path for s in found]
    assert len(paths) == len(set(paths))
    assert "items.0.points.0" in paths and "event.participants.0" in paths
    assert not any(p.startswith("source") for p in paths)
    for src in found:
        paragraph = brief.source.paragraphs[src.span.paragraph]
        assert 0 <= src.span.start < src.span.end <= len(paragraph), src.path
    point = next(s for s in found if s.path == "items.0.points.0")
    assert point.label == "item 1 › point 1"


def test_the_page_shows_every_span_where_it_is(served: Any, ready_ws: Workspace) -> None:
    brief = ready_ws.brief()
    assert brief is not None
    tree = lxml.html.fromstring(served.client.get(f"/b/{ready_ws.id}").text)
    pane = tree.get_element_by_id("article")
    for src in article.sources(brief):
        (para,) = pane.xpath(f".//p[@data-p='{src.span.paragraph}']")
        covering = [
            seg
            for seg in para.xpath("./span[contains(@class,'seg')]")
            if src.path in (seg.get("data-fields") or "").split()
        ]
        text = "".join(seg.text_content() for seg in covering)
        expected = brief.source.paragraphs[src.span.paragraph][src.span.start : src.span.end]
        assert text == expected, src.path
    for index, paragraph in enumerate(brief.source.paragraphs):
        (para,) = pane.xpath(f".//p[@data-p='{index}']")
        segments = para.xpath("./span[contains(@class,'seg')]")
        assert "".join(s.text_content() for s in segments) == paragraph
