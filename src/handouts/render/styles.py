"""Paper sizes, lengths and ReportLab paragraph styles built from a layout's style sheet."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle

from handouts.errors import LayoutError
from handouts.layout.spec import Layout, Style
from handouts.render.fonts import Fonts

PAPERS = {"letter": LETTER, "a4": A4}
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


def page_size(layout: Layout, paper: str) -> tuple[float, float]:
    size = PAPERS[paper]
    return landscape(size) if layout.spec.orientation == "landscape" else size


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
            ink = self.colour(s.get("colour"))
            body = self.colour(self.spec("body").get("colour"))
            if self.grayscale and s.get("bold") and body.red < ink.red < 0.5:
                ink = body  # in gray, a heading or label is never lighter than the body text
            style = ParagraphStyle(
                name,
                fontName=self.fonts.name(s.get("font", next(iter(self.fonts.families))),
                                         bool(s.get("bold")), bool(s.get("italic"))),
                fontSize=size,
                leading=float(s.get("leading", size * 1.35)),
                textColor=ink,
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


_STYLES: dict[tuple[Any, ...], Styles] = {}


def styles_for(layout: Layout, italic: bool, grayscale: bool) -> Styles:
    """Fonts and styles for a layout, built once per process (batch runs reuse them)."""
    key = (layout.name, layout.dirs, italic, grayscale)
    styles = _STYLES.get(key)
    if styles is None or styles.layout != layout:
        styles = _STYLES[key] = Styles(layout, Fonts(layout, italic), grayscale)
    return styles
