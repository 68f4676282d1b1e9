"""Figures and layout blocks for the renderer: images that keep their aspect ratio, QR codes
with their address printed beside them, rows of cells side by side, and fixed panels.

Kept apart from ``render`` so the image work is only paid for by handouts that
use these blocks. In grayscale mode images are converted to gray (DeviceGray),
transparency kept, so a grayscale PDF holds no colour at all.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.flowables import Flowable, KeepInFrame, _listWrapOn

from handouts.errors import LayoutError
from handouts.images import load_image
from handouts.layout import blocks as b
from handouts.render.flowables import unkept

if TYPE_CHECKING:
    from handouts.render.builder import FlowableBuilder
    from handouts.render.styles import Styles

class Picture(Flowable):
    """A raster image drawn at a fixed size; shrinks (keeping its shape) to fit its frame."""

    def __init__(self, reader: ImageReader, width: float, height: float, alt: str) -> None:
        super().__init__()
        self.reader, self.alt = reader, alt
        self.img_width, self.img_height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        scale = min(1.0, avail_width / self.img_width) if self.img_width else 1.0
        self.width, self.height = self.img_width * scale, self.img_height * scale
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


@lru_cache(maxsize=32)
def _open(path: str, mtime_ns: int, grayscale: bool) -> tuple[ImageReader, int, int]:
    """A PNG or JPEG as ReportLab reads it, once per process (per file version and mode)."""
    picture = load_image(path, mtime_ns, grayscale)
    return ImageReader(picture), picture.width, picture.height


def resolve_src(src: str, styles: Styles) -> Path:
    """An absolute path (a clinic logo) as is; else a file in the layout's folders."""
    return styles.layout.image_file(src)


def image(block: b.Image, styles: Styles) -> Flowable:
    """<image src width [height] alt>: the width is kept, the height follows the image's shape
    (with a height too, the image fits inside width x height)."""
    from handouts.render.styles import length

    path = resolve_src(block.src, styles)
    reader, px_w, px_h = _open(str(path), os.stat(path).st_mtime_ns, styles.grayscale)
    width = length(block.width, "<image width>")
    height = width * px_h / px_w
    if block.height:
        box = length(block.height, "<image height>")
        if height > box:
            width, height = box * px_w / px_h, box
    return Picture(reader, width, height, block.alt)


