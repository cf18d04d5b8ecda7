"""Fixtures of the e-mail tests: a real build of the sample in an output directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.deliver import deliver
from briefgen.model import Brief
from briefgen.pipeline import render_all
from briefgen.settings import Settings


@pytest.fixture(scope="module")
def outdir(translated_brief: Brief, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of the sample: every memo as DOCX and PDF, brief.yaml, manifest."""
    directory = tmp_path_factory.mktemp("mail") / "2026-01-28_eppd-6"
    deliver(directory, render_all(translated_brief, Settings(formats=("docx", "pdf"))))
    return directory


@pytest.fixture
def workdir(outdir: Path, tmp_path: Path) -> Path:
    """A private copy of the output directory (tests that write into it)."""
    target = tmp_path / outdir.name
    shutil.copytree(outdir, target)
    return target
