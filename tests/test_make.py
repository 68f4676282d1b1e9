"""`handouts make`: the real PDF, read back — text in order, pages, fonts, metadata, bytes.

The NK-cell handout is built once per module (Letter and A4) through the public API; what it
should say is read from its content file with the project's loader, so these tests keep
passing while the wording of ``content/nk-cells/en.yaml`` changes. Small handouts written
into ``tmp_path`` (``tests/fixtures/*.yaml``) cover exact text, workspaces and the commands.
"""

from __future__ import annotations

import collections
import importlib.metadata
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml
from conftest import (
    FIXTURES,
    DemoWorkspace,
    Run,
    flat,
    pdf_pages,
    pdf_reader,
    pdf_text,
    run_module,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfReader

import handouts
from handouts.content.model import Handout

pytestmark = pytest.mark.usefixtures("clean_env")

PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
SUBSET_NAME = re.compile(r"^/[A-Z]{6}\+")
STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
               "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman",
               "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats"}


# ---------------------------------------------------------------- helpers


_MD = MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks", "newline"])


def plain(text: str) -> str:
    """What a content string looks like on paper: Markdown marks gone, whitespace folded."""
    tokens = _MD.parseInline(text)[0].children or []
    return flat("".join(t.content for t in tokens if t.type in ("text", "code_inline")))


def in_order(haystack: str, needles: list[str]) -> list[int]:
    """Positions of ``needles`` found one after another in ``haystack`` (fails if one isn't)."""
    positions, start = [], 0
    for needle in needles:
        at = haystack.find(needle, start)
        assert at >= 0, f"{needle!r} not found after position {start} in:\n{haystack[start:]}"
        positions.append(at)
        start = at + len(needle)
    return positions


