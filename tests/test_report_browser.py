"""The HTML decision record in a real headless Chromium: it renders, charts and all, silently.

Chromium is Debian's ``chromium`` (CI installs it: ``apt-get update && apt-get install -y
chromium``). Without it the test is skipped locally, with that command in the message, and
fails under CI so that a missing browser cannot pass unnoticed. Set SM_ADVISOR_SCREENSHOTS to a
directory to keep the screenshots for a human look.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from chromium_cdp import INSTALL, Chromium, PageReport, find_chromium
from moto_fixture import reset, use_aws_env

from advisor.cli import main

CHECKS = """JSON.stringify((() => {
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
})())"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        message = f"chromium not found; install it with '{INSTALL}' to run the browser test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def keep(report: PageReport, path: Path) -> None:
    path.write_bytes(report.screenshot)
    if os.environ.get("SM_ADVISOR_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["SM_ADVISOR_SCREENSHOTS"]) / path.name)


def problems(report: PageReport) -> list[Any]:
    """Anything a clean page must not produce: console output, exceptions, error/warning logs."""
    logged = [e for e in report.log if e.get("level") in ("error", "warning")]
    return [*report.console, *report.exceptions, *logged]


def test_decision_record_renders_in_chromium(
    chromium: Chromium,
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
    report = chromium.load(page.as_uri(), CHECKS)
    keep(report, tmp_path / "decision.png")
    assert problems(report) == []
    assert report.requests == [page.as_uri()]  # no network assets
    checks = json.loads(report.checks)
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
    chromium: Chromium, tmp_path: Path
) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><body><svg id="score-chart"></svg>'
        '<img src="http://127.0.0.1:9/missing.png">'
        '<script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    report = chromium.load(page.as_uri(), "1 + 1")
    assert report.checks == 2
    assert [c["type"] for c in report.console] == ["error"]
    assert len(report.exceptions) == 1
    assert "http://127.0.0.1:9/missing.png" in report.requests
    assert problems(report)
