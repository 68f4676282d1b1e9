"""Delivering one patient's copy by email: build the PDF in memory, optionally encrypt it,
wrap it in a checked MIME message, then save it as ``.eml`` or send it over SMTP.

    from handouts.deliver.email import prepare, send_prepared
    from handouts.content.personal import personal_fields
    ready = prepare(ws, "nk-cells", "ana@example.org", personal=personal_fields("Ana López"))
    sent = send_prepared(ready, ws.config.smtp, base=ws.root)

The personalised PDF is never written to disk here (only inside an ``.eml`` the user asks
for, which is created readable by its owner only), and nothing personal is logged.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.personal import Personal
from handouts.errors import DeliveryError
from handouts.output import write_atomic
from handouts.workspace.config import Smtp
from handouts.workspace.finder import Workspace

if TYPE_CHECKING:
    from handouts.content.clinic import ClinicProfile
    from handouts.deliver.smtp import Sent

PDF_PASSWORD_ENV = "HANDOUTS_PDF_PASSWORD"


@dataclass(frozen=True)
class Prepared:
    """A message ready to save or send (its bytes already parsed back and checked)."""

    raw: bytes = field(repr=False)
    message: EmailMessage = field(repr=False)
    sender: str | None  # envelope sender (addr-spec), None only for a draft
    recipient: str = field(repr=False)
    subject: str = field(repr=False)
    filename: str
    pdf_size: int
    pages: int
    encrypted: bool
    # A password made for this message, to give the patient another way (None when it
    # came from $HANDOUTS_PDF_PASSWORD or the PDF is not encrypted).
    password: str | None = field(default=None, repr=False)


def prepare(ws: Workspace, slug: str, to: str, *, personal: Personal | None = None,
            clinic: str | None = None, subject: str | None = None,
            layout: str | None = None, paper: str | None = None, language: str | None = None,
            password_protect: bool | None = None, draft: bool = False,
            now: datetime.datetime | None = None, grayscale: bool = False) -> Prepared:
    """Build the PDF and the message for one recipient; nothing is written or sent.

    ``clinic`` names a profile in clinics/ (default: ``clinic:`` in handouts.yaml). From is
    ``smtp.sender`` or the clinic's email, Reply-To the clinic's email.
    ``password_protect`` defaults to ``smtp.password_protect``.
    A ``draft`` (for ``--eml``) may lack a From address: the mail client fills it in.
    """
    from handouts.build import build_pdf, load, resolve
    from handouts.content.clinic import resolve_clinic
    from handouts.deliver.message import Letter, compose, parse_address, subject_for, to_bytes

    recipient = parse_address(to)
    profile = resolve_clinic(ws, clinic)
    smtp = ws.config.smtp
    sender, reply_to = _sender(profile, smtp)
    if sender is None and not draft:
        raise DeliveryError("no From address to send with",
                            hint="set clinic.email (or smtp.sender) in handouts.yaml")
    if password_protect is None:
        password_protect = bool(smtp and smtp.password_protect)

    handout = load(ws, slug, language)
    loaded, chosen = resolve(ws, layout, paper)
    rendered = build_pdf(handout, loaded, chosen, profile, personal=personal,
                         grayscale=grayscale)
    pdf, password = rendered.data, None
    if password_protect:
        from handouts.deliver.encrypt import encrypt_pdf, new_password

        given = os.environ.get(PDF_PASSWORD_ENV)
        pdf = encrypt_pdf(pdf, given or (password := new_password()))

    clinic_name = profile.name if profile else None
    letter = Letter(
        language=handout.language, title=handout.title,
        subject=subject if subject is not None else subject_for(
            handout.language, handout.title, clinic_name, bool(password_protect)),
        # with a password, neither the file name nor the email says what the handout is about
        filename="handout.pdf" if password_protect else f"{slug}.pdf",
        clinic_name=clinic_name, clinic_phone=profile.phone if profile else None,
        clinic_address=", ".join(profile.address_lines) if profile else None,
        clinic_website=profile.website if profile else None,
        greeting_name=None if password_protect or personal is None else personal.name,
        clinician=personal.clinician if personal else None,
        encrypted=bool(password_protect),
    )
    message = compose(letter, pdf, to=recipient, sender=sender, reply_to=reply_to, now=now,
                      draft=draft)
    raw = to_bytes(message, pdf)
    return Prepared(raw=raw, message=message, sender=sender.addr_spec if sender else None,
                    recipient=recipient.addr_spec, subject=letter.subject,
                    filename=letter.filename, pdf_size=len(pdf), pages=rendered.pages,
                    encrypted=bool(password_protect), password=password)


def _sender(clinic: ClinicProfile | None,
            smtp: Smtp | None) -> tuple[Address | None, Address | None]:
    from handouts.deliver.message import check_header_text, parse_address

    reply_to = None
    if clinic is not None and clinic.email:
        check_header_text(clinic.name, "clinic.name in handouts.yaml")
        plain = parse_address(clinic.email, "clinic.email in handouts.yaml")
        reply_to = Address(display_name=clinic.name, addr_spec=plain.addr_spec)
    if smtp is not None and smtp.sender:
        return parse_address(smtp.sender, "smtp.sender in handouts.yaml"), reply_to
    return reply_to, reply_to


def write_eml(prepared: Prepared, path: Path) -> None:
    """Save the message for a mail client, atomically, readable by its owner only."""
    write_atomic(path, prepared.raw, mode=0o600)


def send_prepared(prepared: Prepared, smtp: Smtp | None, *, insecure: bool = False,
                  base: Path | None = None, backoff: Sequence[float] | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> Sent:
    """Send over SMTP; return what the server accepted, or raise DeliveryError.

    ``backoff`` (seconds before each retry of a temporary failure) and ``sleep`` are
    injectable so tests need not wait.
    """
    from handouts.deliver.smtp import BACKOFF, send

    if smtp is None:
        raise DeliveryError("no mail server is set up",
                            hint="add an smtp: section to handouts.yaml (see README, Email), "
                                 "or use --eml FILE to save the message for a mail client")
    if prepared.sender is None:
        raise DeliveryError("no From address to send with",
                            hint="set clinic.email (or smtp.sender) in handouts.yaml")
    return send(prepared.raw, prepared.sender, prepared.recipient, smtp, insecure=insecure,
                base=base, backoff=BACKOFF if backoff is None else backoff, sleep=sleep)
