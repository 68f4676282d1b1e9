"""Editions (issue 11): overlays of a shared base text, --lang selection, fixed texts from the
message catalogs, dates per locale, Spanish checks and a translation's freshness.

The workspace is ``tests/fixtures/editions`` (a small handout ``back``: en.yaml, the en-GB and
en-US overlays and a full es-US translation), copied to a temporary folder per test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, Run, pdf_text, where

TODAY = "2026-12-03"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "editions", root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must be in {path.name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def content(ws: Path, name: str) -> Path:
    return ws / "content" / "back" / f"{name}.yaml"


def made(cli: Callable[..., Run], ws: Path, *args: str) -> tuple[Run, str]:
    """Make into output/x.pdf and return the run and the PDF's text."""
    out = ws / "output" / "x.pdf"
    run = cli("make", "back", "-o", out, *args, cwd=ws)
    assert run.code == 0, run.err
    return run, pdf_text(out)


# --- overlays ----------------------------------------------------------------------------


def test_an_overlay_changes_only_what_it_states(cli: Callable[..., Run], ws: Path) -> None:
    _, us = made(cli, ws, "--lang", "en-US")
    assert "Call 911 in an emergency" in us and "Call 999" not in us
    assert "Can I go to work?" in us  # a new section, after 'at-home'
    assert us.index("What can I do at home?") < us.index("Can I go to work?") \
        < us.index("How might I feel?")
    assert "Counseling can help" in us and "Counselling" not in us  # spelling, capital kept
    assert "NICE, 2020" in us and "MedlinePlus" in us  # the sheet's short source list
    assert "Looking after your back" in us  # the base's title
    _, gb = made(cli, ws, "--lang", "en-GB")
    assert "Call 999 in an emergency" in gb and "NHS 111" in gb and "911" not in gb
    assert "Counselling can help" in gb and "Can I go to work?" not in gb


def test_a_fix_in_the_base_text_reaches_every_edition(cli: Callable[..., Run],
                                                      ws: Path) -> None:
    edit(content(ws, "en"), "Most back pain comes from strained muscles.",
         "Most back pain comes from strained or tired muscles.")
    for edition in ("en-GB", "en-US"):
        _, text = made(cli, ws, "--lang", edition)
        assert "strained or tired muscles" in text, edition


def test_dropping_a_section_and_a_source(cli: Callable[..., Run], ws: Path) -> None:
    overlay = content(ws, "en-GB")
    overlay.write_text(overlay.read_text(encoding="utf-8")
                       + "sections:\n  feelings: null\nsources:\n  S2: null\n", "utf-8")
    run = cli("make", "back", "--lang", "en-GB", cwd=ws)
    assert run.code == 1
    # S2 is still cited by the base's 'at-home' section: the problem is shown there
    line, col = where(content(ws, "en").read_text(encoding="utf-8"), "S2]")
    assert f"content/back/en.yaml:{line}:{col}: source 'S2' is not in the sources list" \
        in run.err, run.err
    edit(content(ws, "en"), "    sources: [S1, S2]\n", "    sources: [S1]\n")
    _, text = made(cli, ws, "--lang", "en-GB")
    assert "How might I feel?" not in text and "Back pain self-care guide" not in text


