"""The flowables handouts draws with: cached paragraphs, boxes, headings with sources,
tick boxes and balanced columns."""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
)
from reportlab.platypus import Paragraph as _ReportLabParagraph
from reportlab.platypus.flowables import Flowable, HRFlowable, KeepTogether, _listWrapOn
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ps2tt, tt2ps

from handouts.render.tagging import artifact

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def _with_address(found: re.Match[str]) -> str:
    """A link as printed: its text, then its address when the text does not show it
    (a patient cannot click paper)."""
    href, inner = found.group(1), found.group(2)
    shown = re.sub(r"^(https?://|mailto:|tel:)", "", href).rstrip("/")
    plain = re.sub(r"<[^>]+>", "", inner)
    if shown.lower() in plain.lower() or not shown:
        return found.group(0)
    return f"{found.group(0)} ({shown})"


class RLParagraph(_ReportLabParagraph):
    """A ReportLab Paragraph that remembers its line breaks for the last width.

    Platypus measures the same paragraph several times at the same width (keep-with-next,
    keep-together, table cells); line breaking depends only on the width, so reuse it.
    ``keep_lines``: a paragraph of up to that many lines is never split across pages.
    ``balance``: lines broken evenly (a heading with no word alone on its last line): set in
    the narrowest width that needs no more lines than the full width does; only when it
    takes at most ``balance_lines`` lines, if that is set (a label beside a picture keeps
    its width when it needs three lines).
    ``tail``: room the last line keeps at its end for something drawn after it (a heading's
    source numbers); when the last line has not that room, every line keeps it.
    """

    _wrapped_at: float | None = None
    keep_lines = 0
    balance = False
    balance_lines = 0
    tail = 0.0
    heading = False  # a heading (of any style): it goes with what follows it

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.keep_lines:
            self.wrap(avail_width, avail_height)
            if len(self.blPara.lines) <= self.keep_lines:
                return []
        return super().split(avail_width, avail_height)

    def __init__(self, text: str, *args: Any, **kwargs: Any) -> None:
        if isinstance(text, str) and "<a " in text:
            text = _LINK.sub(_with_address, text)
        super().__init__(text, *args, **kwargs)

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None and isinstance(text, str) and "<" not in text and "&" not in text:
            text = cleaner(text)  # plain text: the one fragment ReportLab's parser would make
            frags = [_plain_frag(text, style)] if text else []
            textTransformFrags(frags, style)
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Paragraph.split deletes blPara when it cannot split (widow/orphan): measure again.
        if avail_width != self._wrapped_at or not hasattr(self, "blPara"):
            self._break(avail_width, avail_height)
            lines = len(self.blPara.lines)
            if self.balance and lines > 1 and lines <= (self.balance_lines or lines):
                self._balance(avail_width, avail_height)
            self.width = avail_width
            self._wrapped_at = avail_width
        return self.width, self.height

    def _break(self, width: float, avail_height: float) -> None:
        """Break the lines for ``width``, keeping the ``tail``'s room on the last line."""
        _ReportLabParagraph.wrap(self, width, avail_height)
        if self.tail and self.last_line_spare() < self.tail:
            _ReportLabParagraph.wrap(self, width - self.tail, avail_height)

    def last_line_spare(self) -> float:
        """The unused width at the end of the last line."""
        last = self.blPara.lines[-1]
        return last[0] if isinstance(last, tuple) else last.extraSpace

    def _balance(self, avail_width: float, avail_height: float) -> None:
        """The narrowest width (the tail counted on the last line) that needs no more lines."""
        lines = len(self.blPara.lines)
        style = self.style
        words = "".join(getattr(f, "text", "") for f in self.frags).split(" ")
        widest = max(stringWidth(w, style.fontName, style.fontSize) for w in words)
        low, best = max(avail_width * 0.4, widest + self.tail + 1), avail_width  # whole words
        high = avail_width
        while high - low > 2:
            middle = (low + high) / 2
            self._break(middle, avail_height)
            if len(self.blPara.lines) > lines:
                low = middle
            else:
                high = best = middle
        self._break(best, avail_height)


