"""E-mail addresses and header text: parsed, validated, never able to inject a header.

An address list (``王小明 <wang@example.tw>, b@example.org``) is split by the ``email``
package's header parser; each address is then checked by the email-validator library
for its syntax only (no DNS look-up): dot-atom local part of at most 64 characters, a
domain name of valid labels or an IP address in brackets. Addresses are ASCII, as the
SMTP client and the message headers need them to be: display names may be in any script
(they are RFC 2047-encoded), but a non-ASCII local part is refused and a non-ASCII domain
must be written in its IDNA form (``a@xn--r8jz45g.jp``; the error names it). Domains
reserved for special use (``localhost``, ``.local``, ``.invalid``, ``.test``, ``.onion``,
``.arpa``) are refused, as email-validator refuses them. The address is kept as written
(no case folding). Text bound for a header is refused if it holds a control character
(CR or LF would start a new header) and, for file names, a bidirectional control.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from email import policy as email_policy
from email.headerregistry import Address
from email.utils import getaddresses

from ..errors import InputError

__all__ = ["check_header_text", "envelope_recipients", "one_address", "parse_addresses"]

#: Characters that reorder displayed text (``memo\u202efdp.exe`` shows as ``memoexe.pdf``).
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_char(text: str, *, bidi: bool = False) -> str | None:
    """The first control character (or line/paragraph separator) in ``text``."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or (bidi and char in BIDI_CONTROLS):
            return char
    return None


def check_header_text(what: str, value: str, *, bidi: bool = False) -> str:
    """``value`` unchanged, or a one-line ``BriefgenError`` if it holds a control
    character (CR/LF would let it inject headers) or, with ``bidi``, a bidirectional
    control."""
    char = _bad_char(value, bidi=bidi)
    if char is not None:
        raise InputError(
            f"{what}: control character U+{ord(char):04X} in {value!r} is not allowed "
            "(header injection)"
        )
    return value


def _syntax_error(addr: str) -> str | None:
    """Why ``addr`` (an addr-spec) is not a valid address, or None if it is one."""
    from email_validator import EmailNotValidError, validate_email  # ~0.1 s: only when used

    try:
        found = validate_email(
            addr,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=True,
            allow_display_name=False,
            globally_deliverable=False,
            strict=True,
        )
    except EmailNotValidError as exc:
        return str(exc).rstrip(".")
    if not addr.isascii():
        return f"write the domain in its ASCII (IDNA) form: {found.ascii_email}"
    return None


def _invalid(what: str, raw: str, pairs: Iterable[tuple[str, str]]) -> InputError:
    """The error for ``raw``, which the header parser could not read as addresses; with
    email-validator's reason when one of the addresses it made out has one."""
    for _, addr in pairs:
        reason = _syntax_error(addr) if addr else None
        if reason is not None:
            return InputError(f"{what}: {raw!r} is not a valid e-mail address: {reason}")
    return InputError(f"{what}: {raw!r} is not a valid e-mail address")


def parse_addresses(values: Iterable[str], what: str = "address") -> list[Address]:
    """Every address in ``values`` (each may hold several, comma-separated, with or
    without display names), in order; a one-line ``BriefgenError`` naming the bad one
    otherwise."""
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
            raise _invalid(what, raw, pairs)
        for (name, addr), address in zip(pairs, addresses, strict=True):
            if addr != address.addr_spec:
                raise _invalid(what, raw, pairs)
            reason = _syntax_error(addr)
            if reason is not None:
                raise InputError(f"{what}: {raw!r} is not a valid e-mail address: {reason}")
            try:
                out.append(Address(display_name=name, addr_spec=addr))
            except (ValueError, IndexError) as exc:
                raise InputError(f"{what}: {raw!r} is not a valid e-mail address ({exc})") from None
    return out


def one_address(value: str, what: str) -> Address:
    """The single address in ``value``; a ``BriefgenError`` if there are none or more."""
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
