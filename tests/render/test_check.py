"""The template check: sample briefs, locating problems at template lines, every kind of
problem found in one run; template sources and ``init``."""

from __future__ import annotations

import html
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from briefgen.errors import BriefgenError
from briefgen.model import OUTPUT_LANGS
from briefgen.render import audiences, render_markup, template_name
from briefgen.render.check import (
    _check_environment,
    _render,
    builtin_files,
    check_templates,
    init_templates,
    render_context,
    sample_briefs,
    template_sources,
)
from briefgen.render.environment import builtin_template_dir
from briefgen.render.i18n import translations
from briefgen.settings import Settings

BUILTIN_ONLY = sample_briefs(include_seed=False)


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def lines(directory: Path, samples=BUILTIN_ONLY) -> list[str]:
    """The problems found in ``directory``, with paths relative to it."""
    result = check_templates(directory, samples)
    prefix = str(directory) + "/"
    return [str(p).removeprefix(prefix) for p in result.problems]


def page(body: str) -> str:
    """A template extending base whose content block is ``body`` (body line 1 is
    template line 3)."""
    return '{% extends "base.html.j2" %}\n{% block content %}\n' + body + "{% endblock %}\n"


# Sample briefs -----------------------------------------------------------------------------


def test_samples_are_built_in_code_and_the_seed_joins_them() -> None:
    assert [s.name for s in BUILTIN_ONLY] == ["rich", "no-agenda", "english"]
    assert {s.brief.source.language for s in BUILTIN_ONLY} == {"zh-TW", "en"}
    assert [s.name for s in sample_briefs()][-1] == "seed"  # run from the repository


def _build_markup(sample, audience: str, lang: str) -> str:
    settings = Settings(
        date_style=sample.date_style,
        organisation=sample.organisation,
        classification=sample.classification,
        office=sample.office,
    )
    return render_markup(sample.brief, audience, lang, settings)


def test_samples_take_every_builtin_label() -> None:
    """Between them the code-built samples show every label of the built-in templates
    (singular and plural forms), so every branch producing text is rendered."""
    out = {
        lang: "\n".join(
            html.unescape(_build_markup(sample, audience, lang))
            for audience in audiences()
            for sample in BUILTIN_ONLY
        )
        for lang in OUTPUT_LANGS
    }
    root = resources.files("briefgen") / "templates"
    messages = [m for _, _, m, _, _ in extract_from_dir(str(root), [("**.j2", "jinja2")])]
    assert len(messages) > 30
    missing = []
    for message in messages:
        for lang in OUTPUT_LANGS:
            tr = translations(lang)
            if isinstance(message, tuple):
                forms = [tr.ngettext(message[0], message[1], n) for n in (1, 2)]
            else:
                forms = [tr.gettext(message)]
            for form in forms:
                for fragment in re.split(r"%\(\w+\)[sd]", form):
                    if fragment.strip() and fragment.strip() not in out[lang]:
                        missing.append((lang, form))
    assert not missing, (
        f"labels no sample brief shows (extend the samples in briefgen/render/check.py): {missing}"
    )


def test_the_check_renders_exactly_what_a_build_renders(tmp_path: Path) -> None:
    for lang in OUTPUT_LANGS:
        env = _check_environment(lang, tmp_path)
        for audience in audiences():
            for sample in BUILTIN_ONLY:
                done = _render(
                    env,
                    env.get_template(template_name(audience)),
                    render_context(sample, audience, lang),
                )
                assert done.error is None and not done.undefined
                assert done.markup == _build_markup(sample, audience, lang)
                assert done.starts and done.starts[0] == 0


def test_render_context_is_taken_from_render_markup() -> None:
    context = render_context(BUILTIN_ONLY[0], "working", "en")
    assert context["lang"] == "en" and context["audience"] == "working"
    assert context["organisation"] == "Ministry of Foreign Affairs"
    assert context["untranslated_count"] == 2
    # Participants' names kept as written or romanized; the byline is apart (shown as
    # written, named in the working memo's translator's notes only).
    assert context["unverified_names"] == ["李小華", "林志明"]
    assert context["unverified_byline"] == ["陳記者"]
    assert any("陳記者" in note for note in context["translation_notes"])
    assert context["brief"]["event"]["short_name"] == "EPPD"
    assert "_" not in context and "range" not in context  # globals are not variables


# A clean directory ---------------------------------------------------------------------------


