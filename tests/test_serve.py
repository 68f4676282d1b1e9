"""`handouts serve` over real HTTP: library, preview, check findings, live reload, personal
copies, and the safety rules (CSRF, paths, sizes, hosts, tokens, logs)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from serve_support import PATIENT, Client, ThreadServer, events, make_workspace, wait_for

from handouts.serve.live import View

pytest.importorskip("uvicorn")


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def server(ws: Path) -> Iterator[ThreadServer]:
    with ThreadServer(ws) as running:
        yield running


def _text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- authors: library, preview


def test_library_lists_every_edition_with_its_review_status(server: ThreadServer,
                                                            ws: Path) -> None:
    overdue = ws / "content" / "overdue"
    overdue.mkdir()
    (overdue / "en.yaml").write_text(
        (ws / "content/demo/en.yaml").read_text().replace("review_by: 2027-03-02",
                                                          "review_by: 2026-03-03"))
    server.live.changed([overdue / "en.yaml"])
    page = _page_with(server.client(), "/", "/h/overdue")
    rows = {(m.group(1), m.group(2)): m.group(3) for m in re.finditer(
        r'href="/h/([a-z0-9-]+)\?lang=([A-Za-z-]+)">.*?class="status status-(\w+)"', page, re.S)}
    assert rows[("demo", "en")] == "pass"
    assert rows[("nk-cells", "en-GB")] == rows[("nk-cells", "en-US")] == "pass"  # its editions
    assert rows[("overdue", "en")] == "fail"
    assert "review-dates" in page and "2026-03-03" in page


def test_preview_page_shows_the_pages_and_the_check_report(server: ThreadServer) -> None:
    client = server.client()
    page = client.get("/h/demo?layout=standard&paper=a4").text
    images = re.findall(r'src="(/h/demo/page/\d+\.png\?[^"]+)"', page)
    assert images, "no page images"
    png = client.get(images[0].replace("&amp;", "&"))
    assert png.status == 200 and png.headers["content-type"] == "image/png"
    assert png.body.startswith(b"\x89PNG\r\n\x1a\n")
    # check's report beside the pages, with its findings at file:line:col
    assert "layout-fit" in page and "reading-level" in page
    assert re.search(r"<code>content/demo/en\.yaml:\d+:\d+</code>", page), \
        "no finding with file:line:col"


def test_each_option_is_a_view_rendered_once(server: ThreadServer) -> None:
    client = server.client()
    for query in ("", "?layout=trifold", "?layout=large-print&paper=a4&grayscale=1",
                  "?clinic=example-clinic"):
        assert client.get(f"/h/demo{query}").status == 200
    views = set(server.live._pages)
    assert View("demo", "en", "trifold", "letter") in views
    assert View("demo", "en", "large-print", "a4", grayscale=True) in views
    assert View("demo", "en", "standard", "letter", clinic="example-clinic") in views
    before = server.live.renders
    client.get("/h/demo?layout=trifold")
    assert server.live.renders == before, "a view already rendered was rendered again"


def test_a_broken_file_shows_the_cli_message_and_the_server_keeps_going(
        server: ThreadServer, ws: Path) -> None:
    content = ws / "content/demo/en.yaml"
    good = content.read_text()
    client = server.client()
    assert client.get("/h/demo").status == 200
    content.write_text(good.replace("key_points:", "key_point:"))
    cli = subprocess.run([sys.executable, "-m", "handouts", "--root", str(ws), "make", "demo",
                          "-o", str(ws.parent / "x.pdf")], capture_output=True, text=True,
                         check=False, env={**os.environ, "HANDOUTS_ROOT": ""})
    assert cli.returncode == 1
    message = cli.stderr.strip()
    assert message.startswith("error: ") and "key_point" in message

    shown = _page_with(client, "/h/demo/pages?lang=en&layout=standard&paper=letter",
                       "cannot be shown")
    import html

    assert html.escape(message, quote=False) in shown or message in html.unescape(shown)
    assert client.get("/").status == 200  # still serving
    content.write_text(good)
    wait_for(lambda: "cannot be shown" not in client.get(
        "/h/demo/pages?lang=en&layout=standard&paper=letter").text, what="recovery")


def test_saving_a_file_refreshes_only_what_it_affects(server: ThreadServer, ws: Path) -> None:
    client = server.client()
    client.get("/h/demo")
    client.get("/h/nk-cells")
    demo = View("demo", "en", "standard", "letter")
    other = View("nk-cells", server.live.default_language("nk-cells"), "standard", "letter")
    untouched = server.live._pages[other]
    seen: list[dict[str, object]] = []
    ready = threading.Event()

    def listen() -> None:
        for event in events(server.url):
            seen.append(event)
            ready.set()
            if event["part"] == "report":
                return

    server.live.announce({"part": "hello", "slugs": [], "generation": 0})
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    wait_for(lambda: server.live._listeners, what="the event stream")
    seen.clear()
    first = server.live._pages[demo]
    content = ws / "content/demo/en.yaml"
    content.write_text(content.read_text().replace("Keep moving gently", "Keep moving softly"))
    listener.join(timeout=30)
    pages_event = next(e for e in seen if e["part"] == "pages")
    assert pages_event["slugs"] == ["demo"]
    assert server.live._pages[demo] is not first
    assert server.live._pages[demo].generation > first.generation
    assert server.live._pages[other] is untouched, "an unrelated handout was re-rendered"


def test_quick_saves_coalesce(server: ThreadServer, ws: Path) -> None:
    client = server.client()
    client.get("/h/demo")
    before = server.live.renders
    content = ws / "content/demo/en.yaml"
    text = content.read_text()
    for n in range(8):  # as fast as an editor's autosave can go
        content.write_text(text.replace("Keep moving gently", f"Keep moving gently ({n})"))
    wait_for(lambda: "(7)" in _flat(_text(server.live.run(
        lambda: server.live.pdf(View("demo", "en", "standard", "letter"))).data)),
        what="the last save")
    wait_for(lambda: server.live.renders > before, what="a re-render")
    assert server.live.renders - before < 8, "every save was rendered on its own"


# ---------------------------------------------------------------- staff: personal copies


def test_download_holds_the_patient_name_exactly(server: ThreadServer, ws: Path) -> None:
    reply = server.client().copy(name=PATIENT, clinician="Dr. Mehta", note="See you in June",
                                 date="2026-12-01", layout="standard", paper="a4",
                                 action="download")
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"].startswith("attachment;")
    assert PATIENT not in reply.headers["content-disposition"]
    text = _flat(_text(reply.body))
    assert PATIENT in text and "Dr. Mehta" in text and "See you in June" in text
    assert "no-store" in reply.headers["cache-control"]
    assert not list(ws.rglob("*.pdf")), "a personal copy was written to disk"


def test_preview_of_a_copy_is_inline_and_keeps_the_form(server: ThreadServer) -> None:
    reply = server.client().copy(name=PATIENT, action="preview", layout="trifold")
    assert reply.status == 200
    assert reply.text.count('src="data:image/png;base64,') == 2
    assert 'value="Ana &lt;b&gt;&amp; López"' in reply.text  # escaped, never markup


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "Ana\nLópez"}, "the patient name (--for) must be one line"),
    ({"note": "x" * 501}, "the note (--note) is 501 characters long; the limit is 500"),
    ({"date": "2026-02-30"}, "the date (--date) must be a date as YYYY-MM-DD"),
    ({"name": "Ana \u202eLópez"}, "contains an invisible or control character"),
    ({"layout": "nope"}, "no layout named 'nope'"),
    ({"paper": "a5"}, "unknown paper 'a5'"),
    ({"copies": "0", "action": "print"}, "the number of copies must be from 1 to 50"),
    ({"action": "email", "to": ""}, "email address (--to) is needed"),
    ({"action": "email", "to": "not an address"}, "not an address"),
])
def test_bad_input_gets_the_cli_message_never_a_traceback(
        server: ThreadServer, form: dict[str, str], message: str,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if form.get("action") == "print":
        _fake_lp(monkeypatch, tmp_path)
    reply = server.client().copy(**{"action": "preview", **form})
    assert reply.status in (400, 502)
    import html

    assert message in html.unescape(reply.text)
    assert "Traceback" not in reply.text


def _fake_lp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An `lp` on PATH (only its presence matters: the copies check comes first)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "lp").write_text("#!/bin/sh\necho 'request id is fake-1 (1 file(s))'\n")
    (bin_dir / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_without_cups_the_page_says_so_and_offers_the_download(
        server: ThreadServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    page = server.client().get("/h/demo").text
    assert "Printing is not available" in page and 'value="print"' not in page
    assert 'value="download"' in page
    reply = server.client().copy(name="Ana", action="print")
    assert reply.status == 502
    assert "no &#39;lp&#39; command" in reply.text or "no 'lp' command" in reply.text
    assert "download the PDF" in reply.text


# ---------------------------------------------------------------- safe by default


def test_every_response_has_a_strict_policy_and_no_inline_script(server: ThreadServer) -> None:
    client = server.client()
    for path in ("/", "/h/demo", "/h/demo/pages", "/h/demo/report", "/h/missing",
                 "/static/serve.js", "/static/serve.css"):
        reply = client.get(path)
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert reply.headers["x-content-type-options"] == "nosniff"
        if reply.headers["content-type"].startswith("text/html"):
            assert not re.search(r"<script(?![^>]*\bsrc=)", reply.text), f"inline script: {path}"
            assert not re.search(r"\son\w+=", reply.text), f"inline handler: {path}"
            assert " style=" not in reply.text, f"inline style: {path}"


def test_post_without_the_csrf_token_is_refused(server: ThreadServer) -> None:
    client = server.client()
    client.csrf()
    for form in ({"name": "Ana", "action": "download"},
                 {"name": "Ana", "action": "download", "csrf": "0" * 64}):
        reply = client.post("/h/demo/copy", form)
        assert reply.status == 403 and "nothing was done" in reply.text
    # a token from another browser's session is no good either
    other = Client(server.url)
    reply = other.post("/h/demo/copy", {"csrf": client.csrf(), "action": "download"})
    assert reply.status == 403
    # nor is a form posted from another site
    token = client.csrf()
    reply = client.post("/h/demo/copy", {"csrf": token, "action": "download"},
                        origin="http://evil.example")
    assert reply.status == 403
    assert client.post("/h/demo/copy", {"csrf": token, "action": "download"}).status == 200


@pytest.mark.parametrize("path", [
    "/h/..%2F..%2F..%2Fetc%2Fpasswd",
    "/h/../../etc/passwd",
    "/static/..%2F..%2F..%2Fpyproject.toml",
    "/static/../app.py",
    "/h/demo/page/1.png?layout=..%2F..%2Fetc",
    "/h/demo?lang=..%2F..%2Fen",
    "/h/demo?clinic=..%2Fsecret",
    "/h/DEMO",
])
def test_paths_never_leave_the_workspace(server: ThreadServer, path: str) -> None:
    reply = server.client().get(path)
    assert reply.status in (400, 404), (path, reply.status)
    assert b"root:" not in reply.body and b"[build-system]" not in reply.body
    assert b"import" not in reply.body


def test_oversized_requests_are_refused(server: ThreadServer) -> None:
    client = server.client()
    token = client.csrf()
    reply = client.post("/h/demo/copy", {"csrf": token, "note": "x" * 100_000})
    assert reply.status == 413


def test_a_foreign_host_header_is_refused(server: ThreadServer) -> None:
    reply = server.client().get("/", host="evil.example")
    assert reply.status == 400


def test_with_a_token_every_request_needs_it(ws: Path) -> None:
    token = "a-long-enough-token-for-tests"
    with ThreadServer(ws, token=token) as running:
        client = running.client()
        assert client.get("/").status == 401
        assert client.get("/h/demo").status == 401
        first = client.get(f"/?token={token}")
        assert first.status == 303 and first.headers["location"] == "/"
        assert client.get("/").status == 200  # the cookie carries it now
        assert Client(running.url).get("/?token=wrong-token-wrong-token").status == 401


def test_a_non_loopback_bind_without_a_token_refuses_to_start(ws: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_SERVE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "handouts", "serve", "--root", str(ws),
                           "--host", "0.0.0.0", "--port", "0"], capture_output=True,
                          text=True, timeout=60, env=env, check=False)
    assert done.returncode == 2
    assert "needs an access token; nothing was started" in done.stderr
    assert "--new-token" in done.stderr and "Traceback" not in done.stderr


def test_plan_address() -> None:
    from handouts.errors import UsageError
    from handouts.serve.server import plan_address

    assert plan_address("127.0.0.1", 8000, False, {}).token is None
    assert plan_address("::1", 8000, False, {}).token is None
    assert plan_address("localhost", 8000, False, {}).token is None
    with pytest.raises(UsageError):
        plan_address("192.0.2.7", 8000, False, {})
    made = plan_address("0.0.0.0", 8000, True, {})
    assert made.token and made.token_made
    given = plan_address("0.0.0.0", 8000, True, {"HANDOUTS_SERVE_TOKEN": "t" * 20})
    assert given.token == "t" * 20 and not given.token_made
    with pytest.raises(UsageError, match="too short"):
        plan_address("0.0.0.0", 8000, False, {"HANDOUTS_SERVE_TOKEN": "short"})


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    script = ("import sys; sys.modules['uvicorn'] = None\n"
              "from handouts.cli import main\nmain(['serve'])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False, cwd=tmp_path)
    assert done.returncode == 2
    assert "handouts serve needs the 'serve' extra" in done.stderr
    assert "pip install 'handouts[serve]'" in done.stderr


def test_the_log_holds_no_form_values(ws: Path, tmp_path: Path) -> None:
    """A real `handouts serve` process: its whole output, after a copy was made and sent."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--root",
                                    str(ws), "--port", str(port)], stdout=out, stderr=out)
        try:
            client = Client(f"http://127.0.0.1:{port}")
            wait_for(lambda: _up(client), what="the server")
            secret = {"name": "Zebediah Quillfeather", "clinician": "Dr. Umbriel",
                      "note": "Bring the blue folder", "to": "zebediah@example.org"}
            assert client.copy(**secret, action="download").status == 200
            assert client.copy(**secret, action="preview").status == 200
            client.copy(**secret, action="email")  # no smtp: section: refused, and logged?
            client.copy(**{**secret, "date": "not a date"}, action="preview")
        finally:
            process.terminate()
            process.wait(timeout=30)
    written = log.read_text(encoding="utf-8", errors="replace")
    assert '"POST /h/demo/copy" 200' in written
    for value in secret.values():
        assert value not in written
    for word in ("Zebediah", "Quillfeather", "Umbriel", "folder", "not a date"):
        assert word not in written


def _page_with(client: Client, path: str, needle: str) -> str:
    """The page at ``path`` once it contains ``needle``."""
    def fetch() -> str | None:
        text = client.get(path).text
        return text if needle in text else None
    return wait_for(fetch, what=f"{needle!r} in {path}")


def _up(client: Client) -> bool:
    try:
        return client.get("/").status == 200
    except OSError:
        return False


def test_copies_follow_the_saved_file(server: ThreadServer, ws: Path) -> None:
    """Copies are made in worker processes: after a save they use the new text."""
    client = server.client()
    assert "Keep moving gently" in _flat(_text(client.copy(name="Ana",
                                                           action="download").body))
    content = ws / "content/demo/en.yaml"
    generation = server.live.generation
    content.write_text(content.read_text().replace("Keep moving gently", "Keep strolling"))
    wait_for(lambda: server.live.generation > generation, what="the refresh")
    text = _flat(_text(client.copy(name="Ana", action="download").body))
    assert "Keep strolling" in text and "Keep moving gently" not in text
