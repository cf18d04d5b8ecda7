"""The style sheet: semantic style names -> concrete look, with inheritance.

One YAML file decides fonts, sizes, colours, spacing and the page; writers hard-code none
of it. ``styles`` entries may name a ``parent``; ``lang.<tag>`` sections override any
part for one language. Sizes are in points, lengths accept ``mm``/``cm``/``in``/``pt``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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


def length(value: Any) -> float:
    """A length in points from ``12``, ``"12pt"``, ``"20mm"``, ``"2cm"`` or ``"1in"``."""
    if isinstance(value, int | float):
        return float(value)
    m = _LENGTH_RE.match(str(value))
    if not m:
        raise TemplateError(f"style sheet: {value!r} is not a length")
    return float(m.group(1)) * _UNITS[m.group(2)]


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
        per_lang = (data.get("lang") or {}).get(lang) or {}
        self.data = _merge({k: v for k, v in data.items() if k != "lang"}, per_lang)
        self._cache: dict[str, dict[str, Any]] = {}
        for name, props in (self.data.get("styles") or {}).items():
            unknown = set(props or {}) - _STYLE_KEYS
            if unknown:
                raise TemplateError(f"{origin}: style {name!r}: unknown key {sorted(unknown)[0]!r}")

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
            raise TemplateError(f"{self.origin}: unknown style {name!r}")
        chain: list[dict[str, Any]] = []
        seen: set[str] = set()
        current: str | None = name
        while current:
            if current in seen:
                raise TemplateError(f"{self.origin}: style {name!r} inherits from itself")
            seen.add(current)
            if current not in styles:
                raise TemplateError(f"{self.origin}: style {name!r} has unknown parent {current!r}")
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
            raise TemplateError(f"{self.origin}: unknown font role {role!r}")
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
            raise TemplateError(f"{self.origin}: unknown paper {paper!r} (A4 or letter)")
        return PAPER[paper]

    @property
    def paper(self) -> str:
        """The paper name (A4 or letter)."""
        return (self.data.get("page") or {}).get("paper", "A4")

    def margin(self, side: str) -> float:
        """The page margin on ``side`` (top, bottom, left, right) in points."""
        return length(((self.data.get("page") or {}).get("margin") or {}).get(side, "20mm"))


def read_stylesheet_data(path: Path | None = None) -> dict[str, Any]:
    """The raw style sheet: the built-in one, with ``path`` (if given) merged over it."""
    builtin = resources.files("briefgen") / "templates" / "styles.yaml"
    data = yaml.safe_load(builtin.read_text(encoding="utf-8"))
    if path is not None:
        try:
            over = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise TemplateError(f"{path}: cannot read style sheet: {exc}") from None
        if not isinstance(over, dict):
            raise TemplateError(f"{path}: a style sheet must be a mapping")
        logo = (over.get("letterhead") or {}).get("logo")
        if logo and not Path(str(logo)).is_absolute():
            over = _merge(over, {"letterhead": {"logo": str(path.parent / str(logo))}})
        data = _merge(data, over)
    return data


def read_stylesheet_layers(paths: list[Path]) -> dict[str, Any]:
    """The built-in style sheet with each existing file of ``paths`` merged over it in
    order (later files win)."""
    data = read_stylesheet_data()
    for path in paths:
        if path.is_file():
            data = _merge(data, {k: v for k, v in read_stylesheet_data(path).items()})
    return data


def with_paper(data: dict[str, Any], paper: str | None) -> dict[str, Any]:
    """``data`` with the page's paper replaced (None keeps it)."""
    if paper is None:
        return data
    return _merge(data, {"page": {"paper": paper}})
