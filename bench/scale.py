"""Time and peak memory of read -> clean -> extract for large inputs of several shapes.

    python bench/scale.py [--sizes 400,1000,2000] [--shapes prose-zh,nested-zh,...]

Each case runs in a fresh child process (so its peak RSS is its own) on a text built from
the real corpus (tests/corpus/real) and the sample: prose without an agenda (zh-TW and
English), deeply nested numbered lists (every marker style in turn, zh-TW and English;
"deep": 99 entries each holding a list nested through every style), a flat list of many
entries, the nested zh-TW lists and the English prose as one huge paragraph ("onepara"),
and the sample repeated. Sizes are UTF-8 kilobytes, up to the 2 MiB input limit. Prints
seconds and peak MB per case; the target of issue 12 is ≤ 10 s and ≤ 300 MB for any
accepted input. Measured, never asserted: this is not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
REAL = ROOT / "tests" / "corpus" / "real"
LIMIT = 2 * 1024 * 1024

_MARKER_RE = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]|[•●▪■◆-])\s*")


def _sentences(lang: str) -> list[str]:
    """Sentences of the real corpus in ``lang`` (zh or en) with no list marker in them."""
    from briefgen.extract.enumeration import inline_markers, markers_at

    out: list[str] = []
    pattern = "*.en.txt" if lang == "en" else "*.zh-TW.txt"
    for path in sorted(REAL.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = _MARKER_RE.sub("", line.strip())
            parts = re.findall(r"[^。！？]+[。！？]" if lang == "zh" else r"[^.!?]+[.!?]", line)
            out.extend(p.strip() for p in parts if len(p.strip()) >= 12)
    return [s for s in out if not markers_at(s) and not inline_markers(s)]


def _fill(chunks, size: int) -> str:
    """Paragraphs from ``chunks`` (an endless iterator) until ``size`` UTF-8 bytes."""
    parts: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk.encode("utf-8")) + 1
        if total > size:
            break
        parts.append(chunk)
    return "\n".join(parts) + "\n"


def prose(lang: str, size: int) -> str:
    """Paragraphs of three to five corpus sentences, no enumeration, no headings."""
    sentences = _sentences(lang)
    sep = "" if lang == "zh" else " "

    def chunks():
        i = 0
        while True:
            k = 3 + i % 3
            yield sep.join(sentences[(i + j * 7) % len(sentences)] for j in range(k))
            i += k

    return _fill(chunks(), size)


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_CN = "一二三四五六七八九"


def _cn(n: int) -> str:
    """1..99 in Chinese numerals."""
    tens, ones = divmod(n, 10)
    return (
        (_CN[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (_CN[ones - 1] if ones else "")
    )


_ZH_STYLES = [
    lambda n: f"{_cn(n)}、",
    lambda n: f"（{_cn(n)}）",
    lambda n: f"{n}、",
    lambda n: f"（{n}）",
    lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[(n - 1) % 10],
    lambda n: f"({chr(ord('a') + (n - 1) % 26)}) ",
    lambda n: f"({_ROMAN[(n - 1) % 10]}) ",
    lambda n: "• ",
]
_EN_STYLES = [
    lambda n: f"{n}. ",
    lambda n: f"({chr(ord('a') + (n - 1) % 26)}) ",
    lambda n: f"({_ROMAN[(n - 1) % 10]}) ",
    lambda n: f"({n}) ",
    lambda n: f"{chr(ord('a') + (n - 1) % 26)}. ",
    lambda n: "• ",
    lambda n: "- ",
]


def nested(lang: str, size: int, branching: int = 4) -> str:
    """A numbered list nested as deep as there are marker styles, each level ``branching``
    entries of ``title：sentence``, repeated until ``size``."""
    sentences = _sentences(lang)
    styles = _ZH_STYLES if lang == "zh" else _EN_STYLES
    colon = "：" if lang == "zh" else ": "
    counter = [0]

    def entry_text() -> str:
        counter[0] += 1
        s = sentences[counter[0] % len(sentences)]
        title = s[:8] if lang == "zh" else " ".join(s.split()[:3])
        return f"{title}{colon}{s}"

    def level(depth: int):
        for n in range(1, branching + 1):
            yield styles[depth](n) + entry_text()
            if depth + 1 < len(styles):
                yield from level(depth + 1)

    def chunks():
        intro = "會談重點如下：" if lang == "zh" else "The main points were as follows:"
        while True:
            yield intro
            yield from level(0)

    return _fill(chunks(), size)


def deep(lang: str, size: int) -> str:
    """One list of 99 entries, each holding a list nested through every marker style with
    as many entries as it takes to reach ``size``."""
    sentences = _sentences(lang)
    styles = _ZH_STYLES if lang == "zh" else _EN_STYLES
    per_top = max(1, size // 99)
    depth = len(styles) - 1
    # entries per level so that a top entry's subtree is about per_top bytes
    average = sum(len(s.encode("utf-8")) for s in sentences) / len(sentences)
    branching = max(2, round((per_top / average) ** (1 / depth)))
    counter = [0]

    def level(d: int):
        for n in range(1, branching + 1):
            counter[0] += 1
            yield styles[d](n) + sentences[counter[0] % len(sentences)]
            if d + 1 < len(styles):
                yield from level(d + 1)

    def chunks():
        yield "會談重點如下：" if lang == "zh" else "The main points were as follows:"
        for n in range(1, 100):
            counter[0] += 1
            yield styles[0](n) + sentences[counter[0] % len(sentences)]
            yield from level(1)

    return _fill(chunks(), size)


def flat(lang: str, size: int) -> str:
    """One list of many short entries (numbered up to 99, then again)."""
    sentences = _sentences(lang)

    def chunks():
        i = 0
        while True:
            i += 1
            n = (i - 1) % 99 + 1
            yield (f"{n}、" if lang == "zh" else f"{n}. ") + sentences[i % len(sentences)]

    return _fill(chunks(), size)


def one_paragraph(text: str) -> str:
    """The same text with its line breaks removed: one huge paragraph."""
    return text.replace("\n", "") + "\n"


def sample(size: int) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    return _fill(iter(lambda: text.strip(), None), size)


SHAPES = {
    "prose-zh": lambda s: prose("zh", s),
    "prose-en": lambda s: prose("en", s),
    "nested-zh": lambda s: nested("zh", s),
    "nested-en": lambda s: nested("en", s),
    "deep-zh": lambda s: deep("zh", s),
    "deep-en": lambda s: deep("en", s),
    "flat-zh": lambda s: flat("zh", s),
    "onepara-zh": lambda s: one_paragraph(nested("zh", s)),
    "onepara-en": lambda s: one_paragraph(prose("en", s)),
    "sample": sample,
}


def _child(path: str) -> None:
    from briefgen.clean import clean
    from briefgen.extract import extract
    from briefgen.ingest import read_source
    from briefgen.translate.termbase import builtin_termbase

    termbase = builtin_termbase()
    start = time.perf_counter()
    brief = extract(clean(read_source(Path(path))), termbase)
    print(f"{time.perf_counter() - start:.2f} {len(brief.items)} {len(brief.key_points)}")


def run_case(text: str, timeout: float) -> tuple[str, str, str]:
    """(seconds, peak MB, note) of extracting ``text`` in a child process (peak RSS from
    wait4)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
    try:
        cmd = [sys.executable, __file__, "--child", f.name]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return f">{timeout:.0f}", "?", "timed out"
            time.sleep(0.05)
        out = proc.stdout.read() if proc.stdout else ""
        err = proc.stderr.read() if proc.stderr else ""
        peak = f"{usage.ru_maxrss / 1024:.0f}"
        if os.waitstatus_to_exitcode(status) != 0:
            return "-", peak, (err.strip().splitlines() or ["?"])[-1][:60]
        seconds, items, points = out.split()
        return seconds, peak, f"{items} items, {points} key points"
    finally:
        os.unlink(f.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="400,1000,2000", help="kilobytes (1000 bytes)")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    print(f"{'shape':<10} {'KB':>6} {'seconds':>8} {'peak MB':>8}  result")
    for shape in args.shapes.split(","):
        for kb in (int(s) for s in args.sizes.split(",")):
            text = SHAPES[shape](min(kb * 1000, LIMIT))
            size = len(text.encode("utf-8")) / 1000
            seconds, peak, note = run_case(text, args.timeout)
            print(f"{shape:<10} {size:>6.0f} {seconds:>8} {peak:>8}  {note}", flush=True)


if __name__ == "__main__":
    main()
