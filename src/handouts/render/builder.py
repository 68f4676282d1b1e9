"""Blocks to ReportLab flowables, with the layout's styles."""

from __future__ import annotations

import re

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    FrameBreak,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from handouts.errors import LayoutError
from handouts.layout import blocks as b
from handouts.layout.spec import Length
from handouts.render.flowables import (
    Box,
    ColumnFlow,
    HeadingRoom,
    IconArray,
    RefHeading,
    RLParagraph,
    SectionKeep,
    ShortKeep,
    TickBox,
    Widened,
    WithPicture,
)
from handouts.render.styles import Styles, length
from handouts.render.tagging import Structure


class FlowableBuilder:
    """Turns blocks into ReportLab flowables using the layout's styles."""

    def __init__(self, styles: Styles, wide_room: float = 0.0,
                 tags: Structure | None = None, lang: str = "en") -> None:
        """``wide_room``: how far a <wide> block may reach past the text block (to the right
        margin). ``tags``: a tagged PDF's structure tree, built alongside (render/tagging.py).
        ``lang``: the edition's language, for where a line must not break (``bound``).
        """
        self.styles = styles
        self.lang = lang
        self.wide_room = wide_room
        self.tags = tags
        self.keep_lines = styles.layout.spec.keep_lines
        self.keep_items = styles.layout.spec.keep_items
        self.runt = styles.layout.spec.runt
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
            out = _icons_kept_with_their_paragraph(out)
            for i, flowable in enumerate(out[:-2]):
                if isinstance(flowable, HeadingRoom):
                    flowable.following = _kept_run(out, i + 2)
        return out

    def one(self, block: b.Block) -> list[Flowable]:
        """The flowables for one block, tied to its structure element when tagging."""
        if self.tags is None:
            return self._one(block)
        elem = self.tags.open(block)
        with self.tags.under(elem):
            flowables = self._one(block)
        self.tags.attach(block, elem, flowables)
        return flowables

    def _one(self, block: b.Block) -> list[Flowable]:
        st = self.styles
        if isinstance(block, b.Heading):
            name = block.style or f"h{block.level}"
            style = st.get(name)
            balance = self._balanced(name)
            markup = bound(block.text.markup, self.lang, balance)
            para: RLParagraph = RLParagraph(markup, style)
            if block.refs and style.alignment == TA_LEFT:
                para = RefHeading(markup, style, f"[{block.refs}]", st.get("ref"))
            para.balance, para.heading = balance, True
            if self._depth > 1:  # inside a keep or box: the container keeps it together
                return [para]
            return [HeadingRoom(para, 2 * st.get("body").leading + 1), para]  # two lines at least
        if isinstance(block, b.Paragraph):
            balance = self._balanced(block.style)
            para = RLParagraph(bound(block.text.markup, self.lang, balance, self.runt),
                               st.get(block.style))
            para.keep_lines = self.keep_lines
            para.balance = balance
            return [para]
        if isinstance(block, b.ItemList):
            items = self._list(block)
            if 1 < len(items) <= self.keep_items and self._depth <= 1:
                return [KeepTogether(items)]  # a short list is never split across pages
            if len(items) > 1:  # else never fewer than two items either side of a break
                items[0].keepWithNext = items[-2].keepWithNext = True
            return items
        if isinstance(block, b.Glossary):
            return [self._glossary(block)]
        if isinstance(block, b.Callout):
            return [self._callout(block)]
        if isinstance(block, b.Columns):
            return [ColumnFlow(self.build(list(block.children)), block.count, gap=14)]
        if isinstance(block, b.Keep):
            if block.upto:  # built as at the top (headings keep their room): it may flow
                depth, self._depth = self._depth, 0
                try:
                    return [ShortKeep(self.build(list(block.children)), block.upto)]
                finally:
                    self._depth = depth
            return [KeepTogether(self.build(list(block.children)))]
        if isinstance(block, b.Wide):
            extra = length(block.extra, "<wide extra>") if block.extra else self.wide_room
            wide = Widened(self.build(list(block.children)), min(extra, self.wide_room))
            wide.block = block
            return [wide]
        if isinstance(block, b.Rule):
            from reportlab.platypus.flowables import HRFlowable

            rule = HRFlowable(width="100%", thickness=length(block.width, "<rule width>"),
                              color=st.colour(block.colour), spaceBefore=2, spaceAfter=6)
            rule.block = block
            return [rule]
        if isinstance(block, b.Spacer):
            return [Spacer(1, length(block.height, "<spacer height>"))]
        if isinstance(block, b.PageBreak):
            return [PageBreak()]
        if isinstance(block, b.FrameBreak):
            return [FrameBreak()]
        if isinstance(block, b.Section):
            return [self._section(block)]
        if isinstance(block, b.Icons):
            return [self._icons(block)]
        if isinstance(block, (b.Image, b.QR, b.Row, b.Panel, b.Figure)):
            from handouts.render.figures import flowable  # images, QR codes, rows, panels (issue 4)

            return [flowable(block, self)]
        raise LayoutError(f"the standard renderer cannot draw <{type(block).__name__.lower()}> "
                          "blocks yet")

    def _balanced(self, style: str) -> bool:
        """Whether the style breaks its lines evenly (``balance: true``)."""
        return bool(self.styles.spec(style).get("balance"))

    def _list(self, block: b.ItemList) -> list[Flowable]:
        style = self.styles.get(block.style)
        size = style.fontSize
        out: list[Flowable] = []
        if block.kind == "check":
            item_style = self.styles.derived(style, "check",
                                             spaceAfter=max(style.spaceAfter, size * 0.35))
            colour = self.styles.colour("text")
            for item in block.items:
                out.append(TickBox(RLParagraph(bound(item.markup, self.lang, runt=self.runt),
                                               item_style),
                                   size * 0.9, size * 0.6, colour))
            return out
        if block.kind == "number":
            return self._numbered(block, style)
        indent = size * 1.2
        item_style = self.styles.derived(style, block.kind, leftIndent=style.leftIndent + indent,
                                         bulletIndent=style.leftIndent + size * 0.2,
                                         spaceAfter=max(style.spaceAfter * 0.5, size * 0.2))
        last_style = self.styles.derived(item_style, "last", spaceAfter=style.spaceAfter)
        count = len(block.items)
        for number, item in enumerate(block.items, 1):
            out.append(RLParagraph(bound(item.markup, self.lang, runt=self.runt),
                                   last_style if number == count else item_style,
                                   bulletText="\u2022"))
        return out

    def _numbered(self, block: b.ItemList, style: ParagraphStyle) -> list[Flowable]:
        """A numbered list: numbers right-aligned (9. above 10.), text in a hanging indent."""
        size = style.fontSize
        count = len(block.items)

        def width(n: int) -> float:
            return stringWidth(f"{n}.", style.bulletFontName, style.bulletFontSize)

        widest = max(width(n) for n in range(1, count + 1))
        # ReportLab starts a bulleted first line 0.6 x the bullet's size after the bullet:
        # the indent keeps that gap, so every line of an item starts at the same place
        indent = style.leftIndent + widest + 0.6 * style.bulletFontSize
        out: list[Flowable] = []
        for number, item in enumerate(block.items, 1):
            shift = round(widest - width(number), 1)
            last = "-last" if number == count else ""
            item_style = self.styles.derived(
                style, f"number-{indent:.1f}-{shift}{last}", leftIndent=indent,
                bulletIndent=style.leftIndent + shift,
                spaceAfter=style.spaceAfter if last else max(style.spaceAfter * 0.5, size * 0.2))
            out.append(RLParagraph(item.markup, item_style, bulletText=f"{number}."))
        return out

    def _glossary(self, block: b.Glossary) -> Table:
        text = self.styles.get(block.style)
        term = self.styles.get(f"{block.style}_term") if f"{block.style}_term" in \
            self.styles.specs else text
        rows = [[RLParagraph(b._escape(t), term), RLParagraph(m.markup, text)]
                for t, m in block.entries]
        head = 0
        if block.header:  # column headings, repeated if the table breaks across pages
            head_style = self.styles.get(f"{block.style}_head") if f"{block.style}_head" in \
                self.styles.specs else term
            rows.insert(0, [RLParagraph(b._escape(h), head_style) for h in block.header])
            head = 1
        table = Table(rows, colWidths=["31%", "69%"], splitByRow=1, hAlign="LEFT",
                      repeatRows=head)
        table.block = block
        rule = self.styles.colour("rule", "#999999")
        strong = self.styles.colour("accent", "#1a1a1a")
        table.setStyle(TableStyle([*([("LINEBELOW", (0, 0), (-1, 0), 1.5, strong)] * head),
            ("FONT", (0, 0), (-1, -1), text.fontName, text.fontSize),  # not Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, head), (-1, -1), 0.5, rule),
        ]))
        table.spaceAfter = text.spaceAfter
        return table

    def _section(self, block: b.Section) -> Flowable:
        """A section kept whole: its heading, text and callouts in one column or panel."""
        self._depth += 1  # headings inside are kept by the section, not by HeadingRoom
        try:
            content = [f for child in block.children for f in self.one(child)]
        finally:
            self._depth -= 1
        keep = SectionKeep(content, block.name)
        keep.block = block
        return keep

    def _icons(self, block: b.Icons) -> Flowable:
        """An icon array, its label (style 'icons') beside it; icons 2.4 times the label's
        size unless the block sets one, drawn in the style's colour."""
        style = self.styles.get("icons")
        label = RLParagraph(bound(b._escape(block.label), self.lang, runt=self.runt), style)
        label.balance = self._balanced("icons")
        label.balance_lines = 2  # three lines beside the icons: the label keeps its width
        size = length(block.size, "<icons size>") if block.size else style.fontSize * 2.1
        icons = IconArray(block.of, block.filled, label, size, style.textColor)
        icons.block = block
        icons.spaceBefore = style.spaceBefore
        icons.spaceAfter = max(style.spaceAfter, 6)
        return icons

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
        colour = self.styles.colour(border) if border else None
        box = Box(inner, float(spec.get("padding", Length(10))),
                  self.styles.colour(background) if background else None, colour,
                  marker_colour=None if colour or "accent" not in self.styles.layout.spec.colours
                  else self.styles.colour("accent"),  # a rule with no border: the accent
                  rule=float(spec.get("rule", 0)), marker=spec.get("marker") or "",
                  marker_font=self.styles.fonts.name(next(iter(self.styles.fonts.families)),
                                                     True, False),
                  border_width=float(spec.get("border_width", 1.5)),
                  band=self.styles.colour(spec["band"]) if spec.get("band") else None,
                  marker_shape=spec.get("marker_shape") or "circle")
        box.block = block
        box.spaceBefore = float(spec.get("space_before", 0))
        box.spaceAfter = float(spec.get("space_after", 8))
        return box


