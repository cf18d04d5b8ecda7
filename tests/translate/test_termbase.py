"""translate.termbase: TSV, CSV and TBX parsing with line-numbered errors, writing, lookup,
in-text scanning, merging, and the built-in termbase's content."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.translate.termbase import (
    TYPES,
    Term,
    Termbase,
    parse_csv,
    parse_tbx,
    parse_termbase,
    read_termbase,
    write_termbase,
)

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


# --- the built-in termbase -------------------------------------------------------------


def _get(termbase: Termbase, zh: str) -> Term:
    term = termbase.lookup(zh)
    assert term is not None, zh
    return term


BUILTIN_TSV = Path(__file__).resolve().parents[2] / "briefgen" / "data" / "termbase.tsv"


def _builtin_rows() -> list[tuple[int, dict[str, str]]]:
    """The built-in file's rows as written (before later rows override earlier ones)."""
    lines = BUILTIN_TSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [
        (number, dict(zip(header, line.split("\t"), strict=False)))
        for number, line in enumerate(lines[1:], 2)
        if line.strip() and not line.startswith("#")
    ]


def test_builtin_termbase_has_at_least_300_entries(termbase: Termbase) -> None:
    assert len(termbase) >= 300
    kinds = {t.type for t in termbase}
    assert kinds == set(TYPES)


def test_builtin_rows_are_complete() -> None:
    for number, row in _builtin_rows():
        where = f"termbase.tsv:{number}"
        assert len(row) == 7, where
        assert row["zh"].strip() and row["zh"] == row["zh"].strip(), where
        assert row["en"].strip() and row["en"] == row["en"].strip(), where
        assert row["type"] in TYPES, where
        if row["type"] in ("person", "org"):
            assert row["source"].strip(), f"{where}: {row['zh']} has no source"
        if row["type"] == "person":
            assert row["side"].strip(), f"{where}: {row['zh']} has no side"


def test_builtin_has_no_duplicate_zh() -> None:
    seen: dict[str, int] = {}
    for number, row in _builtin_rows():
        assert row["zh"] not in seen, f"{row['zh']} on lines {seen[row['zh']]} and {number}"
        seen[row["zh"]] = number


@pytest.mark.parametrize(
    ("zh", "en", "side"),
    [
        ("龔明鑫", "Kung Ming-hsin", "taiwan"),
        ("海柏格", "Jacob Helberg", "us"),
        ("陳明祺", "Chen Ming-chi", "taiwan"),
        ("侯宜秀", "Isabel Hou", "taiwan"),
        ("劉國偉", "Liu Kuo-wei", "taiwan"),
        ("張培仁", "Chang Pei-zen", "taiwan"),
        ("俞大㵢", "Alexander Tah-Ray Yui", "taiwan"),
    ],
)
def test_builtin_sample_officials(termbase: Termbase, zh: str, en: str, side: str) -> None:
    term = termbase.lookup(zh)
    assert term is not None
    assert (term.en, term.type, term.side) == (en, "person", side)
    assert term.source


# Tone-less Hanyu Pinyin syllables (without the interjections n, ng, m, hm …).
_PINYIN_TABLE = """
    a ai an ang ao e ei en eng er o ou yi ya yao ye you yan yang yin ying yong wu wa wo wai
    wei wan wen wang weng yu yue yuan yun
    ba bo bai bei bao ban ben bang beng bi biao bie bian bin bing bu
    pa po pai pei pao pou pan pen pang peng pi piao pie pian pin ping pu
    ma mo me mai mei mao mou man men mang meng mi miao mie miu mian min ming mu
    fa fo fei fou fan fen fang feng fu
    da de dai dei dao dou dan den dang deng dong di dia diao die diu dian ding du duo dui
    duan dun
    ta te tai tao tou tan tang teng tong ti tiao tie tian ting tu tuo tui tuan tun
    na ne nai nei nao nou nan nen nang neng nong ni niao nie niu nian nin niang ning nu nuo
    nuan nv nve
    la le lai lei lao lou lan lang leng long li lia liao lie liu lian lin liang ling lu luo
    luan lun lv lve
    ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
    ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
    ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
    ji jia jiao jie jiu jian jin jiang jing jiong ju jue juan jun
    qi qia qiao qie qiu qian qin qiang qing qiong qu que quan qun
    xi xia xiao xie xiu xian xin xiang xing xiong xu xue xuan xun
    zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui
    zhuan zhun zhuang
    cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan
    chun chuang
    sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan
    shun shuang
    re ri rao rou ran ren rang reng rong ru ruo rui ruan run
    za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
    ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
    sa se si sai sao sou san sen sang seng song su suo sui suan sun
"""
_PINYIN = frozenset(_PINYIN_TABLE.split())


