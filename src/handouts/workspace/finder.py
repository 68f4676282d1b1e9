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


@dataclass(eq=False)
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
        """Every content file's tag (editions and the base texts they share)."""
        return sorted(p.stem for p in self.handout_dir(slug).glob("*.yaml"))

    def editions(self, slug: str) -> list[str]:
        """The editions of a handout: every content file but a base text that regional
        editions share (``en`` beside ``en-GB`` and ``en-US``)."""
        stems = self.languages(slug)
        return [s for s in stems if not any(o.lower().startswith(s.lower() + "-") for o in stems)]

    def edition(self, slug: str, language: str | None = None) -> Edition:
        """The edition ``--lang`` picks (see :func:`pick_edition`); ``None``: the default."""
        folder = self.handout_dir(slug)
        chosen = pick_edition(folder, self.editions(slug), language, self.config.language)
        default = chosen if language is None else pick_edition(
            folder, self.editions(slug), None, self.config.language)
        return Edition(chosen.tag, chosen.path, chosen.asked, chosen.tag == default.tag)

    def handout_file(self, slug: str, language: str | None = None) -> Path:
        return self.edition(slug, language).path

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
        try:
            path = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: name it as given
            path = Path(os.path.abspath(path))
        for base in (self.cwd, *(lib.resolve() for lib in self._libraries())):
            try:
                return str(path.relative_to(base))
            except ValueError:
                continue
        return str(path)


@dataclass(frozen=True, eq=False)
class Edition:
    """One edition of a handout, as picked for a run."""

    tag: str  # en-GB: the file name without .yaml
    path: Path
    asked: str  # what was asked for (or the workspace default), e.g. "en"
    default: bool = True  # the edition a run without --lang makes

    @property
    def picked(self) -> str | None:
        """'en → en-GB' when a bare or defaulted tag was resolved to another edition."""
        return None if self.asked.lower() == self.tag.lower() else f"{self.asked} → {self.tag}"


def pick_edition(folder: Path, editions: list[str], language: str | None,
                 workspace: str | None) -> Edition:
    """The edition for ``--lang``: an exact tag (any case); a bare language (``en``) picks the
    workspace's ``language:`` when it is one of that language's editions, else the base file's
    ``default_edition:``, else the only one. Without ``--lang``, the workspace's language (else
    ``en``) is asked for, falling back to its bare language."""
    asked = language or workspace or "en"
    if not LANGUAGE.match(asked.lower()):
        raise UsageError(f"'{asked}' is not a language tag",
                         hint="use a BCP 47 tag such as en, en-GB, en-US or es-US")
    by_lower = {e.lower(): e for e in editions}
    if asked.lower() in by_lower:
        tag = by_lower[asked.lower()]
        return Edition(tag, folder / f"{tag}.yaml", asked)
    bare = asked.split("-")[0].lower()
    if "-" not in asked or language is None:
        candidates = [e for e in editions if e.split("-")[0].lower() == bare]
        preferred = [workspace, _default_edition(folder / f"{bare}.yaml")]
        for wanted in preferred:
            if wanted and wanted.lower() != bare and wanted.lower() in \
                    {c.lower() for c in candidates}:
                tag = by_lower[wanted.lower()]
                return Edition(tag, folder / f"{tag}.yaml", asked)
        if len(candidates) == 1:
            return Edition(candidates[0], folder / f"{candidates[0]}.yaml", asked)
        if candidates:
            raise UsageError(f"handout '{folder.name}' has several '{bare}' editions "
                             f"({', '.join(candidates)}); say which with --lang",
                             hint=f"or set default_edition: in {bare}.yaml")
    raise NotFound(f"handout '{folder.name}' has no '{asked}' edition "
                   f"(editions: {', '.join(editions) or 'none'})")


def _default_edition(base: Path) -> str | None:
    """A base text's ``default_edition:`` (read up to that key only: a `make` picks the edition
    three times, and the whole file is composed and validated when it is loaded)."""
    from handouts.schema import top_level_text

    return top_level_text(base, "default_edition")


def _nearest(name: str, known: dict[str, Path], command: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return f"run '{command}' to see what there is"
