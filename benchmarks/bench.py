"""Benchmark: cold `handouts make nk-cells` as a new process, and in-process render time.

Also reported (no budget): the up-to-date `make` (a new process that finds the output made
from the same inputs and writes nothing), and the HTML edition's cold `make --format html`
and in-process build. The full cold make removes the output before each run.

Run from the repository (or any workspace):  python benchmarks/bench.py [--runs N]
Budgets (2-core machine): cold <= 0.35 s, in-process render <= 20 ms; the tagged PDF (the
default) costs at most 1.25x the untagged render time and 1.4x its file size.
Figures are medians; the first cold run is discarded (it warms the OS file cache
and writes Python's bytecode cache, as any install would once). The child processes
run with bytecode caching on even if PYTHONDONTWRITEBYTECODE is set here, because
an installed package always has its .pyc files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_BUDGET_S = 0.35
RENDER_BUDGET_MS = 20.0
TAGGED_TIME_BUDGET = 1.25  # tagged render time / untagged, in-process
TAGGED_SIZE_BUDGET = 1.4  # tagged file size / untagged


def cold(runs: int, slug: str, fmt: str = "pdf", up_to_date: bool = False) -> list[float]:
    """Wall time of `handouts make SLUG [--format html]` in a fresh interpreter, `runs` times:
    a full build (the output removed first), or with ``up_to_date`` a run that finds the
    output already made from the same inputs and leaves it alone."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{slug}.{fmt}"
        script = Path(sys.executable).with_name("handouts")  # what a user types
        launcher = [str(script)] if script.is_file() else [sys.executable, "-m", "handouts"]
        command = [*launcher, "make", slug, "-o", str(out), "--format", fmt]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for _ in range(runs + 1):
            if not up_to_date:
                out.unlink(missing_ok=True)
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            times.append(time.perf_counter() - start)
    return times[1:]


def in_process(runs: int, slug: str) -> tuple[list[float], list[float]]:
    """Seconds to load+validate the content, and to render it, in a running process."""
    from handouts.build import build_pdf, load, resolve
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover()
    build_pdf(load(ws, slug), *resolve(ws, None, None))  # warm: fonts, templates
    loading, rendering = [], []
    for _ in range(runs):
        start = time.perf_counter()
        handout = load(ws, slug)
        layout, paper = resolve(ws, None, None)
        middle = time.perf_counter()
        build_pdf(handout, layout, paper)
        loading.append(middle - start)
        rendering.append(time.perf_counter() - middle)
    return loading, rendering


def tagged_cost(runs: int, slug: str) -> dict[str, tuple[float, int]]:
    """Median render ms and file size, tagged (the default) and --untagged, per layout.

    Interleaved runs, so a busy moment on a shared machine hits both alike."""
    from handouts.build import build_pdf, load, resolve
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover()
    handout = load(ws, slug)
    out = {}
    for name in ("standard", "large-print", "trifold"):
        layout, paper = resolve(ws, name, None)
        times: dict[bool, list[float]] = {True: [], False: []}
        sizes = {}
        for tagged in (True, False):
            sizes[tagged] = len(build_pdf(handout, layout, paper, tagged=tagged).data)  # warm
        for _ in range(runs):
            for tagged in (True, False):
                start = time.perf_counter()
                build_pdf(handout, layout, paper, tagged=tagged)
                times[tagged].append(time.perf_counter() - start)
        for tagged in (True, False):
            out[f"{name} {'tagged' if tagged else 'untagged'}"] = (
                statistics.median(times[tagged]) * 1000, sizes[tagged])
    return out


def html_edition(runs: int, slug: str) -> list[float]:
    """Seconds to make the HTML edition from loaded content, in a running process."""
    from handouts.build import build_html, load, resolve
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover()
    handout, (layout, _) = load(ws, slug), resolve(ws, None, None)
    build_html(handout, layout)  # warm: templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_html(handout, layout)
        times.append(time.perf_counter() - start)
    return times


