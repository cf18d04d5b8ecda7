"""The memo e-mail as a MIME message: its content, its structure, its file names.

``memo_email(output_dir, settings=…)`` turns a build's output directory into the parts of
a message: a bilingual body re-rendered from ``brief.yaml`` (the **leadership** memo
through the normal templates, as text/plain by the text writer and as text/html) and the
memo files named in ``manifest.json`` as attachments. The body is rendered with the
settings the memos were built with: when the manifest records them (its ``settings``
key), its date style, organisation, classification, author, template directories and
paper size win over the ``settings`` given. ``build_message`` assembles::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
      application/pdf ...        one part per attachment, base64

Attachment types come from the standard ``mimetypes`` table (Python's built-in one, not
the machine's, so every machine writes the same bytes) with additions where it lacks
the formats briefgen writes. File names that are not ASCII are given twice, as RFC 2231
``filename*=utf-8''…`` on Content-Disposition and as RFC 2047 encoded words
``name="=?utf-8?b?…?="`` on Content-Type (what older Outlook versions read);
``ascii_filenames=True`` gives ASCII names instead. Every name is quoted and encoded by
the ``email`` package (a ``"`` stays inside the value; a name that looks like an encoded
word is sent encoded as a whole, so it is shown as written, never decoded). Bcc
addresses never appear in a header: they are only envelope recipients. Boundaries are
derived from the content, so an unsent draft (``write_eml``) is the same bytes for the
same build.
"""

from __future__ import annotations

import copy
import email
import fnmatch
import functools
import hashlib
import json
import mimetypes
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from email import policy as email_policy
from email.header import Header
from email.headerregistry import ContentDispositionHeader, ContentTypeHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import encode_rfc2231, format_datetime, make_msgid, quote
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import BriefgenError, InputError, OutputError
from ..settings import MB, Settings, SmtpSettings
from .addresses import check_header_text, one_address, parse_addresses

__all__ = [
    "BUILD_SETTINGS",
    "DEFAULT_MAX_BYTES",
    "MAIL_POLICY",
    "MemoEmail",
    "ascii_filename",
    "build_message",
    "build_settings",
    "check_size",
    "describe_message",
    "draft_name",
    "memo_email",
    "memo_files",
    "message_bytes",
    "mime_type",
    "parse_filter",
    "write_eml",
]

#: The default limit on a message's size (``smtp.max_size``, 20 MB).
DEFAULT_MAX_BYTES = SmtpSettings().max_bytes

#: Types the standard table lacks (checked after it): the formats briefgen writes and
#: reads, and the translation files it exchanges.
EXTRA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".pdf": "application/pdf",
    ".eml": "message/rfc822",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".json": "application/json",
    ".tmx": "application/xml",
    ".xlf": "application/xml",
}

#: The settings a build records in manifest.json that decide how the body looks.
BUILD_SETTINGS = (
    "date_style",
    "organisation",
    "classification",
    "author",
    "template_dirs",
    "paper",
)


# -- Attachments -----------------------------------------------------------------------


@functools.cache
def _types() -> mimetypes.MimeTypes:
    """Python's built-in type table (never the machine's /etc/mime.types, so the same
    name gets the same type everywhere); built once, never changed."""
    return mimetypes.MimeTypes()


def mime_type(filename: str) -> tuple[str, str]:
    """``(maintype, subtype)`` of a file by its suffix: the standard ``mimetypes`` table,
    then ``EXTRA_TYPES``; ``application/octet-stream`` for anything else, and for a
    compressed file (``.gz``), whose content is not what its inner suffix says."""
    suffix = Path(filename).suffix.lower()
    found, encoding = _types().guess_type("file" + suffix, strict=False)
    if encoding is not None:
        return ("application", "octet-stream")
    found = found or EXTRA_TYPES.get(suffix)
    if found is None:
        return ("application", "octet-stream")
    maintype, _, subtype = found.partition("/")
    return (maintype, subtype)