def _plain_frag(text: str, style: ParagraphStyle) -> ParaFrag:
    """The fragment ParaParser makes of ``<para>text</para>`` (text without markup or
    entities), without running the HTML parser (which took two thirds of building one)."""
    frag = ParaFrag()
    frag.rise = 0
    frag.greek = 0
    frag.link = []
    frag.fontName, frag.bold, frag.italic = ps2tt(style.fontName)
    frag.fontSize = style.fontSize
    frag.textColor = style.textColor
    frag.us_lines = []
    frag.__tag__ = "para"
    frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
    frag.text = text
    return frag


class Box(Flowable):
    """A callout: a few flowables in a shaded and/or bordered box, kept on one page.

    Lighter than a one-cell Table (which measures and draws its content twice). An alert
    box adds a thick rule down its left side and a marker (a "!" in a filled circle) beside
    its first line: shape and weight, not colour alone, so it survives black-and-white print.
    The most urgent alert sets ``band``: its first line (the label) sits on a solid band of
    that colour, with a white warning triangle (``marker_shape``) beside it.
    """

    def __init__(self, content: list[Flowable], padding: float,
                 background: colors.Color | None, border: colors.Color | None,
                 rule: float = 0.0, marker: str = "", marker_colour: colors.Color | None = None,
                 marker_font: str = "", border_width: float = 1.5,
                 band: colors.Color | None = None, marker_shape: str = "circle") -> None:
        super().__init__()
        self.content, self.padding = content, padding
        self.background, self.border, self.border_width = background, border, border_width
        self.rule, self.marker, self.band, self.marker_shape = rule, marker, band, marker_shape
        self.marker_colour = marker_colour or border or colors.black
        self.marker_font = marker_font
        self._placed: list[tuple[Flowable, float]] = []
        self._band_bottom = 0.0  # from the top

    def _gutter(self) -> float:
        """Room at the left for the rule and the marker."""
        if not self.marker:
            return self.rule
        return self.rule + self._marker_size() * 1.55

    def _marker_size(self) -> float:
        first = self.content[0] if self.content else None
        size = getattr(getattr(first, "style", None), "fontSize", 12.0)
        return size * 1.15

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        left = self.padding + self._gutter()
        inner = avail_width - left - self.padding
        y = self.padding * 0.8  # distance from the top
        self._placed = []
        for i, item in enumerate(self.content):
            if i:
                y += self.content[i - 1].getSpaceAfter() + item.getSpaceBefore()
            if i == 1 and self.band is not None:  # the band ends under the label
                self._band_bottom = y + self.padding * 0.1
                y += self.padding * 0.7
            _, h = item.wrap(inner, 10_000)
            y += h
            self._placed.append((item, y))
        self.width, self.height = avail_width, y + self.padding * 0.5
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with artifact(canvas):  # the box is decoration; its content is tagged
            self._draw_box(canvas)
        left = self.padding + self._gutter()
        for item, bottom in self._placed:
            item.drawOn(canvas, left, self.height - bottom)

    def _draw_box(self, canvas: Canvas) -> None:
        if self.background is not None:
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.border is not None:
            canvas.setStrokeColor(self.border)
            canvas.setLineWidth(self.border_width)
            inset = self.border_width / 2
            canvas.rect(inset, inset, self.width - 2 * inset, self.height - 2 * inset,
                        stroke=1, fill=0)
        if self.band is not None and self._band_bottom:
            canvas.setFillColor(self.band)
            canvas.rect(0, self.height - self._band_bottom, self.width, self._band_bottom,
                        stroke=0, fill=1)
        if self.rule:
            canvas.setFillColor(self.marker_colour)
            canvas.rect(0, 0, self.rule, self.height, stroke=0, fill=1)
        if self.marker and self._placed:
            self._draw_marker()

    def _draw_marker(self) -> None:
        """A white mark in a filled circle, centred on the first line of the box."""
        canvas = self.canv
        first, bottom = self._placed[0]
        style = getattr(first, "style", None)
        leading = getattr(style, "leading", 14.0)
        d = self._marker_size()
        top = self.height - bottom + getattr(first, "height", leading)
        cy = top - leading / 2
        cx = self.rule + self.padding + d / 2
        ink, mark = self.marker_colour, colors.white
        if self.band is not None:  # on the band: a white shape, its mark in the band's colour
            ink, mark = colors.white, self.band
        canvas.setFillColor(ink)
        if self.marker_shape == "triangle":  # a warning sign: point up, the mark low in it
            r = d * 0.66
            path = canvas.beginPath()
            path.moveTo(cx, cy + r)
            path.lineTo(cx + r * 0.93, cy - r * 0.68)
            path.lineTo(cx - r * 0.93, cy - r * 0.68)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
            canvas.setFillColor(mark)
            canvas.setFont(self.marker_font, d * 0.72)
            canvas.drawCentredString(cx, cy - r * 0.6, self.marker)
            return
        canvas.circle(cx, cy, d / 2, stroke=0, fill=1)
        canvas.setFillColor(mark)
        canvas.setFont(self.marker_font, d * 0.74)
        canvas.drawCentredString(cx, cy - d * 0.27, self.marker)


