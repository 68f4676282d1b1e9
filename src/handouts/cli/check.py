"""`handouts check`: is a handout fit to give a patient?"""

from __future__ import annotations

import sys

import click

from handouts.cli.completion import complete_handouts, complete_languages, complete_layouts
from handouts.cli.options import (
    State,
    slugs_of,
)
from handouts.errors import UsageError


@click.command()
@click.argument("slugs", nargs=-1, metavar="SLUG...", shell_complete=complete_handouts)
@click.option("--all", "all_", is_flag=True, help="Check every handout.")
@click.option("--lang", "language", metavar="LANG",
              shell_complete=complete_languages,
              help="Check one language (default: every language of each handout).")
@click.option("--layout", "layouts", metavar="NAME", multiple=True,
              shell_complete=complete_layouts,
              help="Layout to fit (repeat for several; default: the workspace's, or standard).")
@click.option("--today", metavar="YYYY-MM-DD",
              help="Date to check review dates against (default: today).")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report for people, or JSON for CI and editors.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("-v", "--verbose", is_flag=True,
              help="Also list the hardest sentences and notes of checks that passed.")
@click.pass_obj
def check(state: State, slugs: tuple[str, ...], all_: bool, language: str | None,
          layouts: tuple[str, ...], today: str | None, format_: str, strict: bool,
          verbose: bool) -> None:
    """Check that handouts are fit to give a patient.

    \b
    Checks, each pass / warn / fail with what was measured and a hint:
      schema         the content file is valid
      reading-level  Flesch-Kincaid and SMOG (Spanish: INFLESZ), the hardest sentences
      jargon         medical words and abbreviations are explained
      review-dates   review not overdue (warn within 60 days)
      sources        sources complete, web addresses and citations valid
      layout-fit     fits the layout's pages on each paper, body text 12 pt or more;
                     warns if it leaves sections out and has no online address
      structure      3-5 key points, short headings and paragraphs, questions
      translation    no English fixed text in another language; translation not stale
      accessibility  the tagged PDF is complete (structure, alt text, language, fonts)
    Exit code 0 when nothing fails (warnings too with --strict), 1 otherwise.

    \b
    Examples:
      handouts check nk-cells
      handouts check --all --format json
      handouts check nk-cells --today 2027-06-01 --strict
    """
    import datetime

    from handouts.check.runner import run

    when = None
    if today is not None:
        try:
            when = datetime.date.fromisoformat(today.strip())
        except ValueError:
            raise UsageError(f"--today must be a date as YYYY-MM-DD, got '{today}'") from None
    ws = state.ws
    report = run(ws, slugs_of(ws, slugs, all_), language=language, today=when,
                 layouts=list(layouts) or None, strict=strict)
    click.echo(report.to_json() if format_ == "json" else report.to_text(verbose), nl=False)
    if report.exit_code:
        sys.exit(report.exit_code)

