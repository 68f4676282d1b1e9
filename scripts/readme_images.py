"""Remake every picture the README shows (``docs/img/*.png``) from the current tree.

    .venv/bin/python scripts/readme_images.py                     # every picture
    .venv/bin/python scripts/readme_images.py layout-standard html-320   # only these
    .venv/bin/python scripts/readme_images.py --check             # list them, write nothing

Run it from a clone with the test extras installed (``pip install -e ".[test]"``: selenium,
pdfplumber). The PDF pictures are made by handouts itself (``build.make`` on this repository
as the workspace, drawn by ``handouts.preview``, pypdfium2); the HTML edition and
``handouts serve`` are screenshotted in Debian's headless chromium through chromium-driver,
found and driven as the browser tests do it (``tests/browser.py``, ``tests/serve_support.py``;
``.ci/run`` installs them). Pictures are deterministic for a given tree: the PDFs are
byte-identical for the same input, and the web app's clock is the handout's review date.
Remake them whenever content or a layout changes what the README shows; then look at them.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser tests' helpers: browser, serve_support

from handouts.output import write_atomic  # noqa: E402
from handouts.workspace import Workspace  # noqa: E402

if TYPE_CHECKING:
    from browser import Browser
    from serve_support import ThreadServer

IMG = REPO / "docs" / "img"
SLUG = "nk-cells"
FONT = REPO / "src" / "handouts" / "fonts" / "NotoSans-Regular.ttf"
BACKDROP = (214, 214, 214)  # around the pages, so white paper shows on a white README
INK = (26, 26, 26)
FOLD = (192, 32, 32)
PATIENT = "Ana López"


@dataclass
class Context:
    """The workspace, a scratch folder, and (made when first asked for) a browser and server."""

    ws: Workspace
    tmp: Path
    stack: ExitStack
    made: int = 0
    _browser: Browser | None = None
    _server: ThreadServer | None = None
    _today: datetime.date | None = None

    def pdf(self, **options: Any) -> Path:
        """Make nk-cells with ``options`` (as ``handouts make``) into the scratch folder."""
        from handouts.build import make

        self.made += 1
        return make(self.ws, SLUG, out=self.tmp / f"{self.made}.pdf", force=True, **options).path

    @property
    def today(self) -> datetime.date:
        """The default edition's review date: the clock for check's review-date findings."""
        if self._today is None:
            from handouts.build import load

            self._today = load(self.ws, SLUG).reviewed
        return self._today

    @property
    def browser(self) -> Browser:
        if self._browser is None:
            from browser import Browser, find_tools

            tools = find_tools()
            if isinstance(tools, str):
                raise SystemExit(f"readme_images: cannot take browser pictures: {tools}")
            self._browser = Browser(tools)
            self.stack.callback(self._browser.quit)
        return self._browser

    @property
    def server(self) -> ThreadServer:
        if self._server is None:
            from serve_support import ThreadServer

            today = self.today
            self._server = self.stack.enter_context(ThreadServer(REPO, today=lambda: today))
            # leave the app before it stops, so no event stream is cut off mid-response
            self.stack.callback(lambda: self.browser.driver.get("about:blank"))
        return self._server


# --- PDF pages ---------------------------------------------------------------------------

def pages(ctx: Context, numbers: Sequence[int] = (), dpi: int = 80, **options: Any
          ) -> list[Image.Image]:
    """Pages of a freshly made PDF as images, drawn by ``handouts preview``'s code."""
    from handouts.preview import render_pages

    drawn = render_pages(ctx.pdf(**options), numbers, dpi)
    return [Image.open(png).convert("RGB") for png in drawn]


def framed(page: Image.Image) -> Image.Image:
    """A page with a thin gray edge, as paper looks on screen."""
    out = page.copy()
    ImageDraw.Draw(out).rectangle((0, 0, out.width - 1, out.height - 1), outline=(150, 150, 150))
    return out


def side_by_side(images: Sequence[Image.Image], gap: int = 14, pad: int = 10,
                 vertical: bool = False) -> Image.Image:
    """Images in a row (or a column) on a gray backdrop, tops (or left edges) aligned."""
    along = [i.height if vertical else i.width for i in images]
    across = max(i.width if vertical else i.height for i in images) + 2 * pad
    length = sum(along) + gap * (len(images) - 1) + 2 * pad
    out = Image.new("RGB", (across, length) if vertical else (length, across), BACKDROP)
    at = pad
    for image, size in zip(images, along, strict=True):
        out.paste(image, (pad, at) if vertical else (at, pad))
        at += size + gap
    return out


