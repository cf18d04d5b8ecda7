"""The extraction corpus (tests/corpus): one test per readout, every expected field.

The expectations are what a careful analyst extracts; see tests/corpus/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_harness import case_name, cases, score

CASES = cases()


def test_corpus_has_cases() -> None:
    assert len(CASES) >= 11


@pytest.mark.parametrize("expected_path", CASES, ids=[case_name(p) for p in CASES])
def test_corpus_case(expected_path: Path) -> None:
    result = score(expected_path)
    assert result.fields, f"{result.name}: the expected file lists no fields"
    if not result.ok:
        pytest.fail("extraction differs from the expected brief:\n" + result.report(), False)
