"""PNG previews of a PDF's pages, so an author can look without a PDF viewer.

Uses pypdfium2 (a registry package with PDFium built in: no system binary needed), a
dependency of handouts imported only here. Pages are written next to the PDF as
``<name>-<page>.png``, atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from handouts.errors import UsageError
from handouts.output import write_atomic

DEFAULT_DPI = 110


def page_png_path(pdf: Path, page: int) -> Path:
    """Where the preview of ``page`` (from 1) of ``pdf`` goes."""
    return pdf.with_name(f"{pdf.stem}-{page}.png")


def render_pages(pdf: Path, pages: Sequence[int] = (), dpi: int = DEFAULT_DPI) -> list[Path]:
    """Write PNGs of the given pages (from 1; all when empty) of ``pdf``; return their paths.

    When every page is drawn, PNGs left over from a longer earlier version are removed.
    """
    import pypdfium2 as pdfium  # imported here: `handouts make` never needs it
    if not 18 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi} is out of range", hint="use 18 to 1200; 110 suits a screen")
    document = pdfium.PdfDocument(str(pdf))
    written: list[Path] = []
    try:
        count = len(document)
        wanted = list(dict.fromkeys(pages)) or list(range(1, count + 1))
        for number in wanted:
            if not 1 <= number <= count:
                raise UsageError(f"there is no page {number}: the PDF has {count} "
                                 f"page{'s' if count != 1 else ''}")
        for number in wanted:
            page = document[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72)
                image = bitmap.to_pil()
            finally:
                page.close()
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            target = page_png_path(pdf, number)
            write_atomic(target, buf.getvalue())
            written.append(target)
    finally:
        document.close()
    if not pages:
        stale = count + 1
        while page_png_path(pdf, stale).is_file():
            page_png_path(pdf, stale).unlink()
            stale += 1
    return written
