"""The background work of ``briefgen serve``: memos byte-identical to ``briefgen render``,
the zip of a memo folder, failures recorded as one line, and two builds at once while
the server keeps answering."""

from __future__ import annotations

import io
import json
import shutil
import socket
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from briefgen.cli import main
from briefgen.errors import InputError
from briefgen.model import brief_to_dict
from briefgen.web import jobs
from briefgen.web.workspace import Workspace


def _cli_render(brief: Path, out: Path, settings: Any, capsys: Any) -> Path:
    """``briefgen render BRIEF -o OUT`` with the app's audiences and formats; the folder."""
    formats = ",".join(dict.fromkeys((*settings.formats, *jobs.WEB_FORMATS)))
    audiences = ",".join(settings.audiences)
    args = ["render", str(brief), "-o", str(out), "--audience", audiences, "--format", formats]
    code = main([*args, "-q"])
    assert code == 0, capsys.readouterr().err
    (made,) = out.iterdir()
    return made


def _same_folders(ours: Path, theirs: Path, except_manifest: bool = False) -> None:
    # (an e-mail draft downloaded from the page is written beside the memos)
    names = sorted(p.name for p in ours.iterdir() if p.suffix != ".eml")
    assert names == sorted(p.name for p in theirs.iterdir())
    assert {n.rsplit(".", 1)[-1] for n in names} == {"pdf", "docx", "odt", "html", "yaml", "json"}
    for name in names:
        if except_manifest and name == "manifest.json":
            continue
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def test_memos_are_byte_identical_to_briefgen_render(
    served: Any, ready_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # A copy rendered now, so the app and the CLI see the same user memory (which other
    # tests add to, and which the manifest records).
    ready_ws = served.copy_of(ready_ws)
    assert served.post(f"/b/{ready_ws.id}/render").status_code == 303
    folder = served.wait_rendered(ready_ws)
    # The app renders a snapshot of brief.yaml (out/<digest>.yaml, removed afterwards) and
    # records it as "brief.yaml": `briefgen render brief.yaml` in the workspace makes the
    # same folder, manifest included.
    digest = ready_ws.brief_digest()
    assert digest is not None and folder.parent.name == digest
    assert not (ready_ws.path / "out" / f"{digest}.yaml").exists()
    monkeypatch.chdir(ready_ws.path)  # (no briefgen.toml there)
    made = _cli_render(Path("brief.yaml"), tmp_path / "same", served.settings, capsys)
    assert made.name == folder.name
    _same_folders(folder, made)
    assert json.loads((folder / "manifest.json").read_bytes())["input"]["path"] == "brief.yaml"
    # From a copy elsewhere only the manifest's input path differs.
    monkeypatch.chdir(tmp_path)
    brief = tmp_path / "brief.yaml"
    brief.write_bytes(ready_ws.brief_path.read_bytes())
    made = _cli_render(brief, tmp_path / "copy", served.settings, capsys)
    _same_folders(folder, made, except_manifest=True)
    ours = json.loads((folder / "manifest.json").read_bytes())
    theirs = json.loads((made / "manifest.json").read_bytes())
    assert ours["input"].pop("path") == "brief.yaml"
    assert theirs["input"].pop("path") == str(brief)
    assert ours == theirs


def test_zip_job_holds_every_file_in_a_fixed_form(served: Any, ready_ws: Workspace) -> None:
    folder = served.wait_rendered(ready_ws)
    data = jobs.zip_job(str(folder))
    assert data == jobs.zip_job(str(folder))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        # the manifest's files in its order, then the manifest (an e-mail draft written
        # beside them is not part of the set)
        listed = json.loads((folder / "manifest.json").read_bytes())["files"]
        expected = [f"{folder.name}/{e['name']}" for e in listed] + [f"{folder.name}/manifest.json"]
        assert names == expected
        assert sorted(names) == sorted(
            f"{folder.name}/{p.name}" for p in folder.iterdir() if p.suffix != ".eml"
        )
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
        manifest = json.loads(archive.read(f"{folder.name}/manifest.json"))
        for entry in manifest["files"]:
            assert (
                archive.read(f"{folder.name}/{entry['name']}")
                == (folder / entry["name"]).read_bytes()
            )
    assert f"{folder.name}/manifest.json" in names and f"{folder.name}/brief.yaml" in names


def test_error_text_is_one_line_without_the_workspace_folder(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "0123456789abcdef")
    error = InputError(f"{workspace.source_dir}/eppd.txt: the file\nis empty")
    assert jobs.error_text(error, workspace) == "eppd.txt: the file is empty"
    assert jobs.error_text(KeyError("x"), workspace) == "internal error: KeyError: 'x'"


def test_extract_job_records_a_failure(served: Any, tmp_path: Path) -> None:
    store = served.web.store
    workspace = store.create("empty.txt", b"\n\n")
    assert jobs.extract_job(str(workspace.path), served.settings) == "failed"
    status = workspace.status()
    assert status["state"] == "failed" and status["error"] == "empty.txt: the file is empty"
    assert not workspace.brief_path.exists()
    (workspace.source_dir / "empty.txt").unlink()
    assert jobs.extract_job(str(workspace.path), served.settings) == "failed"
    assert "missing" in workspace.status()["error"]
    page = served.client.get(f"/b/{workspace.id}")
    assert page.status_code == 200 and "missing" in page.text
    store.delete(workspace)


def test_two_builds_at_once_while_the_server_answers(served: Any, ready_ws: Workspace) -> None:
    source = ready_ws.source_path()
    assert source is not None
    data = source.read_bytes()
    first = served.workspace_of(served.upload("first.txt", data))
    second = served.workspace_of(served.upload("second.txt", data))
    futures = [served.web.runner._running[("extract", ws.id)] for ws in (first, second)]
    # The server answers while both run: these requests return before either job ends.
    index = served.client.get("/")
    progress = served.client.get(f"/b/{second.id}")
    status = served.client.get(f"/b/{first.id}/status")
    assert not any(f.done() for f in futures), "the jobs ended before the requests (too fast?)"
    assert index.status_code == progress.status_code == status.status_code == 200
    assert first.id in index.text and second.id in index.text
    assert 'id="status"' in progress.text
    for workspace in (first, second):
        assert served.wait_extracted(workspace)["state"] == "ready"
        served.wait_rendered(workspace)
    assert all(f.result() == "ready" for f in futures)
    briefs = [brief_to_dict(ws.brief()) for ws in (first, second)]
    assert [b["source"].pop("path") for b in briefs] == ["source/first.txt", "source/second.txt"]
    assert briefs[0] == briefs[1]
    assert served.client.get(f"/b/{first.id}").status_code == 200


class _Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


def test_send_through_the_configured_smtp_server(
    served: Any, ready_ws: Workspace, tmp_path: Path
) -> None:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from briefgen.settings import SmtpSettings
    from briefgen.web import ServerConfig, create_app

    folder = served.wait_rendered(ready_ws)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        smtp = SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="desk@example.org")
        settings = replace(served.settings, smtp=smtp)
        app = create_app(ServerConfig(settings=settings, data_dir=tmp_path, workers=1))
        store = app.state.web.store
        shutil.copytree(ready_ws.path, store.root / ready_ws.id)
        workspace = store.get(ready_ws.id)
        assert workspace is not None
        store.update_index(workspace)
        with served.client_of(app) as client:
            csrf = served.csrf_of(client.get("/").text)
            page = client.get(f"/b/{workspace.id}")
            assert page.status_code == 200 and 'name="to"' in page.text
            response = client.post(
                f"/b/{workspace.id}/send",
                data={"csrf": csrf, "to": "wang@example.tw; chen@example.tw", "cc": ""},
            )
        assert response.status_code == 200, response.text[-500:]
        assert "Sent" in response.text and "Not sent" not in response.text
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    sender, recipients, content = inbox.received[0]
    assert sender == "desk@example.org"
    assert recipients == ["wang@example.tw", "chen@example.tw"]
    message = message_from_bytes(content, policy=policy.default)
    attached = {part.get_filename() for part in message.iter_attachments()}
    # the documents, not the HTML previews
    memos = {p.name for p in folder.iterdir() if p.suffix in (".pdf", ".docx", ".odt")}
    assert attached == memos


def test_the_memos_do_not_depend_on_the_servers_working_directory(
    served: Any, ready_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server started where the readout and its reviewed TMX lie (the user's readouts
    # folder) renders what it renders anywhere: the brief's article is looked for in the
    # workspace, not beside the server.
    folder = served.wait_rendered(ready_ws)
    assert ready_ws.brief() is not None
    assert ready_ws.brief().source.path == f"source/{ready_ws.source_path().name}"
    name = ready_ws.source_path().name
    for decoy in (tmp_path, tmp_path / "source"):  # the file name, and the brief's path
        decoy.mkdir(exist_ok=True)
        shutil.copyfile(served.sample, decoy / name)
        shutil.copyfile(
            served.sample.with_name("eppd-6-2026-01-28.tmx"),
            decoy / name.replace(".zh-TW.txt", ".tmx"),
        )
    copy = served.copy_of(ready_ws)
    monkeypatch.chdir(tmp_path)
    digest = jobs.render_job(str(copy.path), served.settings)
    made = jobs.memo_folder(copy, digest)
    assert made is not None
    for pdf in sorted(folder.glob("*.pdf")):
        assert (made / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
