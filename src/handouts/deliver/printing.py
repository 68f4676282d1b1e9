"""Printing one copy through the system's CUPS (``lp``), with duplex right for the layout.

    from handouts.deliver.printing import print_options, send_to_printer
    options = print_options(layout, paper, copies=2)
    job = send_to_printer(pdf_bytes, options, printer="front-desk")

The PDF goes to ``lp`` on its standard input: nothing is written to disk here, and the job
title is the handout's slug, never a patient's name. ``CUPS_SERVER`` chooses another CUPS
server, as for every CUPS client.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from handouts.errors import DeliveryError, UsageError
from handouts.layout.spec import Layout

MAX_COPIES = 50
# PWG 5101.1 self-describing names: what IPP printers report and accept as `media`.
MEDIA = {"letter": "na_letter_8.5x11in", "a4": "iso_a4_210x297mm"}
_PRINTER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}$")


class PrinterMissing(DeliveryError):
    """There is no CUPS client (``lp``) on this computer."""


@dataclass(frozen=True)
class PrintOptions:
    """The IPP job attributes a copy is printed with."""

    sides: str  # two-sided-long-edge | two-sided-short-edge
    media: str
    copies: int
    title: str

    def lp_arguments(self) -> list[str]:
        return ["-n", str(self.copies), "-o", f"sides={self.sides}",
                "-o", f"media={self.media}", "-t", self.title]


@dataclass(frozen=True)
class PrintJob:
    """What CUPS said when it took the job."""

    request_id: str  # e.g. front-desk-12
    printer: str | None  # None: the default destination


def duplex_for(layout: Layout) -> str:
    """Two-sided, flipped the way the pages are read: a landscape sheet (the tri-fold) turns on
    its short edge, a portrait one (standard, large print) on its long edge."""
    if layout.spec.orientation == "landscape":
        return "two-sided-short-edge"
    return "two-sided-long-edge"


def print_options(layout: Layout, paper: str, copies: int | str = 1,
                  title: str = "handout") -> PrintOptions:
    """Check the number of copies (as typed in a form or given on the command line)."""
    try:
        count = int(str(copies).strip())
    except ValueError:
        raise UsageError("the number of copies must be a whole number, e.g. 1") from None
    if not 1 <= count <= MAX_COPIES:
        raise UsageError(f"the number of copies must be from 1 to {MAX_COPIES}")
    if paper not in MEDIA:
        raise UsageError(f"unknown paper '{paper}'", hint="use letter or a4")
    return PrintOptions(duplex_for(layout), MEDIA[paper], count, title)


def check_printer_name(printer: str) -> None:
    if not _PRINTER.match(printer):
        raise UsageError(f"'{printer}' is not a printer name",
                         hint="use the queue name that 'lpstat -p' lists, e.g. front-desk")


def cups_available() -> bool:
    return shutil.which("lp") is not None


def send_to_printer(pdf: bytes, options: PrintOptions, printer: str | None = None,
                    timeout: float = 60) -> PrintJob:
    """Hand the PDF to ``lp``; raise DeliveryError with CUPS's own message when it refuses."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterMissing("printing needs CUPS, and this computer has no 'lp' command",
                             hint="install CUPS (e.g. apt-get install cups-client) or "
                                  "download the PDF and print it from a PDF viewer")
    command = [lp]
    if printer:
        check_printer_name(printer)
        command += ["-d", printer]
    command += options.lp_arguments()  # no file: lp reads the PDF from its standard input
    try:
        done = subprocess.run(command, input=pdf, capture_output=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        raise DeliveryError(f"the printer did not answer within {timeout:g} s; "
                            "nothing was printed") from None
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise DeliveryError(f"CUPS refused the job: {said or f'lp exited {done.returncode}'}",
                            hint="check the printer with 'lpstat -p', or download the PDF")
    found = re.search(r"request id is (\S+)", done.stdout.decode("utf-8", "replace"))
    return PrintJob(found.group(1) if found else "?", printer)
