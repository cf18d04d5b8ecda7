"""Shared fixtures: the sample readout, its reviewed TMX and the built-in termbase."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.clean import clean
from briefgen.extract import extract
from briefgen.ingest import Source, read_source
from briefgen.model import Brief
from briefgen.pipeline import render_all, translate_brief
from briefgen.settings import Settings
from briefgen.translate.termbase import Termbase, builtin_termbase

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SEEDS / "eppd-6-2026-01-28.zh-TW.txt"


@pytest.fixture(scope="session")
def sample_tmx_path() -> Path:
    return SEEDS / "eppd-6-2026-01-28.tmx"


@pytest.fixture(scope="session")
def termbase() -> Termbase:
    return builtin_termbase()


@pytest.fixture(scope="session")
def sample_source(sample_path: Path) -> Source:
    return clean(read_source(sample_path))


@pytest.fixture()
def sample_brief(sample_source: Source, termbase: Termbase) -> Brief:
    return extract(sample_source, termbase)


@pytest.fixture(scope="session")
def translated_brief(sample_path: Path, sample_source: Source, termbase: Termbase) -> Brief:
    """The sample's brief with English filled in (termbase, glosses, the reviewed TMX)."""
    translated, _ = translate_brief(
        extract(sample_source, termbase), Settings(), sample_path, termbase
    )
    return translated


@pytest.fixture(scope="session")
def built(translated_brief: Brief) -> dict[str, bytes]:
    """Every built-in memo of the sample (both audiences, languages, formats), by name."""
    return {a.name: a.data for a in render_all(translated_brief, Settings())}


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Tests never read or write the developer's own translation memory."""
    if "BRIEFGEN_DATA_DIR" not in __import__("os").environ:
        monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (look at the diff before committing)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are being regenerated (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))
