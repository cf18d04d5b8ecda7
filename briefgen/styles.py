"""The style sheet: semantic style names -> concrete look, with inheritance.

One YAML file decides fonts, sizes, colours, spacing and the page; writers hard-code none
of it. ``styles`` entries may name a ``parent``; ``lang.<tag>`` sections override any
part for one language. Sizes are in points, lengths accept ``mm``/``cm``/``in``/``pt``.
"""

from __future__ import annotations

import copy
import math
import os
import re
import stat
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .errors import TemplateError

_LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*$")
_UNITS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, None: 1.0}
PAPER = {"A4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
_STYLE_KEYS = {
    "parent",
    "font",
    "size",
    "leading",
    "bold",
    "italic",
    "color",
    "background",
    "space_before",
    "space_after",
    "indent",
    "first_line_indent",
    "align",
    "keep_with_next",
    "border_color",
    "border_width",
    "padding",
    "underline",
}


#: Largest style sheet read, and largest logo image accepted (checked before reading).
MAX_STYLESHEET_BYTES = 256 * 1024
MAX_LOGO_BYTES = 5 * 1024 * 1024
#: Deepest nesting and most nodes (aliases expanded) a style sheet may have.
MAX_DEPTH = 12
MAX_NODES = 20_000


class StyleSheetError(TemplateError):
    """A style sheet that is not valid: ``message`` names the file, ``detail`` is the
    same without the file (nor the line), ``path`` the key path of the problem and
    ``line`` its line in the file, when known."""

    def __init__(
        self,
        message: str,
        path: tuple[str, ...] = (),
        *,
        detail: str = "",
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail or message
        self.line = line


class _Refused(yaml.YAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """YAML's safe loader refusing, while it composes and before anything is
    constructed, nesting deeper than ``MAX_DEPTH`` and documents of more than
    ``MAX_NODES`` nodes once aliases are expanded (an alias bomb is refused at once,
    in little memory) or with a recursive alias."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int], level: int) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise _Refused("a recursive alias")
    if level > MAX_DEPTH:
        raise _Refused(f"nested deeper than {MAX_DEPTH} levels (with its aliases)")
    active.add(key)
    size = 1
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    for child in children:
        size += _expanded_size(child, memo, active, level + 1)
        if size > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values (aliases expanded)")
    active.discard(key)
    memo[key] = size
    return size


#: The line (1-based) of each mapping key of a YAML document, by its path of keys.
KeyLines = dict[tuple[str, ...], int]


def load_yaml(text: str) -> Any:
    """``text`` as YAML (safe types only), within the limits of ``_Loader``."""
    return load_yaml_with_lines(text)[0]


def load_yaml_with_lines(text: str) -> tuple[Any, KeyLines]:
    """``text`` as YAML (see ``load_yaml``) and the line of each of its mapping keys."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _expanded_size(node, {}, set(), 1)
        lines: KeyLines = {}
        _key_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def _key_lines(node: yaml.Node, path: tuple[str, ...], lines: KeyLines) -> None:
    """Note in ``lines`` where each key under ``node`` (at ``path``) is written; the
    first place wins (an alias repeats a mapping written once)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            lines.setdefault(sub, key.start_mark.line + 1)
            _key_lines(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _key_lines(item, path, lines)


def length(value: Any) -> float:
    """A length in points from ``12``, ``"12pt"``, ``"20mm"``, ``"2cm"`` or ``"1in"``."""
    if isinstance(value, int | float):
        return float(value)
    m = _LENGTH_RE.match(str(value))
    if not m:
        raise StyleSheetError(
            f"style sheet: {value!r} is not a length", detail=f"{value!r} is not a length"
        )
    return float(m.group(1)) * _UNITS[m.group(2)]


# The schema ------------------------------------------------------------------------------

_COLOR_RE = re.compile(r"^#?[0-9A-Fa-f]{6}$")
_Check = Callable[[Any, tuple[str, ...], str], None]


def _fail(origin: str, path: tuple[str, ...], message: str) -> None:
    where = ".".join(path)
    detail = f"{where}: {message}" if where else message
    raise StyleSheetError(f"{origin}: {detail}", path, detail=detail)


#: While ``schema_problems`` runs: where each problem goes (instead of stopping at the
#: first).
_COLLECT: ContextVar[list[StyleSheetError] | None] = ContextVar("briefgen_collect", default=None)


def _checked(check: _Check, value: Any, path: tuple[str, ...], origin: str) -> None:
    try:
        check(value, path, origin)
    except StyleSheetError as exc:
        found = _COLLECT.get()
        if found is None:
            raise
        found.append(exc)


def _unknown_key(known: list[str]) -> _Check:
    def check(value: Any, path: tuple[str, ...], origin: str) -> None:
        where = ".".join(path[:-1])
        text = f"unknown key {path[-1]!r}"
        if len(known) <= 8:
            text += f" (known: {', '.join(known)})"
        detail = f"{where}: {text}" if where else text
        raise StyleSheetError(f"{origin}: {detail}", path, detail=detail)

    return check


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number(low: float, high: float, positive: bool = False) -> _Check:
    def check(value: Any, path: tuple[str, ...], origin: str) -> None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value) and low <= value <= high
        if not ok or (positive and value <= 0):
            what = "a positive number" if positive else "a number"
            _fail(origin, path, f"must be {what} up to {high:g}, not {_show(value)}")

    return check


def _length(low: float, high: float) -> _Check:
    def check(value: Any, path: tuple[str, ...], origin: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            _fail(origin, path, f"must be a length (12, 12pt, 20mm, 2cm, 1in), not {_show(value)}")
        try:
            points = length(value)
        except TemplateError:
            _fail(origin, path, f"must be a length (12, 12pt, 20mm, 2cm, 1in), not {_show(value)}")
            return
        if not (math.isfinite(points) and low <= points <= high):
            _fail(origin, path, f"must be a length from {low:g} to {high:g} pt, not {_show(value)}")

    return check


def _string(value: Any, path: tuple[str, ...], origin: str) -> None:
    if not isinstance(value, str):
        _fail(origin, path, f"must be a string, not {_show(value)}")


def _optional_string(value: Any, path: tuple[str, ...], origin: str) -> None:
    if value is not None:
        _string(value, path, origin)


def _boolean(value: Any, path: tuple[str, ...], origin: str) -> None:
    if not isinstance(value, bool):
        _fail(origin, path, f"must be true or false, not {_show(value)}")


def _colour(value: Any, path: tuple[str, ...], origin: str) -> None:
    if not (isinstance(value, str) and _COLOR_RE.match(value)):
        _fail(origin, path, f"must be a colour #rrggbb, not {_show(value)}")


def _choice(*choices: str) -> _Check:
    def check(value: Any, path: tuple[str, ...], origin: str) -> None:
        if value not in choices:
            _fail(origin, path, f"must be one of {', '.join(choices)}, not {_show(value)}")

    return check


def _faces(value: Any, path: tuple[str, ...], origin: str) -> None:
    good = isinstance(value, list) and 0 < len(value) <= 16
    if not good or not all(isinstance(v, str) and v for v in value):
        _fail(origin, path, f"must be a list of font names (1 to 16), not {_show(value)}")


_STYLE_SCHEMA: dict[str, _Check] = {
    "parent": _string,
    "font": _string,
    "size": _number(0, 200, positive=True),
    "leading": _number(0, 10, positive=True),
    "bold": _boolean,
    "italic": _boolean,
    "underline": _boolean,
    "keep_with_next": _boolean,
    "color": _colour,
    "background": _colour,
    "border_color": _colour,
    "border_width": _number(0, 20),
    "space_before": _length(0, 1000),
    "space_after": _length(0, 1000),
    "indent": _length(0, 1000),
    "first_line_indent": _length(-1000, 1000),
    "padding": _length(0, 100),
    "align": _choice("left", "right", "center", "justify"),
}


def _mapping_of(schema: dict[str, _Check] | _Check, keyed: bool = True) -> _Check:
    """A mapping whose keys are ``schema``'s (each value checked by its check), or
    with ``keyed=False`` any string keys, every value checked by ``schema``."""

    def check(value: Any, path: tuple[str, ...], origin: str) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            _fail(origin, path, f"must be a mapping, not {_show(value)}")
        for key, item in value.items():
            if not isinstance(key, str):
                _fail(origin, path, f"key {_show(key)} must be a string")
            sub = (*path, key)
            if not isinstance(schema, dict):
                _checked(schema, item, sub, origin)
            elif key in schema:
                _checked(schema[key], item, sub, origin)
            else:
                _checked(_unknown_key(sorted(schema)), item, sub, origin)

    return check


_SIDES = ("top", "bottom", "left", "right")
_FONT_SCHEMA = {
    "faces": _faces,
    "docx_latin": _string,
    "docx_east_asia": _string,
    "docx_east_asia_hans": _optional_string,
}
_SECTIONS: dict[str, _Check] = {
    "page": _mapping_of(
        {
            "paper": _choice("A4", "letter"),
            "margin": _mapping_of(
                {side: _length(0, 250) for side in ("top", "bottom", "left", "right")}
            ),
            "docx_reference": _string,
        }
    ),
    "letterhead": _mapping_of(
        {
            "organisation": _optional_string,
            "classification": _optional_string,
            "logo": _optional_string,
        }
    ),
    "usage": _mapping_of({"us_form": _string, "pair_first": _optional_string}),
    "fonts": _mapping_of(_mapping_of(_FONT_SCHEMA), keyed=False),
    "styles": _mapping_of(_mapping_of(_STYLE_SCHEMA), keyed=False),
}
_SCHEMA: dict[str, _Check] = {
    **_SECTIONS,
    "lang": _mapping_of(_mapping_of(_SECTIONS), keyed=False),
}


def validate(data: Any, origin: str = "style sheet") -> dict[str, Any]:
    """``data`` (a style sheet or a layer of one) checked against the schema: known keys
    only; sizes, leading and widths finite positive numbers within ranges; lengths with
    their units within ranges; colours ``#rrggbb``; ``faces`` a list of names; nesting no
    deeper than the schema's. Raises ``StyleSheetError`` naming the key."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        detail = "a style sheet must be a mapping"
        raise StyleSheetError(f"{origin}: {detail}", detail=detail)
    _mapping_of(_SCHEMA)(data, (), origin)
    return data


def schema_problems(data: Any, origin: str = "style sheet") -> list[StyleSheetError]:
    """Every problem ``validate`` finds in ``data``, not only the first."""
    found: list[StyleSheetError] = []
    token = _COLLECT.set(found)
    try:
        validate(data, origin)
    except StyleSheetError as exc:
        found.append(exc)
    finally:
        _COLLECT.reset(token)
    return found


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass(frozen=True)
class FontRole:
    """A font role (``serif``, ``sans``): the faces to try in order for PDF, and the
    names Word should use for Latin and East Asian text, and for East Asian text marked
    Simplified Chinese (``docx_east_asia_hans``, by default the East Asian one)."""

    faces: tuple[str, ...]
    docx_latin: str
    docx_east_asia: str
    docx_east_asia_hans: str = ""

    def east_asia_for(self, lang: str | None) -> str:
        """The East Asian font name for text in ``lang``."""
        if lang and is_hans(lang) and self.docx_east_asia_hans:
            return self.docx_east_asia_hans
        return self.docx_east_asia


def is_hans(lang: str) -> bool:
    """Whether the BCP 47 tag ``lang`` is Chinese written in Simplified characters
    (zh-CN, zh-SG, zh-MY, zh-Hans…)."""
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] != "zh":
        return False
    rest = parts[1:]
    if "hans" in rest:
        return True
    return "hant" not in rest and any(p in ("cn", "sg", "my") for p in rest)


class StyleSheet:
    """A style sheet resolved for one language."""

    def __init__(self, data: dict[str, Any], lang: str, origin: str = "style sheet") -> None:
        self.origin = origin
        self.lang = lang
        validate(data, origin)
        per_lang = (data.get("lang") or {}).get(lang) or {}
        self.data = _merge({k: v for k, v in data.items() if k != "lang"}, per_lang)
        self._cache: dict[str, dict[str, Any]] = {}
        for name, props in (self.data.get("styles") or {}).items():
            unknown = set(props or {}) - _STYLE_KEYS
            if unknown:
                key = sorted(unknown)[0]
                detail = f"style {name!r}: unknown key {key!r}"
                raise StyleSheetError(f"{origin}: {detail}", ("styles", name, key), detail=detail)
        problems = missing_font_names(self.data)
        if problems:
            path, detail = problems[0]
            raise StyleSheetError(f"{origin}: {detail}", path, detail=detail)

    def _fail(self, path: tuple[str, ...], detail: str) -> None:
        raise StyleSheetError(f"{self.origin}: {detail}", path, detail=detail)

    @property
    def names(self) -> list[str]:
        """Every style name defined."""
        return list(self.data.get("styles") or {})

    def has(self, name: str) -> bool:
        """Whether ``name`` is a defined style."""
        return name in (self.data.get("styles") or {})

    def style(self, name: str) -> dict[str, Any]:
        """The properties of ``name`` with its parents' filled in (``body`` is the root)."""
        if name in self._cache:
            return self._cache[name]
        styles = self.data.get("styles") or {}
        if name not in styles:
            self._fail(("styles", name), f"unknown style {name!r}")
        chain: list[dict[str, Any]] = []
        seen: set[str] = set()
        current: str | None = name
        while current:
            if current in seen:
                self._fail(("styles", name, "parent"), f"style {name!r} inherits from itself")
            seen.add(current)
            if current not in styles:
                message = f"style {name!r} has unknown parent {current!r}"
                self._fail(("styles", name, "parent"), message)
            props = styles[current] or {}
            chain.append(props)
            current = props.get("parent") or (None if current == "body" else "body")
        resolved: dict[str, Any] = {}
        for props in reversed(chain):
            resolved.update({k: v for k, v in props.items() if k != "parent"})
        self._cache[name] = resolved
        return resolved

    def font_role(self, role: str) -> FontRole:
        """The faces and Word font names of ``role``."""
        fonts = self.data.get("fonts") or {}
        if role not in fonts:
            self._fail(("fonts", role), f"unknown font role {role!r}")
        spec = fonts[role]
        return FontRole(
            tuple(spec["faces"]),
            spec["docx_latin"],
            spec["docx_east_asia"],
            spec.get("docx_east_asia_hans") or spec["docx_east_asia"],
        )

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height of the paper in points."""
        paper = (self.data.get("page") or {}).get("paper", "A4")
        if paper not in PAPER:
            self._fail(("page", "paper"), f"unknown paper {paper!r} (A4 or letter)")
        return PAPER[paper]

    @property
    def paper(self) -> str:
        """The paper name (A4 or letter)."""
        return (self.data.get("page") or {}).get("paper", "A4")

    def margin(self, side: str) -> float:
        """The page margin on ``side`` (top, bottom, left, right) in points."""
        return length(((self.data.get("page") or {}).get("margin") or {}).get(side, "20mm"))


def read_stylesheet_data(
    path: Path | None = None, files: StyleSheetFiles | None = None
) -> dict[str, Any]:
    """The raw style sheet: the built-in one, with ``path`` (if given) merged over it.
    ``files`` (default: a new one) remembers what it read."""
    files = files if files is not None else StyleSheetFiles()
    data = files.builtin()
    return _merge(data, files.layer(path)) if path is not None else copy.deepcopy(data)


class StyleSheetFiles:
    """Reads the style-sheet files of one build, each once: a build lays out up to 16
    memos from a handful of files. A file is read again when its size or modification
    time changed. Keep one per build (or per request); it is not shared between
    processes or threads."""

    def __init__(self) -> None:
        self._builtin: dict[str, Any] | None = None
        self._layers: dict[tuple[str, int, int], dict[str, Any]] = {}

    def builtin(self) -> dict[str, Any]:
        """The built-in ``styles.yaml`` (shipped with briefgen, so read by libyaml without
        the limits user files get). Do not modify it."""
        if self._builtin is None:
            text = (resources.files("briefgen") / "templates" / "styles.yaml").read_text(
                encoding="utf-8"
            )
            self._builtin = yaml.load(text, Loader=_FAST_LOADER)
        return self._builtin

    def layer(self, path: Path) -> dict[str, Any]:
        """The validated contents of the style sheet ``path`` (its logo made absolute and
        checked). Do not modify it."""
        try:
            info = os.stat(path)
            key = (os.path.realpath(path), info.st_size, info.st_mtime_ns)
        except OSError:
            key = None
        if key is not None and key in self._layers:
            return self._layers[key]
        over = validate(read_stylesheet_file(path), str(path))
        logo = (over.get("letterhead") or {}).get("logo")
        if logo and not Path(str(logo)).is_absolute():
            over = _merge(over, {"letterhead": {"logo": str(path.parent / str(logo))}})
        logo = (over.get("letterhead") or {}).get("logo")
        if logo:
            check_logo(str(logo), str(path))
        if key is not None:
            self._layers[key] = over
        return over


#: libyaml's loader when PyYAML has it, for the built-in style sheet.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_stylesheet_file(path: Path) -> Any:
    """The YAML of the style sheet ``path``, unvalidated. Refused (``StyleSheetError``),
    without reading it: a file whose real path (symlinks resolved) is outside its
    directory, one that is not a regular file or larger than ``MAX_STYLESHEET_BYTES``;
    then YAML beyond ``load_yaml``'s limits."""
    return read_stylesheet_with_lines(path)[0]


def read_stylesheet_with_lines(path: Path) -> tuple[Any, KeyLines]:
    """``read_stylesheet_file``, and the line of each key of the file."""

    def refuse(detail: str, line: int | None = None, where: str = "") -> StyleSheetError:
        return StyleSheetError(f"{path}: {where or detail}", detail=detail, line=line)

    real = os.path.realpath(path)
    top = os.path.realpath(path.parent)
    if os.path.commonpath([real, top]) != top:
        raise refuse(f"refused: it leads to {real}, outside its directory")
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise refuse("refused: not a regular file")
        if info.st_size > MAX_STYLESHEET_BYTES:
            raise refuse(f"refused: larger than {MAX_STYLESHEET_BYTES:,} bytes")
        with open(real, "rb") as handle:
            raw = handle.read(MAX_STYLESHEET_BYTES + 1)
        if len(raw) > MAX_STYLESHEET_BYTES:
            raise refuse(f"refused: larger than {MAX_STYLESHEET_BYTES:,} bytes")
        return load_yaml_with_lines(raw.decode("utf-8"))
    except OSError as exc:
        raise refuse(f"cannot read style sheet: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text: {exc.reason}") from None
    except _Refused as exc:
        raise refuse(f"refused: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "invalid"
        line = mark.line + 1 if mark else None
        at = f" at line {line}" if line else ""
        raise refuse(f"not valid YAML: {reason}", line, f"not valid YAML{at}: {reason}") from None
    except RecursionError:
        raise refuse("refused: nested too deeply") from None


def check_logo(logo: str, origin: str) -> None:
    """Refuse, without reading it, a letterhead logo that is not a regular file of at
    most ``MAX_LOGO_BYTES`` (``/dev/zero``, a FIFO, a directory, a huge file)."""
    try:
        info = os.stat(logo)
    except OSError as exc:
        problem = f"cannot read {logo}: {exc.strerror or exc}"
    else:
        if not stat.S_ISREG(info.st_mode):
            problem = f"{logo} is not a regular file"
        elif info.st_size > MAX_LOGO_BYTES:
            problem = f"{logo} is larger than {MAX_LOGO_BYTES:,} bytes"
        else:
            return
    _fail(origin, ("letterhead", "logo"), problem)


def read_stylesheet_layers(
    paths: list[Path], files: StyleSheetFiles | None = None
) -> dict[str, Any]:
    """The built-in style sheet with each existing file of ``paths`` merged over it in
    order (later files win). ``files`` (default: a new one) remembers what it read."""
    files = files if files is not None else StyleSheetFiles()
    data = copy.deepcopy(files.builtin())
    for path in paths:
        if path.is_file():
            data = _merge(data, files.layer(path))
    return data


def with_paper(data: dict[str, Any], paper: str | None) -> dict[str, Any]:
    """``data`` with the page's paper replaced (None keeps it)."""
    if paper is None:
        return data
    return _merge(data, {"page": {"paper": paper}})


def missing_font_names(data: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """``(key path, message)`` of each name a font role of ``data`` (a resolved sheet)
    lacks: its ``faces`` and its Word names for Latin and East Asian text."""
    found = []
    for role, spec in (data.get("fonts") or {}).items():
        for key in ("faces", "docx_latin", "docx_east_asia"):
            if not (spec or {}).get(key):
                found.append((("fonts", role, key), f"fonts.{role}: {key} is missing"))
    return found


# Checking style sheets -------------------------------------------------------------------


def stylesheet_layers(
    builtin: Path, template_dirs: Sequence[Path], audience: str | None = None
) -> list[Path]:
    """The files a memo's style sheet is layered from, first to last (later ones win):
    the built-in ``styles.yaml`` and ``<audience>.styles.yaml`` in ``builtin``, then from
    each of ``template_dirs``, the last first (so the first directory wins), its
    ``styles.yaml`` and ``<audience>.styles.yaml``. Files that are not there are
    listed too."""
    layers = [builtin / "styles.yaml"]
    if audience:
        layers.append(builtin / f"{audience}.styles.yaml")
    for directory in reversed([Path(d) for d in template_dirs]):
        layers.append(directory / "styles.yaml")
        if audience:
            layers.append(directory / f"{audience}.styles.yaml")
    return layers


@dataclass
class StyleSheetCheck:
    """What ``check_stylesheet_layers`` found."""

    #: Problems of the files themselves (reading, YAML, schema, logo): any language.
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Problems of the layered sheet resolved for each language (inheritance, font
    #: roles and faces, usage), at the line of the file that sets the key.
    by_lang: dict[str, list[Diagnostic]] = field(default_factory=dict)
    #: Every style name the layered sheet defines, per language.
    names: dict[str, frozenset[str]] = field(default_factory=dict)


def check_stylesheet_layers(layers: Sequence[Path], langs: Sequence[str]) -> StyleSheetCheck:
    """Every problem of the style sheets ``layers`` (see ``stylesheet_layers``; the
    first is trusted, the others are checked) as a build would meet it, not only the
    first: each file is read within the limits and checked against the schema (each bad
    key reported at its line and left out); the layers are merged; then, for each of
    ``langs``, every style's inheritance and font role, every font role's names and
    faces, and the ``usage`` section are checked."""
    out = StyleSheetCheck()
    data = load_yaml(layers[0].read_text(encoding="utf-8")) if layers else {}
    checked: list[tuple[Path, KeyLines]] = []
    for path in layers[1:]:
        if not (path.is_file() or path.is_symlink()):
            continue
        try:
            raw, lines = read_stylesheet_with_lines(path)
        except StyleSheetError as exc:
            out.diagnostics.append(
                Diagnostic(str(path), exc.line, None, "error", "style.read", exc.detail)
            )
            continue
        found = schema_problems(raw, str(path))
        logo = (raw.get("letterhead") or {}).get("logo") if isinstance(raw, dict) else None
        if isinstance(logo, str) and logo:
            try:
                check_logo(str(path.parent / logo), str(path))
            except StyleSheetError as exc:
                found.append(exc)
        for exc in found:
            line = _line_of(lines, exc.path)
            out.diagnostics.append(
                Diagnostic(str(path), line, None, "error", "style.schema", exc.detail)
            )
        if not isinstance(raw, dict):
            continue
        valid = copy.deepcopy(raw)
        for exc in found:
            _prune(valid, exc.path)
        data = _merge(data, valid)
        checked.append((path, lines))
    for lang in langs:
        resolved = _merge(
            {k: v for k, v in data.items() if k != "lang"},
            ((data.get("lang") or {}).get(lang)) or {},
        )
        out.names[lang] = frozenset(resolved.get("styles") or {})
        if not checked:
            continue
        origin = str(checked[-1][0])
        problems = _resolution_problems(resolved, lang, origin)
        out.by_lang[lang] = [
            Diagnostic(*_place(checked, path, lang), None, "error", code, detail)
            for path, code, detail in problems
        ]
    return out


def _line_of(lines: KeyLines, path: tuple[str, ...]) -> int | None:
    """The line of the key at ``path``, or of its nearest ancestor written in the file."""
    return next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), None)


def _place(
    checked: Sequence[tuple[Path, KeyLines]], path: tuple[str, ...], lang: str
) -> tuple[str, int | None]:
    """The file and line setting the key at ``path`` of the sheet resolved for ``lang``:
    the last layer writing it (in its ``lang.<lang>`` section or at the top), else the
    last layer."""
    for n in range(len(path), 0, -1):
        for file, lines in reversed(checked):
            for key in (("lang", lang, *path[:n]), path[:n]):
                if key in lines:
                    return str(file), lines[key]
    return str(checked[-1][0]), None


def _prune(data: Any, path: tuple[str, ...]) -> None:
    """Leave the key at ``path`` out of ``data`` (a problem of the whole file: nothing)."""
    for key in path[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    if isinstance(data, dict) and path:
        data.pop(path[-1], None)


def _resolution_problems(
    resolved: dict[str, Any], lang: str, origin: str
) -> list[tuple[tuple[str, ...], str, str]]:
    """``(key path, code, message)`` of each problem of ``resolved`` (a schema-valid
    sheet resolved for ``lang``): font roles without their names or with faces briefgen
    does not know, styles inheriting from an unknown or their own style or naming an
    unknown font role, a ``usage`` section ``translate.usage`` refuses."""
    from .errors import BriefgenError
    from .fonts import face
    from .translate.usage import usage_from

    problems: list[tuple[tuple[str, ...], str, str]] = []
    missing = missing_font_names(resolved)
    problems += [(path, "style.font", detail) for path, detail in missing]
    data = copy.deepcopy(resolved)
    broken = {path[1] for path, _ in missing}
    for role in broken:
        data["fonts"].pop(role, None)
    sheet = StyleSheet(data, lang, origin)
    for role in data.get("fonts") or {}:
        for key in sheet.font_role(role).faces:
            try:
                face(key)
            except BriefgenError as exc:
                problems.append((("fonts", role), "style.font", f"font role {role!r}: {exc}"))
    for name in sheet.names:
        try:
            role = sheet.style(name).get("font", "serif")
        except StyleSheetError as exc:
            problems.append((exc.path, "style.inheritance", exc.detail))
            continue
        if role not in (data.get("fonts") or {}) and role not in broken:
            detail = f"style {name!r}: unknown font role {role!r}"
            problems.append((("styles", name, "font"), "style.font", detail))
    try:
        usage_from(data.get("usage"), origin)
    except TemplateError as exc:
        problems.append((("usage",), "style.usage", str(exc).removeprefix(f"{origin}: ")))
    return problems
