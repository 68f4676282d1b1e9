"""Safe by default: every request passes here before the app sees it.

- the Host header must name this server (no DNS rebinding from a web page elsewhere);
- with an access token, a request must carry it (``?token=`` once, then a cookie);
- a request body over the limit is refused (413) before it is read;
- every response carries a strict Content-Security-Policy (no inline script or style) and
  is not cached, and every request is logged as method, path and status only: never its query
  string, form values or cookies.

The CSRF token of a form is an HMAC of the browser's session cookie (SameSite=Strict).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 64 * 1024  # a form of a few short fields; an email body is built here, not sent
SESSION_COOKIE = "handouts_session"
TOKEN_COOKIE = "handouts_token"
TOKEN_ENV = "HANDOUTS_SERVE_TOKEN"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")

log = logging.getLogger("handouts.serve")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Csrf:
    """Form tokens bound to the browser's session cookie."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def token(self, session: str) -> str:
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()

    def valid(self, session: str | None, given: str | None) -> bool:
        if not session or not given:
            return False
        return hmac.compare_digest(self.token(session), given)


class Guard:
    """ASGI middleware: host, token, size, headers, session cookie and the access log."""

    def __init__(self, app: App, *, hosts: set[str] | None, token: str | None = None,
                 max_body: int = MAX_BODY) -> None:
        self.app = app
        self.hosts = hosts  # None: any Host header (a server bound to every address)
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0}
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        cookies = _cookies(headers.get("cookie", ""))
        extra: list[tuple[bytes, bytes]] = []

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                added = [h for h in SECURITY_HEADERS if h[0] not in names]
                if b"cache-control" not in names:
                    added.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *added, *extra]
            await send(message)

        try:
            refusal = self._refusal(scope, headers, cookies)
            if refusal is not None:
                await _plain(send_guarded, *refusal)
                return
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            if self.token is not None and "token" in query:  # first visit: swap for a cookie
                extra.append(_set_cookie(TOKEN_COOKIE, self.token))
                rest = urlencode({k: v for k, v in query.items() if k != "token"})
                await _redirect(send_guarded, scope["path"] + (f"?{rest}" if rest else ""))
                return
            session = cookies.get(SESSION_COOKIE)
            if not session or len(session) > 64:
                session = secrets.token_urlsafe(24)
                extra.append(_set_cookie(SESSION_COOKIE, session))
            scope.setdefault("state", {})["session"] = session
            await self.app(scope, self._limited(receive), send_guarded)
        except TooLarge:
            if status["code"] == 0:
                await _plain(send_guarded, 413, "The request is too large.")
        except Exception as exc:  # the app's error page is sent; no traceback in the log,
            if status["code"] == 0:  # where an exception's text could quote a form value
                await _plain(send_guarded, 500, "Internal error: this is a bug in handouts.")
            log.error("internal error (%s) on %s %s", type(exc).__name__, scope["method"],
                      scope["path"])
        finally:
            log.info('"%s %s" %s %.0fms', scope["method"], scope["path"], status["code"],
                     (time.perf_counter() - started) * 1000)

    def _refusal(self, scope: Scope, headers: dict[str, str],
                 cookies: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return 400, "This server answers only to its own address."
        if self.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = cookies.get(TOKEN_COOKIE) or query.get("token") or \
                headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
                return 401, ("This server needs its access token: open the address that "
                             "'handouts serve' printed when it started.")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return 413, "The request is too large."
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin and origin != "null" \
                and origin.split("://", 1)[-1] != host:
            return 403, "The form came from another site; nothing was done."
        return None

    def _limited(self, receive: Receive) -> Receive:
        seen = {"bytes": 0}

        async def limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > self.max_body:
                    raise TooLarge
            return message

        return limited


class TooLarge(Exception):
    pass


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is as good as none
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _set_cookie(name: str, value: str) -> tuple[bytes, bytes]:
    return (b"set-cookie",
            f"{name}={value}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1"))


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8") + b"\n"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
