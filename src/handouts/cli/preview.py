"""`handouts preview`: a handout's pages as PNG images."""

from __future__ import annotations

from pathlib import Path

import click

from handouts.cli.completion import complete_clinics, complete_handouts
from handouts.cli.options import (
    State,
    document_options,
    shown,
)


@click.command()
@click.argument("slug", shell_complete=complete_handouts)
@document_options
@click.option("--clinic", metavar="NAME", shell_complete=complete_clinics,
              help="Clinic profile clinics/NAME.yaml to print.")
@click.option("--grayscale", is_flag=True, help="Gray only, no colour.")
@click.option("--page", "pages", type=click.IntRange(min=1), multiple=True, metavar="N",
              help="Page to draw, from 1 (repeat for several; default: every page).")
@click.option("--dpi", type=click.IntRange(18, 1200), default=110, show_default=True,
              help="Resolution of the PNG images.")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write (the PNGs go beside it).")
@click.pass_obj
def preview(state: State, slug: str, layout: str | None, paper: str | None,
            language: str | None, clinic: str | None, grayscale: bool,
            pages: tuple[int, ...], dpi: int, out: Path | None) -> None:
    """Make SLUG's PDF and draw its pages as PNG images beside it (no PDF viewer needed).

    \b
    Examples:
      handouts preview nk-cells                       output/nk-cells.pdf, nk-cells-1.png, ...
      handouts preview nk-cells --layout trifold --page 1 --dpi 150
    """
    from handouts.build import make as make_one
    from handouts.preview import render_pages

    ws = state.ws
    made = make_one(ws, slug, layout=layout, paper=paper and paper.lower(), language=language,
                    out=out, clinic=clinic, grayscale=grayscale)
    click.echo(f"{shown(made.path)}: {made.pages} page{'s' if made.pages != 1 else ''} "
               f"({made.layout}, {made.paper})")
    for png in render_pages(made.path, pages, dpi):
        click.echo(f"  {shown(png)}")