def _check_filename(name: str) -> str:
    check_header_text("attachment file name", name, bidi=True)
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise InputError(f"attachment file name: {name!r} is not a plain file name")
    return name


def ascii_filename(name: str, index: int, taken: set[str] | None = None) -> str:
    """An ASCII stand-in for ``name``: unchanged if ASCII, accents stripped if that is
    all it takes (``Résumé.pdf`` -> ``Resume.pdf``), else ``attachment-<index>.<ext>``;
    made unique among ``taken`` (which it joins) with ``-2``, ``-3``…"""
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


#: The policy messages are built with: SMTP (CRLF, 78 columns) plus the headers above.
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

    Every address, the subject and the file names are checked first (a one-line
    ``BriefgenError`` names the bad one). Bcc addresses are checked but never written
    into a header (pass them to ``send_message`` as envelope recipients). Unless
    ``draft``, Date and Message-ID are filled in when not given; a ``draft`` gets
    ``X-Unsent: 1`` (Outlook, Thunderbird and Apple Mail open it as a message to edit and
    send) and no Date/Message-ID unless given.
    """
    check_header_text("subject", subject)
    from_address = one_address(sender, "--from") if sender else None
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
    ``_SafeParamsMixin``), never pasted into a header. An e-mail (message/rfc822) is
    attached as a message, since RFC 2046 forbids base64 for that type."""
    maintype, subtype = mime_type(filename)
    # Given as RFC 2231 when it looks encoded, so the parser keeps it literally.
    literal = ("utf-8", "", filename) if _looks_encoded(filename) else filename
    if (maintype, subtype) == ("message", "rfc822"):
        inner = email.message_from_bytes(data, policy=MAIL_POLICY)
        msg.add_attachment(inner, filename=literal)
    else:
        params = {"charset": "utf-8"} if maintype == "text" else None
        msg.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=literal, params=params
        )
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


def _read_manifest(output_dir: Path) -> dict[str, Any]:
    """``manifest.json`` of ``output_dir``, its ``files`` reduced to the dict entries."""
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
    return {**data, "files": [f for f in files if isinstance(f, dict)]}