def _kept_run(out: list[Flowable], start: int) -> Flowable:
    """The flowable at ``start``, or with those kept with it (``keepWithNext``: a list's
    first two items), all of them in one KeepTogether, as they will be placed."""
    end = start
    while end + 1 < len(out) and out[end].getKeepWithNext():
        end += 1
    return out[start] if end == start else KeepTogether(out[start:end + 1])


def _icons_kept_with_their_paragraph(out: list[Flowable]) -> list[Flowable]:
    """An icon array is the picture of the paragraph before it (the "2 in 3" of its text):
    it goes with at least the paragraph's last two lines, never alone at the top of a page."""
    kept: list[Flowable] = []
    for flowable in out:
        if isinstance(flowable, IconArray) and kept and isinstance(kept[-1], RLParagraph) \
                and not (len(kept) > 1 and isinstance(kept[-2], HeadingRoom)):  # not a heading
            kept[-1] = WithPicture(kept[-1], flowable)
        else:
            kept.append(flowable)
    return kept


_RATIO = re.compile(r"\b\d+ (?:in|of|de cada) \d+\b")  # "2 in 3", "2 de cada 3"
_ABBREVIATION_NOUN = re.compile(r"\b([A-Z]{2,5}) (?=[a-z0-9])")  # "NK cells", "NHS 111"
_LAST_WORD = re.compile(r" ([^ <>]+)(?:</\w+>)*$")  # and the tags that close after it
_HONORIFIC = re.compile(r"\b(Dr|Dra|Mr|Mrs|Ms|Mx|Prof|Sr|Sra|Srta)\. ")  # "Dr. Mehta"
_NOUN_ABBREVIATION = re.compile(r"(?<=[a-záéíóúüñ]) (?=[A-Z]{2,5}\b)")  # Spanish: "células NK"


