"""The pure half of evidence: cadences from timestamps, and measurements mapped to answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)

from advisor.evidence import aws
from advisor.evidence.estimate import LOWER_BOUND, summarize
from advisor.evidence.listing import Listing, Stop, Unit
from advisor.evidence.mapping import measure_answers, release_frequency
from advisor.evidence.model import Evidence, S3Summary, SageMakerSummary
from advisor.evidence.render import answer_lines, markdown_section
from advisor.evidence.timeline import Activity, Timeline
from advisor.models import Answers

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def timeline(ages: list[timedelta], size: int = 1) -> Timeline:
    t = Timeline(NOW)
    for age in ages:
        t.add(NOW - age, size)
    return t


def days(*values: float) -> list[timedelta]:
    return [timedelta(days=v) for v in values]


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        ([timedelta(hours=h, minutes=5) for h in range(48)], "hourly"),
        (days(*[d + 0.1 for d in range(10)]), "daily"),  # ten days of history is enough
        (days(*[d + 0.1 for d in range(0, 60, 2)]), "daily"),  # every other day
        (days(*[7 * w + 1 for w in range(12)]), "weekly"),
        (days(5, 35, 65), "monthly"),
        ([timedelta(hours=2)] * 50, None),  # one fresh burst: too little history to tell
        (days(*[d + 0.1 for d in range(5)]), None),  # five days: not yet a week of history
        (days(1, 40, 44), None),  # irregular, 44 days of history: no rhythm
    ],
)
def test_cadence_needs_regular_periods_and_enough_history(
    ages: list[timedelta], expected: str | None
) -> None:
    assert timeline(ages).activity().cadence() == expected


def test_timeline_counts_sizes_by_window_and_ignores_the_future() -> None:
    t = timeline(days(1, 20, 45, 200) + [timedelta(hours=-3)], size=10)
    assert (t.count, t.size) == (5, 50)
    assert (t.count_30d, t.size_30d) == (3, 30)  # ages 1, 20 and a clock-skewed future object
    assert (t.count_90d, t.size_90d) == (4, 40)
    assert t.activity().window_hours == 90 * 24  # capped at 90 days


def test_phrase_states_the_evidence_behind_a_cadence() -> None:
    a = timeline(days(*[d + 0.1 for d in range(10)])).activity()
    assert a.phrase("daily") == "10 of the last 10 days"


def s3_summary(ages: list[timedelta], size: int = 250_000_000) -> S3Summary:
    return S3Summary.from_timeline("s3://bucket/data/", timeline(ages, size))


def sagemaker_summary(**changes: object) -> SageMakerSummary:
    base: dict[str, object] = {
        "region": "eu-west-1",
        "training_jobs_90d": 0,
        "tuning_jobs_90d": 0,
        "pipelines": 0,
        "pipeline_runs_90d": 0,
        "model_package_groups": 0,
        "approved_groups": 0,
        "model_versions_90d": 0,
        "releases_from": None,
        "releases": None,
    }
    return SageMakerSummary(**{**base, **changes})  # type: ignore[arg-type]


def test_an_empty_sagemaker_history_measures_only_the_data() -> None:
    measured = measure_answers(s3_summary(days(50, 51, 52)), sagemaker_summary(), NOW)
    assert {m.question: m.value for m in measured} == {
        "data_size_gb": 0.75,
        "data_frequency": "static",
    }
    assert measured[1].basis == "no new objects in the last 50 days"


def test_young_prefix_without_rhythm_leaves_data_frequency_alone() -> None:
    measured = measure_answers(s3_summary(days(3, 3.5)), sagemaker_summary(), NOW)
    assert [m.question for m in measured] == ["data_size_gb"]


def test_registry_and_tuning_history_fill_their_answers() -> None:
    weekly = timeline(days(*[7 * w + 2 for w in range(12)])).activity(NOW - timedelta(days=120))
    sm = sagemaker_summary(
        tuning_jobs_90d=3,
        model_package_groups=4,
        approved_groups=2,
        releases_from="model registry",
        releases=weekly,
    )
    measured = {m.question: m for m in measure_answers(s3_summary(days(1)), sm, NOW)}
    assert measured["tuning"].value == "automated"
    assert measured["tuning"].basis == "3 hyperparameter tuning jobs in the last 90 days"
    assert measured["models_in_production"].value == 2
    assert measured["release_frequency"].value == "weekly"
    assert measured["release_frequency"].source == "SageMaker eu-west-1: ListModelPackages"
    Answers({m.question: m.value for m in measured.values()})  # all valid answers


@pytest.mark.parametrize(
    ("ages", "since_days", "expected"),
    [
        ([timedelta(hours=h) for h in range(72)], 3, "daily"),  # hourly → daily
        (days(30), 120, "quarterly"),  # one release in a full 90-day window
        ([], 120, "adhoc"),  # a registry, full window, nothing released
        ([], 20, None),  # a registry younger than the window: too early to say
    ],
)
def test_release_frequency_rules(
    ages: list[timedelta], since_days: int, expected: str | None
) -> None:
    activity = timeline(ages).activity(NOW - timedelta(days=since_days))
    sm = sagemaker_summary(
        model_package_groups=1, releases_from="model registry", releases=activity
    )
    found = release_frequency(sm)
    assert (found.value if found else None) == expected


def test_evidence_json_and_text_mark_overridden_answers() -> None:
    s3 = s3_summary(days(*[d + 0.1 for d in range(20)]))
    evidence = Evidence(s3, sagemaker_summary(), measure_answers(s3, sagemaker_summary(), NOW))
    data = evidence.to_dict({"data_size_gb": "flag", "data_frequency": "measured"})
    assert data["answers"]["data_size_gb"]["used"] is False
    assert data["answers"]["data_frequency"] == {
        "value": "daily",
        "source": "s3://bucket/data/",
        "basis": "new objects in 20 of the last 20 days",
        "used": True,
        "estimated": False,
    }
    assert data["s3"]["objects"] == 20 and data["s3"]["size_gb"] == 5.0
    lines = answer_lines(evidence, {"data_size_gb": "flag"})
    assert lines[0].endswith("[overridden by flag]") and "5 GB" in lines[0]
    assert "Not measured (answer them yourself): processing_steps" in markdown_section(evidence, {})


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}}, "ListObjectsV2")


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (NoCredentialsError(), "no AWS credentials were found"),
        (client_error("NoSuchBucket"), "the bucket of s3://b/p does not exist"),
        (client_error("AccessDenied"), "access denied to s3:ListBucket on s3://b/p"),
        (client_error("ExpiredToken"), "AWS rejected the credentials (ExpiredToken)"),
        (client_error("SlowDown"), "AWS kept throttling s3:ListBucket after 10 attempts"),
        (client_error("InternalError"), "s3:ListBucket on s3://b/p failed: InternalError: m."),
        (EndpointConnectionError(endpoint_url="https://x"), "cannot reach AWS"),
    ],
)
def test_aws_errors_become_one_sentence(err: Exception, expected: str) -> None:
    message = aws.describe(err, "s3:ListBucket", "s3://b/p")
    assert message.startswith(expected) and "\n" not in message


def test_throttling_message_survives_building_clients() -> None:
    """botocore once rewrote a shared retry dict, and the message then raised KeyError."""
    import boto3

    session = boto3.Session(
        aws_access_key_id="k", aws_secret_access_key="s", region_name="eu-west-1"
    )
    aws.client(session, "s3")
    aws.client(session, "s3")
    message = aws.describe(client_error("SlowDown"), "s3:ListBucket", "s3://b/p")
    assert message.startswith("AWS kept throttling s3:ListBucket after 10 attempts")


def test_activity_is_plain_data() -> None:
    a = Activity(48, 30, 2, 1, 1, 31)
    assert a.window_days == 2 and a.cadence() == "hourly"


def synthetic(units: list[Unit], stopped: Stop | None) -> Listing:
    """A listing as the Lister leaves it: every listed object also in the timeline."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    timeline = Timeline(now)
    for unit in units:
        for _ in range(unit.objects):
            timeline.add(datetime(2026, 11, 30, tzinfo=UTC), unit.bytes // max(unit.objects, 1))
    return Listing("s3://b/p/", timeline, units, 9, 2.5, 16, 2.0, stopped)


def test_estimate_counts_unfinished_prefixes_as_the_mean_of_finished_ones() -> None:
    units = [
        Unit("p/", 0, 0, 0, 4, "done"),
        Unit("p/a/", 1, 10, 1000, 0, "done"),
        Unit("p/b/", 1, 10, 1000, 0, "done"),
        Unit("p/c/", 1, 3, 300, 0, "running"),
        Unit("p/d/", 1, 0, 0, 0, "pending"),
    ]
    summary = summarize(synthetic(units, "budget"))
    assert (summary.objects, summary.bytes) == (40, 4000)
    assert summary.new_objects_30d == 40  # growth scaled by the same ratio
    estimate = summary.estimate
    assert estimate is not None and estimate.fraction_listed == 23 / 40
    assert estimate.method.startswith("extrapolated from 2 of 4 sub-prefixes listed in full")
    assert estimate.note().startswith("estimated: 57% listed before the 2 s budget")


def test_without_a_finished_prefix_the_estimate_is_a_lower_bound() -> None:
    summary = summarize(synthetic([Unit("p/", 0, 1500, 9000, 0, "running")], "interrupted"))
    assert summary.objects == 1500 and summary.estimate is not None
    assert summary.estimate.fraction_listed is None and summary.estimate.method == LOWER_BOUND
    assert summary.estimate.note() == (
        "estimated: at least 1,500 objects before the listing was interrupted (Ctrl+C); "
        + LOWER_BOUND
    )
    assert summarize(synthetic([Unit("p/", 0, 5, 50, 0, "done")], None)).estimate is None
