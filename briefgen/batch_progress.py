"""How a batch build looks: progress while it runs (stderr), the summary table after.

On a terminal, ``RichProgress`` shows an overall bar and one bar per article being built
with its stage (rich), and a line per article as it finishes; elsewhere ``PlainProgress``
prints one line per stage change. ``summary`` is the table of every article (a rich
table on a terminal, aligned plain text otherwise).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .batch import STAGES, ArticleResult, BuildEvent

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

#: The article's progress (stages completed) when it reaches a stage event.
_DONE_AT = {"queued": 0, **{stage: i for i, stage in enumerate(STAGES)}, "prepared": 2}


def labels(paths: Sequence[Path]) -> dict[Path, str]:
    """A short name for each article: its file name, or the path as given where two
    articles share a file name."""
    names = [p.name for p in paths]
    return {p: p.name if names.count(p.name) == 1 else str(p) for p in paths}


def error_text(result: ArticleResult) -> str:
    """The error of a failed article without the article's own path in front of it."""
    message = result.error or ""
    prefix = f"{result.path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _outcome(result: ArticleResult) -> str:
    if result.status == "built":
        return f"built in {result.seconds:.1f} s"
    if result.status == "skipped":
        return "up to date, skipped"
    return f"failed: {error_text(result)}"


class PlainProgress:
    """One line per stage change on ``stream``: ``[ 3/56] name: render``."""

    def __init__(self, paths: Sequence[Path], stream: TextIO | None = None) -> None:
        self._labels = labels(paths)
        self._stream = stream or sys.stderr
        self._width = len(str(len(paths)))

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stream.flush()

    def message(self, text: str) -> None:
        """Print a line (a verbose or progress message)."""
        print(text, file=self._stream, flush=True)

    def __call__(self, event: BuildEvent) -> None:
        if event.stage in ("queued", "prepared"):
            return
        what = _outcome(event.result) if event.result is not None else event.stage
        number = f"[{event.index + 1:>{self._width}}/{event.total}]"
        self.message(f"{number} {self._labels.get(event.path, event.path.name)}: {what}")


_MARKS = {"built": ("✓", "green"), "skipped": ("=", "dim"), "failed": ("✗", "red")}


class RichProgress:
    """An overall bar, a bar per article being built (its stage), and a line per article
    as it finishes; on the terminal ``console`` writes to (stderr by default)."""

    def __init__(self, paths: Sequence[Path], console: Console | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._labels = labels(paths)
        self._console = console or Console(stderr=True)
        self._progress: Progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stage]}"),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
        )
        self._steps = len(STAGES)
        self._overall = self._progress.add_task("articles", total=len(paths), stage="")
        self._rows: dict[int, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._progress.stop()

    def message(self, text: str) -> None:
        """Print a line above the bars."""
        self._progress.console.print(text, markup=False, highlight=False)

    def __call__(self, event: BuildEvent) -> None:
        from rich.text import Text

        label = self._labels.get(event.path, event.path.name)
        row = self._rows.get(event.index)
        if event.stage == "done":
            if row is not None:
                self._progress.remove_task(self._rows.pop(event.index))
            self._progress.advance(self._overall)
            assert event.result is not None
            mark, style = _MARKS[event.result.status]
            line = Text.assemble((mark, style), f" {label}: {_outcome(event.result)}")
            self._progress.console.print(line, highlight=False)
        elif event.stage == "prepared":
            if row is not None:
                self._progress.remove_task(self._rows.pop(event.index))
        elif event.stage in STAGES:
            done = _DONE_AT[event.stage]
            if row is None:
                self._rows[event.index] = self._progress.add_task(
                    label, total=self._steps, completed=done, stage=event.stage
                )
            else:
                self._progress.update(row, completed=done, stage=event.stage)


def summary(results: Sequence[ArticleResult], seconds: float, rich: bool, out: Any = None) -> None:
    """Print the table of ``results`` (article, status, items, untranslated passages,
    documents, seconds, error) and a closing count, to ``out`` (stdout): a rich table
    when ``rich``, aligned plain text otherwise."""
    out = out or sys.stdout
    names = labels([r.path for r in results])
    header = ("article", "status", "items", "untranslated", "documents", "seconds", "error")
    rows = [
        (
            names[r.path],
            r.status,
            _number(r.items),
            _number(r.untranslated),
            str(r.documents),
            f"{r.seconds:.1f}" if r.status != "skipped" else "",
            error_text(r) if r.status == "failed" else "",
        )
        for r in results
    ]
    counts = {s: sum(r.status == s for r in results) for s in ("built", "skipped", "failed")}
    closing = (
        f"{len(results)} article{'s' if len(results) != 1 else ''}: {counts['built']} built, "
        f"{counts['skipped']} up to date, {counts['failed']} failed in {seconds:.1f} s"
    )
    if rich:
        from rich.console import Console
        from rich.table import Table

        table = Table(*header, show_edge=False, pad_edge=False)
        for column in table.columns[2:6]:
            column.justify = "right"
        for row in rows:
            style = {"failed": "red", "skipped": "dim"}.get(row[1])
            table.add_row(*row, style=style)
        console = Console(file=out, highlight=False)
        console.print(table)
        console.print(closing, markup=False)
        return
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header[:-1])]
    right = {2, 3, 4, 5}
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row[:-1])
        ]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)
    print(closing, file=out)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)