def fonts_of(reader: PdfReader) -> list[tuple[int, str, Any]]:
    """(page number, resource name, font dictionary) for every font the pages use."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        fonts = page["/Resources"].get_object().get("/Font")
        for name, ref in (fonts.get_object() if fonts else {}).items():
            found.append((number, name, ref.get_object()))
    return found


def descriptor(font: Any) -> Any:
    """A font's descriptor (for a composite Type0 font, its descendant's)."""
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


@dataclass(frozen=True)
class Built:
    handout: Handout
    pdfs: dict[str, Path]
    text: dict[str, str]


@pytest.fixture(scope="module")
def nk(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """nk-cells built once on each paper, in an empty workspace (built-in content)."""
    from handouts.build import load, make
    from handouts.workspace.finder import Workspace

    root = tmp_path_factory.mktemp("nk-ws")
    ws = Workspace.discover(cwd=root, root=root)
    pdfs = {}
    for paper in PAPER_SIZES:
        made = make(ws, "nk-cells", paper=paper, out=root / f"nk-cells-{paper}.pdf")
        pdfs[paper] = made.path
    return Built(load(ws, "nk-cells"), pdfs, {p: pdf_text(f) for p, f in pdfs.items()})


@pytest.fixture
def special_ws(tmp_path: Path) -> DemoWorkspace:
    return DemoWorkspace(tmp_path / "ws", fixture="special.yaml")


def make_ok(cli: Callable[..., Run], *args: str, cwd: Path) -> Run:
    run = cli("make", *args, cwd=cwd)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


# ---------------------------------------------------------------- nk-cells: what it says


def shown(h: Any) -> list[Any]:
    """The sections the standard layout prints of a handout (its `show:` list)."""
    from handouts.layout.merge import shown_sections
    from handouts.layout.spec import load_layout
    from handouts.workspace.finder import Workspace

    layout = load_layout(Workspace.discover(cwd=Path("/"), root=None), "standard")
    return shown_sections(h, layout.spec.show, "standard")


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_nk_cells_opens_with_title_subtitle_and_key_points(nk: Built, paper: str) -> None:
    h, text = nk.handout, nk.text[paper]
    assert text.startswith(f"{flat(h.labels.patient_information)} {flat(h.title)}")
    first_section = text.find(plain(shown(h)[0].heading))
    points = in_order(text, [plain(h.subtitle or h.title), flat(h.labels.key_points),
                             *(plain(p) for p in h.key_points)])
    assert points[-1] < first_section, "key points must come before the first section"


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_nk_cells_section_headings_are_all_present_in_order(nk: Built, paper: str) -> None:
    """The sections the two-page sheet shows (every essential one among them), in order."""
    sections = shown(nk.handout)
    assert len(sections) >= 4
    assert all(s in sections for s in nk.handout.sections if s.essential)
    in_order(nk.text[paper], [plain(s.heading) for s in sections])


def test_nk_cells_every_body_block_is_printed_in_its_section(nk: Built) -> None:
    """Nothing is clipped or dropped: each paragraph, list item and callout is on paper."""
    text = nk.text["letter"]
    expected = []
    for section in shown(nk.handout):
        expected.append(plain(section.heading))
        for block in section.body:
            if block.icons:
                expected.append(plain(block.icons.label))
            elif block.figure:
                expected.append(plain(block.figure.caption or ""))
            else:
                expected.extend([plain(block.text)] if block.text else
                                [plain(i) for i in block.items])
    in_order(text, expected)


def test_nk_cells_questions_follow_the_sections_in_order(nk: Built) -> None:
    h, text = nk.handout, nk.text["letter"]
    last_section = in_order(text, [plain(s.heading) for s in shown(h)])[-1]
    found = in_order(text[last_section:],
                     [flat(h.labels.questions), *(plain(q) for q in h.questions.items)])
    assert found


def test_nk_cells_glossary_help_and_support_are_printed(nk: Built) -> None:
    h, text = nk.handout, nk.text["letter"]
    assert h.glossary, "the NK handout has a words-to-know list"
    in_order(text, [flat(h.labels.glossary), *(plain(e.term) for e in h.glossary)])
    for entry in h.glossary:
        assert plain(entry.meaning) in text
    for item in h.when_to_get_help:
        assert plain(item) in text
    for org in h.support:
        assert plain(org.name) in text


def printed_sources(h: Any) -> list[Any]:
    """The sources the standard sheet lists: those its printed sections cite, in order."""
    cited = {sid for section in shown(h) for sid in section.sources}
    return [s for s in h.sources if s.id in cited]


def refs(numbers: list[int]) -> str:
    """[ ] numbers as the sheet prints them: runs of three or more as a range (en dash)."""
    parts: list[str] = []
    for n in sorted(set(numbers)):
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(f"{a}\u2013{z}" if z - a >= 2 else f"{a}, {z}" if z > a else f"{a}"
                     for a, z in parts)


def test_nk_cells_sources_are_listed_with_publisher_and_year(nk: Built) -> None:
    """The two-page sheet lists the sources of the sections it prints, short (the publisher
    before any bracket, and the year, or for a live web page the day it was read), numbered in
    order; full titles and links are in the online copy. Sources of sections it leaves out
    are not listed."""
    h, text = nk.handout, nk.text["letter"]
    sources_at = text.rfind(flat(h.labels.sources))
    assert sources_at > 0
    listed = text[sources_at:]
    printed = printed_sources(h)
    assert 10 <= len(printed) < len(h.sources)
    for number, source in enumerate(printed, 1):
        short = flat(source.publisher.split(" (")[0])
        date = str(source.year) if source.year else "accessed"  # a live page: the day read
        assert f"{number}. {short}, {date}" in listed
    left_out = [s for s in h.sources if s not in printed]
    assert f"{len(printed) + 1}. " not in listed
    assert all(f". {flat(s.publisher.split(' (')[0])}, {s.year}" not in listed
               for s in left_out if s.year and s.publisher.split(" (")[0] not in
               {p.publisher.split(" (")[0] for p in printed})


def test_nk_cells_sections_cite_their_sources_by_number(nk: Built) -> None:
    h, text = nk.handout, nk.text["letter"]
    ids = [s.id for s in printed_sources(h)]
    for section in shown(h):
        if section.sources:
            numbers = [ids.index(s) + 1 for s in section.sources]
            assert f"{plain(section.heading)} [{refs(numbers)}]" in text


def test_nk_cells_shows_review_dates_version_and_disclaimer(nk: Built) -> None:
    from handouts.layout.merge import long_date

    h, text = nk.handout, nk.text["letter"]
    assert long_date(h.reviewed) in text and long_date(h.review_by) in text
    assert f"{h.labels.version} {h.version}" in text
    assert plain(h.disclaimer) in text


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_every_page_has_the_title_header_and_page_x_of_y(nk: Built, paper: str) -> None:
    h = nk.handout
    pages = pdf_pages(nk.pdfs[paper])
    for number, page in enumerate(pages, 1):
        page_text = flat(page)
        assert flat(h.labels.page.format(page=number, pages=len(pages))) in page_text
        assert flat(h.title) in page_text


# ---------------------------------------------------------------- nk-cells: the paper


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_nk_cells_page_size_is_the_paper_asked_for(nk: Built, paper: str) -> None:
    width, height = PAPER_SIZES[paper]
    for page in pdf_reader(nk.pdfs[paper]).pages:
        box = page.mediabox
        assert float(box.left) == 0 and float(box.bottom) == 0
        assert float(box.width) == pytest.approx(width, abs=0.01)
        assert float(box.height) == pytest.approx(height, abs=0.01)


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_nk_cells_fits_exactly_two_pages(nk: Built, paper: str) -> None:
    assert len(pdf_reader(nk.pdfs[paper]).pages) == 2


def test_body_text_is_at_least_12pt_and_nothing_is_under_9pt(nk: Built) -> None:
    h = nk.handout
    with pdfplumber.open(nk.pdfs["letter"]) as pdf:
        sizes = collections.Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars)
        assert min(sizes) >= 9, sizes
        checked = 0
        for section in shown(h):
            first = next((b.text for b in section.body if b.kind == "p"), None)
            if not first:
                continue
            words = " ".join(plain(first).split()[:3])
            hits = [m for page in pdf.pages for m in page.search(words, regex=False)]
            assert hits, words
            assert all(c["size"] >= 12 for c in hits[0]["chars"]), words
            checked += 1
        assert checked >= 3


def test_key_points_sit_in_a_shaded_box_and_questions_have_tick_boxes(nk: Built) -> None:
    h = nk.handout
    with pdfplumber.open(nk.pdfs["letter"]) as pdf:
        first = pdf.pages[0]
        point = first.search(" ".join(plain(h.key_points[0]).split()[:3]), regex=False)[0]
        shaded = [r for r in first.rects if r["fill"] and r["non_stroking_color"] not in
                  ((1,), (1, 1, 1), [1], [1, 1, 1])]
        assert any(r["x0"] <= point["x0"] and r["top"] <= point["top"]
                   and point["bottom"] <= r["bottom"] for r in shaded)
        boxes = [r for p in pdf.pages for r in p.rects
                 if r["stroke"] and not r["fill"] and abs(r["width"] - r["height"]) < 0.5
                 and 6 <= r["width"] <= 20]
        assert len(boxes) == len(h.questions.items)


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_the_layout_fonts_are_embedded_and_subset(nk: Built, paper: str) -> None:
    text_fonts = [(n, name, f) for n, name, f in fonts_of(pdf_reader(nk.pdfs[paper]))
                  if "NotoSans" in str(f["/BaseFont"])]
    assert {str(f["/BaseFont"]).split("+")[-1] for _, _, f in text_fonts} >= {
        "NotoSans-Regular", "NotoSans-Bold"}
    for page, name, font in text_fonts:
        assert SUBSET_NAME.match(str(font["/BaseFont"])), (page, name, font["/BaseFont"])
        embedded = descriptor(font)
        assert "/FontFile2" in embedded, (page, name)
        assert len(embedded["/FontFile2"].get_object().get_data()) > 1000


def test_every_font_in_the_pdf_is_embedded_and_subset(nk: Built) -> None:
    for page, name, font in fonts_of(pdf_reader(nk.pdfs["letter"])):
        base = str(font.get("/BaseFont", "")).lstrip("/")
        assert base not in STANDARD_14, f"page {page} uses unembedded {base} as {name}"
        assert SUBSET_NAME.match("/" + base), (page, name, base)
        assert "/FontFile2" in descriptor(font), (page, name)


def test_every_character_on_the_page_is_drawn_with_an_embedded_font(nk: Built) -> None:
    with pdfplumber.open(nk.pdfs["letter"]) as pdf:
        names = {c["fontname"] for p in pdf.pages for c in p.chars}
    assert all(re.match(r"^[A-Z]{6}\+", n) for n in names), names


def test_pdf_is_small_enough_to_email(nk: Built) -> None:
    for path in nk.pdfs.values():
        assert path.stat().st_size < 200 * 1024


# ---------------------------------------------------------------- metadata and determinism


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_metadata_title_author_subject_keywords_creator_and_lang(nk: Built, paper: str) -> None:
    h = nk.handout
    reader = pdf_reader(nk.pdfs[paper])
    info = reader.metadata
    assert info["/Title"] == h.title
    assert info["/Author"] == (h.publisher or ", ".join(h.authors))
    assert info["/Subject"] == (h.subtitle or h.audience)
    assert info["/Keywords"] == ", ".join(h.keywords)
    assert info["/Creator"] == f"handouts {importlib.metadata.version('handouts')}"
    assert info["/Creator"] == f"handouts {handouts.__version__}"
    assert reader.trailer["/Root"]["/Lang"] == h.language


def test_creation_date_is_the_review_date_not_the_clock(nk: Built) -> None:
    stamp = f"D:{nk.handout.reviewed:%Y%m%d}000000"
    info = pdf_reader(nk.pdfs["letter"]).metadata
    assert str(info["/CreationDate"]).startswith(stamp)
    assert str(info["/ModDate"]).startswith(stamp)


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_rebuilding_in_the_same_process_gives_identical_bytes(nk: Built, paper: str,
                                                              tmp_path: Path) -> None:
    from handouts.build import make
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(cwd=tmp_path, root=tmp_path)
    again = make(ws, "nk-cells", paper=paper, out=tmp_path / "again.pdf")
    assert again.path.read_bytes() == nk.pdfs[paper].read_bytes()


def test_rebuilding_in_fresh_processes_gives_identical_bytes(nk: Built, tmp_path: Path) -> None:
    """New interpreters, different hash seeds, a cold and a warm template cache: same bytes."""
    runs = [("1", tmp_path / "cache-a"), ("2", tmp_path / "cache-a"), ("3", tmp_path / "cache-b")]
    for seed, cache in runs:
        out = tmp_path / f"fresh-{seed}.pdf"
        run = run_module("--root", tmp_path, "make", "nk-cells", "-o", out, cwd=tmp_path,
                         env={"PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(cache)})
        assert run.code == 0, run.err
        assert out.read_bytes() == nk.pdfs["letter"].read_bytes(), f"PYTHONHASHSEED={seed}"


@pytest.mark.parametrize("text", ["NK cells in the womb", "  two\n lines\u00a0here  ", "", " ",
                                  "WHO (2023) > 5 %"])
def test_plain_paragraphs_skip_the_parser_with_the_same_fragments(text: str) -> None:
    """Text without markup gets the fragment ReportLab's parser would make (a new ReportLab
    that makes another would change the bytes: this says where)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handouts.render.flowables import RLParagraph

    for style in (ParagraphStyle("body", fontName="Helvetica-Bold", fontSize=13),
                  ParagraphStyle("caps", textTransform="uppercase", bulletText="1.")):
        fast, parsed = RLParagraph(text, style), Paragraph(text, style)
        assert (fast.text, fast.bulletText) == (parsed.text, parsed.bulletText)
        assert [f.__dict__ for f in fast.frags] == [f.__dict__ for f in parsed.frags]


