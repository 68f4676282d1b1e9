"""Print design measured from the PDF (issue 10): line length, type sizes, distance from the
paper's edge, page fill, the tri-fold's folding geometry and panels, the glossary's header
row, the icon array and its alt text, SVG figures, essential sections and the palettes'
contrast. Every layout is built on Letter and A4, with and without a clinic and as a
personal copy; what is measured is read back with pdfplumber.
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import DemoWorkspace, Made, Run

from handouts.build import context, load, resolve
from handouts.colours import contrast, gray_of
from handouts.content.clinic import load_clinic
from handouts.errors import LayoutError
from handouts.layout import blocks as b
from handouts.layout.merge import Merger, shown_sections
from handouts.layout.spec import load_layout
from handouts.render.document import fold_panels
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = ("letter", "a4")
INCH = 72.0




def body_lines(page: Any, size: float, right: float) -> list[str]:
    """Lines of regular body-size text that end inside the text measure (``right``)."""
    lines = []
    for line in page.extract_text_lines(strip=True):
        chars = line["chars"]
        if all(round(c["size"], 1) == size and "Bold" not in c["fontname"] for c in chars) \
                and line["x1"] <= right + 1:
            lines.append(line["text"])
    return lines


# ---------------------------------------------------------------- the standard sheet


@pytest.mark.parametrize("paper", PAPERS)
def test_standard_body_lines_hold_45_to_75_characters(build: Callable[..., Made],
                                                      ws: Workspace, paper: str) -> None:
    """The measure: full lines of body text (not a paragraph's short last line)."""
    spec = load_layout(ws, "standard").spec
    right = spec.margins.left + (spec.measure or 0)
    with build("standard", paper).open() as pdf:
        lengths = [len(t) for p in pdf.pages for t in body_lines(p, 12.0, right)]
    full = [n for n in lengths if n >= 0.8 * max(lengths)]
    assert len(full) >= 12
    assert 45 <= statistics.median(full) <= 75, statistics.median(full)
    assert max(lengths) <= 80


@pytest.mark.parametrize("clinic", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("personal", [False, True])
def test_standard_keeps_two_pages_on_each_paper(build: Callable[..., Made], paper: str,
                                                clinic: bool, personal: bool) -> None:
    made = build("standard", paper, clinic, personal_=personal)
    assert made.pages == 2
    with made.open() as pdf:  # the back of the sheet is used, not a stray line
        second = pdf.pages[1]
        words = [c for c in second.chars if 0.8 * INCH < c["top"] < second.height - 0.8 * INCH]
        assert max(c["bottom"] for c in words) - min(c["top"] for c in words) \
            > 0.4 * (second.height - 1.6 * INCH)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("paper", PAPERS)
def test_nothing_is_printed_within_0_4_in_of_the_paper_edge(build: Callable[..., Made],
                                                           layout: str, paper: str) -> None:
    """Headers and footers included: office lasers clip closer than that."""
    with build(layout, paper, True).open() as pdf:
        for page in pdf.pages:
            tops = [c["top"] for c in page.chars]
            bottoms = [c["bottom"] for c in page.chars]
            assert min(tops) >= 0.4 * INCH, min(tops)
            assert max(bottoms) <= page.height - 0.4 * INCH, page.height - max(bottoms)


def test_standard_page_one_has_a_masthead_and_no_running_header(build: Callable[..., Made],
                                                                ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    with build("standard").open() as pdf:
        first, second = pdf.pages
        top = first.crop((0, 0, first.width, 0.75 * INCH)).extract_text() or ""
        assert handout.title not in top  # no running header above the masthead
        masthead = first.crop((0, 0, first.width, 2 * INCH)).extract_text()
        assert handout.labels.patient_information in masthead and "NK cells and" in masthead
        assert handout.title in second.crop((0, 0, second.width, 0.75 * INCH)).extract_text()


def test_standard_author_line_is_the_publisher_or_the_clinic(build: Callable[..., Made],
                                                             ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    with build("standard").open() as pdf:
        assert f"Published by {handout.publisher}." in pdf.pages[-1].extract_text()
    with build("standard", clinic_=True).open() as pdf:
        assert "Published by Example Clinic." in pdf.pages[-1].extract_text()


def test_glossary_has_a_header_row_from_the_labels(build: Callable[..., Made],
                                                   ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    with build("standard").open() as pdf:
        page = next(p for p in pdf.pages if p.search(handout.labels.meaning, regex=False))
        word = page.search(handout.labels.word, regex=False)
        meaning = page.search(handout.labels.meaning, regex=False)[0]
        head = next(w for w in word if abs(w["top"] - meaning["top"]) < 1)
        assert all("Bold" in c["fontname"] for c in head["chars"])
        first_term = page.search(handout.glossary[0].term.split()[0], regex=False)
        assert any(t["top"] > head["bottom"] and abs(t["x0"] - head["x0"]) < 1
                   for t in first_term)


def test_sources_have_aligned_numbers_a_hanging_indent_and_9pt_type(
        build: Callable[..., Made], ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    with build("standard").open() as pdf:
        page = pdf.pages[-1]
        nine, ten = page.search("9. ", regex=False)[-1], page.search("10. ", regex=False)[-1]
        assert abs(nine["x1"] - ten["x1"]) < 0.6  # the numbers end at the same place
        sources = [c for c in page.chars if c["top"] > page.search(
            handout.labels.sources, regex=False)[-1]["bottom"]]
        assert min(c["size"] for c in sources) >= 9
        # the small print opens with "This is a short version." (the sheet leaves sections out)
        small = page.search(handout.labels.short_version.split(".")[0], regex=False)[-1]
        last_source = max(c["bottom"] for c in sources if c["bottom"] < small["top"])
        assert small["top"] - last_source >= 6  # clear of the small print (a rule between)


def test_safety_messages_are_alerts_with_a_label_rule_and_marker(build: Callable[..., Made],
                                                                 ws: Workspace) -> None:
    """'Important' and 'Get help now': bold labels in boxes with a border, a solid rule
    down the side and a round marker; all of it is shape, so it survives gray printing."""
    handout = load(ws, "nk-cells")
    with build("standard").open() as pdf:
        for label in (handout.labels.important, handout.labels.get_help_now):
            page = next(p for p in pdf.pages if p.search(label, regex=False))
            hit = page.search(label, regex=False)[0]
            assert all("Bold" in c["fontname"] for c in hit["chars"])
            boxes = [r for r in page.rects if r["stroke"] and r["x0"] < hit["x0"] < r["x1"]
                     and r["top"] < hit["top"] < r["bottom"]]
            assert boxes, f"{label}: no bordered box"
            rules = [r for r in page.rects if r["fill"] and r["width"] <= 6
                     and r["height"] > 20 and r["top"] <= hit["top"] <= r["bottom"]]
            assert rules, f"{label}: no rule down the side"
            markers = [c for c in page.curves if c["fill"] and c["x1"] < hit["x0"]
                       and abs((c["top"] + c["bottom"]) / 2 - (hit["top"] + hit["bottom"]) / 2)
                       < 6]
            assert markers, f"{label}: no marker beside the label"


# ---------------------------------------------------------------- the icon array


def test_icon_array_shows_2_of_3_and_keeps_its_label_as_alt_text(build: Callable[..., Made],
                                                                 ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    block = next(bl for s in handout.sections for bl in s.body if bl.kind == "icons")
    assert (block.icons.of, block.icons.filled) == (3, 2)
    for layout in LAYOUTS:
        loaded, paper = resolve(ws, layout, "letter")
        tree = Merger.for_layout(loaded).blocks(context(handout, loaded, paper, None))
        icons = [x for x in _walk(tree) if isinstance(x, b.Icons)]
        assert [(i.of, i.filled, i.alt) for i in icons] == [(3, 2, block.icons.label)], layout
        assert icons[0].role == "figure"
        with build(layout).open() as pdf:
            page = next(p for p in pdf.pages if p.search(block.icons.label[:20], regex=False))
            label = page.search(block.icons.label[:20], regex=False)[0]
            near = [c for c in page.curves if abs(c["top"] - label["top"]) < 30
                    and label["x0"] - 120 < c["x1"] <= label["x0"]]
            smallest = min(c["width"] for c in near)
            heads = [c for c in near if abs(c["width"] - c["height"]) < 0.5
                     and c["width"] < 1.3 * smallest]
            assert len(heads) == 3, layout  # three people
            assert sum(1 for c in heads if c["fill"] and c["non_stroking_color"] not in
                       ((1,), (1, 1, 1), [1], [1, 1, 1])) == 2  # two of them filled


def test_every_new_flowable_keeps_a_reference_to_its_block(ws: Workspace) -> None:
    """The tagged-PDF and HTML helpers read role and alt text from ``flowable.block``."""
    from handouts.render.builder import FlowableBuilder
    from handouts.render.styles import styles_for

    layout, _ = resolve(ws, "standard", "letter")
    styles = styles_for(layout, False, False)
    svg = Path(__file__).parent.parent / "content" / "nk-cells" / "nk-cells-where.svg"
    tree = [b.Icons(3, 2, "About 2 in 3"), b.Figure(str(svg), "Where NK cells are", "Blood"),
            b.Section((b.Paragraph(b.Inline("x", "x")),), "s"), b.Rule(),
            b.Wide((b.Paragraph(b.Inline("x", "x")),)),
            b.Glossary((("Word", b.Inline("m", "m")),), header=("Word", "What it means"))]
    made = FlowableBuilder(styles).build(tree)
    assert [f.block for f in made] == tree
    assert made[1].block.alt == "Where NK cells are"


def _walk(blocks: Any) -> Any:
    for block in blocks:
        yield block
        for attr in ("children", "cells"):
            yield from _walk(getattr(block, attr, ()))


# ---------------------------------------------------------------- SVG figures


def figure_ws(tmp_path: Path, alt: str = "Where NK cells are", src: str = "where.svg") -> Path:
    demo = DemoWorkspace(tmp_path / "ws")
    svg = Path(__file__).parent.parent / "content" / "nk-cells" / "nk-cells-where.svg"
    (demo.root / "content" / "demo" / "where.svg").write_bytes(svg.read_bytes())
    path = demo.root / "content" / "demo" / "en.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    body:\n") + len("    body:\n")
    figure = f"      - figure: {{src: {src}, alt: \"{alt}\", caption: \"Left: blood.\"}}\n"
    path.write_text(text[:at] + figure + text[at:], encoding="utf-8")
    return demo.root


def test_a_content_figure_is_drawn_with_its_caption(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    root = figure_ws(tmp_path)
    run = cli("make", "demo", "-o", str(root / "out.pdf"), cwd=root)
    assert run.code == 0, run.err
    with pdfplumber.open(root / "out.pdf") as pdf:
        page = pdf.pages[0]
        assert "Left: blood." in page.extract_text()
        assert len(page.curves) >= 10  # the drawing's circles and paths, as vectors


@pytest.mark.parametrize(("alt", "src", "message"), [
    ("", "where.svg", "must not be empty"),
    ("Cells", "missing.svg", "figure 'missing.svg' not found beside the content file"),
    ("Cells", "../where.svg", "must be an .svg file in the content folder"),
])
def test_a_figure_needs_alt_text_and_its_file(cli: Callable[..., Run], tmp_path: Path,
                                              alt: str, src: str, message: str) -> None:
    root = figure_ws(tmp_path, alt, src)
    run = cli("make", "demo", cwd=root)
    assert run.code == 1
    assert "content/demo/en.yaml:" in run.err and message in run.err, run.err


def test_svglib_is_imported_only_by_a_handout_with_a_figure(tmp_path: Path) -> None:
    code = ("import sys, pathlib; from handouts.build import make; from handouts.workspace.finder "
            "import Workspace; root = pathlib.Path(sys.argv[1]); "
            "ws = Workspace.discover(cwd=root, root=root); "
            "make(ws, 'nk-cells', out=__import__('pathlib').Path(sys.argv[1]) / 'x.pdf'); "
            "print('svglib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the tri-fold


@pytest.mark.parametrize("paper", PAPERS)
def test_trifold_fold_in_panel_is_1_16_to_1_8_in_narrower_on_both_sides(ws: Workspace,
                                                                        paper: str) -> None:
    layout, _ = resolve(ws, "trifold", paper)
    width = {"letter": 11 * INCH, "a4": 841.89}[paper]
    outside, inside = fold_panels(layout, width)
    assert sum(w for _, w in outside) == pytest.approx(width)
    assert sum(w for _, w in inside) == pytest.approx(width)
    for panels, narrow in ((outside, 0), (inside, 2)):
        wide = [w for i, (_, w) in enumerate(panels) if i != narrow]
        assert wide[0] == pytest.approx(wide[1])
        assert INCH / 16 <= wide[0] - panels[narrow][1] <= INCH / 8
    # the flap is the same panel seen from either side: its edges mirror across the sheet
    assert outside[0][1] == pytest.approx(inside[2][1])


@pytest.mark.parametrize("clinic", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
def test_trifold_text_stays_inside_its_panels_clear_of_the_folds(
        build: Callable[..., Made], ws: Workspace, paper: str, clinic: bool) -> None:
    layout, _ = resolve(ws, "trifold", paper)
    margin = layout.spec.margins.left
    made = build("trifold", paper, clinic)
    assert made.pages == 2
    with made.open() as pdf:
        for page, panels in zip(pdf.pages, fold_panels(layout, pdf.pages[0].width),
                                strict=True):
            for c in page.chars:
                if not c["text"].strip():  # the (blank) space ending a tagged PDF's line
                    continue
                assert any(x + margin - 0.5 <= c["x0"] and c["x1"] <= x + w - margin + 0.5
                           for x, w in panels), (c["text"], c["x0"])


def find_words(page: Any, phrase: str) -> list[dict[str, Any]]:
    """The words of ``phrase`` where they run in a row on the page (across line breaks)."""
    words = page.extract_words(use_text_flow=True)
    wanted = phrase.split()
    for i in range(len(words) - len(wanted) + 1):
        if [w["text"] for w in words[i:i + len(wanted)]] == wanted:
            return words[i:i + len(wanted)]
    raise AssertionError(f"{phrase!r} not on the page")


def panel_of(x: float, panels: list[tuple[float, float]]) -> int:
    return next(i for i, (left, w) in enumerate(panels) if left <= x < left + w)


@pytest.mark.parametrize("clinic", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
def test_no_trifold_section_crosses_a_fold(build: Callable[..., Made], ws: Workspace,
                                           paper: str, clinic: bool) -> None:
    """A section's heading and the end of its last block sit in the same panel."""
    handout = load(ws, "nk-cells")
    layout, _ = resolve(ws, "trifold", paper)
    with build("trifold", paper, clinic).open() as pdf:
        inside = pdf.pages[1]
        panels = fold_panels(layout, inside.width)[1]
        for section in shown_sections(handout, layout.spec.show, "trifold"):
            words = section.heading.split()  # not the last word: its [ ] numbers follow it
            head = find_words(inside, " ".join(words[:min(3, len(words) - 1)]))[0]
            last = section.body[-1]
            text = last.text or (last.items[-1] if last.items else "") or \
                (last.icons.label if last.icons else "") or \
                (last.figure.caption if last.figure else "")
            end = find_words(inside, " ".join(text.replace("**", "").split()[-3:]))[-1]
            assert panel_of(head["x0"], panels) == panel_of(end["x0"], panels), section.id
        fills = []
        for x, w in panels:  # balanced white space: no panel two-thirds empty
            chars = [c for c in inside.chars if x <= c["x0"] < x + w]
            fills.append((max(c["bottom"] for c in chars) - min(c["top"] for c in chars))
                         / inside.height)
        assert min(fills) > 1 / 3, fills


def test_trifold_type_body_11pt_nothing_under_8pt(build: Callable[..., Made]) -> None:
    for clinic in (False, True):
        with build("trifold", clinic_=clinic).open() as pdf:
            sizes = [round(c["size"], 1) for p in pdf.pages for c in p.chars]
            assert min(sizes) >= 8
            assert max(set(sizes), key=sizes.count) >= 11


def test_trifold_cover_key_points_on_the_flap_and_a_balanced_title(
        build: Callable[..., Made], ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    layout, _ = resolve(ws, "trifold", "letter")
    with build("trifold", clinic_=True).open() as pdf:
        outside = pdf.pages[0]
        flap, _back, cover = fold_panels(layout, outside.width)[0]
        key = outside.search(handout.labels.key_points, regex=False)[0]
        assert key["x0"] < flap[1]  # the first panel seen when the cover opens
        label = outside.search(handout.labels.patient_information, regex=False)[0]
        assert label["x0"] > cover[0]
        lines = outside.crop((cover[0], 0, outside.width, outside.height)).extract_text_lines()
        title = [ln for ln in lines if round(ln["chars"][0]["size"]) == 20]
        assert len(title) >= 2 and all(len(ln["text"].split()) >= 2 for ln in title), title
        assert outside.images, "the clinic's logo"
        assert len([c for c in outside.curves if c["x0"] > cover[0]]) >= 3  # the drawing


def test_a_section_too_tall_for_a_panel_names_the_section_and_panel(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    demo = DemoWorkspace(tmp_path / "ws")
    path = demo.root / "content" / "demo" / "en.yaml"
    text = path.read_text(encoding="utf-8")
    long = "      - p: " + "This sentence is here to make one section far too long. " * 60
    at = text.index("    body:\n") + len("    body:\n")
    path.write_text(text[:at] + long + "\n" + text[at:], encoding="utf-8")
    run = cli("make", "demo", "--layout", "trifold", cwd=demo.root)
    assert run.code != 0
    assert "section '" in run.err and "panel 'inside-" in run.err, run.err


# ---------------------------------------------------------------- essential sections


def test_check_fails_a_layout_whose_show_list_leaves_out_an_essential_section(
        cli: Callable[..., Run], tmp_path: Path, ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    essential = [s.id for s in handout.sections if s.essential]
    assert "what-research-shows" in essential
    others = [s.id for s in handout.sections if not s.essential]
    demo = DemoWorkspace(tmp_path / "ws")
    (demo.root / "layouts" / "brief").mkdir(parents=True)
    (demo.root / "layouts" / "brief" / "layout.yaml").write_text(
        "extends: trifold\ndescription: Too brief\n"
        f"show: {{nk-cells: [{', '.join(others[:3])}]}}\n", encoding="utf-8")
    run = cli("check", "nk-cells", "--layout", "brief", cwd=demo.root)
    assert run.code == 1
    assert "leaves out essential section" in run.out and "'what-research-shows'" in run.out
    made = cli("make", "nk-cells", "--layout", "brief", cwd=demo.root)
    assert made.code != 0 and "essential" in made.err


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_shows_every_essential_section(build: Callable[..., Made],
                                                    ws: Workspace, layout: str) -> None:
    handout = load(ws, "nk-cells")
    with build(layout).open() as pdf:
        for section in handout.sections:
            if section.essential:
                start = " ".join(section.heading.split()[:3])
                assert any(p.search(start, regex=False) for p in pdf.pages), (layout, start)


# ---------------------------------------------------------------- large print


@pytest.mark.parametrize("clinic", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_pagination(build: Callable[..., Made], ws: Workspace, paper: str,
                                clinic: bool) -> None:
    """Six pages at most; no page under 40 % full but the last; the last is more than the
    small print; every character 16 pt or more; the review date printed once."""
    handout = load(ws, "nk-cells")
    made = build("large-print", paper, clinic)
    assert made.pages <= 6
    with made.open() as pdf:
        frame = pdf.pages[0].height - 1.65 * INCH
        for number, page in enumerate(pdf.pages, 1):
            body = [c for c in page.chars if 0.85 * INCH < c["top"] < page.height - 0.8 * INCH]
            fill = (max(c["bottom"] for c in body) - min(c["top"] for c in body)) / frame
            if number < len(pdf.pages):
                assert fill >= 0.4, (number, fill)
            assert min(round(c["size"], 1) for c in page.chars) >= 16
        last = pdf.pages[-1].extract_text()
        assert handout.disclaimer.split(":")[0] in last
        assert len(last) > 2 * len(handout.disclaimer) + 60  # not the small print alone
        text = " ".join(p.extract_text() for p in pdf.pages)
        from handouts.layout.merge import long_date

        reviewed = long_date(handout.reviewed)  # a source read that day says "accessed <date>"
        assert text.count(reviewed) - text.count(f"accessed {reviewed}") == len(pdf.pages)
        assert text.count(long_date(handout.review_by)) == 1


def test_large_print_has_no_text_on_tints(build: Callable[..., Made]) -> None:
    with build("large-print", clinic_=True).open() as pdf:
        for page in pdf.pages:
            for r in page.rects:
                if r["fill"] and r["width"] > 10 and r["height"] > 10:
                    assert r["non_stroking_color"] in ((1,), (1, 1, 1), [1], [1, 1, 1]), r
            framed = [r for r in page.rects if r["stroke"] and r["width"] > 100]
            assert all(r["linewidth"] >= 2 for r in framed)


def test_large_print_headings_break_in_balanced_lines(build: Callable[..., Made]) -> None:
    with build("large-print").open() as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines()
            for first, second in itertools.pairwise(lines):
                size = round(first["chars"][0]["size"])
                if size >= 24 and round(second["chars"][0]["size"]) == size \
                        and second["top"] - first["bottom"] < size:
                    assert len(second["text"].split()) >= 2, (first["text"], second["text"])


# ---------------------------------------------------------------- colour and gray


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_text_colour_reaches_4_5_to_1_on_its_background_in_colour_and_gray(
        ws: Workspace, layout: str) -> None:
    """Measured from the layout's own palette, the brand colour of the example clinic too:
    each style's text on white and on the box background it is printed on."""
    from handouts.layout.brand import apply_brand

    plain = load_layout(ws, layout)
    branded = apply_brand(plain, load_clinic(ws, "example-clinic").colour)
    for loaded in (plain, branded):
        spec = loaded.spec

        def colour(name: str | None, spec: Any = spec) -> str:
            return spec.colours.get(name, name) if name else spec.colours.get("text", "#000000")

        grounds = {"#ffffff"} | {colour(s.background) for s in spec.styles.values()
                                 if s.background}
        for name, style in spec.styles.items():
            text = colour(style.colour or spec.styles["body"].colour)
            for ground in grounds:
                for convert in (str, gray_of):
                    assert contrast(convert(text), convert(ground)) >= 4.5, (name, text, ground)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_tint_also_has_a_border_or_a_rule(ws: Workspace, layout: str) -> None:
    spec = load_layout(ws, layout).spec
    for name, style in spec.styles.items():
        ground = spec.colours.get(style.background or "", style.background)
        if ground and ground.lower() != "#ffffff":
            assert style.border or style.rule, name


def test_layout_errors_are_layout_errors() -> None:
    with pytest.raises(LayoutError):
        b.parse_markup('<handout><icons of="3" filled="4" label="x"/></handout>', "t")
    with pytest.raises(LayoutError):
        b.parse_markup('<handout><figure src="a.svg"/></handout>', "t")


def test_a_show_list_id_with_a_question_mark_is_shown_only_if_the_content_has_it() -> None:
    @dataclass
    class S:
        id: str
        essential: bool = False

    @dataclass
    class H:
        slug: str
        sections: list[S]

    h = H("demo", [S("a"), S("b", essential=True), S("c")])
    assert [s.id for s in shown_sections(h, {"demo": ["b", "c", "later?"]})] == ["b", "c"]
    with pytest.raises(LayoutError) as err:
        shown_sections(h, {"demo": ["b", "later"]}, layout="x")
    assert "'id?'" in (err.value.hint or "")
    with pytest.raises(LayoutError):
        shown_sections(h, {"demo": ["a", "c?"]}, layout="x")  # leaves out essential 'b'


@pytest.mark.parametrize("layout", ["trifold", "large-print"])
def test_balanced_titles_break_between_words_only(build: Callable[..., Made], ws: Workspace,
                                                  layout: str) -> None:
    """Balancing narrows the lines, never below the widest word: no word is split."""
    handout = load(ws, "nk-cells")
    with build(layout).open() as pdf:
        page = pdf.pages[0]
        if layout == "trifold":  # the cover
            page = page.crop((page.width * 2 / 3, 0, page.width, page.height))
        lines = page.extract_text_lines()
        size = max(round(ln["chars"][0]["size"]) for ln in lines)
        title = " ".join(ln["text"] for ln in lines if round(ln["chars"][0]["size"]) == size)
    assert title.replace("\u00a0", " ") == handout.title


@pytest.mark.parametrize("clinic", [False, True])
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_personal_copy_keeps_every_layouts_page_budget(build: Callable[..., Made],
                                                         ws: Workspace, layout: str,
                                                         paper: str, clinic: bool) -> None:
    budget = resolve(ws, layout, paper)[0].page_budget(paper)
    made = build(layout, paper, clinic, personal_=True)
    assert made.pages <= budget
    with made.open() as pdf:
        assert "Ana López" in pdf.pages[0].extract_text()
