"""Label catalogs: complete for zh-TW, in sync with the templates."""

from __future__ import annotations

from importlib import resources

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from briefgen.render.i18n import translations


def _catalog(locale: str):
    ref = resources.files("briefgen") / "locale" / locale / "LC_MESSAGES" / "briefgen.po"
    with ref.open("rb") as handle:
        return read_po(handle, locale=locale)


def _template_messages() -> set[str]:
    root = resources.files("briefgen")
    found = set()
    for sub, method in (("templates", "jinja2"), ("render", "python")):
        options = {
            "**.j2": {"extensions": "jinja2.ext.do", "trim_blocks": "True", "lstrip_blocks": "True"}
        }
        for _, _, message, _, _ in extract_from_dir(
            str(root / sub),
            method_map=[("**.j2", method), ("**.py", method)],
            options_map=options,
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_template_yields_its_labels() -> None:
    """A template the extractor cannot parse yields nothing, silently: make sure each
    built-in audience's own label is found."""
    messages = _template_messages()
    for label in (
        "Leadership (one-page summary)",
        "Working level (full detail)",
        "Press office (public lines)",
        "Memorandum: %(event)s",
    ):
        assert label in messages


def test_every_template_label_is_in_the_zh_catalog_and_translated() -> None:
    catalog = _catalog("zh_Hant_TW")
    messages = _template_messages()
    assert len(messages) > 30
    for message in messages:
        entry = catalog.get(message)
        assert entry is not None, f"{message!r} missing from zh_Hant_TW catalog"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"{message!r} has no zh-TW translation"


def test_catalogs_compile_and_translate() -> None:
    assert translations("zh-TW").gettext("Bottom line") == "重點摘要"
    assert translations("en").gettext("Bottom line") == "Bottom line"


def test_pybabel_extract_with_the_repository_config_is_not_empty(tmp_path) -> None:
    """The documented `pybabel extract -F babel.cfg …` command yields the catalog."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pot = tmp_path / "briefgen.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            "briefgen/templates",
            "briefgen/render",
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    text = pot.read_text(encoding="utf-8")
    assert text.count("msgid ") > 80
    assert 'msgid "Leadership (one-page summary)"' in text
    assert 'msgid "Memorandum: %(event)s"' in text
