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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    FrameBreak,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _ReportLabParagraph
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.frames import Frame

from handouts import blocks as b
from handouts.errors import ContentError, LayoutError
from handouts.layout import Layout, Length, Style

PAPERS = {"letter": LETTER, "a4": A4}
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


@dataclass(frozen=True)
class PdfMeta:
    """Document metadata written to the PDF Info dictionary and catalog."""

    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    creator: str
    created: datetime.date


@dataclass
class Edges:
    """Header and footer text for each page: callables taking (page, pages)."""

    header: list[tuple[str, Callable[[int, int], str]]] = field(default_factory=list)
    footer: list[tuple[str, Callable[[int, int], str]]] = field(default_factory=list)
    header_style: str = "header"
    footer_style: str = "footer"


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


def page_size(layout: Layout, paper: str) -> tuple[float, float]:
    size = PAPERS[paper]
    return landscape(size) if layout.spec.orientation == "landscape" else size


# ---------------------------------------------------------------- fonts


_FONT_NAMES: set[str] = set()


@lru_cache(maxsize=64)
def _font(path: str) -> str:
    """Register a TTF file once per process; return its ReportLab font name."""
    name = "HO-" + os.path.splitext(os.path.basename(path))[0]
    if name in _FONT_NAMES:  # another file with the same name: keep both apart
        name = f"{name}-{len(_FONT_NAMES)}"
    _FONT_NAMES.add(name)
    try:
        pdfmetrics.registerFont(TTFont(name, path))
    except Exception as exc:  # ReportLab's TTFError, struct.error, OSError...
        raise LayoutError(f"font file '{path}' cannot be used: {exc}",
                          hint="fonts must be TrueType (.ttf) files") from None
    return name


class Fonts:
    """The layout's font families, registered with ReportLab."""

    def __init__(self, layout: Layout, italic: bool = True) -> None:
        """Register each family; italic faces only when ``italic`` (parsing a TTF costs ~10 ms)."""
        self.families: dict[str, dict[tuple[bool, bool], str]] = {}
        for family, spec in layout.spec.fonts.items():
            regular = _font(str(layout.font_file(spec.regular)))
            bold = _font(str(layout.font_file(spec.bold)))
            names = {
                (False, False): regular,
                (True, False): bold,
                (False, True): _font(str(layout.font_file(spec.italic))) if italic else regular,
                (True, True): _font(str(layout.font_file(spec.bold_italic))) if italic else bold,
            }
            pdfmetrics.registerFontFamily(names[False, False], normal=names[False, False],
                                          bold=names[True, False], italic=names[False, True],
                                          boldItalic=names[True, True])
            self.families[family] = names

    def name(self, family: str, bold: bool, italic: bool) -> str:
        return self.families[family][bold, italic]

    def missing_glyph(self, texts: list[str]) -> tuple[str, str, str] | None:
        """The first character some registered font cannot draw: (char, font, text)."""
        used = set().union(*texts)
        for name in dict.fromkeys(n for names in self.families.values() for n in names.values()):
            cmap = pdfmetrics.getFont(name).face.charToGlyph
            for ch in sorted(c for c in used if ord(c) not in cmap):
                if ch not in "\n\t" and unicodedata.category(ch) not in ("Zs", "Cf"):
                    text = next(t for t in texts if ch in t)
                    return ch, name.removeprefix("HO-"), text
        return None


# ---------------------------------------------------------------- styles


