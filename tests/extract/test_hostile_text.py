"""Issue 12: article text that crashed extraction or made it take time and memory without
bound. Each repro of the issue's "Crashes" and "Time and memory" (extraction) lists is a
test here; times are measured by ``bench/scale.py``, never asserted."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from briefgen.clean import clean
from briefgen.extract import extract, summary
from briefgen.extract.coverage import _Kept, _Taken
from briefgen.extract.dates import _REL_PATTERNS, find_dates, resolve_day, shift
from briefgen.extract.english import find_round as find_round_en
from briefgen.extract.enumeration import _enclosed, _rank, find_items
from briefgen.extract.meeting import find_round
from briefgen.extract.text import bracket_depths, sentence_spans
from briefgen.ingest import ingest_bytes
from briefgen.model import Brief
from briefgen.translate.termbase import builtin_termbase

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt").read_text(encoding="utf-8")
TERMBASE = builtin_termbase()


def _brief(text: str) -> Brief:
    return extract(clean(ingest_bytes(text.encode("utf-8"))), TERMBASE)


# --- round 0 -------------------------------------------------------------------------------


@pytest.mark.parametrize("round_text", ["第0屆", "第〇屆", "第零屆", "第00屆"])
def test_round_zero_is_no_round(round_text: str) -> None:
    assert "第6屆" in SAMPLE
    brief = _brief(SAMPLE.replace("第6屆", round_text))
    assert brief.event.round is None


def test_round_zero_gives_way_to_a_real_round() -> None:
    assert find_round(("第0屆經貿對話籌備會議。", "雙方舉行第3屆經貿對話。")) == 3


@pytest.mark.parametrize(
    "text", ["The 0th Economic Dialogue was held in Washington.", "Talks resumed in round 0."]
)
def test_english_round_zero_is_no_round(text: str) -> None:
    assert find_round_en((text,)) is None
    _brief(text + " Minister Kung Ming-hsin met Under Secretary Jacob Helberg.\n")


# --- dates at the ends of the calendar -----------------------------------------------------

EDGES = [date.min + timedelta(days=d) for d in range(10)] + [
    date.max - timedelta(days=d) for d in range(10)
]
#: One expression of every kind ``find_dates`` reads, relative ones included.
EVERY_FORM = (
    "今（28）日 昨(23)日 前(1)日 明(31)日 本(10)日 今(5日) 本（12）月31日 12月31日 1月1日 "
    "115年1月28日 今(9999)年12月31日 31 December 9999 "
    "31日 1日 28至29日 12月31日至1月2日 今天 昨天 前天 明天 昨在 今晚 上週三 上週日 上週 "
    "本週一 週日 星期六 9999年12月31日至1月2日 0001年1月1日 today yesterday tomorrow "
    "last week on Monday on Sunday January 1 December 31-1 6-7 November 31 December "
    "December 31, 9999 to 2"
)


def test_every_form_is_in_the_probe() -> None:
    kinds = {kind for kind, rx in _REL_PATTERNS if rx.search(EVERY_FORM)}
    assert kinds == {kind for kind, _ in _REL_PATTERNS}


@pytest.mark.parametrize("published", EDGES, ids=str)
def test_relative_dates_at_the_ends_of_the_calendar(published: date) -> None:
    for mention in find_dates(EVERY_FORM, published):
        assert date.min <= mention.value <= date.max
    for day in (1, 28, 31):
        resolve_day(day, published)
        resolve_day(day, published, 12)
        resolve_day(day, published, 1)


def test_shift_stops_at_the_ends_of_the_calendar() -> None:
    assert shift(date.max, 1) is None and shift(date.min, -1) is None
    assert shift(date(2026, 1, 28), -7) == date(2026, 1, 21)


@pytest.mark.parametrize(
    "dateline",
    ["date 9999-12-31", "0001-01-03", "0001-01-01", "9999年12月31日", "December 31, 9999"],
)
def test_publication_at_the_ends_of_the_calendar(dateline: str) -> None:
    body = SAMPLE.split("\n", 1)[1]
    text = f"{dateline}\n經濟部長龔明鑫上週三與美方在華府舉行第6屆對話，明天再談。\n{body}"
    _brief(text)  # no OverflowError
    _brief(f"{dateline}\nThe sixth Dialogue was held last week, on Wednesday; tomorrow too.\n")


# --- time and memory -----------------------------------------------------------------------


def test_bracket_depths_of_many_unclosed_brackets() -> None:
    """Each closing bracket looked through every open one of other kinds: quadratic."""
    text = "「" * 20000 + "）" * 20000 + "（a）"
    depths = bracket_depths(text)
    assert len(depths) == len(text) and depths[-2] == 1 and max(depths[:40000]) == 0


def test_bracket_depths_match_the_innermost_of_their_kind() -> None:
    text = "「a（b」c）d"  # 」 closes 「 and leaves （ unclosed: ） then matches nothing
    assert list(bracket_depths(text)) == [1, 1, 1, 1, 1, 0, 0, 0]
    assert list(bracket_depths("（「x」）")) == [1, 2, 2, 2, 1]


def test_sentence_spans_are_a_fresh_list_each_time() -> None:
    spans = sentence_spans("雙方同意。美方支持。")
    spans.append((0, 0))
    assert sentence_spans("雙方同意。美方支持。") == [(0, 5), (5, 10)]


def _prose(sentences: int) -> tuple[str, ...]:
    """Paragraphs of distinct sentences sharing some words, no enumeration."""
    topics = ["供應鏈", "半導體", "能源", "關鍵礦物", "數位貿易", "農業", "投資", "人才"]
    return tuple(
        f"雙方第{n}次討論{topics[n % 8]}與{topics[n * 3 % 8]}合作，並同意就{topics[n * 5 % 8]}"
        f"交換意見{n}次。"
        for n in range(sentences)
    )


def test_key_points_rank_at_most_max_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """TextRank compared every pair of sentences (400 KB of prose: 53 s); over
    ``MAX_CANDIDATES`` sentences it ranks only the candidates chosen in linear time."""
    paragraphs = _prose(summary.MAX_CANDIDATES * 3)
    seen: list[int] = []
    original = summary._candidates

    def recording(units: list[set[str]], limit: int) -> list[int]:
        chosen = original(units, limit)
        seen.append(len(units))
        assert len(chosen) == limit == summary.MAX_CANDIDATES and chosen == sorted(chosen)
        return chosen

    monkeypatch.setattr(summary, "_candidates", recording)
    spans = summary.key_point_spans(paragraphs, set())
    assert seen == [len(paragraphs)] and len(spans) == 5 and spans == sorted(spans)


def test_key_points_of_few_sentences_rank_them_all() -> None:
    paragraphs = _prose(40)
    spans = summary.key_point_spans(paragraphs, set())
    assert len(spans) == 5
    # the same as with no candidates chosen at all
    assert summary._candidates([{"a"}] * 3, 3) == [0, 1, 2]


def test_prose_without_an_agenda_gives_key_points() -> None:
    """The issue's repro, smaller: prose without an agenda (400 KB took 53 s)."""
    brief = _brief("\n".join(_prose(1500)))
    assert not brief.items and len(brief.key_points) == 5


