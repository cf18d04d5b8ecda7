"""The extraction corpora: tests/corpus (written by us: one test per readout, every expected
field) and tests/corpus/real (public readouts with hand labels: floors on the figures).

The expectations are what a careful analyst extracts; see tests/corpus/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_harness import (
    case_name,
    cases,
    real_articles,
    run_pipeline,
    score,
    score_real,
    summarize,
    unaccounted,
)

CASES = cases()


def test_corpus_has_cases() -> None:
    assert len(CASES) >= 11


@pytest.mark.parametrize("expected_path", CASES, ids=[case_name(p) for p in CASES])
def test_corpus_case(expected_path: Path) -> None:
    result = score(expected_path)
    assert result.fields, f"{result.name}: the expected file lists no fields"
    if not result.ok:
        pytest.fail("extraction differs from the expected brief:\n" + result.report(), False)


# --- the real corpus (tests/corpus/real) ----------------------------------------------------


REAL = real_articles()

#: A little under the figures reached (see the README's "Extraction on real readouts"), so
#: that a regression fails here; raise them when the figures rise, never lower them to pass.
FLOORS = {
    "participants precision": 0.97,
    "participants recall": 0.92,
    "published date": 0.95,
    "meeting date": 0.90,
    "items exact (enumerated)": 0.88,
    "no items (not enumerated)": 0.95,
    "documents precision": 0.88,
    "documents recall": 0.95,
}


def test_real_corpus_is_there() -> None:
    assert len(REAL) >= 52
    assert {a["lang"] for a in REAL} == {"zh-TW", "zh-CN", "en"}


@pytest.fixture(scope="module")
def real_results() -> list:
    return [score_real(article) for article in REAL]


def test_real_corpus_meets_its_floors(real_results: list) -> None:
    summary = summarize(real_results)

    def share(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0

    reached = {
        "participants precision": summary.people_precision,
        "participants recall": summary.people_recall,
        "published date": share(summary.published),
        "meeting date": share(summary.meeting),
        "items exact (enumerated)": share(summary.items_enumerated),
        "no items (not enumerated)": share(summary.items_none),
        "documents precision": summary.docs_precision,
        "documents recall": summary.docs_recall,
    }
    below = {k: f"{reached[k]:.3f} < {floor}" for k, floor in FLOORS.items() if reached[k] < floor}
    assert not below, f"real corpus below its floors: {below} (python bench/corpus.py --real -v)"


@pytest.mark.parametrize("article", REAL, ids=[a["id"] for a in REAL])
def test_real_article_extracts_without_error(article: dict) -> None:
    result = score_real(article)
    assert result.error is None, result.error


#: The encodings a readout of each script is commonly saved in, besides UTF-8.
ENCODINGS = {"zh-TW": ("cp950", "utf-16"), "zh-CN": ("gb18030", "utf-16"), "en": ("cp1252",)}


@pytest.mark.parametrize("article", REAL, ids=[a["id"] for a in REAL])
def test_real_article_reads_the_same_in_its_other_encodings(article: dict) -> None:
    from corpus_harness import _termbase

    from briefgen.clean import clean
    from briefgen.extract import extract
    from briefgen.ingest import ingest_bytes

    def fields(data: bytes) -> tuple:
        brief = extract(clean(ingest_bytes(data, article["file"])), _termbase())
        lang = brief.source.language
        return (
            lang,
            brief.source.published,
            brief.event.date,
            brief.event.round,
            [p.name.get(lang) for p in brief.event.participants],
            [d.name.get(lang) for d in brief.event.documents],
            [i.title.get(lang) if i.title else None for i in brief.items],
        )

    text = article["path"].read_text(encoding="utf-8")
    expected = fields(text.encode("utf-8"))
    for encoding in ENCODINGS[article["lang"]]:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # a character the code page lacks (㵢 in Big5, ł in cp1252)
        assert fields(data) == expected, encoding


# --- coverage: nothing in the body is lost without a reason ---------------------------------


def _readouts() -> list[Path]:
    from corpus_harness import load_expected, readout_for

    ours = [readout_for(p, load_expected(p)) for p in CASES]
    return ours + [a["path"] for a in REAL]


@pytest.mark.parametrize("readout", _readouts(), ids=lambda p: p.name)
def test_every_body_sentence_is_accounted_for(readout: Path) -> None:
    """Each sentence of the cleaned article is in the brief — as a point, a key statement,
    the bottom line, a next step, a quotation, background — or dropped with a reason."""
    brief = run_pipeline(readout)
    assert unaccounted(brief) == []
    assert all(d.reason for d in brief.dropped)
