"""Building the email that carries a handout: addresses, headers, text and HTML bodies, PDF.

Everything here is pure (no network): `compose` returns a stdlib ``EmailMessage`` and
`to_bytes` serialises it and checks that the stdlib parser reads back exactly what was
meant (headers, both bodies and the attachment's bytes) before anything is sent or saved.
Header values with a line break are refused, never folded into the message.
"""

from __future__ import annotations

import datetime
import html
import re
import textwrap
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, localtime, make_msgid

from handouts.errors import DeliveryError, UsageError

_DOMAIN = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
_BREAKS = frozenset("\r\n\0\x0b\x0c\x85\u2028\u2029")
MAX_SUBJECT = 200


@dataclass(frozen=True)
class Letter:
    """What the message says, in the handout's language; all of it plain text."""

    language: str
    title: str
    subject: str
    filename: str
    clinic_name: str | None = None
    clinic_phone: str | None = None
    clinic_address: str | None = None
    clinic_website: str | None = None
    greeting_name: str | None = None
    clinician: str | None = None
    encrypted: bool = False


def words(language: str) -> dict[str, str]:
    """The message's wording in the edition's language (message catalogs, see
    ``content.catalog``: es-US in Spanish, en-GB and en-US each with their own wording where
    it differs; English for a language without a catalog)."""
    from handouts.content.catalog import email_words

    return email_words(language)


def check_header_text(value: str, what: str) -> str:
    """A header value must be one line: refuse (never strip) CR, LF and other breaks."""
    if _BREAKS.intersection(value):
        raise UsageError(f"{what} contains a line break, which could inject email headers",
                         hint="type it on one line")
    return value


def parse_address(text: str, what: str = "the address given with --to") -> Address:
    """One email address, optionally with a display name (quote one that has a comma)."""
    check_header_text(text, what)
    try:
        header = policy.default.header_factory("To", text)
    except (IndexError, ValueError, TypeError):  # the stdlib parser trips on some input
        raise UsageError(f"{what} is not a valid email address",
                         hint="e.g. ana@example.org") from None
    addresses = list(header.addresses)  # type: ignore[attr-defined]
    if len(addresses) != 1 or header.defects:
        hint = "give one address, e.g. ana@example.org or \"López, Ana\" <ana@example.org>"
        if len(addresses) > 1:
            raise UsageError(f"{what} holds {len(addresses)} addresses; give one",
                             hint="quote a display name that has a comma: "
                                  "\"López, Ana\" <ana@example.org>")
        raise UsageError(f"{what} is not a valid email address", hint=hint)
    address = addresses[0]
    if not address.username or not address.domain:
        raise UsageError(f"{what} is not a valid email address (it needs name@domain)")
    if not address.addr_spec.isascii():
        raise UsageError(f"{what} has non-ASCII characters in the address itself",
                         hint="the display name may have any characters; the address "
                              "(name@domain) must be plain ASCII")
    if not _DOMAIN.match(address.domain):
        raise UsageError(f"{what} has an invalid domain after the @")
    return address


def compose(letter: Letter, pdf: bytes, *, to: Address, sender: Address | None,
            reply_to: Address | None = None, now: datetime.datetime | None = None,
            draft: bool = False) -> EmailMessage:
    """The message: plain-text and HTML alternatives, then the PDF as an attachment."""
    check_header_text(letter.subject, "the subject")
    if not letter.subject.strip() or len(letter.subject) > MAX_SUBJECT:
        raise UsageError(f"the subject must be 1 to {MAX_SUBJECT} characters")
    msg = EmailMessage(policy=policy.SMTP)
    if sender is not None:
        msg["From"] = sender
    msg["To"] = to
    if reply_to is not None and (sender is None or reply_to.addr_spec != sender.addr_spec):
        msg["Reply-To"] = reply_to
    msg["Subject"] = letter.subject
    msg["Date"] = format_datetime(now or localtime())
    msg["Message-ID"] = make_msgid(domain=sender.domain if sender else "handouts.invalid")
    if draft:  # Outlook opens such a file as a draft to send; others ignore the header
        msg["X-Unsent"] = "1"
    msg.set_content(plain_body(letter), subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html_body(letter), subtype="html", charset="utf-8",
                        cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=letter.filename)
    msg["Content-Language"] = letter.language  # after the parts: Content-* headers move down
    return msg


