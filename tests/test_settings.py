"""briefgen.settings: defaults <- briefgen.toml <- environment <- command line."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.settings import (
    EngineSettings,
    Settings,
    SmtpSettings,
    environment_layer,
    for_language,
    load_settings,
)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefgen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_layer(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings == Settings()
    assert settings.langs == ("zh-TW", "en")
    assert settings.audiences == ("leadership", "working", "press", "gongwen")
    assert settings.formats == ("docx", "pdf")
    assert settings.date_style == "gregorian"
    assert settings.engine == EngineSettings()
    assert settings.smtp == SmtpSettings()


def test_each_layer_wins_over_the_one_before(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        'date_style = "roc"\norganisation = "經濟部|MOEA"\nfuzzy = 0.8\n'
        'languages = ["en"]\n[engine]\nkind = "openai"\nurl = "http://a"\nmodel = "m"\n'
        '[smtp]\nhost = "mail.example.org"\ntls = "ssl"\n',
    )
    from_file = load_settings(config=config, environ={})
    assert from_file.date_style == "roc" and from_file.langs == ("en",)
    assert from_file.engine == EngineSettings(kind="openai", url="http://a", model="m")
    assert from_file.smtp.host == "mail.example.org" and from_file.smtp.port == 465

    environ = {
        "BRIEFGEN_DATE_STYLE": "gregorian",
        "BRIEFGEN_FUZZY": "0.95",
        "BRIEFGEN_ENGINE_URL": "http://b",
        "BRIEFGEN_SMTP_PORT": "2525",
    }
    from_env = load_settings(config=config, environ=environ)
    assert from_env.date_style == "gregorian" and from_env.fuzzy == 0.95
    assert from_env.organisation == "經濟部|MOEA"  # untouched by the environment
    assert from_env.engine.url == "http://b" and from_env.engine.model == "m"
    assert from_env.smtp.port == 2525

    cli = load_settings(
        config=config,
        environ=environ,
        overrides={"date_style": "roc", "langs": ["zh-TW"], "organisation": None},
        engine={"model": "n"},
    )
    assert cli.date_style == "roc" and cli.langs == ("zh-TW",)
    assert cli.organisation == "經濟部|MOEA"  # None: not given on the command line
    assert cli.engine == EngineSettings(kind="openai", url="http://b", model="n")


def test_relative_paths_follow_their_layer(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "conf").mkdir()
    config = _config(tmp_path / "conf", 'templates = ["tpl"]\noutput = "memos"\n')
    settings = load_settings(config=config, environ={})
    assert settings.template_dirs == ((tmp_path / "conf" / "tpl").resolve(),)
    assert settings.output == (tmp_path / "conf" / "memos").resolve()
    env = load_settings(environ={"BRIEFGEN_TERMBASES": "a.tsv:b.tsv"}, cwd=tmp_path)
    assert env.termbases == (Path("a.tsv"), Path("b.tsv"))


def test_smtp_sender_is_from_or_sender(tmp_path: Path) -> None:
    for key in ("from", "sender"):
        config = _config(tmp_path, f'[smtp]\n{key} = "memos@example.org"\nmax_size = 5\n')
        smtp = load_settings(config=config, environ={}).smtp
        assert smtp.sender == "memos@example.org" and smtp.max_bytes == 5 * 1024 * 1024


def test_office_table_for_official_documents(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '[office]\nagency = "經濟部國際貿易署"\nunit = "雙邊貿易一組"\nhead = "署長"\n'
        'copies_to = ["本署秘書室", "駐美國代表處經濟組"]\n',
    )
    office = load_settings(
        config=config, environ={"BRIEFGEN_OFFICE_SPEED": "速件"}, office={"date": "2026-01-29"}
    ).office
    assert (office.agency, office.unit, office.head) == ("經濟部國際貿易署", "雙邊貿易一組", "署長")
    assert office.copies_to == ("本署秘書室", "駐美國代表處經濟組")
    assert office.speed == "速件" and office.date == "2026-01-29"
    assert office.recipient == ""  # not given: left out, never invented
    with pytest.raises(BriefgenError, match="office date must be a date"):
        load_settings(config=config, environ={}, office={"date": "29/1"})
    with pytest.raises(BriefgenError, match="unknown office setting 'fax_number'"):
        load_settings(config=_config(tmp_path, "[office]\nfax_number = 1\n"), environ={})
    assert Settings(office=office).fingerprint()["office"]["unit"] == "雙邊貿易一組"


def test_working_directory_config_is_found(tmp_path: Path) -> None:
    _config(tmp_path, 'formats = "docx"\n')
    assert load_settings(environ={}, cwd=tmp_path).formats == ("docx",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date_style = [\n", "not valid TOML"),
        ("colour = 1\n", "unknown setting 'colour'"),
        ("[engine]\nkey = 'x'\n", "must not be in the config file"),
        ("[smtp]\npassword = 'x'\n", "must not be in the config file"),
        ("[engine]\nspeed = 1\n", "unknown engine setting 'speed'"),
        ("languages = 3\n", "languages must be a string or a list of strings"),
        ("fuzzy = 'high'\n", "fuzzy could not convert"),
        ("date_style = 'julian'\n", "--date-style must be gregorian or roc"),
        ("languages = ['fr']\n", "unknown language 'fr'"),
        ("[smtp]\ntls = 'maybe'\n", "smtp tls must be one of"),
        ("engine = 3\n", "[engine] must be a table"),
    ],
)
def test_bad_settings_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BriefgenError) as info:
        load_settings(config=_config(tmp_path, text), environ={})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_bad_environment_value_names_the_layer(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match="environment: jobs"):
        load_settings(environ={"BRIEFGEN_JOBS": "many"}, cwd=tmp_path)
    with pytest.raises(BriefgenError, match="strict must be true or false"):
        load_settings(environ={"BRIEFGEN_STRICT": "perhaps"}, cwd=tmp_path)


def test_secrets_never_come_from_the_environment_layer() -> None:
    layer = environment_layer(
        {"BRIEFGEN_ENGINE_KEY": "k", "BRIEFGEN_SMTP_PASSWORD": "p", "BRIEFGEN_PAPER": "A4"}
    )
    assert layer == {"paper": "A4"}


def test_settings_cross_process_boundaries_and_compare_by_value() -> None:
    settings = Settings(langs=["en"], template_dirs=["x"], info=print)
    assert settings.langs == ("en",) and settings.template_dirs == (Path("x"),)
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings == Settings(langs=("en",), template_dirs=(Path("x"),))
    assert settings.replace(date_style="roc").date_style == "roc"
    with pytest.raises(BriefgenError):
        settings.replace(formats=("rtf",))


def test_fingerprint_holds_what_decides_the_output() -> None:
    fingerprint = Settings(date_style="roc").fingerprint()
    assert fingerprint["date_style"] == "roc"
    assert fingerprint["engine"]["kind"] is None
    for noise in ("info", "progress", "output", "jobs", "smtp"):
        assert noise not in fingerprint
    assert Settings().fingerprint() != fingerprint


def test_for_language_takes_the_half_for_the_script() -> None:
    assert for_language("限閱|LIMITED", "zh-TW") == "限閱"
    assert for_language("限閱|LIMITED", "en") == "LIMITED"
    assert for_language(" MOEA ", "zh-TW") == "MOEA"