def _pinyin_syllables(word: str) -> int:
    """How many pinyin syllables ``word`` is made of (0 if it is not pinyin at all)."""
    word = word.lower()
    best = [0] + [-1] * len(word)  # best[i]: syllables in word[:i], -1 if impossible
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] >= 0 and word[start:end] in _PINYIN:
                best[end] = max(best[end], best[start] + 1)
    return max(best[-1], 0)


def _looks_like_pinyin(name: str) -> bool:
    """True for a name written the Hanyu Pinyin way: a given name of two or more syllables
    run together (Mingxin, Qingde), or syllables with the pinyin-only initials q, x or zh
    (Ming-xin). Taiwanese officials write their names Wade-Giles style, hyphenated (Kung
    Ming-hsin, Lai Ching-te), or with their own English names (Isabel Hou)."""
    for token in name.split():
        if "-" in token:
            if any(re.match(r"(?:q|x|zh)", part, re.I) for part in token.split("-")):
                return True
        elif _pinyin_syllables(token) >= 2:
            return True
    return False


def test_pinyin_detector() -> None:
    assert _looks_like_pinyin("Gong Mingxin")
    assert _looks_like_pinyin("Lai Qingde")
    assert _looks_like_pinyin("Chen Ming-qi")
    assert _looks_like_pinyin("Zhang Peiren")
    for name in [
        "Kung Ming-hsin",
        "Lai Ching-te",
        "Isabel Hou",
        "Alexander Tah-Ray Yui",
        "Hsiao Bi-khim",
        "Cho Jung-tai",
        "François Chih-chung Wu",
        "Chang Pei-zen",
    ]:
        assert not _looks_like_pinyin(name), name


def test_builtin_taiwanese_names_are_not_pinyin(termbase: Termbase) -> None:
    people = [t for t in termbase if t.type == "person" and t.side == "taiwan"]
    assert len(people) >= 7
    for term in people:
        assert not _looks_like_pinyin(term.en), f"{term.zh}: {term.en} looks like pinyin"


def test_builtin_org_abbreviations_and_sides(termbase: Termbase) -> None:
    moea = termbase.lookup("經濟部")
    assert moea is not None
    assert (moea.en, moea.abbr, moea.side) == ("Ministry of Economic Affairs", "MOEA", "taiwan")
    for zh, en, abbr in [
        ("外交部", "Ministry of Foreign Affairs", "MOFA"),
        ("數位發展部", "Ministry of Digital Affairs", "MODA"),
        ("數位部", "Ministry of Digital Affairs", "MODA"),
        ("國家發展委員會", "National Development Council", "NDC"),
        ("國家科學及技術委員會", "National Science and Technology Council", "NSTC"),
        ("中華民國對外貿易發展協會", "Taiwan External Trade Development Council", "TAITRA"),
        ("駐美國台北經濟文化代表處",
         "Taipei Economic and Cultural Representative Office in the United States", "TECRO"),
        ("美國在台協會", "American Institute in Taiwan", "AIT"),
        ("美國貿易代表署", "Office of the United States Trade Representative", "USTR"),
        ("美國商務部工業與安全局", "Bureau of Industry and Security", "BIS"),
    ]:  # fmt: skip
        term = termbase.lookup(zh)
        assert term is not None, zh
        assert (term.en, term.abbr) == (en, abbr), zh
    assert _get(termbase, "白宮").side == "us"
    assert _get(termbase, "日本台灣交流協會").side == "japan"
    assert _get(termbase, "經濟部長").type == "title"
    assert _get(termbase, "次卿").en == "Under Secretary"


