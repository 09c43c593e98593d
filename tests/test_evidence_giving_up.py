"""Evidence that gives up: every AWS misconfiguration is one line, and a hung endpoint is dropped.

Issue 10's AWS examples, each a named regression test. None needs AWS: the failures happen in
boto3's own configuration, or against a socket on 127.0.0.1 that accepts and never answers.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3  # imported up front, so that timings below measure the calls, not the import
import pytest
from moto_fixture import UNSET

from advisor.cli import main
from advisor.evidence.aws import describe


def one_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and err.startswith("sm-advisor: error: "), err
    assert "Traceback" not in err and len(err) < 600
    return err.removeprefix("sm-advisor: error: ").rstrip("\n")


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No AWS settings at all: empty config files, no metadata service, no real endpoint."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name in UNSET:
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return monkeypatch


@pytest.fixture
def keys(no_aws: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    no_aws.setenv("AWS_ACCESS_KEY_ID", "testing")
    no_aws.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return no_aws


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def test_an_invalid_region_is_one_line(
    keys: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "EU_WEST")
    assert message == (
        "'EU_WEST' is not an AWS region name; pass --region with one such as eu-west-1."
    )


def test_only_the_access_key_id_is_set(
    no_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_aws.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "eu-west-1")
    assert message == (
        "the AWS credentials are incomplete: AWS_SECRET_ACCESS_KEY is missing (from env); "
        "set it, or unset the others and pass --profile."
    )


def test_a_malformed_config_file(
    no_aws: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config").write_text("[default\nregion = eu-west-1\n")
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "eu-west-1")
    assert message == (
        f"the AWS config file {tmp_path / 'config'} cannot be parsed; fix it, or point "
        "AWS_CONFIG_FILE (or AWS_SHARED_CREDENTIALS_FILE) at a valid file."
    )


@pytest.mark.parametrize(
    ("process", "expected"),
    [
        ("/bin/false", "AWS credentials could not be loaded (Error when retrieving credentials "
                       "from custom-process: ); check the profile's credential_process"),
        ("/bin/echo not json", "the AWS configuration could not be used (Expecting value: "
                               "line 1 column 1 (char 0)); check the AWS_* environment"),
    ],
    ids=["fails", "prints-junk"],
)  # fmt: skip
def test_a_failing_credential_process(
    process: str,
    expected: str,
    no_aws: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "config").write_text(f"[default]\ncredential_process = {process}\n")
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "eu-west-1")
    assert message.startswith(expected)


@pytest.mark.parametrize(
    ("url", "detail"), [("not a url", "Invalid endpoint: not a url"), ("http://[::1", "Invalid")]
)
def test_a_malformed_endpoint_url(
    url: str, detail: str, keys: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keys.setenv("AWS_ENDPOINT_URL", url)
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "eu-west-1")
    assert message.startswith(f"the AWS endpoint URL is not valid ({detail}")
    assert message.endswith("fix or unset AWS_ENDPOINT_URL (or the profile's endpoint_url).")


def test_an_unknown_profile_from_the_environment(
    no_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_aws.setenv("AWS_PROFILE", "nope\nsm-advisor: fine")
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "eu-west-1")
    assert message.startswith("the AWS profile 'nope\\nsm-advisor: fine' is not configured;")


def test_a_bucket_name_boto3_refuses(
    keys: pytest.MonkeyPatch, silent_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys.setenv("AWS_ENDPOINT_URL", silent_endpoint)
    message = one_line(capsys, "assess", "--evidence", "s3://bad bucket/p", "--region", "us-east-1")
    assert message.startswith("s3:ListBucket on s3://bad bucket/p/ was refused before sending")
    assert message.endswith("check the --evidence URI.")


def test_an_unreachable_endpoint_gives_up_quickly(
    keys: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    keys.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    start = time.monotonic()
    message = one_line(
        capsys, "assess", "--evidence", "s3://b/p", "--region", "us-east-1", "--aws-timeout", "4"
    )
    assert time.monotonic() - start <= 4
    assert message.startswith("cannot reach AWS for s3:ListBucket (Could not connect")
    assert message.endswith("(no retry fits in --aws-timeout 4 s).")


def test_a_silent_endpoint_is_dropped_within_aws_timeout(
    keys: pytest.MonkeyPatch, silent_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys.setenv("AWS_ENDPOINT_URL", silent_endpoint)
    start = time.monotonic()
    message = one_line(
        capsys, "assess", "--evidence", "s3://b/p", "--region", "us-east-1", "--aws-timeout", "2"
    )
    assert time.monotonic() - start <= 3  # the budget is per call: plus session and client set-up
    assert boto3.__name__ == "boto3"
    assert message.startswith("cannot reach AWS for s3:ListBucket (Read timeout on endpoint URL")
    assert message.endswith("(no retry fits in --aws-timeout 2 s).")


@pytest.mark.slow
def test_a_silent_endpoint_is_dropped_within_30_s_by_default(
    keys: pytest.MonkeyPatch, silent_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys.setenv("AWS_ENDPOINT_URL", silent_endpoint)
    start = time.monotonic()
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--region", "us-east-1")
    assert time.monotonic() - start <= 30
    assert message.endswith("(no retry fits in --aws-timeout 30 s).")


def test_aws_messages_are_cut_and_made_printable() -> None:
    from botocore.exceptions import ClientError

    err = ClientError(
        {"Error": {"Code": "Weird\nCode", "Message": "line one\nline two " + "x" * 10_000}},
        "ListObjectsV2",
    )
    message = describe(err, "s3:ListBucket", "s3://b/p")
    assert "\n" not in message and len(message) < 400
    assert message.startswith("s3:ListBucket on s3://b/p failed: Weird\\nCode: line one\\nline two")
