"""Edits of a brief in ``briefgen serve``: the ``edits`` functions on the sample's brief,
and the same through POST /b/{id}/edit, /change and /undo (brief.yaml on disk, undo,
the translation memory ``briefgen tm`` uses)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from briefgen.model import Brief, Level, brief_to_dict, dump_brief
from briefgen.translate.store import load_user_memory
from briefgen.web import edits
from briefgen.web import workspace as workspace_module
from briefgen.web.edits import EditError
from briefgen.web.workspace import MAX_HISTORY, Workspace


@pytest.fixture()
def brief(ready_ws: Workspace) -> Brief:
    """The sample's brief as the app extracted it (a fresh object per test)."""
    found = ready_ws.brief()
    assert found is not None
    return found


def _at(brief: Brief, path: str) -> Any:
    node: Any = brief_to_dict(brief)
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


# -- the functions ---------------------------------------------------------------------


def test_set_a_translation_marks_it_human_and_drops_its_ref(brief: Brief) -> None:
    path = "event.participants.0.name"
    assert _at(brief, path)["ref"] == {"en": "briefgen/data/termbase.tsv"}
    edited, change = edits.set_text(brief, path, "en", "  KUNG   Ming-hsin\n")
    text = _at(edited, path)
    assert text["en"] == "KUNG Ming-hsin" and text["zh-TW"] == "龔明鑫"
    assert text["via"] == {"zh-TW": "source", "en": "human"}
    assert "ref" not in text
    assert change == edits.TextChange("zh-TW", "龔明鑫", "en", "KUNG Ming-hsin")
    assert _at(brief, path)["en"] == "Kung Ming-hsin", "the original brief is untouched"


def test_set_a_title_and_a_point_in_the_source_language(brief: Brief) -> None:
    edited, _ = edits.set_text(brief, "items.0.title", "zh-TW", "確保人工智慧供應鏈安全")
    assert _at(edited, "items.0.title")["zh-TW"] == "確保人工智慧供應鏈安全"
    assert _at(edited, "items.0.title")["via"]["zh-TW"] == "source"
    edited, _ = edits.set_text(edited, "items.0.points.0.text", "en", "Both sides agreed.")
    point = _at(edited, "items.0.points.0")
    assert point["text"]["en"] == "Both sides agreed." and point["text"]["via"]["en"] == "human"
    assert point["source"] == _at(brief, "items.0.points.0")["source"]


def test_an_empty_translation_removes_that_language(brief: Brief) -> None:
    edited, _ = edits.set_text(brief, "event.participants.0.name", "en", "  ")
    text = _at(edited, "event.participants.0.name")
    assert "en" not in text and "en" not in text["via"] and "ref" not in text


def test_a_text_empty_in_every_language_is_refused(brief: Brief) -> None:
    edited, _ = edits.set_text(brief, "items.0.points.0.text", "en", "")
    with pytest.raises(EditError, match="cannot be empty in every language"):
        edits.set_text(edited, "items.0.points.0.text", "zh-TW", "")


@pytest.mark.parametrize(
    ("path", "lang", "value", "says"),
    [
        ("source.path", "en", "x", "not a text field"),
        ("items.0.number", "en", "9", "not a text field"),
        ("items.0.points.0.commitment", "en", "x", "not a text field"),
        ("items.99.title", "en", "x", "no such field"),
        ("event.participants.99.name", "en", "x", "no such field"),
        ("items.0.title", "fr", "x", "unknown language"),
        ("items.0.title", "en", "a\x07b", "control character"),
        ("items.0.title", "en", "長" * (edits.MAX_FIELD + 1), "text too long"),
    ],
)
def test_texts_that_cannot_be_set(
    brief: Brief, path: str, lang: str, value: str, says: str
) -> None:
    with pytest.raises(EditError, match=says) as caught:
        edits.set_text(brief, path, lang, value)
    assert "\n" not in str(caught.value) and str(caught.value).startswith(path)


