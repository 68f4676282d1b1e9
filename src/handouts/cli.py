"""The `handouts` command line: a thin layer that parses options and calls the API.

User mistakes print one clear message and exit non-zero without a traceback;
``--debug`` shows the traceback. Exit codes are listed in ``handouts --help``.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from handouts import __version__
from handouts.errors import EXIT_INTERNAL, HandoutsError, UsageError

EPILOG = """\b
Examples:
  handouts make nk-cells                 write output/nk-cells.pdf (Letter)
  handouts make nk-cells --paper a4      the same on A4
  handouts make --all --out-dir print/   every handout
  handouts check nk-cells                is it fit to give a patient?
  handouts list                          the handouts you can make
  handouts init my-clinic                start a workspace of your own

\b
Exit codes:
  0  success
  1  content is invalid, or a check failed
  2  usage error: bad option, unknown handout, layout or language
  3  a layout (layout.yaml or a template) is broken
  4  the output file could not be written
  5  an email could not be sent (server, login, recipient or smtp settings)
  70 a bug in handouts (run again with --debug and report it)
"""


def document_options(command: Any) -> Any:
    """--layout, --paper and --lang, shared by the commands that make a PDF."""
    for option in reversed((
        click.option("--layout", metavar="NAME",
                     help="Layout to use (default: handouts.yaml's, else standard)."),
        click.option("--paper", type=click.Choice(["letter", "a4"], case_sensitive=False),
                     help="Paper size (default: handouts.yaml's, else the layout's, usually "
                          "letter)."),
        click.option("--lang", "language", metavar="LANG",
                     help="Content language (default: handouts.yaml's, else en)."),
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
            from handouts.workspace import Workspace

            self._ws = Workspace.discover(root=self.root)
        return self._ws


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handouts")
@click.option("--root", metavar="DIR", help="Workspace folder (default: found from the current "
              "folder upward, or $HANDOUTS_ROOT).")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, root: str | None, debug: bool) -> None:
    """Turn clinician-written content into patient-friendly printable PDF handouts."""
    ctx.obj = State(root, debug)


def _personal_options(command: Any) -> Any:
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


def _personal(for_: str | None, clinician: str | None, note: str | None,
              date: str | None) -> Any:
    if for_ is None and clinician is None and note is None and date is None:
        return None
    from handouts.personal import personal_fields

    return personal_fields(for_, clinician, note, date) or None


@cli.command()
@click.argument("slugs", nargs=-1, metavar="SLUG...")
@click.option("--all", "all_", is_flag=True, help="Make every handout.")
@document_options
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (one handout only).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/ in the workspace).")
@_personal_options
@click.option("--clinic", metavar="NAME", help="Clinic profile clinics/NAME.yaml to print "
              "(name, logo, phone; default: the clinic in handouts.yaml).")
@click.option("--grayscale", is_flag=True, help="Gray only, no colour (for black-and-white "
              "printers).")
@click.option("--force", is_flag=True, help="Skip the quick content checks (review date, "
              "sources, structure) and their warning; see 'handouts check'.")
@click.pass_obj
def make(state: State, slugs: tuple[str, ...], all_: bool, layout: str | None,
         paper: str | None, language: str | None, out: Path | None,
         out_dir: Path | None, for_: str | None = None, clinician: str | None = None,
         note: str | None = None, date: str | None = None, clinic: str | None = None,
         grayscale: bool = False, force: bool = False) -> None:
    """Make PDF handouts: output/<slug>.pdf for each SLUG.

    \b
    Another layout than the default writes output/<slug>-<layout>.pdf.

    Invalid content is refused. When a quick check fails (review overdue, a bad source, a
    structure problem) the PDF is still made and a one-line warning is printed; --force
    skips those checks. 'handouts check' runs every check.

    With --for/--clinician/--note/--date the copy is personalised and, unless -o names
    the file, written as output/<slug>-personal.pdf (file names never carry a name).

    \b
    Examples:
      handouts make nk-cells
      handouts make nk-cells --paper a4 -o ~/Desktop/nk.pdf
      handouts make --all --out-dir print/
      handouts make nk-cells --for "Ana López" --clinician "Dr. Mehta"
      handouts make nk-cells --layout trifold --clinic example-clinic
      handouts make nk-cells --layout large-print --grayscale
    """
    from handouts.build import make as make_one

    personal = _personal(for_, clinician, note, date)
    ws = state.ws
    names = _slugs(ws, slugs, all_)
    if out is not None and len(names) > 1:
        raise UsageError("-o/--output names one file; use --out-dir for several handouts")
    for slug in names:
        made = make_one(ws, slug, layout=layout, paper=paper and paper.lower(),
                        language=language, out=out, out_dir=out_dir, personal=personal,
                        clinic=clinic, grayscale=grayscale)
        pages = f"{made.pages} page{'s' if made.pages != 1 else ''}"
        click.echo(f"{_shown(made.path)}: {pages}, {made.size / 1024:.1f} KB "
                   f"({made.layout}, {made.paper})")
        if not force:
            from handouts.check import quick_warning

            warning = quick_warning(ws, slug, language)
            if warning:
                click.echo(warning, err=True)


@cli.command()
@click.argument("slug")
@document_options
@click.option("--clinic", metavar="NAME", help="Clinic profile clinics/NAME.yaml to print.")
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
    click.echo(f"{_shown(made.path)}: {made.pages} page{'s' if made.pages != 1 else ''} "
               f"({made.layout}, {made.paper})")
    for png in render_pages(made.path, pages, dpi):
        click.echo(f"  {_shown(png)}")


def _slugs(ws: Any, slugs: tuple[str, ...], all_: bool) -> list[str]:
    if all_ and slugs:
        raise UsageError("give handout names or --all, not both")
    if all_:
        return list(ws.handouts())
    if not slugs:
        raise UsageError("which handout? give a name such as nk-cells, or --all",
                         hint="run 'handouts list' to see them")
    return list(dict.fromkeys(slugs))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@cli.command("list")
@click.pass_obj
def list_(state: State) -> None:
    """List the handouts: name, title, languages and review date."""
    from handouts.content import load_handout
    from handouts.errors import ValidationFailed

    ws = state.ws
    rows = []
    for slug, folder in ws.handouts().items():
        langs = sorted(p.stem for p in folder.glob("*.yaml"))
        first = folder / f"{'en' if 'en' in langs else langs[0]}.yaml"
        try:
            h = load_handout(first, slug, ws.label(first))
            title, reviewed = h.title, str(h.reviewed)
        except ValidationFailed as exc:
            count = len(exc.problems)
            title, reviewed = f"(invalid: {count} problem{'s' if count != 1 else ''})", "-"
        rows.append((slug, title, ",".join(langs), reviewed))
    _table(("NAME", "TITLE", "LANGUAGES", "REVIEWED"), rows)


@cli.command()
@click.pass_obj
def layouts(state: State) -> None:
    """List the layouts: name, where it comes from, and what it is for."""
    from handouts.layout import load_layout

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
    _table(("NAME", "FROM", "PAGES", "DESCRIPTION"), rows)


@cli.command()
def schema() -> None:
    """Document every field of a content file."""
    from handouts.content import Handout
    from handouts.schema import describe

    click.echo("Fields of content/<slug>/<lang>.yaml (unknown keys are errors):\n")
    for line in describe(Handout):
        click.echo(line)


@cli.command()
@click.argument("slugs", nargs=-1, metavar="SLUG...")
@click.option("--all", "all_", is_flag=True, help="Check every handout.")
@click.option("--lang", "language", metavar="LANG",
              help="Check one language (default: every language of each handout).")
@click.option("--layout", "layouts", metavar="NAME", multiple=True,
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
      reading-level  Flesch-Kincaid and SMOG grade, the five hardest sentences
      jargon         medical words and abbreviations are explained
      review-dates   review not overdue (warn within 60 days)
      sources        sources complete, web addresses and citations valid
      layout-fit     fits the layout's pages on each paper, body text 12 pt or more
      structure      3-5 key points, short headings and paragraphs, questions
    Exit code 0 when nothing fails (warnings too with --strict), 1 otherwise.

    \b
    Examples:
      handouts check nk-cells
      handouts check --all --format json
      handouts check nk-cells --today 2027-06-01 --strict
    """
    import datetime

    from handouts.check import run

    when = None
    if today is not None:
        try:
            when = datetime.date.fromisoformat(today.strip())
        except ValueError:
            raise UsageError(f"--today must be a date as YYYY-MM-DD, got '{today}'") from None
    ws = state.ws
    report = run(ws, _slugs(ws, slugs, all_), language=language, today=when,
                 layouts=list(layouts) or None, strict=strict)
    click.echo(report.to_json() if format_ == "json" else report.to_text(verbose), nl=False)
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Create a workspace in FOLDER with an example handout and handouts.yaml."""
    from handouts.scaffold import create_workspace

    for path in create_workspace(folder):
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {folder} && handouts make example")


@cli.command()
@click.argument("slug")
@click.option("--to", "to", required=True, metavar="ADDRESS",
              help='Recipient, e.g. ana@example.org or "López, Ana" <ana@example.org>.')
@_personal_options
@click.option("--clinic", metavar="NAME", help="Clinic profile clinics/NAME.yaml: printed on "
              "the PDF, and its email is From/Reply-To (default: the clinic in handouts.yaml).")
@click.option("--subject", metavar="TEXT", help="Subject (default: the handout's title).")
@document_options
@click.option("--password-protect/--no-password-protect", default=None,
              help="Encrypt the PDF (AES-256) with a password given to the patient another "
                   "way (default: smtp.password_protect).")
@click.option("--eml", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the message to FILE for a mail client instead of sending it.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--insecure", is_flag=True,
              help="Allow smtp.security: plain to a server on another computer.")
@click.pass_obj
def email(state: State, slug: str, to: str, subject: str | None, layout: str | None,
          paper: str | None, language: str | None, password_protect: bool | None,
          eml: Path | None, dry_run: bool, insecure: bool, for_: str | None = None,
          clinician: str | None = None, note: str | None = None,
          date: str | None = None, clinic: str | None = None) -> None:
    """Email SLUG as a PDF attachment to one patient, personalised with --for etc.

    The mail server is set in handouts.yaml (smtp:); the password comes from
    $HANDOUTS_SMTP_PASSWORD, never from the command line.

    \b
    Examples:
      handouts email nk-cells --to ana@example.org --for "Ana López" --dry-run
      handouts email nk-cells --to ana@example.org --for "Ana López" --eml ana.eml
      handouts email nk-cells --to ana@example.org --clinician "Dr. Mehta" --password-protect
    """
    from handouts.deliver import prepare, send_prepared, write_eml

    personal = _personal(for_, clinician, note, date)
    ws = state.ws
    if subject is not None:
        from handouts.mail import check_header_text

        check_header_text(subject, "--subject")
    ready = prepare(ws, slug, to, personal=personal, clinic=clinic, subject=subject,
                    layout=layout, paper=paper and paper.lower(), language=language,
                    password_protect=password_protect, draft=eml is not None or dry_run)
    size = f"{ready.filename} ({ready.pdf_size / 1024:.1f} KB, {ready.pages} pages)"
    if dry_run:
        message = ready.message
        for name in ("From", "Reply-To", "To", "Subject", "Date"):
            if message.get(name):
                click.echo(f"{name + ':':<10}{message[name]}")
        smtp = ws.config.smtp
        via = (f"would be sent via {smtp.host} ({smtp.security})" if smtp
               else "cannot be sent yet: handouts.yaml has no smtp: section")
        click.echo(f"{'Attached:':<10}{size}{', encrypted' if ready.encrypted else ''}")
        click.echo(f"{'Size:':<10}{len(ready.raw) / 1024:.1f} KB; {via}")
        body = message.get_body(preferencelist=("plain",))
        click.echo("\n" + (body.get_content() if body is not None else "").rstrip())
    if eml is not None:
        write_eml(ready, eml)
        click.echo(f"{_shown(eml)}: email with {size}, {len(ready.raw) / 1024:.1f} KB; "
                   "open it in a mail client to send")
    if not dry_run and eml is None:
        sent = send_prepared(ready, ws.config.smtp, insecure=insecure, base=ws.root)
        tries = f" after {sent.attempts} attempts" if sent.attempts > 1 else ""
        click.echo(f"sent {size} to {ready.recipient} via {sent.host}:{sent.port} "
                   f"({sent.security}){tries}; {sent.size / 1024:.1f} KB")
    if ready.password:
        click.echo(f"PDF password: {ready.password}  (tell the patient by phone or in person; "
                   "never email it)")
    elif ready.encrypted:
        click.echo("the PDF is protected with the password in $HANDOUTS_PDF_PASSWORD")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, str(row[-1])]).rstrip())


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into messages and exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="handouts", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except HandoutsError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception:
        if debug:
            raise
        kind, value, _ = sys.exc_info()
        click.echo(f"internal error ({kind.__name__ if kind else 'unknown'}: {value}); "
                   "this is a bug in handouts. Run again with --debug to see where.", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(0)
