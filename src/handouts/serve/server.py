"""Starting the server: the address policy (loopback, or a token), logging, uvicorn."""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.errors import UsageError
from handouts.serve.guard import LOOPBACK_NAMES, TOKEN_ENV, new_token

DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    token: str | None
    token_made: bool  # made now (to print), not read from the environment

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}/"


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plan_address(host: str, port: int, make_token: bool,
                 environ: dict[str, str] | None = None) -> Address:
    """Where to listen and with which token; refuse another address without a token."""
    environ = dict(os.environ) if environ is None else environ
    token = environ.get(TOKEN_ENV) or None
    if token is not None and len(token) < 16:
        raise UsageError(f"${TOKEN_ENV} is too short to guard the server",
                         hint="use 16 characters or more, e.g. from "
                              "'python -c \"import secrets; print(secrets.token_urlsafe())\"'")
    made = False
    if token is None and make_token:
        token, made = new_token(), True
    if not is_loopback(host) and token is None:
        raise UsageError(
            f"--host {host} lets other computers reach this server, so it needs an access "
            "token; nothing was started",
            hint=f"add --new-token to make one and print it, or set ${TOKEN_ENV}; "
                 "or leave out --host to serve this computer only (127.0.0.1)")
    return Address(host, port, token, made)


def allowed_hosts(host: str) -> set[str] | None:
    """Host header names the server answers to (None: any, for 0.0.0.0 with a token)."""
    if host in ("0.0.0.0", "::"):
        return None
    return {*LOOPBACK_NAMES, host, f"[{host}]"}


def serve(root: str | Path | None, address: Address, *, open_browser: bool = False,
          printer: str | None = None, echo: Callable[[str], Any] = print) -> None:
    """Run until interrupted (Ctrl+C)."""
    import uvicorn

    from handouts.serve.app import Settings, create_app
    from handouts.serve.live import Live

    live = Live(root)
    app = create_app(live, Settings(hosts=allowed_hosts(address.host), token=address.token,
                                    printer=printer))
    configure_logging()
    config = uvicorn.Config(app, host=address.host, port=address.port, access_log=False,
                            log_level="warning", log_config=None, lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    url = address.url + (f"?token={address.token}" if address.token else "")
    where = live.ws.root or "the built-in library"
    echo(f"Serving {where} at {url}  (Ctrl+C to stop)")
    if address.token_made:
        echo(f"Access token: {address.token}  (anyone with it can use this server)")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    server.run()


def configure_logging() -> None:
    """One line per request on stderr: time, method, path, status (never values)."""
    logger = logging.getLogger("handouts.serve")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
