"""Batch builds (``briefgen build`` with several articles, ``briefgen.build_many``): worker
processes, failures isolated, the summary, up-to-date skips, directory and glob inputs,
output-folder clashes. Kept small: three short corpus readouts, one audience, DOCX."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import briefgen
from briefgen.batch import (
    _DIED,
    EXIT_SOME_FAILED,
    ArticleResult,
    BuildEvent,
    _Article,
    _Batch,
    _Outcome,
    build_many,
    expand_inputs,
)
from briefgen.cli import main
from briefgen.settings import Settings

CORPUS = Path(__file__).resolve().parent / "corpus"
GOOD = ("tw-de-prose.txt", "cn-nz-jec-5.txt", "tw-ca-digital-2.txt")
FOLDERS = ("2025-06-12_tw-de-prose", "2025-11-07_cn-nz-jec-5", "2026-02-10_ded-2")
NARROW = ("--audience", "leadership", "--format", "docx")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _copy_corpus(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copy(CORPUS / name, directory / name)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _row(out: str, name: str) -> list[str]:
    """The summary table's row of ``name``, split on runs of two spaces."""
    line = next(line for line in out.splitlines() if line.startswith(name + " "))
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One CLI batch, -j 2: three good readouts and two bad inputs (empty, binary)."""
    import contextlib
    import io

    workdir = tmp_path_factory.mktemp("batch")
    _copy_corpus(workdir / "in")
    (workdir / "in" / "empty.txt").write_bytes(b"")
    (workdir / "in" / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    inputs = [f"in/{name}" for name in (GOOD[0], "empty.txt", GOOD[1], "binary.txt", GOOD[2])]
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", *inputs, "-j", "2", *NARROW, "-o", "out"])
    finally:
        os.chdir(cwd)
    return {"dir": workdir, "code": code, "out": out.getvalue(), "err": err.getvalue()}


def test_a_bad_article_fails_alone_and_the_exit_code_says_so(batch: dict) -> None:
    assert batch["code"] == EXIT_SOME_FAILED == 9
    out = batch["out"]
    assert _row(out, "empty.txt")[:2] == ["empty.txt", "failed"]
    assert "the file is empty" in _row(out, "empty.txt")[-1]
    assert "binary" in _row(out, "binary.txt")[-1]
    assert out.splitlines()[-1].startswith("5 articles: 3 built, 0 up to date, 2 failed in ")
    assert "(set BRIEFGEN_DEBUG" not in out


def test_the_good_articles_are_built_with_a_row_each(batch: dict) -> None:
    header = batch["out"].splitlines()[0].split()
    assert header == ["article", "status", "items", "untranslated", "documents", "seconds", "error"]
    row = _row(batch["out"], "cn-nz-jec-5.txt")
    assert row[:5] == ["cn-nz-jec-5.txt", "built", "4", "25", "2"]
    for folder in FOLDERS:
        names = sorted(p.name for p in (batch["dir"] / "out" / folder).iterdir())
        slug = folder.split("_", 1)[1]
        assert names == sorted(
            [
                f"{slug}.leadership.zh-TW.docx",
                f"{slug}.leadership.en.docx",
                "brief.yaml",
                "manifest.json",
            ]
        )
    assert sorted(p.name for p in (batch["dir"] / "out").iterdir()) == sorted(FOLDERS)


def test_progress_is_a_line_per_stage_off_a_terminal(batch: dict) -> None:
    lines = [line for line in batch["err"].splitlines() if "tw-de-prose.txt" in line]
    # other lines may come between the stages (fonts prepared on a cold cache)
    messages = [line.split(": ", 1)[1] for line in lines]
    assert [m for m in messages if m in briefgen.batch.STAGES] == list(briefgen.batch.STAGES)
    assert lines[-1].startswith("[1/5] tw-de-prose.txt: built in ")
    assert "[2/5] empty.txt: failed: the file is empty" in batch["err"]


def test_the_manifest_records_the_input_settings_and_version(batch: dict) -> None:
    folder = batch["dir"] / "out" / FOLDERS[1]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert list(manifest) == ["version", "input", "settings", "files"]
    assert manifest["version"] == briefgen.__version__
    assert manifest["input"]["path"] == "in/cn-nz-jec-5.txt"
    assert manifest["input"]["sha256"] == _sha256(CORPUS / "cn-nz-jec-5.txt")
    assert manifest["settings"]["audiences"] == ["leadership"]
    assert manifest["settings"]["formats"] == ["docx"]
    assert "output" not in manifest["settings"] and "jobs" not in manifest["settings"]
    for entry in manifest["files"]:
        assert _sha256(folder / entry["name"]) == entry["sha256"]


def test_a_batch_builds_what_a_single_build_builds(
    batch: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The same bytes, manifest included, whether an article is built alone in-process or
    in a batch's worker process."""
    monkeypatch.chdir(batch["dir"])
    code, out, err = run(capsys, "build", "in/cn-nz-jec-5.txt", *NARROW, "-o", str(tmp_path))
    assert code == 0, err
    assert out.startswith(f"wrote {tmp_path}/2025-11-07_cn-nz-jec-5/")
    alone, batched = tmp_path / FOLDERS[1], batch["dir"] / "out" / FOLDERS[1]
    names = sorted(p.name for p in batched.iterdir())
    assert names == sorted(p.name for p in alone.iterdir())
    for name in names:
        assert (alone / name).read_bytes() == (batched / name).read_bytes(), name


