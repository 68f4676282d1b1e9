"""The staff form sends for real: email to aiosmtpd on loopback (the code of `handouts email`),
and print jobs through CUPS's `lp` to an IPP printer simulated by `ippeveprinter`.

The print chain is the one of a clinic's computer: ``lp`` → a CUPS scheduler (``cupsd``, here
private, on a free loopback port) → an IPP printer (``ippeveprinter``). The job's attributes
are read back from the printer with ``ipptool``.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from serve_support import PATIENT, ThreadServer, make_workspace, wait_for
from test_email import plain_server, smtp_yaml  # noqa: F401  (a fixture, used by name)

pytest.importorskip("uvicorn")

CLINIC = "clinic:\n  name: Riverside Clinic\n  email: info@riverside.example\n"


def _flat(pdf: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    if password:
        reader.decrypt(password)
    return " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())


# ---------------------------------------------------------------- email


@pytest.fixture
def mail_ws(tmp_path: Path, plain_server, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    monkeypatch.delenv("HANDOUTS_PDF_PASSWORD", raising=False)
    root = make_workspace(tmp_path / "ws", CLINIC + "smtp:\n" + smtp_yaml(
        plain_server.port, "plain"))
    return root, plain_server


def test_email_from_the_form_reaches_the_mail_server(mail_ws) -> None:
    root, smtp = mail_ws
    with ThreadServer(root) as server:
        reply = server.client().copy(name=PATIENT, clinician="Dr. Mehta", action="email",
                                     to="Ana López <ana@example.org>", paper="a4")
    assert reply.status == 200, reply.text
    said = html.unescape(reply.text)
    assert re.search(r"Sent demo\.pdf \([\d.]+ KB, \d pages?\) to ana@example\.org via "
                     r"127\.0\.0\.1:\d+ \(plain\)\.", said), said
    message = smtp.inbox.only()
    assert message["To"].addresses[0].addr_spec == "ana@example.org"
    assert message["From"].addresses[0].addr_spec == "info@riverside.example"
    attached = next(part for part in message.iter_attachments())
    assert attached.get_filename() == "demo.pdf"
    pdf = attached.get_content()
    assert PATIENT in _flat(pdf) and "Dr. Mehta" in _flat(pdf)
    assert round(float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)) == 595  # A4


def test_email_with_a_password_shows_it_once_and_never_mails_it(mail_ws) -> None:
    pytest.importorskip("pikepdf")
    root, smtp = mail_ws
    with ThreadServer(root) as server:
        reply = server.client().copy(name=PATIENT, action="email", to="ana@example.org",
                                     password_protect="1")
    assert reply.status == 200, reply.text
    found = re.search(r"PDF password: ([A-Z0-9-]+)", reply.text)
    assert found, reply.text
    password = found.group(1)
    raw = smtp.inbox.received[0][2]
    assert password.encode() not in raw and PATIENT.encode() not in raw
    attached = next(part for part in smtp.inbox.only().iter_attachments())
    assert attached.get_filename() == "handout.pdf"
    assert PATIENT in _flat(attached.get_content(), password)


def test_a_mail_server_that_is_down_is_a_clear_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = make_workspace(tmp_path / "ws", CLINIC + "smtp:\n" + smtp_yaml(port, "plain"))
    with ThreadServer(root) as server:
        reply = server.client().copy(name="Ana", action="email", to="ana@example.org")
        assert reply.status == 502
        assert "nothing was sent" in html.unescape(reply.text)
        assert server.client().get("/").status == 200


def test_without_smtp_settings_the_form_says_what_to_add(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    with ThreadServer(make_workspace(tmp_path / "ws", CLINIC)) as server:
        reply = server.client().copy(name="Ana", action="email", to="ana@example.org")
    assert reply.status == 502
    assert "no mail server is set up" in reply.text and "smtp:" in reply.text


# ---------------------------------------------------------------- printing


@dataclass
class Printers:
    """A private CUPS scheduler with one queue, ``front-desk``, feeding an IPP printer."""

    cups: str  # host:port of cupsd, for CUPS_SERVER
    printer_uri: str  # the IPP printer itself, for ipptool

    def job(self, job_id: int) -> dict[str, str]:
        """The printer's attributes of one job (ipptool Get-Job-Attributes)."""
        test = Path(os.environ.get("TMPDIR", "/tmp")) / f"gja-{os.getpid()}.test"
        test.write_text(GET_JOB)
        done = subprocess.run(["ipptool", "-tv", "-d", f"job_id={job_id}", self.printer_uri,
                               str(test)], capture_output=True, text=True, timeout=30,
                              check=False)
        return dict(re.findall(r"^\s+([\w-]+) \([^)]*\) = (.*)$", done.stdout, re.M))

    def jobs(self) -> int:
        """How many jobs the printer has been sent."""
        count = 0
        while "job-state" in self.job(count + 1):
            count += 1
        return count


