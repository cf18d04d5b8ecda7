"""Score extraction against the corpus in tests/corpus and print a table.

    python bench/corpus.py [-v]

One row per case: items found/expected (expected titles extracted at the right place,
top-level and nested together; in brackets how many items were extracted in all), other
fields right/total, and the case's status; then the totals. With -v, every mismatch.
Measured, never asserted: the assertions are tests/test_corpus.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_harness import CaseResult, cases, score  # noqa: E402


def _status(result: CaseResult) -> str:
    if result.error:
        return "error"
    return "ok" if result.ok else f"{len(result.mismatches)} wrong"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    results = [score(path) for path in cases()]
    width = max(len("case"), *(len(r.name) for r in results))
    header = f"{'case':<{width}}  {'items':>11}  {'fields':>7}  status"
    print(header)
    print("-" * len(header))
    for r in results:
        items = f"{r.items_found}/{r.items_expected} ({r.items_extracted})"
        fields = f"{r.metadata_right}/{r.metadata_total}"
        print(f"{r.name:<{width}}  {items:>11}  {fields:>7}  {_status(r)}")
    print("-" * len(header))
    found = sum(r.items_found for r in results)
    expected = sum(r.items_expected for r in results)
    extracted = sum(r.items_extracted for r in results)
    right = sum(r.metadata_right for r in results)
    total = sum(r.metadata_total for r in results)
    passed = sum(r.ok for r in results)
    items = f"{found}/{expected} ({extracted})"
    fields = f"{right}/{total}"
    print(f"{'total':<{width}}  {items:>11}  {fields:>7}  {passed}/{len(results)} ok")
    if args.verbose:
        for r in results:
            if not r.ok:
                print()
                print(r.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
