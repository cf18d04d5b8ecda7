"""Sending the memos, against real SMTP servers (aiosmtpd) on 127.0.0.1.

Every server is started on a free loopback port by a fixture and stopped in its
finaliser; nothing is sent anywhere else. Retries are bounded and their back-off sleeps
are recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import json
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import click
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefgen.cli import main
from briefgen.cli_mail import send_settings
from briefgen.errors import BriefgenError
from briefgen.mail import (
    EXIT_CONNECT,
    EXIT_REFUSED,
    EXIT_UNCERTAIN,
    PASSWORD_ENV,
    SendReport,
    build_message,
    describe_message,
    envelope_recipients,
    memo_email,
    send_message,
    smtp_password,
)
from briefgen.settings import SmtpSettings, load_settings

SENDER = "Briefing Desk <desk@example.org>"
TO = "王小明 <wang@example.tw>"
CC = "cc@example.org"
BCC = "hidden@example.net"
ZH_SUBJECT = "第6屆台美經濟繁榮夥伴對話簡報 / Briefing: 6th EPPD"
ZH_NAME = "第6屆台美經濟繁榮夥伴對話（EPPD）首長簡報.pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _memo_files(directory: Path) -> dict[str, bytes]:
    manifest = json.loads((directory / "manifest.json").read_text())
    return {
        f["name"]: (directory / f["name"]).read_bytes()
        for f in manifest["files"]
        if f["kind"] == "memo"
    }


# -- SMTP servers ----------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Recorder:
    """An aiosmtpd handler that stores what it receives and can reply with failures."""

    data_replies: list[str] = field(default_factory=list)
    rcpt_reply: str | None = None
    received: list[Received] = field(default_factory=list)
    data_calls: int = 0
    rcpt_calls: int = 0
    connections: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpt_calls += 1
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.data_calls += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


class CountingController(Controller):
    """A Controller that counts the connections its server accepts."""

    def factory(self):  # type: ignore[no-untyped-def]
        self.handler.connections += 1
        return super().factory()


@dataclass
class Server:
    controller: CountingController
    handler: Recorder
    port: int
    baseline: int = 0

    @property
    def connections(self) -> int:
        """Connections from clients (not counting the controller's start-up probe)."""
        return self.handler.connections - self.baseline


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Server]]:
    """Start aiosmtpd servers on 127.0.0.1; every one is stopped at the end."""
    started: list[CountingController] = []

    def start(handler: Recorder | None = None, **kwargs: Any) -> Server:
        handler = handler or Recorder()
        port = _free_port()
        controller = CountingController(
            handler, hostname="127.0.0.1", port=port, decode_data=False, **kwargs
        )
        controller.start()
        started.append(controller)
        return Server(controller, handler, port, baseline=handler.connections)

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1/localhost: (cert, key)."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:  # pragma: no cover - depends on what is installed
        if not shutil.which("openssl"):
            pytest.skip("neither the cryptography package nor openssl is available")
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        return cert, key
    import ipaddress

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    public = private.public_key()
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def _parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def _message(outdir: Path, extra: list[tuple[str, bytes]] | None = None, **kw: Any) -> EmailMessage:
    content = memo_email(outdir)
    args: dict[str, Any] = {
        "subject": ZH_SUBJECT,
        "sender": SENDER,
        "to": [TO],
        "cc": [CC],
        "bcc": [BCC],
        "text_body": content.text_body,
        "html_body": content.html_body,
        "attachments": content.attachments + (extra or []),
    }
    args.update(kw)
    return build_message(**args)


#: Keyword arguments of ``send_message`` besides the settings.
_CALL = ("password", "envelope_from", "ssl_context", "sleep", "log")


def _smtp(port: int, **kw: Any) -> SmtpSettings:
    """Settings for a test server on 127.0.0.1: clear text, 10 s time-out, 3 retries."""
    return SmtpSettings(**{"host": "127.0.0.1", "port": port, "tls": "none", "timeout": 10, **kw})