def test_an_untouched_copy_is_clean(tmp_path: Path) -> None:
    init_templates(tmp_path / "t")
    result = check_templates(tmp_path / "t", BUILTIN_ONLY)
    assert result.problems == []
    assert result.summary == "0 problem(s) in 0 template(s)"
    assert result.audiences == audiences()
    assert str(tmp_path / "t" / "base.html.j2") in result.templates


def test_an_empty_directory_checks_nothing(tmp_path: Path) -> None:
    result = check_templates(tmp_path, BUILTIN_ONLY)
    assert result.problems == [] and result.audiences == []


# Every problem, at its line -------------------------------------------------------------------


def test_several_problems_in_one_template_are_all_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                "<p>{{ brief.nope }}</p>\n"
                "<p>{{ missing_variable }}</p>\n"
                "{% for x in brief.nothing %}<p>{{ x }}</p>{% endfor %}\n"
                '<p class="odd">{{ brief.summary|map(attribute="text")|sentences }}</p>\n'
                "<marquee>hi</marquee>\n"
                '<p onclick="x()">y</p>\n'
                "<ul><p>text</p></ul>\n"
            )
        },
    )
    assert lines(tmp_path) == [
        "memo.html.j2:3: undefined: 'dict object' has no attribute 'nope'",
        "memo.html.j2:4: undefined: 'missing_variable' is undefined",
        "memo.html.j2:5: undefined: 'dict object' has no attribute 'nothing'",
        "memo.html.j2:6: unknown style class 'odd' (not in the style sheet)",
        "memo.html.j2:7: unknown element <marquee>",
        "memo.html.j2:8: attribute 'onclick' is not allowed on <p>",
        "memo.html.j2:9: <p> is not allowed inside <ul>",
    ]


def test_lines_inside_long_literal_text_and_folded_constants(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                "{% if brief.summary %}\n"
                "<p>one</p>\n"
                "<p>two</p>\n"
                "<p>three</p>\n"
                "<blink>four</blink>\n"
                "{% endif %}\n"
                '<p class="{{ "con" ~ "stant" }}">five</p>\n'
            )
        },
    )
    assert lines(tmp_path) == [
        "memo.html.j2:7: unknown element <blink>",
        "memo.html.j2:9: unknown style class 'constant' (not in the style sheet)",
    ]


def test_markup_from_a_user_macro_points_into_the_macro(tmp_path: Path) -> None:
    macros = (builtin_template_dir() / "_macros.html.j2").read_text(encoding="utf-8")
    line = next(
        n for n, text in enumerate(macros.splitlines(), 1) if 'class="agenda-title"' in text
    )
    changed = macros.replace('<p class="agenda-title">', '<p class="agenda-title"><u>', 1)
    changed = changed.replace("{{ item.title|t }}</p>", "{{ item.title|t }}</u></p>", 1)
    write(tmp_path, {"_macros.html.j2": changed})
    assert lines(tmp_path) == [f"_macros.html.j2:{line}: unknown element <u>"]


def test_a_problem_of_one_language_says_so(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                '{% if lang == "en" %}<blink>x</blink>{% endif %}\n'
                '{% if lang != "en" %}<p>{{ brief.zh_only }}</p>{% endif %}\n'
            )
        },
    )
    assert lines(tmp_path) == [
        "memo.html.j2:3: unknown element <blink> (en only)",
        "memo.html.j2:4: undefined: 'dict object' has no attribute 'zh_only' (zh-TW only)",
    ]


def test_labels_without_a_zh_translation(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                '<p>{{ _("Bottom line") }} {{ _("Not in the catalog") }}</p>\n'
                '<p>{{ ngettext("%(num)d apple", "%(num)d apples", 2) }}</p>\n'
                "<p>{% trans %}Hello there{% endtrans %}</p>\n"
            )
        },
    )
    assert lines(tmp_path) == [
        "memo.html.j2:3: label 'Not in the catalog' has no zh-TW translation",
        "memo.html.j2:4: label '%(num)d apple' has no zh-TW translation",
        "memo.html.j2:5: label 'Hello there' has no zh-TW translation",
    ]


