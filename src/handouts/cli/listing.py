"""`handouts list`, `handouts layouts` and `handouts schema`: what there is to make."""

from __future__ import annotations

import click

from handouts.cli.options import (
    State,
    table,
)
from handouts.errors import HandoutsError


@click.command("list")
@click.pass_obj
def list_(state: State) -> None:
    """List the handouts: name, title, editions (the default marked *) and review date."""
    from handouts.content.model import load_handout
    from handouts.errors import ValidationFailed

    ws = state.ws
    rows = []
    several = False
    for slug in ws.handouts():
        editions = ws.editions(slug)
        several = several or len(editions) > 1
        try:
            default = ws.edition(slug)
        except HandoutsError as exc:  # e.g. two en editions and no default_edition
            rows.append((slug, f"(no default edition: {exc.message})", ",".join(editions), "-"))
            continue
        shown_editions = ",".join(f"{e}*" if e == default.tag and len(editions) > 1 else e
                                  for e in editions)
        try:
            h = load_handout(default.path, slug, ws.label(default.path))
            title, reviewed = h.title, str(h.reviewed)
        except ValidationFailed as exc:
            count = len(exc.problems)
            title, reviewed = f"(invalid: {count} problem{'s' if count != 1 else ''})", "-"
        rows.append((slug, title, shown_editions, reviewed))
    table(("NAME", "TITLE", "EDITIONS", "REVIEWED"), rows)
    if several:
        click.echo("\n* the default edition: what 'make' writes without --lang, and what a "
                   "bare --lang en picks")


@click.command()
@click.pass_obj
def layouts(state: State) -> None:
    """List the layouts: name, where it comes from, and what it is for."""
    from handouts.layout.spec import load_layout

    ws = state.ws
    rows = []
    for name, folder in ws.layouts().items():
        where = "built-in" if ws.is_builtin(folder) else "workspace"
        try:
            spec = load_layout(ws, name).spec
            pages = ", ".join(f"{p} {n}p" for p, n in spec.pages.items()) or "-"
            rows.append((name, where, pages, spec.description))
        except HandoutsError as exc:
            rows.append((name, where, "-", f"(broken: {exc.message.splitlines()[0]})"))
    table(("NAME", "FROM", "PAGES", "DESCRIPTION"), rows)


@click.command()
def schema() -> None:
    """Document every field of a content file."""
    from handouts.content.model import Handout
    from handouts.schema import describe

    click.echo("Fields of content/<slug>/<lang>.yaml (unknown keys are errors):\n")
    for line in describe(Handout):
        click.echo(line)

