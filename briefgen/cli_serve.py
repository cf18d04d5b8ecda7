"""``briefgen serve``: the review app in the browser (see ``briefgen.web``)."""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path
from typing import Any

import click

from .errors import BriefgenError
from .settings import load_settings

#: The port tried first when none is given (a free one is taken when it is in use).
DEFAULT_PORT = 8765

__all__ = ["serve_command"]


def bind(host: str, port: int | None) -> socket.socket:
    """A listening socket on ``host``: ``port``, or ``DEFAULT_PORT`` and else a free port
    when ``port`` is None. ``BriefgenError`` when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    candidates = [port] if port is not None else [DEFAULT_PORT, 0]
    for index, number in enumerate(candidates):
        try:
            return socket.create_server((host.strip("[]"), number), family=family, backlog=64)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and index + 1 < len(candidates):
                continue
            raise BriefgenError(
                f"cannot listen on {host}:{number}: {exc.strerror or exc}"
            ) from None
    raise AssertionError("unreachable")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address needs an access token "
    "(BRIEFGEN_SERVE_TOKEN or --token-file).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help=f"Port (default {DEFAULT_PORT}, or a free one when that is taken; 0: any free port).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File holding the access token (never give the token itself on the command line).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for extraction and rendering (default: 2).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the workspaces are kept (default: BRIEFGEN_DATA_DIR, else the user data "
    "directory).",
)
@click.pass_context
def serve_command(ctx: click.Context, **kw: Any) -> None:
    """Review briefs in the browser, every point beside its source.

    Bring a readout (upload or paste), check each field against the span of the article it
    came from, correct titles, points, names, dates and translations, preview and download
    the memos (PDF, DOCX, ODT, or all as a zip), and e-mail them.

    Prints the address to open. Workspaces (one folder per brief) are kept on disk, so a
    closed tab or a restarted server loses nothing. Settings come from briefgen.toml and
    BRIEFGEN_* variables as for build; the SMTP password only from the environment or the
    keyring. Ctrl+C stops the server.
    """
    import uvicorn

    from .net import is_loopback
    from .pipeline import check_settings
    from .translate.store import data_dir
    from .web import ServerConfig, create_app
    from .web.security import Guard, load_token

    host: str = kw["host"]
    token = load_token(host, kw["token_file"])
    obj = ctx.find_root().obj
    settings = load_settings(config=obj.get("config") if isinstance(obj, dict) else None)
    check_settings(settings)
    root = kw["data_dir"] or data_dir()
    sock = bind(host, kw["port"])
    port = sock.getsockname()[1]
    wildcard = host in ("0.0.0.0", "::", "[::]")
    hosts = ("*",) if wildcard else ("127.0.0.1", "localhost", "[::1]", host)
    config = ServerConfig(
        settings=settings,
        data_dir=root,
        workers=kw["jobs"] or 2,
        guard=Guard(token),
        hosts=hosts,
    )
    app = create_app(config)
    shown = (
        "127.0.0.1"
        if wildcard
        else (f"[{host}]" if ":" in host and not host.startswith("[") else host)
    )
    click.echo(f"briefgen serve: http://{shown}:{port}/", err=False)
    notes = [f"workspaces in {root / 'workspaces'}"]
    notes.append("access token required" if token else "no token (loopback only)")
    if not is_loopback(host):
        notes.append("reachable from other machines")
    click.echo(f"  {'; '.join(notes)}; Ctrl+C stops it", err=True)
    sys.stdout.flush()
    server = uvicorn.Server(
        uvicorn.Config(
            app, log_level="warning", access_log=False, server_header=False, lifespan="on"
        )
    )
    server.run(sockets=[sock])
