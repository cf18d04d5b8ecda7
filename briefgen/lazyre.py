"""Regular expressions compiled on first use, so importing a module costs no compiling.

The extractors hold a few hundred module-level patterns, most of them for one language;
compiling them all at import cost most of a second in every process. ``lazy(pattern,
flags)`` returns a :class:`LazyPattern`, which offers the ``re.Pattern`` methods the code
uses and compiles the expression the first time one of them is called. A Chinese article
thus never compiles the English-only patterns, and vice versa.

After the first call the compiled pattern's own methods are stored on the instance, so
later calls go straight to ``re`` with no wrapper in between. The only state is the
compiled pattern itself; two threads compiling the same pattern at once is harmless (both
store equal patterns).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

# re.Pattern methods that LazyPattern forwards (and binds on the instance once compiled).
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern(Generic[AnyStr]):
    """A regular expression that compiles itself when first used.

    ``pattern`` is the source as given, like ``re.Pattern.pattern``; results of every
    method are exactly those of ``re.compile(pattern, flags)``.
    """

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern: AnyStr = pattern
        self._flags = flags

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"

    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern; compiles it (once per instance, in practice) on first call."""
        compiled = re.compile(self.pattern, self._flags)
        # Instance attributes shadow the methods below, so later calls skip this wrapper.
        self.__dict__.update({name: getattr(compiled, name) for name in _METHODS})
        self.__dict__["compiled"] = lambda: compiled
        return compiled

    def search(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As ``re.Pattern.search``."""
        return self.compiled().search(string, pos, endpos)

    def match(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As ``re.Pattern.match``."""
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As ``re.Pattern.fullmatch``."""
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[AnyStr]]:
        """As ``re.Pattern.finditer``."""
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """As ``re.Pattern.findall``."""
        return self.compiled().findall(string, pos, endpos)

    def sub(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> AnyStr:
        """As ``re.Pattern.sub``."""
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> tuple[AnyStr, int]:
        """As ``re.Pattern.subn``."""
        return self.compiled().subn(repl, string, count)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        """As ``re.Pattern.split``."""
        return self.compiled().split(string, maxsplit)


# Either kind of pattern, for parameters that accept both.
Regex = re.Pattern[str] | LazyPattern[str]


def lazy(pattern: AnyStr, flags: int = 0) -> LazyPattern[AnyStr]:
    """A pattern that behaves as ``re.compile(pattern, flags)`` but compiles on first use."""
    return LazyPattern(pattern, flags)
