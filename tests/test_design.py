"""Print design measured from the PDF (issue 10): line length, type sizes and leading,
distance from the paper's edge, page fill, the masthead, alerts, sources and the glossary's
header row, the tri-fold's folding geometry and panels, the icon array and its alt text, SVG
figures, essential sections and the palettes' contrast.

Every rule is measured on every copy it applies to: each edition of nk-cells (en-GB, en-US,
es-US) in each layout, on Letter and A4, with and without the example clinic, shared and as
a personal copy (``copies``); what is measured is read back with pdfplumber (and the tagged
PDF's structure tree with pikepdf), against each edition's own labels and headings.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from conftest import DemoWorkspace, Made, Run, flat, pdf_text, readable

from handouts.build import context, load, resolve
from handouts.colours import contrast, gray_of
from handouts.content.clinic import load_clinic
from handouts.content.model import Handout
from handouts.errors import LayoutError
from handouts.layout import blocks as b
from handouts.layout.merge import Merger, long_date, shown_sections
from handouts.layout.spec import load_layout
from handouts.render.document import fold_panels
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

EDITIONS = ("en-GB", "en-US", "es-US")
LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = ("letter", "a4")
INCH = 72.0
# Issue 10's type, per layout: (body at least, nothing under), in points.
TYPE = {"standard": (12, 9), "trifold": (11, 8), "large-print": (18, 16)}
WHITE = ((1,), (1, 1, 1), [1], [1, 1, 1])


Copy = tuple[str, str, str, bool, bool]  # layout, edition, paper, clinic, personal


def keys(*layouts: str, clinic: tuple[bool, ...] = (False, True),
         personal: tuple[bool, ...] = (False, True)) -> list[Copy]:
    """Every copy of ``layouts`` (all of them if none is named): every edition, Letter and
    A4, with and without the example clinic, shared and personal."""
    return list(itertools.product(layouts or LAYOUTS, EDITIONS, PAPERS, clinic, personal))


def over(copies_: list[Copy]) -> pytest.MarkDecorator:
    """Run a test on each of ``copies_``; its ``made`` fixture is that copy."""
    return pytest.mark.parametrize("copy", copies_, ids=[
        f"{lay}-{ed}-{pap}-{'clinic' if cl else 'none'}-{'personal' if pe else 'shared'}"
        for lay, ed, pap, cl, pe in copies_])


def copies(*layouts: str, clinic: tuple[bool, ...] = (False, True),
           personal: tuple[bool, ...] = (False, True)) -> pytest.MarkDecorator:
    """Run a test on every copy of ``layouts`` (see ``keys``)."""
    return over(keys(*layouts, clinic=clinic, personal=personal))


@pytest.fixture
def made(build: Callable[..., Made], copy: Copy) -> Made:
    layout, edition, paper, clinic, personal = copy
    return build(layout, paper, clinic, personal_=personal, edition=edition)


@pytest.fixture(scope="module")
def nk(ws: Workspace) -> Callable[[str], Handout]:
    """nk-cells in an edition, loaded once per module."""
    return cache(partial(load, ws, "nk-cells"))


def printed_objects(page: Any) -> list[dict[str, Any]]:
    """What is printed on a page: characters (not blank ones), rules, boxes, drawings and
    pictures."""
    return [o for kind in ("chars", "rects", "lines", "curves", "images")
            for o in getattr(page, kind) if kind != "chars" or o["text"].strip()]


def body_lines(page: Any, size: float, right: float) -> list[str]:
    """Lines of regular body-size text that end inside the text measure (``right``), without
    a list's bullet."""
    lines = []
    for line in page.extract_text_lines(strip=True):
        chars = line["chars"]
        if all(round(c["size"], 1) == size and "Bold" not in c["fontname"] for c in chars) \
                and line["x1"] <= right + 1:
            lines.append(line["text"].removeprefix("\u2022").strip())
    return lines


# ---------------------------------------------------------------- every layout


