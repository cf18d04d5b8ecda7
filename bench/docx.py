"""Benchmark the DOCX writer on the sample's eight memos, in one warm process.

    python bench/docx.py [--brief PATH] [--repeat N] [--reference DIR] [--profile]

Reads the sample's brief (default /work/ref/out/2026-01-28_eppd-6/brief.yaml, else the
one built from seeds/ by the pipeline), renders every built-in memo (both languages, all
audiences, shortened as the build would), writes each once to warm up, then prints the
time ``write(doc, "docx", sheet)`` takes per document (median and best wall time, best
CPU time of the process) and their totals, with the load average (the machine is
shared: compare runs made at similar load). With
``--reference DIR`` each DOCX is also compared byte for byte with ``DIR/<name>.docx``.
Rendering is not timed: only the writer. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
REF = Path("/work/ref/out/2026-01-28_eppd-6")


def _brief(path: Path | None):
    """The brief from ``path``, or the sample's from the pipeline."""
    from briefgen.model import load_brief
    from briefgen.pipeline import extract_brief, translate_brief
    from briefgen.settings import Settings

    if path is not None:
        return load_brief(path)
    settings = Settings()
    brief, _ = translate_brief(extract_brief(SAMPLE, settings), settings, SAMPLE)
    return brief


def _unmeasured(brief, audience, lang, sheet, settings, ref):
    """The memo as ``fitted`` would shorten it, found without laying out its PDF: the
    shortening step whose DOCX is the reference's (else the unshortened memo)."""
    from briefgen.pipeline import MAX_SHORTEN
    from briefgen.render import render
    from briefgen.writers import write

    first = render(brief, audience, lang, settings, sheet=sheet)
    if ref is None or not ref.exists() or not first.meta.max_pages:
        return first
    wanted = ref.read_bytes()
    for level in range(MAX_SHORTEN + 1):
        doc = render(brief, audience, lang, settings, sheet=sheet, shorten=level)
        if write(doc, "docx", sheet) == wanted:
            return doc
    return first


def main() -> None:
    """Measure and print the DOCX writer's time per memo."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_brief = REF / "brief.yaml"
    parser.add_argument(
        "--brief", type=Path, default=default_brief if default_brief.exists() else None
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reference", type=Path, default=REF if REF.exists() else None)
    parser.add_argument("--profile", action="store_true", help="cProfile one pass instead")
    args = parser.parse_args()
    # This script is named docx.py: its own directory must not hide python-docx.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]

    from briefgen.deliver import memo_name, slug
    from briefgen.pipeline import fitted, stylesheet
    from briefgen.settings import Settings
    from briefgen.writers import write

    settings = Settings()
    brief = _brief(args.brief)
    stem = slug(brief)
    memos = []
    for audience in settings.audiences:
        for lang in settings.langs:
            sheet = stylesheet(settings, lang, audience)
            name = memo_name(stem, audience, lang, "docx")
            ref = args.reference / name if args.reference is not None else None
            try:
                doc, _ = fitted(brief, audience, lang, sheet, settings)
            except Exception as exc:  # the PDF writer (it measures pages) failed
                doc = _unmeasured(brief, audience, lang, sheet, settings, ref)
                print(f"  ({name}: shortened without the PDF writer: {type(exc).__name__})")
            memos.append((name, doc, sheet))
    outputs = {name: write(doc, "docx", sheet) for name, doc, sheet in memos}  # warm-up

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _name, doc, sheet in memos:
            write(doc, "docx", sheet)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return

    wall: dict[str, list[float]] = {name: [] for name, _, _ in memos}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in memos}
    for _ in range(args.repeat):
        for name, doc, sheet in memos:
            start, start_cpu = time.perf_counter(), time.process_time()
            write(doc, "docx", sheet)
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start)
    load = os.getloadavg()[0]
    print(f"DOCX writer, warm, {args.repeat} runs each (load average {load:.2f}):")
    print(f"  {'document':32} {'median':>8} {'best':>8} {'CPU best':>9}")
    totals = [0.0, 0.0, 0.0]
    for name, _, _ in memos:
        figures = (statistics.median(wall[name]), min(wall[name]), min(cpu[name]))
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        same = ""
        if args.reference is not None:
            ref = args.reference / name
            same = "  (no reference)"
            if ref.exists():
                same = "  identical" if ref.read_bytes() == outputs[name] else "  DIFFERS"
        ms = " ".join(f"{f * 1000:6.1f}ms" for f in figures)
        print(f"  {name:32} {ms}  {len(outputs[name]):>7,} bytes{same}")
    print(f"  {'total':32} " + " ".join(f"{t * 1000:6.1f}ms" for t in totals))
    floor = _floor(args.repeat)
    print(
        f"  {'floor (blank template in, out)':32} "
        + " ".join(f"{f * 1000:6.1f}ms" for f in floor)
        + "  per document: python-docx loading its blank template and writing it back"
    )


def _floor(repeat: int) -> tuple[float, float, float]:
    """Median and best wall time and best CPU time of the part every DOCX pays whatever
    its content: python-docx reading its blank template (styles.xml alone is 430 KB)
    and the package written back with the writer's zip (each part compressed once)."""
    from docx import Document

    try:
        from briefgen.writers.docx import _package_bytes
    except ImportError:  # a writer from before _package_bytes: python-docx's own save

        def _package_bytes(word: Any) -> bytes:
            buffer = io.BytesIO()
            word.save(buffer)
            return buffer.getvalue()

    _package_bytes(Document())
    wall, cpu = [], []
    for _ in range(max(repeat, 5)):
        start, start_cpu = time.perf_counter(), time.process_time()
        _package_bytes(Document())
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), min(wall), min(cpu)


if __name__ == "__main__":
    main()
