"""``briefgen.toml``: defaults for the command line, from the working directory or
``--config FILE``. Command-line options always win.

    # briefgen.toml
    audiences = ["leadership", "working"]
    languages = ["zh-TW", "en"]
    formats = ["docx", "pdf"]
    organisation = "經濟部國際貿易署|International Trade Administration, MOEA"
    author = "Office of Trade Negotiations"
    classification = "限閱|LIMITED DISTRIBUTION"
    date_style = "roc"            # or "gregorian"
    output = "memos"
    templates = ["office-templates"]
    termbases = ["office-terms.tsv"]
    memories = ["office.tmx"]
    paper = "A4"

    [engine]
    kind = "openai"               # none | openai | argos
    url = "http://127.0.0.1:11434"
    model = "qwen2.5:7b"
    key_env = "BRIEFGEN_ENGINE_KEY"   # the key itself never goes in this file

    [smtp]
    host = "smtp.example.org"
    port = 587
    tls = "starttls"
    user = "memos@example.org"
    sender = "memos@example.org"  # the password comes from BRIEFGEN_SMTP_PASSWORD only

Relative paths are relative to the config file's directory.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import BriefgenError

CONFIG_NAME = "briefgen.toml"

_LIST_KEYS = {"audiences": "audience", "languages": "lang", "formats": "formats"}
_SCALARS = {
    "organisation": "organisation",
    "author": "author",
    "classification": "classification",
    "date_style": "date_style",
    "paper": "paper",
    "opencc": "opencc",
    "romanize": "romanize",
    "fuzzy": "fuzzy",
    "strict": "strict",
}
_PATHS = {"output": "output"}
_PATH_LISTS = {"templates": "template_dirs", "termbases": "termbases", "memories": "memories"}
_ENGINE = {
    "kind": "engine",
    "url": "engine_url",
    "model": "engine_model",
    "key_env": "engine_key_env",
    "timeout": "engine_timeout",
}
_FORBIDDEN = {"password", "key", "api_key", "smtp_password"}
#: Which commands take which options.
_COMMANDS = {
    "build": None,
    "render": None,
    "extract": {
        "lang",
        "termbases",
        "memories",
        "opencc",
        "romanize",
        "fuzzy",
        "engine",
        "engine_url",
        "engine_model",
        "engine_key_env",
        "engine_timeout",
    },
}


def find_config(explicit: Path | None) -> Path | None:
    """``explicit`` (must exist), else ``./briefgen.toml`` if there is one."""
    if explicit is not None:
        if not explicit.is_file():
            raise BriefgenError(f"{explicit}: no such config file")
        return explicit
    local = Path.cwd() / CONFIG_NAME
    return local if local.is_file() else None


def load_config(path: Path) -> dict[str, Any]:
    """The parsed TOML; one clear error line if it is not valid."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise BriefgenError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise BriefgenError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    for section in (data, data.get("engine", {}), data.get("smtp", {})):
        for key in section:
            if key.lower() in _FORBIDDEN:
                raise BriefgenError(
                    f"{path}: '{key}' must not be in the config file; secrets come from "
                    "environment variables (BRIEFGEN_ENGINE_KEY, BRIEFGEN_SMTP_PASSWORD)"
                )
    return data


def default_map(data: dict[str, Any], base: Path) -> dict[str, dict[str, Any]]:
    """Click ``default_map`` for the commands, from a parsed config."""
    known = set(_LIST_KEYS) | set(_SCALARS) | set(_PATHS) | set(_PATH_LISTS) | {"engine", "smtp"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise BriefgenError(f"config: unknown setting {unknown[0]!r}")
    values: dict[str, Any] = {}
    for key, param in _LIST_KEYS.items():
        if key in data:
            values[param] = ",".join(_strings(data[key], key))
    for key, param in _SCALARS.items():
        if key in data:
            values[param] = data[key]
    for key, param in _PATHS.items():
        if key in data:
            values[param] = str(base / str(data[key]))
    for key, param in _PATH_LISTS.items():
        if key in data:
            values[param] = [str(base / p) for p in _strings(data[key], key)]
    engine = data.get("engine", {})
    for key in engine:
        if key not in _ENGINE:
            raise BriefgenError(f"config: unknown engine setting {key!r}")
        values[_ENGINE[key]] = engine[key]
    result: dict[str, dict[str, Any]] = {}
    for command, allowed in _COMMANDS.items():
        result[command] = {k: v for k, v in values.items() if allowed is None or k in allowed}
    return result


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise BriefgenError(f"config: {key} must be a string or a list of strings")
