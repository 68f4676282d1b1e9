"""Raster images (PNG, JPEG) read with Pillow: checked once, converted for colour or gray.

Below every stage, so a clinic profile can check its logo while loading and the renderer
can draw it, without content importing the renderer.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from handouts.errors import LayoutError

IMAGE_FORMATS = ("PNG", "JPEG")
MAX_PIXELS = 25_000_000  # a logo, not a poster: refuse decompression bombs early


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot be used as an image (None when it can)."""
    try:
        load_image(str(path), os.stat(path).st_mtime_ns, False)
    except LayoutError as exc:
        return exc.message
    except OSError as exc:
        return f"cannot read '{path.name}': {exc.strerror or exc}"
    return None


@lru_cache(maxsize=32)
def load_image(path: str, mtime_ns: int, grayscale: bool) -> Any:
    """Read a PNG or JPEG once per process (per version of the file and colour mode)."""
    from PIL import Image, UnidentifiedImageError

    name = os.path.basename(path)
    try:
        with Image.open(path) as im:
            if im.format not in IMAGE_FORMATS:
                raise LayoutError(f"image '{name}' is {im.format or 'not an image'}; "
                                  "use a PNG or JPEG file")
            if im.width * im.height > MAX_PIXELS:
                raise LayoutError(f"image '{name}' is {im.width}x{im.height} pixels; "
                                  "use a smaller file (a logo needs about 600 pixels across)")
            im.load()
            return _convert(im, grayscale)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise LayoutError(f"'{name}' is not a readable PNG or JPEG image") from None
    except OSError as exc:  # truncated or corrupt data
        raise LayoutError(f"image '{name}' is damaged and cannot be read ({exc})") from None


def _convert(im: Any, grayscale: bool) -> Any:
    has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    if grayscale:
        return im.convert("LA") if has_alpha else im.convert("L")
    if im.mode in ("RGB", "L", "RGBA", "LA"):
        return im
    return im.convert("RGBA" if has_alpha else "RGB")