def montage(ctx: Context, numbers: Sequence[int] = (), dpi: int = 80, per_row: int = 3,
            **options: Any) -> Image.Image:
    """Pages side by side, ``per_row`` to a row."""
    drawn = [framed(p) for p in pages(ctx, numbers, dpi, **options)]
    rows = [side_by_side(drawn[i:i + per_row], pad=0) for i in range(0, len(drawn), per_row)]
    return side_by_side(rows, vertical=True)


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def trifold_folds(ctx: Context) -> Image.Image:
    """Both sides of the Letter tri-fold with the folds dashed and each panel's width."""
    from handouts.build import resolve
    from handouts.render.document import fold_panels

    dpi = 60
    outside, inside = pages(ctx, (), dpi, layout="trifold", clinic="example-clinic")
    layout, _paper = resolve(ctx.ws, "trifold", "letter")
    width_pt = 11 * 72  # Letter, landscape
    fold = layout.spec.fold
    assert fold is not None
    sides = zip(("Outside (page 1)", "Inside (page 2)"), (outside, inside),
                fold_panels(layout, width_pt), (fold.outside, fold.inside), strict=True)
    drawn = []
    for title, page, panels, names in sides:
        scale = page.width / width_pt
        head, foot = 30, 26
        card = Image.new("RGB", (page.width, page.height + head + foot), BACKDROP)
        card.paste(framed(page), (0, head))
        draw = ImageDraw.Draw(card)
        draw.text((0, 4), title, fill=INK, font=font(16))
        for (x, w), name in zip(panels, names, strict=True):
            left = round(x * scale)
            if x > 0:  # a fold: dashed down the whole sheet
                for y in range(head, head + page.height, 12):
                    draw.line((left, y, left, min(y + 6, head + page.height)), fill=FOLD, width=2)
            label = f"{name}: {w / 72:.3f} in"
            size = draw.textlength(label, font=font(14))
            draw.text((left + (w * scale - size) / 2, head + page.height + 4), label, fill=INK,
                      font=font(14))
        drawn.append(card)
    return side_by_side(drawn, gap=24)


def icon_array(ctx: Context) -> Image.Image:
    """The chances section of standard page 1 at print size: heading, icon array, text (to
    the next heading)."""
    import pdfplumber

    dpi = 110
    pdf = ctx.pdf()
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["size"])
    top = next(w for i, w in enumerate(words) if w["text"] == "What"
               and words[i + 2]["text"] == "your" and words[i + 3]["text"] == "chances")
    after = [w for w in words if w["top"] > top["bottom"]  # the next heading, else the footer
             and (w["size"] == top["size"] or w["text"].startswith("Version"))]
    (page,) = pages(ctx, (1,), dpi)
    scale = dpi / 72
    box = (round(50 * scale), round((top["top"] - 8) * scale), round(562 * scale),
           round((max(w["bottom"] for w in words if top["top"] <= w["top"] < after[0]["top"])
                  + 8) * scale))
    return side_by_side([framed(page.crop(box))])


# --- the browser -------------------------------------------------------------------------

def full_page(browser: Browser) -> Image.Image:
    """The whole open page as an image."""
    with tempfile.TemporaryDirectory() as scratch:
        shot = browser.screenshot(Path(scratch) / "page.png")
        return Image.open(shot).convert("RGB")


def top_of(browser: Browser, css: str, heading: bool = False) -> int:
    """Where the first element matching ``css`` starts, in page pixels (``heading``: where
    the last h2 before it starts)."""
    return int(browser.js(
        f"let e = document.querySelector({css!r});"
        + (" e = Array.from(document.querySelectorAll('h2')).filter(h =>"
           " h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING).pop();"
           if heading else "")
        + " return e.getBoundingClientRect().top + window.scrollY"))


def trimmed(image: Image.Image, below: int = 24) -> Image.Image:
    """``image`` without the empty (white) rows under its content, keeping ``below`` px."""
    from PIL import ImageChops

    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    return image.crop((0, 0, image.width, min(image.height, (box[3] if box else 0) + below)))


def reduced(image: Image.Image, width: int = 960) -> Image.Image:
    """A 1280 px wide desktop screenshot at the README's width."""
    return image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)


def html_320(ctx: Context) -> Image.Image:
    """Three phone screens (320 x 600) of the HTML edition: the top, the drawing, the icons."""
    from handouts.build import make

    page = make(ctx.ws, SLUG, format="html", out=ctx.tmp / "nk-cells.html").path
    browser = ctx.browser
    browser.open(page, 320)
    starts = [0, *(top_of(browser, css, heading=True) - 16
                   for css in ("figure.figure", "figure.icons"))]
    shot = full_page(browser)
    return side_by_side([framed(shot.crop((0, y, 320, y + 600))) for y in starts], gap=20)


def wait_for_pages(browser: Browser, css: str = "#pages img") -> None:
    from serve_support import wait_for

    wait_for(lambda: browser.js(
        f"const i = Array.from(document.querySelectorAll({css!r}));"
        " return i.length > 0 && i.every(e => e.complete && e.naturalWidth > 0)"),
        what="the page images")


def serve_library(ctx: Context) -> Image.Image:
    ctx.browser.open(ctx.server.url + "/", 1280)
    return reduced(trimmed(full_page(ctx.browser)))


