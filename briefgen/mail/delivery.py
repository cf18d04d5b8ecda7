"""Sending a message over SMTP: at most once per recipient, each outcome reported.

``send_message(msg, envelope_to, smtp, password=…)`` sends with the ``SmtpSettings`` of
the one ``Settings`` object (``Settings.smtp``: host, port, tls, user, sender, max_bytes,
timeout, retries, backoff). It retries transient failures (connection refused, time-outs
before the message was sent, 4xx replies) with exponential back-off — a tenacity policy
of ``retries`` further attempts, waiting ``backoff``, 2×``backoff``, 4×``backoff``…
seconds — and only for the recipients they concern: a recipient refused with 4xx is
retried alone, never one that already accepted. It stops at once on permanent failures
(5xx replies, failed authentication). Once the end of DATA has been sent nothing is sent
again: no reply (time-out, closed connection) means "may have been delivered". Each
recipient's outcome is in the ``SendReport``. Exit codes of the ``BriefgenError``\\ s raised:

====  =================================================================================
2     bad addresses, header injection, message too large, bad settings (nothing sent)
6     could not connect, or still a transient failure after the retries (e.g. 451)
7     the server refused: a 5xx reply, authentication failed, no STARTTLS or AUTH offered
      (for some or all recipients)
8     the message may have been delivered: the end of DATA was sent but no reply came
====  =================================================================================

The SMTP password is never a setting: ``smtp_password`` reads it from the environment
variable ``BRIEFGEN_SMTP_PASSWORD`` or, if the optional ``keyring`` package is installed,
from the system keyring (service ``briefgen:<host>``, the SMTP user name).
"""

from __future__ import annotations

import base64
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING

from ..errors import BriefgenError, InputError
from ..net import is_loopback
from ..settings import TLS_MODES, SmtpSettings
from .addresses import check_header_text, parse_addresses
from .message import check_size, message_bytes

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = [
    "EXIT_CONNECT",
    "EXIT_REFUSED",
    "EXIT_UNCERTAIN",
    "PASSWORD_ENV",
    "SendReport",
    "is_loopback",
    "send_message",
    "smtp_password",
]

#: Exit code: could not connect, or transient failures outlasted the retries.
EXIT_CONNECT = 6
#: Exit code: the server refused (5xx reply, authentication, missing STARTTLS/AUTH).
EXIT_REFUSED = 7
#: Exit code: the end of the message was sent but no reply came (timed out, connection
#: closed): it may have been delivered, and is never sent again.
EXIT_UNCERTAIN = 8
PASSWORD_ENV = "BRIEFGEN_SMTP_PASSWORD"


