"""The HTML edition (`make --format html`) and the site index (`make --all --format html`).

Without a browser: the page is one self-contained file (no script, nothing fetched), with one
h1, `lang` set, real lists and links, every text escaped exactly as in the PDF, and no
ReportLab on its path. With a real headless chromium (tests/browser.py): axe-core's WCAG 2.0
and 2.1 A/AA rules find nothing at 1280 and 320 px, nothing scrolls sideways at 320 px, and
negative controls show that axe and the overflow measure do catch what they look for.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Browser, browser_or_skip, describe
from conftest import REPO, DemoWorkspace, Run, flat, pdf_text

pytestmark = pytest.mark.usefixtures("clean_env")

NAME = "Ana <b>& Co"  # prints exactly as typed: never markup


@dataclass
class Page(HTMLParser):
    """What an HTML page holds, by the standard library's parser."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @classmethod
    def of(cls, path: Path) -> Page:
        page = cls()
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        return page

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def body_text(self) -> str:
        return flat(" ".join(self.text))


@dataclass(frozen=True)
class Built:
    site: Path          # make --all --format html --out-dir site
    personal: Path      # a personal copy, HTML
    clinic: Path        # with the example clinic (logo, brand colour)
    large: Path         # from the large-print layout, with the clinic box and its QR code


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The built-in handouts as a site, and nk-cells' HTML variants, made once."""
    from handouts.build import make, make_site
    from handouts.content.personal import personal_fields
    from handouts.workspace.finder import Workspace

    out = tmp_path_factory.mktemp("html")
    ws = Workspace.discover(root=REPO)
    make_site(ws, out_dir=out / "site")
    personal = personal_fields(NAME, "Dr. Mehta", "Come back in <2> weeks & rest.",
                               "2026-12-01")
    return Built(
        site=out / "site",
        personal=make(ws, "nk-cells", out_dir=out, personal=personal, format="html").path,
        clinic=make(ws, "nk-cells", out=out / "clinic.html", clinic="example-clinic",
                    format="html").path,
        large=make(ws, "nk-cells", layout="large-print", clinic="example-clinic", out_dir=out,
                   format="html").path,
    )


def editions(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name != "index.html")


def variants(built: Built) -> list[Path]:
    return [*editions(built.site), built.personal, built.clinic, built.large]


# --- the page itself, without a browser -------------------------------------------------


def test_make_format_html_writes_one_html_file_and_says_so(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("--root", REPO, "make", "nk-cells", "--format", "html", "--out-dir", tmp_path)
    assert run.code == 0, run.err
    assert [p.name for p in tmp_path.iterdir()] == ["nk-cells.html"]
    assert "nk-cells.html: HTML," in run.out


def test_make_html_again_replaces_its_own_page_but_no_other_file(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    page, other = tmp_path / "nk.html", tmp_path / "mine.html"
    other.write_text("<!DOCTYPE html><p>someone's page</p>", encoding="utf-8")
    for _ in range(2):
        run = cli("--root", REPO, "make", "nk-cells", "--format", "html", "-o", page)
        assert run.code == 0, run.err
    run = cli("--root", REPO, "make", "nk-cells", "--format", "html", "-o", other)
    assert run.code == 4 and "left alone" in run.err
    assert other.read_text(encoding="utf-8") == "<!DOCTYPE html><p>someone's page</p>"


def test_every_page_is_self_contained_without_script_or_fetches(built: Built) -> None:
    for path in [*variants(built), built.site / "index.html"]:
        page = Page.of(path)
        source = path.read_text(encoding="utf-8")
        assert not page.all("script") and "javascript:" not in source.lower(), path.name
        assert not page.all("link") and not page.all("iframe"), path.name
        assert "@import" not in source and "url(" not in source, path.name
        for attrs in page.all("img"):
            assert (attrs["src"] or "").startswith("data:image/"), path.name


def test_one_h1_lang_set_and_title_is_the_handouts(built: Built) -> None:
    from handouts.build import load
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(root=REPO)
    for path in variants(built):
        page = Page.of(path)
        assert len(page.all("h1")) == 1, path.name
        (html,) = page.all("html")
        assert html["lang"], path.name
    for path in editions(built.site):
        slug = re.sub(r"-[a-z]{2}-[A-Z]{2}$", "", path.stem.split("-personal")[0])  # -en-US
        handout = load(ws, slug, Page.of(path).all("html")[0]["lang"])
        assert Page.of(path).all("html")[0]["lang"] == handout.language
        assert f"<title>{handout.title}</title>".replace("'", "&#39;") in path.read_text()


def test_headings_never_skip_a_level(built: Built) -> None:
    for path in variants(built):
        levels = [int(tag[1]) for tag, _ in Page.of(path).tags if tag in ("h1", "h2", "h3")]
        assert levels[0] == 1, path.name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path.name}: h{before} then h{after}"


def test_lists_checklist_glossary_and_links_are_real_elements(built: Built) -> None:
    page = Page.of(built.site / "nk-cells.html")
    classes = [a.get("class") for a in page.all("ul")]
    assert "checklist" in classes and "keypoint" in classes
    assert page.all("ol"), "steps and sources are numbered lists"
    # words to know: a table with column and row header cells (a header row in the layout)
    assert [a["scope"] for a in page.all("th")][:2] == ["col", "col"]
    assert len([a for a in page.all("th") if a.get("scope") == "row"]) == len(
        page.all("td")) >= 1
    sources = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("https")]
    assert sources, "the online copy links each source's title"
    clinic = Page.of(built.clinic)
    logo, *figures = clinic.all("img")  # the clinic's logo, then the content's figures
    assert logo["alt"] == "Example Clinic logo"
    assert all(f["alt"] for f in figures)
    large = Page.of(built.large)
    assert any((a.get("href") or "").startswith("https://example.org/handouts/")
               for a in large.all("a")), "the QR code's address is a link"