@copies()
def test_type_sizes_and_leading(made: Made, ws: Workspace) -> None:
    """Body at least 12 pt (tri-fold 11, large print 18) with leading at least 1.3 times its
    size; nothing under 9 pt (tri-fold 8, large print 16), sources, notes, header and footer
    included."""
    body_least, floor = TYPE[made.layout]
    sizes = [round(c["size"], 1) for p in made.pdf.pages for c in p.chars if c["text"].strip()]
    body = statistics.mode(sizes)
    assert body >= body_least, body
    assert min(sizes) >= floor, sorted(set(sizes))
    steps = []  # from one line of body text to the next below it
    for column in readable(made, ws):
        lines = [ln for ln in column.extract_text_lines(strip=True)
                 if {round(c["size"], 1) for c in ln["chars"] if c["text"].strip()} == {body}
                 and any("Bold" not in c["fontname"] for c in ln["chars"])]
        steps += [b["top"] - a["top"] for a, b in itertools.pairwise(lines)]
    assert len(steps) >= 10
    assert min(steps) >= 1.3 * body - 0.05, min(steps)


@copies()
def test_nothing_is_printed_within_0_4_in_of_the_paper_edge(made: Made) -> None:
    """Text, rules, boxes and pictures, headers and footers included: office lasers clip
    closer than that."""
    inset = 0.4 * INCH - 0.001  # a rule ending exactly at the inset is in (float noise)
    for page in made.pdf.pages:
        printed = printed_objects(page)
        assert min(o["top"] for o in printed) >= inset
        assert max(o["bottom"] for o in printed) <= page.height - inset
        assert min(o["x0"] for o in printed) >= inset
        assert max(o["x1"] for o in printed) <= page.width - inset


@copies()
def test_every_essential_section_is_printed(made: Made, ws: Workspace,
                                            nk: Callable[[str], Handout]) -> None:
    text = flat(" ".join(c.extract_text() or "" for c in readable(made, ws)))
    essential = [s.heading for s in nk(made.edition).sections if s.essential]
    assert essential
    assert [h for h in essential if flat(h) not in text] == []


def _figures(data: bytes) -> list[str]:
    """The /Alt of every Figure in the tagged PDF's structure tree."""
    def walk(elem: Any) -> Iterator[Any]:
        yield elem
        kids = elem.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(e.get("/Alt", "")) for e in walk(pdf.Root.StructTreeRoot)
                if e.get("/S") == pikepdf.Name.Figure]


def _walk(blocks: Any) -> Any:
    for block in blocks:
        yield block
        for attr in ("children", "cells"):
            yield from _walk(getattr(block, attr, ()))


