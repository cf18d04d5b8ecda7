"""render.lines: an item's principal commitment, shortened by rule, and a point's action."""

from __future__ import annotations

from briefgen.render.lines import (
    action,
    agreed_topics,
    cut,
    principal_point,
    shortened,
    with_article,
)


def _point(text: dict, level: str, actor: dict | None = None) -> dict:
    return {"text": text, "commitment": level, "actor": actor}


def test_principal_point_is_the_first_at_the_strongest_level() -> None:
    item = {
        "points": [
            _point({"en": "The US supports A"}, "supports"),
            _point({"en": "Both sides agreed to B"}, "agreed"),
            _point({"en": "Both sides agreed to C"}, "agreed"),
        ],
        "items": [{"points": [_point({"en": "They signed D"}, "signed")], "items": []}],
    }
    assert principal_point(item)["text"] == {"en": "They signed D"}
    item["items"] = []
    assert principal_point(item)["text"] == {"en": "Both sides agreed to B"}
    statements = {"points": [_point({"en": "A remark"}, "statement")], "items": []}
    assert principal_point(statements)["text"] == {"en": "A remark"}
    assert principal_point({"points": [], "items": []}) is None


def test_cut_keeps_whole_clauses() -> None:
    zh = (
        "雙方同意推動可信賴的正體中文語料庫在大型語言模型（LLM，含開源模型）的發展與應用，"
        "共同形塑多元開放特色的主權AI資料基礎"
    )
    assert cut(zh, "zh-TW", scale=0.8) == zh[: zh.index("，共同")]
    assert cut("雙方同意擴大合作", "zh-TW") == "雙方同意擴大合作"
    en = (
        "Both sides agreed to work together on the commercial development, regulatory "
        "compliance and certification, and co-production of unmanned aircraft systems "
        "(UAS), building a non-red supply chain for Taiwan-US UAS cooperation"
    )
    assert cut(en, "en") == en[: en.index(", building")]
    # a list of nouns is no boundary: the text stays whole rather than cut mid-sentence
    long_list = "Both sides agreed to cooperate on " + ", ".join(["mining", "processing"] * 20)
    assert cut(long_list, "en") == long_list


def test_shortened_keeps_provenance() -> None:
    head = "Both sides agreed to set up a forum for supply chain security"
    text = {"en": head + ", building a safer partnership" + " x" * 100, "via": {"en": "memory"}}
    out = shortened(text)
    assert out["en"] == head and out["via"] == {"en": "memory"}


def test_action_drops_the_actor_only_before_a_verb() -> None:
    both = {"en": "Both sides", "zh-TW": "雙方"}
    point = _point({"en": "Both sides will study B", "zh-TW": "雙方研議B"}, "will_study", both)
    assert action(point) == {"en": "will study B", "zh-TW": "研議B"}
    taiwan = {"en": "Taiwan", "zh-TW": "台灣"}
    point = _point({"en": "Taiwanese firms agreed", "zh-TW": "台灣廠商同意"}, "agreed", taiwan)
    assert action(point) == point["text"]
    assert action(_point({"en": "X"}, "agreed")) == {"en": "X"}


def test_agreed_topics() -> None:
    items = [
        {"title": {"en": "Chips"}, "points": [_point({"en": "a"}, "agreed")], "items": []},
        {"title": {"en": "Talent"}, "points": [_point({"en": "b"}, "will_study")], "items": []},
        {"title": None, "points": [_point({"en": "c"}, "agreed")], "items": []},
    ]
    assert agreed_topics(items) == [{"en": "Chips"}]


def test_with_article_for_institutions_named_by_what_they_are() -> None:
    def en(value: str) -> str:
        return with_article({"zh-TW": "某", "en": value, "via": {"en": "termbase"}})["en"]

    assert en("Industrial Technology Research Institute") == (
        "the Industrial Technology Research Institute"
    )
    assert en("Association for Uncrewed Vehicle Systems International") == (
        "the Association for Uncrewed Vehicle Systems International"
    )
    assert en("Ministry of Economic Affairs") == "the Ministry of Economic Affairs"
    assert en("TSMC") == "TSMC"
    assert en("Microsoft Corporation") == "Microsoft Corporation"
    assert en("the US Department of State") == "the US Department of State"
    untranslated = {"zh-TW": "某協會", "en": "某協會", "via": {"en": "untranslated"}}
    assert with_article(untranslated) == untranslated