def test_every_text_of_the_block_tree_is_in_the_page_exactly(demo_ws: DemoWorkspace) -> None:
    """Markup characters, Markdown and non-Latin letters read exactly as in the PDF."""
    from handouts.build import build_html, build_pdf, context, load, resolve
    from handouts.layout.blocks import plain_texts
    from handouts.layout.merge import Merger
    from handouts.workspace.finder import Workspace

    special = DemoWorkspace(demo_ws.root.parent / "special", fixture="special.yaml")
    ws = Workspace.discover(root=special.root)
    handout = load(ws, "demo")
    layout, paper = resolve(ws, None, None)
    html = special.root / "demo.html"
    html.write_text(build_html(handout, layout), encoding="utf-8")
    text = Page.of(html).body_text
    pdf = pdf_text(build_pdf(handout, layout, paper).data)
    blocks = Merger.for_layout(layout).blocks(context(handout, layout, paper, None,
                                                      medium="html"))
    for piece in plain_texts(blocks):
        assert flat(piece) in text
    for exact in ("Café & <Friends>: López's naïve guide", "What is <this> & why?",
                  "2 ** 3 equals 8, and a < b > c.", "&amp; &lt;b&gt; prints as typed",
                  "Item <one>", "R&D <lab>"):
        assert exact in text and exact in pdf, exact
    page = Page.of(html)
    assert "javascript" not in " ".join(a.get("href") or "" for a in page.all("a"))
    assert any(a.get("href") == "https://www.nhs.uk/conditions/back-pain/"
               for a in page.all("a"))


def test_a_personal_copy_prints_every_field_exactly_as_typed(built: Built) -> None:
    text = Page.of(built.personal).body_text
    for typed in (NAME, "Dr. Mehta", "Come back in <2> weeks & rest.", "1 December 2026"):
        assert typed in text
    source = built.personal.read_text(encoding="utf-8")
    assert "Ana &lt;b&gt;&amp; Co" in source and "<b>&" not in source
    assert Page.of(built.personal).all("meta")[-1] == {"name": "robots",
                                                       "content": "noindex, nofollow"}
    assert re.fullmatch(r"nk-cells-personal-[0-9a-f]{6}\.html", built.personal.name)


