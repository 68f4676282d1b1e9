"""Layout folders: ``layout.yaml`` (page, fonts, colours, styles) plus Jinja2 templates.

A layout may ``extends: <name>`` another: its ``layout.yaml`` is deep-merged over
the parent's, and templates are looked up in the layout first, then its parents.
No Python is needed to add a layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from handouts.errors import LayoutError, LayoutInvalid, Problem, UsageError
from handouts.schema import (
    INVALID,
    Reader,
    compose_file,
    field,
    mapping_items,
    merge_nodes,
    optional,
)
from handouts.workspace.config import Paper
from handouts.workspace.finder import Workspace

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(pt|mm|cm|in)?\s*$")


class Length(float):
    """A length in points: a number (points) or text such as '15mm', '0.5in', '12pt'."""

    @classmethod
    def from_node(cls, reader: Reader, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        if isinstance(node, yaml.ScalarNode):
            match = _LENGTH.match(node.value)
            if match and node.tag != "tag:yaml.org,2002:bool":
                return cls(float(match.group(1)) * _UNITS[match.group(2) or "pt"])
        return reader.fail(node, f"expected a length such as 12, '15mm' or '0.5in', "
                                 f"got '{getattr(node, 'value', '...')}'")


@dataclass(frozen=True)
class Margins:
    top: Length = field("top margin")
    bottom: Length = field("bottom margin")
    left: Length = field("left margin")
    right: Length = field("right margin")
    first: Length | None = optional("top margin of page 1, whose masthead has no running "
                                    "header above it (default: top)")


@dataclass(frozen=True)
class FontFamily:
    regular: str = field("font file (TTF) for regular text")
    bold: str = field("font file for bold")
    italic: str = field("font file for italic")
    bold_italic: str = field("font file for bold italic")


@dataclass(frozen=True)
class Style:
    parent: str | None = optional("style to start from")
    font: str | None = optional("font family name from 'fonts'")
    size: float | None = optional("font size in points", min=4, max=96)
    leading: float | None = optional("line height in points", min=4, max=120)
    colour: str | None = optional("text colour: a name from 'colours' or #rrggbb")
    bold: bool | None = optional("bold text")
    italic: bool | None = optional("italic text")
    align: Literal["left", "center", "right"] | None = optional("alignment (never justified)")
    space_before: Length | None = optional("space above")
    space_after: Length | None = optional("space below")
    indent: Length | None = optional("left indent")
    background: str | None = optional("box background colour (callouts)")
    border: str | None = optional("box border colour (callouts)")
    padding: Length | None = optional("box padding (callouts)")
    border_width: Length | None = optional("box border width (callouts; default 1.5)")
    rule: Length | None = optional("width of a solid rule down a box's left side (alerts)")
    marker: str | None = optional("a mark drawn white in a filled circle beside a box's "
                                  "first line, e.g. '!' (alerts)")
    marker_shape: Literal["circle", "triangle"] | None = optional(
        "the marker's shape (default circle; a warning triangle for the most urgent alert)")
    band: str | None = optional("colour of a solid band behind a box's label, which is "
                                "printed on it (white, bold): the most urgent alert")
    underline_links: bool | None = optional("underline links (default true)")
    balance: bool | None = optional("break lines evenly (headings: no word alone on the "
                                    "last line)")


@dataclass(frozen=True)
class Edge:
    """Header or footer: three Jinja2 text templates, drawn on every page."""

    left: str | None = optional("text at the left")
    center: str | None = optional("text in the middle")
    right: str | None = optional("text at the right")
    style: str = optional("paragraph style to draw it with", "footer")


@dataclass(frozen=True)
class Fold:
    """Folding geometry of a tri-fold: the panel that folds in is a little narrower, so it
    tucks inside without buckling. Page 1 is the outside (the fold-in panel at the left),
    page 2 the inside (its back, at the right). Each panel's text keeps the layout's left and
    right margins from the panel's edges, so the gutter at a fold is centred on the fold."""

    narrower: Length = field("how much narrower the fold-in panel is (1/16 to 1/8 in)")
    outside: list[str] = optional("names of page 1's panels, left to right",
                                  default=["flap", "back", "cover"])
    inside: list[str] = optional("names of page 2's panels, left to right",
                                 default=["inside-left", "inside-middle", "inside-right"])


