"""HTTP-level tests of ``briefgen serve``'s pages and downloads: every route, uploads
good and bad (the CLI's one-line messages), the review page's DOM, and hostile text."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from starlette.routing import Mount, Route

from briefgen.errors import BriefgenError
from briefgen.ingest import MAX_BYTES, ingest_bytes
from briefgen.settings import Settings
from briefgen.web import ServerConfig, create_app
from briefgen.web.app import MAX_BODY
from briefgen.web.security import PREVIEW_CSP
from briefgen.web.workspace import Workspace

SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "eppd-6-2026-01-28.zh-TW.txt"
WEB_SETTINGS = Settings(audiences=("leadership",))
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
#: The sample's paragraphs, one blank line apart.
SHORT_TEXT = "\n\n".join(p for p in SAMPLE_TEXT.split("\n") if p.strip())
#: The CLI's hostile text (tests/writers/test_html.py) with more ways out of a text node;
#: ``</style>`` left out, as it makes the readout sniff as an HTML page.
HOSTILE = "<script>alert('x')</script> & \"quotes\" </textarea><svg onload=alert(1)><img src=x>"

#: Each route of the app (path, method) and the tests (in tests/web) that request it.
#: A route added to ``create_app`` without a line here fails ``test_every_route_is_tested``.
ROUTE_TESTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("/", "GET"): ("test_index_lists_recent_briefs_and_offers_the_upload",),
    ("/briefs", "POST"): ("test_good_uploads_are_extracted", "test_bad_upload_is_one_line_400"),
    ("/b/{ws}", "GET"): ("test_review_page_dom", "test_progress_page_while_queued"),
    ("/b/{ws}/status", "GET"): ("test_status_fragment",),
    ("/b/{ws}/memos", "GET"): ("test_memos_fragment",),
    ("/b/{ws}/edit", "POST"): ("test_edit_title_through_the_page",),
    ("/b/{ws}/change", "POST"): ("test_add_and_drop_through_the_page",),
    ("/b/{ws}/undo", "POST"): ("test_undo_restores_the_brief_byte_for_byte",),
    ("/b/{ws}/delete", "POST"): ("test_delete_removes_the_workspace",),
    ("/b/{ws}/retry", "POST"): (
        "test_retry_extracts_a_failed_workspace_again",
        "test_retry_of_a_ready_brief_is_refused_and_keeps_its_edits",
    ),
    ("/b/{ws}/render", "POST"): ("test_render_redirects_to_the_memos",),
    ("/b/{ws}/send", "POST"): ("test_send_without_smtp_is_a_one_line_400",),
    ("/b/{ws}/sent", "GET"): ("test_send_without_smtp_is_a_one_line_400",),
    ("/b/{ws}/files/{name}", "GET"): ("test_memo_downloads_and_previews",),
    ("/b/{ws}/export.zip", "GET"): ("test_zip_holds_every_file_of_the_memo_folder",),
    ("/b/{ws}/brief.yaml", "GET"): ("test_brief_yaml_download",),
    ("/b/{ws}/draft.eml", "GET"): ("test_draft_eml_download",),
    ("/login", "GET"): ("test_login_without_a_token_goes_home", "test_token_sign_in_flow"),
    ("/login", "POST"): ("test_token_sign_in_flow",),
    ("/static", "GET"): ("test_static_assets",),
}


def _tree(html: str) -> Any:
    return lxml.html.fromstring(html)


def _workspace_count(served: Any) -> int:
    return sum(1 for p in served.web.store.root.iterdir() if p.is_dir())


def test_every_route_is_tested(tmp_path: Path) -> None:
    app = create_app(ServerConfig(settings=WEB_SETTINGS, data_dir=tmp_path))
    routes: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Route):
            routes |= {(route.path, m) for m in route.methods or () if m != "HEAD"}
        elif isinstance(route, Mount):
            routes.add((route.path, "GET"))
    assert routes == set(ROUTE_TESTS), "a route without a test (or a test of no route)"
    here = Path(__file__).parent
    defined = {
        name
        for module in here.glob("test_*.py")
        for name in _test_names(module.read_text(encoding="utf-8"))
    }
    missing = {t for tests in ROUTE_TESTS.values() for t in tests} - defined
    assert not missing, f"named in ROUTE_TESTS but not defined: {sorted(missing)}"


def _test_names(source: str) -> set[str]:
    return {
        line.split("(")[0].removeprefix("def ").strip()
        for line in source.splitlines()
        if line.startswith("def test_")
    }


def test_index_lists_recent_briefs_and_offers_the_upload(served: Any, ready_ws: Workspace) -> None:
    response = served.client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    tree = _tree(response.text)
    assert tree.get_element_by_id("file").get("type") == "file"
    assert tree.get_element_by_id("text").tag == "textarea"
    assert tree.get_element_by_id("upload-submit").tag == "button"
    assert served.csrf_of(response.text) == served.csrf
    links = tree.xpath(f"//a[@href='/b/{ready_ws.id}']")
    assert links, "the ready brief is not in the list of recent briefs"
    # (the index line is written when the job's future is done, just after status.json)
    entry = served.wait_for(
        "the index line of the ready brief",
        lambda: next(
            (e for e in served.web.store.recent() if e.id == ready_ws.id and e.status == "ready"),
            None,
        ),
    )
    assert entry.event_date == "2026-01-27"
    response = served.client.get("/")
    assert entry.title in response.text


def test_static_assets(served: Any) -> None:
    for name, kind in (
        ("app.js", "javascript"),
        ("htmx.min.js", "javascript"),
        ("app.css", "text/css"),
    ):
        response = served.client.get(f"/static/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    assert served.client.get("/static/nope.js").status_code == 404
    assert served.client.get("/static/../app.py").status_code == 404


# -- uploads -------------------------------------------------------------------------


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html_bytes(text: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>EPPD</title></head>"
        f"<body><nav><a href='/'>首頁</a></nav><article><h1>台美經濟對話</h1>{body}"
        "</article></body></html>"
    ).encode()


#: Uploads that must give a brief: name -> (file name or None for pasted text, bytes, encoding).
GOOD_UPLOADS: dict[str, tuple[str | None, bytes, str]] = {
    "text": ("eppd.txt", SHORT_TEXT.encode("utf-8"), ""),
    "pasted": (None, SHORT_TEXT.encode("utf-8"), ""),
    "big5": ("eppd-big5.txt", SHORT_TEXT.encode("cp950"), ""),
    "big5-named": ("eppd-cp950.txt", SHORT_TEXT.encode("cp950"), "cp950"),
    "html": ("eppd.html", _html_bytes(SHORT_TEXT), ""),
    "markdown": ("eppd.md", ("# 台美經濟對話\n\n" + SHORT_TEXT).encode(), ""),
    "docx": ("eppd.docx", _docx_bytes(SHORT_TEXT), ""),
    "hostile": (
        "hostile.txt",
        (SHORT_TEXT + f"\n\n外交部表示{HOSTILE}雙方同意。\n").encode("utf-8"),
        "",
    ),
}


@pytest.fixture(scope="module")
def uploads(served: Any) -> dict[str, Workspace]:
    """Every good upload, posted at once (their extractions run side by side)."""
    made = {}
    for key, (name, data, encoding) in GOOD_UPLOADS.items():
        fields = {"encoding": encoding} if encoding else {}
        if name is None:
            response = served.post("/briefs", {"text": data.decode("utf-8"), **fields})
        else:
            response = served.upload(name, data, **fields)
        made[key] = served.workspace_of(response)
    return made


@pytest.mark.parametrize("key", list(GOOD_UPLOADS))
def test_good_uploads_are_extracted(served: Any, uploads: dict[str, Workspace], key: str) -> None:
    workspace = uploads[key]
    status = served.wait_extracted(workspace)
    assert status["state"] == "ready", status
    brief = workspace.brief()
    assert brief is not None and brief.event.date is not None
    assert brief.event.date.isoformat() == "2026-01-27"
    name = GOOD_UPLOADS[key][0]
    assert workspace.meta()["name"] == (name or "pasted-text.txt")
    source = workspace.source_path()
    assert source is not None and source.read_bytes() == GOOD_UPLOADS[key][1]
    response = served.client.get(f"/b/{workspace.id}")
    assert response.status_code == 200
    tree = _tree(response.text)
    assert tree.xpath("//article[@id='article']//p[@data-p]")
    assert "經濟繁榮夥伴對話" in tree.get_element_by_id("article").text_content()


def test_hostile_article_text_never_becomes_markup(
    served: Any, uploads: dict[str, Workspace]
) -> None:
    workspace = uploads["hostile"]
    assert served.wait_extracted(workspace)["state"] == "ready"
    html = served.client.get(f"/b/{workspace.id}").text
    tree = _tree(html)
    assert HOSTILE in tree.get_element_by_id("article").text_content()
    for raw in ("<script>alert", "<svg onload", "<img src=x", "</textarea><svg"):
        assert raw not in html
    assert "&lt;script&gt;alert(" in html
    scripts = tree.xpath("//script")
    assert scripts and all(s.get("src", "").startswith("/static/") for s in scripts)
    assert not tree.xpath("//img | //svg | //*[@onload]")


def _cli_message(data: bytes, name: str, encoding: str | None = None) -> str:
    try:
        ingest_bytes(data, name, encoding)
    except BriefgenError as exc:
        return str(exc)
    raise AssertionError("the CLI takes this input")


#: Bad uploads: (file name, bytes, encoding, what the one-line message says).
BAD_UPLOADS = {
    "empty": ("empty.txt", b"", "", "the file is empty"),
    "blank": ("blank.txt", b" \n\n \n", "", "the file is empty"),
    "binary": ("blob.txt", b"\x00\x01\x02binary", "", "binary"),
    "control": ("ctl.txt", "正文\x07內容".encode(), "", "U+0007"),
    "undecodable": ("bad.txt", b"\x80abc\x80\xff", "", "cannot decode"),
    "too-large": ("big.txt", ("經" * (MAX_BYTES // 3 + 10)).encode(), "", "too large"),
    "unknown-encoding": ("x.txt", SHORT_TEXT.encode(), "klingon", "unknown encoding"),
    "wrong-encoding": ("x.txt", SHORT_TEXT.encode("cp950"), "utf-8", "not valid utf-8"),
    "japanese": ("ja.txt", "これは日本語の文章です。会議が開かれた。".encode(), "", "Japanese"),
    "bad-docx": ("x.docx", b"PK\x03\x04 not a zip at all", "", "x.docx"),
}


@pytest.mark.parametrize("key", list(BAD_UPLOADS))
def test_bad_upload_is_one_line_400(served: Any, key: str) -> None:
    name, data, encoding, says = BAD_UPLOADS[key]
    before = _workspace_count(served)
    response = served.upload(name, data, **({"encoding": encoding} if encoding else {}))
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    message = _tree(response.text).get_element_by_id("upload-error").text_content()
    assert message == _cli_message(data, name, encoding or None)
    assert says in message and "\n" not in message
    assert _workspace_count(served) == before


def test_nothing_chosen_is_a_400(served: Any) -> None:
    before = _workspace_count(served)
    for data in ({}, {"text": "   \n "}):
        response = served.post("/briefs", data)
        assert response.status_code == 400
        error = _tree(response.text).get_element_by_id("upload-error").text_content()
        assert error == "nothing to brief: choose a file or paste the text"
    response = served.post("/briefs", {}, files={"file": ("", b"")})
    assert response.status_code == 400
    assert _workspace_count(served) == before


def test_body_over_the_limit_is_413(served: Any) -> None:
    before = _workspace_count(served)
    response = served.upload("huge.docx", b"PK" + b"\0" * MAX_BODY)
    assert response.status_code == 413
    assert "too large" in _tree(response.text).xpath("//p[@role='alert']")[0].text_content()
    assert _workspace_count(served) == before


# -- pages of a workspace ----------------------------------------------------------------


def test_progress_page_while_queued(served: Any, ready_ws: Workspace) -> None:
    workspace = served.copy_of(ready_ws)
    workspace.set_status("running", "translating")
    response = served.client.get(f"/b/{workspace.id}")
    assert response.status_code == 200
    status = _tree(response.text).get_element_by_id("status")
    assert "translating" in status.text_content()
    assert status.get("hx-get") == f"/b/{workspace.id}/status"
    workspace.set_status("failed", error="eppd.txt: the file is empty")
    response = served.client.get(f"/b/{workspace.id}")
    assert response.status_code == 200
    assert "eppd.txt: the file is empty" in response.text
    assert f'action="/b/{workspace.id}/retry"' in response.text
    served.web.store.delete(workspace)


def test_status_fragment(served: Any, ready_ws: Workspace) -> None:
    response = served.client.get(f"/b/{ready_ws.id}/status")
    assert response.status_code == 200
    assert response.headers.get("hx-refresh") == "true"
    assert 'id="status"' in response.text and "state-ready" in response.text


def test_unknown_workspaces_are_404(served: Any) -> None:
    for url in ("/b/0123456789abcdef", "/b/..%2F..%2Fetc", "/b/NOTANID/status"):
        response = served.client.get(url)
        assert response.status_code == 404, url
        assert "no such brief" in response.text or url.endswith("etc")


def test_review_page_dom(served: Any, ready_ws: Workspace) -> None:
    response = served.client.get(f"/b/{ready_ws.id}")
    assert response.status_code == 200
    tree = _tree(response.text)
    article = tree.get_element_by_id("article")
    assert article.tag == "article"
    segments = article.xpath(".//p[@data-p]/span[contains(@class,'seg')]")
    fed = [s for s in segments if "fed" in s.get("class", "").split()]
    assert fed and all(s.get("data-fields") for s in fed)
    assert article.xpath(".//p[contains(@class,'furniture')]//del")
    assert tree.get_element_by_id("feeds") is not None
    brief = tree.get_element_by_id("brief")
    records = brief.xpath(".//*[contains(concat(' ',@class,' '),' rec ')]")
    fields = {r.get("data-field") for r in records}
    assert {"items.0.points.0", "event.participants.0"} <= fields
    assert all(r.get("tabindex") == "0" for r in records)
    # every field a segment feeds is a record of the brief pane
    assert {f for s in fed for f in s.get("data-fields").split()} <= fields
    title = tree.get_element_by_id("f-items.0.title")
    langs = [p.get("data-lang") for p in title.xpath("./p[contains(@class,'tx')]")]
    assert langs == ["zh-TW", "en"]
    english = title.xpath("./p[@data-lang='en']")[0]
    assert english.xpath(".//span[contains(@class,'val')]")
    via = english.xpath(".//span[contains(@class,'via')]")[0].get("class")
    assert any(c.startswith("via-") for c in via.split())
    assert tree.get_element_by_id("e-items.0.title-en").tag == "textarea"
    assert tree.get_element_by_id("memos") is not None
    for audience_lang in ("leadership-en", "leadership-zh-TW"):
        link = tree.get_element_by_id(f"preview-{audience_lang}")
        assert link.get("target") == "preview"
    assert tree.get_element_by_id("download-zip").get("href") == f"/b/{ready_ws.id}/export.zip"
    assert tree.get_element_by_id("undo") is not None


def test_memos_fragment(served: Any, ready_ws: Workspace) -> None:
    response = served.client.get(f"/b/{ready_ws.id}/memos")
    assert response.status_code == 200
    tree = _tree(response.text)
    assert tree.xpath("//*[@id='download-zip']")
    assert "<html" not in response.text.lower()


def test_memo_downloads_and_previews(served: Any, ready_ws: Workspace) -> None:
    folder = served.wait_rendered(ready_ws)
    names = sorted(p.name for p in folder.iterdir())
    assert {n.rsplit(".", 1)[-1] for n in names} == {"pdf", "docx", "odt", "html", "yaml", "json"}
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
        "json": "application/json",
    }
    for name in names:
        response = served.client.get(f"/b/{ready_ws.id}/files/{name}")
        assert response.status_code == 200, name
        assert response.content == (folder / name).read_bytes()
        suffix = name.rsplit(".", 1)[-1]
        if suffix == "html":
            assert response.headers["content-security-policy"] == PREVIEW_CSP
            assert "content-disposition" not in response.headers
            assert response.headers["content-type"] == "text/html; charset=utf-8"
        else:
            assert response.headers["content-disposition"] == (
                f"attachment; filename*=UTF-8''{name}"
            )
            if suffix in types:
                assert response.headers["content-type"] == types[suffix]
    for bad in ("nope.pdf", "..%2Fbrief.yaml", "..%2F..%2Fmeta.json"):
        assert served.client.get(f"/b/{ready_ws.id}/files/{bad}").status_code == 404


def test_zip_holds_every_file_of_the_memo_folder(served: Any, ready_ws: Workspace) -> None:
    folder = served.wait_rendered(ready_ws)
    response = served.client.get(f"/b/{ready_ws.id}/export.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        f"attachment; filename*=UTF-8''{folder.name}.zip"
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    expected = {f"{folder.name}/{p.name}": p.read_bytes() for p in folder.iterdir()}
    assert contents == expected
    manifest = json.loads(contents[f"{folder.name}/manifest.json"])
    listed = {entry["name"] for entry in manifest["files"]}
    assert {f"{folder.name}/{name}" for name in listed} <= set(contents)
    assert served.client.get(f"/b/{ready_ws.id}/export.zip").content == response.content


def test_brief_yaml_download(served: Any, ready_ws: Workspace) -> None:
    response = served.client.get(f"/b/{ready_ws.id}/brief.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/yaml; charset=utf-8"
    assert response.headers["content-disposition"] == "attachment; filename=brief.yaml"
    assert response.content == ready_ws.brief_path.read_bytes()


def test_draft_eml_download(served: Any, ready_ws: Workspace) -> None:
    served.wait_rendered(ready_ws)
    response = served.client.get(f"/b/{ready_ws.id}/draft.eml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "message/rfc822"
    assert response.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert response.headers["content-disposition"].endswith(".eml")
    assert b"Subject:" in response.content and b"Content-Type: multipart/mixed" in response.content
    from email import message_from_bytes, policy

    message = message_from_bytes(response.content, policy=policy.default)
    suffixes = {Path(part.get_filename()).suffix for part in message.iter_attachments()}
    assert suffixes == {".pdf", ".docx", ".odt"}  # the documents, not the HTML previews


def test_send_without_smtp_is_a_one_line_400(served: Any, ready_ws: Workspace) -> None:
    served.wait_rendered(ready_ws)
    # Post, redirect, get: reloading the result page does not send again.
    assert served.client.get(f"/b/{ready_ws.id}/sent").status_code == 404  # nothing yet
    sent = served.post(f"/b/{ready_ws.id}/send", {"to": "desk@example.org", "cc": ""})
    assert sent.status_code == 303 and sent.headers["location"] == f"/b/{ready_ws.id}/sent"
    response = served.client.get(sent.headers["location"])
    assert response.status_code == 400
    error = _tree(response.text).xpath("//p[@role='alert']")[0].text_content()
    assert error and "\n" not in error
    assert "Traceback" not in response.text


def test_render_redirects_to_the_memos(served: Any, ready_ws: Workspace) -> None:
    response = served.post(f"/b/{ready_ws.id}/render")
    assert response.status_code == 303
    assert response.headers["location"] == f"/b/{ready_ws.id}#memos"


def test_login_without_a_token_goes_home(served: Any) -> None:
    for method in ("get", "post"):
        response = getattr(served.client, method)("/login", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"


def test_retry_extracts_a_failed_workspace_again(served: Any, ready_ws: Workspace) -> None:
    workspace = served.copy_of(ready_ws)
    workspace.brief_path.unlink()
    workspace.set_status("failed", error="the server stopped during this work; start it again")
    response = served.post(f"/b/{workspace.id}/retry")
    assert response.status_code == 303
    assert response.headers["location"] == f"/b/{workspace.id}"
    assert served.wait_extracted(workspace)["state"] == "ready"
    assert workspace.brief() is not None


def test_retry_of_a_ready_brief_is_refused_and_keeps_its_edits(
    served: Any, ready_ws: Workspace
) -> None:
    # A stale "Try again" (another tab, a double submit) must not extract the readout
    # again over a brief under review.
    workspace = served.copy_of(ready_ws)
    fields = {"path": "items.0.title", "lang": "en", "value": "Kept title"}
    assert served.post(f"/b/{workspace.id}/edit", fields).status_code == 303
    before = workspace.brief_path.read_bytes()
    response = served.post(f"/b/{workspace.id}/retry")
    assert response.status_code == 409
    assert workspace.status()["state"] == "ready"
    assert workspace.brief_path.read_bytes() == before


def test_a_round_that_is_not_an_ascii_number_is_a_400(served: Any, ready_ws: Workspace) -> None:
    workspace = served.copy_of(ready_ws)
    response = served.post(
        f"/b/{workspace.id}/edit", {"path": "event.round", "value": "²"}, headers={}
    )
    assert response.status_code == 400
    assert "is not a whole number" in response.text


def test_the_chosen_encoding_is_kept_for_extraction(served: Any) -> None:
    text = served.sample.read_text(encoding="utf-8")
    response = served.upload("big5.txt", text.encode("cp950"), encoding="cp950")
    assert served.workspace_of(response).meta()["encoding"] == "cp950"
    pasted = served.post("/briefs", {"text": text, "encoding": "cp950"})
    assert served.workspace_of(pasted).meta()["encoding"] is None  # pasted text is UTF-8


def test_workspaces_are_private_to_the_user(served: Any) -> None:
    assert served.web.store.root.stat().st_mode & 0o777 == 0o700


def test_delete_removes_the_workspace(served: Any, ready_ws: Workspace) -> None:
    workspace = served.copy_of(ready_ws)
    response = served.post(f"/b/{workspace.id}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert not workspace.path.exists()
    assert not list(served.web.store.root.glob(".del-*"))
    assert workspace.id not in {e.id for e in served.web.store.recent()}
    assert served.client.get(f"/b/{workspace.id}").status_code == 404


def test_downloads_before_the_memos_are_rendered_are_409(
    served: Any, ready_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(served.web, "start_render", lambda _workspace: None)
    workspace = served.copy_of(ready_ws)
    url = f"/b/{workspace.id}"
    for path in ("/export.zip", "/draft.eml", "/files/eppd-6.leadership.en.pdf"):
        response = served.client.get(url + path)
        assert response.status_code == 409, path
        assert "not rendered yet" in response.text
    assert served.post(f"{url}/send", {"to": "a@example.org"}).status_code == 409
    assert served.client.get(f"{url}/brief.yaml").status_code == 200
    memos = served.client.get(f"{url}/memos")
    assert memos.status_code == 200 and 'id="download-zip"' not in memos.text


def test_a_brief_broken_by_hand_is_a_one_line_error(served: Any, ready_ws: Workspace) -> None:
    workspace = served.copy_of(ready_ws)
    workspace.brief_path.write_text("schema_version: 1\nevent: [not, a, mapping]\n")
    url = f"/b/{workspace.id}"
    page = served.client.get(url)
    assert page.status_code == 200
    error = _tree(page.text).xpath("//*[@role='alert']")[0].text_content().strip()
    assert "brief.yaml" in error and "\n" not in error
    # the page names the file as the user knows it, not the server's folder (as the
    # one-line errors of jobs do: jobs.error_text)
    assert str(workspace.path) not in error
    for response in (
        served.client.get(f"{url}/memos"),
        served.post(f"{url}/edit", {"path": "event.round", "value": "1"}),
        served.post(f"{url}/render"),
    ):
        assert response.status_code in (400, 409), (response.url, response.status_code)
        assert "internal error" not in response.text and str(workspace.path) not in response.text
    served.web.store.delete(workspace)


def test_a_render_left_running_by_a_stopped_server_offers_to_render_again(
    served: Any, ready_ws: Workspace
) -> None:
    # render.json says "running" for the current version, but no job of this server is
    # rendering it (the server that was stopped mid-render): the panel must not poll for
    # ever; it offers the render button, which renders it.
    workspace = served.copy_of(ready_ws)
    digest = workspace.brief_digest()
    state = {"digest": digest, "state": "running", "error": None}
    (workspace.path / "render.json").write_text(json.dumps(state), encoding="utf-8")
    panel = served.client.get(f"/b/{workspace.id}/memos").text
    assert 'id="render-button"' in panel and "hx-trigger" not in panel
    assert served.post(f"/b/{workspace.id}/render").status_code == 303
    assert served.wait_rendered(workspace).is_dir()
