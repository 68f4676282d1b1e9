"""Tagged PDF (PDF/UA-1) for every built-in output, checked by real tools.

Each built-in layout x paper x clinic/no clinic x shared/personal copy is rendered once and
checked by `pdfua check` (no findings), `outloud FILE --fail-on warning`, our own pikepdf audit
(handouts.check.accessibility: every MCID referenced once, nothing untagged, headings, alt
text, fonts ...) and `pdfinfo -struct-text` (the headings read in the content's order).
Negative controls show the audit catches an image without alt text, a skipped heading level
and an untagged footer.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from handouts.build import build_pdf, load, resolve
from handouts.check.accessibility import audit
from handouts.content.clinic import load_clinic
from handouts.content.personal import Personal
from handouts.errors import LayoutError
from handouts.layout import blocks as b
from handouts.render import document
from handouts.render.document import Edges, PdfMeta, render
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

ROOT = Path(__file__).parent.parent
LAYOUTS = ("standard", "large-print", "trifold")
PAPERS = ("letter", "a4")
PERSONAL = Personal(name="Ana López", clinician="Dr. Mehta", note="Call us after your scan.",
                    date=datetime.date(2026, 12, 1))
CASES = [(layout, paper, clinic, personal) for layout in LAYOUTS for paper in PAPERS
         for clinic in (False, True) for personal in (False, True)]


def _name(case: tuple[str, str, bool, bool]) -> str:
    layout, paper, clinic, personal = case
    return f"{layout}-{paper}{'-clinic' if clinic else ''}{'-personal' if personal else ''}"


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.is_file() else shutil.which(name)


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace.discover(root=ROOT)


@pytest.fixture(scope="module")
def outputs(ws: Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every built-in output as a file (rendered once for all the tests here)."""
    folder = tmp_path_factory.mktemp("tagged")
    handout = load(ws, "nk-cells")
    clinic = load_clinic(ws, "example-clinic")
    made = {}
    for case in CASES:
        layout, paper, with_clinic, personal = case
        loaded, chosen = resolve(ws, layout, paper)
        try:
            rendered = build_pdf(handout, loaded, chosen, clinic if with_clinic else None,
                                 personal=PERSONAL if personal else None)
        except LayoutError:  # does not fit the layout: test_layouts' business, not tagging's
            continue
        path = folder / f"{_name(case)}.pdf"
        path.write_bytes(rendered.data)
        made[_name(case)] = path
    return made


