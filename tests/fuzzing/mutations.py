"""Mutations of readouts for fuzzing (issue 12): each takes a random generator and a text
and returns another text. ``bench/fuzz.py`` runs thousands of them; the property test in
``tests/test_properties.py`` a few hundred.

Slices, shuffles, dropped and repeated lines, control and invisible characters, HTML and
Markdown markup, Jinja syntax, huge paragraphs, deep enumerations, mixed scripts (kana,
hangul, Cyrillic, Arabic, emoji, Simplified forms, full-width Latin), numbers and dates at
the extremes (year 1 and 9999, 第0屆, impossible days), other encodings and cut bytes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
REAL = ROOT / "tests" / "corpus" / "real"


def seeds() -> list[tuple[str, str]]:
    """``(name, text)`` of the sample and every real readout."""
    paths = [SAMPLE, *sorted(REAL.glob("*.txt"))]
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _at(rng: random.Random, text: str, piece: str) -> str:
    """``piece`` inserted at a random position."""
    i = rng.randint(0, len(text))
    return text[:i] + piece + text[i:]


def slice_(rng: random.Random, text: str) -> str:
    a = rng.randint(0, len(text))
    b = rng.randint(a, len(text))
    return text[a:b]


def shuffle_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    rng.shuffle(lines)
    return "\n".join(lines)


def shuffle_sentences(rng: random.Random, text: str) -> str:
    parts = re.split(r"(?<=[。！？.!?])", text)
    rng.shuffle(parts)
    return "".join(parts)


def drop_or_repeat_lines(rng: random.Random, text: str) -> str:
    out = []
    for line in _lines(text):
        roll = rng.random()
        if roll < 0.2:
            continue
        out.extend([line] * (rng.randint(2, 4) if roll > 0.9 else 1))
    return "\n".join(out)


_CONTROL = [chr(c) for c in range(0, 32) if c not in (10,)] + [
    "\x7f",
    "\x85",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\u3000",
    "\xa0",
    "\r",
    "\r\n",
    "\t\t",
]


def control_characters(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 5)):
        text = _at(rng, text, rng.choice(_CONTROL))
    return text


_MARKUP = [
    "<p>",
    "</p>",
    "<br>",
    "<script>alert(1)</script>",
    "<!-- 註解 -->",
    "<![CDATA[x]]>",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "<html><head><title>標題</title></head><body>",
    "# 標題",
    "## Heading",
    "**粗體**",
    "[連結](http://example.com)",
    "```",
    "> 引用",
    "| a | b |",
    "---",
    "\\",
    "<?xml version='1.0'?>",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
]


def markup(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        text = _at(rng, text, rng.choice(_MARKUP))
    return text


_JINJA = [
    "{{ x }}",
    "{{",
    "}}",
    "{% for i in range(10**9) %}",
    "{% endfor %}",
    "{#",
    "#}",
    "{{ ''.__class__.__mro__ }}",
    "{% include '/etc/passwd' %}",
    "{{ lipsum(10**6) }}",
    "{%- raw -%}",
    "${x}",
    "%(name)s",
    "{0}",
    "{}",
]


def jinja(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        text = _at(rng, text, rng.choice(_JINJA))
    return text


def huge_paragraph(rng: random.Random, text: str) -> str:
    """All lines in one paragraph, or one sentence repeated into a long line (rarely
    hundreds of kilobytes: most cases stay small, so that thousands run in minutes)."""
    big = rng.random() < 0.05
    if rng.random() < 0.5:
        return "".join(_lines(text)) * (rng.randint(2, 20) if big else 1)
    sentences = re.findall(r"[^。！？.!?\n]+[。！？.!?]", text) or [text or "雙方同意合作。"]
    line = rng.choice(sentences) * (rng.randint(100, 3000) if big else rng.randint(2, 30))
    return _at(rng, text, "\n" + line + "\n")


_STYLES: list[Callable[[int], str]] = [
    lambda n: f"{'一二三四五六七八九十'[(n - 1) % 10]}、",
    lambda n: f"（{'一二三四五六七八九十'[(n - 1) % 10]}）",
    lambda n: f"{n}、",
    lambda n: f"{n}. ",
    lambda n: f"（{n}）",
    lambda n: f"{n}) ",
    lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[(n - 1) % 10],
    lambda n: f"({chr(ord('a') + (n - 1) % 26)}) ",
    lambda n: f"{n}.{n} ",
    lambda n: "• ",
    lambda n: "- ",
    lambda n: f"第{'一二三四五六七八九十'[(n - 1) % 10]}，",
    lambda n: f"{n * 0}. ",
    lambda n: "〇、",
    lambda n: f"{99 - n}. ",
]


def deep_enumeration(rng: random.Random, text: str) -> str:
    """A list nested through several marker styles (some odd: 0., 〇、, counting down)."""
    styles = rng.sample(_STYLES, rng.randint(2, len(_STYLES)))
    breadth = rng.randint(1, 6)
    limit = 3000 if rng.random() < 0.05 else 200  # lines: rarely a long list
    sentences = re.findall(r"[^。！？.!?\n]+[。！？.!?]", text) or ["雙方同意合作。"]
    lines: list[str] = []

    def level(depth: int) -> None:
        for n in range(1, breadth + 1):
            if len(lines) > limit:
                return
            title = rng.choice(sentences)[: rng.randint(2, 20)]
            sep = rng.choice(["：", ": ", "", "\n"])
            lines.append(styles[depth](n) + title + sep + rng.choice(sentences))
            if depth + 1 < len(styles) and rng.random() < 0.7:
                level(depth + 1)

    level(0)
    return _at(rng, text, "\n重點如下：\n" + "\n".join(lines) + "\n")


_SCRIPTS = [
    "ひらがなとカタカナの文章です。",
    "日米経済対話が東京で開催された。",
    "한국과 대만은 경제 협력에 합의했다.",
    "Министры договорились о сотрудничестве.",
    "اتفق الوزراء على التعاون.",
    "😀🇹🇼🇺🇸👍",
    "双方同意加强经贸合作，举行第六届对话。",
    "ＡＢＣ　ｆｕｌｌ－ｗｉｄｔｈ　１２３",
    "Ελληνικά κείμενα.",
    "עברית",
    "ไทย",
    "𠀀𠀁𪚥",
    "e\u0301\u0301\u0301",
]


def mixed_scripts(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 5)):
        text = _at(rng, text, rng.choice(_SCRIPTS))
    return text


_EXTREMES = [
    "9999-12-31",
    "0001-01-01",
    "0001-01-03",
    "date 9999-12-31",
    "9999年12月31日",
    "0001年1月1日",
    "中華民國0年1月1日",
    "民國999年13月32日",
    "115.13.45",
    "February 30, 2024",
    "December 31, 9999",
    "January 1, 0001",
    "31 December 9999",
    "上週三",
    "上週日",
    "last week",
    "on Monday",
    "今（0）日",
    "昨(99)日",
    "本（13）月32日",
    "12月31日至1月1日",
    "第0屆",
    "第〇屆",
    "第9999屆",
    "第一百零五屆",
    "the 0th Dialogue",
    "round 0",
    "the 999th Forum",
    "99999999999999999999",
    "1e308",
    "-1",
    "0",
    "９９９９",
    "一百億",
]


def extremes(rng: random.Random, text: str) -> str:
    """Dates and numbers at the extremes, inserted, and digits replaced."""
    for _ in range(rng.randint(1, 5)):
        text = _at(rng, text, rng.choice(_EXTREMES))
    if rng.random() < 0.5:
        digit = rng.choice("09")
        text = re.sub(r"\d", lambda m: digit if rng.random() < 0.5 else m.group(), text)
    if rng.random() < 0.3:
        text = rng.choice(_EXTREMES) + "\n" + text  # as the dateline
    return text


def long_names(rng: random.Random, text: str) -> str:
    """An event or title far longer than any real one (the DOCX property limit)."""
    name = " ".join(["Economic Prosperity Partnership"] * rng.randint(5, 20)) + " Dialogue"
    zh = "台美經濟繁榮夥伴" * rng.randint(20, 60) + "對話"
    return _at(rng, text, rng.choice([f"the sixth {name} was held", f"第6屆「{zh}」在華府舉行"]))


def case_and_width(rng: random.Random, text: str) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return text.upper()
    if choice == 1:
        return text.swapcase()
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


MUTATORS: list[Callable[[random.Random, str], str]] = [
    slice_,
    shuffle_lines,
    shuffle_sentences,
    drop_or_repeat_lines,
    control_characters,
    markup,
    jinja,
    huge_paragraph,
    deep_enumeration,
    mixed_scripts,
    extremes,
    long_names,
    case_and_width,
]

#: Mutations are cut to this many characters (the input limit is 2 MiB of bytes).
MAX_CHARS = 400_000


def mutate(rng: random.Random, text: str, other: str = "") -> tuple[str, list[str]]:
    """``text`` after one to four mutations (sometimes spliced with ``other``): the text and
    the names of the mutations."""
    names = []
    if other and rng.random() < 0.15:
        text = slice_(rng, text) + "\n" + slice_(rng, other)
        names.append("splice")
    for mutator in rng.sample(MUTATORS, rng.randint(1, 4)):
        text = mutator(rng, text)
        names.append(mutator.__name__)
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
    return text, names


def encode(rng: random.Random, text: str) -> tuple[bytes, str]:
    """The text as bytes: mostly UTF-8, sometimes another encoding, a BOM or cut bytes."""
    roll = rng.random()
    if roll < 0.80:
        return text.encode("utf-8", "surrogatepass"), "utf-8"
    if roll < 0.84:
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass"), "utf-8-sig"
    if roll < 0.88:
        return text.encode("utf-16", "surrogatepass"), "utf-16"
    if roll < 0.92:
        return text.encode("big5", "replace"), "big5"
    if roll < 0.96:
        return text.encode("gb18030", "replace"), "gb18030"
    data = text.encode("utf-8", "surrogatepass")
    return data[: rng.randint(0, len(data))], "cut"