def test_a_tagged_build_leaves_nothing_behind_for_the_next(tmp_path: Path) -> None:
    """The tri-fold's SVG cover is read once per process; a tagged build sets the font the
    drawing opens with on its own copy, so an untagged build after it is the one a fresh
    process makes."""
    from handouts.build import make
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(cwd=tmp_path, root=tmp_path)
    make(ws, "nk-cells", layout="trifold", out=tmp_path / "tagged.pdf")
    after = make(ws, "nk-cells", layout="trifold", tagged=False, out=tmp_path / "after.pdf")
    fresh = tmp_path / "fresh.pdf"
    run = run_module("--root", tmp_path, "make", "nk-cells", "--layout", "trifold", "--untagged",
                     "-o", fresh, cwd=tmp_path)
    assert run.code == 0, run.err
    assert after.path.read_bytes() == fresh.read_bytes()


def test_source_date_epoch_sets_the_creation_date(tmp_path: Path) -> None:
    out = tmp_path / "epoch.pdf"
    run = run_module("--root", tmp_path, "make", "nk-cells", "-o", out, cwd=tmp_path,
                     env={"SOURCE_DATE_EPOCH": "86400"})
    assert run.code == 0, run.err
    assert str(pdf_reader(out).metadata["/CreationDate"]).startswith("D:19700102000000")


