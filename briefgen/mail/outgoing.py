"""The memo e-mail of an output folder, addressed and ready to send: what ``briefgen
send`` and the web app's send button share (one implementation of the checks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from ..errors import BriefgenError, InputError
from ..settings import Settings
from .addresses import envelope_recipients, parse_addresses
from .delivery import SendReport, send_message, smtp_password
from .message import build_message, check_size, memo_email, message_bytes


@dataclass
class Outgoing:
    """A built message with its envelope: ``data`` is what goes on the wire."""

    msg: EmailMessage
    data: bytes
    envelope_from: str
    envelope_to: list[str]
    bcc: set[str] = field(default_factory=set)


def outgoing_memos(
    output_dir: Path,
    settings: Settings,
    *,
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    subject: str | None = None,
    attach: Sequence[str] | None = None,
    ascii_filenames: bool = False,
) -> Outgoing:
    """The memo e-mail of ``output_dir`` (see ``memo_email``) addressed to ``to``, ``cc``
    and ``bcc`` from ``settings.smtp.sender`` (else an SMTP user that is an address).
    ``InputError`` when there is no recipient or no sender, or an address is invalid;
    ``BriefgenError`` when the message is larger than ``settings.smtp.max_bytes``."""
    smtp = settings.smtp
    if not to and not cc and not bcc:
        raise InputError("no recipients: give --to ADDRESS")
    sender = smtp.sender or (smtp.user if smtp.user and "@" in smtp.user else None)
    if not sender:
        raise InputError(
            "no sender: give --from ADDRESS, or set sender in [smtp] of briefgen.toml "
            "(BRIEFGEN_SMTP_SENDER)"
        )
    envelope_to = envelope_recipients(to, cc, bcc)
    envelope_from = parse_addresses([sender], "--from")[0].addr_spec
    content = memo_email(output_dir, filters=attach or None, settings=settings)
    msg = build_message(
        subject=subject if subject is not None else content.subject,
        sender=sender,
        to=to,
        cc=cc,
        bcc=bcc,
        text_body=content.text_body,
        html_body=content.html_body,
        attachments=content.attachments,
        ascii_filenames=ascii_filenames,
    )
    data = message_bytes(msg)
    check_size(data, smtp.max_bytes)
    blind = {a.addr_spec for a in parse_addresses(bcc, "--bcc")}
    return Outgoing(msg, data, envelope_from, envelope_to, blind)


def send_outgoing(
    outgoing: Outgoing, settings: Settings, log: Callable[[str], None] | None = None
) -> SendReport:
    """Send ``outgoing`` through ``settings.smtp`` (the password from the environment or
    the keyring, see ``smtp_password``). Raises a ``BriefgenError`` naming what happened
    to each recipient unless all took it."""
    smtp = settings.smtp
    password = None
    if smtp.user:
        password = smtp_password(smtp.user, smtp.host)
        if password is None:
            raise BriefgenError(
                f"no SMTP password for {smtp.user!r}: set BRIEFGEN_SMTP_PASSWORD or store "
                f"it in the system keyring (service 'briefgen:{smtp.host}')"
            )
    return send_message(
        outgoing.msg,
        outgoing.envelope_to,
        smtp,
        password=password,
        envelope_from=outgoing.envelope_from,
        log=log,
    )
