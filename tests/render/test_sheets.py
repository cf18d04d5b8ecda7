"""render.sheets: a memo's style sheet, layered from the built-in files and the user's."""

from __future__ import annotations

from pathlib import Path

from briefgen.render.sheets import memo_stylesheet
from briefgen.settings import Settings
from briefgen.styles import StyleSheetFiles


def test_a_user_layer_changes_only_what_it_sets(tmp_path: Path) -> None:
    (tmp_path / "styles.yaml").write_text(
        'styles:\n  title: {color: "#123456"}\n', encoding="utf-8"
    )
    sheet = memo_stylesheet(Settings(template_dirs=(tmp_path,)), "en", "leadership")
    styles = sheet.data["styles"]
    assert styles["title"]["color"] == "#123456"
    # leadership.styles.yaml's denser body stays: a later layer is not the built-in sheet
    # again with its own keys over it
    assert styles["body"]["size"] == 10 and styles["body"]["leading"] == 1.38
    assert styles["body"]["font"] == "serif"  # and the built-in sheet's other keys stay


def test_one_build_reads_each_file_once(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "styles.yaml").write_text("styles:\n  body: {size: 11}\n", encoding="utf-8")
    files = StyleSheetFiles()
    reads: list[Path] = []
    original = files.layer

    def counting(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path)
        return original(path)

    settings = Settings(template_dirs=(tmp_path,))
    first = memo_stylesheet(settings, "en", "working", files)
    second = memo_stylesheet(settings, "zh-TW", "working", files)
    assert first.data["styles"]["body"]["size"] == 11
    assert second.lang == "zh-TW"
    assert files.layer(tmp_path / "styles.yaml") is files.layer(tmp_path / "styles.yaml")
    monkeypatch.setattr(files, "layer", counting)
    memo_stylesheet(settings, "en", "working", files)
    assert reads  # asked, but answered from what was read
    (tmp_path / "styles.yaml").write_text("styles:\n  body: {size: 12.5}\n", encoding="utf-8")
    changed = memo_stylesheet(settings, "en", "working", StyleSheetFiles())
    assert changed.data["styles"]["body"]["size"] == 12.5


def test_sheets_do_not_leak_into_each_other(tmp_path: Path) -> None:
    files = StyleSheetFiles()
    reference = tmp_path / "ref.docx"
    reference.write_bytes(b"PK")
    with_reference = memo_stylesheet(Settings(reference_docx=reference), "en", "press", files)
    plain = memo_stylesheet(Settings(), "en", "press", files)
    assert with_reference.data["page"]["docx_reference"] == str(reference)
    assert "docx_reference" not in plain.data["page"]
    assert "docx_reference" not in files.builtin().get("page", {})
