"""A paper copy that leaves sections out says where the rest is (REVIEW2-clinical, BLOCKING 1).

nk-cells 1.1 has 11 sections; each paper layout prints those of its `show:` list. With an online
copy (a clinic's handout_url, or the content's url) the sources line becomes "The full version,
with every section and source, is online: <address>"; without one, the small print begins "This
is a short version. Ask your clinic for the full version."; a layout that shows every section
prints neither. `handouts check` warns (layout-fit) when a layout leaves sections out and the
copy has no online address. The text is read back from the real PDFs with pdfplumber.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, Run

LAYOUTS = ("standard", "trifold", "large-print")
ADDRESS = "example.org/handouts/nk-cells"
TODAY = "2026-12-03"
# The fixed texts, as the catalogs give them (en-GB and en-US use the English message ids).
FULL = {"en": "The full version, with every section and source, is online:",
        "es": "La versión completa, con todas las secciones y fuentes, está en línea:"}
# beside the standard sheet's QR code (the other layouts print FULL with the address)
SCAN = {"en": "Scan for the full version and every source",
        "es": "Escanee el código para ver la versión completa y todas las fuentes"}
SHORT = {"en": "This is a short version. Ask your clinic for the full version.",
         "es": "Esta es una versión corta. Pida a su clínica la versión completa."}
SOURCES_ONLINE = {"en": "The sources, with titles and links, are in the online copy:",
                  "es": "Las fuentes, con sus títulos y enlaces, están en la copia en línea:"}


def plumbed(data: bytes, panels: int = 1) -> str:
    """The PDF's text as pdfplumber extracts it, page by page and (a tri-fold) panel by panel
    (thirds of the sheet: each fold's gutter is centred on a third), every run of white space
    one space."""
    parts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            width = float(page.width) / panels
            for k in range(panels):
                part = page.crop((k * width, 0, (k + 1) * width, float(page.height)))
                parts.append(part.extract_text() or "")
    return re.sub(r"\s+", " ", " ".join(parts))


@cache
def text(edition: str, layout: str, clinic: bool = False, personal: bool = False,
         root: Path = REPO, paper: str = "letter") -> str:
    from handouts.build import build_pdf, load, resolve
    from handouts.content.clinic import load_clinic
    from handouts.content.personal import Personal
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover(root=root)
    loaded, chosen = resolve(ws, layout, paper)
    copy = Personal(name="Ana María López", clinician="Dr. Mehta",
                    note="Bring this to your next visit.") if personal else None
    rendered = build_pdf(load(ws, "nk-cells", edition), loaded, chosen,
                         load_clinic(ws, "example-clinic") if clinic else None, personal=copy)
    return plumbed(rendered.data, 3 if layout == "trifold" else 1)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("edition", ["en-GB", "en-US", "es-US"])
def test_a_short_copy_without_an_online_copy_says_so(edition: str, layout: str) -> None:
    lang = edition[:2]
    for personal in (False, True):
        printed = text(edition, layout, personal=personal)
        assert printed.count(SHORT[lang]) == 1, (layout, personal)
        assert FULL[lang] not in printed and ADDRESS not in printed
        assert SOURCES_ONLINE[lang] not in printed


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("edition", ["en-GB", "en-US", "es-US"])
def test_a_short_copy_with_a_clinic_points_to_the_full_version(edition: str,
                                                              layout: str) -> None:
    """One sentence, in place of "the sources are in the online copy" (never both)."""
    lang = edition[:2]
    for personal in (False, True):
        printed = text(edition, layout, clinic=True, personal=personal)
        pointer = SCAN[lang] if layout == "standard" else FULL[lang]
        assert printed.count(f"{pointer} {ADDRESS}") == 1, (layout, personal)
        assert SHORT[lang] not in printed
        assert SOURCES_ONLINE[lang] not in printed


def test_the_spanish_short_copy_is_in_spanish_on_a4() -> None:
    assert SHORT["es"] in text("es-US", "standard", paper="a4")
    assert f"{SCAN['es']} {ADDRESS}" in text("es-US", "standard", clinic=True, paper="a4")


def test_the_short_version_line_opens_the_small_print() -> None:
    """It is in the publisher paragraph, before "Published by", so it costs no line."""
    printed = text("en-US", "standard")
    assert f"{SHORT['en']} Published by Handouts Project." in printed
    assert f"{SHORT['es']} Publicado por Handouts Project." in text("es-US", "standard")


@pytest.fixture(scope="module")
def full_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a layout `full`: the standard layout's files with no `show:` list,
    so it prints all of nk-cells (the built-in content), on as many pages as it takes."""
    root = tmp_path_factory.mktemp("full") / "ws"
    shutil.copytree(REPO / "layouts" / "standard", root / "layouts" / "full")
    spec = root / "layouts" / "full" / "layout.yaml"
    yaml = spec.read_text(encoding="utf-8")
    head, found, _ = yaml.partition("\nshow:")
    assert found, "the standard layout has a show: list"
    spec.write_text(head.replace("pages: {letter: 2, a4: 2}", "pages: {letter: 5, a4: 5}")
                    + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("edition", ["en-US", "es-US"])
def test_a_layout_that_shows_every_section_prints_neither_line(full_ws: Path,
                                                               edition: str) -> None:
    lang = edition[:2]
    alone = text(edition, "full", root=full_ws)
    clinic = text(edition, "full", clinic=True, root=full_ws)
    for printed in (alone, clinic):
        assert SHORT[lang] not in printed and FULL[lang] not in printed
    assert "NK" in alone and len(alone) > len(text(edition, "standard"))  # it is the whole text
    assert f"{SOURCES_ONLINE[lang]} {ADDRESS}" in clinic  # the sources line as before


def _layout_fit(cli: Callable[..., Run], root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    run = cli("--root", root, "check", "nk-cells", "--today", TODAY, "--format", "json", *args,
              cwd=root)
    (report,) = json.loads(run.out)["handouts"]
    return next(c for c in report["checks"] if c["name"] == "layout-fit")


def _short_copy(check: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["message"] for f in check["findings"] if f["message"].startswith("short copy:")]


def test_check_warns_when_a_layout_leaves_sections_out_and_there_is_no_address(
        cli: Callable[..., Run]) -> None:
    fit = _layout_fit(cli, REPO, "--lang", "en-GB", "--layout", "standard",
                      "--layout", "trifold")
    standard, trifold = _short_copy(fit)
    assert all(f["level"] == "warn" for f in fit["findings"]
               if f["message"].startswith("short copy:"))
    assert standard.startswith("short copy: layout 'standard' leaves out 7 of 11 sections")
    assert trifold.startswith("short copy: layout 'trifold' leaves out 6 of 11 sections")
    for heading in ("'What are NK cells?'", "'Can progesterone help?'",
                    "'How can you cope with your feelings?'"):
        assert heading in standard
    assert "'How can you cope with your feelings?'" not in trifold  # the tri-fold shows it
    assert "'handout_url' in the clinic profile" in standard and "'url:' in the content" in standard
    assert "handout_url" in fit["hint"]


def test_the_spanish_warning_names_the_spanish_headings(cli: Callable[..., Run]) -> None:
    (message,) = _short_copy(_layout_fit(cli, REPO, "--lang", "es-US", "--layout", "standard"))
    assert "'¿Puede ayudar la progesterona?'" in message


def test_no_warning_with_a_clinic_handout_url(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "handouts.yaml").write_text(
        "clinic:\n  name: Yard Clinic\n  handout_url: https://yard.example/h/{slug}\n",
        encoding="utf-8")
    fit = _layout_fit(cli, root, "--lang", "en-GB", "--layout", "standard")
    assert _short_copy(fit) == [] and fit["status"] == "pass"
    (root / "handouts.yaml").write_text("clinic:\n  name: Yard Clinic\n", encoding="utf-8")
    assert len(_short_copy(_layout_fit(cli, root, "--lang", "en-GB", "--layout", "standard"))) == 1


def test_no_warning_with_the_contents_url(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "content" / "nk-cells", root / "content" / "nk-cells")
    base = root / "content" / "nk-cells" / "en.yaml"
    yaml = base.read_text(encoding="utf-8")
    base.write_text(yaml.replace("\nkeywords:", "\nurl: https://handouts.example/nk-cells\n"
                                 "keywords:", 1), encoding="utf-8")
    fit = _layout_fit(cli, root, "--lang", "en-GB", "--layout", "standard")
    assert _short_copy(fit) == []
    # and the paper points there
    assert f"{SCAN['en']} handouts.example/nk-cells" in text("en-GB", "standard", root=root)


def test_no_warning_for_a_layout_that_shows_every_section(cli: Callable[..., Run],
                                                          full_ws: Path) -> None:
    assert _short_copy(_layout_fit(cli, full_ws, "--lang", "en-GB", "--layout", "full")) == []