def _send_to(msg: EmailMessage, rcpts: list[str], port: int, **kw: Any) -> SendReport:
    """``send_message`` with ``_smtp(port)`` changed by the settings in ``kw``; the other
    keywords (``_CALL``) go to the call, back-off sleeps are not slept unless given."""
    call: dict[str, Any] = {"sleep": lambda s: None}
    call.update({k: v for k, v in kw.items() if k in _CALL})
    settings = _smtp(port, **{k: v for k, v in kw.items() if k not in _CALL})
    return send_message(msg, rcpts, settings, **call)


def _send(msg: EmailMessage, server: Server, **kw: Any) -> SendReport:
    return _send_to(msg, envelope_recipients([TO], [CC], [BCC]), server.port, **kw)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- (a) a plain send ------------------------------------------------------------------


def test_plain_send_arrives_intact(outdir: Path, smtp_server, tmp_path: Path) -> None:
    server = smtp_server()
    on_disk = _memo_files(outdir)
    chinese = tmp_path / ZH_NAME
    shutil.copyfile(outdir / "eppd-6.leadership.zh-TW.pdf", chinese)
    msg = _message(outdir, extra=[(chinese.name, chinese.read_bytes())])
    assert _send(msg, server).attempts == 1

    assert len(server.handler.received) == 1
    envelope = server.handler.received[0]
    assert envelope.mail_from == "desk@example.org"
    assert envelope.rcpt_tos == ["wang@example.tw", "cc@example.org", BCC]
    received = _parse(envelope.content)
    print("\nreceived by the test server:")
    print(f"  envelope from {envelope.mail_from}, to {envelope.rcpt_tos}")
    print(f"  {len(envelope.content):,} bytes; headers: {', '.join(received.keys())}")
    for line in describe_message(received):
        print(f"  {line}")

    # Headers: Chinese subject and display name come back exactly; no Bcc anywhere.
    assert received["subject"] == ZH_SUBJECT
    assert received["to"].addresses[0].display_name == "王小明"
    assert received["from"].addresses[0].addr_spec == "desk@example.org"
    assert received["cc"].addresses[0].addr_spec == CC
    assert "bcc" not in {k.lower() for k in received}
    assert BCC.encode() not in envelope.content
    assert received["message-id"] and received["date"]
    assert "x-unsent" not in received

    # Structure: mixed > alternative (plain, html) + one part per attachment.
    assert received.get_content_type() == "multipart/mixed"
    parts = list(received.iter_parts())
    alternative, attachments = parts[0], parts[1:]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html = list(alternative.iter_parts())
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert "一、確保AI供應鏈的安全" in plain.get_content()
    assert "1. Securing the AI supply chain" in plain.get_content()
    assert '<div class="bg-doc-1" lang="zh-TW">' in html.get_content()
    assert '<div class="bg-doc-2" lang="en">' in html.get_content()

    # Attachments: byte-identical, right types, names exact (RFC 2231 and RFC 2047).
    expected = {**on_disk, ZH_NAME: chinese.read_bytes()}
    assert [a.get_filename() for a in attachments] == list(expected)
    for part in attachments:
        name = part.get_filename()
        assert part.get_content_disposition() == "attachment"
        assert part.get_payload(decode=True) == expected[name], name
        suffix = name.rsplit(".", 1)[1]
        assert part.get_content_type() == {"pdf": "application/pdf", "docx": DOCX_TYPE}[suffix]
    zh_part = attachments[-1]
    raw = {name.lower(): value for name, value in zh_part.raw_items()}  # as sent
    raw_type, raw_disposition = raw["content-type"], raw["content-disposition"]
    # RFC 2231 (continued over lines when long: filename*0*=utf-8''…; filename*1*=…).
    assert re.search(r"filename\*(0\*)?=utf-8''%E7%AC%AC6", raw_disposition)
    assert 'name="=?utf-8?b?' in raw_type
    found = re.search(r'\bname="([^"]*)"', raw_type)
    assert found is not None
    raw_name = found.group(1)  # RFC 2047 words, folded over lines
    assert raw_name.startswith("=?utf-8?b?") and "\n" in raw_name
    assert str(make_header(decode_header(raw_name))) == ZH_NAME
    assert zh_part["content-type"].params["name"] == ZH_NAME
    assert "name=" in raw_type
    print(f"  Chinese attachment headers:\n    Content-Type: {raw_type.strip()}")
    print(f"    Content-Disposition: {raw_disposition.strip()}")


# -- (b) STARTTLS and implicit TLS -----------------------------------------------------