def person(canvas: Canvas, x: float, y: float, height: float, filled: bool,
           colour: colors.Color, line: float) -> None:
    """A person icon (a head over rounded shoulders) in a box ``height`` tall, 0.62 of that
    wide, bottom-left at (x, y). Filled, or white with an outline: tells apart in gray."""
    w = height * 0.62
    r = height * 0.17
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(line)
    canvas.setFillColor(colour if filled else colors.white)
    canvas.circle(x + w / 2, y + height - r - line, r, stroke=1, fill=1)
    bw, bh = w * 0.92, height * 0.56
    bx, by = x + (w - bw) / 2, y + line / 2
    rad = bw * 0.42
    path = canvas.beginPath()
    path.moveTo(bx, by)
    path.lineTo(bx, by + bh - rad)
    path.arcTo(bx, by + bh - 2 * rad, bx + 2 * rad, by + bh, 180, -90)
    path.lineTo(bx + bw - rad, by + bh)
    path.arcTo(bx + bw - 2 * rad, by + bh - 2 * rad, bx + bw, by + bh, 90, -90)
    path.lineTo(bx + bw, by)
    path.close()
    canvas.drawPath(path, stroke=1, fill=1)


class IconArray(Flowable):
    """``filled`` of ``of`` person icons in rows (at most ``per_row`` each), vector-drawn,
    with the label beside them (or under them when the column is narrow).

    ``block`` is the icons block: its ``label`` is the text equivalent (alt) that the tagged
    PDF and HTML editions use for the drawing.
    """

    GAP = 0.24  # between icons, as a fraction of the icon height

    def __init__(self, of: int, filled: int, label: Flowable, size: float,
                 colour: colors.Color, per_row: int = 10) -> None:
        super().__init__()
        self.of, self.filled, self.label, self.size = of, filled, label, size
        self.colour, self.per_row = colour, per_row
        self._beside = True

    def _icons_box(self) -> tuple[float, float]:
        step = self.size * (0.62 + self.GAP)
        across = min(self.of, self.per_row)
        rows = -(-self.of // self.per_row)
        return across * step - self.size * self.GAP, rows * self.size + (rows - 1) * self.size * \
            self.GAP

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        icons_w, icons_h = self._icons_box()
        room = avail_width - icons_w - self.size * 0.5
        self._beside = room >= avail_width * 0.4
        if self._beside:
            _, lh = self.label.wrap(room, avail_height)
            self.height = max(icons_h, lh)
        else:
            _, lh = self.label.wrap(avail_width, avail_height)
            self.height = icons_h + self.size * 0.25 + lh
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        icons_w, icons_h = self._icons_box()
        top = (self.height + icons_h) / 2 if self._beside else self.height
        step = self.size * (0.62 + self.GAP)
        line = max(1.0, self.size * 0.045)
        for i in range(self.of):
            row, col = divmod(i, self.per_row)
            y = top - (row + 1) * self.size - row * self.size * self.GAP
            person(self.canv, col * step, y, self.size, i < self.filled, self.colour, line)
        if self._beside:
            self.label.drawOn(self.canv, icons_w + self.size * 0.5,
                              (self.height - self.label.height) / 2)
        else:
            self.label.drawOn(self.canv, 0, 0)


class WithPicture(Flowable):
    """A paragraph and the picture that shows it (an icon array): never the picture alone
    at the top of a page. Split only inside the paragraph, leaving at least two of its
    lines (and never fewer than two on the first page) to go over with the picture."""

    def __init__(self, para: RLParagraph, picture: Flowable) -> None:
        super().__init__()
        self.para, self.picture = para, picture
        self._gap = 0.0
        self._picture_h = 0.0

    def getSpaceBefore(self) -> float:
        return self.para.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.picture.getSpaceAfter()

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, para_h = self.para.wrap(avail_width, avail_height)
        _, self._picture_h = self.picture.wrap(avail_width, avail_height)
        self._gap = max(self.para.getSpaceAfter(), self.picture.getSpaceBefore())
        self.width, self.height = avail_width, para_h + self._gap + self._picture_h
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        lines = len(self.para.blPara.lines)
        if self.para.keep_lines and lines <= self.para.keep_lines:
            return []
        leading = self.para.style.leading
        take = min(int(avail_height // leading), lines - 2)
        if take < 2:
            return []
        parts = self.para.split(avail_width, (take + 0.5) * leading)
        if len(parts) != 2:
            return []
        return [parts[0], WithPicture(parts[1], self.picture)]

    def draw(self) -> None:  # in reading order: the words, then their picture
        self.para.drawOn(self.canv, 0, self._picture_h + self._gap)
        self.picture.drawOn(self.canv, 0, 0)


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
                following = self.following
                if isinstance(following, KeepTogether):  # a kept list: measure its parts
                    following.canv = getattr(self, "canv", None)
                _, h_next = following.wrap(avail_width, avail_height)
                if isinstance(following, KeepTogether):
                    h_next = following._H
                after = h_next + following.getSpaceBefore()
                if not _unsplittable(following):  # else all of it must fit with the heading
                    after = min(after, self.most)
            self.height = h + self.heading.getSpaceBefore() + self.heading.getSpaceAfter() + after
            self._measured_at = avail_width
        return super().wrap(avail_width, avail_height)


def _unsplittable(flowable: Flowable) -> bool:
    """Whether a flowable will not be split across pages (so a heading needs all of it)."""
    if isinstance(flowable, WithPicture):  # a paragraph too short to leave two lines each side
        lines = len(flowable.para.blPara.lines)
        return lines < 4 or (bool(flowable.para.keep_lines) and lines <= flowable.para.keep_lines)
    if isinstance(flowable, RLParagraph):
        return bool(flowable.keep_lines) and len(flowable.blPara.lines) <= flowable.keep_lines
    return isinstance(flowable, (KeepTogether, Box, IconArray))


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
        self.tail = self.refs_width  # the numbers go at the end of the last line

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a heading is never split

    def draw(self) -> None:
        super().draw()
        x = self._wrapWidths[-1] - self.last_line_spare() + self.style.leftIndent
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


class SectionKeep(KeepTogether):
    """A content section, kept in one column or panel. Taller than a whole column, it is an
    error naming the section and the column (a section is never split across a fold)."""

    def __init__(self, content: list[Flowable], name: str) -> None:
        super().__init__(content)
        self.name = name

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        from handouts.errors import LayoutError

        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        needed = self._H
        if frame is not None and frame._atTop and needed > avail_height + 0.5:
            raise LayoutError(f"section '{self.name}' needs {needed:.0f} pt but "
                              f"{_frame_name(frame)} is only {avail_height:.0f} pt tall",
                              hint="shorten the section, or leave it out of this layout "
                                   "(its 'show:' list) unless it is essential")
        return super().split(avail_width, avail_height)


def unkept(content: list[Flowable]) -> list[Flowable]:
    """Inside a container that keeps everything together already (a panel, a short section),
    KeepTogether would only measure as 'too tall' (it asks to be split): its flowables."""
    out: list[Flowable] = []
    for f in content:
        out.extend(unkept(f._content) if isinstance(f, KeepTogether) else [f])
    return out


class ShortKeep(KeepTogether):
    """Flowables kept on one page when they take at most ``upto`` of the frame's height (a
    short section: never its last item alone over the page); taller, they flow as usual."""

    def __init__(self, content: list[Flowable], upto: float) -> None:
        super().__init__(content)
        self.upto = upto

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size = super().wrap(avail_width, avail_height)
        # a kept list inside asks to be split (it measures 'too tall'): measure its items
        content = unkept(self._content)
        self._H = _listWrapOn(content, avail_width, self.canv)[1]
        if len(content) > 1 and isinstance(content[0], CondPageBreak):  # a heading's room:
            self._H += content[1].getSpaceBefore()  # the frame adds the heading's space in full
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._height * self.upto < self._H:
            return list(self._content)
        return super().split(avail_width, avail_height)


def _frame_name(frame: object) -> str:
    """'panel \'inside-left\'' for a named tri-fold panel, else 'the column'."""
    name = getattr(frame, "id", "") or ""
    return f"panel '{name}'" if name and not name.startswith("col") else "the column"


class Widened(Flowable):
    """Flowables set ``extra`` points wider than the frame, reaching into the right margin:
    measured at the wider width, split between its flowables across pages."""

    def __init__(self, content: list[Flowable], extra: float) -> None:
        super().__init__()
        self.content, self.extra = content, extra
        self._placed: list[tuple[Flowable, float]] = []
        self._wrapped_at: float | None = None

    def _measure(self, avail_width: float) -> list[tuple[Flowable, float, float]]:
        width = avail_width + self.extra
        return [(f, f.getSpaceBefore() if i else 0.0, f.wrap(width, 10_000)[1])
                for i, f in enumerate(self.content)]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width == self._wrapped_at:  # heights depend on the width only
            return self.width, self.height
        y = 0.0
        self._placed = []
        self._wrapped_at = avail_width
        for i, (f, before, h) in enumerate(self._measure(avail_width)):
            y += before + (self.content[i - 1].getSpaceAfter() if i else 0.0) + h
            self._placed.append((f, y))
        self.width, self.height = avail_width, y
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        """The first flowable's space before (a masthead's rule keeps its room)."""
        return self.content[0].getSpaceBefore() if self.content else 0.0

    def getSpaceAfter(self) -> float:
        return self.content[-1].getSpaceAfter() if self.content else 0.0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fits = sum(1 for _, bottom in self._placed if bottom <= avail_height)
        while fits and (getattr(self.content[fits - 1], "heading", False) is True  # a heading
                        or isinstance(self.content[fits - 1], HRFlowable)  # so does a rule
                        or self.content[fits - 1].getKeepWithNext()):  # and a list's items
            fits -= 1
        if fits == 0 or fits == len(self.content):
            return []
        return [Widened(self.content[:fits], self.extra), Widened(self.content[fits:], self.extra)]

    def draw(self) -> None:
        for f, bottom in self._placed:
            f.drawOn(self.canv, 0, self.height - bottom)
