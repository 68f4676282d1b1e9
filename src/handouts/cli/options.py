"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from handouts.cli.completion import complete_languages, complete_layouts
from handouts.errors import UsageError


def document_options(command: Any) -> Any:
    """--layout, --paper and --lang, shared by the commands that make a PDF."""
    for option in reversed((
        click.option("--layout", metavar="NAME", shell_complete=complete_layouts,
                     help="Layout to use (default: handouts.yaml's, else standard)."),
        click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False),
                     help="Paper size (default: handouts.yaml's, else the layout's, usually "
                          "letter)."),
        click.option("--lang", "language", metavar="LANG", shell_complete=complete_languages,
                     help="Edition, a BCP 47 tag such as en-GB, en-US or es-US; a bare "
                          "en or es picks the default edition (default: handouts.yaml's "
                          "language, else en)."),
    )):
        command = option(command)
    return command


class State:
    def __init__(self, root: str | None, debug: bool) -> None:
        self.root = root
        self.debug = debug
        self._ws: Any = None

    @property
    def ws(self) -> Any:
        if self._ws is None:
            from handouts.workspace.finder import Workspace

            self._ws = Workspace.discover(root=self.root)
        return self._ws


def personal_options(command: Any) -> Any:
    """--for, --clinician, --note, --date: one patient's copy (never stored, never logged)."""
    for option in reversed((
        click.option("--for", "for_", metavar="NAME",
                     help="Patient's name, printed as 'Prepared for' on page 1."),
        click.option("--clinician", metavar="NAME", help="Clinician's name, printed on page 1."),
        click.option("--note", metavar="TEXT", help="A short note, printed on page 1."),
        click.option("--date", metavar="YYYY-MM-DD", help="Date printed with the name."),
    )):
        command = option(command)
    return command


def personal_copy(for_: str | None, clinician: str | None, note: str | None,
              date: str | None) -> Any:
    if for_ is None and clinician is None and note is None and date is None:
        return None
    from handouts.content.personal import personal_fields

    return personal_fields(for_, clinician, note, date) or None


def slugs_of(ws: Any, slugs: tuple[str, ...], all_: bool) -> list[str]:
    if all_ and slugs:
        raise UsageError("give handout names or --all, not both")
    if all_:
        return list(ws.handouts())
    if not slugs:
        raise UsageError("which handout? give a name such as nk-cells, or --all",
                         hint="run 'handouts list' to see them")
    return list(dict.fromkeys(slugs))


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, str(row[-1])]).rstrip())

