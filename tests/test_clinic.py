"""Clinic profiles: clinics/<name>.yaml or handouts.yaml, printed on every layout.

The details appear in the PDF text, the logo is embedded with its shape kept, the brand
colour replaces the layout's accent, and a bad profile (colour without contrast, a missing
or broken logo, an unknown key) is one message with file:line:col.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, DemoWorkspace, Run, pdf_reader, pdf_text, where

from handouts.colours import colour_problem, contrast, darker, gray_of, tint
from handouts.content.clinic import ClinicProfile, as_profile, load_clinic, resolve_clinic
from handouts.errors import NotFound, ValidationFailed
from handouts.workspace.config import Clinic
from handouts.workspace.finder import Workspace

pytestmark = pytest.mark.usefixtures("clean_env")

LOGO = REPO / "clinics" / "example-clinic-logo.png"
PROFILE = """\
name: Hill Street Surgery
address: "4 Hill Street, Brookfield BF2 9XY"
phone: 0200 111 2222
website: hillstreet.example.org
email: reception@hillstreet.example.org
logo: logo.png
colour: "#7b1fa2"
handout_url: https://hillstreet.example.org/leaflets/{slug}-{lang}
"""


def write_clinic(ws: DemoWorkspace, text: str = PROFILE, name: str = "hill-street",
                 logo: bool = True) -> Path:
    if logo:
        (ws.root / "clinics").mkdir(parents=True, exist_ok=True)
        (ws.root / "clinics" / "logo.png").write_bytes(LOGO.read_bytes())
    return ws.write(f"clinics/{name}.yaml", text)


def make(cli: Callable[..., Run], ws: DemoWorkspace, *args: str) -> Run:
    return cli("make", "demo", "-o", str(ws.root / "out.pdf"), *args, cwd=ws.root)


# ---------------------------------------------------------------- on the page


@pytest.mark.parametrize("layout", ["standard", "large-print", "trifold"])
def test_clinic_details_and_logo_appear_on_every_layout(cli: Callable[..., Run],
                                                        demo_ws: DemoWorkspace,
                                                        layout: str) -> None:
    write_clinic(demo_ws)
    run = make(cli, demo_ws, "--layout", layout, "--clinic", "hill-street")
    assert run.code == 0, run.err
    text = pdf_text(demo_ws.root / "out.pdf")
    for detail in ("Hill Street Surgery", "0200 111 2222", "hillstreet.example.org"):
        assert detail in text, (layout, detail)
    if layout != "standard":  # the standard handout's clinic card has only phone and website
        for detail in ("4 Hill Street", "Brookfield BF2 9XY", "reception@hillstreet.example.org",
                       "hillstreet.example.org/leaflets/demo-en"):
            assert detail in text, (layout, detail)
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        images = [i for p in pdf.pages for i in p.images if i["srcsize"] == (553, 200)]
    assert images, "the logo is embedded"
    for image in images:
        shown = (image["x1"] - image["x0"]) / (image["bottom"] - image["top"])
        assert shown == pytest.approx(553 / 200, rel=0.01)  # aspect ratio kept
    assert pdf_reader(demo_ws.root / "out.pdf").metadata.author == "Hill Street Surgery"


def test_the_clinic_name_and_phone_head_every_standard_page(cli: Callable[..., Run],
                                                           demo_ws: DemoWorkspace) -> None:
    """Page 1 carries the clinic (logo, phone) in its masthead; later pages, in the header."""
    write_clinic(demo_ws)
    more = "".join(f"      - p: Most back pain gets better, week {n}.\n" for n in range(12))
    demo_ws.replace("      - p: Most back pain comes from strained muscles.\n",
                    "      - p: Most back pain comes from strained muscles.\n" + more)  # 2 pages
    assert make(cli, demo_ws, "--clinic", "hill-street").code == 0
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        assert len(pdf.pages) == 2
        masthead = pdf.pages[0].crop((0, 0, pdf.pages[0].width, 150)).extract_text()
        assert "0200 111 2222" in masthead  # beside the logo
        for page in pdf.pages[1:]:
            top = page.crop((0, 0, page.width, 50)).extract_text()
            assert "Hill Street Surgery · 0200 111 2222" in top


def test_the_brand_colour_replaces_the_accent(cli: Callable[..., Run],
                                              demo_ws: DemoWorkspace) -> None:
    write_clinic(demo_ws)
    assert make(cli, demo_ws, "--clinic", "hill-street").code == 0
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        title = pdf.pages[0].search("Looking after your back")[0]["chars"][0]
    assert title["non_stroking_color"] == pytest.approx((0x7b / 255, 0x1f / 255, 0xa2 / 255),
                                                       abs=0.01)


def test_handouts_yaml_clinic_is_used_without_the_option(cli: Callable[..., Run],
                                                         demo_ws: DemoWorkspace) -> None:
    (demo_ws.root / "art").mkdir(parents=True)
    (demo_ws.root / "art" / "our-logo.png").write_bytes(LOGO.read_bytes())
    demo_ws.write("handouts.yaml", "clinic:\n  name: Yard Clinic\n  phone: 0300 000 111\n"
                                   "  logo: art/our-logo.png\n  colour: '#0d47a1'\n")
    run = make(cli, demo_ws, "--layout", "trifold")
    assert run.code == 0, run.err
    assert "Yard Clinic" in pdf_text(demo_ws.root / "out.pdf")
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        assert any(i["srcsize"] == (553, 200) for p in pdf.pages for i in p.images)


def test_the_option_wins_over_handouts_yaml(cli: Callable[..., Run],
                                            demo_ws: DemoWorkspace) -> None:
    demo_ws.write("handouts.yaml", "clinic:\n  name: Yard Clinic\n")
    write_clinic(demo_ws)
    assert make(cli, demo_ws, "--clinic", "hill-street").code == 0
    text = pdf_text(demo_ws.root / "out.pdf")
    assert "Hill Street Surgery" in text and "Yard Clinic" not in text


def test_the_builtin_example_clinic_works_anywhere(cli: Callable[..., Run],
                                                   demo_ws: DemoWorkspace) -> None:
    run = make(cli, demo_ws, "--clinic", "example-clinic", "--layout", "large-print")
    assert run.code == 0, run.err
    assert "Example Clinic" in pdf_text(demo_ws.root / "out.pdf")


def test_a_workspace_clinic_overrides_a_builtin_one_by_name(cli: Callable[..., Run],
                                                            demo_ws: DemoWorkspace) -> None:
    write_clinic(demo_ws, PROFILE.replace("Hill Street Surgery", "Our Own Clinic"),
                 name="example-clinic")
    assert make(cli, demo_ws, "--clinic", "example-clinic").code == 0
    text = pdf_text(demo_ws.root / "out.pdf")
    assert "Our Own Clinic" in text and "Example Clinic" not in text


def test_without_a_clinic_nothing_clinical_is_added(cli: Callable[..., Run],
                                                   demo_ws: DemoWorkspace) -> None:
    assert make(cli, demo_ws).code == 0
    with pdfplumber.open(demo_ws.root / "out.pdf") as pdf:
        assert not any(p.images for p in pdf.pages)
    assert resolve_clinic(Workspace.discover(cwd=demo_ws.root)) is None


# ---------------------------------------------------------------- bad profiles


@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ('colour: "#7b1fa2"', 'colour: "#f5a623"', "colour:",
     "brand colour #f5a623 has only 2.0:1 contrast on white; text needs at least 4.5:1 "
     "(try #"),
    ('colour: "#7b1fa2"', "colour: teal", "colour:", "colour must be #rrggbb"),
    ("logo: logo.png", "logo: missing.png", "logo:", "logo 'missing.png' not found"),
    ("logo: logo.png", "logo: notes.png", "logo:", "'notes.png' is not a readable PNG or JPEG"),
    ("logo: logo.png", "logo: anim.gif", "logo:", "image 'anim.gif' is GIF; use a PNG or JPEG"),
    ("logo: logo.png", "logo: cut.png", "logo:", "image 'cut.png' is damaged"),
    ("handout_url: https://hillstreet.example.org/leaflets/{slug}-{lang}",
     "handout_url: https://hillstreet.example.org/{name}", "handout_url:",
     "may only use {slug} and {lang}"),
    ("phone: 0200 111 2222", "fone: 0200 111 2222", "fone:",
     "unknown key 'fone' (did you mean 'phone'?)"),
])
def test_a_bad_profile_is_one_message_with_file_line_and_column(
        cli: Callable[..., Run], demo_ws: DemoWorkspace, old: str, new: str, needle: str,
        message: str) -> None:
    from PIL import Image

    write_clinic(demo_ws, PROFILE.replace(old, new))
    (demo_ws.root / "clinics" / "notes.png").write_text("not a picture", encoding="utf-8")
    Image.new("RGB", (20, 10)).save(demo_ws.root / "clinics" / "anim.gif")
    (demo_ws.root / "clinics" / "cut.png").write_bytes(LOGO.read_bytes()[:900])
    run = make(cli, demo_ws, "--clinic", "hill-street")
    assert run.code == 1, run.err
    line, column = where(PROFILE.replace(old, new), needle)
    if needle != "fone:":  # a value's problem points at the value
        column += len(needle) + 1
    assert f"clinics/hill-street.yaml:{line}:{column}: " in run.err
    assert message in run.err
    assert "Traceback" not in run.err
    assert not (demo_ws.root / "out.pdf").exists()


def test_a_bad_logo_in_handouts_yaml_points_at_handouts_yaml(cli: Callable[..., Run],
                                                             demo_ws: DemoWorkspace) -> None:
    demo_ws.write("handouts.yaml", "paper: a4\nclinic:\n  name: Yard Clinic\n"
                                   "  logo: nowhere/logo.png\n")
    run = make(cli, demo_ws)
    assert run.code == 1
    assert "handouts.yaml:4:9: logo 'nowhere/logo.png' not found" in run.err


def test_an_unknown_clinic_is_a_usage_error_with_a_hint(cli: Callable[..., Run],
                                                        demo_ws: DemoWorkspace) -> None:
    run = make(cli, demo_ws, "--clinic", "example-clinc")
    assert run.code == 2
    assert "no clinic named 'example-clinc'" in run.err
    assert "did you mean 'example-clinic'?" in run.err
    run = make(cli, demo_ws, "--clinic", "../secrets")
    assert run.code == 2 and "not a valid clinic name" in run.err


def test_an_empty_profile_is_an_error(demo_ws: DemoWorkspace) -> None:
    write_clinic(demo_ws, "# nothing yet\n")
    with pytest.raises(ValidationFailed) as err:
        load_clinic(Workspace.discover(cwd=demo_ws.root), "hill-street")
    assert "clinics/hill-street.yaml:1:1: the file is empty" in str(err.value)


def test_every_problem_of_a_profile_is_reported_together(demo_ws: DemoWorkspace) -> None:
    write_clinic(demo_ws, PROFILE.replace("logo.png", "gone.png").replace("#7b1fa2", "#ffff00"))
    with pytest.raises(ValidationFailed) as err:
        load_clinic(Workspace.discover(cwd=demo_ws.root), "hill-street")
    assert len(err.value.problems) == 2


# ---------------------------------------------------------------- colour rules


def test_contrast_follows_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#f5a623", "#ffff00", "#00ff00", "#ff0000", "#9e9e9e"])
def test_the_suggested_darker_shade_passes(colour: str) -> None:
    assert colour_problem(colour)
    suggestion = darker(colour)
    assert colour_problem(suggestion) is None
    assert suggestion in colour_problem(colour)


@pytest.mark.parametrize("colour", ["#00695c", "#7b1fa2", "#1f4e79", "#b71c1c", "#000000"])
def test_brand_colours_and_their_tints_stay_readable_in_colour_and_gray(colour: str) -> None:
    assert colour_problem(colour) is None
    background = tint(colour)
    assert background != "#ffffff"
    assert contrast(colour, background) >= 4.5
    assert contrast(gray_of(colour), gray_of(background)) >= 4.5


def test_a_bare_config_clinic_becomes_a_profile() -> None:
    profile = as_profile(Clinic(name="X", logo="relative.png", colour="#ffff00",
                                handout_url="https://x.example.org/{slug}"))
    assert isinstance(profile, ClinicProfile)
    assert profile.logo is None and profile.colour is None  # unusable parts are dropped
    assert profile.handout_url == "https://x.example.org/{slug}"
    assert as_profile(profile) is profile


def test_address_lines_split_at_line_breaks_or_commas() -> None:
    assert ClinicProfile("A", address="1 Road\nTown").address_lines == ["1 Road", "Town"]
    assert ClinicProfile("A", address="1 Road, Town, ZIP").address_lines == \
        ["1 Road", "Town", "ZIP"]


def test_the_example_clinic_is_valid_and_its_logo_is_small(tmp_path: Path) -> None:
    profile = load_clinic(Workspace.discover(cwd=tmp_path, root=tmp_path), "example-clinic")
    assert profile.logo and Path(profile.logo).stat().st_size < 20_000
    assert profile.colour and colour_problem(profile.colour) is None
    with pytest.raises(NotFound):
        load_clinic(Workspace.discover(cwd=tmp_path, root=tmp_path), "nobody")