# ---------------------------------------------------------------- exact text


def test_markup_characters_and_non_ascii_print_exactly(cli, special_ws: DemoWorkspace) -> None:
    make_ok(cli, "demo", cwd=special_ws.root)
    text = pdf_text(special_ws.pdf)
    for expected in [
        "Café & <Friends>: López's naïve guide",
        "Prices in € — Greek αβγ Ωμέγα, Cyrillic Жук Дом",
        "What is <this> & why? [1]",
        "Señor Müller paid €5 at the café in Zürich — naïve but true.",
        "Ελληνικά και Русский текст, œuvre, ß, Ø, Å, ł, ż, ğ, ş.",
        "Item <one>", "Item & two",
        "Is <this> & that safe for me?",
        "R&D <lab>", "Research & development.",
        "Société Française, 2024",  # sources are short on the two-page sheet
        "Not advice — ask your doctor.",
        "Dr Ana López",
    ]:
        assert expected in text, expected


def test_already_escaped_entities_and_tags_are_printed_as_typed(cli,
                                                                special_ws: DemoWorkspace) -> None:
    make_ok(cli, "demo", cwd=special_ws.root)
    text = pdf_text(special_ws.pdf)
    assert "Already escaped text &amp; &lt;b&gt; prints as typed." in text
    assert "stay bold & <i>these tags</i> print as typed." in text
    with pdfplumber.open(special_ws.pdf) as pdf:
        tags = pdf.pages[0].search("<i>these tags</i>", regex=False)[0]
        assert all("Italic" not in c["fontname"] for c in tags["chars"])