def test_repeats_found_through_the_index() -> None:
    kept = _Kept()
    kept.add(0, {"a", "b", "c", "d", "e"})
    kept.add(3, {"f", "g", "h", "i", "j"})
    assert kept.repeats({"f", "g", "h", "i", "x"}) == 3  # 4 of 5 = REPEAT_SHARE
    assert kept.repeats({"f", "g", "h", "x", "y"}) is None
    assert kept.repeats({"a", "b", "c"}) is None  # too short to tell


def _nested(levels: list[str], breadth: int, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for n in range(1, breadth + 1):
        marker = levels[depth].format(n=n, a="abcd"[n - 1], c="①②③④"[n - 1])
        lines.append(f"{marker}第{depth}層第{n}項：雙方同意合作。")
        if depth + 1 < len(levels):
            lines.extend(_nested(levels, breadth, depth + 1))
    return lines


def test_deeply_nested_lists_are_items_within_items() -> None:
    """The issue's repro, smaller: deeply nested lists (1 MB took 228 s)."""
    levels = ["{n}. ", "（{n}）", "{n}) ", "{c}", "({a}) "]
    lines = _nested(levels, 4)
    items = find_items(tuple(["會談重點如下：", *lines]))
    assert len(items) == 4
    depth, item = 0, items[0]
    while item.children:
        depth, item = depth + 1, item.children[0]
    assert depth == len(levels) - 1
    brief = _brief("經濟部長龔明鑫今（28）日在華府舉行對話，重點如下：\n" + "\n".join(lines))
    assert len(brief.items) == 4


class _FakeRun:
    def __init__(self, style: str, first: tuple[int, int], last: tuple[int, int]) -> None:
        self.style, self.first, self.last = style, first, last


def _enclosed_pairwise(runs: list[_FakeRun], ends: list[tuple[int, int]]) -> list[bool]:
    """The definition, comparing every pair (what ``_enclosed`` did, quadratic)."""
    return [
        any(
            ends[a] > run.first
            and runs[a].style != run.style
            and runs[a].first < run.first
            and (run.first < runs[a].last or _rank(run.style) > _rank(runs[a].style))
            for a in range(index)
        )
        for index, run in enumerate(runs)
    ]


def test_enclosed_sweep_agrees_with_the_pairwise_definition() -> None:
    rng = random.Random(12)
    styles = ["cn", "cn-paren", "arabic", "arabic-paren", "circled", "bullet", "latin-paren"]
    positions = [(p, c) for p in range(6) for c in range(5)]
    for _ in range(3000):
        runs, ends = [], []
        for first in sorted(rng.sample(positions, rng.randint(0, 12))):
            last = max(first, (first[0] + rng.randint(0, 3), rng.randint(0, 4)))
            runs.append(_FakeRun(rng.choice(styles), first, last))
            ends.append(max(last, (last[0] + rng.randint(0, 2), rng.randint(0, 4))))
        assert _enclosed(runs, ends) == _enclosed_pairwise(runs, ends)  # type: ignore[arg-type]


def test_taken_finds_the_overlapping_spans() -> None:
    rng = random.Random(12)
    for _ in range(2000):
        spans = []
        for _ in range(rng.randint(0, 8)):
            a = rng.randint(0, 40)
            spans.append((a, a + rng.randint(1, 20)))
        taken = _Taken(spans)
        start = rng.randint(0, 50)
        end = start + rng.randint(1, 15)
        expected = sorted((a, b) for a, b in spans if a < end and b > start)
        assert taken.overlapping(start, end) == expected


def test_one_huge_paragraph_of_inline_lists() -> None:
    """A fuzzed repro: a whole readout with deep lists joined into one paragraph, repeated
    (1 MB took 187 s: every run compared with every other, every sentence with every used
    extent, every entry read to the paragraph's end for every run)."""
    levels = ["{n}. ", "（{n}）", "{n}) ", "{c}", "({a}) "]
    text = "".join(["重點如下：", *_nested(levels, 4)]) * 3
    brief = _brief("經濟部長龔明鑫今（28）日在華府舉行第6屆對話。\n" + text)
    assert brief.event.round == 6


def test_counted_signings_in_one_long_paragraph() -> None:
    """Each "signed two agreements" read every later paragraph's references again: in one
    huge paragraph, quadratic. The references are read once per paragraph and a count
    stops at as many as it counts."""
    from briefgen.extract.english import find_documents

    sentence = (
        "The ministers signed two agreements. The agreement on customs matters was welcomed. "
        "The MOU on energy cooperation, and the agreement on science exchanges, followed. "
    )
    found = find_documents((sentence * 300,), TERMBASE)
    names = [doc.text for doc, _ in found]
    assert names[:2] == ["agreement on customs matters", "MOU on energy cooperation"]


def test_remembered_paragraphs_are_forgotten_after_extract() -> None:
    from briefgen.extract.text import _sentence_spans

    _brief(SAMPLE)
    assert _sentence_spans.cache_info().currsize == 0
    assert bracket_depths.cache_info().currsize == 0


def test_text_in_capitals_reads_event_names_of_bounded_length() -> None:
    """A fuzzed repro: an English readout in capitals joined into one paragraph (145 KB took
    over 30 s: every capitalised word and letter started a name that ran to the end)."""
    from briefgen.extract.english import find_event

    words = "Taiwan Japan Economic And Trade Cooperation " * 40
    found, _ = find_event((words + "Dialogue held in Tokyo.",), TERMBASE)
    assert found is not None and found.text.endswith("Dialogue")
    assert len(found.text.split()) <= 26
    assert (
        find_event(("The sixth Economic Prosperity Partnership Dialogue (EPPD) met.",), TERMBASE)[
            0
        ].text
        == "Economic Prosperity Partnership Dialogue"
    )
