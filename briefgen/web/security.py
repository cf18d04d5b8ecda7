"""The security model of ``briefgen serve``.

* **Where it listens.** 127.0.0.1 unless ``--host`` says otherwise. Requests must name
  this server in their ``Host`` header (the loopback names, or the ``--host`` value), so
  a web page that rebinds its own domain name to 127.0.0.1 cannot read or drive it.
* **Who may use it.** On a loopback address, whoever can reach it (the user's own
  machine). Anywhere else a token is required — from ``BRIEFGEN_SERVE_TOKEN`` or a file
  (``--token-file``), never a command-line value that other users could see in the
  process list — and the server refuses to start without one. A browser signs in once
  with the token (an HttpOnly, SameSite=Strict cookie derived from it); a script sends
  ``Authorization: Bearer <token>``.
* **Cross-site requests.** Every state-changing request (POST) must carry the server's
  CSRF token (a hidden form field or the ``X-CSRF-Token`` header), which a page of
  another origin cannot read; a request whose ``Origin`` is another site is refused too.
* **What the browser may run.** Every page is sent with a Content-Security-Policy that
  allows scripts only from this server's own files (no inline script, no eval), and
  memo previews are sent sandboxed, with no script at all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BriefgenError
from ..net import is_loopback

TOKEN_ENV = "BRIEFGEN_SERVE_TOKEN"
#: Shortest token accepted (characters).
MIN_TOKEN = 16
AUTH_COOKIE = "briefgen_auth"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

#: The policy of every page: scripts, styles and frames only from this server.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; frame-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The policy of a memo preview (our HTML writer's page, which carries its own CSS): no
#: script at all, nothing loaded, shown only inside this server's own pages.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
)


def load_token(
    host: str, token_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The access token for a server on ``host``: the contents of ``token_file``, else
    ``$BRIEFGEN_SERVE_TOKEN``; None on a loopback host without either. ``BriefgenError``
    when a non-loopback host has no token, or the token is shorter than ``MIN_TOKEN``."""
    env = os.environ if environ is None else environ
    token = None
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise BriefgenError(f"{token_file}: cannot read the token file: {exc}") from None
        if not token:
            raise BriefgenError(f"{token_file}: the token file is empty")
    elif env.get(TOKEN_ENV, "").strip():
        token = env[TOKEN_ENV].strip()
    if token is None:
        if is_loopback(host):
            return None
        raise BriefgenError(
            f"refusing to listen on {host} without an access token: set {TOKEN_ENV} or "
            "give --token-file (a token on the command line would be visible to other users)"
        )
    if len(token) < MIN_TOKEN or any(ch.isspace() for ch in token):
        raise BriefgenError(
            f"the access token must be at least {MIN_TOKEN} characters with no spaces "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
        )
    return token


class Guard:
    """The server's secrets: the CSRF token its pages carry and, when set, the access
    token and the cookie a signed-in browser holds."""

    def __init__(self, token: str | None = None, secret: bytes | None = None) -> None:
        self.token = token
        self._secret = secret or secrets.token_bytes(32)

    def _mac(self, what: str) -> str:
        return hmac.new(self._secret, what.encode("utf-8"), hashlib.sha256).hexdigest()

    @property
    def csrf_token(self) -> str:
        """The token every state-changing request must carry."""
        return self._mac("csrf")

    def csrf_ok(self, supplied: str | None) -> bool:
        """Whether ``supplied`` is this server's CSRF token."""
        return bool(supplied) and _same(str(supplied), self.csrf_token)

    def auth_cookie(self) -> str:
        """The cookie value of a browser that signed in with the token."""
        return self._mac(f"auth:{self.token}")

    def token_ok(self, supplied: str | None) -> bool:
        """Whether ``supplied`` is the access token."""
        return self.token is not None and bool(supplied) and _same(str(supplied), self.token)

    def bearer(self, headers: Headers) -> bool:
        """Whether ``headers`` carry ``Authorization: Bearer <the access token>`` (a
        script's request: a browser never adds that header to a cross-site request, so
        such a request needs no CSRF token)."""
        if self.token is None:
            return False
        scheme, _, value = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    def signed_in(self, headers: Headers, cookies: Mapping[str, str]) -> bool:
        """Whether a request with ``headers`` and ``cookies`` may use the server."""
        if self.token is None or self.bearer(headers):
            return True
        cookie = cookies.get(AUTH_COOKIE, "")
        return bool(cookie) and _same(cookie, self.auth_cookie())


def _same(supplied: str, expected: str) -> bool:
    """Whether ``supplied`` equals ``expected``, in constant time; any text (a request
    may carry characters outside ASCII, which ``compare_digest`` refuses in ``str``)."""
    return hmac.compare_digest(
        supplied.encode("utf-8", "surrogateescape"), expected.encode("utf-8")
    )


def same_origin(headers: Headers) -> bool:
    """False when the request says it comes from a page of another site (``Origin`` not
    this ``Host``, or ``Sec-Fetch-Site: cross-site``)."""
    if headers.get("sec-fetch-site", "") == "cross-site":
        return False
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin != "null"
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


class SecurityMiddleware:
    """Sign-in check (when a token is set) and the security headers of every response."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        headers = Headers(scope=scope)
        if not (path.startswith("/static/") or path == "/login" or self._signed_in(scope, headers)):
            response: Response
            if scope.get("method") in ("GET", "HEAD"):
                response = RedirectResponse("/login", status_code=303)
            else:
                response = PlainTextResponse("sign in with the access token first", 401)
            await response(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    def _signed_in(self, scope: Scope, headers: Headers) -> bool:
        from starlette.requests import cookie_parser

        return self.guard.signed_in(headers, cookie_parser(headers.get("cookie", "")))

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                names = {name.lower() for name, _ in raw}
                defaults = {
                    b"content-security-policy": PAGE_CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    # Not no-referrer: with it Chrome sends "Origin: null" on our own forms.
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"DENY",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"cache-control": b"no-store",
                }
                raw += [(k, v) for k, v in defaults.items() if k not in names]
                message = {**message, "headers": raw}
            await send(message)

        return send_with_headers