GET_JOB = """{
    NAME "job attributes"
    OPERATION Get-Job-Attributes
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR naturalLanguage attributes-natural-language en
    ATTR uri printer-uri $uri
    ATTR integer job-id $job_id
    ATTR keyword requested-attributes all
}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def printers() -> Iterator[Printers]:
    needed = ("ippeveprinter", "cupsd", "lp", "lpadmin", "ipptool", "dbus-daemon")
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        why = f"printing tests need {', '.join(missing)} (apt-get install cups-ipp-utils " \
              "cups-client cups-daemon dbus-daemon)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    if os.geteuid() != 0 and os.environ.get("CI") != "true":
        pytest.skip("the private cupsd of the printing tests runs as root (as in CI)")
    # CUPS's backends run as the lp user: the spool must be reachable for it (pytest's
    # temporary folders are private to root)
    base = Path(tempfile.mkdtemp(prefix="handouts-cups-"))
    base.chmod(0o755)
    for folder in ("conf", "spool", "cache", "state", "log", "printer"):
        (base / folder).mkdir()
        (base / folder).chmod(0o777)
    processes: list[subprocess.Popen[bytes]] = []
    env = dict(os.environ)
    # ippeveprinter registers with DNS-SD through avahi, which needs a D-Bus: a private one
    bus = base / "bus"
    processes.append(subprocess.Popen(
        ["dbus-daemon", "--session", f"--address=unix:path={bus}", "--nofork"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_for(bus.exists, what="the private D-Bus")
    env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={bus}"
    ipp_port, cups_port = _free_port(), _free_port()
    processes.append(subprocess.Popen(
        ["ippeveprinter", "-2", "-k", "-v", "-s", "600", "-n", "localhost", "-p", str(ipp_port),
         "-d", str(base / "printer"), "-f", "application/pdf", "-r", "off", "test-printer"],
        env=env, stdout=subprocess.DEVNULL, stderr=(base / "log" / "ipp").open("wb")))
    (base / "conf" / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{cups_port}\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
    (base / "conf" / "cups-files.conf").write_text(
        f"ServerRoot {base / 'conf'}\nRequestRoot {base / 'spool'}\nCacheDir {base / 'cache'}\n"
        f"StateDir {base / 'state'}\nTempDir {base / 'spool'}\n"
        f"ErrorLog {base / 'log' / 'error_log'}\nAccessLog {base / 'log' / 'access_log'}\n"
        f"PageLog {base / 'log' / 'page_log'}\nSystemGroup root\n")
    processes.append(subprocess.Popen(
        ["cupsd", "-f", "-c", str(base / "conf" / "cupsd.conf"),
         "-s", str(base / "conf" / "cups-files.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        wait_for(lambda: _listening(ipp_port) and _listening(cups_port),
                 what="ippeveprinter and cupsd")
        cups = f"127.0.0.1:{cups_port}"
        uri = f"ipp://localhost:{ipp_port}/ipp/print"
        # a raw queue: CUPS passes the PDF and the job's attributes on to the printer as is
        subprocess.run(["lpadmin", "-h", cups, "-p", "front-desk", "-E", "-v", uri, "-m", "raw"],
                       check=True, capture_output=True, timeout=30)
        yield Printers(cups, uri)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(("layout", "paper", "copies", "sides", "media"), [
    ("trifold", "a4", "2", "two-sided-short-edge", "iso_a4_210x297mm"),
    ("standard", "letter", "3", "two-sided-long-edge", "na_letter_8.5x11in"),
    ("large-print", "a4", "1", "two-sided-long-edge", "iso_a4_210x297mm"),
])
def test_print_job_reaches_the_printer_with_sides_copies_and_media(
        printers: Printers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str,
        paper: str, copies: str, sides: str, media: str) -> None:
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    monkeypatch.setenv("CUPS_SERVER", printers.cups)
    before = printers.jobs()
    with ThreadServer(make_workspace(tmp_path / "ws"), printer="front-desk") as server:
        reply = server.client().copy(name=PATIENT, action="print", layout=layout, paper=paper,
                                     copies=copies)
    assert reply.status == 200, html.unescape(reply.text)
    said = html.unescape(reply.text)
    assert re.search(r"Sent to printer front-desk as job front-desk-\d+", said), said
    job_id = before + 1
    attributes = wait_for(lambda: (a := printers.job(job_id)).get("job-state") == "completed"
                          and a, what=f"the job to complete: {printers.job(job_id)}")
    assert attributes["sides"] == sides
    assert attributes.get("copies", "1") == copies  # IPP: no copies attribute means one
    assert attributes["media"] == media
    assert attributes["document-format-supplied"] == "application/pdf"
    assert PATIENT not in attributes.get("job-name", ""), "the patient's name in the job title"


def test_a_printer_that_does_not_exist_is_a_clear_error(
        printers: Printers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    monkeypatch.setenv("CUPS_SERVER", printers.cups)
    with ThreadServer(make_workspace(tmp_path / "ws"), printer="nowhere") as server:
        reply = server.client().copy(name="Ana", action="print")
    assert reply.status == 502
    said = html.unescape(reply.text)
    assert "CUPS refused the job" in said and "download the PDF" in said