def test_syntax_errors_are_reported_once_with_their_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "_parts.html.j2": "{% macro x() %}\n<p>{{ 1 + }}</p>\n{% endmacro %}\n",
            "memo.html.j2": page("{% if brief.items %}\n<p>x</p>\n"),
            "other.html.j2": '{% import "_parts.html.j2" as p %}' + page("{{ p.x() }}\n"),
        },
    )
    assert lines(tmp_path) == [
        "_parts.html.j2:2: syntax error: unexpected 'end of print statement'",
        "memo.html.j2:5: syntax error: Encountered unknown tag 'endblock'. You probably "
        "made a nesting mistake. Jinja is expecting this tag, but currently looking for "
        "'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ]


def test_sandbox_and_runtime_errors_at_their_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.html.j2": page("<p>{{ brief|attr('__init__') }}</p>\n"),
            "b.html.j2": page("<p>{{ range(10**7)|length }}</p>\n"),
            "c.html.j2": page('{% include "nowhere.html.j2" %}\n'),
        },
    )
    found = lines(tmp_path)
    assert (
        found[0]
        == "a.html.j2:3: sandbox: access to attribute '__init__' of 'dict' object is unsafe."
    )
    assert found[1].startswith("b.html.j2:3: OverflowError: Range too big.")
    assert found[2] == "c.html.j2:3: template 'nowhere.html.j2' not found"
    assert len(found) == 3


def test_a_template_without_a_title_is_a_problem_of_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"bare.html.j2": "<p>{{ lang }}</p>\n"})
    assert lines(tmp_path) == ['bare.html.j2:1: the template sets no <meta name="title">']


def test_a_shared_template_is_checked_through_the_builtin_audiences(tmp_path: Path) -> None:
    base = (builtin_template_dir() / "base.html.j2").read_text(encoding="utf-8")
    base = base.replace('<hr class="rule">', '<hr class="rule">\n<p>{{ brief.footnote }}</p>')
    write(tmp_path, {"base.html.j2": base})
    line = base.splitlines().index("<p>{{ brief.footnote }}</p>") + 1
    result = check_templates(tmp_path, BUILTIN_ONLY)
    assert [str(p) for p in result.problems] == [
        f"{tmp_path}/base.html.j2:{line}: undefined: 'dict object' has no attribute 'footnote'"
    ]
    assert set(result.audiences) == set(audiences())


def test_style_sheet_problems_at_their_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page('<p class="callout">x</p>\n<p class="weird">y</p>\n'),
            "styles.yaml": (
                "styles:\n"
                "  callout: {parent: notice, size: 12}\n"
                "  weird: {colour: red}\n"
                "  wide: {indent: 3 miles}\n"
                "lang:\n"
                "  zh-TW:\n"
                "    styles:\n"
                "      title: {parent: nope}\n"
            ),
        },
    )
    assert lines(tmp_path) == [
        "styles.yaml:3: styles.weird: unknown key 'colour'",
        "styles.yaml:4: styles.wide.indent: must be a length (12, 12pt, 20mm, 2cm, 1in), "
        "not '3 miles'",
        "styles.yaml:8: style 'title' has unknown parent 'nope' (zh-TW only)",
    ]


def test_a_style_sheet_that_is_not_yaml(tmp_path: Path) -> None:
    write(tmp_path, {"styles.yaml": "styles:\n  body: {size: 11\n"})
    found = lines(tmp_path)
    assert len(found) == 1 and found[0].startswith("styles.yaml:3: not valid YAML: ")


# Where templates come from, and init ----------------------------------------------------------


def test_template_sources_follow_the_loader_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a", {"working.html.j2": "", "memo.html.j2": "", "_x.html.j2": ""})
    b = write(tmp_path / "b", {"working.html.j2": "", "base.html.j2": "", "press.html.j2": ""})
    sources = {s.audience: s for s in template_sources([a, b])}
    assert "base" not in sources and "_x" not in sources
    assert sources["working"].path == a / "working.html.j2"
    assert sources["working"].overrides and sources["working"].shadowed == (b / "working.html.j2",)
    assert sources["press"].directory == b and sources["press"].overrides
    assert sources["memo"].directory == a and not sources["memo"].overrides
    assert sources["leadership"].builtin
    assert sources["leadership"].path == builtin_template_dir() / "leadership.html.j2"


def test_builtin_files_and_init(tmp_path: Path) -> None:
    assert builtin_files(["working"]) == [
        "working.html.j2",
        "_macros.html.j2",
        "base.html.j2",
        "styles.yaml",
    ]
    with pytest.raises(BriefgenError, match="no built-in template for audience 'x'"):
        builtin_files(["x"])
    written = init_templates(tmp_path / "new" / "dir", ["leadership"])
    assert written[0].name == "leadership.html.j2"
    with pytest.raises(BriefgenError, match=r"leadership\.html\.j2 already exists"):
        init_templates(tmp_path / "new" / "dir", ["leadership"])
    assert init_templates(tmp_path / "new" / "dir", ["leadership"], force=True) == written


