"""Fuzz ingest -> clean -> extract with mutated readouts, and a sample through the CLI.

    python bench/fuzz.py [--cases 10000] [--cli 20] [--seed 12] [--save DIR]

Each case mutates the sample or a real readout (tests/corpus/real) with one to four of the
mutations in tests/fuzzing/mutations.py, encodes it (mostly UTF-8) and runs it in this
process through ``ingest_bytes`` -> ``clean`` -> ``extract``. A refusal (``InputError``) is
a right answer; any other exception is a crash — what the CLI reports as exit 1. With
``--cli N``, N more mutated articles go through ``briefgen build --format docx,pdf`` into
a temporary directory (exit 1 is a crash; 0 and the documented 2–7 are not). Prints the
counts, the crashes by exception and place (with ``--save``, each crashing input is
written there) and the slowest cases. Measured, never asserted: this is not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing.mutations import encode, mutate, seeds  # noqa: E402

from briefgen.clean import clean  # noqa: E402
from briefgen.errors import InputError  # noqa: E402
from briefgen.extract import extract  # noqa: E402
from briefgen.ingest import ingest_bytes  # noqa: E402
from briefgen.translate.termbase import builtin_termbase  # noqa: E402


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Slow


def _where(exc: BaseException) -> str:
    """The innermost briefgen frame of the traceback: file and line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "briefgen" in f.filename]
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


def run_in_process(args: argparse.Namespace) -> tuple[int, collections.Counter[str]]:
    termbase = builtin_termbase()
    corpus = seeds()
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    slowest: list[tuple[float, int, str]] = []
    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    for case in range(args.cases):
        rng = random.Random(f"{args.seed}:{case}")
        name, text = rng.choice(corpus)
        _, other = rng.choice(corpus)
        mutated, names = mutate(rng, text, other)
        data, encoding = encode(rng, mutated)
        label = f"{name} {'+'.join(names)} {encoding}"
        start = time.perf_counter()
        signal.alarm(args.timeout)
        try:
            extract(clean(ingest_bytes(data, name=f"case-{case}.txt")), termbase)
            outcomes["brief"] += 1
        except InputError:
            outcomes["refused"] += 1
        except _Slow:
            outcomes["slow"] += 1
            crashes[f"over {args.timeout} s"] += 1
            _save(args, case, data, label, "slow")
        except Exception as exc:  # every other exception is a crash
            outcomes["crash"] += 1
            key = f"{type(exc).__name__} at {_where(exc)}"
            crashes[key] += 1
            if crashes[key] == 1:
                print(f"crash {case}: {key}: {str(exc)[:120]!r} ({label})", flush=True)
            _save(args, case, data, label, key)
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - start
        slowest = sorted([*slowest, (seconds, case, f"{len(data)} bytes, {label}")])[-5:]
        if args.progress and (case + 1) % args.progress == 0:
            elapsed = time.perf_counter() - started
            print(f"{case + 1} cases, {elapsed:.0f} s, {dict(outcomes)}", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\nin process: {args.cases} cases in {elapsed:.0f} s: {dict(outcomes)}")
    for key, count in crashes.most_common():
        print(f"  {count:>5}  {key}")
    print("slowest:")
    for seconds, case, label in reversed(slowest):
        print(f"  {seconds:6.2f} s  case {case}: {label}")
    return outcomes["crash"] + outcomes["slow"], crashes


def _save(args: argparse.Namespace, case: int, data: bytes, label: str, key: str) -> None:
    if args.save:
        folder = Path(args.save)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"case-{case}.txt").write_bytes(data)
        (folder / f"case-{case}.why").write_text(f"{key}\n{label}\n", encoding="utf-8")


def run_cli(args: argparse.Namespace) -> int:
    """Mutated articles through ``briefgen build --format docx,pdf``: the exit-1 count."""
    corpus = seeds()
    codes: collections.Counter[int] = collections.Counter()
    env = dict(os.environ, BRIEFGEN_DEBUG="1")
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(args.cli):
            rng = random.Random(f"{args.seed}:cli:{case}")
            name, text = rng.choice(corpus[:1] if case % 2 == 0 else corpus)
            mutated, names = mutate(rng, text)
            article = Path(tmp) / f"cli-{case}.txt"
            article.write_bytes(mutated.encode("utf-8", "surrogatepass"))
            out = Path(tmp) / f"out-{case}"
            cmd = [sys.executable, "-m", "briefgen", "build", str(article), "-o", str(out)]
            cmd += ["--format", "docx,pdf", "-q"]
            try:
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                code = -1
                proc = None
            codes[code] += 1
            if code in (1, -1):
                tail = (proc.stderr.strip().splitlines() or ["?"])[-1] if proc else "timed out"
                print(f"cli crash {case}: exit {code}: {tail[:160]} ({name} {'+'.join(names)})")
                _save(args, 100000 + case, article.read_bytes(), name, f"cli exit {code}")
    print(f"\nCLI: {args.cli} builds, exit codes {dict(sorted(codes.items()))}")
    return codes[1] + codes[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000, help="in-process cases")
    parser.add_argument("--cli", type=int, default=0, help="builds through the CLI")
    parser.add_argument("--seed", default="12")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a case is slow")
    parser.add_argument("--save", help="write each crashing input to this directory")
    parser.add_argument("--progress", type=int, default=1000, help="report every N cases")
    args = parser.parse_args()
    crashes, _ = run_in_process(args) if args.cases else (0, None)
    cli_crashes = run_cli(args) if args.cli else 0
    print(f"\ncrashes: {crashes} of {args.cases} in process, {cli_crashes} of {args.cli} CLI")
    sys.exit(1 if crashes or cli_crashes else 0)


if __name__ == "__main__":
    main()
