"""Column widths from cell contents, shared by the PDF and DOCX writers."""

from __future__ import annotations

import pytest

from briefgen import ir
from briefgen.writers.layout import cell_lines, column_widths, measure_cell, words


def test_columns_that_fit_get_their_natural_width_and_the_widest_the_rest() -> None:
    widths = column_widths([[20, 30], [100, 150], [40]], [20, 60, 40], 400)
    assert widths == [30, 330, 40]


def test_narrow_columns_stay_whole_and_the_text_column_takes_most() -> None:
    number, names, text, status = [20, 20], [60, 60, 60, 200], [900, 800, 1000], [50, 70]
    widths = column_widths([number, names, text, status], [20, 50, 70, 50], 460)
    assert sum(widths) == pytest.approx(460)
    assert widths[0] == 20 and widths[3] == 70  # never wrapped
    assert 60 <= widths[1] < 120  # most names on one line, the long one wraps
    assert widths[2] > 250


def test_no_wrapping_column_gets_more_than_its_natural_width() -> None:
    widths = column_widths([[130, 120], [2000]], [40, 60], 460)
    assert widths[0] <= 130
    assert sum(widths) == pytest.approx(460)


def test_minimums_wider_than_the_line_are_scaled_down() -> None:
    widths = column_widths([[300], [300]], [200, 300], 250)
    assert widths == pytest.approx([100, 150])


def test_words_are_latin_runs_and_single_chinese_characters_with_their_marks() -> None:
    assert words("Both sides 雙方同意。「合作」") == [
        "Both",
        "sides",
        "雙",
        "方",
        "同",
        "意。",
        "「合",
        "作」",
    ]
    assert words("AI供應鏈") == ["AI", "供", "應", "鏈"]


def test_a_cell_is_measured_by_its_longest_line_and_longest_word() -> None:
    def measure(text: str) -> float:
        return 10.0 * len(text)

    natural, minimum = measure_cell(["ab cdefgh", "abc"], measure, 10, 3)
    assert natural == pytest.approx(90 * 1.04 + 6)
    assert minimum == pytest.approx(60 * 1.04 + 6)  # the longest word
    _, minimum = measure_cell(["a b c d e f"], measure, 10, 3)
    assert minimum == pytest.approx(40 + 6)  # at least four ems where the text is wider
    lines = cell_lines(
        [
            ir.Para([ir.Text("one"), ir.LineBreak(), ir.Text("two")]),
            ir.BulletList([ir.ListItem([ir.Para([ir.Text("three")])])]),
        ]
    )
    assert [ir.plain_text(line) for line in lines] == ["one", "two", "three"]