def test_the_html_path_imports_no_reportlab() -> None:
    """Even with a clinic (whose logo Pillow checks when the profile loads)."""
    code = ("import sys\n"
            "from handouts.build import build_html, load, resolve\n"
            "from handouts.content.clinic import resolve_clinic\n"
            "from handouts.workspace.finder import Workspace\n"
            f"ws = Workspace.discover(root={str(REPO)!r})\n"
            "layout, _ = resolve(ws, 'large-print', None)\n"
            "build_html(load(ws, 'nk-cells'), layout, resolve_clinic(ws, 'example-clinic'))\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab'}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_the_trifold_has_no_html_edition(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("--root", REPO, "make", "nk-cells", "--layout", "trifold", "--format", "html",
              "--out-dir", tmp_path)
    assert run.code == 2 and "no HTML edition" in run.err
    assert not list(tmp_path.iterdir())


# --- the site index ------------------------------------------------------------------------


def test_site_index_links_every_edition_to_its_html_and_pdf(built: Built) -> None:
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(root=REPO)
    index = Page.of(built.site / "index.html")
    links = [a["href"] for a in index.all("a")]
    wanted = sum(len(ws.editions(slug)) for slug in ws.handouts())
    assert len(editions(built.site)) == wanted
    assert len(list(built.site.glob("*.pdf"))) == wanted
    for href in links:
        assert (built.site / href).is_file(), href
    assert sorted(h for h in links if h.endswith(".html")) == [p.name for p in
                                                              editions(built.site)]
    assert len([h for h in links if h.endswith(".pdf")]) == wanted
    assert len(index.all("h1")) == 1 and index.all("html")[0]["lang"]
    reads = [a for a in index.all("a") if a.get("class") == "read"]
    assert len(reads) == wanted and all(a["lang"] == a["hreflang"] for a in reads)


def test_the_index_names_each_edition_in_its_own_language() -> None:
    from handouts.render.html import IndexEntry, language_name, render_index

    assert language_name("en-GB") == "English (United Kingdom)"
    assert language_name("es-US") == "Español (Estados Unidos)"
    assert language_name("xx-QQ") == "xx-QQ"
    entries = [IndexEntry("a", tag, f"Title <{tag}>", "", f"a-{tag}.html", f"a-{tag}.pdf", 2,
                          2048) for tag in ("en-GB", "es-US")]
    page = render_index(entries, "en", "handouts test")
    assert '<a class="read" href="a-es-US.html" hreflang="es-US" lang="es-US">Español' in page
    assert "Title &lt;es-US&gt;" in page and "(2 pages, 2 KB)" in page


