"""Evidence end to end against a real moto server: seeded months of data and SageMaker history.

The server runs in its own process on 127.0.0.1 (``moto_fixture``); its clock is set per batch
(``moto_clock.py``) so that objects and jobs carry LastModified / CreationTime dates spread over
four months, which no S3 or SageMaker API lets a client choose. Everything else is moto
answering real HTTP: boto3 for buckets and SageMaker, plain HTTP PUTs for the 2,300 objects
(boto3's per-call overhead would double the seeding time; the server sees the same PutObject).
"""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import pytest
from moto_fixture import MotoServer, start_moto_server, use_aws_env

from advisor.cli import main
from advisor.evidence import gather
from advisor.evidence.aws import Progress
from advisor.evidence.s3 import measure_prefix

# Seeding ~2,300 objects takes ~8 s on two cores: once, on one xdist worker, for the module.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("evidence-moto")]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "assess-output.schema.json").read_text())
ROLE = "arn:aws:iam::123456789012:role/sagemaker"
DAILY_DAYS, PER_DAY = 45, 50


@dataclass
class Account:
    """The seeded account: where it is, when it was seeded, and what it holds."""

    server: MotoServer
    now: datetime
    daily_bytes: int

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.server.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def at(self, age: timedelta) -> None:
        self.server.set_clock(self.now - age)


def put_objects(url: str, bucket: str, keys: list[tuple[str, int]]) -> None:
    """PUT objects over two keep-alive connections (the server's clock dates them)."""
    host, port = url.removeprefix("http://").split(":")

    def put(chunk: list[tuple[str, int]]) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for key, size in chunk:
            conn.request("PUT", f"/{bucket}/{key}", body=b"x" * size)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (key, response.status)
        conn.close()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(put, [keys[0::2], keys[1::2]]))


def seed_data(account: Account) -> int:
    """Daily, weekly, static and fresh prefixes; returns the bytes under churn/raw/."""
    account.client("s3").create_bucket(Bucket="ml-data")
    url, total = account.server.url, 0
    for day in range(DAILY_DAYS):
        account.at(timedelta(days=day, hours=3))
        keys = [(f"churn/raw/{day:03}/part-{i:03}.csv", 1000 + 37 * i) for i in range(PER_DAY)]
        total += sum(size for _, size in keys)
        put_objects(url, "ml-data", keys)
    for week in range(12):
        account.at(timedelta(days=7 * week + 1))
        put_objects(url, "ml-data", [(f"weekly/{week}/{i}.parquet", 500) for i in range(10)])
    account.at(timedelta(days=50))
    put_objects(url, "ml-data", [(f"static/{i}.csv", 800) for i in range(30)])
    put_objects(url, "ml-data", [("churn/raw/", 0), ("churn/rawextra/other.csv", 10**6)])
    account.at(timedelta(hours=2))
    put_objects(url, "ml-data", [(f"fresh/{i}.csv", 100) for i in range(20)])
    return total


def training_job(name: str) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": "xgboost:1", "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://ml-data/models/"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 10,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }


def tuning_job(name: str) -> dict[str, Any]:
    definition = training_job("unused")
    del definition["TrainingJobName"]
    return {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 4},
        },
        "TrainingJobDefinition": definition,
    }


