"""E-mail the memos: build a MIME message, check it, send it over SMTP or save a draft.

``memo_email(output_dir)`` turns a build's output directory into the parts of a message:
a bilingual body re-rendered from ``brief.yaml`` (the **leadership** memo through the
normal templates, as text/plain and as text/html) and the memo files named in
``manifest.json`` as attachments. ``build_message`` assembles::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
      application/pdf ...        one part per attachment, base64

File names that are not ASCII are given twice, as RFC 2231 ``filename*=utf-8''…`` on
Content-Disposition and as RFC 2047 encoded words ``name="=?utf-8?b?…?="`` on
Content-Type (what older Outlook versions read); ``ascii_filenames=True`` gives ASCII names instead.
Bcc addresses never appear in a header: they are only envelope recipients.

Everything is checked before a connection is opened: addresses (parsed with
``email.utils.getaddresses`` and ``email.headerregistry``), control characters in the
subject, names, addresses and file names (header injection), and the size of the whole
message (default limit 20 MB). Attachment names are quoted and encoded by the email
package (a ``"`` stays inside the value; a name that looks like an encoded word is sent
RFC 2231 / RFC 2047-encoded as a whole, so it is shown as written, never decoded).

``send_message`` sends at most once per recipient. It retries transient failures
(connection refused, time-outs before the message was sent, 4xx replies) with
exponential back-off — a recipient refused with 4xx is retried alone, never one that
already accepted — and stops at once on permanent ones (5xx replies, failed
authentication). Once the end of DATA has been sent nothing is sent again: no reply
(time-out, closed connection) means "may have been delivered". Each recipient's outcome
is in the ``SendReport``. Exit codes of the ``BriefgenError``s raised:

====  =================================================================================
2     bad addresses, header injection, message too large, bad settings (nothing sent)
6     could not connect, or still a transient failure after the retries (e.g. 451)
7     the server refused: a 5xx reply, authentication failed, no STARTTLS or AUTH offered
      (for some or all recipients)
8     the message may have been delivered: the end of DATA was sent but no reply came
====  =================================================================================

The SMTP password is read only from the environment variable ``BRIEFGEN_SMTP_PASSWORD``
or, if the optional ``keyring`` package is installed, from the system keyring (service
``briefgen:<host>``, the SMTP user name): never from an option or a configuration file.
"""

from __future__ import annotations

import base64
import copy
import fnmatch
import hashlib
import ipaddress
import json
import os
import re
import smtplib
import socket
import ssl
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.header import Header
from email.headerregistry import (
    Address,
    ContentDispositionHeader,
    ContentTypeHeader,
    HeaderRegistry,
)
from email.message import EmailMessage
from email.utils import encode_rfc2231, format_datetime, getaddresses, make_msgid, quote
from pathlib import Path
from typing import Any, NamedTuple

from . import ir
from .errors import BriefgenError, InputError, OutputError
from .numbering import bullet_label, ordered_label
from .settings import Settings

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXIT_CONNECT",
    "EXIT_REFUSED",
    "EXIT_UNCERTAIN",
    "PASSWORD_ENV",
    "MemoEmail",
    "SendReport",
    "SmtpSettings",
    "build_message",
    "check_size",
    "describe_message",
    "document_text",
    "envelope_recipients",
    "memo_email",
    "message_bytes",
    "parse_addresses",
    "resolve_settings",
    "send_message",
    "smtp_password",
    "write_eml",
]

MB = 1024 * 1024
DEFAULT_MAX_MB = 20
DEFAULT_MAX_BYTES = DEFAULT_MAX_MB * MB
#: Exit code: could not connect, or transient failures outlasted the retries.
EXIT_CONNECT = 6
#: Exit code: the server refused (5xx reply, authentication, missing STARTTLS/AUTH).
EXIT_REFUSED = 7
#: Exit code: the end of the message was sent but no reply came (timed out, connection
#: closed): it may have been delivered, and is never sent again.
EXIT_UNCERTAIN = 8
PASSWORD_ENV = "BRIEFGEN_SMTP_PASSWORD"
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}

MIME_TYPES = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".html": ("text", "html"),
    ".htm": ("text", "html"),
    ".yaml": ("application", "yaml"),
    ".yml": ("application", "yaml"),
    ".json": ("application", "json"),
    ".txt": ("text", "plain"),
    ".tmx": ("application", "xml"),
    ".xlf": ("application", "xml"),
}

# -- Header safety ---------------------------------------------------------------------

_BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_char(text: str, *, bidi: bool = False) -> str | None:
    """The first control character (or line/paragraph separator) in ``text``."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or (bidi and char in _BIDI_CONTROLS):
            return char
    return None


def check_header_text(what: str, value: str, *, bidi: bool = False) -> str:
    """``value`` unchanged, or a one-line ``BriefgenError`` if it holds a control
    character (CR/LF would let it inject headers)."""
    char = _bad_char(value, bidi=bidi)
    if char is not None:
        raise InputError(
            f"{what}: control character U+{ord(char):04X} in {value!r} is not allowed "
            "(header injection)"
        )
    return value


# -- Addresses -------------------------------------------------------------------------

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_RE = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*$")
_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_LITERAL_RE = re.compile(r"^\[(?:IPv6:)?[0-9A-Fa-f:.]+\]$")


def _valid_addr_spec(addr: str) -> bool:
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain or len(addr) > 254 or len(local) > 64:
        return False
    if not _LOCAL_RE.match(local):
        return False
    if _LITERAL_RE.match(domain):
        try:
            ipaddress.ip_address(domain[1:-1].removeprefix("IPv6:"))
        except ValueError:
            return False
        return True
    return all(_LABEL_RE.match(label) for label in domain.split("."))


def parse_addresses(values: Iterable[str], what: str = "address") -> list[Address]:
    """Every address in ``values`` (each may hold several, comma-separated, with or
    without display names); a ``BriefgenError`` naming the bad one otherwise."""
    out: list[Address] = []
    for raw in values:
        check_header_text(what, raw)
        if not raw.strip():
            raise InputError(f"{what}: empty address")
        pairs = getaddresses([raw])
        try:
            parsed = email_policy.default.header_factory("To", raw)
            addresses = list(parsed.addresses)
            defects = list(parsed.defects)
        except Exception:  # the header parser raises odd errors on odd input
            addresses, defects = [], ["unparsable"]
        if defects or not addresses or len(addresses) != len(pairs):
            raise InputError(f"{what}: {raw!r} is not a valid e-mail address")
        for (name, addr), address in zip(pairs, addresses, strict=True):
            if addr != address.addr_spec or not _valid_addr_spec(addr):
                raise InputError(f"{what}: {raw!r} is not a valid e-mail address")
            try:
                out.append(Address(display_name=name, addr_spec=addr))
            except (ValueError, IndexError) as exc:
                raise InputError(f"{what}: {raw!r} is not a valid e-mail address ({exc})") from None
    return out


def _one_address(value: str, what: str) -> Address:
    found = parse_addresses([value], what)
    if len(found) != 1:
        raise InputError(f"{what}: give exactly one address, not {value!r}")
    return found[0]


def envelope_recipients(
    to: Iterable[str] = (), cc: Iterable[str] = (), bcc: Iterable[str] = ()
) -> list[str]:
    """The envelope recipients (To, Cc, then Bcc), each address once."""
    found = [
        *parse_addresses(to, "--to"),
        *parse_addresses(cc, "--cc"),
        *parse_addresses(bcc, "--bcc"),
    ]
    return list(dict.fromkeys(a.addr_spec for a in found))


# -- Attachments -----------------------------------------------------------------------


def mime_type(filename: str) -> tuple[str, str]:
    """``(maintype, subtype)`` of a file by its suffix (application/octet-stream else)."""
    return MIME_TYPES.get(Path(filename).suffix.lower(), ("application", "octet-stream"))


def _check_filename(name: str) -> str:
    check_header_text("attachment file name", name, bidi=True)
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise InputError(f"attachment file name: {name!r} is not a plain file name")
    return name


def ascii_filename(name: str, index: int, taken: set[str] | None = None) -> str:
    """An ASCII stand-in for ``name``: unchanged if ASCII, accents stripped if that is
    all it takes (``Résumé.pdf`` -> ``Resume.pdf``), else ``attachment-<index>.<ext>``."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    if stripped.isascii():
        candidate = re.sub(r'[\x00-\x1f"\\*?<>|:;]', "_", stripped)
    else:
        suffix = Path(name).suffix
        suffix = suffix if suffix.isascii() and re.fullmatch(r"\.[A-Za-z0-9]+", suffix) else ""
        candidate = f"attachment-{index}{suffix.lower()}"
    if taken is not None:
        stem, suffix = os.path.splitext(candidate)
        n = 2
        while candidate in taken:
            candidate = f"{stem}-{n}{suffix}"
            n += 1
        taken.add(candidate)
    return candidate


def _looks_encoded(value: str) -> bool:
    """Whether a reader would take part of ``value`` for an RFC 2047 encoded word."""
    return "=?" in value


