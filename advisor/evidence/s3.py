"""Measure the data under an S3 prefix: object count, total size, and when objects arrived.

A parallel ListObjectsV2 walk (``advisor.evidence.listing``), folded into a ``Timeline`` as it
goes, so memory stays bounded however many objects there are; within a time budget, else an
estimate (``advisor.evidence.estimate``). Folder markers (empty keys ending in
``/``) are not data and are skipped. LastModified is the time an object was last written, so
data that is rewritten in place looks newer than it is; that is documented, not corrected.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advisor.errors import EvidenceError
from advisor.evidence.aws import Progress
from advisor.evidence.estimate import summarize
from advisor.evidence.listing import WORKERS, Lister, Listing
from advisor.evidence.model import S3Summary
from advisor.evidence.progress import report_stop, show
from generators.message_text import clip


class OutOfBudget(EvidenceError):
    """The time budget ran out before a single object was listed."""


def parse_uri(
    uri: str,
    flag: str = "--evidence",
    example: str = "an S3 URI such as s3://my-bucket/training-data/",
) -> tuple[str, str]:
    """Split ``s3://bucket/prefix`` into bucket and prefix, or say what ``flag`` expects."""
    if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
        raise EvidenceError(f"{flag} expects {example}, got '{clip(uri, 100)}'.")
    bucket, _, prefix = uri[5:].partition("/")
    return bucket, prefix


def measure_prefix(
    client: Any,
    bucket: str,
    prefix: str,
    now: datetime,
    progress: Progress,
    budget: float | None = None,
    workers: int = WORKERS,
) -> S3Summary:
    """List every object under the prefix (as a folder first, then as a plain key prefix).

    Stops after ``budget`` seconds (or on Ctrl+C) with an estimate; see ``estimate``. Uses at
    most as many threads as the client has connections.
    """
    workers = min(workers, client.meta.config.max_pool_connections or workers)
    folder = prefix if not prefix or prefix.endswith("/") else prefix + "/"
    listing = _list(client, bucket, folder, now, progress, budget, workers)
    if listing.timeline.count == 0 and folder != prefix and listing.stopped is None:
        listing = _list(client, bucket, prefix, now, progress, budget, workers)
    if listing.timeline.count == 0:
        if listing.stopped == "interrupted":
            raise KeyboardInterrupt
        if listing.stopped == "budget":
            raise OutOfBudget(
                f"the {budget:g} s budget ran out before any object under s3://{bucket}/{prefix} "
                "was listed; raise --evidence-budget (0: no limit)."
            )
        raise EvidenceError(
            f"s3://{bucket}/{prefix} holds no objects; point --evidence at the training data, "
            f"for example s3://{bucket}/data/."
        )
    return summarize(listing)


def _list(
    client: Any,
    bucket: str,
    prefix: str,
    now: datetime,
    progress: Progress,
    budget: float | None,
    workers: int,
) -> Listing:
    uri = f"s3://{bucket}/{prefix}"
    lister = Lister(client, bucket, now, lambda tick: show(progress, tick, uri), workers, budget)
    try:
        listing = lister.list(prefix)
    finally:
        progress.done()
    report_stop(progress, listing)
    return listing
