"""Evidence from the AWS account: measure instead of guessing some answers.

``gather("s3://bucket/prefix")`` lists the data under the prefix and reads the region's SageMaker
history, then ``advisor.evidence.mapping`` turns the measurements into answers (its docstring
and docs/evidence.md say which and why). The answers enter ``advisor.usecases.collect_answers``
as the *measured* layer: above the answers file, below the flags.

Importing this package is cheap; boto3 is imported only when ``gather`` runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from advisor.evidence.model import Evidence, Measured, S3Summary

if TYPE_CHECKING:
    from advisor.evidence.aws import Progress

__all__ = ["DEFAULT_BUDGET", "Evidence", "Measured", "gather"]


DEFAULT_BUDGET = 60.0
"""Seconds the S3 listing may take before its totals are estimated (``--evidence-budget``)."""


def gather(
    uri: str,
    profile: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
    budget: float | None = DEFAULT_BUDGET,
    inventory: str | None = None,
) -> Evidence:
    """Measure the data under ``uri`` and the SageMaker history of the account and region.

    The data is listed in parallel for at most ``budget`` seconds (None: no limit); when that
    runs out, the bucket's S3 Inventory is read if one is found, else the totals are estimated.
    ``inventory`` (an S3 URI) reads that inventory instead of listing. ``progress`` receives the
    progress (default: a bar on a terminal, lines otherwise; the TUI shows its own).
    ``timeout`` is how long any one AWS call may take, retries included (default 30 s).
    """
    from advisor.evidence import aws
    from advisor.evidence.mapping import measure_answers
    from advisor.evidence.progress import default_progress
    from advisor.evidence.s3 import parse_uri
    from advisor.evidence.sagemaker import measure_account

    bucket, prefix = parse_uri(uri)
    when = now or datetime.now(UTC)
    session = aws.session(profile, region)
    progress = progress or default_progress()
    seconds = timeout or aws.DEFAULT_TIMEOUT
    data = measure_data(session, bucket, prefix, when, progress, budget, inventory, seconds)
    history = measure_account(aws.client(session, "sagemaker", seconds), when, progress)
    return Evidence(data, history, measure_answers(data, history, when))


def measure_data(
    session: Any,
    bucket: str,
    prefix: str,
    now: datetime,
    progress: Progress,
    budget: float | None,
    inventory: str | None,
    timeout: float,
) -> S3Summary:
    """The listing (or the inventory named, or the inventory found when the budget ran out)."""
    from advisor.evidence import aws
    from advisor.evidence import inventory as reports
    from advisor.evidence.listing import WORKERS, fast_timestamps
    from advisor.evidence.s3 import OutOfBudget, measure_prefix

    fast_timestamps(session)
    s3 = aws.client(session, "s3", timeout)
    if inventory is not None:
        return reports.read(s3, inventory, bucket, prefix, progress)
    wide = aws.client(session, "s3", timeout, pool=WORKERS)
    try:
        data = measure_prefix(wide, bucket, prefix, now, progress, budget)
    except OutOfBudget as nothing_listed:
        found = reports.discover(s3, bucket, prefix)
        if found is None:
            raise nothing_listed from None
    else:
        if data.estimate is None or data.estimate.reason != "budget":
            return data
        found = reports.discover(s3, bucket, prefix)
        if found is None:
            return data
    progress.stream.write(f"sm-advisor: reading the S3 Inventory under {found} instead.\n")
    return reports.read(s3, found, bucket, prefix, progress)