# --- find: longest match at each position ----------------------------------------------

_OVERLAPPING = Termbase(
    [
        Term("美國", "The United States", "actor"),
        Term("國務院", "US Department of State", "org"),
        Term("美國國務院", "US Department of State", "org"),
        Term("台美", "Taiwan and the US", "actor"),
        Term("美國在台協會", "American Institute in Taiwan", "org"),
    ]
)


def test_find_prefers_the_longest_entry_at_a_position() -> None:
    text = "美國國務院表示"
    assert [(s, e, t.zh) for s, e, t in _OVERLAPPING.find(text, "actor", "org")] == [
        (0, 5, "美國國務院")
    ]


def test_find_non_overlapping_matches_in_order() -> None:
    text = "美國國務院與國務院官員及美國在台協會、美國"
    found = _OVERLAPPING.find(text, "org", "actor")
    assert [(text[s:e], t.zh) for s, e, t in found] == [
        ("美國國務院", "美國國務院"),
        ("國務院", "國務院"),
        ("美國在台協會", "美國在台協會"),
        ("美國", "美國"),
    ]
    starts = [s for s, _, _ in found]
    assert starts == sorted(starts)
    assert all(e <= s2 for (_, e, _), (s2, _, _) in itertools.pairwise(found))


def test_find_scans_left_to_right_so_an_earlier_match_wins() -> None:
    # 台美 starts before 美國國務院, so it is taken and the scan resumes at 國務院.
    text = "台美國務院"
    assert [t.zh for _, _, t in _OVERLAPPING.find(text, "org", "actor")] == ["台美", "國務院"]


def test_find_only_considers_the_requested_types() -> None:
    text = "美國國務院表示"
    assert [t.zh for _, _, t in _OVERLAPPING.find(text, "actor")] == ["美國"]
    assert [t.zh for _, _, t in _OVERLAPPING.find(text, "org")] == ["美國國務院"]
    # The type order in the call does not matter (and the pattern cache keys on the set).
    assert _OVERLAPPING.find(text, "org", "actor") == _OVERLAPPING.find(text, "actor", "org")


def test_find_on_the_builtin_termbase(termbase: Termbase) -> None:
    text = (
        "經濟部長龔明鑫與美國國務院次卿海柏格在華府會面，"
        "美國在台協會與駐美國台北經濟文化代表處簽署聲明"
    )
    found = [t.zh for _, _, t in termbase.find(text, "org", "person", "title", "place")]
    assert found == [
        "經濟部長",
        "龔明鑫",
        "美國國務院",
        "次卿",
        "海柏格",
        "華府",
        "美國在台協會",
        "駐美國台北經濟文化代表處",
    ]


# --- merged: later termbases win -------------------------------------------------------


def test_merged_chain_later_wins() -> None:
    first = Termbase([Term("華府", "Washington", "place"), Term("台北", "Taipei", "place")], "a")
    second = Termbase([Term("華府", "Washington DC", "place"), Term("東京", "Tokio", "place")])
    third = Termbase([Term("華府", "Washington, D.C.", "place"), Term("東京", "Tokyo", "place")])
    merged = first.merged(second).merged(third)
    assert {t.zh: t.en for t in merged} == {
        "華府": "Washington, D.C.",
        "台北": "Taipei",
        "東京": "Tokyo",
    }
    assert merged.origin == "a"
    # merged() copies: neither input changes.
    assert _get(first, "華府").en == "Washington"
    assert _get(second, "東京").en == "Tokio"
    # A merged termbase finds the overriding entries.
    assert [t.en for _, _, t in merged.find("華府與東京", "place")] == [
        "Washington, D.C.",
        "Tokyo",
    ]


