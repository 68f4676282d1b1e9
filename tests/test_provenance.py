"""Provenance: every PDF records what it was made from (XMP and Info), never who it is for."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from conftest import DemoWorkspace, pdf_text

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
