"""List labels by language convention, shared by every writer.

zh-TW official documents number levels 一、 （一） 1、 （1） 甲、 （甲）; English uses
1. a. i. A. and then repeats. A writer asks for the label of item ``n`` at ordered-list
depth ``depth`` (0 for the outermost).
"""

from __future__ import annotations

_CN_DIGITS = "零一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def cn_numeral(n: int) -> str:
    """1..9999 in Chinese counting numerals: 1 一, 10 十, 11 十一, 20 二十, 105 一百零五."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot write {n} as a Chinese numeral")
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    out = []
    zero = False
    for value, unit in units:
        digit = n // value % 10
        if digit:
            if zero and out:
                out.append("零")
            if not (value == 10 and digit == 1 and not out):
                out.append(_CN_DIGITS[digit])
            out.append(unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def roman(n: int) -> str:
    """1 -> i, 4 -> iv, 1994 -> mcmxciv."""
    table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = []
    for value, letters in table:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letter(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def heavenly_stem(n: int) -> str:
    """1 -> 甲 … 10 -> 癸; beyond ten, the Chinese numeral."""
    return _STEMS[(n - 1) % 10] if n <= 10 else cn_numeral(n)


def ordered_label(lang: str, depth: int, n: int) -> str:
    """The label of item ``n`` (1-based) of an ordered list at ``depth`` in ``lang``, as
    its ``languages.Language`` numbers it (a language briefgen does not know is numbered
    as English)."""
    from .languages import EN, LANGUAGES  # the registry imports this module's numerals

    return LANGUAGES.get(lang, EN).ordered_label(depth, n)


def bullet_label(lang: str, depth: int) -> str:
    """The bullet for an unordered list at ``depth``."""
    return ("•", "◦", "▪")[depth % 3]
