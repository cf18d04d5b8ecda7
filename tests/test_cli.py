"""The command line, run in-process through ``briefgen.cli.main``: exit codes, messages,
files written, and that nothing is half-written on errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of seeds/."""
    shutil.copytree(SEED, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _document_xml(docx: Path) -> str:
    """The main XML part of a DOCX file."""
    import zipfile

    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_every_memo_and_the_brief(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "-q")
    assert code == 0, err
    folder = workdir / "output" / "2026-01-28_eppd-6"
    names = sorted(p.name for p in folder.iterdir())
    expected = sorted(
        [
            f"eppd-6.{a}.{lang}.{fmt}"
            for a in ("leadership", "working", "press", "gongwen")
            for lang in ("zh-TW", "en")
            for fmt in ("docx", "pdf")
        ]
        + ["brief.yaml", "manifest.json"]
    )
    assert names == expected
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["files"]) == 17
    assert not list(folder.glob(".*.tmp"))


def test_build_prints_what_it_wrote_and_narrows(workdir: Path, capsys) -> None:
    code, out, err = run(
        capsys,
        "build",
        "seeds/eppd-6-2026-01-28.zh-TW.txt",
        "-o",
        "memos",
        "--lang",
        "en",
        "--audience",
        "leadership",
        "--format",
        "pdf",
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("wrote memos/2026-01-28_eppd-6/eppd-6.leadership.en.pdf (")
    assert len(lines) == 4  # the pdf, brief.yaml, manifest.json, the summary
    assert lines[-1] == (
        "en: 90 segments — 56 termbase/gloss, 33 memory, 0 engine, 0 untranslated, "
        "1 unverified name"
    )
    # The reporter's byline is source metadata, shown as written: counted in the summary
    # line above, but no warning (and no --strict refusal).
    assert "顏一軒" not in err
    assert "untranslated" not in err


def test_build_twice_gives_identical_bytes(workdir: Path, capsys) -> None:
    args = ["build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "-q", "--format", "docx,pdf,html"]
    assert run(capsys, *args, "-o", "a")[0] == 0
    assert run(capsys, *args, "-o", "b")[0] == 0
    files = sorted((workdir / "a").rglob("*.*"))
    assert len(files) == 4 * 2 * 3 + 2
    for path in files:
        twin = workdir / "b" / path.relative_to(workdir / "a")
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_extract_then_render_a_hand_edited_brief(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "extract", "seeds/eppd-6-2026-01-28.zh-TW.txt", "-o", "b.yaml")
    assert code == 0, err
    data = yaml.safe_load((workdir / "b.yaml").read_text())
    assert len(data["items"]) == 7
    data["items"][0]["title"]["en"] = "AI supply chain security (edited)"
    data["items"][0]["title"]["via"]["en"] = "human"
    (workdir / "b.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    code, _out, err = run(
        capsys,
        "render",
        "b.yaml",
        "--lang",
        "en",
        "--format",
        "docx",
        "--audience",
        "working",
        "-o",
        "r",
    )
    assert code == 0, err
    docx = workdir / "r" / "2026-01-28_eppd-6" / "eppd-6.working.en.docx"
    xml = _document_xml(docx)
    assert "AI supply chain security (edited)" in xml
    manifest = json.loads((docx.parent / "manifest.json").read_text())
    assert manifest["input"]["path"] == "b.yaml"  # what `send` renders the body with
    assert manifest["settings"]["langs"] == ["en"]


def test_extract_lists_what_the_brief_drops_and_why(workdir: Path, capsys) -> None:
    code, out, err = run(capsys, "extract", "--dropped", "seeds/eppd-6-2026-01-28.zh-TW.txt")
    assert code == 0, err
    assert out.splitlines() == [
        "¶4\theading\t台美簽署「矽盛世宣言及台美經濟安全合作聯合聲明」",
        "¶15\theading\tEPPD迄今已舉行6次對話",
    ]
    assert not list(workdir.glob("*.yaml"))  # no brief written


def test_extract_json_to_stdout(workdir: Path, capsys) -> None:
    code, out, err = run(capsys, "extract", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["event"]["round"] == 6 and data["event"]["date"] == "2026-01-27"


def test_invalid_brief_is_one_line_naming_the_field(workdir: Path, capsys) -> None:
    (workdir / "bad.yaml").write_text("event:\n  round: -3\n", encoding="utf-8")
    code, _out, err = run(capsys, "render", "bad.yaml")
    assert code == 2
    assert err.count("\n") == 1 and "event.round" in err and err.startswith("briefgen: error:")
    assert not (workdir / "output").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (
            b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav></body></html>",
            "found no article text in this HTML page",
        ),
        ("正文\x07內容".encode(), "U+0007"),
        (b"\x00\x01\x02binary", "binary"),
        (b"\xff\xfe\xfd\x80\x81 not text at all \xc3\x28", "control character U+206C"),
        ("標題\n\n廣告".encode(), "found no sentences"),
        (b"\x80abc\x80\xff", "cannot decode"),
        (b"\xef\xbb\xbf\xff broken utf-8 after a BOM", "not valid utf-8-sig"),
    ],
)
def test_bad_input_is_one_clear_line_and_no_output(
    workdir: Path, capsys, content: bytes, message: str
) -> None:
    (workdir / "in.txt").write_bytes(content)
    code, _out, err = run(capsys, "build", "in.txt")
    assert code == 2
    assert err.startswith("briefgen: error: in.txt: ") and message in err
    assert err.count("\n") == 1
    assert not (workdir / "output").exists()


def test_missing_file_and_bad_options(workdir: Path, capsys) -> None:
    code, _, err = run(capsys, "build", "nope.txt")
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--lang", "fr")
    assert code == 2 and "unknown language 'fr'" in err
    code, _, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--audience", "x")
    assert code == 2 and "unknown audience 'x'" in err
    code, _, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--format", "rtf")
    assert code == 2 and "unknown format 'rtf'" in err


def test_broken_user_template_is_one_line_and_no_output(workdir: Path, capsys) -> None:
    (workdir / "tpl").mkdir()
    (workdir / "tpl" / "leadership.html.j2").write_text("<p>{% for %}</p>")
    code, _, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--templates", "tpl")
    assert code == 3 and "leadership.html.j2:1" in err and err.count("\n") == 1
    assert not (workdir / "output").exists()


@pytest.mark.parametrize("command", [[], ["build"], ["extract"], ["render"], ["audiences"]])
def test_help_explains_every_option(capsys, command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Usage:" in out
    if command in (["build"], ["render"]):
        for option in (
            "--output",
            "--lang",
            "--audience",
            "--format",
            "--templates",
            "--termbase",
            "--tm",
            "--date-style",
            "--paper",
            "--verbose",
        ):
            assert option in out


def test_roc_dates(workdir: Path, capsys) -> None:
    code, _, err = run(
        capsys,
        "build",
        "seeds/eppd-6-2026-01-28.zh-TW.txt",
        "--lang",
        "zh-TW",
        "--audience",
        "leadership",
        "--format",
        "docx",
        "--date-style",
        "roc",
    )
    assert code == 0, err
    docx = workdir / "output" / "2026-01-28_eppd-6" / "eppd-6.leadership.zh-TW.docx"
    xml = _document_xml(docx)
    assert "中華民國115年1月27日" in xml


def test_strict_refuses_before_writing_and_romanize_satisfies_it(workdir: Path, capsys) -> None:
    # A participant no termbase knows (the sample's own names are all known; its
    # reporter's byline is shown as written and does not count for --strict).
    sample = (workdir / "seeds" / "eppd-6-2026-01-28.zh-TW.txt").read_text(encoding="utf-8")
    (workdir / "seeds" / "eppd-6-2026-01-28.zh-TW.txt").write_text(
        sample.replace("陳明祺", "王大同"), encoding="utf-8"
    )
    code, out, err = run(capsys, "build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "--strict")
    assert code == 5
    assert "1 en name(s) without a verified spelling" in err
    assert not (workdir / "output").exists()
    code, out, err = run(
        capsys,
        "build",
        "seeds/eppd-6-2026-01-28.zh-TW.txt",
        "--strict",
        "--romanize",
        "wade-giles",
        "--lang",
        "en",
        "--format",
        "docx",
        "--audience",
        "working",
    )
    assert code == 0, err
    assert out.strip().splitlines()[-1].endswith("0 engine, 0 untranslated, 2 unverified names")

    docx = workdir / "output" / "2026-01-28_eppd-6" / "eppd-6.working.en.docx"
    xml = _document_xml(docx)
    assert "Wang Ta-tung" in xml and "[unverified]" in xml
    assert "Yen I-hsuan" not in xml  # the byline is shown as the article writes it


def test_build_with_an_engine_reports_engine_segments(workdir: Path, capsys) -> None:
    from fake_engine import fake_engine_server

    corpus = Path(__file__).resolve().parent / "corpus" / "tw-eu-scrd-3.txt"
    with fake_engine_server() as url:
        code, out, err = run(
            capsys,
            "build",
            str(corpus),
            "--lang",
            "en",
            "--format",
            "docx",
            "--audience",
            "working",
            "--engine",
            "openai",
            "--engine-url",
            url,
            "--engine-model",
            "fake",
        )
    assert code == 0, err
    import re

    line = out.strip().splitlines()[-1]
    m = re.fullmatch(
        r"en: (\d+) segments — (\d+) termbase/gloss, (\d+) memory, (\d+) engine, "
        r"0 untranslated, (\d+) unverified names",
        line,
    )
    assert m, line
    total, termbase, memory, engine, names = map(int, m.groups())
    assert engine > 0 and termbase + memory + engine + names == total
    brief = yaml.safe_load(next((workdir / "output").rglob("brief.yaml")).read_text())
    point = brief["items"][0]["points"][0]["text"]
    assert point["via"]["en"] == "engine" and point["ref"]["en"] == "openai:fake"


def test_organisation_and_classification_in_every_page_header(workdir: Path, capsys) -> None:
    code, _, err = run(
        capsys,
        "build",
        "seeds/eppd-6-2026-01-28.zh-TW.txt",
        "-q",
        "--audience",
        "working",
        "--organisation",
        "經濟部|MOEA",
        "--classification",
        "限閱|LIMITED DISTRIBUTION",
    )
    assert code == 0, err
    import io
    import zipfile

    from pypdf import PdfReader

    folder = workdir / "output" / "2026-01-28_eppd-6"
    reader = PdfReader(io.BytesIO((folder / "eppd-6.working.en.pdf").read_bytes()))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "MOEA | LIMITED DISTRIBUTION" in page.extract_text()
    zh = PdfReader(io.BytesIO((folder / "eppd-6.working.zh-TW.pdf").read_bytes()))
    assert "限閱" in zh.pages[-1].extract_text()
    with zipfile.ZipFile(folder / "eppd-6.working.zh-TW.docx") as docx:
        headers = "".join(
            docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")
        )
    assert "經濟部" in headers and "限閱" in headers


def test_letterhead_from_a_style_sheet_with_a_logo(workdir: Path, capsys) -> None:
    from PIL import Image

    tpl = workdir / "tpl"
    tpl.mkdir()
    Image.new("RGB", (64, 64), (20, 60, 120)).save(tpl / "logo.png")
    (tpl / "styles.yaml").write_text(
        'letterhead: {organisation: "外交部|MOFA", classification: "限閱|RESTRICTED", '
        "logo: logo.png}\n",
        encoding="utf-8",
    )
    code, _, err = run(
        capsys,
        "build",
        "seeds/eppd-6-2026-01-28.zh-TW.txt",
        "-q",
        "--templates",
        "tpl",
        "--audience",
        "leadership",
        "--lang",
        "en",
    )
    assert code == 0, err
    import io
    import zipfile

    from pypdf import PdfReader

    folder = workdir / "output" / "2026-01-28_eppd-6"
    page = PdfReader(io.BytesIO((folder / "eppd-6.leadership.en.pdf").read_bytes())).pages[0]
    assert "MOFA | RESTRICTED" in page.extract_text()
    assert len(page.images) == 1
    with zipfile.ZipFile(folder / "eppd-6.leadership.en.docx") as docx:
        assert any(n.startswith("word/media/") for n in docx.namelist())


SIMPLIFIED_ARTICLE = """\
新华社伦敦6月11日电 中国商务部国际贸易谈判代表兼副部长李成钢10日晚在英国伦敦说，过去两天，\
中美双方团队进行了深入交流，就落实两国元首通话共识达成了框架。

李成钢在中美经贸磋商机制首次会议结束后告诉中外媒体记者，双方的沟通是“非常专业、理性、深入、坦诚的”。

当地时间6月9日至10日，中美经贸中方牵头人、国务院副总理何立峰与美方牵头人在伦敦举行中美经贸磋商机制首次会议。
"""


def test_build_a_simplified_chinese_article(workdir: Path, capsys) -> None:
    """Simplified characters no Traditional face has (贸, 锡, 钢, 伦) reach the memos —
    converted for zh-TW, as untranslated passages in English — and every PDF embeds them."""
    import io

    from pdfminer.high_level import extract_text

    (workdir / "london.zh-CN.txt").write_text(SIMPLIFIED_ARTICLE, encoding="utf-8")
    code, _out, err = run(capsys, "build", "london.zh-CN.txt", "--format", "pdf", "-q")
    assert code == 0, err
    pdfs = sorted((workdir / "output").glob("*/*.pdf"))
    assert len(pdfs) == 8
    text = "".join(extract_text(io.BytesIO(p.read_bytes())) for p in pdfs)
    assert "贸" in text and "(cid:" not in text


def test_a_rebuild_replaces_the_whole_set_and_keeps_the_users_files(workdir: Path, capsys) -> None:
    """The second build's set replaces the first at once: a memo the new build does not
    make is gone, the --eml draft is part of the set, the user's own file stays, and no
    temporary file or directory is left."""
    article = "seeds/eppd-6-2026-01-28.zh-TW.txt"
    narrow = ["--lang", "en", "--audience", "leadership"]
    code, _, err = run(capsys, "build", article, *narrow, "--format", "pdf,docx", "-q")
    assert code == 0, err
    folder = workdir / "output" / "2026-01-28_eppd-6"
    (folder / "notes.txt").write_text("mine")
    code, out, err = run(capsys, "build", article, *narrow, "--format", "pdf", "--eml")
    assert code == 0, err
    assert "wrote output/2026-01-28_eppd-6/eppd-6.eml (" in out
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        ["eppd-6.leadership.en.pdf", "brief.yaml", "manifest.json", "eppd-6.eml", "notes.txt"]
    )
    assert (folder / "notes.txt").read_text() == "mine"
    assert [p.name for p in (workdir / "output").iterdir()] == ["2026-01-28_eppd-6"]


# --- issue 12: inputs that are no readout file, or not in a language briefgen reads -------


def _refused_by_build(capsys, workdir: Path, source: str) -> str:
    code, _out, err = run(capsys, "build", source)
    assert code == 2, err
    assert err.startswith(f"briefgen: error: {source}: ") and err.count("\n") == 1
    assert not (workdir / "output").exists()
    return err


def test_devices_fifos_and_directories_are_refused(workdir: Path, capsys) -> None:
    import os

    if Path("/dev/zero").exists():
        assert "is a character device" in _refused_by_build(capsys, workdir, "/dev/zero")
    os.mkfifo(workdir / "pipe.txt")  # no writer: must not hang
    assert "is a named pipe (FIFO)" in _refused_by_build(capsys, workdir, "pipe.txt")
    # A directory is a batch of its articles (tests/test_batch.py); one without any is
    # refused like a bad file.
    (workdir / "empty").mkdir()
    (workdir / "empty" / "notes.yaml").write_text("a: 1")
    assert "no articles in this directory" in _refused_by_build(capsys, workdir, "empty")


def test_japanese_readout_is_refused_naming_the_language(workdir: Path, capsys) -> None:
    text = "日本と台湾は東京で第5回経済対話を開催し、双方は協力を強化することで合意した。\n"
    (workdir / "ja.txt").write_bytes(text.encode("shift_jis"))
    err = _refused_by_build(capsys, workdir, "ja.txt")
    assert "the text is in Japanese (Shift-JIS)" in err


def test_docx_with_too_much_text_is_refused(workdir: Path, capsys) -> None:
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    big = io.BytesIO()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para = "<w:p><w:r><w:t>" + "雙方同意持續深化合作。" * 100 + "</w:t></w:r></w:p>"
    body = f"<w:document {w}><w:body>{para * 800}</w:body></w:document>"  # 2.6 MB of text
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            document = info.filename == "word/document.xml"
            archive.writestr(info.filename, body.encode() if document else source.read(info))
    (workdir / "long.docx").write_bytes(big.getvalue())
    assert "text is too large" in _refused_by_build(capsys, workdir, "long.docx")


def test_utf16_without_a_bom_is_read(workdir: Path, capsys) -> None:
    text = (workdir / "seeds" / "eppd-6-2026-01-28.zh-TW.txt").read_text(encoding="utf-8")
    (workdir / "in.txt").write_bytes(text.encode("utf-16-le"))
    code, out, err = run(capsys, "extract", "in.txt", "--format", "json", "--no-translate", "-v")
    assert code == 0, err
    assert "in.txt: text, utf-16-le, zh-TW" in err
    assert json.loads(out)["source"]["language"] == "zh-TW"


# --- issue 13: a cheap start ----------------------------------------------------------------


def test_the_help_of_commands_imported_when_used_is_their_own(capsys) -> None:
    """``briefgen --help`` lists send/templates/tm/translate without importing them, with
    the first paragraph of their own help."""
    import importlib

    import click

    from briefgen.cli import LAZY_COMMANDS

    for name, (module, attribute, help_text) in LAZY_COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == name
        assert command.get_short_help_str(1000) == help_text
    code, out, _ = run(capsys, "--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:")[1].strip().splitlines()]
    assert listed == [
        "audiences", "build", "extract", "render", "schema", "send", "serve", "templates", "tm",
        "translate",
    ]  # fmt: skip


def test_importing_the_cli_imports_no_pipeline_mail_or_model() -> None:
    import subprocess
    import sys

    code = (
        "import sys, briefgen.cli, briefgen; "
        "print(sorted(m for m in sys.modules if m.startswith(('briefgen.', 'pydantic', "
        "'reportlab', 'docx', 'jinja2', 'lxml', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    light = ["briefgen.cli", "briefgen.errors", "briefgen.languages", "briefgen.numbering"]
    assert json.loads(out.stdout.replace("'", '"')) == [
        *light,
        "briefgen.settings",
        "briefgen.writers",
    ]
