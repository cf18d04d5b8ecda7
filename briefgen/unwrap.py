"""Hard-wrapped plain text back into paragraphs.

Some pages and wire copies break every line at a fixed width, so a sentence, a name or a
document title runs over two lines ("U.S. Trade" / "Representative", 「投資促進及保障協」 /
「議」). A text is taken as hard-wrapped when many of its lines fill nearly the same
width; then a line that fills that width and does not end a sentence runs on into the
next one, unless a blank line or an enumeration marker starts a new paragraph. Any other
text keeps one paragraph per line.
"""

from __future__ import annotations

import unicodedata

from .lazyre import lazy

#: A text must have at least this many lines to be judged hard-wrapped ...
MIN_LINES = 10
#: ... at least this many of them must fill the wrap width ...
MIN_FULL = 6
#: ... and at least this share of its lines must fill the wrap width to this share of it.
FULL_SHARE = 0.4
FULL_WIDTH = 0.8
#: A text wrapped wider than this is not a wrapped text but one paragraph per line.
MAX_WRAP_WIDTH = 160

_SENTENCE_END = tuple('。！？!?.」』”"）)：:')
_NEW_ITEM_RE = lazy(
    r"^(?:[（(]?\d{1,2}[.)）、]|[（(]?[一二三四五六七八九十]{1,3}[、）)：:]|[•‧·●▪■◆\-–*]\s|"
    r"第[一二三四五六七八九十]+[，,、]|[①-⑳]|[（(][a-zivx]{1,4}[)）])"
)


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it was not wrapped."""
    measured = [(width(line), line) for line in lines if line]
    widths = sorted(w for w, _ in measured)
    if len(widths) < MIN_LINES:
        return None
    wrap = widths[int(0.9 * (len(widths) - 1))]
    if wrap > MAX_WRAP_WIDTH or wrap < 20:
        return None
    full = [line for w, line in measured if w >= FULL_WIDTH * wrap]
    cut = [line for line in full if not line.endswith(_SENTENCE_END)]
    # Wrapped lines fill the width and mostly stop mid-sentence; long paragraphs that
    # happen to be of similar length end their sentences.
    wrapped = len(full) >= max(MIN_FULL, FULL_SHARE * len(widths)) and len(cut) >= 0.5 * len(full)
    return wrap if wrapped else None


def _joiner(left: str, right: str) -> str:
    """Nothing between Chinese characters, a space between words."""
    if (
        unicodedata.east_asian_width(left[-1]) in "WF"
        or unicodedata.east_asian_width(right[0]) in "WF"
    ):
        return ""
    return "" if left.endswith("-") and left[-2:-1].isalpha() and right[:1].islower() else " "


def unwrap(lines: list[str]) -> list[str]:
    """Paragraphs from the stripped ``lines`` of a text (blank lines included): joined
    where the text is hard-wrapped, else its non-empty lines as they are."""
    wrap = _wrap_width(lines)
    if wrap is None:
        return [line for line in lines if line]
    paragraphs: list[str] = []
    current: str | None = None
    previous = ""
    for line in lines:
        if not line:
            if current is not None:
                paragraphs.append(current)
            current, previous = None, ""
            continue
        runs_on = (
            current is not None
            and width(previous) >= FULL_WIDTH * wrap
            and not previous.endswith(_SENTENCE_END)
            and not _NEW_ITEM_RE.match(line)
        )
        if runs_on and current is not None:
            current += _joiner(current, line) + line
        else:
            if current is not None:
                paragraphs.append(current)
            current = line
        previous = line
    if current is not None:
        paragraphs.append(current)
    return paragraphs
