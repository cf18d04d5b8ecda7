"""Fixtures of the HTTP-level tests of ``briefgen serve``: one app (one audience, so its
spawned workers render little) with one ready workspace of the sample, shared by every
test of tests/web that only reads it; tests that edit get a copy of that workspace made
on disk (no second extraction)."""

from __future__ import annotations

import re
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 in its test client; httpx is what pyproject installs.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from briefgen.settings import Settings
from briefgen.web import ServerConfig, create_app
from briefgen.web import jobs as web_jobs
from briefgen.web.app import WebApp
from briefgen.web.workspace import Workspace

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SAMPLE = SEEDS / "eppd-6-2026-01-28.zh-TW.txt"
#: The settings of the app under test: one audience, so each render is 2 languages x 4
#: formats.
WEB_SETTINGS = Settings(audiences=("leadership",))
BASE_URL = "http://127.0.0.1"
#: How long a background job may take before a test gives up (a failure, not a timing).
JOB_TIMEOUT = 120.0
_CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token carried by a page's hidden inputs."""
    found = _CSRF_RE.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def wait_for(what: str, check: Any, timeout: float = JOB_TIMEOUT) -> Any:
    """Poll ``check()`` every 0.2 s until it returns something true; fail after
    ``timeout`` seconds naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.2)


def wait_extracted(web: WebApp, workspace: Workspace) -> dict[str, Any]:
    """The final status of ``workspace``'s extraction (ready or failed)."""
    return wait_for(
        f"the extraction of {workspace.id}",
        lambda: workspace.status() if workspace.status()["state"] in ("ready", "failed") else None,
    )


def wait_rendered(web: WebApp, workspace: Workspace) -> Path:
    """The memo folder of ``workspace``'s current brief, once rendered (and no render of
    it still running)."""

    def check() -> Path | None:
        digest = workspace.brief_digest()
        state = web_jobs.render_state(workspace)
        if web.runner.busy(("render", workspace.id)) or digest is None:
            return None
        if state.get("digest") == digest and state.get("state") == "failed":
            pytest.fail(f"rendering failed: {state.get('error')}")
        if state.get("digest") != digest or state.get("state") != "ready":
            return None
        return web_jobs.memo_folder(workspace, digest)

    return wait_for(f"the memos of {workspace.id}", check)


@dataclass
class Served:
    """The app under test: its client, its state and its CSRF token."""

    client: TestClient
    web: WebApp
    data_dir: Path
    csrf: str

    settings = WEB_SETTINGS
    sample = SAMPLE

    @staticmethod
    def csrf_of(html: str) -> str:
        """The CSRF token carried by ``html``'s hidden inputs."""
        return csrf_of(html)

    def wait_extracted(self, workspace: Workspace) -> dict[str, Any]:
        """The final status of ``workspace``'s extraction."""
        return wait_extracted(self.web, workspace)

    def wait_rendered(self, workspace: Workspace) -> Path:
        """The memo folder of ``workspace``'s current brief, once rendered."""
        return wait_rendered(self.web, workspace)

    @staticmethod
    def wait_for(what: str, check: Any, timeout: float = JOB_TIMEOUT) -> Any:
        """Poll ``check()`` until it is true (see ``wait_for``)."""
        return wait_for(what, check, timeout)

    @staticmethod
    def client_of(app: Any, **kw: Any) -> TestClient:
        """A test client of another ``app`` (enter it to run its lifespan)."""
        return make_client(app, **kw)

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        """POST ``data`` (with the CSRF token) without following the redirect."""
        return self.client.post(
            url, data={"csrf": self.csrf, **(data or {})}, follow_redirects=False, **kw
        )

    def upload(self, name: str, data: bytes, **fields: str) -> Any:
        """POST /briefs with ``data`` uploaded as the file ``name``."""
        return self.post("/briefs", fields, files={"file": (name, data)})

    def workspace_of(self, response: Any) -> Workspace:
        """The workspace a 303 from POST /briefs leads to."""
        error = re.search(r'id="upload-error">([^<]*)<', response.text)
        assert response.status_code == 303, error.group(1) if error else response.text[:300]
        ws_id = response.headers["location"].rsplit("/", 1)[-1]
        found = self.web.store.get(ws_id)
        assert found is not None
        return found

    def copy_of(self, workspace: Workspace) -> Workspace:
        """A new workspace holding ``workspace``'s upload, brief and article, ready (made
        on disk: no extraction, no render yet)."""
        source = workspace.source_path()
        assert source is not None
        copy = self.web.store.create(workspace.meta()["name"], source.read_bytes())
        for name in ("brief.yaml", "article.json"):
            shutil.copyfile(workspace.path / name, copy.path / name)
        copy.set_status("ready")
        self.web.store.update_index(copy)
        return copy


@pytest.fixture(scope="session")
def web_data_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``BRIEFGEN_DATA_DIR`` for the whole session, set before the app's workers are
    spawned (they inherit it), the same folder tests/conftest.py gives each test."""
    path = tmp_path_factory.getbasetemp() / "data"
    with pytest.MonkeyPatch.context() as patch:
        import os

        if "BRIEFGEN_DATA_DIR" not in os.environ:
            patch.setenv("BRIEFGEN_DATA_DIR", str(path))
        yield Path(os.environ["BRIEFGEN_DATA_DIR"])


def make_client(app: Any, **kw: Any) -> TestClient:
    """A test client of ``app`` on the loopback name the app accepts."""
    return TestClient(app, base_url=BASE_URL, **kw)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, web_data_env: Path) -> Iterator[Served]:
    """The shared app (lifespan running) with its client."""
    data_dir = tmp_path_factory.mktemp("web-served")
    app = create_app(ServerConfig(settings=WEB_SETTINGS, data_dir=data_dir, workers=2))
    with make_client(app) as client:
        csrf = csrf_of(client.get("/").text)
        yield Served(client, app.state.web, data_dir, csrf)


@pytest.fixture(scope="session")
def ready_ws(served: Served) -> Workspace:
    """The sample uploaded, extracted and its memos rendered. Tests must not change it
    (edit a ``copy_of`` it)."""
    workspace = served.workspace_of(served.upload(SAMPLE.name, SAMPLE.read_bytes()))
    status = wait_extracted(served.web, workspace)
    assert status["state"] == "ready", status
    wait_rendered(served.web, workspace)
    return workspace


@pytest.fixture()
def fresh_ws(served: Served, ready_ws: Workspace) -> Workspace:
    """A ready copy of the sample's workspace that a test may edit."""
    return served.copy_of(ready_ws)
