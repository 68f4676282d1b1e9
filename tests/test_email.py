"""`handouts email`: real MIME messages, a real SMTP server (aiosmtpd) on loopback, real TLS."""

from __future__ import annotations

import datetime
import io
import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pypdf import PdfReader

from handouts.build import build_pdf, load, resolve
from handouts.cli import main
from handouts.content.personal import personal_fields
from handouts.deliver.email import prepare, send_prepared
from handouts.deliver.message import Letter, compose, parse_address, to_bytes
from handouts.errors import DeliveryError, UsageError
from handouts.workspace.config import Smtp
from handouts.workspace.finder import Workspace

USER, PASSWORD = "clinic-mailer", "correct horse battery staple"
PATIENT = "Ana López"

# ------------------------------------------------------------------ a real SMTP server


@dataclass
class Inbox:
    """aiosmtpd handler: keeps what it receives; scripted replies make it refuse."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        return "250 Message accepted for delivery"

    def only(self) -> EmailMessage:
        assert len(self.received) == 1
        return BytesParser(policy=policy.default).parsebytes(self.received[0][2])


class LoopbackController(Controller):
    """A Controller on a free loopback port (port 0: the OS picks one)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost / 127.0.0.1, made for this test run."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("needs the cryptography package or the openssl command")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True,
                       capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    made = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(private, hashes.SHA256()))
    cert.write_bytes(made.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, key


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


@dataclass
class Server:
    inbox: Inbox
    port: int


def _serve(inbox: Inbox, **options: Any) -> Iterator[Server]:
    controller = LoopbackController(inbox, hostname="127.0.0.1", port=0, **options)
    controller.start()
    try:
        yield Server(inbox, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(server_tls: ssl.SSLContext) -> Iterator[Server]:
    """STARTTLS required, login required (only over TLS)."""
    yield from _serve(Inbox(), tls_context=server_tls, require_starttls=True,
                      authenticator=_authenticate, auth_required=True, auth_require_tls=True)


@pytest.fixture
def tls_server(server_tls: ssl.SSLContext) -> Iterator[Server]:
    """Implicit TLS from the first byte."""
    yield from _serve(Inbox(), ssl_context=server_tls)


@pytest.fixture
def plain_server() -> Iterator[Server]:
    """No TLS, no login: a local relay."""
    yield from _serve(Inbox())


# ------------------------------------------------------------------ workspace and CLI


def workspace(folder: Path, smtp: str = "", clinic_email: str = "info@riverside.example") -> Path:
    (folder / "handouts.yaml").write_text(
        "clinic:\n"
        "  name: Riverside Clinic\n"
        "  phone: 555-0100\n"
        f"  email: {clinic_email}\n"
        + (f"smtp:\n{smtp}" if smtp else ""), encoding="utf-8")
    return folder


def smtp_yaml(port: int, security: str, ca: Path | None = None, user: bool = False,
              sender: str | None = None) -> str:
    lines = ["  host: 127.0.0.1", f"  port: {port}", f"  security: {security}",
             "  timeout: 10"]
    if sender is not None:
        lines.append(f"  sender: {sender}")
    if ca is not None:
        lines.append(f"  ca_file: {ca}")
    if user:
        lines.append(f"  user: {USER}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("HANDOUTS_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("HANDOUTS_PDF_PASSWORD", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def call(*args: str) -> Run:
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        return Run(int(exc.value.code or 0), captured.out, captured.err)

    return call


def expected_pdf(root: Path, name: str | None = PATIENT) -> bytes:
    ws = Workspace.discover(root=root)
    layout, paper = resolve(ws, None, None)
    return build_pdf(load(ws, "nk-cells"), layout, paper, ws.config.clinic,
                     personal=personal_fields(name)).data


def attachment(msg: EmailMessage) -> EmailMessage:
    parts = list(msg.iter_attachments())
    assert len(parts) == 1
    return parts[0]  # type: ignore[return-value]


# ------------------------------------------------------------------ --eml and --dry-run


def test_eml_file_is_a_complete_message_that_parses_back(tmp_path: Path, run: Any) -> None:
    out = tmp_path / "out.eml"
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "someone@example.org",
                 "--for", PATIENT, "--eml", str(out))
    assert result.code == 0, result.err
    assert "out.eml" in result.out and PATIENT not in result.out
    raw = out.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert not msg.defects
    assert msg["To"].addresses[0].addr_spec == "someone@example.org"
    assert msg["Subject"] == "Your handout: NK cells and repeated miscarriage"
    assert msg["X-Unsent"] == "1"  # opens as a draft to send
    assert msg["Message-ID"] and msg["Date"] and msg["Content-Language"] == "en-GB"
    assert msg["From"] is None  # no clinic configured: the mail client fills it in
    text = msg.get_body(preferencelist=("plain",)).get_content()
    page = msg.get_body(preferencelist=("html",)).get_content()
    assert f"Hello {PATIENT}," in text and "nk-cells.pdf" in text
    assert '<html lang="en-GB">' in page and "<h1 " in page and "<h2 " in page
    assert f"Hello {PATIENT}," in page
    pdf = attachment(msg)
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "nk-cells.pdf"
    assert pdf.get_content() == expected_pdf(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["out.eml"]  # no PDF left on disk


def test_from_and_reply_to_come_from_the_clinic(tmp_path: Path, run: Any) -> None:
    workspace(tmp_path)
    out = tmp_path / "m.eml"
    assert run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org",
               "--clinician", "Dr. Mehta", "--eml", str(out)).code == 0
    msg = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    clinic = Address("Riverside Clinic", addr_spec="info@riverside.example")
    assert msg["From"].addresses == (clinic,)
    assert msg["Reply-To"] is None  # the same as From
    assert msg["Subject"] == ("Your handout: NK cells and repeated miscarriage"
                              " \u2013 Riverside Clinic")
    assert msg["Message-ID"].endswith("@riverside.example>")
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Dr. Mehta asked us to send it to you." in text
    assert "Call us: 555-0100." in text and "Riverside Clinic" in text
    assert "Hello," in text


def test_a_clinic_profile_gives_from_signature_and_branding(tmp_path: Path, run: Any) -> None:
    from handouts.content.clinic import resolve_clinic

    out = tmp_path / "m.eml"
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org",
                 "--clinic", "example-clinic", "--eml", str(out))
    assert result.code == 0, result.err
    msg = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    profile = resolve_clinic(Workspace.discover(root=tmp_path), "example-clinic")
    assert profile is not None and profile.email
    assert msg["From"].addresses == (Address(profile.name, addr_spec=profile.email),)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert profile.name in text and ", ".join(profile.address_lines) in text
    ws = Workspace.discover(root=tmp_path)
    layout, paper = resolve(ws, None, None)
    assert attachment(msg).get_content() == build_pdf(load(ws, "nk-cells"), layout, paper,
                                                      profile).data


def test_dry_run_shows_the_message_and_sends_nothing(tmp_path: Path, run: Any,
                                                     plain_server: Server) -> None:
    workspace(tmp_path, smtp_yaml(plain_server.port, "plain"))
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org",
                 "--for", PATIENT, "--dry-run")
    assert result.code == 0, result.err
    assert "To:       ana@example.org" in result.out
    assert "Attached: nk-cells.pdf (" in result.out and "would be sent via 127.0.0.1" in result.out
    assert f"Hello {PATIENT}," in result.out
    assert plain_server.inbox.received == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handouts.yaml"]


# ------------------------------------------------------------------ sending


def test_send_with_starttls_and_login_delivers_the_same_pdf(
        tmp_path: Path, run: Any, starttls_server: Server, certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace(tmp_path, smtp_yaml(starttls_server.port, "starttls", certificate[0], user=True,
                                  sender="'Riverside mailer <noreply@riverside.example>'"))
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", PASSWORD)
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to",
                 f'"{PATIENT}" <someone@example.org>', "--for", PATIENT)
    assert result.code == 0, result.err
    assert result.out.startswith("sent nk-cells.pdf (")
    assert "someone@example.org" in result.out and "(starttls)" in result.out
    assert PATIENT not in result.out and PASSWORD not in result.out
    sender, recipients, _ = starttls_server.inbox.received[0]
    assert (sender, recipients) == ("noreply@riverside.example", ["someone@example.org"])
    msg = starttls_server.inbox.only()
    assert msg["To"].addresses[0].display_name == PATIENT
    assert str(msg["From"]) == "Riverside mailer <noreply@riverside.example>"
    assert str(msg["Reply-To"]) == "Riverside Clinic <info@riverside.example>"
    assert msg.get_body(preferencelist=("plain",)) is not None
    assert msg.get_body(preferencelist=("html",)) is not None
    assert attachment(msg).get_content() == expected_pdf(tmp_path)
    assert "Prepared for Ana López" in PdfReader(io.BytesIO(attachment(msg).get_content())) \
        .pages[0].extract_text()


def test_send_with_implicit_tls(tmp_path: Path, run: Any, tls_server: Server,
                                certificate: tuple[Path, Path]) -> None:
    workspace(tmp_path, smtp_yaml(tls_server.port, "tls", certificate[0]))
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 0, result.err
    assert "(tls)" in result.out
    assert attachment(tls_server.inbox.only()).get_content() == expected_pdf(tmp_path, None)


def test_an_untrusted_certificate_stops_the_send(tmp_path: Path, run: Any,
                                                 starttls_server: Server,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    workspace(tmp_path, smtp_yaml(starttls_server.port, "starttls", user=True))
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", PASSWORD)
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "is not trusted" in result.err and "smtp.ca_file" in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert starttls_server.inbox.received == []


def test_a_wrong_password_is_a_clear_error(tmp_path: Path, run: Any, starttls_server: Server,
                                           certificate: tuple[Path, Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    workspace(tmp_path, smtp_yaml(starttls_server.port, "starttls", certificate[0], user=True))
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "wrong")
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "refused the login for smtp.user: 535" in result.err
    assert "wrong" not in result.err and result.out == ""
    assert starttls_server.inbox.received == []


def test_a_missing_password_stops_before_connecting(tmp_path: Path, run: Any) -> None:
    workspace(tmp_path, smtp_yaml(1, "starttls", user=True))
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "HANDOUTS_SMTP_PASSWORD is empty" in result.err


def test_starttls_is_never_skipped(tmp_path: Path, run: Any, plain_server: Server) -> None:
    workspace(tmp_path, smtp_yaml(plain_server.port, "starttls"))
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "does not offer STARTTLS" in result.err
    assert plain_server.inbox.received == []


def test_plain_text_to_another_computer_needs_insecure(tmp_path: Path, run: Any) -> None:
    workspace(tmp_path, "  host: mail.riverside.example\n  security: plain\n")
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "unencrypted" in result.err and "--insecure" in result.err


def test_connection_refused(tmp_path: Path, run: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workspace(tmp_path, smtp_yaml(port, "plain"))
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert f"cannot connect to 127.0.0.1:{port}: connection refused; nothing was sent" \
        in result.err
    assert result.out == ""


def test_a_server_that_never_answers_times_out(tmp_path: Path, run: Any) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        workspace(tmp_path, smtp_yaml(port, "plain").replace("timeout: 10", "timeout: 1"))
        result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert f"127.0.0.1:{port} did not answer within 1 s; nothing was sent" in result.err
    assert result.out == ""


def test_no_smtp_settings_suggests_eml(tmp_path: Path, run: Any) -> None:
    workspace(tmp_path)
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "no mail server is set up" in result.err and "--eml" in result.err


def test_a_message_over_the_servers_size_limit_is_not_sent(tmp_path: Path) -> None:
    inbox = Inbox()
    for server in _serve(inbox, data_size_limit=20_000):
        ready = _ready(tmp_path, server.port)
        with pytest.raises(DeliveryError, match="accepts at most 20 KB; nothing was sent"):
            send_prepared(ready, Smtp(host="127.0.0.1", port=server.port, security="plain"))
    assert inbox.received == []


# ------------------------------------------------------------------ retries


def _ready(root: Path, port: int) -> Any:
    workspace(root, smtp_yaml(port, "plain"))
    return prepare(Workspace.discover(root=root), "nk-cells", "ana@example.org",
                   personal=personal_fields(PATIENT))


def test_a_temporary_failure_is_retried_then_delivered(tmp_path: Path,
                                                       plain_server: Server) -> None:
    plain_server.inbox.rcpt_replies = ["451 4.3.0 Try again later"]
    plain_server.inbox.data_replies = []
    ready = _ready(tmp_path, plain_server.port)
    waits: list[float] = []
    sent = send_prepared(ready, Smtp(host="127.0.0.1", port=plain_server.port,
                                     security="plain"), backoff=(0.25, 1.0), sleep=waits.append)
    assert sent.attempts == 2 and waits == [0.25]
    assert len(plain_server.inbox.received) == 1


def test_temporary_failures_give_up_after_the_last_retry(tmp_path: Path,
                                                          plain_server: Server) -> None:
    plain_server.inbox.data_replies = ["452 4.3.1 Insufficient system storage"] * 3
    ready = _ready(tmp_path, plain_server.port)
    waits: list[float] = []
    with pytest.raises(DeliveryError) as exc:
        send_prepared(ready, Smtp(host="127.0.0.1", port=plain_server.port, security="plain"),
                      backoff=(0.1, 0.2), sleep=waits.append)
    assert waits == [0.1, 0.2]
    assert "452 4.3.1 Insufficient system storage (gave up after 3 attempts; nothing was sent)" \
        in str(exc.value)
    assert exc.value.exit_code == 5
    assert plain_server.inbox.received == []


def test_a_dropped_connection_is_retried(tmp_path: Path) -> None:
    import threading

    with socket.socket() as rude:  # accepts, then hangs up before the greeting
        rude.bind(("127.0.0.1", 0))
        rude.listen(5)
        port = rude.getsockname()[1]
        ready = _ready(tmp_path, port)

        def hang_up() -> None:
            for _ in range(3):
                conn, _ = rude.accept()
                conn.close()

        worker = threading.Thread(target=hang_up, daemon=True)
        worker.start()
        waits: list[float] = []
        with pytest.raises(DeliveryError) as exc:
            send_prepared(ready, Smtp(host="127.0.0.1", port=port, security="plain", timeout=5),
                          backoff=(0.01, 0.02), sleep=waits.append)
        worker.join(5)
    assert waits == [0.01, 0.02]
    assert "closed the connection (gave up after 3 attempts; nothing was sent)" in str(exc.value)


@pytest.mark.parametrize(("where", "reply", "message"), [
    ("rcpt", "550 5.1.1 No such user", "refused the recipient: 550 5.1.1 No such user"),
    ("data", "554 5.7.1 Message rejected", "refused the message: 554 5.7.1 Message rejected"),
])
def test_a_permanent_failure_is_not_retried(tmp_path: Path, plain_server: Server, where: str,
                                            reply: str, message: str) -> None:
    setattr(plain_server.inbox, f"{where}_replies", [reply])
    ready = _ready(tmp_path, plain_server.port)
    waits: list[float] = []
    with pytest.raises(DeliveryError) as exc:
        send_prepared(ready, Smtp(host="127.0.0.1", port=plain_server.port, security="plain"),
                      backoff=(0.1,), sleep=waits.append)
    assert message in str(exc.value) and "nothing was sent" in str(exc.value)
    assert waits == []
    assert plain_server.inbox.received == []


# ------------------------------------------------------------------ addresses and headers


@pytest.mark.parametrize(("option", "value"), [
    ("--to", "ana@example.org\r\nBcc: everyone@example.org"),
    ("--to", "ana@example.org\nBcc: everyone@example.org"),
    ("--subject", "Hello\r\nBcc: everyone@example.org"),
    ("--subject", "Hello\nX-Injected: yes"),
    ("--for", "Ana\r\nBcc: everyone@example.org"),
    ("--clinician", "Dr.\nBcc: everyone@example.org"),
    ("--note", "hi\r\n\r\n<html>"),
])
def test_header_injection_is_refused(tmp_path: Path, run: Any, plain_server: Server,
                                     option: str, value: str) -> None:
    workspace(tmp_path, smtp_yaml(plain_server.port, "plain"))
    args = {"--to": "ana@example.org", option: value}
    result = run("--root", str(tmp_path), "email", "nk-cells",
                 *[x for pair in args.items() for x in pair])
    assert result.code == 2
    assert "line break" in result.err and "Traceback" not in result.err
    assert plain_server.inbox.received == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handouts.yaml"]


def test_a_clinic_name_with_a_line_break_is_refused(tmp_path: Path, run: Any) -> None:
    (tmp_path / "handouts.yaml").write_text(
        'clinic:\n  name: "Riverside\\r\\nBcc: everyone@example.org"\n'
        "  email: info@riverside.example\n", encoding="utf-8")
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org",
                 "--eml", str(tmp_path / "x.eml"))
    assert result.code == 2 and "clinic.name" in result.err and "line break" in result.err
    assert not (tmp_path / "x.eml").exists()


@pytest.mark.parametrize(("given", "name", "spec"), [
    ('"López, Ana" <ana@example.org>', "López, Ana", "ana@example.org"),
    ('"Ana \\"Nena\\" López" <ana@example.org>', 'Ana "Nena" López', "ana@example.org"),
    ("Ana López <ana@example.org>", "Ana López", "ana@example.org"),
    ("ana.lopez+handouts@mail.example.org", "", "ana.lopez+handouts@mail.example.org"),
])
def test_display_names_with_commas_and_quotes_survive(given: str, name: str, spec: str) -> None:
    address = parse_address(given)
    assert (address.display_name, address.addr_spec) == (name, spec)
    letter = Letter(language="en", title="T", subject="S", filename="t.pdf")
    msg = compose(letter, b"%PDF-1.4 test", to=address,
                  sender=Address("Clinic, Riverside", addr_spec="info@riverside.example"))
    back = BytesParser(policy=policy.default).parsebytes(to_bytes(msg, b"%PDF-1.4 test"))
    assert back["To"].addresses == (address,)
    assert back["From"].addresses[0].display_name == "Clinic, Riverside"


@pytest.mark.parametrize("given", [
    "not-an-address", "ana@", "@example.org", "ana@exa mple.org", "ana@example..org",
    "López, Ana <ana@example.org>", "ana@example.org, bob@example.org", "ána@example.org",
    "Ana <ana@example.org", "",
])
def test_invalid_recipients_are_usage_errors(given: str) -> None:
    with pytest.raises(UsageError):
        parse_address(given)


def test_invalid_recipient_on_the_command_line(tmp_path: Path, run: Any) -> None:
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "López, Ana <a@b.org>",
                 "--eml", str(tmp_path / "x.eml"))
    assert result.code == 2
    assert "holds 2 addresses" in result.err and '"López, Ana"' in result.err


def test_the_message_speaks_the_handouts_language() -> None:
    letter = Letter(language="es", title="Las células NK", subject="Su folleto: Las células NK",
                    filename="nk-cells.pdf", greeting_name="Ana López", clinic_phone="555-0100")
    msg = compose(letter, b"%PDF-1.4 test", to=parse_address("ana@example.org"), sender=None)
    back = BytesParser(policy=policy.default).parsebytes(to_bytes(msg, b"%PDF-1.4 test"))
    assert back["Content-Language"] == "es"
    page = back.get_body(preferencelist=("html",)).get_content()
    text = back.get_body(preferencelist=("plain",)).get_content()
    assert '<html lang="es">' in page and "¿Tiene preguntas?" in page
    assert text.startswith("Hola, Ana López:") and "Llámenos: 555-0100." in text


@pytest.mark.parametrize(("smtp", "message"), [
    ("  host: smtp.example.org\n  security: ssl\n", "'ssl' is not one of: starttls, tls, plain"),
    ("  host: smtp.example.org\n  port: 70000\n", "'port' must be between 1 and 65535"),
    ("  host: smtp.example.org\n  password: hunter2\n", "unknown key 'password'"),
    ("  port: 587\n", "missing required key 'host'"),
])
def test_smtp_settings_are_checked_with_file_and_line(tmp_path: Path, run: Any, smtp: str,
                                                      message: str) -> None:
    workspace(tmp_path, smtp)
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 1
    assert "handouts.yaml:" in result.err and message in result.err
    assert "hunter2" not in result.err


def test_a_very_long_password_is_a_clear_error_before_connecting(
        tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace(tmp_path, smtp_yaml(1, "starttls", user=True))
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "x" * 1_000_000)
    result = run("--root", str(tmp_path), "email", "nk-cells", "--to", "ana@example.org")
    assert result.code == 5
    assert "1,000,000 characters" in result.err and "at most 1024" in result.err
    assert "Traceback" not in result.err and "xxxx" not in result.err