def test_starttls_with_a_self_signed_certificate(outdir: Path, smtp_server, certificate) -> None:
    server = smtp_server(tls_context=_server_context(certificate), require_starttls=True)
    msg = _message(outdir)
    attempts = _send(msg, server, tls="starttls", ssl_context=_client_context(certificate)).attempts
    assert attempts == 1
    assert len(server.handler.received) == 1
    assert _parse(server.handler.received[0].content)["subject"] == ZH_SUBJECT


def test_starttls_refuses_an_untrusted_certificate(outdir: Path, smtp_server, certificate) -> None:
    server = smtp_server(tls_context=_server_context(certificate), require_starttls=True)
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match="not trusted") as info:
        _send(_message(outdir), server, tls="starttls", sleep=sleeps.append)
    assert info.value.exit_code == EXIT_CONNECT
    assert sleeps == [] and server.handler.received == []


def test_starttls_required_but_not_offered(outdir: Path, smtp_server) -> None:
    server = smtp_server()
    with pytest.raises(BriefgenError, match="does not offer STARTTLS") as info:
        _send(_message(outdir), server, tls="starttls")
    assert info.value.exit_code == EXIT_REFUSED
    assert server.handler.received == [] and server.connections == 1


def test_implicit_tls(outdir: Path, smtp_server, certificate) -> None:
    server = smtp_server(ssl_context=_server_context(certificate))
    assert _send(_message(outdir), server, tls="ssl", ssl_context=_client_context(certificate))
    assert len(server.handler.received) == 1


def test_clear_text_only_to_localhost(outdir: Path) -> None:
    with pytest.raises(BriefgenError, match="only allowed to localhost"):
        send_message(_message(outdir), [CC], SmtpSettings(host="smtp.example.org", tls="none"))
    with pytest.raises(BriefgenError, match="smtp host: control character"):
        send_message(_message(outdir), [CC], SmtpSettings(host="localhost\r\nX: 1", tls="none"))


# -- (c) AUTH --------------------------------------------------------------------------


class Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.calls = 0

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.calls += 1
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


