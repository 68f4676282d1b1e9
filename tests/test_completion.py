"""Shell completion knows the workspace: handout names, layouts, clinics and languages,
asked the way bash asks (a new process with click's completion variables set)."""

from __future__ import annotations

from pathlib import Path

from conftest import DemoWorkspace, run_module


def _complete(words: str, cwd: Path, shell: str = "bash") -> list[str]:
    env = {"_HANDOUTS_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    run = run_module(cwd=cwd, env=env)
    assert run.code == 0, run.err
    return [line.split(",", 1)[1] for line in run.out.splitlines() if "," in line]


def test_handout_names_include_the_workspace_and_built_in_ones(demo_ws: DemoWorkspace) -> None:
    assert _complete("handouts make ", demo_ws.root) == ["demo", "nk-cells"]
    assert _complete("handouts check d", demo_ws.root) == ["demo"]
    assert _complete("handouts preview nk", demo_ws.root) == ["nk-cells"]


def test_layouts_clinics_and_languages(demo_ws: DemoWorkspace) -> None:
    demo_ws.write("content/demo/es.yaml", "title: x\n")
    demo_ws.write("clinics/north.yaml", "name: North Clinic\n")
    assert {"standard", "trifold", "large-print"} <= set(
        _complete("handouts make demo --layout ", demo_ws.root))
    assert "north" in _complete("handouts make demo --clinic ", demo_ws.root)
    languages = _complete("handouts make demo --lang ", demo_ws.root)
    assert languages == sorted(languages)
    assert {"en", "es", "en-GB", "en-US"} <= set(languages)  # the built-in nk-cells' editions


def test_a_broken_workspace_completes_nothing_and_prints_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "handouts.yaml").write_text("layout: [unclosed\n", encoding="utf-8")
    assert _complete("handouts make ", tmp_path) == []