@dataclass(frozen=True)
class LayoutSpec:
    description: str = field("what this layout is for")
    fonts: dict[str, FontFamily] = field("font families by name")
    styles: dict[str, Style] = field("paragraph styles by name (must include 'body')")
    extends: str | None = optional("name of a layout to start from")
    template: str = optional("main template file", "handout.xml.j2")
    paper: Paper = optional("default paper size (--paper overrides)", "letter")
    orientation: Literal["portrait", "landscape"] = optional("page orientation", "portrait")
    pages: dict[str, int] = optional("page budget per paper, e.g. {letter: 2, a4: 2}",
                                     default={})
    margins: Margins = optional("page margins", Margins(Length(54), Length(54), Length(54),
                                                        Length(54)))
    columns: int = optional("text columns per page", 1, min=1, max=4)
    column_gap: Length = optional("space between columns", Length(18))
    measure: Length | None = optional("widest text block: on wider paper the side margins "
                                      "grow (keeps lines to 45-75 characters)")
    edge_inset: Length = optional("header and footer text, and a tri-fold's panels at the "
                                  "sheet's outer edges, keep this far from the paper's edge "
                                  "(office printers clip closer than 0.4 in)",
                                  Length(0.45 * 72))
    fold: Fold | None = optional("tri-fold folding geometry (three columns)")
    keep_lines: int = optional("a paragraph of up to this many lines is never split across "
                               "pages (large print: 5)", 0, min=0, max=50)
    keep_items: int = optional("a list of up to this many items is never split across pages "
                               "(large print: 3)", 0, min=0, max=50)
    runt: int = optional("a paragraph's or list item's last word shorter than this many "
                         "characters goes over with the word before it (no short word alone "
                         "on a last line; large print: 9)", 0, min=0, max=20)
    min_font_size: float = optional("smallest font size the layout promises", 9.0, min=4)
    min_body_size: float = optional("smallest body text size the layout promises (`check` "
                                    "fails a handout whose body text is smaller)", 12.0, min=4)
    colours: dict[str, str] = optional("named colours (#rrggbb)", default={})
    header: Edge | None = optional("header text")
    footer: Edge | None = optional("footer text")
    show: dict[str, list[str]] = optional("what a condensed layout shows: section ids per "
                                          "handout slug ('*' for any other)", default={})
    brand: dict[str, Literal["colour", "tint"]] = optional(
        "palette entries a clinic's brand colour replaces: the colour or a light tint",
        default={})


@dataclass(frozen=True)
class Layout:
    """A loaded layout: its merged spec and the folders it was built from."""

    name: str
    spec: LayoutSpec
    dirs: tuple[Path, ...]  # this layout first, then its parents
    names: tuple[str, ...]

    def colour(self, value: str) -> str:
        """A style colour as #rrggbb (palette names resolved)."""
        return self.spec.colours.get(value, value)

    def font_file(self, filename: str) -> Path:
        for folder in (*self.dirs, FONTS_DIR):
            candidate = folder / filename
            if candidate.is_file():
                return candidate
        raise LayoutError(f"layout '{self.name}': font file '{filename}' not found",
                          hint=f"put it in {self.dirs[0]} or use one of the built-in fonts: "
                               + ", ".join(sorted(p.name for p in FONTS_DIR.glob("*.ttf"))))

    def image_file(self, src: str) -> Path:
        """An <image src>: an absolute path (a clinic logo) as is; else a file in the
        layout's folders (this layout's first, then its parents')."""
        path = Path(src)
        if path.is_absolute():
            if path.is_file():
                return path
            raise LayoutError(f"image '{src}' not found")
        if ".." in path.parts:
            raise LayoutError(f"image '{src}': '..' is not allowed in an image path")
        for folder in self.dirs:
            if (folder / path).is_file():
                return folder / path
        raise LayoutError(f"layout '{self.name}': image '{src}' not found",
                          hint="put it in " + " or ".join(str(d) for d in self.dirs))

    def page_budget(self, paper: str) -> int | None:
        return self.spec.pages.get(paper)


