"""Inline SVG for the HTML edition: icon arrays drawn as SVG, and SVG figure files made safe to
put inside a page (no script, no event handlers, nothing fetched from elsewhere).

No ReportLab or svglib here: the HTML edition reads the SVG file as XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markupsafe import Markup

from handouts.errors import LayoutError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)  # url(...) other than url(#id)
_SIZE = re.compile(r"^\s*([\d.]+)\s*(px|pt|mm|cm|in)?\s*$")
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}

# One person icon (a head over rounded shoulders) in a 62 x 100 box, as the PDF draws it.
_PERSON = ('<circle cx="31" cy="21.5" r="17"/>'
           '<path d="M5.5 97.75 V65.75 A24 24 0 0 1 29.5 41.75 H32.5 A24 24 0 0 1 56.5 65.75 '
           'V97.75 Z"/>')


def icon_array(of: int, filled: int, label_id: str, per_row: int = 10) -> Markup:
    """``filled`` of ``of`` person icons, filled or outlined (tells apart in gray too), in rows
    of ``per_row``; named by the element ``label_id`` (the visible label)."""
    step, gap = 62 + 24, 24
    across, rows = min(of, per_row), -(-of // per_row)
    width, height = across * step - gap, rows * (100 + gap) - gap
    icons = []
    for i in range(of):
        row, col = divmod(i, per_row)
        kind = "filled" if i < filled else "empty"
        icons.append(f'<g class="{kind}" transform="translate({col * step} {row * (100 + gap)})">'
                     f"{_PERSON}</g>")
    return Markup('<svg class="icon-array" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
                  'xmlns="http://www.w3.org/2000/svg">{}</svg>').format(
                      label_id, width, height, Markup("".join(icons)))


def inline_svg(path: Path, alt: str, decorative: bool = False) -> Markup:
    """An SVG file as an inline <svg>: scripts, event handlers, outside references and
    foreign content removed; scaled by the page (its viewBox kept); ``alt`` as its name."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise LayoutError(f"figure '{path.name}' is not a readable SVG file ({exc})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise LayoutError(f"figure '{path.name}' is not an SVG file (its root is not <svg>)")
    _clean(root)
    if "viewBox" not in root.attrib:
        width, height = _length(root.get("width")), _length(root.get("height"))
        if not (width and height):
            raise LayoutError(f"figure '{path.name}' has no size; give the <svg> a width and "
                              "height or a viewBox")
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    for attr in ("width", "height", "x", "y"):
        root.attrib.pop(attr, None)
    for old in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old)
    if decorative:
        root.set("aria-hidden", "true")
    else:
        root.set("role", "img")
        root.set("aria-label", alt)
    root.set("class", "figure-drawing")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return Markup(ET.tostring(root, encoding="unicode"))


def _clean(el: ET.Element) -> None:
    for child in list(el):
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local in _DROPPED or not child.tag.startswith(f"{{{SVG_NS}}}"):
            el.remove(child)
            continue
        _clean(child)
    for name, value in list(el.attrib.items()):
        local = name.rsplit("}", 1)[-1]
        handler = local.lower().startswith("on")
        outside = (local == "href" and not value.startswith("#")) or _URL.search(value)
        if handler or outside:
            del el.attrib[name]
    text = el.text or ""
    if el.tag == f"{{{SVG_NS}}}style" and (_URL.search(text) or "@import" in text):
        el.text = ""


def _length(value: str | None) -> float:
    match = _SIZE.match(value or "")
    return float(match.group(1)) * _UNITS[match.group(2) or ""] if match else 0.0