def _encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 ``=?utf-8?b?…?=`` words (``email.header.Header``), to be
    decoded once by the reader — so a name that itself looks like an encoded word comes
    back as written."""
    encoded = Header(text, "utf-8", maxlinelen=60).encode(splitchars="", linesep="\n")
    return encoded.split()


def _rfc2231_sections(value: str, limit: int = 60) -> list[str]:
    """``value`` percent-encoded as RFC 2231 (``email.utils.encode_rfc2231``), cut into
    continuation sections of at most ``limit`` characters, never inside a ``%XX``."""
    encoded = encode_rfc2231(value, "utf-8")
    sections: list[str] = []
    while encoded:
        cut = min(limit, len(encoded))
        while cut < len(encoded) and "%" in encoded[max(0, cut - 2) : cut]:
            cut -= 1
        sections.append(encoded[:cut])
        encoded = encoded[cut:]
    return sections


class _SafeParamsMixin:
    """Folds a Content-Type or Content-Disposition header whose parameters need care.

    The email package writes an ASCII parameter as a quoted string, even one that looks
    like an RFC 2047 encoded word (``=?utf-8?b?5L2g?=.pdf``), which readers (Python's
    own parser among them) then show decoded; and it writes a non-ASCII ``name`` on
    Content-Type as RFC 2231, which older Outlook versions do not read. So a ``filename``
    that looks encoded is written RFC 2231 (percent-encoded: ``=`` and ``?`` stay
    literal), and a ``name`` that is not plain ASCII as RFC 2047 words of the whole
    name. Every value comes from the parsed header (already unquoted and decoded) and is
    encoded by the email package (``quote``, ``encode_rfc2231``, ``Header``), so a quote
    or semicolon in a file name stays inside its value.
    """

    name: str
    params: Mapping[str, str]

    def _main_value(self) -> str:
        raise NotImplementedError

    def fold(self, *, policy: Any) -> str:
        params = dict(self.params)
        legacy = self.name.lower() == "content-type"

        def special(key: str, value: str) -> bool:
            if legacy and key == "name":
                return not value.isascii() or _looks_encoded(value)
            return _looks_encoded(value)

        if not any(special(k, v) for k, v in params.items()):
            return super().fold(policy=policy)  # type: ignore[misc]
        lines = [f"{self.name}: {self._main_value()};"]
        pieces: list[list[str]] = []  # one per parameter, each a list of lines
        for key, value in params.items():
            if not special(key, value):
                pieces.append([f'{key}="{quote(value)}"'])
            elif legacy and key == "name":
                words = _encoded_words(value)
                if len(words) == 1:
                    pieces.append([f'{key}="{words[0]}"'])
                else:
                    pieces.append([f'{key}="{words[0]}', *words[1:-1], f'{words[-1]}"'])
            else:
                sections = _rfc2231_sections(value)
                if len(sections) == 1:
                    pieces.append([f"{key}*={sections[0]}"])
                else:
                    pieces += [[f"{key}*{i}*={section}"] for i, section in enumerate(sections)]
        for n, piece in enumerate(pieces):
            for i, line in enumerate(piece):
                end = ";" if i == len(piece) - 1 and n < len(pieces) - 1 else ""
                lines.append(f" {line}{end}")
        return policy.linesep.join(lines) + policy.linesep


class _SafeContentType(_SafeParamsMixin, ContentTypeHeader):
    def _main_value(self) -> str:
        return self.content_type


class _SafeContentDisposition(_SafeParamsMixin, ContentDispositionHeader):
    def _main_value(self) -> str:
        return self.content_disposition or "attachment"


def _header_factory() -> HeaderRegistry:
    registry = HeaderRegistry()
    registry.map_to_type("content-type", _SafeContentType)
    registry.map_to_type("content-disposition", _SafeContentDisposition)
    return registry


#: The policy messages are built with: SMTP (CRLF, 78 columns) plus the Content-Type above.
MAIL_POLICY = email_policy.SMTP.clone(header_factory=_header_factory())


# -- The message -----------------------------------------------------------------------


def build_message(
    *,
    subject: str,
    sender: str | None,
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    text_body: str,
    html_body: str | bytes | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    ascii_filenames: bool = False,
    date: datetime | str | None = None,
    message_id: str | None = None,
    draft: bool = False,
) -> EmailMessage:
    """A multipart/mixed message: multipart/alternative (text, html) then attachments.

    Bcc addresses are checked but never written into a header (pass them to
    ``send_message`` as envelope recipients). Unless ``draft``, Date and Message-ID are
    filled in when not given; a ``draft`` gets ``X-Unsent: 1`` (Outlook, Thunderbird and
    Apple Mail open it as a message to edit and send) and no Date/Message-ID unless given.
    """
    check_header_text("subject", subject)
    from_address = _one_address(sender, "--from") if sender else None
    to_addresses = parse_addresses(to, "--to")
    cc_addresses = parse_addresses(cc, "--cc")
    parse_addresses(bcc, "--bcc")
    names = [_check_filename(name) for name, _ in attachments]
    if message_id is not None:
        check_header_text("Message-ID", message_id)

    msg = EmailMessage(policy=MAIL_POLICY)
    if from_address is not None:
        msg["From"] = from_address
    if to_addresses:
        msg["To"] = to_addresses
    if cc_addresses:
        msg["Cc"] = cc_addresses
    msg["Subject"] = subject
    if date is None and not draft:
        date = datetime.now().astimezone()
    if date is not None:
        msg["Date"] = date if isinstance(date, str) else format_datetime(date)
    if message_id is None and not draft:
        domain = from_address.domain if from_address is not None else "briefgen.invalid"
        message_id = make_msgid("briefgen", domain=domain)
    if message_id is not None:
        msg["Message-ID"] = message_id
    if draft:
        msg["X-Unsent"] = "1"

    msg.set_content(text_body, subtype="plain", charset="utf-8")
    if html_body is not None:
        html = html_body.decode("utf-8") if isinstance(html_body, bytes) else html_body
        msg.add_alternative(html, subtype="html", charset="utf-8")
    msg.make_mixed()
    taken: set[str] = set()
    for index, ((_, data), name) in enumerate(zip(attachments, names, strict=True), start=1):
        shown = ascii_filename(name, index, taken) if ascii_filenames else name
        _attach(msg, shown, data)
    _set_boundaries(msg)
    return msg


def _attach(msg: EmailMessage, filename: str, data: bytes) -> None:
    """Add an attachment; its name is quoted and encoded by the email package (see
    ``_SafeParamsMixin``), never pasted into a header."""
    maintype, subtype = mime_type(filename)
    params = {"charset": "utf-8"} if maintype == "text" else None
    # Given as RFC 2231 when it looks encoded, so the parser keeps it literally.
    literal = ("utf-8", "", filename) if _looks_encoded(filename) else filename
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=literal, params=params)
    part = msg.get_payload()[-1]
    del part["MIME-Version"]
    plain = filename.isascii() and not _looks_encoded(filename)
    part.set_param("name", filename if plain else ("utf-8", "", filename), header="Content-Type")


def _leaves(msg: EmailMessage) -> Iterable[EmailMessage]:
    for part in msg.walk():
        if not part.is_multipart():
            yield part


def _set_boundaries(msg: EmailMessage) -> None:
    """Boundaries derived from the content, so equal drafts are equal bytes."""
    digest = hashlib.sha256()
    payloads = [str(part.get_payload()) for part in _leaves(msg)]
    for payload in payloads:
        digest.update(payload.encode("utf-8", "surrogateescape"))
    token = digest.hexdigest()[:24]
    for depth, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        boundary = f"=_briefgen_{depth}_{token}"
        if not any(boundary in payload for payload in payloads):
            part.set_boundary(boundary)


def message_bytes(msg: EmailMessage, *, drop_bcc: bool = True) -> bytes:
    """The message as sent (CRLF line ends), without a Bcc header."""
    if drop_bcc and "Bcc" in msg:
        msg = copy.copy(msg)
        del msg["Bcc"]
    return msg.as_bytes(policy=MAIL_POLICY)


def check_size(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a message larger than ``max_bytes`` (before any connection)."""
    if len(data) > max_bytes:
        raise InputError(
            f"the message is {len(data) / MB:.1f} MB, over the limit of {max_bytes / MB:.3g} MB "
            "(attach fewer files with --attach, e.g. leadership/*/pdf, or raise --max-size)"
        )


