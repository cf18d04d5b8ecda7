"""Build every readout of the real corpus with the CLI, as a user would, and report.

    python bench/corpus_build.py [--formats docx,pdf] [--jobs 2]

Runs ``briefgen build FILE -o <temporary dir> -q`` for each text of tests/corpus/real
(every audience, both languages) and prints one row per text: exit code, seconds, files
written and the first line of any error. Measured, never asserted; a text that does not
build is a bug.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "corpus" / "real"


def build(path: Path, formats: str) -> tuple[str, int, float, int, str]:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        command = [sys.executable, "-m", "briefgen", "build", str(path), "-o", out, "-q"]
        done = subprocess.run(
            [*command, "--format", formats], capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        files = sum(1 for f in Path(out).rglob("*") if f.is_file())
    error = (done.stderr.strip().splitlines() or [""])[0]
    return path.name, done.returncode, seconds, files, error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="docx,pdf", help="formats to build (default docx,pdf)")
    parser.add_argument("--jobs", type=int, default=2, help="builds at once (default 2)")
    args = parser.parse_args()
    texts = sorted(REAL.glob("*.txt"))
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda p: build(p, args.formats), texts))
    width = max(len(name) for name, *_ in rows)
    print(f"{'text':<{width}}  exit  seconds  files  error")
    for name, code, seconds, files, error in rows:
        print(f"{name:<{width}}  {code:>4}  {seconds:7.1f}  {files:>5}  {error}")
    failed = sum(code != 0 for _, code, *_ in rows)
    print(f"{len(rows)} texts, {len(rows) - failed} built, {failed} failed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
