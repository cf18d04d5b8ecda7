"""`briefgen translate` (XLIFF review) and `briefgen tm` (the user translation memory),
run in-process through ``briefgen.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from briefgen.cli import cli, main
from briefgen.cli_translate import tm_group, translate_command
from briefgen.model import Brief, Via, dump_brief, load_brief
from briefgen.translate.memory import read_tmx
from briefgen.translate.review import NS20
from briefgen.translate.store import load_user_memory

X20 = {"x": NS20}
TITLE = "items.0.title"


@pytest.fixture(autouse=True)
def commands() -> None:
    """Register the commands (briefgen.cli adds them itself once hooked up)."""
    if "tm" not in cli.commands:
        cli.add_command(tm_group)
    if "translate" not in cli.commands:
        cli.add_command(translate_command)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def brief_file(workdir: Path, translated_brief: Brief) -> Path:
    path = workdir / "brief.yaml"
    path.write_text(dump_brief(translated_brief), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _set_target(path: Path, unit_id: str, text: str) -> None:
    tree = etree.parse(str(path))
    (target,) = tree.xpath("//x:unit[@id=$id]//x:target", namespaces=X20, id=unit_id)
    target.text = text
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _export(capsys, *extra: str) -> Path:
    code, out, err = run(capsys, "translate", "brief.yaml", "--export", "review.xlf", *extra)
    assert code == 0, err
    assert out == "wrote review.xlf (90 units to review)\n"
    return Path("review.xlf").resolve()


def test_export_edit_import(workdir: Path, brief_file: Path, capsys) -> None:
    review = _export(capsys)
    _set_target(review, TITLE, "AI supply-chain security")
    _set_target(review, "source.author", "Yen Yi-hsuan")
    code, out, err = run(capsys, "translate", "brief.yaml", "--import", "review.xlf")
    assert code == 0, err
    store = workdir / "data" / "memory.sqlite3"
    assert out.splitlines() == [
        "updated 2 texts in brief.yaml from review.xlf",
        f"added 2 units to {store}",
    ]
    brief = load_brief(brief_file)
    title = brief.items[0].title
    assert (title.get("en"), title.how("en"), title.ref["en"]) == (
        "AI supply-chain security",
        Via.HUMAN,
        "review:review.xlf",
    )
    memory = load_user_memory()
    assert memory.origin == str(store)
    assert memory.lookup("確保AI供應鏈的安全", "zh-TW", "en") == "AI supply-chain security"
    assert memory.lookup("顏一軒", "zh-TW", "en") == "Yen Yi-hsuan"
    assert not list(workdir.glob(".*.tmp"))
    # importing the same file again changes nothing
    before = brief_file.read_bytes()
    code, out, _ = run(capsys, "translate", "brief.yaml", "--import", "review.xlf")
    assert code == 0 and "no translation changed" in out
    assert brief_file.read_bytes() == before
    memory.close()


def test_import_to_another_file_without_tm(workdir: Path, brief_file: Path, capsys) -> None:
    review = _export(capsys)
    _set_target(review, TITLE, "AI supply-chain security")
    before = brief_file.read_bytes()
    code, out, err = run(
        capsys, "translate", "brief.yaml", "--import", "review.xlf", "-o", "out.json", "--no-tm"
    )
    assert code == 0, err
    assert out == "updated 1 texts in out.json from review.xlf\n"
    assert brief_file.read_bytes() == before
    data = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
    assert data["items"][0]["title"]["en"] == "AI supply-chain security"
    assert load_brief(workdir / "out.json").items[0].title.how("en") == Via.HUMAN
    assert not (workdir / "data").exists()


def test_xliff12_export_and_import(workdir: Path, brief_file: Path, capsys) -> None:
    review = _export(capsys, "--xliff-version", "1.2", "--lang", "en")
    assert b'version="1.2"' in review.read_bytes()
    text = review.read_text(encoding="utf-8").replace(
        ">Securing the AI supply chain<", ">Securing AI supply chains<"
    )
    review.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "translate", "brief.yaml", "--import", "review.xlf")
    assert code == 0, err
    assert load_brief(brief_file).items[0].title.get("en") == "Securing AI supply chains"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: p.write_text("not xml at all", encoding="utf-8"), "not valid XML"),
        (lambda p: p.write_text("<html/>", encoding="utf-8"), "not an XLIFF file"),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('version="2.0"', 'version="3.0"'),
                encoding="utf-8",
            ),
            "XLIFF version 3.0",
        ),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('id="items.0.title"', 'id="items.42"'),
                encoding="utf-8",
            ),
            "unknown unit id 'items.42'",
        ),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace("<source>確保AI供應鏈的安全<", "<source>改<"),
                encoding="utf-8",
            ),
            "source text no longer matches",
        ),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('trgLang="en"', 'trgLang="de"'),
                encoding="utf-8",
            ),
            "target language is de",
        ),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('srcLang="zh-TW"', 'srcLang="en"'),
                encoding="utf-8",
            ),
            "source language is en",
        ),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace("sha256:", "sha256:0"),
                encoding="utf-8",
            ),
            "fingerprint mismatch",
        ),
        (lambda p: p.unlink(), "no such file"),
    ],
)
def test_bad_review_leaves_everything_as_it_was(
    workdir: Path, brief_file: Path, capsys, spoil, message: str
) -> None:
    review = _export(capsys)
    _set_target(review, TITLE, "Edited")
    spoil(review)
    before = brief_file.read_bytes()
    code, out, err = run(capsys, "translate", "brief.yaml", "--import", "review.xlf")
    assert code == 2
    assert err.startswith("briefgen: error: ") and message in err and err.count("\n") == 1, err
    assert out == ""
    assert brief_file.read_bytes() == before
    assert not (workdir / "data").exists()
    assert not list(workdir.glob(".*.tmp"))


def test_brief_changed_since_export_is_refused(
    workdir: Path, brief_file: Path, translated_brief: Brief, capsys
) -> None:
    review = _export(capsys)
    _set_target(review, TITLE, "Edited")
    changed = translated_brief.model_copy(deep=True)
    changed.summary[0].text.text["zh-TW"] += "（更正）"
    brief_file.write_text(dump_brief(changed), encoding="utf-8")
    before = brief_file.read_bytes()
    code, _, err = run(capsys, "translate", "brief.yaml", "--import", "review.xlf")
    assert code == 2 and "fingerprint mismatch" in err
    assert brief_file.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --export FILE or --import FILE"),
        (["--export", "a.xlf", "--import", "b.xlf"], "give either --export FILE or --import FILE"),
        (["--export", "a.xlf", "--lang", "fr"], "--lang: unknown language 'fr'"),
        (["--export", "a.xlf", "--lang", "zh-TW"], "zh-TW is the brief's source language"),
        (["--export", "a.xlf", "-o", "x.yaml"], "-o and --no-tm go with --import"),
        (["--import", "a.xlf", "--lang", "en"], "--lang goes with --export"),
    ],
)
def test_option_errors(workdir: Path, brief_file: Path, capsys, args, message: str) -> None:
    code, _, err = run(capsys, "translate", "brief.yaml", *args)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (workdir / "a.xlf").exists()


def test_missing_or_invalid_brief(workdir: Path, capsys) -> None:
    code, _, err = run(capsys, "translate", "nope.yaml", "--export", "r.xlf")
    assert code == 2 and "nope.yaml: no such file" in err
    (workdir / "bad.yaml").write_text("event:\n  round: -3\n", encoding="utf-8")
    code, _, err = run(capsys, "translate", "bad.yaml", "--export", "r.xlf")
    assert code == 2 and "event.round" in err and err.count("\n") == 1


def test_nothing_to_review(workdir: Path, capsys) -> None:
    (workdir / "b.yaml").write_text(
        "items:\n- number: 1\n  title: {zh-TW: 雙邊經濟合作, en: Bilateral cooperation}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "translate", "b.yaml", "--export", "r.xlf")
    assert code == 0 and out == ""
    assert err == "nothing to review: every en text was written by a person\n"
    assert not (workdir / "r.xlf").exists()


def test_tm_import_and_export(workdir: Path, sample_tmx_path: Path, capsys) -> None:
    store = workdir / "data" / "memory.sqlite3"
    code, out, err = run(capsys, "tm", "import", str(sample_tmx_path))
    assert code == 0, err
    assert out == f"imported 33 units into {store}\n"
    code, out, err = run(capsys, "tm", "export")
    assert code == 0 and err == "exported 33 units\n"
    root = etree.fromstring(out.encode("utf-8"))
    assert root.tag == "tmx" and len(root.findall("body/tu")) == 33
    assert "確保AI供應鏈的安全" in out
    stdout = out.encode("utf-8")
    code, out, err = run(capsys, "tm", "export", "-o", "mine.tmx")
    assert code == 0 and out == "" and err == "exported 33 units to mine.tmx\n"
    assert list(read_tmx(workdir / "mine.tmx")) == list(read_tmx(sample_tmx_path))
    assert (workdir / "mine.tmx").read_bytes() == stdout
    code, out, err = run(capsys, "tm", "export", "again.tmx")  # FILE as an argument
    assert code == 0 and out == "" and err == "exported 33 units to again.tmx\n"
    assert (workdir / "again.tmx").read_bytes() == stdout  # byte-stable
    code, _, err = run(capsys, "tm", "export", "a.tmx", "-o", "b.tmx")
    assert code == 2 and err == "briefgen: error: give the TMX file once: FILE or -o FILE\n"


def test_tm_export_of_nothing(workdir: Path, capsys) -> None:
    code, out, err = run(capsys, "tm", "export")
    assert code == 0 and err == "exported 0 units\n"
    assert etree.fromstring(out.encode("utf-8")).tag == "tmx"
    assert not (workdir / "data").exists()


def test_tm_import_errors(workdir: Path, sample_tmx_path: Path, capsys) -> None:
    run(capsys, "tm", "import", str(sample_tmx_path))
    run(capsys, "tm", "export", "before.tmx")
    (workdir / "bad.tmx").write_text("<html/>", encoding="utf-8")
    code, _, err = run(capsys, "tm", "import", "bad.tmx")
    assert (
        code == 2 and err == "briefgen: error: bad.tmx: not a TMX file (root element is <html>)\n"
    )
    code, _, err = run(capsys, "tm", "import", "missing.tmx")
    assert code == 2 and err == "briefgen: error: missing.tmx: no such file\n"
    run(capsys, "tm", "export", "after.tmx")
    assert (workdir / "after.tmx").read_bytes() == (workdir / "before.tmx").read_bytes()


def test_tm_info_and_migration(workdir: Path, sample_tmx_path: Path, capsys) -> None:
    data = workdir / "data"
    code, out, _ = run(capsys, "tm", "info")
    assert code == 0 and out == f"path: {data / 'memory.sqlite3'}\nunits: 0\n"
    data.mkdir()
    old = data / "memory.tmx"
    old.write_bytes(sample_tmx_path.read_bytes())  # an old briefgen's store
    code, out, _ = run(capsys, "tm", "info")
    assert code == 0 and out.splitlines() == [
        f"path: {data / 'memory.sqlite3'}",
        "units: 33",
        "schema: 1",
        f"migrated from: {old} (33 units)",
    ]
    assert (data / "memory.tmx.migrated").read_bytes() == sample_tmx_path.read_bytes()


def test_tm_damaged_database(workdir: Path, capsys) -> None:
    data = workdir / "data"
    data.mkdir()
    (data / "memory.sqlite3").write_bytes(b"\x00garbage" * 1000)
    for command in (["tm", "info"], ["tm", "export"], ["tm", "import", "missing.tmx"]):
        code, out, err = run(capsys, *command)
        assert code == 2 and out == "" and err.count("\n") == 1
    code, _, err = run(capsys, "tm", "export", "x.tmx")
    assert err == (
        f"briefgen: error: {data / 'memory.sqlite3'}: damaged translation memory (file is not "
        "a database); move it away (a new one is started) and `briefgen tm import` an export "
        "to restore it\n"
    )
    assert not (workdir / "x.tmx").exists()


@pytest.mark.parametrize(
    "command", [["tm"], ["tm", "import"], ["tm", "export"], ["tm", "info"], ["translate"]]
)
def test_help(capsys, command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "Usage:" in out
    if command == ["translate"]:
        for option in ("--export", "--import", "--lang", "--xliff-version", "--output", "--no-tm"):
            assert option in out
