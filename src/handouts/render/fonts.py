"""Fonts: the layout's TrueType families registered with ReportLab, and the glyph check."""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handouts.content.personal import LABELS, Personal
from handouts.errors import ContentError, LayoutError, UsageError
from handouts.layout.spec import Layout

_FONT_NAMES: set[str] = set()


@lru_cache(maxsize=64)
def _font(path: str) -> str:
    """Register a TTF file once per process; return its ReportLab font name."""
    name = "HO-" + os.path.splitext(os.path.basename(path))[0]
    if name in _FONT_NAMES:  # another file with the same name: keep both apart
        name = f"{name}-{len(_FONT_NAMES)}"
    _FONT_NAMES.add(name)
    try:
        font = TTFont(name, path)
    except Exception as exc:  # ReportLab's TTFError, struct.error, OSError...
        raise LayoutError(f"font file '{path}' cannot be used: {exc}",
                          hint="fonts must be TrueType (.ttf) files") from None
    _remember_subsets(font.face)
    pdfmetrics.registerFont(font)
    return name


def _remember_subsets(face: Any) -> None:
    """Keep the last few subsets a face made: the embedded font file is a function of the
    face's data (read once, with the face) and the characters alone, and the same handout
    asks for the same ones every build (subsetting took ~0.5 ms a build)."""
    make = face.makeSubset

    @lru_cache(maxsize=16)
    def subset(codes: tuple[int, ...]) -> bytes:
        return make(list(codes))

    face.makeSubset = lambda codes: subset(tuple(codes))


class Fonts:
    """The layout's font families, registered with ReportLab."""

    def __init__(self, layout: Layout, italic: bool = True) -> None:
        """Register each family; italic faces only when ``italic`` (parsing a TTF costs ~10 ms)."""
        self.families: dict[str, dict[tuple[bool, bool], str]] = {}
        for family, spec in layout.spec.fonts.items():
            regular = _font(str(layout.font_file(spec.regular)))
            bold = _font(str(layout.font_file(spec.bold)))
            names = {
                (False, False): regular,
                (True, False): bold,
                (False, True): _font(str(layout.font_file(spec.italic))) if italic else regular,
                (True, True): _font(str(layout.font_file(spec.bold_italic))) if italic else bold,
            }
            pdfmetrics.registerFontFamily(names[False, False], normal=names[False, False],
                                          bold=names[True, False], italic=names[False, True],
                                          boldItalic=names[True, True])
            self.families[family] = names

    def name(self, family: str, bold: bool, italic: bool) -> str:
        return self.families[family][bold, italic]

    def missing_glyph(self, texts: list[str]) -> tuple[str, str, str] | None:
        """The first character some registered font cannot draw: (char, font, text)."""
        used = set().union(*texts)
        for name in dict.fromkeys(n for names in self.families.values() for n in names.values()):
            cmap = pdfmetrics.getFont(name).face.charToGlyph
            for ch in sorted(c for c in used if ord(c) not in cmap):
                if ch not in "\n\t" and unicodedata.category(ch) not in ("Zs", "Cf"):
                    text = next(t for t in texts if ch in t)
                    return ch, name.removeprefix("HO-"), text
        return None


def check_glyphs(fonts: Fonts, texts: list[str]) -> None:
    """Refuse to draw a tofu box: name the character and where it is."""
    found = fonts.missing_glyph(texts)
    if found:
        ch, font, text = found
        name = unicodedata.name(ch, "unnamed character")
        at = text.find(ch)
        snippet = text[max(0, at - 25): at + 25]
        error = ContentError(
            f"the character '{ch}' (U+{ord(ch):04X} {name}) in \"…{snippet}…\" cannot be "
            f"drawn by the layout's font {font}",
            hint="replace it with a plain character, or use a layout whose fonts cover it")
        error.character = ch
        raise error


def check_drawable(personal: Personal, layout: Layout) -> None:
    """Refuse a character the layout's fonts cannot draw, naming the field but not its value."""
    fonts = Fonts(layout)
    for key in ("name", "clinician", "note"):
        value = getattr(personal, key)
        missing = fonts.missing_glyph([value]) if value else None
        if missing:
            ch, font, _ = missing
            raise UsageError(
                f"{LABELS[key]} contains '{ch}' (U+{ord(ch):04X} "
                f"{unicodedata.name(ch, 'unnamed character')}), which the layout's font "
                f"{font} cannot draw",
                hint="type it with characters the font covers, or use a layout whose fonts "
                     "cover it")