def test_load_termbase_files_of_every_format_later_win(tmp_path: Path) -> None:
    from briefgen.pipeline import load_termbase
    from briefgen.settings import Settings

    tsv = tmp_path / "a.tsv"
    tsv.write_text(_tsv("華府\tWashington (a)\tplace", "東京\tTokyo (a)\tplace"), "utf-8")
    csv_file = tmp_path / "b.csv"
    csv_file.write_text('zh,en,type\n華府,"Washington, D.C. (b)",place\n', "utf-8")
    tbx = tmp_path / "c.tbx"
    write_termbase([Term("東京", "Tokyo (c)", "place")], tbx)
    termbase = load_termbase(Settings(termbases=(tsv, csv_file, tbx)))
    assert _get(termbase, "華府").en == "Washington, D.C. (b)"
    assert _get(termbase, "東京").en == "Tokyo (c)"
    assert _get(termbase, "龔明鑫").en == "Kung Ming-hsin"


# --- CSV -------------------------------------------------------------------------------

_TRICKY = [
    Term("華府", "Washington, D.C.", "place"),
    Term("經濟部", "Ministry of Economic Affairs", "org", "MOEA", 'said "經部"', "MOEA", "taiwan"),
    Term("俞大㵢", "Alexander Tah-Ray Yui", "person", "", "TECRO, 2026", "State Dept", "taiwan"),
    Term("矽和平宣言", "Pax Silica Declaration", "doc", "", "第一行\n第二行"),
]


def test_csv_round_trip_with_chinese(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    write_termbase(_TRICKY, path)
    assert path.read_bytes().decode("utf-8").startswith("zh,en,type,abbr,note,source,side\n")
    back = read_termbase(path)
    assert list(back) == _TRICKY
    assert back.origin == str(path)


def test_csv_round_trip_of_the_builtin_termbase(termbase: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "builtin.csv"
    write_termbase(termbase, path)
    assert list(read_termbase(path)) == list(termbase)


def test_csv_with_bom_comments_and_columns_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    text = (
        "# exported from a spreadsheet\r\n"
        "type,en,zh,side,abbr,extra\r\n"
        "\r\n"
        'org,"Taipei Economic and Cultural Representative Office in the United States",'
        "駐美代表處,taiwan,TECRO,x\r\n"
        "place,Taipei,臺北,,,\r\n"
        ",,,,,\r\n"
    )
    path.write_bytes(text.encode("utf-8-sig"))
    tb = read_termbase(path)
    assert list(tb) == [
        Term(
            "駐美代表處",
            "Taipei Economic and Cultural Representative Office in the United States",
            "org",
            "TECRO",
            side="taiwan",
        ),
        Term("臺北", "Taipei", "place"),
    ]


def test_csv_short_rows_leave_optional_columns_empty() -> None:
    tb = parse_csv('zh,en,type,abbr,note\n華府,"Washington, D.C.",place\n', "t.csv")
    assert tb.lookup("華府") == Term("華府", "Washington, D.C.", "place")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'zh,en,type\n華府,"Washington, D.C.",place\n"台北,Taipei,place\n',
            r"^t\.csv:3: malformed CSV: unexpected end of data$",
        ),
        ('zh,en,type\n"台北"x,Taipei,place\n', r"^t\.csv:2: malformed CSV: .*expected after"),
        (
            "zh,en,type\n華府,Washington, D.C.,place\n",
            r"^t\.csv:2: termbase row has 4 fields but the header has 3 "
            r"\(quote fields that contain commas\)$",
        ),
        ("zh,english,type\n華府,Washington,place\n", r"^t\.csv:1: .*missing en\)$"),
        ("# c\nzh,en,type\n\n台北,,place\n", r"^t\.csv:4: termbase row needs both zh and en$"),
        ("zh,en,type\n台北,Taipei,city\n", r"^t\.csv:2: unknown term type 'city'$"),
    ],
)
def test_malformed_csv_names_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_csv(text, "t.csv")


