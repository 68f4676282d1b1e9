"""Where lines and pages break (issue 10, REVIEW3), measured from the PDF with pdfplumber on
every edition of nk-cells in every layout, on Letter and A4, with and without the example
clinic, shared and personal: headings and subtitles with no word alone on their last line,
terms and figures kept on one line, no list leaving a single item either side of a page or
panel break."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Made, readable

from handouts.build import resolve
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

EDITIONS = ("en-GB", "en-US", "es-US")
LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = ("letter", "a4")
COPIES = list(itertools.product(LAYOUTS, EDITIONS, PAPERS, (False, True), (False, True)))
every_copy = pytest.mark.parametrize(
    "copy", COPIES, ids=[f"{lay}-{ed}-{pap}-{'clinic' if cl else 'none'}"
                         f"{'-personal' if pe else ''}" for lay, ed, pap, cl, pe in COPIES])


@pytest.fixture
def made(build: Callable[..., Made], copy: tuple[str, str, str, bool, bool]) -> Made:
    layout, edition, paper, clinic, personal = copy
    return build(layout, paper, clinic, personal_=personal, edition=edition)


def style_of(ws: Workspace, made: Made, name: str) -> tuple[float, bool]:
    """A style's size and weight in the copy's layout."""
    layout, _ = resolve(ws, made.layout, made.paper)
    chain = [layout.spec.styles[name]]
    while chain[-1].parent and chain[-1].parent in layout.spec.styles:
        chain.append(layout.spec.styles[chain[-1].parent])
    size = next(s.size for s in chain if s.size is not None)
    return float(size), bool(next((s.bold for s in chain if s.bold is not None), False))


def runs(page: Any, size: float, bold: bool) -> Iterator[list[str]]:
    """The lines of each paragraph set in ``size`` (and bold or not), top to bottom: lines
    that follow one another at that size, from the same left edge."""
    run: list[str] = []
    last: dict[str, Any] | None = None
    for line in page.extract_text_lines(strip=True):
        first = line["chars"][0]
        if round(first["size"], 1) != size or ("Bold" in first["fontname"]) != bold:
            continue
        if last is not None and (line["top"] - last["bottom"] > size
                                 or abs(line["x0"] - last["x0"]) > 2):
            yield run
            run = []
        run.append(line["text"])
        last = line
    if run:
        yield run


def words(line: str) -> list[str]:
    """A line's words, without the source numbers after a heading ("[1, 3]")."""
    return re.sub(r"\[[^\]]*\]", " ", line).split()


@every_copy
def test_headings_and_subtitles_leave_no_word_alone_on_their_last_line(
        made: Made, ws: Workspace) -> None:
    """B7, B9: an h2 heading (counting its source numbers with its last line) and the
    subtitle broken over lines never leave one word alone on the last."""
    for page in readable(made, ws):
        for name in ("h2", "subtitle"):
            for run in runs(page, *style_of(ws, made, name)):
                if len(run) > 1:
                    assert len(words(run[-1])) >= 2, (name, run)


@every_copy
def test_an_abbreviation_stays_with_its_noun_in_headings(made: Made, ws: Workspace) -> None:
    """B9: "NK cells" (English) and "células NK" (Spanish) never broken in a heading."""
    spanish = made.edition.startswith("es")
    for page in readable(made, ws):
        for name in ("h2", "title"):
            for run in runs(page, *style_of(ws, made, name)):
                for line in run[:-1] if not spanish else run[1:]:
                    edge = words(line)[-1] if not spanish else words(line)[0]
                    assert edge.strip("¿?") != "NK", run


def lines_of(page: Any) -> list[str]:
    return [line["text"] for line in page.extract_text_lines(strip=True)]


@every_copy
def test_a_figure_like_2_in_3_is_never_broken(made: Made, ws: Workspace) -> None:
    """B5: "2 in 3" and "2 de cada 3" stay on one line, in the icon array's label and
    everywhere else."""
    for page in readable(made, ws):
        for this, after in itertools.pairwise(lines_of(page)):
            joined = f"{this}\n{after}"
            for found in re.finditer(r"\b\d+\s(in|de\scada)\s\d+", joined):
                assert "\n" not in found.group(0), (this, after)


@every_copy
def test_the_icon_label_keeps_its_width_when_it_needs_three_lines(
        made: Made, ws: Workspace) -> None:
    """B5: a label beside the icons is balanced only when it fits two lines; on three it is
    set at the width beside the icons (not squeezed, leaving an empty strip at its right)."""
    if made.layout == "trifold":
        pytest.skip("the panels are narrow: the label goes under the icons")
    from handouts.render.document import text_block

    layout, _ = resolve(ws, made.layout, made.paper)
    size, bold = style_of(ws, made, "icons")
    for page in made.pdf.pages:
        left, width = text_block(layout, (page.width, page.height))
        for line in page.extract_text_lines(strip=True):
            first = line["chars"][0]
            if round(first["size"], 1) == size and ("Bold" in first["fontname"]) == bold \
                    and line["x0"] > left + 2 * size:  # beside the icons
                label = [ln for ln in page.extract_text_lines(strip=True)
                         if abs(ln["x0"] - line["x0"]) < 1 and
                         round(ln["chars"][0]["size"], 1) == size]
                if len(label) >= 3:
                    assert max(ln["x1"] for ln in label) > left + width * 0.88, label
                return


