"""briefgen.lazyre: a lazily compiled pattern gives exactly what re.compile gives."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from briefgen.lazyre import lazy

_SOURCE = r"(?P<day>\d{1,2})\s*(日|th)"
_TEXT = "28日 and the 29th, 30 日"


def test_methods_match_re_compile() -> None:
    lazy_rx, rx = lazy(_SOURCE, re.I), re.compile(_SOURCE, re.I)
    assert lazy_rx.pattern == rx.pattern
    assert lazy_rx.search(_TEXT).span() == rx.search(_TEXT).span()  # type: ignore[union-attr]
    assert lazy_rx.match(_TEXT, 0, 3).group("day") == "28"  # type: ignore[union-attr]
    assert lazy_rx.fullmatch("30 日") is not None
    assert [m.span() for m in lazy_rx.finditer(_TEXT)] == [m.span() for m in rx.finditer(_TEXT)]
    assert lazy_rx.findall(_TEXT) == rx.findall(_TEXT)
    assert lazy_rx.sub(r"<\g<day>>", _TEXT) == rx.sub(r"<\g<day>>", _TEXT)
    assert lazy_rx.subn(lambda m: "x", _TEXT, 1) == rx.subn(lambda m: "x", _TEXT, 1)
    assert lazy_rx.split(_TEXT, 1) == rx.split(_TEXT, 1)


def test_compiles_once_and_then_calls_re_directly() -> None:
    rx = lazy(r"a+")
    assert "search" not in vars(rx)
    first = rx.compiled()
    assert rx.compiled() is first
    assert rx.search("baa") is not None
    assert vars(rx)["search"] == first.search


def test_bad_pattern_fails_on_first_use() -> None:
    rx = lazy(r"(unclosed")
    with pytest.raises(re.error):
        rx.search("x")


def test_importing_the_extractors_compiles_none_of_the_lazy_patterns() -> None:
    code = (
        "import gc, briefgen.pipeline\n"
        "from briefgen.lazyre import LazyPattern\n"
        "lazies = [o for o in gc.get_objects() if isinstance(o, LazyPattern)]\n"
        "print(len(lazies), sum('search' in vars(o) for o in lazies))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 100
    assert out[1] == "0"
