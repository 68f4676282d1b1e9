"""`handouts init`: a workspace of your own."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Create a workspace in FOLDER with an example handout and handouts.yaml."""
    from handouts.workspace.scaffold import create_workspace

    for path in create_workspace(folder):
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {folder} && handouts make example")

