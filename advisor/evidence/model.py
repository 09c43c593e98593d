"""What was measured in the AWS account, as plain frozen dataclasses (no boto3 here).

``S3Summary`` and ``SageMakerSummary`` hold the raw measurements; ``Measured`` is one answer
derived from them with its source and the sentence that justifies it; ``Evidence`` bundles all
three and renders the ``evidence`` object of the JSON output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from advisor.evidence.timeline import Activity, Timeline
from advisor.questions import Value

GB = 1_000_000_000
ReleaseSource = Literal["model registry", "pipeline executions"]
StopReason = Literal["budget", "interrupted"]


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def gigabytes(n_bytes: float) -> float:
    """Bytes to decimal GB, rounded to four significant figures (what people quote)."""
    return float(f"{n_bytes / GB:.4g}")


def activity_dict(activity: Activity) -> dict[str, Any]:
    """The JSON form of an ``Activity``, with the cadence it implies."""
    return {
        "window_days": round(activity.window_days, 2),
        "active_hours_7d": activity.active_hours_7d,
        "active_days_30d": activity.active_days_30d,
        "active_weeks_90d": activity.active_weeks_90d,
        "active_months_90d": activity.active_months_90d,
        "cadence": activity.cadence(),
    }


@dataclass(frozen=True)
class Estimate:
    """How totals were extrapolated from a listing that stopped before the end."""

    reason: StopReason
    method: str
    fraction_listed: float | None
    listed_objects: int
    listed_bytes: int
    seconds: float
    budget: float | None

    def why(self) -> str:
        """Why the listing stopped, as a clause."""
        if self.reason == "interrupted":
            return "the listing was interrupted (Ctrl+C)"
        return f"the {self.budget:g} s budget (--evidence-budget) ran out"

    def note(self) -> str:
        """The marker every output carries, e.g. ``estimated: 43% listed before ...``."""
        listed = (
            f"{self.fraction_listed:.0%} listed"
            if self.fraction_listed is not None
            else f"at least {self.listed_objects:,} objects"
        )
        return f"estimated: {listed} before {self.why()}; {self.method}"

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence.s3.estimate`` object of the JSON output."""
        return {
            "reason": self.reason,
            "method": self.method,
            "fraction_listed": (
                None if self.fraction_listed is None else round(self.fraction_listed, 4)
            ),
            "listed_objects": self.listed_objects,
            "listed_bytes": self.listed_bytes,
            "seconds": round(self.seconds, 2),
            "budget_seconds": self.budget,
        }


@dataclass(frozen=True)
class InventorySource:
    """The S3 Inventory report a summary was read from instead of a listing."""

    manifest: str
    created: datetime
    rows: int

    @property
    def day(self) -> str:
        """The report's date, ``2026-11-30``."""
        return self.created.date().isoformat()

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence.s3.inventory`` object of the JSON output."""
        return {"manifest": self.manifest, "created": _iso(self.created), "rows": self.rows}


@dataclass(frozen=True)
class ListingStats:
    """How the listing went: requests, wall time, threads."""

    requests: int
    seconds: float
    workers: int
    prefixes: int

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence.s3.listing`` object of the JSON output."""
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "workers": self.workers,
            "prefixes": self.prefixes,
        }


@dataclass(frozen=True)
class S3Summary:
    """Size and growth of the data under one S3 prefix."""

    uri: str
    objects: int
    bytes: int
    new_objects_30d: int
    new_bytes_30d: int
    new_objects_90d: int
    new_bytes_90d: int
    first_modified: datetime | None
    last_modified: datetime | None
    activity: Activity
    as_of: datetime | None = None
    estimate: Estimate | None = None
    inventory: InventorySource | None = None
    listing: ListingStats | None = None

    @classmethod
    def from_timeline(cls, uri: str, t: Timeline, **how: Any) -> S3Summary:
        """Freeze what a listing accumulated (``how``: the fields after ``activity``)."""
        return cls(
            uri, t.count, t.size, t.count_30d, t.size_30d, t.count_90d, t.size_90d, t.first,
            t.last, t.activity(), t.now, **how,
        )  # fmt: skip

    @property
    def estimated(self) -> bool:
        """True when the totals are extrapolated from a partial listing."""
        return self.estimate is not None

    def origin(self) -> str:
        """Where the totals come from, for sentences: the listing or the inventory's date."""
        if self.inventory is not None:
            return f"from S3 Inventory of {self.inventory.day}"
        return "listed"

    @property
    def size_gb(self) -> float:
        """Total size in decimal GB."""
        return gigabytes(self.bytes)

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence.s3`` object of the JSON output."""
        return {
            "uri": self.uri,
            "objects": self.objects,
            "bytes": self.bytes,
            "size_gb": self.size_gb,
            "new_objects_30d": self.new_objects_30d,
            "new_objects_90d": self.new_objects_90d,
            "growth_gb_per_day_30d": gigabytes(self.new_bytes_30d / 30),
            "growth_gb_per_day_90d": gigabytes(self.new_bytes_90d / 90),
            "first_modified": _iso(self.first_modified),
            "last_modified": _iso(self.last_modified),
            "activity": activity_dict(self.activity),
            "estimated": self.estimated,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "inventory": self.inventory.to_dict() if self.inventory else None,
            "listing": self.listing.to_dict() if self.listing else None,
        }


@dataclass(frozen=True)
class SageMakerSummary:
    """The account's SageMaker history in one region over the last 90 days."""

    region: str
    training_jobs_90d: int
    tuning_jobs_90d: int
    pipelines: int
    pipeline_runs_90d: int
    model_package_groups: int
    approved_groups: int
    model_versions_90d: int
    releases_from: ReleaseSource | None
    releases: Activity | None

    def to_dict(self) -> dict[str, Any]:
        """The ``evidence.sagemaker`` object of the JSON output."""
        return {
            "region": self.region,
            "training_jobs_90d": self.training_jobs_90d,
            "tuning_jobs_90d": self.tuning_jobs_90d,
            "pipelines": self.pipelines,
            "pipeline_runs_90d": self.pipeline_runs_90d,
            "model_package_groups": self.model_package_groups,
            "approved_model_package_groups": self.approved_groups,
            "model_versions_90d": self.model_versions_90d,
            "releases_from": self.releases_from,
            "releases": activity_dict(self.releases) if self.releases else None,
        }


@dataclass(frozen=True)
class Measured:
    """One answer derived from the evidence, where it came from, and why it is this value."""

    question: str
    value: Value
    source: str
    basis: str
    estimated: bool = False


@dataclass(frozen=True)
class Evidence:
    """Everything measured, and the answers it supports."""

    s3: S3Summary
    sagemaker: SageMakerSummary
    measured: tuple[Measured, ...]

    def answers(self) -> dict[str, Value]:
        """The measured layer for ``usecases.collect_answers``: question id → value."""
        return {m.question: m.value for m in self.measured}

    def by_question(self) -> dict[str, Measured]:
        """Measured answers keyed by question id."""
        return {m.question: m for m in self.measured}

    def to_dict(self, sources: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The ``evidence`` object of the JSON output.

        ``used`` says whether the measured value is the one scored (a flag overrides it).
        """
        used = dict(sources or {})
        return {
            "s3": self.s3.to_dict(),
            "sagemaker": self.sagemaker.to_dict(),
            "answers": {
                m.question: {
                    "value": m.value,
                    "source": m.source,
                    "basis": m.basis,
                    "used": used.get(m.question, "measured") == "measured",
                    "estimated": m.estimated,
                }
                for m in self.measured
            },
        }