class Styles:
    """ReportLab paragraph styles built from the layout's style sheet."""

    def __init__(self, layout: Layout, fonts: Fonts, grayscale: bool = False) -> None:
        self.layout = layout
        self.fonts = fonts
        self.grayscale = grayscale
        self.specs = layout.spec.styles
        self._cache: dict[str, ParagraphStyle] = {}

    def spec(self, name: str) -> dict[str, Any]:
        """A style's attributes with its parents' (and body's) filled in."""
        chain: list[Style] = []
        current: str | None = name if name in self.specs else "body"
        while current is not None and current not in [c.parent for c in chain[:-1]]:
            style = self.specs[current]
            chain.append(style)
            current = style.parent if style.parent != current else None
            if len(chain) > 20:
                raise LayoutError(f"layout '{self.layout.name}': style '{name}' has a parent loop")
        if chain[-1] is not self.specs["body"]:
            chain.append(self.specs["body"])
        merged: dict[str, Any] = {}
        for style in reversed(chain):
            merged.update({k: v for k, v in style.__dict__.items() if v is not None})
        return merged

    def colour(self, value: str | None, default: str = "#000000") -> colors.Color:
        colour = colors.HexColor(self.layout.colour(value or default))
        if self.grayscale:
            level = 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue
            return colors.Color(level, level, level)
        return colour

    def derived(self, base: ParagraphStyle, suffix: str, **changes: Any) -> ParagraphStyle:
        """A variant of a style (list items, say), made once per layout."""
        name = f"{base.name}-{suffix}"
        style = self._cache.get(name)
        if style is None:
            style = self._cache[name] = ParagraphStyle(name, parent=base, **changes)
        return style

    def get(self, name: str) -> ParagraphStyle:
        style = self._cache.get(name)
        if style is None:
            s = self.spec(name)
            size = float(s.get("size", 12))
            style = ParagraphStyle(
                name,
                fontName=self.fonts.name(s.get("font", next(iter(self.fonts.families))),
                                         bool(s.get("bold")), bool(s.get("italic"))),
                fontSize=size,
                leading=float(s.get("leading", size * 1.35)),
                textColor=self.colour(s.get("colour")),
                alignment=_ALIGN[s.get("align", "left")],
                spaceBefore=float(s.get("space_before", 0)),
                spaceAfter=float(s.get("space_after", 0)),
                leftIndent=float(s.get("indent", 0)),
                bulletFontName=self.fonts.name(s.get("font", next(iter(self.fonts.families))),
                                               False, False),
                bulletFontSize=size,  # ReportLab's default is 10 pt, too small in large print
                allowWidows=0,
                allowOrphans=0,
                splitLongWords=1,
                linkUnderline=int(s.get("underline_links", True)),
            )
            self._cache[name] = style
        return style


# ---------------------------------------------------------------- flowables


class RLParagraph(_ReportLabParagraph):
    """A ReportLab Paragraph that remembers its line breaks for the last width.

    Platypus measures the same paragraph several times at the same width (keep-with-next,
    keep-together, table cells); line breaking depends only on the width, so reuse it.
    """

    _wrapped_at: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Paragraph.split deletes blPara when it cannot split (widow/orphan): measure again.
        if avail_width != self._wrapped_at or not hasattr(self, "blPara"):
            super().wrap(avail_width, avail_height)
            self._wrapped_at = avail_width
        return self.width, self.height