def test_markdown_bold_is_bold_and_lone_asterisks_stay(cli, special_ws: DemoWorkspace) -> None:
    make_ok(cli, "demo", cwd=special_ws.root)
    text = pdf_text(special_ws.pdf)
    assert "Bold words stay bold" in text and "**Bold" not in text
    assert "Maths: 2 ** 3 equals 8, and a < b > c." in text
    assert "Strong item" in text and "**Strong" not in text
    with pdfplumber.open(special_ws.pdf) as pdf:
        page = pdf.pages[0]
        bold = page.search("Bold words", regex=False)[0]["chars"]
        assert all(c["fontname"].endswith("NotoSans-Bold") for c in bold if c["text"] != " ")
        normal = page.search("stay bold", regex=False)[0]["chars"]
        assert all(c["fontname"].endswith("NotoSans-Regular") for c in normal
                   if c["text"] != " ")


def test_markdown_links_become_link_annotations_but_unsafe_ones_do_not(
        cli, special_ws: DemoWorkspace) -> None:
    make_ok(cli, "demo", cwd=special_ws.root)
    text = pdf_text(special_ws.pdf)
    assert "See the NHS page (www.nhs.uk/conditions/back-pain) or ask us" in text
    uris = [a.get_object()["/A"]["/URI"] for page in pdf_reader(special_ws.pdf).pages
            for a in page.get("/Annots") or [] if "/A" in a.get_object()]
    assert "https://www.nhs.uk/conditions/back-pain/" in uris
    assert not any("javascript" in str(u).lower() for u in uris)