@pytest.mark.parametrize(("addition", "expected"), [
    ("sections:\n  nope:\n    heading: New\n    body: [{p: Text.}]\n",
     "section 'nope' is not in the base; a new section needs 'after: <id>'"),
    ("sections:\n  nope: null\n", "cannot drop section 'nope'"),
    ("sections:\n  extra:\n    after: missing\n    heading: New\n    body: [{p: Text.}]\n",
     "'after: missing': no section with that id"),
    ("sections:\n  feelings:\n    body: nothing\n", "expected a list"),
    ("sections: [a, b]\n", "in an edition, 'sections' is a mapping by section id"),
    ("sources:\n  S9: {title: T, publisher: P}\n", "source 'S9' needs a 'year', or an "
                                                 "'accessed' date"),
    ("spelling: [a]\n", "'spelling' is a mapping of words"),
])
def test_overlay_mistakes_point_at_the_overlay(cli: Callable[..., Run], ws: Path,
                                               addition: str, expected: str) -> None:
    overlay = content(ws, "en-GB")
    before = overlay.read_text(encoding="utf-8")
    overlay.write_text(before + addition, encoding="utf-8")
    run = cli("make", "back", "--lang", "en-GB", cwd=ws)
    assert run.code == 1, run.out
    first_line = before.count("\n") + 1
    found = re.search(r"content/back/en-GB\.yaml:(\d+):\d+: (.*)", run.err)
    assert found, run.err
    assert int(found.group(1)) >= first_line and expected in run.err, run.err


def test_a_mistake_in_the_base_is_reported_in_the_base(cli: Callable[..., Run],
                                                       ws: Path) -> None:
    edit(content(ws, "en"), "review_by: 2027-03-02", "review_by: 2027-02-30")
    run = cli("make", "back", "--lang", "en-US", cwd=ws)
    line, col = where(content(ws, "en").read_text(encoding="utf-8"), "2027-02-30")
    assert f"content/back/en.yaml:{line}:{col}: '2027-02-30' is not a real date" in run.err


@pytest.mark.parametrize(("text", "expected"), [
    ("edition_of: fr\nlanguage: en-GB\n", "'edition_of: fr': there is no fr.yaml"),
    ("edition_of: en\nlanguage: en-US\n", "'language: en-US' must match the file name (en-GB)"),
    ("edition_of: en-US\nlanguage: en-GB\n", "is itself an edition"),
])
def test_an_overlay_names_its_base_and_its_own_tag(cli: Callable[..., Run], ws: Path,
                                                   text: str, expected: str) -> None:
    content(ws, "en-GB").write_text(text, encoding="utf-8")
    run = cli("make", "back", "--lang", "en-GB", cwd=ws)
    assert run.code == 1 and "content/back/en-GB.yaml:" in run.err and expected in run.err, \
        run.err


# --- choosing an edition -----------------------------------------------------------------


def test_a_bare_language_picks_the_default_edition_and_says_so(cli: Callable[..., Run],
                                                              ws: Path) -> None:
    run = cli("make", "back", "--lang", "en", cwd=ws)
    assert run.code == 0, run.err
    assert run.out.endswith("(standard, letter, en → en-GB)\n"), run.out
    assert (ws / "output" / "back.pdf").is_file()  # the default edition's own name
    run = cli("make", "back", "--lang", "es", cwd=ws)
    assert "(standard, letter, es → es-US)" in run.out
    assert (ws / "output" / "back-es-US.pdf").is_file()
    run = cli("make", "back", "--lang", "en-us", cwd=ws)  # tags match in any case
    assert run.code == 0 and (ws / "output" / "back-en-US.pdf").is_file()
    assert "→" not in run.out


def test_the_workspace_language_is_the_default(cli: Callable[..., Run], ws: Path) -> None:
    (ws / "handouts.yaml").write_text("language: en-US\n", encoding="utf-8")
    run = cli("make", "back", cwd=ws)
    assert run.code == 0, run.err
    text = pdf_text(ws / "output" / "back.pdf")
    assert "Call 911" in text  # en-US is this workspace's default: output/back.pdf
    run = cli("make", "back", "--lang", "en", cwd=ws)
    assert "en → en-US" in run.out
    run = cli("make", "back", "--lang", "en-GB", cwd=ws)
    assert (ws / "output" / "back-en-GB.pdf").is_file()


def test_an_unknown_edition_lists_the_editions(cli: Callable[..., Run], ws: Path) -> None:
    run = cli("make", "back", "--lang", "en-CA", cwd=ws)
    assert run.code == 2
    assert "handout 'back' has no 'en-CA' edition (editions: en-GB, en-US, es-US)" in run.err


