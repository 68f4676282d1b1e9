"""The built wheel works on its own: installed into a new virtual environment, it makes the
NK-cell handout in an empty folder outside the repository (fonts, layouts and content are
package data, not files found in the checkout).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from pypdf import PdfReader

pytestmark = pytest.mark.slow

_NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "venv", "output", "dist", "build",
                                      "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache",
                                      "*.egg-info", "tests")


def _run(cmd: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "HANDOUTS_ROOT", "SOURCE_DATE_EPOCH", "VIRTUAL_ENV")}
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the source tree; install it in a fresh venv."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_NOT_SHIPPED)  # the checkout itself is never touched
    dist = base / "dist"
    if importlib.util.find_spec("build") is not None:
        _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, source], cwd=base)
    else:
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source], cwd=base)
    wheels = list(dist.glob("handouts-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=base)
    _run([venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check",
          "-q", wheels[0]], cwd=base)
    return venv


def test_wheel_ships_fonts_licence_layouts_and_content(installed: Path) -> None:
    wheel = next((installed.parent / "dist").glob("handouts-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("handouts/fonts/NotoSans-Regular.ttf", "handouts/fonts/OFL.txt",
                   "handouts/_builtin/layouts/standard/layout.yaml",
                   "handouts/_builtin/content/nk-cells/en.yaml"):
        assert needed in names, needed


def test_installed_wheel_makes_nk_cells_in_an_empty_folder(installed: Path,
                                                           tmp_path: Path) -> None:
    empty = tmp_path / "somewhere-else"
    empty.mkdir()
    markers = ("content", "layouts", "handouts.yaml")
    if any((p / m).exists() for p in empty.parents for m in markers):
        pytest.skip("a folder above tmp_path looks like a workspace")
    where = _run([installed / "bin" / "python", "-c",
                  "import handouts.workspace.finder as w; print(w.builtin_root())"], cwd=empty)
    assert Path(where.stdout.strip()).resolve().is_relative_to(installed.resolve()), \
        "the built-in library must come from the installed package, not the checkout"
    made = _run([installed / "bin" / "handouts", "make", "nk-cells"], cwd=empty)
    pdf = empty / "output" / "nk-cells.pdf"
    assert made.stdout.startswith("output/nk-cells.pdf: 2 pages, ")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    assert reader.metadata["/Creator"].startswith("handouts ")
    assert sorted(p.name for p in empty.iterdir()) == ["output"]


def test_installed_wheel_lists_builtins_and_runs_as_a_module(installed: Path,
                                                             tmp_path: Path) -> None:
    layouts = _run([installed / "bin" / "python", "-m", "handouts", "layouts"], cwd=tmp_path)
    assert "standard" in layouts.stdout and "built-in" in layouts.stdout
    listing = _run([installed / "bin" / "handouts", "list"], cwd=tmp_path)
    assert "nk-cells" in listing.stdout
