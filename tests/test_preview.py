"""`handouts preview`: PNG pages next to the PDF, drawn by pypdfium2 (no system binary)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import DemoWorkspace, Run
from PIL import Image, ImageChops

pytestmark = pytest.mark.usefixtures("clean_env")


def test_preview_writes_the_pdf_and_one_png_per_page(cli: Callable[..., Run],
                                                     demo_ws: DemoWorkspace) -> None:
    run = cli("preview", "demo", "--layout", "trifold", "--dpi", "72", cwd=demo_ws.root)
    assert run.code == 0, run.err
    pngs = sorted(demo_ws.output.glob("demo-*.png"))
    assert [p.name for p in pngs] == ["demo-trifold-1.png", "demo-trifold-2.png"]
    assert (demo_ws.output / "demo-trifold.pdf").is_file()
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG"
            assert image.size == (792, 612)  # Letter landscape at 72 dpi
            assert image.convert("L").getextrema()[0] < 64  # something dark is drawn
        assert f"output/{png.name}" in run.out


def test_preview_one_page_at_a_chosen_resolution(cli: Callable[..., Run],
                                                 demo_ws: DemoWorkspace) -> None:
    run = cli("preview", "demo", "--page", "1", "--dpi", "150", "--paper", "a4",
              cwd=demo_ws.root)
    assert run.code == 0, run.err
    assert [p.name for p in demo_ws.output.glob("*.png")] == ["demo-a4-1.png"]
    with Image.open(demo_ws.output / "demo-a4-1.png") as image:
        width, height = image.size
    assert width == pytest.approx(595.28 * 150 / 72, abs=1)
    assert height == pytest.approx(841.89 * 150 / 72, abs=1)


def test_a_page_that_does_not_exist_is_a_usage_error(cli: Callable[..., Run],
                                                     demo_ws: DemoWorkspace) -> None:
    run = cli("preview", "demo", "--page", "9", cwd=demo_ws.root)
    assert run.code == 2
    assert "there is no page 9: the PDF has 1 page" in run.err
    assert not list(demo_ws.output.glob("*.png"))


def test_pngs_left_from_a_longer_version_are_removed(cli: Callable[..., Run],
                                                     demo_ws: DemoWorkspace) -> None:
    demo_ws.output.mkdir(parents=True)
    for n in (1, 2, 3):
        (demo_ws.output / f"demo-{n}.png").write_bytes(b"old")
    assert cli("preview", "demo", "--dpi", "40", cwd=demo_ws.root).code == 0
    assert sorted(p.name for p in demo_ws.output.glob("*.png")) == ["demo-1.png"]


def test_preview_passes_clinic_and_grayscale_through(cli: Callable[..., Run],
                                                     demo_ws: DemoWorkspace) -> None:
    run = cli("preview", "demo", "--clinic", "example-clinic", "--grayscale", "--dpi", "40",
              cwd=demo_ws.root)
    assert run.code == 0, run.err
    with Image.open(demo_ws.output / "demo-gray-example-clinic-1.png") as image:
        red, green, blue = image.convert("RGB").split()
    # nothing coloured at all: the three channels are the same picture
    assert ImageChops.difference(red, green).getbbox() is None
    assert ImageChops.difference(green, blue).getbbox() is None


def test_make_does_not_load_the_preview_or_image_libraries(demo_ws: DemoWorkspace) -> None:
    """The 0.35 s cold-start budget of `handouts make`: none of this is imported for it."""
    code = ("import sys\nfrom handouts.cli import main\n"
            "try:\n    main(['make', 'demo'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "print(sorted(m for m in ('pypdfium2', 'handouts.preview', 'handouts.content.clinic', "
            "'handouts.render.figures', 'handouts.render.grayscale') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=demo_ws.root, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
