"""Provenance: every PDF records what it was made from (XMP and Info), never who it is for."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from conftest import DemoWorkspace, pdf_reader, pdf_text

from handouts.provenance import read_record

NS = "{https://handouts.invalid/ns/provenance/1.0/}"


def _xmp(path: Path) -> dict[str, object]:
    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        return dict(meta)


def test_xmp_and_info_record_version_digests_layout_edition_paper(cli,
                                                                   demo_ws: DemoWorkspace) -> None:
    run = cli("make", "demo", "--paper", "a4", cwd=demo_ws.root)
    assert run.code == 0, run.err
    pdf = next(demo_ws.output.glob("demo*.pdf"))
    xmp = _xmp(pdf)
    record = read_record(pdf)
    assert record is not None
    for name in ("version", "content", "layout", "layoutDigest", "edition", "paper",
                 "personal", "build", "code"):
        assert f"{NS}{name}" in xmp
    assert xmp[f"{NS}paper"] == "a4" == record.paper
    assert xmp[f"{NS}layout"] == "standard" and xmp[f"{NS}edition"] == "en"
    assert xmp["{http://purl.org/dc/elements/1.1/}title"]
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo["/HandoutsCode"]) == record.code
        assert str(doc.docinfo["/HandoutsContent"]) == record.content
        assert str(doc.docinfo["/CreationDate"]).startswith("D:")


def test_footer_shows_the_short_code(cli, demo_ws: DemoWorkspace) -> None:
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    record = read_record(demo_ws.pdf)
    assert record is not None and len(record.short) == 6
    assert record.short in pdf_text(demo_ws.pdf)


def test_a_personal_copy_is_flagged_but_holds_no_patient_details(cli,
                                                                 demo_ws: DemoWorkspace) -> None:
    run = cli("make", "demo", "--for", "Zebedee Quux", "--clinician", "Dr Yarrow",
              cwd=demo_ws.root)
    assert run.code == 0, run.err
    (pdf,) = demo_ws.output.glob("demo-personal-*.pdf")
    assert read_record(pdf).personal == "yes"
    with pikepdf.open(pdf) as doc:
        info = {str(k): str(v) for k, v in doc.docinfo.items()}
    xmp = _xmp(pdf)
    assert not any("Zebedee" in v or "Yarrow" in v for v in info.values())
    assert not any("Zebedee" in str(v) or "Yarrow" in str(v) for v in xmp.values())


def test_a_changed_content_file_changes_the_content_digest(cli, demo_ws: DemoWorkspace) -> None:
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    before = read_record(demo_ws.pdf)
    demo_ws.write("content/demo/en.yaml", demo_ws.text + "\n# a comment\n")
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    after = read_record(demo_ws.pdf)
    assert before.content != after.content and before.layout_digest == after.layout_digest


def test_make_leaves_an_up_to_date_output_alone_and_force_rebuilds(cli,
                                                                   demo_ws: DemoWorkspace) -> None:
    first = cli("make", "demo", cwd=demo_ws.root)
    assert first.code == 0
    stamp = demo_ws.pdf.stat().st_mtime_ns
    again = cli("make", "demo", cwd=demo_ws.root)
    assert again.code == 0 and "output/demo.pdf: up to date, " in again.out
    pages = len(pdf_reader(demo_ws.pdf).pages)  # read from the packed file, as make counts
    assert f"{pages} page" in first.out and f"up to date, {pages} page" in again.out
    assert demo_ws.pdf.stat().st_mtime_ns == stamp
    forced = cli("make", "demo", "--force", cwd=demo_ws.root)
    assert forced.code == 0 and "up to date" not in forced.out
    assert demo_ws.pdf.stat().st_mtime_ns != stamp


def test_a_changed_input_or_option_rebuilds(cli, demo_ws: DemoWorkspace) -> None:
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    demo_ws.replace("Keep moving gently every day.", "Keep moving a little every day.")
    run = cli("make", "demo", cwd=demo_ws.root)
    assert "up to date" not in run.out and "a little" in pdf_text(demo_ws.pdf)
    run = cli("make", "demo", "-o", "output/demo.pdf", "--paper", "a4", cwd=demo_ws.root)
    assert "up to date" not in run.out


def test_the_up_to_date_decision_does_not_import_reportlab(demo_ws: DemoWorkspace) -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom handouts.cli import main\n"
            "args = ['make', 'demo'] + (['--force'] if sys.argv[1] == 'x' else [])\n"
            "try:\n    main(args)\n"
            "except SystemExit:\n    pass\n"
            "print('reportlab' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code, "x"], cwd=demo_ws.root,
                           capture_output=True, text=True, check=True)
    assert first.stdout.strip().endswith("True")
    second = subprocess.run([sys.executable, "-c", code, "y"], cwd=demo_ws.root,
                            capture_output=True, text=True, check=True)
    assert "up to date" in second.stdout and second.stdout.strip().endswith("False")


def test_which_prints_the_record_and_says_whether_it_is_current(cli,
                                                                demo_ws: DemoWorkspace) -> None:
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    record = read_record(demo_ws.pdf)
    run = cli("which", "output/demo.pdf", cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert f"code:            {record.code}" in run.out
    assert "content now:     same" in run.out and "current:         yes" in run.out
    demo_ws.replace("Keep moving gently every day.", "Keep moving a little every day.")
    run = cli("which", "output/demo.pdf", cwd=demo_ws.root)
    assert run.code == 1
    assert "content now:     changed since (content/demo/en.yaml)" in run.out
    assert "current:         no" in run.out


def test_which_refuses_a_file_without_a_record(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.write("other.pdf", "%PDF-1.4\nnot ours\n")
    run = cli("which", "other.pdf", cwd=demo_ws.root)
    assert run.code == 2 and "has no handouts record" in run.err
