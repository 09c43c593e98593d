"""Evidence at data-lake scale, against a real moto server: parallel listing, budget, Ctrl+C.

The parallel listing must give exactly the totals of a plain sequential paginator on awkward
layouts (direct keys among sub-prefixes, folder markers, deep nesting, keys that sort around
``/``, crowded levels), for every walk setting. Budgets and Ctrl+C need listings that take
time: ``slow_proxy`` delays moto's ListObjectsV2 answers (moto still serves every request).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import jsonschema
import pytest
from botocore.config import Config
from moto_fixture import MotoServer, aws_env, start_moto_server, use_aws_env
from slow_proxy import slow_proxy

from advisor.cli import main
from advisor.evidence import gather, listing
from advisor.evidence.aws import Progress
from advisor.evidence.progress import BarProgress
from advisor.evidence.s3 import measure_prefix
from advisor.evidence.timeline import Timeline

pytestmark = pytest.mark.slow  # a moto server of its own, ~750 objects, listings kept slow

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "assess-output.schema.json").read_text())
PARTITIONS, PER_PARTITION = 64, 10  # the uniform layout: equal partitions of equal objects


def put_objects(url: str, bucket: str, keys: list[tuple[str, int]]) -> None:
    """PUT objects over plain HTTP on three keep-alive connections (fast seeding)."""
    host, port = url.removeprefix("http://").split(":")

    def put(chunk: list[tuple[str, int]]) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for key, size in chunk:
            conn.request("PUT", f"/{bucket}/{quote(key)}", body=b"x" * size)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (key, response.status)
        conn.close()

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(put, [keys[0::3], keys[1::3], keys[2::3]]))


def awkward_keys() -> list[tuple[str, int]]:
    keys = [("events/", 0), ("events/_SUCCESS", 0), ("events/README.md", 120)]
    for day in range(1, 13):
        keys.append((f"events/dt=2026-11-{day:02}/", 0))  # a folder marker
        keys += [(f"events/dt=2026-11-{day:02}/part-{i}.json", 100 + day * i) for i in range(day)]
    keys += [(f"events/deep/a/b/c/d/e/{i}.bin", 7 * i + 1) for i in range(9)]
    keys += [(f"events/many/{n}/x.csv", n + 1) for n in range(15)]
    keys += [("events/a.b/x.csv", 11), ("events/a/y.csv", 13), ("events/a.csv", 17)]
    keys += [("events/odd name+plus/ü ß.csv", 19), ("events/z\u00e9/1", 23)]
    keys += [("eventsextra/not-included.csv", 10**6), ("other/x.csv", 10**6)]
    return keys


def uniform_keys() -> list[tuple[str, int]]:
    return [
        (f"events/dt=2026-{1 + p // 28:02}-{1 + p % 28:02}/part-{i}.json", 1000 + 10 * i)
        for p in range(PARTITIONS)
        for i in range(PER_PARTITION)
    ]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    server = start_moto_server(tmp_path_factory.mktemp("moto-scale"))
    try:
        s3 = boto3.client("s3", **client_args(server.url))
        for bucket in ("lake", "uniform", "inventory-dest"):
            s3.create_bucket(Bucket=bucket)
        put_objects(server.url, "lake", awkward_keys())
        put_objects(server.url, "uniform", uniform_keys())
        yield server
    finally:
        server.stop()


def client_args(url: str) -> dict[str, Any]:
    return {
        "endpoint_url": url,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }


def sequential(client: Any, bucket: str, prefix: str, now: datetime) -> Timeline:
    """The reference: one plain paginator, as before this change."""
    timeline = Timeline(now)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", ()):
            if not (obj["Size"] == 0 and obj["Key"].endswith("/")):
                timeline.add(obj["LastModified"], obj["Size"])
    return timeline


WALKS = [  # MAX_DEPTH, MAX_CHILDREN, MAX_UNITS, PAGE, workers
    (3, 1000, 20_000, 1000, 16),  # the defaults
    (0, 1000, 20_000, 4, 1),  # no walk at all: one flat paginator
    (1, 1000, 20_000, 5, 3),
    (3, 2, 20_000, 3, 4),  # crowded levels continue flat after their last entry
    (6, 1, 6, 2, 8),  # the unit cap stops the walk early
]


@pytest.mark.parametrize(("depth", "children", "units", "page", "workers"), WALKS)
def test_parallel_listing_gives_the_sequential_totals(
    lake: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    depth: int,
    children: int,
    units: int,
    page: int,
    workers: int,
) -> None:
    for name, value in [("MAX_DEPTH", depth), ("MAX_CHILDREN", children),
                        ("MAX_UNITS", units), ("PAGE", page)]:  # fmt: skip
        monkeypatch.setattr(listing, name, value)
    client = boto3.client("s3", config=Config(max_pool_connections=16), **client_args(lake.url))
    now = datetime.now(UTC)
    expected = sequential(client, "lake", "events/", now)
    result = listing.Lister(client, "lake", now, workers=workers).list("events/")
    got = result.timeline
    assert result.stopped is None and got.count == expected.count == 109
    assert (got.size, got.first, got.last) == (expected.size, expected.first, expected.last)
    assert (got.hours, got.days) == (expected.hours, expected.days)
    assert (got.count_30d, got.size_90d) == (expected.count_30d, expected.size_90d)
    assert all(u.state == "done" for u in result.units)
    if depth and children > 2:
        assert len(result.units) >= 19  # the walk really split the work


def test_summary_matches_sequential_and_says_how(lake: MotoServer) -> None:
    client = boto3.client("s3", **client_args(lake.url))
    now = datetime.now(UTC)
    summary = measure_prefix(client, "uniform", "events", now, Progress(io.StringIO()))
    assert summary.uri == "s3://uniform/events/" and not summary.estimated
    assert summary.objects == PARTITIONS * PER_PARTITION
    assert summary.bytes == sequential(client, "uniform", "events/", now).size
    assert summary.listing is not None and summary.listing.prefixes == PARTITIONS + 1
    assert summary.listing.requests == PARTITIONS + 1
    assert summary.listing.workers == 10  # a plain client has 10 connections: one per thread


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_budget_gives_an_estimate_within_ten_percent_marked_everywhere(
    lake: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    truth_objects = PARTITIONS * PER_PARTITION
    truth_bytes = PARTITIONS * sum(1000 + 10 * i for i in range(PER_PARTITION))
    # 1 s a page: the root, then partitions started 4 at a time and one more as each ends
    # (at most 16): the whole listing takes >= 6 s, while the first partitions end by ~2 s even
    # on a loaded machine, so a 3.5 s budget always ends with some, not all, listed.
    with slow_proxy(lake.url, 1.0) as proxy:
        use_aws_env(monkeypatch, proxy.url)
        args = ["--evidence", "s3://uniform/events/", "--evidence-budget", "3.5"]
        code, out, err = run_cli(capsys, "assess", *args, "--format", "json")
        assert code == 0, err
        assert "the 3.5 s budget ran out (--evidence-budget)" in err
        data = json.loads(out)
        jsonschema.Draft202012Validator(SCHEMA).validate(data)
        s3 = data["evidence"]["s3"]
        assert s3["estimated"] is True and s3["estimate"]["reason"] == "budget"
        assert 0 < s3["estimate"]["fraction_listed"] < 1
        assert s3["estimate"]["listed_objects"] < truth_objects
        assert s3["objects"] == pytest.approx(truth_objects, rel=0.1)
        assert s3["bytes"] == pytest.approx(truth_bytes, rel=0.1)
        size = data["evidence"]["answers"]["data_size_gb"]
        assert size["estimated"] is True and "estimated: " in size["basis"]
        assert "sub-prefixes listed in full" in size["basis"]
        assert data["answers"]["data_size_gb"] == pytest.approx(truth_bytes / 1e9, rel=0.1)

        code, out, _ = run_cli(capsys, "assess", *args)
        assert code == 0 and "(estimated)" in out
        assert "Evidence (measured from AWS; data totals estimated)" in out
        assert "[estimated]" in out
        code, out, _ = run_cli(capsys, "assess", *args, "--format", "markdown")
        assert code == 0 and "## Evidence (measured from AWS; data totals estimated)" in out
        assert "- data_size_gb = " in out and "[estimated]" in out
        report = tmp_path / "adr.md"
        code, _, err = run_cli(capsys, "report", *args, "-o", str(report))
        assert code == 0, err
        assert "[estimated]" in report.read_text() and "estimated: " in report.read_text()
        assert proxy.listings > 0


def test_ctrl_c_stops_the_listing_and_offers_an_estimate(lake: MotoServer) -> None:
    # Listings after the third wait at the proxy until the signal has been sent: the listing is
    # certainly under way when Ctrl+C arrives (a fast machine once finished it first).
    with slow_proxy(lake.url, 0.1, hold_after=3) as proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(aws_env(proxy.url))
        proc = subprocess.Popen(
            [sys.executable, "-m", "advisor", "assess", "--evidence", "s3://uniform/events/",
             "--evidence-budget", "0", "--format", "json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
            # As in a terminal: a run started in the background (CI's `cmd &`) inherits SIGINT
            # ignored, and Python then installs no KeyboardInterrupt for it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while proxy.listings <= 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the listings before the held ones finish: some objects are counted
        assert proc.poll() is None, "the listing ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proxy.release()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "sm-advisor: interrupted after " in err and "estimated" in err
    assert "Traceback" not in err
    s3 = json.loads(out)["evidence"]["s3"]
    assert s3["estimated"] is True and s3["estimate"]["reason"] == "interrupted"
    assert s3["estimate"]["listed_objects"] < PARTITIONS * PER_PARTITION


@pytest.mark.parametrize("value", ["-1", "soon", "nan", "inf"])
def test_bad_budget_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "assess", "--evidence", "s3://b/p/", f"--evidence-budget={value}"
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"expects a number of seconds (0 for no limit), got '{value}'" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_lines_off_one(lake: MotoServer) -> None:
    client = boto3.client("s3", **client_args(lake.url))
    now = datetime.now(UTC)
    screen = Terminal()
    measure_prefix(client, "uniform", "events/", now, BarProgress(screen), budget=30)
    drawn = screen.getvalue()
    assert "listing" in drawn and "prefixes" in drawn and "/s" in drawn and "s left" in drawn
    log = io.StringIO()
    measure_prefix(client, "uniform", "events/", now, Progress(log, every=10))
    lines = log.getvalue().splitlines()
    assert len(lines) == (PARTITIONS + 1) // 10  # one line per 10 pages
    assert all(line.startswith("sm-advisor: listed ") for line in lines)


def test_tui_marks_estimated_answers(lake: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from advisor.tui.app import make_app
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from advisor.tui.widgets.question import ESTIMATED, QuestionField

    with slow_proxy(lake.url, 1.0) as proxy:  # as above: some, never all, listed in 3.5 s
        use_aws_env(monkeypatch, proxy.url)
        evidence = gather("s3://uniform/events/", budget=3.5)
    assert evidence.by_question()["data_size_gb"].estimated
    app = make_app(None, evidence)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            assert isinstance(app.screen, QuestionnaireScreen)
            field = app.screen.query_one("#field-data_size_gb", QuestionField)
            prompt = field.query_one(".prompt")
            assert str(prompt.content).endswith(ESTIMATED)
            assert "estimated: " in str(prompt.tooltip)

    asyncio.run(scenario())