def test_up_to_date_articles_are_skipped_the_others_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path / "in")
    args = ["build", "in", "-j", "2", *NARROW]
    assert run(capsys, *args)[0] == 0
    memo = tmp_path / "output" / FOLDERS[2] / "ded-2.leadership.en.docx"
    before = memo.stat().st_mtime_ns

    code, out, _err = run(capsys, *args)  # nothing to build: no worker process
    assert code == 0
    assert all(_row(out, name)[1] == "skipped" for name in GOOD)
    assert _row(out, GOOD[0])[2:] == ["2"]  # documents; no items, seconds or error
    assert out.splitlines()[-1].startswith("3 articles: 0 built, 3 up to date, 0 failed")
    assert memo.stat().st_mtime_ns == before

    # A changed article and a damaged output are built again; the third is skipped.
    changed = tmp_path / "in" / GOOD[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (tmp_path / "output" / FOLDERS[0] / "brief.yaml").write_text("edited")
    code, out, _err = run(capsys, *args)
    assert code == 0
    assert [_row(out, name)[1] for name in GOOD] == ["built", "built", "skipped"]
    assert memo.stat().st_mtime_ns == before
    manifest = json.loads((tmp_path / "output" / FOLDERS[1] / "manifest.json").read_text())
    assert manifest["input"]["sha256"] == _sha256(changed)


def test_what_makes_an_output_out_of_date(tmp_path: Path, monkeypatch, capsys) -> None:
    """Other settings, a reviewed memory beside the article, a changed termbase or
    template, another briefgen version: each makes the output out of date."""
    from briefgen.batch import build_record, up_to_date

    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path)
    (tmp_path / "terms.tsv").write_text("zh\ten\ttype\n江文若\tChiang Wen-jo\tperson\n")
    args = ["build", GOOD[2], *NARROW, "--termbase", "terms.tsv", "-q"]
    assert run(capsys, *args) == (0, "", "")
    settings = Settings(
        audiences=("leadership",), formats=("docx",), termbases=(Path("terms.tsv"),)
    )
    source = Path(GOOD[2])
    found = up_to_date(build_record(source, settings), Path("output"))
    assert found == (Path("output") / FOLDERS[2], 2)
    record = build_record(source, settings)
    assert record is not None and "user memory" in record["input"]["resources"]
    assert up_to_date(build_record(source, settings.replace(langs=("en",))), Path("output")) is None
    assert up_to_date({**record, "version": "0.0.1"}, Path("output")) is None
    (tmp_path / "terms.tsv").write_text("zh\ten\ttype\n江文若\tWen-jo Chiang\tperson\n")
    assert up_to_date(build_record(source, settings), Path("output")) is None
    (tmp_path / "terms.tsv").write_text("zh\ten\ttype\n江文若\tChiang Wen-jo\tperson\n")
    shutil.copy(CORPUS.parent.parent / "seeds" / "eppd-6-2026-01-28.tmx", "tw-ca-digital-2.tmx")
    assert up_to_date(build_record(source, settings), Path("output")) is None
    Path("tw-ca-digital-2.tmx").unlink()
    assert up_to_date(build_record(source, settings), Path("output")) == found
    (tmp_path / "tpl").mkdir()
    templated = settings.replace(template_dirs=(Path("tpl"),))
    (tmp_path / "tpl" / "styles.yaml").write_text("{}")
    assert build_record(source, templated)["input"]["resources"]["tpl/styles.yaml"] is not None


def test_a_single_article_up_to_date_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path)
    args = ["build", GOOD[2], *NARROW]
    assert run(capsys, *args)[0] == 0
    code, out, err = run(capsys, *args)
    message = f"output/{FOLDERS[2]} is up to date (--force builds it again)\n"
    assert (code, out, err) == (0, message, "")
    code, out, _ = run(capsys, *args, "--force")
    assert code == 0 and out.startswith("wrote ")
    assert run(capsys, *args, "-q") == (0, "", "")


