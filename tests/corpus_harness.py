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
#: (``briefgen.render.lines.LEVEL_ORDER``), spelled out so the expectations do not
#: move when the renderer changes.
LEVEL_ORDER = (
    "signed",
    "agreed",
    "will_continue",
    "supports",
    "will_study",
    "will_explore",
    "done",
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


# --- the real corpus (tests/corpus/real) --------------------------------------------------
#
# Real readouts exactly as public pages gave them, with hand labels (``labels.yaml``, and
# ``labels.more.yaml`` for texts the team added later); conventions in its README.md.
# Scored field by field with the conventions honoured: ``*_any`` values are also right,
# ``*_optional`` people and documents are neither right nor wrong, ``null`` means the text
# does not settle the field (extracting nothing is then right).

REAL = CORPUS / "real"
REAL_LABELS = ("labels.yaml", "labels.more.yaml", "labels.unseen.yaml")

_QUOTES = "「」『』《》〈〉“”\"‘’'`"
_TRAILING = "：:;；、,，.。 "


def real_articles(root: Path = REAL) -> list[dict[str, Any]]:
    """Every labelled article of the real corpus, in file order (the label mappings,
    each with ``path`` added)."""
    articles: list[dict[str, Any]] = []
    for name in REAL_LABELS:
        labels = root / name
        if not labels.exists():
            continue
        for article in yaml.safe_load(labels.read_text(encoding="utf-8"))["articles"]:
            articles.append({**article, "path": root / article["file"], "labels": name})
    return sorted(articles, key=lambda a: a["file"])


def norm(value: Any) -> str:
    """A text as compared: NFKC, no white space (hard wraps joined), no quotation marks,
    case-folded, without a trailing separator, 臺 and 台 as one character (texts and
    labels use both)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES)
    return text.casefold().rstrip(_TRAILING).replace("臺", "台")


def contains_either(a: Any, b: Any, ratio: float = 0.0) -> bool:
    """Normalised ``a`` and ``b`` are equal, or one contains the other and the shorter is
    at least ``ratio`` of the longer's length."""
    x, y = norm(a), norm(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return short in long and len(short) >= ratio * len(long)


#: How close an extracted title must be to the labelled one: containment either way with
#: the shorter at least this share of the longer ("經濟部長" for "經濟部長", "美國貿易代表"
#: for the label's 「美國貿易代表大使」 joined around the name).
TITLE_RATIO = 0.6


@dataclass
class RealResult:
    """One real article scored against its labels. Counts, not percentages, so that
    articles and languages add up."""

    id: str
    lang: str
    error: str | None = None
    #: items: ``None`` when the article has no enumerated agenda, else exact or not.
    items_enumerated: bool = False
    items_ok: bool = False
    items_expected: list[Any] = field(default_factory=list)
    items_got: list[Any] = field(default_factory=list)
    published_labelled: bool = False
    published_ok: bool = False
    published_got: Any = None
    meeting_labelled: bool = False
    meeting_ok: bool = False
    meeting_got: Any = None
    round_ok: bool = False
    round_got: Any = None
    location_ok: bool = False
    location_got: Any = None
    event_ok: bool = False
    event_got: Any = None
    #: participants: extracted (optional ones left out), of which right (by name) ...
    people_got: int = 0
    people_right: int = 0
    #: ... labelled, of which found with name and title right, and by name only.
    people_expected: int = 0
    people_found: int = 0
    people_named: int = 0
    people_wrong: list[str] = field(default_factory=list)
    people_missed: list[str] = field(default_factory=list)
    docs_got: int = 0
    docs_right: int = 0
    docs_expected: int = 0
    docs_found: int = 0
    docs_wrong: list[str] = field(default_factory=list)
    docs_missed: list[str] = field(default_factory=list)
    label: dict[str, Any] = field(default_factory=dict, repr=False)


def _dates_ok(got: Any, values: Iterable[Any]) -> bool:
    wanted = {_iso(v) for v in values if v is not None}
    return _iso(got) in wanted


def _items_ok(expected: list[Any], got: list[Any], count_any: Iterable[int]) -> bool:
    """The exact title list (``None`` for an untitled item); or, where the labels accept
    another count, that count with the labelled titles in order among the extracted."""
    want = [None if t is None else norm(t) for t in expected]
    have = [None if t is None else norm(t) for t in got]
    if want == have:
        return True
    if len(have) not in set(count_any):
        return False
    titled = [t for t in want if t is not None]
    position = 0
    for title in have:
        if position < len(titled) and title == titled[position]:
            position += 1
    return position == len(titled)


def score_real(article: dict[str, Any]) -> RealResult:
    """Run the real pipeline (read, clean, extract with the built-in termbase) on one
    labelled article and score every field."""
    result = RealResult(id=article["id"], lang=article["lang"], label=article)
    try:
        brief = run_pipeline(article["path"])
    except Exception as exc:  # scored, not raised
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"
        return result
    lang = brief.source.language
    event = brief.event

    expected_items = article.get("items") or []
    result.items_enumerated = bool(expected_items)
    result.items_expected = list(expected_items)
    result.items_got = [_text(i.title, lang) for i in brief.items]
    result.items_ok = _items_ok(
        expected_items, result.items_got, article.get("items_count_any") or []
    )

    published = [article.get("published"), *(article.get("published_any") or [])]
    result.published_labelled = article.get("published") is not None
    result.published_got = _iso(brief.source.published)
    result.published_ok = (
        _dates_ok(brief.source.published, published)
        if result.published_labelled
        else brief.source.published is None
    )
    meeting = [article.get("meeting_date"), *(article.get("meeting_date_any") or [])]
    result.meeting_labelled = any(v is not None for v in meeting)
    result.meeting_got = _iso(event.date)
    result.meeting_ok = (
        _dates_ok(event.date, meeting) if result.meeting_labelled else event.date is None
    )
    result.round_got = event.round
    result.round_ok = event.round == article.get("round")
    result.location_got = _text(event.location, lang)
    want_location = article.get("location")
    result.location_ok = (
        contains_either(want_location, result.location_got)
        if want_location
        else result.location_got is None
    )
    result.event_got = _text(event.name, lang)
    result.event_ok = contains_either(article.get("event"), result.event_got)

    people = article.get("participants") or []
    optional = article.get("participants_optional") or []
    optional_names = {norm(p["name"]) for p in optional}
    got_people = [(_text(p.name, lang) or "", _text(p.title, lang)) for p in event.participants]
    result.people_expected = len(people)
    labelled_names = {norm(p["name"]): p for p in people}
    for name, title in got_people:
        key = norm(name)
        if key in optional_names and key not in labelled_names:
            continue
        result.people_got += 1
        if key in labelled_names:
            result.people_right += 1
        else:
            result.people_wrong.append(f"{name} ({title})")
    got_by_name = {norm(name): title for name, title in got_people}
    for person in people:
        key = norm(person["name"])
        if key not in got_by_name:
            result.people_missed.append(f"{person['name']} ({person['title']})")
            continue
        result.people_named += 1
        if contains_either(person["title"], got_by_name[key], TITLE_RATIO):
            result.people_found += 1
        else:
            result.people_missed.append(
                f"{person['name']}: title {person['title']!r}, got {got_by_name[key]!r}"
            )

    documents = article.get("documents") or []
    neutral = [*(article.get("documents_optional") or []), *(article.get("documents_issued") or [])]
    got_docs = [_text(d.name, lang) or "" for d in event.documents]
    result.docs_expected = len(documents)
    for doc in got_docs:
        if any(contains_either(doc, want) for want in documents):
            result.docs_got += 1
            result.docs_right += 1
        elif any(contains_either(doc, other) for other in neutral):
            continue
        else:
            result.docs_got += 1
            result.docs_wrong.append(doc)
    for want in documents:
        if any(contains_either(doc, want) for doc in got_docs):
            result.docs_found += 1
        else:
            result.docs_missed.append(want)
    return result


@dataclass
class RealSummary:
    """Totals over a set of real articles, as the targets are stated."""

    articles: int = 0
    errors: int = 0
    people_precision: float = 1.0
    people_recall: float = 1.0
    people_name_recall: float = 1.0
    published: tuple[int, int] = (0, 0)
    meeting: tuple[int, int] = (0, 0)
    items_enumerated: tuple[int, int] = (0, 0)
    items_none: tuple[int, int] = (0, 0)
    round: tuple[int, int] = (0, 0)
    location: tuple[int, int] = (0, 0)
    event: tuple[int, int] = (0, 0)
    docs_precision: float = 1.0
    docs_recall: float = 1.0


def _ratio(right: int, total: int) -> float:
    return right / total if total else 1.0


def summarize(results: list[RealResult]) -> RealSummary:
    """Precision/recall and right-of-total counts over ``results``."""
    ok = [r for r in results if r.error is None]

    def count(pred: Callable[[RealResult], bool], among: Callable[[RealResult], bool]) -> Any:
        chosen = [r for r in results if among(r)]
        return (sum(r.error is None and pred(r) for r in chosen), len(chosen))

    return RealSummary(
        articles=len(results),
        errors=len(results) - len(ok),
        people_precision=_ratio(sum(r.people_right for r in ok), sum(r.people_got for r in ok)),
        people_recall=_ratio(
            sum(r.people_found for r in ok), sum(r.people_expected for r in results)
        ),
        people_name_recall=_ratio(
            sum(r.people_named for r in ok), sum(r.people_expected for r in results)
        ),
        published=count(lambda r: r.published_ok, lambda r: r.published_labelled),
        meeting=count(lambda r: r.meeting_ok, lambda r: r.meeting_labelled),
        items_enumerated=count(lambda r: r.items_ok, lambda r: bool(r.label.get("items"))),
        items_none=count(lambda r: r.items_ok, lambda r: not r.label.get("items")),
        round=count(lambda r: r.round_ok, lambda r: True),
        location=count(lambda r: r.location_ok, lambda r: True),
        event=count(lambda r: r.event_ok, lambda r: True),
        docs_precision=_ratio(sum(r.docs_right for r in ok), sum(r.docs_got for r in ok)),
        docs_recall=_ratio(sum(r.docs_found for r in ok), sum(r.docs_expected for r in results)),
    )


# --- coverage: every body sentence accounted for ---------------------------------------------


def brief_spans(brief: Brief) -> list[tuple[int, int, int]]:
    """Every source extent the brief accounts for: the bottom line, items and their points,
    key sentences and statements, next steps, quotations, background and what it dropped
    with a reason."""
    spans = []

    def walk(items: list[AgendaItem]) -> None:
        for item in items:
            spans.extend(s for s in (item.source, *(p.source for p in item.points)) if s)
            walk(item.items)

    walk(brief.items)
    for group in (
        brief.summary,
        brief.key_points,
        brief.key_statements,
        brief.next_steps,
        brief.quotes,
        brief.background,
        brief.dropped,
    ):
        spans.extend(entry.source for entry in group if entry.source)
    return [(s.paragraph, s.start, s.end) for s in spans]


def unaccounted(brief: Brief) -> list[str]:
    """The body sentences no extent of the brief touches (should be none)."""
    from briefgen.extract.text import sentence_spans

    by_para: dict[int, list[tuple[int, int]]] = {}
    for p, a, b in brief_spans(brief):
        by_para.setdefault(p, []).append((a, b))
    missing = []
    for index, para in enumerate(brief.source.paragraphs):
        for start, end in sentence_spans(para):
            if not any(a < end and b > start for a, b in by_para.get(index, [])):
                missing.append(f"¶{index + 1}: {para[start:end][:80]}")
    return missing
