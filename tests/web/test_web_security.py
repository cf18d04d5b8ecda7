"""The security model of ``briefgen serve`` over HTTP: CSRF and origin checks on every
POST, the Host check, the Content-Security-Policy, sign-in with a token, and
``load_token``'s refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route

from briefgen.errors import BriefgenError
from briefgen.web import ServerConfig, create_app
from briefgen.web.security import (
    AUTH_COOKIE,
    MIN_TOKEN,
    PAGE_CSP,
    PREVIEW_CSP,
    TOKEN_ENV,
    Guard,
    load_token,
)
from briefgen.web.workspace import Workspace

TOKEN = "s3cret-token-for-the-tests-0123456789"


def _post_routes(app: Any) -> list[str]:
    return sorted(
        r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())
    )


@pytest.fixture(scope="module")
def target(served: Any, ready_ws: Workspace) -> Workspace:
    """A workspace the refused POSTs aim at (a copy: a POST let through would change it)."""
    return served.copy_of(ready_ws)


def _workspaces(served: Any) -> set[str]:
    return {p.name for p in served.web.store.root.iterdir() if p.is_dir()}


def _refusals(served: Any) -> dict[str, dict[str, Any]]:
    good = {"csrf": served.csrf}
    return {
        "no token": {"data": {}},
        "wrong token": {"data": {"csrf": "0" * 64}},
        "token of another server": {"data": {"csrf": Guard().csrf_token}},
        "wrong header token": {"data": {}, "headers": {"X-CSRF-Token": "nope"}},
        "cross-site origin": {"data": good, "headers": {"Origin": "http://evil.example"}},
        "null origin": {"data": good, "headers": {"Origin": "null"}},
        "sec-fetch-site": {"data": good, "headers": {"Sec-Fetch-Site": "cross-site"}},
    }


@pytest.mark.parametrize(
    "refusal",
    [
        "no token",
        "wrong token",
        "token of another server",
        "wrong header token",
        "cross-site origin",
        "null origin",
        "sec-fetch-site",
    ],
)
def test_every_post_is_refused_without_csrf_or_from_another_site(
    served: Any, target: Workspace, refusal: str
) -> None:
    before = target.brief_path.read_bytes()
    workspaces = _workspaces(served)
    request = _refusals(served)[refusal]
    routes = [r for r in _post_routes(served.client.app) if r != "/login"]
    assert "/briefs" in routes and "/b/{ws}/delete" in routes
    form = {"path": "items.0.title", "lang": "en", "value": "x", "op": "item", "text": "一"}
    for route in routes:
        url = route.replace("{ws}", target.id)
        response = served.client.post(
            url,
            data={**form, **request["data"]},
            headers=request.get("headers", {}),
            follow_redirects=False,
        )
        assert response.status_code == 403, (route, refusal)
        assert "refused" in response.text
    assert target.path.is_dir() and target.brief_path.read_bytes() == before
    assert _workspaces(served) == workspaces


def test_the_csrf_header_and_a_same_origin_request_are_accepted(
    served: Any, target: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(served.web, "start_render", lambda _workspace: None)
    response = served.client.post(
        f"/b/{target.id}/render",
        headers={"X-CSRF-Token": served.csrf, "Origin": "http://127.0.0.1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    response = served.client.post(
        f"/b/{target.id}/render",
        data={"csrf": served.csrf},
        headers={"Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "10.0.0.1"])
def test_a_foreign_host_header_is_refused(served: Any, host: str) -> None:
    assert served.client.get("/", headers={"Host": host}).status_code == 400
    response = served.client.post("/briefs", data={"csrf": served.csrf}, headers={"Host": host})
    assert response.status_code == 400


def test_loopback_names_are_accepted(served: Any) -> None:
    for host in ("127.0.0.1", "localhost", "[::1]", "localhost:8765", "127.0.0.1:1234"):
        assert served.client.get("/", headers={"Host": host}).status_code == 200, host


def test_pages_carry_a_csp_without_inline_script(served: Any, ready_ws: Workspace) -> None:
    for url in ("/", f"/b/{ready_ws.id}", f"/b/{ready_ws.id}/memos", "/b/0123456789abcdef"):
        response = served.client.get(url)
        csp = response.headers["content-security-policy"]
        assert csp == PAGE_CSP
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "<script>" not in response.text and " on" + "click=" not in response.text


def test_memo_previews_are_sandboxed(served: Any, ready_ws: Workspace) -> None:
    folder = served.wait_rendered(ready_ws)
    for page in sorted(folder.glob("*.html")):
        response = served.client.get(f"/b/{ready_ws.id}/files/{page.name}")
        assert response.status_code == 200
        csp = response.headers["content-security-policy"]
        assert csp == PREVIEW_CSP and csp.endswith("sandbox")
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert response.headers["x-frame-options"] == "SAMEORIGIN"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, served: Any) -> Any:
    """An app that requires the token ``TOKEN``."""
    config = ServerConfig(
        settings=served.settings,
        data_dir=tmp_path_factory.mktemp("guarded"),
        workers=1,
        guard=Guard(token=TOKEN),
    )
    return create_app(config)


def test_token_sign_in_flow(served: Any, guarded: Any) -> None:
    with served.client_of(guarded) as client:
        response = client.get("/", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert client.get("/b/0123456789abcdef", follow_redirects=False).status_code == 303
        assert client.post("/briefs", data={"text": "一"}).status_code == 401
        login = client.get("/login")
        assert login.status_code == 200 and 'name="token"' in login.text
        assert client.get("/static/app.css").status_code == 200
        wrong = client.post("/login", data={"token": "wrong-token-wrong-token"})
        assert wrong.status_code == 401 and AUTH_COOKIE not in client.cookies
        assert client.get("/", follow_redirects=False).status_code == 303
        cross = client.post(
            "/login", data={"token": TOKEN}, headers={"Origin": "http://evil.example"}
        )
        assert cross.status_code == 403 and AUTH_COOKIE not in client.cookies
        right = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/"
        cookie = right.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert TOKEN not in cookie
        page = client.get("/")
        assert page.status_code == 200 and 'id="upload-submit"' in page.text
        # signed in, a POST still needs the CSRF token
        assert client.post("/briefs", data={"text": "一"}).status_code == 403


def test_bearer_token_and_a_forged_cookie(served: Any, guarded: Any) -> None:
    with served.client_of(guarded) as client:
        assert client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        for header in (f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN):
            response = client.get("/", headers={"Authorization": header}, follow_redirects=False)
            assert response.status_code == 303, header
            post = client.post("/briefs", headers={"Authorization": header})
            assert post.status_code == 401, header
        client.cookies.set(AUTH_COOKIE, "0" * 64)
        forged = client.get("/", follow_redirects=False)
        assert forged.status_code == 303


def test_a_script_posts_with_the_bearer_token_alone(served: Any, guarded: Any) -> None:
    # No CSRF token needed: a browser never adds an Authorization header to a request
    # another site makes it send. (The upload is refused for its content, past the checks.)
    with served.client_of(guarded) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post("/briefs", headers=headers, data={"text": ""})
        assert response.status_code == 400
        assert "nothing to brief" in response.text
        # ...and without the token the same request is refused before that
        assert client.post("/briefs", data={"text": ""}).status_code == 401


def test_load_token(tmp_path: Path) -> None:
    good = "t" * MIN_TOKEN
    assert load_token("127.0.0.1", environ={}) is None
    assert load_token("localhost", environ={}) is None
    assert load_token("::1", environ={}) is None
    assert load_token("127.0.0.1", environ={TOKEN_ENV: good}) == good
    assert load_token("0.0.0.0", environ={TOKEN_ENV: f"  {good}\n"}) == good
    token_file = tmp_path / "token"
    token_file.write_text(good + "file\n", encoding="utf-8")
    assert load_token("192.0.2.1", token_file, environ={TOKEN_ENV: good}) == good + "file"


@pytest.mark.parametrize(
    ("host", "file_text", "env", "says"),
    [
        ("0.0.0.0", None, {}, "refusing to listen on 0.0.0.0 without an access token"),
        ("192.0.2.1", None, {TOKEN_ENV: "   "}, "without an access token"),
        ("example.org", None, {}, "without an access token"),
        ("0.0.0.0", None, {TOKEN_ENV: "short"}, f"at least {MIN_TOKEN} characters"),
        ("0.0.0.0", None, {TOKEN_ENV: "has a space in it, long enough"}, "no spaces"),
        ("0.0.0.0", "", {}, "the token file is empty"),
        ("0.0.0.0", " \n", {TOKEN_ENV: "t" * 20}, "the token file is empty"),
        ("127.0.0.1", "short", {}, f"at least {MIN_TOKEN} characters"),
        ("0.0.0.0", "missing", {}, "cannot read the token file"),
        ("0.0.0.0", b"\xff\xfe\x00bad", {}, "cannot read the token file"),
    ],
)
def test_load_token_refuses(
    tmp_path: Path, host: str, file_text: Any, env: dict[str, str], says: str
) -> None:
    token_file = None
    if file_text is not None:
        token_file = tmp_path / "token"
        if isinstance(file_text, bytes):
            token_file.write_bytes(file_text)
        elif file_text != "missing":
            token_file.write_text(file_text, encoding="utf-8")
    with pytest.raises(BriefgenError, match=says) as caught:
        load_token(host, token_file, environ=env)
    assert "\n" not in str(caught.value)
    assert "t" * 20 not in str(caught.value)


def test_an_unreadable_token_file_is_refused(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.mkdir()
    with pytest.raises(BriefgenError, match="cannot read the token file"):
        load_token("0.0.0.0", token_file, environ={})


def test_non_ascii_tokens_are_refused_not_errors(served: Any, guarded: Any) -> None:
    """A CSRF token, cookie or bearer token with characters outside ASCII is refused
    like any wrong one (``hmac.compare_digest`` raises on non-ASCII ``str``)."""
    response = served.client.post("/briefs", data={"csrf": "é" * 64, "text": "一"})
    assert response.status_code == 403
    with served.client_of(guarded, raise_server_exceptions=False) as client:
        cookie = f"{AUTH_COOKIE}=\xe9t\xe9".encode("latin-1")
        response = client.get("/", headers={"Cookie": cookie}, follow_redirects=False)
        assert response.status_code == 303
        bearer = "Bearer t\xe9t\xe9".encode("latin-1")
        response = client.post("/briefs", headers={"Authorization": bearer})
        assert response.status_code == 401
        response = client.post("/login", data={"token": "é" * 20}, follow_redirects=False)
        assert response.status_code == 401


def test_only_the_login_page_itself_is_open_without_the_token(guarded: Any, served: Any) -> None:
    with served.client_of(guarded) as client:
        for path in ("/loginx", "/login/../b/0123456789abcdef", "/login-admin"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/login", path
        assert client.get("/login").status_code == 200
