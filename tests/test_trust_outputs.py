"""Issue 9 §1: never a silently wrong output: the right patient, the right file, no source lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DemoWorkspace, pdf_text

LAYOUTS = ["standard", "large-print", "trifold"]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("note", [None, "Call us after your next scan."])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_builtin_layout_prints_every_personal_field(cli, demo_ws: DemoWorkspace,
                                                          layout: str, note: str | None,
                                                          paper: str) -> None:
    args = ["make", "demo", "--layout", layout, "--paper", paper, "--for", "Ana López",
            "--clinician", "Dr. Mehta", "-o", "copy.pdf"]
    run = cli(*args, *(["--note", note] if note else []), cwd=demo_ws.root)
    assert run.code == 0, run.err
    text = pdf_text(demo_ws.root / "copy.pdf")
    assert "Ana López" in text and "Dr. Mehta" in text
    if note:
        assert note in text


def test_a_workspace_layout_with_nowhere_for_the_name_is_refused(cli,
                                                                  demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/bare/layout.yaml",
                  "extends: standard\ntemplate: bare.xml.j2\nheader: null\n")
    demo_ws.write("layouts/bare/bare.xml.j2",
                  "<handout><h level=\"1\">{{ handout.title }}</h></handout>\n")
    before = _snapshot(demo_ws.root)
    run = cli("make", "demo", "--layout", "bare", "--for", "Ana López", cwd=demo_ws.root)
    assert run.code == 3
    assert "layout 'bare' has nowhere to print --for on a personal copy" in run.err
    assert "Ana" not in run.err
    assert _snapshot(demo_ws.root) == before


def test_two_patients_copies_never_share_a_file_and_names_stay_out(cli,
                                                                   demo_ws: DemoWorkspace) -> None:
    ana = cli("make", "demo", "--for", "Ana López", cwd=demo_ws.root)
    ben = cli("make", "demo", "--for", "Ben Okafor", cwd=demo_ws.root)
    assert ana.code == ben.code == 0
    made = sorted(demo_ws.output.glob("demo-personal-*.pdf"))
    assert len(made) == 2
    for path in made:
        assert re.fullmatch(r"demo-personal-[0-9a-f]{6}\.pdf", path.name)
        assert path.name in ana.out + ben.out  # make prints which file it wrote
    texts = {pdf_text(p) for p in made}
    assert any("Ana López" in t and "Ben" not in t for t in texts)
    assert any("Ben Okafor" in t and "Ana" not in t for t in texts)


@pytest.mark.parametrize(("options", "name"), [
    (["--paper", "a4"], "demo-a4.pdf"),
    (["--grayscale"], "demo-gray.pdf"),
    (["--clinic", "example-clinic"], "demo-example-clinic.pdf"),
    (["--layout", "trifold"], "demo-trifold.pdf"),
])
def test_each_choice_gets_its_own_file_beside_the_default(cli, demo_ws: DemoWorkspace,
                                                          options: list[str], name: str) -> None:
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    shared = demo_ws.pdf.read_bytes()
    run = cli("make", "demo", *options, cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert (demo_ws.output / name).is_file() and name in run.out
    assert demo_ws.pdf.read_bytes() == shared


def test_another_language_gets_its_own_file(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.write("content/demo/fr.yaml", demo_ws.text.replace("language: en", "language: fr"))
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    shared = demo_ws.pdf.read_bytes()
    run = cli("make", "demo", "--lang", "fr", cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert (demo_ws.output / "demo-fr.pdf").is_file()
    assert demo_ws.pdf.read_bytes() == shared


def test_o_is_honoured_for_a_personal_copy_and_a_folder_ending_in_slash(
        cli, demo_ws: DemoWorkspace) -> None:
    run = cli("make", "demo", "--for", "Ana López", "-o", "mine.pdf", cwd=demo_ws.root)
    assert run.code == 0 and "Ana López" in pdf_text(demo_ws.root / "mine.pdf")
    run = cli("make", "demo", "-o", "print/", cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert (demo_ws.root / "print" / "demo.pdf").is_file()


@pytest.mark.parametrize("target", ["content/demo/en.yaml", "content/demo/new.pdf",
                                    "layouts/x/layout.yaml", "clinics/mine.yaml",
                                    "handouts.yaml", "notes.txt"])
def test_o_never_replaces_a_source_of_the_workspace(cli, demo_ws: DemoWorkspace,
                                                    target: str) -> None:
    demo_ws.write("handouts.yaml", "paper: letter\n")
    demo_ws.write("layouts/x/layout.yaml", "extends: standard\n")
    demo_ws.write("clinics/mine.yaml", "name: Mine\n")
    demo_ws.write("notes.txt", "my notes\n")
    before = _snapshot(demo_ws.root)
    run = cli("make", "demo", "-o", target, cwd=demo_ws.root)
    assert run.code == 4, run.err
    assert f"-o '{target}'" in run.err and "hint:" in run.err
    assert _snapshot(demo_ws.root) == before


def test_o_through_a_symlink_into_content_is_refused(cli, demo_ws: DemoWorkspace) -> None:
    (demo_ws.root / "link.pdf").symlink_to(demo_ws.content)
    before = demo_ws.content.read_bytes()
    run = cli("make", "demo", "-o", "link.pdf", cwd=demo_ws.root)
    assert run.code == 4 and "sources" in run.err
    assert demo_ws.content.read_bytes() == before
