"""Workspace defaults from ``handouts.yaml``: paper, layout, language and clinic details."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from handouts.errors import ValidationFailed
from handouts.schema import INVALID, Reader, compose_file, field, optional

Paper = Literal["letter", "a4"]


@dataclass(frozen=True, eq=False)
class Clinic:
    name: str = field("clinic name, printed on the handout and used as PDF author")
    address: str | None = optional("postal address")
    phone: str | None = optional("phone number")
    website: str | None = optional("web address")
    email: str | None = optional("email address")
    logo: str | None = optional("logo file (PNG or JPEG), relative to the file that names it")
    colour: str | None = optional("brand colour #rrggbb (needs 4.5:1 contrast on white)")
    handout_url: str | None = optional("address of the clinic's online copies; {slug} and "
                                       "{lang} are filled in (used for the QR code)")


@dataclass(frozen=True, eq=False)
class Smtp:
    """How `handouts email` sends mail; the password comes from $HANDOUTS_SMTP_PASSWORD."""

    host: str = field("mail server name, e.g. smtp.example.org")
    port: int | None = optional("port (default 587 for starttls, 465 for tls, 25 for plain)",
                                min=1, max=65535)
    security: Literal["starttls", "tls", "plain"] = optional(
        "starttls (default), tls (implicit TLS) or plain (only to this computer)", "starttls")
    user: str | None = optional("login name; the password is read from $HANDOUTS_SMTP_PASSWORD")
    sender: str | None = optional("From address when not the clinic's email, "
                                  "e.g. 'Clinic <noreply@clinic.example>'")
    ca_file: str | None = optional("extra CA certificates (PEM file) for a private mail server")
    timeout: float = optional("seconds to wait for the server", 30.0, min=1, max=600)
    password_protect: bool = optional("always encrypt emailed PDFs with a password", False)


@dataclass(frozen=True, eq=False)
class Config:
    paper: Paper | None = optional("default paper size")
    layout: str | None = optional("default layout name")
    language: str | None = optional("default content language, e.g. en")
    clinic: Clinic | None = optional("clinic details used as PDF author")
    smtp: Smtp | None = optional("mail server for `handouts email`")


def load_config(path: Path, label: str) -> Config:
    """Read ``handouts.yaml``; a missing file means all defaults."""
    if not path.is_file():
        return Config()
    node, problems = compose_file(path, label)
    if problems:
        raise ValidationFailed(problems, what="handouts.yaml")
    if node is None or node.tag == "tag:yaml.org,2002:null":  # empty or all comments
        return Config()
    reader = Reader()
    config = reader.read(node, Config)
    if reader.problems or config is INVALID:
        raise ValidationFailed(reader.problems, what="handouts.yaml")
    return config