@copies()
def test_icon_array_shows_2_of_3_and_keeps_its_label_as_alt_text(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    """Three people drawn, two filled, beside the label; the label is the block's alt and
    the /Alt of a Figure in the tagged PDF."""
    handout = nk(made.edition)
    block = next(bl for s in handout.sections for bl in s.body if bl.kind == "icons")
    assert (block.icons.of, block.icons.filled) == (3, 2)
    loaded, paper = resolve(ws, made.layout, made.paper)
    tree = Merger.for_layout(loaded).blocks(context(handout, loaded, paper, None))
    icons = [x for x in _walk(tree) if isinstance(x, b.Icons)]
    assert [(i.of, i.filled, i.alt, i.role) for i in icons] == [
        (3, 2, block.icons.label, "figure")]
    assert block.icons.label in _figures(made.data)
    start = " ".join(block.icons.label.split()[:3])
    page = next(p for p in made.pdf.pages if p.search(start, regex=False))
    label = page.search(start, regex=False)[0]
    near = [c for c in page.curves if abs(c["top"] - label["top"]) < 30
            and label["x0"] - 120 < c["x1"] <= label["x0"]]
    smallest = min(c["width"] for c in near)
    heads = [c for c in near if abs(c["width"] - c["height"]) < 0.5
             and c["width"] < 1.3 * smallest]
    assert len(heads) == 3  # three people
    assert sum(1 for c in heads if c["fill"] and c["non_stroking_color"] not in WHITE) == 2


@copies(personal=(True,))
def test_a_personal_copy_keeps_the_page_budget_and_prints_the_name(made: Made,
                                                                   ws: Workspace) -> None:
    budget = resolve(ws, made.layout, made.paper)[0].page_budget(made.paper)
    assert made.pages <= budget
    assert "Ana López" in made.pdf.pages[0].extract_text()


@copies("standard", personal=(True,))
def test_standard_personal_copy_has_one_name_block_under_the_masthead(
        made: Made, nk: Callable[[str], Handout]) -> None:
    """Whose copy it is, at a glance: one bordered block under the title (not a grey line
    in the header band above the masthead) that opens "Prepared for" and the name in bold,
    at body size or near it; the clinician is named once on the page (REVIEW3 B3)."""
    labels = nk(made.edition).labels
    first = made.pdf.pages[0]
    title = first.search(nk(made.edition).title.split()[0], regex=False)[0]
    (label,) = first.search(labels.prepared_for, regex=False)
    name = first.search("Ana López", regex=False)[0]
    assert label["top"] > title["bottom"]  # under the masthead's title, not above it
    assert abs(name["top"] - label["top"]) < 2 and name["x0"] > label["x1"]
    assert all("Bold" in c["fontname"] for c in name["chars"])
    assert min(c["size"] for c in name["chars"]) >= 11
    assert any(r["stroke"] and r["x0"] < label["x0"] and r["top"] < label["top"]
               and r["bottom"] > name["bottom"] for r in first.rects)  # a bordered block
    assert flat(first.extract_text()).count("Dr. Mehta") == 1
    assert not any("Ana López" in flat(p.extract_text()) for p in made.pdf.pages[1:])


def _luma(colour: Any) -> float:
    """A pdfplumber colour (gray, RGB or nothing) as a gray level, 0 black to 1 white."""
    values = tuple(colour) if isinstance(colour, (tuple, list)) else (colour or 0,)
    return values[0] if len(values) == 1 else 0.299 * values[0] + 0.587 * values[1] + \
        0.114 * values[2]


def _alert(made: Made, label: str) -> tuple[Any, dict[str, Any], dict[str, Any], Any]:
    """The alert labelled ``label``: its page, the label, its bordered box and the marker
    beside the label. Bold labels in boxes with a border and a marker: shape, not colour
    alone, so they survive gray printing."""
    hits = [(page, hit) for page in made.pdf.pages for hit in page.search(label, regex=False)]
    for page, hit in hits:
        boxes = [r for r in page.rects if r["stroke"] and r["x0"] < hit["x0"] < r["x1"]
                 and r["top"] < hit["top"] < r["bottom"]]
        if not boxes:
            continue
        assert all("Bold" in c["fontname"] for c in hit["chars"]), label
        middle = (hit["top"] + hit["bottom"]) / 2
        markers = [c for c in page.curves if c["fill"] and c["x1"] < hit["x0"]
                   and abs((c["top"] + c["bottom"]) / 2 - middle) < 6]
        assert markers, f"{label}: no marker beside the label"
        return page, hit, min(boxes, key=lambda r: r["width"] * r["height"]), markers[0]
    raise AssertionError(f"{label}: no bordered box")


@over(keys() + [(lay, "en-GB", "letter", clinic, False) for lay in LAYOUTS
                for clinic in (False, True)])
def test_get_help_now_is_more_urgent_than_important(
        made: Made, build: Callable[..., Made], nk: Callable[[str], Handout]) -> None:
    """'Important' and 'Get help now' (in the edition's words) are alerts; 'Important' has a
    solid rule down its side and a round marker. 'Get help now' has a form of its own that
    looks more urgent, in colour and in gray (REVIEW3 B10): a border at least 2 pt (and
    no thinner than Important's), its label reversed, white and bold, on a solid dark band
    across the box, and a warning triangle, not a circle."""
    labels = nk(made.edition).labels
    for copy in (made, build(made.layout, made.paper, made.clinic, grayscale=True,
                             personal_=made.personal, edition=made.edition)):
        page, hit, box, marker = _alert(copy, labels.important)
        rules = [r for r in page.rects if r["fill"] and r["width"] <= 6
                 and r["height"] > 20 and r["top"] <= hit["top"] <= r["bottom"]]
        assert rules, "Important: no rule down the side"
        assert len(marker["pts"]) >= 5  # a circle (four Bezier arcs)
        thin = box["linewidth"]
        page, hit, box, marker = _alert(copy, labels.get_help_now)
        assert box["linewidth"] >= max(2, thin)
        band = [r for r in page.rects if r["fill"] and r["width"] > 0.9 * box["width"]
                and r["top"] <= hit["top"] and r["bottom"] >= hit["bottom"]]
        assert band and min(_luma(r["non_stroking_color"]) for r in band) < 0.35, "no band"
        assert all(_luma(c["non_stroking_color"]) > 0.99 for c in hit["chars"])  # reversed
        assert len(marker["pts"]) <= 4  # a triangle


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gray_headings_and_labels_are_no_lighter_than_the_body(
        build: Callable[..., Made], nk: Callable[[str], Handout], layout: str) -> None:
    """In --grayscale the accent (27 % gray in colour) would print headings and labels
    lighter than the body text: there they print in the body's colour (REVIEW3 B10)."""
    made = build(layout, "letter", True, grayscale=True)
    chars = [c for p in made.pdf.pages for c in p.chars if c["text"].strip()]
    body = statistics.mode(_luma(c["non_stroking_color"]) for c in chars
                           if "Bold" not in c["fontname"])
    dark = [_luma(c["non_stroking_color"]) for c in chars if "Bold" in c["fontname"]
            and _luma(c["non_stroking_color"]) < 0.5 and c["text"] != "!"]  # not a marker
    assert dark and max(dark) <= body + 0.001, (max(dark), body)


NUMBER = re.compile(r"\d{1,2}\.")


@over(keys(clinic=(False,)) + keys("trifold", clinic=(True,)))
def test_sources_have_aligned_numbers_a_hanging_indent_and_readable_type(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    """Where sources are listed (every copy with no online address; the tri-fold's short
    list always): in each column the numbers end at the same place, every line of an entry
    starts where its text does, right of the number; 9 pt at least (tri-fold 8, large print
    16); a clear gap above the small print, which opens with the short-version line (or,
    with a clinic, who published it)."""
    labels = nk(made.edition).labels
    column = next(c for c in readable(made, ws) for h in c.search(labels.sources, regex=False)
                  if all("Bold" in ch["fontname"] for ch in h["chars"]))
    heading = [h for h in column.search(labels.sources, regex=False)
               if all("Bold" in ch["fontname"] for ch in h["chars"])][-1]
    opening = labels.published_by if made.clinic else labels.short_version.split(".")[0]
    small = column.search(opening, regex=False)[-1]
    words = [w for w in column.extract_words(extra_attrs=["size"])
             if heading["bottom"] < w["top"] < small["top"]]
    numbers = sorted((w for w in words if NUMBER.fullmatch(w["text"])), key=lambda w: w["x1"])
    columns: list[list[dict[str, Any]]] = []
    for number in numbers:  # right-aligned numbers: a column's numbers share their right end
        if columns and number["x1"] - columns[-1][0]["x1"] < 20:
            columns[-1].append(number)
        else:
            columns.append([number])
    listed, bottom = [], heading["bottom"]
    for n, col in enumerate(columns):
        assert max(w["x1"] for w in col) - min(w["x1"] for w in col) < 0.6, "numbers misaligned"
        left = min(w["x0"] for w in col) - 1
        right = min(w["x0"] for w in columns[n + 1]) - 1 if n + 1 < len(columns) else 1e9
        band = [w for w in words if left <= w["x0"] < right]
        starts = [min((w for w in band if abs(w["top"] - k["top"]) < 1 and w["x0"] > k["x1"]),
                      key=lambda w: w["x0"]) for k in col]
        indent = starts[0]["x0"]
        assert indent > col[0]["x1"] and all(abs(w["x0"] - indent) < 0.6 for w in starts)
        for top in sorted({round(w["top"], 1) for w in band}):  # line by line, down
            line = sorted((w for w in band if abs(w["top"] - top) < 1), key=lambda w: w["x0"])
            if NUMBER.fullmatch(line[0]["text"]):
                listed.append(int(line[0]["text"][:-1]))
            elif abs(line[0]["x0"] - indent) >= 0.6:
                break  # the list's end: what follows starts elsewhere
            assert min(round(w["size"], 1) for w in line) >= TYPE[made.layout][1], line[0]["text"]
            bottom = max(bottom, *(w["bottom"] for w in line))
    assert listed == list(range(1, len(numbers) + 1)), listed  # no entry left off the list
    assert len(listed) >= 10
    assert small["top"] - bottom >= 6  # clear of the small print (a rule between)


# ---------------------------------------------------------------- the standard sheet


@copies("standard")
def test_standard_body_lines_hold_45_to_75_characters(made: Made, ws: Workspace) -> None:
    """The measure: full lines of body text (not a paragraph's short last line), in
    Spanish's longer words too."""
    spec = load_layout(ws, "standard").spec
    right = spec.margins.left + (spec.measure or 0)
    lengths = [len(t) for p in made.pdf.pages for t in body_lines(p, 12.0, right)]
    full = [n for n in lengths if n >= 0.8 * max(lengths)]
    assert len(full) >= 12
    assert 45 <= statistics.median(full) <= 75, statistics.median(full)
    assert max(lengths) <= 80


@copies("standard")
def test_standard_keeps_two_pages_and_uses_the_second(made: Made) -> None:
    assert made.pages == 2
    second = made.pdf.pages[1]  # the back of the sheet is used, not a stray line
    words = [c for c in second.chars if 0.8 * INCH < c["top"] < second.height - 0.8 * INCH]
    assert max(c["bottom"] for c in words) - min(c["top"] for c in words) \
        > 0.4 * (second.height - 1.6 * INCH)


def _words(text: str, count: int = 5) -> str:
    """The first words of a content text as printed (no Markdown stars)."""
    return " ".join(text.replace("**", "").split()[:count])


@copies("standard")
def test_standard_keeps_a_short_section_on_one_page(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    """A section of at most a quarter of a page (a heading and a short list, or two short
    paragraphs) is never split over the sheet: its heading and its last item are printed on
    the same page, never that item alone at the top of page 2 (REVIEW3 B1)."""
    handout = nk(made.edition)
    pages = [flat(p.extract_text()) for p in made.pdf.pages]
    for section in shown_sections(handout, load_layout(ws, "standard").spec.show):
        last = section.body[-1]
        start = _words(section.heading, 3)
        end = _words(last.items[-1] if last.items else last.text)
        if len(section.body) <= 3:  # a short section (the long ones may break)
            assert [n for n, t in enumerate(pages) if start in t] == \
                [n for n, t in enumerate(pages) if end in t], section.id


@copies("standard", clinic=(True,))
def test_standard_clinic_qr_code_is_20mm_with_a_heading_and_a_caption_beside_it(
        made: Made, nk: Callable[[str], Handout]) -> None:
    """With a clinic, the sheet's only way to the full version is its QR code: the code
    itself (its modules) at least 20 mm across, to scan from an office laser print, under
    "Full version online", with "Scan for the full version..." centred beside it (REVIEW3
    B11)."""
    labels = nk(made.edition).labels
    page = made.pdf.pages[-1]
    modules = [r for r in page.rects if r["fill"] and r["height"] < 3 and r["width"] < 15]
    left, right = min(r["x0"] for r in modules), max(r["x1"] for r in modules)
    top, bottom = min(r["top"] for r in modules), max(r["bottom"] for r in modules)
    assert min(right - left, bottom - top) >= 20 / 25.4 * INCH
    heading = page.search(labels.full_version_online, regex=False)
    assert heading and heading[0]["bottom"] < top
    caption = [w for w in page.extract_words() if w["x0"] > right and
               top <= w["top"] and w["bottom"] <= bottom]
    assert flat(" ".join(w["text"] for w in caption)).startswith(labels.scan_full_version)
    middle = (min(w["top"] for w in caption) + max(w["bottom"] for w in caption)) / 2
    assert abs(middle - (top + bottom) / 2) < 4


@copies("standard")
def test_standard_page_one_has_a_masthead_and_no_running_header(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    """Page 2's running header (the title, or the clinic's name) is not above page 1's
    masthead: the label, the title and, with a clinic, its logo and phone."""
    handout = nk(made.edition)
    first, second = made.pdf.pages
    clinic = load_clinic(ws, "example-clinic") if made.clinic else None
    running = clinic.name if clinic else handout.title
    assert running in flat(second.crop((0, 0, second.width, 0.75 * INCH)).extract_text())
    top = first.search(handout.labels.patient_information, regex=False)[0]["top"]
    assert not first.crop((0, 0, first.width, top - 1)).chars  # the masthead is page 1's top
    band = first.crop((0, 0, first.width, 2 * INCH))
    if clinic:  # the clinic's card at the right: its logo above its phone
        assert band.images and clinic.phone in band.extract_text(), "the clinic's card"
        band = band.crop((0, 0, min(i["x0"] for i in band.images), 2 * INCH))
    masthead = flat(band.extract_text())
    assert handout.labels.patient_information in masthead and flat(handout.title) in masthead


@copies("standard")
def test_standard_author_line_is_the_publisher_or_the_clinic(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    handout = nk(made.edition)
    publisher = load_clinic(ws, "example-clinic").name if made.clinic else handout.publisher
    assert f"{handout.labels.published_by} {publisher}." in flat(
        made.pdf.pages[-1].extract_text())


@copies("standard")
def test_glossary_has_a_header_row_from_the_labels(made: Made,
                                                   nk: Callable[[str], Handout]) -> None:
    handout = nk(made.edition)
    labels = handout.labels
    page, head, meaning = next(  # the two column headings side by side
        (p, w, m) for p in made.pdf.pages for m in p.search(labels.meaning, regex=False)
        for w in p.search(labels.word, regex=False)
        if abs(w["top"] - m["top"]) < 1 and w["x1"] < m["x0"])
    assert all("Bold" in c["fontname"] for c in head["chars"] + meaning["chars"])
    first_term = page.search(handout.glossary[0].term.split()[0], regex=False)
    assert any(t["top"] > head["bottom"] and abs(t["x0"] - head["x0"]) < 1
               for t in first_term)


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


@copies("trifold")
def test_trifold_text_stays_inside_its_panels_clear_of_the_folds(made: Made,
                                                                 ws: Workspace) -> None:
    layout, _ = resolve(ws, "trifold", made.paper)
    margin = layout.spec.margins.left
    assert made.pages == 2
    for page, panels in zip(made.pdf.pages, fold_panels(layout, made.pdf.pages[0].width),
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


@copies("trifold")
def test_no_trifold_section_crosses_a_fold(made: Made, ws: Workspace,
                                           nk: Callable[[str], Handout]) -> None:
    """A section's heading and the end of its last block sit in the same panel, and no
    panel is two-thirds empty while another is crammed."""
    layout, _ = resolve(ws, "trifold", made.paper)
    inside = made.pdf.pages[1]
    panels = fold_panels(layout, inside.width)[1]
    shown = shown_sections(nk(made.edition), layout.spec.show, "trifold")
    assert len(shown) >= 4
    for section in shown:
        words = section.heading.split()  # not the last word: its [ ] numbers follow it
        head = find_words(inside, " ".join(words[:min(3, len(words) - 1)]))[0]
        last = section.body[-1]
        text = last.text or (last.items[-1] if last.items else "") or \
            (last.icons.label if last.icons else "") or \
            (last.figure.caption if last.figure else "")
        end = find_words(inside, " ".join(text.replace("**", "").split()[-3:]))[-1]
        assert panel_of(head["x0"], panels) == panel_of(end["x0"], panels), section.id
    for page, sides in zip(made.pdf.pages, fold_panels(layout, inside.width), strict=True):
        fills = []
        for x, w in sides:  # text and drawings (the cover's picture)
            printed = [o for o in printed_objects(page) if x <= o["x0"] < x + w]
            fills.append((max(o["bottom"] for o in printed) - min(o["top"] for o in printed))
                         / page.height)
        assert min(fills) > 1 / 3, fills


@copies("trifold")
def test_trifold_cover_key_points_on_the_flap_and_a_balanced_title(
        made: Made, ws: Workspace, nk: Callable[[str], Handout]) -> None:
    """Key points on the flap, the first panel seen when the cover opens; the cover has the
    label, the title in lines of two words or more, the drawing and (a clinic) its logo."""
    labels = nk(made.edition).labels
    layout, _ = resolve(ws, "trifold", made.paper)
    outside = made.pdf.pages[0]
    flap, _back, cover = fold_panels(layout, outside.width)[0]
    key = outside.search(labels.key_points, regex=False)[0]
    assert key["x1"] < flap[1]
    label = outside.search(labels.patient_information, regex=False)[0]
    assert label["x0"] > cover[0]
    lines = outside.crop((cover[0], 0, outside.width, outside.height)).extract_text_lines()
    size = max(round(ln["chars"][0]["size"]) for ln in lines)
    title = [ln for ln in lines if round(ln["chars"][0]["size"]) == size]
    assert size >= 20 and len(title) >= 2
    assert all(len(ln["text"].split()) >= 2 for ln in title), title
    assert len([c for c in outside.curves if c["x0"] > cover[0]]) >= 3  # the drawing
    assert bool(outside.images) == made.clinic, "the clinic's logo, with a clinic"


@copies("trifold", "large-print")
def test_balanced_titles_break_between_words_only(made: Made,
                                                  nk: Callable[[str], Handout]) -> None:
    """Balancing narrows the lines, never below the widest word: no word is split."""
    page = made.pdf.pages[0]
    if made.layout == "trifold":  # the cover
        page = page.crop((page.width * 2 / 3, 0, page.width, page.height))
    lines = page.extract_text_lines()
    size = max(round(ln["chars"][0]["size"]) for ln in lines)
    title = " ".join(ln["text"] for ln in lines if round(ln["chars"][0]["size"]) == size)
    assert title.replace("\u00a0", " ") == nk(made.edition).title


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


# ---------------------------------------------------------------- large print


@copies("large-print")
def test_large_print_pagination(made: Made, nk: Callable[[str], Handout]) -> None:
    """Six pages at most; no page under 40 % full but the last; the last is more than the
    small print; the review date printed once a page (the footer), the next review once."""
    handout = nk(made.edition)
    assert made.pages <= 6
    pages = made.pdf.pages
    frame = pages[0].height - 1.65 * INCH
    for number, page in enumerate(pages[:-1], 1):
        body = [c for c in page.chars if 0.85 * INCH < c["top"] < page.height - 0.8 * INCH]
        fill = (max(c["bottom"] for c in body) - min(c["top"] for c in body)) / frame
        assert fill >= 0.4, (number, fill)
    last = flat(pages[-1].extract_text())
    assert handout.disclaimer.split(":")[0] in last
    assert len(last) > 2 * len(handout.disclaimer) + 60  # not the small print alone
    text = pdf_text(made.data)  # paragraph by paragraph, not across the source columns
    reviewed = long_date(handout.reviewed, handout.language)
    read = handout.labels.accessed.format(date=reviewed)  # a source read that day
    assert text.count(reviewed) - text.count(read) == made.pages
    assert text.count(long_date(handout.review_by, handout.language)) == 1


@copies("large-print")
def test_large_print_has_no_text_on_tints(made: Made) -> None:
    """Boxes are white with a dark border of 2 pt or more; the only other fill is a dark
    band with a label reversed out of it in white ("Get help now"), not a tint."""
    for page in made.pdf.pages:
        for r in page.rects:
            if r["fill"] and r["width"] > 10 and r["height"] > 10 and \
                    r["non_stroking_color"] not in WHITE:
                assert _luma(r["non_stroking_color"]) < 0.35, r
                on = page.crop((r["x0"], r["top"], r["x1"], r["bottom"])).chars
                assert all(_luma(c["non_stroking_color"]) > 0.99 for c in on
                           if c["text"] != "!"), r  # white, but the warning sign's mark
        framed = [r for r in page.rects if r["stroke"] and r["width"] > 100]
        assert all(r["linewidth"] >= 2 for r in framed)


@copies("large-print")
def test_large_print_headings_break_in_balanced_lines(made: Made) -> None:
    """No heading (bold, 22 pt or more) ends in a second line of one word."""
    for page in made.pdf.pages:
        lines = page.extract_text_lines()
        for first, second in itertools.pairwise(lines):
            size = round(first["chars"][0]["size"])
            if size >= 22 and "Bold" in first["chars"][0]["fontname"] \
                    and round(second["chars"][0]["size"]) == size \
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
        # a box's label on its band ("Get help now") is printed on the band only
        banded = {f"{n}_title": colour(s.band) for n, s in spec.styles.items() if s.band}
        for name, style in spec.styles.items():
            text = colour(style.colour or spec.styles["body"].colour)
            for ground in [banded[name]] if name in banded else grounds:
                for convert in (str, gray_of):
                    assert contrast(convert(text), convert(ground)) >= 4.5, (name, text, ground)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_tint_also_has_a_border_or_a_rule(ws: Workspace, layout: str) -> None:
    spec = load_layout(ws, layout).spec
    for name, style in spec.styles.items():
        ground = spec.colours.get(style.background or "", style.background)
        if ground and ground.lower() != "#ffffff":
            assert style.border or style.rule, name


def test_no_break_spaces_from_a_template_reach_the_page() -> None:
    """A name, a date or "et al, 2021" bound with U+00A0 stays bound: the block markup
    collapses a template's own line breaks and spaces, never a no-break space (REVIEW3 M24)."""
    (para,) = b.parse_markup('<handout><p>  Next review due\n  2\u00a0December\u00a02027 '
                             '</p></handout>', "t")
    assert isinstance(para, b.Paragraph)
    assert para.text.markup == "Next review due 2\u00a0December\u00a02027"
    assert long_date(datetime.date(2027, 12, 2)) == "2 December 2027"  # as data: plain spaces


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
