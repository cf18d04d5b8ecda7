"""One typed settings object, built once from four layers and passed whole.

    built-in defaults  <-  briefgen.toml  <-  environment (BRIEFGEN_*)  <-  command line

``load_settings`` reads the layers in that order (a later layer wins, key by key) and
returns a frozen ``Settings``; the CLI, a batch worker and a web request all build memos
from one. Every setting has one name, used everywhere:

=================  ============================  ==========================  ================
setting            briefgen.toml                 environment                 default
=================  ============================  ==========================  ================
langs              ``languages = [..]``          BRIEFGEN_LANGUAGES=a,b      zh-TW, en
audiences          ``audiences = [..]``          BRIEFGEN_AUDIENCES          the four built-in
formats            ``formats = [..]``            BRIEFGEN_FORMATS            docx, pdf
output             ``output``                    BRIEFGEN_OUTPUT             output
template_dirs      ``templates = [..]``          BRIEFGEN_TEMPLATES          none
termbases          ``termbases = [..]``          BRIEFGEN_TERMBASES          none
memories           ``memories = [..]``           BRIEFGEN_MEMORIES           none
date_style         ``date_style``                BRIEFGEN_DATE_STYLE         gregorian
organisation …     ``organisation``, ``author``, ``classification``, ``paper``,
                   ``opencc``, ``romanize``, ``fuzzy``, ``strict``, ``encoding``, ``jobs``
engine.*           ``[engine] kind url model key_env timeout``   BRIEFGEN_ENGINE_URL …
smtp.*             ``[smtp] host port tls user from max_size timeout retries backoff``
                                                                 BRIEFGEN_SMTP_HOST …
office.*           ``[office] agency unit head address contact phone fax email recipient
                   original_to copies_to doc_number speed secrecy attachments date``
                                                                 BRIEFGEN_OFFICE_UNIT …
=================  ============================  ==========================  ================

List values in the environment are comma-separated (paths: ``os.pathsep``-separated).
Secrets are never settings: the engine key comes from the variable ``engine.key_env``
names, the SMTP password from ``BRIEFGEN_SMTP_PASSWORD`` or the keyring. Relative paths
in briefgen.toml are relative to its directory; elsewhere to the working directory.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from .errors import BriefgenError
from .languages import OUTPUT_LANGS

CONFIG_NAME = "briefgen.toml"
DEFAULT_AUDIENCES: tuple[str, ...] = ("leadership", "working", "press", "gongwen")
DEFAULT_FORMATS: tuple[str, ...] = ("docx", "pdf")
DATE_STYLES: tuple[str, ...] = ("gregorian", "roc")
OPENCC_CONFIGS: tuple[str, ...] = ("s2tw", "s2twp")
ENGINE_KINDS: tuple[str, ...] = ("openai", "argos")
TLS_MODES: tuple[str, ...] = ("starttls", "ssl", "none")
DEFAULT_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
MB = 1024 * 1024


def _quiet(_message: str) -> None:
    """The default reporter: says nothing."""


#: A callback told what is going on (one line each); ``Settings.info`` and ``progress``.
Reporter = Callable[[str], None]


@dataclass(frozen=True)
class EngineSettings:
    """Machine translation: which engine (None = none) and how to reach it."""

    kind: str | None = None
    url: str | None = None
    model: str | None = None
    #: The environment variable holding the API key (never a setting's value).
    key_env: str = "BRIEFGEN_ENGINE_KEY"
    #: Seconds to wait for one reply.
    timeout: float = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how ``briefgen send`` sends."""

    host: str = "localhost"
    port: int = 587
    tls: str = "starttls"
    user: str | None = None
    sender: str | None = None
    max_bytes: int = 20 * MB
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0


