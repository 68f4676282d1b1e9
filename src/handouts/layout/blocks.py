"""The block vocabulary, and parsing the block markup that layout templates produce.

Templates write a small XML dialect; each element becomes a semantic block that
knows its role, so a tagged PDF or an HTML edition can later be made from the
same tree::

    <handout>
      <h level="1|2|3" refs="1, 4">text</h>      heading (refs: source numbers)
      <p style="body">text</p>                   paragraph
      <list kind="bullet|number|check"><item>text</item></list>
      <callout title="Key points" style="callout">blocks</callout>
      <glossary word="Word" meaning="What it means"><entry term="Word">meaning</entry></glossary>
      <rule colour="accent" width="2"/>          a horizontal rule
      <columns count="2">blocks</columns>        balanced columns
      <keep>blocks</keep>                        kept on one page
      <keep upto="25%">blocks</keep>             kept on one page if no taller than 25% of it
      <wide>blocks</wide>                        wider than the text measure (to the margin)
      <row valign="middle"><cell width="30%" align="left">blocks</cell><cell>…</cell></row>
      <panel name="cover">blocks</panel>         one fixed column (a tri-fold panel)
      <image src="logo.png" width="40mm" alt="…"/>   <qr url="…" size="25mm"/>
      <icons of="3" filled="2" label="About 2 in 3 …"/>   icon array (label = alt text)
      <figure src="diagram.svg" alt="…" caption="…" width="100%"/>   SVG figure (alt required,
                                                 or decorative="true" for an ornament)
      <section name="id">blocks</section>        one content section, never split across a
                                                 column or panel
      <spacer height="6"/>   <pagebreak/>   <framebreak/>
    </handout>

Inline text may hold <b>, <i>, <a href="…"> and <br/>; nothing else.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from handouts.errors import LayoutError
from handouts.links import link_problem

INLINE_TAGS = {"b", "i", "a", "br"}


@dataclass(frozen=True, eq=False)
class Inline:
    """Inline text as ReportLab paragraph markup (escaped), plus its plain text."""

    markup: str
    plain: str


@dataclass(frozen=True, eq=False)
class Heading:
    level: int
    text: Inline
    refs: str = ""
    style: str = ""
    role = "heading"


@dataclass(frozen=True, eq=False)
class Paragraph:
    text: Inline
    style: str = "body"
    role = "paragraph"


@dataclass(frozen=True, eq=False)
class ItemList:
    kind: str  # bullet | number | check
    items: tuple[Inline, ...]
    style: str = "body"
    role = "list"


@dataclass(frozen=True, eq=False)
class Glossary:
    entries: tuple[tuple[str, Inline], ...]
    style: str = "glossary"
    header: tuple[str, str] = ()  # column headings, e.g. ("Word", "What it means")
    role = "glossary"


@dataclass(frozen=True, eq=False)
class Rule:
    """A horizontal rule across the column (under a masthead, say)."""

    colour: str = "rule"
    width: str = "1"
    role = "artifact"


@dataclass(frozen=True, eq=False)
class Image:
    src: str
    width: str
    alt: str
    height: str = ""
    role = "figure"


@dataclass(frozen=True, eq=False)
class QR:
    url: str
    size: str = "25mm"
    address: bool = True  # print the address beside (or under) the code
    role = "figure"


@dataclass(frozen=True, eq=False)
class Icons:
    """An icon array: ``of`` person icons, ``filled`` of them filled; ``label`` is printed
    beside them and is their text equivalent (alt) for tagged PDF and HTML."""

    of: int
    filled: int
    label: str
    size: str = ""
    role = "figure"

    @property
    def alt(self) -> str:
        return self.label


@dataclass(frozen=True, eq=False)
class Figure:
    """An SVG drawing (svglib) scaled to the column, with its alt text and a caption."""

    src: str
    alt: str
    caption: str = ""
    width: str = "100%"
    decorative: bool = False  # an ornament (no alt): an artifact for screen readers

    @property
    def role(self) -> str:
        return "artifact" if self.decorative else "figure"


@dataclass(frozen=True, eq=False)
class Spacer:
    height: str
    role = "artifact"


@dataclass(frozen=True, eq=False)
class PageBreak:
    role = "artifact"


@dataclass(frozen=True, eq=False)
class FrameBreak:
    role = "artifact"


@dataclass(frozen=True, eq=False)
class Callout:
    children: tuple[Block, ...]
    title: str = ""
    style: str = "callout"
    role = "aside"


@dataclass(frozen=True, eq=False)
class Columns:
    children: tuple[Block, ...]
    count: int = 2
    role = "group"


@dataclass(frozen=True, eq=False)
class Wide:
    """Blocks set wider than the text measure, reaching ``extra`` (default: all the way) into
    the right margin: tables and lists of short items, which read fine wider than text."""

    children: tuple[Block, ...]
    extra: str = ""
    role = "group"


@dataclass(frozen=True, eq=False)
class Keep:
    """Blocks kept on one page; with ``upto`` (a share of the page, 0-1), only when they take
    no more than that share (a short section), else they flow like any other blocks."""

    children: tuple[Block, ...] = field(default=())
    upto: float = 0.0
    role = "group"


@dataclass(frozen=True, eq=False)
class Cell:
    """One cell of a row; width '' shares what the other cells leave."""

    children: tuple[Block, ...]
    width: str = ""
    align: str = "left"
    role = "group"


@dataclass(frozen=True, eq=False)
class Row:
    """Cells side by side, e.g. a logo beside the title or the clinic's details."""

    cells: tuple[Cell, ...]
    valign: str = "middle"
    role = "group"


