"""Writing output files atomically: a failure never leaves a broken or half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from handouts.errors import OutputError

MAX_NAME_BYTES = 200  # the temporary name adds ~20 bytes; file systems allow 255
TEMP_SUFFIX = ".handouts-tmp"


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    ``mode`` is the finished file's permissions (0o600 for a file only its owner may read).
    """
    kind = path.suffix or ".pdf"
    folder = path.parent
    if len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise OutputError(f"the file name is {len(path.name.encode('utf-8'))} bytes long; "
                          f"the limit is {MAX_NAME_BYTES}", hint="choose a shorter name with -o")
    remove_stale_temps(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder '{folder}': {exc.strerror or exc}",
                          hint="choose another folder with -o or --out-dir") from None
    try:
        is_dir, exists, is_file = path.is_dir(), path.exists(), path.is_file()
    except OSError as exc:  # a symlink loop, a name too long for the file system
        raise OutputError(f"cannot write '{path}': {exc.strerror or exc}",
                          hint="give another file name with -o") from None
    if is_dir:
        raise OutputError(f"'{path}' is a folder, not a file name",
                          hint=f"give a file name ending in {kind}")
    if exists and not is_file:
        raise OutputError(f"'{path}' is not a regular file (a device or pipe?); "
                          "it was left alone", hint=f"give a file name ending in {kind}")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                        dir=folder)
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


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files a killed run of handouts left in ``folder`` (its process is gone)."""
    try:
        names = [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for temp in names:
        parts = temp.name.rsplit(".", 3)  # .<name>.<pid>.<random>.handouts-tmp
        pid = parts[-3] if len(parts) == 4 else ""
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                temp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
