"""The built-in layouts (standard, large-print, trifold) on both papers, read back from the PDF.

Page counts and sizes, the smallest type on the page (pdfplumber character sizes), the
tri-fold's panel order and the content it selects, grayscale output with no colour operators,
QR codes that decode to the online copy, and layouts that override or extend one another.
What the layouts should show is read from their layout.yaml and the content file, so the
tests keep passing while the wording of content/nk-cells/en.yaml changes.
"""

from __future__ import annotations

import collections
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import DemoWorkspace, Made, Run, flat, pdf_reader, pdf_text
from pypdf.generic import ContentStream

from handouts.build import load
from handouts.colours import contrast, gray_of
from handouts.errors import LayoutError
from handouts.layout.spec import load_layout
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
ONLINE = "https://example.org/handouts/nk-cells"
COLOUR_OPERATORS = {b"rg", b"RG", b"k", b"K", b"sc", b"scn", b"SC", b"SCN", b"cs", b"CS"}




def char_sizes(data: bytes) -> collections.Counter[float]:
    """How many characters are printed at each size (points, one decimal)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return collections.Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars)


def operators(data: bytes) -> collections.Counter[bytes]:
    """Every operator in every page content stream and form XObject."""
    reader = pdf_reader(data)
    found: collections.Counter[bytes] = collections.Counter()

    def scan(stream: Any, resources: Any) -> None:
        for _, op in ContentStream(stream, reader).operations:
            found[op] += 1
        xobjects = resources.get("/XObject") if resources else None
        for ref in (xobjects.get_object().values() if xobjects else []):
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                scan(xobj, xobj.get("/Resources"))

    for page in reader.pages:
        scan(page.get_contents(), page["/Resources"].get_object())
    return found


def image_colour_spaces(data: bytes) -> list[str]:
    reader = pdf_reader(data)
    spaces = []
    for page in reader.pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else []):
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Image":
                spaces.append(str(xobj["/ColorSpace"]))
    return spaces


def find(page: Any, text: str) -> dict[str, Any]:
    hits = page.search(text, regex=False)
    assert hits, f"{text!r} not on page {page.page_number}"
    return hits[0]


# ---------------------------------------------------------------- pages and paper


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_fits_its_declared_page_budget(build: Callable[..., Made], ws: Workspace,
                                                    layout: str, paper: str) -> None:
    budget = load_layout(ws, layout).page_budget(paper)
    assert budget, f"{layout} declares no page budget for {paper}"
    made = build(layout, paper)
    assert made.pages <= budget
    assert len(pdf_reader(made.data).pages) == made.pages


@pytest.mark.parametrize("paper", PAPERS)
def test_trifold_is_exactly_two_landscape_pages_even_with_a_clinic(
        build: Callable[..., Made], paper: str) -> None:
    for clinic in (False, True):
        reader = pdf_reader(build("trifold", paper, clinic).data)
        assert len(reader.pages) == 2
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (width, height) == pytest.approx(PAPERS[paper][::-1], abs=0.5)
            assert width > height


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", ("standard", "large-print"))
def test_portrait_layouts_use_the_paper_asked_for(build: Callable[..., Made], layout: str,
                                                  paper: str) -> None:
    for page in pdf_reader(build(layout, paper).data).pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(PAPERS[paper], abs=0.5)


# ---------------------------------------------------------------- type sizes


@pytest.mark.parametrize("clinic", (False, True))
@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_text_is_smaller_than_the_layout_promises(build: Callable[..., Made],
                                                     ws: Workspace, layout: str,
                                                     clinic: bool) -> None:
    promise = load_layout(ws, layout).spec.min_font_size
    sizes = char_sizes(build(layout, "letter", clinic).data)
    assert min(sizes) >= promise, sorted(sizes.items())


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_body_is_18pt_and_nothing_is_under_16pt(build: Callable[..., Made],
                                                            paper: str) -> None:
    made = build("large-print", paper, clinic_=True)
    sizes = char_sizes(made.data)
    assert min(sizes) >= 16, sorted(sizes.items())
    body_size, _ = sizes.most_common(1)[0]
    assert body_size >= 18
    # headers and footers too: every line of every page
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        for page in pdf.pages:
            edge = [c for c in page.chars if c["top"] < 60 or c["bottom"] > page.height - 60]
            assert edge and min(c["size"] for c in edge) >= 16


def test_large_print_headings_are_larger_than_its_body(build: Callable[..., Made],
                                                       ws: Workspace) -> None:
    from handouts.layout.merge import shown_sections

    handout = load(ws, "nk-cells")
    first = shown_sections(handout, load_layout(ws, "large-print").spec.show)[0]
    with pdfplumber.open(io.BytesIO(build("large-print").data)) as pdf:
        hit = next(h for p in pdf.pages for h in p.search(first.heading, regex=False))
    assert min(c["size"] for c in hit["chars"]) >= 22


def test_trifold_body_text_is_at_least_11pt(build: Callable[..., Made]) -> None:
    body_size, _ = char_sizes(build("trifold", clinic_=True).data).most_common(1)[0]
    assert body_size >= 11


# ---------------------------------------------------------------- the tri-fold


def test_trifold_panels_are_in_folding_order(build: Callable[..., Made], ws: Workspace) -> None:
    """Outside: flap | back | cover (cover on the right); inside: three panels in order."""
    handout = load(ws, "nk-cells")
    spec = load_layout(ws, "trifold").spec
    shown = [s for s in handout.sections if s.id in spec.show["nk-cells"]]
    with pdfplumber.open(io.BytesIO(build("trifold", clinic_=True).data)) as pdf:
        outside, inside = pdf.pages
        third = outside.width / 3
        flap = find(outside, handout.labels.key_points)
        back = find(outside, "01632 960000")  # the example clinic's phone
        cover = find(outside, handout.labels.patient_information)
        assert flap["x1"] < third
        assert third < back["x0"] < back["x1"] < 2 * third
        assert cover["x0"] > 2 * third
        assert cover["top"] < outside.height / 3  # the title is near the top of the cover
        first, last = find(inside, shown[0].heading), find(inside, handout.labels.glossary)
        assert first["x1"] < third and first["top"] < inside.height / 4
        assert last["x0"] > third


def test_trifold_shows_the_sections_its_layout_selects_and_no_others(
        build: Callable[..., Made], ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    chosen = [i.removesuffix("?") for i in load_layout(ws, "trifold").spec.show["nk-cells"]]
    assert len(chosen) > 0
    text = pdf_text(build("trifold").data)
    for section in handout.sections:
        assert (flat(section.heading) in text) == (section.id in chosen), section.heading
    for point in (handout.key_points[0], handout.questions.items[0]):
        words = " ".join(point.replace("**", "").split()[:4])
        assert words in text


def test_every_layout_prints_the_review_dates_and_version(build: Callable[..., Made],
                                                          ws: Workspace) -> None:
    from handouts.layout.merge import long_date

    handout = load(ws, "nk-cells")
    for layout in LAYOUTS:
        text = pdf_text(build(layout).data)
        assert long_date(handout.reviewed) in text, layout
        assert handout.version in text, layout
    for layout in ("large-print", "trifold"):
        assert long_date(handout.review_by) in pdf_text(build(layout).data), layout


def test_shown_sections_by_slug_then_star_then_all() -> None:
    from handouts.layout.merge import shown_sections

    @dataclass
    class S:
        id: str | None

    @dataclass
    class H:
        slug: str
        sections: list[S]

    h = H("demo", [S("a"), S(None), S("b"), S("c")])
    assert [s.id for s in shown_sections(h, {"demo": ["c", "a"]})] == ["a", "c"]  # content order
    assert [s.id for s in shown_sections(h, {"other": ["a"], "*": ["b"]})] == ["b"]
    assert len(shown_sections(h, {})) == 4
    with pytest.raises(LayoutError) as err:
        shown_sections(h, {"demo": ["a", "nope"]}, layout="trifold")
    assert "layout 'trifold' shows section 'nope'" in err.value.message
    assert "a, b, c" in (err.value.hint or "")


def test_templates_never_reach_private_or_mutating_attributes(ws: Workspace) -> None:
    """The sandbox refuses ``__class__`` and ``list.append`` however often it is asked (its
    checks are remembered per type and name), and allows what is safe."""
    from jinja2.exceptions import SecurityError

    from handouts.layout.merge import Merger

    env = Merger.for_layout(load_layout(ws, "standard")).env
    for _ in range(2):
        with pytest.raises(SecurityError):
            env.from_string("{{ x.__class__.__mro__ }}").render(x="text")
        with pytest.raises(SecurityError):
            env.from_string("{{ x.append(1) }}").render(x=[])
        with pytest.raises(SecurityError):
            env.from_string("{{ x.update({}) }}").render(x={})
        assert env.from_string("{{ x.index(2) }} {{ y.keys()|list }}").render(
            x=[1, 2], y={"a": 1}) == "1 [&#39;a&#39;]"


# ---------------------------------------------------------------- clinic, QR, grayscale


@pytest.mark.parametrize("layout", LAYOUTS)
def test_qr_code_decodes_to_the_online_copy(build: Callable[..., Made], layout: str) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    import pypdfium2 as pdfium

    made = build(layout, clinic_=True)
    document = pdfium.PdfDocument(made.data)
    decoded = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        decoded += [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [ONLINE]
    assert ONLINE.removeprefix("https://") in pdf_text(made.data)  # printed beside it


def test_qr_block_encodes_exactly_its_url() -> None:
    """The payload ReportLab encodes is the URL, byte for byte (no decoder needed)."""
    from handouts.layout import blocks as b
    from handouts.render.figures import qr
    from handouts.render.fonts import Fonts
    from handouts.render.styles import Styles

    ws = Workspace.discover(cwd=Path("/"), root=None)
    styles = Styles(load_layout(ws, "trifold"), Fonts(load_layout(ws, "trifold")))
    flow = qr(b.QR("https://example.org/a?b=1&c=ü", "20mm"), styles)
    widget = flow.drawing.contents[0]
    assert widget.value == "https://example.org/a?b=1&c=ü"
    assert flow.drawing.width == pytest.approx(20 * 72 / 25.4)
    assert flow.shown == "example.org/a?b=1&c=ü"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_grayscale_output_has_no_colour_operators(build: Callable[..., Made],
                                                  layout: str) -> None:
    coloured = build(layout, clinic_=True)
    gray = build(layout, clinic_=True, grayscale=True)
    assert COLOUR_OPERATORS & set(operators(coloured.data)), "colour build should use colour"
    ops = operators(gray.data)
    assert not COLOUR_OPERATORS & set(ops), {o: ops[o] for o in COLOUR_OPERATORS if o in ops}
    assert ops[b"g"] > 0
    assert "/DeviceRGB" in image_colour_spaces(coloured.data)
    spaces = image_colour_spaces(gray.data)
    assert spaces and set(spaces) == {"/DeviceGray"}
    assert gray.pages == coloured.pages


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_palette_prints_legibly_in_black_and_white(ws: Workspace, layout: str) -> None:
    """Text colours, once gray, keep 4.5:1 on white and on every box background (a box's
    label on its band, "Get help now" reversed out of it, on that band)."""
    spec = load_layout(ws, layout).spec

    def hexof(name: str) -> str:
        return spec.colours.get(name, name)

    grounds = {"#ffffff"} | {hexof(s.background) for s in spec.styles.values() if s.background}
    banded = {f"{n}_title": hexof(s.band) for n, s in spec.styles.items() if s.band}
    for name, style in spec.styles.items():
        for ground in [banded[name]] if name in banded else grounds if style.colour else []:
            text = hexof(style.colour or "")
            assert contrast(gray_of(text), gray_of(ground)) >= 4.5, (name, text, ground)


# ---------------------------------------------------------------- override and extension


def make(cli: Callable[..., Run], ws: DemoWorkspace, *args: str) -> Run:
    return cli("make", "demo", "-o", str(ws.root / "out.pdf"), *args, cwd=ws.root)


def test_large_print_and_trifold_extend_standard_without_copying_it(ws: Workspace) -> None:
    for name in ("large-print", "trifold"):
        layout = load_layout(ws, name)
        assert layout.names == (name, "standard")
        own = {p.name for p in layout.dirs[0].rglob("*") if p.is_file()}
        assert own <= {"layout.yaml", "handout.xml.j2", "cover-cells.svg", "LICENSE.txt"}, own
    large = load_layout(ws, "large-print").spec
    assert large.fonts == load_layout(ws, "standard").spec.fonts  # inherited
    assert large.styles["body"].size == 18 and large.styles["body"].font == "sans"


def test_a_workspace_layout_overrides_a_builtin_one_by_name(cli: Callable[..., Run],
                                                            demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/trifold/layout.yaml",
                  "extends: standard\ndescription: Our own tri-fold\n")
    demo_ws.write("layouts/trifold/handout.xml.j2",
                  '<handout><p>OUR OWN TRIFOLD {{ handout.title }}</p></handout>\n')
    run = make(cli, demo_ws, "--layout", "trifold")
    assert run.code == 0, run.err
    assert "OUR OWN TRIFOLD Looking after your back" in pdf_text(demo_ws.root / "out.pdf")
    listed = cli("layouts", cwd=demo_ws.root).out
    assert any(line.startswith("trifold") and "workspace" in line and "Our own" in line
               for line in listed.splitlines())


def test_a_layout_extending_trifold_chooses_its_own_sections(cli: Callable[..., Run],
                                                             demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/back-trifold/layout.yaml",
                  "extends: trifold\ndescription: Back pain brochure\n"
                  "show: {demo: [why-it-hurts]}\n")
    run = make(cli, demo_ws, "--layout", "back-trifold")
    assert run.code == 0, run.err
    text = pdf_text(demo_ws.root / "out.pdf")
    assert "Why does my back hurt?" in text
    assert "What can I do at home?" not in text
    assert len(pdf_reader(demo_ws.root / "out.pdf").pages) == 2


def test_a_template_can_name_its_parent_explicitly(cli: Callable[..., Run],
                                                   demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/mine/layout.yaml", "extends: large-print\ndescription: Mine\n")
    demo_ws.write("layouts/mine/handout.xml.j2",
                  '{% extends "!large-print/handout.xml.j2" %}\n'
                  '{% block key_points %}<p>OUR KEY POINTS</p>{% endblock %}\n')
    run = make(cli, demo_ws, "--layout", "mine")
    assert run.code == 0, run.err
    text = pdf_text(demo_ws.root / "out.pdf")
    assert "OUR KEY POINTS" in text and "Looking after your back" in text
    assert "Keep moving gently every day." not in text
    assert min(char_sizes((demo_ws.root / "out.pdf").read_bytes())) >= 16  # large print's


@pytest.mark.parametrize(("files", "code", "expected"), [
    ({"layout.yaml": "extends: standard\ndescription: x\ncolumnz: 2\n"}, 3,
     "layouts/bad/layout.yaml:3:1: unknown key 'columnz' (did you mean 'columns'?)"),
    ({"layout.yaml": "extends: standard\ndescription: x\nbrand: {accent: shade}\n"}, 3,
     "layouts/bad/layout.yaml:3:17: 'shade' is not one of: colour, tint"),
    ({"layout.yaml": "extends: standard\ndescription: x\n  margins: 3\n"}, 3,
     "layouts/bad/layout.yaml:3"),
    ({"layout.yaml": "extends: nowhere\ndescription: x\n"}, 3,
     "layouts/bad/layout.yaml:1:10: extends: no layout named 'nowhere'"),
    ({"layout.yaml": "extends: standard\ndescription: x\n",
      "handout.xml.j2": "<handout>\n{% for x in %}\n</handout>\n"}, 3,
     "layouts/bad/handout.xml.j2:2: template syntax error"),
    ({"layout.yaml": "extends: trifold\ndescription: x\nshow: {demo: [why-it-hurts, nope]}\n"},
     3, "layout 'bad' shows section 'nope', but handout 'demo' has no section with that id"),
    ({"layout.yaml": "extends: standard\ndescription: x\n",
      "handout.xml.j2": '<handout><image src="missing.png" width="2cm" alt="x"/></handout>'},
     3, "layout 'bad': image 'missing.png' not found"),
    ({"layout.yaml": "extends: standard\ndescription: x\n",
      "handout.xml.j2": '<handout><image src="broken.png" width="2cm" alt="x"/></handout>',
      "broken.png": "this is not a picture"}, 3, "'broken.png' is not a readable PNG or JPEG"),
    ({"layout.yaml": "extends: trifold\ndescription: x\n",
      "handout.xml.j2": "<handout><panel name=\"cover\">"
                        + "<p>Line of text.</p>" * 80 + "</panel></handout>"},
     3, "panel 'cover' needs"),
])
def test_a_broken_layout_folder_is_one_clear_message(cli: Callable[..., Run],
                                                     demo_ws: DemoWorkspace,
                                                     files: dict[str, str], code: int,
                                                     expected: str) -> None:
    for name, text in files.items():
        demo_ws.write(f"layouts/bad/{name}", text)
    run = make(cli, demo_ws, "--layout", "bad")
    assert run.code == code, run.err
    assert expected in run.err
    assert "Traceback" not in run.err
    assert not (demo_ws.root / "out.pdf").exists()


def test_an_image_keeps_its_shape_and_is_embedded(cli: Callable[..., Run],
                                                  demo_ws: DemoWorkspace) -> None:
    from PIL import Image

    Image.new("RGB", (300, 100), (0, 90, 160)).save(demo_ws.root / "wide.png")
    demo_ws.write("layouts/pic/layout.yaml", "extends: standard\ndescription: x\n")
    demo_ws.write("layouts/pic/handout.xml.j2",
                  '<handout><image src="wide.png" width="60mm" alt="a wide box"/>'
                  '<image src="wide.png" width="60mm" height="10mm" alt="boxed"/></handout>')
    (demo_ws.root / "layouts/pic/wide.png").write_bytes((demo_ws.root / "wide.png").read_bytes())
    run = make(cli, demo_ws, "--layout", "pic")
    assert run.code == 0, run.err
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        first, second = pdf.pages[0].images
    assert first["srcsize"] == (300, 100)
    assert first["x1"] - first["x0"] == pytest.approx(60 * 72 / 25.4, abs=0.1)
    assert (first["x1"] - first["x0"]) / (first["bottom"] - first["top"]) == pytest.approx(3, 0.01)
    assert second["bottom"] - second["top"] == pytest.approx(10 * 72 / 25.4, abs=0.1)
    assert (second["x1"] - second["x0"]) / (second["bottom"] - second["top"]) == \
        pytest.approx(3, 0.01)