def test_list_shows_editions_and_the_default(cli: Callable[..., Run], ws: Path) -> None:
    run = cli("list", cwd=ws)
    assert re.search(r"^back\s+Looking after your back\s+en-GB\*,en-US,es-US\s+2026-03-02$",
                     run.out, re.M), run.out


def test_check_all_covers_every_edition(cli: Callable[..., Run], ws: Path) -> None:
    run = cli("check", "--all", "--today", TODAY, "--format", "json", cwd=ws)
    report = json.loads(run.out)
    editions = [(h["slug"], h["language"], h["file"], h["status"]) for h in report["handouts"]
                if h["slug"] == "back"]
    assert editions == [("back", "en-GB", "content/back/en-GB.yaml", "pass"),
                        ("back", "en-US", "content/back/en-US.yaml", "pass"),
                        ("back", "es-US", "content/back/es-US.yaml", "pass")], run.out
    spanish = report["handouts"][2]["checks"][1]
    assert spanish["name"] == "reading-level"
    assert set(spanish["measured"]) >= {"szigriszt_pazos", "inflesz", "fernandez_huerta"}
    one = cli("check", "back", "--lang", "es", "--today", TODAY, cwd=ws)
    assert one.out.splitlines()[0] == "back (es-US)  content/back/es-US.yaml  PASS"


# --- fixed texts and dates ---------------------------------------------------------------