def describe_message(msg: EmailMessage) -> list[str]:
    """One line per MIME part, indented by depth: type, file name, decoded size."""
    lines: list[str] = []

    def walk(part: EmailMessage, depth: int) -> None:
        kind = part.get_content_type()
        pad = "  " * depth
        if part.is_multipart():
            lines.append(f"{pad}{kind}")
            for child in part.iter_parts():
                walk(child, depth + 1)
            return
        size = len(part.get_payload(decode=True) or b"")
        filename = part.get_filename()
        charset = part.get_content_charset()
        label = f"{kind}; charset={charset}" if charset and not filename else kind
        shown = f"  {filename}" if filename else ""
        lines.append(f"{pad}{label}{shown} ({size:,} bytes)")

    walk(msg, 0)
    return lines


# -- Settings and password -------------------------------------------------------------


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str = "localhost"
    port: int = 587
    tls: str = "starttls"
    user: str | None = None
    sender: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0


#: Keys a configuration table (e.g. ``[smtp]`` in briefgen.toml) may set.
CONFIG_KEYS = ("host", "port", "tls", "user", "from", "max_size", "timeout", "retries", "backoff")
#: Command-line value name -> configuration key.
_OPTION_KEYS = {
    "smtp_host": "host",
    "smtp_port": "port",
    "smtp_tls": "tls",
    "smtp_user": "user",
    "sender": "from",
    "max_size": "max_size",
}


