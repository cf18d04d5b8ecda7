"""``briefgen templates list|init|check``, run in-process through ``briefgen.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cli import cli, main
from briefgen.cli_templates import templates_group
from briefgen.render.environment import builtin_template_dir

SEED = Path(__file__).resolve().parent.parent / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"

#: A directory with one of each problem ``templates check`` finds; the expected report.
BROKEN = {
    "broken.html.j2": (
        '{% extends "base.html.j2" %}\n'
        "{% block content %}\n"
        "<p>{{ brief.summary }</p>\n"  # line 3: syntax error
        "{% endblock %}\n"
    ),
    "memo.html.j2": (
        "{#- A memo extending base and overriding its blocks. -#}\n"
        '{% extends "base.html.j2" %}\n'
        '{% block audience_label %}{{ _("Bottom line") }}{% endblock %}\n'
        "{% block content %}\n"
        '<h2 class="heading1">{{ _("Bottom line") }}</h2>\n'
        '<p class="bottom-line">{{ brief.summary|map(attribute="text")|sentences }}</p>\n'
        "<p>{{ brief.event.nmae|t }}</p>\n"  # line 7: undefined
        '<h2 class="heading1">{{ _("Things to watch") }}</h2>\n'  # line 8: no zh-TW label
        "{% if brief.items %}\n"
        '<ul class="list">\n'
        "{% for item in brief.items %}\n"
        '<li class="fancy">{{ item.title|t }}</li>\n'  # line 12: unknown style
        "{% endfor %}\n"
        "</ul>\n"
        "{% endif %}\n"
        '<script>alert("hi")</script>\n'  # line 16: unknown element
        "<p>{{ brief.__class__ }}</p>\n"  # line 17: sandbox
        "{% endblock %}\n"
    ),
}
BROKEN_REPORT = [
    "mytemplates/broken.html.j2:3: syntax error: unexpected '}'",
    "mytemplates/memo.html.j2:7: undefined: 'dict object' has no attribute 'nmae'",
    "mytemplates/memo.html.j2:8: label 'Things to watch' has no zh-TW translation",
    "mytemplates/memo.html.j2:12: unknown style class 'fancy' (not in the style sheet)",
    "mytemplates/memo.html.j2:16: unknown element <script>",
    "mytemplates/memo.html.j2:17: sandbox: access to attribute '__class__' of 'dict' object "
    "is unsafe.",
    "6 problem(s) in 2 template(s)",
]


@pytest.fixture(autouse=True)
def _templates_command() -> None:
    """The ``templates`` group on the CLI (``briefgen.cli`` registers it)."""
    if "templates" not in cli.commands:
        cli.add_command(templates_group)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


# list -----------------------------------------------------------------------------------


def test_list_shows_the_builtin_audiences(workdir: Path, capsys) -> None:
    code, out, err = run(capsys, "templates", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["AUDIENCE", "SOURCE", "TEMPLATE"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"leadership", "working"} <= set(rows)
    assert "base" not in rows and "_macros" not in rows
    builtin = builtin_template_dir()
    assert rows["working"].split()[1:] == ["built-in", str(builtin / "working.html.j2")]
    # Aligned: the SOURCE column starts at the same place on every line.
    assert len({line.index(line.split()[1]) for line in lines}) == 1


def test_list_shows_user_overrides_first_directory_first(workdir: Path, capsys) -> None:
    write(workdir / "a", {"working.html.j2": "a", "memo.html.j2": "a", "styles.yaml": "{}"})
    write(workdir / "b", {"working.html.j2": "b", "leadership.html.j2": "b"})
    code, out, err = run(capsys, "templates", "list", "--templates", "a", "--templates", "b")
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    assert "a (overrides built-in)" in rows["working"]
    assert "a/working.html.j2 (hides b/working.html.j2)" in rows["working"]
    assert "b (overrides built-in)" in rows["leadership"]
    assert "a (new audience)" in rows["memo"] and "a/memo.html.j2" in rows["memo"]
    assert "built-in" in rows["press"]
    assert "a/styles.yaml: merged over the built-in style sheet" in out


def test_list_needs_an_existing_directory(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "templates", "list", "--templates", "nowhere")
    assert code == 2 and "nowhere" in err


# init -----------------------------------------------------------------------------------


def test_init_copies_the_builtin_templates(workdir: Path, capsys) -> None:
    code, out, err = run(capsys, "templates", "init", "mine/templates", "working")
    assert code == 0, err
    folder = workdir / "mine" / "templates"
    assert sorted(p.name for p in folder.iterdir()) == [
        "_macros.html.j2",
        "base.html.j2",
        "styles.yaml",
        "working.html.j2",
    ]
    for path in folder.iterdir():
        assert path.read_bytes() == (builtin_template_dir() / path.name).read_bytes()
    lines = out.splitlines()
    assert lines[0] == "wrote mine/templates/working.html.j2"
    assert len([line for line in lines if line.startswith("wrote ")]) == 4
    assert "--templates mine/templates" in lines[-1]


def test_init_without_audiences_copies_them_all(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "templates", "init", "t")
    assert code == 0, err
    copied = {p.name for p in (workdir / "t").iterdir()}
    builtin = {p.name for p in builtin_template_dir().iterdir() if p.suffix in (".j2", ".yaml")}
    assert copied == builtin


def test_init_refuses_to_overwrite_then_force(workdir: Path, capsys) -> None:
    write(workdir / "t", {"base.html.j2": "mine"})
    code, out, err = run(capsys, "templates", "init", "t", "leadership")
    assert code == 2
    assert err == "briefgen: error: t/base.html.j2 already exists (use --force to overwrite)\n"
    assert out == ""
    assert sorted(p.name for p in (workdir / "t").iterdir()) == ["base.html.j2"]
    assert (workdir / "t" / "base.html.j2").read_text() == "mine"

    code, out, err = run(capsys, "templates", "init", "t", "leadership", "--force")
    assert code == 0, err
    assert (workdir / "t" / "base.html.j2").read_bytes() == (
        builtin_template_dir() / "base.html.j2"
    ).read_bytes()
    assert "wrote t/leadership.html.j2" in out


def test_init_unknown_audience_is_one_line(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "templates", "init", "t", "nosuch")
    assert code == 2
    assert err.count("\n") == 1 and "'nosuch'" in err and "working" in err
    assert not (workdir / "t").exists()


# check ----------------------------------------------------------------------------------


def test_check_an_untouched_copy_is_clean(workdir: Path, capsys) -> None:
    assert run(capsys, "templates", "init", "t")[0] == 0
    code, out, err = run(capsys, "templates", "check", "t")
    assert code == 0, out + err
    assert out == "0 problem(s) in 0 template(s)\n"
    assert err.startswith("checked ")


def test_check_reports_every_problem_of_a_broken_directory(workdir: Path, capsys) -> None:
    write(workdir / "mytemplates", BROKEN)
    code, out, err = run(capsys, "templates", "check", "mytemplates")
    with capsys.disabled():
        print("\n$ briefgen templates check mytemplates\n" + out, end="")
    assert code == 3, err
    assert out.splitlines() == BROKEN_REPORT
    assert "briefgen: error" not in err


def test_check_needs_an_existing_directory(workdir: Path, capsys) -> None:
    code, _out, err = run(capsys, "templates", "check", "nowhere")
    assert code == 2 and "nowhere" in err


def test_a_broken_template_at_build_time_is_still_one_line(workdir: Path, capsys) -> None:
    write(workdir / "mytemplates", BROKEN)
    code, out, err = run(
        capsys,
        "build",
        str(SEED),
        "--templates",
        "mytemplates",
        "--audience",
        "memo",
        "--lang",
        "en",
        "--format",
        "docx",
        "-q",
    )
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("briefgen: error: memo.html.j2:7: ")
    assert not (workdir / "output").exists()


def test_check_reports_hostile_templates_and_style_sheets(workdir: Path, capsys) -> None:
    """Issue 12: what a build refuses, ``templates check`` reports (exit 3), quickly."""
    import os

    write(
        workdir / "hostile",
        {
            "memo.html.j2": '<meta name="title" content="x"><p>{{ \'\'.__class__ }}</p>\n'
            "<p>{{ lipsum(10**6) }}</p>\n"
            '{% include "p.html.j2" %}\n',
            "styles.yaml": "fonts: {serif: {faces: 5}}\nstyles: {body: {size: -1}}\n",
        },
    )
    os.symlink("/etc/passwd", workdir / "hostile" / "p.html.j2")
    code, out, _err = run(capsys, "templates", "check", "hostile")
    assert code == 3
    assert "root:" not in out
    for expected in (
        "hostile/memo.html.j2:1: sandbox: access to attribute '__class__' of 'str' object",
        "hostile/memo.html.j2:2: sandbox: refused: lipsum",
        "hostile/p.html.j2:1: refused: it leads to /etc/passwd",
        "hostile/styles.yaml:1: fonts.serif.faces: must be a list of font names",
        "hostile/styles.yaml:2: styles.body.size: must be a positive number",
    ):
        assert any(line.startswith(expected) for line in out.splitlines()), (expected, out)
