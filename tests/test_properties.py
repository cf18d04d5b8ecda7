"""Properties of ingest -> clean -> extract on arbitrary and readout-shaped text.

(a) Any text either is refused with ``InputError`` or gives a ``Brief``; nothing else is
    ever raised.
(b) Every span in a brief points at exactly its text:
    ``brief.source.paragraphs[span.paragraph][span.start:span.end]`` is the element's
    source-language text for summary sentences, key points, next steps, item titles and
    points (nested items too) and document names; for a participant the span covers the
    title and the name (``經濟部長龔明鑫``), so it contains the name and the title's
    characters in order (a title may be written around the name: 美國貿易代表葛里爾大使).
"""

from __future__ import annotations

import random

from fuzzing.mutations import encode as fuzz_encode
from fuzzing.mutations import mutate
from fuzzing.mutations import seeds as fuzz_seeds
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from briefgen.clean import clean
from briefgen.errors import InputError
from briefgen.extract import extract
from briefgen.ingest import ingest_bytes
from briefgen.model import AgendaItem, Brief, Span, Text
from briefgen.translate.termbase import builtin_termbase

TERMBASE = builtin_termbase()

# --- strategies ---------------------------------------------------------------------------

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_PUNCT = st.sampled_from(list("、，。：「」（）；！？《》『』,.:;()!?—-/／ \u3000\t"))
_DIGITS = st.sampled_from(list("0123456789"))
_LATIN = st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
#: Pieces of real readouts, so that the finders (dates, rounds, places, participants,
#: documents, topics, next steps, commitment verbs, English patterns) actually fire.
_FRAGMENTS = st.sampled_from(
    [
        "經濟部長",
        "龔明鑫",
        "海柏格",
        "外交部政務次長",
        "陳明祺",
        "次長",
        "代表",
        "王小明",
        "李大華",
        "與",
        "、",
        "及",
        "包括",
        "另有",
        "雙方同意",
        "雙方將研議",
        "美國支持",
        "台灣將持續",
        "探索",
        "簽署「",
        "簽署「 ",
        "」",
        "簽署合作備忘錄",
        "聯合聲明",
        "「台美經濟繁榮夥伴對話」",
        "（EPPD）",
        "(Economic Prosperity Partnership Dialogue，EPPD)",
        "第6屆",
        "第三屆",
        "在華府舉行",
        "於東京召開",
        "當地時間27日",
        "今（28）日",
        "昨(23)日",
        "1月27日",
        "2026年1月28日",
        "2026/01/28",
        "就半導體、AI及能源等議題",
        "重點如下：",
        "未來",
        "成立工作小組",
        "明年",
        "廣告",
        "更多民視新聞報導",
        "即時中心／顏一軒報導",
        "原文出處：快新聞／標題",
        "WASHINGTON, April 16, 2026 — ",
        "By Jane Doe",
        "the sixth U.S.-Taiwan Economic Dialogue (ETD)",
        " held in Washington on April 15",
        "Minister of Economic Affairs Kung Ming-hsin",
        "Under Secretary Jacob Helberg",
        " signed a Memorandum of Understanding on Trade",
        " agreed to establish a working group",
        "Both sides agreed to ",
        " will explore ",
        "第六届",
        "双方同意",
        "举行",
        "们",
    ]
)
#: Readout-like sentences: someone (with or without a title, after a lead-in) does
#: something, so people are mentioned in different ways across paragraphs.
_SENTENCE = st.tuples(
    st.sampled_from(["", "外交部指出，", "我方另包括", "除", "此外，", "會中", "，"]),
    st.sampled_from(
        ["", "經濟部長", "外交部政務次長", "美國國務院主管經濟事務的次卿", "代表", "部長"]
    ),
    st.sampled_from(["龔明鑫", "海柏格", "陳明祺", "王小明", "李大華", "Kung Ming-hsin"]),
    st.sampled_from(
        ["", "表示，雙方同意深化合作", "與", "、", "在華府舉行會談", "出席", "簽署「合作備忘錄」"]
    ),
    st.sampled_from(["", "。", "，", "；", "\n"]),
).map("".join)
#: White space inside a paragraph (its ends are stripped by ingest) and clause breaks.
_GAPS = st.sampled_from([" ", "\t", "\u3000", "  ", "，並", "，另", "，以及", "。", " ，並"])
_TOKEN = st.one_of(_HAN, _PUNCT, _DIGITS, _LATIN, _FRAGMENTS, _SENTENCE, _GAPS)
_PHRASE = st.lists(_TOKEN, max_size=25).map("".join)

