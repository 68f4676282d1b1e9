"""A clinic's brand colour applied to a layout's palette (the entries its ``brand:`` names)."""

from __future__ import annotations

from dataclasses import replace

from handouts.colours import tint
from handouts.layout.spec import Layout


def apply_brand(layout: Layout, colour: str) -> Layout:
    """The layout with the palette entries named in its ``brand:`` mapping replaced."""
    if not layout.spec.brand:
        return layout
    colours = dict(layout.spec.colours)
    for name, kind in layout.spec.brand.items():
        colours[name] = colour if kind == "colour" else tint(colour)
    return replace(layout, spec=replace(layout.spec, colours=colours))