@dataclass(frozen=True, eq=False)
class Panel:
    """Blocks that must fit in one column (a tri-fold panel): too much is an error, never a
    spill into the next panel."""

    children: tuple[Block, ...]
    name: str = ""
    role = "group"


@dataclass(frozen=True, eq=False)
class Section:
    """One content section (heading and body): never split across a column or panel; when
    it is taller than a whole column, rendering fails naming the section and the column."""

    children: tuple[Block, ...]
    name: str = ""
    role = "section"


Block = (Heading | Paragraph | ItemList | Glossary | Rule | Image | QR | Icons | Figure | Spacer
         | PageBreak | FrameBreak | Callout | Columns | Keep | Wide | Row | Panel | Section)


def parse_markup(text: str, template: str) -> list[Block]:
    """Parse a template's output into blocks; mistakes are LayoutErrors naming the template."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        lines = text.splitlines()
        shown = lines[line - 1].strip()[:80] if 0 < line <= len(lines) else ""
        raise LayoutError(f"template '{template}' produced broken block markup at output line "
                          f"{line}, column {col}: {exc.msg}\n    {shown}",
                          hint="check the tags your template writes; every <x> needs </x>") \
            from None
    if root.tag != "handout":
        raise LayoutError(f"template '{template}' must produce one <handout> element, "
                          f"not <{root.tag}>")
    return _children(root, template)


def _children(parent: ET.Element, template: str) -> list[Block]:
    if (parent.text or "").strip():
        raise LayoutError(f"template '{template}': text '{parent.text.strip()[:40]}' is outside "
                          f"a paragraph in <{parent.tag}>; wrap it in <p>")
    out = []
    for el in parent:
        out.append(_block(el, template))
        if (el.tail or "").strip():
            raise LayoutError(f"template '{template}': text '{el.tail.strip()[:40]}' is outside "
                              f"a paragraph after <{el.tag}>; wrap it in <p>")
    return out


def _block(el: ET.Element, template: str) -> Block:
    tag, a = el.tag, el.attrib
    if tag == "h":
        level = a.get("level", "2")
        if level not in ("1", "2", "3"):
            raise LayoutError(f"template '{template}': <h level=\"{level}\"> must be 1, 2 or 3")
        return Heading(int(level), inline(el, template), a.get("refs", ""), a.get("style", ""))
    if tag == "p":
        return Paragraph(inline(el, template), a.get("style", "body"))
    if tag == "list":
        kind = a.get("kind", "bullet")
        if kind not in ("bullet", "number", "check"):
            raise LayoutError(f"template '{template}': <list kind=\"{kind}\"> must be "
                              "bullet, number or check")
        items = tuple(inline(item, template) for item in _only(el, "item", template))
        return ItemList(kind, items, a.get("style", "body"))
    if tag == "glossary":
        entries = tuple((e.get("term", ""), inline(e, template))
                        for e in _only(el, "entry", template))
        header = (a["word"], a["meaning"]) if a.get("word") and a.get("meaning") else ()
        return Glossary(entries, a.get("style", "glossary"), header)
    if tag == "rule":
        return Rule(a.get("colour", "rule"), a.get("width", "1"))
    if tag == "callout":
        return Callout(tuple(_children(el, template)), a.get("title", ""),
                       a.get("style", "callout"))
    if tag == "columns":
        count = a.get("count", "2").strip()
        if not count.isdigit() or not 1 <= int(count) <= 6:
            raise LayoutError(f"template '{template}': <columns count=\"{count[:20]}\"> must be "
                              "a whole number from 1 to 6")
        return Columns(tuple(_children(el, template)), int(count))
    if tag == "keep":
        upto = a.get("upto", "").strip()
        if upto and not re.fullmatch(r"\d{1,2}%", upto):
            raise LayoutError(f"template '{template}': <keep upto=\"{upto[:20]}\"> must be a "
                              "share of the page such as 25%")
        return Keep(tuple(_children(el, template)), int(upto[:-1]) / 100 if upto else 0.0)
    if tag == "wide":
        return Wide(tuple(_children(el, template)), a.get("extra", ""))
    if tag == "row":
        valign = a.get("valign", "middle")
        if valign not in ("top", "middle", "bottom"):
            raise LayoutError(f"template '{template}': <row valign=\"{valign}\"> must be top, "
                              "middle or bottom")
        cells = []
        for c in _only(el, "cell", template):
            align = c.get("align", "left")
            if align not in ("left", "center", "right"):
                raise LayoutError(f"template '{template}': <cell align=\"{align}\"> must be "
                                  "left, center or right")
            width = c.get("width", "").strip()
            if width and not _LENGTH.match(width):
                raise LayoutError(f"template '{template}': <cell width=\"{width[:20]}\"> must "
                                  "be a length such as 40mm, 1.5in or 120 (points)")
            cells.append(Cell(tuple(_children(c, template)), width, align))
        return Row(tuple(cells), valign)
    if tag == "panel":
        return Panel(tuple(_children(el, template)), a.get("name", ""))
    if tag == "section":
        return Section(tuple(_children(el, template)), a.get("name", ""))
    if tag == "icons":
        return _icons(el, template)
    if tag == "figure":
        decorative = a.get("decorative") == "true"
        alt = a.get("alt", "") if decorative else _required(el, "alt", template)
        return Figure(_required(el, "src", template), alt, a.get("caption", ""),
                      a.get("width", "100%"), decorative)
    if tag == "image":
        return Image(_required(el, "src", template), a.get("width", "40mm"),
                     _required(el, "alt", template), a.get("height", ""))
    if tag == "qr":
        url = _required(el, "url", template)
        problem = link_problem(url)
        if problem is None and not url.lower().startswith(("https:", "http:")):
            problem = f"a QR code must lead to a web page (https://…), not '{url[:40]}'"
        if problem:
            raise LayoutError(f"template '{template}': <qr url>: {problem}")
        return QR(url, a.get("size", "25mm"), a.get("address", "true") != "false")
    if tag == "spacer":
        return Spacer(a.get("height", "6"))
    if tag == "pagebreak":
        return PageBreak()
    if tag == "framebreak":
        return FrameBreak()
    raise LayoutError(f"template '{template}': unknown block <{tag}>",
                      hint="blocks are h, p, list, callout, glossary, columns, keep, wide, row, "
                           "panel, section, rule, image, qr, icons, figure, spacer, pagebreak, "
                           "framebreak")


def _icons(el: ET.Element, template: str) -> Icons:
    numbers = []
    for attr in ("of", "filled"):
        value = _required(el, attr, template)
        if not value.isdigit():
            raise LayoutError(f"template '{template}': <icons {attr}=\"{value}\"> must be a "
                              "whole number")
        numbers.append(int(value))
    of, filled = numbers
    if not 1 <= of <= 100 or filled > of:
        raise LayoutError(f"template '{template}': <icons of=\"{of}\" filled=\"{filled}\"> "
                          "needs 1 to 100 icons and no more filled than there are")
    return Icons(of, filled, _required(el, "label", template), el.get("size", ""))


_LENGTH = re.compile(r"^\d{1,4}(\.\d{1,3})?\s*(pt|mm|cm|in)?$")


def _only(el: ET.Element, child: str, template: str) -> list[ET.Element]:
    kids = list(el)
    for kid in kids:
        if kid.tag != child:
            raise LayoutError(f"template '{template}': <{el.tag}> may only hold <{child}>, "
                              f"found <{kid.tag}>")
    return kids


def _required(el: ET.Element, attr: str, template: str) -> str:
    value = el.get(attr, "").strip()
    if not value:
        raise LayoutError(f"template '{template}': <{el.tag}> needs a {attr}=\"…\" attribute")
    return value


def inline(el: ET.Element, template: str) -> Inline:
    """An element's mixed content as escaped ReportLab markup and plain text."""
    for sub in el.iter():
        if sub is not el and sub.tag not in INLINE_TAGS:
            raise LayoutError(f"template '{template}': <{sub.tag}> is not allowed inside "
                              f"<{el.tag}> (allowed: b, i, a, br)")
    parts = [_escape(el.text or "")]
    for sub in el:
        parts.append(_serialise(sub))
    markup = " ".join("".join(parts).split())
    plain = " ".join("".join(el.itertext()).split())
    return Inline(markup, plain)


