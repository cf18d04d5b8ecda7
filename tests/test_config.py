"""briefgen.toml: defaults for the command line; command-line options win."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SEED, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_config_in_working_directory_sets_defaults(workdir: Path, capsys) -> None:
    (workdir / "briefgen.toml").write_text(
        'languages = ["en"]\nformats = "docx"\naudiences = ["leadership"]\n'
        'output = "memos"\nclassification = "限閱|LIMITED DISTRIBUTION"\n'
        'author = "Trade Office"\n',
        encoding="utf-8",
    )
    assert main(["build", "seeds/eppd-6-2026-01-28.zh-TW.txt", "-q"]) == 0
    folder = workdir / "memos" / "2026-01-28_eppd-6"
    assert sorted(p.name for p in folder.iterdir()) == [
        "brief.yaml",
        "eppd-6.leadership.en.docx",
        "manifest.json",
    ]
    import zipfile

    with zipfile.ZipFile(folder / "eppd-6.leadership.en.docx") as docx:
        header = "".join(
            docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")
        )
        core = docx.read("docProps/core.xml").decode()
    assert "LIMITED DISTRIBUTION" in header and "Trade Office" in core


def test_command_line_wins_over_config(workdir: Path, capsys) -> None:
    (workdir / "briefgen.toml").write_text('languages = ["en"]\nformats = ["docx"]\n')
    assert (
        main(
            [
                "build",
                "seeds/eppd-6-2026-01-28.zh-TW.txt",
                "-q",
                "--lang",
                "zh-TW",
                "--audience",
                "leadership",
            ]
        )
        == 0
    )
    names = sorted(p.name for p in (workdir / "output" / "2026-01-28_eppd-6").iterdir())
    assert "eppd-6.leadership.zh-TW.docx" in names
    assert not any(".en." in n for n in names)


def test_explicit_config_and_relative_paths(workdir: Path, capsys) -> None:
    conf = workdir / "conf"
    conf.mkdir()
    (conf / "office.toml").write_text(
        'output = "out"\nformats = ["pdf"]\nlanguages = ["en"]\naudiences = ["leadership"]\n'
    )
    assert (
        main(
            [
                "--config",
                str(conf / "office.toml"),
                "build",
                "seeds/eppd-6-2026-01-28.zh-TW.txt",
                "-q",
            ]
        )
        == 0
    )
    assert (conf / "out" / "2026-01-28_eppd-6" / "eppd-6.leadership.en.pdf").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[smtp]\npassword = "x"\n', "must not be in the config file"),
        ('[engine]\napi_key = "x"\n', "must not be in the config file"),
        ("colour = 1\n", "unknown setting 'colour'"),
        ("languages = [\n", "not valid TOML"),
        ("languages = 3\n", "languages must be a string or a list of strings"),
    ],
)
def test_bad_config_is_one_line(workdir: Path, capsys, content: str, message: str) -> None:
    (workdir / "briefgen.toml").write_text(content)
    code = main(["build", "seeds/eppd-6-2026-01-28.zh-TW.txt"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not (workdir / "output").exists()