def test_malformed_csv_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('zh,en,type\n華府,Washington,place\n"台北,Taipei\n', "utf-8")
    with pytest.raises(InputError) as info:
        read_termbase(path)
    assert str(info.value) == f"{path}:3: malformed CSV: unexpected end of data"
    path.write_bytes("zh,en,type\n華府,Washington,place\n".encode("cp950"))
    with pytest.raises(InputError, match="termbase is not UTF-8"):
        read_termbase(path)


def test_empty_csv_is_an_empty_termbase() -> None:
    assert len(parse_csv("", "t.csv")) == 0
    assert len(parse_csv("# nothing\n\n", "t.csv")) == 0


# --- TBX -------------------------------------------------------------------------------

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="kung">
      <descrip type="subjectField">person</descrip>
      <admin type="x-side">taiwan</admin>
      <descripGrp>
        <descrip type="definition">Minister of Economic Affairs</descrip>
        <admin type="source">MOFA English release No. 037</admin>
      </descripGrp>
      <langSet xml:lang="zh-TW">
        <ntig><termGrp><term>龔明鑫</term>
          <termNote type="partOfSpeech">properNoun</termNote></termGrp></ntig>
      </langSet>
      <langSet xml:lang="en"><tig><term>Kung Ming-hsin</term></tig></langSet>
    </termEntry>
    <termEntry id="dc">
      <langSet xml:lang="zh"><tig><term>華府</term></tig></langSet>
      <langSet xml:lang="en-US"><tig><term>Washington, <hi>D.C.</hi></term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="moea">
      <descrip type="type">org</descrip>
      <admin type="side">taiwan</admin>
      <langSec xml:lang="zh-Hant">
        <descrip type="definition">Taiwan's economics ministry</descrip>
        <termSec><term>經濟部</term></termSec>
        <termSec><term>經部</term></termSec>
      </langSec>
      <langSec xml:lang="en">
        <termSec><term>Ministry of Economic Affairs</term>
          <termNote type="termType">fullForm</termNote>
          <admin type="source">MOEA English site</admin></termSec>
        <termSec><term>MOEA</term><termNote type="termType">acronym</termNote></termSec>
      </langSec>
      <langSec xml:lang="zh-CN"><termSec><term>经济部</term></termSec></langSec>
      <langSec xml:lang="ja"><termSec><term>経済部</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="other"><langSec xml:lang="de"><termSec><term>Haus</term></termSec>
      </langSec></conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_v2_martif(tmp_path: Path) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text(TBX_V2, encoding="utf-8")
    tb = read_termbase(path)
    assert list(tb) == [
        Term(
            "龔明鑫",
            "Kung Ming-hsin",
            "person",
            note="Minister of Economic Affairs",
            source="MOFA English release No. 037",
            side="taiwan",
        ),
        Term("華府", "Washington, D.C.", "term"),
    ]


def test_tbx_v3_concept_entries() -> None:
    tb = parse_tbx(TBX_V3.encode("utf-8"), "t.tbx")
    expected = dict(
        en="Ministry of Economic Affairs",
        type="org",
        abbr="MOEA",
        note="Taiwan's economics ministry",
        source="MOEA English site",
        side="taiwan",
    )
    assert list(tb) == [Term("經濟部", **expected), Term("經部", **expected)]
    # Simplified Chinese, Japanese and German terms are not read.
    assert tb.lookup("经济部") is None


def test_tbx_accepts_text_with_an_encoding_declaration() -> None:
    assert len(parse_tbx(TBX_V3, "t.tbx")) == 2