def list_lines(page: Any, left: float, size: float) -> list[str]:
    """Each line of a column, top to bottom, as 'item' (the first line of a list item: a
    bullet, a number or a tick box before it), 'more' (an item's next lines, indented) or
    'other' (a heading, a paragraph, a box)."""
    ticks = [r for r in page.rects if 0.5 * size < r["width"] < 1.5 * size
             and abs(r["width"] - r["height"]) < 1]
    boxes = [r for r in page.rects if r["width"] > 100 and r["height"] > 2 * size]
    kinds = []
    for line in page.extract_text_lines(strip=True):
        middle = (line["top"] + line["bottom"]) / 2
        if any(b["x0"] < line["x0"] and b["top"] < middle < b["bottom"] for b in boxes):
            kinds.append("other")
        elif re.match(r"(\u2022|\d+\.)\s", line["text"]) or any(
                t["x1"] <= line["x0"] + 1 and t["top"] - 2 < middle < t["bottom"] + 2
                for t in ticks):
            kinds.append("item")
        else:
            kinds.append("more" if line["x0"] > left + 0.5 * size else "other")
    return kinds


@every_copy
def test_no_list_leaves_one_item_alone_either_side_of_a_page_or_panel_break(
        made: Made, ws: Workspace) -> None:
    """B6: a list broken across pages (or tri-fold panels) keeps at least two items on each
    side (an item itself broken counts on both)."""
    layout, _ = resolve(ws, made.layout, made.paper)
    margins = layout.spec.margins
    size, _ = style_of(ws, made, "body")
    cols = []
    for page in readable(made, ws):
        body = page.crop((page.bbox[0], margins.top - 2, page.bbox[2],
                          page.height - margins.bottom + 2))
        if body.chars:
            left = min(o["x0"] for o in body.chars + body.rects)  # a tick box too
            cols.append(list_lines(body, left, size))
    for number, (before, after) in enumerate(itertools.pairwise(cols), 1):
        if before[-1] == "other" or after[0] == "other":
            continue  # the break is not inside a list
        tail = before[len(before) - before[::-1].index("other"):] if "other" in before \
            else before
        head = after[:after.index("other")] if "other" in after else after
        items_before = tail.count("item")
        items_after = head.count("item") + (head[0] == "more")
        assert items_before >= 2 and items_after >= 2, (number, tail, head)


@every_copy
def test_the_running_header_shows_the_whole_title(made: Made, ws: Workspace) -> None:
    """B8: on every page after the first, the running header prints the whole title (or the
    clinic's name), never cut off ("Células NK y pérdida repetida del embar…")."""
    if made.layout == "trifold":
        pytest.skip("a tri-fold has no running header")
    from handouts.build import load
    from handouts.content.clinic import load_clinic

    layout, _ = resolve(ws, made.layout, made.paper)
    expected = load_clinic(ws, "example-clinic").name if made.clinic else \
        load(ws, "nk-cells", made.edition).title
    for page in made.pdf.pages[1:]:
        header = " ".join(page.crop((0, 0, page.width, layout.spec.margins.top))
                          .extract_text().split())
        assert expected in header and "…" not in header, header


def test_a_header_too_long_is_cut_after_a_whole_word() -> None:
    """B8: a running header that cannot fit is cut at a word boundary, with an ellipsis."""
    from handouts.render.document import shortened

    title = "Células NK y pérdida repetida del embarazo"
    assert shortened(title, 100, len) == title
    assert shortened(title, 30, len) == "Células NK y pérdida repetida…"
    assert shortened("Células NK, y más", 12, len) == "Células NK…"
    assert shortened(title, 5, len) == ""


@pytest.mark.parametrize("copy", [c for c in COPIES if c[4]],
                         ids=[f"{lay}-{ed}-{pap}-{'clinic' if cl else 'none'}"
                              for lay, ed, pap, cl, pe in COPIES if pe])
def test_a_personal_copy_never_breaks_a_name(made: Made, ws: Workspace) -> None:
    """B4: the patient's and the clinician's names ("Ana López", "Dr. Mehta") each on one
    line, wherever the layout puts them."""
    for page in readable(made, ws):
        lines = [" ".join(line.split()) for line in lines_of(page)]
        for this, after in itertools.pairwise(lines):
            for name in ("Ana López", "Dr. Mehta"):
                first, rest = name.split(" ", 1)
                assert not (this.endswith(first) and after.startswith(rest)), (this, after)


@pytest.mark.parametrize("copy", [c for c in COPIES if c[0] == "large-print"],
                         ids=[f"{ed}-{pap}-{'clinic' if cl else 'none'}"
                              f"{'-personal' if pe else ''}"
                              for lay, ed, pap, cl, pe in COPIES if lay == "large-print"])
def test_large_print_leaves_no_short_word_alone_on_a_last_line(
        made: Made, ws: Workspace) -> None:
    """M13: no paragraph or list item ends in a line holding one word of 8 characters or
    fewer ("and all have / risks."): the runt rule takes the word before it along."""
    size, _ = style_of(ws, made, "body")
    for page in made.pdf.pages:
        lines = [ln for ln in page.extract_text_lines(strip=True)
                 if round(ln["chars"][0]["size"], 1) == size]
        for this, after in itertools.pairwise(lines):
            same_paragraph = after["top"] - this["bottom"] < size * 0.5 and \
                abs(after["x0"] - this["x0"]) < size  # an item's next line, or a paragraph's
            if same_paragraph and len(after["text"].split()) == 1:
                assert len(after["text"]) > 8, (this["text"], after["text"])
