"""Workspaces of ``briefgen serve`` on disk: atomic creation, the index of recent briefs
(its order, rebuilt when lost), interrupted work marked failed when a server starts,
deletion, safe file names."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from briefgen.web import ServerConfig, create_app
from briefgen.web.workspace import Workspace, WorkspaceStore, safe_name


@pytest.fixture()
def store(tmp_path: Path) -> WorkspaceStore:
    return WorkspaceStore(tmp_path / "workspaces")


def _with_brief(store: WorkspaceStore, ready_ws: Workspace, name: str = "a.txt") -> Workspace:
    source = ready_ws.source_path()
    assert source is not None
    workspace = store.create(name, source.read_bytes())
    shutil.copyfile(ready_ws.brief_path, workspace.brief_path)
    workspace.set_status("ready")
    store.update_index(workspace)
    return workspace


def test_create_writes_a_whole_workspace(store: WorkspaceStore) -> None:
    workspace = store.create("../../etc/報告 2026.txt", "正文".encode())
    assert workspace.path.parent == store.root and len(workspace.id) == 16
    assert sorted(p.name for p in workspace.path.iterdir()) == [
        "meta.json",
        "source",
        "status.json",
    ]
    source = workspace.source_path()
    assert source is not None and source.name == "報告_2026.txt"
    assert source.read_bytes() == "正文".encode()
    assert workspace.meta()["name"] == "../../etc/報告 2026.txt"
    assert workspace.status()["state"] == "queued"
    assert not [p for p in store.root.iterdir() if p.name.startswith(".")]
    assert not list(store.root.rglob("*.tmp")) and not list(store.root.rglob(".*.tmp*"))
    assert store.get(workspace.id) is not None


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("readout.txt", "readout.txt"),
        ("C:\\Users\\me\\readout.docx", "readout.docx"),
        ("../../.bashrc", "bashrc"),
        (".hidden.md", "hidden.md"),
        ("", "article.txt"),
        ("...", "article.txt"),
        ("a b;c|d.html", "a_b_c_d.html"),
        ("x" * 200 + ".txt", "x" * 70 + ".txt"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_get_refuses_anything_but_an_id(store: WorkspaceStore) -> None:
    workspace = store.create("a.txt", b"x")
    assert store.get(workspace.id) is not None
    for bad in (
        "..",
        "../workspaces",
        workspace.id.upper(),
        workspace.id + "0",
        "",
        "index.sqlite",
    ):
        assert store.get(bad) is None
    assert store.get("0123456789abcdef") is None


def test_recent_lists_the_last_changed_first(store: WorkspaceStore) -> None:
    first, second, third = (store.create(f"{n}.txt", b"x") for n in ("one", "two", "three"))
    assert [e.id for e in store.recent()] == [third.id, second.id, first.id]
    store.update_index(first)
    assert [e.id for e in store.recent()] == [first.id, third.id, second.id]
    assert [e.id for e in store.recent(limit=2)] == [first.id, third.id]


def test_index_is_rebuilt_when_deleted(store: WorkspaceStore, ready_ws: Workspace) -> None:
    workspace = _with_brief(store, ready_ws, "eppd.txt")
    other = store.create("other.txt", b"x")
    expected = {e.id: e for e in store.recent()}
    (store.root / "index.sqlite").unlink()
    rebuilt = WorkspaceStore(store.root).recent()
    assert {e.id for e in rebuilt} == set(expected) == {workspace.id, other.id}
    entry = next(e for e in rebuilt if e.id == workspace.id)
    assert entry.title == expected[workspace.id].title != "eppd.txt"
    assert entry.event_date == "2026-01-27" and entry.status == "ready"
    # lost while the same store is in use
    (store.root / "index.sqlite").unlink()
    assert {e.id for e in store.recent()} == set(expected)


def test_interrupted_work_is_marked_failed_on_start(tmp_path: Path, served: Any) -> None:
    store = WorkspaceStore(tmp_path / "workspaces")
    queued, running = store.create("q.txt", b"x"), store.create("r.txt", b"x")
    running.set_status("running", "translating")
    store.update_index(running)
    done = store.create("d.txt", b"x")
    done.set_status("ready")
    store.update_index(done)
    app = create_app(ServerConfig(settings=served.settings, data_dir=tmp_path, workers=1))
    with served.client_of(app) as client:
        for workspace in (queued, running):
            status = workspace.status()
            assert status["state"] == "failed"
            assert status["error"] == "the server stopped during this work; start it again"
            page = client.get(f"/b/{workspace.id}")
            assert page.status_code == 200 and status["error"] in page.text
        assert done.status()["state"] == "ready"
        states = {e.id: e.status for e in app.state.web.store.recent()}
        assert states == {queued.id: "failed", running.id: "failed", done.id: "ready"}


def test_delete_removes_folder_and_index_line(store: WorkspaceStore) -> None:
    keep, gone = store.create("keep.txt", b"x"), store.create("gone.txt", b"x")
    store.delete(gone)
    assert not gone.path.exists() and keep.path.is_dir()
    assert [e.id for e in store.recent()] == [keep.id]
    assert sorted(p.name for p in store.root.iterdir()) == sorted([keep.id, "index.sqlite"])


def test_save_brief_is_atomic_and_keeps_history(store: WorkspaceStore, ready_ws: Workspace) -> None:
    workspace = _with_brief(store, ready_ws)
    original = workspace.brief_path.read_bytes()
    brief = workspace.brief()
    assert brief is not None
    brief.event.round = 99
    workspace.save_brief(brief)
    assert workspace.brief_path.read_bytes() != original
    assert (workspace.path / "history" / "000001.yaml").read_bytes() == original
    assert workspace.brief_digest() is not None and len(workspace.brief_digest() or "") == 16
    assert not [p.name for p in workspace.path.rglob("*") if p.name.startswith(".")]
    assert workspace.undo() and workspace.brief_path.read_bytes() == original
    assert not workspace.undo()


def test_a_workspace_deleted_while_its_job_ran_leaves_no_ghost(store: WorkspaceStore) -> None:
    """A job's done-callback updates the index after the workspace was deleted (or a
    folder removed by hand): the list shows only workspaces that exist."""
    keep, gone = store.create("keep.txt", b"x"), store.create("gone.txt", b"x")
    store.delete(gone)
    store.update_index(gone)  # what the callback of a job that was running does
    assert [e.id for e in store.recent()] == [keep.id]
    shutil.rmtree(keep.path)
    assert store.recent() == []
