"""The HTML edition: the same block tree as the PDF, written as one self-contained web page.

Semantic HTML (one h1, real lists, a definition list for words to know, links as links),
inline CSS with a system font stack (nothing is fetched when the page is viewed), no script,
readable at 320 px wide and printable. Text comes from the block tree's escaped inline markup,
parsed back and escaped again for HTML, so it reads exactly as in the PDF. No ReportLab here.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from handouts.layout.blocks import (
    QR,
    Block,
    Callout,
    Cell,
    Columns,
    Figure,
    FrameBreak,
    Glossary,
    Heading,
    Icons,
    Image,
    Inline,
    ItemList,
    Keep,
    PageBreak,
    Panel,
    Paragraph,
    Row,
    Rule,
    Section,
    Spacer,
    Wide,
)
from handouts.layout.spec import Layout
from handouts.links import link_problem
from handouts.render.svg import icon_array, inline_svg

TEMPLATES = Path(__file__).parent / "templates"
INLINE_HTML = {"b": "strong", "i": "em"}
INDEX_COLOURS = {"text": "#1a1a1a", "muted": "#4a4a4a", "accent": "#1f4e79", "rule": "#9aa7b4",
                 "note": "#e3e3e3"}


@dataclass(frozen=True)
class HtmlMeta:
    """What the page's <head> says."""

    title: str
    lang: str
    description: str = ""
    author: str = ""
    generator: str = ""
    personal: bool = False  # one patient's copy: not for search engines


@dataclass(frozen=True)
class IndexEntry:
    """One edition on the site index; ``html`` and ``pdf`` are addresses relative to it."""

    slug: str
    language: str
    title: str
    subtitle: str
    html: str
    pdf: str
    pages: int
    size: int

    @property
    def kilobytes(self) -> str:
        return f"{self.size / 1024:.0f}"

    @property
    def language_name(self) -> str:
        """The edition's language in that language: "English (United Kingdom)", "Español
        (Estados Unidos)" (Babel's locale data); the tag itself when Babel does not know it."""
        return language_name(self.language)


def language_name(tag: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return tag
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def render_html(blocks: list[Block], meta: HtmlMeta, layout: Layout) -> str:
    """The page for a block tree, in the layout's colours and callout boxes (brand applied);
    images are found in its folders (and embedded as data: addresses)."""
    body = _Writer(layout.image_file, blocks).blocks(blocks)
    colours = {name: layout.colour(name) for name in layout.spec.colours}
    return _template("page.html.j2").render(meta=meta, body=body, colours=colours,
                                            boxes=Markup(box_css(layout)))


def box_css(layout: Layout) -> str:
    """CSS for the layout's callout boxes, from its styles: each style with a background, a
    border or a rule down the left is a box (``.callout.<style>``), its title coloured as the
    ``<style>_title`` style and marked as its ``marker`` says (alerts: "!" in a circle)."""
    out = []
    for name, style in sorted(layout.spec.styles.items()):
        rule = float(getattr(style, "rule", None) or 0)
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", name) or not (
                style.background or style.border or rule):
            continue
        edge = _hex(layout, style.border) or _hex(layout, "accent") or "#1f4e79"
        width = float(getattr(style, "border_width", None) or 1.5) * 4 / 3
        declarations = [f"background: {_hex(layout, style.background) or 'transparent'}"]
        if style.border:
            declarations.append(f"border: {width:.1f}px solid {edge}")
        if rule:
            declarations.append(f"border-left: {max(rule * 4 / 3, width):.1f}px solid {edge}")
        out.append(f".callout.{name} {{ {'; '.join(declarations)}; }}")
        title = layout.spec.styles.get(f"{name}_title")
        if title is not None and _hex(layout, title.colour):
            out.append(f".callout.{name} > h2 {{ color: {_hex(layout, title.colour)}; }}")
        marker = getattr(style, "marker", None) or ""
        if re.fullmatch(r"[!?i*]", marker):
            out.append(f'.callout.{name} > h2::before {{ content: "{marker}"; '
                       f"background: {edge}; }}")
    return "\n".join(out)


