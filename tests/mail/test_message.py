"""The memo e-mail as a MIME message: body, attachments, names, types, the .eml draft."""

from __future__ import annotations

import email
import json
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from briefgen.cli_mail import write_draft
from briefgen.errors import BriefgenError
from briefgen.mail import (
    build_message,
    build_settings,
    draft_name,
    memo_email,
    message_bytes,
    mime_type,
    write_eml,
)
from briefgen.model import load_brief
from briefgen.render import render
from briefgen.render.environment import builtin_template_dir
from briefgen.render.sheets import memo_stylesheet
from briefgen.settings import Settings
from briefgen.writers.text import write_text

SENDER = "Briefing Desk <desk@example.org>"
TO = "王小明 <wang@example.tw>"
ZH_NAME = "第6屆台美經濟繁榮夥伴對話（EPPD）首長簡報.pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def _memo_files(directory: Path) -> dict[str, bytes]:
    manifest = json.loads((directory / "manifest.json").read_text())
    return {
        f["name"]: (directory / f["name"]).read_bytes()
        for f in manifest["files"]
        if f["kind"] == "memo"
    }


def _record_settings(directory: Path, recorded: dict[str, Any]) -> None:
    """Add a ``settings`` key to the manifest, as a build records ``Settings.fingerprint()``."""
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["settings"] = recorded
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


# -- Building a message ----------------------------------------------------------------


def test_ascii_filenames_fallback() -> None:
    msg = build_message(
        subject="s",
        sender=SENDER,
        to=[TO],
        text_body="x",
        html_body="<p>x</p>",
        attachments=[(ZH_NAME, b"%PDF"), ("Résumé.docx", b"PK"), ("memo.en.pdf", b"%PDF-1")],
        ascii_filenames=True,
    )
    data = message_bytes(msg)
    names = [p.get_filename() for p in _parse(data).iter_attachments()]
    assert names == ["attachment-1.pdf", "Resume.docx", "memo.en.pdf"]
    headers = b"".join(line for line in data.split(b"\r\n") if b"name" in line)
    assert b"=?utf-8?" not in headers and b"utf-8''" not in headers


def test_mime_types_by_suffix() -> None:
    files = [
        ("a.html", b"<p>"),
        ("brief.yaml", b"a: 1"),
        ("manifest.json", b"{}"),
        ("x.bin", b""),
        ("memo.DOCX", b"PK"),
        ("memo.odt", b"PK"),
        ("memo.pdf", b"%PDF"),
        ("memo.txt", "一、".encode()),
        ("memo.pdf.gz", b"\x1f\x8b"),
        ("noext", b""),
    ]
    msg = build_message(subject="s", sender=SENDER, to=[TO], text_body="x", attachments=files)
    parts = list(_parse(message_bytes(msg)).iter_attachments())
    assert [p.get_content_type() for p in parts] == [
        "text/html",
        "application/yaml",
        "application/json",
        "application/octet-stream",
        DOCX_TYPE,
        "application/vnd.oasis.opendocument.text",
        "application/pdf",
        "text/plain",
        "application/octet-stream",
        "application/octet-stream",
    ]
    assert parts[7].get_content_charset() == "utf-8" and parts[7].get_content() == "一、"
    assert mime_type("x.yml") == ("application", "yaml")
    assert mime_type("notes.tmx") == ("application", "xml")


def test_an_eml_attachment_is_a_message() -> None:
    inner = build_message(subject="inner", sender=SENDER, to=[TO], text_body="hi", draft=True)
    msg = build_message(
        subject="outer",
        sender=SENDER,
        to=[TO],
        text_body="x",
        attachments=[("draft.eml", message_bytes(inner))],
    )
    data = message_bytes(msg)
    (part,) = _parse(data).iter_attachments()
    assert part.get_content_type() == "message/rfc822"
    assert part["content-transfer-encoding"] in (None, "7bit", "8bit")  # never base64
    assert part.get_filename() == "draft.eml"
    assert part.get_content()["subject"] == "inner"


def test_control_characters_in_file_names() -> None:
    with pytest.raises(BriefgenError, match="attachment file name: control character U"):
        build_message(
            subject="s", sender=SENDER, to=[TO], text_body="x",
            attachments=[("memo\r\nContent-Type: text/html.pdf", b"x")],
        )  # fmt: skip
    with pytest.raises(BriefgenError, match="U\\+202E"):
        build_message(
            subject="s", sender=SENDER, to=[TO], text_body="x",
            attachments=[("memo\u202efdp.exe", b"x")],
        )  # fmt: skip
    with pytest.raises(BriefgenError, match="not a plain file name"):
        build_message(
            subject="s", sender=SENDER, to=[TO], text_body="x", attachments=[("../x.pdf", b"x")]
        )


def test_bcc_never_in_a_header_and_a_message_gets_date_and_id() -> None:
    msg = build_message(
        subject="s", sender=SENDER, to=[TO], bcc=["hidden@example.net"], text_body="x"
    )
    data = message_bytes(msg)
    assert b"hidden@example.net" not in data
    received = _parse(data)
    assert received["date"] and received["message-id"].endswith("@example.org>")


# -- The memo e-mail of an output directory --------------------------------------------


def test_the_body_is_the_leadership_memo_by_the_text_writer(outdir: Path) -> None:
    content = memo_email(outdir)
    brief = load_brief(outdir / "brief.yaml")
    settings = Settings()
    texts = []
    for lang in ("zh-TW", "en"):
        sheet = memo_stylesheet(settings, lang, "leadership")
        texts.append(write_text(render(brief, "leadership", lang, settings, sheet=sheet), sheet))
    assert content.text_body == ("\n" + "=" * 40 + "\n\n").join(t.decode() for t in texts)
    assert "一、確保AI供應鏈的安全" in content.text_body
    assert '<div class="bg-doc-1" lang="zh-TW">' in content.html_body
    assert [name for name, _ in content.attachments] == list(_memo_files(outdir))
    assert content.subject.count(" / ") == 1