def _lines(letter: Letter) -> tuple[str, list[str], list[str], str]:
    w = words(letter.language)
    hello = w["hello"].format(name=letter.greeting_name) if letter.greeting_name \
        else w["hello_anon"]
    body = [w["attached_safe" if letter.encrypted else "attached"].format(
        title=letter.title, file=letter.filename)]
    if letter.clinician:
        body.append(w["from"].format(clinician=letter.clinician))
    if letter.encrypted:
        body.append(w["password"])
    if letter.clinic_phone:
        contact = [w["call"].format(phone=letter.clinic_phone), w["reply"]]
    else:
        contact = [w["reply_only"]]
    return hello, body, contact, w["questions"]


def _signature(letter: Letter) -> list[str]:
    return [x for x in (letter.clinic_name, letter.clinic_address, letter.clinic_website) if x]


def plain_body(letter: Letter) -> str:
    hello, body, contact, questions = _lines(letter)
    parts = [hello, *body, f"{questions} " + " ".join(contact)]
    text = "\n\n".join(textwrap.fill(p, 72, break_long_words=False) for p in parts)
    signature = _signature(letter)
    if signature:
        text += "\n\n" + "\n".join(signature)
    private = textwrap.fill(words(letter.language)["private"], 72)
    return f"{text}\n\n-- \n{private}\n"


def html_body(letter: Letter) -> str:
    """Short, accessible HTML: language set, real headings, dark text on white (≥ 7:1)."""
    e = html.escape
    hello, body, contact, questions = _lines(letter)
    heading = letter.subject if letter.encrypted else letter.title
    paragraphs = "".join(f"<p>{e(p)}</p>\n" for p in (hello, *body))
    signature = "<br>\n".join(e(x) for x in _signature(letter))
    return f"""<!DOCTYPE html>
<html lang="{e(letter.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(letter.subject)}</title>
</head>
<body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,\
Helvetica,sans-serif;font-size:17px;line-height:1.5">
<main style="max-width:36em">
<h1 style="font-size:22px;line-height:1.3;color:#1f4e79;margin:0 0 16px">{e(heading)}</h1>
{paragraphs}<h2 style="font-size:18px;color:#1f4e79;margin:24px 0 8px">{e(questions)}</h2>
<p>{"<br>".join(e(c) for c in contact)}</p>
{f'<p>{signature}</p>' if signature else ''}
<p style="font-size:15px;color:#4a4a4a">{e(words(letter.language)["private"])}</p>
</main>
</body>
</html>
"""


def to_bytes(msg: EmailMessage, pdf: bytes) -> bytes:
    """Serialise with CRLF line ends and prove the stdlib parser reads the same message back."""
    raw = msg.as_bytes(policy=policy.SMTP)
    back = BytesParser(policy=policy.default).parsebytes(raw)
    problems = [str(d) for d in back.defects]
    for name in ("From", "To", "Reply-To", "Subject", "Message-ID", "Date"):
        if str(back.get(name, "")) != str(msg.get(name, "")):
            problems.append(f"{name} header does not read back the same")
    if len(back.get_all("To", [])) != 1 or len(back["To"].addresses) != 1:
        problems.append("the message must have exactly one recipient")
    text = back.get_body(preferencelist=("plain",))
    rich = back.get_body(preferencelist=("html",))
    attachments = [p for p in back.iter_attachments() if p.get_content_type() == "application/pdf"]
    if text is None or rich is None:
        problems.append("the text and HTML bodies do not read back")
    if len(attachments) != 1 or attachments[0].get_content() != pdf:
        problems.append("the PDF attachment does not read back byte for byte")
    if problems:  # a bug rather than a user's mistake, but never send a broken message
        raise DeliveryError("the email did not pass its own check: " + "; ".join(problems))
    return raw


def subject_for(language: str, title: str, clinic: str | None, encrypted: bool) -> str:
    w = words(language)
    subject = w["subject_safe"] if encrypted else w["subject"].format(title=title)
    return w["subject_from"].format(subject=subject, clinic=clinic) if clinic else subject
