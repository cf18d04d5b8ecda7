"""Layout decisions shared by the writers that lay out pages themselves."""

from __future__ import annotations

_WIDE = range(0x2E80, 0xFFEF)


def column_widths(texts: list[list[str]], size: float, available: float, pad: float) -> list[float]:
    """Table column widths (points) from each column's longest cell text: natural widths
    when they fit (the last column takes the rest); otherwise every column but the
    widest gets at most a third of the width and the widest the remainder."""
    columns = max((len(r) for r in texts), default=1)
    natural = [0.0] * columns
    for row in texts:
        for c, text in enumerate(row):
            est = sum(size if ord(ch) in _WIDE else size * 0.6 for ch in text) * 1.1
            natural[c] = max(natural[c], est + 2 * pad + 6)
    if sum(natural) <= available:
        natural[-1] += available - sum(natural)
        return natural
    widest = max(range(columns), key=lambda c: natural[c])
    widths = [min(w, available * 0.34) for w in natural]
    widths[widest] = available - sum(w for i, w in enumerate(widths) if i != widest)
    return widths
