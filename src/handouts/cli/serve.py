"""`handouts serve`: the local web app (live preview for authors, a front desk for staff)."""

from __future__ import annotations

import click

from handouts.cli.options import State
from handouts.errors import UsageError


@click.command()
@click.option("--root", metavar="DIR", help="Workspace folder (default: as for every command).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDR",
              help="Address to listen on. Anything but this computer (loopback) needs an "
                   "access token: --new-token, or $HANDOUTS_SERVE_TOKEN.")
@click.option("--new-token", is_flag=True,
              help="Make an access token and print it (unless $HANDOUTS_SERVE_TOKEN is set).")
@click.option("--open", "open_", is_flag=True, help="Open the page in a web browser.")
@click.option("--printer", metavar="NAME",
              help="CUPS printer for the Print button (default: the system's default).")
@click.pass_obj
def serve(state: State, root: str | None, port: int, host: str, new_token: bool,
          open_: bool, printer: str | None) -> None:
    """Serve the workspace at http://127.0.0.1:8000/: every handout's pages, redrawn when a
    file is saved, with check's findings beside them, and a form for a patient's copy
    (preview, download, email, print).

    \b
    Examples:
      handouts serve                      this computer only, port 8000
      handouts serve --open --port 8080   and open it in a browser
      handouts serve --host 0.0.0.0 --new-token --printer front-desk
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
        import watchfiles  # noqa: F401
    except ImportError as exc:
        from handouts.serve import EXTRA_HINT

        raise UsageError(f"handouts serve needs the 'serve' extra ({exc.name} is not "
                         "installed)", hint=EXTRA_HINT) from None
    from handouts.deliver.printing import check_printer_name
    from handouts.serve.server import plan_address
    from handouts.serve.server import serve as run

    if printer:
        check_printer_name(printer)
    address = plan_address(host, port, new_token)
    run(root or state.root, address, open_browser=open_, printer=printer, echo=click.echo)
