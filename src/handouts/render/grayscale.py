"""Grayscale output for cheap office printers: every colour becomes a gray level.

ReportLab writes colours as RGB (``r g b rg``) even when they are gray. The
canvas and text objects here write DeviceGray instead (``level g`` / ``level G``),
so a grayscale PDF holds no colour operators at all; images are converted by
``figures``. Gray level = 0.299 R + 0.587 G + 0.114 B (the luma printers use).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject


def gray_level(colour: Any) -> float:
    """A colour (ReportLab Color, CMYK, (r, g, b), name or #rrggbb) as a gray level 0..1."""
    if isinstance(colour, str):
        colour = toColor(colour)
    if isinstance(colour, CMYKColor):
        colour = Color(*colour.rgb())
    if isinstance(colour, Color):
        r, g, b = colour.red, colour.green, colour.blue
    elif isinstance(colour, (tuple, list)) and len(colour) == 3:
        r, g, b = colour
    elif isinstance(colour, (tuple, list)) and len(colour) == 4:
        r, g, b = CMYKColor(*colour).rgb()
    else:
        raise ValueError(f"unknown colour {colour!r}")
    return round(0.299 * r + 0.587 * g + 0.114 * b, 4)


class _GrayColours:
    """Replaces ReportLab's colour setters with DeviceGray ones."""

    _code: list[str]

    def setFillColor(self, aColor: Any, alpha: float | None = None) -> None:
        level = gray_level(aColor)
        self._fillColorObj = Color(level, level, level)
        self._code.append(f"{_num(level)} g")
        self._alpha(aColor, alpha, "setFillAlpha")

    def setStrokeColor(self, aColor: Any, alpha: float | None = None) -> None:
        level = gray_level(aColor)
        self._strokeColorObj = Color(level, level, level)
        self._code.append(f"{_num(level)} G")
        self._alpha(aColor, alpha, "setStrokeAlpha")

    def _alpha(self, colour: Any, alpha: float | None, setter: str) -> None:
        value = alpha if alpha is not None else getattr(colour, "alpha", None)
        if value is not None and hasattr(self, setter):
            getattr(self, setter)(value)


class GrayTextObject(_GrayColours, PDFTextObject):
    """Text objects (paragraph lines) that set gray instead of RGB."""


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


@lru_cache(maxsize=8)
def gray_canvas(base: type[Canvas]) -> type[Canvas]:
    """A subclass of the canvas class ``base`` that draws everything in gray."""

    class GrayCanvas(_GrayColours, base):  # type: ignore[valid-type,misc]
        def beginText(self, x: float = 0, y: float = 0,
                      direction: Any = None) -> PDFTextObject:
            return GrayTextObject(self, x, y, direction=direction)

    GrayCanvas.__name__ = f"Gray{base.__name__}"
    return GrayCanvas