def test_our_audit_finds_nothing_in_any_built_in_output(outputs: dict[str, Path]) -> None:
    found = {name: [str(p) for p in audit(path.read_bytes())] for name, path in outputs.items()}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_pdfua_passes_every_built_in_output(outputs: dict[str, Path]) -> None:
    tool = _tool("pdfua")
    if tool is None:
        pytest.skip("pdfua is not installed (pip install -e '.[test]')")
    result = subprocess.run([tool, "check", *map(str, outputs.values())], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("result: PASS (no findings)") == len(outputs), result.stdout
    assert "[skip ]" not in result.stdout, result.stdout  # no rule left unevaluated


def test_outloud_passes_every_built_in_output_with_no_warning(outputs: dict[str, Path]) -> None:
    tool = _tool("outloud")
    if tool is None:
        pytest.skip("outloud is not installed (pip install -e '.[test]')")
    failed = {}
    for name, path in outputs.items():
        result = subprocess.run([tool, str(path), "--fail-on", "warning"], capture_output=True,
                                text=True, check=False)
        if result.returncode != 0 or not result.stdout.startswith("PASS"):
            failed[name] = result.stdout[:2000] + result.stderr[:500]
    assert failed == {}


def _walk(elem: Any) -> list[Any]:
    out = [elem]
    kids = elem.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out.extend(_walk(kid))
    return out


def _elements(data: bytes) -> list[tuple[str, str]]:
    """(type, title) of every element in tree order."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(str(e.S), str(e.get("/T", ""))) for e in _walk(pdf.Root.StructTreeRoot.K[0])]


def _struct_text(path: Path) -> str:
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    return subprocess.run([tool, "-struct-text", str(path)], capture_output=True, text=True,
                          check=True).stdout


def _squash(text: str) -> str:
    return "".join(text.split())


def _headings(struct_text: str) -> list[str]:
    """The text of each H1-H3 in pdfinfo's reading of the tree, in order."""
    lines = struct_text.splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.strip() in ("H1 (block)", "H2 (block)", "H3 (block)") and n + 1 < len(lines):
            out.append(lines[n + 1].strip().strip('"').split(" [")[0].strip())
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_struct_text_reads_the_headings_in_the_contents_order(
        outputs: dict[str, Path], ws: Workspace, layout: str) -> None:
    handout = load(ws, "nk-cells")
    # compared without spaces: ReportLab may break a long word in a narrow column
    headings = [_squash(h) for h in _headings(_struct_text(outputs[f"{layout}-letter"]))]
    assert headings[0] == _squash(handout.title)
    sections = [_squash(s.heading) for s in handout.sections]
    shown = [h for h in headings if h in sections]
    assert shown == [s for s in sections if s in shown]  # the content's order
    assert len(shown) >= 3


def test_trifold_reads_cover_then_inside_then_flap_then_back(outputs: dict[str, Path],
                                                            ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    elements = _elements(outputs["trifold-letter"].read_bytes())
    panels = [title for kind, title in elements if kind == "/Sect" and title]
    assert panels == ["cover", "flap", "back"]
    assert [kind for kind, _ in elements].index("/H1") < \
        [title for _, title in elements].index("flap")
    text = _squash(_struct_text(outputs["trifold-letter"]))
    title = text.index(_squash(handout.title))
    from handouts.layout.merge import shown_sections
    from handouts.layout.spec import load_layout

    shown = shown_sections(handout, load_layout(ws, "trifold").spec.show)
    first = text.index(_squash(shown[0].heading))
    assert title < first  # the cover, then the inside,
    assert first < text.index(_squash(handout.questions.items[0])[:30])  # then the flap


def test_a_personal_copys_header_details_are_content_not_artifacts(
        outputs: dict[str, Path]) -> None:
    for name in ("standard-letter-personal", "standard-letter-clinic-personal"):
        text = _struct_text(outputs[name])
        assert "Ana López" in text and "Dr. Mehta" in text, name
        assert "Call us after your scan." in text
    shared = _struct_text(outputs["standard-letter"])
    assert "Page 1 of" not in shared  # page numbers are artifacts


def test_words_broken_over_lines_read_with_a_space(outputs: dict[str, Path]) -> None:
    text = _struct_text(outputs["large-print-letter"])  # narrow lines: many soft breaks
    words = " ".join(line.strip().strip('"') for line in text.splitlines())
    assert "thewomb" not in words.replace(" ", " ")
    assert "cells are part of the immune system" in words


def test_catalog_metadata_and_outline(outputs: dict[str, Path]) -> None:
    with pikepdf.open(outputs["standard-letter"]) as pdf:
        assert pdf.pdf_version == "1.7"
        assert str(pdf.Root.Lang) == "en-GB"  # nk-cells' default edition
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["xmp:CreateDate"].startswith(str(pdf.docinfo.CreationDate)[2:6])
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles[0] == str(pdf.docinfo.Title)
        assert all(page.obj.Tabs == pikepdf.Name.S for page in pdf.pages)


def test_tagged_output_is_byte_identical_and_small(ws: Workspace) -> None:
    handout = load(ws, "nk-cells")
    layout, paper = resolve(ws, None, None)
    first = build_pdf(handout, layout, paper).data
    assert build_pdf(handout, layout, paper).data == first
    untagged = build_pdf(handout, layout, paper, tagged=False).data
    assert len(first) <= 1.4 * len(untagged)  # the structure is packed in an object stream
    assert audit(untagged)[0].message.startswith("the document is not marked")


def test_password_protection_keeps_the_tags(ws: Workspace) -> None:
    from handouts.deliver.encrypt import encrypt_pdf

    handout = load(ws, "nk-cells")
    layout, paper = resolve(ws, None, None)
    data = encrypt_pdf(build_pdf(handout, layout, paper).data, "K7QM-4TXB-9HRW")
    with pikepdf.open(io.BytesIO(data), password="K7QM-4TXB-9HRW") as pdf:
        assert pdf.is_encrypted and pdf.allow.accessibility and pdf.allow.extract
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        out = io.BytesIO()
        pdf.save(out)  # decrypted: the same audit passes
    assert audit(out.getvalue()) == []


# ---------------------------------------------------------------- negative controls


def _render(ws: Workspace, blocks: list[Any], edges: Edges | None = None) -> bytes:
    layout, paper = resolve(ws, "standard", "letter")
    meta = PdfMeta(title="Test", author="Tests", subject="", keywords="", lang="en",
                   creator="tests", created=datetime.date(2026, 1, 1))
    return render(blocks, layout, paper, meta, edges or Edges()).data


def _para(text: str) -> b.Paragraph:
    return b.Paragraph(b.Inline(text, text))


def _heading(level: int, text: str) -> b.Heading:
    return b.Heading(level, b.Inline(text, text))


def test_audit_passes_a_small_clean_document(ws: Workspace) -> None:
    logo = str(ROOT / "clinics" / "example-clinic-logo.png")
    data = _render(ws, [b.Image(logo, "30mm", "Example Clinic logo"), _heading(1, "Title"),
                        _para("Text."), _heading(2, "Part"), _para("More.")])
    assert audit(data) == []


def test_audit_catches_an_image_without_alt_text(ws: Workspace) -> None:
    logo = str(ROOT / "clinics" / "example-clinic-logo.png")
    data = _render(ws, [_heading(1, "Title"), b.Image(logo, "30mm", "")])
    assert [str(p) for p in audit(data)] == ["a figure has no alternative text (/Alt)"]


def test_audit_catches_a_skipped_heading_level(ws: Workspace) -> None:
    data = _render(ws, [_heading(1, "Title"), _heading(3, "Too deep"), _para("Text.")])
    assert [str(p) for p in audit(data)] == ["heading level skipped: H3 after H1"]


def test_audit_catches_an_untagged_footer(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    edges = Edges(footer=[("right", lambda page, pages: f"Page {page} of {pages}")])
    assert audit(_render(ws, [_heading(1, "Title")], edges)) == []
    monkeypatch.setattr(document, "artifact", lambda canvas, pagination=False: _nothing())
    problems = [str(p) for p in audit(_render(ws, [_heading(1, "Title")], edges))]
    assert problems == ["page 1: content outside tags and artifacts (1 x Tj)"]


class _nothing:  # a context manager that marks nothing: the footer is drawn untagged
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_check_reports_accessibility_like_the_other_checks(ws: Workspace) -> None:
    from handouts.check.runner import run

    report = run(ws, ["nk-cells"], language="en", only={"accessibility"},
                 layouts=["standard", "trifold"])
    (result,) = [c for c in report.handouts[0].checks if c.name == "accessibility"]
    assert result.name == "accessibility"
    assert result.status == "pass", [f.message for f in result.findings]
    assert "standard letter: tagged, no problem found" in result.summary