def resolve_settings(
    options: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> SmtpSettings:
    """Settings from command-line ``options`` (``smtp_host``, ``smtp_port``, ``smtp_tls``,
    ``smtp_user``, ``sender``, ``max_size`` in MB; None = not given) over ``defaults`` (a
    configuration table with the keys of ``CONFIG_KEYS``) over the built-in defaults:
    localhost, STARTTLS, port 587 (465 for ssl, 25 for none), 20 MB."""
    defaults = dict(defaults or {})
    if any(k.lower() in ("password", "pass", "smtp_password") for k in defaults):
        raise BriefgenError(
            f"the SMTP password cannot be set in a configuration file; set {PASSWORD_ENV} "
            "or store it in the system keyring"
        )
    unknown = sorted(set(defaults) - set(CONFIG_KEYS))
    if unknown:
        raise BriefgenError(
            f"smtp settings: unknown key {unknown[0]!r} (known: {', '.join(CONFIG_KEYS)})"
        )
    merged: dict[str, Any] = dict(defaults)
    for option, key in _OPTION_KEYS.items():
        if options.get(option) is not None:
            merged[key] = options[option]
    tls = str(merged.get("tls") or "starttls").lower()
    if tls not in TLS_MODES:
        raise BriefgenError(f"smtp tls must be one of {', '.join(TLS_MODES)}, not {tls!r}")
    host = str(merged.get("host") or "localhost")
    check_header_text("smtp host", host)
    try:
        port = int(merged.get("port") or DEFAULT_PORTS[tls])
        max_mb = float(merged.get("max_size") or DEFAULT_MAX_MB)
        timeout = float(merged.get("timeout") or 30)
        retries = int(merged.get("retries") if merged.get("retries") is not None else 3)
        backoff = float(merged.get("backoff") if merged.get("backoff") is not None else 1.0)
    except (TypeError, ValueError) as exc:
        raise BriefgenError(f"smtp settings: {exc}") from None
    if not 0 < port < 65536:
        raise BriefgenError(f"smtp port must be 1-65535, not {port}")
    if max_mb <= 0 or timeout <= 0 or retries < 0 or backoff < 0:
        raise BriefgenError("smtp settings: max size and timeout must be positive")
    sender = merged.get("from")
    user = merged.get("user")
    return SmtpSettings(
        host=host,
        port=port,
        tls=tls,
        user=str(user) if user else None,
        sender=str(sender) if sender else None,
        max_bytes=round(max_mb * MB),
        timeout=timeout,
        retries=retries,
        backoff=backoff,
    )


def smtp_password(user: str, host: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The password for ``user`` at ``host``: ``BRIEFGEN_SMTP_PASSWORD``, else the system
    keyring (service ``briefgen:<host>``) if the ``keyring`` package is installed."""
    env = os.environ if environ is None else environ
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    try:
        import keyring  # type: ignore[import-not-found]  # optional, never a dependency
    except ImportError:
        return None
    try:
        return keyring.get_password(f"briefgen:{host}", user)
    except Exception:  # no usable keyring backend: same as no password stored
        return None


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# -- Sending ---------------------------------------------------------------------------


class _Failure(Exception):
    def __init__(self, message: str, exit_code: int, transient: bool) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.transient = transient


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _classify(exc: BaseException, where: str, tls: str, port: int) -> _Failure:
    """Whether a failure is worth retrying, with its message and exit code."""
    if isinstance(exc, _Failure):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return _Failure(f"{where}: authentication failed: {reply}", EXIT_REFUSED, False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = {rcpt: _reply(code, text) for rcpt, (code, text) in exc.recipients.items()}
        transient = all(400 <= code < 500 for code, _ in exc.recipients.values())
        listed = "; ".join(f"{rcpt}: {reply}" for rcpt, reply in replies.items())
        code = EXIT_CONNECT if transient else EXIT_REFUSED
        return _Failure(f"{where} refused the recipients: {listed}", code, transient)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        if 400 <= exc.smtp_code < 500:
            return _Failure(f"{where}: temporary failure: {reply}", EXIT_CONNECT, True)
        if 500 <= exc.smtp_code < 600:
            return _Failure(f"{where} refused the message: {reply}", EXIT_REFUSED, False)
        return _Failure(f"{where}: unexpected reply: {reply}", EXIT_CONNECT, True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        detail = str(exc)
        if "timed out" in detail:
            return _Failure(f"{where}: timed out waiting for the server", EXIT_CONNECT, True)
        shown = f" ({detail})" if detail else ""
        return _Failure(f"{where}: the server closed the connection{shown}", EXIT_CONNECT, True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return _Failure(f"{where}: {exc}", EXIT_REFUSED, False)
    if isinstance(exc, smtplib.SMTPException):
        return _Failure(f"{where}: {exc}", EXIT_REFUSED, False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Failure(
            f"{where}: the server's TLS certificate is not trusted: {exc.verify_message}",
            EXIT_CONNECT,
            False,
        )
    if isinstance(exc, ssl.SSLError):
        hint = f" (is --smtp-tls {tls} right for port {port}? 465 is ssl, 587 starttls)"
        return _Failure(f"{where}: TLS failed: {exc.reason or exc}{hint}", EXIT_CONNECT, False)
    if isinstance(exc, socket.gaierror):
        return _Failure(f"{where}: cannot resolve the host name: {exc}", EXIT_CONNECT, False)
    if isinstance(exc, TimeoutError):
        return _Failure(f"{where}: timed out", EXIT_CONNECT, True)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return _Failure(f"{where}: could not connect: {reason}", EXIT_CONNECT, True)
    raise exc


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    """``smtp.login``, except that non-ASCII credentials (which smtplib cannot encode) go
    as UTF-8 through AUTH PLAIN (RFC 4616)."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" not in mechanisms:
        raise _Failure(
            f"{where}: a non-ASCII user name or password needs AUTH PLAIN, which the server "
            "does not offer",
            EXIT_REFUSED,
            False,
        )
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


class _Uncertain(Exception):
    """The end of DATA was sent but no reply came: the message may have been delivered."""


class _OnceSMTP(smtplib.SMTP):
    """An SMTP client whose DATA command records when the final dot has been sent, so a
    failure after it is known to be one that must not be retried."""

    end_of_data_sent = False

    def data_once(self, data: bytes) -> tuple[int, bytes]:
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        payload = re.sub(rb"(?m)^\.", b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        self.send(payload + b".\r\n")
        self.end_of_data_sent = True
        return self.getreply()


class _OnceSMTPSSL(_OnceSMTP, smtplib.SMTP_SSL):
    pass


@dataclass
class SendReport:
    """What happened to each envelope recipient of ``send_message``."""

    attempts: int = 0
    #: recipient -> the server's reply to the end of DATA (250 …)
    accepted: dict[str, str] = field(default_factory=dict)
    #: recipient -> the 5xx reply that refused it (RCPT or DATA)
    refused: dict[str, str] = field(default_factory=dict)
    #: recipient -> the last temporary failure (4xx, connection) after the retries
    deferred: dict[str, str] = field(default_factory=dict)
    #: recipient -> why: the end of DATA was sent but no reply came
    uncertain: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.uncertain:
            return EXIT_UNCERTAIN
        if self.refused:
            return EXIT_REFUSED
        if self.deferred:
            return EXIT_CONNECT
        return 0

    def lines(self) -> list[str]:
        """One line per recipient: ``accepted  a@example.org  250 OK``."""
        out = []
        for label, found in (
            ("accepted", self.accepted),
            ("may have been delivered", self.uncertain),
            ("refused", self.refused),
            ("not delivered (temporary failure)", self.deferred),
        ):
            out += [f"{label}: {rcpt} ({reply})" for rcpt, reply in found.items()]
        return out

    def summary(self, where: str) -> str:
        """The outcome in one line (the error message when not every recipient took it)."""
        parts = []
        if self.uncertain:
            reason = next(iter(self.uncertain.values()))
            parts.append(
                f"the message may have been delivered to {', '.join(self.uncertain)}: {reason}; "
                "it was not sent again (ask the recipients before sending it once more)"
            )
        if self.accepted:
            parts.append(f"accepted for {', '.join(self.accepted)}")
        if self.refused:
            parts.append(
                "refused " + "; ".join(f"{rcpt}: {reply}" for rcpt, reply in self.refused.items())
            )
        if self.deferred:
            parts.append(
                "not delivered "
                + "; ".join(f"{rcpt}: {reply}" for rcpt, reply in self.deferred.items())
            )
        tries = f" (gave up after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{where}: " + "; ".join(parts) + (tries if self.deferred else "")


def send_message(
    msg: EmailMessage,
    envelope_to: Sequence[str],
    *,
    host: str,
    port: int,
    tls: str = "starttls",
    user: str | None = None,
    password: str | None = None,
    timeout: float = 30,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    envelope_from: str | None = None,
    log: Callable[[str], None] | None = None,
) -> SendReport:
    """Send ``msg`` to ``envelope_to`` at most once per recipient; return what happened
    to each (``SendReport``) when every recipient accepted it, else raise a
    ``BriefgenError`` whose ``report`` attribute holds the same.

    ``tls``: ``starttls`` (the server must offer it), ``ssl`` (implicit TLS), or ``none``
    (only to localhost). Temporary failures are retried ``retries`` times, waiting
    ``backoff``, 2×``backoff``, 4×``backoff``… seconds — only for the recipients they
    concern (a recipient refused with 4xx is retried alone, never one that accepted the
    message); permanent ones (5xx, authentication) are not retried. Once the end of DATA
    has been sent nothing is sent again: a connection that times out or closes before
    the server's reply leaves those recipients "may have been delivered" (exit code 8).
    """
    if tls not in TLS_MODES:
        raise BriefgenError(f"--smtp-tls must be one of {', '.join(TLS_MODES)}, not {tls!r}")
    if tls == "none" and not is_loopback(host):
        raise BriefgenError(
            f"--smtp-tls none sends in clear text and is only allowed to localhost, not "
            f"{host!r}; use starttls or ssl"
        )
    if envelope_from is None:
        senders = parse_addresses([str(msg["From"])], "From") if msg["From"] else []
        if not senders:
            raise InputError("no sender: give --from ADDRESS")
        envelope_from = senders[0].addr_spec
    recipients = list(dict.fromkeys(a.addr_spec for a in parse_addresses(envelope_to, "recipient")))
    if not recipients:
        raise InputError("no recipients: give --to ADDRESS")
    data = message_bytes(msg)
    check_size(data, max_bytes)
    if user and password is None:
        raise BriefgenError(
            f"no SMTP password for {user!r}: set {PASSWORD_ENV} (or store it in the system "
            f"keyring, service 'briefgen:{host}')"
        )
    where = f"{host}:{port}"
    context = ssl_context
    if tls != "none" and context is None:
        context = ssl.create_default_context()
    report = SendReport()

    def attempt(pending: list[str]) -> dict[str, tuple[int, str]]:
        """One connection: the pending recipients' results (code, reply); raises
        ``_Uncertain`` once the end of DATA is sent without a reply, other exceptions
        when nothing was delivered."""
        if tls == "ssl":
            smtp: _OnceSMTP = _OnceSMTPSSL(host, port, timeout=timeout, context=context)
        else:
            smtp = _OnceSMTP(host, port, timeout=timeout)
        try:
            smtp.ehlo()
            if tls == "starttls":
                if not smtp.has_extn("starttls"):
                    raise _Failure(
                        f"{where} does not offer STARTTLS (use --smtp-tls ssl for an "
                        "implicit-TLS port, or a server that supports STARTTLS)",
                        EXIT_REFUSED,
                        False,
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if user:
                if not smtp.has_extn("auth"):
                    raise _Failure(
                        f"{where} does not offer AUTH; cannot log in as {user!r}",
                        EXIT_REFUSED,
                        False,
                    )
                _login(smtp, user, password or "", where)
            options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
            code, reply = smtp.mail(envelope_from, options)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
            results: dict[str, tuple[int, str]] = {}
            for rcpt in pending:
                code, reply = smtp.rcpt(rcpt)
                if code == 421:
                    raise smtplib.SMTPResponseException(code, reply)
                results[rcpt] = (code, _reply(code, reply))
            taking = [r for r, (code, _) in results.items() if code in (250, 251)]
            if not taking:
                smtp.rset()
                return results
            try:
                code, reply = smtp.data_once(data)
            except (OSError, smtplib.SMTPException) as exc:
                if not smtp.end_of_data_sent:
                    raise
                why = (
                    "no reply before the time-out after the end of the message"
                    if "timed out" in str(exc) or isinstance(exc, TimeoutError)
                    else "the server closed the connection after the end of the message, "
                    "before its reply"
                )
                refused = {r: result for r, result in results.items() if r not in taking}
                raise _Uncertain(why, taking, refused) from None
            for rcpt in taking:
                results[rcpt] = (code, _reply(code, reply))
            return results
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    pending = list(recipients)
    while pending:
        report.attempts += 1
        try:
            results = attempt(pending)
        except _Uncertain as exc:
            why, taken, results = exc.args
            for rcpt in taken:  # never sent again
                report.deferred.pop(rcpt, None)
                report.uncertain[rcpt] = why
        except (OSError, _Failure) as exc:  # smtplib.SMTPException is an OSError
            failure = _classify(exc, where, tls, port)
            if not failure.transient:
                if not report.accepted and not report.uncertain:
                    raise _error(str(failure), failure.exit_code, report) from None
                report.refused.update(dict.fromkeys(pending, str(failure)))
                for rcpt in pending:
                    report.deferred.pop(rcpt, None)
                break
            results = {rcpt: (0, str(failure)) for rcpt in pending}
        retry: list[str] = []
        for rcpt, (code, reply) in results.items():
            report.deferred.pop(rcpt, None)
            if 200 <= code < 300:
                report.accepted[rcpt] = reply
            elif 500 <= code < 600:
                report.refused[rcpt] = reply
            else:  # 4xx, or a temporary failure of the connection before the end of DATA
                report.deferred[rcpt] = reply
                retry.append(rcpt)
        pending = retry
        if pending and report.attempts <= retries:
            delay = backoff * 2 ** (report.attempts - 1)
            if log is not None:
                listed = "; ".join(f"{r}: {report.deferred[r]}" for r in pending)
                log(f"{where}: not yet delivered to {listed}; retrying in {delay:g} s")
            sleep(delay)
        else:
            break
    if report.exit_code:
        if not report.accepted and not report.uncertain and not report.refused:
            reply = next(iter(report.deferred.values()))
            suffix = f" (gave up after {report.attempts} attempts)" if report.attempts > 1 else ""
            failed = reply if reply.startswith(where) else f"{where}: temporary failure: {reply}"
            raise _error(failed + suffix, EXIT_CONNECT, report)
        raise _error(report.summary(where), report.exit_code, report)
    return report


def _error(message: str, exit_code: int, report: SendReport) -> BriefgenError:
    error = BriefgenError(message, exit_code=exit_code)
    error.report = report  # type: ignore[attr-defined]
    return error


# -- IR to plain text ------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _inline_text(nodes: Sequence[ir.Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, ir.Text):
            out.append(node.text)
        elif isinstance(node, ir.LineBreak):
            out.append("\n")
        elif isinstance(node, ir.Link):
            text = _inline_text(node.children)
            href = node.href.strip()
            shown = href.removeprefix("mailto:")
            out.append(
                text if not href or href.startswith("#") or shown in text else f"{text} <{href}>"
            )
        elif isinstance(node, ir.Note):
            out.append(f" [{_inline_text(node.children)}]")
        elif isinstance(node, ir.Strong | ir.Emph | ir.Span):
            out.append(_inline_text(node.children))
    return "".join(out)


class _TextWriter:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []

    def emit(self, text: str, first: str, rest: str) -> None:
        for i, line in enumerate(text.split("\n")):
            self.lines.append(((first if i == 0 else rest) + line).rstrip())

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def blocks(self, blocks: Sequence[ir.Block], indent: str, depth: int, compact: bool) -> None:
        for block in blocks:
            self.block(block, indent, depth, compact)

    def block(self, block: ir.Block, indent: str, depth: int, compact: bool) -> None:
        if isinstance(block, ir.Heading):
            self.blank()
            text = _inline_text(block.children)
            self.emit(text, indent, indent)
            if block.level <= 2:
                self.lines.append(indent + ("=" if block.level == 1 else "-") * _width(text))
            self.blank()
        elif isinstance(block, ir.Para):
            self.emit(_inline_text(block.children), indent, indent)
            if not compact:
                self.blank()
        elif isinstance(block, ir.OrderedList | ir.BulletList):
            self.list_(block, indent, depth)
            if not compact:
                self.blank()
        elif isinstance(block, ir.DefinitionList):
            for term, body in block.items:
                self.emit(_inline_text(term), indent, indent)
                self.blocks(body, indent + "    ", depth, True)
            if not compact:
                self.blank()
        elif isinstance(block, ir.Table):
            self.table(block, indent)
            if not compact:
                self.blank()
        elif isinstance(block, ir.BlockQuote):
            self.blocks(block.blocks, indent + "> ", depth, compact)
        elif isinstance(block, ir.Rule):
            self.blank()
            self.lines.append(indent + "-" * 40)
            self.blank()
        elif isinstance(block, ir.PageBreak):
            self.blank()
        elif isinstance(block, ir.Div):
            self.blocks(block.blocks, indent, depth, compact)

    def list_(self, block: ir.OrderedList | ir.BulletList, indent: str, depth: int) -> None:
        ordered = isinstance(block, ir.OrderedList)
        start = block.start if isinstance(block, ir.OrderedList) else 1
        for i, item in enumerate(block.items):
            label = (
                ordered_label(self.lang, depth, start + i)
                if ordered
                else bullet_label(self.lang, depth)
            )
            # Full-width labels (一、 （一）) carry their own space; 1. and • need one.
            if _width(label[-1]) == 1:
                label += " "
            hang = indent + " " * _width(label)
            blocks = list(item.blocks)
            first = blocks.pop(0) if blocks and isinstance(blocks[0], ir.Para) else None
            self.emit(_inline_text(first.children) if first else "", indent + label, hang)
            self.blocks(blocks, hang, depth + (1 if ordered else 0), True)

    def table(self, block: ir.Table, indent: str) -> None:
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                texts = [
                    _inline_text(b.children).replace("\n", " ")
                    for b in cell.blocks
                    if isinstance(b, ir.Para | ir.Heading)
                ]
                cells.append(" ".join(t for t in texts if t))
            rows.append(" | ".join(cells))
        for i, line in enumerate(rows):
            self.lines.append((indent + line).rstrip())
            if block.header_rows and i == block.header_rows - 1:
                width = min(max((_width(r) for r in rows), default=0), 72)
                self.lines.append(indent + "-" * width)


def document_text(doc: ir.Document) -> str:
    """A plain-text rendering of ``doc``: headings (underlined), paragraphs, lists with
    the language's labels (一、 （一） / 1. a.), tables as ``cell | cell`` lines."""
    writer = _TextWriter(doc.meta.lang)
    writer.blocks(doc.blocks, "", 0, False)
    lines = writer.lines
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# -- From an output directory ----------------------------------------------------------


class MemoEmail(NamedTuple):
    """What ``memo_email`` returns."""

    subject: str
    text_body: str
    html_body: str
    attachments: list[tuple[str, bytes]]


def parse_filter(pattern: str) -> tuple[str, str, str]:
    """``audience/lang/format`` (``*`` wildcards) as a triple."""
    check_header_text("--attach", pattern)
    parts = pattern.split("/")
    if len(parts) != 3 or not all(parts):
        raise InputError(
            f"--attach {pattern!r}: expected audience/lang/format, e.g. leadership/*/pdf"
        )
    return parts[0], parts[1], parts[2]


def _manifest(output_dir: Path) -> list[dict[str, Any]]:
    path = output_dir / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{output_dir}: not a briefgen output directory (no manifest.json)"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read manifest: {exc}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise InputError(f"{path}: not a briefgen manifest")
    return [f for f in files if isinstance(f, dict)]


def memo_files(
    output_dir: Path, filters: Sequence[str] | None = None
) -> list[tuple[dict[str, Any], Path]]:
    """The memo files of the manifest selected by ``filters`` (all when None/empty), each
    checked against its recorded size and SHA-256."""
    entries = [e for e in _manifest(output_dir) if e.get("kind") == "memo"]
    patterns = [parse_filter(f) for f in filters or ()]
    selected = []
    for pattern, raw in zip(patterns, filters or (), strict=True):
        if not any(_matches(e, pattern) for e in entries):
            raise InputError(f"--attach {raw!r} matches no memo file in {output_dir}")
    for entry in entries:
        if patterns and not any(_matches(entry, p) for p in patterns):
            continue
        name = str(entry.get("name", ""))
        if not name or Path(name).name != name:
            raise InputError(f"{output_dir}/manifest.json: bad file name {name!r}")
        path = output_dir / name
        selected.append((entry, path))
    return selected


def _matches(entry: Mapping[str, Any], pattern: tuple[str, str, str]) -> bool:
    values = (entry.get("audience") or "", entry.get("lang") or "", entry.get("format") or "")
    return all(fnmatch.fnmatchcase(str(v), p) for v, p in zip(values, pattern, strict=True))


def _read_checked(entry: Mapping[str, Any], path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    expected = entry.get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise InputError(f"{path}: changed since it was built (SHA-256 differs from manifest.json)")
    return data


def memo_email(
    output_dir: Path,
    *,
    lang_order: Sequence[str] = ("zh-TW", "en"),
    filters: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> MemoEmail:
    """Subject, text and HTML bodies (the leadership memo, re-rendered from
    ``brief.yaml``, in each language one after the other) and the attachments (memo files
    of ``manifest.json`` matching ``filters`` such as ``leadership/*/pdf``; all memo
    files by default) for the build in ``output_dir``. The body is rendered with the same
    ``settings`` as the attachments (templates, date style, organisation, classification).
    """
    from .model import load_brief
    from .render import render
    from .render.sheets import memo_stylesheet
    from .writers.html import write_html_multi

    output_dir = Path(output_dir)
    selected = memo_files(output_dir, filters)
    attachments = [(path.name, _read_checked(entry, path)) for entry, path in selected]
    built_langs = {str(e.get("lang")) for e in _manifest(output_dir) if e.get("kind") == "memo"}
    langs = [lang for lang in lang_order if lang in built_langs] or list(lang_order)
    brief = load_brief(output_dir / "brief.yaml")
    settings = settings if settings is not None else Settings()
    docs = []
    for lang in langs:
        sheet = memo_stylesheet(settings, lang, "leadership")
        doc = render(brief, "leadership", lang, settings, sheet=sheet)
        docs.append((doc, memo_stylesheet(settings, lang)))
    titles = list(dict.fromkeys(doc.meta.title for doc, _ in docs))
    subject = " / ".join(titles)
    text_parts = [document_text(doc) for doc, _ in docs]
    text_body = ("\n" + "=" * 40 + "\n\n").join(text_parts)
    html_body = write_html_multi(docs, title=subject, lang=langs[0]).decode("utf-8")
    return MemoEmail(subject, text_body, html_body, attachments)


def draft_name(output_dir: Path) -> str:
    """``<slug>.eml``: the memo files' common name up to the first dot (``eppd-6``), else
    ``briefing``."""
    names = [str(e.get("name", "")) for e in _manifest(output_dir) if e.get("kind") == "memo"]
    stems = {name.split(".", 1)[0] for name in names}
    stem = stems.pop() if len(stems) == 1 else ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")
    return f"{stem or 'briefing'}.eml"


def write_eml(
    output_dir: Path,
    *,
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    sender: str | None = None,
    subject: str | None = None,
    filters: Sequence[str] | None = None,
    ascii_filenames: bool = False,
    lang_order: Sequence[str] = ("zh-TW", "en"),
    settings: Settings | None = None,
    max_bytes: int | None = None,
) -> Path:
    """Write ``<slug>.eml`` into ``output_dir``: the memo e-mail as an unsent draft
    (``X-Unsent: 1``, no Bcc, no Date or Message-ID, so equal builds give equal bytes)."""
    output_dir = Path(output_dir)
    content = memo_email(
        output_dir,
        lang_order=lang_order,
        filters=filters,
        settings=settings,
    )
    msg = build_message(
        subject=subject if subject is not None else content.subject,
        sender=sender,
        to=to,
        cc=cc,
        text_body=content.text_body,
        html_body=content.html_body,
        attachments=content.attachments,
        ascii_filenames=ascii_filenames,
        draft=True,
    )
    data = message_bytes(msg)
    if max_bytes is not None:
        check_size(data, max_bytes)
    path = output_dir / draft_name(output_dir)
    from .deliver import atomic_write

    try:
        atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
