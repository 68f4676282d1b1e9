"""Issue 9 §2-3: links, and every listed crash or hang is a clear error within seconds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DemoWorkspace, pdf_text, run_module, where

PARAGRAPH = "Most back pain comes from strained muscles."


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def _refused(cli, ws: DemoWorkspace, code: int, *args: str) -> str:
    before = _snapshot(ws.root)
    run = cli(*args, cwd=ws.root)
    assert run.code == code, (run.out, run.err)
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert _snapshot(ws.root) == before
    return run.err


# ---------------------------------------------------------------- links


@pytest.mark.parametrize(("target", "says"), [
    ("javascript:alert(1)", "uses 'javascript:', which is not allowed"),
    ("file:///etc/passwd", "uses 'file:', which is not allowed"),
    ("smb://server/share", "uses 'smb:', which is not allowed"),
    ("www.nhs.uk", "did you mean https://www.nhs.uk?"),
    ("../x", "is relative, which means nothing on paper"),
    ("#top", "points inside a page, which paper cannot do"),
    ("help@clinic.example.org", "did you mean mailto:help@clinic.example.org?"),
])
def test_only_https_http_mailto_and_tel_links_in_content(cli, demo_ws: DemoWorkspace,
                                                         target: str, says: str) -> None:
    demo_ws.replace(PARAGRAPH, f"See [this page]({target}) now.")
    line, _ = where(demo_ws.text, "See [this page]")
    err = _refused(cli, demo_ws, 1, "make", "demo")
    assert f"content/demo/en.yaml:{line}:" in err and says in err
    checked = cli("check", "demo", cwd=demo_ws.root)
    assert checked.code == 1 and says in checked.out


def test_on_paper_a_links_address_is_printed_after_its_text(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.replace(PARAGRAPH, "See [the NHS page](https://www.nhs.uk/back-pain/) or "
                               "[call us](tel:01234567890).")
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    assert ("See the NHS page (www.nhs.uk/back-pain) or call us (01234567890)."
            in pdf_text(demo_ws.pdf))


@pytest.mark.parametrize(("markup", "says"), [
    ('<p><a href="javascript:x()">x</a></p>', "uses 'javascript:'"),
    ('<qr url="file:///etc/hostname"/>', "uses 'file:'"),
    ('<columns count="zwei"><p>x</p></columns>', "<columns count=\"zwei\"> must be a whole"),
    ('<columns count="99999999999"><p>x</p></columns>', "from 1 to 6"),
    ('<row><cell width="wide"><p>x</p></cell></row>', "<cell width=\"wide\"> must be a length"),
])
def test_bad_template_markup_is_a_layout_error(cli, demo_ws: DemoWorkspace, markup: str,
                                               says: str) -> None:
    demo_ws.write("layouts/odd/layout.yaml", "extends: standard\ntemplate: odd.xml.j2\n")
    demo_ws.write("layouts/odd/odd.xml.j2", f"<handout>{markup}</handout>\n")
    err = _refused(cli, demo_ws, 3, "make", "demo", "--layout", "odd")
    assert says in err


@pytest.mark.parametrize(("body", "says"), [
    ("{{ 1 // 0 }}", "odd.xml.j2:1: template error"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "it calls itself without end"),
])
def test_template_runtime_errors_name_the_template_file_and_line(cli, demo_ws: DemoWorkspace,
                                                                 body: str, says: str) -> None:
    demo_ws.write("layouts/odd/layout.yaml", "extends: standard\ntemplate: odd.xml.j2\n")
    demo_ws.write("layouts/odd/odd.xml.j2", f"<handout><p>{body}</p></handout>\n")
    err = _refused(cli, demo_ws, 3, "make", "demo", "--layout", "odd")
    assert says in err and "layouts/odd/odd.xml.j2" in err


def test_a_template_that_never_ends_is_stopped(demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/slow/layout.yaml", "extends: standard\ntemplate: slow.xml.j2\n")
    demo_ws.write("layouts/slow/slow.xml.j2",
                  "<handout>{% for i in range(99999) %}{% for j in range(99999) %}"
                  "{% endfor %}{% endfor %}</handout>\n")
    run = run_module("make", "demo", "--layout", "slow", cwd=demo_ws.root, timeout=60)
    assert run.code == 3 and "ran for more than 10 s" in run.err
    assert not demo_ws.output.exists()


def test_a_symlinked_include_outside_the_layout_is_not_read(cli, demo_ws: DemoWorkspace,
                                                            tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-HOSTNAME\n", encoding="utf-8")
    demo_ws.write("layouts/leak/layout.yaml", "extends: standard\ntemplate: leak.xml.j2\n")
    demo_ws.write("layouts/leak/leak.xml.j2",
                  '<handout><p>{% include "part.j2" %}</p></handout>\n')
    (demo_ws.root / "layouts" / "leak" / "part.j2").symlink_to(secret)
    err = _refused(cli, demo_ws, 3, "make", "demo", "--layout", "leak")
    assert "outside the layout and workspace folders" in err and "TOP-SECRET" not in err


# ---------------------------------------------------------------- content and numbers


@pytest.mark.parametrize("number", ["0x7E8", "0b1", "33:44", ".inf", ".nan"])
def test_yaml_11_number_forms_are_content_errors(cli, demo_ws: DemoWorkspace,
                                                 number: str) -> None:
    demo_ws.write("content/demo/en.yaml", demo_ws.text + f"reading_level: {{fk_max: {number}}}\n")
    err = _refused(cli, demo_ws, 1, "make", "demo")
    assert f"expected a number, got '{number}'" in err and "content/demo/en.yaml:" in err


@pytest.mark.parametrize("label", ["Page {0} of {n}", "Page {page:>999999999} of {pages}",
                                   "Page {page!r}", "Page {"])
def test_a_bad_page_label_is_a_content_error_at_its_line(cli, demo_ws: DemoWorkspace,
                                                         label: str) -> None:
    demo_ws.write("content/demo/en.yaml", demo_ws.text + f"labels: {{page: '{label}'}}\n")
    line, _ = where(demo_ws.text, "labels:")
    err = _refused(cli, demo_ws, 1, "make", "demo")
    assert f"content/demo/en.yaml:{line}:" in err and "'page'" in err


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "loop"])
def test_content_that_is_not_a_regular_file_is_refused_without_hanging(
        cli, demo_ws: DemoWorkspace, kind: str) -> None:
    folder = demo_ws.root / "content" / "odd"
    folder.mkdir()
    target = folder / "en.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "device":
        target.symlink_to("/dev/urandom")
    else:
        target.symlink_to(target)
    err = _refused(cli, demo_ws, 1, "make", "odd")
    assert ":1:1:" in err and "nothing was written" in err
    assert ("not a regular file" in err) or ("symbolic links" in err)


def test_one_bad_handout_does_not_stop_list_make_all_or_check_all(cli,
                                                                  demo_ws: DemoWorkspace) -> None:
    folder = demo_ws.root / "content" / "broken"
    folder.mkdir()
    os.mkfifo(folder / "en.yaml")
    listed = cli("list", cwd=demo_ws.root)
    assert listed.code == 0 and "broken" in listed.out and "demo" in listed.out
    made = cli("make", "--all", cwd=demo_ws.root)
    assert made.code == 1 and demo_ws.pdf.is_file()
    assert "error: broken:" in made.err and "1 of" in made.err
    checked = cli("check", "--all", cwd=demo_ws.root)
    assert checked.code == 1 and "demo (en)" in checked.out and "broken" in checked.out


@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5"])
def test_an_impossible_source_date_epoch_is_a_usage_error(demo_ws: DemoWorkspace,
                                                          value: str) -> None:
    run = run_module("make", "demo", cwd=demo_ws.root, env={"SOURCE_DATE_EPOCH": value})
    assert run.code == 2 and "SOURCE_DATE_EPOCH must be whole seconds" in run.err
    assert not demo_ws.output.exists()


def test_a_300_character_output_name_is_an_output_error(cli, demo_ws: DemoWorkspace) -> None:
    err = _refused(cli, demo_ws, 4, "make", "demo", "-o", "a" * 300 + ".pdf")
    assert "the limit is 200" in err


def test_an_output_symlink_loop_is_an_output_error(cli, demo_ws: DemoWorkspace) -> None:
    (demo_ws.root / "loop.pdf").symlink_to(demo_ws.root / "loop.pdf")
    err = _refused(cli, demo_ws, 4, "make", "demo", "-o", "loop.pdf")
    assert "symlink loop" in err


def test_stale_temp_files_of_a_killed_run_are_removed(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.output.mkdir()
    dead = demo_ws.output / ".demo.pdf.999999999.abcdefgh.handouts-tmp"
    dead.write_bytes(b"half a personal copy")
    alive = demo_ws.output / f".demo.pdf.{os.getpid()}.abcdefgh.handouts-tmp"
    alive.write_bytes(b"still being written")
    assert cli("make", "demo", cwd=demo_ws.root).code == 0
    assert not dead.exists() and alive.exists()


# ---------------------------------------------------------------- layouts people cannot read


@pytest.mark.parametrize(("style", "says"), [
    ("body: {colour: '#aaaaaa'}", "style 'body' draws text #aaaaaa on #e6eef6 at 2.0:1"),
    ("body: {size: 12, leading: 12}", "has leading 12 pt for 12 pt type, under 1.15 x"),
])
def test_check_fails_a_layout_people_cannot_read(cli, demo_ws: DemoWorkspace, style: str,
                                                 says: str) -> None:
    demo_ws.write("layouts/pale/layout.yaml", f"extends: standard\nstyles:\n  {style}\n")
    run = cli("check", "demo", "--layout", "pale", cwd=demo_ws.root)
    assert run.code == 1
    assert "FAIL  layout-fit" in run.out and says in run.out


def test_an_over_long_paragraph_is_refused_quickly(cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.replace(PARAGRAPH, "word " * 120_000)  # 600 KB: took minutes to lay out
    line, _ = where(demo_ws.text, "word word")
    err = _refused(cli, demo_ws, 1, "make", "demo")
    assert f"content/demo/en.yaml:{line}:" in err and "the limit is 10,000" in err
    assert "split it into shorter paragraphs" in err


def test_a_block_too_big_for_the_page_is_described_without_reportlab_internals(
        cli, demo_ws: DemoWorkspace) -> None:
    demo_ws.write("layouts/tall/layout.yaml", "extends: standard\ntemplate: tall.xml.j2\n")
    demo_ws.write("layouts/tall/tall.xml.j2",
                  '<handout><keep><spacer height="20000"/><p>x</p></keep></handout>\n')
    err = _refused(cli, demo_ws, 3, "make", "demo", "--layout", "tall")
    assert "cannot place a block on the page" in err and "@0x" not in err
    assert "Flowable" not in err and "pt but a column holds" in err


def test_a_clinic_logo_outside_the_workspace_is_not_read(cli, demo_ws: DemoWorkspace,
                                                         tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes((Path(__file__).parents[1] / "clinics" / "example-clinic-logo.png")
                        .read_bytes())
    demo_ws.write("clinics/mine.yaml", "name: Mine\nlogo: art/logo.png\n")
    (demo_ws.root / "clinics" / "art").mkdir()
    (demo_ws.root / "clinics" / "art" / "logo.png").symlink_to(outside)
    err = _refused(cli, demo_ws, 1, "make", "demo", "--clinic", "mine")
    assert "clinics/mine.yaml:2:" in err and "is outside the workspace" in err
