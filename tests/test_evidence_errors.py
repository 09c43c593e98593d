"""Evidence failures are one line and exit 2, against a real moto server; boto3 stays optional."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto_fixture import UNSET, aws_env, enforce_auth, reset, use_aws_env

from advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    yield moto_server


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("sm-advisor: error: ")
    return err.removeprefix("sm-advisor: error: ").strip()


def test_no_such_bucket(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    message = one_line_error(*run_cli(capsys, "assess", "--evidence", "s3://missing-bucket/x/"))
    assert message == (
        "the bucket of s3://missing-bucket/x/ does not exist; check the --evidence URI."
    )


def test_empty_prefix(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("s3").create_bucket(Bucket="empty-bucket")
    message = one_line_error(*run_cli(capsys, "assess", "--evidence", "s3://empty-bucket/data"))
    assert message.startswith("s3://empty-bucket/data holds no objects;")


@pytest.mark.parametrize("uri", ["bucket/prefix", "s3://", "https://bucket.s3.amazonaws.com/x"])
def test_not_an_s3_uri(uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    message = one_line_error(*run_cli(capsys, "assess", "--evidence", uri))
    assert message.startswith("--evidence expects an S3 URI such as s3://")


def test_unknown_profile_and_missing_region(
    aws: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line_error(
        *run_cli(capsys, "assess", "--evidence", "s3://b/p", "--profile", "nope")
    )
    assert message.startswith("the AWS profile 'nope' is not configured;")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    message = one_line_error(*run_cli(capsys, "assess", "--evidence", "s3://b/p"))
    assert message.startswith("no AWS region is configured; pass --region")


def test_access_denied(
    aws: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("s3").create_bucket(Bucket="locked-bucket")
    iam = boto3.client("iam")
    iam.create_user(UserName="intern")
    key = iam.create_access_key(UserName="intern")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    enforce_auth(aws, True)
    try:
        result = run_cli(capsys, "assess", "--evidence", "s3://locked-bucket/data/")
    finally:
        enforce_auth(aws, False)
    message = one_line_error(*result)
    assert message.startswith("access denied to s3:ListBucket on s3://locked-bucket/data/;")


def test_no_credentials_in_a_real_process(moto_server: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in UNSET}
    env.update(aws_env(moto_server))
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    proc = subprocess.run(
        [sys.executable, "-m", "advisor", "assess", "--evidence", "s3://b/p/"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (
        "sm-advisor: error: no AWS credentials were found; run 'aws configure' or "
        "'aws sso login', set AWS_PROFILE, or pass --profile.\n"
    )


def test_without_evidence_boto3_is_never_imported() -> None:
    code = (
        "import sys; from advisor.cli import main; "
        "main(['assess', '--format', 'json', '--team-size', '3']); "
        "heavy = [m for m in ('boto3', 'botocore', 'advisor.evidence') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_without_boto3_evidence_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['boto3'] = None; from advisor.cli import main; "
        "raise SystemExit(main(['assess', '--evidence', 's3://b/p/']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "sm-advisor: error: --evidence needs boto3; "
        "install it with: pip install 'sm-advisor[aws]'.\n"
    )