def test_set_values(brief: Brief) -> None:
    edited = edits.set_value(brief, "event.date", " 2026-01-28 ")
    assert edited.event.date == dt.date(2026, 1, 28)
    assert edits.set_value(brief, "event.date", "").event.date is None
    assert edits.set_value(brief, "event.round", "7").event.round == 7
    assert edits.set_value(brief, "event.round", "").event.round is None
    edited = edits.set_value(brief, "items.0.points.0.commitment", "signed")
    assert edited.items[0].points[0].commitment == Level("signed")


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        ("event.date", "2026-02-30", r"^event\.date: '2026-02-30' is not a date \(YYYY-MM-DD\)$"),
        ("event.date", "28/01/2026", "is not a date"),
        ("event.round", "six", "'six' is not a whole number"),
        ("event.round", "-1", "is not a whole number"),
        ("items.0.points.0.commitment", "maybe", "is not a commitment level"),
        ("items.99.points.0.commitment", "agreed", "no such field"),
        ("event.name", "x", "not a field that can be edited here"),
        ("source.language", "en", "not a field that can be edited here"),
    ],
)
def test_values_that_cannot_be_set(brief: Brief, path: str, value: str, says: str) -> None:
    with pytest.raises(EditError, match=says):
        edits.set_value(brief, path, value)


def test_add_an_item_a_point_a_participant_and_a_next_step(brief: Brief) -> None:
    count = len(brief.items)
    edited, path = edits.add(brief, "item", "半導體合作")
    assert path == f"items.{count}" and edited.items[-1].number == count + 1
    assert (
        edited.items[-1].title is not None and edited.items[-1].title.get("zh-TW") == "半導體合作"
    )
    edited, path = edits.add(edited, "point", "雙方同意加強合作", f"items.{count}")
    assert path == f"items.{count}.points.0"
    assert edited.items[-1].points[0].commitment == Level.STATEMENT
    people = len(brief.event.participants)
    edited, path = edits.add(edited, "participant", "王小明")
    assert path == f"event.participants.{people}"
    assert edited.event.participants[-1].name.get("zh-TW") == "王小明"
    edited, path = edits.add(edited, "next_step", "下次會議在台北舉行")
    assert path == f"next_steps.{len(brief.next_steps)}"


@pytest.mark.parametrize(
    ("what", "text", "path", "says"),
    [
        ("item", "  ", "", "needs its text"),
        ("point", "要點", "event.participants.0", "points are added to an agenda item"),
        ("point", "要點", "items.99", "no such field"),
        ("speech", "要點", "", "cannot add 'speech'"),
    ],
)
def test_adds_that_are_refused(brief: Brief, what: str, text: str, path: str, says: str) -> None:
    with pytest.raises(EditError, match=says):
        edits.add(brief, what, text, path)


def test_drop_an_item_renumbers_and_drop_a_point_a_participant_a_step(brief: Brief) -> None:
    edited = edits.drop(brief, "items.0")
    assert [i.number for i in edited.items] == list(range(1, len(brief.items)))
    assert edited.items[0].title == brief.items[1].title
    edited = edits.drop(edited, "items.0.points.0")
    assert len(edited.items[0].points) == len(brief.items[1].points) - 1
    edited = edits.drop(edited, "event.participants.0")
    assert len(edited.event.participants) == len(brief.event.participants) - 1
    edited = edits.drop(edited, "next_steps.0")
    assert len(edited.next_steps) == len(brief.next_steps) - 1


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("event", "not something that can be dropped"),
        ("items.0.title", "not something that can be dropped"),
        ("source.paragraphs.0", "not something that can be dropped"),
        ("items.99", "no such field"),
    ],
)
def test_drops_that_are_refused(brief: Brief, path: str, says: str) -> None:
    with pytest.raises(EditError, match=says):
        edits.drop(brief, path)


# -- through the app ---------------------------------------------------------------------


