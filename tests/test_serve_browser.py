"""`handouts serve` in a real headless browser (Debian's chromium via selenium and
chromium-driver): the library, a handout, the staff form, the download, a live reload after a
file is saved on disk, and axe-core's WCAG 2.1 A/AA rules on every page of the app."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, browser_or_skip, describe
from pypdf import PdfReader
from serve_support import PATIENT, ThreadServer, make_workspace, wait_for

pytest.importorskip("uvicorn")

SHOTS = os.environ.get("HANDOUTS_SERVE_SCREENSHOTS")  # a folder: keep a picture of each page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    opened = browser_or_skip()
    try:
        yield opened
    finally:
        opened.quit()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    saved = os.environ.pop("HANDOUTS_ROOT", None)
    root = make_workspace(tmp_path_factory.mktemp("serve") / "ws")
    try:
        with ThreadServer(root) as running:
            yield running
    finally:
        if saved is not None:
            os.environ["HANDOUTS_ROOT"] = saved


def _accessible(browser: Browser, name: str) -> None:
    violations = browser.axe()
    assert not violations, f"{name}:\n{describe(violations)}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        browser.screenshot(Path(SHOTS) / f"serve-{name}.png")


def _by(css: str) -> tuple[str, str]:
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def test_library_to_handout_to_a_downloaded_copy(browser: Browser, served: ThreadServer,
                                                 tmp_path: Path) -> None:
    driver = browser.driver
    browser.open(served.url + "/", 1280)
    assert driver.find_element(*_by("h1")).text == "Handouts"
    _accessible(browser, "library")

    driver.find_element(*_by('a[href="/h/nk-cells?lang=en-GB"]')).click()
    wait_for(lambda: driver.find_elements(*_by("#pages img")), what="the page images")
    assert driver.find_element(*_by("h1")).text == "NK cells and repeated miscarriage"
    loaded = driver.execute_script(
        "return Array.from(document.querySelectorAll('#pages img'))"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "a page image did not load"
    assert "layout-fit" in driver.find_element(*_by("#report")).text
    _accessible(browser, "handout")

    def fill(field: str, value: str) -> None:
        box = driver.find_element(*_by(f"#copy-{field}"))
        box.clear()
        box.send_keys(value)

    fill("name", PATIENT)
    fill("clinician", "Dr. Mehta")
    fill("note", "Bring this to your next visit")
    driver.execute_script("document.getElementById('copy-date').value = '2026-12-01'")
    driver.find_element(*_by('button[value="preview"]')).click()
    wait_for(lambda: driver.find_elements(*_by('img[src^="data:image/png"]')),
             what="the personal copy's pages")
    assert driver.find_element(*_by("#copy-name")).get_attribute("value") == PATIENT
    _accessible(browser, "copy")

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.find_element(*_by('button[value="download"]')).click()
    pdf = wait_for(lambda: [p for p in downloads.glob("*.pdf")], what="the download")[0]
    data = wait_for(lambda: (b := pdf.read_bytes()).endswith(b"%%EOF\n") and b,
                    what="the whole file")
    text = " ".join(" ".join((p.extract_text() or "") for p in
                             PdfReader(io.BytesIO(data)).pages).split())
    assert PATIENT in text, "the patient's name is not in the PDF exactly as typed"
    assert "Dr. Mehta" in text and "Bring this to your next visit" in text


def test_saving_a_content_file_reloads_the_open_page(browser: Browser,
                                                     served: ThreadServer) -> None:
    driver = browser.driver
    browser.open(served.url + "/h/demo", 1280)
    wait_for(lambda: driver.execute_script("return document.body.dataset.live") == "connected",
             what="the event stream")

    # read in one script: the live reload replaces these elements at any moment
    def generation() -> str | None:
        return driver.execute_script(
            "const e = document.querySelector('#pages .pages'); return e && e.dataset.generation")

    def first_image() -> str | None:
        return driver.execute_script(
            "const e = document.querySelector('#pages img'); return e && e.src")

    def pages_text() -> str:
        return driver.execute_script("return document.getElementById('pages').textContent")

    before = generation()
    image = first_image()
    content = served.live.ws.root / "content" / "demo" / "en.yaml"
    saved_at = time.monotonic()
    content.write_text(content.read_text().replace("Keep moving gently", "Keep walking gently"))
    wait_for(lambda: generation() not in (before, None), what="the live reload")
    took = time.monotonic() - saved_at
    assert first_image() != image
    print(f"save to refreshed preview in the browser: {took:.2f} s")  # reported, not asserted
    assert "Updated at" in driver.find_element(*_by("#live-status")).text

    # a broken save shows the CLI's message in the page; fixing it brings the pages back
    good = content.read_text()
    content.write_text(good.replace("title:", "titel:", 1))
    wait_for(lambda: "cannot be shown" in pages_text(), what="the error in the page")
    assert "unknown key 'titel'" in pages_text()
    _accessible(browser, "broken")
    content.write_text(good)
    wait_for(first_image, what="the pages again")


def test_error_pages_are_accessible_too(browser: Browser, served: ThreadServer) -> None:
    browser.open(served.url + "/h/no-such-handout", 1280)
    assert "no handout named 'no-such-handout'" in browser.driver.find_element(
        *_by('[role="alert"]')).text
    _accessible(browser, "not-found")
    browser.open(served.url + "/h/demo", 390)  # a phone-sized window
    _accessible(browser, "handout-narrow")
    assert browser.horizontal_overflow() <= 0