@dataclass(frozen=True)
class OfficeSettings:
    """The office a 簽 (internal proposal) or 函 (letter to another agency) comes from and
    goes to, as the 文書處理手冊 lays them out; ``[office]`` in briefgen.toml. Every value
    is optional: a value not given is left out of the document, never invented. Values may
    be "zh-TW|English" like the organisation."""

    #: 機關全銜: the agency's full name (函 heading, 簽 header).
    agency: str = ""
    #: 簽於: the drafting unit (e.g. 雙邊貿易一組).
    unit: str = ""
    #: 敬陳: who the 簽 goes up to (e.g. 署長).
    head: str = ""
    #: 地址 and 聯絡方式 of the 函: address, contact person, phone, fax, e-mail.
    address: str = ""
    contact: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    #: 受文者 of the 函; 正本 and 副本 recipients.
    recipient: str = ""
    original_to: tuple[str, ...] = ()
    copies_to: tuple[str, ...] = ()
    #: 發文字號 (e.g. 貿雙一字第1150001234號), 速別 (普通件/速件/最速件), 密等及解密條件或保密期限.
    doc_number: str = ""
    speed: str = ""
    secrecy: str = ""
    #: 附件.
    attachments: str = ""
    #: The date the 簽 or 函 is dated (ISO, e.g. 2026-01-29); empty: the day it is built.
    date: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything a build needs besides its input; see the module docstring.

    ``info`` and ``progress`` are where messages go (verbose details and progress lines);
    they are not compared and default to saying nothing.
    """

    langs: tuple[str, ...] = OUTPUT_LANGS
    audiences: tuple[str, ...] = DEFAULT_AUDIENCES
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output: Path = Path("output")
    template_dirs: tuple[Path, ...] = ()
    termbases: tuple[Path, ...] = ()
    memories: tuple[Path, ...] = ()
    #: Also use reviewed TMX files found beside the source (``<stem>*.tmx``).
    sibling_memories: bool = True
    #: Also use the user's translation memory (``briefgen tm``).
    user_memory: bool = True
    #: Text encoding of the article (None: detected).
    encoding: str | None = None
    date_style: str = "gregorian"
    #: OpenCC configuration for Simplified-Chinese sources: s2tw or s2twp.
    opencc: str = "s2tw"
    #: "wade-giles" romanizes unknown Chinese personal names (marked unverified).
    romanize: str | None = None
    #: Refuse to write memos while any passage is untranslated (exit 5).
    strict: bool = False
    #: Fuzzy translation-memory threshold (0.5..1); 1.0 takes exact matches only.
    fuzzy: float = 0.9
    #: Running header: organisation and classification ("zh-TW|English" or one value);
    #: author in the memos' properties.
    organisation: str = ""
    classification: str = ""
    author: str = ""
    #: A Word document whose styles the DOCX memos use.
    reference_docx: Path | None = None
    #: Paper size (None: the style sheet's).
    paper: str | None = None
    #: Worker processes for a batch build (None: the number of cores).
    jobs: int | None = None
    engine: EngineSettings = field(default_factory=EngineSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    office: OfficeSettings = field(default_factory=OfficeSettings)
    info: Reporter = field(default=_quiet, compare=False, repr=False)
    progress: Reporter | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("langs", "audiences", "formats"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("template_dirs", "termbases", "memories"):
            object.__setattr__(self, name, tuple(Path(p) for p in getattr(self, name)))
        for name in ("output", "reference_docx"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
        _validate(self)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (validated like the original)."""
        return replace(self, **changes)

    def fingerprint(self) -> dict[str, Any]:
        """What decides a build's output, as JSON-ready values (recorded in the manifest
        so an up-to-date output can be recognised)."""
        skip = {"info", "progress", "output", "jobs", "smtp"}
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in skip:
                continue
            value = getattr(self, f.name)
            if isinstance(value, EngineSettings | OfficeSettings):
                value = {
                    k.name: getattr(value, k.name) for k in fields(value) if k.name != "timeout"
                }
            out[f.name] = _jsonable(value)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _validate(s: Settings) -> None:
    """One-line ``BriefgenError`` for a value no build can use."""
    for lang in s.langs:
        if lang not in OUTPUT_LANGS:
            raise BriefgenError(
                f"unknown language {lang!r} (choose from {', '.join(OUTPUT_LANGS)})"
            )
    from .writers import WRITERS  # a light module: the writers themselves load lazily

    for fmt in s.formats:
        if fmt not in WRITERS:
            raise BriefgenError(f"unknown format {fmt!r} (choose from {', '.join(WRITERS)})")
    if not (s.langs and s.audiences and s.formats):
        raise BriefgenError("nothing to build: give at least one language, audience and format")
    if not 0.5 <= s.fuzzy <= 1.0:
        raise BriefgenError("--fuzzy must be between 0.5 and 1.0")
    if s.opencc not in OPENCC_CONFIGS:
        raise BriefgenError("--opencc must be s2tw or s2twp")
    if s.date_style not in DATE_STYLES:
        raise BriefgenError("--date-style must be gregorian or roc")
    if s.romanize not in (None, "wade-giles"):
        raise BriefgenError("--romanize must be wade-giles")
    if s.paper not in (None, "A4", "letter"):
        raise BriefgenError("paper must be A4 or letter")
    if s.jobs is not None and s.jobs < 1:
        raise BriefgenError("--jobs must be at least 1")
    if s.engine.kind not in (None, *ENGINE_KINDS):
        raise BriefgenError(f"engine must be none or one of {', '.join(ENGINE_KINDS)}")
    if s.engine.timeout <= 0:
        raise BriefgenError("engine timeout must be positive")
    if s.office.date:
        try:
            date.fromisoformat(s.office.date)
        except ValueError:
            raise BriefgenError(
                f"office date must be a date like 2026-01-29, not {s.office.date!r}"
            ) from None
    smtp = s.smtp
    if smtp.tls not in TLS_MODES:
        raise BriefgenError(f"smtp tls must be one of {', '.join(TLS_MODES)}, not {smtp.tls!r}")
    if not 0 < smtp.port < 65536:
        raise BriefgenError(f"smtp port must be 1-65535, not {smtp.port}")
    if smtp.max_bytes <= 0 or smtp.timeout <= 0 or smtp.retries < 0 or smtp.backoff < 0:
        raise BriefgenError("smtp settings: max size and timeout must be positive")