def register(sm: Any, group: str, status: str) -> None:
    sm.create_model_package(
        ModelPackageGroupName=group,
        ModelApprovalStatus=status,
        InferenceSpecification={
            "Containers": [{"Image": "xgboost:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )


def seed_sagemaker(account: Account) -> None:
    """us-east-1: jobs, tuning, a registry released weekly. eu-west-1: a daily pipeline only."""
    sm = account.client("sagemaker")
    for i, age in enumerate([*range(1, 72, 3), 120, 130]):
        account.at(timedelta(days=age, hours=1))
        sm.create_training_job(**training_job(f"train-{i}"))
    for i, age in enumerate([10, 40, 100]):
        account.at(timedelta(days=age, hours=1))
        sm.create_hyper_parameter_tuning_job(**tuning_job(f"tune-{i}"))
    account.at(timedelta(days=100))
    for group in ("churn", "fraud", "legacy"):
        sm.create_model_package_group(ModelPackageGroupName=group)
    account.at(timedelta(days=95))
    register(sm, "fraud", "Approved")  # approved long ago: in production, not a recent release
    for week in range(12):
        account.at(timedelta(days=7 * week + 2))
        register(sm, "churn", "Approved" if week < 3 else "Rejected")
    account.at(timedelta(days=30, hours=5))
    register(sm, "legacy", "PendingManualApproval")
    eu = account.client("sagemaker", "eu-west-1")
    account.at(timedelta(days=40))
    definition = json.dumps({"Version": "2020-12-01", "Parameters": [], "Steps": []})
    eu.create_pipeline(PipelineName="churn-train", PipelineDefinition=definition, RoleArn=ROLE)
    for day in range(20):
        account.at(timedelta(days=day, hours=4))
        eu.start_pipeline_execution(PipelineName="churn-train")


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    tmp = tmp_path_factory.mktemp("moto-clock")
    server = start_moto_server(tmp, clock_file=tmp / "clock")
    try:
        seeded = Account(server, datetime.now(UTC), 0)
        seeded.daily_bytes = seed_data(seeded)
        seed_sagemaker(seeded)
        server.set_clock(None)
        yield seeded
    finally:
        server.stop()


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_measures_data_and_history(
    account: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    code, out, err = run_cli(
        capsys, "assess", "--evidence", "s3://ml-data/churn/raw", "--format", "json"
    )
    assert code == 0, err
    assert err == ""  # three pages are below the progress threshold off a terminal
    data = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    measured = {k for k, v in data["sources"].items() if v == "measured"}
    assert measured == {
        "data_size_gb",
        "data_frequency",
        "tuning",
        "release_frequency",
        "models_in_production",
    }
    answers = data["answers"]
    assert answers["data_size_gb"] == pytest.approx(account.daily_bytes / 1e9, rel=1e-3)
    assert answers["data_frequency"] == "daily"
    assert answers["tuning"] == "automated"
    assert answers["release_frequency"] == "weekly"
    assert answers["models_in_production"] == 2  # churn and fraud have approved versions
    s3 = data["evidence"]["s3"]
    assert s3["uri"] == "s3://ml-data/churn/raw/"  # a folder: churn/rawextra/ is not included
    assert (s3["objects"], s3["bytes"]) == (DAILY_DAYS * PER_DAY, account.daily_bytes)
    assert (s3["new_objects_30d"], s3["new_objects_90d"]) == (30 * PER_DAY, DAILY_DAYS * PER_DAY)
    assert s3["activity"]["active_days_30d"] == 30
    sm = data["evidence"]["sagemaker"]
    assert sm["training_jobs_90d"] == 24 and sm["tuning_jobs_90d"] == 2
    assert (sm["model_package_groups"], sm["approved_model_package_groups"]) == (3, 2)
    assert sm["model_versions_90d"] == 13 and sm["releases_from"] == "model registry"
    assert data["evidence"]["answers"]["tuning"]["source"].startswith("SageMaker us-east-1")


def test_flags_override_measured_answers_and_measured_override_the_file(
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    answers = tmp_path / "answers.yaml"
    answers.write_text("tuning: none\nteam_size: 5\n")
    code, out, err = run_cli(
        capsys,
        "assess",
        "--evidence",
        "s3://ml-data/churn/raw/",
        "--answers",
        str(answers),
        "--data-frequency",
        "monthly",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["answers"]["data_frequency"], data["sources"]["data_frequency"]) == (
        "monthly",
        "flag",
    )
    assert data["evidence"]["answers"]["data_frequency"]["used"] is False
    assert (data["answers"]["tuning"], data["sources"]["tuning"]) == ("automated", "measured")
    assert data["sources"]["team_size"] == "file"


def test_other_prefixes_and_regions_fill_only_what_they_show(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    weekly = gather("s3://ml-data/weekly/", region="us-west-2").answers()
    assert weekly == {"data_size_gb": 6e-05, "data_frequency": "weekly"}  # empty region
    static = gather("s3://ml-data/static", region="us-west-2").by_question()
    assert static["data_frequency"].value == "static"
    assert static["data_frequency"].basis == "no new objects in the last 50 days"
    fresh = gather("s3://ml-data/fresh/", region="us-west-2").answers()
    assert set(fresh) == {"data_size_gb"}  # two hours of history say nothing about frequency
    eu = gather("s3://ml-data/fresh/", region="eu-west-1").by_question()
    assert eu["release_frequency"].value == "daily"
    assert eu["release_frequency"].source == "SageMaker eu-west-1: ListPipelineExecutions"
    assert "tuning" not in eu and "models_in_production" not in eu


def test_markdown_and_table_mark_measured_answers(
    account: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    code, out, _ = run_cli(
        capsys, "assess", "--evidence", "s3://ml-data/churn/raw/", "--format", "markdown"
    )
    assert code == 0
    assert "| Hyperparameter tuning | automated search | measured |" in out
    assert "## Evidence (measured from AWS)" in out
    assert "- tuning = automated: 2 hyperparameter tuning jobs in the last 90 days" in out
    code, out, _ = run_cli(capsys, "assess", "--evidence", "s3://ml-data/churn/raw/")
    assert code == 0
    assert "(measured)" in out and "Evidence (measured from AWS)" in out
    assert "s3://ml-data/churn/raw/: 2,250 objects" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_per_page(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    log, live = io.StringIO(), Terminal()
    s3 = boto3.client("s3")
    for stream in (log, live):
        measure_prefix(s3, "ml-data", "churn/raw/", account.now, Progress(stream, every=1))
    lines = log.getvalue().splitlines()
    # One page for the folder itself (its 45 day folders and its marker), then one per day.
    assert len(lines) == 1 + DAILY_DAYS
    counts = [int(line.split(" objects")[0].split()[-1].replace(",", "")) for line in lines]
    assert counts == sorted(counts) and counts[-1] == DAILY_DAYS * PER_DAY
    assert all("objects/s" in line and "churn/raw/" in line for line in lines)
    assert live.getvalue().count("\r") >= 4 and live.getvalue().endswith("\r")


def test_new_records_the_evidence(
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    use_aws_env(monkeypatch, account.server.url)
    target = tmp_path / "churn"
    code, out, err = run_cli(
        capsys, "new", str(target), "--evidence", "s3://ml-data/churn/raw/", "--dry-run",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["evidence"]["answers"]["release_frequency"]["value"] == "weekly"
    assert not target.exists()