def reportlab_floor(runs: int, slug: str) -> list[float]:
    """For context: ReportLab alone setting the same text as plain paragraphs.

    Machine speed varies (shared CPUs); this floor shows what the layout work costs here.
    """
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from handouts.build import context, load, resolve
    from handouts.layout.blocks import plain_texts
    from handouts.layout.merge import Merger
    from handouts.render.fonts import Fonts
    from handouts.workspace.finder import Workspace

    ws = Workspace.discover()
    handout = load(ws, slug)
    layout, paper = resolve(ws, None, None)
    texts = plain_texts(Merger.for_layout(layout).blocks(context(handout, layout, paper, None)))
    font = Fonts(layout, italic=False).name(next(iter(layout.spec.fonts)), False, False)
    style = ParagraphStyle("floor", fontName=font, fontSize=12, leading=14.6, spaceAfter=4)
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        doc = SimpleDocTemplate(io.BytesIO(), invariant=1)
        doc.build([Paragraph(escape(text), style) for text in texts])
        times.append(time.perf_counter() - start)
    return times[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--slug", default="nk-cells")
    args = parser.parse_args()
    cold_s = statistics.median(cold(args.runs, args.slug))
    loading, rendering = in_process(args.runs * 4, args.slug)
    load_ms = statistics.median(loading) * 1000
    render_ms = statistics.median(rendering) * 1000
    floor_ms = statistics.median(reportlab_floor(args.runs * 4, args.slug)) * 1000
    ok_cold = cold_s <= COLD_BUDGET_S
    ok_render = render_ms <= RENDER_BUDGET_MS
    print(f"cold `handouts make {args.slug}`: {cold_s:.3f} s median of {args.runs} "
          f"(budget {COLD_BUDGET_S} s) {'OK' if ok_cold else 'OVER'}")
    fresh_s = statistics.median(cold(args.runs, args.slug, up_to_date=True))
    print(f"up-to-date `handouts make {args.slug}` (output already made, nothing written): "
          f"{fresh_s:.3f} s median of {args.runs} (no budget)")
    print(f"in-process load+validate content and layout: {load_ms:.1f} ms median")
    print(f"in-process render: {render_ms:.1f} ms median of {args.runs * 4} "
          f"(budget {RENDER_BUDGET_MS:.0f} ms) {'OK' if ok_render else 'OVER'}")
    print(f"for context, ReportLab alone setting the same text as plain paragraphs: "
          f"{floor_ms:.1f} ms")
    html_cold_s = statistics.median(cold(args.runs, args.slug, "html"))
    html_ms = statistics.median(html_edition(args.runs * 4, args.slug)) * 1000
    print(f"HTML edition: cold `handouts make {args.slug} --format html`: {html_cold_s:.3f} s "
          f"median of {args.runs}; in-process build: {html_ms:.1f} ms median (no budget)")
    cost = tagged_cost(args.runs * 2, args.slug)
    ok_tagged = True
    for name in ("standard", "large-print", "trifold"):
        (t_ms, t_size), (u_ms, u_size) = cost[f"{name} tagged"], cost[f"{name} untagged"]
        time_ratio, size_ratio = t_ms / u_ms, t_size / u_size
        ok = time_ratio <= TAGGED_TIME_BUDGET and size_ratio <= TAGGED_SIZE_BUDGET
        ok_tagged = ok_tagged and ok
        print(f"{name}: tagged {t_ms:.1f} ms, {t_size / 1024:.1f} KB; untagged {u_ms:.1f} ms, "
              f"{u_size / 1024:.1f} KB; x{time_ratio:.2f} time (budget {TAGGED_TIME_BUDGET}), "
              f"x{size_ratio:.2f} size (budget {TAGGED_SIZE_BUDGET}) {'OK' if ok else 'OVER'}")
    return 0 if ok_cold and ok_render and ok_tagged else 1


if __name__ == "__main__":
    sys.exit(main())