def qr(block: b.QR, styles: Styles) -> Flowable:
    """<qr url size>: a QR code (ReportLab's own encoder) with the address printed beside it,
    or under it when the column is too narrow to print it beside on one line."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import black

    from handouts.render.styles import length

    size = length(block.size, "<qr size>")
    widget = QrCodeWidget(block.url, barLevel="M", barWidth=size, barHeight=size,
                          barFillColor=black, barStrokeColor=black)
    style_name = next((n for n in ("qr", "small") if n in styles.specs), "body")
    style = styles.get(style_name)
    # The drawing's renderer opens a font before drawing: the layout's, not Helvetica.
    drawing = Drawing(size, size, initialFontName=style.fontName,
                      initialFontSize=style.fontSize)
    drawing.add(widget)
    if not block.address:  # the template prints the address itself
        return drawing
    return QrWithAddress(drawing, block.url, style)


class QrWithAddress(Flowable):
    """A QR drawing and its address: side by side when the address fits on one line there."""

    GAP = 8.0

    def __init__(self, drawing: Any, url: str, style: Any) -> None:
        super().__init__()
        self.drawing, self.url, self.style = drawing, url, style
        self.shown = url.split("://", 1)[-1].rstrip("/")
        self.spaceAfter = 6
        self._inner: Table | None = None
        self.address = RLParagraph(f'<a href="{b._escape(self.url, quote=True)}">'
                                   f"{b._escape(self.shown)}</a>", self.style)

    def tag_parts(self) -> list[tuple[Any, str, str]]:
        """For a tagged PDF: the code is a Figure, the printed address a paragraph."""
        from handouts.render.tagging import figure_alt

        return [(self.drawing, "Figure", figure_alt(self)), (self.address, "P", "")]

    def _layout(self, avail_width: float) -> Table:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.drawing.width
        para = self.address
        beside = stringWidth(self.shown, self.style.fontName, self.style.fontSize) \
            <= avail_width - size - self.GAP
        rows = [[self.drawing, para]] if beside else [[self.drawing], [para]]
        table = Table(rows, colWidths=[size, None] if beside else [avail_width], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.style.fontName, self.style.fontSize),  # not Helvetica
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (1, 0), (1, 0), self.GAP if beside else 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 3),
        ]))
        return table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._inner = self._layout(avail_width)
        self.width, self.height = self._inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        assert self._inner is not None
        self._inner.drawOn(self.canv, 0, 0)


def row(block: b.Row, builder: FlowableBuilder) -> Flowable:
    """<row><cell width>…</cell>…</row>: cells side by side, without borders."""
    from handouts.render.styles import length

    widths: list[Any] = []
    for cell in block.cells:
        if not cell.width:
            widths.append(None)
        elif cell.width.endswith("%"):
            widths.append(cell.width)
        else:
            widths.append(length(cell.width, "<cell width>"))
    contents = []
    for cell in block.cells:
        flowables = builder.build(list(cell.children))
        for f in flowables:
            f.hAlign = cell.align.upper()
        contents.append(flowables)
    table = Table([contents], colWidths=widths, hAlign="LEFT")
    body = builder.styles.get("body")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize),  # else an unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), block.valign.upper()),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    for i, cell in enumerate(block.cells):
        commands.append(("ALIGN", (i, 0), (i, 0), cell.align.upper()))
    table.setStyle(TableStyle(commands))
    return table


class Panel(KeepInFrame):
    """<panel>: blocks kept in one column. Content taller than a whole column is an error
    (a tri-fold panel must never spill into the next one and shift the folding order)."""

    def __init__(self, content: list[Flowable], name: str) -> None:
        super().__init__(0, 0, unkept(content), mode="overflow", name=name)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = _listWrapOn(self._content, avail_width, self.canv)
        frame = getattr(self, "_frame", None)
        if height > avail_height + 0.5 and frame is not None and frame._atTop:
            what = f"panel '{self.name}'" if self.name else "a panel"
            raise LayoutError(f"{what} needs {height:.0f} pt but its column is only "
                              f"{avail_height:.0f} pt tall",
                              hint="show less in it (a layout's 'show:' or its template), "
                                   "or use larger paper")
        self.width, self.height = width, height
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # never split: move to the next column, or fail there


@lru_cache(maxsize=16)
def _drawing(path: str, mtime_ns: int) -> Any:
    """An SVG file read once per process (per version of the file) with svglib."""
    from svglib.svglib import svg2rlg  # imported only by handouts that have a figure

    try:
        drawing = svg2rlg(path)
    except Exception as exc:  # lxml's XMLSyntaxError, svglib's own errors
        raise LayoutError(f"figure '{os.path.basename(path)}' is not a readable SVG file "
                          f"({str(exc).splitlines()[0][:120] if str(exc) else exc})") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise LayoutError(f"figure '{os.path.basename(path)}' has no size; give the <svg> a "
                          "width and height or a viewBox")
    return drawing


class SvgFigure(Flowable):
    """An SVG drawing scaled to a share of the column, its caption under it.

    The drawing keeps its shape; ``block.alt`` is its text equivalent (tagged PDF, HTML).
    """

    def __init__(self, drawing: Any, share: float, caption: Flowable | None) -> None:
        super().__init__()
        self.drawing, self.share, self.caption = drawing, share, caption
        self.scale = 1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width = avail_width * self.share
        self.scale = width / self.drawing.width
        self.caption_height = self.caption.wrap(avail_width, avail_height)[1] + 3 \
            if self.caption is not None else 0.0
        self.width = avail_width
        self.height = self.drawing.height * self.scale + self.caption_height
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        canvas = self.canv
        canvas.saveState()
        canvas.translate(0, self.caption_height)
        canvas.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canvas, 0, 0, showBoundary=False)
        canvas.restoreState()
        if self.caption is not None:
            self.caption.drawOn(canvas, 0, 0)


def figure(block: b.Figure, styles: Styles) -> Flowable:
    """<figure src alt caption width>: an SVG file from the content or layout folders."""
    path = resolve_src(block.src, styles)
    if path.suffix.lower() != ".svg":
        raise LayoutError(f"figure '{block.src}' must be an SVG file (.svg)",
                          hint="use <image> for a PNG or JPEG picture")
    # A copy of the one read once per process: a tagged build sets the font the drawing opens
    # with (tagging.Structure._font), which must not carry over into the next build.
    drawing = copy.copy(_drawing(str(path), os.stat(path).st_mtime_ns))
    share = 1.0
    if block.width.endswith("%"):
        try:
            share = min(1.0, max(0.1, float(block.width[:-1]) / 100))
        except ValueError:
            raise LayoutError(f"<figure width=\"{block.width}\"> must be a percentage such as "
                              "'80%'") from None
    caption = None
    if block.caption:
        style = styles.get("caption" if "caption" in styles.specs else "small")
        caption = RLParagraph(b._escape(block.caption), style)
    return SvgFigure(drawing, share, caption)


def flowable(block: b.Image | b.QR | b.Row | b.Panel | b.Figure,
             builder: FlowableBuilder) -> Flowable:
    """The flowable for one figure or layout block; it keeps a reference to its block
    (``flowable.block``) so tagging can read its role and alt text."""
    made: Flowable
    if isinstance(block, b.Image):
        made = image(block, builder.styles)
    elif isinstance(block, b.QR):
        made = qr(block, builder.styles)
    elif isinstance(block, b.Figure):
        made = figure(block, builder.styles)
    elif isinstance(block, b.Panel):
        made = Panel(builder.build(list(block.children)), block.name)
    else:
        made = row(block, builder)
    object.__setattr__(made, "block", block)  # a bare QR Drawing checks its attribute names
    return made
