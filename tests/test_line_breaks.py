"""Where lines and pages break (issue 10, REVIEW3), measured from the PDF with pdfplumber on
every edition of nk-cells in every layout, on Letter and A4, with and without the example
clinic: headings and subtitles with no word alone on their last line, terms and figures kept
on one line, no list leaving a single item either side of a page or panel break."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Made

from handouts.build import resolve
from handouts.render.document import fold_panels
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

EDITIONS = ("en-GB", "en-US", "es-US")
LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = ("letter", "a4")
COPIES = list(itertools.product(LAYOUTS, EDITIONS, PAPERS, (False, True)))
every_copy = pytest.mark.parametrize(
    "copy", COPIES, ids=[f"{lay}-{ed}-{pap}-{'clinic' if cl else 'none'}"
                         for lay, ed, pap, cl in COPIES])


@pytest.fixture
def made(build: Callable[..., Made], copy: tuple[str, str, str, bool]) -> Made:
    layout, edition, paper, clinic = copy
    return build(layout, paper, clinic, edition=edition)


def style_of(ws: Workspace, made: Made, name: str) -> tuple[float, bool]:
    """A style's size and weight in the copy's layout."""
    layout, _ = resolve(ws, made.layout, made.paper)
    chain = [layout.spec.styles[name]]
    while chain[-1].parent and chain[-1].parent in layout.spec.styles:
        chain.append(layout.spec.styles[chain[-1].parent])
    size = next(s.size for s in chain if s.size is not None)
    return float(size), bool(next((s.bold for s in chain if s.bold is not None), False))


def columns(made: Made, ws: Workspace) -> Iterator[Any]:
    """Each page, or on a tri-fold each panel (outside, then inside), as a pdfplumber page."""
    for number, page in enumerate(made.pdf.pages):
        if made.layout != "trifold":
            yield page
            continue
        layout, _ = resolve(ws, "trifold", made.paper)
        for x, w in fold_panels(layout, page.width)[number]:
            yield page.crop((x, 0, x + w, page.height))


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
    for page in columns(made, ws):
        for name in ("h2", "subtitle"):
            for run in runs(page, *style_of(ws, made, name)):
                if len(run) > 1:
                    assert len(words(run[-1])) >= 2, (name, run)


@every_copy
def test_an_abbreviation_stays_with_its_noun_in_headings(made: Made, ws: Workspace) -> None:
    """B9: "NK cells" (English) and "células NK" (Spanish) never broken in a heading."""
    spanish = made.edition.startswith("es")
    for page in columns(made, ws):
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
    for page in columns(made, ws):
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