def _serialise(el: ET.Element) -> str:
    if el.tag == "br":
        body = "<br/>"
    else:
        attrs = ""
        if el.tag == "a":
            href = el.get("href", "")
            problem = link_problem(href)
            if problem:
                raise LayoutError(f"a template writes <a href>: {problem}")
            attrs = f' href="{_escape(href, quote=True)}"'
        inner = _escape(el.text or "") + "".join(_serialise(s) for s in el)
        body = f"<{el.tag}{attrs}>{inner}</{el.tag}>"
    return body + _escape(el.tail or "")


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def plain_texts(blocks: list[Block]) -> list[str]:
    """Every piece of visible text in a block tree (for glyph checks and tests)."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append(b.text.plain)
        elif isinstance(b, ItemList):
            out.extend(i.plain for i in b.items)
        elif isinstance(b, Glossary):
            out.extend(b.header)
            for term, meaning in b.entries:
                out.extend((term, meaning.plain))
        elif isinstance(b, Icons):
            out.append(b.label)
        elif isinstance(b, Figure):
            out.append(b.caption)
        elif isinstance(b, (Callout, Columns, Keep, Wide, Panel, Section)):
            if isinstance(b, Callout) and b.title:
                out.append(b.title)
            out.extend(plain_texts(list(b.children)))
        elif isinstance(b, QR):
            out.append(b.url)
        elif isinstance(b, Row):
            for cell in b.cells:
                out.extend(plain_texts(list(cell.children)))
    return out
