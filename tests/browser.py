"""A real headless browser for the HTML tests: Debian's chromium driven by selenium through
chromium-driver (never a downloaded browser), with axe-core (npm package) injected.

Found as: ``HANDOUTS_CHROMIUM`` / ``HANDOUTS_CHROMEDRIVER`` or ``chromium`` and
``chromedriver`` on PATH; axe-core's ``axe.min.js`` from ``HANDOUTS_AXE`` or
``.ci/node_modules/axe-core/axe.min.js``. ``.ci/run`` installs all three. When one is missing
the browser tests skip with the reason, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Tools:
    chromium: Path
    chromedriver: Path
    axe: Path


def find_tools() -> Tools | str:
    """The browser, its driver and axe-core, or the reason they are missing."""
    chromium = os.environ.get("HANDOUTS_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("HANDOUTS_CHROMEDRIVER") or shutil.which("chromedriver")
    axe = Path(os.environ.get("HANDOUTS_AXE")
               or REPO / ".ci" / "node_modules" / "axe-core" / "axe.min.js")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not chromium:
        return "no chromium on PATH (apt-get install chromium; or set HANDOUTS_CHROMIUM)"
    if not driver:
        return "no chromedriver on PATH (apt-get install chromium-driver)"
    if not axe.is_file():
        return f"axe-core not found at {axe} (npm install --prefix .ci axe-core)"
    return Tools(Path(chromium), Path(driver), axe)


class Browser:
    """One headless chromium session; pages are opened at an exact viewport width."""

    width = 0

    def __init__(self, tools: Tools) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(tools.chromium)
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(str(tools.chromedriver)), options=options)
        self.driver.set_script_timeout(60)
        self.axe_source = tools.axe.read_text(encoding="utf-8")

    def open(self, page: Path | str, width: int, height: int = 900) -> None:
        """Load a file (or a file: URL) at ``width`` CSS pixels wide, as a phone or desktop."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 600})
        url = page if isinstance(page, str) else page.resolve().as_uri()
        self.width = width
        self.driver.get(url)

    def js(self, script: str) -> Any:
        return self.driver.execute_script(script)

    def axe(self, tags: list[str] | None = None) -> list[dict[str, Any]]:
        """axe-core's violations for the open page, WCAG 2.0/2.1 A and AA rules by default."""
        if not self.js("return typeof window.axe !== 'undefined'"):
            self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
            " resultTypes: ['violations']})"
            ".then(r => done({ok: r.violations.map(v => ({id: v.id, impact: v.impact,"
            " help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': '"
            " + n.failureSummary)}))}))"
            ".catch(e => done({error: String(e)}));", tags or WCAG_A_AA)
        if "error" in result:
            raise RuntimeError(f"axe-core failed: {result['error']}")
        return result["ok"]

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the width asked for in ``open`` (0 or
        less: no sideways scroll). A phone zooms out to fit a too-wide page, so the window's
        own width cannot be trusted; the requested width can."""
        return int(self.js("return Math.max(document.documentElement.scrollWidth,"
                           " document.body.scrollWidth)")) - self.width

    def screenshot(self, path: Path) -> Path:
        """The whole page (not just the viewport) as a PNG."""
        height = int(self.js("return document.documentElement.scrollHeight"))
        width = int(self.js("return window.innerWidth"))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        path.write_bytes(self.driver.get_screenshot_as_png())
        return path

    def print_pdf(self, width_in: float = 8.5, height_in: float = 11) -> bytes:
        """The open page printed as the browser prints it (print styles), Letter by default."""
        import base64

        printed = self.driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": width_in, "paperHeight": height_in, "preferCSSPageSize": True})
        return base64.b64decode(printed["data"])

    def quit(self) -> None:
        self.driver.quit()


def browser_or_skip() -> Browser:
    """A browser, or a skip naming what is missing (a failure under CI, which must have it)."""
    tools = find_tools()
    if isinstance(tools, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {tools}")
        pytest.skip(tools)
    return Browser(tools)


def describe(violations: list[dict[str, Any]]) -> str:
    """axe-core violations as readable lines for an assertion message."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)
