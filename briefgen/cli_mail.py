"""``briefgen send``: e-mail the memos of an output directory; ``--eml`` drafts for build.

``briefgen send OUTPUT_DIR --to ADDR`` re-renders the leadership memo from the folder's
``brief.yaml`` as the (bilingual) message body and attaches the memo files listed in its
``manifest.json`` (``--attach audience/lang/format`` narrows them, ``*`` wildcards). The
SMTP password is read from ``BRIEFGEN_SMTP_PASSWORD`` or the system keyring, never from
an option. ``--dry-run`` shows the envelope and the message's parts and sends nothing.

Exit codes besides the usual ones (see ``briefgen.mail``): 6 could not connect, or a
temporary failure outlasted the retries; 7 the server refused the message (5xx reply,
authentication failure, no STARTTLS) for some or all recipients; 8 the message may have
been delivered (the end of the message was sent, no reply came) and was not sent again.
What happened to each recipient is printed (accepted / refused with the server's reply /
may have been delivered). Errors are ``BriefgenError``s, printed as one line
by ``briefgen.cli.main``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .errors import BriefgenError
from .settings import MB, TLS_MODES, Settings, load_settings

# briefgen.mail (smtplib, the email package) is imported when a command runs, not when
# the command line is loaded.

__all__ = ["send_command", "send_settings", "write_draft"]


def _say(message: str) -> None:
    click.echo(message, err=True)


def send_settings(ctx: click.Context | None, kw: dict[str, Any]) -> Settings:
    """The one ``Settings`` of ``briefgen send``: defaults <- briefgen.toml (the root
    context's ``obj["config"]``) <- BRIEFGEN_* environment <- these options."""
    obj = ctx.find_root().obj if ctx is not None else None
    max_mb = kw.get("max_size")
    if max_mb is not None and max_mb <= 0:
        raise BriefgenError("--max-size must be positive")
    return load_settings(
        config=obj.get("config") if isinstance(obj, dict) else None,
        overrides={"template_dirs": kw.get("template_dirs") or None},
        smtp={
            "host": kw.get("smtp_host"),
            "port": kw.get("smtp_port"),
            "tls": kw.get("smtp_tls"),
            "user": kw.get("smtp_user"),
            "sender": kw.get("sender"),
            "max_bytes": None if max_mb is None else round(max_mb * MB),
        },
    )


@click.command("send")
@click.argument(
    "output_dir",
    metavar="OUTPUT_DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--to", "to", multiple=True, metavar="ADDR", help="Recipient. Repeatable.")
@click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy recipient. Repeatable.")
@click.option(
    "--bcc",
    "bcc",
    multiple=True,
    metavar="ADDR",
    help="Blind copy: in the envelope only, never in a header. Repeatable.",
)
@click.option("--subject", help="Subject (default: the leadership memo's title in each language).")
@click.option("--from", "sender", metavar="ADDR", help="Sender address.")
@click.option(
    "--attach",
    "attach",
    multiple=True,
    metavar="AUDIENCE/LANG/FORMAT",
    help="Attach only the memo files matching, e.g. leadership/*/pdf (* is a wildcard). "
    "Repeatable; default: every memo file in the folder's manifest.",
)
@click.option(
    "--ascii-filenames",
    is_flag=True,
    help="Give attachments ASCII file names (for mail systems that mangle others).",
)
@click.option(
    "--max-size",
    type=float,
    metavar="MB",
    help="Refuse, before connecting, a message larger than this (default 20 MB).",
)
@click.option("--smtp-host", metavar="HOST", help="SMTP server (default localhost).")
@click.option(
    "--smtp-port", type=int, metavar="N", help="Port (default 587 starttls, 465 ssl, 25 none)."
)
@click.option(
    "--smtp-tls",
    type=click.Choice(list(TLS_MODES)),
    default=None,
    help="starttls (default; the server must offer it), ssl (implicit TLS) or none "
    "(clear text, only to localhost).",
)
@click.option(
    "--smtp-user",
    metavar="USER",
    help="Log in as USER; the password comes from BRIEFGEN_SMTP_PASSWORD or the system "
    "keyring (service briefgen:<host>).",
)
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Template directory for the message body when the folder's manifest.json does not "
    "record the settings the memos were built with (older builds). Repeatable.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the envelope and the message's parts; connect to nothing.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def send_command(ctx: click.Context, output_dir: Path, **kw: Any) -> None:
    """E-mail the memos in OUTPUT_DIR (a folder written by build or render).

    The message body is the leadership memo in each language (plain text and HTML),
    rendered with the settings the memos were built with; the memo files are attached.
    Each recipient gets it at most once. Exit codes: 6 could not connect (or temporary
    failures outlasted the retries), 7 the server refused the message or the login (for
    some or all recipients), 8 the message may have been delivered (no reply after its
    end) and was not sent again.
    """
    from .mail import describe_message
    from .mail.outgoing import outgoing_memos, send_outgoing

    settings = send_settings(ctx, kw)
    smtp = settings.smtp
    outgoing = outgoing_memos(
        output_dir,
        settings,
        to=kw["to"],
        cc=kw["cc"],
        bcc=kw["bcc"],
        subject=kw["subject"],
        attach=kw["attach"] or None,
        ascii_filenames=kw["ascii_filenames"],
    )
    msg, data, envelope_to = outgoing.msg, outgoing.data, outgoing.envelope_to
    if kw["dry_run"]:
        click.echo(f"envelope from: {outgoing.envelope_from}")
        for rcpt in envelope_to:
            click.echo(f"envelope to:   {rcpt}" + (" (bcc)" if rcpt in outgoing.bcc else ""))
        click.echo(f"subject: {msg['Subject']}")
        click.echo(f"size: {len(data):,} bytes (limit {smtp.max_bytes:,})")
        click.echo("parts:")
        for line in describe_message(msg):
            click.echo(f"  {line}")
        click.echo(f"dry run: nothing was sent (would use {smtp.host}:{smtp.port}, {smtp.tls})")
        return
    # Raises a BriefgenError naming what happened to each recipient unless all took it.
    report = send_outgoing(outgoing, settings, log=None if kw["quiet"] else _say)
    if not kw["quiet"]:
        tries = f" after {report.attempts} attempts" if report.attempts > 1 else ""
        click.echo(
            f"sent {len(data):,} bytes to {len(envelope_to)} recipient(s) via "
            f"{smtp.host}:{smtp.port}{tries}"
        )
        for line in report.lines():
            click.echo(f"  {line}")


def write_draft(
    output_dir: Path,
    *,
    settings: Settings | None = None,
    quiet: bool = False,
    **kwargs: Any,
) -> Path:
    """Write the ``.eml`` draft for a folder just written by build/render; print its name
    like the other files unless ``quiet``. ``kwargs`` go to ``briefgen.mail.write_eml``."""
    from .mail import write_eml

    path = write_eml(output_dir, settings=settings, **kwargs)
    if not quiet:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return path