def load_layout(ws: Workspace, name: str) -> Layout:
    """Load a layout by name, following ``extends`` (workspace layouts override built-ins)."""
    chain: list[tuple[str, Path, yaml.Node]] = []
    current: str | None = name
    while current is not None:
        if current in [c[0] for c in chain]:
            raise LayoutError(f"layout '{name}': 'extends' loops back to '{current}'")
        try:
            folder = ws.layout_dir(current)
        except UsageError as exc:  # a parent named by 'extends': the child's file is at fault
            if not chain:
                raise
            child = chain[-1][1] / "layout.yaml"
            mark = _extends_mark(chain[-1][2])
            raise LayoutInvalid([Problem(ws.label(child), mark.line + 1, mark.column + 1,
                                         f"extends: {exc.message}"
                                         + (f" ({exc.hint})" if exc.hint else ""))],
                                what=f"layout '{name}'") from None
        path = folder / "layout.yaml"
        node, problems = compose_file(path, ws.label(path))
        if node is None:
            problems = problems or [Problem(ws.label(path), 1, 1, "the file is empty")]
            raise LayoutInvalid(problems, what=f"layout '{current}'")
        if not isinstance(node, yaml.MappingNode):
            raise LayoutInvalid([Problem(ws.label(path), 1, 1, "layout.yaml must be a mapping")],
                                what=f"layout '{current}'")
        chain.append((current, folder, node))
        current = _extends(node)
    merged = chain[-1][2]
    for _, _, node in reversed(chain[:-1]):
        merged = merge_nodes(merged, node)
    reader = Reader()
    spec = reader.read(merged, LayoutSpec)
    if spec is not INVALID:
        _cross_checks(spec, reader)
    if reader.problems:
        raise LayoutInvalid(reader.problems, what=f"layout '{name}'")
    return Layout(name, spec, tuple(c[1] for c in chain), tuple(c[0] for c in chain))


def _extends_mark(node: yaml.MappingNode) -> yaml.Mark:
    for key, _, value in mapping_items(node):
        if key == "extends":
            return value.start_mark
    return node.start_mark


def _extends(node: yaml.MappingNode) -> str | None:
    for key, _, value in mapping_items(node):
        if key == "extends" and isinstance(value, yaml.ScalarNode) and value.value:
            return value.value
    return None


def _cross_checks(spec: LayoutSpec, reader: Reader) -> None:
    for name, colour in spec.colours.items():
        if not _HEX.match(colour):
            reader.fail_at(("colours", name), f"colour '{name}' must be #rrggbb, got '{colour}'")
    if "body" not in spec.styles:
        reader.fail_at(("styles",), "styles must include 'body'")
    for name, style in spec.styles.items():
        where = ("styles", name)
        if style.parent is not None and style.parent not in spec.styles:
            reader.fail_at((*where, "parent"), f"style '{name}': parent '{style.parent}' "
                                               "is not a style")
        if style.font is not None and style.font not in spec.fonts:
            reader.fail_at((*where, "font"), f"style '{name}': font '{style.font}' is not "
                                             "in 'fonts'")
        for attr in ("colour", "background", "border"):
            value = getattr(style, attr)
            if value is not None and value not in spec.colours and not _HEX.match(value):
                reader.fail_at((*where, attr), f"style '{name}': {attr} '{value}' is neither "
                                               "#rrggbb nor a name in 'colours'")
    if spec.fold is not None:
        if spec.columns != 3:
            reader.fail_at(("fold",), "fold: needs 'columns: 3' (a tri-fold)")
        if not 0 < spec.fold.narrower <= 0.25 * 72:
            reader.fail_at(("fold", "narrower"), "fold: 'narrower' must be more than 0 and at "
                                                 "most 0.25in (1/16 to 1/8 in is usual)")
        for side in ("outside", "inside"):
            if len(getattr(spec.fold, side)) != 3:
                reader.fail_at(("fold", side), f"fold: '{side}' needs three panel names")
    for paper in spec.pages:
        if paper not in ("letter", "a4"):
            reader.fail_at(("pages", paper), f"page budget for unknown paper '{paper}' "
                                             "(use letter or a4)")