def test_a_bad_usage_section_is_reported_at_its_line(tmp_path: Path) -> None:
    directory = write(tmp_path / "t", {"styles.yaml": "page: {paper: A4}\nusage: {us_form: USA}\n"})
    found = lines(directory)
    assert "styles.yaml:2: usage: us_form must be US or U.S., not 'USA'" in found


def test_every_structure_problem_is_found_not_only_the_first(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                "<ul><p>one</p></ul>\n"
                '<ol start="x"><li>a</li></ol>\n'
                "<table><p>t</p></table>\n"
                '<p\n   onclick="x()" class="nope">y</p>\n'
                "{% set v = brief.nope %}\n"
                "<p>{{ v }}</p>\n"
                "<dl><dd>before</dd></dl>\n"
                '<a href="javascript:1">x</a>\n'
            )
        },
    )
    assert lines(tmp_path) == [
        "memo.html.j2:3: <p> is not allowed inside <ul>",
        "memo.html.j2:4: <ol start> must be a positive number, not 'x'",
        "memo.html.j2:5: <p> is not allowed inside <table>",
        # Attributes at the line they are written on, also in a tag over two lines.
        "memo.html.j2:7: attribute 'onclick' is not allowed on <p>",
        "memo.html.j2:7: unknown style class 'nope' (not in the style sheet)",
        # An undefined value where it is made, not where it is shown (line 9).
        "memo.html.j2:8: undefined: 'dict object' has no attribute 'nope'",
        "memo.html.j2:10: <dd> before any <dt>",
        "memo.html.j2:11: link target 'javascript:1' is not http(s), mailto or #",
    ]


def test_problems_are_structured_diagnostics(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                '<p class="odd">{{ brief.nope }}</p>\n<p>{{ _("Not in the catalog") }}</p>\n'
            )
        },
    )
    result = check_templates(tmp_path, BUILTIN_ONLY)
    found = {(p.line, p.severity, p.code) for p in result.problems}
    assert found == {
        (3, "warning", "markup.class"),
        (3, "error", "undefined"),
        (4, "warning", "label"),
    }


def test_a_problem_inside_a_user_macro_is_found_at_the_macro_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "_parts.html.j2": (
                "{% macro box(x) %}\n"  # 1
                "<div>\n"  # 2
                "<p>{{ x.missing }}</p>\n"  # 3
                '<p class="nope">{{ x.title|t }}</p>\n'  # 4
                "</div>\n"  # 5
                "{% endmacro %}\n"
            ),
            "memo.html.j2": '{% import "_parts.html.j2" as parts with context %}'
            + page("{% for item in brief['items'] %}{{ parts.box(item) }}{% endfor %}\n"),
        },
    )
    assert lines(tmp_path) == [
        "_parts.html.j2:3: undefined: 'dict object' has no attribute 'missing'",
        "_parts.html.j2:4: unknown style class 'nope' (not in the style sheet)",
    ]


def test_font_roles_and_faces_at_their_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "styles.yaml": (
                "fonts:\n"
                "  mono: {faces: [noto-sans]}\n"  # line 2: no Word names
                "  serif:\n"
                "    faces: [no-such-face]\n"  # line 4
                "styles:\n"
                "  body: {font: nowhere}\n"  # line 6
            ),
        },
    )
    found = lines(tmp_path)
    assert "styles.yaml:2: fonts.mono: docx_latin is missing" in found
    assert "styles.yaml:2: fonts.mono: docx_east_asia is missing" in found
    serif = "styles.yaml:3: font role 'serif': unknown font face 'no-such-face'"
    assert any(line.startswith(serif) for line in found), found
    assert "styles.yaml:6: style 'body': unknown font role 'nowhere'" in found


def test_captured_output_is_checked_as_a_build_renders_it(tmp_path: Path) -> None:
    """A ``{% set %}`` block's output is what a build makes (here: empty once trimmed,
    so no <blink>), and what it shows is placed at the line showing it."""
    write(
        tmp_path,
        {
            "memo.html.j2": page(
                "{% set blank %}  {% endset %}\n"  # 3
                "{% if blank|trim %}<blink>never</blink>{% endif %}\n"  # 4
                "{% set shown %}<u>x</u>{% endset %}\n"  # 5
                "<p>{{ shown }}</p>\n"  # 6
            )
        },
    )
    assert lines(tmp_path) == ["memo.html.j2:6: unknown element <u>"]