def smtp_password(user: str, host: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The password for ``user`` at ``host``: ``BRIEFGEN_SMTP_PASSWORD``, else the system
    keyring (service ``briefgen:<host>``) if the ``keyring`` package is installed; None
    when neither has one."""
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


# -- Failures --------------------------------------------------------------------------


class _Failure(Exception):
    def __init__(self, message: str, exit_code: int, transient: bool) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.transient = transient


class _Uncertain(Exception):
    """The end of DATA was sent but no reply came: the message may have been delivered.
    Args: why, the recipients that had taken it, the others' results."""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _classify(exc: BaseException, where: str, tls: str, port: int) -> _Failure:
    """Whether a failure is worth retrying, with its message and exit code; anything
    that is not an SMTP or network failure is raised again."""
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
    if isinstance(exc, smtplib.SMTPException):  # incl. SMTPNotSupportedError
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


def _error(message: str, exit_code: int, report: SendReport) -> BriefgenError:
    error = BriefgenError(message, exit_code=exit_code)
    error.report = report  # type: ignore[attr-defined]
    return error


# -- One connection --------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Transaction:
    """What one connection needs: where, how, and the message."""

    smtp: SmtpSettings
    context: ssl.SSLContext | None
    data: bytes
    envelope_from: str
    password: str | None

    @property
    def where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.port}"

    def run(self, pending: Sequence[str]) -> dict[str, tuple[int, str]]:
        """One connection: the ``pending`` recipients' results (code, reply). Raises
        ``_Uncertain`` once the end of DATA is sent without a reply, other exceptions
        when nothing was delivered."""
        s, where = self.smtp, self.where
        if s.tls == "ssl":
            client: _OnceSMTP = _OnceSMTPSSL(
                s.host, s.port, timeout=s.timeout, context=self.context
            )
        else:
            client = _OnceSMTP(s.host, s.port, timeout=s.timeout)
        try:
            client.ehlo()
            if s.tls == "starttls":
                if not client.has_extn("starttls"):
                    raise _Failure(
                        f"{where} does not offer STARTTLS (use --smtp-tls ssl for an "
                        "implicit-TLS port, or a server that supports STARTTLS)",
                        EXIT_REFUSED,
                        False,
                    )
                client.starttls(context=self.context)
                client.ehlo()
            if s.user:
                if not client.has_extn("auth"):
                    raise _Failure(
                        f"{where} does not offer AUTH; cannot log in as {s.user!r}",
                        EXIT_REFUSED,
                        False,
                    )
                _login(client, s.user, self.password or "", where)
            return self._send(client, pending)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def _send(self, client: _OnceSMTP, pending: Sequence[str]) -> dict[str, tuple[int, str]]:
        options = [f"SIZE={len(self.data)}"] if client.has_extn("size") else []
        code, reply = client.mail(self.envelope_from, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, self.envelope_from)
        results: dict[str, tuple[int, str]] = {}
        for rcpt in pending:
            code, reply = client.rcpt(rcpt)
            if code == 421:
                raise smtplib.SMTPResponseException(code, reply)
            results[rcpt] = (code, _reply(code, reply))
        taking = [r for r, (code, _) in results.items() if code in (250, 251)]
        if not taking:
            client.rset()
            return results
        try:
            code, reply = client.data_once(self.data)
        except (OSError, smtplib.SMTPException) as exc:
            if not client.end_of_data_sent:
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


# -- The report ------------------------------------------------------------------------


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
        """0 when every recipient accepted; else 8, 7 or 6 (the worst outcome first)."""
        if self.uncertain:
            return EXIT_UNCERTAIN
        if self.refused:
            return EXIT_REFUSED
        if self.deferred:
            return EXIT_CONNECT
        return 0

    def lines(self) -> list[str]:
        """One line per recipient: ``accepted: a@example.org (250 OK)``."""
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

    def record(self, results: Mapping[str, tuple[int, str]]) -> list[str]:
        """Note one transaction's ``results``; return the recipients to try again (4xx,
        or a temporary failure of the connection before the end of DATA)."""
        again: list[str] = []
        for rcpt, (code, reply) in results.items():
            self.deferred.pop(rcpt, None)
            if 200 <= code < 300:
                self.accepted[rcpt] = reply
            elif 500 <= code < 600:
                self.refused[rcpt] = reply
            else:
                self.deferred[rcpt] = reply
                again.append(rcpt)
        return again


# -- Sending ---------------------------------------------------------------------------


def _check(msg: EmailMessage, envelope_to: Sequence[str], smtp: SmtpSettings) -> list[str]:
    """The envelope recipients, each once, after the checks made before any connection."""
    if smtp.tls not in TLS_MODES:
        raise BriefgenError(f"--smtp-tls must be one of {', '.join(TLS_MODES)}, not {smtp.tls!r}")
    check_header_text("smtp host", smtp.host)
    if smtp.tls == "none" and not is_loopback(smtp.host):
        raise BriefgenError(
            f"--smtp-tls none sends in clear text and is only allowed to localhost, not "
            f"{smtp.host!r}; use starttls or ssl"
        )
    recipients = list(dict.fromkeys(a.addr_spec for a in parse_addresses(envelope_to, "recipient")))
    if not recipients:
        raise InputError("no recipients: give --to ADDRESS")
    return recipients