def _hex(layout: Layout, value: str | None) -> str:
    """A style colour (a palette name or #rrggbb) as #rrggbb, or '' when there is none."""
    resolved = layout.colour(value) if value else ""
    return resolved if re.fullmatch(r"#[0-9a-fA-F]{6}", resolved) else ""


def render_index(entries: list[IndexEntry], lang: str, generator: str,
                 title: str = "Patient handouts") -> str:
    """The site index: one section per handout (in the order given), one line per edition."""
    grouped: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.slug, []).append(entry)
    meta = HtmlMeta(title=title, lang=lang, generator=generator)
    return _template("index.html.j2").render(meta=meta, handouts=list(grouped.items()),
                                             colours=INDEX_COLOURS)


@lru_cache(maxsize=4)
def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


class _Writer:
    """Blocks to HTML fragments (Markup: every text is escaped here)."""

    def __init__(self, find_image: Callable[[str], Path], blocks: list[Block]) -> None:
        self.find_image = find_image
        self.ids = 0
        self.sources = _has_source_list(blocks)  # heading refs link to its items

    def blocks(self, blocks: tuple[Block, ...] | list[Block]) -> Markup:
        return Markup("\n").join(self.one(b) for b in blocks)

    def one(self, block: Block) -> Markup:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            return Markup('<p class="{}">{}</p>').format(block.style, inline_html(block.text))
        if isinstance(block, ItemList):
            return self.item_list(block)
        if isinstance(block, Glossary):
            return self.glossary(block)
        if isinstance(block, Callout):
            return self.callout(block)
        if isinstance(block, Columns):
            return Markup('<div class="columns">{}</div>').format(self.blocks(block.children))
        if isinstance(block, (Keep, Panel, Cell, Wide, Section)):
            return self.blocks(block.children)
        if isinstance(block, Icons):
            return self.icons(block)
        if isinstance(block, Figure):
            return self.figure(block)
        if isinstance(block, Rule):
            return Markup('<hr class="rule" style="border-top-color: {}">').format(
                _colour(block.colour))
        if isinstance(block, Row):
            cells = Markup("").join(
                Markup('<div class="cell {}">{}</div>').format(c.align, self.blocks(c.children))
                for c in block.cells)
            return Markup('<div class="row">{}</div>').format(cells)
        if isinstance(block, Image):
            return self.image(block)
        if isinstance(block, QR):
            return Markup('<p class="online">{}</p>').format(_link(block.url, _bare(block.url)))
        if isinstance(block, (Spacer, PageBreak, FrameBreak)):
            return Markup("")
        raise TypeError(f"no HTML for block {type(block).__name__}")

    def heading(self, block: Heading) -> Markup:
        refs = Markup("")
        if block.refs:
            numbers = [n.strip() for n in block.refs.split(",")]
            if self.sources:
                shown = Markup(", ").join(Markup('<a href="#source-{0}">{0}</a>').format(n)
                                          for n in numbers)
            else:
                shown = escape(", ".join(numbers))
            refs = Markup(' <span class="refs">[{}]</span>').format(shown)
        return Markup('<h{0}>{1}{2}</h{0}>').format(block.level, inline_html(block.text), refs)

    def item_list(self, block: ItemList) -> Markup:
        tag = "ol" if block.kind == "number" else "ul"
        css = "checklist" if block.kind == "check" else block.style
        ids = [""] * len(block.items)
        if _is_source_list(block):
            ids = [Markup(' id="source-{}"').format(n) for n in range(1, len(block.items) + 1)]
        items = Markup("").join(Markup("<li{}>{}</li>").format(ident, inline_html(i))
                                for ident, i in zip(ids, block.items, strict=True))
        return Markup('<{0} class="{1}">{2}</{0}>').format(tag, css, items)

    def glossary(self, block: Glossary) -> Markup:
        if block.header:  # a table with its column headings ("Word", "What it means")
            head = Markup("").join(Markup('<th scope="col">{}</th>').format(h)
                                   for h in block.header)
            rows = Markup("").join(
                Markup('<tr><th scope="row">{}</th><td>{}</td></tr>').format(t, inline_html(m))
                for t, m in block.entries)
            return Markup('<table class="glossary"><thead><tr>{}</tr></thead>'
                          '<tbody>{}</tbody></table>').format(head, rows)
        entries = Markup("").join(Markup("<dt>{}</dt><dd>{}</dd>").format(term, inline_html(m))
                                  for term, m in block.entries)
        return Markup('<dl class="glossary">{}</dl>').format(entries)

    def icons(self, block: Icons) -> Markup:
        """The icon array drawn in SVG (people as in the PDF, filled or outlined), named by
        its label, which is printed beside it as in the PDF (read once, not twice)."""
        ident = self.next_id("icons")
        return Markup('<figure class="icons">{}<figcaption id="{}">{}</figcaption></figure>'
                      ).format(icon_array(block.of, block.filled, ident), ident, block.label)

    def figure(self, block: Figure) -> Markup:
        """An SVG figure inline in the page (made safe: see render.svg), named by its alt
        text (hidden from screen readers when decorative), with its caption."""
        path = Path(block.src) if Path(block.src).is_absolute() else self.find_image(block.src)
        drawing = inline_svg(path, block.alt, block.decorative)
        caption = Markup("")
        if block.caption:
            caption = Markup("<figcaption>{}</figcaption>").format(block.caption)
        return Markup('<figure class="figure" style="max-width: {}">{}{}</figure>').format(
            _width(block.width), drawing, caption)

    def next_id(self, kind: str) -> str:
        self.ids += 1
        return f"{kind}-{self.ids}"

    def callout(self, block: Callout) -> Markup:
        inner = self.blocks(block.children)
        if not block.title:
            return Markup('<div class="callout {}">{}</div>').format(block.style, inner)
        ident = self.next_id("callout")
        return Markup('<section class="callout {0}" aria-labelledby="{1}">'
                      '<h2 id="{1}">{2}</h2>{3}</section>').format(
                          block.style, ident, block.title, inner)

    def image(self, block: Image) -> Markup:
        path = self.find_image(block.src)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return Markup('<img class="image" src="data:{};base64,{}" alt="{}" style="width: {}">'
                      ).format(kind, data, block.alt, _width(block.width))


