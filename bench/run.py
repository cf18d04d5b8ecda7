"""Benchmark briefgen on the sample: cold builds, one warm render, peak memory.

    python bench/run.py [--first-run] [--repeat N]

Prints, for seeds/eppd-6-2026-01-28.zh-TW.txt:
  * cold build: wall time and peak RSS of a fresh `briefgen build` process (all 4 audiences,
    languages and formats) with the font cache already prepared;
  * first run (with --first-run): the same with an empty font cache, i.e. including the
    one-time TrueType conversion of the Chinese faces;
  * warm render: median time to render and write one document (working memo, zh-TW, PDF
    and DOCX) in a process that has rendered it before.
Numbers are measured, never asserted: this is not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"


def run_build(env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `briefgen build` child process."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "briefgen", "build", str(SAMPLE), "-o", out, "-q"]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"build failed: {' '.join(cmd)}")
        return wall, usage.ru_maxrss / 1024


def warm_render(repeat: int) -> dict[str, float]:
    """Median seconds to render+write the working zh-TW memo, per format, warm."""
    from briefgen.pipeline import extract_brief, stylesheet, translate_brief
    from briefgen.render import render
    from briefgen.settings import Settings
    from briefgen.writers import write

    options = Settings()
    brief, _ = translate_brief(extract_brief(SAMPLE, options), options, SAMPLE)
    sheet = stylesheet(options, "zh-TW")
    results = {}
    for fmt in ("pdf", "docx"):
        write(render(brief, "working", "zh-TW"), fmt, sheet)  # warm-up
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            write(render(brief, "working", "zh-TW"), fmt, sheet)
            times.append(time.perf_counter() - start)
        results[fmt] = statistics.median(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--first-run",
        action="store_true",
        help="also time a build with an empty font cache (about 30 s)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="warm render repetitions")
    args = parser.parse_args()
    env = dict(os.environ)
    print(f"sample: {SAMPLE.relative_to(ROOT)}  cpus: {os.cpu_count()}")
    if args.first_run:
        with tempfile.TemporaryDirectory() as cache:
            wall, rss = run_build({**env, "BRIEFGEN_CACHE_DIR": cache})
            print(f"first run (empty font cache): {wall:6.2f} s  peak RSS {rss:6.1f} MiB")
    run_build(env)  # make sure the font cache is prepared
    walls, peaks = [], []
    for _ in range(3):
        wall, rss = run_build(env)
        walls.append(wall)
        peaks.append(rss)
    print(
        f"cold build, 8 memos + brief:  {statistics.median(walls):6.2f} s  "
        f"peak RSS {max(peaks):6.1f} MiB  (median of 3 processes)"
    )
    for fmt, seconds in warm_render(args.repeat).items():
        print(
            f"warm render, working zh-TW {fmt}: {seconds * 1000:7.1f} ms (median of {args.repeat})"
        )


if __name__ == "__main__":
    main()