AUTH_WARNING = "ignore:Requiring AUTH while not requiring TLS"


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_auth_with_the_password_from_the_environment(
    outdir: Path, smtp_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = Authenticator("desk", "s3cret-密碼")
    server = smtp_server(authenticator=auth, auth_required=True, auth_require_tls=False)
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-密碼")
    password = smtp_password("desk", "127.0.0.1")
    assert password == "s3cret-密碼"
    assert _send(_message(outdir), server, user="desk", password=password).attempts == 1
    assert len(server.handler.received) == 1 and auth.calls == 1


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_wrong_password_fails_at_once(
    outdir: Path, smtp_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = Authenticator("desk", "right")
    server = smtp_server(authenticator=auth, auth_required=True, auth_require_tls=False)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match="authentication failed: 535") as info:
        _send(
            _message(outdir), server, user="desk", password=smtp_password("desk", "127.0.0.1"),
            sleep=sleeps.append,
        )  # fmt: skip
    assert info.value.exit_code == EXIT_REFUSED
    # One connection (smtplib tries each offered mechanism, PLAIN then LOGIN), no retry.
    assert server.connections == 1 and sleeps == [] and server.handler.received == []


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_cli_send_with_login(
    workdir: Path, smtp_server, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    auth = Authenticator("desk", "pw")
    server = smtp_server(authenticator=auth, auth_required=True, auth_require_tls=False)
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    code, out, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--attach",
        "leadership/*/pdf", "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port),
        "--smtp-tls", "none", "--smtp-user", "desk",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("sent ") and "to 1 recipient(s) via 127.0.0.1:" in out
    received = _parse(server.handler.received[0].content)
    names = [p.get_filename() for p in received.iter_attachments()]
    assert names == ["eppd-6.leadership.zh-TW.pdf", "eppd-6.leadership.en.pdf"]
    assert received["subject"] == memo_email(workdir).subject


def test_no_password_anywhere_is_refused_before_connecting(
    workdir: Path, smtp_server, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    server = smtp_server()
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "keyring", None)  # as if keyring were not installed
    assert smtp_password("desk", "127.0.0.1") is None
    code, _, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--smtp-host", "127.0.0.1",
        "--smtp-port", str(server.port), "--smtp-tls", "none", "--smtp-user", "desk",
    )  # fmt: skip
    assert code == 2 and f"set {PASSWORD_ENV}" in err and err.count("\n") == 1
    assert server.connections == 0


def _send_options(**given: Any) -> dict[str, Any]:
    """The keyword arguments ``briefgen send`` hands ``send_settings`` (None: not given)."""
    names = ("smtp_host", "smtp_port", "smtp_tls", "smtp_user", "sender", "max_size")
    return {"template_dirs": (), **dict.fromkeys(names), **given}


def test_password_never_from_configuration(tmp_path: Path) -> None:
    config = tmp_path / "briefgen.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\npassword = "x"\n', encoding="utf-8")
    with pytest.raises(BriefgenError, match="'password' must not be in the config file"):
        load_settings(config=config, environ={})


def test_settings_defaults_and_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """defaults <- briefgen.toml [smtp] <- BRIEFGEN_SMTP_* <- the command line."""
    for name in ("HOST", "PORT", "TLS", "USER", "FROM", "MAX_SIZE"):
        monkeypatch.delenv(f"BRIEFGEN_SMTP_{name}", raising=False)
    defaults = send_settings(None, _send_options()).smtp
    assert (defaults.host, defaults.port, defaults.tls) == ("localhost", 587, "starttls")
    assert defaults.max_bytes == 20 * 1024 * 1024 and defaults.sender is None
    assert send_settings(None, _send_options(smtp_tls="ssl")).smtp.port == 465
    assert send_settings(None, _send_options(smtp_tls="none")).smtp.port == 25

    config = tmp_path / "briefgen.toml"
    config.write_text(
        '[smtp]\nhost = "mail.example.org"\nport = 2525\nfrom = "a@example.org"\n'
        "max_size = 5\nretries = 1\n",
        encoding="utf-8",
    )
    root = click.Context(click.Command("briefgen"), obj={"config": config})
    monkeypatch.setenv("BRIEFGEN_SMTP_USER", "desk")
    monkeypatch.setenv("BRIEFGEN_SMTP_HOST", "env.example.org")
    smtp = send_settings(root, _send_options(smtp_port=26, max_size=0.5)).smtp
    assert (smtp.host, smtp.port, smtp.sender, smtp.user) == (
        "env.example.org",  # the environment over the file
        26,  # the command line over the file
        "a@example.org",
        "desk",
    )
    assert smtp.max_bytes == 512 * 1024 and smtp.retries == 1

    config.write_text('[smtp]\nhots = "x"\n', encoding="utf-8")
    with pytest.raises(BriefgenError, match="unknown smtp setting 'hots'"):
        send_settings(root, _send_options())
    with pytest.raises(BriefgenError, match="--max-size must be positive"):
        send_settings(None, _send_options(max_size=0))


# -- (d) retries -----------------------------------------------------------------------


def test_transient_451_is_retried_with_backoff(outdir: Path, smtp_server) -> None:
    handler = Recorder(data_replies=["451 4.3.0 try again", "451 4.3.0 try again"])
    server = smtp_server(handler)
    sleeps: list[float] = []
    told: list[str] = []
    msg = _message(outdir)
    attempts = _send(msg, server, backoff=0.5, sleep=sleeps.append, log=told.append).attempts
    assert attempts == 3 and handler.data_calls == 3
    assert sleeps == [0.5, 1.0]
    where = f"127.0.0.1:{server.port}"
    assert told[0] == (
        f"{where}: not yet delivered to wang@example.tw: 451 4.3.0 try again; "
        f"cc@example.org: 451 4.3.0 try again; {BCC}: 451 4.3.0 try again; retrying in 0.5 s"
    )
    assert told[1].endswith("retrying in 1 s") and len(told) == 2
    assert len(handler.received) == 1


def test_transient_failures_give_up_after_the_retries(outdir: Path, smtp_server) -> None:
    handler = Recorder(data_replies=["451 4.3.0 try again"] * 10)
    server = smtp_server(handler)
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match=r"451 4\.3\.0 try again") as info:
        _send(_message(outdir), server, retries=2, sleep=sleeps.append)
    assert info.value.exit_code == EXIT_CONNECT
    assert "gave up after 3 attempts" in str(info.value)
    assert handler.data_calls == 3 and sleeps == [1.0, 2.0] and handler.received == []