def test_dates_and_fixed_texts_follow_the_edition(cli: Callable[..., Run], ws: Path) -> None:
    _, gb = made(cli, ws, "--lang", "en-GB")
    assert "Reviewed 2 March 2026" in gb and "Page 1 of " in gb
    _, us = made(cli, ws, "--lang", "en-US")
    assert "Reviewed March 2, 2026" in us
    assert "MedlinePlus, accessed December 2, 2026" in us  # publisher, date (short list)
    _, es = made(cli, ws, "--lang", "es-US")
    for spanish in ("Puntos clave", "Preguntas para su médico", "Pida ayuda ahora",
                    "Palabras que debe conocer", "Fuentes", "Revisado 2 de marzo de 2026",
                    "Página 1 de", "consultado el 2 de diciembre de 2026"):
        assert spanish in es, spanish
    english = ["Page", "Reviewed", "Key points", "Questions to ask", "Words to know",
               "Sources", "Version", "accessed", "Next review", "Written by",
               "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
    assert [w for w in english if re.search(rf"\b{w}\b", es)] == []


def test_spanish_letters_have_glyphs(cli: Callable[..., Run], ws: Path) -> None:
    edit(content(ws, "es-US"), "Muévase con suavidad todos los días.",
         "\"Muévase con suavidad todos los días: á é í ó ú ñ ü Á É Í Ó Ú Ñ ¿sí? ¡ya!\"")
    _, es = made(cli, ws, "--lang", "es-US")
    assert "á é í ó ú ñ ü Á É Í Ó Ú Ñ ¿sí? ¡ya!" in es
    assert "\ufffd" not in es and "\u25a1" not in es


def test_content_labels_override_the_catalog(cli: Callable[..., Run], ws: Path) -> None:
    edit(content(ws, "es-US"), "disclaimer:", "labels:\n  key_points: Lo esencial\ndisclaimer:")
    _, es = made(cli, ws, "--lang", "es-US")
    assert "Lo esencial" in es and "Puntos clave" not in es


def test_check_fails_an_edition_with_untranslated_fixed_text(cli: Callable[..., Run],
                                                             ws: Path) -> None:
    french = content(ws, "fr-CA")
    french.write_text(content(ws, "es-US").read_text(encoding="utf-8")
                      .replace("language: es-US", "language: fr-CA")
                      .replace("translated_from: en-US@2.1\n", "")
                      .replace("disclaimer:", "labels:\n  key_points: Points clés\ndisclaimer:"),
                      encoding="utf-8")
    run = cli("check", "back", "--lang", "fr-CA", "--today", TODAY, "--format", "json",
              cwd=ws)
    assert run.code == 1
    check = next(c for c in json.loads(run.out)["handouts"][0]["checks"]
                 if c["name"] == "translation")
    assert (check["name"], check["status"]) == ("translation", "fail")
    assert "labels.page" in check["measured"]["untranslated_texts"]
    assert "labels.key_points" not in check["measured"]["untranslated_texts"]
    assert "email.subject" in check["measured"]["untranslated_texts"]
    assert any(f["message"] == "fixed text 'Page {page} of {pages}' (labels.page) has no "
               "'fr-CA' translation" for f in check["findings"])


def test_translation_warns_when_its_source_is_newer(cli: Callable[..., Run],
                                                    ws: Path) -> None:
    run = cli("check", "back", "--lang", "es-US", "--today", TODAY, cwd=ws)
    assert "PASS  translation    every fixed text in 'es-US'; up to date with en-US 2.1" \
        in run.out, run.out
    edit(content(ws, "en-US"), "language: en-US\n", "language: en-US\nversion: \"2.2\"\n")
    run = cli("check", "back", "--lang", "es-US", "--today", TODAY, cwd=ws)
    assert run.code == 0  # a warning
    assert "WARN  translation" in run.out
    line, col = where(content(ws, "es-US").read_text(encoding="utf-8"), "en-US@2.1")
    assert (f"content/back/es-US.yaml:{line}:{col}: translated from en-US@2.1, but en-US is "
            "now version 2.2") in run.out, run.out
    edit(content(ws, "en"), "reviewed: 2026-03-02", "reviewed: 2026-04-01")
    edit(content(ws, "en"), "review_by: 2027-03-02", "review_by: 2027-04-01")
    run = cli("check", "back", "--lang", "es-US", "--today", TODAY, cwd=ws)
    assert "en-US was reviewed on 2026-04-01, after this translation (2026-03-02)" in run.out


# --- email -------------------------------------------------------------------------------


@pytest.mark.parametrize(("edition", "expected"), [
    ("en-GB", ["Your handout \u2018Looking after your back\u2019 is attached", "mobile phone"]),
    ("en-US", ["Your handout “Looking after your back” is attached", "cell phone"]),
    ("es-US", ["Adjuntamos su folleto «Cómo cuidar su espalda»", "Su folleto:"]),
])
def test_the_email_follows_the_edition(cli: Callable[..., Run], ws: Path, edition: str,
                                       expected: list[str]) -> None:
    run = cli("email", "back", "--to", "ana@example.org", "--lang", edition, "--dry-run",
              cwd=ws)
    assert run.code == 0, run.err
    body = " ".join(run.out.split())
    for text in expected:
        assert text in body, body


# --- catalogs and start-up ---------------------------------------------------------------


def test_catalogs_are_compiled_and_hold_every_fixed_text() -> None:
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "scripts" / "catalogs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_babel_is_imported_only_to_format_a_date() -> None:
    code = ("import sys, handouts.cli.app, handouts.content.catalog, handouts.build; "
            "print('babel' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "False"


@pytest.mark.parametrize("layout", ["standard", "large-print", "trifold"])
def test_every_edition_fits_every_layout(ws: Path, layout: str) -> None:
    from handouts.build import build_pdf, load, resolve
    from handouts.workspace.finder import Workspace

    workspace = Workspace.discover(root=ws)
    for edition in workspace.editions("back"):
        for paper in ("letter", "a4"):
            loaded, chosen = resolve(workspace, layout, paper)
            rendered = build_pdf(load(workspace, "back", edition), loaded, chosen)
            budget = loaded.spec.pages[chosen]
            assert rendered.pages <= budget, (edition, layout, paper, rendered.pages)
            text = pdf_text(rendered.data)
            if edition == "en-US":
                assert "Call 911" in text and "Call 999" not in text and "NHS 111" not in text
            if edition == "en-GB":
                assert "Call 999" in text and "NHS 111" in text and "911" not in text
