"""Evidence from the AWS account: measure instead of guessing some answers.

``gather("s3://bucket/prefix")`` lists the data under the prefix and reads the region's SageMaker
history, then ``advisor.evidence.mapping`` turns the measurements into answers (its docstring
and docs/evidence.md say which and why). The answers enter
``answers_from_args`` as the *measured* layer: above the answers file, below the flags.

Importing this package is cheap; boto3 is imported only when ``gather`` runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from advisor.evidence.model import Evidence, Measured

if TYPE_CHECKING:
    from advisor.evidence.aws import Progress

__all__ = ["Evidence", "Measured", "gather"]


def gather(
    uri: str,
    profile: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> Evidence:
    """Measure the data under ``uri`` and the SageMaker history of the account and region.

    ``progress`` receives the listing's progress (default: a line on stderr; the TUI shows it).
    ``timeout`` is how long any one AWS call may take, retries included (default 30 s).
    """
    from advisor.evidence import aws
    from advisor.evidence.mapping import measure_answers
    from advisor.evidence.s3 import measure_prefix, parse_uri
    from advisor.evidence.sagemaker import measure_account

    bucket, prefix = parse_uri(uri)
    when = now or datetime.now(UTC)
    session = aws.session(profile, region)
    progress = progress or aws.Progress()
    seconds = timeout or aws.DEFAULT_TIMEOUT
    data = measure_prefix(aws.client(session, "s3", seconds), bucket, prefix, when, progress)
    history = measure_account(aws.client(session, "sagemaker", seconds), when, progress)
    return Evidence(data, history, measure_answers(data, history, when))
