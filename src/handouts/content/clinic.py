"""Clinic profiles: the clinic that hands a handout out, printed on any layout.

A profile is ``clinics/<name>.yaml`` (in the workspace, or built in), chosen with
``--clinic NAME``; without that option the ``clinic:`` mapping of ``handouts.yaml``
is used, if there is one. Fields (see ``handouts.workspace.config.Clinic``): name, address,
phone, website, email, logo (a PNG or JPEG file, relative to the file that names
it), colour (the brand colour) and handout_url (where the clinic keeps online
copies; used for the QR code).

The brand colour is used for text, so it must reach 4.5:1 contrast on white (WCAG
AA), in colour and in grayscale. A layout's ``brand:`` mapping says which palette
entries it replaces. Every problem is reported as file:line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from handouts.colours import (
    colour_problem,
)
from handouts.errors import NotFound, Problem, ValidationFailed
from handouts.schema import INVALID, Reader, compose_file, mapping_items
from handouts.workspace.config import Clinic
from handouts.workspace.finder import CONFIG_FILE, NAME, Workspace, check_name

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_URL = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")


@dataclass(frozen=True)
class ClinicProfile:
    """A checked clinic profile, as templates see it (``clinic`` in the template context)."""

    name: str
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    email: str | None = None
    logo: str | None = None  # absolute path of a readable PNG or JPEG
    colour: str | None = None
    handout_url: str | None = None
    source: str = ""  # the file it came from, for messages

    @property
    def address_lines(self) -> list[str]:
        """The address split at line breaks or commas, for printing line by line."""
        if not self.address:
            return []
        parts = self.address.splitlines() if "\n" in self.address else self.address.split(",")
        return [p.strip() for p in parts if p.strip()]

    def online_url(self, handout: Any) -> str | None:
        """Where this clinic keeps the online copy of ``handout`` (None if it does not)."""
        if not self.handout_url:
            return None
        return self.handout_url.format(slug=handout.slug, lang=handout.language)


# ---------------------------------------------------------------- finding and loading


def clinic_files(ws: Workspace) -> dict[str, Path]:
    """Every clinic profile name and its file (workspace profiles override built-in ones)."""
    found: dict[str, Path] = {}
    libraries = [ws.builtin] + ([ws.root] if ws.root is not None else [])
    for lib in libraries:
        folder = lib / "clinics"
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                if NAME.match(path.stem):
                    found[path.stem] = path
    return dict(sorted(found.items()))


def load_clinic(ws: Workspace, name: str) -> ClinicProfile:
    """Load and check ``clinics/<name>.yaml``."""
    check_name(name, "clinic")
    known = clinic_files(ws)
    if name not in known:
        import difflib

        close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.5)
        hint = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else (
            f"clinic profiles are clinics/<name>.yaml; known: {', '.join(known) or 'none'}")
        raise NotFound(f"no clinic named '{name}'", hint=hint)
    path = known[name]
    label = ws.label(path)
    node, problems = compose_file(path, label)
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
        raise ValidationFailed(problems or [Problem(label, 1, 1, "the file is empty")],
                               what=f"clinic profile '{name}'")
    return _profile(node, (), path.parent, label, f"clinic profile '{name}'",
                    root=path.parent.parent)


def resolve_clinic(ws: Workspace, name: str | None = None) -> ClinicProfile | None:
    """The clinic for a run: ``--clinic NAME``, else ``clinic:`` in handouts.yaml, else none."""
    if name:
        return load_clinic(ws, name)
    if ws.config.clinic is None or ws.root is None:
        return None
    path = ws.root / CONFIG_FILE
    label = ws.label(path)
    node, problems = compose_file(path, label)
    if node is None or not isinstance(node, yaml.MappingNode):
        raise ValidationFailed(problems or [Problem(label, 1, 1, "not a mapping")],
                               what=CONFIG_FILE)
    for key, _, value in mapping_items(node):
        if key == "clinic":
            return _profile(value, ("clinic",), ws.root, label, f"the clinic in {CONFIG_FILE}",
                            root=ws.root)
    return None


def _profile(node: yaml.Node, at: tuple[Any, ...], base: Path, label: str,
             what: str, root: Path | None = None) -> ClinicProfile:
    """A checked profile; a logo (symlinks resolved) must lie inside ``root``."""
    reader = Reader()
    clinic = reader.read(node, Clinic, at)
    if clinic is INVALID:
        raise ValidationFailed(reader.problems, what=what)
    logo = None
    if clinic.colour is not None:
        message = colour_problem(clinic.colour)
        if message:
            reader.fail_at((*at, "colour"), message)
    if clinic.handout_url is not None:
        message = _url_problem(clinic.handout_url)
        if message:
            reader.fail_at((*at, "handout_url"), message)
    if clinic.logo is not None:
        path = (base / Path(clinic.logo).expanduser()).resolve()
        inside = root is None or path.is_relative_to(root.resolve())
        message = logo_problem(path, clinic.logo) if inside else (
            f"logo '{clinic.logo}' is outside the workspace ({path}); it was not read: copy "
            "it into the workspace")
        if message:
            reader.fail_at((*at, "logo"), message)
        logo = str(path)
    if reader.problems:
        raise ValidationFailed(reader.problems, what=what)
    return ClinicProfile(clinic.name, clinic.address, clinic.phone, clinic.website,
                         clinic.email, logo, clinic.colour and clinic.colour.lower(),
                         clinic.handout_url, label)


def logo_problem(path: Path, given: str) -> str | None:
    """Why the logo file cannot be used (None when it can)."""
    if not path.exists():
        return f"logo '{given}' not found (looked for {path})"
    if not path.is_file():
        return f"logo '{given}' is not a file"
    from handouts.images import image_problem  # Pillow only when there is a logo

    message = image_problem(path)
    return f"logo: {message}" if message else None


def _url_problem(value: str) -> str | None:
    try:
        filled = value.format(slug="nk-cells", lang="en")
    except (KeyError, IndexError, ValueError):
        return (f"handout_url '{value}' may only use {{slug}} and {{lang}}, e.g. "
                "https://example.org/handouts/{slug}")
    if not _URL.match(filled):
        return f"handout_url '{value}' must be a web address starting with https://"
    return None


# ---------------------------------------------------------------- colour


def as_profile(clinic: Clinic | ClinicProfile) -> ClinicProfile:
    """A profile from either kind of clinic record.

    A bare ``config.Clinic`` (read without its file's location) keeps its logo only
    when the path is absolute and readable, and its colour only when it passes the
    contrast check; use ``resolve_clinic`` to get every problem reported instead.
    """
    if isinstance(clinic, ClinicProfile):
        return clinic
    logo = None
    if clinic.logo and Path(clinic.logo).is_absolute() and \
            logo_problem(Path(clinic.logo), clinic.logo) is None:
        logo = clinic.logo
    colour = clinic.colour if clinic.colour and colour_problem(clinic.colour) is None else None
    url = clinic.handout_url if clinic.handout_url and \
        _url_problem(clinic.handout_url) is None else None
    return ClinicProfile(clinic.name, clinic.address, clinic.phone, clinic.website,
                         clinic.email, logo, colour and colour.lower(), url)
