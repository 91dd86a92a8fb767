"""The HTML report opened in headless Chromium (Debian's chromium + chromium-driver).

Loads the golden plan's report from a file:// URL, checks the browser logged no error, that
every changed page is shown with its old and new rendering side by side, and saves a screenshot
(to pytest's tmp path, and to ``$PD_SYNC_SCREENSHOT_DIR`` when set). Chromium and chromedriver
are found on PATH, or at ``$PD_SYNC_CHROMIUM`` / ``$PD_SYNC_CHROMEDRIVER``. Missing Chromium is
a failure, not a skip: ``scripts/test`` (the README's test command) installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from pd_sync.plan import CreatePage, Plan
from pd_sync.preview import render_html
from pd_sync.preview.text import bodies
from preview.test_preview_golden import COHORT, golden_plan


def _program(variable: str, *names: str) -> Path:
    """``$variable`` if set, else the first of ``names`` on PATH (else the first name)."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    found = next((shutil.which(name) for name in names if shutil.which(name)), None)
    return Path(found or names[0])


CHROMIUM = _program("PD_SYNC_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = _program("PD_SYNC_CHROMEDRIVER", "chromedriver")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(
            f"Chromium or chromedriver not found ({', '.join(missing)}): run scripts/test, "
            "which installs them with apt-get, or install them and set PD_SYNC_CHROMIUM and "
            "PD_SYNC_CHROMEDRIVER"
        )
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1400,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _open(browser: Any, tmp_path: Path, name: str, html: str) -> list[dict[str, Any]]:
    """Load the page; return the SEVERE entries the browser logged while doing so."""
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    browser.get_log("browser")  # drop entries from earlier pages
    browser.get(path.as_uri())
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _section(browser: Any, title: str) -> WebElement:
    for section in browser.find_elements(By.CSS_SELECTOR, "section.action"):
        if section.find_element(By.CSS_SELECTOR, "h2 .name").text == title:
            return section
    raise AssertionError(f"no section for {title!r}")


def _screenshot(browser: Any, tmp_path: Path) -> list[Path]:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(int(height) + 100, 8000))
    targets = [tmp_path / "plan-report.png"]
    extra = os.environ.get("PD_SYNC_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        targets.append(Path(extra) / "plan-report.png")
    for target in targets:
        assert browser.save_screenshot(str(target))
    return targets


def test_report_shows_changed_pages_side_by_side(browser: Any, tmp_path: Path) -> None:
    plan = golden_plan()
    severe = _open(browser, tmp_path, "report.html", render_html(plan, COHORT))
    assert severe == []
    assert browser.title == f"pd-sync plan: cohort {COHORT} (Canvas course 1)"
    changed = [a for a in plan.actions if a.object_type == "page" and a.symbol in "+~"]
    assert len(changed) == 4
    for action in changed:
        section = _section(browser, action.name)
        assert section.is_displayed()
        if bodies(action) is None:  # a rename: the fields table says what changes
            assert "week-2-networking" in section.find_element(By.CSS_SELECTOR, "table").text
            continue
        old, new = section.find_elements(By.CSS_SELECTOR, ".compare .rendering")
        assert old.is_displayed() and new.is_displayed()
        assert old.location["x"] < new.location["x"], "old and new side by side"
        assert abs(old.location["y"] - new.location["y"]) < 5
    week1 = _section(browser, "Week 1: Your Story")
    old, new = week1.find_elements(By.CSS_SELECTOR, ".compare .rendering")
    assert "Write a story about your path into tech." in old.text
    assert "Write a two-minute story about your path into tech." in new.text
    strong = new.find_element(By.TAG_NAME, "strong")  # rendered, not shown as markup
    assert strong.text == "two-minute" and int(strong.value_of_css_property("font-weight")) >= 600
    assert "<strong>" not in new.text
    created = _section(browser, "Week 3: Mock Interviews")
    assert "(no page in Canvas yet)" in created.text and "Use the STAR format." in created.text
    drift = _section(browser, "Learning Goals")
    assert "drift" in drift.find_element(By.CLASS_NAME, "badge").text
    for target in _screenshot(browser, tmp_path):
        data = target.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, target


def test_hostile_page_body_neither_runs_nor_loads(browser: Any, tmp_path: Path) -> None:
    body = (
        "<p>Visible text</p><script>document.title = 'pwned'</script>"
        "<img src='missing.png' onerror=\"document.title = 'pwned'\">"
        "<iframe src='https://example.invalid/'></iframe>"
        "<p style=\"background: url('missing-too.png')\">styled</p>"
    )
    page = CreatePage(key="k", title="Hostile", body=body, published=True, url="hostile")
    plan = Plan(course_id=1, time_zone="UTC", actions=(page,))
    severe = _open(browser, tmp_path, "hostile.html", render_html(plan, "c"))
    assert severe == []
    assert browser.title.startswith("pd-sync plan")
    assert "Visible text" in _section(browser, "Hostile").text
    loads = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert loads == 0


def test_console_check_sees_errors(browser: Any, tmp_path: Path) -> None:
    """The no-SEVERE assertion above can fail: a broken image is logged as SEVERE."""
    severe = _open(browser, tmp_path, "broken.html", "<img src='no-such-image.png'>")
    assert severe and "no-such-image.png" in severe[0]["message"]
