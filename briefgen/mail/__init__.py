"""E-mail the memos: check addresses, build the MIME message, send it or save a draft.

* ``addresses`` — parsing and validating addresses (email-validator, syntax only) and
  refusing header text with control characters;
* ``message`` — the memo e-mail's content (``memo_email``: the leadership memo rendered
  with the build's settings, the memo files attached), the MIME message
  (``build_message``) and the unsent draft (``write_eml``);
* ``delivery`` — SMTP: connection, TLS, login, sending at most once per recipient with
  a retry policy for transient failures, the per-recipient ``SendReport`` and the exit
  codes 6, 7 and 8.

Where and how to send is ``Settings.smtp`` (``briefgen.settings.SmtpSettings``); the
password is never a setting (``smtp_password``).
"""

from __future__ import annotations

from .addresses import check_header_text, envelope_recipients, parse_addresses
from .delivery import (
    EXIT_CONNECT,
    EXIT_REFUSED,
    EXIT_UNCERTAIN,
    PASSWORD_ENV,
    SendReport,
    send_message,
    smtp_password,
)
from .message import (
    DEFAULT_MAX_BYTES,
    MemoEmail,
    build_message,
    build_settings,
    check_size,
    describe_message,
    draft_name,
    memo_email,
    message_bytes,
    mime_type,
    write_eml,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXIT_CONNECT",
    "EXIT_REFUSED",
    "EXIT_UNCERTAIN",
    "PASSWORD_ENV",
    "MemoEmail",
    "SendReport",
    "build_message",
    "build_settings",
    "check_header_text",
    "check_size",
    "describe_message",
    "draft_name",
    "envelope_recipients",
    "memo_email",
    "message_bytes",
    "mime_type",
    "parse_addresses",
    "send_message",
    "smtp_password",
    "write_eml",
]
