"""Shared fixtures: the sample article, and one real build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.clean import clean
from briefgen.extract import extract
from briefgen.ingest import read_source
from briefgen.model import Brief
from briefgen.pipeline import Options, render_all, translate_brief
from briefgen.translate.termbase import builtin_termbase

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample readout shipped in seeds/."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_brief() -> Brief:
    """The sample's brief, extracted and translated (termbase, glosses, reviewed TMX)."""
    termbase = builtin_termbase()
    brief = extract(clean(read_source(SAMPLE)), termbase)
    translated, _ = translate_brief(brief, Options(), SAMPLE, termbase)
    return translated


@pytest.fixture(scope="session")
def built(sample_brief: Brief) -> dict[str, bytes]:
    """Every built-in memo of the sample (both audiences, languages and formats), by name."""
    return {a.name: a.data for a in render_all(sample_brief, Options())}
