"""The `handouts` command line: a thin layer that parses options and calls the API.

User mistakes print one clear message and exit non-zero without a traceback;
``--debug`` shows the traceback. Exit codes are listed in ``handouts --help``.
"""

from __future__ import annotations

import sys
import traceback

import click

from handouts import __version__
from handouts.cli.check import check
from handouts.cli.email import email
from handouts.cli.init import init
from handouts.cli.listing import layouts, list_, schema
from handouts.cli.make import make
from handouts.cli.options import State
from handouts.cli.preview import preview
from handouts.cli.serve import serve
from handouts.cli.which import which
from handouts.errors import EXIT_INTERNAL, HandoutsError

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



@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handouts")
@click.option("--root", metavar="DIR", help="Workspace folder (default: found from the current "
              "folder upward, or $HANDOUTS_ROOT).")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, root: str | None, debug: bool) -> None:
    """Turn clinician-written content into patient-friendly printable PDF handouts."""
    ctx.obj = State(root, debug)



for command in (make, preview, list_, layouts, schema, check, init, email, which, serve):
    cli.add_command(command)


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