@pytest.fixture()
def no_render(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits in this test do not render memos (they only check brief.yaml; rendering
    after an edit is checked by ``test_edit_title_through_the_page``)."""
    monkeypatch.setattr(served.web, "start_render", lambda _workspace: None)


def _error(response: Any) -> str:
    alerts = lxml.html.fromstring(response.text).xpath("//*[@role='alert']")
    return " ".join(a.text_content().strip() for a in alerts)


def test_edit_title_through_the_page(
    served: Any, fresh_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/b/{fresh_ws.id}"
    monkeypatch.setattr(served.web, "start_render", lambda _workspace: None)
    for path, value in (("event.date", "2026-01-28"), ("items.0.points.0.commitment", "signed")):
        response = served.post(f"{url}/edit", {"path": path, "value": value})
        assert response.status_code == 303 and response.headers["location"] == f"{url}#f-{path}"
    saved = fresh_ws.brief()
    assert saved is not None and saved.event.date == dt.date(2026, 1, 28)
    assert saved.items[0].points[0].commitment == Level("signed")
    monkeypatch.undo()  # the last edit renders the memos
    response = served.post(
        f"{url}/edit", {"path": "items.0.title", "lang": "en", "value": "Securing AI supply"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}#f-items.0.title"
    saved = fresh_ws.brief()
    assert saved is not None and saved.items[0].title is not None
    assert saved.items[0].title.get("en") == "Securing AI supply"
    assert fresh_ws.undo_depth() == 3
    page = served.client.get(url)
    title = lxml.html.fromstring(page.text).get_element_by_id("f-items.0.title")
    english = title.xpath("./p[@data-lang='en']")[0]
    assert "Securing AI supply" in english.text_content()
    assert "via-human" in english.xpath(".//span[contains(@class,'via')]")[0].get("class")
    # the memos of the edited brief are rendered, and carry the edit
    folder = served.wait_rendered(fresh_ws)
    assert folder.parent.name == fresh_ws.brief_digest()
    (preview,) = folder.glob("*.leadership.en.html")
    assert "Securing AI supply" in preview.read_text(encoding="utf-8")
    memos = served.client.get(f"{url}/memos").text
    assert f"/b/{fresh_ws.id}/files/{preview.name}" in memos


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"path": "event.date", "value": "2026-13-01"}, "'2026-13-01' is not a date"),
        ({"path": "event.round", "value": "x"}, "is not a whole number"),
        ({"path": "source.path", "lang": "en", "value": "x"}, "not a text field"),
        ({"path": "meta", "value": "x"}, "not a field that can be edited here"),
        ({"path": "items.0.title", "lang": "xx", "value": "x"}, "unknown language"),
    ],
)
def test_bad_edits_are_400_and_change_nothing(
    served: Any,
    fresh_ws: Workspace,
    form: dict[str, str],
    says: str,
    no_render: None,
) -> None:
    before = fresh_ws.brief_path.read_bytes()
    response = served.post(f"/b/{fresh_ws.id}/edit", form)
    assert response.status_code == 400
    assert says in _error(response)
    assert fresh_ws.brief_path.read_bytes() == before and fresh_ws.undo_depth() == 0
    fragment = served.post(f"/b/{fresh_ws.id}/edit", form, headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and fragment.headers["hx-retarget"] == "#messages"
    assert says in _error(fragment) and "<html" not in fragment.text.lower()


def test_add_and_drop_through_the_page(served: Any, fresh_ws: Workspace, no_render: None) -> None:
    url = f"/b/{fresh_ws.id}"
    start = fresh_ws.brief()
    assert start is not None
    count = len(start.items)
    response = served.post(f"{url}/change", {"op": "item", "text": "半導體合作"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}#f-items.{count}"
    response = served.post(
        f"{url}/change", {"op": "point", "path": f"items.{count}", "text": "雙方同意加強合作"}
    )
    assert response.headers["location"] == f"{url}#f-items.{count}.points.0"
    for op, text in (("participant", "王小明"), ("next_step", "下次會議在台北舉行")):
        assert served.post(f"{url}/change", {"op": op, "text": text}).status_code == 303
    response = served.post(f"{url}/change", {"op": "drop", "path": "items.0"})
    assert response.status_code == 303
    response = served.post(f"{url}/change", {"op": "drop", "path": "items.0.points.0"})
    assert response.status_code == 303, _error(response)
    saved = fresh_ws.brief()
    assert saved is not None
    assert len(saved.items) == count and saved.items[-1].points[0].text.get("zh-TW")
    assert saved.event.participants[-1].name.get("zh-TW") == "王小明"
    assert len(saved.items[0].points) == len(start.items[1].points) - 1
    assert fresh_ws.undo_depth() == 6
    for form, says in (
        ({"op": "drop", "path": "event"}, "not something that can be dropped"),
        ({"op": "explode", "path": ""}, "unknown change 'explode'"),
        ({"op": "item", "text": ""}, "needs its text"),
    ):
        response = served.post(f"{url}/change", form)
        assert response.status_code == 400 and says in _error(response)
    assert fresh_ws.undo_depth() == 6


def test_undo_restores_the_brief_byte_for_byte(
    served: Any, fresh_ws: Workspace, no_render: None
) -> None:
    url = f"/b/{fresh_ws.id}"
    versions = [fresh_ws.brief_path.read_bytes()]
    for value in ("First title", "Second title"):
        served.post(f"{url}/edit", {"path": "items.1.title", "lang": "en", "value": value})
        versions.append(fresh_ws.brief_path.read_bytes())
    assert len(set(versions)) == 3
    for expected in reversed(versions[:-1]):
        response = served.post(f"{url}/undo")
        assert response.status_code == 303 and response.headers["location"] == url
        assert fresh_ws.brief_path.read_bytes() == expected
    response = served.post(f"{url}/undo")
    assert response.status_code == 400 and "nothing to undo" in _error(response)
    assert fresh_ws.brief_path.read_bytes() == versions[0]


def test_history_is_capped(fresh_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_HISTORY >= 10
    cap = 3  # the same code with a smaller cap: quicker
    monkeypatch.setattr(workspace_module, "MAX_HISTORY", cap)
    brief = fresh_ws.brief()
    assert brief is not None
    saved = []
    for number in range(cap + 3):
        brief, _ = edits.set_text(brief, "items.0.title", "en", f"Title {number}")
        saved.append(dump_brief(brief).encode("utf-8"))
        fresh_ws.save_brief(brief)
    assert fresh_ws.undo_depth() == cap
    for expected in reversed(saved[-cap - 1 : -1]):
        assert fresh_ws.undo()
        assert fresh_ws.brief_path.read_bytes() == expected
    assert not fresh_ws.undo()


def test_a_remembered_translation_goes_to_the_user_memory(
    served: Any,
    fresh_ws: Workspace,
    no_render: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A memory of this test's own: the session's is read by every later translation
    # of the sample (golden files, the other tests of this folder).
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "user"))
    url = f"/b/{fresh_ws.id}"
    brief = fresh_ws.brief()
    assert brief is not None and brief.items[2].title is not None
    source = brief.items[2].title.get("zh-TW")
    assert source
    english = "Edited in the review page (remembered)"
    response = served.post(
        f"{url}/edit",
        {"path": "items.2.title", "lang": "en", "value": english, "remember": "1"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}?note=tm#f-items.2.title"
    assert (tmp_path / "user" / "memory.sqlite3").is_file()
    with load_user_memory() as memory:
        assert memory.lookup(source, "zh-TW", "en") == english
    assert "Saved to your translation memory" in served.client.get(f"{url}?note=tm").text
    # without remember=1 nothing goes to the memory
    served.post(f"{url}/edit", {"path": "items.3.title", "lang": "en", "value": "Not kept"})
    title3 = brief.items[3].title
    assert title3 is not None
    with load_user_memory() as memory:
        assert memory.lookup(title3.get("zh-TW") or "", "zh-TW", "en") != "Not kept"
