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


def test_param_overrides_and_input_url_follows_the_params(service: ModuleType, s3: Any) -> None:
    put(s3, "a.csv", b"x,target\n1,0\n")
    args = argparse.Namespace(pipeline_name="demo", region="us-east-1")
    given = [{"Name": "InputFingerprint", "Value": "data-v7"}]
    assert service.with_fingerprint(None, args, given) == given  # no AWS call at all
    elsewhere = [{"Name": "InputDataUrl", "Value": URL}]
    params = service.with_fingerprint(None, args, elsewhere)
    assert params[:1] == elsewhere
    assert params[1] == {
        "Name": "InputFingerprint",
        "Value": service.input_fingerprint("us-east-1", URL),
    }
