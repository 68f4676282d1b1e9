"""Helpers for the `handouts serve` tests: a workspace, the real server on a free loopback
port (uvicorn in a thread of the test process), and a small HTTP client with cookies.

Everything is real: uvicorn listens on 127.0.0.1, requests go over TCP, the watcher sees the
files the test writes.
"""

from __future__ import annotations

import datetime
import http.client
import http.cookiejar
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PATIENT = "Ana <b>& López"


def make_workspace(root: Path, config: str = "") -> Path:
    """A workspace with the demo handout (content/demo/en.yaml) beside the built-in ones."""
    (root / "content" / "demo").mkdir(parents=True)
    shutil.copy(FIXTURES / "demo.yaml", root / "content" / "demo" / "en.yaml")
    (root / "handouts.yaml").write_text(config or "paper: letter\n", encoding="utf-8")
    return root


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Client:
    """Real HTTP to the server, keeping its cookies (the session behind the CSRF token)."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()},
                             resp.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str], **headers: str) -> Reply:
        body = urllib.parse.urlencode(form).encode()
        return self.request("POST", path, body, {
            "content-type": "application/x-www-form-urlencoded", **headers})

    def csrf(self, slug: str = "demo") -> str:
        """Open the handout page (setting the session cookie) and read its form's token."""
        page = self.get(f"/h/{slug}").text
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert found, "the handout page has no CSRF token"
        return found.group(1)

    def copy(self, slug: str = "demo", **form: str) -> Reply:
        """Submit the staff form as a browser would (with the page's CSRF token)."""
        return self.post(f"/h/{slug}/copy", {"csrf": self.csrf(slug), **form})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ThreadServer:
    """uvicorn serving ``create_app`` on a free loopback port, in a thread (``today``: the
    clock of check's review dates)."""

    def __init__(self, root: Path | None, *, token: str | None = None,
                 printer: str | None = None, hosts: set[str] | None = None,
                 today: Callable[[], datetime.date] = datetime.date.today) -> None:
        import uvicorn

        from handouts.serve.app import Settings, create_app
        from handouts.serve.live import Live
        from handouts.serve.server import allowed_hosts, configure_logging

        configure_logging()
        self.live = Live(root, today=today)
        app = create_app(self.live, Settings(hosts=hosts or allowed_hosts("127.0.0.1"),
                                             token=token, printer=printer))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, access_log=False,
                                log_level="warning", log_config=None, lifespan="on",
                                timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self) -> Client:
        return Client(self.url)


def events(url: str, timeout: float = 30) -> Iterator[dict[str, Any]]:
    """The server-sent events of ``/events``, parsed, as they arrive."""
    import json

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    conn.request("GET", "/events", headers={"accept": "text/event-stream"})
    resp = conn.getresponse()
    assert resp.status == 200, resp.status
    try:
        while True:
            line = resp.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                yield json.loads(line[6:])
    finally:
        conn.close()


def wait_for(predicate: Any, timeout: float = 30, what: str = "the condition") -> Any:
    """Poll until ``predicate()`` is truthy (tests never assert timings, only outcomes)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