class Box(Flowable):
    """A callout: a few flowables in a shaded and/or bordered box, kept on one page.

    Lighter than a one-cell Table (which measures and draws its content twice).
    """

    def __init__(self, content: list[Flowable], padding: float,
                 background: colors.Color | None, border: colors.Color | None) -> None:
        super().__init__()
        self.content, self.padding = content, padding
        self.background, self.border = background, border
        self._placed: list[tuple[Flowable, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = avail_width - 2 * self.padding
        y = self.padding * 0.8  # distance from the top
        self._placed = []
        for i, item in enumerate(self.content):
            if i:
                y += self.content[i - 1].getSpaceAfter() + item.getSpaceBefore()
            _, h = item.wrap(inner, 10_000)
            y += h
            self._placed.append((item, y))
        self.width, self.height = avail_width, y + self.padding * 0.5
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.background is not None:
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.border is not None:
            canvas.setStrokeColor(self.border)
            canvas.setLineWidth(1.5)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        for item, bottom in self._placed:
            item.drawOn(canvas, self.padding, self.height - bottom)


class HeadingRoom(CondPageBreak):
    """Before a heading: start a new frame unless the heading fits here with the start
    of what follows (all of it when short, else up to ``most`` points of it).

    Kinder than keepWithNext, which keeps a heading with the *whole* next block and so
    can push a long list or table to the next page, leaving a gap.
    """

    def __init__(self, heading: Flowable, most: float) -> None:
        super().__init__(0)
        self.heading, self.most = heading, most
        self.following: Flowable | None = None

    _measured_at: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._measured_at:  # heights depend on the width only
            _, h = self.heading.wrap(avail_width, avail_height)
            after = self.most
            if self.following is not None:
                _, h_next = self.following.wrap(avail_width, avail_height)
                after = min(h_next + self.following.getSpaceBefore(), self.most)
            self.height = h + self.heading.getSpaceBefore() + self.heading.getSpaceAfter() + after
            self._measured_at = avail_width
        return super().wrap(avail_width, avail_height)


class RefHeading(RLParagraph):
    """A heading followed, on its last line, by its source numbers in small type: "[1, 4]".

    Drawn apart from the heading text: a mixed-font paragraph takes ReportLab's slow path,
    and the numbers must never be split over two lines.
    """

    def __init__(self, markup: str, style: ParagraphStyle, refs: str,
                 ref_style: ParagraphStyle) -> None:
        super().__init__(markup, style)
        self.refs, self.ref_style = refs, ref_style
        self.refs_width = stringWidth(" " + refs, ref_style.fontName, ref_style.fontSize)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        super().wrap(avail_width - self.refs_width, avail_height)  # room on every line
        self.width = avail_width
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a heading is never split

    def draw(self) -> None:
        super().draw()
        last = self.blPara.lines[-1]
        spare = last[0] if isinstance(last, tuple) else last.extraSpace
        x = self._wrapWidths[-1] - spare + self.style.leftIndent
        y = self.height - self.style.fontSize - (len(self.blPara.lines) - 1) * self.style.leading
        canvas = self.canv
        canvas.setFont(self.ref_style.fontName, self.ref_style.fontSize)
        canvas.setFillColor(self.ref_style.textColor)
        canvas.drawString(x + self.refs_width - stringWidth(self.refs, self.ref_style.fontName,
                                                            self.ref_style.fontSize), y,
                          self.refs)


class TickBox(Flowable):
    """A checklist item: an empty square to tick, then the text."""

    def __init__(self, para: RLParagraph, box: float, gap: float, colour: colors.Color) -> None:
        super().__init__()
        self.para, self.box, self.gap, self.colour = para, box, gap, colour
        self.spaceBefore = para.style.spaceBefore
        self.spaceAfter = para.style.spaceAfter

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        indent = self.box + self.gap
        _, h = self.para.wrap(avail_width - indent, avail_height)
        self.width, self.height = avail_width, h
        return avail_width, h

    def draw(self) -> None:
        style = self.para.style
        top = self.height - (style.leading - style.fontSize) / 2 - style.fontSize * 0.02
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, top - self.box, self.box, self.box, stroke=1, fill=0)
        self.para.drawOn(self.canv, self.box + self.gap, 0)


class ColumnFlow(Flowable):
    """Short items (a source list, say) in balanced columns, split between items across pages.

    ReportLab's BalancedColumns re-wraps everything many times; this measures each
    item once per width and balances by trying every split point.
    """

    def __init__(self, items: list[Flowable], count: int, gap: float) -> None:
        super().__init__()
        self.items, self.count, self.gap = items, count, gap
        self._columns: list[list[tuple[Flowable, float]]] = []

    def _measure(self, avail_width: float) -> list[float]:
        self.col_width = (avail_width - self.gap * (self.count - 1)) / self.count
        heights = []
        for item in self.items:
            _, h = item.wrap(self.col_width, 10_000)
            heights.append(h + item.getSpaceAfter())
        return heights

    def _fill(self, heights: list[float], limit: float, strict: bool = False) -> list[list[int]]:
        """Greedy columns of at most ``limit`` points; returns item indexes per column.

        An item taller than ``limit`` gets a column of its own, unless ``strict``
        (splitting at a page foot), where it stops the filling.
        """
        columns: list[list[int]] = [[]]
        used = 0.0
        for i, h in enumerate(heights):
            if used + h > limit and (columns[-1] or strict):
                if len(columns) == self.count or (strict and h > limit):
                    break
                columns.append([])
                used = 0.0
            columns[-1].append(i)
            used += h
        return columns

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        heights = self._measure(avail_width)
        total = sum(heights)
        limit = max(max(heights, default=0), total / self.count)
        while True:  # smallest column height that holds every item
            columns = self._fill(heights, limit)
            if sum(len(c) for c in columns) == len(heights):
                break
            limit += 2
        self._columns = [[(self.items[i], heights[i]) for i in col] for col in columns]
        self.width = avail_width
        self.height = max((sum(h for _, h in col) for col in self._columns), default=0)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        heights = self._measure(avail_width)
        placed = sum(len(c) for c in self._fill(heights, avail_height, strict=True))
        if placed == 0 or placed == len(self.items):
            return []
        return [ColumnFlow(self.items[:placed], self.count, self.gap),
                ColumnFlow(self.items[placed:], self.count, self.gap)]

    def draw(self) -> None:
        for n, column in enumerate(self._columns):
            x = n * (self.col_width + self.gap)
            y = self.height
            for item, h in column:
                item.wrapOn(self.canv, self.col_width, h)
                y -= h
                item.drawOn(self.canv, x, y + item.getSpaceAfter())


def length(value: str | float, what: str) -> float:
    """'12', '15mm', '0.5in' → points."""
    text = str(value).strip()
    for unit, factor in _UNITS.items():
        if text.endswith(unit):
            text, scale = text[: -len(unit)], factor
            break
    else:
        scale = 1.0
    try:
        return float(text) * scale
    except ValueError:
        raise LayoutError(f"{what}: '{value}' is not a length (use 12, '15mm' or '0.5in')") \
            from None


class FlowableBuilder:
    """Turns blocks into ReportLab flowables using the layout's styles."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self._depth = 0  # > 0 inside keep, callout and columns blocks

    def build(self, blocks: list[b.Block]) -> list[Flowable]:
        """Flowables for a list of blocks; top-level headings are kept with what follows."""
        out: list[Flowable] = []
        self._depth += 1
        try:
            for block in blocks:
                out.extend(self.one(block))
        finally:
            self._depth -= 1
        if self._depth == 0:
            for i, flowable in enumerate(out[:-2]):
                if isinstance(flowable, HeadingRoom):
                    flowable.following = out[i + 2]
        return out

    def one(self, block: b.Block) -> list[Flowable]:
        st = self.styles
        if isinstance(block, b.Heading):
            style = st.get(block.style or f"h{block.level}")
            para: RLParagraph = RLParagraph(block.text.markup, style)
            if block.refs and style.alignment == TA_LEFT:
                para = RefHeading(block.text.markup, style, f"[{block.refs}]", st.get("ref"))
            if self._depth > 1:  # inside a keep or box: the container keeps it together
                return [para]
            return [HeadingRoom(para, 3 * st.get("body").leading), para]
        if isinstance(block, b.Paragraph):
            return [RLParagraph(block.text.markup, st.get(block.style))]
        if isinstance(block, b.ItemList):
            return self._list(block)
        if isinstance(block, b.Glossary):
            return [self._glossary(block)]
        if isinstance(block, b.Callout):
            return [self._callout(block)]
        if isinstance(block, b.Columns):
            return [ColumnFlow(self.build(list(block.children)), block.count, gap=14)]
        if isinstance(block, b.Keep):
            return [KeepTogether(self.build(list(block.children)))]
        if isinstance(block, b.Spacer):
            return [Spacer(1, length(block.height, "<spacer height>"))]
        if isinstance(block, b.PageBreak):
            return [PageBreak()]
        if isinstance(block, b.FrameBreak):
            return [FrameBreak()]
        if isinstance(block, (b.Image, b.QR, b.Row, b.Panel)):
            from handouts.figures import flowable  # images, QR codes, rows, panels (issue 4)

            return [flowable(block, self)]
        raise LayoutError(f"the standard renderer cannot draw <{type(block).__name__.lower()}> "
                          "blocks yet")

    def _list(self, block: b.ItemList) -> list[Flowable]:
        style = self.styles.get(block.style)
        size = style.fontSize
        out: list[Flowable] = []
        if block.kind == "check":
            item_style = self.styles.derived(style, "check",
                                             spaceAfter=max(style.spaceAfter, size * 0.35))
            colour = self.styles.colour("text")
            for item in block.items:
                out.append(TickBox(RLParagraph(item.markup, item_style), size * 0.9, size * 0.6,
                                   colour))
            return out
        indent = size * (1.6 if block.kind == "number" else 1.2)
        item_style = self.styles.derived(style, block.kind, leftIndent=style.leftIndent + indent,
                                         bulletIndent=style.leftIndent + size * 0.2,
                                         spaceAfter=max(style.spaceAfter * 0.5, size * 0.2))
        last_style = self.styles.derived(item_style, "last", spaceAfter=style.spaceAfter)
        count = len(block.items)
        for number, item in enumerate(block.items, 1):
            bullet = f"{number}." if block.kind == "number" else "\u2022"
            out.append(RLParagraph(item.markup, last_style if number == count else item_style,
                                   bulletText=bullet))
        return out

    def _glossary(self, block: b.Glossary) -> Table:
        text = self.styles.get(block.style)
        term = self.styles.get(f"{block.style}_term") if f"{block.style}_term" in \
            self.styles.specs else text
        rows = [[RLParagraph(b._escape(t), term), RLParagraph(m.markup, text)]
                for t, m in block.entries]
        table = Table(rows, colWidths=["30%", "70%"], splitByRow=1, hAlign="LEFT")
        rule = self.styles.colour("rule", "#999999")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), text.fontName, text.fontSize),  # not Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, rule),
        ]))
        table.spaceAfter = text.spaceAfter
        return table

    def _callout(self, block: b.Callout) -> Box:
        spec = self.styles.spec(block.style)
        inner: list[Flowable] = []
        if block.title:
            title_style = f"{block.style}_title" if f"{block.style}_title" in self.styles.specs \
                else "h3"
            inner.append(RLParagraph(b._escape(block.title), self.styles.get(title_style)))
        inner.extend(self.build(list(block.children)))
        background = spec.get("background")
        border = spec.get("border")
        box = Box(inner, float(spec.get("padding", Length(10))),
                  self.styles.colour(background) if background else None,
                  self.styles.colour(border) if border else None)
        box.spaceBefore = float(spec.get("space_before", 0))
        box.spaceAfter = float(spec.get("space_after", 8))
        return box


# ---------------------------------------------------------------- pages


class _EdgeCanvas(Canvas):
    """Holds pages back until the end so headers and footers know the page count."""

    def __init__(self, *args: Any, draw_edges: Callable[[Canvas, int, int], None],
                 created: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._draw_edges = draw_edges
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            stamp = f"D:{created:%Y%m%d}000000+00'00'"
            self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._draw_edges(self, self._pageNumber, total)
            super().showPage()
        super().save()


def render(blocks: list[b.Block], layout: Layout, paper: str, meta: PdfMeta, edges: Edges,
           grayscale: bool = False) -> Rendered:
    """Lay out the blocks on pages and return the PDF bytes and page count."""
    italic = _uses_italic(blocks) or any(s.italic for s in layout.spec.styles.values())
    styles = _styles_for(layout, italic, grayscale)
    _check_glyphs(styles.fonts, [*b.plain_texts(blocks), meta.title])
    story = FlowableBuilder(styles).build(blocks)
    width, height = page_size(layout, paper)
    spec = layout.spec
    m = spec.margins
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
    frames = [Frame(m.left + i * (frame_width + spec.column_gap), m.bottom, frame_width,
                    doc.height, id=f"col{i}", leftPadding=0, rightPadding=0, topPadding=0,
                    bottomPadding=0) for i in range(spec.columns)]
    doc.addPageTemplates([PageTemplate(id="page", frames=frames)])
    draw = partial(_draw_edges, edges=edges, styles=styles, layout=layout,
                   page=(width, height))
    try:
        canvas_class: type[Canvas] = _EdgeCanvas
        if grayscale:  # DeviceGray operators only: no colour left in the file
            from handouts.grayscale import gray_canvas

            canvas_class = gray_canvas(_EdgeCanvas)
        doc.build(story, canvasmaker=partial(canvas_class, draw_edges=draw,
                                             created=meta.created))
    except LayoutError:
        raise
    except Exception as exc:  # ReportLab's layout failures (e.g. a block taller than a page)
        if "too large" in str(exc) or "Flowable" in type(exc).__name__ or "LayoutError" in \
                type(exc).__name__:
            raise LayoutError(f"layout '{layout.name}' cannot place a block on the page: "
                              f"{str(exc).splitlines()[0][:200]}",
                              hint="shorten that part of the content or use another layout") \
                from None
        raise
    return Rendered(buf.getvalue(), doc.page)


def _draw_edges(canvas: Canvas, page_no: int, pages: int, *, edges: Edges, styles: Styles,
                layout: Layout, page: tuple[float, float]) -> None:
    """Header and footer: plain text lines at the left, centre and right of the margins."""
    width, height = page
    m = layout.spec.margins
    for parts, style_name, top in ((edges.header, edges.header_style, True),
                                   (edges.footer, edges.footer_style, False)):
        if not parts:
            continue
        style = styles.get(style_name)
        texts = {position: text_for(page_no, pages) for position, text_for in parts}
        _check_glyphs(styles.fonts, list(texts.values()))
        y = height - m.top / 2 - style.fontSize / 3 if top else m.bottom / 2 - style.fontSize / 3
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        room = width - m.left - m.right - canvas.stringWidth(texts.get("right", "")) - 18
        left = texts.get("left", "")
        while left and canvas.stringWidth(left) > room:
            left = left[:-2].rstrip() + "…"
        canvas.drawString(m.left, y, left)
        canvas.drawCentredString(width / 2, y, texts.get("center", ""))
        canvas.drawRightString(width - m.right, y, texts.get("right", ""))


_STYLES: dict[tuple[Any, ...], Styles] = {}


def _styles_for(layout: Layout, italic: bool, grayscale: bool) -> Styles:
    """Fonts and styles for a layout, built once per process (batch runs reuse them)."""
    key = (layout.name, layout.dirs, italic, grayscale)
    styles = _STYLES.get(key)
    if styles is None or styles.layout != layout:
        styles = _STYLES[key] = Styles(layout, Fonts(layout, italic), grayscale)
    return styles


def _uses_italic(node: Any) -> bool:
    """Whether any inline text in a block tree is set in italics."""
    if isinstance(node, b.Inline):
        return "<i>" in node.markup
    if isinstance(node, (list, tuple)):
        return any(_uses_italic(item) for item in node)
    if dataclasses.is_dataclass(node):
        return any(_uses_italic(getattr(node, f.name)) for f in dataclasses.fields(node))
    return False


def _check_glyphs(fonts: Fonts, texts: list[str]) -> None:
    """Refuse to draw a tofu box: name the character and where it is."""
    found = fonts.missing_glyph(texts)
    if found:
        ch, font, text = found
        name = unicodedata.name(ch, "unnamed character")
        at = text.find(ch)
        snippet = text[max(0, at - 25): at + 25]
        error = ContentError(
            f"the character '{ch}' (U+{ord(ch):04X} {name}) in \"…{snippet}…\" cannot be "
            f"drawn by the layout's font {font}",
            hint="replace it with a plain character, or use a layout whose fonts cover it")
        error.character = ch
        raise error
