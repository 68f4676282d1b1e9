"""Benchmark: cold `handouts make nk-cells` as a new process, and in-process render time.

Run from the repository (or any workspace):  python benchmarks/bench.py [--runs N]
Budgets (2-core machine): cold <= 0.35 s, in-process render <= 20 ms.
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


def cold(runs: int, slug: str) -> list[float]:
    """Wall time of `handouts make SLUG` in a fresh interpreter, `runs` times."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{slug}.pdf"
        command = [sys.executable, "-m", "handouts", "make", slug, "-o", str(out)]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for _ in range(runs + 1):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            times.append(time.perf_counter() - start)
    return times[1:]


def in_process(runs: int, slug: str) -> list[float]:
    """Seconds to load, merge and render the handout in an already-running process."""
    from handouts.build import build_pdf, load, resolve
    from handouts.workspace import Workspace

    ws = Workspace.discover()
    build_pdf(load(ws, slug), *resolve(ws, None, None))  # warm: fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        handout = load(ws, slug)
        layout, paper = resolve(ws, None, None)
        build_pdf(handout, layout, paper)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--slug", default="nk-cells")
    args = parser.parse_args()
    cold_s = statistics.median(cold(args.runs, args.slug))
    render_ms = statistics.median(in_process(args.runs * 4, args.slug)) * 1000
    ok_cold = cold_s <= COLD_BUDGET_S
    ok_render = render_ms <= RENDER_BUDGET_MS
    print(f"cold `handouts make {args.slug}`: {cold_s:.3f} s median of {args.runs} "
          f"(budget {COLD_BUDGET_S} s) {'OK' if ok_cold else 'OVER'}")
    print(f"in-process load+render:  {render_ms:.1f} ms median of {args.runs * 4} "
          f"(budget {RENDER_BUDGET_MS:.0f} ms) {'OK' if ok_render else 'OVER'}")
    return 0 if ok_cold and ok_render else 1


if __name__ == "__main__":
    sys.exit(main())
