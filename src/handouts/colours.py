"""Colour arithmetic shared by clinic profiles, layouts and checks: WCAG contrast,
gray equivalents, shades and tints of a brand colour (hex strings like "#1a5f7a")."""

from __future__ import annotations

import re

MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def gray_of(colour: str) -> str:
    """The gray a colour prints as in grayscale mode (the same luma as ``grayscale``)."""
    r, g, b = _rgb(colour)
    level = 0.299 * r + 0.587 * g + 0.114 * b
    return _hex((level, level, level))


def colour_problem(colour: str, background: str = "#ffffff") -> str | None:
    """Why a brand colour is not fit for text on ``background`` (None when it is)."""
    if not _HEX.match(colour):
        return f"colour must be #rrggbb, e.g. #00695c; got '{colour}'"
    ratio = min(contrast(colour, background), contrast(gray_of(colour), background))
    if ratio >= MIN_CONTRAST:
        return None
    return (f"brand colour {colour} has only {ratio:.1f}:1 contrast on white; text needs at "
            f"least {MIN_CONTRAST}:1 (try {darker(colour)}, the same hue darker)")


def darker(colour: str) -> str:
    """The lightest shade of ``colour`` (scaled toward black) that passes the contrast check."""
    r, g, b = _rgb(colour)
    for step in range(101):
        k = 1 - step / 100
        shade = _hex((r * k, g * k, b * k))
        if min(contrast(shade, "#ffffff"), contrast(gray_of(shade), "#ffffff")) >= MIN_CONTRAST:
            return shade
    return "#000000"


def tint(colour: str, strength: float = 0.12) -> str:
    """A light background tint of ``colour`` on which the colour itself stays readable."""
    r, g, b = _rgb(colour)
    while strength > 0:
        shade = _hex(tuple(1 - strength * (1 - c) for c in (r, g, b)))  # type: ignore[arg-type]
        if contrast(colour, shade) >= MIN_CONTRAST and \
                contrast(gray_of(colour), gray_of(shade)) >= MIN_CONTRAST:
            return shade
        strength -= 0.02
    return "#ffffff"