# ---------------------------------------------------------------------------------------
# The layers
# ---------------------------------------------------------------------------------------

#: Top-level settings: config/environment key -> (Settings field, kind).
_TOP: dict[str, tuple[str, str]] = {
    "languages": ("langs", "list"),
    "audiences": ("audiences", "list"),
    "formats": ("formats", "list"),
    "output": ("output", "path"),
    "templates": ("template_dirs", "paths"),
    "termbases": ("termbases", "paths"),
    "memories": ("memories", "paths"),
    "encoding": ("encoding", "str"),
    "date_style": ("date_style", "str"),
    "opencc": ("opencc", "str"),
    "romanize": ("romanize", "str"),
    "strict": ("strict", "bool"),
    "fuzzy": ("fuzzy", "float"),
    "organisation": ("organisation", "str"),
    "classification": ("classification", "str"),
    "author": ("author", "str"),
    "reference_docx": ("reference_docx", "path"),
    "paper": ("paper", "str"),
    "jobs": ("jobs", "int"),
}
_ENGINE: dict[str, tuple[str, str]] = {
    "kind": ("kind", "str"),
    "url": ("url", "str"),
    "model": ("model", "str"),
    "key_env": ("key_env", "str"),
    "timeout": ("timeout", "float"),
}
_SMTP: dict[str, tuple[str, str]] = {
    "host": ("host", "str"),
    "port": ("port", "int"),
    "tls": ("tls", "str"),
    "user": ("user", "str"),
    "from": ("sender", "str"),
    "sender": ("sender", "str"),
    "max_size": ("max_bytes", "mb"),
    "timeout": ("timeout", "float"),
    "retries": ("retries", "int"),
    "backoff": ("backoff", "float"),
}
_OFFICE: dict[str, tuple[str, str]] = {
    name: (name, "list" if name in ("original_to", "copies_to") else "str")
    for name in (
        "agency",
        "unit",
        "head",
        "address",
        "contact",
        "phone",
        "fax",
        "email",
        "recipient",
        "original_to",
        "copies_to",
        "doc_number",
        "speed",
        "secrecy",
        "attachments",
        "date",
    )
}
_FORBIDDEN = {"password", "pass", "key", "api_key", "smtp_password"}


#: The tables of briefgen.toml (and ``BRIEFGEN_<TABLE>_<KEY>`` variables).
_SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "engine": _ENGINE,
    "smtp": _SMTP,
    "office": _OFFICE,
}


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path | None:
    """``explicit`` (must exist), else ``briefgen.toml`` in ``cwd`` (default: the working
    directory) if there is one."""
    if explicit is not None:
        if not explicit.is_file():
            raise BriefgenError(f"{explicit}: no such config file")
        return explicit
    local = (cwd or Path.cwd()) / CONFIG_NAME
    return local if local.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    """The parsed TOML of ``path``; one clear error line if it is not valid, holds a secret
    or an unknown key."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise BriefgenError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise BriefgenError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    sections = [("", data)] + [(n, data.get(n)) for n in _SECTIONS]
    for name, section in sections:
        if section is None:
            continue
        if not isinstance(section, dict):
            raise BriefgenError(f"{path}: [{name}] must be a table")
        for key in section:
            if key.lower() in _FORBIDDEN:
                raise BriefgenError(
                    f"{path}: '{key}' must not be in the config file; secrets come from "
                    "environment variables (BRIEFGEN_ENGINE_KEY, BRIEFGEN_SMTP_PASSWORD)"
                )
    for name, table in (("", _TOP), *_SECTIONS.items()):
        section = data.get(name, {}) if name else data
        known = set(table) | (set(_SECTIONS) if not name else set())
        unknown = sorted(set(section) - known)
        if unknown:
            where = f"{name} setting" if name else "setting"
            raise BriefgenError(f"{path}: unknown {where} {unknown[0]!r}")
    return data


def _parse(value: Any, kind: str, key: str, base: Path | None, origin: str) -> Any:
    """``value`` from a config file (typed TOML) or the environment (a string) as ``kind``."""
    try:
        if kind in ("list", "paths"):
            if isinstance(value, str):
                sep = os.pathsep if kind == "paths" and base is None else ","
                items = [v.strip() for v in value.split(sep) if v.strip()]
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                items = value
            else:
                raise ValueError("must be a string or a list of strings")
            if kind == "paths":
                return tuple(_path(v, base) for v in items)
            return tuple(items)
        if kind == "path":
            return _path(_string(value), base)
        if kind == "str":
            text = _string(value)
            return None if key in ("kind", "romanize") and text == "none" else text
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = _string(value).lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError("must be true or false")
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError("must be a whole number")
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError("must be a number")
            return float(value)
        if kind == "mb":
            return round(float(value) * MB)
    except (TypeError, ValueError) as exc:
        raise BriefgenError(f"{origin}: {key} {exc}") from None
    raise AssertionError(kind)


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError("must be a string")


def _path(value: str, base: Path | None) -> Path:
    path = Path(value).expanduser()
    return path if base is None or path.is_absolute() else base / path


def _layer(
    data: Mapping[str, Any], base: Path | None, origin: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Top-level values and each table's values (engine, smtp, office) of one layer
    (config data or environment)."""
    top = {_TOP[k][0]: _parse(v, _TOP[k][1], k, base, origin) for k, v in data.items() if k in _TOP}
    tables = {
        name: {
            table[k][0]: _parse(v, table[k][1], f"{name}.{k}", base, origin)
            for k, v in (data.get(name) or {}).items()
            if k in table
        }
        for name, table in _SECTIONS.items()
    }
    return top, tables