def serve_handout(ctx: Context) -> Image.Image:
    browser = ctx.browser
    browser.open(f"{ctx.server.url}/h/{SLUG}?lang=en-GB", 1280)
    wait_for_pages(browser)
    return reduced(full_page(browser).crop((0, 0, 1280, 1400)))


def serve_copy(ctx: Context) -> Image.Image:
    """The copy's preview at the top of the page, and under it the form that made it."""
    from selenium.webdriver.common.by import By

    browser = ctx.browser
    driver = browser.driver
    browser.open(f"{ctx.server.url}/h/{SLUG}?lang=en-GB", 1280)
    wait_for_pages(browser)
    for name, value in (("name", PATIENT), ("clinician", "Dr. Mehta"),
                        ("note", "Bring this to your next visit")):
        box = driver.find_element(By.CSS_SELECTOR, f"#copy-{name}")
        box.clear()
        box.send_keys(value)
    driver.execute_script(f"document.getElementById('copy-date').value = '{ctx.today}'")
    driver.find_element(By.CSS_SELECTOR, 'button[value="preview"]').click()
    wait_for_pages(browser, 'img[src^="data:image/png"]')
    shot = full_page(browser)
    preview = top_of(browser, "#pages-heading") - 16
    form = top_of(browser, "#copy-heading") - 16
    email = top_of(browser, "#copy-heading ~ form fieldset:nth-of-type(3)")
    return reduced(side_by_side([shot.crop((0, preview, 1280, preview + 1180)),
                                 shot.crop((0, form, 1280, email))], pad=0, vertical=True))


# --- the pictures ------------------------------------------------------------------------

@dataclass(frozen=True)
class Picture:
    name: str
    shows: str
    draw: Callable[[Context], Image.Image]


PICTURES = [
    Picture("nk-cells-page1", "standard, Letter, en-GB: page 1",
            lambda c: framed(pages(c, (1,), 100)[0])),
    Picture("layout-standard", "standard, Letter, en-GB: pages 1 and 2", montage),
    Picture("layout-standard-clinic", "standard, Letter, en-GB, example clinic: pages 1 and 2",
            lambda c: montage(c, clinic="example-clinic")),
    Picture("layout-standard-es-US", "standard, Letter, es-US: page 1",
            lambda c: framed(pages(c, (1,), 100, language="es-US")[0])),
    Picture("blocks-icon-array", "standard, Letter, en-GB, page 1: the chances section",
            icon_array),
    Picture("layout-large-print", "large print, Letter, en-GB: every page",
            lambda c: montage(c, (), 60, layout="large-print")),
    Picture("layout-trifold-outside", "tri-fold, Letter, example clinic: page 1 (outside)",
            lambda c: framed(pages(c, (1,), layout="trifold", clinic="example-clinic")[0])),
    Picture("layout-trifold-inside", "tri-fold, Letter, example clinic: page 2 (inside)",
            lambda c: framed(pages(c, (2,), layout="trifold", clinic="example-clinic")[0])),
    Picture("layout-trifold-grayscale", "tri-fold, Letter, example clinic, gray: outside",
            lambda c: framed(pages(c, (1,), layout="trifold", clinic="example-clinic",
                                   grayscale=True)[0])),
    Picture("layout-trifold-folds", "tri-fold, Letter: both sides, folds and panel widths",
            trifold_folds),
    Picture("html-320", "HTML edition, en-GB, 320 px wide: top, drawing, icon array",
            html_320),
    Picture("serve-library", "handouts serve: the library (this repository)", serve_library),
    Picture("serve-handout", "handouts serve: nk-cells en-GB, pages and check's report",
            serve_handout),
    Picture("serve-copy", "handouts serve: a patient's copy previewed", serve_copy),
]


def png(image: Image.Image) -> bytes:
    """A small PNG: 256 colours are plenty for type on paper, and cut the size by half."""
    buf = io.BytesIO()
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buf, "PNG", optimize=True)
    return buf.getvalue()


@contextmanager
def context() -> Iterator[Context]:
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="readme-images-") as tmp:
        yield Context(Workspace.discover(root=REPO), Path(tmp), stack)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these pictures")
    parser.add_argument("--check", action="store_true",
                        help="list the pictures it would write, write nothing")
    args = parser.parse_args(argv)
    known = {p.name: p for p in PICTURES}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"no picture named {', '.join(unknown)} (known: {', '.join(known)})")
    chosen = [known[n] for n in args.names] or PICTURES
    if args.check:
        for picture in chosen:
            print(f"{IMG.relative_to(REPO) / picture.name}.png: {picture.shows}")
        return 0
    with context() as ctx:
        for picture in chosen:
            data = png(picture.draw(ctx))
            target = IMG / f"{picture.name}.png"
            write_atomic(target, data)
            image = Image.open(io.BytesIO(data))
            print(f"{target.relative_to(REPO)}: {image.width} x {image.height}, "
                  f"{len(data) / 1024:.0f} KB ({picture.shows})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
