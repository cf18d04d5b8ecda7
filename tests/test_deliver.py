"""Output naming, atomic writes and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.deliver import Artifact, atomic_write, deliver, output_dir, slug
from briefgen.errors import OutputError
from briefgen.model import Brief, parse_brief


def test_slug_and_directory(translated_brief: Brief) -> None:
    assert slug(translated_brief) == "eppd-6"
    assert output_dir(Path("out"), translated_brief) == Path("out/2026-01-28_eppd-6")


def test_slug_falls_back_to_source_name() -> None:
    brief = parse_brief({"source": {"path": "x/台北會談 Notes.zh-TW.txt"}})
    assert slug(brief) == "notes"
    assert output_dir(Path("o"), brief) == Path("o/undated_notes")
    assert slug(parse_brief({})) == "brief"


def test_slug_skips_an_untranslated_name_that_leaves_only_digits() -> None:
    brief = parse_brief(
        {
            "source": {"path": "13-udn-taiwan-paraguay-23rd.zh-TW.txt"},
            "event": {"name": {"zh-TW": "第23屆台巴經濟合作會議", "en": "第23屆台巴經濟合作會議"}},
        }
    )
    assert slug(brief) == "13-udn-taiwan-paraguay-23rd"


def test_deliver_writes_files_and_manifest(tmp_path: Path) -> None:
    paths = deliver(tmp_path / "d", [Artifact("a.pdf", b"%PDF", "memo", "working", "en", "pdf")])
    assert [p.name for p in paths] == ["a.pdf", "manifest.json"]
    manifest = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert manifest["files"][0]["bytes"] == 4 and manifest["files"][0]["format"] == "pdf"


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "memo.pdf"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.pdf"]


def test_unwritable_directory_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create output directory"):
        deliver(blocker / "sub", [Artifact("a", b"", "memo")])