def test_metadata_keeps_special_characters(cli, special_ws: DemoWorkspace) -> None:
    make_ok(cli, "demo", cwd=special_ws.root)
    reader = pdf_reader(special_ws.pdf)
    info = reader.metadata
    assert info["/Title"] == "Café & <Friends>: López's naïve guide"
    assert info["/Author"] == "Ana <b>& Co"
    assert info["/Subject"] == "Prices in € — Greek αβγ Ωμέγα, Cyrillic Жук Дом"
    assert info["/Keywords"] == "naïve, <tag>, R&D"
    assert reader.trailer["/Root"]["/Lang"] == "es"


_SAFE = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("<>&;:.,!?'\"/()=+-%#@$")
    + list("áéíóúñüçßøåæœÁÉÑÖ€£—–αβγδΩλЖДждяЯ"))  # noqa: RUF001 (letters on purpose)
_WORDS = st.lists(st.text(_SAFE, min_size=1, max_size=10), min_size=1, max_size=25).map(" ".join)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(words=_WORDS)
def test_any_text_without_markdown_marks_prints_exactly(words: str, tmp_path: Path) -> None:
    """Property: a paragraph of letters and markup characters comes back out of the PDF as-is."""
    from handouts.build import build_pdf, resolve
    from handouts.content.model import load_handout
    from handouts.workspace.finder import Workspace

    data = yaml.safe_load((FIXTURES / "demo.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["body"] = [{"p": words}]
    path = tmp_path / "prop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    handout = load_handout(path, "prop")
    ws = Workspace.discover(cwd=tmp_path, root=tmp_path)
    layout, paper = resolve(ws, None, None)
    rendered = build_pdf(handout, layout, paper)
    assert flat(words) in pdf_text(rendered.data)


# ---------------------------------------------------------------- workspaces and output


def test_make_writes_output_pdf_in_the_workspace_and_reports_it(cli,
                                                                demo_ws: DemoWorkspace) -> None:
    run = make_ok(cli, "demo", cwd=demo_ws.root)
    size_kb = demo_ws.pdf.stat().st_size / 1024
    assert run.out.strip() == f"output/demo.pdf: 1 page, {size_kb:.1f} KB (standard, letter)"
    assert demo_ws.pdf.read_bytes().startswith(b"%PDF-")
    assert not list(demo_ws.output.glob(".*.tmp")), "no temporary files are left behind"


def test_make_from_a_subfolder_writes_to_the_workspace_output(cli,
                                                              demo_ws: DemoWorkspace) -> None:
    sub = demo_ws.root / "notes" / "deep"
    sub.mkdir(parents=True)
    make_ok(cli, "demo", cwd=sub)
    assert demo_ws.pdf.is_file()
    assert not (sub / "output").exists()


def test_root_option_and_handouts_root_variable_choose_the_workspace(
        cli, demo_ws: DemoWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = cli("--root", demo_ws.root, "make", "demo", cwd=elsewhere)
    assert run.code == 0, run.err
    assert demo_ws.pdf.is_file()
    demo_ws.pdf.unlink()
    monkeypatch.setenv("HANDOUTS_ROOT", str(demo_ws.root))
    make_ok(cli, "demo", "--paper", "a4", cwd=elsewhere)  # not the default paper: its own file
    a4 = demo_ws.output / "demo-a4.pdf"
    assert float(pdf_reader(a4).pages[0].mediabox.width) == pytest.approx(595.28, 0.01)
    assert not (elsewhere / "output").exists()


def test_without_a_workspace_output_goes_to_the_current_folder(cli, tmp_path: Path) -> None:
    here = tmp_path / "plain"
    here.mkdir()
    markers = ("content", "layouts", "handouts.yaml")
    if any((p / m).exists() for p in here.parents for m in markers):
        pytest.skip("a folder above tmp_path looks like a workspace")
    make_ok(cli, "nk-cells", cwd=here)
    assert (here / "output" / "nk-cells.pdf").is_file()


def test_output_option_writes_exactly_that_file(cli, demo_ws: DemoWorkspace) -> None:
    target = demo_ws.root / "print" / "for-patient.pdf"
    run = make_ok(cli, "demo", "-o", target, cwd=demo_ws.root)
    assert target.is_file() and not demo_ws.output.exists()
    assert run.out.startswith("print/for-patient.pdf: 1 page")


def test_out_dir_and_all_make_every_handout(cli, demo_ws: DemoWorkspace) -> None:
    run = make_ok(cli, "--all", "--out-dir", "print", cwd=demo_ws.root)
    made = sorted(p.name for p in (demo_ws.root / "print").glob("*.pdf"))
    assert "demo.pdf" in made and "nk-cells.pdf" in made
    assert len(run.out.strip().splitlines()) == len(made)


@pytest.mark.parametrize("paper", PAPER_SIZES)
def test_paper_option_sets_the_page_size(cli, demo_ws: DemoWorkspace, paper: str) -> None:
    run = make_ok(cli, "demo", "--paper", paper.upper(), cwd=demo_ws.root)
    assert run.out.strip().endswith(f"(standard, {paper})")
    made = demo_ws.pdf if paper == "letter" else demo_ws.output / f"demo-{paper}.pdf"
    page = pdf_reader(made).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        PAPER_SIZES[paper], abs=0.01)


def test_handouts_yaml_sets_default_paper_and_clinic_author(cli,
                                                            demo_ws: DemoWorkspace) -> None:
    demo_ws.write("handouts.yaml", "paper: a4\nclinic:\n  name: Riverside Clinic & Co\n")
    make_ok(cli, "demo", cwd=demo_ws.root)
    reader = pdf_reader(demo_ws.pdf)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=0.01)
    assert reader.metadata["/Author"] == "Riverside Clinic & Co"
    make_ok(cli, "demo", "--paper", "letter", cwd=demo_ws.root)  # not the default: own file
    letter = demo_ws.output / "demo-letter.pdf"
    assert float(pdf_reader(letter).pages[0].mediabox.height) == pytest.approx(792)


def test_a_workspace_handout_overrides_the_builtin_one(cli, demo_ws: DemoWorkspace) -> None:
    own = demo_ws.write("content/nk-cells/en.yaml",
                        demo_ws.original.replace("Looking after your back", "Our own NK page"))
    assert own.is_file()
    make_ok(cli, "nk-cells", cwd=demo_ws.root)
    out = demo_ws.output / "nk-cells.pdf"
    assert pdf_reader(out).metadata["/Title"] == "Our own NK page"
    assert pdf_text(out).startswith("Patient information Our own NK page")
    listing = cli("list", cwd=demo_ws.root)
    assert re.search(r"^nk-cells\s+Our own NK page\s+en\s+2026-03-02$", listing.out, re.M)


def test_a_workspace_layout_overrides_standard(cli, demo_ws: DemoWorkspace) -> None:
    from handouts.workspace.finder import builtin_root

    builtin = builtin_root() / "layouts" / "standard"
    own = demo_ws.root / "layouts" / "standard"
    shutil.copytree(builtin, own)
    spec = yaml.safe_load((own / "layout.yaml").read_text(encoding="utf-8"))
    spec["description"] = "Our clinic's standard, on A4"
    spec["paper"] = "a4"
    (own / "layout.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    listing = cli("layouts", cwd=demo_ws.root)
    assert re.search(r"^standard\s+workspace\s+.*Our clinic's standard, on A4$", listing.out,
                     re.M), listing.out
    run = make_ok(cli, "demo", cwd=demo_ws.root)
    assert run.out.strip().endswith("(standard, a4)")
    assert float(pdf_reader(demo_ws.pdf).pages[0].mediabox.width) == pytest.approx(595.28, 0.01)


def test_a_workspace_layout_can_extend_standard(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/big-title/layout.yaml",
                  "extends: standard\ndescription: Bigger title\n"
                  "styles:\n  title: {size: 28, leading: 32}\n")
    make_ok(cli, "demo", "--layout", "big-title", cwd=demo_ws.root)
    with pdfplumber.open(demo_ws.root / "output" / "demo-big-title.pdf") as pdf:
        found = pdf.pages[0].search("Looking after your back", regex=False)
        sizes = [{round(c["size"]) for c in hit["chars"]} for hit in found]
        assert {28} in sizes, sizes  # the title (page 1 has the masthead, no running header)


def test_init_creates_a_workspace_whose_example_makes_a_pdf(cli, tmp_path: Path) -> None:
    run = cli("init", "clinic", cwd=tmp_path)
    assert run.code == 0, run.err
    ws = tmp_path / "clinic"
    assert (ws / "handouts.yaml").is_file()
    assert (ws / "content" / "example" / "en.yaml").is_file()
    assert "created" in run.out and "handouts make example" in run.out
    made = make_ok(cli, "example", cwd=ws)
    assert made.out.startswith("output/example.pdf: ")
    assert pdf_text(ws / "output" / "example.pdf")
    listing = cli("list", cwd=ws)
    assert re.search(r"^example\s", listing.out, re.M) and "nk-cells" in listing.out


def test_init_never_overwrites_an_existing_workspace(cli, tmp_path: Path) -> None:
    assert cli("init", "clinic", cwd=tmp_path).code == 0
    settings_file = tmp_path / "clinic" / "handouts.yaml"
    settings_file.write_text("paper: a4\n", encoding="utf-8")
    again = cli("init", "clinic", cwd=tmp_path)
    assert again.code == 2
    assert "already exists" in again.err and "Traceback" not in again.err
    assert settings_file.read_text(encoding="utf-8") == "paper: a4\n"


# ---------------------------------------------------------------- the other commands


def test_list_shows_name_title_languages_and_review_date(cli, demo_ws: DemoWorkspace,
                                                         nk: Built) -> None:
    run = cli("list", cwd=demo_ws.root)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert re.match(r"^NAME\s+TITLE\s+EDITIONS\s+REVIEWED$", lines[0])
    assert re.search(r"^demo\s+Looking after your back\s+en\s+2026-03-02$", run.out, re.M)
    h = nk.handout
    assert re.search(rf"^nk-cells\s+{re.escape(h.title)}\s+en\S*\s+{h.reviewed}$", run.out,
                     re.M)


def test_layouts_lists_standard_as_builtin_with_its_page_budget(cli, tmp_path: Path) -> None:
    run = cli("--root", tmp_path, "layouts", cwd=tmp_path)
    assert run.code == 0, run.err
    assert re.search(r"^standard\s+built-in\s+letter 2p, a4 2p\s+\S", run.out, re.M), run.out


def test_schema_documents_every_field(cli, tmp_path: Path) -> None:
    import dataclasses

    from handouts.content.model import Questions, Section, Source

    run = cli("schema", cwd=tmp_path)
    assert run.code == 0, run.err
    for record in (Handout, Section, Questions, Source):
        for f in dataclasses.fields(record):
            if f.metadata.get("yaml", True):
                assert re.search(rf"^\s*{f.name}: .+\((required|optional)\) - \S", run.out,
                                 re.M), f.name


def test_version_option(tmp_path: Path) -> None:
    run = run_module("--version", cwd=tmp_path)
    assert run.code == 0
    assert run.out.strip() == f"handouts, version {importlib.metadata.version('handouts')}"


def test_help_lists_commands_examples_and_exit_codes(cli, tmp_path: Path) -> None:
    run = cli("--help", cwd=tmp_path)
    assert run.code == 0
    for word in ("make", "list", "layouts", "schema", "init", "Examples:", "Exit codes:",
                 "handouts make nk-cells"):
        assert word in run.out, word
    for code in ("0", "1", "2", "3", "4"):
        assert re.search(rf"^\s+{code}\s+\w", run.out, re.M), code
    make_help = cli("make", "--help", cwd=tmp_path)
    assert make_help.code == 0
    for option in ("--all", "--layout", "--paper", "letter|a4", "-o, --output", "--out-dir"):
        assert option in make_help.out, option


def test_console_script_is_installed_and_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("handouts")
    if not script.exists():
        pytest.skip("no console script beside this interpreter")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("handouts, version ")
