"""``python -m pipelines start`` keys the cache to the data: the InputFingerprint of a generated
project's ``pipelines/_service.py``, against the moto server's S3.

Fast: the module is imported in-process from a freshly generated project (it needs only boto3).
The slow pipeline tests check the same end to end (``pipeline_runs.start_twice_and_status``:
the value lands in the started executions' parameters) and that the parameter enters
PreprocessData's arguments in the v3 and v2 definitions (``assert_cache_keys_follow_the_data``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from generated import generate
from moto_fixture import reset, use_aws_env
from pipeline_variants import options

BUCKET = "fingerprint-data"
URL = f"s3://{BUCKET}/churn/data/"


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The generated project's ``pipelines._service`` module, imported from its folder."""
    project = generate(tmp_path / "demo", "--name", "demo", *options("sklearn", "plain"))
    monkeypatch.syspath_prepend(str(project))
    for name in [m for m in sys.modules if m == "pipelines" or m.startswith("pipelines.")]:
        monkeypatch.delitem(sys.modules, name)
    module = importlib.import_module("pipelines._service")
    assert Path(module.__file__ or "").is_relative_to(project)
    yield module
    for name in [m for m in sys.modules if m == "pipelines" or m.startswith("pipelines.")]:
        del sys.modules[name]


@pytest.fixture
def s3(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An S3 client on a reset moto server, with this process's AWS settings pointed at it."""
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    return client


def put(s3: Any, key: str, body: bytes) -> None:
    s3.put_object(Bucket=BUCKET, Key=f"churn/data/{key}", Body=body)


def test_same_data_same_fingerprint_and_any_change_changes_it(service: ModuleType, s3: Any) -> None:
    put(s3, "a.csv", b"x,target\n1,0\n")
    put(s3, "b.csv", b"x,target\n2,1\n")
    s3.put_object(Bucket=BUCKET, Key="churn/data-old/c.csv", Body=b"not under the prefix")
    first = service.input_fingerprint("us-east-1", URL)
    assert first == service.input_fingerprint("us-east-1", URL)
    assert first.startswith("2-")

    put(s3, "2026/c.csv", b"x,target\n3,0\n")
    added = service.input_fingerprint("us-east-1", URL)
    assert added != first and added.startswith("3-")

    put(s3, "a.csv", b"x,target\n9,1\n")  # same key and size, other content: another ETag
    assert service.input_fingerprint("us-east-1", URL) not in {first, added}


def test_no_data_or_too_much_is_one_clear_error(
    service: ModuleType, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(service.CommandError, match="no data under s3://"):
        service.input_fingerprint("us-east-1", URL)
    with pytest.raises(service.CommandError, match="not an s3://bucket/prefix URL"):
        service.input_fingerprint("us-east-1", "/local/folder")
    for n in range(4):
        put(s3, f"part-{n}.csv", b"x\n")
    monkeypatch.setattr(service, "MAX_FINGERPRINT_OBJECTS", 3)
    with pytest.raises(service.CommandError, match="--param InputFingerprint="):
        service.input_fingerprint("us-east-1", URL)


def pipeline(name: str, parameters: list[dict[str, str]]) -> Any:
    """A SageMaker client on moto with pipeline ``name`` declaring ``parameters``."""
    sm = boto3.client("sagemaker", region_name="us-east-1")
    definition = {"Version": "2020-12-01", "Parameters": parameters, "Steps": []}
    sm.create_pipeline(
        PipelineName=name,
        PipelineDefinition=json.dumps(definition),
        RoleArn="arn:aws:iam::123456789012:role/SageMakerExecutionRole",
    )
    return sm


def test_input_url_comes_from_the_params_else_the_pipeline(
    service: ModuleType, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    put(s3, "a.csv", b"x,target\n1,0\n")
    s3.put_object(Bucket=BUCKET, Key="other/a.csv", Body=b"x,target\n1,0\n2,1\n")
    declared = [
        {"Name": "InputDataUrl", "Type": "String", "DefaultValue": URL},
        {"Name": "InputFingerprint", "Type": "String", "DefaultValue": "not-computed"},
    ]
    sm = pipeline("demo", declared)
    args = argparse.Namespace(pipeline_name="demo", region="us-east-1")
    default = service.with_fingerprint(sm, args, [])
    assert default == [
        {"Name": "InputFingerprint", "Value": service.input_fingerprint("us-east-1", URL)}
    ]
    assert f"InputFingerprint={default[0]['Value']} ({URL})" in capsys.readouterr().out
    other = f"s3://{BUCKET}/other/"
    given = [{"Name": "InputDataUrl", "Value": other}]
    fingerprint = service.input_fingerprint("us-east-1", other)
    assert service.with_fingerprint(sm, args, given) == [
        *given,
        {"Name": "InputFingerprint", "Value": fingerprint},
    ]
    assert fingerprint != default[0]["Value"]
    pinned = [{"Name": "InputFingerprint", "Value": "data-v7"}]
    assert service.with_fingerprint(None, args, pinned) == pinned  # no AWS call at all


def test_a_pipeline_upserted_before_the_parameter_gets_none(
    service: ModuleType, s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    sm = pipeline("old", [{"Name": "InputDataUrl", "Type": "String", "DefaultValue": URL}])
    args = argparse.Namespace(pipeline_name="old", region="us-east-1")
    assert service.with_fingerprint(sm, args, []) == []
    assert "upsert it again" in capsys.readouterr().out
