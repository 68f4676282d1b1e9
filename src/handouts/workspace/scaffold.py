"""`handouts init`: create a workspace skeleton with a commented example handout."""

from __future__ import annotations

import shutil
from pathlib import Path

from handouts.errors import OutputError, UsageError

SKELETON = Path(__file__).resolve().parent.parent / "skeleton"


def create_workspace(folder: Path) -> list[Path]:
    """Copy the skeleton into ``folder``; refuse to overwrite anything already there."""
    targets = [(src, folder / src.relative_to(SKELETON))
               for src in sorted(SKELETON.rglob("*")) if src.is_file()]
    clashes = [dst for _, dst in targets if dst.exists()]
    if clashes:
        raise UsageError(f"'{clashes[0]}' already exists; init never overwrites files",
                         hint="choose an empty or new folder")
    created = []
    try:
        for src, dst in targets:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            created.append(dst)
        (folder / "output").mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the workspace in '{folder}': "
                          f"{exc.strerror or exc}") from None
    return created
