"""The package is grouped by pipeline stage: lower stages never import higher ones, and no
two modules import each other (directly or round a loop), counting imports made inside
functions too; imports only for type checkers (``if TYPE_CHECKING:``) are left out."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "handouts"

# The pipeline, bottom to top. A module may import its own stage and the stages below it.
STAGES = {
    "handouts": 0, "_version": 0, "errors": 0, "schema": 0, "colours": 0, "images": 0,
    "output": 0, "provenance": 0, "links": 0,
    "workspace": 1,
    "content": 2, "clinic": 2,
    "layout": 3,
    "render": 4,
    "build": 5,
    "check": 6, "deliver": 6, "preview": 6,
    "cli": 7, "serve": 7,
    "__main__": 8,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "handouts"


def _imports(path: Path) -> set[str]:
    """The handouts modules a file imports anywhere, except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.module == "handouts":  # `from handouts import blocks` or `__version__`
            found.update(f"handouts.{alias.name}" if (PACKAGE / alias.name).exists()
                         or (PACKAGE / f"{alias.name}.py").exists() else "handouts"
                         for alias in node.names)
        elif node.module.startswith("handouts."):
            found.add(node.module)
    return found


@functools.cache
def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = sorted(m for m in _graph() if _stage(m) not in STAGES)
    assert unknown == [], f"add these stages to STAGES (and to README's picture): {unknown}"


@pytest.mark.parametrize("module", sorted(_graph()))
def test_no_module_imports_a_higher_stage(module: str) -> None:
    own = STAGES[_stage(module)]
    upward = sorted(t for t in _graph()[module] if STAGES.get(_stage(t), 99) > own)
    assert upward == [], f"{module} (stage {_stage(module)}) imports higher stages: {upward}"


def test_no_import_cycles() -> None:
    graph = _graph()
    known = set(graph)

    def resolve(target: str) -> str | None:  # `from handouts.x import y` may name a module
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    edges = {m: {r for t in ts if (r := resolve(t)) and r != m and r != "handouts"}
             for m, ts in graph.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                loop = [*path[path.index(nxt):], nxt]
                pytest.fail("import cycle: " + " -> ".join(loop))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_a_negative_control_is_caught(tmp_path: Path) -> None:
    """The walk sees an import made inside a function (how the old render/figures loop hid)."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from handouts.cli.app import main\n", encoding="utf-8")
    assert _imports(sample) == {"handouts.cli.app"}
    guarded = tmp_path / "guarded.py"
    guarded.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from handouts.cli.app import main\n", encoding="utf-8")
    assert _imports(guarded) == set()


def test_the_readme_python_api_example_runs_as_written(tmp_path: Path) -> None:
    """README's "Python API" block, run in an empty folder: it makes the built-in handout."""
    import subprocess
    import sys

    readme = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API"):]
    code = section[section.index("```python") + len("```python"):]
    code = code[:code.index("```")]
    empty = tmp_path / "empty"
    empty.mkdir()
    markers = ("content", "layouts", "handouts.yaml")
    if any((p / m).exists() for p in empty.parents for m in markers):
        pytest.skip("a folder above tmp_path looks like a workspace")
    subprocess.run([sys.executable, "-c", code + "\nfrom handouts.clinic import resolve_clinic"],
                   cwd=empty, check=True, capture_output=True, timeout=120)
    assert (empty / "output" / "nk-cells.pdf").stat().st_size > 10_000
    assert (empty / "output" / "nk-cells-trifold-a4.pdf").is_file()
    assert sorted(p.name for p in (empty / "output").glob("*.png")) == [
        "nk-cells-trifold-a4-1.png"]
