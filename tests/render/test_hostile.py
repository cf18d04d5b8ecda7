"""Hostile and unlucky templates and style sheets (issue 12): every one is refused with
exit 3 and one line naming the template or style sheet, quickly and in little memory;
nothing outside the template directory is read; ``templates check`` reports whatever a
build refuses."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import briefgen.render as render_module
from briefgen.cli import main
from briefgen.errors import TemplateError
from briefgen.pipeline import stylesheet
from briefgen.render import render_markup
from briefgen.render.check import check_templates, sample_briefs
from briefgen.settings import Settings

SAMPLES = sample_briefs(include_seed=False)
BRIEF = SAMPLES[2].brief
HEAD = '<meta name="title" content="x">'

#: Templates a build must refuse, with what the message says.
HOSTILE = {
    "range": ("{% for i in range(10**9) %}{% endfor %}", "Range too big"),
    "macro": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "recursion too deep"),
    "selfinclude": ('{% include "selfinclude.html.j2" %}', "recursion too deep"),
    "chained": ("{{ 'a'" + "|lower" * 3000 + " }}", "recursion too deep"),
    "repeat": ("{{ 'a' * 10**10 }}", "more than 2,000,000"),
    "power": ("{{ (10**(10**10)) % 7 }}", "more than 65,536 bits"),
    "literal": ("{{ 'a'|center(10000000000) }}", "width or count"),
    "concat": (
        "{% set ns = namespace(x='a') %}{% for i in range(40) %}"
        "{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
        "more than 2,000,000",
    ),
    "method": ("{{ 'a'.ljust(10000000000) }}", "width or count"),
    "format": ("{{ '{:>{}}'.format('', 10000000000) }}", "width or count"),
    "percent": ("{{ '%*s' % (10000000000, 'a') }}", "width or count"),
    "extend": (
        "{% set l = [1] %}{% for i in range(40) %}{% do l.extend(l) %}{% endfor %}",
        "more than 2,000,000",
    ),
    "lipsum": ("{{ lipsum(10**6) }}", "lipsum"),
    "dunder": ("{{ ''.__class__ }}", "unsafe"),
}


def _dir(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _in(directory: Path) -> Settings:
    return Settings(template_dirs=(directory,))


def _refused(audience: str, directory: Path) -> str:
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        render_markup(BRIEF, audience, "en", _in(directory))
    assert time.monotonic() - started < 10
    assert info.value.exit_code == 3
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_templates_exit_3_naming_the_template(tmp_path: Path, name: str) -> None:
    source, expected = HOSTILE[name]
    _dir(tmp_path, {f"{name}.html.j2": HEAD + source})
    message = _refused(name, tmp_path)
    assert message.startswith(f"{name}.html.j2"), message
    assert expected in message


def test_a_symlink_out_of_the_template_directory_is_refused(tmp_path: Path) -> None:
    _dir(tmp_path, {"memo.html.j2": HEAD + '<p>{% include "p.html.j2" %}</p>'})
    os.symlink("/etc/passwd", tmp_path / "p.html.j2")
    message = _refused("memo", tmp_path)
    assert message.startswith("p.html.j2: refused:") and "outside the template directory" in message
    # Straight as an audience, and a FIFO, too.
    os.symlink("/etc/passwd", tmp_path / "leak.html.j2")
    assert "outside the template directory" in _refused("leak", tmp_path)
    os.mkfifo(tmp_path / "fifo.html.j2")
    assert "not a regular file" in _refused("fifo", tmp_path)


def test_a_symlink_inside_the_directory_is_followed(tmp_path: Path) -> None:
    _dir(tmp_path, {"real.html.j2": HEAD + "<p>inside</p>"})
    os.symlink(tmp_path / "real.html.j2", tmp_path / "alias.html.j2")
    assert "<p>inside</p>" in render_markup(BRIEF, "alias", "en", _in(tmp_path))


#: Templates that would run (practically) forever: each is stopped by the time limit.
RUNAWAY = {
    "nested": "{% for i in range(100000) %}{% for j in range(100000) %}{% if i.real %}"
    "{% endif %}{% endfor %}{% endfor %}",
    "empty-bodies": "{% for i in range(99999) %}{% for j in range(99999) %}"
    "{% for k in range(99999) %}{% endfor %}{% endfor %}{% endfor %}",
    "one-list": "{% set xs = range(100000)|list %}{% for a in xs %}{% for b in xs %}"
    "{% endfor %}{% endfor %}",
    "macro-recursion": "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}"
    "{% endmacro %}{{ m(60) }}",
    "loop-recursion": "{% for n in [60] recursive %}{% if n %}{{ loop([n - 1, n - 1]) }}"
    "{% endif %}{% endfor %}",
}


def _runaway_error(tmp_path: Path, name: str, in_thread: bool) -> BaseException:
    _dir(tmp_path, {f"{name}.html.j2": HEAD + RUNAWAY[name]})
    errors: list[BaseException] = []

    def run() -> None:
        try:
            render_markup(BRIEF, name, "en", _in(tmp_path))
        except BaseException as exc:
            errors.append(exc)

    if in_thread:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(120)  # a bound on a hang, not a speed figure
        assert not thread.is_alive()
    else:
        run()
    assert len(errors) == 1
    return errors[0]


@pytest.mark.parametrize("in_thread", [False, True], ids=["main-thread", "worker-thread"])
@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_templates_are_stopped_in_any_thread(
    tmp_path: Path, monkeypatch, name: str, in_thread: bool
) -> None:
    monkeypatch.setattr(render_module, "MAX_SECONDS", 0.5)
    error = _runaway_error(tmp_path, name, in_thread)
    assert isinstance(error, TemplateError) and error.exit_code == 3
    message = str(error)
    assert "\n" not in message
    assert message == (
        f"{name}.html.j2: rendering took longer than 0.5 s (a runaway loop?); stopped"
    )


def test_the_time_limit_uses_no_signal(tmp_path: Path, monkeypatch) -> None:
    """Nothing process-wide: the SIGALRM handler and the interval timer are untouched
    while a template renders (also when it runs past its limit)."""

    def mine(signum: int, frame: object) -> None:
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        _dir(tmp_path, {"ok.html.j2": HEAD + "<p>ok</p>"})
        render_markup(BRIEF, "ok", "en", _in(tmp_path))
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        monkeypatch.setattr(render_module, "MAX_SECONDS", 0.2)
        assert "took longer" in str(_runaway_error(tmp_path, "nested", in_thread=False))
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)


# Style sheets ---------------------------------------------------------------------------

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
#: Style sheets a build must refuse, with what the message says.
BAD_SHEETS = {
    "deep": ("styles: {body: {size: " + "[" * 5000 + "]" * 5000 + "}}", "nested deeper"),
    "deep-block": ("".join(" " * i + f"k{i}:\n" for i in range(400)), "nested deeper"),
    "huge-size": ("styles: {body: {size: 1.0e+308}}", "styles.body.size: must be a positive"),
    "negative": ("styles: {body: {size: -3}}", "styles.body.size: must be a positive"),
    "nan": ("styles: {body: {leading: .nan}}", "styles.body.leading"),
    "faces": ("fonts: {serif: {faces: 5}}", "fonts.serif.faces: must be a list"),
    "alias-bomb": (_BOMB, "aliases expanded"),
    "recursive-alias": ("a: &a [*a]\n", "refused"),
    "logo": ("letterhead: {logo: /dev/zero}", "letterhead.logo: /dev/zero is not a regular file"),
    "keys": (
        "styles:\n" + "".join(f"  s{i}: {{size: 1}}\n" for i in range(300_000)),
        "larger than",
    ),
    "unknown": ("stiles: {}", "unknown key 'stiles'"),
    "colour": ("styles: {body: {color: red}}", "styles.body.color: must be a colour"),
    "margin": ("page: {margin: {left: 1e9mm}}", "page.margin.left"),
    "no-role-names": ("fonts: {mono: {faces: [noto-sans]}}", "fonts.mono: docx_latin is missing"),
    "not-a-mapping": ("- 1\n- 2\n", "must be a mapping"),
}


@pytest.mark.parametrize("name", sorted(BAD_SHEETS))
def test_bad_style_sheets_exit_3(tmp_path: Path, name: str) -> None:
    text, expected = BAD_SHEETS[name]
    _dir(tmp_path, {"styles.yaml": text})
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        stylesheet(_in(tmp_path), "en", "working")
    assert time.monotonic() - started < 5
    assert info.value.exit_code == 3
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(tmp_path / "styles.yaml"))
    assert expected in message, message


def test_a_style_sheet_symlinked_out_of_its_directory_is_refused(tmp_path: Path) -> None:
    os.symlink("/etc/passwd", tmp_path / "styles.yaml")
    with pytest.raises(TemplateError, match="outside its directory"):
        stylesheet(_in(tmp_path), "en", "working")


def test_a_bad_style_sheet_is_exit_3_from_the_cli(tmp_path: Path, capsys) -> None:
    templates = _dir(tmp_path / "t", {})
    templates.mkdir(exist_ok=True)
    _dir(templates, {"styles.yaml": "fonts: {serif: {faces: 5}}"})
    brief = tmp_path / "brief.yaml"
    brief.write_text(BRIEF.model_dump_json(), encoding="utf-8")
    args = ["render", str(brief), "-o", str(tmp_path / "out"), "--templates", str(templates)]
    assert main([*args, "--format", "docx", "--lang", "en"]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "fonts.serif.faces" in err
    assert not (tmp_path / "out").exists()


# templates check applies the same ---------------------------------------------------------


def test_check_reports_what_a_build_refuses(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(render_module, "MAX_SECONDS", 1.0)
    files = {f"{name}.html.j2": HEAD + source for name, (source, _) in HOSTILE.items()}
    files["loop.html.j2"] = (
        HEAD + "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    files["styles.yaml"] = _BOMB
    files["working.styles.yaml"] = "styles:\n  body: {size: -3}\n"
    _dir(tmp_path, files)
    os.symlink("/etc/passwd", tmp_path / "p.html.j2")
    started = time.monotonic()
    result = check_templates(tmp_path, SAMPLES[:1], ("en",))
    assert time.monotonic() - started < 60
    found = {p.file.removeprefix(f"{tmp_path}/"): p for p in result.problems}
    for name, (_, expected) in HOSTILE.items():
        assert expected in found[f"{name}.html.j2"].message, name
    assert "took longer than 1 s" in found["loop.html.j2"].message
    assert "outside the template directory" in found["p.html.j2"].message
    assert "aliases expanded" in found["styles.yaml"].message
    assert str(found["working.styles.yaml"]).endswith(
        "working.styles.yaml:2: styles.body.size: must be a positive number up to 200, not -3"
    )


def test_check_of_a_huge_style_sheet_is_quick(tmp_path: Path) -> None:
    _dir(tmp_path, {"styles.yaml": BAD_SHEETS["keys"][0]})
    started = time.monotonic()
    result = check_templates(tmp_path, SAMPLES[:1], ("en",))
    assert time.monotonic() - started < 30
    assert any("larger than" in p.message for p in result.problems)
