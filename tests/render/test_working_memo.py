"""The working memo's follow-up table: who does what next, from a small hand-made brief."""

from __future__ import annotations

from typing import Any

from briefgen import ir
from briefgen.model import parse_brief
from briefgen.render import render


def _point(en: str, zh: str, commitment: str, actor: tuple[str, str] | None) -> dict[str, Any]:
    point: dict[str, Any] = {
        "text": {"en": en, "zh-TW": zh, "via": {"en": "source", "zh-TW": "human"}},
        "commitment": commitment,
    }
    if actor:
        point["actor"] = {"en": actor[0], "zh-TW": actor[1], "via": {"en": "source"}}
    return point


BOTH = ("Both sides", "雙方")
US = ("The United States", "美方")
BRIEF = {
    "source": {"language": "en", "paragraphs": ["p"]},
    "items": [
        {
            "number": 1,
            "title": "Supply chains",
            "points": [
                _point("The talks were cordial", "會談氣氛融洽", "statement", BOTH),
                _point(
                    "Both sides will study chip export rules",
                    "雙方將研議晶片出口規範",
                    "will_study",
                    BOTH,
                ),
                _point("The United States supports the forum", "美方支持論壇", "supports", US),
            ],
            "items": [
                {
                    "number": 1,
                    "title": "Minerals",
                    "points": [
                        _point(
                            "Both sides exchanged views on mining",
                            "雙方就採礦交換意見",
                            "done",
                            BOTH,
                        ),
                        _point(
                            "The United States will continue refining talks",
                            "美方將持續精煉對話",
                            "will_continue",
                            US,
                        ),
                    ],
                }
            ],
        },
        {
            "number": 2,
            "title": "Documents",
            "points": [
                _point("Both sides signed a memorandum", "雙方簽署備忘錄", "signed", BOTH),
                _point(
                    "Taiwanese firms agreed to invest",
                    "台灣廠商同意投資",
                    "agreed",
                    ("Taiwan", "台灣"),
                ),
            ],
        },
    ],
    "next_steps": [{"text": {"en": "A working group will meet in March", "via": {"en": "source"}}}],
}


def _follow_up(lang: str) -> ir.Table:
    doc = render(parse_brief(BRIEF), "working", lang)
    label = "Follow-up" if lang == "en" else "後續追蹤"
    for i, block in enumerate(doc.blocks):
        if isinstance(block, ir.Heading) and ir.plain_text(block.children) == label:
            table = doc.blocks[i + 1]
            assert isinstance(table, ir.Table)
            return table
    raise AssertionError("no follow-up table")


def _cells(table: ir.Table) -> list[list[str]]:
    return [
        [
            " ".join(ir.plain_text(b.children) for b in cell.blocks if isinstance(b, ir.Para))
            for cell in row
        ]
        for row in table.rows
    ]


def test_follow_up_lists_forward_looking_actions_with_their_actor() -> None:
    table = _follow_up("en")
    rows = _cells(table)
    assert table.header_rows == 1
    assert rows[0] == ["Item", "Who", "What next", "Status"]
    assert rows[1:] == [
        ["1", "Both sides", "will study chip export rules", "will study"],
        ["1", "The United States", "will continue refining talks", "will continue"],
        # the actor's words are not in front of the text ("Taiwanese" is not "Taiwan"):
        # the text stays whole
        ["2", "Taiwan", "Taiwanese firms agreed to invest", "agreed"],
        ["—", "—", "A working group will meet in March", "next step"],
    ]
    text = "\n".join(" ".join(row) for row in rows)
    for left_out in ("cordial", "supports the forum", "exchanged views", "memorandum"):
        assert left_out not in text


def test_follow_up_in_chinese_drops_the_actor_in_front_only_before_a_predicate() -> None:
    rows = _cells(_follow_up("zh-TW"))
    assert rows[0] == ["議題", "權責", "後續作為", "狀態"]
    assert rows[1][1:3] == ["雙方", "將研議晶片出口規範"]
    assert rows[2][1:3] == ["美方", "將持續精煉對話"]
    assert rows[3][1:3] == ["台灣", "台灣廠商同意投資"]
    assert rows[4][3] == "後續工作"


def test_no_follow_up_section_without_actions_or_next_steps() -> None:
    brief = {**BRIEF, "items": [BRIEF["items"][1]], "next_steps": []}
    brief["items"] = [{**BRIEF["items"][1], "points": BRIEF["items"][1]["points"][:1]}]
    doc = render(parse_brief(brief), "working", "en")
    headings = [ir.plain_text(b.children) for b in doc.blocks if isinstance(b, ir.Heading)]
    assert "Follow-up" not in headings
