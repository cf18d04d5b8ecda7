"""translate.termbase: TSV parsing with line-numbered errors, lookup and in-text scanning."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.translate.termbase import Term, Termbase, parse_termbase, read_termbase

HEADER = "zh\ten\ttype\tabbr\tnote\tsource"


def _tsv(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def test_parse_rows_comments_and_blank_lines() -> None:
    text = _tsv(
        "# people",
        "龔明鑫\tKung Ming-hsin\tperson\t\tMinister\tMOFA",
        "",
        "外交部\tMinistry of Foreign Affairs\torg\tMOFA",
    )
    tb = parse_termbase(text, "tb.tsv")
    assert len(tb) == 2
    assert tb.origin == "tb.tsv"
    assert tb.lookup("龔明鑫") == Term("龔明鑫", "Kung Ming-hsin", "person", "", "Minister", "MOFA")
    assert tb.lookup(" 外交部 ") == Term("外交部", "Ministry of Foreign Affairs", "org", "MOFA")
    assert tb.lookup("經濟部") is None


def test_parse_empty_text_is_an_empty_termbase() -> None:
    assert len(parse_termbase("# only a comment\n\n", "tb.tsv")) == 0


def test_minimal_header_is_enough() -> None:
    tb = parse_termbase("zh\ten\ttype\n華府\tWashington, D.C.\tplace\n", "tb.tsv")
    assert tb.lookup("華府") == Term("華府", "Washington, D.C.", "place")


def test_bad_header() -> None:
    with pytest.raises(InputError) as info:
        parse_termbase("chinese\tenglish\ttype\n華府\tWashington\tplace\n", "tb.tsv")
    assert str(info.value) == "tb.tsv: termbase header must start with zh, en, type"


def test_missing_en_names_the_line() -> None:
    text = _tsv("# comment on line 2", "華府\tWashington, D.C.\tplace", "台北\t\tplace")
    with pytest.raises(InputError) as info:
        parse_termbase(text, "tb.tsv")
    assert str(info.value) == "tb.tsv:4: termbase row needs both zh and en"


def test_short_row_without_en() -> None:
    with pytest.raises(InputError, match=r"^tb\.tsv:2: termbase row needs both zh and en$"):
        parse_termbase(_tsv("台北"), "tb.tsv")


def test_unknown_type_names_the_line() -> None:
    text = _tsv("華府\tWashington, D.C.\tplace", "", "台北\tTaipei\tcity")
    with pytest.raises(InputError) as info:
        parse_termbase(text, "tb.tsv")
    assert str(info.value) == "tb.tsv:4: unknown term type 'city'"


def test_read_termbase_file(tmp_path: Path) -> None:
    path = tmp_path / "extra.tsv"
    path.write_text(_tsv("華府\tWashington, D.C.\tplace"), encoding="utf-8-sig")
    tb = read_termbase(path)
    assert tb.origin == str(path)
    assert tb.lookup("華府") is not None


def test_read_termbase_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read termbase"):
        read_termbase(tmp_path / "missing.tsv")
    path = tmp_path / "big5.tsv"
    path.write_bytes(_tsv("華府\tWashington, D.C.\tplace").encode("cp950"))
    with pytest.raises(InputError, match="termbase is not UTF-8"):
        read_termbase(path)


def test_find_longest_match_first_and_in_order() -> None:
    tb = Termbase(
        [
            Term("經濟繁榮夥伴對話", "Economic Prosperity Partnership Dialogue", "event", "EPPD"),
            Term("台美經濟繁榮夥伴對話", "US-Taiwan EPPD", "event", "EPPD"),
            Term("雙方", "Both sides", "actor"),
            Term("台美雙方", "Taiwan and the United States", "actor"),
            Term("外交部", "Ministry of Foreign Affairs", "org"),
        ]
    )
    text = "外交部表示，台美雙方在台美經濟繁榮夥伴對話中，雙方同意合作。"
    found = [(text[s:e], t.zh) for s, e, t in tb.find(text, "actor", "event", "org")]
    assert found == [
        ("外交部", "外交部"),
        ("台美雙方", "台美雙方"),
        ("台美經濟繁榮夥伴對話", "台美經濟繁榮夥伴對話"),
        ("雙方", "雙方"),
    ]
    assert [t.zh for _, _, t in tb.find(text, "org")] == ["外交部"]
    assert tb.find(text, "person") == []


def test_of_type_is_longest_first() -> None:
    tb = Termbase(
        [Term("雙方", "Both sides", "actor"), Term("台美雙方", "Taiwan and the US", "actor")]
    )
    assert [t.zh for t in tb.of_type("actor")] == ["台美雙方", "雙方"]


def test_merged_overrides() -> None:
    base = Termbase([Term("華府", "Washington", "place"), Term("台北", "Taipei", "place")], "base")
    extra = Termbase([Term("華府", "Washington, D.C.", "place")], "extra")
    merged = base.merged(extra)
    assert merged.lookup("華府") == Term("華府", "Washington, D.C.", "place")
    assert merged.lookup("台北") is not None
    assert base.lookup("華府") == Term("華府", "Washington", "place")


def test_later_rows_override_earlier_ones() -> None:
    tb = parse_termbase(_tsv("華府\tWashington\tplace", "華府\tWashington, D.C.\tplace"), "tb")
    assert len(tb) == 1
    term = tb.lookup("華府")
    assert term is not None
    assert term.en == "Washington, D.C."


def test_builtin_termbase(termbase: Termbase) -> None:
    kung = termbase.lookup("龔明鑫")
    assert kung is not None
    assert (kung.en, kung.type) == ("Kung Ming-hsin", "person")
    eppd = termbase.lookup("經濟繁榮夥伴對話")
    assert eppd is not None
    assert eppd.abbr == "EPPD"
    assert termbase.origin == "briefgen/data/termbase.tsv"
