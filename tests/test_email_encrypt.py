"""--password-protect: AES-256 (R6) PDFs that open only with the password; the password and
the topic stay out of the email."""

from __future__ import annotations

import io
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from handouts.build import build_pdf, load, resolve
from handouts.cli import main
from handouts.content.personal import personal_fields
from handouts.deliver.email import prepare
from handouts.deliver.encrypt import encrypt_pdf, new_password
from handouts.errors import DeliveryError
from handouts.workspace.finder import Workspace

pikepdf = pytest.importorskip("pikepdf")

PATIENT = "Ana López"
TITLE = "NK cells and repeated miscarriage"


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    ws = Workspace.discover(root=Path(__file__).parent.parent)
    layout, paper = resolve(ws, None, None)
    return build_pdf(load(ws, "nk-cells"), layout, paper,
                     personal=personal_fields(PATIENT, "Dr. Mehta", "Call us.")).data


def texts(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def test_encrypted_pdf_is_aes256_r6_and_opens_only_with_the_password(plain_pdf: bytes) -> None:
    password = new_password()
    locked = encrypt_pdf(plain_pdf, password)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(locked))
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(locked), password="WRONG-PASS-WORD")
    with pikepdf.open(io.BytesIO(locked), password=password) as pdf:
        assert pdf.is_encrypted
        assert pdf.encryption.R == 6 and pdf.encryption.bits == 256
        assert str(pdf.encryption.stream_method) == "EncryptionMethod.aesv3"
        assert pdf.allow.print_highres and pdf.allow.extract  # readers and screen readers
    reader = PdfReader(io.BytesIO(locked))
    assert reader.is_encrypted and not reader.decrypt("not the password")
    assert texts(locked, password) == texts(plain_pdf)
    assert f"Prepared for {PATIENT}" in texts(locked, password)[0]


def test_new_passwords_are_readable_aloud_and_random() -> None:
    made = {new_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", password)
        assert not set("01OIL") & set(password)


def test_a_short_password_is_refused(plain_pdf: bytes) -> None:
    with pytest.raises(DeliveryError, match="at least 8 characters"):
        encrypt_pdf(plain_pdf, "1234")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def parse(path: Path) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())  # type: ignore[return-value]


def pdf_of(msg: EmailMessage) -> Any:
    (part,) = list(msg.iter_attachments())
    return part


def test_password_protect_keeps_password_name_and_topic_out_of_the_email(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_PDF_PASSWORD", raising=False)
    out = tmp_path / "m.eml"
    code, stdout, err = run(capsys, "--root", str(tmp_path), "email", "nk-cells", "--to",
                            "ana@example.org", "--for", PATIENT, "--note", "Scan on Friday",
                            "--password-protect", "--eml", str(out))
    assert code == 0, err
    password = re.search(r"PDF password: (\S+)", stdout).group(1)  # type: ignore[union-attr]
    assert "by phone or in person" in stdout
    raw = out.read_bytes()
    assert password.encode() not in raw
    msg = parse(out)
    assert msg["Subject"] == "Your handout"
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "protected with a password" in body
        assert PATIENT not in body and TITLE not in body and "Scan" not in body
    part = pdf_of(msg)
    assert part.get_filename() == "handout.pdf" and part.get_content_type() == "application/pdf"
    locked = part.get_content()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(locked))
    page = texts(locked, password)[0]
    assert f"Prepared for {PATIENT}" in page and "Scan on Friday" in page


def test_password_from_the_environment_is_used_and_not_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUTS_PDF_PASSWORD", "river-clinic-2026")
    out = tmp_path / "m.eml"
    code, stdout, _ = run(capsys, "--root", str(tmp_path), "email", "nk-cells", "--to",
                          "ana@example.org", "--password-protect", "--eml", str(out))
    assert code == 0
    assert "river-clinic-2026" not in stdout and "HANDOUTS_PDF_PASSWORD" in stdout
    assert texts(pdf_of(parse(out)).get_content(), "river-clinic-2026")


def test_the_clinic_can_make_password_protection_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_PDF_PASSWORD", raising=False)
    (tmp_path / "handouts.yaml").write_text(
        "clinic:\n  name: Riverside Clinic\n  email: info@riverside.example\n"
        "smtp:\n  host: smtp.riverside.example\n  password_protect: true\n", encoding="utf-8")
    ws = Workspace.discover(root=tmp_path)
    ready = prepare(ws, "nk-cells", "ana@example.org")
    assert ready.encrypted and ready.password and ready.filename == "handout.pdf"
    assert ready.password not in repr(ready)
    plain = prepare(ws, "nk-cells", "ana@example.org", password_protect=False)
    assert not plain.encrypted and plain.password is None and plain.filename == "nk-cells.pdf"