def send_message(
    msg: EmailMessage,
    envelope_to: Sequence[str],
    smtp: SmtpSettings,
    *,
    password: str | None = None,
    envelope_from: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] | None = None,
) -> SendReport:
    """Send ``msg`` to ``envelope_to`` with the ``smtp`` settings, at most once per
    recipient; return what happened to each (``SendReport``) when every recipient
    accepted it, else raise a ``BriefgenError`` whose ``report`` attribute holds the same.

    ``smtp.tls``: ``starttls`` (the server must offer it), ``ssl`` (implicit TLS), or
    ``none`` (only to localhost). ``password`` is needed when ``smtp.user`` is set.
    ``envelope_from`` defaults to the message's From address. Temporary failures are
    retried ``smtp.retries`` times, waiting ``smtp.backoff``, 2×, 4×… seconds (through
    ``sleep``; ``log`` is told of each retry) — only for the recipients they concern;
    permanent ones (5xx, authentication) are not retried. Once the end of DATA has been
    sent nothing is sent again: a connection that times out or closes before the
    server's reply leaves those recipients "may have been delivered" (exit code 8).
    Everything that can be checked (settings, addresses, size, password) is checked
    before a connection is opened.
    """
    from tenacity import Retrying, retry_if_result, stop_after_attempt, wait_exponential

    recipients = _check(msg, envelope_to, smtp)
    if envelope_from is None:
        senders = parse_addresses([str(msg["From"])], "From") if msg["From"] else []
        if not senders:
            raise InputError("no sender: give --from ADDRESS")
        envelope_from = senders[0].addr_spec
    data = message_bytes(msg)
    check_size(data, smtp.max_bytes)
    if smtp.user and password is None:
        raise BriefgenError(
            f"no SMTP password for {smtp.user!r}: set {PASSWORD_ENV} (or store it in the "
            f"system keyring, service 'briefgen:{smtp.host}')"
        )
    context = ssl_context
    if smtp.tls != "none" and context is None:
        context = ssl.create_default_context()
    transaction = _Transaction(smtp, context, data, envelope_from, password)
    where = transaction.where
    report = SendReport()
    pending = list(recipients)

    def one_attempt() -> list[str]:
        """One connection for the pending recipients; returns those to try again."""
        nonlocal pending
        report.attempts += 1
        try:
            results = transaction.run(pending)
        except _Uncertain as exc:
            why, taken, results = exc.args
            for rcpt in taken:  # never sent again
                report.deferred.pop(rcpt, None)
                report.uncertain[rcpt] = why
        except (OSError, _Failure) as exc:  # smtplib.SMTPException is an OSError
            failure = _classify(exc, where, smtp.tls, smtp.port)
            if not failure.transient:
                if not report.accepted and not report.uncertain:
                    raise _error(str(failure), failure.exit_code, report) from None
                for rcpt in pending:
                    report.deferred.pop(rcpt, None)
                    report.refused[rcpt] = str(failure)
                pending = []
                return pending
            results = {rcpt: (0, str(failure)) for rcpt in pending}
        pending = report.record(results)
        return pending

    def announce(state: RetryCallState) -> None:
        if log is not None and state.next_action is not None:
            listed = "; ".join(f"{r}: {report.deferred[r]}" for r in pending)
            log(
                f"{where}: not yet delivered to {listed}; retrying in {state.next_action.sleep:g} s"
            )

    retrying = Retrying(
        stop=stop_after_attempt(smtp.retries + 1),
        wait=wait_exponential(multiplier=smtp.backoff, exp_base=2),
        retry=retry_if_result(bool),  # some recipients still to try
        sleep=sleep,
        before_sleep=announce,
        retry_error_callback=lambda state: None,  # out of attempts: the report says so
    )
    retrying(one_attempt)
    if report.exit_code:
        if not report.accepted and not report.uncertain and not report.refused:
            reply = next(iter(report.deferred.values()))
            suffix = f" (gave up after {report.attempts} attempts)" if report.attempts > 1 else ""
            failed = reply if reply.startswith(where) else f"{where}: temporary failure: {reply}"
            raise _error(failed + suffix, EXIT_CONNECT, report)
        raise _error(report.summary(where), report.exit_code, report)
    return report
