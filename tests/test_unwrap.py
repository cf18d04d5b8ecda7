"""unwrap: hard-wrapped plain text back into paragraphs."""

from __future__ import annotations

from briefgen.ingest import ingest_bytes
from briefgen.unwrap import unwrap, width

WRAPPED_EN = """A headline for the page
Some News Service
The fifth meeting of the Joint Economic Committee was held in Canberra on May 3,
2025. The Minister for Trade and Industry of the Republic and U.S. Trade
Representative, Ambassador Jane Doe co-chaired the meeting, the first since the
committee was relaunched in the spring of last year by both governments.
2. The ministers welcomed the progress made since the previous meeting of the
committee and agreed on a work plan for the coming year, with a review in autumn.
3. They agreed to meet again next year, in the capital of the other country, and to
hold working-group meetings on supply chains, digital trade and clean energy before
then, with the officials of both sides reporting back to the ministers by the end of
the year on the progress made."""


def test_wrapped_english_lines_run_on_until_a_sentence_or_an_item_ends() -> None:
    paragraphs = unwrap(WRAPPED_EN.split("\n"))
    assert paragraphs[:2] == ["A headline for the page", "Some News Service"]
    assert paragraphs[2].startswith("The fifth meeting")
    assert "U.S. Trade Representative, Ambassador Jane Doe" in paragraphs[2]
    assert paragraphs[3].startswith("2. The ministers welcomed")
    assert paragraphs[3].endswith("review in autumn.")
    assert paragraphs[4].startswith("3. They agreed to meet again next year, in the capital")
    assert paragraphs[4].endswith("on the progress made.")


def test_wrapped_chinese_joins_without_spaces_and_stops_at_blank_lines() -> None:
    lines = [
        "台加簽署協議",
        "",
        "(某社記者台北2023年12月22日電)台灣與加拿大",
        "今天在台北簽署「投資促進及保障協議」,經貿辦",
        "表示,此協議是台灣布局北美市場重要一環,加拿",
        "大也是跨太平洋夥伴協定成員,有助於雙邊經貿。",
        "",
        "(某社記者台北2023年12月22日電)台灣與",
        "加拿大今天在台北簽署「投資促進及保障協",
        "議」,經貿辦表示,此協議是重要的一環,加",
        "拿大也是重要的夥伴國家,有助於雙邊經貿。",
        "",
        "雙方歷經兩年多談判的協議,今年十月宣布",
        "完成談判,並在今天上午由雙方代表正式簽",
        "署協議。",
    ]
    paragraphs = unwrap(lines)
    assert paragraphs[0] == "台加簽署協議"
    assert "「投資促進及保障協議」" in paragraphs[1]
    assert paragraphs[1].endswith("有助於雙邊經貿。")
    assert "「投資促進及保障協議」" in paragraphs[2]
    assert paragraphs[3].endswith("正式簽署協議。")


def test_ordinary_text_keeps_one_paragraph_per_line() -> None:
    lines = ["標題", "第一段的內容，相當長的一句話。", "第二段", "第三段的內容，也是一句話。"] * 3
    assert unwrap(lines) == lines


def test_width_counts_wide_characters_twice() -> None:
    assert width("台灣 US") == 7


def test_ingest_unwraps_plain_text() -> None:
    source = ingest_bytes(WRAPPED_EN.encode(), "wrapped.txt")
    assert any("U.S. Trade Representative, Ambassador" in p for p in source.paragraphs)


def test_a_list_of_headlines_is_not_a_wrapped_text() -> None:
    lines = [
        "短的導言。",
        "更多新聞",
        "某國部長訪台 雙方簽署經貿合作備忘錄 盼深化供應鏈",
        "外交部回應某國",
    ]
    lines += ["台美經貿對話登場 聚焦半導體與能源合作的未來方向", "某某會議明年再聚"]
    assert unwrap(lines) == lines
