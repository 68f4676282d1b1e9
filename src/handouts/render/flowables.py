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
from reportlab.platypus.flowables import Flowable

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
    """

    _wrapped_at: float | None = None

    def __init__(self, text: str, *args: Any, **kwargs: Any) -> None:
        if isinstance(text, str) and "<a " in text:
            text = _LINK.sub(_with_address, text)
        super().__init__(text, *args, **kwargs)

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
        with artifact(canvas):  # the box is decoration; its content is tagged
            self._draw_box(canvas)
        for item, bottom in self._placed:
            item.drawOn(canvas, self.padding, self.height - bottom)

    def _draw_box(self, canvas: Canvas) -> None:
        if self.background is not None:
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.border is not None:
            canvas.setStrokeColor(self.border)
            canvas.setLineWidth(1.5)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)


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