def bound(markup: str, lang: str, balance: bool = False, runt: int = 0) -> str:
    """Inline markup with no-break spaces where a line must not break: inside a figure
    ("2 in 3", "2 de cada 3"), after a title ("Dr. Mehta") and between an
    abbreviation and the noun it names ("NK cells", "NHS 111", "células NK": the noun after
    it in English, before it in Spanish). ``balance`` (a balanced heading or subtitle): the
    last two words too, so no word is alone on a line; ``runt``: the last two words when the
    last is shorter than that (a runt: "all have / risks.")."""
    if " " not in markup:
        return markup
    markup = _RATIO.sub(lambda found: found.group(0).replace(" ", "\u00a0"), markup)
    markup = _HONORIFIC.sub("\\1.\u00a0", markup)
    if lang.startswith("es"):
        markup = _NOUN_ABBREVIATION.sub("\u00a0", markup)
    else:
        markup = _ABBREVIATION_NOUN.sub("\\1\u00a0", markup)
    if balance and "<" not in markup and markup.count(" ") >= 2:
        markup = "\u00a0".join(markup.rsplit(" ", 1))
    last = _LAST_WORD.search(markup) if runt and markup.count(" ") >= 3 else None
    if last and len(last.group(1)) < runt:
        markup = f"{markup[:last.start()]}\u00a0{markup[last.start() + 1:]}"
    return markup
