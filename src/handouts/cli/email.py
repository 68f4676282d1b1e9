"""`handouts email`: send one patient a personalised handout."""

from __future__ import annotations

from pathlib import Path

import click

from handouts.cli.completion import complete_clinics, complete_handouts
from handouts.cli.options import (
    State,
    document_options,
    personal_copy,
    personal_options,
    shown,
)


@click.command()
@click.argument("slug", shell_complete=complete_handouts)
@click.option("--to", "to", required=True, metavar="ADDRESS",
              help='Recipient, e.g. ana@example.org or "López, Ana" <ana@example.org>.')
@personal_options
@click.option("--clinic", metavar="NAME", shell_complete=complete_clinics,
              help="Clinic profile clinics/NAME.yaml: printed on "
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
    from handouts.deliver.email import prepare, send_prepared, write_eml

    personal = personal_copy(for_, clinician, note, date)
    ws = state.ws
    if subject is not None:
        from handouts.deliver.message import check_header_text

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
        click.echo(f"{shown(eml)}: email with {size}, {len(ready.raw) / 1024:.1f} KB; "
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

