"""Finding handouts and layouts: the user's workspace first, then the built-in library.

A workspace is a folder with ``content/`` and/or ``layouts/`` (and optionally
``handouts.yaml``), found from the current folder upward, or given by
``--root`` / ``HANDOUTS_ROOT``. Its handouts and layouts override built-in ones
with the same name.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import NotFound, UsageError
from handouts.workspace.config import Config, load_config

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
CONFIG_FILE = "handouts.yaml"


def builtin_root() -> Path:
    """The library shipped with the package (content/ and layouts/ of the repo)."""
    package = Path(__file__).resolve().parent.parent  # src/handouts
    shipped = package / "_builtin"
    if shipped.is_dir():
        return shipped
    checkout = package.parent.parent  # running from a source tree: src/handouts -> repo
    if (checkout / "pyproject.toml").is_file() and (checkout / "layouts").is_dir():
        return checkout
    return shipped


def find_root(start: Path, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The workspace root: --root, then $HANDOUTS_ROOT, then the nearest marked folder upward."""
    given = explicit or os.environ.get("HANDOUTS_ROOT")
    if given:
        root = Path(given).expanduser()
        if not root.is_dir():
            raise UsageError(f"workspace folder '{given}' does not exist",
                             hint="check --root or HANDOUTS_ROOT")
        return root.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file() or (folder / "content").is_dir() \
                or (folder / "layouts").is_dir():
            return folder
    return None


def check_name(name: str, what: str) -> None:
    """Names of handouts, layouts and clinics are slugs: nothing can escape the workspace."""
    if not NAME.match(name):
        raise UsageError(f"'{name}' is not a valid {what} name",
                         hint="use lowercase letters, digits and dashes, e.g. nk-cells")


@dataclass
class Workspace:
    """Where handouts, layouts and output live for one run."""

    root: Path | None
    cwd: Path
    builtin: Path = field(default_factory=builtin_root)
    config: Config = field(default_factory=Config)

    @classmethod
    def discover(cls, cwd: Path | None = None,
                 root: str | os.PathLike[str] | None = None) -> Workspace:
        here = (cwd or Path.cwd()).resolve()
        found = find_root(here, root)
        ws = cls(root=found, cwd=here)
        if found is not None:
            ws.config = load_config(found / CONFIG_FILE, ws.label(found / CONFIG_FILE))
        return ws

    def _libraries(self) -> list[Path]:
        libs = [self.root] if self.root is not None else []
        if self.builtin.resolve() not in [p.resolve() for p in libs]:
            libs.append(self.builtin)
        return libs

    def _named_dirs(self, kind: str, marker: str) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for lib in reversed(self._libraries()):  # later (workspace) entries override
            base = lib / kind
            if not base.is_dir():
                continue
            for entry in sorted(base.iterdir()):
                if entry.is_dir() and NAME.match(entry.name) and any(entry.glob(marker)):
                    found[entry.name] = entry
        return dict(sorted(found.items()))

    def handouts(self) -> dict[str, Path]:
        """Every handout slug and its folder."""
        return self._named_dirs("content", "*.yaml")

    def layouts(self) -> dict[str, Path]:
        """Every layout name and its folder."""
        return self._named_dirs("layouts", "layout.yaml")

    def is_builtin(self, path: Path) -> bool:
        return self.builtin.resolve() in path.resolve().parents and (
            self.root is None or self.root.resolve() not in path.resolve().parents)

    def handout_dir(self, slug: str) -> Path:
        check_name(slug, "handout")
        known = self.handouts()
        if slug not in known:
            raise NotFound(f"no handout named '{slug}'",
                           hint=_nearest(slug, known, "handouts list"))
        return known[slug]

    def languages(self, slug: str) -> list[str]:
        return sorted(p.stem for p in self.handout_dir(slug).glob("*.yaml"))

    def handout_file(self, slug: str, language: str | None = None) -> Path:
        lang = language or self.config.language or "en"
        if not LANGUAGE.match(lang):
            raise UsageError(f"'{lang}' is not a language tag",
                             hint="use a tag such as en, es or en-GB")
        folder = self.handout_dir(slug)
        path = folder / f"{lang}.yaml"
        if not path.is_file():
            have = ", ".join(self.languages(slug)) or "none"
            raise NotFound(f"handout '{slug}' has no '{lang}' version (languages: {have})")
        return path

    def layout_dir(self, name: str) -> Path:
        check_name(name, "layout")
        known = self.layouts()
        if name not in known:
            raise NotFound(f"no layout named '{name}'",
                           hint=_nearest(name, known, "handouts layouts"))
        return known[name]

    def output_dir(self) -> Path:
        """output/ under the workspace root, or under the current folder when there is none."""
        return (self.root or self.cwd) / "output"

    def label(self, path: Path) -> str:
        """How a file is named in messages: relative to the current folder or its library."""
        path = path.resolve()
        for base in (self.cwd, *(lib.resolve() for lib in self._libraries())):
            try:
                return str(path.relative_to(base))
            except ValueError:
                continue
        return str(path)


def _nearest(name: str, known: dict[str, Path], command: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return f"run '{command}' to see what there is"
