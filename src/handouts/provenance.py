"""What a PDF was made from: the record written into its metadata, and read back cheaply.

The record names the handouts version, a digest of the content files, the layout's name
and a digest of its folders, the edition, the paper and whether it is a personal copy
(never the patient's details). ``build`` is one digest over everything that shapes the
bytes (inputs, options, the engine's own files), so ``make`` can tell an up-to-date output
without importing ReportLab: it reads the existing file's record with a regular expression.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

NAMESPACE = "https://handouts.invalid/ns/provenance/1.0/"
PREFIX = "handouts"
MAX_PDF_BYTES = 50_000_000
_ATTR = re.compile(rb'handouts:([A-Za-z]+)="([^"<>]*)"')


@dataclass(frozen=True, eq=False)
class Record:
    """The provenance of one PDF (all text, as stored in XMP and the Info dictionary)."""

    version: str = ""
    slug: str = ""
    content: str = ""
    content_version: str = ""
    layout: str = ""
    layout_digest: str = ""
    edition: str = ""
    paper: str = ""
    grayscale: str = "no"
    personal: str = "no"
    clinic: str = ""
    build: str = ""

    @property
    def short(self) -> str:
        """Six hex digits naming the content and layout it was made from, e.g. ``3f9a2c``."""
        return hashlib.sha256(f"{self.content}:{self.layout_digest}".encode()).hexdigest()[:6]

    @property
    def code(self) -> str:
        """The short human code printed on the handout, e.g. ``v1.1 · 3f9a2c``."""
        return f"v{self.content_version} · {self.short}" if self.content_version else self.short

    def items(self) -> list[tuple[str, str]]:
        """(name, value) pairs in a fixed order, the code last."""
        return [*((f.name, str(getattr(self, f.name))) for f in fields(self)),
                ("code", self.code)]


def digest_files(paths: Iterable[Path], base: Path | None = None) -> str:
    """A hex digest of files' names (relative to ``base``) and bytes; missing files count."""
    h = hashlib.sha256()
    for path in paths:
        name = str(path.relative_to(base)) if base is not None else path.name
        h.update(name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\0missing")
        h.update(b"\0")
    return h.hexdigest()[:16]


def folder_files(folder: Path) -> list[Path]:
    """Every regular file under a folder, sorted, symlinks not followed, hidden files skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / n for n in sorted(filenames) if not n.startswith("."))
    return found


@functools.lru_cache(maxsize=1)
def engine_digest() -> str:
    """Names, sizes and times of the package's own files: a changed engine rebuilds.

    Once per process: the running code is what was imported at start, so a file changed
    later does not change what this process makes (walking the package took ~5 ms a build).
    """
    package = os.path.dirname(os.path.realpath(__file__))
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(package):  # as folder_files, without Paths
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".py", ".txt", ".yaml")) and not name.startswith("."):
                path = os.path.join(dirpath, name)
                st = os.stat(path)
                h.update(f"{os.path.relpath(path, package)}:{st.st_size}:{st.st_mtime_ns}\n"
                         .encode())
    return h.hexdigest()[:16]


def build_digest(parts: Iterable[str], engine: bool = False) -> str:
    """One digest over some parts (and, with ``engine``, the engine and SOURCE_DATE_EPOCH)."""
    h = hashlib.sha256()
    extra = (engine_digest(), os.environ.get("SOURCE_DATE_EPOCH", "")) if engine else ()
    for part in (*parts, *extra):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def read_record(path: Path) -> Record | None:
    """The record of an existing PDF, or None (not a handouts PDF, unreadable, too big)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_PDF_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    start = data.rfind(b"<x:xmpmeta")
    if start < 0:
        return None
    end = data.find(b"</x:xmpmeta>", start)
    found = {k.decode(): v.decode("utf-8", "replace")
             for k, v in _ATTR.findall(data[start:end if end > 0 else None])}
    if "build" not in found:
        return None
    names = {f.name for f in fields(Record)}
    return Record(**{_snake(k): _unescape(v) for k, v in found.items() if _snake(k) in names})


def attribute_name(field_name: str) -> str:
    """XMP attribute name of a record field: ``layout_digest`` -> ``layoutDigest``."""
    head, *rest = field_name.split("_")
    return head + "".join(word.title() for word in rest)


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
