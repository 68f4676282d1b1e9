"""`handouts make`: write PDF handouts, or their HTML edition and a site index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from handouts.cli.completion import complete_clinics, complete_handouts
from handouts.cli.options import (
    State,
    document_options,
    personal_copy,
    personal_options,
    shown,
    slugs_of,
)
from handouts.errors import HandoutsError, UsageError


@click.command()
@click.argument("slugs", nargs=-1, metavar="SLUG...", shell_complete=complete_handouts)
@click.option("--all", "all_", is_flag=True, help="Make every handout.")
@document_options
@click.option("-o", "--output", "out", metavar="FILE|DIR/",
              help="Output file (one handout only), or a folder ending in / to write into.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/ in the workspace).")
@personal_options
@click.option("--clinic", metavar="NAME", shell_complete=complete_clinics,
              help="Clinic profile clinics/NAME.yaml to print "
              "(name, logo, phone; default: the clinic in handouts.yaml).")
@click.option("--grayscale", is_flag=True, help="Gray only, no colour (for black-and-white "
              "printers).")
@click.option("--untagged", is_flag=True, help="Write an untagged PDF (no structure for "
              "screen readers): only to compare size and speed with the tagged default.")
@click.option("--force", is_flag=True, help="Rebuild even when the output is up to date, and "
              "skip the quick content checks (review date, sources, structure) and their "
              "warning; see 'handouts check'.")
@click.option("--format", "format_", type=click.Choice(["pdf", "html"]), default="pdf",
              show_default=True, help="pdf, or html: the HTML edition, one self-contained "
              "page (with --all also the PDFs and an index.html listing them).")
@click.pass_obj
def make(state: State, slugs: tuple[str, ...], all_: bool, layout: str | None,
         paper: str | None, language: str | None, out: str | None,
         out_dir: Path | None, for_: str | None = None, clinician: str | None = None,
         note: str | None = None, date: str | None = None, clinic: str | None = None,
         grayscale: bool = False, force: bool = False, format_: str = "pdf",
         untagged: bool = False) -> None:
    """Make PDF handouts: output/<slug>.pdf for each SLUG.

    \b
    A choice other than the default adds to the name: output/<slug>-<layout>-<lang>-<paper>
    -gray-<clinic>.pdf (<lang>: an edition other than the default, e.g. en-US). A bare
    --lang en picks the default English edition and says which ("en → en-GB"). An output
    made from the same inputs is left alone ("up to date").

    Invalid content is refused. When a quick check fails (review overdue, a bad source, a
    structure problem) the PDF is still made and a one-line warning is printed; --force
    skips those checks. 'handouts check' runs every check.

    With --for/--clinician/--note/--date the copy is personalised and, unless -o names
    the file, written as output/<slug>-personal-<id>.pdf, a new random id each time (file
    names never carry a name).

    --format html writes the HTML edition, output/<slug>.html; with --all it also makes
    every edition's PDF and HTML and an index.html that links them (a site to publish).

    \b
    Examples:
      handouts make nk-cells
      handouts make nk-cells --paper a4 -o ~/Desktop/nk.pdf
      handouts make --all --out-dir print/
      handouts make nk-cells --for "Ana López" --clinician "Dr. Mehta"
      handouts make nk-cells --layout trifold --clinic example-clinic
      handouts make nk-cells --layout large-print --grayscale
      handouts make nk-cells --format html
      handouts make --all --format html --out-dir site/
    """
    from handouts.build import make as make_one

    personal = personal_copy(for_, clinician, note, date)
    ws = state.ws
    names = slugs_of(ws, slugs, all_)
    if out is not None and len(names) > 1:
        raise UsageError("-o/--output names one file; use --out-dir for several handouts")
    site = format_ == "html" and all_
    if site:  # every edition's HTML and PDF, and the index linking them
        from handouts.build import make_site

        built = make_site(ws, layout=layout, paper=paper and paper.lower(), out_dir=out_dir,
                          personal=personal, clinic=clinic, grayscale=grayscale)
        for made in built.made:
            _report(made)
        click.echo(f"{shown(built.index)}: index of {len(built.editions)} editions")
    failed: list[HandoutsError] = []
    for slug in names:
        made = None
        if not site:
            try:
                made = make_one(ws, slug, layout=layout, paper=paper and paper.lower(),
                                language=language, out=out, out_dir=out_dir,
                                personal=personal, clinic=clinic, grayscale=grayscale,
                                format=format_, force=force, tagged=not untagged)
                _report(made)
            except HandoutsError as exc:
                if len(names) == 1:
                    raise
                click.echo(f"error: {slug}: {exc}", err=True)  # one bad file: go on
                failed.append(exc)
                continue
        if not force:
            from handouts.check.runner import quick_warning

            warning = quick_warning(ws, slug, language, handout=made.handout if made else None)
            if warning:
                click.echo(warning, err=True)
    if failed:
        click.echo(f"{len(failed)} of {len(names)} handouts failed; the others were made",
                   err=True)
        raise SystemExit(max(exc.exit_code for exc in failed))


def _report(made: Any) -> None:
    """One line per file written: where, how big, which layout and paper (and which edition
    a bare --lang picked: "en → en-GB")."""
    picked = f", {made.picked}" if made.picked else ""
    if made.path.suffix == ".html":
        click.echo(f"{shown(made.path)}: HTML, {made.size / 1024:.1f} KB ({made.layout}"
                   f"{picked})")
        return
    pages = f"{made.pages} page{'s' if made.pages != 1 else ''}"
    fresh = "up to date, " if made.fresh else ""
    click.echo(f"{shown(made.path)}: {fresh}{pages}, {made.size / 1024:.1f} KB "
               f"({made.layout}, {made.paper}{picked})")
    if made.budget and made.pages > made.budget:
        click.echo(f"warning: {shown(made.path)} has {made.pages} pages, over the "
                   f"{made.layout} layout's {made.budget} on {made.paper}: it will not print "
                   "as planned; shorten the personal note, or choose another layout or paper",
                   err=True)