def test_permanent_550_is_not_retried(outdir: Path, smtp_server) -> None:
    handler = Recorder(rcpt_reply="550 5.1.1 no such user")
    server = smtp_server(handler)
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match=r"550 5\.1\.1 no such user") as info:
        _send(_message(outdir), server, sleep=sleeps.append)
    assert info.value.exit_code == EXIT_REFUSED
    assert sleeps == [] and server.connections == 1 and handler.received == []


def test_connection_refused_is_retried_then_exit_6(outdir: Path) -> None:
    port = _free_port()  # nothing listens there
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match="could not connect") as info:
        _send_to(_message(outdir), [CC], port, retries=2, sleep=sleeps.append, timeout=5)
    assert info.value.exit_code == EXIT_CONNECT and sleeps == [1.0, 2.0]


def test_a_silent_server_times_out(outdir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)  # accepts connections, never says anything
        sleeps: list[float] = []
        with pytest.raises(BriefgenError, match="timed out") as info:
            _send_to(
                _message(outdir), [CC], listener.getsockname()[1], retries=1, timeout=0.3,
                sleep=sleeps.append,
            )  # fmt: skip
    assert info.value.exit_code == EXIT_CONNECT and sleeps == [1.0]


# -- (e) refused before any connection -------------------------------------------------


def test_oversize_is_refused_before_connecting(workdir: Path, smtp_server, capsys) -> None:
    server = smtp_server()
    code, _, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--max-size", "0.1",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none",
    )  # fmt: skip
    assert code == 2 and "over the limit of 0.1 MB" in err and err.count("\n") == 1
    with pytest.raises(BriefgenError, match="over the limit"):
        _send(_message(workdir), server, max_bytes=1000)
    assert server.connections == 0 and server.handler.received == []


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--subject", "Hello\r\nBcc: evil@example.com", "subject: control character U+000D"),
        ("--to", "a@example.org\r\nBcc: evil@example.com", "--to: control character U+000D"),
        ("--to", "a@example.org\nX-Evil: 1", "--to: control character U+000A"),
        ("--cc", "not an address", "--cc: 'not an address' is not a valid e-mail address"),
        ("--to", "alice@example.org)<bob@example.org>", "is not a valid e-mail address"),
        ("--from", "Eve <eve@example.org>\r\nBcc: x@y.org", "--from: control character"),
    ],
)
def test_header_injection_and_bad_addresses_are_refused(
    workdir: Path, smtp_server, capsys, option: str, value: str, message: str
) -> None:
    server = smtp_server()
    args = ["send", str(workdir), "--to", TO, "--from", SENDER, option, value]
    args += ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none"]
    code, out, err = _run(capsys, *args)
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 and out == ""
    assert server.connections == 0 and server.handler.received == []


# -- (f) dry run -----------------------------------------------------------------------


def test_dry_run_prints_envelope_and_parts_and_sends_nothing(
    workdir: Path, smtp_server, capsys
) -> None:
    server = smtp_server()
    code, out, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--cc", CC, "--bcc", BCC, "--from", SENDER,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none",
        "--dry-run",
    )  # fmt: skip
    assert code == 0, err
    print("\n" + out)
    lines = out.splitlines()
    assert lines[0] == "envelope from: desk@example.org"
    assert "envelope to:   wang@example.tw" in lines
    assert f"envelope to:   {BCC} (bcc)" in lines
    assert f"subject: {memo_email(workdir).subject}" in lines
    assert any(line.startswith("size: ") for line in lines)
    assert "      text/plain; charset=utf-8" in out and "      text/html; charset=utf-8" in out
    for name in _memo_files(workdir):
        assert any(name in line for line in lines), name
    assert "application/pdf  eppd-6.leadership.zh-TW.pdf" in out
    assert f"{DOCX_TYPE}  eppd-6.working.en.docx" in out
    assert "nothing was sent" in lines[-1]
    assert server.connections == 0 and server.handler.received == []


