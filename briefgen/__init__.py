"""briefgen: turn a readout of a diplomatic or economic meeting into briefing memos.

``briefgen.build_many(inputs, settings, …)`` builds many articles in worker processes
(see ``briefgen.batch``); it is imported on first use, so importing briefgen stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .batch import ArticleResult, build_many

__all__ = ["ArticleResult", "__version__", "build_many"]


def __getattr__(name: str) -> Any:
    """``build_many`` and ``ArticleResult`` from ``briefgen.batch``, imported when asked."""
    if name in ("build_many", "ArticleResult"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
