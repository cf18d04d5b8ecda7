"""The Brief: YAML/JSON round trips and one-line errors naming the bad field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.errors import BriefError
from briefgen.model import Brief, Text, Via, dump_brief, load_brief, parse_brief


def test_yaml_round_trip_is_equal(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(dump_brief(translated_brief), encoding="utf-8")
    assert load_brief(path) == translated_brief


def test_json_round_trip_is_equal(translated_brief: Brief, tmp_path: Path) -> None:
    path = tmp_path / "brief.json"
    path.write_text(dump_brief(translated_brief, "json"), encoding="utf-8")
    assert load_brief(path) == translated_brief


def test_text_is_written_flat_with_via() -> None:
    text = Text(
        text={"zh-TW": "雙方", "en": "Both sides"}, via={"zh-TW": Via.SOURCE, "en": Via.TERMBASE}
    )
    assert text.model_dump() == {
        "zh-TW": "雙方",
        "en": "Both sides",
        "via": {"zh-TW": "source", "en": "termbase"},
    }


def test_plain_string_means_source_language() -> None:
    brief = parse_brief({"source": {"language": "zh-TW"}, "topics": ["關鍵礦物"]})
    assert brief.topics[0].get("zh-TW") == "關鍵礦物"
    assert brief.topics[0].how("zh-TW") == Via.SOURCE


def test_hand_written_translation_counts_as_human() -> None:
    brief = parse_brief(
        {"topics": [{"zh-TW": "關鍵礦物", "en": "Critical minerals", "via": {"zh-TW": "source"}}]}
    )
    assert brief.topics[0].how("en") == Via.HUMAN


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda d: d["items"][2]["points"][0].update(commitment="maybe"),
            "items.2.points.0.commitment",
        ),
        (lambda d: d["event"].update(round=0), "event.round"),
        (lambda d: d["event"].update(date="not a date"), "event.date"),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["items"][0]["title"].update(fr="Bonjour"), "items.0.title"),
    ],
)
def test_invalid_brief_names_the_bad_field(
    translated_brief: Brief, tmp_path: Path, edit, field
) -> None:
    data = yaml.safe_load(dump_brief(translated_brief))
    edit(data)
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_brief(path)
    message = str(info.value)
    assert field in message
    assert "\n" not in message


def test_broken_yaml_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("agenda: [unclosed\n", encoding="utf-8")
    with pytest.raises(BriefError, match="not valid YAML/JSON") as info:
        load_brief(path)
    assert "\n" not in str(info.value)


def test_unsupported_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("schema_version: 99\n", encoding="utf-8")
    with pytest.raises(BriefError, match="schema_version"):
        load_brief(path)


def test_schema_file_is_in_sync() -> None:
    import json

    from briefgen.model import json_schema

    path = Path(__file__).resolve().parent.parent / "schema" / "brief.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json_schema(), (
        "schema/brief.schema.json is stale: regenerate it with "
        "`briefgen schema > schema/brief.schema.json`"
    )


def test_sample_brief_validates_against_the_schema(translated_brief: Brief) -> None:
    import json

    import jsonschema

    from briefgen.model import json_schema

    data = json.loads(dump_brief(translated_brief, "json"))
    jsonschema.validate(data, json_schema())
    assert data["schema_version"] == 1
    assert data["items"][0]["title"]["zh-TW"] == "確保AI供應鏈的安全"
    assert data["items"][0]["points"][0]["commitment"] == "agreed"
    assert set(data["items"][0]["points"][0]["source"]) == {"paragraph", "start", "end"}
    assert data["event"]["location"]["zh-TW"] == "華府"
    assert data["source"]["language"] == "zh-TW"
    assert data["event"]["date"] == "2026-01-27"


def test_missing_language_is_absent_and_unknown_values_null(translated_brief: Brief) -> None:
    import json

    data = json.loads(dump_brief(translated_brief.model_copy(update={}), "json"))
    title = data["items"][0]["title"]
    assert "zh-CN" not in title
    brief = parse_brief({"source": {"language": "en"}})
    data = json.loads(dump_brief(brief, "json"))
    assert data["event"]["date"] is None and data["source"]["published"] is None