_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    return _CN[n - 1] if n <= 10 else "十" + _CN[n - 11]


#: Enumeration styles: number -> the marker as written.
_STYLES = {
    "cn": lambda n: f"{_cn(n)}、",
    "cn-half": lambda n: f"{_cn(n)}, ",
    "cn-paren": lambda n: f"（{_cn(n)}）",
    "cn-ordinal": lambda n: f"第{_cn(n)}，",
    "arabic": lambda n: f"{n}. ",
    "arabic-cn": lambda n: f"{n}、",
    "arabic-paren": lambda n: f"({n})",
    "circled": lambda n: "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"[n - 1],
    "latin-paren": lambda n: f"({chr(ord('a') + n - 1)}) ",
    "bullet": lambda n: "• ",
}
#: Loose marker prefixes for single paragraphs.
_MARKERS = st.sampled_from(
    [
        "",
        "一、",
        "二、",
        "（二）",
        "(三)",
        "3.",
        "3. ",
        "4、",
        "第四，",
        "第五是",
        "①",
        "(a) ",
        "• ",
        "- ",
        "十、",
        "一, ",
        "（1）",
        "2)",
    ]
)


@st.composite
def _enumeration(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A run of consecutively numbered items in one style, each ``title：body``, a title
    line with body paragraphs, or a bare body; sometimes with a nested run inside."""
    style = draw(st.sampled_from(sorted(_STYLES)))
    lines: list[str] = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        label = _STYLES[style](number)
        title, body = draw(_PHRASE), draw(_PHRASE)
        form = draw(st.sampled_from(["colon", "half-colon", "line", "bare"]))
        if form == "colon":
            lines.append(f"{label}{title}：{body}")
        elif form == "half-colon":
            lines.append(f"{label}{title}: {body}")
        elif form == "line":
            lines.append(f"{label}{title}")
            lines.extend(draw(st.lists(_PHRASE, max_size=2)))
        else:
            lines.append(f"{label}{body}")
        if depth == 0 and draw(st.integers(0, 3)) == 0:
            lines.extend(draw(_enumeration(depth=1)))
    return lines


@st.composite
def _articles(draw: st.DrawFn) -> str:
    """Random paragraphs (some with a marker prefix) mixed with enumerations, joined by
    assorted line breaks."""
    blocks = draw(
        st.lists(
            st.one_of(
                st.tuples(_MARKERS, _PHRASE).map(lambda t: ["".join(t)]),
                _enumeration(),
            ),
            max_size=8,
        )
    )
    lines = [line for block in blocks for line in block]
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\u3000\n"])))
    return "".join(out)


TEXTS = st.one_of(_articles(), st.text(max_size=300))


# --- helpers ------------------------------------------------------------------------------


def _brief(text: str) -> Brief | None:
    """The brief of ``text``, or None when ingest refuses it."""
    try:
        return extract(clean(ingest_bytes(text.encode("utf-8"))), TERMBASE)
    except InputError:
        return None


def _in_order(title: str, text: str) -> bool:
    """Whether every character of ``title`` occurs in ``text`` in order."""
    rest = iter(text)
    return all(ch in rest for ch in title)


def _slice(brief: Brief, span: Span) -> str | None:
    paragraphs = brief.source.paragraphs
    if span.paragraph >= len(paragraphs) or span.end > len(paragraphs[span.paragraph]):
        return None
    return paragraphs[span.paragraph][span.start : span.end]


def provenance_violations(brief: Brief) -> list[str]:
    """Every element whose span does not point at its text, described."""
    lang = brief.source.language
    problems: list[str] = []

    def exact(where: str, text: Text, span: Span | None, carried: str | None = None) -> None:
        value = text.get(lang)
        if carried:  # words carried over from the sentence: the rest is the span's text
            if not (value or "").startswith(carried):
                problems.append(f"{where}: text {value!r} does not start with {carried!r}")
                return
            value = (value or "")[len(carried) :]
        if span is None:
            problems.append(f"{where}: {value!r} has no source span")
            return
        got = _slice(brief, span)
        if got != value:
            problems.append(f"{where}: text {value!r} but span {span.model_dump()} is {got!r}")

    for kind in ("summary", "key_points", "next_steps", "key_statements", "background", "quotes"):
        for index, sentence in enumerate(getattr(brief, kind)):
            exact(f"{kind}[{index}]", sentence.text, sentence.source)
    for index, dropped in enumerate(brief.dropped):
        if dropped.source is None or _slice(brief, dropped.source) is None:
            problems.append(f"dropped[{index}]: {dropped.text!r} locates no text")
        elif dropped.text != _slice(brief, dropped.source).strip():
            problems.append(f"dropped[{index}]: text {dropped.text!r} is not its span's")

    def walk(items: list[AgendaItem], path: str) -> None:
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            if item.title is not None:
                exact(f"{where}.title", item.title, item.source)
            elif item.source is None or not _slice(brief, item.source):
                problems.append(f"{where}: an item without a title locates no text")
            for p, point in enumerate(item.points):
                exact(f"{where}.points[{p}]", point.text, point.source, point.carried)
            walk(item.items, f"{where}.items")

    walk(brief.items, "items")
    for index, doc in enumerate(brief.event.documents):
        if doc.source is not None:
            exact(f"event.documents[{index}]", doc.name, doc.source)
    for index, person in enumerate(brief.event.participants):
        if person.source is None:
            continue
        name = person.name.get(lang) or ""
        title = person.title.get(lang) if person.title else None
        got = _slice(brief, person.source)
        if got is None or name not in got or (title is not None and not _in_order(title, got)):
            problems.append(
                f"event.participants[{index}]: title {title!r} name {name!r} but span "
                f"{person.source.model_dump()} is {got!r}"
            )
    return problems


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_extract_refuses_or_returns_a_brief(text: str) -> None:
    result = _brief(text)  # anything but InputError propagates and fails the test
    assert result is None or isinstance(result, Brief)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_every_span_points_at_its_text(text: str) -> None:
    try:
        brief = _brief(text)
    except Exception:  # a crash is the other property's finding
        reject()
    if brief is None:
        reject()
    problems = provenance_violations(brief)
    assert not problems, "\n".join(problems)


# Mutated readouts (issue 12): the sample and the real corpus sliced, shuffled, with control
# and markup characters, Jinja syntax, huge paragraphs, deep enumerations, mixed scripts and
# extreme numbers and dates (tests/fuzzing/mutations.py; bench/fuzz.py runs thousands).

_SEEDS = fuzz_seeds()


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, len(_SEEDS) - 1))
def test_mutated_readouts_are_refused_or_briefed(seed: int, which: int) -> None:
    rng = random.Random(seed)
    text, _ = mutate(rng, _SEEDS[which][1], rng.choice(_SEEDS)[1])
    data, _ = fuzz_encode(rng, text)
    try:
        brief = extract(clean(ingest_bytes(data)), TERMBASE)
    except InputError:
        return
    assert isinstance(brief, Brief)
    assert brief.event.round is None or brief.event.round >= 1


def test_provenance_check_sees_a_bad_span() -> None:
    """The checker itself: a span moved by one character is reported."""
    brief = _brief(
        "經濟部長龔明鑫今（28）日表示，雙方同意深化合作。\n"
        "一、供應鏈：雙方同意合作。\n二、關鍵礦物：雙方將研議合作。\n"
    )
    assert brief is not None and brief.items
    assert provenance_violations(brief) == []
    moved = brief.items[0].source
    assert moved is not None
    brief.items[0].source = Span(paragraph=moved.paragraph, start=moved.start + 1, end=moved.end)
    assert provenance_violations(brief)
