"""Score extraction against both corpora and print tables.

    python bench/corpus.py [--ours | --real] [-v]

Our corpus (tests/corpus, readouts written for it): one row per case, items found/expected
(expected titles extracted at the right place, top-level and nested together; in brackets
how many items were extracted in all), other fields right/total, and the case's status.

The real corpus (tests/corpus/real, public readouts as found, hand-labelled): one row per
article with every labelled field — items (exact title list; "-" when the article has no
agenda and none was extracted), published and meeting dates, round, location, event,
participants (right/extracted and found/labelled, name and title both right) and documents
(right/extracted, found/labelled) — then the totals per language and over all, beside
the targets of issue 10. With -v, what was wrong in each article.

Measured, never asserted: the assertions are tests/test_corpus.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_harness import (  # noqa: E402
    CaseResult,
    RealResult,
    RealSummary,
    cases,
    real_articles,
    score,
    score_real,
    summarize,
)


def _status(result: CaseResult) -> str:
    if result.error:
        return "error"
    return "ok" if result.ok else f"{len(result.mismatches)} wrong"


def print_ours(verbose: bool) -> None:
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
    if verbose:
        for r in results:
            if not r.ok:
                print()
                print(r.report())


def _mark(ok: bool, labelled: bool = True) -> str:
    if not labelled:
        return "-" if ok else "x*"
    return "ok" if ok else "x"


def _row(r: RealResult) -> str:
    if r.error:
        return f"{r.id[:44]:<44} {r.lang:<5}  ERROR {r.error}"
    items = _mark(r.items_ok, r.items_enumerated)
    return (
        f"{r.id[:44]:<44} {r.lang:<5} {items:>5} {_mark(r.published_ok, r.published_labelled):>4}"
        f" {_mark(r.meeting_ok, r.meeting_labelled):>4} {_mark(r.round_ok):>5}"
        f" {_mark(r.location_ok):>4} {_mark(r.event_ok):>5}"
        f" {r.people_right:>2}/{r.people_got:<2} {r.people_found:>2}/{r.people_expected:<2}"
        f" {r.docs_right:>2}/{r.docs_got:<2} {r.docs_found:>2}/{r.docs_expected:<2}"
    )


def _pct(value: float) -> str:
    return f"{100 * value:5.1f} %"


def _frac(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total}" + (f" ({100 * right / total:.0f} %)" if total else "")


def _summary_rows(name: str, s: RealSummary) -> list[str]:
    return [
        f"{name}: {s.articles} articles, {s.errors} errors",
        f"  participants   precision {_pct(s.people_precision)}  recall {_pct(s.people_recall)}"
        f"  (by name only {_pct(s.people_name_recall)})",
        f"  published      {_frac(s.published)}     meeting date  {_frac(s.meeting)}",
        f"  items exact    {_frac(s.items_enumerated)} enumerated; "
        f"none where none: {_frac(s.items_none)}",
        f"  round          {_frac(s.round)}     location  {_frac(s.location)}"
        f"     event  {_frac(s.event)}",
        f"  documents      precision {_pct(s.docs_precision)}  recall {_pct(s.docs_recall)}",
    ]


#: The targets of issue 10, as ``(label, value, floor)``.
def targets(s: RealSummary) -> list[tuple[str, float, float]]:
    def share(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0

    return [
        ("participants precision", s.people_precision, 0.90),
        ("participants recall", s.people_recall, 0.85),
        ("published date", share(s.published), 0.95),
        ("meeting date", share(s.meeting), 0.90),
        ("items exact (enumerated)", share(s.items_enumerated), 0.90),
        ("no items (not enumerated)", share(s.items_none), 0.90),
        ("documents precision", s.docs_precision, 0.85),
        ("documents recall", s.docs_recall, 0.85),
        ("no errors", 1.0 if s.errors == 0 else 0.0, 1.0),
    ]


def print_real(verbose: bool) -> None:
    results = [score_real(a) for a in real_articles()]
    header = (
        f"{'article':<44} {'lang':<5} {'items':>5} {'pub':>4} {'meet':>4} {'round':>5}"
        f" {'loc':>4} {'event':>5} {'people':>5} {'found':>5} {'docs':>5} {'found':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(_row(r))
    print("-" * len(header))
    print("ok right; x wrong; - nothing labelled and nothing extracted; x* extracted where the")
    print("label is null. people/docs: right/extracted  found/labelled (name and title right).")
    print()
    for lang in sorted({r.lang for r in results}):
        for line in _summary_rows(lang, summarize([r for r in results if r.lang == lang])):
            print(line)
    for labels in sorted({r.label["labels"] for r in results}):
        chosen = [r for r in results if r.label["labels"] == labels]
        for line in _summary_rows(labels, summarize(chosen)):
            print(line)
    total = summarize(results)
    for line in _summary_rows("all", total):
        print(line)
    print()
    print(f"{'target':<28} {'reached':>8} {'target':>8}")
    for name, value, floor in targets(total):
        verdict = "met" if value >= floor else "NOT met"
        print(f"{name:<28} {_pct(value):>8} {_pct(floor):>8}  {verdict}")
    if verbose:
        for r in results:
            _explain(r)


def _explain(r: RealResult) -> None:
    lines = []
    if r.error:
        lines.append(f"  error: {r.error}")
    else:
        if not r.items_ok:
            lines.append(f"  items: labelled {r.items_expected}, got {r.items_got}")
        if not r.published_ok:
            lines.append(f"  published: labelled {r.label.get('published')}, got {r.published_got}")
        if not r.meeting_ok:
            lines.append(f"  meeting: labelled {r.label.get('meeting_date')}, got {r.meeting_got}")
        if not r.round_ok:
            lines.append(f"  round: labelled {r.label.get('round')}, got {r.round_got}")
        if not r.location_ok:
            lines.append(f"  location: labelled {r.label.get('location')}, got {r.location_got}")
        if not r.event_ok:
            lines.append(f"  event: labelled {r.label.get('event')}, got {r.event_got}")
        lines += [f"  not a participant: {p}" for p in r.people_wrong]
        lines += [f"  participant missed: {p}" for p in r.people_missed]
        lines += [f"  not a document: {d}" for d in r.docs_wrong]
        lines += [f"  document missed: {d}" for d in r.docs_missed]
    if lines:
        print(f"\n{r.id}:")
        print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--ours", action="store_true", help="only the corpus we wrote")
    which.add_argument("--real", action="store_true", help="only the real corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    if not args.real:
        print_ours(args.verbose)
    if not args.ours:
        if not args.real:
            print()
        print_real(args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
