"""Blocks to PDF bytes with ReportLab platypus: fonts embedded and subset, deterministic.

Flowables are built from the block tree; the page template draws the header and
footer once the page count is known ("Page x of y"). Output is byte-identical for
the same inputs (ReportLab invariant mode; the creation date comes from the
content, or ``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    PageTemplate,
)
from reportlab.platypus.frames import Frame

from handouts.errors import LayoutError
from handouts.layout import blocks as b
from handouts.layout.spec import Layout
from handouts.render.builder import FlowableBuilder
from handouts.render.compact import use_compact_writer
from handouts.render.fonts import check_glyphs
from handouts.render.metadata import install as install_metadata
from handouts.render.styles import Styles, page_size, styles_for
from handouts.render.tagging import SpacedText, Structure, Tagger, artifact

MAX_PAGES = 200  # page budget of any one PDF


@dataclass(frozen=True, eq=False)
class PdfMeta:
    """Document metadata written to the PDF Info dictionary and catalog."""

    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    creator: str
    created: datetime.date
    record: Any = None  # provenance.Record: written to XMP and Info (render/metadata.py)
    pdfua: bool = False  # a tagged PDF: XMP says pdfuaid:part 1 (set by render)


@dataclass(eq=False)
class Edges:
    """Header and footer text for each page: callables taking (page, pages)."""

    header: list[tuple[str, Callable[[int, int], str]]] = field(default_factory=list)
    footer: list[tuple[str, Callable[[int, int], str]]] = field(default_factory=list)
    header_style: str = "header"
    footer_style: str = "footer"
    # (which, position) -> the text as it would be without a personal copy's details: where a
    # page's text differs, that text is content (read aloud), not a running header.
    shared: dict[tuple[str, str], Callable[[int, int], str]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Rendered:
    data: bytes
    pages: int


class _EdgeCanvas(Canvas):
    """Holds pages back until the end so headers and footers know the page count."""

    def __init__(self, *args: Any, draw_edges: Callable[[Canvas, int, int], None],
                 meta: PdfMeta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._draw_edges = draw_edges
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            stamp = f"D:{meta.created:%Y%m%d}000000+00'00'"
            self.setDateFormatter(lambda *_: stamp)
        install_metadata(self, meta)

    def showPage(self) -> None:
        if len(self._held) >= MAX_PAGES:
            raise LayoutError(f"the handout would run past {MAX_PAGES} pages; nothing was "
                              "written", hint="a template or the content repeats too much")
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._finish_page(self._pageNumber, total)
            super().showPage()
        self._finish_document(total)
        super().save()

    def _finish_page(self, page_no: int, pages: int) -> None:
        self._draw_edges(self, page_no, pages)

    def _finish_document(self, pages: int) -> None:
        pass


class _TaggedPage(pdfdoc.PDFPage):
    """A page that may carry /StructParents and /Tabs (ReportLab's PDFPage drops them)."""

    __NoDefault__ = (*pdfdoc.PDFPage.__NoDefault__, "StructParents", "Tabs")

    def check_format(self, document: Any) -> None:
        super().check_format(document)
        if self.compression and isinstance(self.Contents, pdfdoc.PDFStream):
            # Flate alone: ASCII85 on top only makes a binary file a quarter bigger and slower
            self.Contents.filters = [pdfdoc.PDFZCompress]


class _TaggedCanvas(_EdgeCanvas):
    """Marked content while drawing; the structure tree, outline and XMP when saving."""

    def __init__(self, *args: Any, tagger: Tagger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tagger = tagger
        tagger.canvas = self
        use_compact_writer(self)
        self._doc._pdfVersion = (1, 7)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        return SpacedText(self, x, y, direction=direction)

    def drawText(self, aTextObject: Any) -> None:
        self.tagger.draw_text(super().drawText, aTextObject)

    def _addAnnotation(self, annotation: Any, name: str | None = None,
                       addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        annotation._ho_ref = self._doc.refAnnotation(name or f"NUMBER{self._annotationCount}")
        self.tagger.annotation(annotation)

    def _setAnnotations(self, page: Any) -> None:
        super()._setAnnotations(page)
        page.__class__ = _TaggedPage
        page.StructParents = self._pageNumber - 1
        page.Tabs = pdfdoc.PDFName("S")

    def _finish_page(self, page_no: int, pages: int) -> None:
        super()._finish_page(page_no, pages)
        self.tagger.finish_page(self, page_no - 1)

    def _finish_document(self, pages: int) -> None:
        self.tagger.finish(self, pages)  # XMP (pdfuaid:part 1 too): render/metadata.py


def render(blocks: list[b.Block], layout: Layout, paper: str, meta: PdfMeta, edges: Edges,
           grayscale: bool = False, tagged: bool = True) -> Rendered:
    """Lay out the blocks on pages and return the PDF bytes and page count.

    ``tagged`` (the default) writes a tagged PDF: PDF/UA-1 structure, see tagging.py.
    Untagged output exists only for comparison (``--untagged``).
    """
    italic = _uses_italic(blocks) or any(s.italic for s in layout.spec.styles.values())
    styles = styles_for(layout, italic, grayscale)
    check_glyphs(styles.fonts, [*b.plain_texts(blocks), meta.title])
    structure = Structure(styles.get("body").fontName) if tagged else None
    meta = dataclasses.replace(meta, pdfua=tagged)
    width, height = page_size(layout, paper)
    spec = layout.spec
    m = spec.margins
    left, block_width = text_block(layout, (width, height))
    story = FlowableBuilder(styles, wide_room=width - m.right - left - block_width,
                            tags=structure, lang=meta.lang).build(blocks)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(width, height), leftMargin=m.left, rightMargin=m.right, topMargin=m.top,
        bottomMargin=m.bottom, title=meta.title, author=meta.author, subject=meta.subject,
        keywords=meta.keywords, creator=meta.creator, lang=meta.lang, invariant=1,
        pageCompression=1, showBoundary=0, allowSplitting=1,
        initialFontName=styles.get("body").fontName,  # else an unused, unembedded Helvetica
    )
    frame_width = (doc.width - spec.column_gap * (spec.columns - 1)) / spec.columns
    if frame_width < 72 or doc.height < 144:
        raise LayoutError(f"layout '{layout.name}': the margins leave no room for text on "
                          f"{paper} paper ({frame_width:.0f} x {doc.height:.0f} pt per column)",
                          hint="make the margins or column gap smaller")
    doc.addPageTemplates(page_templates(layout, (width, height)))
    draw = partial(_draw_edges, edges=edges, styles=styles, layout=layout,
                   page=(width, height), structure=structure)
    try:
        canvas_class: type[Canvas] = _EdgeCanvas if structure is None else _TaggedCanvas
        extra: dict[str, Any] = {} if structure is None else \
            {"tagger": Tagger(structure, meta.lang)}
        if grayscale:  # DeviceGray operators only: no colour left in the file
            from handouts.render.grayscale import gray_canvas

            canvas_class = gray_canvas(canvas_class)
        doc.build(story, canvasmaker=partial(canvas_class, draw_edges=draw,
                                             meta=meta, **extra))
    except LayoutError:
        raise
    except Exception as exc:  # ReportLab's layout failures (e.g. a block taller than a page)
        if "too large" in str(exc) or "Flowable" in type(exc).__name__ or "LayoutError" in \
                type(exc).__name__:
            raise LayoutError(f"layout '{layout.name}' cannot place a block on the page: "
                              f"{_plain_reason(str(exc))}",
                              hint="shorten that part of the content or use another layout") \
                from None
        raise
    return Rendered(buf.getvalue(), doc.page)


def text_block(layout: Layout, page: tuple[float, float]) -> tuple[float, float]:
    """The left edge and width of the text block: from the left margin, at most ``measure``
    wide (the rest, up to the right margin, is room for <wide> blocks)."""
    m = layout.spec.margins
    width = page[0] - m.left - m.right
    measure = layout.spec.measure
    return m.left, min(width, measure) if measure is not None else width


def fold_panels(layout: Layout, page_width: float) -> tuple[list[tuple[float, float]], ...]:
    """(x, width) of each panel of a tri-fold, outside (page 1) and inside (page 2): the
    fold-in panel is ``fold.narrower`` narrower, first on the outside, last on the inside."""
    fold = layout.spec.fold
    assert fold is not None
    wide = (page_width + fold.narrower) / 3
    narrow = wide - fold.narrower
    outside = [(0.0, narrow), (narrow, wide), (narrow + wide, wide)]
    inside = [(0.0, wide), (wide, wide), (2 * wide, narrow)]
    return outside, inside


def page_templates(layout: Layout, page: tuple[float, float]) -> list[PageTemplate]:
    """Frames for each page: columns in the text block, or a tri-fold's six panels."""
    spec = layout.spec
    m = spec.margins
    height = page[1] - m.top - m.bottom

    def frame(x: float, w: float, name: str, h: float = height) -> Frame:
        return Frame(x, m.bottom, w, h, id=name, leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)

    if spec.fold is not None:
        outside, inside = fold_panels(layout, page[0])
        sides = []
        for (side, names), panels in zip((("outside", spec.fold.outside),
                                          ("inside", spec.fold.inside)),
                                         (outside, inside), strict=True):
            frames = []
            for n, ((x, w), name) in enumerate(zip(panels, names, strict=True)):
                # the sheet's outer edges keep edge_inset: office printers clip there
                left = max(m.left, spec.edge_inset) if n == 0 else m.left
                right = max(m.right, spec.edge_inset) if n == len(panels) - 1 else m.right
                frames.append(frame(x + left, w - left - right, name))
            sides.append(PageTemplate(id=side, frames=frames, autoNextPageTemplate="inside"))
        return sides
    left, width = text_block(layout, page)
    column = (width - spec.column_gap * (spec.columns - 1)) / spec.columns
    frames = [frame(left + i * (column + spec.column_gap), column, f"col{i}")
              for i in range(spec.columns)]
    later = PageTemplate(id="page", frames=frames)
    if m.first is None or m.first == m.top:
        return [later]
    first = [frame(f._x1, f._width, f.id, height + m.top - m.first) for f in frames]
    return [PageTemplate(id="first", frames=first, autoNextPageTemplate="page"), later]


def _draw_edges(canvas: Canvas, page_no: int, pages: int, *, edges: Edges, styles: Styles,
                layout: Layout, page: tuple[float, float],
                structure: Structure | None = None) -> None:
    """Header and footer: plain text lines at the left, centre and right of the margins.

    They are artifacts (pagination), except text only a personal copy has ("Prepared for
    …"): that is content, read before the page's other content."""
    height = page[1]
    m = layout.spec.margins
    for parts, style_name, top in ((edges.header, edges.header_style, True),
                                   (edges.footer, edges.footer_style, False)):
        if not parts:
            continue
        style = styles.get(style_name)
        texts = {position: text_for(page_no, pages) for position, text_for in parts}
        check_glyphs(styles.fonts, list(texts.values()))
        # The text's ascent (top) or descent (bottom) keeps edge_inset from the paper's edge,
        # or sits midway in the margin when that is further in.
        inset = layout.spec.edge_inset
        size = style.fontSize
        if top:
            y = min(height - inset - size * 1.07, height - m.top / 2 - size / 3)
        else:
            y = max(inset + size * 0.3, m.bottom / 2 - size / 3)
        canvas.setFont(style.fontName, size)
        canvas.setFillColor(style.textColor)
        x0, text_width = m.left, page[0] - m.left - m.right  # across the whole page
        room = text_width - canvas.stringWidth(texts.get("right", "")) - 18
        left = shortened(texts.get("left", ""), room, canvas.stringWidth)
        which = "header" if top else "footer"
        for position, draw_text, x in (("left", canvas.drawString, x0),
                                       ("center", canvas.drawCentredString, x0 + text_width / 2),
                                       ("right", canvas.drawRightString, x0 + text_width)):
            text = left if position == "left" else texts.get(position, "")
            if not text:
                continue
            shared = edges.shared.get((which, position))
            if structure is not None and shared is not None and \
                    shared(page_no, pages) != texts[position]:
                with canvas.tagger.enter(structure.edge(page_no - 1, f"{which}.{position}")):
                    draw_text(x, y, text)
            else:
                with artifact(canvas, pagination=True):
                    draw_text(x, y, text)


def shortened(text: str, room: float, width: Callable[[str], float]) -> str:
    """``text`` as it fits ``room``: whole, or cut after a whole word with an ellipsis (a
    header never prints half a word); nothing if not even its first word fits."""
    if width(text) <= room:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        cut = " ".join(words[:count]).rstrip(" ,;:·-\u2013") + "…"
        if width(cut) <= room:
            return cut
    return ""


def _uses_italic(node: Any) -> bool:
    """Whether any inline text in a block tree is set in italics."""
    if isinstance(node, b.Inline):
        return "<i>" in node.markup
    if isinstance(node, (list, tuple)):
        return any(_uses_italic(item) for item in node)
    if dataclasses.is_dataclass(node):
        return any(_uses_italic(getattr(node, f.name)) for f in dataclasses.fields(node))
    return False


def _plain_reason(message: str) -> str:
    """ReportLab's reason without its internals (``Flowable <Table@0x7F…> …``): the sizes."""
    import re

    first = message.splitlines()[0] if message else ""
    sizes = re.search(r"\(([\d.]+) x ([\d.]+)\*?\).*?\(([\d.]+) x ([\d.]+)\*?\)", first)
    if sizes:
        w, h, fw, fh = (float(x) for x in sizes.groups())
        return (f"one block needs {w:.0f} x {h:.0f} pt but a column holds {fw:.0f} x {fh:.0f} "
                "pt (a very tall image or logo, or a very long name or line?)")
    return re.sub(r"<[^<>]*@0x[0-9A-Fa-f]+[^<>]*>", "a block", first)[:200]