def test_make_all_format_html_writes_the_site_and_refuses_personal_copies(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("--root", REPO, "make", "--all", "--format", "html", "--out-dir", tmp_path)
    assert run.code == 0, run.err
    assert "index.html: index of" in run.out
    assert (tmp_path / "index.html").is_file() and (tmp_path / "nk-cells.pdf").is_file()
    run = cli("--root", REPO, "make", "--all", "--format", "html", "--for", NAME,
              "--out-dir", tmp_path / "p")
    assert run.code == 2 and "personal copies" in run.err and NAME not in run.err


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    b = browser_or_skip()
    yield b
    b.quit()


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_wcag_a_or_aa_violation(browser: Browser, built: Built,
                                             width: int) -> None:
    for path in [*variants(built), built.site / "index.html"]:
        browser.open(path, width)
        violations = browser.axe()
        assert not violations, f"{path.name} at {width} px:\n{describe(violations)}"


def test_nothing_scrolls_sideways_at_320_px(browser: Browser, built: Built) -> None:
    for path in [*variants(built), built.site / "index.html"]:
        browser.open(path, 320)
        assert browser.horizontal_overflow() <= 0, path.name


def test_printing_uses_the_print_styles_and_keeps_every_part(browser: Browser,
                                                            built: Built) -> None:
    """Printed from the browser on Letter: a few pages (the screen's spacing would take
    more), from the title to the last words."""
    from pypdf import PdfReader

    browser.open(built.site / "nk-cells.html", 1280)
    assert browser.js("return getComputedStyle(document.querySelector('.keypoints'))"
                      ".backgroundColor") != "rgba(0, 0, 0, 0)", "shaded on screen"
    reader = PdfReader(io.BytesIO(browser.print_pdf()))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    words = Page.of(built.site / "nk-cells.html").body_text.split()
    assert len(reader.pages) <= 5
    assert text.startswith(" ".join(words[:8])) and text.endswith(" ".join(words[-4:]))
    assert "Questions to ask your doctor" in text and re.search(r"Version \d+\.\d+", text)


def test_the_browser_shows_the_personal_fields_exactly(browser: Browser, built: Built) -> None:
    browser.open(built.personal, 320)
    text = browser.js("return document.body.innerText")
    assert NAME in text and "Come back in <2> weeks & rest." in text
    assert browser.js("return document.querySelectorAll('b, script').length") == 0


def test_negative_controls_axe_and_the_overflow_measure_catch_problems(
        browser: Browser, built: Built, tmp_path: Path) -> None:
    """A picture without alt text, grey-on-white text, a missing lang and a too-wide element
    added to a real page are each caught: the checks above can fail."""
    broken = tmp_path / "broken.html"
    source = (built.site / "nk-cells.html").read_text(encoding="utf-8")
    broken.write_text(source.replace('<html lang="', '<html data-lang="', 1).replace(
        "<main>", '<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                  '<p style="color:#bbbbbb">Faint text</p>'
                  '<div style="width:900px">Too wide</div>', 1), encoding="utf-8")
    browser.open(broken, 320)
    found = {v["id"] for v in browser.axe()}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found
    assert browser.horizontal_overflow() > 500


def test_boxes_and_colours_come_from_the_layout_and_the_clinic_brand(built: Built) -> None:
    """Each callout style with a background or border is a box in the page's CSS, in the
    layout's palette; a clinic's brand colour replaces the accent, as in the PDF."""
    from handouts.build import resolve
    from handouts.content.clinic import resolve_clinic
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(root=REPO)
    layout, _ = resolve(ws, None, None)
    plain = (built.site / "nk-cells.html").read_text(encoding="utf-8")
    for name, style in layout.spec.styles.items():
        if style.background or style.border:
            assert f".callout.{name} {{" in plain, name
    brand = resolve_clinic(ws, "example-clinic").colour
    assert brand and brand in built.clinic.read_text(encoding="utf-8") and brand not in plain
def test_figures_and_icon_arrays_are_inline_svg_with_their_text_alternatives(
        demo_ws: DemoWorkspace, browser: Browser) -> None:
    """An SVG figure is put in the page itself, named by its alt text, with its caption;
    script, event handlers and outside references in the file are left out. An icon array
    is drawn in SVG and named by its visible label."""
    from handouts.build import build_html, load, resolve
    from handouts.workspace.finder import Workspace

    (demo_ws.content.parent / "where.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="200" height="100" onload="alert(1)"><title>old</title>'
        '<script>alert(2)</script><rect width="200" height="100" fill="#e6eef6"/>'
        '<image xlink:href="https://example.org/track.png" width="10" height="10"/>'
        '<circle cx="50" cy="50" r="20" fill="url(https://example.org/x)"/>'
        '<foreignObject><p>hi</p></foreignObject></svg>', encoding="utf-8")
    demo_ws.replace("      - p: Most back pain comes from strained muscles.\n",
                    "      - p: Most back pain comes from strained muscles.\n"
                    "      - figure: {src: where.svg, alt: A box and a circle, "
                    "caption: \"Where it <hurts> & why\"}\n"
                    "      - icons: {of: 10, filled: 3, label: \"About 3 in 10 <people>\"}\n")
    ws = Workspace.discover(root=demo_ws.root)
    layout, _ = resolve(ws, None, None)
    page = demo_ws.root / "demo.html"
    page.write_text(build_html(load(ws, "demo"), layout), encoding="utf-8")
    source = page.read_text(encoding="utf-8")
    for banned in ("alert(", "<script", "onload", "example.org", "foreignObject", "old</"):
        assert banned not in source, banned
    browser.open(page, 320)
    names = browser.js(
        "return [...document.querySelectorAll('svg[role=img]')].map(s => s.getAttribute("
        "'aria-label') || document.getElementById(s.getAttribute('aria-labelledby'))"
        ".textContent)")
    assert names == ["A box and a circle", "About 3 in 10 <people>"]
    text = browser.js("return document.body.innerText")
    assert "Where it <hurts> & why" in text
    assert browser.js("return document.querySelectorAll('.icon-array g.filled').length") == 3
    assert not browser.axe() and browser.horizontal_overflow() <= 0
