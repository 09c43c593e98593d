"""The HTML decision record in a real headless Chromium: it renders, charts and all, silently.

The browser is driven with Playwright's Python API, launching Debian's ``chromium`` through
``executable_path`` (Playwright's own browser download is never used; CI installs chromium with
``apt-get update && apt-get install -y chromium``). Without it the test is skipped locally, with
that command in the message, and fails under CI so that a missing browser cannot pass unnoticed.
Set SM_ADVISOR_SCREENSHOTS to a directory to keep the screenshots for a human look.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto_fixture import reset, use_aws_env
from playwright.sync_api import Browser, ConsoleMessage, Error, sync_playwright

from advisor.cli import main

pytestmark = pytest.mark.xdist_group("browser")  # one Chromium for the module

INSTALL = "apt-get update && apt-get install -y chromium"
# The report's own checks, evaluated in the page once it has loaded.
CHECKS = """() => {
  const rows = [...document.querySelectorAll('#score-chart g.row')].map(g => ({
    label: g.querySelector('.label').textContent,
    value: parseFloat(g.querySelector('.value').textContent),
    ratio: g.querySelector('rect.bar').getBBox().width
      / g.querySelector('rect.track').getBBox().width,
  }));
  const box = document.querySelector('#score-chart').getBoundingClientRect();
  return {
    title: document.title,
    rows,
    costBars: document.querySelectorAll('#cost-chart rect.bar').length,
    chart: {width: box.width, height: box.height},
    metFill: getComputedStyle(document.querySelector('#score-chart .met .bar')).fill,
    measured: document.querySelectorAll('.badge.measured').length,
    height: document.documentElement.scrollHeight,
    overflows: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


def find_chromium() -> str | None:
    """The system's Chromium (or Chrome) binary on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    """What happened while a page loaded, and what it looks like."""

    console: list[ConsoleMessage] = field(default_factory=list)
    exceptions: list[Error] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    checks: Any = None
    screenshot: bytes = b""


def load(browser: Browser, url: str, checks: str, width: int = 1200) -> PageReport:
    """Open ``url`` in a fresh context, evaluate ``checks``, take a full-page screenshot."""
    report = PageReport()
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        # Playwright tags each handler with an attribute: plain functions, not bound builtins.
        page.on("console", lambda message: report.console.append(message))
        page.on("pageerror", lambda error: report.exceptions.append(error))
        page.on("request", lambda request: report.requests.append(request.url))
        page.goto(url, wait_until="load")
        report.checks = page.evaluate(checks)
        report.screenshot = page.screenshot(full_page=True, type="png")
    finally:
        context.close()
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        message = f"chromium not found; install it with '{INSTALL}' to run the browser test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=binary, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def keep(report: PageReport, path: Path) -> None:
    path.write_bytes(report.screenshot)
    if os.environ.get("SM_ADVISOR_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["SM_ADVISOR_SCREENSHOTS"]) / path.name)


def problems(report: PageReport) -> list[str]:
    """Anything a clean page must not produce: console output (failed loads included) and
    uncaught exceptions."""
    console = [f"console.{m.type}: {m.text}" for m in report.console]
    return [*console, *(f"exception: {e.message}" for e in report.exceptions)]


def test_decision_record_renders_in_chromium(
    browser: Browser,
    moto_server: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="decision-data")
    for i in range(30):
        s3.put_object(Bucket="decision-data", Key=f"train/{i}.csv", Body=b"x" * 4096)
    page = tmp_path / "decision.html"
    code = main(
        ["report", "--evidence", "s3://decision-data/train/", "--tuning", "automated",
         "--team-size", "8", "--release-frequency", "weekly", "-o", str(page)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    report = load(browser, page.as_uri(), CHECKS)
    keep(report, tmp_path / "decision.png")
    assert problems(report) == []
    assert report.requests == [page.as_uri()]  # no network assets
    checks = report.checks
    assert checks["title"] == "Train with a SageMaker Pipeline or a single script?"
    assert [row["label"] for row in checks["rows"]][-1] == "Total (weighted)"
    assert len(checks["rows"]) == 5 and checks["costBars"] == 2
    for row in checks["rows"]:  # the bars were laid out, proportional to the scores
        assert row["ratio"] == pytest.approx(row["value"] / 100, abs=0.005), row
    assert checks["chart"]["width"] > 600 and checks["chart"]["height"] > 150
    assert checks["metFill"] == "rgb(11, 110, 105)"  # the stylesheet applied
    assert checks["measured"] >= 2 and not checks["overflows"]
    width, height = png_size(report.screenshot)
    assert width == 1200 and height == pytest.approx(checks["height"], abs=2)
    assert len(report.screenshot) > 50_000  # a full page of text and charts, not a blank image


def test_the_harness_sees_console_errors_and_network_requests(
    browser: Browser, tmp_path: Path
) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><body><svg id="score-chart"></svg>'
        '<img src="http://127.0.0.1:9/missing.png">'
        '<script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    report = load(browser, page.as_uri(), "1 + 1")
    assert report.checks == 2
    found = problems(report)
    assert "console.error: boom" in found
    assert any(p.startswith("console.error: Failed to load resource") for p in found), found
    assert [e.name for e in report.exceptions] == ["ReferenceError"]
    assert "undefinedFunction" in report.exceptions[0].message
    assert "http://127.0.0.1:9/missing.png" in report.requests
