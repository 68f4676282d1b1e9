"""Shared helpers for the tests: running the real CLI, tiny workspaces, reading PDFs.

Fixtures here are opt-in (nothing is autouse), so other test modules are unaffected:

- ``clean_env``: no ``HANDOUTS_ROOT`` / ``SOURCE_DATE_EPOCH`` leaking in from the shell.
- ``cli``: run ``handouts ...`` in-process (``handouts.cli.main``) -> ``Run(code, out, err)``.
- ``demo_ws``: a workspace in ``tmp_path`` holding ``content/demo/en.yaml`` (a small valid
  handout copied from ``tests/fixtures/demo.yaml``), with helpers to edit it.

Plain functions: ``run_module`` (``python -m handouts`` in a new process), ``pdf_text``,
``flat`` (whitespace-normalised text), ``where`` (line and column of a string in a file).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Run:
    """What one CLI run did."""

    code: int
    out: str
    err: str


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests decide the workspace and the dates themselves."""
    monkeypatch.delenv("HANDOUTS_ROOT", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        clean_env: None) -> Callable[..., Run]:
    """Run the CLI in this process: ``cli("make", "demo", cwd=folder)``."""
    from handouts.cli import main

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:  # main() always exits; reaching here is itself a finding
            code = -1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_module(*args: str, cwd: Path, env: dict[str, str] | None = None,
               timeout: float = 60) -> Run:
    """Run ``python -m handouts ARGS`` as a new process (the real entry point)."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("HANDOUTS_ROOT", "SOURCE_DATE_EPOCH")}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "handouts", *map(str, args)], cwd=cwd,
                          env=full_env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


class DemoWorkspace:
    """A workspace folder with one handout, ``demo``, whose file tests may edit."""

    def __init__(self, root: Path, fixture: str = "demo.yaml") -> None:
        self.root = root
        self.original = (FIXTURES / fixture).read_text(encoding="utf-8")
        found = re.search(r"^language: ([\w-]+)$", self.original, re.M)
        language = found.group(1) if found else "en"  # the file is named after its language
        self.content = root / "content" / "demo" / f"{language}.yaml"
        self.content.parent.mkdir(parents=True)
        self.content.write_text(self.original, encoding="utf-8")
        if language != "en":  # and is the workspace's default
            (root / "handouts.yaml").write_text(f"language: {language}\n", encoding="utf-8")
        self.output = root / "output"

    @property
    def text(self) -> str:
        return self.content.read_text(encoding="utf-8")

    def replace(self, old: str, new: str) -> None:
        """Change one unique piece of the content file."""
        text = self.text
        assert text.count(old) == 1, f"fixture must hold {old!r} exactly once"
        self.content.write_text(text.replace(old, new), encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    @property
    def pdf(self) -> Path:
        return self.output / "demo.pdf"


@pytest.fixture
def demo_ws(tmp_path: Path) -> Iterator[DemoWorkspace]:
    yield DemoWorkspace(tmp_path / "ws")


def pdf_reader(source: Path | bytes) -> PdfReader:
    data = source if isinstance(source, bytes) else source.read_bytes()
    return PdfReader(io.BytesIO(data))


def pdf_pages(source: Path | bytes) -> list[str]:
    """Extracted text of each page (a tagged PDF ends each wrapped line with a space: the
    structure text reads "the womb", not "thewomb"; line ends are stripped here)."""
    return ["\n".join(line.rstrip() for line in (page.extract_text() or "").splitlines())
            for page in pdf_reader(source).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace (line breaks, no-break spaces) made one space."""
    return " ".join(text.split())


def pdf_text(source: Path | bytes) -> str:
    """All the extracted text of a PDF, whitespace-normalised."""
    return flat(" ".join(pdf_pages(source)))


def where(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, column


@dataclass(frozen=True)
class Made:
    """nk-cells rendered in memory in one edition, layout, paper and set of options."""

    layout: str
    paper: str
    clinic: bool
    grayscale: bool
    data: bytes
    pages: int
    personal: bool = False
    edition: str = "en-GB"

    def open(self) -> Any:
        import pdfplumber

        return pdfplumber.open(io.BytesIO(self.data))

    @cached_property
    def pdf(self) -> Any:
        """The PDF opened once (pdfplumber), so tests measuring the same copy share its
        parsed pages; it stays open as long as the fixture's cache."""
        return self.open()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An empty workspace: only the built-in content, layouts and clinics."""
    from handouts.workspace.finder import Workspace

    root = tmp_path_factory.mktemp("layouts-ws")
    return Workspace.discover(cwd=root, root=root)


@pytest.fixture(scope="module")
def build(ws: Any) -> Iterator[Callable[..., Made]]:
    """nk-cells in an edition (en-GB, the default, en-US or es-US), a layout, on a paper,
    with or without the example clinic, in gray, and as a personal copy (filled in the
    edition's language); each combination built once per test module."""
    from handouts.build import build_pdf, load, resolve
    from handouts.content.clinic import load_clinic
    from handouts.content.personal import Personal

    built: dict[tuple[Any, ...], Made] = {}
    clinic = load_clinic(ws, "example-clinic")
    handout = cache(partial(load, ws, "nk-cells"))
    notes = {"en": "Bring this to your next visit.", "es": "Traiga esta hoja a su próxima cita."}

    def get(layout: str, paper: str = "letter", clinic_: bool = False,
            grayscale: bool = False, personal_: bool = False, edition: str = "en-GB") -> Made:
        key = (edition, layout, paper, clinic_, grayscale, personal_)
        if key not in built:
            loaded, chosen = resolve(ws, layout, paper)
            personal = Personal(name="Ana López", clinician="Dr. Mehta",
                                note=notes[edition[:2]]) if personal_ else None
            rendered = build_pdf(handout(edition), loaded, chosen,
                                 clinic if clinic_ else None, personal=personal,
                                 grayscale=grayscale)
            built[key] = Made(layout, chosen, clinic_, grayscale, rendered.data, rendered.pages,
                              personal_, edition)
        return built[key]

    yield get
    for made in built.values():
        if "pdf" in made.__dict__:
            made.pdf.close()


def readable(made: Made, ws: Any) -> Iterator[Any]:
    """Each page of the copy, or on a tri-fold each panel (outside, then inside), as a
    pdfplumber page: what reads as one column."""
    from handouts.build import resolve
    from handouts.render.document import fold_panels

    for number, page in enumerate(made.pdf.pages):
        if made.layout != "trifold":
            yield page
            continue
        layout, _ = resolve(ws, "trifold", made.paper)
        for x, w in fold_panels(layout, page.width)[number]:
            yield page.crop((x, 0, x + w, page.height))
