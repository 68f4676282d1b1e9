"""`handouts which FILE.pdf`: what a handout was made from, and is it still current?"""

from __future__ import annotations

from pathlib import Path

import click

from handouts.cli.options import State


@click.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def which(state: State, pdf: Path) -> None:
    """Print the record a PDF carries (version, content and layout digests, edition, paper,
    personal copy or not) and whether today's content and layout would make the same handout.

    \b
    Exit code 0 when it is current, 1 when the content or layout has changed since.

    \b
    Example:
      handouts which output/nk-cells.pdf
    """
    from handouts.build import which as which_of

    found = which_of(state.ws, pdf)
    for name, value in found.record.items():
        click.echo(f"{name + ':':17}{value}")
    if found.content_file is None:
        click.echo(f"current:         no — handout '{found.record.slug}' "
                   f"({found.record.edition}) or layout '{found.record.layout}' is gone")
        raise SystemExit(1)
    content = "same" if found.content_same else "changed since"
    layout = "same" if found.layout_same else "changed since"
    click.echo(f"content now:     {content} ({state.ws.label(found.content_file)})")
    click.echo(f"layout now:      {layout} ({found.record.layout})")
    if found.content_same and found.layout_same:
        click.echo("current:         yes — making it again gives the same handout"
                   + ("" if found.build_same else " (the engine or clinic files changed)"))
        return
    click.echo("current:         no — the handout has changed since this copy was made")
    raise SystemExit(1)