def test_tbx_round_trip_with_chinese(tmp_path: Path) -> None:
    path = tmp_path / "terms.tbx"
    write_termbase(_TRICKY, path)
    data = path.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "<term>俞大㵢</term>".encode() in data
    back = read_termbase(path)
    tricky = [
        *_TRICKY[:3],
        Term("矽和平宣言", "Pax Silica Declaration", "doc", "", "第一行 第二行"),
    ]
    assert list(back) == tricky  # line breaks inside a note become spaces


def test_tbx_round_trip_of_the_builtin_termbase(termbase: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "builtin.xml"
    write_termbase(termbase, path)
    assert list(read_termbase(path)) == list(termbase)


def test_tsv_round_trip(termbase: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "builtin.txt"
    write_termbase(termbase, path)
    assert list(read_termbase(path)) == list(termbase)


def _entry(*lang_sets: str, head: str = "") -> str:
    return (
        "<martif type='TBX'><text><body><termEntry id='e1'>"
        + head
        + "".join(lang_sets)
        + "</termEntry></body></text></martif>"
    )


_ZH = "<langSet xml:lang='zh-TW'><tig><term>台北</term></tig></langSet>"
_EN = "<langSet xml:lang='en'><tig><term>Taipei</term></tig></langSet>"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "<martif><text><body>\n<termEntry>\n<langSet xml:lang='zh'><tig><term>台北</tig>",
            r"^t\.tbx:3: malformed TBX: Opening and ending tag mismatch",
        ),
        ("", r"^t\.tbx:\d+: malformed TBX: "),
        ("<root/>", r"^t\.tbx: not a TBX file \(root element <root>"),
        (_entry(_ZH), r"^t\.tbx:1: TBX entry 1 \(id e1\): has a Chinese term \(台北\) but no "),
        (
            _entry(_ZH, _EN, head="<descrip type='x-type'>city</descrip>"),
            r"^t\.tbx:1: TBX entry 1 \(id e1\): unknown term type 'city'$",
        ),
        (
            _entry("<langSet xml:lang='zh'><tig><term> </term></tig></langSet>", _EN),
            r"^t\.tbx:1: TBX entry 1 \(id e1\): empty <term>",
        ),
        (
            _entry("<langSet xml:lang='zh'><tig><termNote/></tig></langSet>", _EN),
            r"^t\.tbx:1: TBX entry 1 \(id e1\): <tig> has no <term>$",
        ),
    ],
)
def test_malformed_tbx_names_the_line_or_entry(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_tbx(text.encode("utf-8"), "t.tbx")


def test_tbx_entities_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    for doctype in (
        f'<!DOCTYPE martif [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
        '<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY x "&a;&a;&a;&a;&a;">]>',
    ):
        text = (
            "<?xml version='1.0'?>"
            + doctype
            + _entry("<langSet xml:lang='zh'><tig><term>台&x;</term></tig></langSet>", _EN)
        )
        path = tmp_path / "evil.tbx"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=r"evil\.tbx:1: malformed TBX: entity reference &x;"):
            read_termbase(path)


def test_read_termbase_chooses_the_format_by_suffix(tmp_path: Path) -> None:
    rows = [Term("華府", "Washington, D.C.", "place")]
    for name in ("t.tsv", "t.TXT", "t.csv", "t.CSV", "t.tbx", "t.xml", "t.terms"):
        path = tmp_path / name
        write_termbase(rows, path)
        assert list(read_termbase(path)) == rows, name
    assert (tmp_path / "t.terms").read_text("utf-8").startswith("zh\ten\ttype")
    # A CSV file is not read as TSV: its header would not start with zh, en, type.
    (tmp_path / "t.tsv").write_text("zh,en,type\n華府,Washington,place\n", "utf-8")
    with pytest.raises(InputError, match="header must start with zh, en, type"):
        read_termbase(tmp_path / "t.tsv")