def environment_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings ``environ`` gives, as a config-shaped dict (``BRIEFGEN_DATE_STYLE``
    -> ``date_style``, ``BRIEFGEN_ENGINE_URL`` -> ``engine.url``, ``BRIEFGEN_SMTP_FROM``
    -> ``smtp.from``). Empty variables are ignored."""
    data: dict[str, Any] = {}
    for key in _TOP:
        value = environ.get(f"BRIEFGEN_{key.upper()}")
        if value:
            data[key] = value
    for section, table in _SECTIONS.items():
        for key in table:
            value = environ.get(f"BRIEFGEN_{section.upper()}_{key.upper()}")
            if value:
                data.setdefault(section, {})[key] = value
    return data


def load_settings(
    *,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    engine: Mapping[str, Any] | None = None,
    smtp: Mapping[str, Any] | None = None,
    office: Mapping[str, Any] | None = None,
    info: Reporter = _quiet,
    progress: Reporter | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Settings from the built-in defaults, then ``config`` (a briefgen.toml; None: the
    working directory's if there is one — pass ``cwd`` to look elsewhere), then
    ``environ`` (default ``os.environ``), then ``overrides`` (Settings field names, e.g.
    from command-line options; None values mean "not given") and the ``engine``/``smtp``
    overrides, and ``office`` (their field names)."""
    path = find_config(config, cwd)
    top: dict[str, Any] = {}
    engine_values: dict[str, Any] = {}
    smtp_values: dict[str, Any] = {}
    layers: list[tuple[Mapping[str, Any], Path | None, str]] = []
    if path is not None:
        layers.append((read_config(path), path.resolve().parent, str(path)))
    env = os.environ if environ is None else environ
    layers.append((environment_layer(env), None, "environment"))
    office_values: dict[str, Any] = {}
    for data, base, origin in layers:
        t, tables = _layer(data, base, origin)
        top.update(t)
        engine_values.update(tables["engine"])
        smtp_values.update(tables["smtp"])
        office_values.update(tables["office"])
    top.update({k: _given(v) for k, v in (overrides or {}).items() if v is not None})
    engine_values.update({k: v for k, v in (engine or {}).items() if v is not None})
    smtp_values.update({k: v for k, v in (smtp or {}).items() if v is not None})
    office_values.update({k: _given(v) for k, v in (office or {}).items() if v is not None})
    if engine_values.get("kind") == "none":
        engine_values["kind"] = None
    tls = smtp_values.get("tls", "starttls")
    if "port" not in smtp_values and tls in DEFAULT_SMTP_PORTS:
        smtp_values["port"] = DEFAULT_SMTP_PORTS[tls]
    unknown = sorted(set(top) - {f.name for f in fields(Settings)})
    if unknown:
        raise BriefgenError(f"unknown setting {unknown[0]!r}")
    return Settings(
        **top,
        engine=EngineSettings(**engine_values),
        smtp=SmtpSettings(**smtp_values),
        office=OfficeSettings(**office_values),
        info=info,
        progress=progress,
    )


def _given(value: Any) -> Any:
    """A command-line value as a Settings value (sequences become tuples)."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def for_language(value: str, lang: str) -> str:
    """``"限閱|LIMITED DISTRIBUTION"`` -> the zh-TW or the English half; a value without
    ``|`` serves every language."""
    from .languages import is_cjk

    if "|" not in value:
        return value.strip()
    zh, _, en = value.partition("|")
    return (zh if is_cjk(lang) else en).strip()
