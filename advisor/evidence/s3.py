"""Measure the data under an S3 prefix: object count, total size, and when objects arrived.

One paginated ListObjectsV2 walk (1,000 keys a page), folded into a ``Timeline`` as it goes,
so memory stays constant however many objects there are. Folder markers (empty keys ending in
``/``) are not data and are skipped. LastModified is the time an object was last written, so
data that is rewritten in place looks newer than it is; that is documented, not corrected.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advisor.errors import EvidenceError
from advisor.evidence.aws import Progress, aws_errors
from advisor.evidence.model import S3Summary, gigabytes
from advisor.evidence.timeline import Timeline
from generators.untrusted import clip


def parse_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/prefix`` into bucket and prefix, or say what is expected."""
    if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
        raise EvidenceError(
            "--evidence expects an S3 URI such as s3://my-bucket/training-data/, "
            f"got '{clip(uri, 100)}'."
        )
    bucket, _, prefix = uri[5:].partition("/")
    return bucket, prefix


def measure_prefix(
    client: Any, bucket: str, prefix: str, now: datetime, progress: Progress
) -> S3Summary:
    """List every object under the prefix (as a folder first, then as a plain key prefix)."""
    folder = prefix if not prefix or prefix.endswith("/") else prefix + "/"
    used = folder
    timeline = _walk(client, bucket, folder, now, progress)
    if timeline.count == 0 and folder != prefix:
        used = prefix
        timeline = _walk(client, bucket, prefix, now, progress)
    if timeline.count == 0:
        raise EvidenceError(
            f"s3://{bucket}/{prefix} holds no objects; point --evidence at the training data, "
            f"for example s3://{bucket}/data/."
        )
    return S3Summary.from_timeline(f"s3://{bucket}/{used}", timeline)


def _walk(client: Any, bucket: str, prefix: str, now: datetime, progress: Progress) -> Timeline:
    timeline = Timeline(now)
    uri = f"s3://{bucket}/{prefix}"
    paginator = client.get_paginator("list_objects_v2")
    with aws_errors("s3:ListBucket", uri):
        for pages, page in enumerate(paginator.paginate(Bucket=bucket, Prefix=prefix), 1):
            for obj in page.get("Contents", ()):
                if obj["Size"] == 0 and obj["Key"].endswith("/"):
                    continue
                timeline.add(obj["LastModified"], obj["Size"])
            size = gigabytes(timeline.size)
            progress.update(pages, f"listed {timeline.count:,} objects ({size:g} GB) in {uri}")
    progress.done()
    return timeline
