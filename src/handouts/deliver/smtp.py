"""Sending a finished message over SMTP (``smtplib``), safely and with clear errors.

STARTTLS is the default and is required once asked for (never a silent fall-back to plain
text); implicit TLS is ``security: tls``; ``plain`` is allowed only to this computer unless
the caller says ``insecure``. Temporary failures (4xx replies, a dropped connection) are
retried with backoff; permanent ones (5xx, refused connection, bad login) fail at once.
A message counts as sent only when the server has accepted it for the recipient.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import DeliveryError
from handouts.workspace.config import Smtp

PASSWORD_ENV = "HANDOUTS_SMTP_PASSWORD"
MAX_PASSWORD = 1024  # characters; SMTP AUTH lines have a length limit
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "plain": 25}
BACKOFF = (2.0, 8.0, 30.0)  # seconds to wait before the 2nd, 3rd and 4th attempts


@dataclass(frozen=True)
class Sent:
    """What the server accepted."""

    host: str
    port: int
    security: str
    attempts: int
    size: int


class _Temporary(Exception):
    def __init__(self, error: DeliveryError) -> None:
        super().__init__(str(error))
        self.error = error


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def send(raw: bytes, sender: str, recipient: str, settings: Smtp, *,
         password: str | None = None, insecure: bool = False, base: Path | None = None,
         backoff: Sequence[float] = BACKOFF, sleep: Callable[[float], None] = time.sleep) -> Sent:
    """Deliver ``raw`` (already checked) from ``sender`` to ``recipient``; raise DeliveryError.

    ``password`` defaults to $HANDOUTS_SMTP_PASSWORD; ``base`` is where a relative
    ``ca_file`` is found (the workspace root).
    """
    security = settings.security
    port = settings.port or DEFAULT_PORTS[security]
    where = f"{settings.host}:{port}"
    if security == "plain" and not insecure and not is_loopback(settings.host):
        raise DeliveryError(f"smtp.security is plain, so mail to {where} would cross the "
                            "network unencrypted", hint="use starttls or tls, or pass "
                            "--insecure if the network really is private")
    if settings.user and password is None:
        password = os.environ.get(PASSWORD_ENV)
        if not password:
            raise DeliveryError(f"smtp.user is set but ${PASSWORD_ENV} is empty",
                                hint=f"export {PASSWORD_ENV}=… in the environment that runs "
                                     "handouts (never on the command line)")
    if password is not None and (len(password) > MAX_PASSWORD or
                                 any(c in password for c in "\r\n\0")):
        raise DeliveryError(f"the password in ${PASSWORD_ENV} is {len(password):,} characters "
                            f"or holds a line break; at most {MAX_PASSWORD} on one line",
                            hint="check what was exported (a file's contents pasted in?)")
    context = _tls_context(settings, base) if security != "plain" else None
    attempt = 0
    while True:
        attempt += 1
        try:
            _once(raw, sender, recipient, settings, port, password, context)
            return Sent(settings.host, port, security, attempt, len(raw))
        except _Temporary as temporary:
            if attempt > len(backoff):
                raise DeliveryError(f"{temporary.error.message} (gave up after {attempt} "
                                    "attempts; nothing was sent)",
                                    hint="try again later") from None
            sleep(backoff[attempt - 1])


def _tls_context(settings: Smtp, base: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_file:
        path = Path(settings.ca_file).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            context.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryError(f"cannot read smtp.ca_file '{settings.ca_file}': "
                                f"{getattr(exc, 'strerror', None) or exc}") from None
    return context


def _once(raw: bytes, sender: str, recipient: str, settings: Smtp, port: int,
          password: str | None, context: ssl.SSLContext | None) -> None:
    where = f"{settings.host}:{port}"
    client: smtplib.SMTP | None = None
    try:
        try:
            if settings.security == "tls":
                client = smtplib.SMTP_SSL(settings.host, port, timeout=settings.timeout,
                                          context=context)
            else:
                client = smtplib.SMTP(settings.host, port, timeout=settings.timeout)
        except smtplib.SMTPConnectError as exc:  # the greeting was not 220
            raise _reply_error(exc.smtp_code, exc.smtp_error, f"{where} refused the session") \
                from None
        client.ehlo()
        if settings.security == "starttls":
            if not client.has_extn("starttls"):
                raise DeliveryError(f"{where} does not offer STARTTLS, so the mail would "
                                    "travel unencrypted; nothing was sent",
                                    hint="check smtp.host/port, or use security: tls")
            client.starttls(context=context)
            client.ehlo()
        limit = client.esmtp_features.get("size", "")
        if limit.isdigit() and 0 < int(limit) < len(raw):
            raise DeliveryError(f"the message is {len(raw) / 1024:.0f} KB but {where} accepts "
                                f"at most {int(limit) / 1024:.0f} KB; nothing was sent")
        if settings.user:
            try:
                client.login(settings.user, password or "")
            except smtplib.SMTPAuthenticationError as exc:
                raise _reply_error(exc.smtp_code, exc.smtp_error,
                                   f"{where} refused the login for smtp.user", hint=(
                                       f"check smtp.user and ${PASSWORD_ENV}")) from None
            except smtplib.SMTPNotSupportedError:
                raise DeliveryError(f"{where} does not accept a login (no AUTH offered)",
                                    hint="remove smtp.user, or check smtp.security") from None
        try:
            refused = client.sendmail(sender, [recipient], raw)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _reply_error(code, text, f"{where} refused the recipient") from None
        except smtplib.SMTPSenderRefused as exc:
            raise _reply_error(exc.smtp_code, exc.smtp_error,
                               f"{where} refused the sender address", hint=(
                                   "check clinic.email or smtp.sender")) from None
        except smtplib.SMTPDataError as exc:
            raise _reply_error(exc.smtp_code, exc.smtp_error,
                               f"{where} refused the message") from None
        if refused:  # cannot happen with one recipient, but never report a refusal as sent
            code, text = next(iter(refused.values()))
            raise _reply_error(code, text, f"{where} refused the recipient")
    except (DeliveryError, _Temporary):
        raise
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib's word for a reply that never came
            raise _timed_out(where, settings) from None
        raise _Temporary(DeliveryError(f"{where} closed the connection")) from None
    except smtplib.SMTPResponseException as exc:
        raise _reply_error(exc.smtp_code, exc.smtp_error, f"{where} said no") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(f"the certificate of {where} is not trusted: "
                            f"{exc.verify_message}; nothing was sent",
                            hint="if the server uses a private CA, set smtp.ca_file") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {where} failed: {exc.reason or exc}; nothing was sent",
                            hint="check smtp.security (starttls on 587, tls on 465)") from None
    except ConnectionRefusedError:
        raise DeliveryError(f"cannot connect to {where}: connection refused; nothing was sent",
                            hint="check smtp.host and smtp.port, and that the server "
                                 "is running") from None
    except TimeoutError:
        raise _timed_out(where, settings) from None
    except socket.gaierror as exc:
        raise DeliveryError(f"cannot find the mail server {settings.host}: {exc.strerror}",
                            hint="check smtp.host") from None
    except OSError as exc:
        raise DeliveryError(f"cannot talk to {where}: {exc.strerror or exc}; nothing was sent") \
            from None
    finally:
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


def _timed_out(where: str, settings: Smtp) -> DeliveryError:
    return DeliveryError(f"{where} did not answer within {settings.timeout:g} s; nothing was "
                         "sent", hint="check smtp.host, smtp.port and the network, or raise "
                                      "smtp.timeout")


def _reply_error(code: int, text: bytes | str, what: str,
                 hint: str | None = None) -> DeliveryError | _Temporary:
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    message = f"{what}: {code} {' '.join(reply.split())}"
    if 400 <= code < 500:
        return _Temporary(DeliveryError(message, hint=hint))
    return DeliveryError(f"{message}; nothing was sent", hint=hint)
