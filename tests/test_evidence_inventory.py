"""S3 Inventory instead of listing, on a real moto server with a real inventory layout.

The destination bucket is seeded the way S3 writes reports: ``PREFIX/SOURCE/CONFIG-ID/
YYYY-MM-DDTHH-MMZ/manifest.json`` naming gzipped CSV files under ``.../data/`` (URL-encoded
keys, quoted fields, versions and delete markers), with an older report and a newer report of
another bucket beside it. The inventory configuration itself is put on moto for discovery.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest
from moto_fixture import reset, use_aws_env
from slow_proxy import slow_proxy

from advisor.cli import main
from advisor.errors import EvidenceError
from advisor.evidence import gather

SCHEMA = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag"
CREATED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
DAYS, PER_DAY = 40, 3


def rows_of(bucket: str, created: datetime, days: int) -> list[list[str]]:
    rows = []
    for day in range(days):
        when = (created - timedelta(days=day, hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for i in range(PER_DAY):
            key = f"events/dt={day:03}/part {i}+x.json"  # a space and a plus, URL-encoded
            rows.append([bucket, quote_plus(key), "v1", "true", "false", str(1000 + i), when, "e"])
    old = (created - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    rows += [
        [bucket, "events%2F", "", "true", "false", "0", old, "e"],  # a folder marker
        [bucket, "events/old.json", "v0", "false", "false", "999999", old, "e"],  # old version
        [bucket, "events/gone.json", "v2", "true", "true", "", old, ""],  # a delete marker
        [bucket, "eventsextra/x.json", "v1", "true", "false", "777777", old, "e"],
    ]
    return rows


def put_report(s3: Any, base: str, bucket: str, created: datetime, days: int, **fmt: str) -> None:
    """One report: two gzipped CSV data files and the manifest that names them."""
    rows = rows_of(bucket, created, days)
    files = []
    for n, chunk in enumerate((rows[: len(rows) // 2], rows[len(rows) // 2 :])):
        text = io.StringIO()
        csv.writer(text, quoting=csv.QUOTE_ALL).writerows(chunk)
        key = f"{base}/data/{created:%Y%m%d}-{n}.csv.gz"
        s3.put_object(
            Bucket="inventory-dest", Key=key, Body=gzip.compress(text.getvalue().encode())
        )
        files.append({"key": key, "size": 1, "MD5checksum": "x"})
    manifest = {
        "sourceBucket": bucket,
        "destinationBucket": "arn:aws:s3:::inventory-dest",
        "version": "2016-11-30",
        "creationTimestamp": str(int(created.timestamp() * 1000)),
        "fileFormat": fmt.get("fileFormat", "CSV"),
        "fileSchema": fmt.get("fileSchema", SCHEMA),
        "files": files,
    }
    key = f"{base}/{created:%Y-%m-%dT%H-%MZ}/manifest.json"
    s3.put_object(Bucket="inventory-dest", Key=key, Body=json.dumps(manifest).encode())


@pytest.fixture
def lake(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    s3 = boto3.client("s3")
    for bucket in ("lake", "inventory-dest"):
        s3.create_bucket(Bucket=bucket)
    for i in range(40):
        s3.put_object(Bucket="lake", Key=f"events/dt={i:03}/part.json", Body=b"x")
    put_report(s3, "reports/lake/daily", "lake", CREATED - timedelta(days=1), 10)
    put_report(s3, "reports/lake/daily", "lake", CREATED, DAYS)
    put_report(s3, "reports/other/daily", "other", CREATED + timedelta(days=1), 5)
    yield s3


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_inventory_flag_reads_the_newest_report_of_the_bucket(
    lake: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "assess", "--evidence", "s3://lake/events", "--evidence-inventory",
        "s3://inventory-dest/reports/", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    s3 = data["evidence"]["s3"]
    assert s3["uri"] == "s3://lake/events/" and s3["estimated"] is False
    assert s3["inventory"]["created"] == "2026-11-30T01:00:00Z"
    assert s3["inventory"]["manifest"] == (
        "s3://inventory-dest/reports/lake/daily/2026-11-30T01-00Z/manifest.json"
    )
    assert s3["objects"] == DAYS * PER_DAY  # not the old version, the marker, nor the deleted
    assert s3["bytes"] == DAYS * sum(1000 + i for i in range(PER_DAY))
    assert s3["new_objects_30d"] == 30 * PER_DAY  # dated from the report, not from today
    answers = data["evidence"]["answers"]
    assert "from S3 Inventory of 2026-11-30" in answers["data_size_gb"]["basis"]
    assert answers["data_frequency"]["value"] == "daily"
    code, out, _ = run_cli(
        capsys, "assess", "--evidence", "s3://lake/events/", "--evidence-inventory",
        "s3://inventory-dest/reports/lake/daily/",
    )  # fmt: skip
    assert code == 0 and "from S3 Inventory of 2026-11-30" in out


@pytest.mark.slow  # listings kept slow on purpose (0.3 s a page)
def test_budget_run_out_reads_the_inventory_found_by_discovery(
    lake: Any, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake.put_bucket_inventory_configuration(
        Bucket="lake",
        Id="daily",
        InventoryConfiguration={
            "Id": "daily",
            "IsEnabled": True,
            "IncludedObjectVersions": "All",
            "Schedule": {"Frequency": "Daily"},
            "Destination": {
                "S3BucketDestination": {
                    "Bucket": "arn:aws:s3:::inventory-dest",
                    "Prefix": "reports",
                    "Format": "CSV",
                }
            },
            "OptionalFields": ["Size", "LastModifiedDate"],
        },
    )
    with slow_proxy(moto_server, 0.3) as proxy:
        use_aws_env(monkeypatch, proxy.url)
        evidence = gather("s3://lake/events/", budget=0.1, progress=None)
    assert evidence.s3.inventory is not None and evidence.s3.inventory.day == "2026-11-30"
    assert evidence.s3.objects == DAYS * PER_DAY and not evidence.s3.estimated


@pytest.mark.slow
def test_without_inventory_the_budget_gives_an_estimate(
    lake: Any, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with slow_proxy(moto_server, 0.3) as proxy:
        use_aws_env(monkeypatch, proxy.url)
        with pytest.raises(EvidenceError, match="the 0.1 s budget ran out before any object "):
            gather("s3://lake/events/", budget=0.1)
        evidence = gather("s3://lake/events/", budget=0.75)  # root, one round of 16 of 40
    assert evidence.s3.inventory is None and evidence.s3.estimate is not None
    assert evidence.s3.estimate.reason == "budget"
    assert evidence.s3.objects == pytest.approx(40, rel=0.1)


def one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2 and out == "" and err.count("\n") == 1, err
    return err.removeprefix("sm-advisor: error: ").strip()


def test_inventory_errors_are_one_line(lake: Any, capsys: pytest.CaptureFixture[str]) -> None:
    def run(inventory: str, uri: str = "s3://lake/events/") -> str:
        args = ["assess", "--evidence", uri, "--evidence-inventory", inventory]
        return one_line_error(*run_cli(capsys, *args))

    assert run("inventory-dest/reports").startswith("--evidence-inventory expects the S3 URI")
    assert run("s3://inventory-dest/nothing/").startswith(
        "no S3 Inventory report (DATE/manifest.json) under s3://inventory-dest/nothing/"
    )
    assert run("s3://inventory-dest/reports/other/").startswith(
        "the newest S3 Inventory under s3://inventory-dest/reports/other/ is of bucket 'other'"
    )
    assert run("s3://inventory-dest/reports/", "s3://lake/nothing/").startswith(
        "the S3 Inventory of 2026-11-30 lists no objects under s3://lake/nothing/"
    )
    put_report(lake, "reports/lake/pq", "lake", CREATED, 1, fileFormat="Parquet")
    assert run("s3://inventory-dest/reports/lake/pq/") == (
        "the S3 Inventory at s3://inventory-dest/reports/lake/pq/2026-11-30T01-00Z/manifest.json "
        "is in Parquet format; sm-advisor reads CSV inventories only. Add a CSV inventory "
        "configuration, or drop --evidence-inventory to list."
    )
    put_report(lake, "reports/lake/thin", "lake", CREATED, 1, fileSchema="Bucket, Key")
    assert "has no Size, LastModifiedDate field" in run("s3://inventory-dest/reports/lake/thin/")