def test_directories_expand_to_their_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _copy_corpus(corpus)
    (corpus / "tw-de-prose.expected.yaml").write_text("a: 1")
    (corpus / "tw-de-prose.tmx").write_text("<tmx/>")
    (corpus / "README.md").write_text("# about these")
    (corpus / ".hidden.txt").write_text("x")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "x.txt").write_text("x")
    (corpus / "more").mkdir()
    (corpus / "more" / "page.html").write_text("<p>x</p>")
    (corpus / "more" / "notes.docx").write_bytes(b"PK")
    (corpus / "out" / "2026-01-01_x").mkdir(parents=True)  # a briefgen output folder
    (corpus / "out" / "2026-01-01_x" / "manifest.json").write_text("{}")
    (corpus / "out" / "2026-01-01_x" / "x.leadership.en.html").write_text("<p>x</p>")
    found = expand_inputs([corpus])
    assert [p.relative_to(corpus).as_posix() for p in found] == [
        "cn-nz-jec-5.txt",
        "more/notes.docx",
        "more/page.html",
        "tw-ca-digital-2.txt",
        "tw-de-prose.txt",
    ]
    # A file named twice (directly and through its directory) is built once.
    assert expand_inputs([corpus / "tw-de-prose.txt", corpus]) == [corpus / "tw-de-prose.txt"] + [
        p for p in found if p.name != "tw-de-prose.txt"
    ]


def test_globs_the_shell_left_are_expanded(tmp_path: Path) -> None:
    _copy_corpus(tmp_path)
    pattern = str(tmp_path / "tw-*.txt")
    expected = [tmp_path / "tw-ca-digital-2.txt", tmp_path / "tw-de-prose.txt"]
    assert expand_inputs([pattern]) == expected
    assert expand_inputs([str(tmp_path / "zz-*.txt")]) == [tmp_path / "zz-*.txt"]  # no match


def test_a_glob_and_a_directory_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path / "corpus")
    code, out, err = run(capsys, "build", "corpus/tw-*.txt", "-j", "2", *NARROW, "-q")
    assert (code, out, err) == (0, "", "")
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [FOLDERS[0], FOLDERS[2]]
    code, out, err = run(capsys, "build", "corpus", "-j", "1", *NARROW)
    assert code == 0, err
    rows = {name: _row(out, name)[1] for name in GOOD}
    assert rows == {GOOD[0]: "skipped", GOOD[1]: "built", GOOD[2]: "skipped"}


def test_two_articles_for_one_output_folder_are_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path)
    shutil.copy(GOOD[2], "copy.txt")  # same meeting, date and slug: the same folder
    code, _out, err = run(capsys, "build", GOOD[2], GOOD[0], "copy.txt", *NARROW, "-q")
    assert code == 2
    assert err == (
        f"briefgen: error: {GOOD[2]} and copy.txt would both be written to "
        f"output/{FOLDERS[2]} (same date and meeting); build them into different --output "
        "folders; nothing was written\n"
    )
    assert not (tmp_path / "output").exists()


def test_build_many_returns_a_result_per_article_and_reports_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy_corpus(tmp_path)
    (tmp_path / "bad.txt").write_text("標題\n\n廣告", encoding="utf-8")
    events: list[BuildEvent] = []
    settings = Settings(audiences=("leadership",), formats=("docx",), langs=("en",))
    results = briefgen.build_many(
        [GOOD[1], "bad.txt", "missing.txt"], settings, jobs=2, on_event=events.append
    )
    assert [r.path for r in results] == [Path(GOOD[1]), Path("bad.txt"), Path("missing.txt")]
    good, bad, missing = results
    assert isinstance(good, ArticleResult)
    assert (good.status, good.output, good.items, good.documents) == (
        "built",
        Path("output") / FOLDERS[1],
        4,
        1,
    )
    assert good.seconds > 0 and good.error is None and good.exit_code == 0
    assert f"warning: {good.untranslated} passage(s) have no en translation" in good.warnings[0]
    assert (bad.status, bad.exit_code, bad.output) == ("failed", 2, None)
    assert bad.error == "bad.txt: found no sentences to brief; is this a meeting readout?"
    assert (missing.status, missing.exit_code, missing.error) == (
        "failed",
        2,
        "missing.txt: no such file",
    )
    stages = [e.stage for e in events if e.index == 0]
    assert stages == ["queued", "read", "translate", "prepared", "render", "write", "done"]
    assert [e.stage for e in events if e.index == 1][-1] == "done"
    assert {e.total for e in events} == {3}
    again = build_many([GOOD[1]], settings)
    assert again[0].status == "skipped" and again[0].output == Path("output") / FOLDERS[1]


def _die_on_second(index: int, _path: str) -> _Outcome:
    """A task whose worker process dies for article 1 (run in a spawned worker)."""
    if index == 1:
        os._exit(3)
    return _Outcome(index)


def test_a_worker_process_that_dies_fails_only_its_article() -> None:
    articles = [_Article(i, Path(f"a{i}.txt")) for i in range(3)]
    batch = _Batch(articles, Settings(), 2, lambda _event: None)
    values: dict[int, object] = {}
    with batch.running():
        batch.run(
            articles,
            _die_on_second,
            lambda a: (str(a.path),),
            lambda a, outcome: values.__setitem__(a.index, outcome.value),
        )
    assert values == {0: 0, 2: 2}
    result = articles[1].result
    assert result is not None and (result.status, result.error) == ("failed", _DIED)
