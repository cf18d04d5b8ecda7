"""The bottom line: the article's lede, two or three sentences taken as written."""

from __future__ import annotations

from .text import sentence_spans

MIN_CHARS = 60
MAX_SENTENCES = 3


def lede_spans(paragraphs: tuple[str, ...], skip: set[int]) -> list[tuple[int, int, int]]:
    """``(para, start, end)`` of the first sentences of the article: at least two (when the
    article has them) and enough to say what happened, at most three. Headings and
    paragraphs in ``skip`` (agenda items) are passed over."""
    chosen: list[tuple[int, int, int]] = []
    length = 0
    for index, para in enumerate(paragraphs):
        if index in skip or _is_heading(para):
            continue
        for start, end in sentence_spans(para):
            chosen.append((index, start, end))
            length += end - start
            if len(chosen) >= MAX_SENTENCES or (len(chosen) >= 2 and length >= MIN_CHARS):
                return chosen
    return chosen


def _is_heading(para: str) -> bool:
    return len(para) <= 30 and not para.endswith(("。", "！", "？", ".", "!", "?"))