def _is_source_list(block: Block) -> bool:
    """The numbered list of sources that headings' [n] point to."""
    return isinstance(block, ItemList) and block.kind == "number" and block.style == "source"


def _has_source_list(blocks: list[Block] | tuple[Block, ...]) -> bool:
    for block in blocks:
        if _is_source_list(block):
            return True
        children = getattr(block, "children", None) or getattr(block, "cells", ())
        if _has_source_list(children):
            return True
    return False


def inline_html(text: Inline) -> Markup:
    """An Inline's markup (b, i, a, br; escaped text) as HTML; unknown tags keep their text."""
    root = ET.fromstring(f"<x>{text.markup}</x>")
    return Markup("").join(_inline_parts(root))


def _inline_parts(el: ET.Element) -> Iterator[Markup]:
    yield escape(el.text or "")
    for sub in el:
        inner = Markup("").join(_inline_parts(sub))
        if sub.tag == "br":
            yield Markup("<br>")
        elif sub.tag == "a":
            yield _link(sub.get("href", ""), inner)
        elif sub.tag in INLINE_HTML:
            yield Markup("<{0}>{1}</{0}>").format(INLINE_HTML[sub.tag], inner)
        else:
            yield inner
        yield escape(sub.tail or "")


def _link(href: str, text: str | Markup) -> Markup:
    """A link for an address the PDF may link too (handouts.links); else its text alone."""
    if link_problem(href) is None:
        return Markup('<a href="{}">{}</a>').format(href, text)
    return escape(text)


def _colour(value: str) -> str:
    """A palette name as its CSS variable, or a #rrggbb colour; anything else the rule colour."""
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value
    if re.fullmatch(r"[a-z_][a-z0-9_-]*", value):
        return f"var(--{value}, #9aa7b4)"
    return "var(--rule, #9aa7b4)"


def _width(value: str) -> str:
    """A width as CSS: a percentage or a length (a bare number is points, as in the PDF);
    anything else the full column."""
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return f"{value}pt"
    return value if re.fullmatch(r"\d+(\.\d+)?(%|mm|cm|in|pt|px)", value) else "100%"


def _bare(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")
