"""Password-protecting a PDF for email: AES-256, security handler revision 6, via pikepdf.

ReportLab's own 256-bit mode writes the deprecated revision 5 and needs the unmaintained
``pyaes``, so the finished PDF is re-saved with pikepdf (qpdf) instead. pikepdf is an
optional dependency: ``pip install 'handouts[secure]'``.
"""

from __future__ import annotations

import io
import secrets

from handouts.errors import DeliveryError, UsageError

# No 0/O, 1/I/L: a password read out over the phone must not be misheard or mistyped.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MIN_PASSWORD = 8


def new_password(groups: int = 3, size: int = 4) -> str:
    """A random password such as 'K7QM-4TXB-9HRW' (about 59 bits), easy to read aloud."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size))
                    for _ in range(groups))


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """The same PDF, openable only with ``password`` (AES-256, R6; printing and copying allowed)."""
    if len(password) < MIN_PASSWORD:
        raise DeliveryError(f"the PDF password must be at least {MIN_PASSWORD} characters")
    try:
        import pikepdf
    except ImportError:
        raise UsageError("password protection needs pikepdf, which is not installed",
                            hint="pip install 'handouts[secure]'") from None
    owner = secrets.token_urlsafe(32)  # nobody needs to change permissions later
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        # The tags survive (qpdf copies every object); screen readers may extract the text.
        allow = pikepdf.Permissions(accessibility=True, extract=True)
        pdf.save(out, encryption=pikepdf.Encryption(owner=owner, user=password, R=6, aes=True,
                                                     metadata=True, allow=allow))
    encrypted = out.getvalue()
    with pikepdf.open(io.BytesIO(encrypted), password=password) as check:
        if not check.is_encrypted or len(check.pages) != pages:
            raise DeliveryError("the encrypted PDF did not pass its own check")
    return encrypted
