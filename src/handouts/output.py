"""Writing output files atomically: a failure never leaves a broken or half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from handouts.errors import OutputError


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    ``mode`` is the finished file's permissions (0o600 for a file only its owner may read).
    """
    kind = path.suffix or ".pdf"
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder '{folder}': {exc.strerror or exc}",
                          hint="choose another folder with -o or --out-dir") from None
    if path.is_dir():
        raise OutputError(f"'{path}' is a folder, not a file name",
                          hint=f"give a file name ending in {kind}")
    if path.exists() and not path.is_file():
        raise OutputError(f"'{path}' is not a regular file (a device or pipe?); "
                          "it was left alone", hint=f"give a file name ending in {kind}")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"cannot write '{path}': {exc.strerror or exc}",
                          hint="check the folder exists and you may write to it") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
