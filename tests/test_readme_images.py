"""The README's pictures are all made by scripts/readme_images.py, so none is left stale by
hand: every picture the README shows is one the script writes, and docs/img holds no other.
(What they look like is judged by eye after remaking them; pixels are never compared.)"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_script_makes_every_picture_the_readme_shows() -> None:
    spec = importlib.util.spec_from_file_location("readme_images",
                                                  REPO / "scripts" / "readme_images.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # dataclasses look their module up while it loads
    spec.loader.exec_module(script)
    made = {picture.name for picture in script.PICTURES}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/img/([\w.-]+)\.png\)", readme))
    assert shown == made, f"shown, not made: {shown - made}; made, not shown: {made - shown}"
    assert {png.stem for png in (REPO / "docs" / "img").glob("*.png")} == made