def test_attach_filter_that_matches_nothing(workdir: Path, capsys) -> None:
    code, _, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--attach", "boss/*/pdf",
        "--dry-run",
    )  # fmt: skip
    assert code == 2 and "matches no memo file" in err
    code, _, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--attach", "pdf", "--dry-run"
    )
    assert code == 2 and "expected audience/lang/format" in err


# -- (f) at most once per recipient: misbehaving servers -------------------------------


@dataclass
class PerRecipient(Recorder):
    """Refuses some recipients at RCPT: ``replies[address]`` is a list of replies used
    one per transaction (then 250)."""

    replies: dict[str, list[str]] = field(default_factory=dict)
    rcpt_seen: list[list[str]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpt_calls += 1
        if not envelope.rcpt_tos and (not self.rcpt_seen or self.rcpt_seen[-1]):
            self.rcpt_seen.append([])
        self.rcpt_seen[-1].append(address)
        queue = self.replies.get(address)
        if queue:
            return queue.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@dataclass
class LateReply(Recorder):
    """Takes the message, then answers only after ``delay`` seconds."""

    delay: float = 1.5

    async def handle_DATA(self, server, session, envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(self.delay)
        return reply


class HangUpAfterDot:
    """A small SMTP server (one thread, plain sockets) that reads a whole message up to
    its final dot, records it, and closes the connection without a reply."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.messages: list[bytes] = []
        self.connections = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn, conn.makefile("rb") as reader:
                conn.sendall(b"220 test ESMTP\r\n")
                while line := reader.readline():
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        conn.sendall(b"250 test\r\n")
                    elif verb == b"DATA":
                        conn.sendall(b"354 go ahead\r\n")
                        body = b""
                        while (chunk := reader.readline()) not in (b".\r\n", b""):
                            body += chunk
                        self.messages.append(body)
                        break  # hang up after the final dot, before any reply
                    elif verb == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        break
                    else:
                        conn.sendall(b"250 OK\r\n")

    def close(self) -> None:
        self.listener.close()


TWO = ["a@example.org", "b@example.org"]


def _send_two(msg: EmailMessage, port: int, **kw: Any) -> SendReport:
    return _send_to(msg, TWO, port, **kw)


def test_a_reply_after_the_timeout_is_not_answered_by_sending_again(
    outdir: Path, smtp_server
) -> None:
    handler = LateReply(delay=1.5)
    server = smtp_server(handler)
    sleeps: list[float] = []
    with pytest.raises(BriefgenError, match="may have been delivered") as info:
        _send_two(_message(outdir), server.port, timeout=0.5, sleep=sleeps.append)
    assert info.value.exit_code == EXIT_UNCERTAIN
    assert "not sent again" in str(info.value) and "time-out" in str(info.value)
    report = info.value.report  # type: ignore[attr-defined]
    assert set(report.uncertain) == set(TWO) and not report.accepted
    assert handler.data_calls == 1 and len(handler.received) == 1 and sleeps == []
    assert server.connections == 1


def test_a_server_that_hangs_up_after_the_final_dot_gets_the_message_once(
    outdir: Path, capsys, workdir: Path
) -> None:
    server = HangUpAfterDot()
    try:
        with pytest.raises(BriefgenError, match="closed the connection after the end") as info:
            _send_two(_message(outdir), server.port)
        assert info.value.exit_code == EXIT_UNCERTAIN
        assert len(server.messages) == 1 and server.connections == 1
        code, out, err = _run(
            capsys, "send", str(workdir), "--to", TO, "--from", SENDER, "--smtp-host",
            "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none",
        )  # fmt: skip
        assert code == EXIT_UNCERTAIN and "may have been delivered to wang@example.tw" in err
        assert err.count("\n") == 1 and out == ""
        assert len(server.messages) == 2 and server.connections == 2  # once per run
    finally:
        server.close()


def test_one_recipient_refused_550_the_other_gets_it_once(outdir: Path, smtp_server) -> None:
    handler = PerRecipient(replies={"b@example.org": ["550 5.1.1 no such user"]})
    server = smtp_server(handler)
    sleeps: list[float] = []
    with pytest.raises(BriefgenError) as info:
        _send_two(_message(outdir), server.port, sleep=sleeps.append)
    message = str(info.value)
    assert info.value.exit_code == EXIT_REFUSED
    assert "accepted for a@example.org" in message
    assert "refused b@example.org: 550 5.1.1 no such user" in message
    report = info.value.report  # type: ignore[attr-defined]
    assert list(report.accepted) == ["a@example.org"] and list(report.refused) == ["b@example.org"]
    assert [r.rcpt_tos for r in handler.received] == [["a@example.org"]]
    assert sleeps == [] and server.connections == 1


def test_a_4xx_recipient_is_retried_alone(outdir: Path, smtp_server, capsys) -> None:
    handler = PerRecipient(replies={"b@example.org": ["451 4.2.1 mailbox busy"] * 2})
    server = smtp_server(handler)
    sleeps: list[float] = []
    report = _send_two(_message(outdir), server.port, sleep=sleeps.append)
    assert report.attempts == 3 and sleeps == [1.0, 2.0]
    assert list(report.accepted) == TWO and not report.refused and not report.deferred
    # a@ was accepted in the first transaction and never offered again
    assert [r.rcpt_tos for r in handler.received] == [["a@example.org"], ["b@example.org"]]
    assert handler.rcpt_seen == [TWO, ["b@example.org"], ["b@example.org"]]
    assert "accepted: a@example.org (250 Message accepted for delivery)" in report.lines()


def test_a_4xx_recipient_that_stays_busy_is_reported_and_the_rest_delivered(
    outdir: Path, smtp_server
) -> None:
    handler = PerRecipient(replies={"b@example.org": ["451 4.2.1 mailbox busy"] * 10})
    server = smtp_server(handler)
    with pytest.raises(BriefgenError) as info:
        _send_two(_message(outdir), server.port, retries=2)
    assert info.value.exit_code == EXIT_CONNECT
    message = str(info.value)
    assert "accepted for a@example.org" in message
    assert "not delivered b@example.org: 451 4.2.1 mailbox busy" in message
    assert "gave up after 3 attempts" in message
    assert [r.rcpt_tos for r in handler.received] == [["a@example.org"]]


def test_cli_reports_each_recipient(workdir: Path, smtp_server, capsys) -> None:
    handler = PerRecipient(replies={CC: ["550 5.7.1 not allowed"]})
    server = smtp_server(handler)
    code, out, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--cc", CC, "--from", SENDER,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none",
    )  # fmt: skip
    assert code == EXIT_REFUSED and out == "" and err.count("\n") == 1
    assert "accepted for wang@example.tw" in err and f"refused {CC}: 550 5.7.1 not allowed" in err
    handler.replies.clear()
    code, out, err = _run(
        capsys, "send", str(workdir), "--to", TO, "--cc", CC, "--from", SENDER,
        "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-tls", "none",
    )  # fmt: skip
    assert code == 0, err
    assert "  accepted: wang@example.tw (250 " in out and f"  accepted: {CC} (250 " in out


@pytest.mark.parametrize(
    "name",
    [
        'memo.pdf"; x="y.pdf',
        "=?utf-8?b?5L2g5aW9?=.pdf",
        "=?UTF-8?Q?=E4=BD=A0?= 第6屆 memo with a long name, quotes \" and ; = '.pdf",
        "a;b=c.pdf",
    ],
)
def test_attachment_names_cannot_inject_or_be_shown_decoded(smtp_server, name: str) -> None:
    server = smtp_server()
    msg = build_message(
        subject="s", sender=SENDER, to=[TO], text_body="x",
        attachments=[(name, b"%PDF-1.7"), ("plain.pdf", b"%PDF")],
    )  # fmt: skip
    _send(msg, server)
    raw = server.handler.received[0].content
    for parsing in (policy.default, policy.compat32):
        received = email.message_from_bytes(raw, policy=parsing)
        parts = [p for p in received.walk() if p.get_content_maintype() == "application"]
        assert [p.get_filename() for p in parts] == [name, "plain.pdf"]
        for part in parts:  # no parameter besides the ones we wrote
            assert sorted(k for k, _ in part.get_params()[1:]) == ["name"]
            keys = sorted(k for k, _ in part.get_params(header="content-disposition")[1:])
            assert keys == ["filename"]
        shown = parts[0].get_param("name")
        if parsing is policy.compat32:
            shown = str(make_header(decode_header(str(shown))))
        assert shown == name
    assert b'x="y.pdf"' not in raw.replace(b'\\"', b"")