def test_without_recorded_settings_the_given_ones_are_used(workdir: Path) -> None:
    manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
    assert "settings" not in manifest
    plain = memo_email(workdir)
    roc = memo_email(workdir, settings=Settings(date_style="roc"))
    assert "日期：2026年1月28日" in plain.text_body
    assert "日期：中華民國115年1月28日" in roc.text_body
    assert "Date: January 28, ROC year 115" in roc.text_body
    assert build_settings(workdir, Settings(author="A")) == Settings(author="A")


def test_recorded_settings_win_over_the_given_ones(workdir: Path, tmp_path: Path) -> None:
    """The build recorded its settings: the body follows them, whatever ``send`` got."""
    templates = tmp_path / "templates"
    templates.mkdir()
    original = (builtin_template_dir() / "leadership.html.j2").read_text(encoding="utf-8")
    label = '{% block audience_label %}{{ _("Leadership (one-page summary)") }}{% endblock %}'
    assert label in original
    custom = original.replace(label, "{% block audience_label %}DESK EDITION{% endblock %}")
    (templates / "leadership.html.j2").write_text(custom, encoding="utf-8")
    recorded = {
        **Settings().fingerprint(),
        "date_style": "roc",
        "organisation": "外交部|MOFA",
        "classification": "限閱|LIMITED",
        "author": "Desk",
        "template_dirs": [str(templates)],
        "paper": "letter",
        "langs": ["en"],  # not one of the settings the body takes
    }
    same = Settings(
        date_style="roc",
        organisation="外交部|MOFA",
        classification="限閱|LIMITED",
        author="Desk",
        template_dirs=(templates,),
        paper="letter",
    )
    expected = memo_email(workdir, settings=same)
    _record_settings(workdir, recorded)

    got = memo_email(workdir, settings=Settings(date_style="gregorian"))
    assert got == expected
    assert "日期：中華民國115年1月28日" in got.text_body and "DESK EDITION" in got.text_body
    assert got != memo_email(_copy_without(workdir))
    assert build_settings(workdir, Settings(fuzzy=0.8)) == same.replace(fuzzy=0.8)
    # the draft a build writes follows the same settings
    draft = _parse(write_eml(workdir).read_bytes())
    plain = draft.get_body(("plain",))
    assert plain is not None and "DESK EDITION" in plain.get_content()


def _copy_without(directory: Path) -> Path:
    """A copy of ``directory`` whose manifest records no settings."""
    import shutil

    target = directory.parent / "without-settings"
    shutil.copytree(directory, target)
    path = target / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("settings", None)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("recorded", "message"),
    [
        ({"date_style": "julian"}, "--date-style must be gregorian or roc"),
        ({"organisation": 3}, "organisation must be a string"),
        ({"template_dirs": "x"}, "template_dirs must be a list of paths"),
        ({"template_dirs": ["/nonexistent/briefgen-templates"]}, "not a directory here"),
        ([1, 2], "not a table of settings"),
    ],
)
def test_bad_recorded_settings_are_one_line(workdir: Path, recorded: Any, message: str) -> None:
    _record_settings(workdir, recorded)
    with pytest.raises(BriefgenError, match=message) as info:
        memo_email(workdir)
    assert "manifest.json: settings" in str(info.value) and "\n" not in str(info.value)


def test_changed_attachment_is_noticed(workdir: Path) -> None:
    (workdir / "eppd-6.leadership.en.pdf").write_bytes(b"%PDF-tampered")
    with pytest.raises(BriefgenError, match="changed since it was built"):
        memo_email(workdir)


def test_not_an_output_directory(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match="not a briefgen output directory"):
        memo_email(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(BriefgenError, match="not a briefgen manifest"):
        memo_email(tmp_path)


# -- The .eml draft --------------------------------------------------------------------


def test_write_eml_is_an_unsent_draft(workdir: Path) -> None:
    path = write_eml(workdir, to=[TO], filters=["*/zh-TW/*"])
    assert path == workdir / "eppd-6.eml" == workdir / draft_name(workdir)
    data = path.read_bytes()
    msg = _parse(data)
    assert msg["X-Unsent"] == "1"
    assert "bcc" not in {k.lower() for k in msg}
    assert msg["subject"] == memo_email(workdir).subject
    assert msg["to"].addresses[0].display_name == "王小明"
    files = _memo_files(workdir)
    attached = {p.get_filename(): p.get_payload(decode=True) for p in msg.iter_attachments()}
    assert list(attached) == [n for n in files if ".zh-TW." in n]
    for name, payload in attached.items():
        assert payload == files[name]
    assert not list(workdir.glob(".*.tmp"))
    # Reproducible: no Date or Message-ID, content-derived boundaries.
    assert "date" not in msg and "message-id" not in msg
    assert write_eml(workdir, to=[TO], filters=["*/zh-TW/*"]).read_bytes() == data


def test_write_eml_size_limit(workdir: Path) -> None:
    with pytest.raises(BriefgenError, match="over the limit"):
        write_eml(workdir, max_bytes=1000)
    assert not (workdir / "eppd-6.eml").exists()


def test_write_draft_for_build(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_draft(workdir)
    out = capsys.readouterr().out
    assert out == f"wrote {path} ({path.stat().st_size:,} bytes)\n"
    msg = _parse(path.read_bytes())
    assert msg["X-Unsent"] == "1" and len(list(msg.iter_attachments())) == 16
