"""Score extraction against the corpus in ``tests/corpus`` (see its README.md).

Importable helper, not a test module: ``tests/test_corpus.py`` asserts on it and
``bench/corpus.py`` prints a table from it.

    from corpus_harness import cases, score
    for case in cases():
        result = score(case)
        print(result.name, result.items_found, result.items_expected, result.mismatches)

``score`` runs the real pipeline — ``read_source`` -> ``clean`` -> ``extract`` with the
built-in termbase — and compares every field the case's ``.expected.yaml`` lists. Dates
are compared as ISO strings, texts as the source language's text (``Text.get(language)``)
with surrounding whitespace stripped; nothing else is normalised.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from briefgen.clean import clean
from briefgen.extract import extract
from briefgen.ingest import read_source
from briefgen.model import AgendaItem, Brief, Text
from briefgen.translate.termbase import Termbase, builtin_termbase

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED_SUFFIX = ".expected.yaml"

#: Strongest first. The same order the memos use to summarise an item in one word
#: (``briefgen.render.environment.LEVEL_ORDER``), spelled out so the expectations do not
#: move when the renderer changes.
LEVEL_ORDER = (
    "signed",
    "agreed",
    "will_continue",
    "supports",
    "will_study",
    "will_explore",
    "statement",
)

_EVENT_KEYS = ("name", "short_name", "round", "date", "location")
_SOURCE_KEYS = (
    "language",
    "format",
    "encoding",
    "published",
    "author",
    "outlet",
    "desk",
    "headline",
)
_LIST_KEYS = (
    "participants",
    "participant_sides",
    "documents",
    "topics",
    "items",
    "item_commitments",
    "notices",
)
_MIN_KEYS = ("summary_min", "key_points_min", "next_steps_min")
KNOWN_KEYS = frozenset({"file", "event", *_SOURCE_KEYS, *_LIST_KEYS, *_MIN_KEYS})


@dataclass(frozen=True)
class FieldResult:
    """One expected field: what the case says, what extraction gave, and whether they
    agree."""

    field: str
    expected: Any
    actual: Any
    ok: bool

    def describe(self) -> str:
        return f"{self.field}: expected {self.expected!r}, got {self.actual!r}"


@dataclass
class CaseResult:
    """The score of one corpus case."""

    name: str
    readout: Path
    fields: list[FieldResult] = field(default_factory=list)
    #: Expected item titles (top-level and nested, counted together) ...
    items_expected: int = 0
    #: ... of which extraction produced the right title at the right place in the tree.
    items_found: int = 0
    #: How many items (top-level and nested) extraction produced at all.
    items_extracted: int = 0
    #: The exception the pipeline raised, if it did not produce a brief.
    error: str | None = None
    brief: Brief | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and all(f.ok for f in self.fields)

    @property
    def mismatches(self) -> list[FieldResult]:
        return [f for f in self.fields if not f.ok]

    @property
    def metadata(self) -> list[FieldResult]:
        """Every field except the item tree itself."""
        return [f for f in self.fields if f.field != "items"]

    @property
    def metadata_right(self) -> int:
        return sum(f.ok for f in self.metadata)

    @property
    def metadata_total(self) -> int:
        return len(self.metadata)

    def report(self) -> str:
        """Every mismatch (and the error, if any), one per line."""
        lines = [f"{self.name} ({self.readout}):"]
        if self.error:
            lines.append(f"  pipeline raised {self.error}")
        lines.extend(f"  {f.describe()}" for f in self.mismatches)
        return "\n".join(lines)


def cases(corpus: Path = CORPUS) -> list[Path]:
    """The ``.expected.yaml`` files of the corpus, sorted by name."""
    return sorted(corpus.glob(f"*{EXPECTED_SUFFIX}"))


def case_name(expected_path: Path) -> str:
    return expected_path.name.removesuffix(EXPECTED_SUFFIX)


def load_expected(expected_path: Path) -> dict[str, Any]:
    data = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{expected_path}: expected a mapping")
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise ValueError(f"{expected_path}: unknown keys {sorted(unknown)}")
    unknown_event = set(data.get("event") or {}) - set(_EVENT_KEYS)
    if unknown_event:
        raise ValueError(f"{expected_path}: unknown event keys {sorted(unknown_event)}")
    return data


def readout_for(expected_path: Path, expected: dict[str, Any]) -> Path:
    """The readout a case describes: ``file:`` (relative to the expected file), else the
    one sibling named ``<name>.<ext>``."""
    if expected.get("file"):
        return (expected_path.parent / expected["file"]).resolve()
    name = case_name(expected_path)
    found = [
        p
        for p in expected_path.parent.iterdir()
        if p.name.startswith(name + ".") and not p.name.endswith(EXPECTED_SUFFIX)
    ]
    if len(found) != 1:
        raise ValueError(f"{expected_path}: expected one readout named {name}.*, found {found}")
    return found[0]


def expected_for(path: Path) -> Path:
    """The expected file for ``path``: ``path`` itself when it is one, else
    ``<name>.expected.yaml`` next to the readout or in the corpus."""
    if path.name.endswith(EXPECTED_SUFFIX):
        return path
    stems = [path.name.rsplit(".", 1)[0], path.name.split(".", 1)[0]]
    for folder in (path.parent, CORPUS):
        for stem in stems:
            candidate = folder / f"{stem}{EXPECTED_SUFFIX}"
            if candidate.exists():
                return candidate
    raise FileNotFoundError(f"no {EXPECTED_SUFFIX} file for {path}")


@cache
def _termbase() -> Termbase:
    return builtin_termbase()


def run_pipeline(readout: Path) -> Brief:
    """The real extraction pipeline on one file."""
    return extract(clean(read_source(readout)), _termbase())


# --- value helpers ------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(value: Text | None, lang: str) -> str | None:
    if value is None:
        return None
    got = value.get(lang)
    return got.strip() if got is not None else None


def _plain(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else _iso(value)


def _tree_expected(entries: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """``[title | {title, items}]`` -> ``[(title, children)]``; a plain title means an
    item without sub-items."""
    tree: list[tuple[str, list[Any]]] = []
    for entry in entries or []:
        if isinstance(entry, dict):
            tree.append((str(entry["title"]).strip(), _tree_expected(entry.get("items") or [])))
        else:
            tree.append((str(entry).strip(), []))
    return tree


def _tree_actual(items: list[AgendaItem], lang: str) -> list[tuple[str | None, list[Any]]]:
    return [(_text(item.title, lang), _tree_actual(item.items, lang)) for item in items]


def _tree_yaml(tree: list[tuple[Any, list[Any]]]) -> list[Any]:
    """The tree written the way the expected files write it."""
    return [
        title if not children else {"title": title, "items": _tree_yaml(children)}
        for title, children in tree
    ]


def _count(tree: list[tuple[Any, list[Any]]]) -> int:
    return sum(1 + _count(children) for _, children in tree)


def _matched(expected: list[tuple[Any, list[Any]]], actual: list[tuple[Any, list[Any]]]) -> int:
    """Expected titles found at the same position of the actual tree (a sub-item counts
    only under a parent at the same position)."""
    found = 0
    for index, (title, children) in enumerate(expected):
        if index >= len(actual):
            break
        got_title, got_children = actual[index]
        found += title == got_title
        found += _matched(children, got_children)
    return found


def _points(item: AgendaItem) -> list[str]:
    levels = [p.commitment.value for p in item.points]
    for child in item.items:
        levels.extend(_points(child))
    return levels


def strongest(item: AgendaItem) -> str:
    """The strongest commitment among an item's points and its sub-items' points."""
    levels = set(_points(item))
    return next((lvl for lvl in LEVEL_ORDER if lvl in levels), "statement")


# --- scoring ------------------------------------------------------------------------------


def _compare(expected: dict[str, Any]) -> list[tuple[str, Any, Callable[[Brief], Any]]]:
    """``(field, expected value, how to get the actual value)`` for every listed field."""
    checks: list[tuple[str, Any, Callable[[Brief], Any]]] = []

    def lang(b: Brief) -> str:
        return b.source.language

    for key in _SOURCE_KEYS:
        if key in expected:
            checks.append((key, _plain(expected[key]), lambda b, k=key: _field(b, b.source, k)))
    for key, value in (expected.get("event") or {}).items():
        checks.append((f"event.{key}", _plain(value), lambda b, k=key: _field(b, b.event, k)))
    if "participants" in expected:
        checks.append(
            (
                "participants",
                sorted(_plain(v) for v in expected["participants"]),
                lambda b: sorted({_text(p.name, lang(b)) or "" for p in b.event.participants}),
            )
        )
    if "participant_sides" in expected:
        want = {_plain(k): _plain(v) for k, v in expected["participant_sides"].items()}
        checks.append(
            (
                "participant_sides",
                want,
                lambda b: {
                    name: next(
                        (p.side for p in b.event.participants if _text(p.name, lang(b)) == name),
                        "<not a participant>",
                    )
                    for name in want
                },
            )
        )
    if "documents" in expected:
        checks.append(
            (
                "documents",
                sorted(_plain(v) for v in expected["documents"]),
                lambda b: sorted({_text(d.name, lang(b)) or "" for d in b.event.documents}),
            )
        )
    if "topics" in expected:
        checks.append(
            (
                "topics",
                [_plain(v) for v in expected["topics"]],
                lambda b: [_text(t, lang(b)) for t in b.topics],
            )
        )
    if "items" in expected:
        checks.append(
            (
                "items",
                _tree_yaml(_tree_expected(expected["items"])),
                lambda b: _tree_yaml(_tree_actual(b.items, lang(b))),
            )
        )
    if "item_commitments" in expected:
        checks.append(
            (
                "item_commitments",
                list(expected["item_commitments"]),
                lambda b: [strongest(item) for item in b.items],
            )
        )
    if "notices" in expected:
        checks.append(("notices", list(expected["notices"]), lambda b: list(b.notices)))
    for key in _MIN_KEYS:
        if key in expected:
            attr = key.removesuffix("_min")
            checks.append((key, f">= {expected[key]}", lambda b, a=attr: len(getattr(b, a))))
    return checks


def _field(brief: Brief, owner: Any, key: str) -> Any:
    """``owner.key`` as compared: a Text as its source-language string, a date as ISO."""
    value = getattr(owner, key)
    if isinstance(value, Text):
        return _text(value, brief.source.language)
    return _plain(value)


def _agrees(key: str, want: Any, got: Any) -> bool:
    if key in _MIN_KEYS:
        return isinstance(got, int) and got >= int(want.removeprefix(">= "))
    return want == got


def score(path: Path) -> CaseResult:
    """Run the pipeline on one case (an ``.expected.yaml`` path, or a readout whose
    expected file can be found) and compare it field by field."""
    expected_path = expected_for(Path(path))
    expected = load_expected(expected_path)
    readout = readout_for(expected_path, expected)
    result = CaseResult(name=case_name(expected_path), readout=readout)
    want_tree = _tree_expected(expected.get("items") or [])
    result.items_expected = _count(want_tree)
    try:
        brief = run_pipeline(readout)
    except Exception as exc:  # scored, not raised: a crash is a result too
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"
        brief = None
    result.brief = brief
    for key, want, getter in _compare(expected):
        if brief is None:
            result.fields.append(FieldResult(key, want, "<no brief>", False))
            continue
        got = getter(brief)
        result.fields.append(FieldResult(key, want, got, _agrees(key, want, got)))
    if brief is not None:
        got_tree = _tree_actual(brief.items, brief.source.language)
        result.items_extracted = _count(got_tree)
        result.items_found = _matched(want_tree, got_tree)
    return result
