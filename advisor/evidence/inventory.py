"""Read the data's measures from an S3 Inventory report instead of listing the prefix.

S3 Inventory writes, daily or weekly, ``DEST/PREFIX/SOURCE-BUCKET/CONFIG-ID/YYYY-MM-DDTHH-MMZ/
manifest.json`` naming gzipped CSV files under ``.../data/``. ``read`` takes the newest manifest
under a URI (``--evidence-inventory``, or the destination of an inventory configuration found
with ListBucketInventoryConfigurations), streams its CSV files row by row (constant memory) and
folds the rows under the prefix into a ``Timeline`` dated at the report's creation.

Supported: CSV inventories (``fileFormat: CSV``) with at least Key, Size and LastModifiedDate;
versioned inventories count current versions only. Parquet and ORC reports need a columnar
reader that sm-advisor does not ship, so they are refused with a sentence saying what to do.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from advisor.errors import EvidenceError
from advisor.evidence.aws import Progress, aws_errors
from advisor.evidence.model import InventorySource, S3Summary
from advisor.evidence.timeline import Timeline

MANIFEST = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z)/manifest\.json$")
NEEDED = ("Key", "Size", "LastModifiedDate")


def split(uri: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` → bucket, prefix; or say what is expected."""
    from advisor.evidence.s3 import parse_uri

    example = "the S3 URI of an inventory destination such as s3://inventory-bucket/reports/"
    return parse_uri(uri, "--evidence-inventory", example)


def discover(client: Any, bucket: str, prefix: str) -> str | None:
    """The destination of an enabled CSV inventory of ``bucket`` covering ``prefix``, if any.

    Any error (no permission, no configuration) means "no inventory": listing goes on.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        configs = client.list_bucket_inventory_configurations(Bucket=bucket)
    except (BotoCoreError, ClientError):
        return None
    for config in configs.get("InventoryConfigurationList", ()):
        scope = config.get("Filter", {}).get("Prefix", "")
        dest = config["Destination"]["S3BucketDestination"]
        if config.get("IsEnabled") and prefix.startswith(scope) and dest["Format"] == "CSV":
            dest_bucket = dest["Bucket"].rsplit(":", 1)[-1]
            base = dest.get("Prefix", "").strip("/")
            path = "/".join(p for p in (base, bucket, config["Id"]) if p)
            return f"s3://{dest_bucket}/{path}/"
    return None


def read(client: Any, uri: str, bucket: str, prefix: str, progress: Progress) -> S3Summary:
    """Measure ``s3://bucket/prefix`` from the newest inventory report under ``uri``."""
    dest, key = _newest_manifest(client, uri, bucket)
    manifest = _manifest(client, dest, key)
    if manifest.get("sourceBucket") != bucket:
        raise EvidenceError(
            f"the newest S3 Inventory under {uri} is of bucket '{manifest.get('sourceBucket')}', "
            f"not '{bucket}'; point --evidence-inventory at the report of s3://{bucket}/."
        )
    created = datetime.fromtimestamp(int(manifest["creationTimestamp"]) / 1000, UTC)
    folder = prefix if not prefix or prefix.endswith("/") else prefix + "/"
    in_folder, in_prefix = Timeline(created), Timeline(created)
    rows = 0
    for row in _rows(client, dest, manifest, progress, uri):
        rows += 1
        name = unquote_plus(row["Key"])
        if not name.startswith(prefix) or not _current(row) or not row["Size"]:
            continue
        size = int(row["Size"])
        if size == 0 and name.endswith("/"):
            continue
        when = datetime.fromisoformat(row["LastModifiedDate"])
        in_prefix.add(when, size)
        if name.startswith(folder):
            in_folder.add(when, size)
    progress.done()
    used, timeline = (folder, in_folder) if in_folder.count else (prefix, in_prefix)
    if timeline.count == 0:
        raise EvidenceError(
            f"the S3 Inventory of {created.date()} lists no objects under s3://{bucket}/{prefix}; "
            "check the prefix, or drop --evidence-inventory to list it."
        )
    source = InventorySource(f"s3://{dest}/{key}", created, rows)
    return S3Summary.from_timeline(f"s3://{bucket}/{used}", timeline, inventory=source)


def _current(row: dict[str, str]) -> bool:
    return row.get("IsLatest", "true") != "false" and row.get("IsDeleteMarker", "") != "true"


def _newest_manifest(client: Any, uri: str, bucket: str) -> tuple[str, str]:
    """The newest ``…/DATE/manifest.json`` under ``uri``; of ``bucket``'s reports if several."""
    dest, prefix = split(uri)
    found: list[tuple[bool, str, str]] = []
    with aws_errors("s3:ListBucket", uri):
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=dest, Prefix=prefix):
            for obj in page.get("Contents", ()):
                match = MANIFEST.search(obj["Key"])
                if match:
                    ours = f"/{bucket}/" in "/" + obj["Key"]
                    found.append((ours, match.group(1), obj["Key"]))
    if not found:
        raise EvidenceError(
            f"no S3 Inventory report (DATE/manifest.json) under {uri}; check the URI or drop "
            "--evidence-inventory to list the prefix instead."
        )
    return dest, max(found)[2]


def _manifest(client: Any, dest: str, key: str) -> dict[str, Any]:
    uri = f"s3://{dest}/{key}"
    with aws_errors("s3:GetObject", uri):
        body = client.get_object(Bucket=dest, Key=key)["Body"].read()
    try:
        manifest = json.loads(body)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or not {"fileFormat", "files", "creationTimestamp"} <= set(
        manifest
    ):
        raise EvidenceError(f"{uri} is not an S3 Inventory manifest (manifest.json).")
    fmt, schema = manifest["fileFormat"], str(manifest.get("fileSchema", ""))
    if fmt != "CSV":
        raise EvidenceError(
            f"the S3 Inventory at {uri} is in {fmt} format; sm-advisor reads CSV inventories "
            "only. Add a CSV inventory configuration, or drop --evidence-inventory to list."
        )
    missing = [c for c in NEEDED if c not in _columns(schema)]
    if missing:
        raise EvidenceError(
            f"the S3 Inventory at {uri} has no {', '.join(missing)} field; add Size and "
            "LastModifiedDate to the inventory configuration's optional fields."
        )
    return manifest


def _columns(schema: str) -> list[str]:
    return [c.strip() for c in schema.split(",")]


def _rows(
    client: Any, dest: str, manifest: dict[str, Any], progress: Progress, uri: str
) -> Iterator[dict[str, str]]:
    """Every row of every data file, streamed and decompressed on the fly."""
    columns = _columns(manifest["fileSchema"])
    rows = 0
    for n, entry in enumerate(manifest["files"], 1):
        target = f"s3://{dest}/{entry['key']}"
        with aws_errors("s3:GetObject", target):
            body = client.get_object(Bucket=dest, Key=entry["key"])["Body"]
            text = io.TextIOWrapper(gzip.GzipFile(fileobj=body), encoding="utf-8", newline="")
            try:
                for values in csv.reader(text):
                    rows += 1
                    yield dict(zip(columns, values, strict=False))
            except (OSError, EOFError, csv.Error) as err:
                raise EvidenceError(f"{target} is not a gzipped CSV file ({err}).") from None
        progress.update(
            n,
            f"read {rows:,} S3 Inventory rows from {n} of "
            f"{len(manifest['files'])} files under {uri}",
        )
