"""Measure the account's SageMaker history in one region over the last 90 days.

Every listing goes through a boto3 paginator. Counts use the APIs' own ``CreationTimeAfter``
filters where they exist, so only the last 90 days travel over the wire. The registry is read
group by group: one call to see whether a group has an approved version, and the versions
registered in the window. Pipelines are read the same way, one executions listing each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from advisor.evidence.aws import Progress, aws_errors
from advisor.evidence.model import ReleaseSource, SageMakerSummary
from advisor.evidence.timeline import WINDOW_DAYS, Activity, Timeline

FAILED = {"Failed", "Stopped", "Stopping"}


def _items(
    client: Any, operation: str, key: str, progress: Progress, **params: Any
) -> Iterator[dict[str, Any]]:
    action = "sagemaker:" + "".join(part.title() for part in operation.split("_"))
    with aws_errors(action, f"SageMaker in {client.meta.region_name}"):
        seen = 0
        for pages, page in enumerate(client.get_paginator(operation).paginate(**params), 1):
            seen += len(page.get(key, ()))
            progress.update(pages, f"{action}: {seen:,} so far")
            yield from page.get(key, ())
    progress.done()


def _count(client: Any, operation: str, key: str, progress: Progress, **params: Any) -> int:
    return sum(1 for _ in _items(client, operation, key, progress, **params))


def measure_account(client: Any, now: datetime, progress: Progress) -> SageMakerSummary:
    """Count jobs, pipelines and registry use; derive the release rhythm."""
    after = now - timedelta(days=WINDOW_DAYS)
    training = _count(
        client, "list_training_jobs", "TrainingJobSummaries", progress, CreationTimeAfter=after
    )
    tuning = _count(
        client,
        "list_hyper_parameter_tuning_jobs",
        "HyperParameterTuningJobSummaries",
        progress,
        CreationTimeAfter=after,
    )
    groups = list(
        _items(client, "list_model_package_groups", "ModelPackageGroupSummaryList", progress)
    )
    pipelines = list(_items(client, "list_pipelines", "PipelineSummaries", progress))
    approved, versions = _registry(client, groups, now, progress)
    runs = _pipeline_runs(client, pipelines, now, progress)
    origin, releases = _releases(groups, versions, pipelines, runs)
    return SageMakerSummary(
        region=str(client.meta.region_name),
        training_jobs_90d=training,
        tuning_jobs_90d=tuning,
        pipelines=len(pipelines),
        pipeline_runs_90d=runs.count_90d,
        model_package_groups=len(groups),
        approved_groups=approved,
        model_versions_90d=versions.count_90d,
        releases_from=origin,
        releases=releases,
    )


def _registry(
    client: Any, groups: list[dict[str, Any]], now: datetime, progress: Progress
) -> tuple[int, Timeline]:
    """Groups with an approved version, and when versions were registered (last 90 days)."""
    approved = 0
    versions = Timeline(now)
    after = now - timedelta(days=WINDOW_DAYS)
    for group in groups:
        name = group["ModelPackageGroupName"]
        key = "ModelPackageSummaryList"
        with aws_errors("sagemaker:ListModelPackages", f"model package group {name}"):
            page = client.list_model_packages(
                ModelPackageGroupName=name, ModelApprovalStatus="Approved", MaxResults=1
            )
        approved += bool(page.get(key))
        params = {"ModelPackageGroupName": name, "CreationTimeAfter": after}
        for package in _items(client, "list_model_packages", key, progress, **params):
            versions.add(package["CreationTime"])
    return approved, versions


def _pipeline_runs(
    client: Any, pipelines: list[dict[str, Any]], now: datetime, progress: Progress
) -> Timeline:
    """Start times of pipeline executions that did not fail or stop."""
    runs = Timeline(now)
    after = now - timedelta(days=WINDOW_DAYS)
    for pipeline in pipelines:
        params = {"PipelineName": pipeline["PipelineName"], "CreatedAfter": after}
        key = "PipelineExecutionSummaries"
        for run in _items(client, "list_pipeline_executions", key, progress, **params):
            if run.get("PipelineExecutionStatus") not in FAILED and run["StartTime"] > after:
                runs.add(run["StartTime"])
    return runs


def _releases(
    groups: list[dict[str, Any]],
    versions: Timeline,
    pipelines: list[dict[str, Any]],
    runs: Timeline,
) -> tuple[ReleaseSource | None, Activity | None]:
    """Prefer the model registry; fall back to pipeline executions; else nothing."""
    if groups:
        return "model registry", versions.activity(_oldest(groups, "CreationTime"))
    if pipelines:
        return "pipeline executions", runs.activity(_oldest(pipelines, "CreationTime"))
    return None, None


def _oldest(items: list[dict[str, Any]], key: str) -> datetime | None:
    return min((i[key] for i in items if key in i), default=None)