def _memo_entries(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [e for e in manifest["files"] if e.get("kind") == "memo"]


def memo_files(
    output_dir: Path,
    filters: Sequence[str] | None = None,
    manifest: Mapping[str, Any] | None = None,
) -> list[tuple[dict[str, Any], Path]]:
    """The memo files of the manifest (``manifest``, default read from ``output_dir``)
    selected by ``filters`` (all when None/empty), each with its manifest entry."""
    output_dir = Path(output_dir)
    entries = _memo_entries(manifest if manifest is not None else _read_manifest(output_dir))
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
        selected.append((entry, output_dir / name))
    return selected


def _matches(entry: Mapping[str, Any], pattern: tuple[str, str, str]) -> bool:
    values = (entry.get("audience") or "", entry.get("lang") or "", entry.get("format") or "")
    return all(fnmatch.fnmatchcase(str(v), p) for v, p in zip(values, pattern, strict=True))


def _read_checked(entry: Mapping[str, Any], path: Path) -> bytes:
    """The bytes of ``path``, refused if they differ from the manifest's SHA-256."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    expected = entry.get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise InputError(f"{path}: changed since it was built (SHA-256 differs from manifest.json)")
    return data


def build_settings(
    output_dir: Path, settings: Settings, manifest: Mapping[str, Any] | None = None
) -> Settings:
    """``settings`` with the values of ``BUILD_SETTINGS`` that the build recorded under
    ``settings`` in ``output_dir``'s manifest.json (``Settings.fingerprint()``), so the
    body looks like the attachments; ``settings`` itself when the manifest records none.
    A recorded value of the wrong type, or a template directory that is not there, is a
    one-line ``BriefgenError``."""
    output_dir = Path(output_dir)
    data = manifest if manifest is not None else _read_manifest(output_dir)
    recorded = data.get("settings")
    if recorded is None:
        return settings
    where = f"{output_dir / 'manifest.json'}: settings"
    if not isinstance(recorded, Mapping):
        raise InputError(f"{where}: not a table of settings")
    changes: dict[str, Any] = {}
    for name in BUILD_SETTINGS:
        if name not in recorded:
            continue
        value = recorded[name]
        if name == "template_dirs":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{where}: template_dirs must be a list of paths")
            dirs = tuple(Path(v) for v in value)
            for directory in dirs:
                if not directory.is_dir():
                    raise InputError(
                        f"{where}: the memos were built with the templates in {directory}, "
                        "which is not a directory here (run from where the build ran)"
                    )
            changes[name] = dirs
        elif isinstance(value, str) or (value is None and name == "paper"):
            changes[name] = value
        else:
            raise InputError(f"{where}: {name} must be a string, not {value!r}")
    try:
        return settings.replace(**changes)
    except BriefgenError as exc:
        raise InputError(f"{where}: {exc}") from None


def memo_email(
    output_dir: Path,
    *,
    lang_order: Sequence[str] = ("zh-TW", "en"),
    filters: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> MemoEmail:
    """Subject, text and HTML bodies and the attachments for the build in ``output_dir``.

    The bodies are the leadership memo, re-rendered from ``brief.yaml`` in each language
    that was built (in ``lang_order``), one after the other; the text body is the text
    writer's, the HTML one puts both on one page. They are rendered with ``settings``
    overridden by what the build recorded in manifest.json (``build_settings``), so they
    agree with the attachments. The attachments are the memo files of the manifest
    matching ``filters`` such as ``leadership/*/pdf`` (all memo files by default), each
    checked against its recorded SHA-256.
    """
    from ..model import load_brief
    from ..render import render
    from ..render.sheets import memo_stylesheet
    from ..writers.html import write_html_multi
    from ..writers.text import write_text

    output_dir = Path(output_dir)
    manifest = _read_manifest(output_dir)
    selected = memo_files(output_dir, filters, manifest)
    attachments = [(path.name, _read_checked(entry, path)) for entry, path in selected]
    built_langs = {str(e.get("lang")) for e in _memo_entries(manifest)}
    langs = [lang for lang in lang_order if lang in built_langs] or list(lang_order)
    brief = load_brief(output_dir / "brief.yaml")
    settings = build_settings(output_dir, settings or Settings(), manifest)
    docs = []
    text_parts = []
    for lang in langs:
        sheet = memo_stylesheet(settings, lang, "leadership")
        doc = render(brief, "leadership", lang, settings, sheet=sheet)
        text_parts.append(write_text(doc, sheet).decode("utf-8"))
        docs.append((doc, memo_stylesheet(settings, lang)))
    subject = " / ".join(dict.fromkeys(doc.meta.title for doc, _ in docs))
    text_body = ("\n" + "=" * 40 + "\n\n").join(text_parts)
    html_body = write_html_multi(docs, title=subject, lang=langs[0]).decode("utf-8")
    return MemoEmail(subject, text_body, html_body, attachments)


def draft_name(output_dir: Path, manifest: Mapping[str, Any] | None = None) -> str:
    """``<slug>.eml``: the memo files' common name up to the first dot (``eppd-6``), else
    ``briefing``."""
    data = manifest if manifest is not None else _read_manifest(Path(output_dir))
    names = [str(e.get("name", "")) for e in _memo_entries(data)]
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
    """Write ``<slug>.eml`` into ``output_dir`` and return its path: the memo e-mail as an
    unsent draft (``X-Unsent: 1``, no Bcc, no Date or Message-ID, so equal builds give
    equal bytes), refused if larger than ``max_bytes`` (no limit when None)."""
    from ..deliver import atomic_write

    output_dir = Path(output_dir)
    content = memo_email(output_dir, lang_order=lang_order, filters=filters, settings=settings)
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
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
